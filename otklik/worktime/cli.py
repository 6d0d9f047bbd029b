"""``otklik worktime``: working-time arithmetic from the command line.

Commands (options ``--municipality SLUG`` / ``--schedule FILE`` follow the command)::

    otklik worktime add START DURATION      -> 2026-12-07T10:30:00+03:00
    otklik worktime add --batch             (stdin: "START DURATION" lines)
    otklik worktime between A B             -> working minutes: 480, or 0.5 (2 decimals)
    otklik worktime year YEAR               -> 2026: 247 рабочих дней, 1972 ч (40-часовая неделя)

* START, A, B: ISO 8601 with a UTC offset (``2026-12-04T16:30+03:00``, ``...Z``);
  a time without an offset is an error. Output is in the municipality's time zone.
* DURATION: ``<N>m`` / ``<N>h`` working minutes / hours (N >= 0), ``<N>d`` working days
  counted by ГК РФ ст. 191 (N >= 1; the deadline is the end of the N-th working day).
  N is ASCII digits and at most 100 years of calendar time (52704000m, 878400h, 36600d):
  more is a typo, refused as a usage error.
* YEAR: 1..9999.
* Past the calendar data, dates are counted on provisional years built from the rules
  (ТК РФ ст. 112 holidays and their moves, weekends; see ``rules_year``), as 2027 is
  today, up to 100 years past the last year of the calendar; a date or deadline farther
  out is refused (exit 1). A date before the first year is refused (exit 1).
* Provisional: ``year`` appends ``, предварительный`` to its line. ``add`` and
  ``between`` keep stdout as it is (one value per line) and, when a day counted belongs
  to a provisional year, write ``otklik worktime: note: посчитано по предварительному
  календарю (2027–2028)`` to stderr; ``--batch`` writes one such note at the end,
  ``... (2028): строк K из N``.
* ``--batch``: one output line per non-blank input line, in order: the deadline or
  ``error: <reason>`` in its place (the other lines go on). Blank (whitespace-only)
  lines are skipped without output. Bytes of stdin that are not UTF-8 are read as
  U+FFFD, so they spoil their own line only.
* ``--municipality SLUG`` uses the caller-supplied resolver; ``--schedule FILE`` a TOML
  weekly schedule (format in ``_schedule.py``) on the federal calendar; the two exclude
  each other. Without either: the default schedule on the federal calendar.

Messages: every error is one line on stderr, ``otklik worktime: error: <reason>`` (a
date outside the calendar in Russian, as ``OutOfCalendar.ru``), except per-line
``--batch`` errors, which go to stdout. Exit status: 0 success; 1 a computation failed
(outside the calendar, any bad ``--batch`` line); 2 a usage problem (bad arguments or
input, unreadable schedule, unknown municipality).
"""

from __future__ import annotations

import argparse
import functools
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import NoReturn, TextIO, TypeVar

from ._calendar import OutOfCalendar, ProductionCalendar, federal_calendar, ru_date, year_summary
from ._engine import LAST_YEAR, WorkCalendar
from ._schedule import WeeklySchedule

__all__ = ["main"]

T = TypeVar("T")

_DURATION = re.compile(r"([0-9]+)([mhd])", re.ASCII)
# 100 years of calendar time in each unit: a longer duration is a typo, not a question.
_LIMITS = {"m": 100 * 366 * 24 * 60, "h": 100 * 366 * 24, "d": 100 * 366}
# Provisional years are built this far past the last year of the calendar; each year
# costs a few ms and some memory, and a date further out is a typo.
_HORIZON_YEARS = 100


class _UsageError(Exception):
    pass


class _Exit(Exception):
    def __init__(self, status: int) -> None:
        self.status = status


def _one_line(text: str) -> str:
    """``text`` with line breaks and other unprintable characters escaped."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _moment(text: str) -> datetime:
    try:
        dt = datetime.fromisoformat(text)
    except ValueError as exc:
        reason = str(exc)
        detail = "" if reason.startswith("Invalid isoformat") else f" ({reason})"
        raise ValueError(f"not an ISO 8601 date and time: {text!r}{detail}") from None
    if dt.tzinfo is None:
        raise ValueError(f"{text!r} has no UTC offset (write e.g. {text}+03:00)")
    return dt


def _duration(text: str) -> tuple[int, str]:
    match = _DURATION.fullmatch(text)
    if match is None:
        raise ValueError(f"bad duration {text!r} (use <N>m, <N>h or <N>d)")
    digits, unit = match.group(1), match.group(2)
    limit = _LIMITS[unit]
    if len(digits) > len(str(limit)) or int(digits) > limit:
        raise ValueError(f"duration {text!r} is too long (at most {limit}{unit}: 100 years)")
    return int(digits), unit


def _minutes(delta: timedelta) -> str:
    seconds = delta.days * 86400 + delta.seconds
    if seconds % 60 == 0:
        return str(seconds // 60)
    return str((Decimal(seconds) / 60).quantize(Decimal("0.01"), ROUND_HALF_UP))


def _plural(n: int, one: str, few: str, many: str) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def _years_text(years: Sequence[int]) -> str:
    """``2027``, ``2027–2029``, ``2027, 2029–2030`` (sorted, no duplicates)."""
    runs: list[list[int]] = []
    for y in years:
        if runs and runs[-1][1] + 1 == y:
            runs[-1][1] = y
        else:
            runs.append([y, y])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)


class _Calendars:
    """The base working calendar and its provisional extensions, as far as a question needs.

    Extensions grow in steps (2, 10, 30, 100 years past the base) and are cached on the
    base calendar, so a batch builds each at most once; answers do not depend on how far
    a calendar reaches, only whether it reaches.
    """

    def __init__(self, base: WorkCalendar) -> None:
        self.base = base
        last = base.last_day.year
        self.horizon = min(last + _HORIZON_YEARS, LAST_YEAR)
        self._reaches = [y for y in (last + 2, last + 10, last + 30) if y < self.horizon]
        self._reaches.append(self.horizon)

    def _candidates(self, year: int) -> Iterator[WorkCalendar]:
        yield self.base
        for reach in self._reaches:
            if reach >= year:
                yield self.base.extended_to(reach)

    def ask(self, moments: Sequence[datetime], question: Callable[[WorkCalendar], T]) -> T:
        """``question(wc)`` on the shortest calendar that answers it, up to the horizon."""
        for m in moments:
            if m.year > self.horizon:
                raise self._too_far(m)
        wc = self.base
        for wc in self._candidates(max(m.year for m in moments)):
            try:
                return question(wc)
            except OutOfCalendar as exc:
                if exc.before:
                    raise
        for m in moments:  # written in the horizon year, already past it in the zone
            try:
                wc.is_working_moment(m)
            except OutOfCalendar:
                raise self._too_far(m) from None
        end = date(self.horizon, 12, 31)
        raise OutOfCalendar(
            f"the deadline falls beyond {end.isoformat()}: provisional years are built up to "
            f"{_HORIZON_YEARS} years past the calendar data",
            ru=f"Срок выходит за {ru_date(end)}: дальше предварительный календарь не строится.",
            when=moments[0],
            first_day=self.base.first_day,
            last_day=end,
        )

    def _too_far(self, when: datetime) -> OutOfCalendar:
        end = date(self.horizon, 12, 31)
        return OutOfCalendar(
            f"{when.isoformat()} is too far in the future: provisional years are built up to "
            f"{end.isoformat()}",
            ru=(
                f"Дата {when.date().isoformat()} слишком далеко: предварительный календарь "
                f"строится не дальше {ru_date(end)}."
            ),
            when=when,
            first_day=self.base.first_day,
            last_day=end,
        )

    def production_calendar(self, year: int) -> ProductionCalendar:
        """The production calendar reaching ``year`` (1..9999), for ``year_summary``."""
        cal = self.base.calendar
        first = cal.first_day.year
        if year < first:
            raise OutOfCalendar(
                f"year {year} is before the start of the production calendar {cal.years}",
                ru=f"{year} год раньше начала производственного календаря ({first}).",
                first_day=cal.first_day,
                last_day=cal.last_day,
                before=True,
            )
        if year > self.horizon:
            raise OutOfCalendar(
                f"year {year} is too far in the future: provisional years are built up to "
                f"{self.horizon}",
                ru=(
                    f"{year} год слишком далеко: предварительный календарь строится не дальше "
                    f"{self.horizon} года."
                ),
                first_day=cal.first_day,
                last_day=date(self.horizon, 12, 31),
            )
        return cal.extended_to(year)


def _provisional_years(wc: WorkCalendar, a: datetime, b: datetime) -> set[int]:
    """Provisional years from ``a`` to ``b``, both inside ``wc`` (just answered there)."""
    ya, yb = sorted((a.astimezone(wc.tz).year, b.astimezone(wc.tz).year))
    return {y for y in range(ya, yb + 1) if wc.calendar.is_provisional(y)}


def _deadline(cals: _Calendars, start_text: str, duration_text: str) -> tuple[datetime, set[int]]:
    start = _moment(start_text)
    n, unit = _duration(duration_text)

    def question(wc: WorkCalendar) -> tuple[datetime, set[int]]:
        if unit == "d":
            deadline = wc.add_working_days(start, n)
        else:
            deadline = wc.add(start, timedelta(minutes=n) if unit == "m" else timedelta(hours=n))
        return deadline, _provisional_years(wc, start, deadline)

    return cals.ask([start], question)


def _parser(stdout: TextIO, stderr: TextIO) -> argparse.ArgumentParser:
    class Parser(argparse.ArgumentParser):
        # argparse writes to sys.stdout/sys.stderr and exits: route both to our streams.
        def _print_message(self, message: str, file: object = None) -> None:
            if message:
                (stderr if file is sys.stderr else stdout).write(message)

        def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
            if message:
                stderr.write(message)
            raise _Exit(status)

        def error(self, message: str) -> NoReturn:
            # One line (not the usage block): the argument text may hold line breaks.
            self.exit(2, f"{self.prog}: error: {_one_line(message)} (see {self.prog} --help)\n")

    common = Parser(add_help=False)
    where = common.add_mutually_exclusive_group()
    where.add_argument(
        "--municipality", metavar="SLUG", help="a municipality's calendar and schedule"
    )
    where.add_argument("--schedule", metavar="FILE", help="a TOML weekly schedule")

    parser = Parser(prog="otklik worktime", description="Working time on the production calendar.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    add = commands.add_parser("add", parents=[common], help="deadline = START + working DURATION")
    add.add_argument("start", nargs="?", metavar="START")
    add.add_argument("duration", nargs="?", metavar="DURATION", help="<N>m, <N>h or <N>d")
    add.add_argument("--batch", action="store_true", help='read "START DURATION" lines from stdin')
    between = commands.add_parser("between", parents=[common], help="working minutes from A to B")
    between.add_argument("a", metavar="A")
    between.add_argument("b", metavar="B")
    year = commands.add_parser("year", parents=[common], help="working days and hours of a year")
    year.add_argument("year", type=int, metavar="YEAR")
    return parser


@functools.cache
def _federal_work_calendar() -> WorkCalendar:
    """Built once per process: in-process callers (tests, a shell) run main() many times."""
    return WorkCalendar(federal_calendar())


def _work_calendar(
    args: argparse.Namespace, resolve: Callable[[str], WorkCalendar] | None
) -> WorkCalendar:
    if args.municipality is not None:
        if resolve is None:
            raise _UsageError("--municipality is not available here (no municipality resolver)")
        try:
            return resolve(args.municipality)
        except LookupError as exc:
            raise _UsageError(f"unknown municipality {args.municipality!r}: {exc}") from None
    if args.schedule is not None:
        try:
            with open(args.schedule, encoding="utf-8") as f:
                schedule = WeeklySchedule.from_toml(f.read())
        except UnicodeDecodeError:
            raise _UsageError(f"schedule {args.schedule}: not valid UTF-8") from None
        except (OSError, ValueError) as exc:
            raise _UsageError(f"schedule {args.schedule}: {exc}") from None
        return WorkCalendar(federal_calendar(), schedule)
    return _federal_work_calendar()


def main(
    argv: Sequence[str],
    stdin: TextIO,
    stdout: TextIO,
    stderr: TextIO,
    *,
    resolve_municipality: Callable[[str], WorkCalendar] | None = None,
) -> int:
    """Run ``otklik worktime`` with ``argv`` (without the program name); return the exit status."""
    parser = _parser(stdout, stderr)
    try:
        args = parser.parse_args(list(argv))
        if args.command == "add" and args.batch != (args.start is None and args.duration is None):
            parser.error("give START DURATION, or --batch alone")
        if args.command == "add" and not args.batch and args.duration is None:
            parser.error("DURATION is missing")
        wc = _work_calendar(args, resolve_municipality)
        return _run(args, _Calendars(wc), stdin, stdout, stderr)
    except _Exit as exc:
        return exc.status
    except _UsageError as exc:
        stderr.write(f"otklik worktime: error: {_one_line(str(exc))}\n")
        return 2


def _reason(exc: ValueError) -> str:
    return _one_line(exc.ru if isinstance(exc, OutOfCalendar) else str(exc))


def _note(years: set[int]) -> str:
    return f"otklik worktime: note: посчитано по предварительному календарю ({_years_text(sorted(years))})"


def _run(
    args: argparse.Namespace, cals: _Calendars, stdin: TextIO, stdout: TextIO, stderr: TextIO
) -> int:
    if args.command == "add" and args.batch:
        return _batch(cals, stdin, stdout, stderr)
    try:
        if args.command == "add":
            deadline, provisional = _deadline(cals, args.start, args.duration)
            stdout.write(deadline.isoformat() + "\n")
        elif args.command == "between":
            a, b = _moment(args.a), _moment(args.b)
            delta, provisional = cals.ask(
                [a, b], lambda wc: (wc.between(a, b), _provisional_years(wc, a, b))
            )
            stdout.write(_minutes(delta) + "\n")
        else:
            if not 1 <= args.year <= 9999:
                raise ValueError(f"year must be 1..9999, got {args.year}")
            s = year_summary(cals.production_calendar(args.year), args.year)
            line = (
                f"{s.year}: {s.working_days} "
                f"{_plural(s.working_days, 'рабочий день', 'рабочих дня', 'рабочих дней')}, "
                f"{s.hours_40h_week} ч (40-часовая неделя)"
            )
            stdout.write(line + (", предварительный" if s.provisional else "") + "\n")
            provisional = set()
    except ValueError as exc:
        stderr.write(f"otklik worktime: error: {_reason(exc)}\n")
        # Unparseable input is a usage problem; a valid question without an answer is not.
        return 1 if isinstance(exc, OutOfCalendar) else 2
    if provisional:
        stderr.write(_note(provisional) + "\n")
    return 0


def _batch(cals: _Calendars, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    reconfigure = getattr(stdin, "reconfigure", None)
    if callable(reconfigure):
        # A stray non-UTF-8 byte then spoils its own line (read as U+FFFD), not the run.
        reconfigure(errors="replace")
    status = 0
    answered = 0
    provisional_lines = 0
    provisional: set[int] = set()
    try:
        for line in stdin:
            fields = line.split()
            if not fields:
                continue
            answered += 1
            try:
                if len(fields) != 2:
                    raise ValueError(f"expected START DURATION, got {line.strip()!r}")
                deadline, years = _deadline(cals, fields[0], fields[1])
            except ValueError as exc:  # OutOfCalendar is a ValueError
                stdout.write(f"error: {_reason(exc)}\n")
                status = 1
                continue
            stdout.write(deadline.isoformat() + "\n")
            if years:
                provisional |= years
                provisional_lines += 1
    except UnicodeDecodeError:  # a stream that could not be told to replace bad bytes
        stderr.write("otklik worktime: error: standard input is not valid UTF-8\n")
        return 2
    if provisional:
        stderr.write(f"{_note(provisional)}: строк {provisional_lines} из {answered}\n")
    return status
