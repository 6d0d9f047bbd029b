"""`otklik run`: the web server and the worker together; Ctrl-C stops both."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Запускает веб-приложение и фоновый обработчик вместе (Ctrl-C останавливает оба)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        exe = [sys.executable, "-m", "otklik.core.cli"]
        procs = [
            subprocess.Popen([*exe, "runserver", options["addrport"], "--noreload"]),  # noqa: S603
            subprocess.Popen([*exe, "worker"]),  # noqa: S603
        ]

        def stop(*_: object) -> None:
            for p in procs:
                if p.poll() is None:
                    p.terminate()

        signal.signal(signal.SIGTERM, stop)
        try:
            while all(p.poll() is None for p in procs):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for p in procs:
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
