"""The organisation directory: units, people, absences and substitutes."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from otklik.core.access import requires
from otklik.org.models import Absence, Person, Unit
from otklik.org.roles import Role
from otklik.org.selectors import Access, unit_get_for, units_for

DIRECTORY_ROLES = (
    Role.MUNICIPAL_CURATOR,
    Role.GENERAL_HEAD,
    Role.DEPUTY_HEAD,
    Role.ADMINISTRATOR,
    Role.REGIONAL_CURATOR,
    Role.UNIT_HEAD,
)


@requires(*DIRECTORY_ROLES)
def directory(request: HttpRequest, access: Access) -> HttpResponse:
    units = list(units_for(access=access).prefetch_related("members"))
    today = timezone.localdate()
    absences = (
        Absence.objects.filter(
            person__unit__in=units, starts_on__lte=today, ends_on__gte=today
        )
        .select_related("person", "substitute", "person__substitute")
        .order_by("ends_on")
    )
    return render(
        request, "org/directory.html", {"units": units, "absences": absences, "today": today}
    )


@requires(*DIRECTORY_ROLES)
def unit_detail(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    try:
        unit = unit_get_for(access=access, pk=pk)
    except Unit.DoesNotExist as exc:
        raise Http404("Подразделение не найдено") from exc
    members = (
        Person.objects.filter(unit=unit).select_related("substitute").prefetch_related("role_grants")
    )
    absences = Absence.objects.filter(person__unit=unit).select_related("person", "substitute")[:50]
    return render(
        request, "org/unit_detail.html", {"unit": unit, "members": members, "absences": absences}
    )
