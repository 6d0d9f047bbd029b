"""`otklik history verify`: recompute every incident's hash chain and report tampering."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management import BaseCommand, CommandParser

from otklik.incidents.history import history_verify


class Command(BaseCommand):
    help = "Проверка целостности истории инцидентов (цепочка хешей)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])
        parser.add_argument("--incident", type=int, action="append")

    def handle(self, *args: Any, **options: Any) -> None:
        checked, problems = history_verify(options["incident"])
        for p in problems:
            self.stdout.write(f"инцидент № {p.incident_id}, запись {p.seq}: {p.problem}")
        self.stdout.write(f"проверено записей: {checked}, нарушений: {len(problems)}")
        if problems:
            sys.exit(1)
