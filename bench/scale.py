"""Otklik at scale (issue 14): pages and the API against a generated region, through a real server.

PostgreSQL (the default): ``.venv/bin/python bench/scale.py`` generates once, into its own
database (``OTKLIK_SCALE_DATABASE_URL``, default ``postgres://postgres@127.0.0.1:5432/otklik_scale``,
created if missing and kept between runs; ``--fresh`` rebuilds it), a region of 40
municipalities with 1 000 000 incidents (10 % open) by ``otklik demo generate``; starts
``otklik serve`` with 4 processes on it; and prints p50/p95 and size of every page and API
call, and the API intake rate with 4 processes. ``--incidents 50000`` for a quick run.

SQLite: ``.venv/bin/python bench/scale.py --sqlite`` does the same with 5 municipalities and
100 000 incidents in a file under the temp directory (kept; ``--fresh`` rebuilds), against the
SQLite goals (generation under a minute; queue pages under 150 ms and 300 KB).

Goals (PostgreSQL): every page p95 < 100 ms and < 200 KB; intake ≥ 200 a second.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REGION = "scale"
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/otklik_scale"


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sqlite", action="store_true", help="SQLite in a temp file (5 МО, 100 000 сообщений)")
    p.add_argument("--fresh", action="store_true", help="rebuild the database and generate again")
    p.add_argument("--municipalities", type=int, default=None)
    p.add_argument("--incidents", type=int, default=None)
    p.add_argument("--requests", type=int, default=30, help="timed requests per page (after 3 warm-ups)")
    p.add_argument("--processes", type=int, default=4, help="server processes")
    p.add_argument("--threads", type=int, default=4, help="threads per server process (otklik serve's default: 4)")
    p.add_argument("--intake-seconds", type=float, default=15.0, help="how long the intake rate is measured")
    p.add_argument("--intake-clients", type=int, default=16, help="concurrent clients of the intake rate")
    p.add_argument("--port", type=int, default=8765)
    return p.parse_args()


def database_prepare(args: argparse.Namespace) -> str:
    """DATABASE_URL for this run; the database exists (PostgreSQL) and is empty when --fresh."""
    if args.sqlite:
        path = Path(tempfile.gettempdir()) / "otklik-scale.sqlite3"
        if args.fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import dj_database_url
    import psycopg

    url = os.environ.get("OTKLIK_SCALE_DATABASE_URL", PG_DEFAULT)
    cfg = dj_database_url.parse(url)
    admin = psycopg.connect(host=cfg["HOST"] or "127.0.0.1", port=cfg["PORT"] or 5432, user=cfg["USER"] or "postgres",
                            password=cfg["PASSWORD"] or None, dbname="postgres", autocommit=True)
    with admin.cursor() as cur:
        if args.fresh:
            cur.execute(f'DROP DATABASE IF EXISTS "{cfg["NAME"]}" WITH (FORCE)')
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]])
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{cfg["NAME"]}"')
    admin.close()
    return url


def generate(municipalities: int, incidents: int) -> None:
    from django.db import connection

    from otklik.incidents.demo_generate import demo_generate
    from otklik.incidents.models import Incident

    have = Incident.objects.filter(municipality__region__slug=REGION).count()
    # The intake measurement of each run adds a few hundred: up to 1 % more is the same data set.
    if incidents <= have <= incidents * 1.01 + 1000:
        print(f"data: {have} incidents already there (--fresh to generate again)")
        return
    if have:
        sys.exit(f"the database holds {have} incidents of region {REGION!r}, not {incidents}: run with --fresh")

    def progress(done: int, total: int) -> None:
        print(f"  generated {done}/{total}", end="\r", flush=True)

    jobs = os.cpu_count() or 1  # PostgreSQL: municipalities in parallel processes; SQLite: always one
    result = demo_generate(municipalities=municipalities, incidents=incidents, region=REGION, jobs=jobs,
                           progress=progress)
    print(f"generated {result.incidents} incidents ({result.open} open), {result.steps} steps, {result.events} "
          f"history entries in {result.municipalities} municipalities: {result.seconds:.1f} s, "
          f"{result.per_second:,.0f} incidents/s ({result.per_cpu_second:,.0f} per CPU second of this process)")
    began = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(f"ANALYZE: {time.perf_counter() - began:.1f} s")


def calibration() -> str:
    """How busy the machine is now: 100 000 working-time additions, against the 1.66 µs each
    that bench/worktime_bench.py measured on this machine kind when it was quiet (README)."""
    from datetime import datetime

    from otklik.worktime import WorkCalendar, federal_calendar

    wc = WorkCalendar(federal_calendar())
    tz = wc.tz
    rng = random.Random(1)
    starts = [datetime(2024, 1, 1, tzinfo=tz) + timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))
              for _ in range(100_000)]
    began = time.perf_counter()
    wc.add_many(starts, timedelta(hours=8))
    per_add = (time.perf_counter() - began) * 10  # µs per addition
    return (f"calibration: {per_add:.2f} µs per working-time addition (1.66 µs on a quiet machine: "
            f"×{per_add / 1.66:.1f}); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


@dataclass
class Target:
    label: str
    path: Callable[[int], str]
    who: str  # "curator" | "region" | "api"
    goal_ms: float
    goal_kb: float


def sessions() -> dict[str, str]:
    """Session cookies of the first municipality's curator and of the regional curator."""
    from django.conf import settings
    from django.test import Client

    from otklik.org.models import Person

    cookies = {}
    for who, login in (("curator", f"{REGION}-01-curator"), ("region", f"{REGION}-region")):
        client = Client()
        client.force_login(Person.objects.get(user__username=login).user,
                           backend="django.contrib.auth.backends.ModelBackend")
        cookies[who] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return cookies


def api_token() -> str:
    from otklik.api.models import ApiKey
    from otklik.org.models import Municipality

    _, token = ApiKey.issue(municipality=Municipality.objects.get(slug=f"{REGION}-01"), name="bench/scale.py")
    return token


def server_start(args: argparse.Namespace, env: dict[str, str]) -> subprocess.Popen[bytes]:
    import httpx

    proc = subprocess.Popen(
        [sys.executable, "-m", "otklik.core.cli", "serve", f"127.0.0.1:{args.port}", "--processes",
         str(args.processes), "--threads", str(args.threads), "--no-collectstatic"], env=env, cwd=ROOT)
    deadline = time.monotonic() + 300  # a busy machine boots four processes slowly
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{args.port}/login/", timeout=10).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            sys.exit("the server did not start")
        time.sleep(0.5)
    proc.terminate()
    sys.exit("the server did not answer in 300 s")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(args: argparse.Namespace, targets: list[Target], cookies: dict[str, str], token: str) -> bool:
    import httpx

    base = f"http://127.0.0.1:{args.port}"
    clients = {
        "curator": httpx.Client(base_url=base, cookies={"sessionid": cookies["curator"]}, timeout=60),
        "region": httpx.Client(base_url=base, cookies={"sessionid": cookies["region"]}, timeout=60),
        "api": httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60),
    }
    ok = True
    print(f"{'page':<58} {'p50 ms':>7} {'p95 ms':>7} {'KB':>6}  goal")
    for t in targets:
        times, sizes = [], []
        for n in range(3 + args.requests):
            path = t.path(n)
            began = time.perf_counter()
            r = clients[t.who].get(path)
            spent = (time.perf_counter() - began) * 1000
            if r.status_code != 200:
                sys.exit(f"{t.label}: {path} answered {r.status_code}")
            if n >= 3:
                times.append(spent)
                sizes.append(len(r.content) / 1024)
        p50, p95, kb = statistics.median(times), percentile(times, 0.95), max(sizes)
        met = p95 < t.goal_ms and kb < t.goal_kb
        ok &= met
        print(f"{t.label:<58} {p50:7.1f} {p95:7.1f} {kb:6.1f}  {'ok' if met else 'MISSED'} "
              f"(< {t.goal_ms:.0f} ms, < {t.goal_kb:.0f} KB)")
    return ok


def intake_body(n: int, mun: str) -> dict[str, object]:
    from django.utils import timezone

    return {"external_id": f"bench-{time.time_ns()}-{n}", "municipality": mun, "network": "vk",
            "url": f"https://vk.com/wall-1_{n}", "author": {"name": "Житель", "url": ""},
            "text": "На ул. Мира не горит фонарь третий день, дети идут из школы в темноте.",
            "detected_at": (timezone.now() - timedelta(minutes=5)).isoformat(), "topic": "Освещение",
            "location": "ул. Мира"}


def intake(args: argparse.Namespace, token: str, *, rate: bool) -> bool:
    import httpx

    base = f"http://127.0.0.1:{args.port}"
    mun = f"{REGION}-01"
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=headers, timeout=60) as c:
        times = []
        for n in range(3 + args.requests):
            began = time.perf_counter()
            r = c.post("/api/v1/incidents", json=intake_body(n, mun))
            if r.status_code != 201:
                sys.exit(f"intake answered {r.status_code}: {r.text[:300]}")
            if n >= 3:
                times.append((time.perf_counter() - began) * 1000)
    p50, p95 = statistics.median(times), percentile(times, 0.95)
    print(f"{'API intake POST /api/v1/incidents (one client)':<58} {p50:7.1f} {p95:7.1f} {len(r.content) / 1024:6.1f}"
          f"  {'ok' if p95 < 100 else 'MISSED'} (< 100 ms)")
    if not rate:
        return p95 < 100
    if shutil.which("wrk"):
        return intake_rate_wrk(args, token, mun)
    done, failed = [0], [0]
    lock = threading.Lock()
    stop = time.monotonic() + args.intake_seconds

    def client(k: int) -> None:
        with httpx.Client(base_url=base, headers=headers, timeout=60) as c:
            n = 0
            while time.monotonic() < stop:
                n += 1
                r = c.post("/api/v1/incidents", json=intake_body(k * 1_000_000 + n, mun))
                with lock:
                    if r.status_code == 201:
                        done[0] += 1
                    else:
                        failed[0] += 1

    began = time.perf_counter()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(args.intake_clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    per_second = done[0] / (time.perf_counter() - began)
    print(f"API intake rate, {args.processes} server processes, {args.intake_clients} clients "
          f"(Python threads), {args.intake_seconds:.0f} s: {per_second:.0f}/s ({done[0]} created, "
          f"{failed[0]} failed)  {'ok' if per_second >= 200 and not failed[0] else 'MISSED'} (≥ 200/s)")
    return per_second >= 200 and not failed[0]


# wrk's script: a POST with an external_id of its own per request (wrk counts any answer ≥ 400).
WRK_SCRIPT = """
local counter = 0
local nthreads = 0
function setup(thread) nthreads = nthreads + 1; thread:set("tid", nthreads) end
function init(args)
  token, mun, detected = args[1], args[2], args[3]
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. token
end
function request()
  counter = counter + 1
  local body = string.format('{"external_id":"wrk-%s-%d-%d","municipality":"%s","network":"vk",'
    .. '"url":"https://vk.com/wall-1_%d","author":{"name":"Житель","url":""},'
    .. '"text":"На ул. Мира не горит фонарь третий день, дети идут из школы в темноте.",'
    .. '"detected_at":"%s","topic":"Освещение","location":"ул. Мира"}',
    detected, tid, counter, mun, counter, detected)
  return wrk.format(nil, "/api/v1/incidents", nil, body)
end
function done(summary, latency, requests)
  io.write(string.format("WRK %d %d %d %.1f %.1f\\n", summary.requests, summary.errors.status,
    summary.duration, latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""


def cpu_seconds(server_pid: int) -> tuple[float, float]:
    """CPU seconds used so far by the server's processes and by PostgreSQL's (local) processes,
    from /proc: where a hand-in's time goes when the rate is bound by CPU."""
    tick = os.sysconf("SC_CLK_TCK")

    def used(pid: str) -> tuple[str, float]:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            return "", 0.0
        name, fields = stat.split("(", 1)[1].rsplit(")", 1)
        return name, (int(fields.split()[11]) + int(fields.split()[12])) / tick

    try:
        workers = Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split()
    except OSError:
        workers = []
    server = sum(used(pid)[1] for pid in workers)
    postgres = sum(t for name, t in (used(p.name) for p in Path("/proc").iterdir() if p.name.isdigit())
                   if name.startswith("postgres"))
    return server, postgres


def intake_rate_wrk(args: argparse.Namespace, token: str, mun: str) -> bool:
    """The intake rate driven by wrk (C, a few microseconds a request): on two cores a Python
    driver takes a share of the CPU the server needs, so the figure would be the pair's."""
    from django.utils import timezone

    detected = (timezone.now() - timedelta(minutes=5)).isoformat()
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(WRK_SCRIPT)
    cpu_before = cpu_seconds(args.server_pid)
    try:
        out = subprocess.run(
            ["wrk", "-t2", f"-c{args.intake_clients}", f"-d{args.intake_seconds:.0f}s", "-s", f.name,
             f"http://127.0.0.1:{args.port}", "--", token, mun, detected],
            capture_output=True, text=True, check=True, timeout=args.intake_seconds + 60).stdout
    finally:
        os.unlink(f.name)
    cpu_after = cpu_seconds(args.server_pid)
    line = next(x for x in out.splitlines() if x.startswith("WRK "))
    requests, bad_status, micros, p50, p95 = line.split()[1:]
    per_second = int(requests) / (int(micros) / 1e6)
    ok = per_second >= 200 and int(bad_status) == 0
    print(f"API intake rate, {args.processes} server processes × {args.threads} threads, {args.intake_clients} connections (wrk), "
          f"{args.intake_seconds:.0f} s: {per_second:.0f}/s ({requests} requests, {bad_status} not 201; "
          f"p50 {float(p50):.0f} ms, p95 {float(p95):.0f} ms)  {'ok' if ok else 'MISSED'} (≥ 200/s)")
    if int(requests):
        server_ms, postgres_ms = ((after - before) * 1000 / int(requests)
                                  for before, after in zip(cpu_before, cpu_after, strict=True))
        print(f"  CPU per hand-in: server processes {server_ms:.2f} ms, PostgreSQL {postgres_ms:.2f} ms "
              f"(two cores give 2 000 ms a second)")
    return ok


def targets_for(sqlite: bool) -> list[Target]:
    from otklik.incidents.models import CLOSED_STATUSES, Incident

    ids = list(Incident.objects.filter(municipality__slug=f"{REGION}-01").exclude(status__in=CLOSED_STATUSES)
               .values_list("pk", flat=True)[:200])
    ids += list(Incident.objects.filter(municipality__slug=f"{REGION}-01", status="published")
                .values_list("pk", flat=True)[:200])
    random.Random(14).shuffle(ids)
    ms, kb = (150, 300) if sqlite else (100, 200)
    queue = [
        Target("curator: queue /incidents/", lambda n: "/incidents/", "curator", ms, kb),
        Target("curator: queue /incidents/?page=3", lambda n: "/incidents/?page=3", "curator", ms, kb),
        Target("curator: queue /incidents/?q=фонарь", lambda n: "/incidents/?q=фонарь", "curator", ms, kb),
        Target("regional curator: queue /incidents/", lambda n: "/incidents/", "region", ms, kb),
        Target("regional curator: queue /incidents/?page=3", lambda n: "/incidents/?page=3", "region", ms, kb),
        Target("regional curator: queue /incidents/?q=яма", lambda n: "/incidents/?q=яма", "region", ms, kb),
    ]
    more = [
        Target("curator: «Все сообщения» ?status=routed", lambda n: "/incidents/all/?status=routed", "curator",
               100, 200),
        Target("curator: «Все сообщения» ?q=фонарь", lambda n: "/incidents/all/?q=фонарь", "curator", 100, 200),
        Target("regional: «Все сообщения» ?network=vk&importance=high",
               lambda n: "/incidents/all/?network=vk&importance=high", "region", 100, 200),
        Target("regional: «Все сообщения» ?q=контейнеры", lambda n: "/incidents/all/?q=контейнеры", "region",
               100, 200),
        Target("regional: «Все сообщения» page 20", lambda n: "/incidents/all/?page=20", "region", 100, 200),
        Target("curator: incident page /incidents/<id>/", lambda n: f"/incidents/{ids[n % len(ids)]}/", "curator",
               100, 200),
        Target("API list GET /api/v1/incidents?limit=50", lambda n: "/api/v1/incidents?limit=50", "api", 100, 200),
        Target("API list ?status=routed&offset=100", lambda n: "/api/v1/incidents?status=routed&limit=50&offset=100",
               "api", 100, 200),
        Target("API incident GET /api/v1/incidents/<id>", lambda n: f"/api/v1/incidents/{ids[n % len(ids)]}", "api",
               100, 200),
    ]
    return queue + more


def main() -> None:
    args = parse()
    municipalities = args.municipalities or (5 if args.sqlite else 40)
    incidents = args.incidents if args.incidents is not None else (100_000 if args.sqlite else 1_000_000)
    url = database_prepare(args)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.core.management import call_command

    print(f"database: {url.split('@')[-1]}; {municipalities} municipalities, {incidents} incidents; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    call_command("migrate", verbosity=0, skip_checks=True)
    print(calibration())
    generate(municipalities, incidents)
    cookies, token = sessions(), api_token()
    env = {**os.environ, "OTKLIK_REQUIRE_2FA": "0", "OTKLIK_AXES_FAILURE_LIMIT": "1000"}
    proc = server_start(args, env)
    args.server_pid = proc.pid  # `otklik serve` execs gunicorn: this pid is the master
    try:
        ok = measure(args, targets_for(args.sqlite), cookies, token)
        ok &= intake(args, token, rate=not args.sqlite)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print(calibration())
    print("all goals met" if ok else "some goals missed")


if __name__ == "__main__":
    main()
