"""`otklik restore FILE [--replace-anchors] [--other-keys]`: a backup into an empty database.

Stop the web server and the worker first. Everything is checked before anything is written;
a foreign, corrupt or newer file, a database or media folder that is not empty, or keys that
do not open the backup are refused with a Russian message and exit 1.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management import BaseCommand, CommandError, CommandParser

from otklik.backups.archive import BackupError
from otklik.backups.databases import database_describe
from otklik.backups.services import backup_restore


class Command(BaseCommand):
    help = "Восстановление из резервной копии в пустую базу (веб-сервер и обработчик остановлены)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="файл копии, сделанный «otklik backup»")
        parser.add_argument("--replace-anchors", action="store_true",
                            help="заменить расходящийся файл заверенных копий истории (прежний сохраняется рядом)")
        parser.add_argument("--other-keys", action="store_true",
                            help="восстановить, хотя ключей копии здесь нет (ключи утеряны)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup_restore(path=Path(options["file"]), replace_anchors=options["replace_anchors"],
                                    other_keys=options["other_keys"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        m, c = result.manifest, result.counts
        self.stdout.write(
            f"Восстановлено в {database_describe()} из копии от {m.get('created_at')} (Отклик {m.get('app_version')}): "
            f"сообщений {c.get('incidents_incident', 0)}, этапов {c.get('incidents_incidentstep', 0)}, "
            f"записей истории {c.get('incidents_incidentevent', 0)}, файлов {result.media_files}; "
            f"все {len(c)} таблиц сверены с описанием копии.")
        for moved in result.set_aside:
            self.stdout.write(f"Прежний файл сохранён как {moved}.")
        if result.pending_migrations:
            self.stdout.write("Копия сделана более старой версией: выполните «otklik migrate» "
                              f"(изменений базы: {result.pending_migrations}).")
        self.stdout.write(f"Проверка истории: записей {result.events_checked}, нарушений "
                          f"{len(result.history_problems)}.")
        if result.history_problems:
            for line in result.history_problems[:20]:
                self.stdout.write(line)
            self.stderr.write("История не прошла проверку: ключ подписи или заверенные копии не те, что у копии.")
            sys.exit(1)
