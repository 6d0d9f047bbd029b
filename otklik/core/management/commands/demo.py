"""`otklik demo load`: the demo municipality (idempotent)."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management import BaseCommand, CommandError, CommandParser

from otklik.incidents.demo import demo_feed_one, demo_incidents_load
from otklik.org.demo import DEMO_PASSWORD, demo_load, demo_logins


class Command(BaseCommand):
    help = "Демо-данные: `demo load` — создать демо-поселение (если его нет), `demo logins` — входы."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["load", "logins", "feed", "generate"])
        parser.add_argument("--every", type=float, default=60.0, help="секунд между сообщениями (feed)")
        parser.add_argument("--count", type=int, default=0, help="сколько сообщений (0 — пока не остановят)")
        parser.add_argument("--force", action="store_true", help="разрешить в боевом профиле")
        parser.add_argument("--municipalities", type=int, default=5, help="сколько МО создать (generate)")
        parser.add_argument("--incidents", type=int, default=10_000, help="сколько сообщений (generate)")
        parser.add_argument("--region", default="gen", help="код региона набора (generate)")
        parser.add_argument("--seed", type=int, default=14, help="зерно случайных чисел (generate)")
        parser.add_argument("--jobs", type=int, default=0,
                            help="процессов генерации (generate; 0 — по числу ядер): на PostgreSQL каждый пишет "
                                 "сам, на SQLite пишет один, остальные генерируют")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load":
            if settings.PRODUCTION and not options["force"]:
                raise CommandError("Демо-данные не загружаются в боевом профиле (OTKLIK_PRODUCTION=1).")
            created = demo_load()
            incidents = demo_incidents_load()
            from otklik.moderation.demo import demo_moderation_load
            from otklik.posts.demo import demo_posts_load

            demo_posts_load()
            demo_moderation_load()
            self.stdout.write("Демо-поселение создано." if created else "Демо-поселение уже есть.")
            if incidents:
                self.stdout.write(f"Демо-сообщений: {incidents}.")
        elif options["action"] == "generate":
            if settings.PRODUCTION and not options["force"]:
                raise CommandError("Демо-данные не загружаются в боевом профиле (OTKLIK_PRODUCTION=1).")
            self._generate(options)
        elif options["action"] == "feed":
            self._feed(options["every"], options["count"])
        else:
            self.stdout.write(f"Демо-входы (пароль у всех: {DEMO_PASSWORD}):")
            for login, roles in demo_logins():
                self.stdout.write(f"  {login:<10} — {roles}")

    def _generate(self, options: dict[str, Any]) -> None:
        from otklik.incidents.demo_generate import GenerateError, demo_generate

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"  {done} из {total}", ending="\r")
            self.stdout.flush()

        try:
            result = demo_generate(municipalities=options["municipalities"], incidents=options["incidents"],
                                   region=options["region"], seed=options["seed"],
                                   jobs=options["jobs"] or os.cpu_count() or 1, progress=progress)
        except GenerateError as exc:
            raise CommandError(str(exc)) from None
        rate = f"{result.per_second:,.0f}".replace(",", " ")
        per_cpu = f"{result.per_cpu_second:,.0f}".replace(",", " ")
        self.stdout.write(
            f"Создано МО: {result.municipalities}, сообщений: {result.incidents} (открытых {result.open}), "
            f"шагов: {result.steps}, записей истории: {result.events} — за {result.seconds:.1f} с, "
            f"{rate} сообщений в секунду; процессор генератора: {result.cpu_seconds:.1f} с, {per_cpu} сообщений "
            f"в секунду процессора (без процессора СУБД).")
        self.stdout.write(f"Входы: {result.region}-region (региональный куратор), {result.region}-01-curator "
                          f"(муниципальный куратор), {result.region}-01-exec-1 (исполнитель); пароль {DEMO_PASSWORD}.")

    def _feed(self, every: float, count: int) -> None:
        import time

        seq = 0
        try:
            while count == 0 or seq < count:
                seq += 1
                incident = demo_feed_one(seq)
                self.stdout.write(f"Новое сообщение № {incident.pk}: {incident.text[:60]}…")
                if count == 0 or seq < count:
                    time.sleep(every)
        except KeyboardInterrupt:
            self.stdout.write("Остановлено.")
