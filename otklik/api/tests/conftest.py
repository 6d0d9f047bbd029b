"""Helpers for the API tests: keys and a client that sends the bearer token."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from otklik.api.models import ApiKey
from otklik.org.models import Municipality, Person

SLUG = "plastunovskoe"


class ApiClient:
    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, **self.headers)

    def post(self, path: str, body: Any = None) -> Any:
        data = "" if body is None else body
        return self.client.post(f"/api/v1{path}", data, content_type="application/json", **self.headers)


def make_key(slug: str = SLUG, person: Person | None = None, name: str = "ЦУР") -> tuple[ApiKey, str]:
    return ApiKey.issue(municipality=Municipality.objects.get(slug=slug), name=name, person=person)


@pytest.fixture(autouse=True)
def _after_the_hand_in() -> Any:
    """The bodies below were detected on Fri 04.12.2026: the server's clock is just after."""
    with time_machine.travel(datetime(2026, 12, 4, 18, 0, tzinfo=ZoneInfo("Europe/Moscow")), tick=True):
        yield


@pytest.fixture
def api_as(demo: dict[str, Any]) -> Callable[[str | None], ApiClient]:
    """A client with a key of the demo municipality: bound to the login given, or a system key."""

    def build(login: str | None = None) -> ApiClient:
        _, token = make_key(person=demo[login] if login else None, name=f"test {login or 'system'}")
        return ApiClient(token)

    return build


def incident_body(**over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "external_id": "cur-1001",
        "municipality": SLUG,
        "kind": "incident",
        "importance": "normal",
        "network": "vk",
        "url": "https://vk.com/wall-1_2",
        "author": {"name": "Анна Петрова", "url": "https://vk.com/id1"},
        "text": "Яма на ул. Красной, 15",
        "detected_at": "2026-12-04T16:30:00+03:00",
        "handed_over_at": "2026-12-04T17:50:00+03:00",
        "topic": "дороги",
        "location": "ул. Красная, 15",
        "attachments": ["https://vk.com/photo-1_1"],
    }
    body.update(over)
    return body
