"""In-app notifications: each person sees their own, escaped, and can mark them read."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from otklik.notifications.models import Notification
from otklik.notifications.services import notify

pytestmark = pytest.mark.django_db


def test_inbox_shows_own_notifications_escaped_and_marks_read(demo: dict[str, Any], settings: Any) -> None:
    settings.OTKLIK_REQUIRE_2FA = False
    municipality = demo["curator"].municipality
    notify(municipality=municipality, recipients=[demo["curator"]], key="t:1", subject="Новое сообщение № 1",
           body="<script>alert(1)</script> яма", email=False)
    notify(municipality=municipality, recipients=[demo["land"]], key="t:2", subject="Чужое", body="x", email=False)
    notify(municipality=municipality, recipients=[demo["curator"]], key="t:1", subject="дубль", body="x", email=False)
    client = Client()
    client.force_login(demo["curator"].user)
    page = client.get("/mail/inbox/").content.decode()
    assert "Новое сообщение № 1" in page and "Чужое" not in page and "дубль" not in page
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    assert "Уведомления (1)" in page
    assert client.post("/mail/inbox/").status_code == 302
    assert not Notification.objects.filter(recipient=demo["curator"], read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=demo["land"], read_at__isnull=True).exists()
