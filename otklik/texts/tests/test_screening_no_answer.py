"""п. 21 screening: obscenity through disguises, insults aimed at people, threats vs legal steps."""

from __future__ import annotations

import pytest

from otklik.texts.screening import no_answer, screen

# Hand-made hard negatives the learned п. 21 layer (screening/abuse.py) flags: the price of its
# recall on new text (blind3 held out 0.621 → 0.874 at precision 0.915 → 0.894). Strict: a fix shows.
MODEL_ALARM = pytest.mark.xfail(strict=True, reason="ложная тревога обученного слоя п. 21 (abuse.py)")


@pytest.mark.parametrize(
    "text",
    [
        "Когда уже сделаете дорогу, х у й знает",
        "б.л.я, опять яма на Красной",
        "x*й вам, а не дорога",
        "бл@, когда починят",
        "п***ц полный с этой дорогой",
        "да е**ть вас всех",
        "бляяя, опять нет воды",
        "Сука, третий день без света",
        "вам пох*й на людей",
        "xyй вам",  # Latin x and y
        "6ля, сколько можно",
        "пиzдец",
        "ПиЗдЕц ПоЛнЫй",
        "blyat, dorogi net",
        "cyka",
        "охуели совсем",
        "это просто пи3дец",
        "заебали уже",
        "муд-ак",
        "х.у.й",
        "ХУ..ЕВО чистят дороги",  # a doubled separator
    ],
)
def test_obscenity_through_disguises(text: str) -> None:
    result = screen(text)
    assert result.no_answer
    assert result.no_answer_reason == "obscenity"
    assert result.no_answer_spans


@pytest.mark.parametrize(
    "text",
    [
        "Прошу не оскорблять сотрудников",
        "Запрещено употреблять алкоголь на детской площадке",
        "колебля, он всё же подписал",
        "Тариф вырос на 20 рублей, а рубля не добавили",
        "У корабля на памятнике облезла краска",
        "Застрахуйте дом от пожара, советуют в МЧС",
        "Подстрахуй меня завтра на покосе",
        "Хулиганы разбили остановку",
        "Небо затянуто дымом",
        "Хочу потребовать себе перерасчёт",
        "Гребень крыши сорвало ветром",
        "Пахнет скипидаром у гаража",
        "У ипподрома нет освещения",
        "Хлебец в магазине просрочен",
        "Учеба в школе начнётся по расписанию",
        "Сукно на бильярдном столе в ДК порвано",
        "Плохую дорогу так и не сделали, сухую траву не убрали, тихую улицу превратили в трассу",
        "Ирина Олеговна, спасибо за помощь",
        "Сосед психует и штрихует забор",
        "Глеб Сергеевич обещал вебинар",
        "Ансамбль выступит в субботу",
        "Сучок торчит из лавочки",
        "Оскорбляете нас своими отписками!",
        "Hyundai перегородил выезд, eBay тут ни при чём",
    ],
)
def test_innocent_words_are_not_obscene(text: str) -> None:
    assert not screen(text).no_answer, text


@pytest.mark.parametrize(
    "text",
    [
        "Пожалуюсь в прокуратуру, если не отремонтируете дорогу!",
        "Подам в суд на администрацию за бездействие",
        "Буду жаловаться губернатору, сколько можно",
        "Перекроем дорогу в знак протеста, если не сделаете",
        "Напишу в СМИ и на «Прямую линию», пусть все знают",
        "Вы за это ответите по закону",
        pytest.param("Сожгу мусор сам, раз вы не вывозите", marks=MODEL_ALARM),
        "Сам прибью табличку с названием улицы",
        "Надо сжечь сухую траву у кладбища, пока не загорелась",
    ],
)
def test_legal_steps_and_protests_are_not_threats(text: str) -> None:
    result = screen(text)
    assert result.no_answer_reason != "threat", text
    assert not result.no_answer, text


@pytest.mark.parametrize(
    "text",
    [
        "Убью главу, если ещё раз увижу эту яму",
        "Прибью тебя, чиновник",
        "Найду где живёшь и дом твой сожгу",
        "Семье твоей не поздоровится",
        "Вам не жить, поняли?",
        "Подожгу вашу контору",
        "Взорву администрацию к чертям",
        "Голову оторву тому, кто это придумал",
        "Расстрелять бы всех чиновников",
        "Я знаю, где ты живёшь, глава",
        "Пристрелю как собаку",
        "Доберусь до тебя, начальник",
    ],
)
def test_threats(text: str) -> None:
    result = screen(text)
    assert result.no_answer
    assert result.no_answer_reason == "threat", text


@pytest.mark.parametrize(
    "text",
    [
        "Дебилы в администрации, когда будет вода?",
        "Вы идиоты, что ли? Третий раз пишу",
        "Уроды, верните деньги за ремонт",
        "Вы козлы, а не чиновники",
        "Тупые чиновники опять всё развалили",
        "Твари, сколько можно обещать",
        "Придурки, кто так асфальт кладёт",
        "Дармоеды в администрации сидят и ничего не делают",
        "Ворюги, украли все деньги на дорогу",
        "Вы бездельники, работать не хотите",
    ],
)
def test_insults_aimed_at_people(text: str) -> None:
    result = screen(text)
    assert result.no_answer
    assert result.no_answer_reason == "insult", text


@pytest.mark.parametrize(
    "text",
    [
        "Работаете плохо! Безобразие! Позор администрации!",
        "Это издевательство над жителями, сколько можно терпеть эти ямы?!",
        "Бардак и бездействие, ответ — очередная отписка",
        "Соседские козлы пасутся на детской площадке",
        "В подвале нашего дома бегают крысы",
        "Тупой угол у бордюра, машины цепляют",
        pytest.param("Уродливая клумба у администрации, переделайте", marks=MODEL_ALARM),
        "На празднике в ДК клоун понравился детям",
        "Скотина пасётся вдоль дороги без пастуха",
    ],
)
def test_angry_or_literal_but_clean(text: str) -> None:
    assert not screen(text).no_answer, text


def test_threat_outranks_obscenity_and_insult() -> None:
    result = screen("Дебилы, бл@ть, убью всех")
    assert result.no_answer_reason == "threat"
    reasons = {s.reason for s in result.no_answer_spans}
    assert reasons == {"threat", "obscenity", "insult"}


def test_obscenity_outranks_insult() -> None:
    assert screen("Дебилы, бл@ть").no_answer_reason == "obscenity"


def test_spans_point_at_the_words() -> None:
    text = "Опять яма, х*й починят"
    span = screen(text).no_answer_spans[0]
    assert text[span.start : span.end] == "х*й"
    assert span.reason == "obscenity"


@pytest.mark.parametrize(
    "text",
    [
        # Knowing an official's car, home or habits, said to their face.
        "Знаю, в каком доме ты живёшь, начальник",
        "Мы знаем, на какой стоянке ты бросаешь свой джип",
        "Я знаю, во сколько вы ставите машину у гаража",
        # «оглядывайся» in any person.
        "Передайте главе: пусть теперь ходит и оглядывается",
        "Будешь оглядываться до конца срока",
        # Damage to an official's vehicle wins over mat.
        "бл*ть, шины вашим дорожникам изрежу",
        "Покрышки на твоей тачке порежу",
        "Твою тачку разобью, понял?",
        "Подожгу вашу иномарку прямо у сельсовета",
    ],
)
def test_implicit_threats_and_threats_to_vehicles(text: str) -> None:
    result = screen(text)
    assert result.no_answer_reason == "threat", text


@pytest.mark.parametrize(
    "text",
    [
        "Я знаю, когда вы принимаете граждан, приду в четверг",
        "На этой яме скоро пробью колесо, сделайте что-нибудь",
        pytest.param("Так и разобью машину на ваших дорогах", marks=MODEL_ALARM),
        "Водитель не оглядывается, когда сдаёт назад",
        "Порезал колесо о стекло у магазина",
    ],
)
def test_accidents_and_plain_knowledge_are_not_threats(text: str) -> None:
    assert screen(text).no_answer_reason != "threat", text


@pytest.mark.parametrize(
    "text",
    [
        "Света нет с утра, у нас скотина не поена, включите хоть к вечеру!",
        "Держим свиней и кур, пришлите ветеринара, сделайте прививки",
        "Нашу скотину пасти негде, выделите выгон, прошу вас",
        "у соседа крысы бегают по двору, вызовите дератизацию",
    ],
)
def test_owned_animals_are_not_insults(text: str) -> None:
    assert not screen(text).no_answer, text


@pytest.mark.parametrize(
    "text", ["У вас там одни скоты сидят", "Вы скотина, а не глава", "Эти крысы в кабинетах"]
)
def test_animal_words_aimed_at_people_stay_insults(text: str) -> None:
    assert screen(text).no_answer_reason == "insult", text


@pytest.mark.parametrize("text", [
    "Фонари не горят месяц, дети в темноте в школу идут, какого х** вообще",
    "Да идите вы на х***",
    "X** вам, а не ремонт",
])
def test_a_starred_kh_is_obscenity_by_the_rules(text: str) -> None:
    """blind6 (after its measurement): «х**» with one letter left; the rules decide, not the model."""
    assert no_answer.check(text)[0] == "obscenity"


@pytest.mark.parametrize("text", ["Хорошо, ждём", "х. Красносельский, ул. Мира", "Ну х… знает"])
def test_a_kh_without_two_stars_is_not_the_rule(text: str) -> None:
    assert no_answer.check(text)[0] is None


def test_an_officials_property_named_by_his_possessive_may_befall() -> None:
    """blind6 (after its measurement): «его» points back at an official named by name and
    patronymic; a neighbour's bath house that burnt down is a report, not a threat."""
    assert no_answer.check("Передайте Роману Ильичу: ещё одна отписка — и баня его на Заречной сгорит "
                           "как свечка.")[0] == "threat"
    assert no_answer.check("Сосед сказал, что баня его сгорела прошлой зимой")[0] is None
    assert no_answer.check("У соседа баня сгорит, если он не уберёт проводку")[0] is None
