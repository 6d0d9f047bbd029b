"""A municipality's working time: federal calendar + loaded years + local changes + schedules.

The calendar never ends: past the last year with data (shipped or imported) it goes on with
provisional years built from ТК РФ ст. 112 and the weekends, through two years after the
current one (and through any local change entered further ahead), marked «предварительный»
wherever a deadline touches them. Before the first year nothing is counted: input there is
refused with a clear message.

Building a WorkCalendar precomputes several years of intervals, so it is cached in process
memory and rebuilt when any of its inputs changes. The key is `Municipality.calendar_stamp`,
which database triggers change on every insert, update or delete of the municipality's
calendar changes, schedules and deadline policies and of the federal years (migrations
org 0004, incidents 0012): it comes with the municipality's row, so a cache hit costs no
query, and a change made by another process (the admin, `otklik worktime import`) is seen by
every process at its next read of the row. The signals below also empty this process's cache
at once, for a caller that still holds a municipality row read before the change.
"""

from __future__ import annotations

from threading import Lock
from typing import Any

from django.db.models.signals import post_delete, post_save
from django.utils import timezone

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


def _key(municipality: Municipality) -> tuple[object, ...]:
    """Changes whenever an input of the municipality's calendar changes (see the module doc)."""
    return (municipality.calendar_stamp, municipality.time_zone, horizon_year())


# Years counted ahead of the current one; deadlines of up to 60 working days fit well within.
HORIZON_YEARS = 2


def horizon_year() -> int:
    return timezone.now().year + HORIZON_YEARS


def production_calendar() -> ProductionCalendar:
    """The federal calendar with the years loaded by `otklik worktime import` laid over it,
    continued by provisional years through the horizon (a gap before an imported year too)."""
    loaded = [load_year(y.data_toml) for y in CalendarYearData.objects.all()]
    calendar = federal_calendar()
    if loaded:
        before_first_loaded = min(y.year for y in loaded) - 1
        calendar = calendar.extended_to(max(before_first_loaded, calendar.last_day.year))
        try:  # an imported year just before the data extends the calendar backwards
            calendar = calendar.with_years(*loaded)
        except ValueError:  # one further back would leave a gap: it cannot be counted
            calendar = calendar.with_years(*(y for y in loaded if y.year >= calendar.first_day.year))
    return calendar.extended_to(max(horizon_year(), calendar.last_day.year))


def work_calendar_build(municipality: Municipality) -> WorkCalendar:
    calendar = production_calendar()
    # A change before the calendar cannot be counted (the admin refuses it; an old row is skipped).
    overrides = {
        c.day: _KINDS[CalendarChange.Kind(c.kind)]
        for c in CalendarChange.objects.filter(municipality=municipality, day__gte=calendar.first_day)
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
    """The municipality's working calendar; no query when it is cached for this stamp."""
    key = _key(municipality)
    with _lock:
        hit = _cache.get(municipality.pk)
        if hit and hit[0] == key:
            return hit[1]
    # A miss: key the new build by the stamp in the database, read before the build (the row in
    # hand may be older than a change; a change during the build leaves an older key behind).
    stamp = Municipality.objects.filter(pk=municipality.pk).values_list("calendar_stamp", flat=True).first()
    built = work_calendar_build(municipality)
    with _lock:
        _cache[municipality.pk] = ((stamp, *key[1:]), built)
    return built


def calendars_forget(**kwargs: Any) -> None:
    """Signal receiver: an input changed in this process; the triggers tell the others."""
    with _lock:
        _cache.clear()


for _model in (CalendarChange, ScheduleVersion, CalendarYearData):
    post_save.connect(calendars_forget, sender=_model, dispatch_uid=f"otklik-calendar-{_model.__name__}")
    post_delete.connect(calendars_forget, sender=_model, dispatch_uid=f"otklik-calendar-del-{_model.__name__}")
