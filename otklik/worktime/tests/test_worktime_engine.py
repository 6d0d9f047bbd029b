"""Working-time arithmetic: every rule by example, then properties (hypothesis).

Semantics under test (see otklik/worktime/_engine.py):
* add(a, d>0) = the earliest moment at which d of working time has passed since a; a
  deadline ending exactly at an interval end is that end (13:00, 18:00);
* add(a, 0) = a if a is working time, else the next working moment;
* between(a, b) = working time from a to b, negative when b < a;
* add_working_days(a, n) = the end of the n-th working day after a's day (ГК РФ ст. 191).
"""

from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from otklik.worktime import (
    DayKind,
    OutOfCalendar,
    ProductionCalendar,
    WeeklySchedule,
    WorkCalendar,
    federal_calendar,
    rules_year,
)

MSK = ZoneInfo("Europe/Moscow")
H = timedelta(hours=1)
WC = WorkCalendar(federal_calendar())


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def msk(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=MSK)


@pytest.mark.parametrize(
    ("start", "duration", "deadline"),
    [
        # Friday 16:30 + 8 h: 1.5 h on Friday, 4 h before lunch, 2.5 h after it on Monday.
        ("2026-12-04 16:30", 8 * H, "2026-12-07 16:30"),
        # Running out at the end of an interval gives that end, not the next start.
        ("2026-12-07 09:00", 4 * H, "2026-12-07 13:00"),
        ("2026-12-07 09:00", 8 * H, "2026-12-07 18:00"),
        ("2026-12-07 17:00", 1 * H, "2026-12-07 18:00"),
        # A start in the lunch break counts from 14:00; so does a start at 13:00.
        ("2026-12-07 13:30", 1 * H, "2026-12-07 15:00"),
        ("2026-12-07 13:00", 1 * H, "2026-12-07 15:00"),
        # A start before the day begins, after it ends, on a weekend.
        ("2026-12-07 06:00", 1 * H, "2026-12-07 10:00"),
        ("2026-12-07 20:00", 1 * H, "2026-12-08 10:00"),
        ("2026-12-05 12:00", 1 * H, "2026-12-07 10:00"),
        # A start on a holiday: 1 Jan 2026, the New Year break runs to 11 Jan.
        ("2026-01-01 10:00", 1 * H, "2026-01-12 10:00"),
        # Year boundary: 31 Dec 2025 is a transferred day off, then the January holidays.
        ("2025-12-30 17:00", 2 * H, "2026-01-12 10:00"),
        ("2026-12-30 17:00", 2 * H, "2027-01-11 10:00"),
        ("2023-12-29 17:30", 1 * H, "2024-01-09 09:30"),
        # Working Saturdays of 2024 (27 Apr, 2 Nov shortened, 28 Dec).
        ("2024-04-26 17:00", 2 * H, "2024-04-27 10:00"),
        ("2024-12-27 17:00", 2 * H, "2024-12-28 10:00"),
        ("2024-12-28 17:00", 2 * H, "2025-01-09 10:00"),
        ("2024-11-02 09:00", 7 * H, "2024-11-02 17:00"),
        ("2024-11-02 09:00", 8 * H, "2024-11-05 10:00"),
        ("2025-11-01 16:00", 2 * H, "2025-11-05 10:00"),
        # Shortened pre-holiday days end at 17:00.
        ("2024-02-22 16:30", 1 * H, "2024-02-26 09:30"),
        ("2025-03-07 16:00", 1 * H, "2025-03-07 17:00"),
        ("2026-04-30 16:00", 2 * H, "2026-05-04 10:00"),
        # Automatic moves of ст. 112: 9 Mar 2026 and 11 May 2026 are days off.
        ("2026-03-06 17:00", 2 * H, "2026-03-10 10:00"),
        ("2026-05-08 16:00", 2 * H, "2026-05-12 10:00"),
        # Minutes and seconds.
        ("2026-12-07 12:59:30", timedelta(minutes=1), "2026-12-07 14:00:30"),
        # Long durations.
        ("2026-12-07 09:00", 40 * H, "2026-12-11 18:00"),
    ],
)
def test_add_examples(start: str, duration: timedelta, deadline: str) -> None:
    assert WC.add(msk(start), duration) == msk(deadline)


def test_friday_1630_plus_8h_without_lunch_is_monday_1530() -> None:
    days = dict.fromkeys(range(5), ((time(9), time(18)),))
    wc = WorkCalendar(federal_calendar(), WeeklySchedule("Europe/Moscow", days))
    assert wc.add(msk("2026-12-04 16:30"), 8 * H) == msk("2026-12-07 15:30")


def test_result_is_in_the_municipality_zone_and_offsets_are_honoured() -> None:
    r = WC.add(at("2026-12-04T13:30:00Z"), 8 * H)  # 16:30 in Moscow
    assert r.isoformat() == "2026-12-07T16:30:00+03:00"
    assert r.tzinfo is MSK
    assert WC.add(at("2026-12-07T12:00+05:00"), H).isoformat() == "2026-12-07T11:00:00+03:00"
    assert WC.add(at("2026-12-07T10:00+03:00").astimezone(ZoneInfo("America/New_York")), H) == msk(
        "2026-12-07 11:00"
    )
    ekb = WorkCalendar(federal_calendar(), WeeklySchedule("Asia/Yekaterinburg"))
    assert ekb.add(at("2026-12-07T09:00+03:00"), H).isoformat() == "2026-12-07T12:00:00+05:00"


def test_zero_duration() -> None:
    assert WC.add(msk("2026-12-07 10:00"), timedelta(0)) == msk("2026-12-07 10:00")
    assert WC.add(msk("2026-12-07 13:00"), timedelta(0)) == msk("2026-12-07 14:00")
    assert WC.add(msk("2026-12-05 10:00"), timedelta(0)) == msk("2026-12-07 09:00")


def test_sub_second_parts_are_dropped() -> None:
    assert WC.add(msk("2026-12-07 10:00:00.900"), timedelta(seconds=1.5)) == msk(
        "2026-12-07 10:00:01"
    )


def test_bad_inputs() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        WC.add(datetime(2026, 12, 7, 10), H)  # noqa: DTZ001 — the point of the test
    with pytest.raises(ValueError, match="negative"):
        WC.add(msk("2026-12-07 10:00"), -H)
    with pytest.raises(OutOfCalendar, match=r"2023-01-01\.\.2027-12-31"):
        WC.add(msk("2022-12-30 10:00"), H)
    with pytest.raises(OutOfCalendar, match="beyond"):
        WC.add(msk("2027-12-30 10:00"), 100 * H)
    with pytest.raises(OutOfCalendar):
        WC.add(msk("2027-12-31 23:00"), H)
    with pytest.raises(OutOfCalendar):
        WC.next_working_moment(msk("2027-12-31 23:00"))
    with pytest.raises(OutOfCalendar):
        WC.add_working_days(msk("2027-12-30 10:00"), 5)
    with pytest.raises(ValueError, match="at least 1"):
        WC.add_working_days(msk("2026-12-07 10:00"), 0)


def test_is_working_moment_and_next() -> None:
    assert WC.is_working_moment(msk("2026-12-07 09:00"))
    assert WC.is_working_moment(msk("2026-12-07 12:59:59"))
    assert not WC.is_working_moment(msk("2026-12-07 13:00"))
    assert not WC.is_working_moment(msk("2026-12-07 18:00"))
    assert not WC.is_working_moment(msk("2026-01-05 10:00"))
    assert WC.next_working_moment(msk("2026-12-07 18:00")) == msk("2026-12-08 09:00")
    assert WC.next_working_moment(msk("2026-12-07 10:15")) == msk("2026-12-07 10:15")


def test_between() -> None:
    assert WC.between(msk("2026-12-04 17:00"), msk("2026-12-07 10:00")) == 2 * H
    assert WC.between(msk("2026-12-07 10:00"), msk("2026-12-04 17:00")) == -2 * H
    assert WC.between(msk("2026-12-07 13:10"), msk("2026-12-07 13:50")) == timedelta(0)
    assert WC.between(msk("2026-12-07 09:00"), msk("2026-12-07 18:00")) == 8 * H
    # Past the last interval of the span: the position is the total.
    assert WC.between(msk("2027-12-30 10:00"), msk("2027-12-31 23:00")) == 7 * H
    # b at the start of an interval: add() gives the end of the previous one (same position).
    a, b = msk("2026-12-07 10:00"), msk("2026-12-07 14:00")
    assert WC.add(a, WC.between(a, b)) == msk("2026-12-07 13:00")


@pytest.mark.parametrize(
    ("start", "n", "deadline"),
    [
        ("2026-12-04 10:00", 1, "2026-12-07 18:00"),  # Friday -> Monday
        ("2026-12-06 10:00", 1, "2026-12-07 18:00"),  # Sunday -> Monday
        ("2026-12-07 08:00", 1, "2026-12-08 18:00"),  # counting starts the next day
        ("2026-12-07 10:00", 5, "2026-12-14 18:00"),
        ("2025-12-30 10:00", 1, "2026-01-12 18:00"),  # over 31 Dec and the January holidays
        ("2026-04-29 10:00", 1, "2026-04-30 17:00"),  # a shortened day ends at 17:00
        ("2024-12-27 10:00", 1, "2024-12-28 18:00"),  # a working Saturday counts
        ("2026-12-07 23:30", 1, "2026-12-08 18:00"),
    ],
)
def test_add_working_days_art_191(start: str, n: int, deadline: str) -> None:
    assert WC.add_working_days(msk(start), n) == msk(deadline)


def test_add_working_days_uses_the_local_date() -> None:
    # 21:30 UTC on Sunday is already Monday 00:30 in Moscow: counting starts on Tuesday.
    assert WC.add_working_days(at("2026-12-06T21:30Z"), 1) == msk("2026-12-08 18:00")


def test_schedule_versions_by_date() -> None:
    later = WeeklySchedule(
        days=dict.fromkeys(range(5), ((time(9), time(13)), (time(14), time(17))))
    )
    wc = WorkCalendar(
        federal_calendar(), [(date(2026, 6, 1), later), (date(2023, 1, 1), WeeklySchedule())]
    )
    assert wc.add(msk("2026-05-29 17:00"), 2 * H) == msk("2026-06-01 10:00")
    assert wc.add(msk("2026-06-01 16:30"), H) == msk("2026-06-02 09:30")
    # Deadlines before the change are those of the old schedule.
    assert wc.add(msk("2026-05-28 17:00"), 2 * H) == WC.add(msk("2026-05-28 17:00"), 2 * H)
    with pytest.raises(ValueError, match="one time zone"):
        WorkCalendar(
            federal_calendar(),
            [(date(2026, 6, 1), WeeklySchedule("Asia/Omsk")), (date(2023, 1, 1), later)],
        )
    with pytest.raises(ValueError, match="at least one"):
        WorkCalendar(federal_calendar(), [])


def test_working_saturday_hours() -> None:
    friday_short = WeeklySchedule(
        days={
            0: ((time(8), time(17)),),
            1: ((time(9), time(18)),),
            2: ((time(9), time(18)),),
            3: ((time(9), time(18)),),
            4: ((time(9), time(16, 45)),),
        }
    )
    wc = WorkCalendar(
        federal_calendar().with_overrides({date(2026, 6, 6): DayKind.WORKING}), friday_short
    )
    # 28 Dec 2024 works in place of Monday 30 Dec: Monday's hours.
    assert wc.day_hours(date(2024, 12, 28)) == ((time(8), time(17)),)
    # 2 Nov 2024 replaces Tuesday 30 Apr and is shortened.
    assert wc.day_hours(date(2024, 11, 2)) == ((time(9), time(17)),)
    # A working Saturday by local order, no decree: the most common weekday hours.
    assert wc.day_hours(date(2026, 6, 6)) == ((time(9), time(18)),)
    assert wc.day_hours(date(2026, 6, 7)) == ()
    assert wc.day_hours(date(2026, 6, 5)) == ((time(9), time(16, 45)),)
    with pytest.raises(OutOfCalendar):
        wc.day_hours(date(2030, 1, 1))


def test_shortening_spills_over_a_short_last_interval() -> None:
    s = WeeklySchedule(
        days=dict.fromkeys(range(5), ((time(9), time(17)), (time(17, 15), time(17, 45))))
    )
    wc = WorkCalendar(federal_calendar(), s)
    assert wc.day_hours(date(2026, 4, 30)) == ((time(9), time(16, 30)),)
    assert wc.day_hours(date(2026, 4, 29)) == ((time(9), time(17)), (time(17, 15), time(17, 45)))


def test_day_hours_overrides() -> None:
    wc = WorkCalendar(
        federal_calendar().with_overrides({date(2026, 12, 8): DayKind.NON_WORKING}),
        day_hours={
            date(2026, 12, 9): ((time(10), time(12)),),
            date(2026, 12, 5): ((time(10), time(11)),),
        },
    )
    assert wc.add(msk("2026-12-04 17:30"), H) == msk(
        "2026-12-05 10:30"
    )  # an extra Saturday by order
    assert wc.add(msk("2026-12-07 17:30"), H) == msk(
        "2026-12-09 10:30"
    )  # closed 8 Dec, short 9 Dec
    e = wc.explain(msk("2026-12-07 17:30"), H)
    assert [i.info.overridden for i in e.intervals] == [False, True]
    with pytest.raises(ValueError, match="overlap"):
        WorkCalendar(
            federal_calendar(),
            day_hours={date(2026, 1, 1): ((time(10), time(12)), (time(11), time(13)))},
        )


def test_explain() -> None:
    e = WC.explain(msk("2024-11-01 16:30"), 10 * H)
    assert e.deadline == msk("2024-11-05 10:30")
    assert [(i.start, i.end) for i in e.intervals] == [
        (msk("2024-11-01 16:30"), msk("2024-11-01 18:00")),
        (msk("2024-11-02 09:00"), msk("2024-11-02 13:00")),
        (msk("2024-11-02 14:00"), msk("2024-11-02 17:00")),
        (msk("2024-11-05 09:00"), msk("2024-11-05 10:30")),
    ]
    assert sum(i.seconds for i in e.intervals) == 10 * 3600
    sat = e.intervals[1].info
    assert sat.kind is DayKind.SHORTENED
    assert sat.working_weekend
    assert sat.replaces == date(2024, 4, 30)
    assert not e.provisional
    assert (
        e.lines()[1]
        == "02.11.2024 09:00–13:00 (сокращённый предпраздничный день, рабочий выходной день)"
    )
    assert e.lines()[0] == "01.11.2024 16:30–18:00"
    p = WC.explain(msk("2026-12-30 17:00"), 2 * H)
    assert p.provisional
    assert p.lines()[-1].endswith("(предварительный календарь)")
    overridden = WorkCalendar(
        federal_calendar().with_overrides({date(2026, 12, 8): DayKind.SHORTENED})
    )
    assert "изменение муниципалитета" in overridden.explain(msk("2026-12-08 16:00"), H).lines()[0]
    assert WC.explain(msk("2026-12-07 13:30"), timedelta(0)).intervals == ()


def test_touches_provisional() -> None:
    assert not WC.touches_provisional(msk("2026-01-12 10:00"), msk("2026-12-30 10:00"))
    assert WC.touches_provisional(msk("2026-12-30 10:00"), msk("2027-01-11 10:00"))
    assert WC.touches_provisional(msk("2027-01-11 10:00"), msk("2026-12-30 10:00"))


def test_add_many_matches_add() -> None:
    starts = [msk("2026-12-04 16:30"), at("2026-12-04T13:30:00Z"), msk("2024-11-02 12:00")]
    assert WC.add_many(starts, 8 * H) == [WC.add(s, 8 * H) for s in starts]
    assert WC.add_many(starts, timedelta(0)) == [WC.add(s, timedelta(0)) for s in starts]
    with pytest.raises(ValueError, match="no time zone"):
        WC.add_many([datetime(2026, 12, 7, 10)], H)  # noqa: DTZ001
    with pytest.raises(OutOfCalendar):
        WC.add_many([msk("2030-01-01 10:00")], H)
    with pytest.raises(OutOfCalendar):
        WC.add_many([msk("2027-12-31 23:00")], H)
    with pytest.raises(OutOfCalendar):
        WC.add_many([msk("2027-12-30 10:00")], 100 * H)


def test_daylight_saving_zone() -> None:
    """Intervals are real elapsed time: 01:00–04:00 on the night clocks go forward is 2 h."""
    dst_day = date(2026, 3, 29)  # Europe/Berlin springs forward at 02:00
    wc = WorkCalendar(
        federal_calendar(),
        WeeklySchedule("Europe/Berlin"),
        day_hours={dst_day: ((time(1), time(4)),), date(2026, 3, 28): ((time(2), time(3)),)},
    )
    berlin = ZoneInfo("Europe/Berlin")
    start = datetime(2026, 3, 29, 1, 0, tzinfo=berlin)
    assert wc.add(start, 2 * H) == datetime(2026, 3, 29, 4, 0, tzinfo=berlin)
    assert wc.add(start, 90 * timedelta(minutes=1)).isoformat() == "2026-03-29T03:30:00+02:00"
    assert wc.add_many([start], 2 * H) == [datetime(2026, 3, 29, 4, 0, tzinfo=berlin)]
    assert wc.between(start, datetime(2026, 3, 30, 9, tzinfo=berlin)) == 2 * H
    assert wc.add(datetime(2026, 10, 23, 17, tzinfo=berlin), 2 * H) == datetime(
        2026, 10, 26, 10, tzinfo=berlin
    )


# -- properties -----------------------------------------------------------------------

SPAN_LO = int(datetime(2023, 1, 1, tzinfo=MSK).timestamp())
SPAN_HI = int(datetime(2027, 11, 1, tzinfo=MSK).timestamp())
moments = st.integers(SPAN_LO, SPAN_HI).map(lambda t: datetime.fromtimestamp(t, UTC))
durations = st.integers(0, 300 * 3600).map(lambda s: timedelta(seconds=s))
positive = st.integers(1, 150 * 3600).map(lambda s: timedelta(seconds=s))
SECOND = timedelta(seconds=1)


@settings(max_examples=400, deadline=None)
@given(moments, durations)
def test_between_inverts_add(a: datetime, d: timedelta) -> None:
    assert WC.between(a, WC.add(a, d)) == d


@settings(max_examples=300, deadline=None)
@given(moments, moments, durations)
def test_add_is_monotonic_in_start(a: datetime, b: datetime, d: timedelta) -> None:
    a, b = min(a, b), max(a, b)
    assert WC.add(a, d) <= WC.add(b, d)


@settings(max_examples=300, deadline=None)
@given(moments, durations, durations)
def test_add_is_monotonic_in_duration(a: datetime, d1: timedelta, d2: timedelta) -> None:
    d1, d2 = min(d1, d2), max(d1, d2)
    assert WC.add(a, d1) <= WC.add(a, d2)


@settings(max_examples=400, deadline=None)
@given(moments, durations)
def test_deadline_is_working_moment_or_interval_end(a: datetime, d: timedelta) -> None:
    r = WC.add(a, d)
    assert r >= a
    if d:
        # d > 0: r is inside an interval or its end, i.e. the second before r is worked.
        assert WC.is_working_moment(r - SECOND)
        assert r > a
    else:
        assert WC.is_working_moment(r)


@settings(max_examples=400, deadline=None)
@given(moments, positive, positive)
def test_splitting_a_positive_duration(a: datetime, d1: timedelta, d2: timedelta) -> None:
    """For d1, d2 > 0: add(add(a, d1), d2) == add(a, d1 + d2), even at interval ends."""
    assert WC.add(WC.add(a, d1), d2) == WC.add(a, d1 + d2)


@settings(max_examples=300, deadline=None)
@given(moments, moments)
def test_add_between_gives_back_b(a: datetime, b: datetime) -> None:
    """add(a, between(a, b)) == b for b > a when b and the second before it are working."""
    a, b = min(a, b), max(a, b)
    if WC.is_working_moment(b) and WC.is_working_moment(b - SECOND):
        assert WC.add(a, WC.between(a, b)) == b
    assert WC.between(a, b) == -WC.between(b, a)


def _reference_add(start: datetime, d: timedelta) -> datetime:
    """Slow oracle: walk the days, minute hours from the calendar and the default schedule."""
    cal = federal_calendar()
    left = d
    day = start.astimezone(MSK).date()
    while True:
        kind = cal.kind_of(day)
        hours = [(time(9), time(13)), (time(14), time(18))] if kind.is_working else []
        if kind is DayKind.SHORTENED:
            hours = [(time(9), time(13)), (time(14), time(17))]
        for a, b in hours:
            s, e = datetime.combine(day, a, MSK), datetime.combine(day, b, MSK)
            s = max(s, start)
            if s >= e:
                continue
            if e - s >= left:
                return s + left
            left -= e - s
        day += timedelta(days=1)


@settings(max_examples=300, deadline=None)
@given(moments, positive)
def test_agrees_with_a_day_walking_oracle(a: datetime, d: timedelta) -> None:
    assert WC.add(a, d) == _reference_add(a, d)


# -- past the data: provisional years; the ends of the datetime range -------------------

WC_2030 = WC.extended_to(2030)


def test_work_calendar_extended_to() -> None:
    assert WC_2030.last_day == date(2030, 12, 31)
    assert WC_2030.calendar.years[-1] == 2030
    assert WC.extended_to(2030) is WC_2030  # cached on the instance
    assert WC.extended_to(2027) is WC
    assert WC.last_day == date(2027, 12, 31)  # the original is untouched
    # 2028 by the rules: 1–8 Jan off, Friday 3 Mar 2028 ... 7 Mar (Tue) shortened, 8 Mar off.
    assert WC_2030.add(msk("2027-12-30 17:00"), 2 * H) == msk("2028-01-10 10:00")
    assert WC_2030.add(msk("2028-03-07 16:00"), 2 * H) == msk("2028-03-09 10:00")
    assert WC_2030.add_working_days(msk("2028-11-03 10:00"), 1) == msk("2028-11-07 18:00")
    e = WC_2030.explain(msk("2028-03-07 16:00"), 2 * H)
    assert e.provisional
    assert (
        e.lines()[0]
        == "07.03.2028 16:00–17:00 (сокращённый предпраздничный день, предварительный календарь)"
    )
    assert WC_2030.touches_provisional(msk("2028-06-01 10:00"), msk("2028-06-02 10:00"))
    # Data years give the same answers as before.
    assert WC_2030.add(msk("2026-12-04 16:30"), 8 * H) == WC.add(msk("2026-12-04 16:30"), 8 * H)


def test_extended_keeps_schedules_and_day_hours() -> None:
    later = WeeklySchedule(days=dict.fromkeys(range(5), ((time(10), time(12)),)))
    wc = WorkCalendar(
        federal_calendar(),
        [(date(2023, 1, 1), WeeklySchedule()), (date(2029, 1, 1), later)],
        day_hours={date(2029, 6, 1): ((time(10), time(11)),)},
    )
    ext = wc.extended_to(2029)
    assert ext.day_hours(date(2028, 6, 1)) == ((time(9), time(13)), (time(14), time(18)))
    assert ext.day_hours(date(2029, 6, 4)) == ((time(10), time(12)),)
    assert ext.day_hours(date(2029, 6, 1)) == ((time(10), time(11)),)
    assert ext.tz is wc.tz


def test_out_of_calendar_moments_have_clear_messages() -> None:
    with pytest.raises(OutOfCalendar) as info:
        WC.add(at("0001-01-01T00:00+00:00"), H)
    exc = info.value
    assert exc.before and exc.when == at("0001-01-01T00:00+00:00")
    assert exc.ru == "Дата 0001-01-01 раньше начала производственного календаря (01.01.2023)."
    assert "2023-01-01..2027-12-31 (Europe/Moscow)" in str(exc)
    # The date named is the calendar's local one: 22:30 UTC on 31 Dec is 1 Jan in Moscow.
    with pytest.raises(OutOfCalendar) as info:
        WC.between(msk("2026-01-01 10:00"), at("2027-12-31T22:30Z"))
    assert info.value.ru == "Дата 2028-01-01 позже конца производственного календаря (31.12.2027)."
    assert not info.value.before
    with pytest.raises(OutOfCalendar) as info:
        WC.add(msk("2027-12-30 10:00"), 100 * H)
    assert info.value.ru == "Срок выходит за конец производственного календаря (31.12.2027)."
    assert info.value.when == msk("2027-12-30 10:00")
    assert not info.value.before
    with pytest.raises(OutOfCalendar) as info:
        WC.next_working_moment(msk("2027-12-31 23:00"))
    assert info.value.ru == "Срок выходит за конец производственного календаря (31.12.2027)."
    with pytest.raises(OutOfCalendar) as info:
        WC.day_hours(date(2022, 1, 1))
    assert info.value.before
    assert (
        info.value.ru == "Дата 2022-01-01 раньше начала производственного календаря (01.01.2023)."
    )


def test_day_hours_of_a_datetime_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="a date"):
        WC.day_hours(msk("2026-12-07 10:00"))


@pytest.mark.parametrize(
    "moment",
    [
        datetime.min.replace(tzinfo=UTC),
        datetime.min.replace(tzinfo=timezone(timedelta(hours=23, minutes=59))),
        datetime.min.replace(tzinfo=timezone(timedelta(hours=-23, minutes=-59))),
        datetime.max.replace(tzinfo=UTC),
        datetime.max.replace(tzinfo=timezone(timedelta(hours=-23, minutes=-59))),
        datetime.max.replace(tzinfo=timezone(timedelta(hours=23, minutes=59))),
        datetime.max.replace(tzinfo=ZoneInfo("America/New_York")),
        datetime.min.replace(tzinfo=ZoneInfo("Pacific/Kiritimati")),
        datetime.max.replace(tzinfo=MSK),
        datetime.min.replace(tzinfo=MSK),
    ],
)
def test_the_ends_of_the_datetime_range_are_out_of_calendar(moment: datetime) -> None:
    for call in (
        lambda: WC_2030.add(moment, H),
        lambda: WC_2030.add(moment, timedelta(0)),
        lambda: WC_2030.add_many([moment], H),
        lambda: WC_2030.between(moment, msk("2026-12-07 10:00")),
        lambda: WC_2030.between(msk("2026-12-07 10:00"), moment),
        lambda: WC_2030.add_working_days(moment, 1),
        lambda: WC_2030.next_working_moment(moment),
        lambda: WC_2030.is_working_moment(moment),
        lambda: WC_2030.explain(moment, H),
        lambda: WC_2030.touches_provisional(moment, moment),
        lambda: WC_2030.day_hours(moment.date()),
    ):
        with pytest.raises(OutOfCalendar):
            call()


def test_huge_durations_run_past_the_end() -> None:
    with pytest.raises(OutOfCalendar):
        WC.add(msk("2026-12-07 10:00"), timedelta.max)
    with pytest.raises(OutOfCalendar):
        WC.add_many([msk("2026-12-07 10:00")], timedelta.max)
    with pytest.raises(OutOfCalendar):
        WC.add_working_days(msk("2026-12-07 10:00"), 10**30)


def test_a_working_calendar_stays_inside_years_2_to_9998() -> None:
    """At 9999-12-31 west of Greenwich (or 0001-01-01 east) UTC leaves the datetime range."""
    with pytest.raises(ValueError, match=r"2\.\.9998"):
        WorkCalendar(ProductionCalendar([rules_year(9999)]))
    with pytest.raises(ValueError, match=r"2\.\.9998"):
        WorkCalendar(ProductionCalendar([rules_year(1)]))
    with pytest.raises(ValueError, match=r"2\.\.9998"):
        WC.extended_to(9999)
    ends = WorkCalendar(ProductionCalendar([rules_year(9998)]), WeeklySchedule("America/New_York"))
    assert ends.add(datetime(9998, 12, 30, 17, tzinfo=ZoneInfo("America/New_York")), 2 * H) == (
        datetime(9998, 12, 31, 10, tzinfo=ZoneInfo("America/New_York"))
    )
    with pytest.raises(OutOfCalendar):
        ends.add(datetime(9998, 12, 31, 17, tzinfo=ZoneInfo("America/New_York")), 2 * H)
    starts = WorkCalendar(ProductionCalendar([rules_year(2)]), WeeklySchedule("Asia/Tokyo"))
    assert starts.day_hours(date(2, 1, 10)) == ((time(9), time(13)), (time(14), time(18)))


def test_subtract_is_the_inverse_of_add() -> None:
    wc = WorkCalendar(federal_calendar())
    tz = wc.tz
    start = datetime(2024, 1, 1, tzinfo=tz)

    @settings(max_examples=300, derandomize=True, deadline=None)
    @given(minutes=st.integers(min_value=60 * 24 * 20, max_value=60 * 24 * 700),
           back=st.integers(min_value=1, max_value=60 * 40))
    def run(minutes: int, back: int) -> None:
        end = start + timedelta(minutes=minutes)
        t = wc.subtract(end, timedelta(minutes=back))
        assert wc.between(t, end) == timedelta(minutes=back)
        # the latest such moment: a second later leaves less than needed
        assert wc.between(t + timedelta(seconds=1), end) < timedelta(minutes=back)
        assert t <= end

    run()
    # Mon 10:00 minus 2 h of work: Fri 17:00 (Friday 18:00 is the end of the week).
    assert wc.subtract(datetime(2024, 3, 4, 10, 0, tzinfo=tz), timedelta(hours=2)) == datetime(2024, 3, 1, 17, 0, tzinfo=tz)
    # A boundary lands at the start of the afternoon: the latest moment that still leaves 1 h.
    assert wc.subtract(datetime(2024, 3, 5, 15, 0, tzinfo=tz), timedelta(hours=1)) == datetime(2024, 3, 5, 14, 0, tzinfo=tz)
    with pytest.raises(OutOfCalendar):
        wc.subtract(datetime(2023, 1, 10, 10, 0, tzinfo=tz), timedelta(hours=100))
