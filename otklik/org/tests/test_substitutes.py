"""п. 7.2: work for an absent person goes to the substitute, and the record says who and why."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from otklik.org.models import Absence
from otklik.org.selectors import substitute_for

pytestmark = pytest.mark.django_db
DAY = date(2026, 12, 3)


def _absent(person: Any, substitute: Any = None, start: date = DAY, days: int = 3) -> Absence:
    return Absence.objects.create(
        person=person,
        kind=Absence.Kind.ILLNESS,
        starts_on=start,
        ends_on=start + timedelta(days=days),
        substitute=substitute,
    )


def test_p7_2_present_person_keeps_the_work(demo: dict[str, Any]) -> None:
    r = substitute_for(person=demo["land"], on=DAY)
    assert r.actual == demo["land"] and not r.substituted and r.absence is None


def test_p7_2_absent_person_is_replaced_by_absence_substitute(demo: dict[str, Any]) -> None:
    absence = _absent(demo["land"], substitute=demo["finance"])
    r = substitute_for(person=demo["land"], on=DAY)
    assert r.actual == demo["finance"] and r.substituted and r.absence == absence


def test_p7_2_default_substitute_when_absence_names_none(demo: dict[str, Any]) -> None:
    demo["executor"].substitute = demo["mbu"]
    demo["executor"].save()
    _absent(demo["executor"])
    assert substitute_for(person=demo["executor"], on=DAY).actual == demo["mbu"]


def test_p7_2_absence_outside_its_dates_does_not_count(demo: dict[str, Any]) -> None:
    _absent(demo["land"], substitute=demo["finance"], start=DAY + timedelta(days=1))
    assert substitute_for(person=demo["land"], on=DAY).actual == demo["land"]


def test_p7_2_chain_of_absences_reaches_first_present(demo: dict[str, Any]) -> None:
    _absent(demo["land"], substitute=demo["finance"])
    _absent(demo["finance"], substitute=demo["kdc"])
    r = substitute_for(person=demo["land"], on=DAY)
    assert r.actual == demo["kdc"] and r.absence is not None and r.absence.person == demo["land"]


def test_p7_2_circular_substitutes_keep_work_with_intended(demo: dict[str, Any]) -> None:
    _absent(demo["land"], substitute=demo["finance"])
    _absent(demo["finance"], substitute=demo["land"])
    r = substitute_for(person=demo["land"], on=DAY)
    assert r.actual == demo["land"] and r.absence is not None


def test_demo_has_current_absence_with_substitute(demo: dict[str, Any]) -> None:
    from django.utils import timezone

    r = substitute_for(person=demo["executor2"], on=timezone.localdate())
    assert r.actual == demo["executor"] and r.substituted
