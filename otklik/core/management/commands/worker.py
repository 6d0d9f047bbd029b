"""`otklik worker`: the background worker — the task queue and the periodic ticks."""

from __future__ import annotations

import threading
import time
from typing import Any

from django.core.management import BaseCommand, CommandParser, call_command
from django.db import close_old_connections

from otklik.core.periodic import run_due_jobs


def _ticker(stop: threading.Event, every: float) -> None:
    while not stop.is_set():
        try:
            close_old_connections()
            run_due_jobs()
        except Exception:  # the ticker must outlive a database hiccup
            import logging

            logging.getLogger(__name__).exception("tick failed")
        finally:
            close_old_connections()
        stop.wait(every)


class Command(BaseCommand):
    help = "Фоновый обработчик: очередь задач и периодические проверки сроков."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tick", type=float, default=5.0, help="секунд между проверками")
        parser.add_argument("--interval", type=float, default=1.0, help="опрос очереди, секунд")

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        thread = threading.Thread(target=_ticker, args=(stop, options["tick"]), daemon=True)
        thread.start()
        try:
            call_command("db_worker", interval=options["interval"], verbosity=options["verbosity"])
        finally:
            stop.set()
            time.sleep(0)
