"""POST /api/v1/incidents: deadlines, idempotency, conflicts, validation, scope and tokens."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from otklik.api.tests.conftest import ApiClient, incident_body, make_key
from otklik.incidents.models import Incident, IncidentEvent
from otklik.org.models import Municipality, Region

pytestmark = pytest.mark.django_db
Api = Callable[[str | None], ApiClient]


def test_intake_answers_201_with_working_time_deadlines(api_as: Api) -> None:
    r = api_as(None).post("/incidents", incident_body())
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["status"] == "new"
    # Fri 16:30–18:00 = 1.5 h, Mon 09–13 = 4 h, 14:00–16:30 = 2.5 h → 8 working hours.
    assert data["deadlines"]["answer"] == "2026-12-07T16:30:00+03:00"
    # Handed over Fri 17:50: 10 min on Friday, 20 min on Monday.
    assert data["deadlines"]["route"] == "2026-12-07T09:20:00+03:00"
    assert {s["kind"] for s in data["steps"]} == {"answer", "route"}
    incident = Incident.objects.get(pk=data["id"])
    assert incident.external_id == "cur-1001" and incident.author_name == "Анна Петрова"
    assert incident.events.get().actor_label == "API: test system"


def test_intake_high_importance_halves_the_deadlines(api_as: Api) -> None:
    r = api_as(None).post("/incidents", incident_body(importance="high"))
    assert r.status_code == 201
    assert r.json()["deadlines"]["answer"] == "2026-12-07T11:30:00+03:00"
    assert r.json()["deadlines"]["route"] == "2026-12-07T09:05:00+03:00"


def test_intake_by_a_person_key_records_the_person(api_as: Api, demo: dict[str, Any]) -> None:
    r = api_as("region").post("/incidents", incident_body())
    assert r.status_code == 201
    assert Incident.objects.get(pk=r.json()["id"]).created_by == demo["region"]


def test_same_external_id_same_content_is_200_and_creates_nothing(api_as: Api) -> None:
    api = api_as(None)
    first = api.post("/incidents", incident_body())
    again = api.post("/incidents", incident_body())
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["deadlines"] == first.json()["deadlines"]
    assert Incident.objects.count() == 1
    assert IncidentEvent.objects.count() == 1


def test_same_external_id_changed_content_is_409_and_nothing_overwritten(api_as: Api) -> None:
    api = api_as(None)
    api.post("/incidents", incident_body())
    r = api.post("/incidents", incident_body(text="Совсем другой текст"))
    assert r.status_code == 409
    assert "external_id" in r.json()["detail"]
    assert Incident.objects.get().text == "Яма на ул. Красной, 15"
    assert Incident.objects.count() == 1


def _fields(r: Any) -> set[str]:
    return {str(e["loc"][-1]) for e in r.json()["detail"]}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"text": None}, "text"),
        ({"network": "facebook"}, "network"),
        ({"kind": "complaint"}, "kind"),
        ({"importance": "urgent"}, "importance"),
        ({"detected_at": "2026-12-04T16:30:00"}, "detected_at"),
        ({"handed_over_at": "2026-12-04T17:50:00"}, "handed_over_at"),
        ({"url": "vk.com/wall"}, "url"),
    ],
)
def test_invalid_input_is_422_naming_the_field(api_as: Api, change: dict[str, Any], field: str) -> None:
    body = incident_body(**change)
    if change.get("text", "") is None:
        del body["text"]
    r = api_as(None).post("/incidents", body)
    assert r.status_code == 422, r.content
    assert field in _fields(r)
    assert Incident.objects.count() == 0


def test_422_lists_every_bad_field_at_once(api_as: Api) -> None:
    body = incident_body(network="icq", detected_at="2026-12-04T16:30:00")
    del body["text"]
    r = api_as(None).post("/incidents", body)
    assert r.status_code == 422
    assert {"text", "network", "detected_at"} <= _fields(r)


def test_unknown_municipality_is_404(api_as: Api) -> None:
    r = api_as(None).post("/incidents", incident_body(municipality="nowhere"))
    assert r.status_code == 404
    assert Incident.objects.count() == 0


def test_no_token_bad_token_and_revoked_token_are_401(demo: dict[str, Any]) -> None:
    key, token = make_key()
    assert ApiClient(None).post("/incidents", incident_body()).status_code == 401
    assert ApiClient("garbage").post("/incidents", incident_body()).status_code == 401
    prefix = token.split(".")[0]
    assert ApiClient(f"{prefix}.wrong-secret").post("/incidents", incident_body()).status_code == 401
    key.revoke()
    assert ApiClient(token).post("/incidents", incident_body()).status_code == 401
    assert ApiClient(token).get("/incidents").status_code == 401
    assert Incident.objects.count() == 0


def test_token_of_another_municipality_is_403(demo: dict[str, Any]) -> None:
    region = Region.objects.create(slug="other-region", name="Другой край")
    Municipality.objects.create(region=region, slug="other-mo", name="Другое МО")
    _, token = make_key(slug="other-mo")
    r = ApiClient(token).post("/incidents", incident_body())
    assert r.status_code == 403
    assert Incident.objects.count() == 0


def test_invalid_body_without_token_is_401_not_422(demo: dict[str, Any]) -> None:
    assert ApiClient(None).post("/incidents", {"text": ""}).status_code == 401
