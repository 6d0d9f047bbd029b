"""The SMTP server down for a while: letters wait, the curator sees why, and when the server is
back they go out once each, in the order they were written (issue 14)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from otklik.core.models import Ticker
from otklik.notifications.models import Notification
from otklik.notifications.services import notify
from otklik.org.demo import demo_load
from otklik.org.models import Municipality, Person
from tests.faults.conftest import WORKER, Proc, SmtpPeer, wait_for

pytestmark = [pytest.mark.faults, pytest.mark.postgres]
LETTERS = 5


def test_letters_wait_for_the_smtp_server_and_go_out_in_order(
        pg_env: dict[str, str], smtp: SmtpPeer, procs: Callable[..., Proc], settings: Any) -> None:
    settings.OTKLIK_REQUIRE_2FA = False
    demo_load()
    smtp.stop()  # the mail server is down
    procs(*WORKER, env={**pg_env, "EMAIL_URL": smtp.url}, name="worker")
    municipality = Municipality.objects.get(slug="plastunovskoe")
    for i in range(LETTERS):
        notify(municipality=municipality, recipients=[], key=f"down:{i}", subject=f"Очередь писем № {i}",
               body="Письмо, написанное, пока почтовый сервер лежал.", extra_addresses=[f"unit{i}@example.test"])
    ours = Notification.objects.filter(key__startswith="down:")
    wait_for(lambda: ours.filter(attempts__gte=1, state=Notification.State.PENDING).exclude(last_error="").count()
             == LETTERS, 60, "каждое письмо попробовали отправить и отложили")

    # The curator sees each letter waiting, and why, on «Отправленные письма».
    client = Client()
    client.force_login(Person.objects.get(user__username="curator").user)
    page = client.get("/mail/sent/").content.decode()
    assert page.count("Ожидает отправки") >= LETTERS
    assert str(ours.first().last_error)[:40] in page  # type: ignore[union-attr]

    smtp.start()  # back, on the same address
    # «Time passes»: the backoff (30 s after the first failure) is over, the sweep's tick is due.
    ours.update(next_attempt_at=timezone.now())
    Ticker.objects.filter(name="notifications-sweep").update(last_run=None)
    wait_for(lambda: ours.filter(state=Notification.State.SENT).count() == LETTERS, 60, "письма ушли")
    received = [s for s in smtp.recorder.subjects if s.startswith("Очередь писем")]
    assert received == [f"Очередь писем № {i}" for i in range(LETTERS)]
