"""`otklik worktime …`: deadlines in working time from the command line (otklik.worktime.cli),
with `--municipality SLUG` resolved from the database, and `worktime import FILE` to load a
year of the production calendar in the xmlcalendar format."""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.core.management import BaseCommand, CommandError, CommandParser

from otklik.org.calendars import production_calendar, work_calendar_for
from otklik.org.models import CalendarChange, CalendarYearData, Municipality
from otklik.worktime import (
    DayKind,
    ProductionCalendar,
    WorkCalendar,
    YearCalendar,
    dump_year,
    federal_calendar,
    parse_xmlcalendar,
    year_summary,
)
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
        """A federal year (stored, wins over the shipped data), or with --municipality SLUG a
        regional calendar: its differences from the federal one become local changes."""
        slug = None
        if len(args) == 3 and args[1] == "--municipality":
            args, slug = [args[0]], args[2]
        if len(args) != 1:
            raise CommandError("использование: otklik worktime import FILE.xml [--municipality SLUG]")
        path = Path(args[0])
        try:
            year = parse_xmlcalendar(path.read_bytes(), source=f"xmlcalendar: {path.name}")
        except (OSError, ValueError) as exc:
            sys.stderr.write(f"error: {exc}\n")
            sys.exit(2)
        first, last = federal_calendar().first_day.year, production_calendar().last_day.year
        if year.year < first:
            sys.stderr.write(f"error: {year.year} раньше начала производственного календаря "
                             f"({first}): такие годы не считаются\n")
            sys.exit(2)
        if year.year > last + ProductionCalendar.AUTO_EXTENSION_YEARS:
            sys.stderr.write(f"error: {year.year} слишком далеко: календарь продолжается не дальше "
                             f"{last + ProductionCalendar.AUTO_EXTENSION_YEARS} года\n")
            sys.exit(2)
        if slug is not None:
            self._import_local(year, slug, path.name)
            return
        from otklik.incidents.deadlines import deadlines_recompute_everywhere

        CalendarYearData.objects.update_or_create(
            year=year.year, defaults={"source": year.source, "data_toml": dump_year(year)}
        )
        summary = year_summary(production_calendar(), year.year)
        # The imported decree replaces a provisional year: open deadlines in every municipality move.
        moved = deadlines_recompute_everywhere()
        sys.stdout.write(
            f"{year.year}: загружен, {summary.working_days} рабочих дней, {summary.hours_40h_week} ч, "
            f"сроков пересчитано {moved}\n"
        )

    def _import_local(self, year: YearCalendar, slug: str, name: str) -> None:
        from otklik.incidents.deadlines import deadlines_recompute_municipality

        municipality = Municipality.objects.filter(slug=slug).first()
        if municipality is None:
            sys.stderr.write(f"error: муниципальное образование «{slug}» не найдено\n")
            sys.exit(2)
        federal = production_calendar()
        if year.year > federal.last_day.year:
            federal = federal.extended_to(year.year)
        kinds = {DayKind.NON_WORKING: CalendarChange.Kind.NON_WORKING, DayKind.WORKING: CalendarChange.Kind.WORKING,
                 DayKind.SHORTENED: CalendarChange.Kind.SHORTENED}
        changed = 0
        day = date(year.year, 1, 1)
        while day.year == year.year:
            if year.kind_of(day) != federal.kind_of(day):
                CalendarChange.objects.update_or_create(
                    municipality=municipality, day=day,
                    defaults={"kind": kinds[year.kind_of(day)], "note": f"xmlcalendar: {name}"})
                changed += 1
            day += timedelta(days=1)
        moved = deadlines_recompute_municipality(municipality_id=municipality.pk)
        sys.stdout.write(f"{year.year}: {municipality.slug}: местных изменений {changed}, сроков пересчитано {moved}\n")

    def handle(self, *args: Any, **options: Any) -> None:  # pragma: no cover - run_from_argv wins
        raise CommandError("use run_from_argv")
