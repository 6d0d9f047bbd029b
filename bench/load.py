"""Load on loopback: concurrent users working the queue and the intake (issue 14).

Run: ``.venv/bin/python bench/load.py`` — builds its own PostgreSQL database
(``OTKLIK_LOAD_DATABASE_URL``, default ``postgres://postgres@127.0.0.1:5432/otk_faults_load``:
migrated once, the demo loaded), starts ``otklik serve`` and ``otklik worker`` on it, and runs
50 users for 60 s: half are curators signed in who open their queue, «Все сообщения» and an
incident; half are the regional system handing incidents in through the API and reading the
list. Prints per kind of request the count, p50, p95, the slowest and the errors, against the
goals (a page p95 < 100 ms; the API intake ≥ 200 a second).

``--url URL --token TOKEN`` loads a server already running instead (the curator's sign-in is
``curator`` / ``otklik-demo``, as in the demo). ``--users``, ``--seconds``, ``--processes``.
The CI runs a bounded version of the same driver (tests/faults/test_load.py: 50 users, 10 s).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from itertools import count
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PAGE_P95_GOAL_MS = 100.0
INTAKE_GOAL_PER_S = 200.0
PAGES = ("queue", "all", "incident")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
INCIDENT_LINK = re.compile(r'href="/incidents/(\d+)/"')
_ids = count()


@dataclass
class Result:
    seconds: float
    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, elapsed: float, error: str | None) -> None:
        with self.lock:
            if error is None:
                self.timings[kind].append(elapsed)
            else:
                self.errors[kind].append(error)

    def p95_ms(self, kind: str) -> float:
        values = sorted(self.timings.get(kind, []))
        if not values:
            return float("nan")
        return 1000 * values[min(len(values) - 1, int(0.95 * len(values)))]

    def error_count(self) -> int:
        return sum(len(v) for v in self.errors.values())

    def lines(self) -> list[str]:
        out = [f"{'запрос':<12} {'всего':>7} {'в секунду':>10} {'p50, мс':>9} {'p95, мс':>9} {'макс, мс':>9} {'ошибок':>7}"]
        for kind in sorted(set(self.timings) | set(self.errors)):
            values = self.timings.get(kind, [])
            p50 = 1000 * statistics.median(values) if values else float("nan")
            slowest = 1000 * max(values) if values else float("nan")
            out.append(f"{kind:<12} {len(values):>7} {len(values) / self.seconds:>10.1f} {p50:>9.1f} "
                       f"{self.p95_ms(kind):>9.1f} {slowest:>9.1f} {len(self.errors.get(kind, [])):>7}")
        for kind, errors in self.errors.items():
            out.append(f"  {kind}: {errors[0][:200]}")
        return out


def _timed(result: Result, kind: str, call: Callable[[], httpx.Response],
           ok: tuple[int, ...] = (200,)) -> httpx.Response | None:
    started = time.perf_counter()
    try:
        response = call()
    except httpx.HTTPError as exc:
        result.add(kind, 0.0, f"{type(exc).__name__}: {exc}")
        return None
    elapsed = time.perf_counter() - started
    if response.status_code not in ok:
        result.add(kind, elapsed, f"HTTP {response.status_code}: {response.text[:200]}")
        return None
    result.add(kind, elapsed, None)
    return response


def sign_in(client: httpx.Client, login: str, password: str) -> None:
    page = client.get("/login/")
    token = CSRF.search(page.text)
    if token is None:
        raise RuntimeError("на странице входа нет поля CSRF")
    done = client.post("/login/", data={"username": login, "password": password,
                                        "csrfmiddlewaretoken": token.group(1)})
    if done.status_code != 302:
        raise RuntimeError(f"вход не удался: HTTP {done.status_code}")


def curator(base: str, until: float, result: Result, cookies: httpx.Cookies, timeout: float,
            think: float = 0.0) -> None:
    """A curator on the phone: the queue, «Все сообщения», one incident, again; `think` seconds
    of reading after each page on average (0: no pause at all, the harshest load)."""
    with httpx.Client(base_url=base, timeout=timeout, cookies=cookies) as client:
        _pause(think, first=True)
        while time.monotonic() < until:
            queue = _timed(result, "queue", lambda: client.get("/incidents/"))
            _pause(think)
            _timed(result, "all", lambda: client.get("/incidents/all/"))
            _pause(think)
            found = INCIDENT_LINK.findall(queue.text) if queue is not None else []
            if found:
                path = f"/incidents/{found[next(_ids) % len(found)]}/"
                _timed(result, "incident", partial(client.get, path))
                _pause(think)


def _pause(think: float, *, first: bool = False) -> None:
    """A user's pause: uniform in [0.5, 1.5] × `think`; before the first request, anywhere in
    [0, think], so that users do not all tap at the same instant (people do not start in step)."""
    if think > 0:
        time.sleep(random.uniform(0, think) if first else random.uniform(0.5 * think, 1.5 * think))


def regional_system(base: str, until: float, result: Result, token: str, municipality: str,
                    timeout: float, think: float = 0.0) -> None:
    """The regional monitoring: hands incidents in, reads the list (`think`: a pause after each)."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, timeout=timeout, headers=headers) as client:
        _pause(think, first=True)
        while time.monotonic() < until:
            n = next(_ids)
            body: dict[str, object] = {"external_id": f"load-{os.getpid()}-{n}-{time.time_ns()}", "municipality": municipality,
                    "kind": "incident", "importance": "normal", "network": "vk",
                    "url": f"https://vk.com/wall-1_{n}", "author": {"name": "Анна Петрова", "url": "https://vk.com/id1"},
                    "text": f"Не вывозят мусор на ул. Садовой, {n % 90 + 1}: третий день.",
                    "detected_at": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(time.time() - 60))}
            _timed(result, "api-intake", partial(client.post, "/api/v1/incidents", json=body), ok=(201,))
            _pause(think)
            _timed(result, "api-list", lambda: client.get("/api/v1/incidents", params={"limit": 50}))
            _pause(think)


DEMO_PASSWORD = "otklik-demo"  # noqa: S105  (the demo's published sign-in, README)


def run_load(base: str, *, token: str, users: int, seconds: float, login: str = "curator",
             password: str = DEMO_PASSWORD, municipality: str = "plastunovskoe", timeout: float = 30,
             think: float = 0.0) -> Result:
    """`users` threads for `seconds`: every other one a curator, the rest the regional system.

    The curators share one session, signed in before the clock starts: a person signs in once a
    day, and the deliberately slow password hash is not what this measures."""
    result = Result(seconds=seconds)
    with httpx.Client(base_url=base, timeout=60) as client:
        sign_in(client, login, password)
        cookies = client.cookies
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=curator, args=(base, until, result, cookies, timeout, think), daemon=True)
        if i % 2 == 0
        else threading.Thread(target=regional_system, args=(base, until, result, token, municipality, timeout, think),
                              daemon=True)
        for i in range(users)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + timeout + 30)
    return result


def _otklik(*args: str, env: dict[str, str], quiet: bool = False) -> subprocess.Popen[bytes]:
    out = subprocess.DEVNULL if quiet else None
    return subprocess.Popen([sys.executable, "-m", "otklik.core.cli", *args], env=env, cwd=ROOT, stdout=out,
                            stderr=out)


def _own_server(processes: int) -> tuple[str, str, list[subprocess.Popen[bytes]]]:
    url = os.environ.get("OTKLIK_LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/otk_faults_load")
    env = {**os.environ, "DATABASE_URL": url, "OTKLIK_REQUIRE_2FA": "0", "DJANGO_SETTINGS_MODULE": "config.settings"}
    admin = url.rsplit("/", 1)[0] + "/postgres"
    name = url.rsplit("/", 1)[1]
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise SystemExit(f"имя базы «{name}»: только латиница, цифры и _")
    exists = subprocess.run(["psql", admin, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],  # noqa: S608
                            capture_output=True, text=True, check=True).stdout.strip()
    if not exists:
        subprocess.run(["psql", admin, "-qc", f'CREATE DATABASE "{name}"'], check=True)
    for step in (("migrate", "--noinput", "-v0"), ("demo", "load")):
        _otklik(*step, env=env).wait()
    made = subprocess.run([sys.executable, "-m", "otklik.core.cli", "apikey", "create", "--municipality",
                           "plastunovskoe", "--name", "bench/load.py"], env=env, cwd=ROOT, capture_output=True,
                          text=True, check=True)
    token = made.stdout.strip().splitlines()[-1]
    port = 8765
    procs = [_otklik("serve", f"127.0.0.1:{port}", "--processes", str(processes), "--no-collectstatic", env=env),
             _otklik("worker", env=env, quiet=True)]
    base = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            if httpx.get(f"{base}/login/", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    return base, token, procs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="адрес работающего сервера (иначе — свой на PostgreSQL)")
    parser.add_argument("--token", help="ключ API системы мониторинга для --url")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=0.0,
                        help="секунд паузы пользователя после каждого запроса (0 — без пауз, самая тяжёлая нагрузка)")
    parser.add_argument("--processes", type=int, default=4, help="процессов otklik serve (свой сервер)")
    args = parser.parse_args()
    procs: list[subprocess.Popen[bytes]] = []
    if args.url:
        if not args.token:
            parser.error("с --url нужен --token")
        base, token = args.url.rstrip("/"), args.token
    else:
        base, token, procs = _own_server(args.processes)
    try:
        result = run_load(base, token=token, users=args.users, seconds=args.seconds, think=args.think)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(30)
    print(f"{args.users} пользователей, {args.seconds:.0f} с, {base}")
    for line in result.lines():
        print(line)
    pages = [k for k in PAGES if result.timings.get(k)]
    worst = max((result.p95_ms(k) for k in pages), default=float("nan"))
    intake = len(result.timings.get("api-intake", [])) / args.seconds
    print(f"страницы: худший p95 {worst:.1f} мс (цель < {PAGE_P95_GOAL_MS:.0f}); "
          f"приём через API {intake:.1f} в секунду (цель ≥ {INTAKE_GOAL_PER_S:.0f}); ошибок {result.error_count()}")


if __name__ == "__main__":
    main()
