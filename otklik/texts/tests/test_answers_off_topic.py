"""off_topic: the answer must speak of the place, the object or the problem of the question."""

import pytest

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


def test_place_missing_alone_is_not_reported() -> None:
    # The object and a date are there: a missing street was the main false alarm on the blind
    # corpora, so the rule's warning is left to the learned weighing, which lets it pass.
    from otklik.texts.answers import off_topic
    from otklik.texts.answers._doc import Doc

    answer = "Здравствуйте! Фонарь заменим до пятницы."
    [rule] = off_topic.rule_check(Doc(answer), off_topic._question(Q))
    assert rule.severity == "warning" and "место" in rule.message
    assert off(answer) == []


def test_skipped_without_question() -> None:
    assert off("Здравствуйте! Спасибо за обращение.", question="") == []
    assert off("Здравствуйте! Спасибо за обращение.", question="Когда?") == []


def test_other_question() -> None:
    question = "Третью неделю не вывозят мусор с площадки на Садовой, 7."
    assert off("Здравствуйте! Контейнеры на Садовой, 7 освободят завтра.", question) == []
    assert off("Здравствуйте! Отходы у дома 7 вывезут завтра.", question) == []


def test_yes_no_answer_is_not_off_topic() -> None:
    question = "Можно ли спилить дерево перед своим домом? Оно старое и мешает"
    assert off("Здравствуйте! Нет, без разрешения нельзя, оформим его за 10 дней.", question) == []


def test_redirect_is_not_also_off_topic() -> None:
    assert off("Здравствуйте! Обратитесь в налоговую инспекцию.") == []


def test_places_of_a_text() -> None:
    from otklik.texts.answers._doc import Doc
    from otklik.texts.answers.off_topic import places

    p = places(Doc("Фонарь на Красной, 15 не горит, и по Ленина тоже. В хуторе Нагорном темно."))
    assert p.streets == {"красный", "ленин"}
    assert p.settlements == {"нагорный"}
    assert p.numbers == {"15"}
    assert places(Doc("когда на кубанской положат асфальт")).streets == {"кубанский"}
    assert places(Doc("Ленина 54 — асфальт сняли")).numbers == {"54"}
    assert places(Doc("возле 22 дома на Мира яма")).numbers == {"22"}
    # Not places: laws, organisations, years, ages, times, a street word without a name.
    none = places(Doc("В соответствии с Федеральным законом и Правилами, на сайте Динской ЦРБ. "
                      "Ждём 15 лет, с 2017 года, мусоровоз в 5 утра гремел на всю улицу."))
    assert not none and not none.numbers


def test_no_place_warning_when_the_question_names_no_place() -> None:
    question = "Бабушке 80 лет, живёт одна, не топит, экономит на газе. Кто-то поможет?"
    answer = "Здравствуйте! Соцработник придёт к ней за два дня, поможем с компенсацией за газ."
    assert off(answer, question) == []


def test_numbers_that_are_not_houses_are_not_places() -> None:
    question = "Многодетным когда участки выдадут? В очереди стоим с 2017 года"
    answer = "Здравствуйте! Ваша семья в очереди под номером 14, в этом году выделят 9 участков."
    assert off(answer, question) == []


def test_place_missing_but_the_problem_named_is_fine() -> None:
    question = "Слабый напор воды по вечерам на Степной, стиральная машина не включается"
    answer = "Здравствуйте! Вечером напор воды падает из-за полива, летом добавят второй насос."
    assert off(answer, question) == []


@pytest.mark.xfail(strict=True, reason="issue 16, round 6: the off-topic model trained on all eight "
                   "measured corpora sets its threshold at 0.979; another street alone was a false "
                   "alarm 10 times out of 18 there, so it no longer decides")
def test_another_street_is_reported() -> None:
    [f] = off("Здравствуйте! Фонарь на ул. Мира заменим в пятницу.")
    assert "место" in f.message


def test_a_settlement_for_a_street_is_not_another_place() -> None:
    question = "Пропала собака, рыжая, последний раз видели на Степной. Помогите найти"
    answer = "Здравствуйте! Объявление о собаке разместили в чате хутора Нагорного."
    assert off(answer, question) == []


def test_other_topic_is_an_error_even_on_the_same_street() -> None:
    question = "На Садовой, 7 яма посреди дороги, машины бьют колёса"
    [f] = off("Здравствуйте! Вывоз мусора на ул. Садовой — по вторникам и пятницам.", question)
    assert f.severity == "error"
    question = "На стадионе ворота сломаны, сетки нет. Отремонтируйте к лету"
    [f] = off("Здравствуйте! На детской площадке заменили качели и покрасили горку.", question)
    assert f.severity == "error"


def test_courtesy_only_is_an_error_even_with_a_shared_word() -> None:
    for answer in (
        "Здравствуйте! Благодарим за активную гражданскую позицию. Ваше мнение обязательно учтём.",
        "Спасибо за вопрос! Следите за новостями в нашей группе.",
        "Информация о работе освещения размещена на сайте поселения.",
    ):
        [f] = off(answer)
        assert f.severity == "error", answer


def test_courtesy_with_an_answer_is_fine() -> None:
    assert off("Спасибо за сигнал! Фонарь у дома 15 на Красной заменим в пятницу.") == []
    assert off("Здравствуйте! Фонарь на Красной, 15 заменим 6 декабря. Следите за новостями "
               "в группе.") == []


def test_when_question_without_any_time() -> None:
    question = "Когда в хутор Ленинский проведут газ? Обещали давно"
    answer = ("Здравствуйте! Газификация хутора Ленинского ведётся по Федеральному закону "
              "от 31.03.1999 № 69-ФЗ. Ход работ освещается на сайте.")
    [f] = off(answer, question)
    # Only a legal formula and a pointer to the site: nothing to answer with at all.
    assert f.severity == "error" and "срок" in f.message
    answer = "Здравствуйте! Газопровод в хутор Ленинский строит подрядчик края."
    [f] = off(answer, question)
    assert "срок" in f.message
    assert off("Здравствуйте! Газ в хутор Ленинский проведут в 2026 году.", question) == []
    assert off("Здравствуйте! Газ в хутор Ленинский проведут летом.", question) == []
    assert off("Здравствуйте! Газ в хутор Ленинский в этом году не проведут.", question) == []


def test_a_reason_by_pronoun_is_not_off_topic() -> None:
    question = "Можно ли сделать пляж на речке у Набережной? Хоть песка привезти"
    answer = "Здравствуйте! Мы думаем над этим, но денег в бюджете нет. Подадим заявку в программу."
    assert off(answer, question) == []


def _off(answer: str, question: str) -> list[Finding]:
    return [f for f in check_answer(answer, question=question) if f.code == "off_topic"]


def test_a_reminder_is_not_an_answer_to_a_complaint() -> None:
    found = _off(
        "Здравствуйте! Напоминаем, что оплатить вывоз мусора нужно до 10 числа через приложение.",
        "Мусорный бак у нас во дворе не вывозят уже неделю, всё воняет!",
    )
    assert [f.severity for f in found] == ["error"]


def test_a_promise_to_consider_with_a_vague_year_is_not_a_time() -> None:
    found = _off(
        "Здравствуйте! Освещение улиц ведётся по ГОСТ Р 55706-2013. Ваш участок будет рассмотрен "
        "при подготовке плана.",
        "Когда повесят фонари на Садовой? Темно ходить.",
    )
    assert found


def test_deed_and_time_need_not_repeat_the_address() -> None:
    found = _off(
        "Здравствуйте! Аварийная бригада заменила трансформатор, свет дали в 14:00.",
        "Когда дадут свет? Микрорайон Южный весь сидит без света с утра.",
    )
    assert found == []
