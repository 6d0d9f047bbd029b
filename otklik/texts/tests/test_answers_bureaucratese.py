"""bureaucratese: stock phrases on lemmas, plainer wording, error when they dominate."""

import pytest

from otklik.texts.answers import Finding, check_answer


def bur(answer: str) -> list[Finding]:
    return [f for f in check_answer(answer) if f.code == "bureaucratese"]


@pytest.mark.parametrize(("phrase", "plain"), [
    ("в целях", "чтобы"),
    ("в настоящее время", "сейчас"),
    ("на сегодняшний день", "сейчас"),
    ("данный", "этот"),
    ("данной", "этой"),
    ("произвести ремонт", "отремонтировать"),
    ("осуществляем вывоз", "вывозим"),
    ("произведём замену", "заменим"),
    ("в соответствии с", "по"),
    ("на постоянной основе", "постоянно"),
])
def test_phrase_and_plainer_wording(phrase: str, plain: str) -> None:
    answer = f"Здравствуйте! Мы решили {phrase} участка дороги у школы, это важно для всех жителей."
    found = bur(answer)
    assert len(found) == 1, found
    f = found[0]
    assert answer[f.start:f.end] == phrase
    assert f.suggestion == plain
    assert f.severity == "warning"


@pytest.mark.parametrize("phrase", [
    "в рамках", "в рамках реализации", "проводится работа", "ведётся планомерная работа",
    "приняты все необходимые меры", "информируем вас", "доводим до вашего сведения",
    "является", "согласно", "в установленном порядке", "мероприятия по", "в адрес",
])
def test_word_forms_match_on_lemmas(phrase: str) -> None:
    answer = f"Здравствуйте! Скажем так: {phrase} благоустройству сквера у школы номер пять."
    found = bur(answer)
    assert found, phrase
    assert answer[found[0].start:found[0].end].lower() == phrase


def test_genitive_chain() -> None:
    answer = "Здравствуйте! Начато проведение работ по ремонту покрытия дороги у школы."
    [f] = bur(answer)
    assert answer[f.start:f.end] == "проведение работ по ремонту покрытия дороги"


def test_passive_without_actor_and_with_actor() -> None:
    answer = "Здравствуйте! Работы будут проведены в мае у школы на улице Ленина, сообщим."
    [f] = bur(answer)
    assert answer[f.start:f.end] == "будут проведены"
    assert bur("Здравствуйте! Работы будут проведены подрядчиком в мае у школы.") == []


def test_dominated_answer_is_error() -> None:
    answer = (
        "Здравствуйте! В настоящее время в рамках муниципальной программы осуществляется ремонт "
        "дорог. Данный вопрос находится на контроле."
    )
    found = bur(answer)
    assert len(found) >= 4
    assert {f.severity for f in found} == {"error"}


def test_one_phrase_in_long_answer_is_warning() -> None:
    answer = (
        "Здравствуйте, Анна! Фонарь у дома 15 на улице Красной погас из-за обрыва провода. "
        "Электрики заменят провод и лампу в четверг, в настоящее время ждём подъёмник. "
        "Если в пятницу вечером будет темно, напишите нам сюда, мы проверим ещё раз."
    )
    [f] = bur(answer)
    assert f.severity == "warning"


@pytest.mark.parametrize("answer", [
    "Здравствуйте! По данным подрядчика, ремонт закончат в мае.",
    "Здравствуйте! Данные о графике вывоза есть на сайте.",
    "Здравствуйте! Фонарь заменим в пятницу, спасибо, что написали.",
])
def test_plain_text_untouched(answer: str) -> None:
    assert bur(answer) == []


def _bur(answer: str) -> list[Finding]:
    return [f for f in check_answer(answer) if f.code == "bureaucratese"]


@pytest.mark.parametrize(("answer", "span"), [
    ("Здравствуйте! Глава уделяет особое внимание детским площадкам.", "уделяет особое внимание"),
    ("Здравствуйте! Ремонт крыши клуба мы держим на контроле.", "держим на контроле"),
    ("Здравствуйте! Субботник пройдёт силами студентов техникума.", "силами"),
    ("Здравствуйте! Воду для населения подвезут в среду.", "населения"),
    ("Здравствуйте! Яму заделают с использованием холодного асфальта.", "с использованием"),
])
def test_press_release_voice(answer: str, span: str) -> None:
    assert span in [answer[f.start:f.end] for f in _bur(answer)]


def test_press_release_answer_is_dominated() -> None:
    answer = ("Здравствуйте! Администрация уделяет большое внимание вопросам водоснабжения "
              "населения и держит ситуацию на контроле.")
    assert {f.severity for f in _bur(answer)} == {"error"}


@pytest.mark.parametrize("answer", [
    # the noun «данные» (data, records) does not agree with what follows
    "Здравствуйте! В реестре остались данные старых собственников, мы их исправим.",
    "Здравствуйте! Данные прошлых лет мы сверили со счётчиком.",
    # the appeal itself is accepted and considered: a normal short passive
    "Здравствуйте! Ваша заявка зарегистрирована и будет рассмотрена в пятницу.",
    "Здравствуйте! Спасибо за письмо, оно получено и будет передано мастеру.",
])
def test_not_bureaucratese(answer: str) -> None:
    assert _bur(answer) == []


def test_determiner_dannye_still_flagged() -> None:
    answer = "Здравствуйте! Данные участки мы покосим в среду."
    assert [answer[f.start:f.end] for f in _bur(answer)] == ["Данные"]
