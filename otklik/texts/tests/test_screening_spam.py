"""Spam: ads, easy money, giveaways, crypto, loans — but not a citizen's photo link."""

from __future__ import annotations

import pytest

from otklik.texts.screening import screen, spam


@pytest.mark.parametrize(
    "text",
    [
        "Заработок от 5000 в день! Пиши в лс",
        "Ищем партнёров, доход без вложений, подробности в профиле",
        "Розыгрыш iPhone 15! Подписывайтесь на наш канал и делайте репост",
        "Казино с бонусом 200% и фриспинами, переходи по ссылке t.me/luckycasino",
        "Займы на карту без отказа и справок, одобрение за 5 минут",
        "Продам дрова, доставка по станице бесплатно, звоните 8 918 123-45-67",
        "Инвестиции в криптовалюту, пассивный доход от 30 000 в месяц",
        "Удалённая работа для всех, 2-3 часа в день, пишите в личку",
        "Сниму порчу, приворот, гадание на картах",
    ],
)
def test_spam(text: str) -> None:
    result = screen(text)
    assert result.spam, text
    assert result.spam_spans


@pytest.mark.parametrize(
    "text",
    [
        "Вот фото ямы https://vk.com/photo123_456 на ул. Мира, 3, когда отремонтируют?",
        "Видео потопа: https://disk.yandex.ru/i/abc123 — подвал дома 5 залит",
        "Проезд в автобусе подорожал до 60 рублей, это законно?",
        "На празднике в ДК будет розыгрыш призов для детей? Подскажите, пожалуйста",
        "Прошу разобраться: в магазине на Красной продают алкоголь подросткам",
        "Уважаемая администрация, когда вывезут мусор с улицы Школьной?",
        "Подпишитесь под коллективным обращением жителей о ремонте дороги",
    ],
)
def test_citizen_messages_are_not_spam(text: str) -> None:
    assert not screen(text).spam, text


@pytest.mark.parametrize(
    "text",
    [
        # The signs run on the lower-case text; capitals must not hide them, and a letter that is
        # longer in lower case («İ») must not shift the spans.
        "ПРОДАМ ДРОВА, ЗВОНИТЕ 89181234567",
        "İİ Продам дрова, звоните 89181234567",
        "Продам дрова İ, звоните 89181234567",
    ],
)
def test_signs_ignore_case_and_keep_spans(text: str) -> None:
    is_spam, spans = spam.check(text)
    assert is_spam
    assert any(text[s.start:s.end].lower() == "продам" for s in spans)
    assert (is_spam, spans) == spam.check(text.lower()) or len(text.lower()) != len(text)
