"""The numbers of the monthly report (п. 23): `monthly_report()` fills `MonthlyReport`.

Everything is counted over the calendar month in the municipality's time zone, the half-open
interval [first day 00:00, first day of the next month 00:00). For the month still running the
end is the moment of the report (`now`): nothing is counted that has not happened yet.

Definitions (the renderers and the people reading the report rely on them):

* received — messages (incidents and publications) handed over to the municipality in the
  month (`handed_over_at`); high, publications, by_topic, by_location, by_network are of them.
* answered — messages whose final answer was published in the month (`published_at`; an
  intermediate answer of п. 18 is not a final one). answered_on_time — of them, those whose
  every answer term was met: the total of п. 8 (closed by the first published answer, the
  intermediate one included) and the final answer of п. 18.
* overdue — messages whose answer term (п. 8 or п. 18) was missed in the month: the step
  ended late in the month, or was due in the month and was still open at its end.
* closed_no_answer — closed without an answer under п. 21 in the month (`closed_at`); the
  reasons are in no_answer_by_reason. Messages closed under п. 13 (the author did not answer
  the clarifying question) are counted in a note.
* intermediate — intermediate answers published in the month; final_on_time — of those
  messages, the ones whose final answer is published, and in the term of п. 18, at the
  moment of the report (a final answer still in its term is not counted yet).
* steps — per step kind, the steps that ended in the month (`done_at`) and the steps due in
  the month still open at its end; on time: `done_at <= due_at`; late: the rest (the open ones
  included); worst_late_minutes: the largest lateness in working minutes of the municipality's
  calendar (to the month's end for an open step). The windows of п. 11 (reporting «не наша
  компетенция») and п. 13 (asking the author) are not steps: they come from the history's
  «late» flag of those actions in the month, without minutes.
* returns_by_reason — every return decided in the month (any round, incidents and
  publications alike), each reason of a return counted once.
* first_pass_rate — an «answer» is the series of drafts of one kind (answer / intermediate)
  on one message; it counts in the month its first draft was decided (approved or returned),
  and it passed the first time if that first draft was approved (an approval later voided by
  an edit still counts as approved). first_pass_rate = first-pass answers / answers (0.0 when
  there are none). units: the same per unit of the draft's author (UnitRow.drafts = answers,
  UnitRow.first_pass = first-pass answers), with the returns of the month by reason.
* cadence — per official page, the Monday-based weeks of the month (a week belongs to the
  month of its Thursday, i.e. has at least four days in it) that have ended by the report;
  weeks_below: weeks with fewer published posts than `posts_per_week`; posts: posts in them.
* moderation — `moderation_counts` of the month, only when anything was done.
* overdue items — every late step of the month (as in steps), with its link.

Previous and year_ago are the same computation for the month before and the same month a year
before; None when the municipality had no message handed over before that month's end.
Queries: a fixed number (about thirty) whatever the number of messages — aggregates and one
row per late step, per decided draft and per topic/location/network combination.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, F, Min, Q, QuerySet
from django.utils import timezone

from otklik.channels.networks import Network
from otklik.core.replica import reads_from_replica
from otklik.incidents.models import (
    Draft,
    Importance,
    Incident,
    IncidentEvent,
    IncidentStep,
    Kind,
    NoAnswerReason,
    ReturnReason,
    Status,
)
from otklik.incidents.steps import StepKind
from otklik.moderation.models import ModerationAction
from otklik.moderation.services import moderation_counts
from otklik.org.calendars import work_calendar_for
from otklik.org.models import Municipality
from otklik.org.roles import Role
from otklik.pages.models import OfficialPage
from otklik.posts.cadence import published_in, week_start
from otklik.reports.monthly import (
    CadenceRow,
    Figure,
    MonthlyReport,
    OverdueItem,
    Share,
    StepRow,
    UnitRow,
)
from otklik.worktime import WorkCalendar

TOTAL_TERMS = (StepKind.ANSWER, StepKind.FINAL_ANSWER)  # п. 8 and п. 18: the answer's own terms
EVENT_WINDOWS = {"not_ours": StepKind.NOT_OURS, "ask_clarification": StepKind.CLARIFY}

FIGURE_LABELS: dict[str, str] = {
    "received": "Поступило сообщений",
    "high": "Из них повышенной важности (п. 17)",
    "publications": "Из них публикаций",
    "answered": "Дан ответ",
    "answered_on_time": "Из них в срок (п. 8, 18)",
    "overdue": "Срок ответа нарушен (п. 8, 18)",
    "closed_no_answer": "Закрыто без ответа (п. 21)",
    "intermediate": "Промежуточных ответов (п. 18)",
    "final_on_time": "Из них итоговый ответ в срок (п. 18)",
}
NO_TOPIC, NO_LOCATION, NO_UNIT = "Без темы", "Место не указано", "Без подразделения"
APPROVER_LABELS: dict[str, str] = {Role.GENERAL_HEAD: "Согласование публикации начальником общего отдела"}
MODERATION_LABELS = {"banned": "В чёрный список", "restored": "Восстановлено", "unbanned": "Из чёрного списка",
                     "to_publication": "Передано в работу (публикация)"}


@dataclass(frozen=True)
class Span:
    """A month: [start, end) in local time, and the cut-off (end, or the report's moment)."""

    start: datetime
    end: datetime
    cutoff: datetime


def month_span(month: date, tz: ZoneInfo, now: datetime) -> Span:
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    start = datetime.combine(first, time(0), tzinfo=tz)
    end = datetime.combine(following, time(0), tzinfo=tz)
    return Span(start=start, end=end, cutoff=max(start, min(end, now)))


def _shift(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def link_for(incident_id: int) -> str:
    return f"{settings.OTKLIK_BASE_URL}/incidents/{incident_id}/"


def _minutes(delta: timedelta) -> int:
    return max(0, math.ceil(delta.total_seconds() / 60))


# ---------------------------------------------------------------- steps

def _steps_of_month(municipality_ids: list[int], span: Span) -> QuerySet[IncidentStep]:
    """Steps that ended in the month, or were due in it and still open at its end."""
    ended = Q(done_at__gte=span.start, done_at__lt=span.cutoff)
    open_at_end = Q(due_at__gte=span.start, due_at__lt=span.cutoff) & (
        Q(done_at__isnull=True) | Q(done_at__gte=span.cutoff))
    return IncidentStep.objects.filter(incident__municipality_id__in=municipality_ids).filter(ended | open_at_end)


def _late_q(span: Span) -> Q:
    """Of `_steps_of_month`: late — done after the deadline, or open at the month's end."""
    return Q(done_at__isnull=True) | Q(done_at__gte=span.cutoff) | Q(done_at__gt=F("due_at"))


def _step_label(kind: str, actor_role: str, unit: str | None) -> str:
    if kind == StepKind.APPROVE and actor_role in APPROVER_LABELS:
        return APPROVER_LABELS[actor_role]
    if kind == StepKind.PART and unit:
        return f"Часть ответа от «{unit}» (п. 19)"
    return str(StepKind(kind).label)


def _who(actor: str | None, actor_role: str, unit: str | None) -> str:
    who = actor or (str(Role(actor_role).label) if actor_role in Role.values else actor_role)
    return f"{who} («{unit}»)" if unit else who


def _steps(municipality: Municipality, span: Span, wc: WorkCalendar
           ) -> tuple[tuple[StepRow, ...], tuple[OverdueItem, ...]]:
    qs = _steps_of_month([municipality.pk], span)
    totals = {row["kind"]: row for row in qs.values("kind").annotate(
        total=Count("pk"), late=Count("pk", filter=_late_q(span))).order_by()}
    late_rows = list(qs.filter(_late_q(span)).values(
        "pk", "incident_id", "kind", "actor_role", "actor__full_name", "assignment__unit__name", "due_at",
        "done_at").order_by("due_at", "pk"))
    worst: dict[str, int] = defaultdict(int)
    items: list[OverdueItem] = []
    for s in late_rows:
        done_at: datetime | None = s["done_at"]
        done = done_at is not None and done_at < span.cutoff
        late = _minutes(wc.between(s["due_at"], done_at if done_at is not None and done else span.cutoff))
        worst[s["kind"]] = max(worst[s["kind"]], late)
        unit = s["assignment__unit__name"]
        items.append(OverdueItem(
            incident_id=s["incident_id"], link=link_for(s["incident_id"]),
            step=_step_label(s["kind"], s["actor_role"], unit), who=_who(s["actor__full_name"], s["actor_role"], unit),
            due_at=s["due_at"], late_minutes=late, done=done))
    # п. 11 and п. 13 windows: the history's «late» flag of the action.
    windows: dict[str, Counter[bool]] = defaultdict(Counter)
    for action, payload in IncidentEvent.objects.filter(
            incident__municipality=municipality, action__in=list(EVENT_WINDOWS),
            at__gte=span.start, at__lt=span.cutoff).values_list("action", "payload"):
        windows[EVENT_WINDOWS[action]][bool((payload or {}).get("late"))] += 1
    rows = []
    for kind in StepKind:
        if kind in windows:
            total, late = windows[kind][False] + windows[kind][True], windows[kind][True]
        else:
            total, late = (totals[kind]["total"], totals[kind]["late"]) if kind in totals else (0, 0)
        rows.append(StepRow(kind=str(kind), label=str(kind.label), total=total, on_time=total - late, late=late,
                            worst_late_minutes=worst.get(kind, 0)))
    return tuple(rows), tuple(items)


# ---------------------------------------------------------------- headline

FIGURE_KEYS = (*FIGURE_LABELS, "closed_unclarified")


def figures_by_municipality(municipality_ids: list[int], span: Span) -> dict[int, dict[str, int]]:
    """The headline numbers of one month for each municipality: two grouped aggregate queries
    however many municipalities (the regional roll-up asks for all of a region at once)."""
    def within(field: str) -> Q:
        return Q(**{f"{field}__gte": span.start, f"{field}__lt": span.cutoff})

    # «IN (uncorrelated subquery)» rather than EXISTS: PostgreSQL hashes the late steps once instead of
    # probing the steps per incident (bench/report_region.py: 2.6 s → see README).
    late = Q(done_at__isnull=True) | Q(done_at__gt=F("due_at"))
    steps = IncidentStep.objects.filter(incident__municipality_id__in=municipality_ids).filter(late)
    term_late = Q(pk__in=steps.filter(kind__in=TOTAL_TERMS).values("incident_id"))
    final_late = Q(pk__in=steps.filter(kind=StepKind.FINAL_ANSWER).values("incident_id"))
    received = within("handed_over_at")
    answered = within("published_at") & Q(status=Status.PUBLISHED)
    intermediate = within("intermediate_at")
    closed = within("closed_at")
    rows = (
        Incident.objects.filter(municipality_id__in=municipality_ids)
        .filter(received | answered | intermediate | closed)
        .values("municipality_id")
        .annotate(
            received=Count("pk", filter=received),
            high=Count("pk", filter=received & Q(importance=Importance.HIGH)),
            n_publications=Count("pk", filter=received & Q(kind=Kind.PUBLICATION)),
            answered=Count("pk", filter=answered),
            answered_on_time=Count("pk", filter=answered & ~term_late),
            closed_no_answer=Count("pk", filter=closed & Q(status=Status.CLOSED_NO_ANSWER)),
            closed_unclarified=Count("pk", filter=closed & Q(status=Status.CLOSED_UNCLARIFIED)),
            intermediate=Count("pk", filter=intermediate),
            final_on_time=Count("pk", filter=intermediate & Q(status=Status.PUBLISHED, published_at__lt=span.cutoff)
                                & ~final_late),
        )
        .order_by()
    )
    out = {pk: dict.fromkeys(FIGURE_KEYS, 0) for pk in municipality_ids}
    for row in rows:
        row["publications"] = row.pop("n_publications")  # the model has a `publications` relation
        out[row["municipality_id"]].update({k: int(row[k] or 0) for k in FIGURE_KEYS if k in row})
    overdue = (_steps_of_month(municipality_ids, span).filter(kind__in=TOTAL_TERMS).filter(_late_q(span))
               .values("incident__municipality_id").annotate(n=Count("incident_id", distinct=True)).order_by())
    for row in overdue:
        out[row["incident__municipality_id"]]["overdue"] = int(row["n"])
    return out


def _figures(municipality: Municipality, span: Span) -> dict[str, int]:
    return figures_by_municipality([municipality.pk], span)[municipality.pk]


def _headline(municipality: Municipality, month: date, tz: ZoneInfo, now: datetime
              ) -> tuple[tuple[Figure, ...], dict[str, int]]:
    first = Incident.objects.filter(municipality=municipality).aggregate(t=Min("handed_over_at"))["t"]

    def other(months: int) -> dict[str, int] | None:
        span = month_span(_shift(month, months), tz, now)
        if first is None or first >= span.end:
            return None
        return _figures(municipality, span)

    current = _figures(municipality, month_span(month, tz, now))
    previous, year_ago = other(-1), other(-12)
    figures = tuple(
        Figure(key=key, label=label, value=current[key], previous=previous[key] if previous else None,
               year_ago=year_ago[key] if year_ago else None)
        for key, label in FIGURE_LABELS.items())
    return figures, current


# ---------------------------------------------------------------- drafts, returns, units

def _reasons(counter: Counter[str], *, all_reasons: bool) -> tuple[Share, ...]:
    return tuple(Share(label=str(r.label), count=counter[r.value]) for r in ReturnReason
                 if all_reasons or counter[r.value])


def _decided(municipality_ids: list[int], span: Span) -> QuerySet[Draft]:
    return (Draft.objects.filter(incident__municipality_id__in=municipality_ids, decided_at__gte=span.start,
                                 decided_at__lt=span.cutoff).exclude(decision=Draft.Decision.PENDING))


def _later_rounds(municipality_ids: list[int], span: Span) -> QuerySet[Draft, Any]:
    """The decided drafts of the month that are not the first of their series (an earlier round of the
    same kind on the same message exists) — a join, so PostgreSQL does not probe per draft."""
    return _decided(municipality_ids, span).filter(
        incident__drafts__kind=F("kind"), incident__drafts__round__lt=F("round")).values("pk")


def _drafts(municipality: Municipality, span: Span
            ) -> tuple[tuple[Share, ...], float, tuple[UnitRow, ...]]:
    later = set(_later_rounds([municipality.pk], span).values_list("pk", flat=True))
    decided = ((unit, decision, reasons, pk in later) for pk, unit, decision, reasons in _decided(
        [municipality.pk], span).values_list("pk", "author__unit__name", "decision", "return_reasons"))
    returns: Counter[str] = Counter()
    per_unit: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # answers, first-pass
    unit_returns: dict[str, Counter[str]] = defaultdict(Counter)
    for unit_name, decision, reasons, later_round in decided:
        unit = unit_name or NO_UNIT
        if decision == Draft.Decision.RETURNED:
            codes = {r.get("code") for r in reasons or [] if isinstance(r, dict)}
            for code in codes:
                if code in ReturnReason.values:
                    returns[code] += 1
                    unit_returns[unit][code] += 1
            per_unit.setdefault(unit, [0, 0])  # a row even when only a later round was returned
        if not later_round:
            per_unit[unit][0] += 1
            per_unit[unit][1] += decision != Draft.Decision.RETURNED
    units = tuple(UnitRow(unit=u, drafts=n, first_pass=ok, returns=_reasons(unit_returns[u], all_reasons=False))
                  for u, (n, ok) in sorted(per_unit.items()))
    answers = sum(n for n, _ in per_unit.values())
    rate = sum(ok for _, ok in per_unit.values()) / answers if answers else 0.0
    return _reasons(returns, all_reasons=True), rate, units


def drafts_by_municipality(municipality_ids: list[int], span: Span) -> dict[int, tuple[int, int, int]]:
    """(answers, first-pass answers, returned drafts) of the month per municipality, counted as `_drafts`
    counts them (answers: decided first drafts of a series; returned: every returned draft).

    Two grouped counts — all decided drafts, and the later rounds among them — and the difference:
    each subquery runs once (as a filter inside one aggregate PostgreSQL ran it twice)."""
    returned = Q(decision=Draft.Decision.RETURNED)

    def counts(qs: QuerySet[Draft]) -> dict[int, tuple[int, int]]:
        rows = qs.values("incident__municipality_id").annotate(n=Count("pk"), r=Count("pk", filter=returned))
        return {row["incident__municipality_id"]: (int(row["n"]), int(row["r"])) for row in rows.order_by()}

    decided = counts(_decided(municipality_ids, span))
    later = counts(_decided(municipality_ids, span).filter(pk__in=_later_rounds(municipality_ids, span)))
    out = {}
    for pk in municipality_ids:
        (n, r), (ln, lr) = decided.get(pk, (0, 0)), later.get(pk, (0, 0))
        out[pk] = (n - ln, (n - r) - (ln - lr), r)
    return out


# ---------------------------------------------------------------- received breakdowns

def _shares(counter: Counter[str]) -> tuple[Share, ...]:
    return tuple(Share(label=k, count=v) for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])) if v)


def _breakdowns(municipality: Municipality, span: Span
                ) -> tuple[tuple[Share, ...], tuple[Share, ...], tuple[Share, ...]]:
    rows = (Incident.objects.filter(municipality=municipality, handed_over_at__gte=span.start,
                                    handed_over_at__lt=span.cutoff)
            .values_list("topic", "location", "network").annotate(n=Count("pk")).order_by())
    topics: Counter[str] = Counter()
    places: Counter[str] = Counter()
    networks: Counter[str] = Counter()
    labels = dict(Network.choices)
    for topic, location, network, n in rows:
        topics[topic.strip() or NO_TOPIC] += n
        places[location.strip() or NO_LOCATION] += n
        networks[str(labels.get(network, network))] += n
    return _shares(topics), _shares(places), _shares(networks)


def _no_answer(municipality: Municipality, span: Span) -> tuple[Share, ...]:
    counts = dict(Incident.objects.filter(municipality=municipality, status=Status.CLOSED_NO_ANSWER,
                                          closed_at__gte=span.start, closed_at__lt=span.cutoff)
                  .values_list("no_answer_reason").annotate(n=Count("pk")).order_by())
    return tuple(Share(label=str(r.label), count=counts.get(r.value, 0)) for r in NoAnswerReason)


# ---------------------------------------------------------------- cadence, moderation

def month_weeks(month: date) -> list[date]:
    """The Mondays of the month's weeks: a week is the month's if its Thursday is in it."""
    first = month.replace(day=1)
    monday = week_start(first)
    if (monday + timedelta(days=3)).month != first.month:
        monday += timedelta(days=7)
    out = []
    while (monday + timedelta(days=3)).month == first.month:
        out.append(monday)
        monday += timedelta(days=7)
    return out


def _cadence(municipality: Municipality, month: date, tz: ZoneInfo, now: datetime) -> tuple[CadenceRow, ...]:
    pages = sorted(OfficialPage.objects.filter(municipality=municipality).select_related("unit"),
                   key=lambda p: (p.unit.name if p.unit else "", p.network, p.name, p.pk))
    if not pages:
        return ()
    ids = [p.pk for p in pages]
    weeks = []
    for monday in month_weeks(month):
        start = datetime.combine(monday, time(0), tzinfo=tz)
        end = start + timedelta(days=7)
        if end <= now:
            weeks.append(published_in(ids, start, end))
    need = municipality.posts_per_week
    labels = dict(Network.choices)
    return tuple(CadenceRow(page=p.name, network=str(labels.get(p.network, p.network)), weeks=len(weeks),
                            weeks_below=sum(1 for w in weeks if w.get(p.pk, 0) < need),
                            posts=sum(w.get(p.pk, 0) for w in weeks)) for p in pages)


def _moderation(municipality: Municipality, span: Span) -> tuple[Share, ...]:
    counts: dict[str, Any] = moderation_counts(municipality_id=municipality.pk, start=span.start, end=span.cutoff)
    shares = [Share(label=f"Удалено: {reason}", count=n) for reason, n in sorted(counts["deleted_by_reason"].items())]
    if counts["deleted"] and not shares:
        shares.append(Share(label=str(ModerationAction.Kind.DELETE.label), count=counts["deleted"]))
    shares += [Share(label=label, count=int(counts[key])) for key, label in MODERATION_LABELS.items() if counts[key]]
    return tuple(shares) if any(s.count for s in shares) else ()


# ---------------------------------------------------------------- the report

def notes_of(span: Span, figures: dict[str, int], tz: ZoneInfo) -> Iterable[str]:
    if span.cutoff < span.end:
        yield f"Месяц не закончился: данные на {span.cutoff.astimezone(tz):%d.%m.%Y %H:%M}."
    if figures["closed_unclarified"]:
        yield (f"Закрыто без ответа по п. 13 (автор не ответил на уточняющий вопрос): "
               f"{figures['closed_unclarified']}.")


@reads_from_replica
def monthly_report(*, municipality: Municipality, month: date, now: datetime | None = None) -> MonthlyReport:
    """Every number of the п. 23 report of one municipality for one calendar month."""
    now = now or timezone.now()
    tz = ZoneInfo(municipality.time_zone)
    month = month.replace(day=1)
    span = month_span(month, tz, now)
    wc = work_calendar_for(municipality)
    headline, current = _headline(municipality, month, tz, now)
    steps, overdue = _steps(municipality, span, wc)
    returns, first_pass_rate, units = _drafts(municipality, span)
    by_topic, by_location, by_network = _breakdowns(municipality, span)
    return MonthlyReport(
        municipality=municipality.name, slug=municipality.slug, month=month, generated_at=now,
        time_zone=municipality.time_zone, headline=headline, steps=steps,
        no_answer_by_reason=_no_answer(municipality, span), returns_by_reason=returns,
        first_pass_rate=first_pass_rate, units=units, by_topic=by_topic, by_location=by_location,
        by_network=by_network, intermediate=current["intermediate"], final_on_time=current["final_on_time"],
        cadence=_cadence(municipality, month, tz, now), moderation=_moderation(municipality, span),
        overdue=overdue, notes=tuple(notes_of(span, current, tz)),
    )
