"""`otklik screening retrain`: retrain the unit suggestion of every municipality from its routing.
`otklik screening train`: retrain the learned spam, importance and topic with the curators'
corrections into the var directory (the worker does it every six hours when enough were added)."""

from __future__ import annotations

from typing import Any

from django.core.management import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Проверка сообщений: переобучить подсказку подразделения по решениям кураторов (retrain)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["retrain", "train"],
                            help="retrain — переобучить подсказки подразделений всех МО; train — "
                                 "переобучить спам, важность и тему по корпусам и решениям кураторов")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["what"] == "train":
            from otklik.incidents.screening_learned import model_path, screening_model_retrain

            used = screening_model_retrain(force=True)
            if used is None:
                self.stdout.write("Решений кураторов пока нет: работает модель из поставки.")
            else:
                self.stdout.write(f"{model_path()}: обучено с {used} решениями кураторов.")
            return
        from otklik.incidents.screening import MIN_EXAMPLES, topic_models_retrain

        for municipality, examples in topic_models_retrain():
            note = "" if examples >= MIN_EXAMPLES else f" (меньше {MIN_EXAMPLES}: подсказка по правилам)"
            self.stdout.write(f"{municipality.name}: {examples} примеров{note}")
