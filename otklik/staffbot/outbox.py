"""The bot as a delivery channel: incident notifications a person gets also go to their chats.

`bot_messages_for` runs inside `notify` (the same transaction): for every in-app row about an
incident — new work, the 50/80 % reminders, overdue notices, returns, approvals — each linked
chat of the recipient gets an outbox row. The worker sends it after commit; the card is built
at send time, so its buttons match the incident's state then.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from otklik.channels.base import ErrorKind, NetworkError
from otklik.incidents.models import Incident
from otklik.incidents.selectors import incident_get_for
from otklik.notifications.models import Notification
from otklik.staffbot.cards import incident_card
from otklik.staffbot.config import bot_client, networks_on
from otklik.staffbot.models import BotMessage, ChatLink
from otklik.staffbot.services import link_access

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
TRANSIENT = (ErrorKind.RETRY, ErrorKind.RATE_LIMITED, ErrorKind.TIMEOUT)


def bot_messages_for(created: list[Notification]) -> list[BotMessage]:
    rows = [n for n in created if n.channel == Notification.Channel.INAPP and n.incident_id and n.recipient_id]
    networks = networks_on()
    if not rows or not networks:
        return []
    links = ChatLink.objects.filter(person_id__in={n.recipient_id for n in rows}, network__in=networks,
                                    person__user__is_active=True)
    by_person: dict[int, list[ChatLink]] = {}
    for link in links:
        by_person.setdefault(link.person_id, []).append(link)
    messages = [BotMessage(key=f"{n.key}:bot:{link.network}", link=link, incident_id=n.incident_id,
                           subject=n.subject[:500])
                for n in rows for link in by_person.get(n.recipient_id or 0, [])]
    existing = set(BotMessage.objects.filter(key__in=[m.key for m in messages]).values_list("key", flat=True))
    made = BotMessage.objects.bulk_create([m for m in messages if m.key not in existing])
    if made:
        keys = [m.key for m in made]
        transaction.on_commit(lambda: _enqueue(keys))
    return made


def _enqueue(keys: list[str]) -> None:
    from otklik.staffbot.tasks import deliver_bot_messages

    try:
        deliver_bot_messages.enqueue(keys)
    except Exception:  # the periodic sweep delivers it anyway
        log.exception("could not enqueue bot delivery")


def bot_message_deliver(*, key: str, now: datetime | None = None) -> bool:
    """Send one message; safe to run twice (claimed with a conditional UPDATE)."""
    now = now or timezone.now()
    claimed = BotMessage.objects.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
                                        key=key, state=BotMessage.State.PENDING).update(
        state=BotMessage.State.SENDING, attempts=F("attempts") + 1)
    if not claimed:
        return False
    message = BotMessage.objects.select_related("link").get(key=key)
    access = link_access(message.link) if message.link.network in networks_on() else None
    if access is None:  # switched off, unlinked meanwhile, or the bot has no token any more
        BotMessage.objects.filter(pk=message.pk).update(state=BotMessage.State.FAILED,
                                                         last_error="Получатель отключён или бот не настроен.")
        return False
    try:
        incident = incident_get_for(access=access, pk=message.incident_id or 0)
    except Incident.DoesNotExist:  # no longer theirs to see: nothing is said about it
        BotMessage.objects.filter(pk=message.pk).update(state=BotMessage.State.FAILED,
                                                         last_error="Сообщение недоступно получателю.")
        return False
    client = bot_client(message.link.network)
    try:
        card = incident_card(incident=incident, access=access, client=client, subject=message.subject)
        sent_id = client.send(message.link.chat_id, card.text, card.buttons)
    except NetworkError as exc:
        final = exc.kind not in TRANSIENT or message.attempts >= MAX_ATTEMPTS
        wait = exc.retry_after or min(3600, 15 * 2 ** message.attempts)
        BotMessage.objects.filter(pk=message.pk).update(
            state=BotMessage.State.FAILED if final else BotMessage.State.PENDING,
            next_attempt_at=now + timedelta(seconds=wait), last_error=exc.message_ru[:2000])
        return False
    BotMessage.objects.filter(pk=message.pk).update(state=BotMessage.State.SENT, sent_at=timezone.now(),
                                                     message_id=sent_id)
    return True


def bot_messages_sweep(*, now: datetime | None = None) -> int:
    """Deliver what is pending and due; give back what a dead worker left «sending»."""
    now = now or timezone.now()
    BotMessage.objects.filter(state=BotMessage.State.SENDING, created_at__lt=now - timedelta(minutes=5),
                              sent_at__isnull=True).update(state=BotMessage.State.PENDING)
    keys = list(BotMessage.objects.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
                                          state=BotMessage.State.PENDING).values_list("key", flat=True)[:100])
    return sum(bot_message_deliver(key=k, now=now) for k in keys)
