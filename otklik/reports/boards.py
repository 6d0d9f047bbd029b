"""The overview boards («Обзор»): what is late, due today and at risk now; the trend of the
last twelve weeks; the places people write about. Pure data — the views shape it for people.

Definitions (the page and the tests rely on them):

* An item is an open step (`done_at` is NULL) of an open incident the person sees; the total
  answer term of п. 8 is an item too (labelled as such). An incident waiting for its author's
  clarification (п. 13, `paused_at` set) is left out: its clock stands, its deadlines move
  when the author answers; they are only counted (`paused`).
* The three groups are exclusive, in this order: **overdue** — `due_at <= now`; **today** —
  due later today, before the next local midnight of the municipality's time zone; **at risk**
  — due after today with at least 80 % of the step's working time used. The share used is
  `WorkCalendar.between(started_at, now)` of the step's working seconds (`seconds +
  extra_seconds`). A step counted in working days (ст. 191 ГК РФ, `seconds == 0`) has no
  seconds of its own: its share is approximated against `between(started_at, due_at)`, and
  the item says so (`approximate`).
* Trend: the twelve Monday-based weeks ending with the current one (the current week up to
  now), in the board's time zone. received — messages handed over in the week
  (`handed_over_at`); answered — messages whose final answer was published in the week
  (status «published», `published_at`); on time — of them, those whose every answer term
  (п. 8, п. 18) was met (as in the monthly report); late — the rest.
* Places: the messages handed over in the last 30 days (`now - 30 days`), grouped by
  `location` normalised — trimmed, spaces collapsed, case-folded, «ё» as «е», «улица» / «ул»
  / «ул.» as «ул.»; shown under the spelling met most often. Most first; the messages
  without a place last.

Queries: a fixed number whatever the number of incidents — the scope's municipalities, one
query for the open steps, one aggregate for the trend, one grouped query for the places, and
the calendar's cache check per municipality with open steps.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from otklik.incidents.models import CLOSED_STATUSES, Incident, IncidentStep, Status
from otklik.incidents.presenters import step_label
from otklik.incidents.selectors import incidents_for
from otklik.incidents.steps import StepKind
from otklik.org.calendars import work_calendar_for
from otklik.org.models import Municipality
from otklik.org.roles import Role
from otklik.org.selectors import Access
from otklik.worktime import OutOfCalendar, WorkCalendar

AT_RISK_SHARE = 0.8
TREND_WEEKS = 12
PLACES_DAYS = 30
TOTAL_TERMS = (StepKind.ANSWER, StepKind.FINAL_ANSWER)  # п. 8 and п. 18, as in the monthly report
NO_UNIT = "Без подразделения"
NO_LOCATION = "Место не указано"

OVERDUE, TODAY, AT_RISK = "overdue", "today", "at_risk"
GROUPS: tuple[tuple[str, str], ...] = (
    (OVERDUE, "Просрочено"),
    (TODAY, "Срок сегодня"),
    (AT_RISK, "Под угрозой: прошло 80 % срока"),
)


@dataclass(frozen=True)
class BoardItem:
    """One open step on the board."""

    incident_id: int
    municipality: str
    is_high: bool
    text: str
    kind: str
    label: str  # the step's name, saying who acts
    unit: str  # the unit whose step it is, else who acts (role)
    due_at: datetime
    due_local: datetime
    share: float | None  # of the step's working time used; None when it cannot be counted
    approximate: bool  # share counted against due_at (a step in working days)
    group: str  # overdue | today | at_risk


@dataclass(frozen=True)
class Tally:
    """A count per group for one unit or one step."""

    label: str
    overdue: int = 0
    today: int = 0
    at_risk: int = 0

    @property
    def total(self) -> int:
        return self.overdue + self.today + self.at_risk


@dataclass(frozen=True)
class Week:
    start: date  # Monday
    received: int
    on_time: int
    late: int

    @property
    def answered(self) -> int:
        return self.on_time + self.late


@dataclass(frozen=True)
class Place:
    label: str  # the spelling met most often
    key: str  # the normalised form
    count: int


@dataclass(frozen=True)
class Board:
    now: datetime
    tz: ZoneInfo
    municipalities: tuple[Municipality, ...]  # the ones the person may choose (regional: all)
    municipality: Municipality | None  # the chosen one (None: all of the scope)
    items: tuple[BoardItem, ...]
    paused: int  # incidents waiting for their author (п. 13), not classified
    weeks: tuple[Week, ...]
    places: tuple[Place, ...]
    places_since: datetime
    by_unit: tuple[Tally, ...] = field(default=())
    by_step: tuple[Tally, ...] = field(default=())

    def group(self, name: str) -> list[BoardItem]:
        return [i for i in self.items if i.group == name]

    def grouped_by_unit(self, name: str) -> list[tuple[str, list[BoardItem]]]:
        """The items of one group by unit, the unit with most first."""
        units: dict[str, list[BoardItem]] = defaultdict(list)
        for item in self.group(name):
            units[item.unit].append(item)
        return sorted(units.items(), key=lambda kv: (-len(kv[1]), kv[0]))


# ---------------------------------------------------------------- places

_SPACES = re.compile(r"\s+")
# «улица», «ул», «ул.» as a word (before a space, a dot or the end) → «ул.»
_STREET = re.compile(r"(?<![\w])(?:улица|ул)(?:\.|(?=\s|,|$))\s*")


def location_key(location: str) -> str:
    """The place as grouped: trimmed, spaces collapsed, case-folded, «ё» → «е», streets unified."""
    text = _SPACES.sub(" ", location.strip()).casefold().replace("ё", "е")
    text = _STREET.sub("ул. ", text)
    return _SPACES.sub(" ", text).strip()


def places_group(rows: list[tuple[str, int]]) -> tuple[Place, ...]:
    """(location, count) rows → places, most first; the empty place last."""
    counts: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for location, n in rows:
        spelled = _SPACES.sub(" ", (location or "").strip())
        key = location_key(spelled)
        counts[key] += n
        spellings[key][spelled] += n
    places = [Place(label=spellings[k].most_common(1)[0][0] if k else NO_LOCATION, key=k, count=n)
              for k, n in counts.items()]
    return tuple(sorted(places, key=lambda p: (p.key == "", -p.count, p.key)))


# ---------------------------------------------------------------- now


def share_used(step: IncidentStep, wc: WorkCalendar, now: datetime) -> tuple[float | None, bool]:
    """The share of the step's working time used by `now`, and whether it is approximated
    via `due_at` (a step in working days has `seconds == 0`)."""
    try:
        used = wc.between(step.started_at, now).total_seconds()
        if step.seconds:
            return used / (step.seconds + step.extra_seconds), False
        allowed = wc.between(step.started_at, step.due_at).total_seconds()
    except (OutOfCalendar, ValueError):
        return None, step.seconds == 0
    return (used / allowed if allowed > 0 else 1.0), True


def _classify(due_at: datetime, share: float | None, now: datetime, tz: ZoneInfo) -> str | None:
    if due_at <= now:
        return OVERDUE
    midnight = datetime.combine(now.astimezone(tz).date() + timedelta(days=1), time(), tz)
    if due_at < midnight:
        return TODAY
    if share is not None and share >= AT_RISK_SHARE:
        return AT_RISK
    return None


def _unit_of(step: IncidentStep) -> str:
    if step.assignment_id is not None and step.assignment is not None:
        return step.assignment.unit.name
    role = Role(step.actor_role).label if step.actor_role in Role.values else step.actor_role
    return f"{NO_UNIT} ({role.lower()})" if role else NO_UNIT


def _items(steps: QuerySet[IncidentStep], now: datetime) -> list[BoardItem]:
    calendars: dict[int, WorkCalendar] = {}
    items = []
    for step in steps:
        incident = step.incident
        municipality = incident.municipality
        if municipality.pk not in calendars:
            calendars[municipality.pk] = work_calendar_for(municipality)
        wc = calendars[municipality.pk]
        share, approximate = share_used(step, wc, now)
        group = _classify(step.due_at, share, now, wc.tz)
        if group is None:
            continue
        items.append(BoardItem(
            incident_id=incident.pk, municipality=municipality.name, is_high=incident.is_high,
            text=incident.text, kind=step.kind, label=step_label(step), unit=_unit_of(step),
            due_at=step.due_at, due_local=step.due_at.astimezone(wc.tz), share=share,
            approximate=approximate, group=group))
    return items


def _tallies(items: list[BoardItem], key: str) -> tuple[Tally, ...]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for item in items:
        counts[getattr(item, key)][item.group] += 1
    tallies = [Tally(label=label, overdue=c[OVERDUE], today=c[TODAY], at_risk=c[AT_RISK])
               for label, c in counts.items()]
    return tuple(sorted(tallies, key=lambda t: (-t.overdue, -t.total, t.label)))


# ---------------------------------------------------------------- trend


def week_start(moment: datetime, tz: ZoneInfo) -> date:
    local = moment.astimezone(tz).date()
    return local - timedelta(days=local.weekday())


def _weeks(incidents: QuerySet[Incident], now: datetime, tz: ZoneInfo) -> tuple[Week, ...]:
    """One aggregate query: per week, received, answered on time and late."""
    monday = week_start(now, tz)
    starts = [monday - timedelta(weeks=k) for k in range(TREND_WEEKS - 1, -1, -1)]
    bounds = [datetime.combine(d, time(), tz) for d in starts] + [now]
    late_term = IncidentStep.objects.filter(incident=OuterRef("pk"), kind__in=TOTAL_TERMS).filter(
        Q(done_at__isnull=True) | Q(done_at__gt=F("due_at")))
    first, last = bounds[0], bounds[-1]
    received_any = Q(handed_over_at__gte=first, handed_over_at__lt=last)
    answered_any = Q(status=Status.PUBLISHED, published_at__gte=first, published_at__lt=last)
    aggregates = {}
    for n in range(TREND_WEEKS):
        a, b = bounds[n], max(bounds[n + 1], bounds[n])
        answered = Q(status=Status.PUBLISHED, published_at__gte=a, published_at__lt=b)
        aggregates[f"r{n}"] = Count("pk", filter=Q(handed_over_at__gte=a, handed_over_at__lt=b))
        aggregates[f"o{n}"] = Count("pk", filter=answered & Q(term_late=False))
        aggregates[f"l{n}"] = Count("pk", filter=answered & Q(term_late=True))
    numbers = (incidents.order_by().filter(received_any | answered_any)
               .annotate(term_late=Exists(late_term)).aggregate(**aggregates))
    return tuple(Week(start=starts[n], received=int(numbers[f"r{n}"] or 0), on_time=int(numbers[f"o{n}"] or 0),
                      late=int(numbers[f"l{n}"] or 0)) for n in range(TREND_WEEKS))


# ---------------------------------------------------------------- the board


def board_for(*, access: Access, now: datetime | None = None, municipality: str = "") -> Board:
    """The board of the incidents this person sees; `municipality` (a slug of the scope)
    narrows a regional curator's board to one municipality (an unknown slug: the whole scope)."""
    now = now or timezone.now()
    municipalities = tuple(access.municipalities().order_by("name"))
    chosen = next((m for m in municipalities if m.slug == municipality), None) if municipality else None
    incidents = incidents_for(access=access)
    if chosen is not None:
        incidents = incidents.filter(municipality=chosen)
    tz = ZoneInfo(chosen.time_zone if chosen else municipalities[0].time_zone if len(municipalities) == 1
                  else timezone.get_current_timezone_name())
    open_incidents = incidents.exclude(status__in=CLOSED_STATUSES)
    steps = (IncidentStep.objects.filter(done_at__isnull=True, incident__in=open_incidents.values("pk"),
                                         incident__paused_at__isnull=True)
             .select_related("incident__municipality", "assignment__unit").order_by("due_at", "pk"))
    items = _items(steps, now)
    paused = open_incidents.filter(paused_at__isnull=False).order_by().count()
    since = now - timedelta(days=PLACES_DAYS)
    rows = list(incidents.order_by().filter(handed_over_at__gte=since, handed_over_at__lt=now)
                .values_list("location").annotate(n=Count("pk")).values_list("location", "n"))
    return Board(now=now, tz=tz, municipalities=municipalities, municipality=chosen, items=tuple(items),
                 paused=paused, weeks=_weeks(incidents, now, tz), places=places_group(rows), places_since=since,
                 by_unit=_tallies(items, "unit"), by_step=_tallies(items, "label"))
