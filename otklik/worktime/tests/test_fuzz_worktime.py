"""Fuzz tests (Hypothesis): no input makes otklik.worktime fail other than as documented.

* The arithmetic, on any aware datetime of years 1..9999 in any tzinfo, returns or raises
  ValueError (OutOfCalendar outside the span); a naive datetime is a ValueError. The
  engine's invariants hold over a calendar extended with provisional years, and an
  extension answers exactly as the shorter calendar wherever that one answers.
* The CLI (``main`` in process) on arbitrary arguments and stdin: exit 0, 1 or 2, errors
  one line each, never an exception; ``--batch`` answers every non-blank line.
* ``parse_xmlcalendar`` on arbitrary text and bytes and on mutated valid documents,
  ``load_year`` and ``WeeklySchedule.from_toml`` on arbitrary and mutated text: a value
  or ValueError; what they accept is written back and read again unchanged.

Examples per test: ``OTKLIK_FUZZ_EXAMPLES`` (default 60: the module runs in about 10 s
in CI). Derandomized (a fixed seed per test) and without an example database, so every
run checks the same examples. A long run::

    OTKLIK_FUZZ_EXAMPLES=5000 .venv/bin/pytest -q -p no:randomly \\
        otklik/worktime/tests/test_fuzz_worktime.py
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from otklik.worktime import (
    DayKind,
    OutOfCalendar,
    WeeklySchedule,
    WorkCalendar,
    YearCalendar,
    dump_year,
    federal_calendar,
    load_year,
    parse_xmlcalendar,
)
from otklik.worktime.cli import main

EXAMPLES = int(os.environ.get("OTKLIK_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

MSK = ZoneInfo("Europe/Moscow")
BERLIN = ZoneInfo("Europe/Berlin")
FEDERAL = WorkCalendar(federal_calendar())
EXTENDED = FEDERAL.extended_to(2031)
# Night hours across the clock changes (spring: an hour swallowed; autumn: one twice), a
# short Friday, a working Saturday: the invariants must not care.
NIGHT = ((time(1), time(4)),)
BERLIN_WC = WorkCalendar(
    federal_calendar().with_overrides({date(2029, 3, 24): DayKind.WORKING}),
    WeeklySchedule(
        "Europe/Berlin",
        {
            **dict.fromkeys(range(4), ((time(1), time(4)), (time(9), time(17, 30)))),
            4: ((time(9), time(13, 15)),),
        },
    ),
    day_hours={
        date(2026, 3, 29): NIGHT,
        date(2026, 10, 25): NIGHT,
        date(2029, 3, 25): NIGHT,
        date(2029, 10, 28): NIGHT,
    },
).extended_to(2031)

# -- strategies -------------------------------------------------------------------------

ZONES = [
    "Europe/Moscow",
    "Asia/Yekaterinburg",
    "Asia/Kamchatka",
    "Europe/Berlin",
    "America/New_York",
    "America/St_Johns",
    "Australia/Lord_Howe",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "UTC",
]
tzinfos: st.SearchStrategy[tzinfo] = st.one_of(
    st.just(UTC),
    st.sampled_from([ZoneInfo(k) for k in ZONES]),
    st.integers(-86399, 86399).map(lambda s: timezone(timedelta(seconds=s))),
    st.timezones(),
)
# Hypothesis takes naive bounds and attaches the tzinfo itself.
LOW, HIGH = datetime.fromisoformat("0001-01-03"), datetime.fromisoformat("9999-12-29")
SPAN_FROM, SPAN_TO = datetime.fromisoformat("2022-10-01"), datetime.fromisoformat("2032-03-01")
any_moment = st.datetimes(timezones=tzinfos)  # years 1..9999
near_the_ends = st.one_of(
    st.datetimes(max_value=LOW, timezones=tzinfos),
    st.datetimes(min_value=HIGH, timezones=tzinfos),
)
near_the_span = st.datetimes(min_value=SPAN_FROM, max_value=SPAN_TO, timezones=tzinfos)
moments = st.one_of(any_moment, near_the_ends, near_the_span)
naive = st.datetimes()
durations = st.one_of(
    st.timedeltas(min_value=timedelta(0)),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=500)),
    st.timedeltas(max_value=timedelta(microseconds=-1)),  # negative: ValueError
)
# Whole seconds inside the extended span, for the invariants.
SPAN_LO = int(datetime(2023, 1, 2, tzinfo=MSK).timestamp())  # inside Berlin too
SPAN_HI = int(datetime(2030, 6, 1, tzinfo=MSK).timestamp())
span_moment = st.builds(
    lambda t, tz: datetime.fromtimestamp(t, tz),
    st.integers(SPAN_LO, SPAN_HI),
    st.sampled_from([UTC, MSK, BERLIN, timezone(timedelta(hours=-9, minutes=-30))]),
)
seconds = st.integers(0, 2000 * 3600).map(lambda s: timedelta(seconds=s))
positive = st.integers(1, 1000 * 3600).map(lambda s: timedelta(seconds=s))


def _raised(call: Callable[[], object]) -> ValueError | None:
    """The ValueError ``call`` raises (any other exception fails the test), else None."""
    try:
        call()
    except ValueError as exc:
        return exc
    return None


def _calls(
    wc: WorkCalendar, a: datetime, b: datetime, d: timedelta, n: int
) -> list[Callable[[], object]]:
    return [
        lambda: wc.add(a, d),
        lambda: wc.add_many([a, b], d),
        lambda: wc.between(a, b),
        lambda: wc.add_working_days(a, n),
        lambda: wc.next_working_moment(a),
        lambda: wc.is_working_moment(a),
        lambda: wc.explain(a, d),
        lambda: wc.touches_provisional(a, b),
        lambda: wc.day_hours(a.date()),
    ]


# -- arithmetic -------------------------------------------------------------------------


@FUZZ
@given(moments, moments, durations, st.integers(-3, 10**12))
def test_arithmetic_raises_nothing_but_value_errors(
    a: datetime, b: datetime, d: timedelta, n: int
) -> None:
    for wc in (FEDERAL, EXTENDED):
        for call in _calls(wc, a, b, d, n):
            exc = _raised(call)
            if isinstance(exc, OutOfCalendar):
                assert exc.ru and "\n" not in exc.ru
                assert exc.first_day == wc.first_day
                assert exc.last_day == wc.last_day


@FUZZ
@given(moments)
def test_out_of_calendar_says_which_end(a: datetime) -> None:
    exc = _raised(lambda: EXTENDED.is_working_moment(a))
    if isinstance(exc, OutOfCalendar):
        assert exc.when == a
        assert exc.before == (a < datetime(2023, 1, 1, tzinfo=MSK))
        assert exc.ru.endswith(".")


def _instant(dt: datetime) -> float:
    # Two datetimes with one tzinfo compare by wall clock, which misorders the hour that
    # repeats when clocks go back: compare instants.
    return dt.timestamp()


@FUZZ
@given(naive, span_moment, durations)
def test_a_naive_datetime_is_a_value_error_not_out_of_calendar(
    a: datetime, b: datetime, d: timedelta
) -> None:
    calls = _calls(EXTENDED, a, b, d, 1)[:-1]
    calls += [lambda: EXTENDED.between(b, a), lambda: EXTENDED.touches_provisional(b, a)]
    for call in calls:
        exc = _raised(call)
        assert exc is not None
        assert not isinstance(exc, OutOfCalendar)


@FUZZ
@given(span_moment, seconds)
def test_between_inverts_add_on_the_extended_calendar(a: datetime, d: timedelta) -> None:
    for wc in (EXTENDED, BERLIN_WC):
        r = wc.add(a, d)
        assert r.tzinfo is wc.tz
        assert _instant(r) >= _instant(a)
        assert wc.between(a, r) == d


@FUZZ
@given(span_moment, positive, positive)
def test_splitting_a_duration_on_the_extended_calendar(
    a: datetime, d1: timedelta, d2: timedelta
) -> None:
    for wc in (EXTENDED, BERLIN_WC):
        assert wc.add(wc.add(a, d1), d2) == wc.add(a, d1 + d2)
        assert wc.add_many([a, a], d1) == [wc.add(a, d1)] * 2


@FUZZ
@given(span_moment, span_moment)
def test_between_is_antisymmetric_and_add_between_lands_on_b(a: datetime, b: datetime) -> None:
    a, b = sorted((a, b), key=_instant)
    before_b = datetime.fromtimestamp(_instant(b) - 1, UTC)
    for wc in (EXTENDED, BERLIN_WC):
        assert wc.between(a, b) == -wc.between(b, a)
        if wc.is_working_moment(b) and wc.is_working_moment(before_b):
            assert _instant(wc.add(a, wc.between(a, b))) == _instant(b)


@FUZZ
@given(near_the_span, seconds, st.integers(1, 400))
def test_an_extension_answers_as_the_shorter_calendar_where_it_answers(
    a: datetime, d: timedelta, n: int
) -> None:
    """So the CLI may extend as far as it likes: the reach never changes an answer."""
    calls: list[Callable[[WorkCalendar], object]] = [
        lambda wc: wc.add(a, d),
        lambda wc: wc.add_working_days(a, n),
        lambda wc: wc.between(a, datetime(2027, 12, 31, 12, tzinfo=MSK)),
    ]
    for short, long in ((FEDERAL, EXTENDED), (FEDERAL, FEDERAL.extended_to(2029))):
        for call in calls:
            try:
                expected = call(short)
            except ValueError:
                continue
            assert call(long) == expected


# -- the CLI ----------------------------------------------------------------------------

MUNICIPALITY = WorkCalendar(
    federal_calendar().with_overrides(
        {date(2026, 12, 7): DayKind.NON_WORKING, date(2031, 1, 12): DayKind.SHORTENED}
    ),
    WeeklySchedule("Asia/Yekaterinburg"),
)


def _resolve(slug: str) -> WorkCalendar:
    if slug != "kazan":
        raise LookupError(f"no {slug!r}")
    return MUNICIPALITY


iso_text = moments.map(lambda dt: dt.isoformat())
duration_text = st.one_of(
    st.from_regex(r"[0-9]{1,25}[mhd]", fullmatch=True),
    st.from_regex(r"[0-9]{1,4}[mhd]", fullmatch=True),
    st.sampled_from(["0m", "1h", "8h", "1d", "0d", "-5h", "1.5h", "h", "", " 1h", "٣h"]),
    st.text(max_size=8),
)
tokens = st.sampled_from(
    ["add", "between", "year", "--batch", "--municipality", "kazan", "perm", "-h", "--", "-"]
)
year_text = st.one_of(
    st.integers(-5, 10**25).map(str), st.sampled_from(["2030", "2127", "2128", "1e3"])
)
argument = st.one_of(st.text(max_size=30), tokens, iso_text, duration_text, year_text)


def _not_a_schedule_path(arg: str) -> bool:
    # argparse takes any prefix of --schedule: keep arbitrary text from opening files.
    return not arg.startswith("--s")


arguments = st.one_of(
    st.lists(argument, max_size=6),
    st.tuples(st.sampled_from(["add", "between", "year"]), st.lists(argument, max_size=5)).map(
        lambda t: [t[0], *t[1]]
    ),
    st.tuples(iso_text, duration_text).map(lambda t: ["add", *t]),
    st.tuples(st.sampled_from(["kazan", "perm"]), iso_text, duration_text).map(
        lambda t: ["add", "--municipality", *t]
    ),
    st.tuples(iso_text, iso_text).map(lambda t: ["between", *t]),
    year_text.map(lambda y: ["year", y]),
).filter(lambda args: all(map(_not_a_schedule_path, args)))
batch_line = st.one_of(
    st.tuples(iso_text, duration_text).map(" ".join),
    st.tuples(near_the_span.map(lambda dt: dt.isoformat()), duration_text).map(" ".join),
    st.text(max_size=40),
    st.just(""),
)
batch_input = st.one_of(st.lists(batch_line, max_size=8).map("\n".join), st.text())


def _run(argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(argv, io.StringIO(stdin), out, err, resolve_municipality=_resolve)
    return status, out.getvalue(), err.getvalue()


def _check_stderr(err: str) -> None:
    """Each stderr line is one of ours: an error or a note, one line each."""
    for line in err.split("\n")[:-1]:
        assert line.startswith(("otklik worktime: error: ", "otklik worktime: note: ")) or (
            line.startswith("otklik worktime ") and ": error: " in line
        ), line
    assert err == "" or err.endswith("\n")


@FUZZ
@given(arguments, batch_input)
def test_cli_on_arbitrary_arguments(argv: list[str], stdin: str) -> None:
    status, out, err = _run(argv, stdin)
    event(f"exit {status}")  # --hypothesis-show-statistics: the mix of outcomes
    assert status in {0, 1, 2}
    if status:
        assert err.startswith("otklik worktime") or "error: " in out
    _check_stderr(err)
    if status == 2:
        assert out == ""


def _expected_lines(stdin: str) -> int:
    return sum(1 for line in stdin.split("\n") if line.split())


@FUZZ
@given(batch_input, st.sampled_from([[], ["--municipality", "kazan"]]))
def test_cli_batch_answers_every_line(stdin: str, where: list[str]) -> None:
    status, out, err = _run(["add", "--batch", *where], stdin)
    event(f"exit {status}")
    lines = out.split("\n")
    assert lines[-1] == ""
    lines = lines[:-1]
    assert len(lines) == _expected_lines(stdin)
    errors = [line for line in lines if line.startswith("error: ")]
    for line in lines:
        if not line.startswith("error: "):
            assert datetime.fromisoformat(line).tzinfo is not None
    assert status == (1 if errors else 0)
    assert err.count("\n") <= 1
    _check_stderr(err)


# -- the parsers ------------------------------------------------------------------------

XML_2026 = """<?xml version="1.0" encoding="UTF-8"?>
<calendar year="2026" lang="ru" date="2025.09.30" country="ru">
  <holidays>
    <holiday id="1" title="Новогодние каникулы"/>
    <holiday id="2" title="Рождество Христово"/>
    <holiday id="3" title="День защитника Отечества"/>
  </holidays>
  <days>
    <day d="01.01" t="1" h="1"/><day d="01.07" t="1" h="2"/>
    <day d="01.09" t="1" f="01.03"/>
    <day d="02.23" t="1" h="3"/>
    <day d="04.30" t="2"/>
    <day d="11.01" t="3"/>
    <day d="12.31" t="1" f="01.04"/>
  </days>
</calendar>
"""
XML_PIECES = [
    "<day",
    ' d="',
    ' t="',
    ' f="',
    ' h="',
    '"',
    "/>",
    "<",
    ">",
    "&",
    "&amp;",
    "&#10;",
    "&#0;",
    "<!DOCTYPE x>",
    '<!ENTITY e "x">',
    "]]>",
    "<![CDATA[",
    "13.45",
    "02.29",
    "00.00",
    "1",
    "2",
    "3",
    "9",
    "0000",
    "10000",
    "\ufeff",
    "\x00",
    "\ud800",
    "ё",
]


@st.composite
def mutated(draw: st.DrawFn, text: str, pieces: list[str]) -> str:
    """``text`` with a few slices cut, pasted or replaced by pieces or noise."""
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 12)))
        patch = draw(
            st.one_of(
                st.sampled_from(pieces),
                st.text(max_size=6),
                st.just(""),
                st.just(text[i:j] * 2),
            )
        )
        text = text[:i] + patch + text[j:]
    return text


def _year_round_trips(y: YearCalendar) -> None:
    assert all(d.year == y.year for d in y.days)
    assert load_year(dump_year(y)) == y


@FUZZ
@given(st.one_of(st.text(), st.binary(), mutated(XML_2026, XML_PIECES)))
def test_parse_xmlcalendar_on_arbitrary_input(text: str | bytes) -> None:
    exc = _raised(lambda: _year_round_trips(parse_xmlcalendar(text)))
    event("refused" if exc else "parsed")
    assert exc is None or str(exc).startswith("xmlcalendar: ")


@FUZZ
@given(mutated(XML_2026, XML_PIECES), st.sampled_from(["utf-8", "utf-16", "cp1251"]))
def test_parse_xmlcalendar_on_mutated_bytes(text: str, encoding: str) -> None:
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode(encoding, errors="surrogatepass" if encoding == "utf-8" else "replace")
    try:
        y = parse_xmlcalendar(data)
    except ValueError:
        event("refused")
        return
    event("parsed")
    _year_round_trips(y)


TOML_2026 = dump_year(federal_calendar().year(2026))
TOML_PIECES = [
    "=",
    '"',
    "'",
    "{",
    "}",
    "[",
    "]",
    "[days]",
    "\n",
    "kind",
    '"holiday"',
    '"day-off"',
    '"working"',
    '"shortened"',
    '"nap"',
    "from = 2026-01-03",
    "from = 2026-01-03T00:00:00",
    "name = 5",
    "0000-01-01",
    "9999-12-31",
    "year = 0",
    "true",
    "1e400",
    "\\u0000",
    "\x00",
]


@FUZZ
@given(st.one_of(st.text(), mutated(TOML_2026, TOML_PIECES)))
def test_load_year_on_arbitrary_text(text: str) -> None:
    try:
        y = load_year(text)
    except ValueError:
        event("refused")
        return
    event("parsed")
    _year_round_trips(y)


SCHEDULE = """time_zone = "Asia/Yekaterinburg"
[days]
mon = ["08:30-12:30", "13:15-17:30"]
tue = ["08:30-12:30", "13:15-17:30"]
fri = ["08:30-12:30", "13:15-16:15:30"]
sat = []
"""
SCHEDULE_PIECES = [
    '"09:00-10:00"',
    '"10:00-09:00"',
    '"24:00-25:00"',
    '"09:00:00.5-10:00"',
    '"09:00+03:00-10:00"',
    "mon",
    "sun",
    "Mon",
    "holiday",
    '"Europe/Moscow"',
    '"Mars/Olympus"',
    '"../etc"',
    '"Europe"',
    "[",
    "]",
    ",",
    "-",
    ":",
    "\n",
]


@FUZZ
@given(st.one_of(st.text(), mutated(SCHEDULE, SCHEDULE_PIECES)))
def test_schedule_from_toml_on_arbitrary_text(text: str) -> None:
    exc = _raised(lambda: WeeklySchedule.from_toml(text))
    event("refused" if exc else "parsed")
    if exc is not None:
        assert str(exc).startswith("schedule: ")
        return
    s = WeeklySchedule.from_toml(text)
    assert WeeklySchedule.from_toml(s.to_toml()) == s
    WorkCalendar(federal_calendar(), s)  # any schedule it accepts can be built


SCHEDULE_DIR = Path(tempfile.mkdtemp(prefix="otklik-fuzz-"))


@FUZZ
@given(
    st.one_of(
        st.text(max_size=200),
        st.just('[days]\nmon = ["09:00-18:00"]'),
        mutated(SCHEDULE, SCHEDULE_PIECES),
    ),
    # Near the data: each schedule is a new calendar, and reaching far costs a build.
    st.one_of(near_the_span.map(lambda dt: dt.isoformat()), st.text(max_size=30)),
)
def test_cli_with_arbitrary_schedule_files(text: str, start: str) -> None:
    path = SCHEDULE_DIR / "schedule.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")  # lone ones: not UTF-8
    status, _, err = _run(["add", "--schedule", str(path), start, "8h"])
    event(f"exit {status}")
    assert status in {0, 1, 2}
    _check_stderr(err)


def test_fuzz_settings_are_derandomized() -> None:
    assert FUZZ.derandomize
    assert FUZZ.max_examples == EXAMPLES
