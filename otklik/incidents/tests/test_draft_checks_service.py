"""The service checks the draft (п. 14, 20): whatever the caller, the answer checks run inside
the draft services and their findings are what the approver sees."""

from __future__ import annotations

from typing import Any

import pytest

from otklik.incidents import services as svc
from otklik.incidents.models import Draft, Status
from otklik.incidents.tests.test_services import acc, at, draft_to_approval, intake, route

pytestmark = pytest.mark.django_db


def test_a_draft_with_errors_is_refused_by_the_service_itself(demo: dict[str, Any]) -> None:
    incident = route(demo, intake(demo))
    with pytest.raises(svc.DraftCheckFailed) as refused:
        svc.incident_submit_draft(access=acc(demo, "executor"), incident_id=incident.pk, text="яму засыпем",
                                  at=at(7, 10))
    assert "greeting" in {f["code"] for f in refused.value.findings}
    incident.refresh_from_db()
    assert incident.status == Status.ROUTED and not Draft.objects.exists()
    draft = svc.incident_submit_draft(access=acc(demo, "executor"), incident_id=incident.pk, text="яму засыпем",
                                      confirmed_with_errors=True, at=at(7, 10))
    assert {"greeting", "punctuation"} <= {f["code"] for f in draft.findings} and draft.confirmed_with_errors


def test_a_clean_draft_passes_without_confirmation(demo: dict[str, Any]) -> None:
    incident = route(demo, intake(demo))
    draft = svc.incident_submit_draft(
        access=acc(demo, "executor"), incident_id=incident.pk, at=at(7, 10),
        text="Здравствуйте, Анна! Яму на ул. Красной, 15 засыпем щебнем до 10 декабря.")
    assert not any(f["severity"] == "error" for f in draft.findings) and not draft.confirmed_with_errors


def test_an_edit_after_approval_is_checked_too(demo: dict[str, Any]) -> None:
    incident = route(demo, intake(demo))
    d = draft_to_approval(demo, incident)
    svc.incident_approve(access=acc(demo, "region"), incident_id=incident.pk, text_hash_seen=d.text_hash)
    with pytest.raises(svc.DraftCheckFailed):
        svc.incident_edit_approved(access=acc(demo, "curator"), incident_id=incident.pk, text="засыпем")
    incident.refresh_from_db()
    assert incident.status == Status.APPROVED


def test_the_service_takes_no_findings_from_its_caller() -> None:
    import inspect

    for service in (svc.incident_submit_draft, svc.incident_edit_approved):
        assert "findings" not in inspect.signature(service).parameters
