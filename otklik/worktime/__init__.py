"""Working time on the Russian production calendar (pure Python, no Django).

Typical use::

    from datetime import datetime, timedelta
    from otklik.worktime import WorkCalendar, federal_calendar

    wc = WorkCalendar(federal_calendar())              # Mon–Fri 09–13, 14–18, Moscow
    wc.add(datetime.fromisoformat("2026-12-04T16:30+03:00"), timedelta(hours=8))
    # -> 2026-12-07 16:30+03:00: Fri 16:30–18:00, Mon 09–13, 14–16:30

Layers: :class:`YearCalendar` (one year, data files under ``data/``) →
:class:`ProductionCalendar` (contiguous years + caller overrides) → :class:`WorkCalendar`
(plus weekly schedules in a time zone: the arithmetic). Exact semantics are in
``_engine.py``; the calendar data format in ``_calendar.py``; the schedule file format
in ``_schedule.py``; the command line in ``cli.py``.

Past the data the calendar goes on with provisional years built from the rules (ТК РФ
ст. 112 and the weekends), on request::

    wc = WorkCalendar(federal_calendar().extended_to(today.year + 2))   # cached, cheap
    wc = existing_wc.extended_to(2030)                                  # same schedules

Outside its span every call raises :class:`OutOfCalendar` (a ValueError) with a Russian
message in ``.ru`` and the date and span as attributes; any other bad input is a
ValueError with a clear message.
"""

from ._calendar import (
    DayKind,
    OutOfCalendar,
    ProductionCalendar,
    YearCalendar,
    YearSummary,
    dump_year,
    federal_calendar,
    load_year,
    rules_year,
    statutory_holidays,
    year_summary,
)
from ._engine import CountedInterval, DayInfo, Explanation, WorkCalendar
from ._schedule import Hours, WeeklySchedule
from ._xmlcalendar import parse_xmlcalendar

__all__ = [
    "CountedInterval",
    "DayInfo",
    "DayKind",
    "Explanation",
    "Hours",
    "OutOfCalendar",
    "ProductionCalendar",
    "WeeklySchedule",
    "WorkCalendar",
    "YearCalendar",
    "YearSummary",
    "dump_year",
    "federal_calendar",
    "load_year",
    "parse_xmlcalendar",
    "rules_year",
    "statutory_holidays",
    "year_summary",
]
