"""The Russian production calendar: year data, the rules, the TOML data format.

Data file format (one file per year, ``data/ru-YYYY.toml``, read with :mod:`tomllib`)::

    year = 2024
    source = "Постановление Правительства РФ от 10.08.2023 № 1310"
    provisional = false

    [days]
    "2024-01-01" = { kind = "holiday", name = "Новогодние каникулы" }
    "2024-04-27" = { kind = "working" }
    "2024-04-29" = { kind = "day-off", from = 2024-04-27 }
    "2024-02-22" = { kind = "shortened" }

Only exceptions to the plain rule (Monday–Friday working, Saturday–Sunday off) are
listed. ``kind`` is one of:

* ``holiday`` — a non-working holiday of ТК РФ ст. 112 (``name`` required), listed even
  when it falls on a weekend;
* ``day-off`` — a day off moved here (``from`` = the day it was moved from): a transfer
  decreed by the Government, or the automatic move of ст. 112 of a holiday that fell on
  a weekend;
* ``working`` — a Saturday or Sunday that is a working day;
* ``shortened`` — a working day one hour shorter (ст. 95, pre-holiday), possibly a
  working Saturday.

A year without a known decree is built by :func:`rules_year` and marked
``provisional = true``.
"""

from __future__ import annotations

import enum
import functools
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources
from typing import Any, NamedTuple

__all__ = [
    "DayKind",
    "OutOfCalendar",
    "ProductionCalendar",
    "YearCalendar",
    "YearSummary",
    "dump_year",
    "federal_calendar",
    "load_year",
    "rules_year",
    "year_summary",
]


class DayKind(enum.Enum):
    """What a calendar day is. ``SHORTENED`` is a working day one hour shorter."""

    WORKING = "working"
    NON_WORKING = "non-working"
    SHORTENED = "shortened"

    @property
    def is_working(self) -> bool:
        return self is not DayKind.NON_WORKING


class OutOfCalendar(ValueError):
    """A moment or date lies outside the span the calendar knows."""


@dataclass(frozen=True, eq=True)
class YearCalendar:
    """One year of the production calendar.

    ``days`` holds only the exceptions to the plain Monday–Friday rule. ``holidays``
    names the ст. 112 holidays (each must be NON_WORKING in ``days``); ``transfers``
    maps a moved day off to the day it was moved from (keys must be NON_WORKING).
    """

    year: int
    source: str
    provisional: bool
    days: Mapping[date, DayKind]
    holidays: Mapping[date, str] = field(default_factory=dict)
    transfers: Mapping[date, date] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for d in self.days:
            if d.year != self.year:
                raise ValueError(f"{d.isoformat()} is not in year {self.year}")
        for d in (*self.holidays, *self.transfers):
            if self.days.get(d) is not DayKind.NON_WORKING:
                raise ValueError(f"{d.isoformat()}: a holiday or moved day off must be NON_WORKING")

    def kind_of(self, d: date) -> DayKind:
        """Kind of ``d`` (precondition: ``d.year == self.year``)."""
        kind = self.days.get(d)
        if kind is not None:
            return kind
        return DayKind.WORKING if d.weekday() < 5 else DayKind.NON_WORKING


# ТК РФ ст. 112, in force since 2013: the same list every year.
_HOLIDAYS: tuple[tuple[int, int, str], ...] = (
    *((1, day, "Новогодние каникулы") for day in (1, 2, 3, 4, 5, 6, 8)),
    (1, 7, "Рождество Христово"),
    (2, 23, "День защитника Отечества"),
    (3, 8, "Международный женский день"),
    (5, 1, "Праздник Весны и Труда"),
    (5, 9, "День Победы"),
    (6, 12, "День России"),
    (11, 4, "День народного единства"),
)


def statutory_holidays(year: int) -> dict[date, str]:
    """The non-working holidays of ТК РФ ст. 112 in ``year``, with their names."""
    return {date(year, m, d): name for m, d, name in _HOLIDAYS}


def rules_year(
    year: int,
    *,
    source: str = "ТК РФ ст. 112, 95 (без постановления о переносах)",
    transfers: Mapping[date, date] | None = None,
    extra_shortened: Iterable[date] = (),
    provisional: bool = True,
) -> YearCalendar:
    """Build a year from the rules of the Labour Code.

    Holidays of ст. 112; a holiday on a Saturday or Sunday (except 1–8 January) moves to
    the next working day; decreed ``transfers`` (moved day off -> the day it was moved
    from; a weekend ``from`` that is not a holiday becomes working); a working day right
    before a holiday is one hour shorter (ст. 95), plus ``extra_shortened`` days that a
    decree or the Ministry named on top of the rule. Without a decree the result is
    ``provisional``.
    """
    transfers = dict(transfers or {})
    holidays = statutory_holidays(year)
    days: dict[date, DayKind] = dict.fromkeys(holidays, DayKind.NON_WORKING)
    for to, frm in transfers.items():
        days[to] = DayKind.NON_WORKING
        if frm.year == year and frm not in holidays and frm.weekday() >= 5:
            days[frm] = DayKind.WORKING

    def off(d: date) -> bool:
        kind = days.get(d)
        return kind is DayKind.NON_WORKING or (kind is None and d.weekday() >= 5)

    moved_from = set(transfers.values())
    for d in sorted(holidays):
        # January holidays are excluded from the automatic move (ст. 112, part 2).
        if d.month == 1 or d.weekday() < 5 or d in moved_from:
            continue
        to = d + timedelta(days=1)
        while off(to) or to in holidays:
            to += timedelta(days=1)
        days[to] = DayKind.NON_WORKING
        transfers[to] = d
    next_year_holidays = statutory_holidays(year + 1)
    for d in sorted(days.keys() | _weekdays(year)):
        if d.year == year and not off(d):
            tomorrow = d + timedelta(days=1)
            if tomorrow in holidays or tomorrow in next_year_holidays:
                days[d] = DayKind.SHORTENED
    for d in extra_shortened:
        days[d] = DayKind.SHORTENED
    return YearCalendar(year, source, provisional, days, holidays, transfers)


def _weekdays(year: int) -> set[date]:
    d = date(year, 1, 1)
    out = set()
    while d.year == year:
        if d.weekday() < 5:
            out.add(d)
        d += timedelta(days=1)
    return out


_KIND_NAMES = {
    "holiday": DayKind.NON_WORKING,
    "day-off": DayKind.NON_WORKING,
    "working": DayKind.WORKING,
    "shortened": DayKind.SHORTENED,
}


def load_year(text: str) -> YearCalendar:
    """Parse one year from the TOML data format (see the module docstring).

    Raises ValueError (``tomllib.TOMLDecodeError`` is one) on malformed input.
    """
    raw = tomllib.loads(text)
    try:
        year = raw["year"]
        source = raw["source"]
        provisional = raw["provisional"]
        table: dict[str, Any] = raw.get("days", {})
    except KeyError as exc:
        raise ValueError(f"calendar file lacks {exc.args[0]!r}") from None
    if (
        not isinstance(year, int)
        or not isinstance(source, str)
        or not isinstance(provisional, bool)
    ):
        raise ValueError(
            "calendar file: year must be an integer, source a string, provisional a boolean"
        )
    days: dict[date, DayKind] = {}
    holidays: dict[date, str] = {}
    transfers: dict[date, date] = {}
    for key, entry in table.items():
        d = date.fromisoformat(key)
        kind_name = entry.get("kind")
        if kind_name not in _KIND_NAMES:
            raise ValueError(f"{key}: unknown kind {kind_name!r}")
        days[d] = _KIND_NAMES[kind_name]
        if kind_name == "holiday":
            holidays[d] = str(entry.get("name", ""))
        elif kind_name == "day-off" and "from" in entry:
            frm = entry["from"]
            if not isinstance(frm, date):
                raise ValueError(f"{key}: 'from' must be a TOML date")
            transfers[d] = frm
    return YearCalendar(year, source, provisional, days, holidays, transfers)


def _toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def dump_year(cal: YearCalendar) -> str:
    """Write ``cal`` in the TOML data format; ``load_year(dump_year(c)) == c``."""
    lines = [
        f"# Производственный календарь РФ на {cal.year} год (пятидневная рабочая неделя).",
        "# Listed: exceptions to the plain Mon–Fri rule; see otklik/worktime/_calendar.py.",
        f"year = {cal.year}",
        f"source = {_toml_str(cal.source)}",
        f"provisional = {'true' if cal.provisional else 'false'}",
        "",
        "[days]",
    ]
    for d in sorted(cal.days):
        kind = cal.days[d]
        if kind is DayKind.NON_WORKING and d in cal.holidays:
            entry = f'kind = "holiday", name = {_toml_str(cal.holidays[d])}'
        elif kind is DayKind.NON_WORKING:
            entry = 'kind = "day-off"'
            if d in cal.transfers:
                entry += f", from = {cal.transfers[d].isoformat()}"
        elif kind is DayKind.WORKING:
            entry = 'kind = "working"'
        else:
            entry = 'kind = "shortened"'
        lines.append(f'"{d.isoformat()}" = {{ {entry} }}')
    return "\n".join(lines) + "\n"


class ProductionCalendar:
    """Contiguous years of the production calendar plus caller-supplied overrides.

    ``overrides`` (regional holidays, a municipality closed for a day, an extra working
    day, a day shortened by order) win over the year data. An override does not shorten
    the day before it: pass that day as SHORTENED explicitly if an order says so.
    """

    def __init__(
        self, years: Iterable[YearCalendar], overrides: Mapping[date, DayKind] | None = None
    ) -> None:
        by_year = {y.year: y for y in years}
        if not by_year:
            raise ValueError("a production calendar needs at least one year")
        numbers = sorted(by_year)
        if numbers != list(range(numbers[0], numbers[-1] + 1)):
            raise ValueError(f"calendar years must be contiguous, got {numbers}")
        self._years = {n: by_year[n] for n in numbers}
        self.first_day = date(numbers[0], 1, 1)
        self.last_day = date(numbers[-1], 12, 31)
        self._overrides = dict(overrides or {})
        self._kinds: dict[date, DayKind] = {}
        for y in self._years.values():
            self._kinds.update(y.days)
        for d, kind in self._overrides.items():
            self._check(d)
            self._kinds[d] = kind
        # A working weekend day that a decree traded for a weekday: remember which one,
        # so that it can follow that weekday's schedule.
        self._replaces: dict[date, date] = {}
        for y in self._years.values():
            for to, frm in y.transfers.items():
                if self.first_day <= frm <= self.last_day and self.kind_of(frm).is_working:
                    self._replaces[frm] = to

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(self._years)

    @property
    def year_calendars(self) -> tuple[YearCalendar, ...]:
        return tuple(self._years.values())

    @property
    def overrides(self) -> Mapping[date, DayKind]:
        return dict(self._overrides)

    def _check(self, d: date) -> None:
        if not self.first_day <= d <= self.last_day:
            raise OutOfCalendar(
                f"{d.isoformat()} is outside the production calendar "
                f"{self.first_day.isoformat()}..{self.last_day.isoformat()}"
            )

    def year(self, year: int) -> YearCalendar:
        """The data of ``year``; OutOfCalendar if not loaded."""
        try:
            return self._years[year]
        except KeyError:
            raise OutOfCalendar(
                f"year {year} is not in the production calendar {self.years}"
            ) from None

    def is_provisional(self, year: int) -> bool:
        return self.year(year).provisional

    def kind_of(self, d: date) -> DayKind:
        """Kind of day ``d``; OutOfCalendar outside the loaded years."""
        kind = self._kinds.get(d)
        if kind is not None:
            return kind
        self._check(d)
        return DayKind.WORKING if d.weekday() < 5 else DayKind.NON_WORKING

    def is_overridden(self, d: date) -> bool:
        return d in self._overrides

    def replaced_day(self, d: date) -> date | None:
        """For a working weekend day moved by decree, the weekday whose work it takes over."""
        return self._replaces.get(d)

    def with_overrides(self, overrides: Mapping[date, DayKind]) -> ProductionCalendar:
        """A new calendar with ``overrides`` laid over the current ones (later wins)."""
        return ProductionCalendar(self._years.values(), {**self._overrides, **overrides})

    def with_years(self, *years: YearCalendar) -> ProductionCalendar:
        """A new calendar with ``years`` added or replacing the loaded ones."""
        merged = {**self._years, **{y.year: y for y in years}}
        return ProductionCalendar(merged.values(), self._overrides)


@functools.cache
def federal_calendar() -> ProductionCalendar:
    """The federal calendar from the package data files (cached; treat as immutable)."""
    years = []
    for entry in resources.files("otklik.worktime").joinpath("data").iterdir():
        if entry.name.startswith("ru-") and entry.name.endswith(".toml"):
            years.append(load_year(entry.read_text(encoding="utf-8")))
    return ProductionCalendar(years)


class YearSummary(NamedTuple):
    year: int
    working_days: int
    hours_40h_week: int
    shortened_days: int
    provisional: bool


def year_summary(calendar: ProductionCalendar, year: int) -> YearSummary:
    """Working days and the norm of hours for a 40-hour week (8 h a day, 7 h shortened).

    Independent of any municipality's schedule; overrides in ``calendar`` count.
    """
    working = shortened = 0
    d = date(year, 1, 1)
    while d.year == year:
        kind = calendar.kind_of(d)
        working += kind.is_working
        shortened += kind is DayKind.SHORTENED
        d += timedelta(days=1)
    return YearSummary(
        year, working, 8 * working - shortened, shortened, calendar.is_provisional(year)
    )
