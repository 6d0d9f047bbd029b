"""The staff bot end to end: a person links a chat with a code, gets their work, decides with buttons.

Every test talks to the sandbox's Telegram or MAX over HTTP (the real clients), and the
decisions go through the incident services: the history says they were made from the bot.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from otklik.channels.sandbox.bots import press
from otklik.incidents import services as svc
from otklik.incidents.models import Draft, Incident, IncidentEvent, Status, TopicRoute
from otklik.incidents.presenters import history_rows
from otklik.org.models import Municipality, Person, Unit
from otklik.org.selectors import Access, access_for
from otklik.staffbot.models import BotMessage, ChatLink
from otklik.staffbot.outbox import bot_messages_sweep
from otklik.staffbot.polling import updates_poll
from otklik.staffbot.services import code_issue
from otklik.staffbot.tests.conftest import CHATS, Sandbox

pytestmark = pytest.mark.django_db
MSK = ZoneInfo("Europe/Moscow")
ZHKH = "Отдел ЖКХ и благоустройства"
DRAFT = "Здравствуйте, Анна! Яму на ул. Красной засыплем до 10 декабря. Спасибо, что написали."


def acc(demo: dict[str, Any], login: str) -> Access:
    found = access_for(demo[login].user)
    assert found is not None
    return found


def link(sandbox: Sandbox, network: str, person: Person, chat_id: str = "") -> ChatLink:
    sandbox.say(network, code_issue(person=person), chat_id)
    updates_poll(network=network)
    return ChatLink.objects.get(network=network, person=person)


def intake(demo: dict[str, Any], text: str = "Яма на ул. Красной, 15 — когда засыплют?", author: str = "Анна") -> Incident:
    incident, _ = svc.incident_intake(
        municipality=Municipality.objects.get(slug="plastunovskoe"), kind="incident", importance="normal",
        network="vk", url="https://vk.com/wall-1_2", author_name=author, author_url="https://vk.com/id1",
        text=text, detected_at=datetime.now(MSK) - timedelta(minutes=5), topic="Дороги", by=demo["region"])
    return incident


def to_approval(demo: dict[str, Any], incident: Incident, text: str = DRAFT) -> Draft:
    zhkh = Unit.objects.get(name=ZHKH, municipality__slug="plastunovskoe")
    svc.incident_route(access=acc(demo, "curator"), incident_id=incident.pk, unit_ids=[zhkh.pk])
    draft = svc.incident_submit_draft(access=acc(demo, "executor"), incident_id=incident.pk, text=text,
                                      confirmed_with_errors=True)
    svc.incident_forward(access=acc(demo, "curator"), incident_id=incident.pk)
    return draft


def last_card(sandbox: Sandbox, network: str, chat_id: str = "") -> Any:
    found = sandbox.bots[network].last_from_bot(chat_id or CHATS[network])
    assert found is not None
    return found


def button(card: Any, network: str, text: str) -> str:
    key = "callback_data" if network == "telegram" else "payload"
    for row in card.buttons:
        for b in row:
            if b["text"].startswith(text):
                return str(b[key])
    raise AssertionError(f"no button {text!r} in {card.buttons}")


def tap(sandbox: Sandbox, network: str, card: Any, text: str) -> str:
    callback = press(sandbox.world, sandbox.bots[network], card.id, button(card, network, text))
    updates_poll(network=network)
    return callback


# ---------------------------------------------------------------- linking

def test_code_links_the_chat_once(sandbox: Sandbox, network: str, demo: dict[str, Any]) -> None:
    code = code_issue(person=demo["region"])
    sandbox.say(network, f"/start {code}")
    updates_poll(network=network)
    made = ChatLink.objects.get(network=network, chat_id=CHATS[network])
    assert made.person == demo["region"]
    assert "чат привязан" in last_card(sandbox, network).text
    # The same code from another chat: used once, refused.
    other = "777" if network == "telegram" else "778"
    sandbox.say(network, code, other)
    updates_poll(network=network)
    assert not ChatLink.objects.filter(network=network, chat_id=other).exists()
    assert "Код не подошёл" in last_card(sandbox, network, other).text


def test_code_expires_after_10_minutes(sandbox: Sandbox, demo: dict[str, Any]) -> None:
    issued = datetime.now(MSK) - timedelta(minutes=10, seconds=1)
    code = code_issue(person=demo["region"], now=issued)
    sandbox.say("telegram", code)
    updates_poll(network="telegram")
    assert not ChatLink.objects.exists()
    assert "устарел" in last_card(sandbox, "telegram").text


def test_wrong_codes_are_limited_per_chat(sandbox: Sandbox, demo: dict[str, Any]) -> None:
    for _ in range(5):
        sandbox.say("telegram", "11112222")
    updates_poll(network="telegram")
    sandbox.say("telegram", code_issue(person=demo["region"]))  # right, but too late
    updates_poll(network="telegram")
    assert not ChatLink.objects.exists()
    assert "Слишком много неверных кодов" in last_card(sandbox, "telegram").text


def test_stop_unlinks(sandbox: Sandbox, network: str, demo: dict[str, Any]) -> None:
    link(sandbox, network, demo["region"])
    sandbox.say(network, "/stop")
    updates_poll(network=network)
    assert not ChatLink.objects.exists()
    assert "Бот отключён" in last_card(sandbox, network).text


# ---------------------------------------------------------------- delivery and decisions

def test_p14_draft_shown_in_full_and_approved_from_the_bot(sandbox: Sandbox, network: str,
                                                            demo: dict[str, Any]) -> None:
    link(sandbox, network, demo["region"])
    incident = intake(demo)
    draft = to_approval(demo, incident)
    assert bot_messages_sweep() >= 1
    card = last_card(sandbox, network)
    assert DRAFT in card.text and f"Сообщение № {incident.pk}" in card.text
    callback = tap(sandbox, network, card, "Согласовать")
    incident.refresh_from_db()
    assert incident.status == Status.APPROVED
    assert Draft.objects.get(pk=draft.pk).decided_by == demo["region"]
    event = IncidentEvent.objects.filter(incident=incident, action="approve").get()
    assert event.payload["via"] == network and event.actor == demo["region"]
    assert any(r.details.endswith(f"через бот в {'Telegram' if network == 'telegram' else 'MAX'}")
               for r in history_rows(incident) if r.action == "Согласовано")
    assert (callback, "Согласовано") in sandbox.bots[network].answers
    edited = sandbox.bots[network].messages[card.id]
    assert "✅ Согласовано" in edited.text and not any(
        b.get("callback_data") or b.get("payload") for row in edited.buttons for b in row)


def test_p14_approval_refused_when_the_draft_changed(sandbox: Sandbox, demo: dict[str, Any]) -> None:
    link(sandbox, "telegram", demo["region"])
    incident = intake(demo)
    to_approval(demo, incident)
    bot_messages_sweep()
    card = last_card(sandbox, "telegram")
    # Before the press, the draft is returned and a new one goes up: the card shows the old text.
    svc.incident_return(access=acc(demo, "region"), incident_id=incident.pk,
                        reasons=[{"code": "greeting", "comment": ""}])
    svc.incident_submit_draft(access=acc(demo, "executor"), incident_id=incident.pk,
                              text=DRAFT + " Новый текст.", confirmed_with_errors=True)
    svc.incident_forward(access=acc(demo, "curator"), incident_id=incident.pk)
    tap(sandbox, "telegram", card, "Согласовать")
    incident.refresh_from_db()
    assert incident.status == Status.AWAITING_APPROVAL
    assert "Текст проекта изменился" in last_card(sandbox, "telegram").text


def test_p14_return_with_reasons_and_a_comment(sandbox: Sandbox, network: str, demo: dict[str, Any]) -> None:
    link(sandbox, network, demo["region"])
    incident = intake(demo)
    draft = to_approval(demo, incident)
    bot_messages_sweep()
    card = last_card(sandbox, network)
    tap(sandbox, network, card, "Вернуть на доработку")
    card = sandbox.bots[network].messages[card.id]
    assert "причины возврата" in card.text
    assert "Готово" not in str(card.buttons)  # nothing ticked yet
    tap(sandbox, network, card, "☐ Нет приветствия")
    card = sandbox.bots[network].messages[card.id]
    tap(sandbox, network, card, "☐ Орфографические")
    card = sandbox.bots[network].messages[card.id]
    tap(sandbox, network, card, "Готово")
    sandbox.say(network, "Поздоровайтесь и проверьте запятые <b>срочно</b>")
    updates_poll(network=network)
    incident.refresh_from_db()
    assert incident.status == Status.RETURNED
    reasons = Draft.objects.get(pk=draft.pk).return_reasons
    assert [r["code"] for r in reasons] == ["greeting", "spelling"]
    assert reasons[0]["comment"] == "Поздоровайтесь и проверьте запятые <b>срочно</b>"
    assert IncidentEvent.objects.get(incident=incident, action="return").payload["via"] == network
    assert ChatLink.objects.get(network=network).pending == {}


def test_return_without_comment(sandbox: Sandbox, demo: dict[str, Any]) -> None:
    link(sandbox, "max", demo["region"])
    incident = intake(demo)
    to_approval(demo, incident)
    bot_messages_sweep()
    card = last_card(sandbox, "max")
    for label in ("Вернуть на доработку", "☐ Не отвечает", "Готово", "Вернуть без комментария"):
        tap(sandbox, "max", card, label)
        card = sandbox.bots["max"].messages[card.id]
    incident.refresh_from_db()
    assert incident.status == Status.RETURNED


def test_p10_route_to_the_suggested_unit(sandbox: Sandbox, network: str, demo: dict[str, Any]) -> None:
    mun = Municipality.objects.get(slug="plastunovskoe")
    zhkh = Unit.objects.get(name=ZHKH, municipality=mun)
    TopicRoute.objects.create(municipality=mun, topic="Дороги", unit=zhkh)
    link(sandbox, network, demo["curator"])
    incident = intake(demo)  # the curator is told of a new incident
    bot_messages_sweep()
    card = last_card(sandbox, network)
    tap(sandbox, network, card, f"Направить: {ZHKH}")
    incident.refresh_from_db()
    assert incident.status == Status.ROUTED
    event = IncidentEvent.objects.get(incident=incident, action="route")
    assert event.payload["units"] == [zhkh.pk] and event.payload["via"] == network


def test_forged_press_is_checked_by_the_service(sandbox: Sandbox, demo: dict[str, Any]) -> None:
    """An executor's chat sending the approve data by hand: the role check of the service refuses."""
    from otklik.channels.botapi import BotUpdate
    from otklik.staffbot.config import bot_client
    from otklik.staffbot.handler import update_handle

    link(sandbox, "telegram", demo["executor"])
    incident = intake(demo)
    draft = to_approval(demo, incident)
    update_handle(network="telegram", client=bot_client("telegram"), update=BotUpdate(
        chat_id=CHATS["telegram"], data=f"a:{incident.pk}:{draft.text_hash[:16]}", callback_id="forged"))
    incident.refresh_from_db()
    assert incident.status == Status.AWAITING_APPROVAL
    assert "недоступно" in last_card(sandbox, "telegram").text


def test_untrusted_text_is_escaped_for_telegram_html(sandbox: Sandbox, demo: dict[str, Any]) -> None:
    """The sandbox refuses HTML Telegram cannot parse, as Telegram does: the card must escape <, >, &."""
    link(sandbox, "telegram", demo["region"])
    incident = intake(demo, text="Дорога <b>разбита</b> & <script>alert(1)</script> у дома 5 > 4",
                      author="Иван <Админ> & Co")
    to_approval(demo, incident, text=DRAFT + " <i>Глава</i> & Ко.")
    bot_messages_sweep()
    assert BotMessage.objects.filter(state=BotMessage.State.SENT).count() == 1
    card = last_card(sandbox, "telegram")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in card.text and "Иван &lt;Админ&gt; &amp; Co" in card.text
    assert "&lt;i&gt;Глава&lt;/i&gt; &amp; Ко." in card.text
    assert "<b>Сообщение №" in card.text  # our own markup stays markup


def test_max_gets_plain_text_as_written(sandbox: Sandbox, demo: dict[str, Any]) -> None:
    link(sandbox, "max", demo["region"])
    incident = intake(demo, text="Дорога <b>разбита</b> & всё")
    to_approval(demo, incident)
    bot_messages_sweep()
    assert "«Дорога <b>разбита</b> & всё»" in last_card(sandbox, "max").text


def test_disabled_person_loses_the_bot_at_once(sandbox: Sandbox, network: str, demo: dict[str, Any]) -> None:
    link(sandbox, network, demo["region"])
    incident = intake(demo)
    to_approval(demo, incident)  # a message for the region is pending
    card_count = len(sandbox.bots[network].chat(CHATS[network]))
    user = demo["region"].user
    user.is_active = False
    user.save(update_fields=["is_active"])
    bot_messages_sweep()
    assert len(sandbox.bots[network].chat(CHATS[network])) == card_count  # nothing sent
    assert not ChatLink.objects.exists()
    assert BotMessage.objects.filter(state=BotMessage.State.SENT).count() == 0


def test_disabled_person_cannot_press(sandbox: Sandbox, demo: dict[str, Any]) -> None:
    link(sandbox, "telegram", demo["region"])
    incident = intake(demo)
    to_approval(demo, incident)
    bot_messages_sweep()
    card = last_card(sandbox, "telegram")
    demo["region"].user.is_active = False
    demo["region"].user.save(update_fields=["is_active"])
    tap(sandbox, "telegram", card, "Согласовать")
    incident.refresh_from_db()
    assert incident.status == Status.AWAITING_APPROVAL
    assert not ChatLink.objects.exists()


def test_reminders_and_overdue_reach_the_chat(sandbox: Sandbox, demo: dict[str, Any]) -> None:
    """The 50/80 % reminders and the overdue notice of the monitor go to the bot too."""
    from otklik.incidents.monitor import deadlines_monitor

    link(sandbox, "telegram", demo["curator"])
    incident = intake(demo)
    bot_messages_sweep()
    deadlines_monitor(now=datetime.now(MSK) + timedelta(days=10))
    bot_messages_sweep()
    texts = [m.text for m in sandbox.bots["telegram"].chat(CHATS["telegram"]) if m.from_bot]
    assert any("Срок пропущен" in t and f"№ {incident.pk}" in t for t in texts)


def test_updates_flood_is_ignored(sandbox: Sandbox, demo: dict[str, Any]) -> None:
    """30 updates a minute per chat; the chat has used 29 of them: one more is answered, the next not."""
    from django.utils import timezone

    from otklik.staffbot.models import ChatThrottle

    ChatThrottle.objects.create(network="telegram", chat_id=CHATS["telegram"], window_start=timezone.now(), count=29)
    for _ in range(3):
        sandbox.say("telegram", "/help")
    updates_poll(network="telegram")
    answered = [m for m in sandbox.bots["telegram"].chat(CHATS["telegram"]) if m.from_bot]
    assert len(answered) == 1


def test_network_failure_is_retried(sandbox: Sandbox, demo: dict[str, Any]) -> None:
    from otklik.channels.sandbox.world import Failure

    link(sandbox, "max", demo["region"])
    incident = intake(demo)
    to_approval(demo, incident)
    sandbox.world.fail(Failure(network="max", method="sendMessage", kind="server_error"))
    assert bot_messages_sweep() == 0
    message = BotMessage.objects.get()
    assert message.state == BotMessage.State.PENDING and message.next_attempt_at is not None
    assert bot_messages_sweep(now=message.next_attempt_at + timedelta(seconds=1)) == 1
