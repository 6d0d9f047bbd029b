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

Safety: the document is read by expat with no DOCTYPE allowed at all (an xmlcalendar file
has none), so there are no entity expansions (billion laughs, quadratic blow-up) and no
external entities or DTDs to fetch.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import MAXYEAR, date
from xml.parsers import expat

from ._calendar import DayKind, YearCalendar

__all__ = ["parse_xmlcalendar"]

_TYPES = {"1": DayKind.NON_WORKING, "2": DayKind.SHORTENED, "3": DayKind.WORKING}
_DAY = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})", re.ASCII)
_YEAR = re.compile(r"[0-9]{1,5}", re.ASCII)


def _day(year: int, text: str | None) -> date:
    match = _DAY.fullmatch(text or "")
    try:
        if match is None:
            raise ValueError
        return date(year, int(match.group(1)), int(match.group(2)))
    except ValueError:  # also 02.30, 13.01
        raise ValueError(f"xmlcalendar: bad day {text!r} (expected MM.DD)") from None


class _Refused(ValueError):
    pass


def _refuse_doctype(*_: object) -> None:
    raise _Refused("xmlcalendar: a DOCTYPE (DTD, entities) is not allowed")


def _tree(text: str | bytes) -> ET.Element:
    """The element tree of ``text``, read by expat with DOCTYPEs refused."""
    parser = expat.ParserCreate()
    builder = ET.TreeBuilder()
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    try:
        parser.Parse(text, True)
    except expat.ExpatError as exc:
        reason = expat.ErrorString(exc.code)
        raise ValueError(
            f"xmlcalendar: not well-formed XML: {reason}: line {exc.lineno}, column {exc.offset}"
        ) from None
    except _Refused:
        raise
    except UnicodeEncodeError:  # a str with lone surrogates cannot be handed to expat
        raise ValueError("xmlcalendar: the text is not valid Unicode") from None
    except (LookupError, ValueError) as exc:
        # An encoding in the declaration that Python does not know (LookupError), is no
        # text encoding (base64), or cannot decode (idna): pyexpat asks the codec itself.
        raise ValueError(f"xmlcalendar: the declared encoding cannot be used: {exc}") from None
    return builder.close()


def parse_xmlcalendar(
    text: str | bytes, *, source: str | None = None, provisional: bool = False
) -> YearCalendar:
    """Parse an xmlcalendar document into a :class:`YearCalendar`.

    ``text`` is a str, or bytes in the encoding the XML declaration names (UTF-8 by
    default; windows-1251 and UTF-16 work too: prefer passing the file's bytes).
    ``source`` defaults to a note naming the file's ``date`` attribute. ValueError with a
    clear message on a malformed document (not XML, a DOCTYPE, a root other than
    ``<calendar year="1..9999">``, a bad day, unknown day type, unknown holiday id,
    duplicate day).
    """
    root = _tree(text)
    year_text = root.get("year") or ""
    if root.tag != "calendar" or not _YEAR.fullmatch(year_text):
        raise ValueError('xmlcalendar: the root must be <calendar year="YYYY">')
    year = int(year_text)
    if not 1 <= year <= MAXYEAR:
        raise ValueError(f"xmlcalendar: the year must be 1..9999, got {year_text}")
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
