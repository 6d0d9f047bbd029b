"""The regional roll-up of the п. 23 monthly report: every municipality of a region side by side.

`region_report()` counts with the same queries as `monthly_report()` (otklik/reports/selectors.py),
grouped by municipality — a handful of queries per time zone of the region, not a report per
municipality — so every number here is the number of that municipality's own report:

* received, answered, answered_on_time, overdue, closed_no_answer (п. 21) — the headline figures;
* answers / first_pass — the answers whose first draft was decided in the month and, of them, those
  approved the first time (the sums of the report's units: first_pass_rate = first_pass / answers);
* returns — drafts returned for rework (п. 14) in the month, each return counted once whatever the
  number of its reasons (the monthly report counts reasons).

The region's row sums the municipalities, and its rates are computed from the sums, never averaged.
A rate is None when there is nothing to divide: no answers (on-time rate) or no decided drafts
(first-pass rate). The rankings list the municipalities by rate, highest first, ties broken by name;
a municipality with nothing received is listed last as «нет сообщений», one with messages but no
answers (or no drafts) as «нет ответов» («нет проектов ответов») — neither gets a place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone

from otklik.core.replica import reads_from_replica
from otklik.org.models import Municipality, Region
from otklik.reports.monthly import MonthlyReport
from otklik.reports.selectors import (
    drafts_by_municipality,
    figures_by_municipality,
    month_span,
    notes_of,
)

NO_MESSAGES = "нет сообщений"
NO_ANSWERS = "нет ответов"
NO_DRAFTS = "нет проектов ответов"
TOTAL_LABEL = "Итого по региону"
DEFAULT_ZONE = "Europe/Moscow"
MONTHS = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
          "ноябрь", "декабрь"]


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class RegionRow:
    """One municipality's month (or the region's total: the sums)."""

    municipality: str
    slug: str
    received: int
    answered: int
    answered_on_time: int
    overdue: int
    answers: int  # answers whose first draft was decided in the month
    first_pass: int  # of them, approved the first time
    returns: int  # drafts returned for rework in the month (п. 14)
    closed_no_answer: int  # п. 21

    @property
    def on_time_rate(self) -> float | None:
        return _rate(self.answered_on_time, self.answered)

    @property
    def first_pass_rate(self) -> float | None:
        return _rate(self.first_pass, self.answers)


@dataclass(frozen=True)
class RankItem:
    place: int | None  # None: not ranked (see note)
    municipality: str
    slug: str
    rate: float | None
    part: int  # the rate's numerator and denominator, for the reader to check
    whole: int
    note: str = ""  # «нет сообщений», «нет ответов», «нет проектов ответов»


@dataclass(frozen=True)
class RegionReport:
    region: str
    slug: str
    month: date  # the first day of the month
    generated_at: datetime
    time_zone: str  # the zone the report's moment is shown in (the municipalities' most common one)
    rows: tuple[RegionRow, ...]  # by name
    total: RegionRow
    by_on_time: tuple[RankItem, ...]
    by_first_pass: tuple[RankItem, ...]
    notes: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return (f"Сводный отчёт о работе с сообщениями в социальных сетях: {self.region}, "
                f"{MONTHS[self.month.month - 1]} {self.month.year} г.")


def name_key(name: str) -> tuple[str, str]:
    """Russian alphabetical order (ё with е), then the exact name."""
    return name.casefold().replace("ё", "е"), name


def rank(rows: Sequence[RegionRow], *, rate: Callable[[RegionRow], float | None],
         part: Callable[[RegionRow], int], whole: Callable[[RegionRow], int], empty: str) -> tuple[RankItem, ...]:
    """Highest rate first, ties by name; then, unranked, the rows without a rate: those with messages
    (`empty`) before those with nothing received (NO_MESSAGES), each by name."""
    ranked = sorted((r for r in rows if r.received and rate(r) is not None),
                    key=lambda r: (-(rate(r) or 0.0), name_key(r.municipality)))
    out = [RankItem(place=i, municipality=r.municipality, slug=r.slug, rate=rate(r), part=part(r), whole=whole(r))
           for i, r in enumerate(ranked, start=1)]
    done = {r.slug for r in ranked}
    rest = sorted((r for r in rows if r.slug not in done), key=lambda r: (not r.received, name_key(r.municipality)))
    out += [RankItem(place=None, municipality=r.municipality, slug=r.slug, rate=None, part=part(r), whole=whole(r),
                     note=empty if r.received else NO_MESSAGES) for r in rest]
    return tuple(out)


def rank_on_time(rows: Sequence[RegionRow]) -> tuple[RankItem, ...]:
    return rank(rows, rate=lambda r: r.on_time_rate, part=lambda r: r.answered_on_time, whole=lambda r: r.answered,
                empty=NO_ANSWERS)


def rank_first_pass(rows: Sequence[RegionRow]) -> tuple[RankItem, ...]:
    return rank(rows, rate=lambda r: r.first_pass_rate, part=lambda r: r.first_pass, whole=lambda r: r.answers,
                empty=NO_DRAFTS)


def totals(rows: Sequence[RegionRow], *, name: str = TOTAL_LABEL, slug: str = "") -> RegionRow:
    return RegionRow(
        municipality=name, slug=slug,
        received=sum(r.received for r in rows), answered=sum(r.answered for r in rows),
        answered_on_time=sum(r.answered_on_time for r in rows), overdue=sum(r.overdue for r in rows),
        answers=sum(r.answers for r in rows), first_pass=sum(r.first_pass for r in rows),
        returns=sum(r.returns for r in rows), closed_no_answer=sum(r.closed_no_answer for r in rows),
    )


def row_of(report: MonthlyReport, returns: int) -> RegionRow:
    """The row of one municipality's own report (the tests hold the roll-up to it)."""
    figures = {f.key: f.value for f in report.headline}
    return RegionRow(
        municipality=report.municipality, slug=report.slug,
        received=figures["received"], answered=figures["answered"],
        answered_on_time=figures["answered_on_time"], overdue=figures["overdue"],
        answers=sum(u.drafts for u in report.units), first_pass=sum(u.first_pass for u in report.units),
        returns=returns, closed_no_answer=figures["closed_no_answer"],
    )


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def _notes(notes: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """A note every municipality shares (the month not ended) once; the others with the municipality."""
    out: list[str] = []
    for name, own in notes.items():
        for note in own:
            text = note if all(note in o for o in notes.values()) else f"{name}: {note}"
            if text not in out:
                out.append(text)
    return tuple(out)


def _rows(municipalities: list[Municipality], month: date, now: datetime
          ) -> tuple[list[RegionRow], dict[str, tuple[str, ...]]]:
    by_zone: dict[str, list[Municipality]] = {}
    for m in municipalities:
        by_zone.setdefault(m.time_zone, []).append(m)
    rows: dict[int, RegionRow] = {}
    notes: dict[str, tuple[str, ...]] = {}
    for zone_name, group in by_zone.items():
        zone = _zone(zone_name)
        span = month_span(month, zone, now)
        ids = [m.pk for m in group]
        figures = figures_by_municipality(ids, span)
        drafts = drafts_by_municipality(ids, span)
        for m in group:
            f, (answers, first_pass, returns) = figures[m.pk], drafts[m.pk]
            rows[m.pk] = RegionRow(
                municipality=m.name, slug=m.slug, received=f["received"], answered=f["answered"],
                answered_on_time=f["answered_on_time"], overdue=f["overdue"], answers=answers, first_pass=first_pass,
                returns=returns, closed_no_answer=f["closed_no_answer"])
            notes[m.name] = tuple(notes_of(span, f, zone))
    return [rows[m.pk] for m in municipalities], {m.name: notes[m.name] for m in municipalities}


@reads_from_replica
def region_report(*, region: Region, month: date, now: datetime | None = None) -> RegionReport:
    """The п. 23 numbers of every municipality of the region for one calendar month, with the totals."""
    now = now or timezone.now()
    month = month.replace(day=1)
    municipalities = sorted(Municipality.objects.filter(region=region), key=lambda m: name_key(m.name))
    rows, notes = _rows(municipalities, month, now)
    zones = [m.time_zone for m in municipalities]
    zone = max(sorted(set(zones)), key=zones.count) if zones else DEFAULT_ZONE
    return RegionReport(
        region=region.name, slug=region.slug, month=month, generated_at=now, time_zone=zone,
        rows=tuple(rows), total=totals(rows), by_on_time=rank_on_time(rows), by_first_pass=rank_first_pass(rows),
        notes=_notes(notes),
    )
