"""п. 21 insults: an evaluative word counts only where it is aimed at the addressee or an
official (otklik.texts.screening.insults)."""

from __future__ import annotations

import pytest

from otklik.texts.screening import screen


@pytest.mark.parametrize(
    "text",
    [
        # Predicative: «X — insult», «X у нас insult», with X the addressee or an official.
        "Глава наш — тряпка и пустозвон",
        "Депутаты у нас сплошь хапуги и лгуны",
        "Начальник ЖКХ — самодур и хам, людей не слушает",
        "Ваш специалист по опеке — настоящая мегера",
        "Мэр у нас подкаблучник, за него жена решает",
        "Мэр — врун и подхалим",
        "Работают у вас одни бездельники",
        "Вы там совсем дегенераты?",
        "Вы бездари и лентяи, а не администрация",
        # Vocative: the insult standing on its own, shouted at the reader.
        "Бездельники! Третий месяц фонарь не горит",
        "Прихлебатели, только и умеете, что отчёты писать",
        "Эй, лентяи, когда снег уберёте?",
        "Чинуши бестолковые, читать научитесь",
        "Эй, вы, дармоеды из сельсовета, когда дорогу сделаете?",
        "Ну и бестолочи же вы, прости господи",
        # Disguised and spaced-out letters.
        "т у п ы е   б а р ы г и из администрации",
        "П0ДЛ3ЦЫ вы все",
        # «Какой X придумал …» asks after whoever decided.
        "Какой дегенерат придумал ставить тут знак?",
    ],
)
def test_aimed_insults(text: str) -> None:
    assert screen(text).no_answer_reason == "insult", text


@pytest.mark.parametrize(
    "text",
    [
        # Someone indefinite or a third person, not the administration.
        "Какой-то придурок поставил машину поперёк проезда",
        "Соседи — алкаши, шумят каждую ночь, вызовите участкового",
        "Подрядчик — жулик, асфальт положил на снег, проверьте",
        "Какой дурак придумал ставить лыжню через площадку? Не про вас, про тех, кто катается",
        # The author's side.
        "Мы не дураки, всё видим",
        "Я не идиот, понимаю, что денег нет, но дорогу надо делать",
        "Вы нас за дураков держите?",
        "Нам свет отключили, сидим как дураки в темноте",
        # Things, situations, animals, scammers.
        "Идиотская ситуация: подать можно здесь, а забрать только в городе",
        "Тупые вопросы задают в анкете",
        "Ну и клоунада с этим ремонтом",
        "Свиньи соседские опять подрыли наш забор, в администрации сказали «не наше дело»",
        "Свиньи у нас в хлеву мёрзнут, а газа нет",
        "Паразиты на яблонях в сквере, листья скрученные. Обработают деревья или так оставите?",
        "Жулики звонят от имени администрации, предупредите людей",
        "Клоуны на Масленицу в ДК приедут?",
        "Лицемерие чистой воды — объявить год благоустройства и не покосить ни одной улицы",
    ],
)
def test_insult_words_not_aimed(text: str) -> None:
    assert screen(text).no_answer_reason != "insult", text


def test_someone_indefinite_even_beside_the_administration() -> None:
    text = "Какой-то придурок поставил машину у вашей администрации поперёк проезда"
    assert screen(text).no_answer_reason != "insult"


@pytest.mark.parametrize(("text", "insult"), [
    ("бараны, кто планирует ремонт теплотрассы в ноябре?", True),  # an address opening a question
    ("Козлы, чьи они? Бродят по улице третий день", False),  # the animals talked about
    ("Козлы, кто их хозяин? Бродят по улице", False),
])
def test_an_animal_word_opening_a_question(text: str, insult: bool) -> None:
    assert (screen(text).no_answer_reason == "insult") is insult


# After blind9: a hyphenated compound insults by any of its parts; «глупый» said of the
# administration is name-calling, of a thing it is not.
@pytest.mark.parametrize(("text", "insult"), [
    ("Алло, бюрократы-тунеядцы, проснитесь!", True),
    ("Эй, чиновники-бездельники, когда дорогу сделаете?", True),
    ("Подрядчик-жулик снова сорвал сроки", False),  # a third party, not the addressee
    ("Красно-белый шлагбаум на въезде сломан", False),
    ("Такая беспомощная, глупая администрация — это надо уметь", True),
    ("Глупая ситуация с этим счётом, объясните, пожалуйста", False),
])
def test_after_blind9_compounds_and_foolish(text: str, insult: bool) -> None:
    assert (screen(text).no_answer_reason == "insult") is insult, text


# After blind10: a starred letter hides an insult as it hides a rude word; a person named, a
# dash for «is» and an animal word is name-calling; the scornful diminutive «дурачок».
@pytest.mark.parametrize(("text", "insult"), [
    ("Уважаемые д*билы из администрации, спасибо за отписку", True),
    ("Вы там все ид*оты?", True),
    ("**Важно**: приём переносится на среду", False),  # stars for formatting, no word
    ("Ершов — шакал, продал район лесовозам", True),
    ("Иванова — настоящая крыса", True),
    ("Шакал — хищник, Ершов сказал", False),  # the animal is the subject, nobody is called it
    ("У Ершова шакал во дворе живёт", False),
    ("Ершов, шакал вышел к дороге", False),  # a comma, not a dash: two things said
    ("директор ДК — старая курица, ничего не знает", True),
    ("Курицы у соседей опять на дороге", False),
    ("Глава наш — дурачок ряженый", True),
    ("Деду подарили игрушку", False),
    # after blind11: an address to whoever decided
    ("бараны, кто придумал сносить остановку в самую жару", True),
    ("Бараны, кто-нибудь видел, чьи они? Пасутся у моста", False),
])
def test_after_blind10_masks_names_and_diminutives(text: str, insult: bool) -> None:
    assert (screen(text).no_answer_reason == "insult") is insult, text
