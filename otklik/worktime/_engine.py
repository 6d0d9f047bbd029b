"""Working-time arithmetic on precomputed interval arrays.

Model. Working time is a union of half-open intervals ``[start, end)`` in epoch seconds,
one list for the whole calendar span, with the cumulative working seconds before and at
the end of every interval. The working position of a moment ``t``, ``W(t)``, is the
working time elapsed from the beginning of the span: continuous and non-decreasing,
flat outside working time. Every operation is a bisection in these arrays: O(log n).

Semantics (whole seconds; sub-second parts of inputs are dropped):

* ``add(a, d)`` for ``d > 0`` is the earliest moment ``t`` with ``W(t) = W(a) + d``. A
  deadline that runs out at the end of an interval is that end (13:00, 18:00), never the
  start of the next one. A start outside working time counts from the next working
  moment. ``add(a, 0)`` is ``a`` itself if ``a`` is working time, else the next working
  moment. Consequences: ``between(a, add(a, d)) == d``; for ``d1, d2 > 0``,
  ``add(add(a, d1), d2) == add(a, d1 + d2)``; ``add(a, between(a, b)) == b`` for ``b > a``
  unless ``b`` is not working time or is the very start of an interval (then the result is
  the end of the previous interval: the same working position).
* ``between(a, b) = W(b) - W(a)`` (negative when ``b < a``).
* Halving for high importance is done on working time: callers pass ``duration / 2``.

Span. The arrays cover the years of the production calendar, no more: a moment outside
raises :class:`OutOfCalendar` (``before`` tells which end), as does a deadline past the
end. :meth:`WorkCalendar.extended_to` gives the same working time continued by
provisional years; extension is explicit (and cached) because it rebuilds the arrays.
A span must lie within years 2..9998, so that every moment of it and its UTC reading
stay inside the range of :class:`datetime`.
"""

from __future__ import annotations

import functools
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ._calendar import DayKind, OutOfCalendar, ProductionCalendar, outside, remember, ru_date
from ._schedule import Hours, WeeklySchedule, check_hours

__all__ = ["CountedInterval", "Explanation", "WorkCalendar"]

_HOUR = 3600


@dataclass(frozen=True)
class DayInfo:
    """Why a day has the hours it has."""

    day: date
    kind: DayKind
    working_weekend: bool  # a Saturday/Sunday made working (by decree or override)
    replaces: date | None  # the weekday whose work a decreed working weekend day takes over
    provisional: bool  # the day's year was built from the rules, without a decree
    overridden: bool  # the municipality's override changed the kind or the hours


@dataclass(frozen=True)
class CountedInterval:
    """A stretch of working time counted towards a deadline."""

    start: datetime
    end: datetime
    info: DayInfo

    @property
    def seconds(self) -> int:
        return int((self.end - self.start).total_seconds())


@dataclass(frozen=True)
class Explanation:
    """The intervals counted by ``add(start, duration)`` and the result."""

    start: datetime
    duration: timedelta
    deadline: datetime
    intervals: tuple[CountedInterval, ...]

    @property
    def provisional(self) -> bool:
        """True when a counted day belongs to a provisional year."""
        return any(i.info.provisional for i in self.intervals)

    def lines(self) -> list[str]:
        """Human-readable Russian lines, one per counted interval."""
        out = []
        for i in self.intervals:
            notes = []
            if i.info.kind is DayKind.SHORTENED:
                notes.append("сокращённый предпраздничный день")
            if i.info.working_weekend:
                notes.append("рабочий выходной день")
            if i.info.overridden:
                notes.append("изменение муниципалитета")
            if i.info.provisional:
                notes.append("предварительный календарь")
            suffix = f" ({', '.join(notes)})" if notes else ""
            out.append(f"{i.start:%d.%m.%Y %H:%M}–{i.end:%H:%M}{suffix}")
        return out


# The years a working calendar may span (see the module docstring).
FIRST_YEAR, LAST_YEAR = 2, 9998


def _schedule_versions(
    schedules: WeeklySchedule | Sequence[tuple[date, WeeklySchedule]],
) -> tuple[list[int], list[WeeklySchedule]]:
    versions = [(date.min, schedules)] if isinstance(schedules, WeeklySchedule) else list(schedules)
    if not versions:
        raise ValueError("at least one schedule is needed")
    versions.sort(key=lambda v: v[0])
    zones = {s.time_zone for _, s in versions}
    if len(zones) != 1:
        raise ValueError(f"all schedule versions must share one time zone, got {sorted(zones)}")
    # The first version also covers the days before its effective date.
    return [d.toordinal() for d, _ in versions[1:]], [s for _, s in versions]


class WorkCalendar:
    """Working time of one municipality: a production calendar plus weekly schedules.

    ``schedules`` is one schedule or versions ``(effective_from, schedule)``; a version
    applies from its date until the next one, and the earliest also before its date, so
    changing hours later never moves deadlines already computed for earlier days. All
    versions share one time zone: results are in it. ``day_hours`` gives exact hours for
    single days (an order shortening a day, a day closed: empty tuple); it wins over the
    calendar kind and the schedule, and is not shortened further.

    Hours of a day: NON_WORKING → none; otherwise the schedule of its weekday; a working
    day whose weekday has no hours (a working Saturday) takes the hours of the weekday
    it replaces by decree, else ``common_weekday_hours()``; SHORTENED loses its last hour
    (cut from the end of the day, spilling into earlier intervals if the last is shorter).

    The span is that of ``calendar`` (within years 2..9998, else ValueError); ``day_hours``
    outside it wait for :meth:`extended_to`.
    """

    def __init__(
        self,
        calendar: ProductionCalendar,
        schedules: WeeklySchedule | Sequence[tuple[date, WeeklySchedule]] | None = None,
        *,
        day_hours: Mapping[date, Hours] | None = None,
    ) -> None:
        if calendar.first_day.year < FIRST_YEAR or calendar.last_day.year > LAST_YEAR:
            raise ValueError(
                f"a working calendar must lie within years {FIRST_YEAR}..{LAST_YEAR}, got "
                f"{calendar.first_day.year}..{calendar.last_day.year}"
            )
        self.calendar = calendar
        given = WeeklySchedule.default() if schedules is None else schedules
        # Kept as given, for extended_to (a one-shot iterable would be spent by then).
        self._given = given if isinstance(given, WeeklySchedule) else tuple(given)
        self._extended: dict[int, WorkCalendar] = {}
        ordinals, versions = _schedule_versions(self._given)
        self.schedules = versions
        self.tz = ZoneInfo(versions[0].time_zone)
        self._day_hours = dict(day_hours or {})
        for d, hours in self._day_hours.items():
            check_hours(hours, d.isoformat())
        tz = self.tz
        self.first_day, self.last_day = calendar.first_day, calendar.last_day
        self._span_start = int(datetime.combine(self.first_day, time(), tz).timestamp())
        self._span_end = int(
            datetime.combine(self.last_day + timedelta(days=1), time(), tz).timestamp()
        )
        starts: list[int] = []
        ends: list[int] = []
        cum_end: list[int] = []
        infos: list[DayInfo] = []
        interval_day: list[int] = []
        day_ordinals: list[int] = []  # working days (with hours), for ст. 191 counting
        day_last_end: list[int] = []
        total = 0
        d = self.first_day
        while d <= self.last_day:
            schedule = versions[bisect_right(ordinals, d.toordinal())]
            hours = self._hours(d, schedule)
            if hours:
                infos.append(self._info(d))
                for a, b in hours:
                    s = int(datetime.combine(d, a, tz).timestamp())
                    e = int(datetime.combine(d, b, tz).timestamp())
                    if e <= s:  # a wall-clock interval swallowed by a DST jump
                        continue
                    total += e - s
                    starts.append(s)
                    ends.append(e)
                    cum_end.append(total)
                    interval_day.append(len(infos) - 1)
                if ends and interval_day[-1] == len(infos) - 1:
                    day_ordinals.append(d.toordinal())
                    day_last_end.append(ends[-1])
            d += timedelta(days=1)
        self._starts, self._ends, self._cum_end = starts, ends, cum_end
        # Fast output: an aware end datetime per interval minus a cached timedelta is
        # wall-clock arithmetic, exact when the interval has one UTC offset; else None
        # and datetime.fromtimestamp is used.
        self._end_dt: list[datetime | None] = []
        longest = 0
        for s, e in zip(starts, ends, strict=True):
            at_start, at_end = self._at(s), self._at(e)
            self._end_dt.append(at_end if at_start.utcoffset() == at_end.utcoffset() else None)
            longest = max(longest, e - s)
        self._td = _timedeltas(longest)
        # Fast input: when the zone keeps one offset over the whole span (Moscow since
        # 2014), the epoch of a datetime in that zone is its wall-clock seconds minus it.
        offsets = {
            tz.utcoffset(datetime.combine(self.first_day + timedelta(days=k), time(12)))
            for k in range((self.last_day - self.first_day).days + 1)
        }
        only = offsets.pop() if len(offsets) == 1 else None
        self._fixed_offset = None if only is None else only.days * 86400 + only.seconds
        self._infos, self._interval_day = infos, interval_day
        self._day_ordinals, self._day_last_end = day_ordinals, day_last_end
        self._n = len(starts)

    def extended_to(self, year: int) -> WorkCalendar:
        """This working time continued through 31 December of ``year`` by provisional years.

        Same schedules and ``day_hours``, on ``calendar.extended_to(year)``. Returns ``self``
        when the span already reaches ``year``; otherwise the result is cached on this
        instance (building costs a few ms per year of span). ValueError past 9998.
        """
        if year <= self.last_day.year:
            return self
        hit = self._extended.get(year)
        if hit is None:
            if year > LAST_YEAR:
                raise ValueError(
                    f"a working calendar must lie within years {FIRST_YEAR}..{LAST_YEAR}, "
                    f"got {year}"
                )
            hit = WorkCalendar(
                self.calendar.extended_to(year), self._given, day_hours=self._day_hours
            )
            remember(self._extended, year, hit)
        return hit

    # -- building -------------------------------------------------------------------

    def _info(self, d: date) -> DayInfo:
        cal = self.calendar
        kind = cal.kind_of(d)
        return DayInfo(
            day=d,
            kind=kind,
            working_weekend=kind.is_working and d.weekday() >= 5,
            replaces=cal.replaced_day(d),
            provisional=cal.is_provisional(d.year),
            overridden=cal.is_overridden(d) or d in self._day_hours,
        )

    def _hours(self, d: date, schedule: WeeklySchedule) -> Hours:
        # Only days with hours get a DayInfo: most of a year's cost was the days off.
        hours = self._day_hours.get(d)
        if hours is not None:
            return hours
        kind = self.calendar.kind_of(d)
        if not kind.is_working:
            return ()
        hours = schedule.hours(d.weekday())
        if not hours:
            replaces = self.calendar.replaced_day(d)
            hours = schedule.hours(replaces.weekday()) if replaces else ()
            hours = hours or schedule.common_weekday_hours()
        if kind is DayKind.SHORTENED:
            hours = _cut_last_hour(hours)
        return hours

    # -- conversions ----------------------------------------------------------------

    def _epoch(self, dt: datetime) -> int:
        if dt.tzinfo is self.tz and self._fixed_offset is not None:
            t = _wall_seconds(dt) - self._fixed_offset
        elif dt.tzinfo is None or dt.utcoffset() is None:
            raise ValueError(f"{dt.isoformat()} has no time zone offset")
        else:
            t = int(dt.timestamp())
        if not self._span_start <= t < self._span_end:
            raise self._outside(dt, before=t < self._span_start)
        return t

    def _outside(self, dt: datetime, *, before: bool) -> OutOfCalendar:
        try:  # name the date as the calendar's zone sees it, when datetime can say it
            day = dt.astimezone(self.tz).date()
        except (OverflowError, ValueError):
            day = dt.date()
        return outside(
            dt,
            self.first_day,
            self.last_day,
            before=before,
            what="working calendar",
            zone=self.tz.key,
            day=day,
        )

    def _beyond(self, start: datetime | None) -> OutOfCalendar:
        return OutOfCalendar(
            f"the deadline falls beyond the end of {self.span_text()}",
            ru=f"Срок выходит за конец производственного календаря ({ru_date(self.last_day)}).",
            when=start,
            first_day=self.first_day,
            last_day=self.last_day,
        )

    def span_text(self) -> str:
        return (
            f"the working calendar {self.first_day.isoformat()}..{self.last_day.isoformat()} "
            f"({self.tz.key})"
        )

    @staticmethod
    def _seconds(duration: timedelta) -> int:
        if duration < timedelta(0):
            raise ValueError(f"duration must not be negative, got {duration}")
        return duration.days * 86400 + duration.seconds

    def _position(self, t: int) -> int:
        """W(t): working seconds from the span start to ``t``."""
        i = bisect_right(self._ends, t)
        if i == self._n:
            return self._cum_end[-1] if self._n else 0
        before = self._cum_end[i - 1] if i else 0
        s = self._starts[i]
        return before + (t - s if t > s else 0)

    def _at(self, t: int) -> datetime:
        return datetime.fromtimestamp(t, self.tz)

    def _at_end_minus(self, j: int, back: int) -> datetime:
        """The moment ``back`` seconds before the end of interval ``j``."""
        end = self._end_dt[j]
        if end is None:
            return self._at(self._ends[j] - back)
        return end - self._td[back]

    # -- queries --------------------------------------------------------------------

    def is_working_moment(self, dt: datetime) -> bool:
        """True if ``dt`` lies in a working interval ``[start, end)``."""
        t = self._epoch(dt)
        i = bisect_right(self._ends, t)
        return i < self._n and self._starts[i] <= t

    def next_working_moment(self, dt: datetime) -> datetime:
        """``dt`` (in the calendar's zone) if it is working time, else the next interval start."""
        t = self._epoch(dt)
        i = bisect_right(self._ends, t)
        if i == self._n:
            raise self._beyond(dt)
        s = self._starts[i]
        return self._at(t if t >= s else s)

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The earliest moment at which ``duration`` of working time has passed since ``start``.

        Preconditions: ``start`` is aware (ValueError otherwise) and inside the span,
        ``duration >= 0``; OutOfCalendar if the deadline falls beyond the span. See the
        module docstring for the exact semantics.
        """
        secs = self._seconds(duration)
        if secs == 0:
            return self.next_working_moment(start)
        try:
            return self._at_end_minus(*self._add(self._epoch(start), secs))
        except OutOfCalendar as exc:
            if exc.when is None:
                exc.when = start
            raise

    def _add(self, t: int, secs: int) -> tuple[int, int]:
        """(interval index, seconds before its end) of the deadline."""
        ends = self._ends
        cum_end = self._cum_end
        i = bisect_right(ends, t)
        if i < self._n:
            s = self._starts[i]
            target = (cum_end[i - 1] if i else 0) + (t - s if t > s else 0) + secs
            j = bisect_left(cum_end, target, i)
            if j < self._n:
                return j, cum_end[j] - target
        raise self._beyond(None)

    def add_many(self, starts: Iterable[datetime], duration: timedelta) -> list[datetime]:
        """``[add(s, duration) for s in starts]``, with the loop kept tight for batches."""
        secs = self._seconds(duration)
        if secs == 0:
            return [self.next_working_moment(s) for s in starts]
        ends, cum_end, starts_, n = self._ends, self._cum_end, self._starts, self._n
        end_dt, td = self._end_dt, self._td
        lo_span, hi_span = self._span_start, self._span_end
        tz, fixed = self.tz, self._fixed_offset
        out: list[datetime] = []
        append = out.append
        for dt in starts:
            if dt.tzinfo is tz and fixed is not None:
                t = (
                    (dt.toordinal() - 719163) * 86400
                    + dt.hour * 3600
                    + dt.minute * 60
                    + dt.second
                    - fixed
                )
            else:
                t = self._epoch(dt)
            if not lo_span <= t < hi_span:
                self._epoch(dt)  # raises the error add() raises
            i = bisect_right(ends, t)
            if i == n:
                raise self._beyond(dt)
            s = starts_[i]
            target = (cum_end[i - 1] if i else 0) + (t - s if t > s else 0) + secs
            j = bisect_left(cum_end, target, i)
            if j == n:
                raise self._beyond(dt)
            end = end_dt[j]
            append(
                self._at_end_minus(j, cum_end[j] - target)
                if end is None
                else end - td[cum_end[j] - target]
            )
        return out

    def between(self, a: datetime, b: datetime) -> timedelta:
        """Working time from ``a`` to ``b``: ``W(b) - W(a)``, negative when ``b < a``."""
        return timedelta(seconds=self._position(self._epoch(b)) - self._position(self._epoch(a)))

    def subtract(self, end: datetime, duration: timedelta) -> datetime:
        """The latest moment ``t`` with ``between(t, end) == duration`` (``duration > 0``).

        The working time that must still remain before ``end``: «hand the draft in by t so
        that forwarding, approval and publication fit». At the boundary of two intervals the
        result is the start of the later one (14:00 after lunch, not 13:00): the latest moment
        is what a person needs to know. OutOfCalendar if it falls before the span.
        """
        secs = self._seconds(duration)
        target = self._position(self._epoch(end)) - secs
        if secs == 0:
            return end
        if target < 0:
            raise OutOfCalendar(
                f"{secs} s before {end.isoformat()} falls before {self.span_text()}",
                ru=f"Срок раньше начала производственного календаря ({self.first_day:%d.%m.%Y}).",
                first_day=self.first_day, last_day=self.last_day, before=True,
            )
        j = bisect_left(self._cum_end, target)
        if self._cum_end[j] == target and j + 1 < self._n:
            return self._at(self._starts[j + 1])
        return self._at_end_minus(j, self._cum_end[j] - target)

    def add_working_days(self, start: datetime, n: int) -> datetime:
        """ГК РФ ст. 191: the end of the ``n``-th working day after the day of ``start``.

        Counting starts the next calendar day (local date of ``start`` in the calendar's
        zone); a working day is a day with working hours; the result is the end of its
        last interval. Precondition: ``n >= 1``.
        """
        if n < 1:
            raise ValueError(f"the number of working days must be at least 1, got {n}")
        t = self._epoch(start)
        local_day = self._at(t).date().toordinal()
        k = bisect_right(self._day_ordinals, local_day) + n - 1
        if k >= len(self._day_ordinals):
            raise self._beyond(start)
        return self._at(self._day_last_end[k])

    def explain(self, start: datetime, duration: timedelta) -> Explanation:
        """The working intervals that ``add(start, duration)`` counts, clipped to it."""
        deadline = self.add(start, duration)
        t = self._epoch(start)
        end = int(deadline.timestamp())
        counted = []
        i = bisect_right(self._ends, t)
        while i < self._n and self._starts[i] < end:
            s = max(self._starts[i], t)
            e = min(self._ends[i], end)
            counted.append(
                CountedInterval(self._at(s), self._at(e), self._infos[self._interval_day[i]])
            )
            i += 1
        return Explanation(start, duration, deadline, tuple(counted))

    def touches_provisional(self, a: datetime, b: datetime) -> bool:
        """True if a day from ``a`` to ``b`` (either order) is in a provisional year."""
        ya, yb = sorted((self._at(self._epoch(a)).year, self._at(self._epoch(b)).year))
        return any(self.calendar.is_provisional(y) for y in range(ya, yb + 1))

    def day_hours(self, d: date) -> Hours:
        """The working intervals of day ``d`` as local times (for display)."""
        if isinstance(d, datetime):  # a datetime is a date, but comparing them raises TypeError
            raise ValueError(f"day_hours takes a date, got the datetime {d.isoformat()}")
        if not self.first_day <= d <= self.last_day:
            raise outside(
                d,
                self.first_day,
                self.last_day,
                before=d < self.first_day,
                what="working calendar",
                zone=self.tz.key,
            )
        lo = datetime.combine(d, time(), self.tz).timestamp()
        i = bisect_right(self._ends, int(lo))
        out = []
        while i < self._n and self._infos[self._interval_day[i]].day == d:
            out.append((self._at(self._starts[i]).time(), self._at(self._ends[i]).time()))
            i += 1
        return tuple(out)


@functools.lru_cache(maxsize=8)
def _timedeltas(longest: int) -> tuple[timedelta, ...]:
    """``timedelta(seconds=k)`` for k in 0..longest, shared by calendars (10 ms to build)."""
    return tuple(timedelta(0, k) for k in range(longest + 1))


def _cut_last_hour(hours: Hours) -> Hours:
    """Remove the last hour of working time of the day (ТК РФ ст. 95)."""
    left = _HOUR
    out = list(hours)
    while out and left:
        a, b = out.pop()
        length = _seconds_of(b) - _seconds_of(a)
        if length > left:
            end = _seconds_of(b) - left
            out.append((a, time(end // 3600, end % 3600 // 60, end % 60)))
            left = 0
        else:
            left -= length
    return tuple(out)


def _wall_seconds(dt: datetime) -> int:
    """Seconds from 1970-01-01 00:00 to the wall-clock reading of ``dt`` (its offset ignored)."""
    return (dt.toordinal() - 719163) * 86400 + dt.hour * 3600 + dt.minute * 60 + dt.second


def _seconds_of(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second
