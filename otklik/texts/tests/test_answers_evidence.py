"""evidence: reported work without attachments asks for a photo."""

from datetime import UTC, datetime

import pytest

from otklik.texts.answers import Finding, check_answer


def ev(answer: str, attachments: int = 0) -> list[Finding]:
    return [f for f in check_answer(answer, attachments=attachments) if f.code == "evidence"]


@pytest.mark.parametrize("claim", [
    "Дорога отремонтирована.", "Работы выполнены.", "Фонарь заменён.", "Мусор вывезен.",
    "Яма засыпана.", "Ямочный ремонт проведён.", "Мусор вывезли.", "Фонарь заменили.",
    "Подрядчик покрасил забор.", "Скамейки установлены.",
])
def test_claims_without_attachment(claim: str) -> None:
    answer = f"Здравствуйте, Анна! {claim} Спасибо, что написали."
    [f] = ev(answer)
    assert f.severity == "warning"
    assert answer[f.start:f.end] == claim
    assert "фото" in f.message
    assert ev(answer, attachments=1) == []


@pytest.mark.parametrize("answer", [
    "Здравствуйте! Дорогу отремонтируют в мае.",
    "Здравствуйте! Фонарь будет заменён в пятницу.",
    "Здравствуйте! Фонарь не заменён: нет ламп, ждём поставку.",
    "Здравствуйте! Ваше обращение рассмотрено.",
    "Здравствуйте! Если мусор не вывезли, напишите нам.",
    "Здравствуйте! Мы планируем заменить фонарь.",
])
def test_no_claim(answer: str) -> None:
    assert ev(answer) == []


def _ev(answer: str) -> list[Finding]:
    return [f for f in check_answer(answer) if f.code == "evidence"]


@pytest.mark.parametrize("answer", [
    "Здравствуйте! Люк на Садовой заминили вчера.",
    "Здравствуйте! Скамейки в парке пакрасили в среду.",
    f"Здравствуйте! Яму у школы засыпали щебнем в {datetime.now(UTC).year} году.",
])
def test_work_reported_even_misspelt(answer: str) -> None:
    assert _ev(answer), answer


@pytest.mark.parametrize("answer", [
    "Здравствуйте! Нужна выписка, что сарай построен до 1995 года.",
    "Здравствуйте! Клуб построили в 1972 году, сейчас готовим проект ремонта.",
    "Здравствуйте! Забор на меже установили сами соседи, спор решает суд.",
])
def test_past_facts_and_others_work_are_no_claim(answer: str) -> None:
    assert _ev(answer) == []
