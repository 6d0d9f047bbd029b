"""A key is only as alive as its owner: deactivated, left, lost the role, expired → 401.
Keys are issued, listed and revoked by the municipality's administrator in the interface."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from otklik.api.models import ApiKey, secret_hash
from otklik.api.tests.conftest import ApiClient, incident_body, make_key
from otklik.org.models import Municipality, PersonRole
from otklik.org.roles import Role

pytestmark = pytest.mark.django_db
Api = Callable[[str | None], ApiClient]


@pytest.fixture(autouse=True)
def _no_2fa(settings: Any) -> None:
    settings.OTKLIK_REQUIRE_2FA = False


def _curator_key(demo: dict[str, Any]) -> tuple[ApiKey, ApiClient]:
    key, token = make_key(person=demo["curator"], name="бот куратора")
    return key, ApiClient(token)


def _incident(api_as: Api) -> int:
    return int(api_as(None).post("/incidents", incident_body()).json()["id"])


def test_a_live_key_works(demo: dict[str, Any], api_as: Api) -> None:
    pk = _incident(api_as)
    _, client = _curator_key(demo)
    assert client.get(f"/incidents/{pk}").status_code == 200


def test_deactivated_user_kills_the_key_at_once(demo: dict[str, Any], api_as: Api) -> None:
    pk = _incident(api_as)
    _, client = _curator_key(demo)
    user = demo["curator"].user
    user.is_active = False
    user.save()
    assert client.get(f"/incidents/{pk}").status_code == 401
    assert client.get("/incidents").status_code == 401
    r = client.post(f"/incidents/{pk}/actions/raise_importance")
    assert r.status_code == 401 and "Bearer" in r.json()["detail"]


def test_losing_the_role_the_action_needs_is_401(demo: dict[str, Any], api_as: Api) -> None:
    pk = _incident(api_as)
    key, client = _curator_key(demo)
    # The curator also holds the administrator role: the key lives on, but not for curating.
    PersonRole.objects.create(person=demo["curator"], role=Role.ADMINISTRATOR)
    key.roles = [Role.MUNICIPAL_CURATOR, Role.ADMINISTRATOR]
    key.save()
    PersonRole.objects.filter(person=demo["curator"], role=Role.MUNICIPAL_CURATOR).delete()
    assert client.get(f"/incidents/{pk}").status_code == 200
    r = client.post(f"/incidents/{pk}/actions/raise_importance")
    assert r.status_code == 401 and "роли" in r.json()["detail"]
    # With no role of the key left, the key is dead everywhere.
    PersonRole.objects.filter(person=demo["curator"]).delete()
    assert client.get(f"/incidents/{pk}").status_code == 401


def test_a_role_the_key_was_not_issued_with_is_not_used(demo: dict[str, Any], api_as: Api) -> None:
    pk = _incident(api_as)
    key, client = _curator_key(demo)
    PersonRole.objects.create(person=demo["curator"], role=Role.REGIONAL_CURATOR)  # granted later
    assert Role.REGIONAL_CURATOR not in key.roles
    assert client.post(f"/incidents/{pk}/actions/return", {"reasons": [{"code": "greeting"}]}).status_code in (403, 409)


def test_leaving_the_municipality_kills_the_key(demo: dict[str, Any], api_as: Api) -> None:
    pk = _incident(api_as)
    _, client = _curator_key(demo)
    person = demo["curator"]
    person.municipality = Municipality.objects.get(slug="novotitarovskoe")
    person.unit = None
    person.save()
    assert client.get(f"/incidents/{pk}").status_code == 401


def test_an_expired_key_is_401(demo: dict[str, Any], api_as: Api) -> None:
    key, client = _curator_key(demo)
    assert client.get("/incidents").status_code == 200
    ApiKey.objects.filter(pk=key.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/incidents").status_code == 401


@pytest.mark.parametrize("token", ["", "abc", "0" * 12 + ".x", "zz.zz", "\x00" * 20, "a" * 5000,
                                   "012345abcdef." + "\ud800" * 30])
def test_malformed_tokens_are_401_not_500(demo: dict[str, Any], token: str) -> None:
    client = Client()
    try:
        header = f"Bearer {token}"
        header.encode("latin-1")
    except UnicodeEncodeError:
        header = "Bearer " + token.encode("utf-8", "surrogatepass").decode("latin-1")
    assert client.get("/api/v1/incidents", HTTP_AUTHORIZATION=header).status_code == 401


def _admin() -> Client:
    from otklik.org.models import Person

    client = Client()
    client.force_login(Person.objects.get(user__username="admin").user)
    return client


def test_the_administrator_issues_lists_and_revokes_keys(demo: dict[str, Any]) -> None:
    client = _admin()
    page = client.post(reverse("api-keys"), {"name": "Региональная система", "person": demo["curator"].pk,
                                             "expires_on": (timezone.localdate() + timedelta(days=30)).isoformat()})
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    html = page.content.decode()
    token = re.search(r'<pre class="mail token">([^<]+)</pre>', html).group(1)  # type: ignore[union-attr]
    prefix, secret = token.split(".", 1)
    key = ApiKey.objects.get(prefix=prefix)
    assert key.hashed_secret == secret_hash(secret) and key.created_by == demo["admin"]
    assert key.person == demo["curator"] and key.roles == [Role.MUNICIPAL_CURATOR] and key.expires_at is not None
    assert ApiClient(token).get("/incidents").status_code == 200
    listing = client.get(reverse("api-keys")).content.decode()
    assert secret not in listing and prefix in listing and "Региональная система" in listing
    assert "не использовался" not in listing.split(prefix)[1].split("</tr>")[0]  # last use is shown
    assert client.post(reverse("api-key-revoke", args=[key.pk])).status_code == 302
    assert ApiClient(token).get("/incidents").status_code == 401


def test_keys_page_is_the_administrators_only(demo: dict[str, Any]) -> None:
    curator = Client()
    curator.force_login(demo["curator"].user)
    assert curator.get(reverse("api-keys")).status_code == 403
    assert curator.post(reverse("api-keys"), {"name": "x"}).status_code == 403
    assert not ApiKey.objects.exists()


def test_a_person_of_another_municipality_cannot_be_chosen(demo: dict[str, Any]) -> None:
    from django.contrib.auth import get_user_model

    from otklik.org.models import Person

    b = Municipality.objects.get(slug="novotitarovskoe")
    stranger = Person.objects.create(user=get_user_model().objects.create(username="b-curator"),
                                     full_name="Куратор Б", region=b.region, municipality=b)
    PersonRole.objects.create(person=stranger, role=Role.MUNICIPAL_CURATOR)
    page = _admin().post(reverse("api-keys"), {"name": "чужой", "person": stranger.pk})
    assert page.status_code == 400 and not ApiKey.objects.exists()


def test_deactivating_through_the_admin_kills_the_key(demo: dict[str, Any], api_as: Api) -> None:
    _, client = _curator_key(demo)
    person = demo["curator"]
    form = {"full_name": person.full_name, "position": person.position, "unit": person.unit_id or "",
            "substitute": "", "email": person.email, "phone": "", "login": person.user.username,
            "new_password": "", "role_grants-TOTAL_FORMS": "1", "role_grants-INITIAL_FORMS": "1",
            "role_grants-MIN_NUM_FORMS": "0", "role_grants-MAX_NUM_FORMS": "1000",
            "role_grants-0-id": person.role_grants.get().pk, "role_grants-0-person": person.pk,
            "role_grants-0-role": Role.MUNICIPAL_CURATOR}  # "active" left unticked
    r = _admin().post(reverse("admin:org_person_change", args=[person.pk]), form)
    assert r.status_code == 302, r.content.decode()[:3000]
    person.user.refresh_from_db()
    assert not person.user.is_active
    assert client.get("/incidents").status_code == 401
