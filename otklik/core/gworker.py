"""gunicorn's threaded worker, taking a new connection only while one of its threads is idle.

gunicorn's own gthread worker accepts every connection it can (up to 1 000), busy or not, and
keeps it for the connection's life. Sixteen kept-alive connections opened at once (an
integration's pool, a proxy's upstream pool, bench/scale.py's wrk) all landed on the one
process that woke first: one process used one core while three sat idle, and the intake rate
stopped at 85–123 a second on two cores (gunicorn issues #3433, #2817). This worker stops
listening while all its threads are busy, so the next connection goes to a process that can
serve it now, and waits in the kernel's queue while every process is busy. Kept-alive
connections stay with the process that took them.

Used by `otklik serve` as ``otklik.core.gworker.ThreadWorker``; it relies on gthread's
`enqueue_req` and `finish_request` (both run on the worker's main thread) and on `run` testing
``nr_conns < worker_connections`` before each wait — gunicorn is pinned, and
otklik/core/tests/test_serve.py checks the spread through a real server.
"""

from __future__ import annotations

from typing import Any

from gunicorn.workers import gthread


class ThreadWorker(gthread.ThreadWorker):  # type: ignore[misc]  # gunicorn has no types
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._busy = 0  # requests handed to the thread pool and not finished yet
        self._connection_cap = 0
        super().__init__(*args, **kwargs)

    @property
    def worker_connections(self) -> int:
        # gthread's loop accepts while nr_conns < worker_connections: with every thread busy the
        # cap is what it holds now, so it stops listening until a request finishes.
        if self._busy >= int(self.cfg.threads):
            return min(int(self.nr_conns), self._connection_cap)
        return self._connection_cap

    @worker_connections.setter
    def worker_connections(self, value: int) -> None:
        self._connection_cap = value

    def enqueue_req(self, conn: Any) -> None:
        self._busy += 1
        super().enqueue_req(conn)

    def finish_request(self, conn: Any, fs: Any) -> None:
        self._busy -= 1
        super().finish_request(conn, fs)
