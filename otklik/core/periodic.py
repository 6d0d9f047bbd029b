"""Periodic work run by the worker, once per tick however many workers run.

Each worker tries to move the job's `Ticker.last_run` forward with a conditional UPDATE; the
database lets exactly one of them win, and only the winner enqueues the job.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

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
    now = timezone.now()
    Ticker.objects.get_or_create(name=job.name)
    claimed = Ticker.objects.filter(
        Q(last_run__isnull=True) | Q(last_run__lte=now - job.every), name=job.name
    ).update(last_run=now)
    if claimed == 1:
        # One line per run, with the claim's moment and when the UPDATE had returned: the fault
        # tests count runs per tick from them (a claim computed before a reset may be written
        # after it, so the moment alone cannot tell which tick it belongs to).
        log.debug("periodic job %s claimed at %s written by %s", job.name, now.isoformat(),
                  timezone.now().isoformat())
    return claimed == 1


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
