"""Writing notifications to the outbox and delivering them (after commit, in the worker)."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.utils import timezone

from otklik.notifications.mailbox import MUNICIPALITY_HEADER
from otklik.notifications.models import Notification
from otklik.org.models import Municipality, Person

log = logging.getLogger(__name__)

# The markers of п. 10 and п. 12, in the subject of the e-mails the regulation names.
MARKER_DISPATCH = "для ответа на сообщения из социальных сетей"
MARKER_DRAFT = "ответ на сообщение из социальных сетей"
MAX_ATTEMPTS = 8
# Functions that add headers to an outgoing letter (mail in adds Reply-To and its reply token);
# apps register theirs in AppConfig.ready so that this module imports none of them.
HEADER_HOOKS: list[Callable[[Notification], dict[str, str]]] = []
# Functions given the rows `notify` just created (other delivery channels, e.g. the staff bot);
# registered in AppConfig.ready, called in the same transaction.
NOTIFY_HOOKS: list[Callable[[list[Notification]], object]] = []


def notify(*, municipality: Municipality, recipients: Iterable[Person], key: str, subject: str,
           body: str, incident_id: int | None = None, email: bool = True,
           extra_addresses: Iterable[str] = (), fresh_key: bool = False) -> list[Notification]:
    """Outbox rows for each recipient (in-app, and e-mail when they have an address).

    Idempotent on `key`: calling it again for the same event creates nothing new. Delivery is
    enqueued in the surrounding transaction: the worker sees it when that commits. `fresh_key`: the key names an
    incident created in this very transaction, so no row can have it yet and none is looked up
    (the unique key would still refuse a duplicate).
    """
    rows: list[Notification] = []
    # One e-mail per address: a person with two roles, or a unit whose mailbox is its head's,
    # gets the letter once.
    addresses: set[str] = set()
    for person in {p.pk: p for p in recipients}.values():
        rows.append(Notification(key=f"{key}:inapp:{person.pk}", municipality=municipality, recipient=person,
                                 channel=Notification.Channel.INAPP, subject=subject, body=body,
                                 incident_id=incident_id, state=Notification.State.SENT,
                                 sent_at=timezone.now()))
        if email and person.email and person.email.strip().lower() not in addresses:
            addresses.add(person.email.strip().lower())
            rows.append(Notification(key=f"{key}:email:{person.pk}", municipality=municipality, recipient=person,
                                     channel=Notification.Channel.EMAIL, address=person.email,
                                     subject=subject, body=body, incident_id=incident_id))
    for address in extra_addresses:
        if address.strip().lower() in addresses:
            continue
        addresses.add(address.strip().lower())
        rows.append(Notification(key=f"{key}:email:{address}", municipality=municipality,
                                 channel=Notification.Channel.EMAIL, address=address, subject=subject,
                                 body=body, incident_id=incident_id))
    existing: set[str] = set() if fresh_key else set(
        Notification.objects.filter(key__in=[r.key for r in rows]).values_list("key", flat=True))
    fresh = [r for r in rows if r.key not in existing]
    created = Notification.objects.bulk_create(fresh)
    for hook in NOTIFY_HOOKS:
        hook(created)
    pending = [n.key for n in created if n.state == Notification.State.PENDING]
    if pending:
        _enqueue(pending)
    return created


def _enqueue(keys: list[str]) -> None:
    """The delivery task, written in the caller's transaction: the task queue is a table of the
    same database, so the task commits with the letters it delivers or not at all, and a hand-in
    pays for no second transaction (an after-commit enqueue was one more commit per hand-in)."""
    from otklik.notifications.tasks import deliver_notifications

    deliver_notifications.enqueue(keys)


def message_id_for(n: Notification) -> str:
    """The letter's Message-ID, the same on every attempt: a letter the SMTP server accepted just
    before its worker died is sent again after STUCK_AFTER (it cannot be known whether it left),
    and the copy carries the first one's Message-ID, so a mailbox that drops duplicates (Gmail,
    Otklik's own mail in) keeps one letter."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "otklik.local"
    digest = hashlib.sha256(n.key.encode()).hexdigest()[:16]
    return f"<otklik.n{n.pk}.{digest}@{domain}>"


def notification_deliver(*, key: str) -> bool:
    """Send one pending e-mail; safe to run twice (the claim is a conditional UPDATE)."""
    now = timezone.now()
    claimed = Notification.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        key=key, state=Notification.State.PENDING,
    ).update(state=Notification.State.SENDING, attempts=F("attempts") + 1, sending_since=now)
    if not claimed:
        return False
    n = Notification.objects.select_related("municipality").get(key=key)
    try:
        # The sender's name is the municipality's: people see who writes, not «otklik@…».
        sender = formataddr((n.municipality.name, settings.DEFAULT_FROM_EMAIL))
        headers = {"Message-ID": message_id_for(n), MUNICIPALITY_HEADER: n.municipality.slug}
        for hook in HEADER_HOOKS:
            headers.update(hook(n))
        reply_to = headers.pop("Reply-To", "")
        EmailMessage(subject=n.subject, body=n.body, to=[n.address], from_email=sender,
                     reply_to=[reply_to] if reply_to else None, headers=headers).send()
    except Exception as exc:  # transient or not, retry with backoff, then give up visibly
        final = n.attempts >= MAX_ATTEMPTS
        Notification.objects.filter(pk=n.pk).update(
            state=Notification.State.FAILED if final else Notification.State.PENDING,
            next_attempt_at=now + timedelta(seconds=min(3600, 15 * 2 ** n.attempts)),
            last_error=str(exc)[:2000],
        )
        log.warning("mail %s failed (attempt %s): %s", key, n.attempts, exc)
        return False
    Notification.objects.filter(pk=n.pk).update(state=Notification.State.SENT, sent_at=timezone.now())
    return True


# A row «sending» for longer than this was claimed by a worker that died mid-delivery (the SMTP
# call times out long before: EMAIL_TIMEOUT). It goes back to «pending». The letter may have
# left just before the death: then it is sent again (at least once — a letter lost silently is
# worse than a duplicate, and the SMTP peer cannot be asked), with the same Message-ID.
STUCK_AFTER = timedelta(minutes=5)


def notifications_unstick(*, now: datetime | None = None) -> int:
    """Give the deliveries of dead workers back to the queue; returns how many."""
    now = now or timezone.now()
    return Notification.objects.filter(
        Q(sending_since__lt=now - STUCK_AFTER) | Q(sending_since__isnull=True),
        state=Notification.State.SENDING,
    ).update(state=Notification.State.PENDING, next_attempt_at=None, sending_since=None,
             last_error="Отправка прервалась (обработчик остановился) — письмо отправляется повторно.")


def notifications_sweep() -> int:
    """Deliver what is pending and due (covers a lost task, a retry after backoff, and a
    delivery a dead worker left «sending»)."""
    notifications_unstick()
    now = timezone.now()
    keys = list(
        Notification.objects.filter(
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
            state=Notification.State.PENDING,
        ).order_by("created_at", "pk").values_list("key", flat=True)[:200]  # in the order written
    )
    return sum(notification_deliver(key=k) for k in keys)


def inbox_mark_read(*, person: Person) -> int:
    return Notification.objects.filter(
        recipient=person, channel=Notification.Channel.INAPP, read_at__isnull=True
    ).update(read_at=timezone.now())
