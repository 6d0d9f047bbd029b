"""`otklik check-answer`: JSON lines in, findings out (otklik.texts.answers_cli)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management import BaseCommand, CommandParser

from otklik.org.lexicon import municipality_words


class Command(BaseCommand):
    help = "Проверка проектов ответов: JSON-строки на входе, замечания на выходе."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", help="слова МО (улицы, подразделения, люди) не считать ошибками")

    def handle(self, *args: Any, **options: Any) -> None:
        from otklik.texts.answers_cli import main

        words = municipality_words(options["municipality"]) if options["municipality"] else ()
        sys.exit(main(sys.stdin, sys.stdout, known_words=words))
