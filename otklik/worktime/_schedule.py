"""Weekly working schedules and their TOML file format.

Schedule file (``--schedule FILE`` of the CLI)::

    # Times are local wall-clock times in time_zone, "HH:MM" or "HH:MM:SS".
    time_zone = "Europe/Moscow"        # optional, IANA name; default Europe/Moscow

    [days]                             # mon tue wed thu fri sat sun; a day left out = no hours
    mon = ["09:00-13:00", "14:00-18:00"]
    tue = ["09:00-13:00", "14:00-18:00"]
    wed = ["09:00-13:00", "14:00-18:00"]
    thu = ["09:00-13:00", "14:00-18:00"]
    fri = ["09:00-13:00", "14:00-16:45"]

Intervals are half-open ``[start, end)``, sorted, not overlapping, within one day
(an interval cannot cross midnight; ``24:00`` is not accepted).

Which hours a working day gets is decided by the engine (see ``WorkCalendar``): a
Saturday or Sunday that the production calendar makes working uses the hours of the
weekday whose work it takes over when the decree names one (the day off moved from it),
otherwise :meth:`WeeklySchedule.common_weekday_hours`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ._calendar import parse_toml

__all__ = ["DAY_NAMES", "Hours", "WeeklySchedule"]

Hours = tuple[tuple[time, time], ...]
"""Working intervals of one day, half-open, sorted, disjoint."""

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_DEFAULT_DAY: Hours = ((time(9), time(13)), (time(14), time(18)))


def check_hours(hours: Hours, where: str) -> None:
    """ValueError unless ``hours`` are sorted, disjoint, non-empty intervals."""
    previous_end: time | None = None
    for start, end in hours:
        if start.tzinfo is not None or end.tzinfo is not None:
            raise ValueError(f"{where}: schedule times are local wall-clock times, without tzinfo")
        if not start < end:
            raise ValueError(f"{where}: interval {start}-{end} is empty or crosses midnight")
        if previous_end is not None and start < previous_end:
            raise ValueError(f"{where}: intervals overlap or are not sorted")
        previous_end = end


@dataclass(frozen=True)
class WeeklySchedule:
    """Working intervals for each weekday (0 = Monday … 6 = Sunday) in ``time_zone``."""

    time_zone: str = "Europe/Moscow"
    days: Mapping[int, Hours] = field(default_factory=lambda: dict.fromkeys(range(5), _DEFAULT_DAY))

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.time_zone)
        # ZoneInfoNotFoundError is a KeyError; a key naming a directory or an unreadable
        # file gives an OSError; a key that is no str a TypeError.
        except (ZoneInfoNotFoundError, ValueError, OSError, TypeError):
            raise ValueError(f"schedule: unknown time zone {self.time_zone!r}") from None
        for weekday, hours in self.days.items():
            if weekday not in range(7):
                raise ValueError(f"schedule: weekday must be 0..6, got {weekday}")
            check_hours(hours, f"schedule: {DAY_NAMES[weekday]}")

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @classmethod
    def default(cls) -> WeeklySchedule:
        """Monday–Friday 09:00–13:00 and 14:00–18:00, Europe/Moscow."""
        return cls()

    def hours(self, weekday: int) -> Hours:
        return self.days.get(weekday, ())

    def common_weekday_hours(self) -> Hours:
        """The hours most Monday–Friday days share (ties: the earliest such weekday).

        Used for a working weekend day when no decree says which weekday it replaces.
        """
        patterns = [self.hours(w) for w in range(5) if self.hours(w)]
        if not patterns:
            return ()
        counts = Counter(patterns)
        best = max(counts.values())
        return next(p for p in patterns if counts[p] == best)

    @classmethod
    def from_toml(cls, text: str) -> WeeklySchedule:
        """Parse the schedule file format (module docstring). ValueError when malformed."""
        raw = parse_toml(text, "schedule")
        unknown = set(raw) - {"time_zone", "days"}
        if unknown:
            raise ValueError(f"schedule: unknown keys {sorted(unknown)}")
        zone = raw.get("time_zone", "Europe/Moscow")
        table = raw.get("days", {})
        if not isinstance(zone, str) or not isinstance(table, dict):
            raise ValueError("schedule: time_zone must be a string and [days] a table")
        days: dict[int, Hours] = {}
        for name, items in table.items():
            if name not in DAY_NAMES:
                raise ValueError(f"schedule: unknown day {name!r} (use {', '.join(DAY_NAMES)})")
            if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                raise ValueError(f'schedule: {name} must be a list of "HH:MM-HH:MM" strings')
            days[DAY_NAMES.index(name)] = tuple(_parse_interval(name, i) for i in items)
        return cls(zone, days)

    def to_toml(self) -> str:
        """The schedule in the file format; ``from_toml(s.to_toml()) == s``."""
        lines = [f'time_zone = "{self.time_zone}"', "", "[days]"]
        for weekday in sorted(self.days):
            items = ", ".join(f'"{_fmt(a)}-{_fmt(b)}"' for a, b in self.days[weekday])
            lines.append(f"{DAY_NAMES[weekday]} = [{items}]")
        return "\n".join(lines) + "\n"


def _fmt(t: time) -> str:
    return t.isoformat("seconds" if t.second else "minutes")


# HH:MM or HH:MM:SS, ASCII digits: time.fromisoformat alone would also take fractions of
# a second and UTC offsets, which a wall-clock schedule has no use for.
_INTERVAL = re.compile(
    r"\s*([0-9]{2}:[0-9]{2}(?::[0-9]{2})?)\s*-\s*([0-9]{2}:[0-9]{2}(?::[0-9]{2})?)\s*",
    re.ASCII,
)


def _parse_interval(day: str, text: str) -> tuple[time, time]:
    match = _INTERVAL.fullmatch(text)
    try:
        if match is None:
            raise ValueError
        return time.fromisoformat(match.group(1)), time.fromisoformat(match.group(2))
    except ValueError:  # also 25:00, 09:61
        raise ValueError(f"schedule: {day}: {text!r} is not HH:MM-HH:MM") from None
