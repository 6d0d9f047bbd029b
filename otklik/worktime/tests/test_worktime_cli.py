"""The `otklik worktime` command: in process (main) and end to end (python -m)."""

import io
import subprocess
import sys
from pathlib import Path

import pytest

from otklik.worktime import DayKind, WorkCalendar, federal_calendar
from otklik.worktime.cli import main

REPO = Path(__file__).resolve().parents[3]


def run(*argv: str, stdin: str = "", resolve=None) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), io.StringIO(stdin), out, err, resolve_municipality=resolve)
    return status, out.getvalue(), err.getvalue()


def test_add() -> None:
    assert run("add", "2026-12-04T16:30+03:00", "8h") == (0, "2026-12-07T16:30:00+03:00\n", "")
    assert run("add", "2026-12-04T13:30Z", "90m")[1] == "2026-12-04T18:00:00+03:00\n"
    assert run("add", "2026-12-04T13:30Z", "91m")[1] == "2026-12-07T09:01:00+03:00\n"
    assert run("add", "2025-12-30T10:00+03:00", "1d")[1] == "2026-01-12T18:00:00+03:00\n"
    assert run("add", "2026-12-07T13:30+03:00", "0m")[1] == "2026-12-07T14:00:00+03:00\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["add", "2026-12-04T16:30", "8h"], "no UTC offset"),
        (["add", "yesterday", "8h"], "not an ISO 8601"),
        (["add", "2026-12-04T16:30+03:00", "8 hours"], "bad duration"),
        (["add", "2026-12-04T16:30+03:00", "0d"], "at least 1"),
        (["add", "2026-12-04T16:30+03:00"], "DURATION is missing"),
        (["add"], "START DURATION, or --batch alone"),
        (["add", "--batch", "2026-12-04T16:30+03:00"], "START DURATION, or --batch alone"),
        (["between", "2026-12-04T16:30+03:00", "x"], "not an ISO 8601"),
        (["year", "x"], "invalid int"),
        ([], "required"),
        (
            ["add", "--municipality", "a", "--schedule", "b", "2026-12-04T16:30+03:00", "1h"],
            "not allowed",
        ),
        (
            ["add", "--municipality", "kazan", "2026-12-04T16:30+03:00", "1h"],
            "no municipality resolver",
        ),
        (
            ["add", "--schedule", "/nonexistent.toml", "2026-12-04T16:30+03:00", "1h"],
            "schedule /nonexistent.toml",
        ),
    ],
)
def test_usage_errors_exit_2(argv: list[str], message: str) -> None:
    status, out, err = run(*argv)
    assert status == 2
    assert out == ""
    assert message in err


def test_before_the_calendar_exits_1_with_a_russian_message() -> None:
    status, out, err = run("add", "2022-12-30T10:00+03:00", "1h")
    assert (status, out) == (1, "")
    assert err == (
        "otklik worktime: error: Дата 2022-12-30 раньше начала производственного календаря "
        "(01.01.2023).\n"
    )
    assert run("year", "2022") == (
        1,
        "",
        "otklik worktime: error: 2022 год раньше начала производственного календаря (2023).\n",
    )
    assert run("between", "0001-01-01T00:00Z", "2026-12-07T10:00+03:00")[0] == 1


PROVISIONAL_NOTE = "otklik worktime: note: посчитано по предварительному календарю"


def test_past_the_data_counts_on_provisional_years() -> None:
    # 1–8 January 2030 are the New Year holidays of ст. 112.
    status, out, err = run("add", "2030-01-01T10:00+03:00", "1h")
    assert (status, out) == (0, "2030-01-09T10:00:00+03:00\n")
    assert err == PROVISIONAL_NOTE + " (2030)\n"
    assert run("add", "2029-12-28T17:00+03:00", "2h")[1] == "2029-12-31T10:00:00+03:00\n"
    assert run("add", "2028-12-29T10:00+03:00", "1d")[1] == "2029-01-09T18:00:00+03:00\n"
    assert run("between", "2027-12-30T17:00+03:00", "2028-01-10T10:00+03:00") == (
        0,
        "120\n",
        PROVISIONAL_NOTE + " (2027–2028)\n",
    )
    assert run("year", "2030") == (
        0,
        "2030: 249 рабочих дней, 1986 ч (40-часовая неделя), предварительный\n",
        "",
    )
    # The last year within reach: 100 years past the data.
    assert run("year", "2127")[1].endswith(", предварительный\n")
    # 2027 is provisional data already: the note says so too; 2026 gets none.
    assert run("add", "2026-12-30T17:00+03:00", "2h")[2] == PROVISIONAL_NOTE + " (2027)\n"
    assert run("add", "2026-12-04T16:30+03:00", "8h")[2] == ""


def test_a_deadline_far_past_the_data_grows_the_calendar() -> None:
    # 2000 h of working time from late 2027: a year of provisional calendar.
    status, out, err = run("add", "2027-12-01T10:00+03:00", "2000h")
    assert status == 0
    assert out.startswith("2028-12-")
    assert err == PROVISIONAL_NOTE + " (2027–2028)\n"


def test_too_far_in_the_future_exits_1() -> None:
    status, out, err = run("add", "9999-12-31T10:00+03:00", "1h")
    assert (status, out) == (1, "")
    assert err == (
        "otklik worktime: error: Дата 9999-12-31 слишком далеко: предварительный календарь "
        "строится не дальше 31.12.2127.\n"
    )
    assert run("year", "2128") == (
        1,
        "",
        "otklik worktime: error: 2128 год слишком далеко: предварительный календарь "
        "строится не дальше 2127 года.\n",
    )
    assert run("between", "2026-12-07T10:00+03:00", "3000-01-01T10:00+03:00")[0] == 1
    status, _, err = run("add", "2127-12-31T10:00+03:00", "8h")
    assert status == 1
    assert err == (
        "otklik worktime: error: Срок выходит за 31.12.2127: дальше предварительный календарь "
        "не строится.\n"
    )
    # Written in 2127, already 2128 in Moscow.
    status, _, err = run("add", "2127-12-31T23:00-05:00", "1h")
    assert status == 1
    assert "слишком далеко" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["year", "0"], "year must be 1..9999"),
        (["year", "10000"], "year must be 1..9999"),
        (["year", "-5"], "year must be 1..9999"),
        (["year", "99999999999999999999"], "year must be 1..9999"),
        (["year", "1" * 5000], "invalid int value"),
        (["add", "0000-01-01T10:00+03:00", "1h"], "not an ISO 8601 date and time"),
        (["add", "10000-01-01T10:00+03:00", "1h"], "not an ISO 8601 date and time"),
        (["add", "2026-02-30T10:00+03:00", "1h"], "day is out of range for month"),
        (["add", "2026-12-04T16:30+25:00", "1h"], "not an ISO 8601 date and time"),
        (["add", "2026-12-04T16:30+03:00", "99999999999999999999h"], "too long"),
        (["add", "2026-12-04T16:30+03:00", "1" * 5000 + "m"], "too long"),
        (["add", "2026-12-04T16:30+03:00", "878401h"], "too long"),
        (["add", "2026-12-04T16:30+03:00", "36601d"], "too long"),
        (["add", "2026-12-04T16:30+03:00", "٣h"], "bad duration"),
        (["add", "2026-12-04T16:30+03:00", ""], "bad duration"),
        (["add", "2026-12-04T16:30+03:00", "-5h"], "unrecognized arguments: -5h"),
        (["add", "", "1h"], "not an ISO 8601 date and time"),
        (["add", "2026-12-04T16:30+03:00\nx", "1h"], "not an ISO 8601"),
        (["between", "2026-12-04T16:30+03:00", "2026-12-04T16:30"], "no UTC offset"),
        (["add", "a\nb", "1h", "extra\nline"], "unrecognized arguments"),
    ],
)
def test_malformed_input_is_one_line_and_exit_2(argv: list[str], message: str) -> None:
    status, out, err = run(*argv)
    assert status == 2
    assert out == ""
    assert message in err
    assert err.count("\n") == 1 and err.endswith("\n")
    assert "Traceback" not in err


def test_usage_errors_are_one_line_with_a_pointer_to_help() -> None:
    status, _, err = run("add")
    assert status == 2
    assert err == (
        "otklik worktime: error: give START DURATION, or --batch alone "
        "(see otklik worktime --help)\n"
    )


def test_schedule_file_that_is_not_utf8(tmp_path: Path) -> None:
    f = tmp_path / "s.toml"
    f.write_bytes(b'[days]\nmon = ["09:00-18:00"] # \xff\n')
    status, _, err = run("add", "--schedule", str(f), "2026-12-04T16:30+03:00", "1h")
    assert status == 2
    assert err == f"otklik worktime: error: schedule {f}: not valid UTF-8\n"
    status, _, err = run("add", "--schedule", str(tmp_path), "2026-12-04T16:30+03:00", "1h")
    assert status == 2
    assert err.startswith(f"otklik worktime: error: schedule {tmp_path}:")


def test_help_goes_to_stdout() -> None:
    status, out, err = run("--help")
    assert status == 0
    assert out.startswith("usage: otklik worktime")
    assert err == ""


def test_batch_keeps_going_and_reports_failure() -> None:
    lines = "\n".join(
        [
            "2026-12-04T16:30+03:00 8h",
            "",  # blank lines are skipped, without output
            "2026-12-04T16:30 8h",
            "garbage",
            "   ",
            "2022-01-01T10:00+03:00 1h",
            "2024-12-27T10:00+03:00 1d",
        ]
    )
    status, out, err = run("add", "--batch", stdin=lines + "\n")
    assert status == 1
    assert err == ""
    got = out.splitlines()
    assert got[0] == "2026-12-07T16:30:00+03:00"
    assert got[1].startswith("error: ") and "no UTC offset" in got[1]
    assert got[2] == "error: expected START DURATION, got 'garbage'"
    assert got[3] == (
        "error: Дата 2022-01-01 раньше начала производственного календаря (01.01.2023)."
    )
    assert got[4] == "2024-12-28T18:00:00+03:00"
    assert len(got) == 5
    assert run("add", "--batch", stdin="2026-12-04T16:30+03:00 8h\n\n")[:2] == (
        0,
        "2026-12-07T16:30:00+03:00\n",
    )


def test_batch_bad_lines_of_every_kind() -> None:
    """Each bad line gets one `error:` line in its place; the good ones their deadline."""
    lines = [
        "2026-12-04T16:30+03:00 8h",
        "2026-12-04T16:30+03:00 99999999999999999999h",
        "0000-01-01T10:00+03:00 1h",
        "2026-12-04T16:30+03:00\x0b8h",  # a vertical tab is whitespace to str.split
        "9999-12-31T10:00+03:00 1h",
        "\ufeff2026-12-04T16:30+03:00 8h",
        "2030-01-01T10:00+03:00 1h",
        "2026-12-04T16:30+03:00 8h extra",
    ]
    status, out, err = run("add", "--batch", stdin="\n".join(lines))
    assert status == 1
    got = out.split("\n")
    assert got[-1] == ""
    got = got[:-1]
    assert len(got) == len(lines)
    assert got[0] == "2026-12-07T16:30:00+03:00"
    assert got[1].startswith("error: duration '99999999999999999999h' is too long")
    assert got[2].startswith("error: not an ISO 8601 date and time: '0000-01-01T10:00+03:00'")
    assert got[3] == "2026-12-07T16:30:00+03:00"
    assert got[4].startswith("error: Дата 9999-12-31 слишком далеко")
    assert got[5].startswith(r"error: not an ISO 8601 date and time: '\ufeff2026")
    assert got[6] == "2030-01-09T10:00:00+03:00"
    assert got[7] == "error: expected START DURATION, got '2026-12-04T16:30+03:00 8h extra'"
    assert err == PROVISIONAL_NOTE + " (2030): строк 1 из 8\n"


def test_batch_stdin_bytes_that_are_not_utf8_spoil_their_line_only() -> None:
    stdin = io.TextIOWrapper(
        io.BytesIO(b"2026-12-04T16:30+03:00 8h\n\xff 1h\n2026-12-04T16:30+03:00 \xfe8h\n"),
        encoding="utf-8",
    )
    out, err = io.StringIO(), io.StringIO()
    assert main(["add", "--batch"], stdin, out, err) == 1
    assert out.getvalue().splitlines() == [
        "2026-12-07T16:30:00+03:00",
        "error: not an ISO 8601 date and time: '\ufffd'",
        "error: bad duration '\ufffd8h' (use <N>m, <N>h or <N>d)",
    ]
    assert err.getvalue() == ""


class _UndecodableStdin(io.StringIO):
    def __iter__(self):  # type: ignore[no-untyped-def]
        raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")


def test_batch_stdin_that_cannot_be_decoded_exits_2() -> None:
    out, err = io.StringIO(), io.StringIO()
    status = main(["add", "--batch"], _UndecodableStdin(), out, err)
    assert status == 2
    assert err.getvalue() == "otklik worktime: error: standard input is not valid UTF-8\n"


def test_between() -> None:
    assert run("between", "2026-12-04T17:00+03:00", "2026-12-07T10:00+03:00")[1] == "120\n"
    assert run("between", "2026-12-07T10:00+03:00", "2026-12-04T17:00+03:00")[1] == "-120\n"
    assert run("between", "2026-12-07T10:00+03:00", "2026-12-07T10:00:30+03:00")[1] == "0.50\n"
    assert run("between", "2026-12-07T10:00+03:00", "2026-12-07T10:00:01+03:00")[1] == "0.02\n"


def test_year() -> None:
    assert run("year", "2026") == (0, "2026: 247 рабочих дней, 1972 ч (40-часовая неделя)\n", "")
    assert run("year", "2024")[1] == "2024: 248 рабочих дней, 1979 ч (40-часовая неделя)\n"
    assert (
        run("year", "2027")[1]
        == "2027: 247 рабочих дней, 1972 ч (40-часовая неделя), предварительный\n"
    )


def test_plural() -> None:
    from otklik.worktime.cli import _plural

    forms = ("рабочий день", "рабочих дня", "рабочих дней")
    assert [_plural(n, *forms) for n in (1, 2, 5, 11, 12, 21, 22, 111, 244, 251)] == [
        "рабочий день",
        "рабочих дня",
        "рабочих дней",
        "рабочих дней",
        "рабочих дней",
        "рабочий день",
        "рабочих дня",
        "рабочих дней",
        "рабочих дня",
        "рабочий день",
    ]


def test_schedule_file(tmp_path: Path) -> None:
    f = tmp_path / "s.toml"
    f.write_text(
        'time_zone = "Asia/Yekaterinburg"\n[days]\nfri = ["09:00-18:00"]\nmon = ["09:00-18:00"]\n',
        encoding="utf-8",
    )
    assert (
        run("add", "--schedule", str(f), "2026-12-04T16:30+05:00", "8h")[1]
        == "2026-12-07T15:30:00+05:00\n"
    )
    bad = tmp_path / "bad.toml"
    bad.write_text("[days]\nmon = 1\n", encoding="utf-8")
    status, _, err = run("add", "--schedule", str(bad), "2026-12-04T16:30+05:00", "8h")
    assert status == 2
    assert "list of" in err


def test_municipality_resolver() -> None:
    closed = WorkCalendar(
        federal_calendar().with_overrides(
            {__import__("datetime").date(2026, 12, 7): DayKind.NON_WORKING}
        )
    )

    def resolve(slug: str) -> WorkCalendar:
        if slug != "kazan":
            raise KeyError(slug)
        return closed

    assert (
        run("add", "--municipality", "kazan", "2026-12-04T16:30+03:00", "8h", resolve=resolve)[1]
        == "2026-12-08T16:30:00+03:00\n"
    )
    status, _, err = run("year", "--municipality", "perm", "2026", resolve=resolve)
    assert status == 2
    assert "unknown municipality 'perm'" in err
    assert run("year", "--municipality", "kazan", "2026", resolve=resolve)[1].startswith(
        "2026: 246 рабочих дней"
    )


def _module(*argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "otklik.worktime", *argv],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
        timeout=60,
    )


def test_end_to_end_add_and_year() -> None:
    p = _module("add", "2026-12-04T16:30+03:00", "8h")
    assert (p.returncode, p.stdout, p.stderr) == (0, "2026-12-07T16:30:00+03:00\n", "")
    p = _module("year", "2025")
    assert p.stdout == "2025: 247 рабочих дней, 1972 ч (40-часовая неделя)\n"


def test_end_to_end_batch_with_a_bad_line() -> None:
    p = _module(
        "add", "--batch", stdin="2024-02-22T16:30+03:00 1h\nnot a line\n2024-11-01T17:00+03:00 2h\n"
    )
    assert p.returncode == 1
    assert p.stdout.splitlines() == [
        "2024-02-26T09:30:00+03:00",
        "error: expected START DURATION, got 'not a line'",
        "2024-11-02T10:00:00+03:00",
    ]


def test_end_to_end_batch_with_invalid_utf8() -> None:
    p = subprocess.run(
        [sys.executable, "-m", "otklik.worktime", "add", "--batch"],
        input=b"2026-12-04T16:30+03:00 8h\n\xff\xfe 1h\n2024-02-22T16:30+03:00 1h\n",
        capture_output=True,
        cwd=REPO,
        check=False,
        timeout=60,
    )
    assert p.returncode == 1
    assert b"Traceback" not in p.stderr
    assert p.stdout.decode().splitlines() == [
        "2026-12-07T16:30:00+03:00",
        "error: not an ISO 8601 date and time: '\ufffd\ufffd'",
        "2024-02-26T09:30:00+03:00",
    ]


def test_end_to_end_usage_error() -> None:
    p = _module("add", "2026-12-04T16:30", "8h")
    assert p.returncode == 2
    assert p.stdout == ""
    assert "no UTC offset" in p.stderr
