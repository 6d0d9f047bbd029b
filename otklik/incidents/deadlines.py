"""Steps and their deadlines: opened, closed and recomputed only here, only through worktime.

Every write of a deadline is in this module and happens under the incident's row lock: the
services hold it already; the recomputes after a calendar, schedule or policy change take it
per incident. The final-answer term the region set (п. 18, `Incident.final_timings`) is part
of the incident's own timings and survives every recompute.

Two things are kept here with every deadline so that reading them stays cheap at any scale:
each step's warning moments (`IncidentStep.warn_at`, the moments its shares of working time
run out, and `next_alert_at`, the next of them or the deadline: the monitor reads only the
steps whose `next_alert_at` has passed), and the incident's nearest open deadline
(`Incident.next_due_at`, the sort key of «Все сообщения» and of the API list).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from otklik.incidents.models import NO_DUE, Assignment, Incident, IncidentStep
from otklik.incidents.policy import policy_overrides_at, timing_for, warn_shares_at
from otklik.incidents.steps import WITHIN_TOTAL, StepKind
from otklik.org.calendars import work_calendar_for
from otklik.org.models import Person
from otklik.worktime import OutOfCalendar, WorkCalendar


def _due(wc: WorkCalendar, start: datetime, seconds: int, days: int) -> datetime:
    return wc.add_working_days(start, days) if days else wc.add(start, timedelta(seconds=seconds))


def alert_fields(wc: WorkCalendar, *, started_at: datetime, due_at: datetime, shares: tuple[float, ...],
                 warned: list[float] | None = None, missed: bool = False) -> dict[str, object]:
    """The moments at which `shares` of the step's working time have passed, and the next moment
    the monitor must look at the step (a share not yet warned of, else the deadline; None once
    the miss was told)."""
    total = wc.between(started_at, due_at)
    warn_at = {}
    for share in shares:
        try:
            warn_at[f"{share:g}"] = wc.add(started_at, total * share).isoformat()
        except (OutOfCalendar, ValueError):  # a start outside the calendar: the deadline alone
            continue
    return {"warn_at": warn_at, "next_alert_at": next_alert(warn_at, due_at=due_at, warned=warned or [],
                                                            missed=missed)}


def next_alert(warn_at: dict[str, str], *, due_at: datetime, warned: list[float], missed: bool) -> datetime | None:
    if missed:
        return None
    pending = [datetime.fromisoformat(m) for s, m in warn_at.items() if float(s) not in warned]
    return min([*pending, due_at])


def step_alerts(incident: Incident, wc: WorkCalendar, *, started_at: datetime, due_at: datetime,
                warned: list[float] | None = None, missed: bool = False) -> dict[str, object]:
    shares = warn_shares_at(incident.municipality, started_at)
    return alert_fields(wc, started_at=started_at, due_at=due_at, shares=shares, warned=warned, missed=missed)


def next_due_refresh(incident_id: int) -> None:
    """The incident's nearest open deadline, after its steps changed (one UPDATE)."""
    nearest = (IncidentStep.objects.filter(incident_id=OuterRef("pk"), done_at__isnull=True)
               .order_by("due_at").values("due_at")[:1])
    Incident.objects.filter(pk=incident_id).update(next_due_at=Coalesce(Subquery(nearest), Value(NO_DUE)))


def step_open(*, incident: Incident, kind: str, start: datetime, actor_role: str,
              actor: Person | None = None, assignment: Assignment | None = None,
              overrides: dict[str, list[int | str]] | None = None,
              done_at: datetime | None = None, lower_due: bool = True) -> IncidentStep:
    """Open a step with its deadline. `done_at`: a step taken as it opened (the regional
    curator's hand-over, recorded at intake), written closed in the same INSERT. `lower_due`
    False: the caller sets the incident's `next_due_at` itself (the intake, once for all)."""
    step = step_new(incident=incident, kind=kind, start=start, actor_role=actor_role, actor=actor,
                    assignment=assignment, overrides=overrides, done_at=done_at)
    step.save(force_insert=True)
    if done_at is None and lower_due:
        _next_due_lower(incident, step.due_at)
    return step


def step_new(*, incident: Incident, kind: str, start: datetime, actor_role: str,
             actor: Person | None = None, assignment: Assignment | None = None,
             overrides: dict[str, list[int | str]] | None = None,
             done_at: datetime | None = None) -> IncidentStep:
    """The step `step_open` writes, not yet written: the intake writes its steps in one INSERT
    and sets the incident's `next_due_at` itself."""
    wc = work_calendar_for(incident.municipality)
    if kind in WITHIN_TOTAL:
        due = _total_due(incident)
        seconds, days = max(0, int(wc.between(start, due).total_seconds())), 0
    else:
        policy = _timings(incident, start)
        if overrides:
            policy = {**policy, **overrides}
        timing = timing_for(kind, high=incident.is_high, overrides=policy)
        due = _due(wc, start, timing.seconds, timing.days)
        seconds, days = timing.seconds, timing.days
    alerts = step_alerts(incident, wc, started_at=start, due_at=due)
    if done_at is not None:
        alerts["next_alert_at"] = None  # as steps_close leaves a step it closes
    return IncidentStep(
        incident=incident, municipality_id=incident.municipality_id, kind=kind, assignment=assignment,
        actor_role=actor_role, actor=actor, started_at=start, seconds=seconds, days=days, due_at=due,
        done_at=done_at, **alerts)


def _next_due_lower(incident: Incident, due: datetime) -> None:
    """A new open step: the nearest deadline can only come closer (no subquery needed)."""
    Incident.objects.filter(pk=incident.pk, next_due_at__gt=due).update(next_due_at=due)


def steps_close(*, incident: Incident, kinds: list[str], at: datetime,
                assignment: Assignment | None = None, step: IncidentStep | None = None) -> int:
    qs = IncidentStep.objects.filter(incident=incident, kind__in=kinds, done_at__isnull=True)
    if assignment is not None:
        qs = qs.filter(assignment=assignment)
    if step is not None:
        qs = qs.filter(pk=step.pk)
    closed = qs.update(done_at=at, next_alert_at=None)
    if closed:
        next_due_refresh(incident.pk)
    return closed


def _timings(incident: Incident, start: datetime) -> dict[str, list[int | str]]:
    """The policy in force at `start`, with the incident's own terms (п. 18) on top."""
    return {**policy_overrides_at(incident.municipality, start), **(incident.final_timings or {})}


# The steps whose clock waits while the author is asked to clarify (п. 13): the answer's total
# and the units' parts; the drafts within the total follow it.
PAUSABLE = frozenset({StepKind.ANSWER, StepKind.PART})


def steps_resume(*, incident: Incident, paused_at: datetime, now: datetime) -> timedelta:
    """The author answered: every pausable step not yet due when the wait began gets the waited
    working time added (kept in `extra_seconds`, so recomputes keep it). Returns the pause.
    The caller holds the incident's row lock."""
    wc = work_calendar_for(incident.municipality)
    paused = max(timedelta(0), wc.between(paused_at, now))
    extra = int(paused.total_seconds())
    if extra:
        for step in IncidentStep.objects.filter(incident=incident, kind__in=PAUSABLE, done_at__isnull=True,
                                                due_at__gt=paused_at):
            due = wc.add(step.due_at, paused)
            IncidentStep.objects.filter(pk=step.pk).update(
                extra_seconds=step.extra_seconds + extra, due_at=due,
                **step_alerts(incident, wc, started_at=step.started_at, due_at=due, warned=step.warned_shares,
                              missed=step.missed_notified_at is not None))
        for step in IncidentStep.objects.filter(incident=incident, kind__in=WITHIN_TOTAL, done_at__isnull=True):
            due = _total_due(incident)
            IncidentStep.objects.filter(pk=step.pk).update(
                due_at=due, **step_alerts(incident, wc, started_at=step.started_at, due_at=due,
                                          warned=step.warned_shares, missed=step.missed_notified_at is not None))
        next_due_refresh(incident.pk)
    return paused


def final_answer_set_days(*, incident: Incident, days: int) -> None:
    """п. 18: the region's term of the final answer, kept on the incident and applied to the
    open final-answer step. The caller holds the incident's row lock."""
    timings = {**(incident.final_timings or {}), StepKind.FINAL_ANSWER: [days, "d"]}
    Incident.objects.filter(pk=incident.pk).update(final_timings=timings)
    incident.final_timings = timings
    wc = work_calendar_for(incident.municipality)
    for step in IncidentStep.objects.filter(incident=incident, kind=StepKind.FINAL_ANSWER, done_at__isnull=True):
        due = wc.add_working_days(step.started_at, days)
        IncidentStep.objects.filter(pk=step.pk).update(
            days=days, seconds=0, due_at=due,
            **step_alerts(incident, wc, started_at=step.started_at, due_at=due, warned=step.warned_shares,
                          missed=step.missed_notified_at is not None))
    next_due_refresh(incident.pk)


def _total_due(incident: Incident) -> datetime:
    """The answer deadline of п. 8 (the last one, after an intermediate answer: п. 18)."""
    total = (IncidentStep.objects.filter(incident=incident, kind__in=[StepKind.ANSWER, StepKind.FINAL_ANSWER])
             .order_by("-started_at", "-pk").first())
    if total is None:
        raise ValueError("the incident has no answer deadline")
    return total.due_at


def steps_recompute(*, incident: Incident, now: datetime | None = None) -> int:
    """Recompute open steps not yet due (after a calendar, schedule or importance change).

    A step already overdue keeps its deadline: it was missed at that moment, whatever the
    calendar says now. The caller holds the incident's row lock."""
    now = now or timezone.now()
    wc = work_calendar_for(incident.municipality)
    changed = 0
    within_total = []
    for step in IncidentStep.objects.filter(incident=incident, done_at__isnull=True, due_at__gt=now):
        if step.kind in WITHIN_TOTAL:
            within_total.append(step)
            continue
        timing = timing_for(step.kind, high=incident.is_high, overrides=_timings(incident, step.started_at))
        due = _due(wc, step.started_at, timing.seconds + step.extra_seconds, timing.days)
        alerts = step_alerts(incident, wc, started_at=step.started_at, due_at=due, warned=step.warned_shares,
                             missed=step.missed_notified_at is not None)
        if (due, timing.seconds, timing.days) != (step.due_at, step.seconds, step.days):
            IncidentStep.objects.filter(pk=step.pk).update(due_at=due, seconds=timing.seconds, days=timing.days,
                                                           **alerts)
            changed += 1
        elif (alerts["warn_at"], alerts["next_alert_at"]) != (step.warn_at, step.next_alert_at):
            # The deadline stands but the warning shares of the policy changed.
            IncidentStep.objects.filter(pk=step.pk).update(**alerts)
    for step in within_total:  # after the total has moved
        due = _total_due(incident)
        alerts = step_alerts(incident, wc, started_at=step.started_at, due_at=due, warned=step.warned_shares,
                             missed=step.missed_notified_at is not None)
        if due != step.due_at:
            IncidentStep.objects.filter(pk=step.pk).update(due_at=due, **alerts)
            changed += 1
        elif (alerts["warn_at"], alerts["next_alert_at"]) != (step.warn_at, step.next_alert_at):
            IncidentStep.objects.filter(pk=step.pk).update(**alerts)
    next_due_refresh(incident.pk)
    return changed


@dataclass(frozen=True)
class Countdown:
    """What a person sees on a step: remaining working time, colour, the wall-clock deadline."""

    step: IncidentStep
    remaining: timedelta  # working time; negative when overdue
    share_used: float
    level: str  # ok | amber | red | overdue
    due_local: datetime

    @property
    def text(self) -> str:
        return countdown_text(self)


def countdown(step: IncidentStep, *, now: datetime | None = None, wc: WorkCalendar | None = None) -> Countdown:
    now = now or timezone.now()
    wc = wc or work_calendar_for(step.incident.municipality)
    remaining = wc.between(now, step.due_at)
    total = wc.between(step.started_at, step.due_at).total_seconds() or 1.0
    used = 1.0 - remaining.total_seconds() / total
    if now >= step.due_at:
        level = "overdue"
    elif used >= 0.8:
        level = "red"
    elif used >= 0.5:
        level = "amber"
    else:
        level = "ok"
    return Countdown(step=step, remaining=remaining, share_used=used, level=level,
                     due_local=step.due_at.astimezone(wc.tz))


WEEKDAYS = ["пн", "вт", "ср", "чт", "пт", "сб", "вс"]


def duration_text(delta: timedelta) -> str:
    minutes = int(abs(delta.total_seconds()) // 60)
    hours, mins = divmod(minutes, 60)
    if hours and mins:
        return f"{hours} ч {mins} мин"
    if hours:
        return f"{hours} ч"
    return f"{mins} мин"


def countdown_text(c: Countdown) -> str:
    when = f"{c.due_local:%H:%M}, {WEEKDAYS[c.due_local.weekday()]} {c.due_local:%d.%m}"
    if c.level == "overdue":
        return f"просрочено на {duration_text(c.remaining)} рабочего времени — срок был {when}"
    return f"осталось {duration_text(c.remaining)} рабочего времени — до {when}"


def deadlines_recompute_municipality(*, municipality_id: int, now: datetime | None = None) -> int:
    """After a change of the calendar or schedule: move the deadlines of steps not yet due,
    each incident under its row lock (a person acting on it at that moment waits)."""
    now = now or timezone.now()
    changed = 0
    ids = list(Incident.objects.filter(municipality_id=municipality_id, steps__done_at__isnull=True)
               .values_list("pk", flat=True).distinct())
    for pk in ids:
        with transaction.atomic():
            incident = Incident.objects.select_for_update().select_related("municipality").get(pk=pk)
            changed += steps_recompute(incident=incident, now=now)
    return changed


def deadlines_recompute_everywhere(*, now: datetime | None = None) -> int:
    """After a federal calendar year is imported: every municipality's open deadlines."""
    from otklik.org.models import Municipality

    return sum(deadlines_recompute_municipality(municipality_id=pk, now=now)
               for pk in Municipality.objects.values_list("pk", flat=True))
