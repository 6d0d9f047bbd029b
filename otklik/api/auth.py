"""Bearer-token authentication and the Access a key acts with.

A key bound to a person acts as that person, with the roles the key was issued with that the
person still holds, never beyond the key's municipality (a regional curator's key sees one
municipality, not the whole region). A key whose person was deactivated, left, or lost every
role of the key is refused (401) by `ApiKey.for_token`.
A key without a person is the regional system integration: it may hand incidents in and read
its municipality's incidents (a region-wide key: every municipality of its region); it takes no workflow actions (those need a named person, so the
history always says who acted).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from otklik.api.models import ApiKey
from otklik.org.models import Municipality
from otklik.org.selectors import Access


@dataclass(frozen=True)
class ScopedAccess(Access):
    """A person's Access narrowed to the API key's one municipality."""

    municipality_id: int = 0

    def municipalities(self) -> QuerySet[Municipality]:
        return super().municipalities().filter(pk=self.municipality_id)


LAST_USED_GRAIN = timedelta(minutes=1)


class ApiKeyAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        key = ApiKey.for_token(token)
        if key is None:
            return None
        # To the minute: one UPDATE a minute per key, not a write on the same row by every
        # request of an integration handing in hundreds a second.
        now = timezone.now()
        if key.last_used_at is None or now - key.last_used_at >= LAST_USED_GRAIN:
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        return key


def key_of(request: HttpRequest) -> ApiKey:
    key = request.auth  # type: ignore[attr-defined]
    assert isinstance(key, ApiKey)  # noqa: S101  (set by ApiKeyAuth on every route)
    return key


def access_of(key: ApiKey) -> ScopedAccess | None:
    """The key's Access, or None for a key without a person (system integration)."""
    if key.person is None or key.municipality_id is None:  # region-wide keys have no person
        return None
    return ScopedAccess(person=key.person, roles=key.held_roles(), municipality_id=key.municipality_id)
