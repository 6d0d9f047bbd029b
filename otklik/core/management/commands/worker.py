"""`otklik worker`: the background worker — the task queue and the periodic ticks."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.management import BaseCommand, CommandParser, call_command
from django.db import InterfaceError, OperationalError, close_old_connections

from otklik.core.periodic import run_due_jobs

DB_RETRY_SECONDS = 2.0


def _ticker(stop: threading.Event, every: float) -> None:
    while not stop.is_set():
        try:
            close_old_connections()
            run_due_jobs()
        except Exception:  # the ticker must outlive a database hiccup
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
        from otklik.mailin.receivers import receiver_start

        stop = threading.Event()
        thread = threading.Thread(target=_ticker, args=(stop, options["tick"]), daemon=True)
        thread.start()
        mail_in = receiver_start()  # EMAIL_IN_URL set: replies and hand-ins by e-mail
        try:
            while True:
                try:
                    call_command("db_worker", interval=options["interval"], verbosity=options["verbosity"])
                    return
                except (OperationalError, InterfaceError):
                    # db_worker gives up when the database goes away (a restart, a fail-over);
                    # the worker waits for it instead. A task cut off mid-way is redone by the
                    # outboxes' sweeps, which is why every task is safe to run twice.
                    logging.getLogger(__name__).warning("database unavailable; the queue resumes in %s s",
                                                        DB_RETRY_SECONDS, exc_info=True)
                    close_old_connections()
                    time.sleep(DB_RETRY_SECONDS)
        finally:
            stop.set()
            if mail_in is not None:
                mail_in.stop()
            time.sleep(0)
