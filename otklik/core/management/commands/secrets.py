"""`otklik secrets new-key` / `otklik secrets rotate`: the key that encrypts the pages' tokens.

Rotation: `otklik secrets new-key` prints a key; put it FIRST in OTKLIK_SECRETS_KEY with the
old key after it, run `otklik secrets rotate` (every token re-encrypted under the new key),
then drop the old key.
"""

from __future__ import annotations

from typing import Any

from django.core.management import BaseCommand, CommandError, CommandParser

from otklik.core.vault import VaultError, new_key
from otklik.pages.services import pages_reseal


class Command(BaseCommand):
    help = "Ключ шифрования секретов: создать новый (new-key), перешифровать всё первым ключом (rotate)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["new-key", "rotate"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "new-key":
            self.stdout.write(new_key())
            return
        try:
            count = pages_reseal()
        except VaultError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"перешифровано ключей страниц: {count}")
