"""Real parts for the fault tests: worker and server subprocesses, an SMTP peer, a PostgreSQL.

Every test here needs PostgreSQL (several processes sharing one database is what is tested);
on SQLite they are skipped, and `make test`'s PostgreSQL pass runs them.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

CLOSED = "http://127.0.0.1:9"  # the discard port: refused at once, so no job reaches the internet


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(condition: Callable[[], Any], timeout: float, what: str, every: float = 0.1) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"не дождались за {timeout} с: {what}")


def database_url(db: dict[str, Any]) -> str:
    auth = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def pg_env(transactional_db: None) -> dict[str, str]:
    """The environment of a subprocess that shares this test's PostgreSQL database and keys."""
    if connection.vendor != "postgresql":
        pytest.skip("fault tests run on PostgreSQL: DATABASE_URL=postgres://… (make test's second pass)")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OTKLIK_", "EMAIL_URL", "PYTEST"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(connection.settings_dict),
        "OTKLIK_VAR_DIR": str(settings.VAR_DIR),
        "OTKLIK_HISTORY_ANCHORS": settings.OTKLIK_HISTORY_ANCHORS,
        "OTKLIK_HISTORY_KEY": settings.OTKLIK_HISTORY_KEY,
        "SECRET_KEY": settings.SECRET_KEY,
        "OTKLIK_REQUIRE_2FA": "0",
        "OTKLIK_VK_API_URL": CLOSED, "OTKLIK_OK_API_URL": CLOSED,
        "OTKLIK_TELEGRAM_API_URL": CLOSED, "OTKLIK_MAX_API_URL": CLOSED,
        "OTKLIK_NETWORK_TIMEOUT": "20",
        "PYTHONUNBUFFERED": "1",
    })
    return env


class Proc:
    """An `otklik …` subprocess whose output goes to a file (read by the test afterwards)."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self._out = log.open("ab")
        self.popen = subprocess.Popen([sys.executable, "-m", "otklik.core.cli", *args], env=env,
                                      stdout=self._out, stderr=subprocess.STDOUT, start_new_session=True,
                                      cwd=settings.BASE_DIR)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def kill(self) -> None:
        """SIGKILL: no handler runs, nothing is cleaned up — as when the machine loses the process."""
        if self.alive():
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(10)

    def stop(self) -> None:
        if self.alive():
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
        self._out.close()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture
def procs(tmp_path: Path) -> Iterator[Callable[..., Proc]]:
    """Start `otklik` subprocesses; every one still running is stopped when the test ends."""
    started: list[Proc] = []

    def start(*args: str, env: dict[str, str], name: str = "proc") -> Proc:
        proc = Proc(list(args), env, tmp_path / f"{name}-{len(started)}.log")
        started.append(proc)
        return proc

    yield start
    for proc in started:
        proc.stop()


WORKER = ("worker", "--tick", "0.3", "--interval", "0.2")


class Recorder:
    """The SMTP peer's mailbox. A letter whose subject holds `hold` is kept waiting before the
    answer to DATA; a letter is taken (and recorded) only if its sender is still there to hear
    250 — RFC 5321 § 6.1: the server is responsible for a message only once it said so."""

    def __init__(self) -> None:
        self.subjects: list[str] = []
        self.hold = ""
        self.held = threading.Event()
        self.release = threading.Event()
        self.dropped: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        subject = str(message["subject"])
        if self.hold and self.hold in subject:
            self.held.set()
            try:
                while not self.release.is_set():
                    await asyncio.sleep(0.05)
            except asyncio.CancelledError:  # aiosmtpd cancels the handler when the client is gone
                self.dropped.append(subject)
                raise
        self.subjects.append(subject)
        return "250 OK"


class SmtpPeer:
    """aiosmtpd on a fixed loopback port that the test stops and starts again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.recorder = Recorder()
        self.controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp() -> Iterator[SmtpPeer]:
    peer = SmtpPeer()
    peer.start()
    yield peer
    peer.recorder.release.set()
    peer.stop()


def ticker_last_runs() -> dict[str, Any]:
    from otklik.core.models import Ticker

    return dict(Ticker.objects.values_list("name", "last_run"))
