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
``provisional = true``. The calendar never ends: :meth:`ProductionCalendar.extended_to`
continues it past the last year with data by such provisional years (and a calendar grows
by itself to cover local overrides in the next :attr:`ProductionCalendar.AUTO_EXTENSION_YEARS`
years); a date before the first year is refused with :class:`OutOfCalendar`.
"""

from __future__ import annotations

import enum
import functools
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import MAXYEAR, MINYEAR, date, datetime, timedelta
from importlib import resources
from typing import Any, ClassVar, NamedTuple, TypeVar

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
    """A moment or date lies outside the span the calendar knows.

    ``str(exc)`` is a technical English message; ``exc.ru`` a Russian sentence for a
    person («Дата 0001-01-01 раньше начала производственного календаря (01.01.2023).»).
    To word their own, callers get ``when`` (the date or moment asked about; for a
    deadline past the end, its start; None for a whole year), ``first_day`` and
    ``last_day`` (the span, None when unknown) and ``before``: True when it lies before
    the start (refused for good: the calendar is never extended backwards), False when
    past the end (a calendar extended with :meth:`ProductionCalendar.extended_to` may
    answer).
    """

    def __init__(
        self,
        message: str,
        *,
        ru: str | None = None,
        when: date | None = None,
        first_day: date | None = None,
        last_day: date | None = None,
        before: bool = False,
    ) -> None:
        super().__init__(message)
        self.ru = message if ru is None else ru
        self.when = when
        self.first_day = first_day
        self.last_day = last_day
        self.before = before


def ru_date(d: date) -> str:
    """``DD.MM.YYYY`` (strftime does not pad years before 1000)."""
    return f"{d.day:02}.{d.month:02}.{d.year:04}"


def outside(
    when: date,
    first_day: date,
    last_day: date,
    *,
    before: bool,
    what: str = "production calendar",
    zone: str | None = None,
    day: date | None = None,
) -> OutOfCalendar:
    """OutOfCalendar for ``when`` before ``first_day`` or after ``last_day``.

    ``day`` is the date to name in Russian (for a moment: its local date in the zone).
    """
    span = f"{first_day.isoformat()}..{last_day.isoformat()}" + (f" ({zone})" if zone else "")
    if day is None:
        day = when.date() if isinstance(when, datetime) else when
    if before:
        en = f"{when.isoformat()} is before the start of the {what} {span}"
        ru = f"Дата {day.isoformat()} раньше начала производственного календаря ({ru_date(first_day)})."
    else:
        en = f"{when.isoformat()} is after the end of the {what} {span}"
        ru = (
            f"Дата {day.isoformat()} позже конца производственного календаря ({ru_date(last_day)})."
        )
    return OutOfCalendar(
        en, ru=ru, when=when, first_day=first_day, last_day=last_day, before=before
    )


_T = TypeVar("_T")


def remember(cache: dict[int, _T], key: int, value: _T) -> _T:
    """``cache[key] = value``, bounded: callers extend to a year or two, not to hundreds."""
    if len(cache) >= 16:
        cache.clear()
    cache[key] = value
    return value


def check_year(year: int, what: str = "year") -> None:
    """ValueError unless ``year`` is an int in 1..9999 (the range of :class:`datetime.date`)."""
    if isinstance(year, bool) or not isinstance(year, int) or not MINYEAR <= year <= MAXYEAR:
        raise ValueError(f"{what} must be an integer 1..9999, got {year!r}")


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
        check_year(self.year)
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
    check_year(year)
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
    ``provisional``. ValueError unless ``year`` is in 1..9999.
    """
    check_year(year)
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
    # 31 December of 9999 has no next year (and no next day) to be shortened before.
    next_year_holidays = statutory_holidays(year + 1) if year < MAXYEAR else {}
    for d in sorted(days.keys() | _weekdays(year)):
        if d.year == year and d < date.max and not off(d):
            tomorrow = d + timedelta(days=1)
            if tomorrow in holidays or tomorrow in next_year_holidays:
                days[d] = DayKind.SHORTENED
    for d in extra_shortened:
        days[d] = DayKind.SHORTENED
    return YearCalendar(year, source, provisional, days, holidays, transfers)


def _days_of(year: int) -> list[date]:
    # By ordinal: stepping a date past 9999-12-31 overflows.
    first = date(year, 1, 1).toordinal()
    return [date.fromordinal(n) for n in range(first, date(year, 12, 31).toordinal() + 1)]


def _weekdays(year: int) -> set[date]:
    return {d for d in _days_of(year) if d.weekday() < 5}


@functools.lru_cache(maxsize=1024)
def _provisional_year(year: int) -> YearCalendar:
    """``rules_year(year)``, shared by every calendar extended to it (treat as immutable)."""
    return rules_year(year)


_KIND_NAMES = {
    "holiday": DayKind.NON_WORKING,
    "day-off": DayKind.NON_WORKING,
    "working": DayKind.WORKING,
    "shortened": DayKind.SHORTENED,
}


def parse_toml(text: str, what: str) -> dict[str, Any]:
    """``tomllib.loads`` with every failure a ValueError naming ``what``."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{what}: not valid TOML: {exc}") from None
    except RecursionError:  # tomllib recurses into nested arrays and inline tables
        raise ValueError(f"{what}: not valid TOML: nested too deeply") from None


def load_year(text: str) -> YearCalendar:
    """Parse one year from the TOML data format (see the module docstring).

    Raises ValueError with a message naming the problem on any malformed input.
    """
    raw = parse_toml(text, "calendar file")
    try:
        year = raw["year"]
        source = raw["source"]
        provisional = raw["provisional"]
    except KeyError as exc:
        raise ValueError(f"calendar file lacks {exc.args[0]!r}") from None
    table = raw.get("days", {})
    if (
        isinstance(year, bool)
        or not isinstance(year, int)
        or not isinstance(source, str)
        or not isinstance(provisional, bool)
    ):
        raise ValueError(
            "calendar file: year must be an integer, source a string, provisional a boolean"
        )
    check_year(year, "calendar file: year")
    if not isinstance(table, dict):
        raise ValueError("calendar file: [days] must be a table")
    days: dict[date, DayKind] = {}
    holidays: dict[date, str] = {}
    transfers: dict[date, date] = {}
    for key, entry in table.items():
        try:
            d = date.fromisoformat(key)
        except ValueError:
            raise ValueError(f"calendar file: {key!r} is not a date (YYYY-MM-DD)") from None
        if not isinstance(entry, dict):
            raise ValueError(f'calendar file: {key}: expected {{ kind = "..." }}')
        kind_name = entry.get("kind")
        if not isinstance(kind_name, str) or kind_name not in _KIND_NAMES:
            raise ValueError(f"calendar file: {key}: unknown kind {kind_name!r}")
        days[d] = _KIND_NAMES[kind_name]
        if kind_name == "holiday":
            name = entry.get("name")
            if not isinstance(name, str):
                raise ValueError(f"calendar file: {key}: a holiday needs a name (a string)")
            holidays[d] = name
        elif kind_name == "day-off" and "from" in entry:
            frm = entry["from"]
            # A TOML date-time is a datetime, which is also a date: refuse it.
            if not isinstance(frm, date) or isinstance(frm, datetime):
                raise ValueError(f"calendar file: {key}: 'from' must be a TOML date")
            transfers[d] = frm
    return YearCalendar(year, source, provisional, days, holidays, transfers)


def _toml_str(s: str) -> str:
    """A TOML basic string: quote, backslash and control characters escaped."""
    out = []
    for c in s:
        if c in '"\\':
            out.append("\\" + c)
        elif c == "\t" or (c >= " " and c != "\x7f"):
            out.append(c)
        else:  # the rest of U+0000–U+001F and U+007F are illegal unescaped
            out.append(f"\\u{ord(c):04x}")
    return '"' + "".join(out) + '"'


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

    An override past the last year extends the calendar with provisional years
    (:func:`rules_year`) to cover it, up to :attr:`AUTO_EXTENSION_YEARS` past the last
    given year; one farther away (a typo: 2062 for 2026) is kept in :attr:`overrides` but
    takes effect only once :meth:`extended_to` reaches its year, so that it never makes
    every calendar built from it decades long. An override before the first year raises
    :class:`OutOfCalendar`.
    """

    AUTO_EXTENSION_YEARS: ClassVar[int] = 25

    def __init__(
        self, years: Iterable[YearCalendar], overrides: Mapping[date, DayKind] | None = None
    ) -> None:
        by_year = {y.year: y for y in years}
        if not by_year:
            raise ValueError("a production calendar needs at least one year")
        numbers = sorted(by_year)
        if numbers != list(range(numbers[0], numbers[-1] + 1)):
            raise ValueError(f"calendar years must be contiguous, got {numbers}")
        self._overrides = dict(overrides or {})
        reach = min(numbers[-1] + self.AUTO_EXTENSION_YEARS, MAXYEAR)
        cover = max((d.year for d in self._overrides if d.year <= reach), default=numbers[-1])
        for n in range(numbers[-1] + 1, cover + 1):
            by_year[n] = _provisional_year(n)
            numbers.append(n)
        self._years = {n: by_year[n] for n in numbers}
        self.first_day = date(numbers[0], 1, 1)
        self.last_day = date(numbers[-1], 12, 31)
        self._extended: dict[int, ProductionCalendar] = {}
        self._kinds: dict[date, DayKind] = {}
        for y in self._years.values():
            self._kinds.update(y.days)
        for d, kind in self._overrides.items():
            if d < self.first_day:
                span = f"{self.first_day.isoformat()}..{self.last_day.isoformat()}"
                raise OutOfCalendar(
                    f"override {d.isoformat()} is before the start of the production calendar {span}",
                    ru=(
                        f"Местное изменение на {d.isoformat()} раньше начала "
                        f"производственного календаря ({ru_date(self.first_day)})."
                    ),
                    when=d,
                    first_day=self.first_day,
                    last_day=self.last_day,
                    before=True,
                )
            if d <= self.last_day:  # else dormant until the calendar reaches it
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
            raise outside(d, self.first_day, self.last_day, before=d < self.first_day)

    def year(self, year: int) -> YearCalendar:
        """The data of ``year``; OutOfCalendar if not loaded."""
        try:
            return self._years[year]
        except KeyError:
            first, last = self.first_day.year, self.last_day.year
            raise OutOfCalendar(
                f"year {year} is not in the production calendar {self.years}",
                ru=f"{year} год не входит в производственный календарь ({first}–{last}).",
                first_day=self.first_day,
                last_day=self.last_day,
                before=year < first,
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

    def extended_to(self, year: int) -> ProductionCalendar:
        """This calendar continued through 31 December of ``year`` by provisional years.

        The added years are :func:`rules_year` (ТК РФ ст. 112 holidays and their moves,
        weekends, pre-holiday shortening; ``provisional``), the overrides are kept. Returns
        ``self`` when the calendar already reaches ``year``; otherwise the result is cached
        on this instance, so calling it per request is cheap. ValueError past 9999.
        """
        check_year(year)
        if year <= self.last_day.year:
            return self
        hit = self._extended.get(year)
        if hit is None:
            added = (_provisional_year(n) for n in range(self.last_day.year + 1, year + 1))
            hit = ProductionCalendar([*self._years.values(), *added], self._overrides)
            remember(self._extended, year, hit)
        return hit

    def with_overrides(self, overrides: Mapping[date, DayKind]) -> ProductionCalendar:
        """A new calendar with ``overrides`` laid over the current ones (later wins)."""
        return ProductionCalendar(self._years.values(), {**self._overrides, **overrides})

    def with_years(self, *years: YearCalendar) -> ProductionCalendar:
        """A new calendar with ``years`` added or replacing the loaded ones.

        A gap after the current first year (data up to 2027, 2030 imported) is filled
        with provisional years, at most :attr:`AUTO_EXTENSION_YEARS` of them; a wider gap,
        or one before the first year (the calendar never makes up past years), is a
        ValueError.
        """
        merged = {**self._years, **{y.year: y for y in years}}
        missing = [n for n in range(min(merged), max(merged) + 1) if n not in merged]
        if len(missing) > self.AUTO_EXTENSION_YEARS or any(
            n < self.first_day.year for n in missing
        ):
            raise ValueError(
                f"calendar years must be contiguous: {len(missing)} years between "
                f"{min(merged)} and {max(merged)} are missing (only up to "
                f"{self.AUTO_EXTENSION_YEARS} after {self.first_day.year} are filled with "
                f"provisional years)"
            )
        merged.update((n, _provisional_year(n)) for n in missing)
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
    check_year(year)
    working = shortened = 0
    for d in _days_of(year):
        kind = calendar.kind_of(d)
        working += kind.is_working
        shortened += kind is DayKind.SHORTENED
    return YearSummary(
        year, working, 8 * working - shortened, shortened, calendar.is_provisional(year)
    )
