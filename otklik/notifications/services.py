"""Writing notifications to the outbox and delivering them (after commit, in the worker)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
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


def notify(*, municipality: Municipality, recipients: Iterable[Person], key: str, subject: str,
           body: str, incident_id: int | None = None, email: bool = True,
           extra_addresses: Iterable[str] = ()) -> list[Notification]:
    """Outbox rows for each recipient (in-app, and e-mail when they have an address).

    Idempotent on `key`: calling it again for the same event creates nothing new. Delivery is
    enqueued to run after the surrounding transaction commits.
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
    existing = set(Notification.objects.filter(key__in=[r.key for r in rows]).values_list("key", flat=True))
    fresh = [r for r in rows if r.key not in existing]
    created = Notification.objects.bulk_create(fresh)
    pending = [n.key for n in created if n.state == Notification.State.PENDING]
    if pending:
        transaction.on_commit(lambda: _enqueue(pending))
    return created


def _enqueue(keys: list[str]) -> None:
    from otklik.notifications.tasks import deliver_notifications

    try:
        deliver_notifications.enqueue(keys)
    except Exception:  # the periodic sweep delivers it anyway
        log.exception("could not enqueue delivery")


def notification_deliver(*, key: str) -> bool:
    """Send one pending e-mail; safe to run twice (the claim is a conditional UPDATE)."""
    now = timezone.now()
    claimed = Notification.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        key=key, state=Notification.State.PENDING,
    ).update(state=Notification.State.SENDING, attempts=F("attempts") + 1)
    if not claimed:
        return False
    n = Notification.objects.select_related("municipality").get(key=key)
    try:
        # The sender's name is the municipality's: people see who writes, not «otklik@…».
        sender = formataddr((n.municipality.name, settings.DEFAULT_FROM_EMAIL))
        EmailMessage(subject=n.subject, body=n.body, to=[n.address], from_email=sender,
                     headers={MUNICIPALITY_HEADER: n.municipality.slug}).send()
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


def notifications_sweep() -> int:
    """Deliver what is pending and due (covers a lost task or a retry after backoff)."""
    now = timezone.now()
    keys = list(
        Notification.objects.filter(
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
            state=Notification.State.PENDING,
        ).values_list("key", flat=True)[:200]
    )
    return sum(notification_deliver(key=k) for k in keys)


def inbox_mark_read(*, person: Person) -> int:
    return Notification.objects.filter(
        recipient=person, channel=Notification.Channel.INAPP, read_at__isnull=True
    ).update(read_at=timezone.now())
