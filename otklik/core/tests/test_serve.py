"""`otklik serve`: gunicorn with several processes, static files by WhiteNoise."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from otklik.core.management.commands.serve import default_processes


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_runs_several_processes_and_serves_static_files(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
           "DJANGO_SETTINGS_MODULE": "config.settings"}
    subprocess.run([sys.executable, "-m", "otklik.core.cli", "migrate", "-v0"], env=env, check=True,
                   cwd=settings.BASE_DIR, timeout=300)
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen([sys.executable, "-m", "otklik.core.cli", "serve", f"127.0.0.1:{port}",
                               "--processes", "2", "--threads", "2", "--no-collectstatic"],
                              env=env, cwd=settings.BASE_DIR, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(180):
            try:
                if httpx.get(f"{base}/login/", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.5)
        login = httpx.get(f"{base}/login/", timeout=10)
        assert login.status_code == 200 and "Вход" in login.text
        css = httpx.get(f"{base}/static/otklik/otklik.css", timeout=10)
        assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
        # The master and its two processes (the exec'd command is the master itself).
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        assert len(children) == 2
        # Connections go to a process with a thread free: of five opened one by one (each holds
        # a thread while gunicorn waits for its request) each process takes two, never more, and
        # the fifth waits in the kernel's queue for a free thread.
        clients = []
        for _ in range(5):
            clients.append(socket.create_connection(("127.0.0.1", port), timeout=5))
            time.sleep(0.4)
        held = _connections_by_process(children, port, [c.getsockname()[1] for c in clients])
        for c in clients:
            c.close()
        assert sorted(held.values()) == [2, 2], held
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
        log.close()
    output = (tmp_path / "serve.log").read_text(errors="replace")
    assert "процессов 2, потоков в каждом 2" in output


def _connections_by_process(pids: list[str], port: int, client_ports: list[int]) -> dict[str, int]:
    """How many of the clients' connections each server process holds (from /proc)."""
    inodes: dict[str, str] = {}  # the server side's socket inode → the client's port
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote, inode = fields[1], fields[2], fields[9]
        if int(local.split(":")[1], 16) == port and int(remote.split(":")[1], 16) in client_ports:
            inodes[inode] = remote
    held = dict.fromkeys(pids, 0)
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            target = os.readlink(fd)
            if target.startswith("socket:[") and target[8:-1] in inodes:
                held[pid] += 1
    return held


def test_serve_refuses_nonsense_counts_in_russian() -> None:
    with pytest.raises(CommandError, match="не меньше 1"):
        call_command("serve", "--processes", "0", "--no-collectstatic")


def test_default_processes_follow_web_concurrency(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert default_processes() == 3
    monkeypatch.delenv("WEB_CONCURRENCY")
    assert default_processes() == 2 * (os.cpu_count() or 1) + 1


def test_serve_keeps_database_connections_and_checks_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """A connection per request halved the intake rate on PostgreSQL: the server keeps them
    (unless CONN_MAX_AGE says otherwise), and kept connections are checked before reuse."""
    from otklik.core.management.commands import serve

    seen: dict[str, str] = {}

    def execve(path: str, argv: list[str], env: dict[str, str]) -> None:
        seen.update(env)

    monkeypatch.setattr(os, "execve", execve)
    monkeypatch.delenv("CONN_MAX_AGE", raising=False)
    call_command("serve", "--no-collectstatic")
    assert seen["CONN_MAX_AGE"] == str(serve.SERVE_CONN_MAX_AGE) and int(seen["CONN_MAX_AGE"]) > 0
    monkeypatch.setenv("CONN_MAX_AGE", "0")
    call_command("serve", "--no-collectstatic")
    assert seen["CONN_MAX_AGE"] == "0"

    from config.settings import _database

    monkeypatch.setenv("CONN_MAX_AGE", "300")
    kept = _database("postgres://u@127.0.0.1:5432/x")
    assert kept["CONN_MAX_AGE"] == 300 and kept["CONN_HEALTH_CHECKS"] is True
    monkeypatch.setenv("CONN_MAX_AGE", "0")
    assert _database("postgres://u@127.0.0.1:5432/x")["CONN_HEALTH_CHECKS"] is False
