"""`otklik data erase|export|sweep`: personal data on a person's request (152-ФЗ ст. 14, 21).

erase  — erase one author's data in a municipality; prints the report to give the person
         (also to -o FILE). Messages still in work are erased by the worker when they close.
export — everything held about one author, as JSON, to -o FILE.json ("-" for standard output).
sweep  — run the retention policy now (the worker runs it daily).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management import BaseCommand, CommandError, CommandParser

from otklik.org.models import Municipality
from otklik.privacy.erasure import author_erase, retention_sweep
from otklik.privacy.errors import PrivacyError
from otklik.privacy.export import author_export
from otklik.privacy.notice import erasure_notice


class Command(BaseCommand):
    help = "Персональные данные: удаление и выгрузка по запросу автора, удаление по сроку хранения."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["erase", "export", "sweep"])
        parser.add_argument("--municipality", help="код МО (slug)")
        parser.add_argument("--author-url", dest="author_url", help="ссылка на профиль автора")
        parser.add_argument("--reason", default="", help="основание: заявление, его дата и входящий номер")
        parser.add_argument("--requested-on", dest="requested_on", help="дата запроса, ГГГГ-ММ-ДД (по умолчанию сегодня)")
        parser.add_argument("-o", "--output", help="файл: JSON выгрузки или текст отчёта об удалении")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "sweep":
            result = retention_sweep()
            for e in result.erasures:
                self.stdout.write(erasure_notice(e))
            self.stdout.write(f"удалений по сроку: {len(result.erasures)}, "
                              f"записей журнала просмотров удалено: {result.access_log_removed}")
            return
        municipality = self._municipality(options["municipality"])
        if not options["author_url"]:
            raise CommandError("Укажите --author-url: ссылку на профиль автора.")
        try:
            if options["action"] == "export":
                self._export(municipality, options)
            else:
                self._erase(municipality, options)
        except PrivacyError as exc:
            raise CommandError(str(exc)) from None

    def _municipality(self, slug: str | None) -> Municipality:
        if not slug:
            raise CommandError("Укажите --municipality: код МО.")
        found = Municipality.objects.filter(slug=slug).first()
        if found is None:
            raise CommandError(f"МО с кодом «{slug}» не найдено.")
        return found

    def _export(self, municipality: Municipality, options: dict[str, Any]) -> None:
        target = options["output"]
        if not target:
            raise CommandError("Укажите -o FILE.json (или -o - для вывода на экран).")
        document = author_export(municipality=municipality, author_url=options["author_url"])
        text = json.dumps(document, ensure_ascii=False, indent=2)
        if target == "-":
            self.stdout.write(text)
            return
        Path(target).write_text(text + "\n", encoding="utf-8")
        self.stdout.write(f"выгружено сообщений: {len(document['messages'])}, "
                          f"комментариев: {len(document['page_comments'])} → {target}")

    def _erase(self, municipality: Municipality, options: dict[str, Any]) -> None:
        requested = None
        if options["requested_on"]:
            try:
                requested = date.fromisoformat(options["requested_on"])
            except ValueError:
                raise CommandError("Дата запроса — в виде ГГГГ-ММ-ДД, например 2026-12-01.") from None
        erasure = author_erase(municipality=municipality, author_url=options["author_url"], reason=options["reason"],
                               requested_on=requested, by_label="Администратор (командная строка)")
        notice = erasure_notice(erasure)
        if options["output"]:
            Path(options["output"]).write_text(notice + "\n", encoding="utf-8")
        self.stdout.write(notice)
