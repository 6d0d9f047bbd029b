"""One generated incident's life, step by step, as the services would have written it.

`Life` replays the services' effects (incidents/services.py, deadlines.py) without the
database: each action moves the status, opens and closes the steps with deadlines from the
municipality's working calendar, and appends the history entry with the payload the service
writes. `otklik demo generate` (demo_generate.py) turns the result into rows and inserts them
in bulk. A life stops at `now`: what had not happened yet stays undone, so a fresh incident
is as far along as its age allows.

Not replayed: notifications (a generated history must not send two years of letters) and the
answer checks' findings (drafts carry none).
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from otklik.incidents.deadlines import PAUSABLE, duration_text
from otklik.incidents.models import Assignment, Draft, Importance, Kind, Status
from otklik.incidents.policy import StepTiming, timing_for
from otklik.incidents.steps import WITHIN_TOTAL, StepKind
from otklik.org.roles import Role
from otklik.worktime import WorkCalendar

S = Status
ALL = frozenset(str(k) for k in StepKind)


class Stop(Exception):
    """The next action would fall after `now`: the life ends where it is."""


@dataclass(slots=True)
class Staff:
    """The people of one municipality a life needs: ids and the labels history shows."""

    region_curator: tuple[int, str]
    curator: tuple[int, str]
    general_head: tuple[int, str]
    # unit id → (unit name, executor (id, name)); the executor is the unit's first executor.
    units: dict[int, tuple[str, tuple[int, str]]]
    topic_units: dict[str, int]  # topic → unit id


@dataclass(slots=True)
class Step:
    kind: str
    assignment_id: int | None
    actor_role: str
    actor_id: int | None
    started_at: datetime
    seconds: int
    days: int
    due_at: datetime
    done_at: datetime | None = None
    extra_seconds: int = 0


@dataclass(slots=True)
class Event:
    at: datetime
    actor: tuple[int, str] | None
    action: str
    from_status: str
    to_status: str
    payload: dict[str, Any]


@dataclass(slots=True)
class AssignmentRow:
    id: int
    unit_id: int
    executor_id: int
    state: str
    dispatched_at: datetime
    not_ours_comment: str = ""
    part_text: str = ""
    part_at: datetime | None = None


@dataclass(slots=True)
class DraftRow:
    kind: str
    round: int
    text: str
    text_hash: str
    author_id: int
    submitted_at: datetime
    forwarded_at: datetime | None = None
    decision: str = ""
    decided_by_id: int | None = None
    decided_at: datetime | None = None
    return_reasons: list[dict[str, str]] = field(default_factory=list)


class Life:
    """The state of one incident while its life is replayed. Times are in the calendar's zone."""

    def __init__(self, *, wc: WorkCalendar, timings: dict[tuple[str, bool], StepTiming], staff: Staff,
                 now: datetime, kind: str, importance: str, detected_at: datetime, author_first_name: str,
                 location: str, external_id: str | None, next_assignment_id: Any) -> None:
        self.wc, self.timings, self.staff, self.now = wc, timings, staff, now
        self.kind, self.importance = kind, importance
        self.high = importance == Importance.HIGH
        self.detected_at = detected_at
        self.name, self.location, self.external_id = author_first_name, location, external_id
        self._next_assignment_id = next_assignment_id
        self.status: str = S.NEW
        self.t = detected_at
        self.handed_over_at = detected_at
        self.steps: list[Step] = []
        self.events: list[Event] = []
        self.assignments: list[AssignmentRow] = []
        self.drafts: list[DraftRow] = []
        self.consolidator: tuple[int, str] | None = None
        self.published_at: datetime | None = None
        self.intermediate_at: datetime | None = None
        self.closed_at: datetime | None = None
        self.paused_at: datetime | None = None
        self.clarification_question = ""
        self.no_answer_reason = ""
        self.no_answer_comment = ""
        self.published_url = ""

    # ------------------------------------------------------------ time

    def later(self, minutes: float) -> datetime:
        """The moment `minutes` of working time after the last action; Stop if after now."""
        at = self.wc.add(self.t, timedelta(minutes=minutes))
        if at > self.now:
            raise Stop
        self.t = at
        return at

    # ------------------------------------------------------------ steps and history (deadlines.py, history.py)

    def _open(self, kind: str, start: datetime, role: str, actor: int | None = None,
              assignment: int | None = None) -> Step:
        if kind in WITHIN_TOTAL:
            due = self._total_due()
            step = Step(kind, assignment, role, actor, start,
                        max(0, int(self.wc.between(start, due).total_seconds())), 0, due)
        else:
            timing = self.timings[(kind, self.high)]
            due = (self.wc.add_working_days(start, timing.days) if timing.days
                   else self.wc.add(start, timedelta(seconds=timing.seconds)))
            step = Step(kind, assignment, role, actor, start, timing.seconds, timing.days, due)
        self.steps.append(step)
        return step

    def _total_due(self) -> datetime:
        totals = [s for s in self.steps if s.kind in (StepKind.ANSWER, StepKind.FINAL_ANSWER)]
        return max(totals, key=lambda s: s.started_at).due_at

    def _close(self, kinds: frozenset[str] | set[str], at: datetime, assignment: int | None = None) -> None:
        for s in self.steps:
            if s.done_at is None and s.kind in kinds and (assignment is None or s.assignment_id == assignment):
                s.done_at = at

    def _event(self, at: datetime, actor: tuple[int, str] | None, action: str, target: str | None = None,
               payload: dict[str, Any] | None = None) -> None:
        moved = target is not None and target != self.status
        self.events.append(Event(at, actor, action, self.status if moved else "",
                                 target if moved and target else "", payload or {}))
        if moved and target:
            self.status = target

    # ------------------------------------------------------------ actions (services.py)

    def intake(self, handed_after: float) -> None:
        by = self.staff.region_curator if self.kind == Kind.INCIDENT else self.staff.curator
        # The region's system hands in at any hour: a hand-over due after now happens now.
        handed = min(self.wc.add(self.t, timedelta(minutes=handed_after)), max(self.now, self.t))
        self.t = self.handed_over_at = handed
        # Written as incident_intake writes it: into «new», from no state.
        self.events.append(Event(handed, by, "intake", "", S.NEW, {
            "kind": self.kind, "importance": self.importance, "external_id": self.external_id,
            "detected_at": str(self.detected_at), "handed_over_at_claimed": str(handed)}))
        self._open(StepKind.ANSWER, self.detected_at, Role.MUNICIPAL_CURATOR)
        if self.kind == Kind.INCIDENT:
            self._open(StepKind.HANDOVER, self.detected_at, Role.REGIONAL_CURATOR, by[0]).done_at = handed
        self._open(StepKind.ROUTE, handed, Role.MUNICIPAL_CURATOR)

    def route(self, minutes: float, unit_ids: list[int]) -> None:
        at = self.later(minutes)
        names = [self.staff.units[u][0] for u in unit_ids]
        self._event(at, self.staff.curator, "route", S.ROUTED, {"units": unit_ids, "unit_names": names})
        live = sum(a.state in (Assignment.State.ACTIVE, Assignment.State.PART_SUBMITTED) for a in self.assignments)
        several = len(unit_ids) + live > 1
        for unit_id in unit_ids:
            name, executor = self.staff.units[unit_id]
            a = AssignmentRow(self._next_assignment_id(), unit_id, executor[0], Assignment.State.ACTIVE, at)
            self.assignments.append(a)
            self._event(at, self.staff.curator, "dispatch",
                        payload={"unit": name, "executor": executor[1], "substitution": ""})
            self._open(StepKind.PART if several else StepKind.DRAFT, at, Role.EXECUTOR, executor[0], a.id)
        self._close({StepKind.ROUTE, StepKind.REROUTE}, at)

    def _active(self) -> AssignmentRow:
        return next(a for a in reversed(self.assignments) if a.state == Assignment.State.ACTIVE)

    def _late(self, since: datetime, kind: str, at: datetime) -> bool:
        """Was an optional action (п. 11, 13) taken after its window? (services._late)"""
        return at > self.wc.add(since, timedelta(seconds=self.timings[(kind, self.high)].seconds))

    def not_ours(self, minutes: float) -> None:
        mine = self._active()
        at = self.later(minutes)
        late = self._late(mine.dispatched_at, StepKind.NOT_OURS, at)
        others = any(a.state == Assignment.State.ACTIVE and a is not mine for a in self.assignments)
        executor = self.staff.units[mine.unit_id][1]
        from otklik.incidents.demo_corpus import NOT_OURS_COMMENT

        self._event(at, executor, "not_ours", S.ROUTED if others else S.REROUTE,
                    {"unit": self.staff.units[mine.unit_id][0], "comment": NOT_OURS_COMMENT, "late": late})
        mine.state, mine.not_ours_comment = Assignment.State.NOT_OURS, NOT_OURS_COMMENT
        self._close({StepKind.PART, StepKind.DRAFT}, at, mine.id)
        self._open(StepKind.REROUTE, at, Role.MUNICIPAL_CURATOR)

    def ask_clarification(self, minutes: float, question: str) -> None:
        mine = self._active()
        at = self.later(minutes)
        executor = self.staff.units[mine.unit_id][1]
        self._event(at, executor, "ask_clarification", S.CLARIFYING,
                    {"question": question, "previous": self.status, "errors_confirmed": False,
                     "late": self._late(mine.dispatched_at, StepKind.CLARIFY, at)})
        self.clarification_question = question
        self._open(StepKind.CLARIFY_POST, at, Role.MUNICIPAL_CURATOR)

    def clarification_posted(self, minutes: float) -> None:
        at = self.later(minutes)
        self._event(at, self.staff.curator, "clarification_posted", S.CLARIFYING, {"paused_at": str(at)})
        self.paused_at = at
        self._close({StepKind.CLARIFY_POST}, at)

    def clarification_received(self, minutes: float, reply: str) -> None:
        """The author answered: the waiting working time is added to the pausable steps
        (deadlines.steps_resume) and the clock runs again."""
        at = self.later(minutes)
        paused_at = self.paused_at or at
        paused = max(timedelta(0), self.wc.between(paused_at, at))
        extra = int(paused.total_seconds())
        if extra:
            for s in self.steps:
                if s.kind in PAUSABLE and s.done_at is None and s.due_at > paused_at:
                    s.extra_seconds += extra
                    s.due_at = self.wc.add(s.due_at, paused)
            for s in self.steps:
                if s.kind in WITHIN_TOTAL and s.done_at is None:
                    s.due_at = self._total_due()
        self._event(at, self.staff.curator, "clarification_received",
                    S.CONSOLIDATING if self.consolidator else S.ROUTED,
                    {"reply": reply, "paused": duration_text(paused) if paused else None})
        self.paused_at = None
        self._close({StepKind.CLARIFY_POST}, at)

    def close_unclarified(self, minutes: float, comment: str) -> None:
        at = self.later(minutes)
        self._event(at, self.staff.curator, "close_unclarified", S.CLOSED_UNCLARIFIED, {"comment": comment})
        self.closed_at, self.no_answer_comment = at, comment
        self._close(ALL, at)
        self._end_assignments(Assignment.State.CLOSED)

    def name_consolidator(self, minutes: float) -> None:
        at = self.later(minutes)
        first = self.assignments[0]
        person = self.staff.units[first.unit_id][1]
        self._event(at, self.staff.curator, "name_consolidator", S.CONSOLIDATING,
                    {"consolidator": person[1], "substitution": ""})
        self.consolidator = person
        self._close({StepKind.DRAFT}, at)
        self._open(StepKind.DRAFT, at, Role.EXECUTOR, person[0])

    def submit_part(self, minutes: float, a: AssignmentRow, text: str) -> None:
        at = self.later(minutes)
        name, executor = self.staff.units[a.unit_id]
        self._event(at, executor, "submit_part", self.status, {"unit": name, "text": text})
        a.state, a.part_text, a.part_at = Assignment.State.PART_SUBMITTED, text, at
        self._close({StepKind.PART}, at, a.id)

    def submit_draft(self, minutes: float, text: str, *, intermediate: bool = False) -> DraftRow:
        author = self.consolidator or self.staff.units[self._author_unit()][1]
        at = self.later(minutes)
        round_ = len(self.drafts) + 1
        self._event(at, author, "submit_draft", S.DRAFT_SUBMITTED,
                    {"round": round_, "intermediate": intermediate, "errors_confirmed": False})
        draft = DraftRow(Draft.Kind.INTERMEDIATE if intermediate else Draft.Kind.ANSWER, round_, text,
                         hashlib.sha256(text.encode()).hexdigest(), author[0], at)
        self.drafts.append(draft)
        self._close({StepKind.REWORK, StepKind.PART, StepKind.DRAFT}, at)
        if self.kind == Kind.PUBLICATION:
            self._open(StepKind.APPROVE, at, Role.GENERAL_HEAD)
        else:
            self._open(StepKind.FORWARD, at, Role.MUNICIPAL_CURATOR)
        return draft

    def _author_unit(self) -> int:
        live = [a for a in self.assignments if a.state != Assignment.State.NOT_OURS]
        return (live or self.assignments)[-1].unit_id

    def forward(self, minutes: float) -> None:
        at = self.later(minutes)
        self._event(at, self.staff.curator, "forward", S.AWAITING_APPROVAL)
        self.drafts[-1].forwarded_at = at
        self._close({StepKind.FORWARD}, at)
        self._open(StepKind.APPROVE, at, Role.REGIONAL_CURATOR)

    def _approver(self) -> tuple[int, str]:
        return self.staff.general_head if self.kind == Kind.PUBLICATION else self.staff.region_curator

    def approve(self, minutes: float) -> None:
        at = self.later(minutes)
        action = "approve_local" if self.kind == Kind.PUBLICATION else "approve"
        by = self._approver()
        self._event(at, by, action, S.APPROVED)
        d = self.drafts[-1]
        d.decision, d.decided_by_id, d.decided_at = Draft.Decision.APPROVED, by[0], at
        self._close({StepKind.APPROVE}, at)
        self._open(StepKind.PUBLISH, at, Role.MUNICIPAL_CURATOR)

    def return_(self, minutes: float, reasons: list[dict[str, str]]) -> None:
        at = self.later(minutes)
        action = "return_local" if self.kind == Kind.PUBLICATION else "return"
        by = self._approver()
        self._event(at, by, action, S.RETURNED, {"reasons": reasons})
        d = self.drafts[-1]
        d.decision, d.decided_by_id, d.decided_at, d.return_reasons = Draft.Decision.RETURNED, by[0], at, reasons
        self._close({StepKind.APPROVE}, at)
        self._open(StepKind.REWORK, at, Role.EXECUTOR, d.author_id)

    def publish(self, minutes: float, url: str) -> None:
        at = self.later(minutes)
        d = self.drafts[-1]
        intermediate = d.kind == Draft.Kind.INTERMEDIATE
        self._event(at, self.staff.curator, "publish", S.INTERMEDIATE if intermediate else S.PUBLISHED,
                    {"url": url, "intermediate": intermediate, "round": d.round})
        self._close({StepKind.PUBLISH, StepKind.ANSWER}, at)
        if intermediate:
            self.intermediate_at = at
            self._open(StepKind.FINAL_ANSWER, at, Role.EXECUTOR, d.author_id)
        else:
            self._close(ALL, at)
            self.published_at, self.published_url, self.closed_at = at, url, at
            self._end_assignments(Assignment.State.DONE)

    def close_no_answer(self, minutes: float, reason: str, comment: str) -> None:
        at = self.later(minutes)
        by = self.staff.curator
        self._event(at, by, "close_no_answer", S.CLOSED_NO_ANSWER, {"reason": reason, "comment": comment})
        self.no_answer_reason, self.no_answer_comment, self.closed_at, self.paused_at = reason, comment, at, None
        self._close(ALL, at)
        self._end_assignments(Assignment.State.CLOSED)

    def _end_assignments(self, state: str) -> None:
        for a in self.assignments:
            if a.state in (Assignment.State.ACTIVE, Assignment.State.PART_SUBMITTED):
                a.state = state


def timings_table(overrides: dict[str, list[int | str]]) -> dict[tuple[str, bool], StepTiming]:
    """Every step's timing for normal and high importance under one policy (п. 17 halves)."""
    return {(str(k), high): timing_for(k, high=high, overrides=overrides)
            for k in StepKind if k not in WITHIN_TOTAL for high in (False, True)}


def delay(rng: random.Random, minutes: float, *, late: float = 0.1, high: bool = False) -> float:
    """Working minutes an action took: mostly within `minutes`, a `late` share beyond it."""
    if rng.random() < late:
        value = minutes * rng.uniform(1.05, 3.0)
    else:
        value = minutes * rng.uniform(0.1, 0.95)
    return value / 2 if high else value
