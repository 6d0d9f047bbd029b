"""PostgreSQL restarted under load: `otklik serve` answers 503 in Russian with Retry-After while
the database is away, recovers by itself, and leaves no half-written incident (issue 14).

The restart is of a throwaway cluster of our own (initdb on a free port in a temporary
directory), never of the machine's shared PostgreSQL. It starts from a copy of this test's
database (pg_dump), so no migrations run twice.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
import pytest
from django.db import connection

from otklik.api.models import ApiKey
from otklik.core.unavailable import MESSAGE
from otklik.org.demo import demo_load
from otklik.org.models import Municipality
from tests.faults.conftest import Proc, database_url, free_port, wait_for

pytestmark = [pytest.mark.faults, pytest.mark.postgres]
PG_BIN = Path("/usr/lib/postgresql/15/bin")
THREADS = 6


def _as_postgres(args: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root: as root, run them as the postgres user."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


@dataclass
class Cluster:
    data: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/otk_faults_restart"

    def ctl(self, *args: str) -> None:
        subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data / "db"), "-w", "-t", "60",
                                     "-l", str(self.data / "log"), *args]), check=True, capture_output=True)


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    if not (PG_BIN / "initdb").exists() or shutil.which("psql") is None:
        pytest.skip(f"нет программ PostgreSQL 15 ({PG_BIN}): своего кластера для перезапуска не поднять")
    root = Path(tempfile.mkdtemp(prefix="otk_faults_pg_"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    found = Cluster(data=root, port=free_port())
    subprocess.run(_as_postgres([str(PG_BIN / "initdb"), "-D", str(root / "db"), "-A", "trust", "-U", "postgres",
                                 "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"]), check=True, capture_output=True)
    options = f"-p {found.port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60"
    found.ctl("-o", options, "start")
    try:
        yield found
    finally:
        subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(root / "db"), "-m", "immediate", "stop"]),
                       check=False, capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def _copy_database(target: Cluster) -> None:
    """This test's database, schema and rows (the demo, the key), into the throwaway cluster."""
    subprocess.run(["psql", f"postgres://postgres@127.0.0.1:{target.port}/postgres", "-q", "-c",
                    "CREATE DATABASE otk_faults_restart"], check=True, capture_output=True)
    dump = subprocess.run(["pg_dump", "--no-owner", "--no-privileges", database_url(connection.settings_dict)],
                          check=True, capture_output=True)
    subprocess.run(["psql", target.url, "-q", "-v", "ON_ERROR_STOP=1"], input=dump.stdout, check=True,
                   capture_output=True)


@dataclass
class Hit:
    at: float
    kind: str  # api-in | api-list | page
    status: int
    body: str
    retry_after: str | None


def _load(base: str, token: str, stop: threading.Event, hits: list[Hit], acknowledged: set[str],
          worker: int) -> None:
    """One user: hands incidents in (retrying each until it is acknowledged) and reads."""
    api = {"Authorization": f"Bearer {token}"}
    n = 0
    with httpx.Client(base_url=base, timeout=30) as client:
        while not stop.is_set():
            external_id = f"load-{worker}-{n}"
            body = {"external_id": external_id, "municipality": "plastunovskoe", "kind": "incident",
                    "importance": "normal", "network": "vk", "url": f"https://vk.com/wall-1_{worker}{n}",
                    "author": {"name": "Анна", "url": "https://vk.com/id1"}, "text": f"Яма № {n} на ул. Красной",
                    "detected_at": "2026-12-01T10:00:00+03:00"}
            for kind, send in (
                ("api-in", lambda b=body: client.post("/api/v1/incidents", json=b, headers=api)),
                ("api-list", lambda: client.get("/api/v1/incidents", params={"limit": 5}, headers=api)),
                # A session cookie makes the page read the database before anything else.
                ("page", lambda: client.get("/incidents/", headers={"Cookie": "sessionid=nosuchsession"})),
            ):
                try:
                    r = send()
                except httpx.TransportError as exc:
                    hits.append(Hit(time.monotonic(), kind, 0, repr(exc), None))
                    continue
                hits.append(Hit(time.monotonic(), kind, r.status_code, r.text[:2000], r.headers.get("Retry-After")))
                if kind == "api-in" and r.status_code in (200, 201):
                    acknowledged.add(external_id)
                    n += 1  # else the same external_id again: a retry must not duplicate


def test_postgres_restart_under_load_503_in_russian_then_recovery(
        pg_env: dict[str, str], cluster: Cluster, procs: Callable[..., Proc]) -> None:
    demo_load()
    _, token = ApiKey.issue(municipality=Municipality.objects.get(slug="plastunovskoe"), name="нагрузка")
    _copy_database(cluster)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**pg_env, "DATABASE_URL": cluster.url}
    server = procs("serve", f"127.0.0.1:{port}", "--processes", "2", "--threads", "4", "--no-collectstatic",
                   env=env, name="serve")

    def up() -> bool:
        try:
            return httpx.get(f"{base}/login/", timeout=2).status_code == 200
        except httpx.TransportError:
            return False

    wait_for(up, 90, f"otklik serve ответил 200\n{server.output()[-2000:]}", every=0.5)

    hits: list[Hit] = []
    acknowledged: set[str] = set()
    stop = threading.Event()
    users = [threading.Thread(target=_load, args=(base, token, stop, hits, acknowledged, i), daemon=True)
             for i in range(THREADS)]
    for user in users:
        user.start()
    time.sleep(2)
    restart_began = time.monotonic()
    cluster.ctl("-m", "fast", "restart")
    restarted = time.monotonic()
    time.sleep(5)
    stop.set()
    for user in users:
        user.join(40)

    statuses = {h.status for h in hits}
    assert statuses <= {200, 201, 302, 503}, [h for h in hits if h.status not in (200, 201, 302, 503)][:3]
    outage = [h for h in hits if h.status == 503]
    assert outage, f"перезапуск не задел ни одного запроса ({len(hits)} запросов)"
    for hit in outage:
        assert hit.retry_after == "10"
        if hit.kind == "page":
            assert "Сервис временно недоступен" in hit.body and MESSAGE in hit.body
        else:
            assert hit.body == f'{{"detail": "{MESSAGE}"}}'
    assert all(h.at >= restart_began - 1 for h in outage)  # nothing failed before the restart
    # Recovered by itself: every kind of request succeeds again within seconds of the restart.
    for kind in ("api-in", "api-list", "page"):
        later = [h for h in hits if h.kind == kind and h.at > restarted + 3]
        assert later and all(h.status in (200, 201, 302) for h in later), (kind, later[:3])

    # No half-written incident: each one acknowledged is there once, with its history and steps;
    # nothing else is there.
    with psycopg.connect(cluster.url) as db:
        rows = db.execute(
            "SELECT i.external_id, "
            "(SELECT count(*) FROM incidents_incidentevent e WHERE e.incident_id = i.id), "
            "(SELECT count(*) FROM incidents_incidentstep s WHERE s.incident_id = i.id) "
            "FROM incidents_incident i WHERE i.external_id LIKE 'load-%'").fetchall()
    stored = {external_id: (events, steps) for external_id, events, steps in rows}
    assert len(stored) == len(rows)
    assert acknowledged <= set(stored)
    # Beyond those, only a user's last hand-in may be stored unacknowledged: committed, then its
    # answer lost to the restart, and the user stopped before the retry that would say 200.
    pending = {f"load-{w}-{sum(1 for a in acknowledged if a.startswith(f'load-{w}-'))}" for w in range(THREADS)}
    assert set(stored) - acknowledged <= pending
    assert all(events >= 1 and steps >= 2 for events, steps in stored.values()), stored
    sys_report(len(hits), len(outage), len(acknowledged), restarted - restart_began)


def sys_report(requests: int, outage: int, incidents: int, restart_seconds: float) -> None:
    print(f"\n{requests} запросов, 503 во время перезапуска: {outage}, сообщений принято: {incidents}, "
          f"перезапуск PostgreSQL {restart_seconds:.1f} с")
