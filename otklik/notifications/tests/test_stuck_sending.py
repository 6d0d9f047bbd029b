"""A letter a worker claimed and then died on («sending», the worker killed) is not lost: after
STUCK_AFTER the sweep gives it back to the queue and it goes out through real SMTP; a letter
being sent right now by a live worker is left alone."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from otklik.incidents.tests.test_monitor_mail import Inbox, smtp  # noqa: F401  (the SMTP fixture)
from otklik.notifications.models import Notification
from otklik.notifications.services import (
    STUCK_AFTER,
    notifications_sweep,
    notifications_unstick,
    notify,
)

pytestmark = pytest.mark.django_db


def claimed_by_a_dead_worker(demo: dict[str, Any], key: str) -> Notification:
    """What `notification_deliver` leaves when the process dies between its claim and its send."""
    notify(municipality=demo["curator"].municipality, recipients=[demo["curator"]], key=key,
           subject="Проверка", body="Текст письма")
    row = Notification.objects.get(key=f"{key}:email:{demo['curator'].pk}")
    Notification.objects.filter(pk=row.pk).update(state=Notification.State.SENDING, attempts=1,
                                                  sending_since=timezone.now())
    return row


def test_a_letter_left_sending_by_a_dead_worker_goes_out(demo: dict[str, Any], smtp: Inbox) -> None:  # noqa: F811
    row = claimed_by_a_dead_worker(demo, "dead")
    notifications_sweep()  # the worker may still be alive: not yet
    assert smtp.messages == []
    with time_machine.travel(timezone.now() + STUCK_AFTER + timedelta(seconds=1)):
        notifications_sweep()
    row.refresh_from_db()
    assert row.state == Notification.State.SENT and row.attempts == 2
    assert smtp.subjects() == ["Проверка"]
    assert "повторно" in row.last_error


def test_only_the_stuck_are_released(demo: dict[str, Any]) -> None:
    old = claimed_by_a_dead_worker(demo, "old")
    fresh = claimed_by_a_dead_worker(demo, "fresh")
    Notification.objects.filter(pk=old.pk).update(sending_since=timezone.now() - STUCK_AFTER - timedelta(minutes=1))
    assert notifications_unstick() == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.state == Notification.State.PENDING and old.sending_since is None
    assert fresh.state == Notification.State.SENDING


def test_a_claim_records_when(demo: dict[str, Any], settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    notify(municipality=demo["curator"].municipality, recipients=[demo["curator"]], key="k",
           subject="Проверка", body="Текст")
    notifications_sweep()
    row = Notification.objects.get(channel=Notification.Channel.EMAIL, key__startswith="k:")
    assert row.state == Notification.State.PENDING and row.sending_since is not None  # claimed, failed, waits


def test_a_letter_sent_again_after_a_death_keeps_its_message_id(demo: dict[str, Any], smtp: Inbox) -> None:  # noqa: F811
    """The worst case of a death: SMTP accepted the letter, the worker died before it wrote
    «sent». The letter goes again (at least once), with the same Message-ID, so that a mailbox
    that drops duplicates keeps one; another letter has its own."""
    notify(municipality=demo["curator"].municipality, recipients=[demo["curator"]], key="twice",
           subject="Дважды", body="Текст письма")
    notify(municipality=demo["curator"].municipality, recipients=[demo["curator"]], key="other",
           subject="Другое", body="Текст письма")
    notifications_sweep()
    assert sorted(smtp.subjects()) == ["Дважды", "Другое"]
    # As if «sent» had never been written: the row is left «sending» by the dead worker.
    row = Notification.objects.get(key=f"twice:email:{demo['curator'].pk}")
    Notification.objects.filter(pk=row.pk).update(state=Notification.State.SENDING, sending_since=timezone.now())
    with time_machine.travel(timezone.now() + STUCK_AFTER + timedelta(seconds=1)):
        notifications_sweep()
    ids: dict[str, list[str]] = {}
    for subject, m in zip(smtp.subjects(), smtp.messages, strict=True):
        ids.setdefault(subject, []).append(m["Message-ID"])
    twice, other = ids["Дважды"], ids["Другое"]
    assert len(twice) == 2 and twice[0] == twice[1]
    assert len(other) == 1 and other[0] != twice[0]
