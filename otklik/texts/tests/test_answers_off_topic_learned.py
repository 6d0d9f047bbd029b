"""off_topic: the learned weighing of the signals (``off_topic_model``, ``data/off_topic_model.json``)."""

import json
from pathlib import Path

import pytest

from otklik.texts import corpora
from otklik.texts.answers import Finding, check_answer, off_topic, off_topic_model
from otklik.texts.answers._doc import Doc


def off(answer: str, question: str) -> list[Finding]:
    return [f for f in check_answer(answer, question=question) if f.code == "off_topic"]


def test_the_checked_in_model_matches_the_signals() -> None:
    model = off_topic_model.load()
    assert model is not None
    assert 0.0 < model.threshold < 1.0
    q = off_topic._question("Когда починят фонарь на Красной, 15? Темно вечером")
    signals = off_topic.signals(Doc("Здравствуйте! Фонарь заменим в пятницу."), q)
    assert set(model.weights) == set(signals)  # retrain after changing the signals
    assert all(0.0 <= v <= 1.0 for v in signals.values())


def test_a_wrong_file_is_refused() -> None:
    with pytest.raises(ValueError, match="not an off-topic model"):
        off_topic_model.OffTopicModel.from_dict({"format": "something else"})


@pytest.mark.parametrize(("question", "answer"), [
    # other streets listed, not the one asked about
    ("Когда заасфальтируют Пугачёва? Яма на яме, машину жалко",
     "Здравствуйте, Константин! В этом году по программе «Дорожная деятельность» в поселении "
     "отремонтируют 4 км дорог. Ремонт пройдёт на улицах Чапаева, Комсомольской и Степной."),
    # thanks and a pointer to the news for «когда»
    ("Когда откроют ФАП в хуторе Нагорном после ремонта?",
     "Здравствуйте! Мы благодарим жителей за неравнодушие и всегда отвечаем на обращения. "
     "Следите за новостями."),
])
def test_other_matters_are_errors(question: str, answer: str) -> None:
    [f] = off(answer, question)
    assert f.severity == "error"
    assert (f.start, f.end) == (0, len(answer))


@pytest.mark.parametrize(("question", "answer"), [
    ("Спасибо трактористу, который расчистил дорогу в хутор для скорой!",
     "Спасибо за добрые слова, передадим Сергею Ивановичу. Такие люди держат наши хутора."),
    ("Когда дадут горячую воду в микрорайоне Южном?",
     "Здравствуйте, Елизавета! Горячую воду дадут в субботу, когда закончат опрессовку труб."),
    ("Бабушке 80 лет, живёт одна, не топит, экономит на газе. Кто-то поможет?",
     "Здравствуйте! Соцработник придёт к ней за два дня, поможем с компенсацией за газ."),
])
def test_short_answers_on_the_matter_pass(question: str, answer: str) -> None:
    assert off(answer, question) == []


# Known limits, measured: recall on the blind corpora is about one half. Another object of the
# same topic (a fare for a timetable complaint, benches for a pile of branches) or a kind word
# for a question is missed; «Глава принимает по понедельникам» to «когда приём у главы?» is a false
# alarm (the cognate «приём» / «принимает» is not matched). Strict: a fix must flip these.
@pytest.mark.xfail(strict=True, reason="another object on the same topic is not recognised yet")
@pytest.mark.parametrize(("question", "answer"), [
    ("Автобус № 3 по Красной ходит раз в час, а в расписании — каждые 30 минут",
     "Здравствуйте, Тимур! С 1 марта проезд в автобусах будет стоить 35 рублей, по карте — 32 "
     "рубля. Льготы для пенсионеров сохраняются."),
    ("Почему котельная в хуторе Нагорном остановилась ночью?",
     "Здравствуйте, Игнат! Поздравляем с Днём энергетика работников котельной и благодарим их за "
     "нелёгкий труд в сильные морозы."),
])
def test_known_misses(question: str, answer: str) -> None:
    assert off(answer, question)


@pytest.mark.xfail(strict=True, reason="the cognate «приём» / «принимает» is not matched yet")
def test_known_false_alarm() -> None:
    assert off("Здравствуйте, Алла! Глава принимает по понедельникам с 14:00 до 17:00 по "
               "предварительной записи.", "Когда будет приём у главы поселения?") == []


def test_a_question_back_and_the_documents_listed_are_answers() -> None:
    assert off("Здравствуйте! Уточните, пожалуйста, номер дома, где не горит фонарь?",
               "Третий день не горит фонарь на нашей улице, темно") == []
    assert off("Здравствуйте! Понадобятся паспорт, свидетельство о рождении и справка о доходах.",
               "Какие документы нужны, чтобы оформить пособие на ребёнка?") == []


def test_without_the_model_the_rules_decide(monkeypatch: pytest.MonkeyPatch) -> None:
    question = "Когда починят фонарь на Красной, 15? Темно вечером"
    answer = "Здравствуйте! Фонарь заменим до пятницы."
    assert off(answer, question) == []
    monkeypatch.setattr(off_topic_model, "load", lambda: None)
    [f] = off(answer, question)
    assert f.severity == "warning" and "место" in f.message


def test_training_refuses_the_sealed_and_the_self_written_files(tmp_path: Path) -> None:
    from otklik.texts.answers import train_off_topic

    for name in (corpora.SEALED, "answers_fresh"):
        path = tmp_path / name / "answers.jsonl"
        path.parent.mkdir()
        path.write_text(json.dumps({"question": "q", "answer": "a", "expected": {}}) + "\n")
        with pytest.raises(SystemExit):
            train_off_topic.load(path)
