"""legal_refs: three or more distinct citations make one error that names them all."""

import pytest

from otklik.texts.answers import Finding, check_answer


def refs(answer: str) -> list[Finding]:
    return [f for f in check_answer(answer) if f.code == "legal_refs"]


def test_three_citations_one_finding_naming_three() -> None:
    answer = (
        "Здравствуйте! Согласно ст. 16 Федерального закона от 06.10.2003 № 131-ФЗ, "
        "ч. 2 ст. 5 ЖК РФ и закону Краснодарского края № 2-КЗ вопрос решается управляющей "
        "компанией."
    )
    [f] = refs(answer)
    # One problem, one finding: it marks the first citation (an editor that underlines spans
    # would hide every other finding inside a span running to the last one) and names them all.
    assert answer[f.start:f.end] == "ст. 16 Федерального закона от 06.10.2003 № 131-ФЗ"
    assert f.severity == "error"
    assert f.suggestion is None
    assert f.message == (
        "Ссылок на нормативные акты — 3: ст. 16 Федерального закона от 06.10.2003 № 131-ФЗ, "
        "ч. 2 ст. 5 ЖК РФ, закон Краснодарского края № 2-КЗ. Оставьте одну-две самые нужные и "
        "объясните суть простыми словами."
    )


def test_citations_named_in_the_nominative_once_each() -> None:
    answer = (
        "Здравствуйте! Так требуют Федеральный закон № 131-ФЗ, Закон Краснодарского края "
        "№ 2000-КЗ и Федеральный закон № 59-ФЗ, а также Федеральный закон № 131-ФЗ ещё раз."
    )
    [f] = refs(answer)
    assert f.message.startswith(
        "Ссылок на нормативные акты — 3: Федеральный закон № 131-ФЗ, Закон Краснодарского края "
        "№ 2000-КЗ, Федеральный закон № 59-ФЗ. Оставьте одну-две самые нужные")
    answer = ("Здравствуйте! По постановлению администрации от 12.03.2024 № 345, Правилам "
              "благоустройства поселения и статье 8.28 КоАП РФ штраф выписывает полиция.")
    [f] = refs(answer)
    assert "постановление администрации от 12.03.2024 № 345, Правила благоустройства, "\
           "статья 8.28 КоАП РФ." in f.message


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
    [f] = refs(answer)
    assert "Ссылок на нормативные акты — " in f.message


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
    [f] = refs(answer)
    count = int(f.message.split("—")[1].split(":")[0])
    assert count >= 3


@pytest.mark.parametrize("answer", [
    "Здравствуйте! По закону вы правы: правила пользования площадкой висят у входа, "
    "регламент работы МФЦ — на сайте.",
    "Здравствуйте! Положение дел с дорогой знаем, закон о тишине действует до 23:00.",
])
def test_act_words_without_number_are_not_citations(answer: str) -> None:
    assert refs(answer) == []


def test_many_citations_named_up_to_ten() -> None:
    answer = "Здравствуйте! Так требуют " + ", ".join(
        f"Федеральный закон № {n}-ФЗ" for n in range(100, 114)) + "."
    [f] = refs(answer)
    assert f.message.startswith("Ссылок на нормативные акты — 14: Федеральный закон № 100-ФЗ, ")
    assert "Федеральный закон № 109-ФЗ и ещё 4. Оставьте" in f.message


def test_each_article_of_a_list_is_a_citation() -> None:
    three = "Здравствуйте! Налог установлен статьями 388, 389 и 390 Налогового кодекса РФ."
    assert [f.code for f in check_answer(three) if f.code == "legal_refs"] == ["legal_refs"]
    two = "Здравствуйте! Налог установлен статьями 388 и 389 Налогового кодекса РФ."
    assert [f for f in check_answer(two) if f.code == "legal_refs"] == []


def test_a_government_resolution_counts_without_its_number() -> None:
    text = ("Здравствуйте! Так требуют статья 30 Федерального закона № 69-ФЗ, Правила № 1479 и "
            "постановление Правительства области о пожароопасном сезоне.")
    [f] = [f for f in check_answer(text) if f.code == "legal_refs"]
    assert "3" in f.message
