"""The demo shows incidents in every state, made by the real services."""

from __future__ import annotations

from typing import Any

import pytest

from otklik.incidents.demo import demo_feed_one, demo_incidents_load
from otklik.incidents.history import history_verify
from otklik.incidents.models import Incident, IncidentStep

pytestmark = pytest.mark.django_db


def test_demo_incidents_cover_every_state(demo: dict[str, Any]) -> None:
    assert demo_incidents_load() == 10
    assert demo_incidents_load() == 0  # idempotent
    statuses = set(Incident.objects.values_list("status", flat=True))
    assert {"new", "routed", "awaiting_approval", "returned", "approved", "published", "closed_no_answer",
            "clarifying"} <= statuses
    from otklik.incidents.models import AnswerTemplate

    assert AnswerTemplate.objects.count() == 3  # and each passes the checks it would be saved with
    from otklik.incidents.answer_templates import template_findings

    assert all(f["severity"] != "error" for t in AnswerTemplate.objects.all() for f in template_findings(t.text))
    assert Incident.objects.filter(importance="high").exists()
    from django.utils import timezone

    assert IncidentStep.objects.filter(done_at__isnull=True, due_at__lt=timezone.now()).exists()  # a late one
    assert history_verify()[1] == []
    assert demo_feed_one(1).status == "new"
