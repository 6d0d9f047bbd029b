"""evidence: reported work without attachments asks for a photo."""

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
