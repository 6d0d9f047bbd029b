"""Spam, general rules: classified adverts opened by a noun of goods or services with a contact
or an offer cue, look-alike domains of state services and banks, «your account will be blocked»,
begging for votes — while citizens' requests with a phone, a link or a question stay not spam."""

from __future__ import annotations

import pytest

from otklik.texts.screening import screen

# Pinned examples the learned screening (issue 16) decides differently; strict, so a model that
# gets them right again fails here and the mark is removed.
# Examples the screening model trained on eight corpora (issue 16, round 5) decides differently:
# strict, so a model that gets them right again fails here and the mark is removed.
XFAIL_ROUND5 = pytest.mark.xfail(strict=True, reason="issue 16, round 5: the model trained on eight corpora "
                                 "decides it differently")
XFAIL_LEARNED = pytest.mark.xfail(strict=True,
                                  reason="issue 16: the learned model decides it differently")


@pytest.mark.parametrize(
    "text",
    [
        # Classified adverts: a goods/service noun opens, a contact or an offer cue follows.
        "Спил аварийных деревьев любой высоты, вывоз веток. Тел. 8 961 555-20-10",
        "Навоз, перегной, чернозём — машина 6 кубов, доставка по району",
        "Грузоперевозки по краю, переезды, грузчики. Пишите в вотсап",
        "Саженцы яблонь и груш от производителя, цена от 350 ₽",
        "Откачка септиков и выгребных ям, ассенизатор 4 куба, +7 928 400-11-22",
        # Phishing: a look-alike domain of a state service or a bank, an account to be blocked.
        "Ваша учётная запись будет заблокирована через 24 часа, войдите на gosuslugi-lk.online",
        "Начислена компенсация ЖКХ, получите на сайте sberbank-vyplata.ru",
        "Ваша карта заблокирована. Подтвердите свои данные: nalog-vozvrat.com",
        # Votes for one's own child in a contest, with a short link.
        "Друзья, отдайте голос за моего сына в конкурсе чтецов, clck.ru/3AbCd",
        "Голосуем за нашу внучку Соню в фотоконкурсе! bit.ly/sonya-foto",
    ],
)
def test_general_spam(text: str) -> None:
    result = screen(text)
    assert result.spam, text
    assert result.spam_spans


@pytest.mark.parametrize(
    "text",
    [
        # A citizen names a service and asks, or uses a verb of complaint.
        "Вывоз мусора на Полевой не производится с мая, мой номер 8 961 555-20-10",
        "Ремонт моста в хуторе когда начнётся? Звоню в администрацию — не берут трубку",
        "Спил тополя у школы нужен срочно, ветки над тропинкой. Тел. 8 918 333-44-55",
        "Доставка угля льготникам в этом году будет? Пишите, кто знает",
        "Памятник у ДК покосился, фото: https://disk.yandex.ru/i/xyz",
        # Official domains and a civic vote are not spam.
        "Записаться на приём можно через gosuslugi.ru, там же справка",
        pytest.param("Проголосуйте за благоустройство сквера на Мира на gosuslugi.ru до 30 апреля",
                     marks=XFAIL_ROUND5),
        # A blocked card of a citizen, a request for help.
        "Пенсионная карта заблокирована в банке, прошу помочь, куда обращаться?",
    ],
)
def test_citizens_with_contacts_are_not_spam(text: str) -> None:
    assert not screen(text).spam, text


def test_contact_signs_are_one_sign() -> None:
    from otklik.texts.screening import spam

    assert len(spam._CONTACT_ONLY) == 2
    # A lost dog with «тел.» and a phone is not an advert.
    assert not screen("Пропала собака, рыжая, откликается на Тузик. Тел. 8 900 123-45-67").spam


def test_citizen_selling_with_a_question_to_the_administration_is_not_spam() -> None:
    assert not screen("Продаю гараж, а в кадастре не та площадь, куда обращаться?").spam
