"""Abandonable work: a worker asked to stop drops a retraining instead of waiting minutes for it,
and still lets ordinary tasks finish (db_worker's graceful stop)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest
from django.conf import settings

from otklik.core.abandon import WorkAbandoned, abandoned_on_stop


@pytest.fixture
def restored_signals() -> Iterator[None]:
    kept = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    yield
    for s, handler in kept.items():
        signal.signal(s, handler)


def test_the_stop_signal_tells_the_worker_and_abandons_the_block(restored_signals: None) -> None:
    told: list[int] = []

    def worker_handler(signum: int, frame: FrameType | None) -> None:
        told.append(signum)

    signal.signal(signal.SIGTERM, worker_handler)
    reached = []
    with pytest.raises(WorkAbandoned), abandoned_on_stop("проверка"):  # noqa: PT012  # the block is the point
        signal.raise_signal(signal.SIGTERM)
        reached.append(True)
    assert not reached  # the handler raised at once
    assert told == [signal.SIGTERM]
    assert signal.getsignal(signal.SIGTERM) is worker_handler  # the worker's handler is back


def test_without_a_handler_of_the_process_the_default_stays(restored_signals: None) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    with abandoned_on_stop("проверка"):
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def _site(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
           "DJANGO_SETTINGS_MODULE": "config.settings", "OTKLIK_VAR_DIR": str(tmp_path / "var")}
    subprocess.run([sys.executable, "-m", "otklik.core.cli", "migrate", "-v0"], env=env, check=True,
                   cwd=settings.BASE_DIR, timeout=300)
    return env


def _stop_worker_during(kind: str, tmp_path: Path, env: dict[str, str]) -> tuple[float, str]:
    marker = tmp_path / f"{kind}.started"
    task_id = subprocess.run([sys.executable, "-m", "otklik.core.tests.slowtask", kind, str(marker)], env=env,
                             check=True, cwd=settings.BASE_DIR, capture_output=True, text=True,
                             timeout=120).stdout.strip()
    log = (tmp_path / f"{kind}.log").open("w")
    # A long tick: the periodic jobs are not what this test is about.
    worker = subprocess.Popen([sys.executable, "-m", "otklik.core.cli", "worker", "--tick", "3600",
                               "--interval", "0.2", "--skip-checks"],
                              env=env, cwd=settings.BASE_DIR, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert worker.poll() is None and time.monotonic() < deadline, (tmp_path / f"{kind}.log").read_text()
            time.sleep(0.1)
        worker.send_signal(signal.SIGTERM)
        asked = time.monotonic()
        worker.wait(timeout=60)
        took = time.monotonic() - asked
    finally:
        if worker.poll() is None:
            worker.kill()
        log.close()
    import sqlite3

    with sqlite3.connect(tmp_path / "worker.sqlite3") as db:
        status = db.execute("SELECT status FROM django_tasks_database_dbtaskresult WHERE id = ?",
                            (task_id.replace("-", ""),)).fetchone()
    return took, status[0] if status else "?"


def test_a_stopping_worker_drops_abandonable_work_and_finishes_the_rest(tmp_path: Path) -> None:
    env = _site(tmp_path)
    took, status = _stop_worker_during("abandonable", tmp_path, env)
    assert took < 10, f"the worker took {took:.1f} s to stop"  # the work itself sleeps 120 s
    assert status == "FAILED"
    took, status = _stop_worker_during("plain", tmp_path, env)
    assert status == "SUCCESSFUL"  # an ordinary task is let finish: db_worker's graceful stop
