"""Reading incidents with the permission check built in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import F, Min, Q, QuerySet
from django.utils import timezone

from otklik.core.db_functions import Fold, fold
from otklik.incidents.models import Incident, IncidentStep, Status
from otklik.incidents.steps import StepKind
from otklik.org.models import Person
from otklik.org.roles import Role
from otklik.org.selectors import Access


def incidents_for(*, access: Access) -> QuerySet[Incident]:
    qs = Incident.objects.select_related("municipality")
    if access.is_regional or access.sees_whole_municipality:
        return qs.filter(municipality__in=access.municipalities())
    if access.person.unit_id is None or access.person.municipality_id is None:
        return qs.none()
    # Executors and unit heads: the work of their unit, and what they consolidate.
    return qs.filter(
        Q(assignments__unit_id=access.person.unit_id) | Q(consolidator=access.person),
        municipality_id=access.person.municipality_id,
    ).distinct()


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
            q |= Q(actor_role=role, incident__municipality_id=person.municipality_id) & (
                Q(actor__isnull=True) | Q(actor=person))
    if access.has(Role.REGIONAL_CURATOR):
        q |= Q(actor_role=Role.REGIONAL_CURATOR, incident__municipality__region_id=person.region_id)
    if access.has(Role.EXECUTOR, Role.UNIT_HEAD):
        mine = Q(actor=person)
        if person.unit_id is not None:
            mine |= Q(assignment__unit_id=person.unit_id)
        q |= Q(actor_role=Role.EXECUTOR) & mine
    return q


def steps_for_me(*, access: Access) -> QuerySet[IncidentStep]:
    """«Ждёт ваших действий»: open steps this person can act on now, soonest deadline first.
    An incident waiting for its author's clarification (п. 13) waits for nobody here."""
    return (IncidentStep.objects.filter(done_at__isnull=True, incident__in=incidents_for(access=access),
                                        incident__paused_at__isnull=True)
            .exclude(kind=StepKind.ANSWER).filter(my_steps_q(access))
            .select_related("incident", "incident__municipality", "assignment__unit", "actor")
            .order_by("due_at", "pk"))


def steps_for_others(*, access: Access) -> QuerySet[IncidentStep]:
    """«Ожидают других»: the open steps of the incidents this person sees that someone else
    must take (and the incidents waiting for their author)."""
    return (IncidentStep.objects.filter(done_at__isnull=True, incident__in=incidents_for(access=access))
            .exclude(kind=StepKind.ANSWER).exclude(my_steps_q(access) & Q(incident__paused_at__isnull=True))
            .select_related("incident", "incident__municipality", "assignment__unit", "actor")
            .order_by("due_at", "pk"))


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
    """The incidents this person sees, filtered, with `next_due` (the nearest open deadline),
    sorted by it (incidents with none last), then the newest first."""
    return incidents_filtered(incidents_for(access=access), filters=filters, now=now)


def incidents_filtered(qs: QuerySet[Incident], *, filters: IncidentFilter,
                       now: datetime | None = None) -> QuerySet[Incident]:
    """`incidents_search` over a queryset already limited to what the caller may see (the API
    key's municipality, say)."""
    now = now or timezone.now()
    qs = qs.annotate(next_due=Min("steps__due_at", filter=Q(steps__done_at__isnull=True)))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.unit:
        qs = qs.filter(assignments__unit_id=filters.unit)
    if filters.network:
        qs = qs.filter(network=filters.network)
    if filters.topic:
        qs = qs.annotate(topic_folded=Fold("topic")).filter(topic_folded__contains=fold(filters.topic) or "")
    if filters.importance:
        qs = qs.filter(importance=filters.importance)
    if filters.overdue:
        qs = qs.filter(next_due__lt=now)
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
        needle = fold(filters.q) or ""
        qs = qs.annotate(text_folded=Fold("text"), author_folded=Fold("author_name")).filter(
            Q(text_folded__contains=needle) | Q(author_folded__contains=needle))
    if filters.municipality:
        qs = qs.filter(municipality__slug=filters.municipality)
    return qs.distinct().order_by(F("next_due").asc(nulls_last=True), "-detected_at", "-pk")
