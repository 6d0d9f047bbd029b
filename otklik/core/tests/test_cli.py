"""The `otklik` command: Django's commands plus the project's own, honouring DATABASE_URL."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from otklik.core.periodic import REGISTRY, PeriodicJob, run_due_jobs, tick_claim


def _otklik(*args: str, db: Path, tmp: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update({"DATABASE_URL": f"sqlite:///{db}", "OTKLIK_VAR_DIR": str(tmp)})
    return subprocess.run(
        [sys.executable, "-m", "otklik.core.cli", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_second_instance_from_database_url_and_idempotent_demo(tmp_path: Path) -> None:
    db = tmp_path / "x.sqlite3"
    assert _otklik("migrate", "-v0", db=db, tmp=tmp_path).returncode == 0
    first = _otklik("demo", "load", db=db, tmp=tmp_path)
    assert first.returncode == 0 and "создано" in first.stdout
    second = _otklik("demo", "load", db=db, tmp=tmp_path)
    assert second.returncode == 0 and "уже есть" in second.stdout
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from org_municipality where slug='plastunovskoe'").fetchone() == (1,)
        assert conn.execute("select count(*) from org_person").fetchone()[0] >= 9


def test_demo_refused_in_production(tmp_path: Path) -> None:
    db = tmp_path / "p.sqlite3"
    env_run = _otklik("migrate", "-v0", db=db, tmp=tmp_path)
    assert env_run.returncode == 0
    os.environ["OTKLIK_PRODUCTION"] = "1"
    try:
        refused = _otklik("demo", "load", db=db, tmp=tmp_path)
    finally:
        del os.environ["OTKLIK_PRODUCTION"]
    assert refused.returncode != 0 and "боевом профиле" in refused.stderr


@pytest.mark.django_db(transaction=True)
def test_periodic_tick_runs_once_per_period_across_workers() -> None:
    calls: list[int] = []
    job = PeriodicJob(name="probe", every=timedelta(seconds=30), run=lambda: calls.append(1))
    # Two workers racing for the same tick: exactly one wins.
    assert [tick_claim(job), tick_claim(job)].count(True) == 1
    REGISTRY["probe"] = job
    try:
        assert "probe" not in run_due_jobs()  # already claimed this period
    finally:
        del REGISTRY["probe"]
    assert calls == []
