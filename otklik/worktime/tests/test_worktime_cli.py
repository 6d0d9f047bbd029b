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


def test_out_of_calendar_exits_1() -> None:
    status, out, err = run("add", "2030-01-01T10:00+03:00", "1h")
    assert (status, out) == (1, "")
    assert "2023-01-01..2027-12-31" in err
    assert run("year", "2030")[0] == 1


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
            "2030-01-01T10:00+03:00 1h",
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
    assert got[3].startswith("error: ") and "after the end" in got[3]
    assert got[4] == "2024-12-28T18:00:00+03:00"
    assert len(got) == 5
    assert run("add", "--batch", stdin="2026-12-04T16:30+03:00 8h\n\n")[:2] == (
        0,
        "2026-12-07T16:30:00+03:00\n",
    )


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


def test_end_to_end_usage_error() -> None:
    p = _module("add", "2026-12-04T16:30", "8h")
    assert p.returncode == 2
    assert p.stdout == ""
    assert "no UTC offset" in p.stderr
