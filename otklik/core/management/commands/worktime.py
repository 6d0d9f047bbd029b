"""`otklik worktime …`: deadlines in working time from the command line (otklik.worktime.cli),
with `--municipality SLUG` resolved from the database, and `worktime import FILE` to load a
year of the production calendar in the xmlcalendar format."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management import BaseCommand, CommandError, CommandParser

from otklik.org.calendars import work_calendar_for
from otklik.org.models import CalendarYearData, Municipality
from otklik.worktime import WorkCalendar, dump_year, parse_xmlcalendar, year_summary
from otklik.worktime.cli import main as worktime_main


def _resolve(slug: str) -> WorkCalendar:
    municipality = Municipality.objects.filter(slug=slug).first()
    if municipality is None:
        raise LookupError(f"муниципальное образование «{slug}» не найдено")
    return work_calendar_for(municipality)


class Command(BaseCommand):
    help = "Рабочее время: add, between, year, import FILE (xmlcalendar)."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument("args", nargs="*")
        return parser

    def run_from_argv(self, argv: list[str]) -> None:
        # The pure CLI owns its argument grammar; only `import` is Django-side.
        args = argv[2:]
        if args and args[0] == "import":
            self._import(args[1:])
            return
        import django

        django.setup()
        code = worktime_main(args, sys.stdin, sys.stdout, sys.stderr, resolve_municipality=_resolve)
        sys.exit(code)

    def _import(self, args: list[str]) -> None:
        if len(args) != 1:
            raise CommandError("использование: otklik worktime import FILE.xml")
        path = Path(args[0])
        try:
            year = parse_xmlcalendar(path.read_text(encoding="utf-8"), source=f"xmlcalendar: {path.name}")
        except (OSError, ValueError) as exc:
            sys.stderr.write(f"error: {exc}\n")
            sys.exit(2)
        CalendarYearData.objects.update_or_create(
            year=year.year, defaults={"source": year.source, "data_toml": dump_year(year)}
        )
        from otklik.worktime import federal_calendar

        summary = year_summary(federal_calendar().with_years(year), year.year)
        sys.stdout.write(
            f"{year.year}: загружен, {summary.working_days} рабочих дней, {summary.hours_40h_week} ч\n"
        )

    def handle(self, *args: Any, **options: Any) -> None:  # pragma: no cover - run_from_argv wins
        raise CommandError("use run_from_argv")
