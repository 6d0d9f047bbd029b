"""Reading incidents with the permission check built in."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Exists, F, Func, OuterRef, Q, QuerySet
from django.db.models.lookups import Exact, In, IsNull
from django.utils import timezone

from otklik.core.db_functions import Fold, fold
from otklik.incidents.models import Assignment, Importance, Incident, IncidentStep, Status
from otklik.incidents.search import incidents_matching
from otklik.incidents.steps import StepKind
from otklik.org.models import Person
from otklik.org.roles import Role
from otklik.org.selectors import Access


class OffIndex(Func):
    """`+column` on SQLite: the documented way to keep its planner (which has no statistics
    unless ANALYZE ran) off that column's index. The queue reads open steps in deadline order
    and stops after a page; starting from «all incidents of the municipality» instead reads
    every one of them and sorts. PostgreSQL plans by statistics: the column as it is."""

    template = "%(expressions)s"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="+%(expressions)s", **extra)


def visible_q(access: Access, *, via: str = "") -> Q:
    """The incidents this person may see, as a condition on `via` (`"incident__"` for steps).

    A condition on the row's own columns, not `IN (SELECT …)`: the planner then walks the
    list indexes in order instead of reading everything the person may see and sorting it.
    Executors and unit heads see the work of their unit and what they consolidate (EXISTS, not a
    join: no DISTINCT, so the lists keep their order and LIMIT)."""
    column: F | Func = F(f"{via}municipality_id")
    if via:  # steps: walk the open steps in deadline order, look the incident up (see OffIndex)
        column = OffIndex(column)
    if access.is_regional:
        return Q(In(column, list(access.municipalities().values_list("pk", flat=True))))
    if via:
        # One municipality: the step's own copy of it, on its index of open steps by deadline
        # (step_open_mun_due) — the whole region's open steps are not read to find its own.
        column = F("municipality_id")
    if access.person.municipality_id is None:
        return Q(pk__in=[])
    mine = Q(Exact(column, access.person.municipality_id))
    if access.sees_whole_municipality:
        return mine
    if access.person.unit_id is None:
        return Q(pk__in=[])
    of_unit = Assignment.objects.filter(incident=OuterRef("incident_id" if via else "pk"), unit_id=access.person.unit_id)
    return mine & (Q(Exists(of_unit)) | Q(**{f"{via}consolidator": access.person}))


def incidents_for(*, access: Access) -> QuerySet[Incident]:
    return Incident.objects.select_related("municipality").filter(visible_q(access))


def incident_get_for(*, access: Access, pk: int, for_update: bool = False) -> Incident:
    """Raises Incident.DoesNotExist when the person may not see it (a 404, not a 403)."""
    qs = incidents_for(access=access)
    if for_update:
        ids = list(qs.filter(pk=pk).values_list("pk", flat=True))
        if not ids:
            raise Incident.DoesNotExist
        return Incident.objects.select_for_update().select_related("municipality").get(pk=ids[0])
    return qs.get(pk=pk)


def people_with_role(*, municipality_id: int, role: str) -> QuerySet[Person]:
    if role == Role.REGIONAL_CURATOR:
        return Person.objects.filter(
            role_grants__role=role, region__municipalities__id=municipality_id
        ).distinct()
    return Person.objects.filter(role_grants__role=role, municipality_id=municipality_id).distinct()


ROLE_QUEUE_STATUSES: dict[str, tuple[str, ...]] = {
    Role.MUNICIPAL_CURATOR: (Status.NEW, Status.REROUTE, Status.DRAFT_SUBMITTED, Status.APPROVED,
                             Status.CLARIFYING),
    Role.REGIONAL_CURATOR: (Status.AWAITING_APPROVAL,),
    Role.GENERAL_HEAD: (Status.DRAFT_SUBMITTED,),
    Role.EXECUTOR: (Status.ROUTED, Status.CONSOLIDATING, Status.RETURNED, Status.INTERMEDIATE),
    Role.UNIT_HEAD: (Status.ROUTED, Status.CONSOLIDATING, Status.RETURNED, Status.INTERMEDIATE),
}


def open_steps_for(*, access: Access) -> QuerySet[IncidentStep]:
    """The open steps this person must act on, soonest deadline first."""
    roles = [r for r in access.roles if r in ROLE_QUEUE_STATUSES or r == Role.DEPUTY_HEAD]
    qs = IncidentStep.objects.filter(done_at__isnull=True, incident__in=incidents_for(access=access))
    # The total (п. 8) is shown on the incident; the queue lists the steps someone must take.
    qs = qs.exclude(kind=StepKind.ANSWER)
    if Role.DEPUTY_HEAD in roles and not access.has(Role.MUNICIPAL_CURATOR):
        return qs.select_related("incident", "incident__municipality").order_by("due_at")
    actor_roles = set(roles)
    if actor_roles & {Role.EXECUTOR, Role.UNIT_HEAD}:
        actor_roles |= {Role.EXECUTOR}
    return (
        qs.filter(actor_role__in=actor_roles)
        .select_related("incident", "incident__municipality", "assignment")
        .order_by("due_at")
    )


def my_steps_q(access: Access) -> Q:
    """The steps this person can act on now: their role's steps in their scope; for executors
    and unit heads, the steps of their own unit and the steps named for them."""
    q = Q(pk__in=[])
    person = access.person
    for role in (Role.MUNICIPAL_CURATOR, Role.GENERAL_HEAD):
        if access.has(role):
            actor = OffIndex(F("actor_id"))
            # The step's own copy of its incident's municipality (as in visible_q): with the
            # incident's column, PostgreSQL hashed every incident of the municipality to join one
            # page of open steps (29 ms → 6 ms a query at 26 000 incidents, twice a queue page).
            q |= Q(Exact(OffIndex(F("municipality_id")), person.municipality_id), actor_role=role) & (
                Q(IsNull(actor, True)) | Q(Exact(actor, person.pk)))
    if access.has(Role.REGIONAL_CURATOR):
        q |= Q(Exact(OffIndex(F("incident__municipality__region_id")), person.region_id),
               actor_role=Role.REGIONAL_CURATOR)
    if access.has(Role.EXECUTOR, Role.UNIT_HEAD):
        mine = Q(actor=person)
        if person.unit_id is not None:
            mine |= Q(assignment__unit_id=person.unit_id)
        q |= Q(actor_role=Role.EXECUTOR) & mine
    return q


def steps_for_me(*, access: Access) -> QuerySet[IncidentStep]:
    """«Ждёт ваших действий»: open steps this person can act on now, soonest deadline first.
    An incident waiting for its author's clarification (п. 13) waits for nobody here."""
    return (IncidentStep.objects.filter(visible_q(access, via="incident__"), done_at__isnull=True,
                                        incident__paused_at__isnull=True)
            .exclude(kind=StepKind.ANSWER).filter(my_steps_q(access))
            .select_related("incident", "incident__municipality", "assignment__unit", "actor")
            .order_by("due_at", "pk"))


def steps_for_others(*, access: Access) -> QuerySet[IncidentStep]:
    """«Ожидают других»: the open steps of the incidents this person sees that someone else
    must take (and the incidents waiting for their author)."""
    return (IncidentStep.objects.filter(visible_q(access, via="incident__"), done_at__isnull=True)
            .exclude(kind=StepKind.ANSWER).exclude(my_steps_q(access) & Q(incident__paused_at__isnull=True))
            .select_related("incident", "incident__municipality", "assignment__unit", "actor")
            .order_by("due_at", "pk"))


def waiting_for_others(*, access: Access) -> QuerySet[IncidentStep]:
    """One row per incident of «Ожидают других»: its nearest step someone else must take, for the
    incidents with no step of this person's (those are in «Ждёт ваших действий»). Both tests are
    EXISTS on the incident's open steps (an index), so a page costs the same at any size."""
    same = IncidentStep.objects.filter(done_at__isnull=True, incident=OuterRef("incident")).exclude(
        kind=StepKind.ANSWER)
    mine = same.filter(my_steps_q(access), incident__paused_at__isnull=True)
    earlier = same.exclude(my_steps_q(access) & Q(incident__paused_at__isnull=True)).filter(
        Q(due_at__lt=OuterRef("due_at")) | Q(due_at=OuterRef("due_at"), pk__lt=OuterRef("pk")))
    return steps_for_others(access=access).exclude(Exists(mine)).exclude(Exists(earlier))


QUEUE_PAGE_SIZE = 50
# Pages further than this are not counted through: 5 000 rows is past anything a person reads
# (the search finds the rest), and OFFSET costs grow with the page.
QUEUE_MAX_PAGE = 100


@dataclass(frozen=True)
class QueuePage:
    """One page of the queue: «Ждёт ваших действий» first, then «Ожидают других», 50 rows."""

    number: int
    mine: list[IncidentStep]
    others: list[IncidentStep]
    mine_total: int  # counted up to one past this page
    has_next: bool
    capped: bool  # the page asked for was past QUEUE_MAX_PAGE


def _page_rows(qs: QuerySet[IncidentStep], start: int, stop: int) -> list[IncidentStep]:
    """Rows [start, stop) of `qs` in its order: the ids first, without the joined people, units
    and assignments, then those rows with them. When a search matches far more rows than the
    planner expects, joining everyone before the LIMIT went by nested loops over the staff table
    (95 of 195 ms at a million incidents); after it, the joins are of 51 rows."""
    ids = list(qs.values_list("pk", flat=True)[start:stop])
    if not ids:
        return []
    rows = {row.pk: row for row in qs.order_by().filter(pk__in=ids)}
    return [rows[pk] for pk in ids if pk in rows]


def queue_page(*, access: Access, page: int = 1, q: str = "", late_or_high: datetime | None = None) -> QueuePage:
    """A page of this person's queue, optionally narrowed by a search in the text and author.
    `late_or_high`: the deputy head's view — only steps due by then or of high importance, all
    in `mine` (who acts is shown on each)."""
    capped = page > QUEUE_MAX_PAGE
    number = min(max(page, 1), QUEUE_MAX_PAGE)
    offset = (number - 1) * QUEUE_PAGE_SIZE
    if late_or_high is not None:
        mine_qs = steps_for_others(access=access).filter(
            Q(due_at__lte=late_or_high) | Q(incident__importance=Importance.HIGH))
        others_qs = IncidentStep.objects.none()
    else:
        mine_qs, others_qs = steps_for_me(access=access), waiting_for_others(access=access)
    if q:
        found = incidents_matching(Incident.objects.all(), q).values("pk")
        mine_qs, others_qs = mine_qs.filter(incident__in=found), others_qs.filter(incident__in=found)
    # Counted only as far as this page needs (where «mine» ends and «others» begin): the cost of
    # a page does not grow with the queue behind it.
    if offset == 0:
        # The first page reads its rows and one more instead of counting first: the same
        # answer, and the ordered walk stops at the 51st match, while a count without order let
        # the planner scan every open step of a region (a search: 200 ms of 240 at a million).
        mine = _page_rows(mine_qs, 0, QUEUE_PAGE_SIZE + 1)
        mine_total = len(mine)
        mine = mine[:QUEUE_PAGE_SIZE]
    else:
        mine_total = mine_qs.order_by()[:offset + QUEUE_PAGE_SIZE + 1].count()
        mine = _page_rows(mine_qs, offset, offset + QUEUE_PAGE_SIZE) if offset < mine_total else []
    room = QUEUE_PAGE_SIZE - len(mine)
    others: list[IncidentStep] = []
    if room:
        start = max(0, offset - mine_total)
        others = _page_rows(others_qs, start, start + room + 1)  # one more: is there a next page?
        has_next = len(others) > room
    else:
        has_next = offset + QUEUE_PAGE_SIZE < mine_total or others_qs.exists()
    return QueuePage(number=number, mine=mine, others=others[:room], mine_total=mine_total,
                     has_next=has_next and number < QUEUE_MAX_PAGE, capped=capped)


def others_who(steps: list[IncidentStep], *, access: Access) -> dict[int, list[IncidentStep]]:
    """Every open step someone else must take on the incidents of `steps` (for «кто»)."""
    ids = [s.incident_id for s in steps]
    by_incident: dict[int, list[IncidentStep]] = {}
    for step in steps_for_others(access=access).filter(incident_id__in=ids):
        by_incident.setdefault(step.incident_id, []).append(step)
    return by_incident


@dataclass(frozen=True)
class IncidentFilter:
    """The filters of «Все сообщения» and of the API list; empty values filter nothing."""

    status: str = ""
    unit: int | None = None
    network: str = ""
    topic: str = ""
    importance: str = ""
    overdue: bool = False
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""
    municipality: str = ""  # slug, for the regional curator


def incidents_search(*, access: Access, filters: IncidentFilter, now: datetime | None = None) -> QuerySet[Incident]:
    """The incidents this person sees, filtered, nearest open deadline first (`next_due_at`;
    incidents with none last), then the newest first."""
    return incidents_filtered(incidents_for(access=access), filters=filters, now=now)


LIST_ORDER = ("next_due_at", "-detected_at", "-pk")


def incidents_filtered(qs: QuerySet[Incident], *, filters: IncidentFilter,
                       now: datetime | None = None) -> QuerySet[Incident]:
    """`incidents_search` over a queryset already limited to what the caller may see (the API
    key's municipality, say). Sorted by `LIST_ORDER`, which the indexes of Incident serve."""
    now = now or timezone.now()
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.unit:
        qs = qs.filter(Exists(Assignment.objects.filter(incident=OuterRef("pk"), unit_id=filters.unit)))
    if filters.network:
        qs = qs.filter(network=filters.network)
    if filters.topic:
        qs = qs.annotate(topic_folded=Fold("topic")).filter(topic_folded__contains=fold(filters.topic) or "")
    if filters.importance:
        qs = qs.filter(importance=filters.importance)
    if filters.overdue:
        qs = qs.filter(next_due_at__lt=now)  # NO_DUE is never past
    tz = timezone.get_current_timezone()
    # Clamped to years 2…9998: a local midnight of year 1 or 9999 has no UTC moment (found by
    # schemathesis: date_from=0001-01-01 was a 500). Nothing is detected outside them anyway.
    if filters.date_from:
        start = min(max(filters.date_from, date(2, 1, 1)), date(9998, 12, 30))
        qs = qs.filter(detected_at__gte=datetime.combine(start, time(), tz))
    if filters.date_to:
        end = min(max(filters.date_to, date(2, 1, 1)), date(9998, 12, 30))
        qs = qs.filter(detected_at__lt=datetime.combine(end + timedelta(days=1), time(), tz))
    if filters.q:
        qs = incidents_matching(qs, filters.q)
    if filters.municipality:
        qs = qs.filter(municipality__slug=filters.municipality)
    return qs.order_by(*LIST_ORDER)


# «Все сообщения»: pages beyond this are not offered (the filters and the search find the rest).
LIST_MAX_PAGE = 200
# The count goes this many pages past the page shown, no further («более …»): cheap at any size.
# Five, not ten: a search for a common word in a municipality of 25 000 messages spent half the
# page (53 of 106 ms at a million) counting to 551 matches.
LIST_COUNT_AHEAD = 5


@dataclass(frozen=True)
class ListPage:
    """A page of «Все сообщения» with a bounded count (`count_capped`: «более …»)."""

    rows: list[Incident]
    number: int
    num_pages: int
    count: int
    count_capped: bool
    size: int

    def __iter__(self) -> Iterator[Incident]:
        return iter(self.rows)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def incidents_page(qs: QuerySet[Incident], *, page: int, size: int) -> ListPage:
    """Page `page` of `qs` (clamped to the pages there are, up to LIST_MAX_PAGE)."""
    limit = min(LIST_MAX_PAGE, max(page, 1) + LIST_COUNT_AHEAD) * size
    count = qs.order_by()[:limit + 1].count()
    capped = count > limit
    count = min(count, limit)
    num_pages = max(1, -(-count // size))
    number = min(max(page, 1), num_pages)
    rows = list(qs[(number - 1) * size:number * size])
    return ListPage(rows=rows, number=number, num_pages=num_pages, count=count, count_capped=capped, size=size)
