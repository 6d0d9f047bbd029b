"""Reminders at 50 % and 80 % of a step, misses to the curator and deputy head, delivered by a
real SMTP conversation (aiosmtpd on loopback), never twice for the same event."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.header import decode_header, make_header
from typing import Any

import pytest
import time_machine
from aiosmtpd.controller import Controller

from otklik.incidents.monitor import deadlines_monitor
from otklik.incidents.tests.test_services import at, intake
from otklik.notifications.models import Notification
from otklik.notifications.services import notifications_sweep

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def subjects(self) -> list[str]:
        return [str(make_header(decode_header(m["Subject"]))) for m in self.messages]


@pytest.fixture
def smtp(settings: Any) -> Iterator[Inbox]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    try:
        yield inbox
    finally:
        controller.stop()


def test_warnings_and_miss_reach_smtp_once(demo: dict[str, Any], smtp: Inbox) -> None:
    incident = intake(demo, detected=at(7, 9), handed=at(7, 9))  # route step: 09:00–09:30
    with time_machine.travel(at(7, 9, 16), tick=False):
        assert deadlines_monitor()["warned"] >= 1  # 50 % of the route step
        notifications_sweep()
    with time_machine.travel(at(7, 9, 25), tick=False):
        deadlines_monitor()  # 80 %
        deadlines_monitor()  # a second tick sends nothing new
        notifications_sweep()
    with time_machine.travel(at(7, 9, 31), tick=False):
        assert deadlines_monitor()["missed"] == 1
        assert deadlines_monitor()["missed"] == 0
        notifications_sweep()
        notifications_sweep()
    subjects = smtp.subjects()
    route_50 = [s for s in subjects if s.startswith("Прошло 50 %") and "Направление" in s]
    route_80 = [s for s in subjects if s.startswith("Прошло 80 %") and "Направление" in s]
    missed = [s for s in subjects if s.startswith("Срок пропущен") and "Направление" in s]
    curator_email = demo["curator"].email
    assert len(route_50) == 1 and len(route_80) == 1  # one curator: one e-mail each
    assert len(missed) == 2  # the municipal curator and the deputy head
    rcpts = {m["To"] for m in smtp.messages if "Срок пропущен" in str(make_header(decode_header(m["Subject"])))}
    assert rcpts == {curator_email, demo["deputy"].email}
    assert not Notification.objects.filter(incident_id=incident.pk, state="pending").exists()


def test_failed_delivery_is_retried_not_lost(demo: dict[str, Any], settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    intake(demo)
    notifications_sweep()
    failed = Notification.objects.filter(channel="email").first()
    assert failed is not None and failed.state == "pending" and failed.attempts == 1 and failed.last_error
    assert failed.next_attempt_at is not None


def test_warning_shares_are_configurable(demo: dict[str, Any]) -> None:
    from datetime import date

    from otklik.incidents.models import DeadlinePolicy

    DeadlinePolicy.objects.create(municipality=demo["curator"].municipality, effective_from=date(2026, 1, 1),
                                  warn_shares=[0.9])
    intake(demo, detected=at(7, 9), handed=at(7, 9))
    with time_machine.travel(at(7, 9, 25), tick=False):  # 83 % of the route step: below 90 %
        assert deadlines_monitor()["warned"] == 0
    with time_machine.travel(at(7, 9, 28), tick=False):  # 93 %
        assert deadlines_monitor()["warned"] == 1
