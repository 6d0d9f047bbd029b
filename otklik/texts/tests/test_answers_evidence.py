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


# ---------------------------------------------------------------- by word formation and grammar

@pytest.mark.parametrize("claim", [
    "Траншею у дома 33 досыпали щебнем и укатали катком.",  # prefix + «сыпать», «катать»
    "Лёд на ступеньках скололи, ступени посыпали песком.",
    "Стену клуба закрасили в субботу.",
    "Лавочки вымыли, верхушки тополей обрезали.",  # «обрезали» parses as imperfective
    "В садике заменяли батареи в группе.",  # imperfective plural: work that was going on
    "Дворы продезинфицировали.",
    "Течь закрыли плёнкой до ремонта крыши.",  # «закрыть» with the material
])
def test_work_by_prefix_and_aspect(claim: str) -> None:
    assert ev(f"Здравствуйте, Анна! {claim}"), claim


@pytest.mark.parametrize("answer", [
    # a rule «установлен законом», «закреплено в законе» is no work on the ground
    "Здравствуйте! Порядок аренды установлен статьями 39.6 и 39.18 Земельного кодекса РФ.",
    "Здравствуйте! Это право закреплено в Федеральном законе № 159-ФЗ.",
    "Здравствуйте! Перечень документов установлен указанными актами.",
    # opening hours, a limit, an institution closed: no physical work
    "Здравствуйте! По субботам библиотека открыта с 10:00 до 15:00.",
    "Здравствуйте! Места ограничены, запись у библиотекаря.",
    "Здравствуйте! Две группы закрыли на карантин до 21 февраля.",
    # a person standing in for another
    "Здравствуйте! Главу в этот день заменял заместитель.",
])
def test_legal_and_institutional_facts_are_no_claim(answer: str) -> None:
    assert ev(answer) == [], answer


def test_demolition_on_a_legal_basis_is_still_work() -> None:
    assert ev("Здравствуйте! Гаражи снесли на основании статьи 222 Гражданского кодекса РФ.")


def test_a_photo_promised_but_not_attached_is_named() -> None:
    [f] = ev("Здравствуйте, Анна! Яму засыпали щебнем, фото прикладываем.")
    assert "вложений нет" in f.message
    [f] = ev("Здравствуйте, Анна! Яму засыпали щебнем. Приложите, пожалуйста, фото ямы.")
    assert "вложений нет" not in f.message  # an imperative asks the author for a photo
    assert ev("Здравствуйте, Анна! Яму засыпали щебнем, фото прикладываем.", attachments=1) == []


@pytest.mark.parametrize("answer", [
    "Здравствуйте! По результатам проверки установлено, что вид использования участка определён неверно.",
    "Здравствуйте! В ходе проверки установлен факт технической ошибки, перерасчёт сделают в декабре.",
    "Здравствуйте! Фонари выключает таймер, который настроили на 23:00 ещё летом.",
])
def test_found_out_or_described_is_no_work_reported(answer: str) -> None:
    """blind6, after its measurement: «установлено, что» is found out, not built; a relative clause
    describes the thing, it does not report work."""
    assert [f for f in check_answer(answer, attachments=0) if f.code == "evidence"] == []


def test_work_reported_beside_them_still_needs_evidence() -> None:
    answer = "Здравствуйте! Установлено, что опора сгнила. Опору заменили в среду."
    assert [f.code for f in check_answer(answer, attachments=0) if f.code == "evidence"] == ["evidence"]


@pytest.mark.parametrize("answer", [
    "Здравствуйте, Галина! Тариф с 1 ноября установил краевой комитет по тарифам.",
    "Здравствуйте, Геннадий! Фонари будут гореть с 18:00 до 6:00, график поменяли с 1 ноября.",
    "Здравствуйте, Анна! Плату за вывоз мусора пересчитали с 1 марта.",
])
def test_an_arrangement_set_on_paper_needs_no_photo(answer: str) -> None:
    assert [f for f in check_answer(answer, attachments=0) if f.code == "evidence"] == []


def test_a_thing_changed_beside_an_arrangement_still_needs_one() -> None:
    answer = "Здравствуйте, Геннадий! Фонари на Шевченко заменили, а график поменяли с 1 ноября."
    assert [f for f in check_answer(answer, attachments=0) if f.code == "evidence"]


# After blind7's measurement: what is found out is no work; a generic verb reports work only when
# its own noun is one («произведены работы», «демонтаж осуществлён», not «осуществлена закупка»).
@pytest.mark.parametrize("answer", [
    "Здравствуйте, Максим! Мы выехали к оврагу: номер машины установлен, на владельца составлен протокол.",
    "Здравствуйте, Тимур! Осуществлена закупка нового павильона, монтаж которого будет в сентябре.",
])
def test_round6_no_work_reported(answer: str) -> None:
    assert [f for f in check_answer(answer, attachments=0) if f.code == "evidence"] == []


@pytest.mark.parametrize("answer", [
    "Здравствуйте! Подрядной организацией произведены работы по устранению ям на ул. Комсомольской.",
    "Здравствуйте! Демонтаж гаражей осуществлён на основании статьи 222 Гражданского кодекса.",
])
def test_round6_generic_verbs_with_work(answer: str) -> None:
    assert [f for f in check_answer(answer, attachments=0) if f.code == "evidence"]


# After blind8's measurement: a fire put out and a dog caught are work done; a diploma brought
# home is none.
@pytest.mark.parametrize("answer", [
    "Здравствуйте, Николай! Пожар на ул. Атаманской потушили в 17:40, дом отстояли.",
    "Здравствуйте, Ольга! Собаку в тот же вечер поймала служба отлова.",
    "Здравствуйте, Ольга! Собак у остановки отловили 3 июля.",
])
def test_after_blind8_work_done(answer: str) -> None:
    assert [f for f in check_answer(answer, attachments=0) if f.code == "evidence"]
    assert [f for f in check_answer(answer, attachments=1) if f.code == "evidence"] == []


def test_after_blind8_a_diploma_brought_is_no_work() -> None:
    answer = "Здравствуйте, Вера! «Ковылинка» выступала на фестивале в Оренбурге и привезла диплом."
    assert [f for f in check_answer(answer, attachments=0) if f.code == "evidence"] == []


# After blind9's measurement: icicles knocked down and a riser set right are work done; an
# account put right, a tariff set by law and the author's own house are not.
@pytest.mark.parametrize("answer", [
    "Здравствуйте, Юлия! В тот же день рабочие с автовышки сбили сосульки над подъездом.",
    "Здравствуйте, Сергей! Специалисты спустили воздух из стояка и отрегулировали узел.",
])
def test_after_blind9_work_done(answer: str) -> None:
    assert [f for f in check_answer(answer, attachments=0) if f.code == "evidence"]


@pytest.mark.parametrize("answer", [
    "Здравствуйте, Андрей! Ошибку в начислениях исправили 3 февраля, пересчёт будет в квитанции.",
    "Здравствуйте! Тарифы утверждены комиссией, установлены по Федеральному закону № 416-ФЗ.",
    "Здравствуйте, Сергей! Раз дом на участке построен и зарегистрирован, землю можно выкупить.",
])
def test_after_blind9_no_work_reported(answer: str) -> None:
    assert [f for f in check_answer(answer, attachments=0) if f.code == "evidence"] == []


# After blind10: a photo said to be attached when nothing is, whatever the deed; papers gathered
# or sent («собрала жалобы», any reading of the noun) are no work a photo shows.
def test_after_blind10_photo_promised_but_missing() -> None:
    from otklik.texts.answers import check_answer

    answer = ("Здравствуйте, Ольга! 9 октября вам привезли 10 кубометров дров, волонтёры сложили их в "
              "дровяник. Фото прикладываем.")
    found = [f for f in check_answer(answer, attachments=0) if f.code == "evidence"]
    assert found and "фото приложено" in found[0].message
    assert [f for f in check_answer(answer, attachments=1) if f.code == "evidence"] == []


def test_after_blind10_papers_are_no_work() -> None:
    from otklik.texts.answers import check_answer

    answer = ("Здравствуйте! Администрация уже собрала жалобы жителей на 37 участков и отправила их "
              "на пересмотр.")
    assert [f for f in check_answer(answer, attachments=0) if f.code == "evidence"] == []


# After blind11: last year's season told as the reason, the police identifying people, a fine
# issued — no work a photo would show.
@pytest.mark.parametrize("answer", [
    "Здравствуйте, Тимур! В прошлом году каток залили поздно, потому что в декабре были оттепели.",
    "Здравствуйте! На записи видно двоих молодых людей, полиция их уже установила.",
    "Здравствуйте! Мы проверили путевые листы и выставили перевозчику штраф по контракту.",
])
def test_after_blind11_no_work_reported(answer: str) -> None:
    from otklik.texts.answers import check_answer

    assert [f for f in check_answer(answer, attachments=0) if f.code == "evidence"] == [], answer


def test_after_blind11_this_years_work_still_counts() -> None:
    from otklik.texts.answers import check_answer

    answer = "Здравствуйте! В этом году на стадионе уже поставили новые борта и залили каток."
    assert [f for f in check_answer(answer, attachments=0) if f.code == "evidence"]
