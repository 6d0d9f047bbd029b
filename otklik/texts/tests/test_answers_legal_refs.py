"""legal_refs: three or more distinct citations mark every citation as an error."""

import pytest

from otklik.texts.answers import Finding, check_answer


def refs(answer: str) -> list[Finding]:
    return [f for f in check_answer(answer) if f.code == "legal_refs"]


def test_three_citations_each_marked() -> None:
    answer = (
        "Здравствуйте! Согласно ст. 16 Федерального закона от 06.10.2003 № 131-ФЗ, "
        "ч. 2 ст. 5 ЖК РФ и закону Краснодарского края № 2-КЗ вопрос решается управляющей "
        "компанией."
    )
    found = refs(answer)
    assert [answer[f.start:f.end] for f in found] == [
        "ст. 16 Федерального закона от 06.10.2003 № 131-ФЗ",
        "ч. 2 ст. 5 ЖК РФ",
        "закону Краснодарского края № 2-КЗ",
    ]
    assert {f.severity for f in found} == {"error"}


def test_two_citations_are_fine() -> None:
    answer = "Здравствуйте! По Федеральному закону № 59-ФЗ и статье 16 закона № 131-ФЗ ответим."
    assert refs(answer) == []


@pytest.mark.parametrize("answer", [
    "Здравствуйте! По 59-ФЗ, ФЗ-131 и КоАП РФ штраф выпишет полиция.",
    "Здравствуйте! Постановлением администрации от 12.03.2024 № 345, распоряжением № 12-р и "
    "решением Совета № 7 утверждён план.",
    "Здравствуйте! Смотрите Жилищный кодекс РФ, ГК РФ и ст. 7.22 КоАП.",
    "Здравствуйте! Так записано в Правилах благоустройства поселения, в Законе Краснодарского "
    "края № 2695-КЗ и в статье 8.28 КоАП РФ.",
    "Здравствуйте! По приказу Росреестра от 04.08.2021 № П/0336, 237-ФЗ и ЗК РФ.",
])
def test_act_kinds(answer: str) -> None:
    assert len(refs(answer)) >= 3


def test_same_act_twice_counts_once() -> None:
    answer = "Здравствуйте! По 131-ФЗ мы отвечаем за дороги; 131-ФЗ также говорит о ЖК РФ."
    assert refs(answer) == []


def test_not_citations() -> None:
    answer = (
        "Здравствуйте! Ваша УК и ЖК «Солнечный» приняли решение о ремонте, закон о тишине "
        "соблюдается, дом 16, подъезд 3, пункт выдачи на ул. Ленина."
    )
    assert refs(answer) == []


@pytest.mark.parametrize("answer", [
    # a regional law of any region, in any case, with its own number suffix
    "Здравствуйте! Компенсацию платят по Закону Воронежской области от 14.03.2019 № 21-ОЗ, "
    "статье 160 ЖК РФ и постановлению главы поселения от 02.02.2023 № 8.",
    # rules and regulations cited by number, an article of a law cited by name
    "Здравствуйте! Так требуют пункт 31 Правил № 491, Регламента № 17 и статья 8 Закона о "
    "защите прав потребителей.",
    # a standard, an order of a ministry and a law with its title in quotes
    "Здравствуйте! Ширину тротуара задаёт СП 42.13330, приказ Минстроя от 13.04.2017 № 711/пр "
    "и закон «О благоустройстве территорий» края.",
])
def test_general_citation_grammar(answer: str) -> None:
    assert len(refs(answer)) >= 3


@pytest.mark.parametrize("answer", [
    "Здравствуйте! По закону вы правы: правила пользования площадкой висят у входа, "
    "регламент работы МФЦ — на сайте.",
    "Здравствуйте! Положение дел с дорогой знаем, закон о тишине действует до 23:00.",
])
def test_act_words_without_number_are_not_citations(answer: str) -> None:
    assert refs(answer) == []
