"""The project's own commands, run as a newcomer would: `otklik …` in a fresh process."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

XML_2028 = """<?xml version="1.0" encoding="UTF-8"?>
<calendar year="2028" lang="ru" date="2027.09.01" country="ru">
<holidays><holiday id="1" title="Новогодние каникулы"/></holidays>
<days><day d="01.01" t="1" h="1"/><day d="01.03" t="1" h="1"/><day d="01.04" t="1" h="1"/>
<day d="01.05" t="1" h="1"/><day d="01.06" t="1" h="1"/><day d="01.07" t="1" h="1"/>
<day d="02.22" t="2"/><day d="02.23" t="1"/><day d="03.07" t="2"/><day d="03.08" t="1"/>
<day d="05.01" t="1"/><day d="05.08" t="1"/><day d="05.09" t="1"/><day d="06.12" t="1"/>
<day d="11.03" t="2"/><day d="11.04" t="1"/></days></calendar>"""


@pytest.fixture(scope="module")
def instance(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("instance")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update({"DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}", "OTKLIK_VAR_DIR": str(tmp)})
    for args in (["migrate", "-v0"], ["demo", "load"]):
        subprocess.run([sys.executable, "-m", "otklik.core.cli", *args], env=env, check=True, capture_output=True)
    return env


def run(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "otklik.core.cli", *args], env=env, input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_worktime_add_and_batch(instance: dict[str, str]) -> None:
    out = run(instance, "worktime", "add", "2026-12-04T16:30:00+03:00", "8h")
    assert out.returncode == 0 and out.stdout.strip() == "2026-12-07T16:30:00+03:00"
    batch = run(instance, "worktime", "add", "--batch",
                stdin="2026-12-04T16:30:00+03:00 30m\nnonsense\n2026-12-31T17:00:00+03:00 1h\n")
    lines = batch.stdout.strip().splitlines()
    assert batch.returncode == 1
    assert lines[0] == "2026-12-04T17:00:00+03:00" and lines[1].startswith("error:")
    assert lines[2] == "2027-01-11T10:00:00+03:00"  # 31.12.2026 is a day off by decree, then the new-year holidays


def test_worktime_municipality_local_change(instance: dict[str, str]) -> None:
    db = instance["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(db) as conn:
        mid = conn.execute("select id from org_municipality where slug='plastunovskoe'").fetchone()[0]
        conn.execute("insert into org_calendarchange (municipality_id, day, kind, note, updated_at) "
                     "values (?, '2026-12-07', 'non_working', 'День станицы', '2026-11-01')", (mid,))
    local = run(instance, "worktime", "add", "2026-12-04T16:30:00+03:00", "8h", "--municipality", "plastunovskoe")
    federal = run(instance, "worktime", "add", "2026-12-04T16:30:00+03:00", "8h")
    assert local.stdout.strip() == "2026-12-08T16:30:00+03:00"
    assert federal.stdout.strip() == "2026-12-07T16:30:00+03:00"
    unknown = run(instance, "worktime", "add", "2026-12-04T16:30:00+03:00", "8h", "--municipality", "nowhere")
    assert unknown.returncode == 2 and "nowhere" in unknown.stderr


def test_worktime_import_xmlcalendar_year(instance: dict[str, str], tmp_path: Path) -> None:
    xml = tmp_path / "2028.xml"
    xml.write_text(XML_2028, encoding="utf-8")
    out = run(instance, "worktime", "import", str(xml))
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("2028: загружен")
    after = run(instance, "worktime", "add", "2028-02-22T17:30:00+03:00", "1h", "--municipality", "plastunovskoe")
    assert after.stdout.strip() == "2028-02-24T10:00:00+03:00"  # 22.02 shortened: ends 17:00; 23.02 a holiday


def test_check_answer_and_screen_contracts(instance: dict[str, str]) -> None:
    line = json.dumps({"question": "Когда уберут мусор на ул. Мира?", "answer": "Мусор уберём.", "attachments": 0},
                      ensure_ascii=False)
    out = run(instance, "check-answer", stdin=line + "\nnot json\n")
    results = [json.loads(x) for x in out.stdout.splitlines()]
    assert out.returncode == 1 and "error" in results[1]
    assert any(f["code"] == "greeting" for f in results[0]["findings"])


def test_history_verify(instance: dict[str, str]) -> None:
    out = run(instance, "history", "verify")
    assert out.returncode == 0 and "нарушений: 0" in out.stdout


REGIONAL_2026 = XML_2028.replace('year="2028"', 'year="2026"').replace(
    '<days>', '<days><day d="12.07" t="1"/><day d="12.04" t="2"/>').replace(
    '<day d="02.22" t="2"/><day d="02.23" t="1"/><day d="03.07" t="2"/><day d="03.08" t="1"/>', "")


def test_worktime_import_regional_calendar_as_local_changes(instance: dict[str, str], tmp_path: Path) -> None:
    xml = tmp_path / "region-2026.xml"
    xml.write_text(REGIONAL_2026, encoding="utf-8")
    out = run(instance, "worktime", "import", str(xml), "--municipality", "novotitarovskoe")
    assert out.returncode == 0, out.stderr
    assert "местных изменений" in out.stdout
    db = instance["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(db) as conn:
        rows = dict(conn.execute(
            "select day, kind from org_calendarchange c join org_municipality m on m.id = c.municipality_id "
            "where m.slug = 'novotitarovskoe'").fetchall())
    assert rows["2026-12-07"] == "non_working" and rows["2026-12-04"] == "shortened"
    local = run(instance, "worktime", "add", "2026-12-04T16:30:00+03:00", "1h", "--municipality", "novotitarovskoe")
    assert local.stdout.strip() == "2026-12-08T09:30:00+03:00"  # 30 min on 04.12 (ends 17:00), 07.12 off
