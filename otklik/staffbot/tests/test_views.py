"""Профиль → «Бот в Telegram и MAX»: the code is shown once, unlinking is one's own only."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from otklik.staffbot.models import ChatLink, LinkCode

pytestmark = pytest.mark.django_db


@pytest.fixture
def tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTKLIK_STAFFBOT_TELEGRAM_TOKEN", "1:x")
    monkeypatch.delenv("OTKLIK_STAFFBOT_MAX_TOKEN", raising=False)


def signed_in(demo: dict[str, Any], login: str) -> Client:
    client = Client()
    client.force_login(demo[login].user)
    return client


def test_needs_sign_in(db: None) -> None:
    assert Client().get("/settings/bot/").status_code == 302


def test_profile_links_to_the_bot_page(demo: dict[str, Any], settings: Any) -> None:
    settings.OTKLIK_REQUIRE_2FA = False
    page = signed_in(demo, "executor").get("/profile/")
    assert "Привязать Telegram / MAX" in page.content.decode()


def test_code_is_shown_once_and_stored_hashed(demo: dict[str, Any], tokens: None) -> None:
    client = signed_in(demo, "executor")
    page = client.get("/settings/bot/")
    assert "Привязать Telegram / MAX" in page.content.decode() and "Telegram" in page.content.decode()
    page = client.post("/settings/bot/", {"action": "code"})
    text = page.content.decode()
    code = text.split('<span class="code">')[1].split("<")[0]
    assert len(code) == 8 and code.isdigit()
    stored = LinkCode.objects.get(person=demo["executor"])
    assert code not in stored.code_hash and len(stored.code_hash) == 64
    assert "действует 10 минут" in text


def test_unlink_touches_only_ones_own_chat(demo: dict[str, Any], tokens: None) -> None:
    now = timezone.now()
    ChatLink.objects.create(person=demo["executor"], network="telegram", chat_id="1", linked_at=now)
    ChatLink.objects.create(person=demo["curator"], network="telegram", chat_id="2", linked_at=now)
    client = signed_in(demo, "executor")
    assert client.post("/settings/bot/", {"action": "unlink", "network": "telegram"}).status_code == 302
    assert list(ChatLink.objects.values_list("chat_id", flat=True)) == ["2"]


def test_unknown_action_is_refused_in_russian(demo: dict[str, Any], tokens: None) -> None:
    page = signed_in(demo, "executor").post("/settings/bot/", {"action": "drop"})
    assert page.status_code == 422 and "Неизвестное действие" in page.content.decode()


def test_no_bot_configured_says_so(demo: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OTKLIK_STAFFBOT_TELEGRAM_TOKEN", raising=False)
    monkeypatch.delenv("OTKLIK_STAFFBOT_MAX_TOKEN", raising=False)
    text = signed_in(demo, "executor").get("/settings/bot/").content.decode()
    assert "Бот пока не настроен" in text and 'value="code"' not in text


@pytest.mark.parametrize(("url", "button"), [
    ("https://otklik.admin-plastun.ru/incidents/5/", True),
    ("http://127.0.0.1:8000/incidents/5/", False),
    ("http://localhost:8000/incidents/5/", False),
    ("http://otklik/incidents/5/", False),
])
def test_link_button_only_for_public_addresses(url: str, button: bool) -> None:
    from otklik.staffbot.cards import _public

    assert _public(url) is button
