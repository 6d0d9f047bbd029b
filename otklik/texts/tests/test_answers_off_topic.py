"""off_topic: the answer must speak of the place, the object or the problem of the question."""

from otklik.texts.answers import Finding, check_answer

Q = "Когда починят фонарь на Красной, 15? Темно вечером"


def off(answer: str, question: str = Q) -> list[Finding]:
    return [f for f in check_answer(answer, question=question) if f.code == "off_topic"]


def test_paraphrase_is_on_topic() -> None:
    answer = "Здравствуйте, Анна! Фонарь у дома 15 на улице Красной заменим до пятницы, 6 декабря."
    assert off(answer) == []


def test_synonym_and_cognate() -> None:
    answer = "Здравствуйте! Освещение у дома 15 на Красной отремонтируем в пятницу."
    assert off(answer) == []


def test_nothing_in_common_is_error() -> None:
    answer = "Здравствуйте! Спасибо за обращение, оно принято в работу."
    [f] = off(answer)
    assert f.severity == "error"
    assert (f.start, f.end) == (0, len(answer))


def test_place_missing_is_warning() -> None:
    [f] = off("Здравствуйте! Фонарь заменим до пятницы.")
    assert f.severity == "warning"
    assert "место" in f.message


def test_skipped_without_question() -> None:
    assert off("Здравствуйте! Спасибо за обращение.", question="") == []
    assert off("Здравствуйте! Спасибо за обращение.", question="Когда?") == []


def test_other_question() -> None:
    question = "Третью неделю не вывозят мусор с площадки на Садовой, 7."
    assert off("Здравствуйте! Контейнеры на Садовой, 7 освободят завтра.", question) == []
    assert off("Здравствуйте! Отходы у дома 7 вывезут завтра.", question) == []


def test_yes_no_answer_is_only_a_warning() -> None:
    question = "Можно ли спилить дерево перед своим домом? Оно старое и мешает"
    [f] = off("Здравствуйте! Нет, без разрешения нельзя, оформим его за 10 дней.", question)
    assert f.severity == "warning"


def test_redirect_is_not_also_off_topic() -> None:
    assert off("Здравствуйте! Обратитесь в налоговую инспекцию.") == []
