"""`otklik demo generate`'s shortcuts give what the slow, plain way gives.

The generator replays lives on epoch seconds (`demo_lives.Clock`), writes moments as text
without datetimes, puts the intake hash's JSON together by hand, writes COPY text with its own
NULL, and on SQLite generates in worker processes while one process writes. Each shortcut is
checked here against the code it stands in for.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from otklik.incidents import demo_corpus as corpus
from otklik.incidents.demo_lives import Clock, moment_text, payload_json, utc_iso
from otklik.worktime import Hours, WeeklySchedule, WorkCalendar, federal_calendar

MSK = ZoneInfo("Europe/Moscow")
ROOT = Path(__file__).resolve().parents[3]


def _calendars() -> list[WorkCalendar]:
    federal = WorkCalendar(federal_calendar())
    # A zone that changes its offset (DST) and a shortened day with hours of its own.
    berlin = dataclasses.replace(WeeklySchedule.default(), time_zone="Europe/Berlin")
    short: dict[date, Hours] = {date(2026, 3, 4): ((time(10), time(12)),)}
    return [federal, WorkCalendar(federal_calendar(), berlin, day_hours=short)]


@pytest.mark.parametrize("k", [0, 1])
def test_clock_is_the_working_calendar(k: int) -> None:
    wc = _calendars()[k]
    clock = Clock(wc)
    rng = random.Random(k)
    lo = int(datetime.combine(wc.first_day + timedelta(days=10), time(), wc.tz).timestamp())
    hi = int(datetime.combine(wc.last_day - timedelta(days=60), time(), wc.tz).timestamp())
    for _ in range(3000):
        t = rng.randrange(lo, hi)
        if rng.random() < 0.3:  # moments on interval edges matter most
            t = t // 3600 * 3600
        dt = datetime.fromtimestamp(t, wc.tz)
        secs = rng.choice([0, 1, 60, 3600, 4 * 3600, 8 * 3600, rng.randrange(0, 40 * 3600)])
        assert clock.add(t, secs) == int(wc.add(dt, timedelta(seconds=secs)).timestamp()), (dt, secs)
        u = t + rng.randrange(-5 * 86400, 5 * 86400)
        assert clock.between(t, u) == int(wc.between(dt, datetime.fromtimestamp(u, wc.tz)).total_seconds())
        days = rng.randrange(1, 12)
        assert clock.add_working_days(t, days) == int(wc.add_working_days(dt, days).timestamp())
        assert clock.local_text(t) == str(dt)


def test_moments_as_text_are_datetimes_text() -> None:
    rng = random.Random(3)
    for _ in range(3000):
        t = rng.randrange(0, 4_000_000_000)
        utc = datetime.fromtimestamp(t, UTC)
        assert utc_iso(t) == utc.isoformat()
        assert moment_text(t, " ", "") == str(utc.replace(tzinfo=None))  # Django's SQLite form
        assert moment_text(t, " ", "+00") == str(utc)[:-3]  # COPY's


def test_payloads_are_json_as_signed() -> None:
    value = {"b": [1, "«ё»"], "a": None, "c": {"z": True, "y": 'say "hi"\\'}}
    assert payload_json(value) == json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def test_corpus_needs_no_copy_escaping() -> None:
    """COPY text is written with \\x01 as NULL and only backslashes escaped: no value may hold a
    tab, a line break or that character. Every text the generator writes comes from here."""
    texts: list[str] = [*corpus.STREETS, *corpus.FIRST_NAMES, *corpus.SURNAMES, *corpus.PATRONYMICS_M,
                        *corpus.PATRONYMICS_F, *corpus.SETTLEMENT_NAMES, *corpus.SETTLEMENT_KINDS,
                        *corpus.RETURN_COMMENTS.values(), corpus.NOT_OURS_COMMENT, corpus.CLARIFY_QUESTION,
                        corpus.NO_ANSWER_COMMENT, corpus.UNCLARIFIED_COMMENT, corpus.INTERMEDIATE_ANSWER,
                        corpus.PART_TEXT]
    for topic, unit, messages, answers in corpus.TOPICS:
        texts += [topic, unit, *messages, *answers]
    texts += [name for name, _, _ in corpus.UNITS]
    for text in texts:
        assert not set(text) & {"\t", "\n", "\r", "\x01"}, text


def test_copy_text_keeps_backslashes_and_nulls(db: None) -> None:
    """PostgreSQL's COPY text doubles the backslashes of the whole buffer and takes \\x01 for
    NULL: a value with backslashes, quotes and an escaped JSON string arrives as written."""
    from django.db import connection

    from otklik.incidents.demo_generate import _COPY_NULL, _insert

    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    text, payload = 'C:\\path "quoted" \\N', json.dumps({"k": 'a\\b "c"\n'}, ensure_ascii=False)
    with connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE copy_check (a text, b jsonb, c int)")
        _insert([("copy_check", ["a", "b", "c"], [(text, payload, _COPY_NULL), (_COPY_NULL, "{}", 7)])])
        cur.execute("SELECT a, b::text, c FROM copy_check ORDER BY c NULLS FIRST")
        rows = cur.fetchall()
    assert rows[0][0] == text and json.loads(rows[0][1]) == json.loads(payload) and rows[0][2] is None
    assert rows[1] == (None, "{}", 7)


def test_intake_hash_is_the_services(db: None) -> None:
    from otklik.incidents.demo_generate import demo_generate
    from otklik.incidents.models import Incident
    from otklik.incidents.services import intake_hash

    demo_generate(municipalities=1, incidents=60, region="h", seed=3, now=datetime(2026, 11, 18, 11, 20, tzinfo=MSK))
    for inc in Incident.objects.all():
        assert inc.content_hash == intake_hash({
            "kind": inc.kind, "importance": inc.importance, "network": inc.network, "url": inc.url,
            "author_name": inc.author_name, "author_url": inc.author_url, "text": inc.text, "attachments": [],
            "detected_at": inc.detected_at, "handed_over_at": inc.handed_over_at, "topic": inc.topic,
            "location": inc.location})


_SCRIPT = """
import os, sys, json, django
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
django.setup()
from datetime import datetime
from zoneinfo import ZoneInfo
from django.db import connection
from otklik.incidents.demo_generate import demo_generate
from otklik.incidents.history import history_verify
r = demo_generate(municipalities=3, incidents=int(sys.argv[1]), region="w", seed=5, jobs=int(sys.argv[2]),
                  now=datetime(2026, 11, 18, 11, 20, tzinfo=ZoneInfo("Europe/Moscow")))
rows = {}
with connection.cursor() as cur:
    # Incidents and assignments keep the ids reserved for them; history entries, steps and
    # drafts take theirs in the order chunks are written, so those are compared without.
    for table, keep_id in [("incidents_incident", True), ("incidents_assignment", True),
                           ("incidents_incidentevent", False), ("incidents_incidentstep", False),
                           ("incidents_draft", False)]:
        cur.execute(f"SELECT * FROM {table}")
        names = [c[0] for c in cur.description]
        rows[table] = sorted([str(v) for n, v in zip(names, row) if keep_id or n != "id"]
                             for row in cur.fetchall())
print(json.dumps({"verify": history_verify()[1], "incidents": r.incidents, "rows": rows}))
"""


def test_sqlite_workers_write_what_one_process_writes(tmp_path: Path) -> None:
    """SQLite with jobs=3: two processes generate, one writes. The same seed gives the same
    rows as generating in one process, incidents' ids included; the history verifies."""
    base = tmp_path / "base.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{base}"}
    subprocess.run([sys.executable, "-m", "django", "migrate", "-v0", "--settings", "config.settings"],
                   cwd=ROOT, env=env, check=True)
    out = {}
    for jobs in (1, 3):
        db = tmp_path / f"jobs{jobs}.sqlite3"
        shutil.copy(base, db)
        done = subprocess.run([sys.executable, "-c", _SCRIPT, "700", str(jobs)], cwd=ROOT, check=True,
                              env={**env, "DATABASE_URL": f"sqlite:///{db}"}, capture_output=True, text=True)
        out[jobs] = json.loads(done.stdout.strip().splitlines()[-1])
    assert out[3]["verify"] == [] and out[3]["incidents"] == 700
    assert len(out[3]["rows"]["incidents_incident"]) == 700
    for table, rows in out[1]["rows"].items():
        assert out[3]["rows"][table] == rows, table


def test_postgresql_statistics_are_fresh_after_generating(db: None) -> None:
    """The planner knows the bulk-loaded tables at once (ANALYZE), not after autovacuum: with
    no statistics it hashed every assignment to read one incident's steps."""
    from django.db import connection

    from otklik.incidents.demo_generate import demo_generate
    from otklik.incidents.models import IncidentStep

    if connection.vendor != "postgresql":
        pytest.skip("ANALYZE is PostgreSQL's here")
    demo_generate(municipalities=1, incidents=300, region="st", seed=5, now=datetime(2026, 11, 18, 11, 20, tzinfo=MSK))
    with connection.cursor() as cur:
        cur.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [IncidentStep._meta.db_table])
        [(estimated,)] = cur.fetchall()
    assert estimated >= 0.9 * IncidentStep.objects.count() > 0
