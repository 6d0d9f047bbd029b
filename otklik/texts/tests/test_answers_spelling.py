"""spelling: unknown words with suggestions; names, abbreviations, local words untouched."""

import pytest

from otklik.texts.answers import Finding, check_answer


def spelling(answer: str, known: frozenset[str] = frozenset()) -> list[Finding]:
    return [f for f in check_answer(answer, known_words=known) if f.code == "spelling"]


@pytest.mark.parametrize(("wrong", "right"), [
    ("здраствуйте", "здравствуйте"),
    ("сдесь", "здесь"),
    ("вообщем", "в общем"),
    ("извените", "извините"),
    ("пожайлуста", "пожалуйста"),
    ("расмотрено", "рассмотрено"),
    ("отремонтированна", "отремонтирована"),
    ("следущий", "следующий"),
])
def test_typical_typos(wrong: str, right: str) -> None:
    answer = f"Здравствуйте! Мы ответим, {wrong} дорога на месте."
    [f] = spelling(answer)
    assert answer[f.start:f.end] == wrong
    assert f.severity == "error"
    assert f.suggestion == right


def test_capitalised_typo_at_sentence_start() -> None:
    answer = "Здраствуйте, Анна! Фонарь заменим."
    [f] = spelling(answer)
    assert (f.start, f.end) == (0, 11)
    assert f.suggestion == "Здравствуйте"


def test_names_abbreviations_links_never_flagged() -> None:
    answer = (
        "Здравствуйте! Заявку передали в МУП «Горсвет» и ООО Стройтрансгаз; бригада Кучеренко "
        "приедет на Краснознамённую, 5а. Подробности: https://adm.example.ru/news, "
        "почта priemnaya@adm-slavyansk.ru, #Отклик, ул.Ленина, iPhone, 3-й этаж."
    )
    assert spelling(answer) == []


def test_domain_words_and_compounds_accepted() -> None:
    answer = (
        "Здравствуйте! Грейдирование и окос обочин закончили, электроопору и поребрик "
        "заменили, аварийно-опасное дерево спилили, бункер-накопитель вывезли."
    )
    assert spelling(answer) == []


def test_known_words_forms_accepted() -> None:
    answer = "Здравствуйте! Ливнесточник на Заречной почистили, ливнесточники проверили."
    assert spelling(answer)
    assert spelling(answer, frozenset({"ливнесточник"})) == []


def test_grammar_not_spelling() -> None:
    assert spelling("Здравствуйте! Ответим в течении недели.") == []


def test_doubled_letter_preferred() -> None:
    answer = "Здравствуйте! Работы будут законченны в срок, подрядчик расчитывает на май."
    assert [f.suggestion for f in spelling(answer)] == ["закончены", "рассчитывает"]


def test_regular_adjective_of_a_noun_is_only_a_warning() -> None:
    from otklik.texts.answers import check_answer

    answer = "Здравствуйте! Остановку у заездного кармана перенесём в мае."
    found = [f for f in check_answer(answer) if f.code == "spelling"]
    assert [f.severity for f in found] == ["warning"]


def test_typos_stay_errors_despite_the_derivative_rule() -> None:
    from otklik.texts.answers import check_answer

    for word in ("симпотичный", "колличество", "отремонтированна", "дейсвительно"):
        answer = f"Здравствуйте! Это {word} пример."
        found = [f for f in check_answer(answer) if f.code == "spelling"]
        assert found and found[0].severity == "error", word
