"""`otklik report monthly --municipality SLUG --month YYYY-MM --format html|docx|xlsx|pdf -o FILE`,
`otklik report monthly --region SLUG --month YYYY-MM --format html|xlsx|docx|pdf -o FILE`.

The п. 23 monthly report of one municipality, or the roll-up of every municipality of a region
(otklik/reports/region.py), written to a file. Every mistake of the caller
(unknown municipality or region, both or neither given, a bad or future month, an unknown format, a file that cannot be written)
ends with a Russian message and exit code 1, never a traceback.
"""

from __future__ import annotations

import errno
import os
import re
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.management import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from otklik.reports.monthly import MonthlyReport
from otklik.reports.region import RegionReport

FORMATS = ("html", "docx", "xlsx", "pdf")
REGION_FORMATS = ("html", "xlsx", "docx", "pdf")
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
WRITE_ERRORS = {
    errno.EACCES: "нет права на запись", errno.EPERM: "нет права на запись", errno.ENOENT: "нет такой папки",
    errno.ENOSPC: "нет места на диске", errno.EROFS: "файловая система только для чтения",
    errno.EISDIR: "это папка", errno.ENOTDIR: "в пути есть файл вместо папки",
}


def renderer(fmt: str) -> Callable[[MonthlyReport], bytes]:
    if fmt == "html":
        from otklik.reports.render.html import render_html

        return lambda r: render_html(r).encode("utf-8")
    if fmt == "docx":
        from otklik.reports.render.docx import render_docx

        return render_docx
    if fmt == "xlsx":
        from otklik.reports.render.xlsx import render_xlsx

        return render_xlsx
    from otklik.reports.render.pdf import render_pdf

    return render_pdf


def region_renderer(fmt: str) -> Callable[[RegionReport], bytes]:
    if fmt == "html":
        from otklik.reports.render.region_html import render_region_html

        return lambda r: render_region_html(r).encode("utf-8")
    if fmt == "xlsx":
        from otklik.reports.render.region_xlsx import render_region_xlsx

        return render_region_xlsx
    if fmt == "docx":
        from otklik.reports.render.region_docx import render_region_docx

        return render_region_docx
    from otklik.reports.render.region_pdf import render_region_pdf

    return render_region_pdf


def parse_month(text: str) -> date:
    m = MONTH.match(text.strip())
    if not m or not 1 <= int(m[2]) <= 12 or int(m[1]) < 2000:
        raise CommandError(f"Неверный месяц «{text}»: укажите год и месяц в виде ГГГГ-ММ, например 2026-10.")
    return date(int(m[1]), int(m[2]), 1)


def check_writable(path: Path) -> None:
    """Before the report is computed: the file can be created (or overwritten) there."""
    if path.is_dir():
        raise CommandError(f"Не удаётся записать отчёт: «{path}» — это папка, укажите имя файла.")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise CommandError(f"Не удаётся записать отчёт: папки «{folder}» нет.")
    if path.exists() and not os.access(path, os.W_OK):
        raise CommandError(f"Не удаётся записать отчёт: нет права на запись в файл «{path}».")
    if not path.exists() and not os.access(folder, os.W_OK | os.X_OK):
        raise CommandError(f"Не удаётся записать отчёт: нет права на запись в папку «{folder}».")


class Command(BaseCommand):
    help = ("Ежемесячная сводная информация по п. 23 Порядка: "
            "otklik report monthly --municipality КОД --month ГГГГ-ММ --format html|docx|xlsx|pdf -o ФАЙЛ; "
            "свод по региону: otklik report monthly --region КОД --month ГГГГ-ММ --format html|xlsx|docx|pdf -o ФАЙЛ")

    def add_arguments(self, parser: CommandParser) -> None:
        # Checked in handle(), not by argparse: its messages are English.
        parser.add_argument("kind", nargs="?", metavar="monthly", help="вид отчёта: monthly — ежемесячный (п. 23)")
        parser.add_argument("--municipality", metavar="КОД", help="код муниципального образования (slug)")
        parser.add_argument("--region", metavar="КОД",
                            help="код региона (slug): сводный отчёт по всем его МО; не вместе с --municipality")
        parser.add_argument("--month", metavar="ГГГГ-ММ", help="отчётный месяц, например 2026-10")
        parser.add_argument("--format", dest="fmt", metavar="html|docx|xlsx|pdf",
                            help="формат файла; по умолчанию — по расширению имени файла")
        parser.add_argument("-o", "--output", metavar="ФАЙЛ", help="куда записать отчёт")

    def execute(self, *args: Any, **options: Any) -> str | None:
        """From the command line: «ошибка: …» in Russian and exit code 1 (Django would print its
        class name, «CommandError: …»). call_command still raises CommandError."""
        try:
            return super().execute(*args, **options)
        except CommandError as e:
            if not getattr(self, "_called_from_command_line", False) or options.get("traceback"):
                raise
            self.stderr.write(f"ошибка: {e}")
            sys.exit(1)

    def handle(self, *args: Any, **options: Any) -> None:
        from otklik.org.models import Municipality

        if options["kind"] != "monthly":
            raise CommandError("Укажите вид отчёта: otklik report monthly …")
        if options["municipality"] and options.get("region"):
            raise CommandError("Укажите что-то одно: --municipality КОД (отчёт МО) или --region КОД "
                               "(сводный отчёт по региону).")
        if options.get("region"):
            self._region(options)
            return
        if not options["municipality"]:
            raise CommandError("Укажите муниципальное образование: --municipality КОД "
                               "(или регион для сводного отчёта: --region КОД).")
        if not options["month"]:
            raise CommandError("Укажите отчётный месяц: --month ГГГГ-ММ.")
        if not options["output"]:
            raise CommandError("Укажите файл для отчёта: -o ФАЙЛ.")
        path = Path(options["output"])
        fmt = (options["fmt"] or path.suffix.removeprefix(".")).lower()
        if fmt not in FORMATS:
            raise CommandError(f"Неизвестный формат «{options['fmt'] or path.suffix}»: "
                               f"укажите --format html, docx, xlsx или pdf.")
        month = parse_month(options["month"])
        municipality = Municipality.objects.filter(slug=options["municipality"]).first()
        if municipality is None:
            known = ", ".join(Municipality.objects.order_by("slug").values_list("slug", flat=True)[:20])
            raise CommandError(f"Муниципальное образование с кодом «{options['municipality']}» не найдено."
                               + (f" Есть: {known}." if known else ""))
        try:
            zone = ZoneInfo(municipality.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            zone = ZoneInfo("Europe/Moscow")
        today = timezone.now().astimezone(zone).date()
        if month > today.replace(day=1):
            raise CommandError(f"Месяц {options['month']} ещё не наступил: отчёт составляется "
                               f"за прошедший или текущий месяц.")
        check_writable(path)

        from otklik.reports.selectors import monthly_report

        report = monthly_report(municipality=municipality, month=month)
        data = renderer(fmt)(report)
        try:
            path.write_bytes(data)
        except OSError as e:
            raise CommandError(f"Не удаётся записать отчёт в «{path}»: {WRITE_ERRORS.get(e.errno or 0, e.strerror)}.") from None
        self.stdout.write(f"{report.title}: {path} ({fmt.upper()}, {len(data)} байт)")

    def _region(self, options: dict[str, Any]) -> None:
        """The roll-up of every municipality of the region."""
        from otklik.org.models import Municipality, Region

        if not options["month"]:
            raise CommandError("Укажите отчётный месяц: --month ГГГГ-ММ.")
        if not options["output"]:
            raise CommandError("Укажите файл для отчёта: -o ФАЙЛ.")
        path = Path(options["output"])
        fmt = (options["fmt"] or path.suffix.removeprefix(".")).lower()
        if fmt not in REGION_FORMATS:
            raise CommandError(f"Сводный отчёт по региону не составляется в формате «{options['fmt'] or path.suffix}»: "
                               f"укажите --format html, xlsx, docx или pdf.")
        month = parse_month(options["month"])
        region = Region.objects.filter(slug=options["region"]).first()
        if region is None:
            known = ", ".join(Region.objects.order_by("slug").values_list("slug", flat=True)[:20])
            raise CommandError(f"Регион с кодом «{options['region']}» не найден."
                               + (f" Есть: {known}." if known else ""))
        zones = list(Municipality.objects.filter(region=region).values_list("time_zone", flat=True))
        # The month has begun in the region when it has begun in its easternmost municipality.
        today = max(timezone.now().astimezone(_zone(z)).date() for z in zones or ["Europe/Moscow"])
        if month > today.replace(day=1):
            raise CommandError(f"Месяц {options['month']} ещё не наступил: отчёт составляется "
                               f"за прошедший или текущий месяц.")
        check_writable(path)

        from otklik.reports.region import region_report

        report = region_report(region=region, month=month)
        data = region_renderer(fmt)(report)
        try:
            path.write_bytes(data)
        except OSError as e:
            raise CommandError(f"Не удаётся записать отчёт в «{path}»: {WRITE_ERRORS.get(e.errno or 0, e.strerror)}.") from None
        self.stdout.write(f"{report.title}: {path} ({fmt.upper()}, {len(data)} байт, "
                          f"муниципальных образований: {len(report.rows)})")


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Europe/Moscow")
