"""greeting: the author is greeted at the start, by name when it is known."""

import pytest

from otklik.texts.answers import Finding, check_answer


def greeting(answer: str, author: str | None = None, informal: bool = False) -> list[Finding]:
    return [f for f in check_answer(answer, author=author, informal=informal)
            if f.code == "greeting"]


@pytest.mark.parametrize("answer", [
    "Здравствуйте! Фонарь заменим завтра.",
    "Добрый день! Фонарь заменим завтра.",
    "Доброе утро! Фонарь заменим завтра.",
    "Добрый вечер. Фонарь заменим завтра.",
    "Уважаемый житель! Фонарь заменим завтра.",
    "Приветствуем вас! Фонарь заменим завтра.",
    "Доброго времени суток! Фонарь заменим завтра.",
])
def test_natural_greetings_accepted(answer: str) -> None:
    assert greeting(answer) == []


@pytest.mark.parametrize("answer", [
    "Иван, здравствуйте! Фонарь заменим завтра.",
    "Здравствуйте, Иван! Фонарь заменим завтра.",
    "Уважаемый Иван Петрович! Фонарь заменим завтра.",
    "Иван Петрович, добрый день! Фонарь заменим завтра.",
])
def test_greeting_with_name(answer: str) -> None:
    assert greeting(answer, author="Иван Петрович Сидоров") == []


def test_missing_greeting_is_error_with_name_in_suggestion() -> None:
    answer = "Фонарь заменим завтра."
    [f] = greeting(answer, author="Анна Петрова")
    assert f.severity == "error"
    assert (f.start, f.end) == (0, len("Фонарь"))
    assert f.suggestion == "Здравствуйте, Анна! Фонарь"
    fixed = answer[:f.start] + f.suggestion + answer[f.end:]
    assert greeting(fixed, author="Анна Петрова") == []


def test_missing_greeting_without_author() -> None:
    [f] = greeting("Фонарь заменим завтра.")
    assert f.severity == "error"
    assert f.suggestion == "Здравствуйте! Фонарь"


def test_greeting_must_open_the_answer() -> None:
    [f] = greeting("Фонарь на Красной улице заменим завтра вечером. Здравствуйте.")
    assert f.severity == "error"
    assert "в начале" in f.message


def test_name_not_used_is_warning() -> None:
    answer = "Добрый день! Фонарь заменим завтра."
    [f] = greeting(answer, author="Мария Иванова")
    assert f.severity == "warning"
    assert answer[f.start:f.end] == "Добрый день"
    assert f.suggestion == "Добрый день, Мария"


def test_name_in_other_form_counts() -> None:
    assert greeting("Здравствуйте! Марии отвечаем: фонарь заменим.", author="Мария") == []


def test_nickname_author_gives_no_name_warning() -> None:
    assert greeting("Здравствуйте! Фонарь заменим завтра.", author="anna_k88") == []
    assert greeting("Здравствуйте! Фонарь заменим завтра.", author="ТСЖ Рассвет") == []


def test_privet_is_familiar_warning() -> None:
    answer = "Привет! Фонарь заменим завтра."
    [f] = greeting(answer)
    assert f.severity == "warning"
    assert answer[f.start:f.end] == "Привет"
    assert f.suggestion == "Здравствуйте"
    assert greeting(answer, informal=True) == []


def test_misspelt_greeting_is_still_a_greeting() -> None:
    assert greeting("Здраствуйте! Фонарь заменим завтра.") == []


def test_greeting_after_first_sentence_is_too_late() -> None:
    [f] = greeting("Фонарь починили вчера. Здравствуйте.")
    assert f.severity == "error"
    assert greeting("Анна Петровна! Здравствуйте. Фонарь починили вчера.") == []
