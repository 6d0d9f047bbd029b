"""A change of the calendar or schedule moves deadlines not yet due, never past ones."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.test import Client

from otklik.incidents.models import IncidentStep
from otklik.incidents.tests.test_services import at, intake, step
from otklik.org.models import CalendarChange

pytestmark = pytest.mark.django_db


def test_local_day_off_added_in_admin_moves_open_deadlines(demo: dict[str, Any], settings: Any) -> None:
    settings.OTKLIK_REQUIRE_2FA = False
    incident = intake(demo)  # Fri 04.12 16:30 → answer due Mon 07.12 16:30
    done = IncidentStep.objects.get(incident=incident, kind="handover")
    with time_machine.travel(at(4, 17), tick=False):
        client = Client()
        client.force_login(demo["admin"].user)
        response = client.post("/admin/org/calendarchange/add/", {
            "municipality": demo["curator"].municipality_id, "day": "07.12.2026",
            "kind": "non_working", "note": "День станицы"})
    assert response.status_code == 302, response.content.decode()[:500]
    assert CalendarChange.objects.count() == 1
    assert step(incident, "answer").due_at == at(8, 16, 30)
    assert IncidentStep.objects.get(pk=done.pk).due_at == done.due_at  # a closed step keeps its deadline


def test_history_not_editable_in_admin(demo: dict[str, Any], settings: Any) -> None:
    settings.OTKLIK_REQUIRE_2FA = False
    incident = intake(demo)
    event = incident.events.first()
    assert event is not None
    client = Client()
    client.force_login(demo["admin"].user)
    assert client.get(f"/admin/incidents/incidentevent/{event.pk}/delete/").status_code == 403
    page = client.get(f"/admin/incidents/incidentevent/{event.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # read-only: no save button
    assert client.post(f"/admin/incidents/incidentevent/{event.pk}/change/", {"action": "x"}).status_code == 403
