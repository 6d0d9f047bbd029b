"""`otklik screening retrain`: retrain the unit suggestion of every municipality from its routing."""

from __future__ import annotations

from typing import Any

from django.core.management import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Проверка сообщений: переобучить подсказку подразделения по решениям кураторов (retrain)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["retrain"], help="retrain — переобучить модели всех МО")

    def handle(self, *args: Any, **options: Any) -> None:
        from otklik.incidents.screening import MIN_EXAMPLES, topic_models_retrain

        for municipality, examples in topic_models_retrain():
            note = "" if examples >= MIN_EXAMPLES else f" (меньше {MIN_EXAMPLES}: подсказка по правилам)"
            self.stdout.write(f"{municipality.name}: {examples} примеров{note}")
