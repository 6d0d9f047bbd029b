"""Two people acting at once on the same incident: one wins, the other is told plainly."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from otklik.incidents import services as svc
from otklik.incidents.models import Draft, IncidentEvent, Status
from otklik.incidents.tests.test_services import acc, draft_to_approval, intake, route
from otklik.incidents.transitions import TransitionError

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_approvals_at_once_exactly_one_succeeds(demo: dict[str, Any]) -> None:
    incident = route(demo, intake(demo))
    draft = draft_to_approval(demo, incident)
    region = acc(demo, "region")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve() -> None:
        try:
            barrier.wait()
            svc.incident_approve(access=region, incident_id=incident.pk, text_hash_seen=draft.text_hash)
            outcomes.append("ok")
        except TransitionError as exc:
            outcomes.append(str(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert outcomes.count("ok") == 1, outcomes
    loser = next(o for o in outcomes if o != "ok")
    assert "уже в состоянии «Согласован" in loser
    incident.refresh_from_db()
    assert incident.status == Status.APPROVED
    assert IncidentEvent.objects.filter(incident=incident, action="approve").count() == 1
    assert Draft.objects.get(pk=draft.pk).decision == "approved"


def test_a_repeated_hand_in_outside_and_inside_a_transaction(demo: dict[str, Any]) -> None:
    """The API hands in outside any transaction: a repeat rolls its own transaction back, and
    one and the same hand-in from two threads at once makes one incident. Inside a caller's
    transaction (mail in) a repeat leaves that transaction usable."""
    from django.db import transaction

    from otklik.incidents.models import Incident
    from otklik.notifications.models import Notification

    first = intake(demo, external_id="ext-1")
    assert not connection.in_atomic_block
    assert intake(demo, external_id="ext-1").pk == first.pk
    with pytest.raises(svc.IncidentConflict):
        intake(demo, external_id="ext-1", text="другой текст")
    barrier = threading.Barrier(2)
    got: list[int] = []

    def hand_in() -> None:
        try:
            barrier.wait()
            got.append(intake(demo, external_id="ext-2").pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=hand_in) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(got) == 2 and got[0] == got[1]
    with transaction.atomic():
        assert intake(demo, external_id="ext-2").pk == got[0]
        assert Incident.objects.filter(external_id__in=["ext-1", "ext-2"]).count() == 2  # still usable
    for pk in (first.pk, got[0]):
        assert IncidentEvent.objects.filter(incident_id=pk).count() == 1
        assert Notification.objects.filter(incident_id=pk).count() == Notification.objects.filter(
            incident_id=first.pk).count() > 0
