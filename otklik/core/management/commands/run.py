"""`otklik run`: the web server and the worker together; Ctrl-C stops both."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management import BaseCommand, CommandParser

from otklik.channels.sandbox.demo_world import sandbox_env


class Command(BaseCommand):
    help = "Запускает веб-приложение и фоновый обработчик вместе (Ctrl-C останавливает оба)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--sandbox", nargs="?", const="127.0.0.1:8001", default=None, metavar="ADDR:PORT",
                            help="запустить и песочницу соцсетей; сети Отклика смотрят в неё")

    def handle(self, *args: Any, **options: Any) -> None:
        exe = [sys.executable, "-m", "otklik.core.cli"]
        env = dict(os.environ)
        procs = []
        if options["sandbox"]:
            # The demo: every network call of the web server and the worker goes to the sandbox.
            env.update({k: v for k, v in sandbox_env(options["sandbox"]).items() if not os.environ.get(k)})
            procs.append(subprocess.Popen([*exe, "sandbox", options["sandbox"]], env=env))  # noqa: S603
            self.stdout.write(f"Песочница соцсетей: http://{options['sandbox']}/")
        procs += [
            subprocess.Popen([*exe, "runserver", options["addrport"], "--noreload"], env=env),  # noqa: S603
            subprocess.Popen([*exe, "worker"], env=env),  # noqa: S603
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
