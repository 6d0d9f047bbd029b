"""The calendar never ends: past the data it goes on provisionally; before it, input is refused;
no date Python can parse gives a 500; the administrator is reminded to import next year."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from otklik.incidents import services as svc
from otklik.incidents.models import IncidentStep
from otklik.notifications.models import Notification
from otklik.org.calendars import production_calendar, work_calendar_for
from otklik.org.models import CalendarChange, CalendarYearData, Municipality
from otklik.org.tasks import calendar_import_reminder
from otklik.worktime import dump_year, rules_year

pytestmark = pytest.mark.django_db
MSK = ZoneInfo("Europe/Moscow")


@pytest.fixture(autouse=True)
def _no_2fa(settings: Any) -> None:
    settings.OTKLIK_REQUIRE_2FA = False


def test_past_the_data_deadlines_are_counted_provisionally(demo: dict[str, Any]) -> None:
    last = production_calendar().last_day.year
    moment = datetime(2029, 3, 1, 10, 0, tzinfo=MSK)  # past the shipped 2023–2027
    with time_machine.travel(moment, tick=False):
        mun = Municipality.objects.get(slug="plastunovskoe")
        assert production_calendar().last_day.year >= 2031 >= last
        incident, _ = svc.incident_intake(municipality=mun, kind="incident", importance="normal", network="vk",
                                          url="https://vk.com/wall-1_9", author_name="А", author_url="",
                                          text="Яма", detected_at=moment, by=demo["region"])
        answer = IncidentStep.objects.get(incident=incident, kind="answer")
        assert answer.due_at == datetime(2029, 3, 2, 10, 0, tzinfo=MSK)  # Thu 10–13, 14–18, Fri 09–10
        assert work_calendar_for(mun).touches_provisional(answer.started_at, answer.due_at)
        client = Client()
        client.force_login(demo["curator"].user)
        page = client.get(f"/incidents/{incident.pk}/").content.decode()
        assert "срок по предварительному календарю" in page


def test_a_local_change_far_ahead_breaks_nothing(demo: dict[str, Any]) -> None:
    mun = Municipality.objects.get(slug="plastunovskoe")
    CalendarChange.objects.create(municipality=mun, day=date(2035, 5, 5), kind=CalendarChange.Kind.NON_WORKING)
    client = Client()
    client.force_login(demo["curator"].user)
    assert client.get("/incidents/").status_code == 200
    assert work_calendar_for(mun).calendar.kind_of(date(2035, 5, 5)).is_working is False


@pytest.mark.parametrize("value", ["0001-01-01T00:00", "9999-12-31T23:59", "2019-06-01T10:00", "1900-01-01T00:00",
                                   "2999-01-01T10:00"])
def test_intake_form_refuses_any_impossible_date_without_a_500(demo: dict[str, Any], value: str) -> None:
    client = Client()
    client.force_login(demo["curator"].user)
    mun = Municipality.objects.get(slug="plastunovskoe")
    r = client.post("/incidents/new/", {"municipality": mun.pk, "network": "vk", "url": "https://vk.com/wall-1_1",
                                        "text": "Яма", "detected_at": value, "importance": "normal"})
    assert r.status_code == 200 and "errorlist" in r.content.decode()


def test_administrators_are_reminded_from_october_until_imported(demo: dict[str, Any]) -> None:
    assert calendar_import_reminder(today=date(2026, 9, 30)) == 0
    assert calendar_import_reminder(today=date(2026, 10, 1)) == 1  # 2027 is provisional
    reminder = Notification.objects.get(recipient=demo["admin"], channel=Notification.Channel.INAPP)
    assert "2027" in reminder.subject and "otklik worktime import" in reminder.body
    calendar_import_reminder(today=date(2026, 10, 2))  # the same week: not again
    assert Notification.objects.filter(recipient=demo["admin"], channel=Notification.Channel.INAPP).count() == 1
    decree = rules_year(2027, source="Постановление Правительства РФ", provisional=False)
    CalendarYearData.objects.create(year=2027, source=decree.source, data_toml=dump_year(decree))
    assert calendar_import_reminder(today=date(2026, 10, 12)) == 0


def test_an_imported_year_far_ahead_leaves_no_gap(demo: dict[str, Any]) -> None:
    decree = rules_year(2030, source="Постановление", provisional=False)
    CalendarYearData.objects.create(year=2030, source=decree.source, data_toml=dump_year(decree))
    calendar = production_calendar()
    assert not calendar.is_provisional(2030) and calendar.is_provisional(2029)


def test_importing_a_federal_year_recomputes_open_deadlines_everywhere(demo: dict[str, Any], tmp_path: Any) -> None:
    from otklik.core.management.commands.worktime import Command

    moment = datetime(2027, 12, 30, 17, 0, tzinfo=MSK)  # Thursday; the shipped 2027 is provisional
    with time_machine.travel(moment, tick=False):
        incident, _ = svc.incident_intake(
            municipality=Municipality.objects.get(slug="plastunovskoe"), kind="incident", importance="normal",
            network="vk", url="https://vk.com/wall-1_9", author_name="А", author_url="", text="Яма",
            detected_at=moment, by=demo["region"])
        before = IncidentStep.objects.get(incident=incident, kind="answer").due_at
        # The provisional 2027 has 31.12 off; a decree that keeps it a working day.
        xml = tmp_path / "2027.xml"
        xml.write_text('<?xml version="1.0" encoding="UTF-8"?><calendar year="2027" lang="ru" date="2026.10.01" '
                       'country="ru"><holidays><holiday id="1" title="Новогодние каникулы"/></holidays><days>'
                       '<day d="01.01" t="1" h="1"/></days></calendar>', encoding="utf-8")
        Command()._import([str(xml)])
        after = IncidentStep.objects.get(incident=incident, kind="answer").due_at
    assert before.astimezone(MSK).date() == date(2028, 1, 10)
    assert after == datetime(2027, 12, 31, 17, 0, tzinfo=MSK)  # Thu 17–18, Fri 09–13, 14–17
    assert not production_calendar().is_provisional(2027)


def test_a_local_change_before_the_calendar_is_refused_and_an_old_row_ignored(demo: dict[str, Any]) -> None:
    from django.core.exceptions import ValidationError

    mun = Municipality.objects.get(slug="plastunovskoe")
    change = CalendarChange(municipality=mun, day=date(2020, 5, 5), kind=CalendarChange.Kind.NON_WORKING)
    with pytest.raises(ValidationError, match="раньше начала"):
        change.full_clean()
    change.save()  # a row from before the rule: the pages still work
    client = Client()
    client.force_login(demo["curator"].user)
    assert client.get("/incidents/").status_code == 200
    with pytest.raises(ValidationError, match="далеко"):
        CalendarChange(municipality=mun, day=date(2200, 5, 5), kind=CalendarChange.Kind.NON_WORKING).full_clean()
