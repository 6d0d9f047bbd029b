"""Parser of the xmlcalendar production-calendar format.

::

    <calendar year="2026" lang="ru" date="2025.09.30" country="ru">
      <holidays><holiday id="1" title="Новогодние каникулы"/>…</holidays>
      <days>
        <day d="01.01" t="1" h="1"/>       t=1 non-working, h = holiday id
        <day d="01.09" t="1" f="01.03"/>   a day off moved from f (MM.DD, same year)
        <day d="04.30" t="2"/>             a working day one hour shorter
        <day d="11.01" t="3"/>             a working day (a working Saturday)
      </days>
    </calendar>

Some files list a working Saturday only through the ``f`` of the day off moved from it
(2024: 27 April, 28 December): a Saturday or Sunday named in ``f`` that is not a
non-working day of the file is taken as a working day.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

from ._calendar import DayKind, YearCalendar

__all__ = ["parse_xmlcalendar"]

_TYPES = {"1": DayKind.NON_WORKING, "2": DayKind.SHORTENED, "3": DayKind.WORKING}


def _day(year: int, text: str | None) -> date:
    try:
        month, day = (text or "").split(".")
        return date(year, int(month), int(day))
    except ValueError:
        raise ValueError(f"xmlcalendar: bad day {text!r} (expected MM.DD)") from None


def parse_xmlcalendar(
    text: str, *, source: str | None = None, provisional: bool = False
) -> YearCalendar:
    """Parse an xmlcalendar document into a :class:`YearCalendar`.

    ``source`` defaults to a note naming the file's ``date`` attribute. ValueError on a
    malformed document (bad XML, unknown day type, unknown holiday id, duplicate day).
    """
    try:
        root = ET.fromstring(text)  # noqa: S314 — no external entities; expat caps entity expansion
    except ET.ParseError as exc:
        raise ValueError(f"xmlcalendar: not well-formed XML: {exc}") from None
    if root.tag != "calendar" or not (root.get("year") or "").isdigit():
        raise ValueError('xmlcalendar: the root must be <calendar year="YYYY">')
    year = int(root.get("year", ""))
    titles = {h.get("id"): h.get("title", "") for h in root.iterfind("holidays/holiday")}
    days: dict[date, DayKind] = {}
    holidays: dict[date, str] = {}
    transfers: dict[date, date] = {}
    for element in root.iterfind("days/day"):
        d = _day(year, element.get("d"))
        if d in days:
            raise ValueError(f"xmlcalendar: {d.isoformat()} is listed twice")
        kind = _TYPES.get(element.get("t", ""))
        if kind is None:
            raise ValueError(f"xmlcalendar: {d.isoformat()}: unknown day type {element.get('t')!r}")
        days[d] = kind
        holiday_id = element.get("h")
        if holiday_id is not None:
            if holiday_id not in titles:
                raise ValueError(f"xmlcalendar: {d.isoformat()}: unknown holiday id {holiday_id!r}")
            if kind is not DayKind.NON_WORKING:
                raise ValueError(f'xmlcalendar: {d.isoformat()}: a holiday must be t="1"')
            holidays[d] = titles[holiday_id]
        moved_from = element.get("f")
        if moved_from is not None:
            if kind is not DayKind.NON_WORKING:
                raise ValueError(f'xmlcalendar: {d.isoformat()}: a moved day off must be t="1"')
            transfers[d] = _day(year, moved_from)
    for frm in transfers.values():
        if frm.weekday() >= 5 and frm not in days:
            days[frm] = DayKind.WORKING
    if source is None:
        source = f"xmlcalendar {year} (выгрузка {root.get('date', 'без даты')})"
    return YearCalendar(year, source, provisional, days, holidays, transfers)
