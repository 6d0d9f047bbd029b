"""`otklik backup [-o FILE] [--with-keys]`: one file with the database, media and history anchors.

Runs while the site works (the database is copied as of one moment). Without -o the file goes
into OTKLIK_BACKUP_DIR under a dated name. Exit 1 with a Russian message when it cannot.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from otklik.backups.archive import BackupError
from otklik.backups.services import backup_create, backup_dir, backup_name


class Command(BaseCommand):
    help = "Резервная копия: база данных, файлы (фото и видео), заверенные копии истории — в один файл."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", default=None,
                            help="файл копии (по умолчанию — новый файл в OTKLIK_BACKUP_DIR)")
        parser.add_argument("--with-keys", action="store_true",
                            help="положить в копию и ключи (подписи истории, шифрования доступов); "
                                 "только если ключи больше негде хранить")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["output"]:
            path = Path(options["output"])
        else:
            backup_dir().mkdir(mode=0o700, parents=True, exist_ok=True)
            path = backup_dir() / backup_name(timezone.now())
        try:
            result = backup_create(path=path, with_keys=options["with_keys"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Копия готова: {result.path} ({result.size / 1024 / 1024:.1f} МБ, {result.seconds:.1f} с). "
            f"Сообщений: {result.incidents}, этапов: {result.steps}, записей истории: {result.events}, "
            f"файлов: {result.media_files}.")
        if options["with_keys"]:
            self.stderr.write("В копии лежат ключи: храните её так же бережно, как сами ключи.")
