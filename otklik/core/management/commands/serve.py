"""`otklik serve`: the production web server — gunicorn, several processes, static by WhiteNoise.

The process becomes gunicorn's master (exec), so a supervisor (systemd, a container runtime)
signals it directly: TERM stops gracefully, HUP reloads the code, TTIN/TTOU add or remove a
process. Background work is not here: run `otklik worker` beside it (as many as needed).
"""

from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import BaseCommand, CommandError, CommandParser, call_command

SERVE_CONN_MAX_AGE = 300  # seconds a kept connection lives; CONN_MAX_AGE overrides
KEEP_ALIVE = 75  # seconds an idle HTTP connection is kept


def default_processes() -> int:
    """gunicorn's own advice, 2 × cores + 1, unless WEB_CONCURRENCY says otherwise."""
    if value := os.environ.get("WEB_CONCURRENCY"):
        return int(value)
    return 2 * (os.cpu_count() or 1) + 1


class Command(BaseCommand):
    help = ("Рабочий веб-сервер (gunicorn, несколько процессов, статика через WhiteNoise). "
            "Фоновые задачи — отдельно: `otklik worker`.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default=os.environ.get("OTKLIK_BIND", "127.0.0.1:8000"),
                            help="адрес:порт (по умолчанию 127.0.0.1:8000 или OTKLIK_BIND)")
        parser.add_argument("--processes", type=int, default=None,
                            help="число процессов (по умолчанию WEB_CONCURRENCY или 2 × ядра + 1)")
        parser.add_argument("--threads", type=int, default=4, help="потоков в процессе (по умолчанию 4)")
        parser.add_argument("--timeout", type=int, default=60,
                            help="секунд на запрос, после — процесс перезапускается")
        parser.add_argument("--access-log", action="store_true", help="журнал запросов в stdout")
        parser.add_argument("--no-collectstatic", action="store_true",
                            help="не собирать статику перед запуском (WhiteNoise найдёт её в приложениях)")

    def handle(self, *args: Any, **options: Any) -> None:
        processes = default_processes() if options["processes"] is None else options["processes"]
        if processes < 1 or options["threads"] < 1 or options["timeout"] < 1:
            raise CommandError("Число процессов, потоков и секунд должно быть не меньше 1.")
        if not options["no_collectstatic"]:
            # Compressed copies once at start, so no process compresses per request.
            call_command("collectstatic", interactive=False, verbosity=0)
        argv = [
            sys.executable, "-m", "gunicorn", "config.wsgi:application",
            "--bind", options["addrport"],
            "--workers", str(processes),
            # Threads let a process keep answering while one request waits on the database;
            # the worker takes a connection only with a thread free (gworker.py: gunicorn's own
            # gthread piled every kept-alive connection onto one process).
            "--worker-class", "otklik.core.gworker.ThreadWorker", "--threads", str(options["threads"]),
            "--timeout", str(options["timeout"]), "--graceful-timeout", "30",
            # Idle keep-alive connections stay open longer than a proxy's or a client's own idle
            # limit (nginx: 75 s), so neither sends a request on a connection gunicorn is closing
            # (its default of 2 s reset users who paused two seconds between taps: bench/load.py).
            "--keep-alive", str(KEEP_ALIVE),
            # A fresh process now and then bounds any slow leak; jitter keeps them from all
            # restarting together.
            "--max-requests", "2000", "--max-requests-jitter", "200",
            # gunicorn 27's control socket defaults to one path per user: two servers on a
            # host would fight over it.
            "--no-control-socket",
            "--forwarded-allow-ips", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
        ]
        if options["access_log"]:
            argv += ["--access-logfile", "-"]
        self.stdout.write(f"Отклик: http://{options['addrport']}/ — процессов {processes}, "
                          f"потоков в каждом {options['threads']}")
        self.stdout.flush()
        env = dict(os.environ)
        env.setdefault("DJANGO_SETTINGS_MODULE", settings.SETTINGS_MODULE)
        # Each thread keeps its database connection between requests: a new PostgreSQL
        # connection per request (a backend to fork, its caches to warm) halved the intake rate
        # (bench/scale.py). The settings check a kept connection before each request
        # (CONN_HEALTH_CHECKS), so a restarted database costs one failed check, not an error.
        env.setdefault("CONN_MAX_AGE", str(SERVE_CONN_MAX_AGE))
        os.execve(sys.executable, argv, env)  # noqa: S606  (becomes the gunicorn master on purpose)
