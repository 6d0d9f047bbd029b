"""Reading the organisation, with the scope rules built in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from otklik.org.models import Absence, Municipality, Person, Unit
from otklik.org.roles import MUNICIPALITY_WIDE_ROLES, Role


@dataclass(frozen=True)
class Access:
    """What a signed-in person may see: computed once per request."""

    person: Person
    roles: frozenset[str]

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_regional(self) -> bool:
        return Role.REGIONAL_CURATOR in self.roles

    @property
    def sees_whole_municipality(self) -> bool:
        return bool(self.roles & MUNICIPALITY_WIDE_ROLES)

    def municipalities(self) -> QuerySet[Municipality]:
        if self.is_regional:
            return Municipality.objects.filter(region_id=self.person.region_id)
        if self.person.municipality_id is None:
            return Municipality.objects.none()
        return Municipality.objects.filter(pk=self.person.municipality_id)

    def can_see_municipality(self, municipality_id: int) -> bool:
        return self.municipalities().filter(pk=municipality_id).exists()


def access_for(user: AbstractBaseUser | AnonymousUser) -> Access | None:
    if not user.is_authenticated:
        return None
    person = (
        Person.objects.select_related("municipality", "unit", "region")
        .filter(user_id=user.pk)
        .first()
    )
    if person is None:
        return None
    roles = frozenset(person.role_grants.values_list("role", flat=True))
    return Access(person=person, roles=roles)


def units_for(*, access: Access) -> QuerySet[Unit]:
    """Units a person may see: the whole municipality, or only their own unit."""
    qs = Unit.objects.select_related("head", "municipality")
    if access.sees_whole_municipality or access.is_regional:
        return qs.filter(municipality__in=access.municipalities())
    if access.person.unit_id is None:
        return qs.none()
    return qs.filter(pk=access.person.unit_id)


def unit_get_for(*, access: Access, pk: int) -> Unit:
    return units_for(access=access).get(pk=pk)


@dataclass(frozen=True)
class Replacement:
    """Who actually receives work meant for `intended` on a day (п. 7.2)."""

    intended: Person
    actual: Person
    absence: Absence | None

    @property
    def substituted(self) -> bool:
        return self.actual.pk != self.intended.pk


def _absence_on(person: Person, day: date) -> Absence | None:
    return (
        Absence.objects.filter(person=person, starts_on__lte=day, ends_on__gte=day)
        .select_related("substitute")
        .order_by("-starts_on")
        .first()
    )


def substitute_for(*, person: Person, on: date) -> Replacement:
    """Follow absences to the first person present; a chain back to someone seen stops it.

    If everybody in the chain is absent, work stays with the intended person (nothing is lost
    to a void) and the record shows the absence.
    """
    seen = {person.pk}
    current = person
    first_absence: Absence | None = None
    while (absence := _absence_on(current, on)) is not None:
        first_absence = first_absence or absence
        nxt = absence.substitute or current.substitute
        if nxt is None or nxt.pk in seen:
            return Replacement(intended=person, actual=person, absence=first_absence)
        seen.add(nxt.pk)
        current = nxt
    return Replacement(intended=person, actual=current, absence=first_absence)
