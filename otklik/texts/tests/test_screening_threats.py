"""п. 21 threats by structure (otklik.texts.screening.threats): person, tense, object, owner.

Written to the grammar, not to a corpus: each case varies word order, vocatives, particles or
vocabulary the dictionaries of set phrases never saw.
"""

from __future__ import annotations

import pytest

from otklik.texts.screening import screen
from otklik.texts.screening.threats import threats

# Hand-made hard negatives the learned п. 21 layer (screening/abuse.py) flags: the price of its
# recall on new text (blind3 held out 0.621 → 0.874 at precision 0.915 → 0.894). Strict: a fix shows.
MODEL_ALARM = pytest.mark.xfail(strict=True, reason="ложная тревога обученного слоя п. 21 (abuse.py)")


@pytest.mark.parametrize(
    "text",
    [
        # The author's own act: first-person future harm verb, any word order, vocatives.
        "Я тебе, глава, устрою весёлую жизнь",
        "Вашему начальнику ЖКХ я рёбра пересчитаю",
        "Машину твою, депутат, спалю вместе с гаражом",
        "Сожжём к чертям вашу управу, если свет не дадите",
        "Мы вас, чинуш, скоро всех перевешаем",
        "Ещё раз свет отключите — начальнику сетей лично морду начищу",
        "Если воду не дадут, я вашему водоканалу все окна побью",
        "Мы с мужиками вашего прораба в лесу закопаем, если опять щебень украдёт",
        "Я его, вашего мастера, в следующий раз в канаве закопаю",
        "Вашему депутату мы колёса попротыкаем",
        # Weak verbs (прийти, встретить, отловить) with a sign of violence.
        "Узнаю, где живёт ваш инженер, и приду к нему с битой",
        "Я вас, господа чиновники, по одному отловлю и поговорю по-мужски",
        "Ну что, Михалыч, доигрался? Скоро и к тебе придём, с канистрой",
        # What the addressee will go through; defiance of the lawful way.
        "Вы, товарищ мэр, у меня ещё попляшете",
        "Запомни, депутат Сидоров: ответишь ты за наш мост, и не перед судом",
        "Тебе, Семёнов, я ещё припомню эту свалку, и не на выборах",
        # What may befall an official's house, car, family.
        "Глава, у тебя ведь дача у реки? Сгореть она может за одну ночь",
        "Ваш дом, Николай Петрович, сгорит так же, как сгорел наш клуб",
        "Гараж у главы хороший, кирпичный, но и кирпичное горит, если бензину не пожалеть",
        "Вашу новую машину, глава, очень легко поцарапать, учтите",
        "Ну, Петров, теперь жди: и тебе, и твоей машине достанется",
        # Menaces and knowing an official's ways.
        "Как бы с вашей дачей чего не вышло, Пётр Иванович",
        "Ходи теперь да оглядывайся, начальник",
        "Ты, начальник, бойся теперь вечером из конторы выходить",
        "Передайте Петровой из опеки: пусть бережётся",
        "Глава, спокойно по посёлку ты больше ходить не будешь",
        "Сергей Иванович, у вас же внук в пятый класс ходит? Подумайте, прежде чем школу закрывать",
        "Будешь оглядываться до конца срока",
        # Wishing harm on officials.
        "Таких чиновников расстреливать надо было ещё в 37-м",
    ],
)
def test_threats_by_structure(text: str) -> None:
    assert threats(text), text
    assert screen(text).no_answer_reason == "threat", text


@pytest.mark.parametrize(
    "text",
    [
        # Harm to things, the author's own things, accidents.
        "Сожгите наконец этот сарай, он никому не нужен",
        "Я своего кота утоплю в любви, а вы сделайте дорогу",
        "Сухостой возле ваших домов на Лесной может загореться, уберите",
        "Колесо пробил в яме на вашей дороге, кто возместит?",
        "Дети чуть не утонули в вашем котловане, огородите его!",
        "Пожарные ехали час, дом сгорел полностью. Где пожарная часть?",
        "Вы что, хотите, чтобы у нас дом сгорел?",
        # Visits, meetings and lawful pressure.
        "Приеду к вам в администрацию с документами в понедельник",
        "Встречу вас на сходе в четверг, обсудим дорогу",
        "Придём с плакатами к вашему дому, глава, пусть все видят",
        "Последнее предупреждение: в понедельник подаю в суд",
        "Огребёте по полной, когда проверка приедет",
        "Вы у меня ещё попляшете на публичных слушаниях",
        "Мы вас всех на выборах прокатим",
        "Я вам устрою экскурсию по нашим ямам, приезжайте",
        # Warnings of hazards and pleas.
        "Если с ребёнком что-то случится на этой дороге, вы ответите",
        "Вы дождётесь, что кто-нибудь утонет в этой яме",
        pytest.param("Ваш зам обещал приехать, всякое бывает, но уже месяц ждём", marks=MODEL_ALARM),
        "Было бы жаль, если бы парк закрыли, подумайте",
        pytest.param("Подумайте о наших детях, у вас ведь тоже есть дети", marks=MODEL_ALARM),
        pytest.param("Дочка ваша, говорят, в нашей школе учится, так посмотрите, какая там крыша", marks=MODEL_ALARM),
        "Я видел вашу машину у кафе в рабочее время, это нормально?",
        "Берегите себя и своих близких, на дорогах гололёд",
        "Попомните мои слова: мост рухнет этой весной",
        # Someone else's words, reported.
        "Сосед сказал, что подожжёт мне баню, если я не уберу забор",
        "Соседка говорит: «я твою машину разобью», что делать?",
    ],
)
def test_hard_negatives_are_not_threats(text: str) -> None:
    assert not threats(text), text
    assert screen(text).no_answer_reason != "threat", text


def test_the_object_decides() -> None:
    # The same verb: against a person's property a threat, against rubbish a plan.
    assert threats("Сожгу вашу контору")
    assert not threats("Сожгу мусор сам, раз вы не вывозите")
    # A possessive counts only when it agrees with the thing.
    assert threats("Разобью вашу машину")
    assert not threats("Так и разобью машину на ваших дорогах")


def test_negation_and_person() -> None:
    assert threats("Подожгу вашу контору")
    assert not threats("Не подожгу вашу контору, не бойтесь")
    # Third person: someone else's act, told to the administration.
    assert not threats("Сосед подожжёт вашу контору, он так сказал")


def test_spans_point_at_the_threat() -> None:
    text = "Глава, дом твой спалю"
    spans = threats(text)
    assert [text[s.start : s.end] for s in spans] == ["спалю"]


@pytest.mark.parametrize(
    "text",
    [
        "Сосед орёт на всю улицу: всех убью!",
        "Дед говорит: сожгу вашу контору, если свет не дадут",
        pytest.param("Сосед подожжёт вашу контору, он так сказал", marks=MODEL_ALARM),
    ],
)
def test_reported_threats_are_someone_elses(text: str) -> None:
    assert not threats(text), text
    assert screen(text).no_answer_reason != "threat", text


def test_vigilance_told_to_the_addressee() -> None:
    assert threats("Ты, глава, по ночам теперь не спи, прислушивайся")
    assert not threats("Не бойтесь, приходите на приём в четверг")


def test_harm_befalling_the_thing_of_the_sentence_before() -> None:
    # blind7, after its measurement: the house named in one sentence burns in the next, which has
    # no subject of its own.
    assert screen("дом твой, Лобанов, на Нагорной все знают. Гореть будет красиво").no_answer_reason == "threat"
    assert screen("Ваш дом на Нагорной затопило. Сгорит ли проводка, если дадут свет?").no_answer is False


def test_not_living_is_the_idiom_only_in_the_infinitive() -> None:
    # blind9, after its measurement: «не живём» is where the author does not live
    assert screen("Тебе, глава, не жить.").no_answer_reason == "threat"
    assert screen("Регоператор прислал вам счёт за вывоз мусора с дачи, где мы не живём зимой. "
                  "Пересчитаете?").no_answer is False


# After blind10: an explosion needs an official's property or nothing after it («взорвём
# танцпол» is a party); harm words in a contest — elections, sport — are figures of speech.
@pytest.mark.parametrize(("text", "threat"), [
    ("На дне молодёжи взорвём танцпол! Ждём всех в ДК в субботу", False),
    ("Порву всех на районном турнире по армрестлингу, когда запись?", False),
    ("Закопаем вас на выборах, Кравец, вот увидите", False),
    ("Взорву!", True),
    ("Взорвём вашу контору к чертям", True),
    ("Я тебя взорву", True),
    ("Закопаем вас, вот увидите", True),
    ("Порву тебя как тузик грелку", True),
    ("Ты до выборов не доживёшь", True),  # «до выборов» is a time, not the contest
    # death foretold to «тот, кто …», «ты», «вы»; not a complaint about a grandmother
    ("Кто подписал снос моего сарая, тот до весны не доживёт. Это обещание", True),
    ("Бабушка не доживёт до ремонта этой дороги", False),
])
def test_after_blind10_explosions_and_contests(text: str, threat: bool) -> None:
    from otklik.texts.screening import screen

    assert (screen(text).no_answer_reason == "threat") is threat, text
