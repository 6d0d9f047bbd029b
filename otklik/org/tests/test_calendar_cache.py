"""The working calendar and the deadline policy of a municipality are cached in process memory
and read with no query while nothing changes; a change of the calendar, the schedule, a
federal year or the policy — made here or by another process (plain SQL below, past every
Django signal) — is seen at the next read of the municipality's row."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from otklik.incidents.policy import policy_overrides_at, warn_shares_at
from otklik.org.calendars import work_calendar_for
from otklik.org.models import CalendarChange, Municipality

pytestmark = pytest.mark.django_db
DAY = date(2026, 12, 9)  # a Wednesday, working by the federal calendar
NOON = datetime(2026, 12, 9, 9, 0, tzinfo=UTC)


def fresh() -> Municipality:
    return Municipality.objects.get(slug="plastunovskoe")


def test_a_cached_calendar_costs_no_query(demo: dict[str, Any]) -> None:
    mun = fresh()
    first = work_calendar_for(mun)
    with CaptureQueriesContext(connection) as read:
        assert work_calendar_for(mun) is first
        assert work_calendar_for(fresh()) is first  # a new read of the row, the same stamp
    assert len(read.captured_queries) == 1  # the row itself, nothing else


def test_another_process_adding_a_day_off_is_seen(demo: dict[str, Any]) -> None:
    mun = fresh()
    assert work_calendar_for(mun).calendar.kind_of(DAY).is_working
    with connection.cursor() as cursor:  # as another process would: no signal reaches this one
        cursor.execute("INSERT INTO org_calendarchange (municipality_id, day, kind, note, updated_at) "
                       "VALUES (%s, %s, %s, '', %s)", [mun.pk, DAY, CalendarChange.Kind.NON_WORKING, NOON])
    assert fresh().calendar_stamp != mun.calendar_stamp
    assert not work_calendar_for(fresh()).calendar.kind_of(DAY).is_working
    with connection.cursor() as cursor:
        cursor.execute("UPDATE org_calendarchange SET kind = %s WHERE municipality_id = %s",
                       [CalendarChange.Kind.WORKING, mun.pk])
    assert work_calendar_for(fresh()).calendar.kind_of(DAY).is_working
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM org_calendarchange WHERE municipality_id = %s", [mun.pk])
    stamp = fresh().calendar_stamp
    assert stamp not in (0, mun.calendar_stamp)


def test_a_change_in_this_process_is_seen_even_through_an_old_row(demo: dict[str, Any]) -> None:
    mun = fresh()
    work_calendar_for(mun)
    CalendarChange.objects.create(municipality=mun, day=DAY, kind=CalendarChange.Kind.NON_WORKING)
    assert not work_calendar_for(mun).calendar.kind_of(DAY).is_working  # `mun` still has the old stamp


def test_a_new_schedule_is_seen(demo: dict[str, Any]) -> None:
    from otklik.worktime import WeeklySchedule

    mun = fresh()
    assert work_calendar_for(mun).day_hours(DAY) == ((time(9), time(13)), (time(14), time(18)))
    # Short Wednesdays from December: a schedule version written by another process.
    default = WeeklySchedule.default()
    short = ((time(10), time(12)),)
    toml = WeeklySchedule(time_zone=default.time_zone, days={**default.days, 2: short}).to_toml()
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO org_scheduleversion (municipality_id, effective_from, schedule_toml, updated_at) "
                       "VALUES (%s, %s, %s, %s)", [mun.pk, date(2026, 12, 1), toml, NOON])
    assert fresh().calendar_stamp != mun.calendar_stamp
    assert work_calendar_for(fresh()).day_hours(DAY) == short


def test_a_federal_year_changes_every_stamp(demo: dict[str, Any]) -> None:
    other = Municipality.objects.create(region=fresh().region, name="Другое", slug="drugoe")
    before = dict(Municipality.objects.values_list("pk", "calendar_stamp"))
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO org_calendaryeardata (year, source, data_toml, loaded_at) "
                       "VALUES (2031, 'test', '', %s)", [NOON])
    after = dict(Municipality.objects.values_list("pk", "calendar_stamp"))
    assert after[other.pk] != before[other.pk] and after[fresh().pk] != before[fresh().pk]


def test_the_policy_is_cached_and_follows_changes(demo: dict[str, Any]) -> None:
    mun = fresh()
    assert warn_shares_at(mun, NOON) == (0.5, 0.8)
    with CaptureQueriesContext(connection) as read:
        assert policy_overrides_at(mun, NOON) == {}
        assert warn_shares_at(mun, NOON) == (0.5, 0.8)
    assert read.captured_queries == []
    with connection.cursor() as cursor:  # another process saves a policy
        cursor.execute("INSERT INTO incidents_deadlinepolicy (municipality_id, effective_from, timings, warn_shares) "
                       "VALUES (%s, %s, %s, %s)", [mun.pk, date(2026, 1, 1), '{"route": [20, "m"]}', "[0.7]"])
    mun = fresh()
    assert warn_shares_at(mun, NOON) == (0.7,)
    assert policy_overrides_at(mun, NOON) == {"route": [20, "m"]}
    assert policy_overrides_at(mun.pk, NOON) == {"route": [20, "m"]}  # by id: read each time, same answer
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM incidents_deadlinepolicy WHERE municipality_id = %s", [mun.pk])
    assert warn_shares_at(fresh(), NOON) == (0.5, 0.8)


def test_an_intake_builds_no_calendar_and_repeats_no_aggregate(demo: dict[str, Any]) -> None:
    from otklik.incidents.tests.test_services import at, intake

    intake(demo, detected=at(7, 9), handed=at(7, 9), external_id="warm")  # warms the caches
    with CaptureQueriesContext(connection) as one:
        intake(demo, detected=at(7, 9), handed=at(7, 9), external_id="measured")
    sqls = [q["sql"] for q in one.captured_queries]
    assert not [s for s in sqls if "org_calendarchange" in s or "org_scheduleversion" in s
                or "org_calendaryeardata" in s or "incidents_deadlinepolicy" in s], sqls
    assert not [s for s in sqls if "MAX(" in s.upper() or "COUNT(" in s.upper()], sqls
    assert len(sqls) <= 24, "\n".join(sqls)
