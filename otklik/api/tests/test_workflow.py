"""Reading an incident and acting on it through the API, under the same roles as the interface."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from otklik.api.tests.conftest import ApiClient, incident_body, make_key
from otklik.incidents.models import Draft, Incident, IncidentEvent
from otklik.incidents.services import text_hash
from otklik.org.models import Municipality, Region, Unit

pytestmark = pytest.mark.django_db
Api = Callable[[str | None], ApiClient]
ZHKH = "Отдел ЖКХ и благоустройства"
ANSWER = "Здравствуйте, Анна! Яму на ул. Красной засыплем до 10 декабря."


def _intake(api_as: Api) -> int:
    r = api_as(None).post("/incidents", incident_body())
    assert r.status_code == 201
    return int(r.json()["id"])


def _zhkh() -> int:
    return Unit.objects.get(name=ZHKH, municipality__slug="plastunovskoe").pk


def test_detail_shows_status_steps_who_acts_and_history(api_as: Api) -> None:
    pk = _intake(api_as)
    r = api_as(None).get(f"/incidents/{pk}")
    assert r.status_code == 200
    data = r.json()
    assert data["status"] == "new"
    assert {s["kind"] for s in data["current_steps"]} == {"answer", "route"}
    assert {(m["role"], m["step"]) for m in data["must_act"]} == {
        ("municipal_curator", "answer"), ("municipal_curator", "route")}
    # the handover step is done: listed among all deadlines with its done_at
    handover = next(s for s in data["steps"] if s["kind"] == "handover")
    assert handover["done_at"] == "2026-12-04T17:50:00+03:00"
    assert data["deadlines"]["answer"] == "2026-12-07T16:30:00+03:00"
    [event] = data["history"]
    # The history records the server's time; the hand-over time the region claims is labelled.
    assert event["at"].startswith("2026-12-04T18:00") and event["at"].endswith("+03:00")
    assert {k: event[k] for k in ("seq", "actor", "action", "from", "to")} == {
        "seq": 1, "actor": "API: test system", "action": "intake", "from": "", "to": "new"}
    assert event["payload"] == {"kind": "incident", "importance": "normal", "external_id": "cur-1001",
                                "detected_at": "2026-12-04 16:30:00+03:00",
                                "handed_over_at_claimed": "2026-12-04 17:50:00+03:00"}


def test_list_shows_the_keys_municipality(api_as: Api) -> None:
    pk = _intake(api_as)
    r = api_as(None).get("/incidents", status="new", limit=10)
    assert r.status_code == 200
    assert [i["id"] for i in r.json()] == [pk]
    assert api_as(None).get("/incidents", status="published").json() == []


def test_other_municipality_key_sees_nothing(api_as: Api) -> None:
    pk = _intake(api_as)
    region = Region.objects.create(slug="other-region", name="Другой край")
    Municipality.objects.create(region=region, slug="other-mo", name="Другое МО")
    _, token = make_key(slug="other-mo")
    other = ApiClient(token)
    assert other.get(f"/incidents/{pk}").status_code == 404
    assert other.get("/incidents").json() == []


def test_regional_curator_key_is_limited_to_its_municipality(api_as: Api, demo: dict[str, Any]) -> None:
    """The regional curator sees the whole region in the interface; its key sees one МО."""
    pk = _intake(api_as)
    _, token = make_key(slug="novotitarovskoe", person=demo["region"])
    assert ApiClient(token).get(f"/incidents/{pk}").status_code == 404
    assert ApiClient(token).post(f"/incidents/{pk}/actions/raise_importance").status_code == 404


def test_full_path_route_draft_forward_approve_publish(api_as: Api, demo: dict[str, Any]) -> None:
    pk = _intake(api_as)
    curator, executor, region = api_as("curator"), api_as("executor"), api_as("region")

    r = curator.post(f"/incidents/{pk}/actions/route", {"unit_ids": [_zhkh()]})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "routed"
    assert r.json()["assignments"][0]["executor"] == demo["executor"].full_name

    r = executor.post(f"/incidents/{pk}/actions/submit_draft", {"text": ANSWER})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "draft_submitted"
    assert any(m["step"] == "forward" for m in r.json()["must_act"])

    r = curator.post(f"/incidents/{pk}/actions/forward")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "awaiting_approval"

    seen = region.get(f"/incidents/{pk}").json()["drafts"][-1]["text_hash"]
    assert seen == text_hash(ANSWER)
    r = region.post(f"/incidents/{pk}/actions/approve", {"text_hash_seen": seen})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "approved"

    r = curator.post(f"/incidents/{pk}/actions/publish", {"published_url": "https://vk.com/wall-1_2?reply=9"})
    assert r.status_code == 200, r.content
    data = r.json()
    assert data["status"] == "published"
    assert data["current_steps"] == [] and data["must_act"] == []
    assert [e["action"] for e in data["history"]] == [
        "intake", "route", "dispatch", "submit_draft", "forward", "approve", "publish"]
    assert data["history"][-1]["actor"] == demo["curator"].full_name
    assert Draft.objects.get().decided_by == demo["region"]


def test_approve_with_a_stale_hash_is_409(api_as: Api) -> None:
    pk = _intake(api_as)
    api_as("curator").post(f"/incidents/{pk}/actions/route", {"unit_ids": [_zhkh()]})
    api_as("executor").post(f"/incidents/{pk}/actions/submit_draft", {"text": ANSWER})
    api_as("curator").post(f"/incidents/{pk}/actions/forward")
    r = api_as("region").post(f"/incidents/{pk}/actions/approve", {"text_hash_seen": "0" * 64})
    assert r.status_code == 409
    assert "изменился" in r.json()["detail"]
    assert Incident.objects.get().status == "awaiting_approval"


def test_return_with_reasons_through_the_api(api_as: Api) -> None:
    pk = _intake(api_as)
    api_as("curator").post(f"/incidents/{pk}/actions/route", {"unit_ids": [_zhkh()]})
    api_as("executor").post(f"/incidents/{pk}/actions/submit_draft", {"text": ANSWER})
    api_as("curator").post(f"/incidents/{pk}/actions/forward")
    bad = api_as("region").post(f"/incidents/{pk}/actions/return", {"reasons": [{"code": "rude"}]})
    assert bad.status_code == 422
    r = api_as("region").post(f"/incidents/{pk}/actions/return",
                              {"reasons": [{"code": "greeting", "comment": "Нет обращения"}]})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "returned"
    assert r.json()["drafts"][-1]["return_reasons"] == [{"code": "greeting", "comment": "Нет обращения"}]


def test_role_refusal_is_403_and_changes_nothing(api_as: Api) -> None:
    pk = _intake(api_as)
    api_as("curator").post(f"/incidents/{pk}/actions/route", {"unit_ids": [_zhkh()]})
    events = IncidentEvent.objects.count()
    r = api_as("executor").post(f"/incidents/{pk}/actions/forward")
    assert r.status_code == 403
    assert "недоступно для вашей роли" in r.json()["detail"]
    r = api_as("curator").post(f"/incidents/{pk}/actions/submit_draft", {"text": ANSWER})
    assert r.status_code == 403
    assert IncidentEvent.objects.count() == events
    assert Incident.objects.get().status == "routed"


def test_wrong_state_is_409(api_as: Api) -> None:
    pk = _intake(api_as)
    r = api_as("curator").post(f"/incidents/{pk}/actions/forward")
    assert r.status_code == 409
    assert "невозможно" in r.json()["detail"]


def test_executor_of_another_unit_gets_404(api_as: Api) -> None:
    pk = _intake(api_as)
    api_as("curator").post(f"/incidents/{pk}/actions/route", {"unit_ids": [_zhkh()]})
    assert api_as("finance").get(f"/incidents/{pk}").status_code == 404
    assert api_as("finance").post(f"/incidents/{pk}/actions/submit_draft", {"text": ANSWER}).status_code == 404


def test_system_key_takes_no_actions(api_as: Api) -> None:
    pk = _intake(api_as)
    r = api_as(None).post(f"/incidents/{pk}/actions/route", {"unit_ids": [_zhkh()]})
    assert r.status_code == 403
    assert Incident.objects.get().status == "new"


def test_action_validation_is_422(api_as: Api) -> None:
    pk = _intake(api_as)
    r = api_as("curator").post(f"/incidents/{pk}/actions/route", {"unit_ids": []})
    assert r.status_code == 422
    r = api_as("curator").post(f"/incidents/{pk}/actions/close_no_answer", {"reason": "boring"})
    assert r.status_code == 422
    assert Incident.objects.get().status == "new"


def test_raise_importance_and_close_no_answer(api_as: Api) -> None:
    pk = _intake(api_as)
    r = api_as("region").post(f"/incidents/{pk}/actions/raise_importance")
    assert r.status_code == 200, r.content
    assert r.json()["importance"] == "high"
    assert r.json()["deadlines"]["answer"] == "2026-12-07T11:30:00+03:00"
    r = api_as("curator").post(f"/incidents/{pk}/actions/close_no_answer",
                               {"reason": "obscenity", "comment": "мат"})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "closed_no_answer"


def test_answer_checks_run_on_the_server(api_as: Api) -> None:
    """п. 14, 20: a draft through the API is checked like one from the page; the approver sees the findings."""
    pk = _intake(api_as)
    api_as("curator").post(f"/incidents/{pk}/actions/route", {"unit_ids": [_zhkh()]})
    executor = api_as("executor")
    refused = executor.post(f"/incidents/{pk}/actions/submit_draft", {"text": "яму засыпем"})
    assert refused.status_code == 422
    [error] = refused.json()["detail"]
    assert error["loc"] == ["body", "text"] and "ошибки проверки" in error["msg"]
    assert "greeting" in {f["code"] for f in error["findings"]}
    sent = executor.post(f"/incidents/{pk}/actions/submit_draft",
                         {"text": "яму засыпем", "confirmed_with_errors": True})
    assert sent.status_code == 200
    draft = Draft.objects.get(incident_id=pk)
    assert {"greeting", "punctuation"} <= {f["code"] for f in draft.findings}
    assert draft.confirmed_with_errors


def _approved_via_api(api_as: Api, **body: Any) -> int:
    r = api_as(None).post("/incidents", incident_body(**body))
    assert r.status_code == 201, r.content
    pk = int(r.json()["id"])
    api_as("curator").post(f"/incidents/{pk}/actions/route", {"unit_ids": [_zhkh()]})
    api_as("executor").post(f"/incidents/{pk}/actions/submit_draft", {"text": ANSWER})
    api_as("curator").post(f"/incidents/{pk}/actions/forward")
    r = api_as("region").post(f"/incidents/{pk}/actions/approve", {"text_hash_seen": text_hash(ANSWER)})
    assert r.json()["status"] == "approved"
    return pk


def test_publish_without_a_link_goes_out_through_the_registered_page(api_as: Api, demo: dict[str, Any],
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """п. 16: the API's `publish` with no `published_url` publishes through the network."""
    from otklik.channels.sandbox.demo_world import comment_id, demo_world, message_url, sandbox_env
    from otklik.channels.sandbox.server import running
    from otklik.incidents.publishing import publications_sweep

    with running(demo_world()) as (world, base):
        for name, value in sandbox_env(base.removeprefix("http://")).items():
            monkeypatch.setenv(name, value)
        pk = _approved_via_api(api_as, url=message_url(0))
        r = api_as("curator").post(f"/incidents/{pk}/actions/publish", {})
        assert r.status_code == 200, r.content
        data = r.json()
        assert data["status"] == "approved"
        assert data["publication"]["state"] == "pending" and data["publication"]["network"] == "vk"
        assert "publish_network" not in data["actions_available"]
        assert api_as("curator").post(f"/incidents/{pk}/actions/publish", {}).status_code == 409  # not twice
        publications_sweep()  # the worker's turn
        data = api_as("curator").get(f"/incidents/{pk}").json()
        assert data["status"] == "published" and data["publication"]["state"] == "done"
        assert data["published_url"] == data["publication"]["url"] != ""
        replies = [c for c in world.pages[("vk", "100")].comments.values() if c.author_id == "page"]
        assert [(c.text, c.reply_to) for c in replies] == [(ANSWER, comment_id(0))]


def test_publish_without_a_link_where_no_page_is_registered_marks_it_as_before(api_as: Api) -> None:
    pk = _approved_via_api(api_as)
    r = api_as("curator").post(f"/incidents/{pk}/actions/publish", {})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "published" and r.json()["publication"] is None
