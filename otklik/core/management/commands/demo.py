"""`otklik demo load`: the demo municipality (idempotent)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import BaseCommand, CommandError, CommandParser

from otklik.incidents.demo import demo_feed_one, demo_incidents_load
from otklik.org.demo import DEMO_PASSWORD, demo_load, demo_logins


class Command(BaseCommand):
    help = "Демо-данные: `demo load` — создать демо-поселение (если его нет), `demo logins` — входы."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["load", "logins", "feed"])
        parser.add_argument("--every", type=float, default=60.0, help="секунд между сообщениями (feed)")
        parser.add_argument("--count", type=int, default=0, help="сколько сообщений (0 — пока не остановят)")
        parser.add_argument("--force", action="store_true", help="разрешить в боевом профиле")

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
        elif options["action"] == "feed":
            self._feed(options["every"], options["count"])
        else:
            self.stdout.write(f"Демо-входы (пароль у всех: {DEMO_PASSWORD}):")
            for login, roles in demo_logins():
                self.stdout.write(f"  {login:<10} — {roles}")

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
