"""Two and four workers at once: every letter goes out exactly once, every periodic job runs
once per tick (issue 14). Real `otklik worker` processes on one PostgreSQL, a real SMTP peer."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from itertools import pairwise

import pytest
from django.utils import timezone

from otklik.core.models import Ticker
from otklik.core.periodic import REGISTRY
from otklik.notifications.models import Notification
from otklik.notifications.services import notify
from otklik.org.demo import demo_load
from otklik.org.models import Municipality
from tests.faults.conftest import WORKER, Proc, SmtpPeer, wait_for

pytestmark = [pytest.mark.faults, pytest.mark.postgres]
LETTERS = 30
ROUNDS = 2
CLAIM = re.compile(r"periodic job (\S+) claimed at (\S+) written by (\S+)")


def _letters(prefix: str, count: int) -> None:
    municipality = Municipality.objects.get(slug="plastunovskoe")
    for i in range(count):
        notify(municipality=municipality, recipients=[], key=f"{prefix}:{i}", subject=f"{prefix} № {i}",
               body="Проверка доставки.", extra_addresses=[f"unit{i}@example.test"])


# The jobs a reset makes due again: the frequent, light ones (sweeps, the monitor); the daily
# ones (backups, integrity, reports) run their first tick only, or each round would take minutes.
LIGHT = sorted(name for name, job in REGISTRY.items() if job.every <= timedelta(minutes=1))


def _all_claimed_since(moment: datetime | None, names: list[str]) -> bool:
    runs = dict(Ticker.objects.values_list("name", "last_run"))
    return all(runs.get(name) is not None and (moment is None or runs[name] > moment) for name in names)


@pytest.mark.parametrize("workers", [2, 4])
def test_every_letter_once_and_every_periodic_job_once_per_tick(
        workers: int, pg_env: dict[str, str], smtp: SmtpPeer, procs: Callable[..., Proc]) -> None:
    demo_load()
    env = {**pg_env, "EMAIL_URL": smtp.url, "OTKLIK_LOG_LEVEL": "DEBUG"}
    running = [procs(*WORKER, env=env, name=f"worker{i}") for i in range(workers)]
    # Round 0: the first tick of every job after the start.
    wait_for(lambda: _all_claimed_since(None, list(REGISTRY)), 90, "первый такт всех периодических задач")

    # The letters are written while every worker polls the queue and sweeps the outbox.
    _letters("Доставка", LETTERS)
    wait_for(lambda: Notification.objects.filter(key__startswith="Доставка:", state="sent").count() == LETTERS,
             60, "все письма отправлены")

    # Each reset makes every job due again: one tick, which exactly one worker must run.
    # A reset is a window (a claim made while it runs may or may not be wiped by it).
    resets: list[tuple[datetime, datetime]] = []
    for _ in range(ROUNDS):
        moment = timezone.now()
        Ticker.objects.filter(name__in=LIGHT).update(last_run=None)
        resets.append((moment, timezone.now()))
        wait_for(lambda m=moment: _all_claimed_since(m, LIGHT), 60, "такт после сброса")
    for proc in running:
        proc.stop()

    received = Counter(s for s in smtp.recorder.subjects if s.startswith("Доставка"))
    assert len(received) == LETTERS and set(received.values()) == {1}, received.most_common(3)

    # Each claim: the moment it stored and the moment its UPDATE had surely been written by.
    claims: dict[str, list[tuple[datetime, datetime]]] = {}
    for proc in running:
        for name, at, written in CLAIM.findall(proc.output()):
            claims.setdefault(name, []).append((datetime.fromisoformat(at), datetime.fromisoformat(written)))
    assert set(REGISTRY) <= set(claims)
    for name, moments in claims.items():
        if name not in REGISTRY:  # registered by a module only the worker imports: period unknown here
            continue
        moments.sort()
        assert len(moments) >= (1 + ROUNDS if name in LIGHT else 1), (name, moments)
        # Two runs of a job are apart by its period, unless a reset (a new tick) came between:
        # one that may have ended after the first claim was computed and begun before the
        # second claim was written (a claim computed before a reset can be written after it).
        for (before, _), (after, after_written) in pairwise(moments):
            new_tick = any(started < after_written and before < ended for started, ended in resets)
            assert new_tick or after - before >= REGISTRY[name].every, (name, before, after)
