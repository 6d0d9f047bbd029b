"""Periodic work run by the worker, once per tick however many workers run.

Each worker tries to move the job's `Ticker.last_run` forward with a conditional UPDATE; the
database lets exactly one of them win, and only the winner enqueues the job.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from otklik.core.models import Ticker

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: timedelta
    run: Callable[[], object]  # enqueues a task (or does short work itself)


REGISTRY: dict[str, PeriodicJob] = {}


def periodic(name: str, every: timedelta) -> Callable[[Callable[[], object]], Callable[[], object]]:
    def register(func: Callable[[], object]) -> Callable[[], object]:
        REGISTRY[name] = PeriodicJob(name=name, every=every, run=func)
        return func

    return register


def tick_claim(job: PeriodicJob) -> bool:
    """True for exactly one caller per period across all workers."""
    Ticker.objects.get_or_create(name=job.name)
    if connection.vendor == "postgresql":
        # The moment is the database's clock when the row is written (after any wait for a
        # concurrent writer's lock), not one taken before: a claim delayed past a reset of the
        # ticker must not store a moment from before that reset.
        table = connection.ops.quote_name(Ticker._meta.db_table)
        with connection.cursor() as cur:
            cur.execute(
                f"UPDATE {table} SET last_run = clock_timestamp() WHERE name = %s"  # noqa: S608  (constant)
                " AND (last_run IS NULL OR last_run <= clock_timestamp() - make_interval(secs => %s)) RETURNING last_run",
                [job.name, job.every.total_seconds()])
            row = cur.fetchone()
        claimed_at = row[0] if row else None
    else:  # SQLite has one writer at a time: the moment taken just before is the moment written
        now = timezone.now()
        done = Ticker.objects.filter(
            Q(last_run__isnull=True) | Q(last_run__lte=now - job.every), name=job.name
        ).update(last_run=now)
        claimed_at = now if done == 1 else None
    if claimed_at is not None:
        # One line per run, with the stored moment and when the UPDATE had returned: the fault
        # tests count runs per tick from them.
        log.debug("periodic job %s claimed at %s written by %s", job.name, claimed_at.isoformat(),
                  timezone.now().isoformat())
    return claimed_at is not None


def run_due_jobs() -> list[str]:
    ran: list[str] = []
    for job in list(REGISTRY.values()):
        if tick_claim(job):
            try:
                job.run()
            except Exception:
                log.exception("periodic job %s failed", job.name)
            ran.append(job.name)
    return ran
