"""Reading incidents with the permission check built in."""

from __future__ import annotations

from django.db.models import Q, QuerySet

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
