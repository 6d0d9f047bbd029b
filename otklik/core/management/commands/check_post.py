"""`otklik check-post`: JSON lines {"text", "network"?} in, the publication-voice findings out (п. 7)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management import BaseCommand, CommandParser

from otklik.org.lexicon import municipality_words


class Command(BaseCommand):
    help = "Проверка текстов публикаций (Прил. 1 п. 7): JSON-строки на входе, замечания на выходе."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", help="слова МО (улицы, подразделения, люди) не считать ошибками")

    def handle(self, *args: Any, **options: Any) -> None:
        from otklik.texts.posts_cli import main

        words = municipality_words(options["municipality"]) if options["municipality"] else ()
        sys.exit(main(sys.stdin, sys.stdout, known_words=words))
