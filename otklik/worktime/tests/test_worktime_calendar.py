"""The production calendar data: official yearly figures, rules, the data format."""

from datetime import date, timedelta

import holidays
import pytest

from otklik.worktime import (
    DayKind,
    OutOfCalendar,
    ProductionCalendar,
    YearCalendar,
    dump_year,
    federal_calendar,
    load_year,
    rules_year,
    statutory_holidays,
    year_summary,
)

W, N, S = DayKind.WORKING, DayKind.NON_WORKING, DayKind.SHORTENED


@pytest.mark.parametrize(
    ("year", "days", "hours", "shortened"),
    [(2023, 247, 1973, 3), (2024, 248, 1979, 5), (2025, 247, 1972, 4), (2026, 247, 1972, 4)],
)
def test_official_yearly_figures(year: int, days: int, hours: int, shortened: int) -> None:
    s = year_summary(federal_calendar(), year)
    assert (s.working_days, s.hours_40h_week, s.shortened_days) == (days, hours, shortened)
    assert s.provisional is False


def test_2027_is_provisional() -> None:
    s = year_summary(federal_calendar(), 2027)
    assert s.provisional is True
    assert federal_calendar().is_provisional(2027)
    assert not federal_calendar().is_provisional(2026)


def test_years_and_sources() -> None:
    cal = federal_calendar()
    assert cal.years == (2023, 2024, 2025, 2026, 2027)
    assert "29.08.2022 № 1505" in cal.year(2023).source
    assert "10.08.2023 № 1310" in cal.year(2024).source
    assert "04.10.2024 № 1335" in cal.year(2025).source
    assert "24.09.2025 № 1466" in cal.year(2026).source
    assert "Предварительно" in cal.year(2027).source


# Each decreed year = the Labour Code rules + the decree's transfers + the shortened
# days the Ministry named beyond the «day right before a holiday» rule.
DECREES = {
    2023: ({date(2023, 2, 24): date(2023, 1, 1), date(2023, 5, 8): date(2023, 1, 8)}, []),
    2024: (
        {
            date(2024, 4, 29): date(2024, 4, 27),
            date(2024, 4, 30): date(2024, 11, 2),
            date(2024, 5, 10): date(2024, 1, 6),
            date(2024, 12, 30): date(2024, 12, 28),
            date(2024, 12, 31): date(2024, 1, 7),
        },
        [date(2024, 11, 2)],
    ),
    2025: (
        {
            date(2025, 5, 2): date(2025, 1, 4),
            date(2025, 5, 8): date(2025, 2, 23),
            date(2025, 6, 13): date(2025, 3, 8),
            date(2025, 11, 3): date(2025, 11, 1),
            date(2025, 12, 31): date(2025, 1, 5),
        },
        [date(2025, 11, 1)],
    ),
    2026: ({date(2026, 1, 9): date(2026, 1, 3), date(2026, 12, 31): date(2026, 1, 4)}, []),
    2027: (
        {
            date(2027, 2, 22): date(2027, 2, 20),
            date(2027, 11, 5): date(2027, 1, 2),
            date(2027, 12, 31): date(2027, 1, 3),
        },
        [date(2027, 2, 20)],
    ),
}


@pytest.mark.parametrize("year", sorted(DECREES))
def test_data_file_equals_rules_plus_decree(year: int) -> None:
    data = federal_calendar().year(year)
    transfers, extra = DECREES[year]
    built = rules_year(year, transfers=transfers, extra_shortened=extra)
    assert dict(built.days) == dict(data.days)
    assert dict(built.transfers) == dict(data.transfers)
    assert dict(built.holidays) == dict(data.holidays)


def _all_days(year: int) -> list[date]:
    return [
        date(year, 1, 1) + timedelta(days=k)
        for k in range((date(year + 1, 1, 1) - date(year, 1, 1)).days)
    ]


@pytest.mark.parametrize("year", [2023, 2024, 2025, 2026, 2027])
def test_cross_check_with_holidays_package(year: int) -> None:
    """`holidays` knows holidays and decreed transfers, not the automatic ст. 112 moves."""
    cal = federal_calendar()
    theirs = holidays.country_holidays("RU", years=year)
    ours_off = {d for d in _all_days(year) if cal.kind_of(d) is N}
    auto_moves = {
        to
        for to, frm in cal.year(year).transfers.items()
        if frm in statutory_holidays(year)
        and frm.month != 1
        and frm.weekday() >= 5
        and to not in theirs
    }
    assert set(theirs) <= ours_off
    weekend = {d for d in ours_off if d.weekday() >= 5}
    assert ours_off - set(theirs) - weekend == auto_moves
    # Their "substituted from" weekend days are our working weekend days.
    working_weekend = {d for d in _all_days(year) if d.weekday() >= 5 and cal.kind_of(d).is_working}
    assert working_weekend == {
        frm
        for to, frm in cal.year(year).transfers.items()
        if frm.weekday() >= 5 and frm not in statutory_holidays(year)
    }
    for d, name in theirs.items():
        if "substituted" in name:
            assert cal.year(year).transfers[d].strftime("%m/%d/%Y") in name


@pytest.mark.parametrize(
    ("day", "kind"),
    [
        (date(2023, 11, 6), N),  # 4 Nov on Saturday moved to Monday automatically
        (date(2023, 11, 3), S),
        (date(2024, 4, 27), W),  # working Saturdays 2024
        (date(2024, 11, 2), S),  # a working Saturday that is also pre-holiday
        (date(2024, 12, 28), W),
        (date(2024, 2, 22), S),
        (date(2024, 12, 31), N),
        (date(2025, 3, 7), S),
        (date(2025, 5, 7), W),  # before a moved day off, not before a holiday: full day
        (date(2025, 11, 1), S),
        (date(2025, 12, 31), N),
        (date(2026, 3, 9), N),  # 8 Mar on Sunday
        (date(2026, 5, 11), N),  # 9 May on Saturday
        (date(2026, 12, 31), N),  # a transferred day off, so 30 Dec is a full day
        (date(2026, 12, 30), W),
        (date(2026, 2, 20), W),  # Friday before a weekend before 23 Feb: full day
        (date(2026, 1, 10), N),
        (date(2026, 1, 12), W),
    ],
)
def test_kinds(day: date, kind: DayKind) -> None:
    assert federal_calendar().kind_of(day) is kind


def test_rules_year_provisional() -> None:
    y = rules_year(2028)
    assert y.provisional
    assert y.kind_of(date(2028, 1, 3)) is N  # Monday in the New Year holidays
    assert y.kind_of(date(2028, 1, 1)) is N
    assert y.kind_of(date(2028, 3, 7)) is S  # Tuesday before 8 Mar
    assert y.kind_of(date(2028, 6, 12)) is N
    assert y.kind_of(date(2028, 11, 6)) is N  # 4 Nov 2028 is a Saturday: moved to Monday
    assert y.transfers[date(2028, 11, 6)] == date(2028, 11, 4)
    assert y.kind_of(date(2028, 11, 3)) is S
    assert y.kind_of(date(2028, 1, 15)) is N  # a plain Saturday
    assert y.kind_of(date(2028, 1, 17)) is W


def test_two_holidays_on_one_weekend_move_to_distinct_days() -> None:
    # 2027 without the decree: 1 May (Sat) -> 3 May, 9 May (Sun) -> 10 May, 12 Jun (Sat) -> 14 Jun.
    y = rules_year(2027)
    assert {d for d, f in y.transfers.items()} == {
        date(2027, 5, 3),
        date(2027, 5, 10),
        date(2027, 6, 14),
    }
    # A weekend holiday right after another moved day: 2033 has 1 May Sun, 9 May Mon... use a synthetic check
    y = rules_year(2022)  # 1 May 2022 Sun -> 2 May; 8 Mar Tue; 12 Jun Sun -> 13 Jun
    assert y.transfers[date(2022, 5, 2)] == date(2022, 5, 1)
    assert y.transfers[date(2022, 6, 13)] == date(2022, 6, 12)
    assert y.kind_of(date(2021, 12, 31) + timedelta(days=365)) is N


def test_december_31_before_new_year_is_shortened_by_rule() -> None:
    assert rules_year(2029).kind_of(date(2029, 12, 31)) is S  # Monday


def test_round_trip_of_data_files() -> None:
    for y in federal_calendar().year_calendars:
        assert load_year(dump_year(y)) == y


def test_load_year_errors() -> None:
    with pytest.raises(ValueError, match="lacks 'source'"):
        load_year("year = 2024\nprovisional = false\n")
    with pytest.raises(ValueError, match="must be an integer"):
        load_year('year = "2024"\nsource = ""\nprovisional = false\n')
    with pytest.raises(ValueError, match="unknown kind"):
        load_year(
            'year = 2024\nsource = ""\nprovisional = false\n[days]\n"2024-01-09" = { kind = "nap" }\n'
        )
    with pytest.raises(ValueError, match="TOML date"):
        load_year(
            'year = 2024\nsource = ""\nprovisional = false\n[days]\n"2024-01-09" = { kind = "day-off", from = "x" }\n'
        )
    with pytest.raises(ValueError, match="not in year"):
        load_year(
            'year = 2024\nsource = ""\nprovisional = false\n[days]\n"2025-01-09" = { kind = "working" }\n'
        )


def test_year_calendar_validation() -> None:
    with pytest.raises(ValueError, match="must be NON_WORKING"):
        YearCalendar(2024, "", False, {}, holidays={date(2024, 1, 1): "x"})


def test_production_calendar_validation_and_span() -> None:
    with pytest.raises(ValueError, match="at least one year"):
        ProductionCalendar([])
    y23, y25 = federal_calendar().year(2023), federal_calendar().year(2025)
    with pytest.raises(ValueError, match="contiguous"):
        ProductionCalendar([y23, y25])
    with pytest.raises(OutOfCalendar, match=r"2023-01-01\.\.2027-12-31"):
        federal_calendar().kind_of(date(2028, 1, 1))
    with pytest.raises(OutOfCalendar, match="year 2030"):
        federal_calendar().year(2030)
    with pytest.raises(OutOfCalendar):
        federal_calendar().with_overrides({date(2022, 12, 31): W})


def test_overrides_and_with_years() -> None:
    base = federal_calendar()
    closed = date(2026, 6, 3)  # a municipality closed for a day
    extra = date(2026, 6, 6)  # an extra working Saturday by order
    cal = base.with_overrides({closed: N}).with_overrides({extra: W})
    assert cal.kind_of(closed) is N
    assert cal.kind_of(extra) is W
    assert cal.is_overridden(closed)
    assert not cal.is_overridden(date(2026, 6, 4))
    assert dict(cal.overrides) == {closed: N, extra: W}
    assert base.kind_of(closed) is W  # the cached federal calendar is untouched
    assert year_summary(cal, 2026).working_days == 247
    y2028 = rules_year(2028)
    longer = cal.with_years(y2028)
    assert longer.years[-1] == 2028
    assert longer.is_provisional(2028)
    assert longer.kind_of(closed) is N
    assert cal.replaced_day(date(2024, 11, 2)) == date(2024, 4, 30)
    assert cal.replaced_day(date(2024, 11, 4)) is None


# -- the calendar never ends: provisional years past the data --------------------------


def test_extended_to_appends_provisional_rules_years() -> None:
    base = federal_calendar()
    cal = base.extended_to(2030)
    assert cal.years == (2023, 2024, 2025, 2026, 2027, 2028, 2029, 2030)
    assert cal.last_day == date(2030, 12, 31)
    for y in (2028, 2029, 2030):
        assert cal.is_provisional(y)
        assert cal.year(y) == rules_year(y)
    assert cal.year(2026) is base.year(2026)  # the data years are kept as they are
    assert cal.kind_of(date(2028, 11, 6)) is N  # 4 Nov 2028 (Sat) moved to Monday by ст. 112
    assert base.extended_to(2030) is cal  # cached: cheap to call on every request
    assert base.extended_to(2027) is base  # already reaches it
    assert base.extended_to(1990) is base
    assert base.years == (2023, 2024, 2025, 2026, 2027)  # the cached federal calendar is untouched
    assert year_summary(cal, 2030).provisional
    # The cache stays small however many years callers ask for.
    small = ProductionCalendar([rules_year(2023)])
    for y in range(2024, 2060):
        assert small.extended_to(y).last_day.year == y
    assert len(small._extended) <= 16


def test_extended_to_keeps_overrides() -> None:
    cal = federal_calendar().with_overrides({date(2026, 6, 3): N}).extended_to(2029)
    assert cal.kind_of(date(2026, 6, 3)) is N
    assert cal.is_overridden(date(2026, 6, 3))


def test_extended_to_the_last_year_of_the_datetime_range() -> None:
    y = rules_year(9999)
    assert y.kind_of(date(9999, 12, 31)) is W  # Friday; no 1 January in year 10000 to shorten it
    assert rules_year(1).kind_of(date(1, 1, 1)) is N
    cal = ProductionCalendar([rules_year(9998)]).extended_to(9999)
    assert cal.last_day == date(9999, 12, 31)
    assert year_summary(cal, 9999).working_days > 240
    with pytest.raises(ValueError, match="9999"):
        cal.extended_to(10000)


@pytest.mark.parametrize("year", [0, -1, 10000, 10**30])
def test_years_outside_the_datetime_range_are_value_errors(year: int) -> None:
    with pytest.raises(ValueError, match=r"1\.\.9999"):
        rules_year(year)
    with pytest.raises(ValueError, match=r"1\.\.9999"):
        statutory_holidays(year)
    with pytest.raises(ValueError, match=r"1\.\.9999"):
        YearCalendar(year, "", False, {})


def test_overrides_past_the_data_extend_the_calendar() -> None:
    """A municipality's local change in 2031 must not break every page: the calendar grows."""
    far = date(2031, 3, 2)
    cal = federal_calendar().with_overrides({far: N})
    assert cal.last_day == date(2031, 12, 31)
    assert cal.kind_of(far) is N
    assert cal.is_provisional(2029)
    assert cal.with_overrides({date(2026, 6, 3): N}).last_day == date(2031, 12, 31)
    assert ProductionCalendar(federal_calendar().year_calendars, {far: N}).last_day.year == 2031


def test_an_absurdly_distant_override_is_kept_but_does_not_grow_the_calendar() -> None:
    """A typo (2062 for 2026) must not build decades on every page: it waits, dormant."""
    typo = date(2062, 3, 2)
    cal = federal_calendar().with_overrides({typo: N})
    reach = 2027 + ProductionCalendar.AUTO_EXTENSION_YEARS
    assert cal.last_day == date(2027, 12, 31)
    assert cal.is_overridden(typo)
    assert dict(cal.overrides) == {typo: N}
    with pytest.raises(OutOfCalendar):
        cal.kind_of(typo)
    edge = federal_calendar().with_overrides({date(reach, 1, 1): N})
    assert edge.last_day == date(reach, 12, 31)
    assert federal_calendar().with_overrides({date(reach + 1, 1, 1): N}).last_day.year == 2027
    # Extended far enough explicitly, the dormant change applies.
    assert cal.extended_to(2062).kind_of(typo) is N


def test_override_before_the_first_year_is_refused_clearly() -> None:
    with pytest.raises(OutOfCalendar) as info:
        federal_calendar().with_overrides({date(2022, 12, 31): W})
    exc = info.value
    assert isinstance(exc, ValueError)
    assert exc.ru == (
        "Местное изменение на 2022-12-31 раньше начала производственного календаря (01.01.2023)."
    )
    assert "2022-12-31" in str(exc) and "2023-01-01..2027-12-31" in str(exc)
    assert (exc.when, exc.first_day, exc.last_day, exc.before) == (
        date(2022, 12, 31),
        date(2023, 1, 1),
        date(2027, 12, 31),
        True,
    )


def test_out_of_calendar_messages() -> None:
    cal = federal_calendar()
    with pytest.raises(OutOfCalendar) as info:
        cal.kind_of(date(1, 1, 1))
    assert (
        info.value.ru == "Дата 0001-01-01 раньше начала производственного календаря (01.01.2023)."
    )
    assert info.value.before
    assert info.value.when == date(1, 1, 1)
    with pytest.raises(OutOfCalendar) as info:
        cal.kind_of(date(2028, 1, 1))
    assert info.value.ru == "Дата 2028-01-01 позже конца производственного календаря (31.12.2027)."
    assert not info.value.before
    assert (info.value.first_day, info.value.last_day) == (date(2023, 1, 1), date(2027, 12, 31))
    with pytest.raises(OutOfCalendar) as info:
        cal.year(2030)
    assert info.value.ru == "2030 год не входит в производственный календарь (2023–2027)."
    assert not info.value.before
    with pytest.raises(OutOfCalendar) as info:
        cal.year(1)
    assert info.value.before
    # Still constructible with a bare message, as before.
    plain = OutOfCalendar("outside")
    assert (str(plain), plain.ru, plain.when, plain.before) == ("outside", "outside", None, False)


def test_with_years_fills_a_gap_with_provisional_years() -> None:
    """Importing 2030 while the data ends in 2027 must not fail on «years must be contiguous»."""
    y2030 = rules_year(2030, provisional=False, source="импорт")
    cal = federal_calendar().with_years(y2030)
    assert cal.years == (2023, 2024, 2025, 2026, 2027, 2028, 2029, 2030)
    assert cal.is_provisional(2028) and cal.is_provisional(2029)
    assert not cal.is_provisional(2030)
    # Backwards only real data joins: a past year is never made up.
    earlier = federal_calendar().with_years(rules_year(2022, provisional=False))
    assert earlier.years[:2] == (2022, 2023)
    with pytest.raises(ValueError, match="contiguous"):
        federal_calendar().with_years(rules_year(2020, provisional=False))
    with pytest.raises(ValueError, match="contiguous"):
        federal_calendar().with_years(rules_year(2999))


def test_load_year_refuses_malformed_input_with_value_errors() -> None:
    head = 'year = 2024\nsource = ""\nprovisional = false\n'
    cases = [
        ("year = ", "not valid TOML"),
        ("a = " + "[" * 3000 + "]" * 3000, "not valid TOML"),
        (head + "days = 5\n", r"\[days\] must be a table"),
        (head + '[days]\n"2024-01-09" = 5\n', "kind = "),
        (head + '[days]\n"2024-01-09" = { kind = ["x"] }\n', "unknown kind"),
        (head + '[days]\n"Jan 9" = { kind = "working" }\n', "not a date"),
        (head + '[days]\n"2024-01-09" = { kind = "holiday" }\n', "needs a name"),
        (
            head + '[days]\n"2024-01-09" = { kind = "day-off", from = 2024-01-06T00:00:00 }\n',
            "TOML date",
        ),
        ('year = 0\nsource = ""\nprovisional = false\n', "1..9999"),
        ('year = 99999999999\nsource = ""\nprovisional = false\n', "1..9999"),
        ('year = true\nsource = ""\nprovisional = false\n', "must be an integer"),
    ]
    for text, message in cases:
        with pytest.raises(ValueError, match=message):
            load_year(text)


def test_dump_year_escapes_control_characters() -> None:
    """An imported title or source with a line break (`&#10;` in xmlcalendar) must read back."""
    y = YearCalendar(
        2024,
        'выгрузка a\nb\r\t"\\\x7f\x00\u2028',
        False,
        {date(2024, 1, 1): N},
        holidays={date(2024, 1, 1): "x\ny\x1f\ud7ff\U0001f600"},
    )
    assert load_year(dump_year(y)) == y
