"""The administrator's page and the access log: role and municipality checked on the server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from otklik.incidents.models import Incident
from otklik.org.models import Municipality, Person, PersonRole, Region, Unit
from otklik.org.roles import Role
from otklik.privacy.erasure import ERASED_TEXT, author_erase
from otklik.privacy.models import AccessLog, Erasure, RetentionPolicy
from otklik.privacy.tests.story import ANNA, ANNA_TEXT, Story, build, when

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dirs(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OTKLIK_HISTORY_ANCHORS = str(tmp_path / "anchors.jsonl")
    settings.OTKLIK_REQUIRE_2FA = False


@pytest.fixture
def story(demo: dict[str, Any]) -> Story:
    return build(demo)


def client_for(person: Person) -> Client:
    c = Client()
    c.force_login(person.user)
    return c


def stranger_admin() -> Client:
    region = Region.objects.get_or_create(slug="far", defaults={"name": "Дальний край"})[0]
    mun = Municipality.objects.get_or_create(slug="far-mo", defaults={"region": region, "name": "Дальнее МО"})[0]
    unit = Unit.objects.get_or_create(municipality=mun, name="Дальний отдел")[0]
    user = get_user_model().objects.create_user(username="far-admin", password="x-far-pass")
    person = Person.objects.create(user=user, full_name="Чужой администратор", region=region, municipality=mun,
                                   unit=unit)
    PersonRole.objects.create(person=person, role=Role.ADMINISTRATOR)
    return client_for(person)


def test_opening_an_incident_is_logged_and_the_administrator_sees_who(story: Story, demo: dict[str, Any]) -> None:
    curator = client_for(demo["curator"])
    assert curator.get(reverse("incidents:detail", args=[story.a.pk])).status_code == 200
    [row] = AccessLog.objects.all()
    assert (row.person, row.incident_id, row.what) == (demo["curator"], story.a.pk, AccessLog.What.PAGE)
    page = client_for(demo["admin"]).get(reverse("privacy:log"), {"incident": str(story.a.pk)})
    assert page.status_code == 200 and demo["curator"].full_name in page.content.decode()
    # A refused look is not a look: nothing logged for the stranger's 404.
    assert stranger_admin().get(reverse("incidents:detail", args=[story.a.pk])).status_code == 404
    assert AccessLog.objects.count() == 1


@pytest.mark.parametrize("login", ["curator", "deputy", "executor", "region"])
def test_only_the_administrator_opens_the_privacy_pages(story: Story, demo: dict[str, Any], login: str) -> None:
    c = client_for(demo[login])
    for name in ("privacy:home", "privacy:log"):
        assert c.get(reverse(name)).status_code == 403
    assert c.post(reverse("privacy:erase"), {"author_url": ANNA, "reason": "x", "requested_on": "2026-12-01",
                                             "confirm": "on"}).status_code == 403
    assert c.post(reverse("privacy:export"), {"author_url": ANNA}).status_code == 403
    assert Incident.objects.get(pk=story.a.pk).text == ANNA_TEXT


def test_administrator_erases_and_gets_the_report(story: Story, demo: dict[str, Any]) -> None:
    admin = client_for(demo["admin"])
    assert "Срок хранения" in admin.get(reverse("privacy:home")).content.decode()
    answer = admin.post(reverse("privacy:erase"), {"author_url": "https://vk.com/id1", "reason": "Заявление вх. № 7",
                                                   "requested_on": "2026-12-01", "confirm": "on"}, follow=True)
    body = answer.content.decode()
    assert answer.status_code == 200 and "Заявление вх. № 7" in body and f"№ {story.a.pk}" in body
    assert Incident.objects.get(pk=story.a.pk).text == ERASED_TEXT
    assert Erasure.objects.get().by == demo["admin"]


def test_erase_form_refuses_without_confirmation_and_bad_links(story: Story, demo: dict[str, Any]) -> None:
    admin = client_for(demo["admin"])
    no_confirm = admin.post(reverse("privacy:erase"), {"author_url": ANNA, "reason": "x", "requested_on": "2026-12-01"})
    bad_link = admin.post(reverse("privacy:erase"), {"author_url": "<script>x</script>", "reason": "x",
                                                     "requested_on": "2026-12-01", "confirm": "on"})
    assert no_confirm.status_code == 400 and bad_link.status_code == 400
    assert "https://" in bad_link.content.decode() and "<script>x" not in bad_link.content.decode()
    assert not Erasure.objects.exists()


def test_administrator_exports_json_and_the_export_is_logged(story: Story, demo: dict[str, Any]) -> None:
    answer = client_for(demo["admin"]).post(reverse("privacy:export"), {"author_url": ANNA})
    assert answer.status_code == 200 and answer["Content-Type"].startswith("application/json")
    doc = json.loads(answer.content)
    assert len(doc["messages"]) == 3
    assert AccessLog.objects.filter(what=AccessLog.What.EXPORT, person=demo["admin"]).count() == 3


def test_another_municipality_sees_nothing_of_ours(story: Story, demo: dict[str, Any]) -> None:
    erasure = author_erase(municipality=Municipality.objects.get(slug="plastunovskoe"), author_url=ANNA, reason="x",
                           now=when(10))
    far = stranger_admin()
    assert far.get(reverse("privacy:erasure", args=[erasure.pk])).status_code == 404
    assert far.post(reverse("privacy:export"), {"author_url": ANNA}).json()["messages"] == []
    client_for(demo["curator"]).get(reverse("incidents:detail", args=[story.d.pk]))
    assert AccessLog.objects.count() == 1
    assert list(far.get(reverse("privacy:log")).context["page"]) == []


def test_policy_form_saves_and_refuses_out_of_range(story: Story, demo: dict[str, Any]) -> None:
    admin = client_for(demo["admin"])
    assert admin.post(reverse("privacy:home"), {"keep_years": "0", "access_log_years": "1"}).status_code == 400
    assert admin.post(reverse("privacy:home"), {"keep_years": "5", "access_log_years": "2"}).status_code == 302
    policy = RetentionPolicy.objects.get()
    assert (policy.keep_years, policy.access_log_years, policy.updated_by) == (5, 2, demo["admin"])


def test_an_erased_message_page_shows_no_trace_of_the_person(story: Story, demo: dict[str, Any]) -> None:
    author_erase(municipality=Municipality.objects.get(slug="plastunovskoe"), author_url=ANNA, reason="x",
                 now=when(10))
    page = client_for(demo["curator"]).get(reverse("incidents:detail", args=[story.b.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and ERASED_TEXT in body and "Удалены персональные данные (152-ФЗ)" in body
    assert "Анн" not in body and "Красн" not in body and "vk.com/id1" not in body
