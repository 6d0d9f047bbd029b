"""`otklik demo load`: the demo municipality (idempotent)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import BaseCommand, CommandError, CommandParser

from otklik.org.demo import DEMO_PASSWORD, demo_load, demo_logins


class Command(BaseCommand):
    help = "Демо-данные: `demo load` — создать демо-поселение (если его нет), `demo logins` — входы."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["load", "logins"])
        parser.add_argument("--force", action="store_true", help="разрешить в боевом профиле")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load":
            if settings.PRODUCTION and not options["force"]:
                raise CommandError("Демо-данные не загружаются в боевом профиле (OTKLIK_PRODUCTION=1).")
            created = demo_load()
            self.stdout.write("Демо-поселение создано." if created else "Демо-поселение уже есть.")
        else:
            self.stdout.write(f"Демо-входы (пароль у всех: {DEMO_PASSWORD}):")
            for login, roles in demo_logins():
                self.stdout.write(f"  {login:<10} — {roles}")
