"""A municipality's working time: federal calendar + loaded years + local changes + schedules.

Building a WorkCalendar precomputes five years of intervals, so it is cached per process and
rebuilt when any of its inputs changes (the stamp is a cheap aggregate query).
"""

from __future__ import annotations

from threading import Lock

from django.db.models import Count, Max

from otklik.org.models import CalendarChange, CalendarYearData, Municipality, ScheduleVersion
from otklik.worktime import (
    DayKind,
    ProductionCalendar,
    WeeklySchedule,
    WorkCalendar,
    federal_calendar,
    load_year,
)

_KINDS = {
    CalendarChange.Kind.NON_WORKING: DayKind.NON_WORKING,
    CalendarChange.Kind.WORKING: DayKind.WORKING,
    CalendarChange.Kind.SHORTENED: DayKind.SHORTENED,
}
_cache: dict[int, tuple[tuple[object, ...], WorkCalendar]] = {}
_lock = Lock()


def _stamp(municipality: Municipality) -> tuple[object, ...]:
    """Changes whenever an input of the municipality's calendar is added, edited or removed."""
    changes = CalendarChange.objects.filter(municipality=municipality).aggregate(
        n=Count("pk"), t=Max("updated_at")
    )
    versions = ScheduleVersion.objects.filter(municipality=municipality).aggregate(
        n=Count("pk"), t=Max("updated_at")
    )
    years = CalendarYearData.objects.aggregate(n=Count("pk"), t=Max("loaded_at"))
    return (municipality.time_zone, *changes.values(), *versions.values(), *years.values())


def production_calendar() -> ProductionCalendar:
    """The federal calendar with the years loaded by `otklik worktime import` laid over it."""
    loaded = [load_year(y.data_toml) for y in CalendarYearData.objects.all()]
    return federal_calendar().with_years(*loaded) if loaded else federal_calendar()


def work_calendar_build(municipality: Municipality) -> WorkCalendar:
    calendar = production_calendar()
    overrides = {
        c.day: _KINDS[CalendarChange.Kind(c.kind)]
        for c in CalendarChange.objects.filter(municipality=municipality)
    }
    if overrides:
        calendar = calendar.with_overrides(overrides)
    versions = [
        (v.effective_from, WeeklySchedule.from_toml(v.schedule_toml))
        for v in ScheduleVersion.objects.filter(municipality=municipality).order_by("effective_from")
    ]
    if not versions:
        default = WeeklySchedule.default()
        if municipality.time_zone != default.time_zone:
            default = WeeklySchedule(time_zone=municipality.time_zone, days=default.days)
        return WorkCalendar(calendar, default)
    return WorkCalendar(calendar, versions)


def work_calendar_for(municipality: Municipality) -> WorkCalendar:
    stamp = _stamp(municipality)
    with _lock:
        hit = _cache.get(municipality.pk)
        if hit and hit[0] == stamp:
            return hit[1]
    built = work_calendar_build(municipality)
    with _lock:
        _cache[municipality.pk] = (stamp, built)
    return built
