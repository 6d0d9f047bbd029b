"""The learned п. 21 second opinion (screening/abuse.py): asked only where the rules are silent,
exported exactly, trained only on development corpora."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression

from otklik.texts import corpora
from otklik.texts.screening import abuse, learned, no_answer, screen, train_abuse
from otklik.texts.screening import train as screening_train


def test_a_veiled_threat_the_rules_miss_is_marked_as_a_whole() -> None:
    text = "На вашем месте, глава, я бы по ночам один не ходил. Мало ли что."
    assert no_answer.check(text)[0] is None  # the rules are silent here
    result = screen(text)
    assert result.no_answer and result.no_answer_reason == "threat"
    [span] = result.no_answer_spans
    assert (span.start, span.end) == (0, len(text))


@pytest.mark.parametrize("text", [
    "Если не почините свет, я пожалуюсь в прокуратуру и губернатору.",
    "Спасибо за быстрый ремонт водопровода на Лесной!",
    "Пожар на складе за рынком, дым идёт на дома!",
    "Соседская собака опять лает всю ночь, примите меры.",
    "Я вас всех переживу, и вашу администрацию тоже. Напишу во все инстанции",  # lawful: not asked
])
def test_lawful_pressure_thanks_and_reports_are_not_marked(text: str) -> None:
    assert not screen(text).no_answer


def test_the_rules_verdict_and_spans_stand() -> None:
    text = "Вы там совсем обнаглели, бездельники, хоть бы раз вышли на улицу."
    reason, spans = no_answer.check(text)
    result = screen(text)
    assert result.no_answer_reason == reason == "insult"
    assert [(s.start, s.end) for s in result.no_answer_spans] == [(s.start, s.end) for s in spans]


def test_the_exported_model_gives_scikit_learns_probability() -> None:
    texts = ["я тебе, глава, устрою весёлую жизнь", "яма на дороге у школы", "сожгу вашу контору",
             "фонарь не горит на Мира", "уроды вы все в администрации", "когда вывезут мусор",
             "дом твой сгорит, жди", "спасибо за ремонт", "козлы, дорогу почините", "нет воды третий день"] * 3
    reasons = ["threat", None, "threat", None, "insult", None, "threat", None, "insult", None] * 3
    examples = [train_abuse.Example(t, r) for t, r in zip(texts, reasons, strict=True)]
    model = abuse.AbuseModel(train_abuse.fit(examples))
    rows = [learned.features(t) for t in texts]
    vec = DictVectorizer(sort=True)
    x_all = vec.fit_transform([dict.fromkeys(r, 1.0) for r in rows])
    keep = np.flatnonzero(np.asarray((x_all > 0).sum(axis=0)).ravel() >= screening_train.MIN_DF)
    x = TfidfTransformer(sublinear_tf=True, smooth_idf=True, norm="l2").fit_transform(x_all[:, keep])
    y = np.array([r is not None for r in reasons])
    sk = LogisticRegression(C=train_abuse.C, class_weight="balanced", max_iter=5000, solver="liblinear",
                            random_state=train_abuse.SEED).fit(x, y)
    expected = sk.predict_proba(x)[:, 1]
    got = [model.verdict(t).probability for t in texts]
    assert np.allclose(got, expected, atol=1e-3)
    assert {model.verdict(t).reason for t, r in zip(texts, reasons, strict=True) if r == "threat"} == {"threat"}


def test_training_refuses_the_sealed_corpus(tmp_path: Path) -> None:
    sealed = tmp_path / corpora.SEALED / "messages.jsonl"
    sealed.parent.mkdir()
    sealed.write_text(json.dumps({"text": "x", "no_answer": False}) + "\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="запечатан"):
        train_abuse.load(sealed)


def test_the_shipped_model_is_from_the_development_corpora() -> None:
    data = json.loads((Path(abuse.__file__).parent / "data" / abuse.FILE).read_text(encoding="utf-8"))
    assert data["meta"]["corpora"] == [corpora.shown(p) for p in corpora.MESSAGES_FOR_ABUSE]
    assert not any(corpora.SEALED in c for c in data["meta"]["corpora"])
    assert data["threshold"] == train_abuse.THRESHOLD


def test_a_file_of_another_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="not an Otklik"):
        abuse.AbuseModel({"format": "pickle", "version": 1})
