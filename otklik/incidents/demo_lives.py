"""One generated incident's life, step by step, as the services would have written it.

`Life` replays the services' effects (incidents/services.py, deadlines.py) without the
database: each action moves the status, opens and closes the steps with deadlines from the
municipality's working calendar, and appends the history entry with the payload the service
writes. `otklik demo generate` (demo_generate.py) turns the result into rows and inserts them
in bulk. A life stops at `now`: what had not happened yet stays undone, so a fresh incident
is as far along as its age allows.

Moments are whole seconds since the epoch (UTC) and the calendar arithmetic is `Clock`'s, on
integers: a million lives would spend most of their time building datetimes otherwise. Payloads
are kept as the JSON the history signs, built once per distinct value where they repeat.

Not replayed: notifications (a generated history must not send two years of letters) and the
answer checks' findings (drafts carry none).
"""

from __future__ import annotations

import hashlib
import json
import random
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from otklik.incidents import demo_corpus as corpus
from otklik.incidents.deadlines import PAUSABLE, duration_text
from otklik.incidents.models import Assignment, Draft, Importance, Kind, Status
from otklik.incidents.policy import StepTiming, timing_for
from otklik.incidents.steps import WITHIN_TOTAL, StepKind
from otklik.org.roles import Role
from otklik.worktime import WorkCalendar

S = Status
ALL = frozenset(str(k) for k in StepKind)
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


class Stop(Exception):
    """The next action would fall after `now`: the life ends where it is."""


class Clock:
    """`WorkCalendar`'s arithmetic on epoch seconds: add, between, add_working_days give what
    the calendar gives for the same moments (the tests compare them), without a datetime per
    call. Built from the calendar's public day hours, once per municipality."""

    def __init__(self, wc: WorkCalendar) -> None:
        self.wc, self.tz = wc, wc.tz
        starts: list[int] = []
        ends: list[int] = []
        cum: list[int] = []
        day_ordinals: list[int] = []
        day_last_end: list[int] = []
        offsets: set[int] = set()
        total = 0
        d = wc.first_day
        while d <= wc.last_day:
            offset = self.tz.utcoffset(datetime.combine(d, time(12)))
            offsets.add(int(offset.total_seconds()) if offset is not None else 0)
            hours = wc.day_hours(d)
            for a, b in hours:
                s = int(datetime.combine(d, a, self.tz).timestamp())
                e = int(datetime.combine(d if b > a else d + timedelta(days=1), b, self.tz).timestamp())
                total += e - s
                starts.append(s)
                ends.append(e)
                cum.append(total)
            if hours:
                day_ordinals.append(d.toordinal())
                day_last_end.append(ends[-1])
            d += timedelta(days=1)
        self._starts, self._ends, self._cum, self._n = starts, ends, cum, len(starts)
        self._day_ordinals, self._day_last_end = day_ordinals, day_last_end
        # One offset over the whole span (Moscow since 2014): local dates by arithmetic.
        self.fixed_offset: int | None = offsets.pop() if len(offsets) == 1 else None

    def position(self, t: int) -> int:
        """Working seconds from the span's start to `t`."""
        i = bisect_right(self._ends, t)
        if i == self._n:
            return self._cum[-1] if self._n else 0
        s = self._starts[i]
        return (self._cum[i - 1] if i else 0) + (t - s if t > s else 0)

    def add(self, t: int, secs: int) -> int:
        """WorkCalendar.add: the earliest moment `secs` working seconds after `t`."""
        i = bisect_right(self._ends, t)
        if i == self._n:
            raise ValueError("beyond the working calendar")
        s = self._starts[i]
        if secs == 0:  # WorkCalendar.add(…, 0) is the next working moment
            return t if t >= s else s
        target = (self._cum[i - 1] if i else 0) + (t - s if t > s else 0) + secs
        j = bisect_left(self._cum, target, i)
        if j == self._n:
            raise ValueError("beyond the working calendar")
        return self._ends[j] - (self._cum[j] - target)

    def between(self, a: int, b: int) -> int:
        return self.position(b) - self.position(a)

    def local_ordinal(self, t: int) -> int:
        if self.fixed_offset is not None:
            return (t + self.fixed_offset) // 86400 + EPOCH_ORDINAL
        return datetime.fromtimestamp(t, self.tz).toordinal()

    def add_working_days(self, t: int, n: int) -> int:
        """ГК РФ ст. 191 as WorkCalendar.add_working_days: the end of the n-th working day after t's."""
        k = bisect_right(self._day_ordinals, self.local_ordinal(t)) + n - 1
        if k >= len(self._day_ordinals):
            raise ValueError("beyond the working calendar")
        return self._day_last_end[k]

    def local(self, t: int) -> datetime:
        return datetime.fromtimestamp(t, self.tz)

    def local_text(self, t: int) -> str:
        """str() of the moment in the calendar's zone, as payloads quote moments."""
        if self.fixed_offset is None:
            return str(self.local(t))
        return moment_text(t + self.fixed_offset, " ", _offset_text(self.fixed_offset))


@lru_cache(maxsize=1)
def _clock_faces() -> tuple[str, ...]:
    """"HH:MM:SS" for every second of a day: one lookup instead of formatting a moment."""
    return tuple(f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60))


@lru_cache(maxsize=8192)
def _day_text(day: int) -> str:
    return date.fromordinal(day + EPOCH_ORDINAL).isoformat()


@lru_cache(maxsize=16)
def _offset_text(offset: int) -> str:
    sign = "-" if offset < 0 else "+"
    hours, rest = divmod(abs(offset), 3600)
    return f"{sign}{hours:02d}:{rest // 60:02d}"


def moment_text(t: int, sep: str, suffix: str) -> str:
    """The wall-clock reading `t` (seconds since the epoch of that wall clock) as
    "YYYY-MM-DD<sep>HH:MM:SS<suffix>": datetime.isoformat's form, without a datetime."""
    day, second = divmod(t, 86400)
    return f"{_day_text(day)}{sep}{_clock_faces()[second]}{suffix}"


def moment_texts(sep: str, suffix: str) -> Callable[[int], str]:
    """`moment_text` with `sep` and `suffix` fixed, remembering what it wrote: one moment ends
    a step, is the history entry's and starts the next step."""

    @lru_cache(maxsize=1 << 16)
    def text(t: int) -> str:
        day, second = divmod(t, 86400)
        return f"{_day_text(day)}{sep}{faces[second]}{suffix}"

    faces = _clock_faces()
    return text


utc_iso = moment_texts("T", "+00:00")  # datetime.isoformat() in UTC, as the history and hashes take it


# ---------------------------------------------------------------- payloads as signed

def payload_json(value: object) -> str:
    """JSON as history.py signs it (sorted keys, compact)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@lru_cache(maxsize=4096)
def _text_json(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


@lru_cache(maxsize=256)
def _route_payload(units: tuple[tuple[int, str], ...]) -> str:
    return payload_json({"units": [u for u, _ in units], "unit_names": [n for _, n in units]})


@lru_cache(maxsize=256)
def _dispatch_payload(unit: str, executor: str) -> str:
    return payload_json({"unit": unit, "executor": executor, "substitution": ""})


@lru_cache(maxsize=256)
def _cached_payload(*items: tuple[str, object]) -> str:
    """A payload whose values repeat (units, comments, flags): encoded once per distinct value."""
    return payload_json(dict(items))


EMPTY = "{}"


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
    started_at: int
    seconds: int
    days: int
    due_at: int
    done_at: int | None = None
    extra_seconds: int = 0


@dataclass(slots=True)
class Event:
    at: int
    actor: tuple[int, str] | None
    action: str
    from_status: str
    to_status: str
    payload: str  # the JSON, as signed and stored


@dataclass(slots=True)
class AssignmentRow:
    id: int
    unit_id: int
    executor_id: int
    state: str
    dispatched_at: int
    not_ours_comment: str = ""
    part_text: str = ""
    part_at: int | None = None


@dataclass(slots=True)
class DraftRow:
    kind: str
    round: int
    text: str
    text_hash: str
    author_id: int
    submitted_at: int
    forwarded_at: int | None = None
    decision: str = ""
    decided_by_id: int | None = None
    decided_at: int | None = None
    return_reasons: list[dict[str, str]] = field(default_factory=list)


@lru_cache(maxsize=4096)
def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class Life:
    """The state of one incident while its life is replayed. Moments are epoch seconds."""

    __slots__ = ("_next_assignment_id", "assignments", "clarification_question", "clock", "closed_at",
                 "consolidator", "detected_at", "drafts", "events", "external_id", "handed_over_at", "high",
                 "importance", "intermediate_at", "kind", "location", "name", "no_answer_comment",
                 "no_answer_reason", "now", "paused_at", "published_at", "published_url", "staff", "status",
                 "steps", "t", "timings")

    def __init__(self, *, clock: Clock, timings: dict[tuple[str, bool], StepTiming], staff: Staff,
                 now: int, kind: str, importance: str, detected_at: int, author_first_name: str,
                 location: str, external_id: str | None, next_assignment_id: Callable[[], int]) -> None:
        self.clock, self.timings, self.staff, self.now = clock, timings, staff, now
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
        self.published_at: int | None = None
        self.intermediate_at: int | None = None
        self.closed_at: int | None = None
        self.paused_at: int | None = None
        self.clarification_question = ""
        self.no_answer_reason = ""
        self.no_answer_comment = ""
        self.published_url = ""

    # ------------------------------------------------------------ time

    def later(self, minutes: float) -> int:
        """The moment `minutes` of working time after the last action; Stop if after now."""
        at = self.clock.add(self.t, int(minutes * 60))
        if at > self.now:
            raise Stop
        self.t = at
        return at

    # ------------------------------------------------------------ steps and history (deadlines.py, history.py)

    def _open(self, kind: str, start: int, role: str, actor: int | None = None,
              assignment: int | None = None) -> Step:
        if kind in WITHIN_TOTAL:
            due = self._total_due()
            step = Step(kind, assignment, role, actor, start, max(0, self.clock.between(start, due)), 0, due)
        else:
            timing = self.timings[(kind, self.high)]
            due = (self.clock.add_working_days(start, timing.days) if timing.days
                   else self.clock.add(start, timing.seconds))
            step = Step(kind, assignment, role, actor, start, timing.seconds, timing.days, due)
        self.steps.append(step)
        return step

    def _total_due(self) -> int:
        totals = [s for s in self.steps if s.kind in (StepKind.ANSWER, StepKind.FINAL_ANSWER)]
        return max(totals, key=lambda s: s.started_at).due_at

    def _close(self, kinds: frozenset[str] | set[str], at: int, assignment: int | None = None) -> None:
        for s in self.steps:
            if s.done_at is None and s.kind in kinds and (assignment is None or s.assignment_id == assignment):
                s.done_at = at

    def _event(self, at: int, actor: tuple[int, str] | None, action: str, target: str | None = None,
               payload: str = EMPTY) -> None:
        moved = target is not None and target != self.status
        self.events.append(Event(at, actor, action, self.status if moved else "",
                                 target if moved and target else "", payload))
        if moved and target:
            self.status = target

    # ------------------------------------------------------------ actions (services.py)

    def intake(self, handed_after: float) -> None:
        by = self.staff.region_curator if self.kind == Kind.INCIDENT else self.staff.curator
        # The region's system hands in at any hour: a hand-over due after now happens now.
        handed = min(self.clock.add(self.t, int(handed_after * 60)), max(self.now, self.t))
        self.t = self.handed_over_at = handed
        # Written as incident_intake writes it: into «new», from no state. Every value here is
        # plain ASCII without quotes (kinds, ids "gen-N", moments), so the JSON is put together.
        external = "null" if self.external_id is None else f'"{self.external_id}"'
        clock = self.clock
        payload = (f'{{"detected_at":"{clock.local_text(self.detected_at)}","external_id":{external},'
                   f'"handed_over_at_claimed":"{clock.local_text(handed)}","importance":"{self.importance}",'
                   f'"kind":"{self.kind}"}}')
        self.events.append(Event(handed, by, "intake", "", S.NEW, payload))
        self._open(StepKind.ANSWER, self.detected_at, Role.MUNICIPAL_CURATOR)
        if self.kind == Kind.INCIDENT:
            self._open(StepKind.HANDOVER, self.detected_at, Role.REGIONAL_CURATOR, by[0]).done_at = handed
        self._open(StepKind.ROUTE, handed, Role.MUNICIPAL_CURATOR)

    def route(self, minutes: float, unit_ids: list[int]) -> None:
        at = self.later(minutes)
        units = self.staff.units
        self._event(at, self.staff.curator, "route", S.ROUTED,
                    _route_payload(tuple((u, units[u][0]) for u in unit_ids)))
        live = sum(a.state in (Assignment.State.ACTIVE, Assignment.State.PART_SUBMITTED) for a in self.assignments)
        several = len(unit_ids) + live > 1
        for unit_id in unit_ids:
            name, executor = units[unit_id]
            a = AssignmentRow(self._next_assignment_id(), unit_id, executor[0], Assignment.State.ACTIVE, at)
            self.assignments.append(a)
            self._event(at, self.staff.curator, "dispatch", payload=_dispatch_payload(name, executor[1]))
            self._open(StepKind.PART if several else StepKind.DRAFT, at, Role.EXECUTOR, executor[0], a.id)
        self._close({StepKind.ROUTE, StepKind.REROUTE}, at)

    def _active(self) -> AssignmentRow:
        return next(a for a in reversed(self.assignments) if a.state == Assignment.State.ACTIVE)

    def _late(self, since: int, kind: str, at: int) -> bool:
        """Was an optional action (п. 11, 13) taken after its window? (services._late)"""
        return at > self.clock.add(since, self.timings[(kind, self.high)].seconds)

    def not_ours(self, minutes: float) -> None:
        mine = self._active()
        at = self.later(minutes)
        late = self._late(mine.dispatched_at, StepKind.NOT_OURS, at)
        others = any(a.state == Assignment.State.ACTIVE and a is not mine for a in self.assignments)
        executor = self.staff.units[mine.unit_id][1]
        comment = corpus.NOT_OURS_COMMENT
        self._event(at, executor, "not_ours", S.ROUTED if others else S.REROUTE, _cached_payload(
            ("unit", self.staff.units[mine.unit_id][0]), ("comment", comment), ("late", late)))
        mine.state, mine.not_ours_comment = Assignment.State.NOT_OURS, comment
        self._close({StepKind.PART, StepKind.DRAFT}, at, mine.id)
        self._open(StepKind.REROUTE, at, Role.MUNICIPAL_CURATOR)

    def ask_clarification(self, minutes: float, question: str) -> None:
        mine = self._active()
        at = self.later(minutes)
        executor = self.staff.units[mine.unit_id][1]
        late = self._late(mine.dispatched_at, StepKind.CLARIFY, at)
        self._event(at, executor, "ask_clarification", S.CLARIFYING, _cached_payload(
            ("question", question), ("previous", self.status), ("errors_confirmed", False), ("late", late)))
        self.clarification_question = question
        self._open(StepKind.CLARIFY_POST, at, Role.MUNICIPAL_CURATOR)

    def clarification_posted(self, minutes: float) -> None:
        at = self.later(minutes)
        self._event(at, self.staff.curator, "clarification_posted", S.CLARIFYING,
                    f'{{"paused_at":"{self.clock.local_text(at)}"}}')
        self.paused_at = at
        self._close({StepKind.CLARIFY_POST}, at)

    def clarification_received(self, minutes: float, reply: str) -> None:
        """The author answered: the waiting working time is added to the pausable steps
        (deadlines.steps_resume) and the clock runs again."""
        at = self.later(minutes)
        paused_at = self.paused_at or at
        extra = max(0, self.clock.between(paused_at, at))
        if extra:
            for s in self.steps:
                if s.kind in PAUSABLE and s.done_at is None and s.due_at > paused_at:
                    s.extra_seconds += extra
                    s.due_at = self.clock.add(s.due_at, extra)
            for s in self.steps:
                if s.kind in WITHIN_TOTAL and s.done_at is None:
                    s.due_at = self._total_due()
        paused = duration_text(timedelta(seconds=extra)) if extra else None
        self._event(at, self.staff.curator, "clarification_received",
                    S.CONSOLIDATING if self.consolidator else S.ROUTED,
                    _cached_payload(("reply", reply), ("paused", paused)))
        self.paused_at = None
        self._close({StepKind.CLARIFY_POST}, at)

    def close_unclarified(self, minutes: float, comment: str) -> None:
        at = self.later(minutes)
        self._event(at, self.staff.curator, "close_unclarified", S.CLOSED_UNCLARIFIED,
                    _cached_payload(("comment", comment)))
        self.closed_at, self.no_answer_comment = at, comment
        self._close(ALL, at)
        self._end_assignments(Assignment.State.CLOSED)

    def name_consolidator(self, minutes: float) -> None:
        at = self.later(minutes)
        first = self.assignments[0]
        person = self.staff.units[first.unit_id][1]
        self._event(at, self.staff.curator, "name_consolidator", S.CONSOLIDATING,
                    _cached_payload(("consolidator", person[1]), ("substitution", "")))
        self.consolidator = person
        self._close({StepKind.DRAFT}, at)
        self._open(StepKind.DRAFT, at, Role.EXECUTOR, person[0])

    def submit_part(self, minutes: float, a: AssignmentRow, text: str) -> None:
        at = self.later(minutes)
        name, executor = self.staff.units[a.unit_id]
        self._event(at, executor, "submit_part", self.status, _cached_payload(("unit", name), ("text", text)))
        a.state, a.part_text, a.part_at = Assignment.State.PART_SUBMITTED, text, at
        self._close({StepKind.PART}, at, a.id)

    def submit_draft(self, minutes: float, text: str, *, intermediate: bool = False) -> DraftRow:
        author = self.consolidator or self.staff.units[self._author_unit()][1]
        at = self.later(minutes)
        round_ = len(self.drafts) + 1
        self._event(at, author, "submit_draft", S.DRAFT_SUBMITTED, _cached_payload(
            ("round", round_), ("intermediate", intermediate), ("errors_confirmed", False)))
        draft = DraftRow(Draft.Kind.INTERMEDIATE if intermediate else Draft.Kind.ANSWER, round_, text,
                         _text_hash(text), author[0], at)
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
        self._event(at, by, action, S.RETURNED, payload_json({"reasons": reasons}))
        d = self.drafts[-1]
        d.decision, d.decided_by_id, d.decided_at, d.return_reasons = Draft.Decision.RETURNED, by[0], at, reasons
        self._close({StepKind.APPROVE}, at)
        self._open(StepKind.REWORK, at, Role.EXECUTOR, d.author_id)

    def publish(self, minutes: float, url: str) -> None:
        at = self.later(minutes)
        d = self.drafts[-1]
        intermediate = d.kind == Draft.Kind.INTERMEDIATE
        # The url is the generator's: ASCII without quotes or backslashes.
        self._event(at, self.staff.curator, "publish", S.INTERMEDIATE if intermediate else S.PUBLISHED,
                    f'{{"intermediate":{"true" if intermediate else "false"},"round":{d.round},"url":"{url}"}}')
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
        self._event(at, by, "close_no_answer", S.CLOSED_NO_ANSWER,
                    _cached_payload(("reason", reason), ("comment", comment)))
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
