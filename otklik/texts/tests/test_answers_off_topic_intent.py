"""off_topic: the answer must carry the kind of content the question asks for."""

import pytest

from otklik.texts.answers import Finding, check_answer
from otklik.texts.answers._doc import Doc
from otklik.texts.answers.question_intent import ACTION, DOCUMENTS, PRICE, WHEN, WHY, intents


def off(answer: str, question: str) -> list[Finding]:
    return [f for f in check_answer(answer, question=question) if f.code == "off_topic"]


@pytest.mark.parametrize(("question", "expected"), [
    ("Когда отремонтируют мост через речку на Заречной?", {WHEN}),
    ("Почему опять отключили воду на Садовой?", {WHY}),
    ("Сколько стоит справка из похозяйственной книги?", {PRICE}),
    ("Почему за вывоз мусора стали брать так дорого?", {WHY, PRICE}),
    ("Какие документы нужны, чтобы оформить пособие на ребёнка?", {DOCUMENTS}),
    ("Уберите пожалуйста свалку за гаражами на Южной", {ACTION}),
    ("Бабушке надо дров привезти, одна живёт на Степной 4", {ACTION}),
    ("Во дворе на Мира 5 третий день течёт канализация", {ACTION}),
    ("Сколько можно?! Мусор на Садовой не вывозят неделю", {ACTION}),
    # No particular kind of content: yes/no, «кто», thanks, a «когда» that asks nothing.
    ("Можно ли поставить гараж на своём участке у забора?", set()),
    ("Кто отвечает за обочины на Шевченко? Края осыпались", set()),
    ("Спасибо за новую площадку во дворе, дети довольны", set()),
    ("Подскажите, где можно сдать ртутные лампы?", set()),
    ("Какой график вывоза мусора? Машина приезжает когда захочет", set()),
    ("Дорога на Полевой разбита, где ремонт?", set()),
])
def test_question_intents(question: str, expected: set[str]) -> None:
    assert intents(Doc(question)) == expected


@pytest.mark.parametrize(("question", "answer"), [
    ("Когда отремонтируют мост через речку на Заречной?",
     "Здравствуйте! Мост на ул. Заречной отремонтируем в августе, подрядчик уже выбран."),
    ("Когда дадут газ на Новую улицу?",
     "Здравствуйте! Газопровод на ул. Новой уже построен, газ пустят после проверки в ноябре."),
    ("Почему опять отключили воду на Садовой?",
     "Здравствуйте! Воду на ул. Садовой отключили из-за аварии на водоводе, к вечеру дадут."),
    ("Почему у нас в хуторе Нагорном нет интернета?",
     "Здравствуйте! Провайдеры не тянут линию в хутор Нагорный: там мало абонентов. Мы попросили "
     "Ростелеком включить хутор в программу."),
    ("Почему за вывоз мусора стали брать так дорого?",
     "Здравствуйте! Тариф на вывоз мусора с 1 июля вырос на 9 %: его утвердил региональный "
     "департамент цен и тарифов."),
    ("Сколько стоит справка из похозяйственной книги?",
     "Здравствуйте! Справку выдаём бесплатно, в день обращения."),
    ("Какие документы нужны, чтобы оформить пособие на ребёнка?",
     "Здравствуйте! Понадобятся паспорт, свидетельство о рождении и справка о доходах."),
    ("Уберите пожалуйста свалку за гаражами на Южной",
     "Здравствуйте! Свалку за гаражами на ул. Южной вывезем в четверг, 12 сентября."),
    ("Уберите пожалуйста свалку за гаражами на Южной",
     "Здравствуйте! Убрать свалку на ул. Южной сейчас не получится: земля частная, собственнику "
     "направили предписание."),
    ("На Лесной нет ни одного фонаря, вечером идти страшно",
     "Здравствуйте! Напишите, пожалуйста, с какого дома начинается тёмный участок на ул. Лесной."),
    ("Во дворе на Кирова 7 прорвало трубу, вода бежит",
     "Здравствуйте! Бригада водоканала уже на месте у дома 7 на ул. Кирова."),
    ("Поставьте урну у остановки на Красной",
     "Здравствуйте! Урна у остановки на ул. Красной стоит с понедельника."),
])
def test_the_content_asked_for_is_there(question: str, answer: str) -> None:
    assert off(answer, question) == []


@pytest.mark.parametrize(("question", "answer", "severity"), [
    # Only a legal formula and «on control»: nothing to answer «когда» with.
    ("Когда отремонтируют мост через речку на Заречной?",
     "Здравствуйте! Ремонт мостов на территории поселения осуществляется в соответствии с "
     "муниципальной программой. Вопрос находится на контроле.", "error"),
    # A telephone for a «почему».
    ("Почему опять отключили воду на Садовой?",
     "Здравствуйте! Телефон диспетчерской водоканала на ул. Садовой 8 (86162) 5-13-00, "
     "звоните круглосуточно.", "error"),
    # A pointer to the timetable for a fare question.
    ("Почему за вывоз мусора стали брать так дорого?",
     "Здравствуйте! График вывоза мусора опубликован на сайте регоператора.", "error"),
    # Opening hours for a price question: something said, but no amount.
    ("Сколько стоит справка из похозяйственной книги?",
     "Здравствуйте! Справки выдаёт специалист администрации в кабинете 5.", "warning"),
    # «The list is set by the acts»: no document named.
    ("Какие документы нужны, чтобы оформить пособие на ребёнка?",
     "Здравствуйте! Пособие на ребёнка оформляется в установленном порядке. Перечень документов "
     "установлен законодательством.", "error"),
    # Thanks, a reminder and a piece of advice for a request.
    ("Уберите пожалуйста свалку за гаражами на Южной",
     "Здравствуйте! Благодарим за бдительность. Напоминаем, что выброс мусора на ул. Южной вне "
     "площадок запрещён законом.", "error"),
    # Opening hours and a telephone for a complaint.
    ("Во дворе на Мира 5 третий день течёт канализация",
     "Здравствуйте! Водоканал работает с 8:00 до 17:00, телефон 8 (86162) 5-13-00.", "error"),
    # An invitation for a noise complaint.
    ("Концерт на площади гремел до полуночи. Сделайте потише в следующий раз",
     "Здравствуйте! Спасибо, что пришли на концерт. Следующий концерт на площади — в День "
     "станицы, приглашаем!", "error"),
    # Where to buy a ticket for a request to bring a bus back: something, but not the matter.
    ("Верните пожалуйста вечерний автобус до хутора Нагорного",
     "Здравствуйте! Билеты на автобус до хутора Нагорного можно купить у водителя.", "warning"),
])
def test_the_content_asked_for_is_missing(question: str, answer: str, severity: str) -> None:
    from otklik.texts.answers import off_topic

    # The rule layer names what is missing; the learned weighing returns the answer only when the
    # rest agrees, so a rule warning alone («something said, but not the matter») stays silent.
    [rule] = off_topic.rule_check(Doc(answer), off_topic._question(question))
    assert rule.severity == severity, rule.message
    found = off(answer, question)
    if severity == "error":
        assert [f.severity for f in found] == ["error"], answer
        assert found[0].message == rule.message


def test_filler_kinds_of_sentences() -> None:
    from otklik.texts.answers import answer_content as ac

    doc = Doc("Здравствуйте! Спасибо, что написали. Напоминаем, что вывоз по средам. "
              "Информация размещена на сайте. Работы ведутся в соответствии с Правилами. "
              "Телефон 8 (86162) 5-12-34. Фонарь заменим в пятницу.")
    kinds = [p.filler for p in ac.analyse(doc)]
    assert kinds[1:] == [ac.COURTESY, ac.REMINDER, ac.POINTER, ac.LEGAL, ac.CONTACTS, None]
    last = ac.analyse(doc)[-1]
    assert last.action and last.time
