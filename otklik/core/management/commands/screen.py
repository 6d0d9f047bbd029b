"""`otklik screen`: JSON lines of incoming messages in, screening out (otklik.texts.screen_cli)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management import BaseCommand


class Command(BaseCommand):
    help = "Проверка входящих сообщений: п. 21, спам, повышенная важность, тема, адреса."

    def handle(self, *args: Any, **options: Any) -> None:
        from otklik.texts.screen_cli import main

        sys.exit(main(sys.stdin, sys.stdout))
