"""The sandbox's staff bots: the bot clients against them, Telegram's HTML rule, the chat view."""

from __future__ import annotations

import httpx
import pytest

from otklik.channels.base import ErrorKind, NetworkError
from otklik.channels.botapi import Button
from otklik.channels.max.staffbot import BotClient as MaxBot
from otklik.channels.sandbox.bots import html_problem, press, say
from otklik.channels.sandbox.demo_world import STAFF_BOT_TOKENS, demo_world
from otklik.channels.sandbox.server import running
from otklik.channels.telegram.staffbot import BotClient as TelegramBot


def test_telegram_html_rule() -> None:
    assert html_problem("<b>Сообщение</b> &lt;script&gt; &amp; 5 &gt; 4") == ""
    assert "Unsupported start tag" in html_problem("<script>alert(1)</script>")
    assert "entity" in html_problem("Рога & копыта")
    assert html_problem("5 > 4")


@pytest.mark.parametrize("network", ["telegram", "max"])
def test_client_round_trip(network: str) -> None:
    with running(demo_world()) as (world, base):
        bot = next(b for b in world.staff_bots.values() if b.network == network)  # type: ignore[attr-defined]
        token = STAFF_BOT_TOKENS[network]
        client = (TelegramBot(token, base_url=f"{base}/telegram") if network == "telegram"
                  else MaxBot(token, base_url=f"{base}/max"))
        say(world, bot, "1001", "/start 12345678", "Иван")
        batch = client.updates()
        assert [u.text for u in batch.updates] == ["/start 12345678"] and batch.updates[0].chat_id == "1001"
        assert client.updates(batch.marker).updates == []  # nothing read twice
        sent = client.send("1001", client.markup("Иван <админ> & Co", bold=True), [[Button("Да", data="y:1")]])
        message = bot.last_from_bot("1001")
        assert message is not None and sent == (str(message.id) if network == "telegram" else f"mid.{message.id:032x}")
        callback = press(world, bot, message.id, "y:1")
        pressed = client.updates(batch.marker).updates
        assert pressed[0].data == "y:1" and pressed[0].callback_id == callback and pressed[0].message_id == sent
        client.answer(callback, "Готово")
        assert bot.answers == [(callback, "Готово")]
        client.edit("1001", sent, client.markup("Готово"), None)
        assert message.text == "Готово" and message.buttons == []
        with pytest.raises(NetworkError) as refused:
            client.send("999", "кому?")  # a bot writes only to who wrote to it first
        assert refused.value.kind in (ErrorKind.BAD_REQUEST, ErrorKind.NOT_FOUND)


def test_unescaped_html_is_refused_like_telegram() -> None:
    with running(demo_world()) as (world, base):
        bot = next(b for b in world.staff_bots.values() if b.network == "telegram")  # type: ignore[attr-defined]
        client = TelegramBot(STAFF_BOT_TOKENS["telegram"], base_url=f"{base}/telegram")
        say(world, bot, "1001", "привет")
        with pytest.raises(NetworkError) as refused:
            client.send("1001", "Рога & <копыта>")
        assert refused.value.kind is ErrorKind.BAD_REQUEST and "can't parse entities" in refused.value.detail


def test_chat_view_escapes_and_presses() -> None:
    with running(demo_world()) as (world, base):
        bot = next(b for b in world.staff_bots.values() if b.network == "telegram")  # type: ignore[attr-defined]
        httpx.post(f"{base}/bot/telegram/say", data={"text": "<img src=x>"}, follow_redirects=False)
        client = TelegramBot(STAFF_BOT_TOKENS["telegram"], base_url=f"{base}/telegram")
        client.send("1001", client.markup("Ответ & <b>", bold=True), [[Button("Согласовать", data="a:1:x")]])
        page = httpx.get(f"{base}/bot/telegram").text
        assert "&lt;img src=x&gt;" in page and "<img" not in page and "Ответ &amp; &lt;b&gt;" in page
        message = bot.last_from_bot("1001")
        assert message is not None
        httpx.post(f"{base}/bot/telegram/press", data={"message_id": str(message.id), "data": "a:1:x"})
        assert bot.updates[-1]["callback_query"]["data"] == "a:1:x"
        assert "Бот для сотрудников — Telegram" in httpx.get(f"{base}/").text
