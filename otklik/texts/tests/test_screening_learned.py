"""The learned screening: the exported model predicts what scikit-learn predicts, the file format,
the thresholds from cross-validation, the retrained file taking over, the sealed corpus."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from otklik.texts.screening import learned, screen, train

HELDOUT = train.ROOT / "tests" / "data" / "heldout" / "messages.jsonl"


@pytest.fixture(scope="module")
def small() -> tuple[list[train.Example], list[set[str]], dict[str, Any], dict[str, Any]]:
    examples = train.load([HELDOUT])
    feats = [train.example_features(e.text) for e in examples]
    estimators: dict[str, Any] = {}
    data = train.fit(examples, feats=feats, estimators=estimators)
    return examples, feats, data, estimators


@pytest.fixture
def no_override() -> Iterator[None]:
    yield
    learned.set_model_path(None)


def test_exported_model_predicts_as_scikit_learn(small: Any) -> None:
    _examples, feats, data, est = small
    model = learned.LearnedModel.from_json(learned.dumps(data))
    x = est["transform"](feats)
    spam = est["spam"].predict_proba(x)[:, 1]
    high = est["high"].predict_proba(x)[:, 1]
    topic = est["topic"].predict_proba(x)
    classes = [str(c) for c in est["topic"].classes_]
    for i, f in enumerate(feats):
        p = model.predict(f)
        # Coefficients are rounded to five decimals in the file: agreement to 1e-3 is exact enough.
        assert p.spam == pytest.approx(spam[i], abs=1e-3)
        assert p.high == pytest.approx(high[i], abs=1e-3)
        for k, code in enumerate(classes):
            assert p.topics[code] == pytest.approx(topic[i][k], abs=1e-3)


def test_thresholds_come_from_cross_validation_and_decide(small: Any) -> None:
    _examples, feats, data, _est = small
    meta = data["meta"]
    assert 0 < meta["spam_threshold"] < 1
    assert 0 < meta["high_threshold"] < 1
    model = learned.LearnedModel.from_dict(data)
    assert meta["spam_rule_weight"] in train.RULE_WEIGHTS
    assert meta["high_rule_weight"] in train.RULE_WEIGHTS
    for f in feats[:40]:
        p = model.predict(f)
        rule_spam, rule_high = "r:spam" in f, any(n.startswith("r:hi:") for n in f)
        assert p.spam_score == pytest.approx(
            (1 - meta["spam_rule_weight"]) * p.spam + meta["spam_rule_weight"] * rule_spam)
        assert p.high_score == pytest.approx(
            (1 - meta["high_rule_weight"]) * p.high + meta["high_rule_weight"] * rule_high)
        assert p.is_spam == (p.spam_score >= meta["spam_threshold"])
        assert p.is_high == (p.high_score >= meta["high_threshold"])


def test_rule_weight_is_chosen_on_out_of_fold_figures() -> None:
    # The model alone misses two of the four spam messages the rules catch: a share of the rules
    # is chosen. Rules that fire on the wrong messages get no share.
    p = np.array([0.9, 0.15, 0.1, 0.8, 0.3, 0.2, 0.12, 0.05])
    y = np.array([True, True, True, True, False, False, False, False])
    good = np.array([True, True, True, False, False, False, False, False])
    wrong = ~y
    w, t = train.rule_weight(p, good, y, "spam")
    assert w > 0
    mixed = (1 - w) * p + w * good
    assert ((mixed >= t) == y).all()
    assert train.rule_weight(p, wrong, y, "spam")[0] == 0.0


def test_high_threshold_keeps_the_recall_goal() -> None:
    p = np.array([0.9, 0.8, 0.6, 0.3, 0.2, 0.1])
    y = np.array([True, True, True, True, False, False])
    t = train.high_threshold(p, y)
    # All four emergencies must stay above it (3 of 4 is under HIGH_MIN_RECALL).
    assert t <= 0.3
    assert t > 0.2


def test_spam_threshold_is_the_best_f1() -> None:
    p = np.array([0.95, 0.7, 0.55, 0.4, 0.1])
    y = np.array([True, True, False, False, False])
    assert 0.55 < train.spam_threshold(p, y) <= 0.7


def test_training_is_deterministic(small: Any) -> None:
    examples, feats, data, _est = small
    again = train.fit(examples, feats=feats)
    assert learned.dumps(again) == learned.dumps(data)


def test_file_is_one_feature_a_line(small: Any) -> None:
    text = learned.dumps(small[2])
    lines = text.splitlines()
    assert len(lines) > len(small[2]["features"])
    assert json.loads(text)["features"] == small[2]["features"]


def test_wrong_file_is_refused() -> None:
    with pytest.raises(ValueError, match="not an Otklik"):
        learned.LearnedModel.from_json('{"format": "pickle", "version": 1}')
    with pytest.raises(ValueError, match="not an Otklik"):
        learned.LearnedModel.from_json("[]")


def test_sealed_corpus_is_refused(tmp_path: Path) -> None:
    sealed = tmp_path / train.SEALED / "messages.jsonl"
    sealed.parent.mkdir()
    sealed.write_text("", encoding="utf-8")
    with pytest.raises(SystemExit, match="запечатан"):
        train.load([sealed])


def test_unknown_topic_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.jsonl"
    path.write_text('{"text": "яма", "topic": "дороги!"}\n', encoding="utf-8")
    with pytest.raises(SystemExit, match="неизвестная тема"):
        train.load([path])


def test_corrections_may_leave_labels_out(tmp_path: Path) -> None:
    path = tmp_path / "m.jsonl"
    path.write_text('{"text": "продам мёд", "spam": false, "high_importance": null, "topic": null}\n',
                    encoding="utf-8")
    (e,) = train.load([path])
    assert (e.spam, e.high, e.topic) == (False, None, None)


def test_retrained_file_takes_over_and_a_broken_one_does_not(
        small: Any, tmp_path: Path, no_override: None) -> None:
    path = tmp_path / "learned.json"
    learned.set_model_path(path)
    assert learned.current() is learned.shipped()  # no file yet
    train.write(small[2], path)
    retrained = learned.current()
    assert retrained is not learned.shipped()
    assert retrained.meta["examples"] == 150
    assert learned.current() is retrained  # read once, not at every message
    path.write_text("{broken", encoding="utf-8")
    os.utime(path, (1, 1))
    assert learned.current() is learned.shipped()


def test_shipped_model_is_from_the_ten_measured_corpora() -> None:
    meta = learned.shipped().meta
    assert meta["corpora"] == [
        "tests/data/messages.jsonl", "tests/data/heldout/messages.jsonl",
        *(f"bench/corpora/blind{k}/messages.jsonl" for k in range(1, 9))]
    assert not any(train.SEALED in c for c in meta["corpora"])
    assert meta["examples"] == 377 + 150 + 349 + 336 + 346 + 374 + 347 + 355 + 379 + 408


@pytest.mark.parametrize(("text", "topic"), [
    ("Второй день нет воды на ул. Мира, с детьми помыться нечем!", "utilities"),
    ("Когда отремонтируют дорогу на Садовой, ямы по колено", "roads"),
    ("Фонари на улице Кирова не горят уже неделю, темно", "lighting"),
    ("Автобус до Динской опять не пришёл по расписанию", "transport"),
])
def test_topics_of_plain_messages(text: str, topic: str) -> None:
    assert screen(text).topic == topic


@pytest.mark.parametrize(("text", "topic"), [
    # An advert takes a topic when it clearly names one (tests/data/README.md), else «other».
    ("Щебень, отсев, ПГС с доставкой самосвалом. Отсыпем вашу улицу недорого! Звоните 8-900-123-45-67",
     "roads"),
    ("Откачка септиков, ассенизатор, быстро, недорого, круглосуточно. 8-932-000-11-22", "utilities"),
    ("Заработок от 5000 в день без вложений! Пиши в лс, ссылка в профиле 💰", "other"),
])
def test_spam_topic_is_what_it_names(text: str, topic: str) -> None:
    result = screen(text)
    assert result.spam
    assert not result.high_importance
    assert result.topic == topic


def test_nouns_are_features_of_the_object() -> None:
    feats = learned.features("Прорвало трубы у школы")
    assert {"n:труба", "n:школа", "w:прорвать"} <= feats
    assert "n:прорвать" not in feats


def test_spam_and_emergency_with_probabilities() -> None:
    ad = screen("Заработок от 5000 в день без вложений! Пиши в лс, ссылка в профиле 💰")
    assert ad.spam
    assert ad.spam_probability >= learned.shipped().spam_threshold
    assert ad.topic == "other"
    assert not ad.high_importance
    fire = screen("Горит дом на ул. Ленина, 12, пожарные ещё не приехали, там люди!")
    assert fire.high_importance
    assert fire.high_importance_probability >= learned.shipped().high_threshold
    assert fire.high_importance_reasons
    calm = screen("Подскажите, какие часы приёма главы поселения?")
    assert not calm.spam
    assert not calm.high_importance
    assert calm.high_importance_reasons == ()


@pytest.mark.parametrize("text", [
    "Продам дрова, звоните 89181234567, доставка! https://t.me/drova",
    "Второй день нет воды на Мира, 5; на Мира, 7 тоже нет воды",
    "", "а-а-а-" * 50, "ПРОРВАЛО ТРУБУ на Мира!! Вода хлещет 💧 www.vk.com/photo1 за 500 руб",
    "İstanbul Ёлка ёлки ЁЛКИ",
])
def test_fast_path_is_the_same_prediction(text: str) -> None:
    model = learned.shipped()
    signs = ["spam", "hi:water", "topic:utilities"]
    fast, plain = model.predict_text(text, signs), model.predict(learned.features(text, signs))
    assert fast.spam == pytest.approx(plain.spam, abs=1e-9)
    assert fast.high == pytest.approx(plain.high, abs=1e-9)
    assert fast.topics == pytest.approx(plain.topics, abs=1e-9)
    assert fast.spam_score == pytest.approx(plain.spam_score, abs=1e-9)
    assert fast.high_score == pytest.approx(plain.high_score, abs=1e-9)
    assert (fast.is_spam, fast.is_high) == (plain.is_spam, plain.is_high)
