"""Every view refuses the wrong role and the wrong municipality (walks the URL map)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from otklik.core.access import ALL_ROLES
from otklik.org.models import Municipality, Person, PersonRole, Region, Unit
from otklik.org.roles import Role

pytestmark = pytest.mark.django_db

# Views open to anyone by design: signing in and out.
PUBLIC = {"login", "logout"}
# Views for a signed-in user before the person is known to hold a role: the second factor.
SIGNED_IN = {"otp-verify", "otp-setup"}


def _walk(patterns: list[Any], prefix: str = "", ns: str = "") -> Iterator[tuple[str, str, URLPattern]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.app_name == "admin":
                continue  # Django admin: staff only, its own permission checks
            if p.namespace == "api":
                continue  # the REST API: bearer keys, tested in otklik/api/tests
            sub_ns = f"{ns}{p.namespace}:" if p.namespace else ns
            yield from _walk(p.url_patterns, prefix + str(p.pattern), sub_ns)
        elif isinstance(p, URLPattern):
            yield f"{ns}{p.name}", prefix + str(p.pattern), p


def _views() -> list[tuple[str, str, URLPattern]]:
    return [v for v in _walk(get_resolver().url_patterns) if v[0].split(":")[-1] not in PUBLIC]


def _fill(route: str, pk: int) -> str:
    import re

    path = re.sub(r"<(?:\w+:)?\w+>", str(pk), route)
    return "/" + path.lstrip("^").rstrip("$")


def _stranger(role: str) -> Person:
    """A person of another region and municipality holding `role`."""
    from django.contrib.auth import get_user_model

    region = Region.objects.get_or_create(slug="far", defaults={"name": "Дальний край"})[0]
    mun = Municipality.objects.get_or_create(slug="far-mo", defaults={"region": region, "name": "Дальнее МО"})[0]
    unit = Unit.objects.get_or_create(municipality=mun, name="Дальний отдел")[0]
    user = get_user_model().objects.create_user(username=f"far-{role}", password="x-far-pass")
    person = Person.objects.create(user=user, full_name=f"Чужой {role}", region=region, municipality=mun, unit=unit)
    PersonRole.objects.create(person=person, role=role)
    return person


def test_every_view_is_registered_with_roles() -> None:
    for name, route, pattern in _views():
        if name in SIGNED_IN:
            continue
        roles = getattr(pattern.callback, "otklik_roles", None)
        assert roles, f"{name} ({route}) has no @requires(...) role check"


def test_anonymous_is_sent_to_signin_everywhere(demo: dict[str, Any]) -> None:
    client = Client()
    for name, route, _ in _views():
        response = client.get(_fill(route, 1))
        assert response.status_code == 302, name
        assert response["Location"].startswith("/login/"), name


def test_wrong_role_is_refused_everywhere(demo: dict[str, Any], settings: Any) -> None:
    settings.OTKLIK_REQUIRE_2FA = False
    checked = 0
    for name, route, pattern in _views():
        roles = getattr(pattern.callback, "otklik_roles", ())
        if ALL_ROLES in roles or name in SIGNED_IN:
            continue
        for role in Role:
            if role in roles:
                continue
            person = Person.objects.filter(role_grants__role=role, municipality__slug="plastunovskoe").first()
            if person is None or set(person.role_grants.values_list("role", flat=True)) & set(roles):
                continue
            client = Client()
            client.force_login(person.user)
            assert client.get(_fill(route, 1)).status_code == 403, f"{name} open to {role}"
            checked += 1
    assert checked > 0


def test_wrong_municipality_is_refused_everywhere(demo: dict[str, Any], settings: Any) -> None:
    """An object of the demo municipality is invisible to the same role elsewhere."""
    settings.OTKLIK_REQUIRE_2FA = False
    from otklik.core.tests.objects import objects_for_route

    checked = 0
    for name, route, pattern in _views():
        roles = getattr(pattern.callback, "otklik_roles", ())
        if "<" not in route or name in SIGNED_IN:
            continue
        for pk in objects_for_route(name):
            for role in roles if ALL_ROLES not in roles else [Role.ADMINISTRATOR]:
                client = Client()
                client.force_login(_stranger(role).user)
                response = client.get(_fill(route, pk))
                assert response.status_code in (403, 404), f"{name} pk={pk} open to {role} elsewhere"
                get_user_model().objects.filter(username=f"far-{role}").delete()
                checked += 1
    assert checked > 0
