"""The monitor reads stored moments: each open step keeps when its warning shares and its
deadline are reached, and a tick is one indexed query whatever the number of open steps."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from otklik.incidents.deadlines import deadlines_recompute_municipality
from otklik.incidents.models import DeadlinePolicy, IncidentStep
from otklik.incidents.monitor import deadlines_monitor
from otklik.incidents.steps import StepKind
from otklik.incidents.tests.test_services import at, intake
from otklik.notifications.models import Notification

pytestmark = pytest.mark.django_db


def route_step(incident: Any) -> IncidentStep:
    return IncidentStep.objects.get(incident=incident, kind=StepKind.ROUTE)


def test_a_step_stores_its_warning_moments_when_it_opens(demo: dict[str, Any]) -> None:
    step = route_step(intake(demo, detected=at(7, 9), handed=at(7, 9)))  # Monday 09:00–09:30
    assert {k: datetime.fromisoformat(v) for k, v in step.warn_at.items()} == {"0.5": at(7, 9, 15),
                                                                              "0.8": at(7, 9, 24)}
    assert step.next_alert_at == at(7, 9, 15)


def test_the_moments_count_working_time_across_the_night(demo: dict[str, Any]) -> None:
    step = route_step(intake(demo, detected=at(7, 17, 50), handed=at(7, 17, 50)))  # Monday, the day ends at 18:00
    assert step.due_at == at(8, 9, 20)
    assert step.warn_at == {"0.5": at(8, 9, 5).isoformat(), "0.8": at(8, 9, 14).isoformat()}


def test_a_tick_is_one_query_whatever_the_number_of_open_steps(demo: dict[str, Any]) -> None:
    for n in range(3):
        intake(demo, detected=at(7, 9), handed=at(7, 9), external_id=f"a{n}")
    with time_machine.travel(at(7, 9, 5), tick=False), CaptureQueriesContext(connection) as few:
        deadlines_monitor()  # nothing reached yet
    for n in range(30):
        intake(demo, detected=at(7, 9), handed=at(7, 9), external_id=f"b{n}")
    with time_machine.travel(at(7, 9, 5), tick=False), CaptureQueriesContext(connection) as many:
        deadlines_monitor()
    steps_queries = [q["sql"] for q in many.captured_queries if "incidents_incidentstep" in q["sql"]]
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(steps_queries) == 1 and "next_alert_at" in steps_queries[0]


def test_each_threshold_once_then_the_miss_then_silence(demo: dict[str, Any]) -> None:
    incident = intake(demo, detected=at(7, 9), handed=at(7, 9))
    step = route_step(incident)
    with time_machine.travel(at(7, 9, 15) - timedelta(seconds=1), tick=False):
        assert deadlines_monitor()["warned"] == 0
    with time_machine.travel(at(7, 9, 15), tick=False):  # exactly 50 %
        assert deadlines_monitor()["warned"] >= 1
    step.refresh_from_db()
    assert step.warned_shares == [0.5] and step.next_alert_at == at(7, 9, 24)
    with time_machine.travel(at(7, 9, 31), tick=False):  # a late tick: 80 % was missed, the deadline too
        counts = deadlines_monitor()
        assert counts["missed"] >= 1
    step.refresh_from_db()
    assert step.missed_notified_at == at(7, 9, 31) and step.next_alert_at is None
    with time_machine.travel(at(7, 10), tick=False):
        assert deadlines_monitor() == {"warned": 0, "missed": 0, "clarify_reminded": 0}
    keys = set(Notification.objects.filter(incident_id=incident.pk, channel="inapp").values_list("key", flat=True))
    assert any(f"step:{step.pk}:warn:50" in k for k in keys) and any(f"step:{step.pk}:missed" in k for k in keys)


def test_a_closed_step_is_not_looked_at_again(demo: dict[str, Any]) -> None:
    from otklik.incidents.tests.test_services import route

    incident = intake(demo, detected=at(7, 9), handed=at(7, 9))
    route(demo, incident, when=at(7, 9, 10))
    step = route_step(incident)
    assert step.done_at is not None and step.next_alert_at is None
    with time_machine.travel(at(7, 9, 31), tick=False):
        deadlines_monitor()
    assert not Notification.objects.filter(key__startswith=f"step:{step.pk}:").exists()


def test_a_step_from_before_the_migration_gets_its_moments_at_the_first_look(demo: dict[str, Any]) -> None:
    step = route_step(intake(demo, detected=at(7, 9), handed=at(7, 9)))
    # What migration 0015 leaves: no moments, looked at from the step's start.
    IncidentStep.objects.filter(pk=step.pk).update(warn_at={}, next_alert_at=step.started_at)
    with time_machine.travel(at(7, 9, 5), tick=False):
        assert deadlines_monitor()["warned"] == 0
    step.refresh_from_db()
    assert set(step.warn_at) == {"0.5", "0.8"} and step.next_alert_at == at(7, 9, 15)


def test_a_policy_change_moves_the_moments_of_open_steps(demo: dict[str, Any]) -> None:
    incident = intake(demo, detected=at(7, 9), handed=at(7, 9))
    DeadlinePolicy.objects.create(municipality=incident.municipality, effective_from=date(2026, 1, 1),
                                  warn_shares=[0.3])
    with time_machine.travel(at(7, 9, 1), tick=False):
        deadlines_recompute_municipality(municipality_id=incident.municipality_id)
    step = route_step(incident)
    assert set(step.warn_at) == {"0.3"} and step.next_alert_at == at(7, 9, 9)


def test_the_incident_keeps_its_nearest_open_deadline(demo: dict[str, Any]) -> None:
    from otklik.incidents.models import NO_DUE
    from otklik.incidents.tests.test_services import route

    incident = intake(demo, detected=at(7, 9), handed=at(7, 9))
    incident.refresh_from_db()
    assert incident.next_due_at == at(7, 9, 30)  # routing, before the answer at 17:00
    route(demo, incident, when=at(7, 9, 10))
    incident.refresh_from_db()
    nearest = IncidentStep.objects.filter(incident=incident, done_at__isnull=True).order_by("due_at").first()
    assert nearest is not None and incident.next_due_at == nearest.due_at and incident.next_due == nearest.due_at
    IncidentStep.objects.filter(incident=incident).update(done_at=at(7, 10))
    from otklik.incidents.deadlines import next_due_refresh

    next_due_refresh(incident.pk)
    incident.refresh_from_db()
    assert incident.next_due_at == NO_DUE and incident.next_due is None
