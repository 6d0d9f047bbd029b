"""A message in Latin letters is screened as the Russian it spells."""

import pytest

from otklik.texts.screening import screen, translit


def test_the_reading() -> None:
    assert translit.to_cyrillic("Ya tvoyu mashinu sozhgu, glava, zhdi gostey noch'yu") == \
        "Я твою машину сожгу, глава, жди гостей ночью"


@pytest.mark.parametrize("text", [
    "Привет, когда будет вода на Лесной?",  # Cyrillic already
    "ok",  # too short to be a sentence
    "Вода на Lesnoy опять ржавая, сделайте что-нибудь",  # mostly Cyrillic
])
def test_other_messages_are_not_read(text: str) -> None:
    assert translit.to_cyrillic(text) is None


def test_a_threat_in_latin_letters_is_a_threat() -> None:
    result = screen("Ya tvoyu mashinu sozhgu, glava, zhdi gostey noch'yu")
    assert result.no_answer_reason == "threat"
    assert result.no_answer_spans[0].start == 0


def test_a_plain_question_in_latin_letters_is_answered() -> None:
    # The learned model, which knows Cyrillic words, used to read «Privet…» as obscenity.
    assert screen("Privet, kogda budet voda na Lesnoy?").no_answer is False
