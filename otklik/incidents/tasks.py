"""Periodic work of the workflow, run by the worker."""

from __future__ import annotations

from datetime import timedelta

from otklik.core.periodic import periodic
from otklik.incidents.monitor import deadlines_monitor


@periodic("deadline-monitor", every=timedelta(seconds=30))
def monitor() -> None:
    deadlines_monitor()
