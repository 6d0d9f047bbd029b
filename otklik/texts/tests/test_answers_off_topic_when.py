"""off_topic: a «когда» question needs a time (or a finished deed) said of what was asked."""

import pytest

from otklik.texts.answers import Finding, check_answer, off_topic
from otklik.texts.answers._doc import Doc


def off(answer: str, question: str) -> list[Finding]:
    return [f for f in check_answer(answer, question=question) if f.code == "off_topic"]


def when(answer: str, question: str) -> tuple[float, float]:
    found = off_topic.signals(Doc(answer), off_topic._question(question))
    return found["when_no_time"], found["when_unanchored"]


def test_a_schedule_of_another_thing_dates_nothing_asked() -> None:
    question = "Когда засыплют яму на Красной напротив дома 21? Три машины пробили колёса."
    answer = "Здравствуйте, Ольга! Мусор на улице Красной вывозят по вторникам и пятницам."
    assert off(answer, question)
    assert when(answer, question) == (0.0, 1.0)


def test_a_date_of_another_thing_is_reported_as_such() -> None:
    question = "Когда откроют лыжную базу? Снег давно лежит."
    answer = "Здравствуйте, Алексей! Хоккейную коробку у школы зальём к 20 декабря, если морозы удержатся."
    [f] = off(answer, question)
    assert f.severity == "error" and "для другого дела" in f.message


def test_no_time_at_all() -> None:
    question = "Когда начнёт ходить школьный автобус из Ярков? Дети ходят пешком."
    answer = ("Здравствуйте, Марина! Подвоз школьников для нас очень важен. Автобус у школы новый, "
              "водитель опытный, возит детей много лет.")
    [f] = off(answer, question)
    assert "нет ни даты" in f.message
    assert when(answer, question) == (1.0, 1.0)


@pytest.mark.parametrize(("question", "answer"), [
    # A date of the thing asked about.
    ("Когда засыплют яму на Красной напротив дома 21?",
     "Здравствуйте, Ольга! Яму на Красной засыплем щебнем в четверг."),
    # A name in another case: «в Ярки» / «в Ярках».
    ("Когда откроют переправу в Ярки после ледохода?",
     "Здравствуйте, Зинаида! Паром в Ярках начнёт ходить в конце мая."),
    # The time in the sentence after the one that names the thing.
    ("Когда откроют переправу в Ярки после ледохода?",
     "Здравствуйте! Переправу откроем, как только сойдёт лёд. Обычно это 25–28 мая."),
    # Done already answers «когда».
    ("Когда вывезут мусор на Садовой? Две недели контейнеры полные.",
     "Здравствуйте, Андрей! Мусор вывезли, извините за задержку."),
    # A clock time; the question names only a place besides.
    ("Когда дадут тепло? Мкр Солнечный, на улице -32!",
     "Здравствуйте, Елена! На котельной заменили насос, тепло пошло в 6 утра."),
    # A refusal answers «когда» too.
    ("Когда построят бассейн в посёлке?",
     "Здравствуйте! Бассейн в посёлке в ближайшие годы строить не будут: денег в бюджете нет."),
    # A compound names its first noun: «газопровод» is the «газ» asked about (after blind9).
    ("Когда подведут газ к домам на окраине? Подписи собирали два года назад.",
     "Здравствуйте, Андрей! Газопровод включили в программу. Строительство начнётся в апреле."),
    ("Когда дадут воду на Луговой?",
     "Здравствуйте! Аварию на водопроводе устранили, подача восстановлена в 14:00."),
])
def test_a_time_of_what_was_asked_is_on_topic(question: str, answer: str) -> None:
    assert when(answer, question) == (0.0, 0.0)
    assert off(answer, question) == []


@pytest.mark.parametrize("answer", [
    "Здравствуйте! Секция для детей занимается на стадионе на 22 места.",  # a number, no time
    "Здравствуйте! Стадиону почти пятьдесят лет.",  # a duration, no time
])
def test_numbers_and_durations_are_no_time(answer: str) -> None:
    assert when(answer, "Когда зальют каток на стадионе? Морозы уже стоят.")[0] == 1.0


def test_not_asked_when_no_signal() -> None:
    assert when("Здравствуйте! Мусор вывозят по вторникам.",
                "Почему не вывозят мусор с Садовой? Контейнеры полные.") == (0.0, 0.0)


def test_an_hour_answers_what_time() -> None:
    # «приём» and «принимает» share no stem the index knows; the hour asked for is the answer.
    answer = ("Здравствуйте, Вера! Сергей Викторович принимает жителей по понедельникам с 14:00 до 17:00 "
              "в кабинете 1.")
    assert off(answer, "Во сколько приём у главы по личным вопросам?") == []


def test_a_request_to_tell_is_a_question_without_a_mark() -> None:
    answer = "Здравствуйте, Алла! МФЦ на ул. Ленина, 18 работает с понедельника по пятницу с 9:00 до 18:00."
    assert off(answer, "Подскажите часы работы МФЦ в посёлке") == []


@pytest.mark.parametrize(("word", "head"), [
    ("газопровод", "газ"), ("водоснабжение", "вода"), ("снегоуборка", "снег"),
    ("газета", None), ("газон", None), ("пешеход", None), ("остановка", None),
])
def test_the_first_noun_of_a_compound(word: str, head: str | None) -> None:
    assert off_topic._compound_head(word) == head
