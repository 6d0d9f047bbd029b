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
* ``--batch``: one output line per non-blank input line, in order: the deadline or
  ``error: <reason>``. Blank (whitespace-only) lines are skipped without output.
* ``year``: one line ``YYYY: N рабочих дней, H ч (40-часовая неделя)``; a year built from
  the rules without a decree gets ``, предварительный`` appended.
* ``--municipality SLUG`` uses the caller-supplied resolver; ``--schedule FILE`` a TOML
  weekly schedule (format in ``_schedule.py``) on the federal calendar; the two exclude
  each other. Without either: the default schedule on the federal calendar.

Exit status: 0 success; 1 a computation failed (outside the calendar, any bad
``--batch`` line); 2 a usage problem (bad arguments, unreadable schedule, unknown
municipality). Messages go to stderr, except per-line ``--batch`` errors on stdout.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import NoReturn, TextIO

from ._calendar import OutOfCalendar, federal_calendar, year_summary
from ._engine import WorkCalendar
from ._schedule import WeeklySchedule

__all__ = ["main"]

_DURATION = re.compile(r"(\d+)([mhd])")


class _UsageError(Exception):
    pass


class _Exit(Exception):
    def __init__(self, status: int) -> None:
        self.status = status


def _moment(text: str) -> datetime:
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not an ISO 8601 date and time: {text!r}") from None
    if dt.tzinfo is None:
        raise ValueError(f"{text!r} has no UTC offset (write e.g. {text}+03:00)")
    return dt


def _deadline(wc: WorkCalendar, start_text: str, duration_text: str) -> datetime:
    start = _moment(start_text)
    match = _DURATION.fullmatch(duration_text)
    if match is None:
        raise ValueError(f"bad duration {duration_text!r} (use <N>m, <N>h or <N>d)")
    n, unit = int(match.group(1)), match.group(2)
    if unit == "d":
        return wc.add_working_days(start, n)
    return wc.add(start, timedelta(minutes=n) if unit == "m" else timedelta(hours=n))


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
        except (OSError, ValueError) as exc:
            raise _UsageError(f"schedule {args.schedule}: {exc}") from None
        return WorkCalendar(federal_calendar(), schedule)
    return WorkCalendar(federal_calendar())


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
        return _run(args, wc, stdin, stdout, stderr)
    except _Exit as exc:
        return exc.status
    except _UsageError as exc:
        stderr.write(f"otklik worktime: error: {exc}\n")
        return 2


def _run(
    args: argparse.Namespace, wc: WorkCalendar, stdin: TextIO, stdout: TextIO, stderr: TextIO
) -> int:
    if args.command == "add" and args.batch:
        status = 0
        for line in stdin:
            fields = line.split()
            if not fields:
                continue
            try:
                if len(fields) != 2:
                    raise ValueError(f"expected START DURATION, got {line.strip()!r}")
                stdout.write(_deadline(wc, fields[0], fields[1]).isoformat() + "\n")
            except ValueError as exc:  # OutOfCalendar is a ValueError
                stdout.write(f"error: {exc}\n")
                status = 1
        return status
    try:
        if args.command == "add":
            stdout.write(_deadline(wc, args.start, args.duration).isoformat() + "\n")
        elif args.command == "between":
            a, b = _moment(args.a), _moment(args.b)
            stdout.write(_minutes(wc.between(a, b)) + "\n")
        else:
            s = year_summary(wc.calendar, args.year)
            line = (
                f"{s.year}: {s.working_days} "
                f"{_plural(s.working_days, 'рабочий день', 'рабочих дня', 'рабочих дней')}, "
                f"{s.hours_40h_week} ч (40-часовая неделя)"
            )
            stdout.write(line + (", предварительный" if s.provisional else "") + "\n")
    except ValueError as exc:
        stderr.write(f"otklik worktime: error: {exc}\n")
        # Unparseable input is a usage problem; a valid question without an answer is not.
        return 1 if isinstance(exc, OutOfCalendar) else 2
    return 0
