"""Periodic work of the pages, run by the worker."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from otklik.core.periodic import periodic


@task()
def check_pages_health() -> int:
    """Ask every network about every page with a token (Прил. 1 п. 8); slow calls, so a task."""
    from otklik.pages.health import pages_health_daily

    return pages_health_daily()


@periodic("pages-health", every=timedelta(hours=24))
def pages_health() -> None:
    check_pages_health.enqueue()


@periodic("pages-departures", every=timedelta(hours=6))
def pages_departures() -> None:
    from otklik.pages.vault import departures_sweep

    departures_sweep()
