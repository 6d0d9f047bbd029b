"""A backup taken while the web server and the worker write restores whole and consistent.

A real installation in its own var directory and database: `runserver` and `otklik worker`
as processes, two threads handing incidents in through the REST API, and a third process
attaching photos through the service. `otklik backup` runs in the middle of it. The backup is
restored into a new, empty database and var directory with `otklik restore`; then:

- every incident, step, history entry and attachment that existed before the backup began is
  there, and nothing is there that the source never had (A ⊂ restored ⊂ final source);
- each restored history is a prefix of the source's (the snapshot is of one moment);
- `otklik history verify` passes, the database still refuses to change its history;
- every photo opens and is byte-for-byte the source's.

SQLite runs in the suite's SQLite pass, PostgreSQL in its PostgreSQL pass (databases
`otk_backup` and `otk_backup_restored` on the server of DATABASE_URL).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from cryptography.fernet import Fernet

SUITE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = SUITE_URL.startswith(("postgres://", "postgresql://"))


def _run(env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    # --skip-checks: the system checks are other tests' business; right after the command name,
    # where subcommands (apikey create) still accept it.
    return subprocess.run([sys.executable, "-m", "otklik.core.cli", args[0], "--skip-checks", *args[1:]],
                          env=env, capture_output=True, text=True, timeout=timeout, check=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Site:
    """One installation: its environment and how to read its database directly."""

    var: Path
    url: str  # DATABASE_URL ("" = SQLite in var)
    keys: dict[str, str]
    env: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        # Persistent connections, as a production site runs: on SQLite they also keep the WAL
        # from being folded into the main file whenever the last connection closes, so a copy
        # that ignored the WAL would miss rows here.
        self.env = {**os.environ, "OTKLIK_VAR_DIR": str(self.var), "DJANGO_SETTINGS_MODULE": "config.settings",
                    "OTKLIK_REQUIRE_2FA": "0", "CONN_MAX_AGE": "600", **self.keys}
        self.env.pop("DATABASE_URL", None)
        if self.url:
            self.env["DATABASE_URL"] = self.url

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        if not self.url:
            with sqlite3.connect(self.var / "otklik.sqlite3", timeout=30) as db:
                return list(db.execute(sql).fetchall())
        import psycopg

        with psycopg.connect(self.url) as db:
            return list(db.execute(sql).fetchall())

    def facts(self) -> dict[str, set[Any]]:
        return {
            "incidents": {r[0] for r in self.rows("SELECT id FROM incidents_incident")},
            "steps": {r[0] for r in self.rows("SELECT id FROM incidents_incidentstep")},
            "events": set(self.rows("SELECT incident_id, seq, hash FROM incidents_incidentevent")),
            "attachments": set(self.rows("SELECT id, file FROM incidents_attachment")),
        }


def _pg_recreate(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = parts._replace(path="/postgres").geturl()
    name = parts.path.lstrip("/")
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')


def _pg_url(name: str) -> str:
    return urlsplit(SUITE_URL)._replace(path=f"/{name}").geturl()


@pytest.fixture(params=["postgresql" if ON_POSTGRES else "sqlite"])
def sites(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Site, Site]:
    keys = {"OTKLIK_HISTORY_KEY": "backup-test-history-key", "OTKLIK_SECRETS_KEY": Fernet.generate_key().decode()}
    if request.param == "postgresql":
        source_url, restored_url = _pg_url("otk_backup"), _pg_url("otk_backup_restored")
        _pg_recreate(source_url)
        _pg_recreate(restored_url)
    else:
        source_url = restored_url = ""
    return Site(tmp_path / "source", source_url, keys), Site(tmp_path / "restored", restored_url, keys)


class Intake(threading.Thread):
    """Hands incidents in through the API until told to stop; keeps (finished at, id)."""

    def __init__(self, base: str, token: str, name: str, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.base, self.token, self.tag, self.stop = base, token, name, stop
        self.done: list[tuple[float, int]] = []
        self.errors: list[str] = []

    def run(self) -> None:
        with httpx.Client(base_url=self.base, headers={"Authorization": f"Bearer {self.token}"}, timeout=60) as http:
            n = 0
            while not self.stop.is_set():
                n += 1
                body = {"external_id": f"{self.tag}-{n}", "municipality": "plastunovskoe", "network": "vk",
                        "url": f"https://vk.com/wall-1_{n}?reply={self.tag}", "author": {"name": "Ирина", "url": ""},
                        "text": f"Когда починят фонарь на улице Садовой, дом {n}?",
                        "detected_at": datetime.now(UTC).isoformat()}
                reply = http.post("/api/v1/incidents", json=body)
                if reply.status_code in (200, 201):
                    self.done.append((time.monotonic(), int(reply.json()["id"])))
                else:
                    self.errors.append(f"{reply.status_code} {reply.text[:200]}")


def _wait_http(url: str, proc: subprocess.Popen[str], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the web server exited: {proc.stderr.read() if proc.stderr else ''}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} did not answer in {timeout} s")


def test_backup_under_writes_restores_every_row_history_and_file(sites: tuple[Site, Site], tmp_path: Path) -> None:
    source, restored = sites
    for args in (["migrate", "-v0"], ["demo", "load"]):
        done = _run(source.env, *args)
        assert done.returncode == 0, done.stderr[-3000:]
    done = _run(source.env, "apikey", "create", "--municipality", "plastunovskoe", "--name", "ЦУР")
    assert done.returncode == 0, done.stderr[-2000:]
    token = done.stdout.strip().splitlines()[-1]
    assert _run(source.env, "history", "anchor").returncode == 0  # anchors exist, as after a day's work

    # Another reader holds the database open all along (an idle web process would).
    keeper = sqlite3.connect(source.var / "otklik.sqlite3") if not source.url else None
    if keeper is not None:
        keeper.execute("SELECT COUNT(*) FROM incidents_incident").fetchone()
    port = _free_port()
    exe = [sys.executable, "-m", "otklik.core.cli"]
    worker_log = (tmp_path / "worker.log").open("w")  # read when the worker does not stop
    procs = [subprocess.Popen([*exe, "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
                              env=source.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True),
             subprocess.Popen([*exe, "worker", "--tick", "0.5", "--skip-checks", "-v2"], env=source.env,
                              stdout=worker_log, stderr=subprocess.STDOUT, text=True)]
    stop = threading.Event()
    stop_file = tmp_path / "stop-writer"
    intakes: list[Intake] = []
    writer: subprocess.Popen[str] | None = None
    try:
        _wait_http(f"http://127.0.0.1:{port}/login/", procs[0])
        intakes = [Intake(f"http://127.0.0.1:{port}", token, f"t{i}", stop) for i in range(2)]
        for thread in intakes:
            thread.start()
        writer = subprocess.Popen([sys.executable, "-m", "otklik.backups.tests.writer", str(stop_file)],
                                  env=source.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # Ten hand-ins and the writer's first photo before the backup: the writer boots Django in
        # a process of its own, which on a busy machine takes longer than ten hand-ins.
        deadline = time.monotonic() + 180
        while sum(len(t.done) for t in intakes) < 10 or not source.rows(
                "SELECT id FROM incidents_attachment LIMIT 1"):
            assert all(t.is_alive() for t in intakes), [t.errors for t in intakes]
            assert writer.poll() is None, writer.communicate(timeout=10)[1][-3000:]
            assert time.monotonic() < deadline, "no photo stored in 180 s"
            time.sleep(0.2)
        before = source.facts()  # everything here must be in the backup
        backup = tmp_path / "otklik.tar.gz"
        started = time.monotonic()
        made = _run(source.env, "backup", "-o", str(backup))
        took = time.monotonic() - started
        assert made.returncode == 0, made.stderr[-3000:]
        after_backup = sum(len(t.done) for t in intakes)
        while sum(len(t.done) for t in intakes) < after_backup + 5:  # writing goes on after it
            time.sleep(0.2)
    finally:
        stop.set()
        stop_file.touch()
        for thread in intakes:
            thread.join(timeout=60)
        if writer is not None:
            out, err = writer.communicate(timeout=60)
            assert writer.returncode == 0, err[-3000:]
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                worker_log.close()
                raise AssertionError(f"{proc.args!r} did not stop in 30 s after SIGTERM:\n"
                                     + (tmp_path / "worker.log").read_text()[-4000:]) from None
        worker_log.close()
        if keeper is not None:
            keeper.close()
    assert not any(t.errors for t in intakes), [t.errors[:3] for t in intakes]
    photos = int(out.strip())
    assert photos > 0
    final = source.facts()

    assert oct(backup.stat().st_mode & 0o777) == "0o600"
    started = time.monotonic()
    back = _run(restored.env, "restore", str(backup))
    restore_took = time.monotonic() - started
    assert back.returncode == 0, back.stdout[-2000:] + back.stderr[-3000:]
    assert "нарушений 0" in back.stdout
    got = restored.facts()

    for kind in ("incidents", "steps", "events", "attachments"):
        assert before[kind] <= got[kind], f"{kind}: {sorted(before[kind] - got[kind])[:5]} lost"
        assert got[kind] <= final[kind], f"{kind}: {sorted(got[kind] - final[kind])[:5]} never existed"
    # Taken mid-stream: it has incidents handed in after `before`, and lacks later ones.
    assert before["incidents"] < got["incidents"] < final["incidents"]
    # One moment: each restored history is the source's history up to some entry.
    by_incident: dict[int, set[tuple[int, str]]] = {}
    for incident_id, seq, digest in final["events"]:
        by_incident.setdefault(incident_id, set()).add((seq, digest))
    for incident_id in got["incidents"]:
        mine = {(seq, digest) for i, seq, digest in got["events"] if i == incident_id}
        top = max(seq for seq, _ in mine)
        assert mine == {(s, d) for s, d in by_incident[incident_id] if s <= top}

    verify = _run(restored.env, "history", "verify")
    assert verify.returncode == 0, verify.stdout[-2000:]
    # …against the anchors that came with the backup, not against none.
    anchored = re.search(r"заверенных сообщений: (\d+)", verify.stdout)
    assert anchored is not None and int(anchored.group(1)) >= 10, verify.stdout
    with pytest.raises(Exception, match=r"(?i)истори|history|no such function"):
        restored.rows("UPDATE incidents_incidentevent SET action = 'x' WHERE seq = 1")

    from PIL import Image

    assert got["attachments"], "the backup holds photos"
    for _, name in got["attachments"]:
        mine, theirs = restored.var / "media" / name, source.var / "media" / name
        assert hashlib.sha256(mine.read_bytes()).digest() == hashlib.sha256(theirs.read_bytes()).digest()
        with Image.open(mine) as image:
            image.verify()
    manifest = json.loads(subprocess.run(["tar", "-xzOf", str(backup), "manifest.json"],
                                         capture_output=True, check=True).stdout)
    assert manifest["counts"]["incidents_incident"] == len(got["incidents"])
    sys.stdout.write(f"\n{manifest['database']['vendor']}: backup {took:.1f} s ({backup.stat().st_size} bytes, "
                     f"{len(got['incidents'])} incidents, {len(got['events'])} history entries, "
                     f"{len(got['attachments'])} photos; during the run {len(final['incidents'])} incidents, "
                     f"{photos} photos written), restore {restore_took:.1f} s\n")
