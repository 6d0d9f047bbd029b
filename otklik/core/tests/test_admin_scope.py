"""An administrator administers one municipality: every admin list and page, walked as
municipality A's administrator, shows nothing of municipality B; the operator sees both."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from otklik.incidents.models import DeadlinePolicy, Incident, TopicRoute
from otklik.incidents.services import incident_intake
from otklik.notifications.models import StoredMail
from otklik.org.models import (
    Absence,
    CalendarChange,
    Municipality,
    Person,
    PersonRole,
    ScheduleVersion,
    Unit,
)
from otklik.org.roles import Role
from otklik.pages.models import OfficialPage

pytestmark = pytest.mark.django_db
MARK = "ЧУЖОЕ-МО-Б"


@pytest.fixture(autouse=True)
def _no_2fa(settings: Any) -> None:
    settings.OTKLIK_REQUIRE_2FA = False


@pytest.fixture
def other(demo: dict[str, Any]) -> dict[str, list[Any]]:
    """Municipality B with one object of every kind an administrator configures, each marked."""
    b = Municipality.objects.get(slug="novotitarovskoe")
    Municipality.objects.filter(pk=b.pk).update(name=f"Новотитаровское {MARK}")
    unit = Unit.objects.create(municipality=b, name=f"Отдел {MARK}", email="b@b.example")
    user = get_user_model().objects.create(username="b-executor")
    person = Person.objects.create(user=user, full_name=f"Сотрудник {MARK}", region=b.region, municipality=b, unit=unit)
    PersonRole.objects.create(person=person, role=Role.EXECUTOR)
    today = timezone.localdate()
    objects: dict[str, list[Any]] = {
        "municipality": [Municipality.objects.get(pk=b.pk)],
        "unit": [unit],
        "person": [person],
        "absence": [Absence.objects.create(person=person, kind=Absence.Kind.LEAVE, starts_on=today,
                                           ends_on=today + timedelta(days=3), note=MARK)],
        "scheduleversion": [ScheduleVersion.objects.create(
            municipality=b, effective_from=date(2026, 1, 1),
            schedule_toml=f'# {MARK}\ntime_zone = "Europe/Moscow"\n[days]\nmon = ["09:00-18:00"]\n')],
        "calendarchange": [CalendarChange.objects.create(municipality=b, day=date(2026, 12, 30),
                                                         kind=CalendarChange.Kind.NON_WORKING, note=MARK)],
        "deadlinepolicy": [DeadlinePolicy.objects.create(municipality=b, effective_from=date(2026, 1, 1),
                                                         timings={"answer": [540, "m"], "note": MARK})],
        "topicroute": [TopicRoute.objects.create(municipality=b, topic=MARK, unit=unit)],
        "officialpage": [OfficialPage.objects.create(municipality=b, network="vk", name=f"Страница {MARK}",
                                                     url="https://vk.com/b_page")],
        "storedmail": [StoredMail.objects.create(municipality=b, from_email="x@x.example", to="b@b.example",
                                                 subject=f"Письмо {MARK}", body=MARK)],
    }
    now = timezone.now()
    incident, _ = incident_intake(municipality=b, kind="incident", importance="normal", network="vk",
                                  url="https://vk.com/wall-2_1", author_name=f"Автор {MARK}", author_url="",
                                  text=f"Текст {MARK}", detected_at=now, handed_over_at=now, by=demo["region"])
    objects["incident"] = [incident]
    objects["incidentevent"] = list(incident.events.all())
    return objects


def _admin_client(login: str, demo: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(demo[login].user)
    return client


def test_the_demo_administrator_is_not_a_superuser(demo: dict[str, Any]) -> None:
    user = demo["admin"].user
    assert user.is_staff and not user.is_superuser


def test_every_admin_page_of_a_shows_nothing_of_b(demo: dict[str, Any], other: dict[str, list[Any]]) -> None:
    client = _admin_client("admin", demo)
    index = client.get("/admin/")
    assert index.status_code == 200 and MARK not in index.content.decode()
    walked = 0
    for model, _model_admin in admin.site._registry.items():
        meta = model._meta
        changelist = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        assert changelist.status_code in (200, 302, 403), meta.label
        body = changelist.content.decode()
        assert MARK not in body, f"{meta.label}: B shows in the list"
        if changelist.status_code == 200:
            walked += 1
            add = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
            assert MARK not in add.content.decode(), f"{meta.label}: B offered on the add page"
        for obj in other.get(str(meta.model_name), []):
            page = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]))
            assert page.status_code in (302, 403, 404), f"{meta.label}: B's object opens"
            assert MARK not in page.content.decode()
            if page.status_code == 302:
                assert page["Location"] in ("/admin/", reverse("admin:index")), page["Location"]
    # The administrator works with the municipality's own configuration.
    assert walked >= 10


def test_the_administrator_configures_their_own_municipality(demo: dict[str, Any]) -> None:
    client = _admin_client("admin", demo)
    unit = Unit.objects.get(municipality__slug="plastunovskoe", name="Финансовый отдел")
    page = client.get(reverse("admin:org_unit_change", args=[unit.pk]))
    assert page.status_code == 200
    assert client.get(reverse("admin:org_person_changelist")).content.decode().count("Кравченко") >= 1


def test_a_forged_post_cannot_touch_b(demo: dict[str, Any], other: dict[str, list[Any]]) -> None:
    client = _admin_client("admin", demo)
    unit = other["unit"][0]
    r = client.post(reverse("admin:org_unit_change", args=[unit.pk]),
                    {"name": "Захвачено", "kind": "department", "municipality": unit.municipality_id})
    assert r.status_code in (302, 403, 404)
    unit.refresh_from_db()
    assert unit.name == f"Отдел {MARK}"
    # Creating a unit with B's id in the form still lands in A.
    r = client.post(reverse("admin:org_unit_add"),
                    {"name": "Новый отдел", "kind": "department", "municipality": unit.municipality_id})
    created = Unit.objects.filter(name="Новый отдел").first()
    assert created is None or created.municipality.slug == "plastunovskoe"


def test_the_administrator_cannot_grant_the_regional_role(demo: dict[str, Any]) -> None:
    client = _admin_client("admin", demo)
    page = client.get(reverse("admin:org_person_change", args=[demo["executor"].pk])).content.decode()
    assert 'value="regional_curator"' not in page
    assert 'value="municipal_curator"' in page


def test_the_operator_sees_everything(demo: dict[str, Any], other: dict[str, list[Any]]) -> None:
    operator = get_user_model().objects.create_superuser("operator", "op@example.com", "x-operator-pass")
    client = Client()
    client.force_login(operator)
    assert MARK in client.get(reverse("admin:org_unit_changelist")).content.decode()
    assert client.get(reverse("admin:incidents_incident_change", args=[other["incident"][0].pk])).status_code == 200


def test_a_person_without_the_administrator_role_gets_no_admin(demo: dict[str, Any]) -> None:
    client = _admin_client("curator", demo)
    assert client.get(reverse("admin:org_unit_changelist")).status_code == 302  # to the admin login
    assert not Incident.objects.exists()
