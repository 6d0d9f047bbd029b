"""A task for test_abandon: long, abandonable work that a stopping worker must not wait for."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django_tasks import task

from otklik.core.abandon import abandoned_on_stop


@task()
def slow_abandonable(marker: str) -> str:
    Path(marker).write_text("started")
    with abandoned_on_stop("долгая проверочная работа"):
        time.sleep(120)
    return "finished"


@task()
def slow_plain(marker: str) -> str:
    Path(marker).write_text("started")
    time.sleep(3)
    return "finished"


if __name__ == "__main__":  # enqueue one: python -m otklik.core.tests.slowtask KIND MARKER
    import django

    django.setup()
    from otklik.core.tests import slowtask  # by its name: the worker imports the task by its path

    kind, marker = sys.argv[1:3]
    chosen = slowtask.slow_abandonable if kind == "abandonable" else slowtask.slow_plain
    print(chosen.enqueue(marker).id)
