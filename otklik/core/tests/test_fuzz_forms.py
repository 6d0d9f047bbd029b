"""Any input, no failure: every form of the interface, posted arbitrary text by Hypothesis,
answers a page or a form error — never a 500 (and bodies that are not UTF-8 neither).

CI runs a fixed number of examples per form (derandomized); `make fuzz` runs more
(OTKLIK_FUZZ_EXAMPLES).
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from otklik.api.models import ApiKey
from otklik.incidents import forms as f
from otklik.incidents.demo import demo_incidents_load
from otklik.incidents.models import Incident, Kind
from otklik.incidents.transitions import TRANSITIONS, actions_available
from otklik.incidents.views import FORMS
from otklik.org.models import Municipality, Person

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]
EXAMPLES = int(os.environ.get("OTKLIK_FUZZ_EXAMPLES", "25"))
# Every character but lone surrogates (a browser cannot send them in UTF-8); controls, NUL,
# combining marks, right-to-left and astral characters included.
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)
VALUE = st.one_of(TEXT, st.integers(min_value=-(2**70), max_value=2**70).map(str),
                  st.sampled_from(["", " ", "0", "-1", "9" * 30, str(2**63), str(2**63 - 1), "2026-12-01T10:00",
                                   "0001-01-01T00:00", "9999-12-31T23:59", "javascript:alert(1)", "https://vk.com/x",
                                   "\x00", "on", "1", "approved"]))
FUZZ = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])


@pytest.fixture
def world(demo: dict[str, Any], settings: Any) -> dict[str, Any]:
    """The demo's incidents in every state, plus the states it lacks: a publication and an
    incident with a draft at the curator, one waiting for the author, one answered in part."""
    settings.OTKLIK_REQUIRE_2FA = False
    demo_incidents_load()
    _more_states(demo)
    return demo


def _more_states(demo: dict[str, Any]) -> None:
    from django.utils import timezone

    from otklik.incidents import services as svc
    from otklik.org.models import Unit
    from otklik.org.selectors import access_for

    def acc(login: str) -> Any:
        return access_for(demo[login].user)

    mun = Municipality.objects.get(slug="plastunovskoe")
    zhkh = Unit.objects.get(municipality=mun, name="Отдел ЖКХ и благоустройства")
    now = timezone.now()
    made = {}
    for key, kind, by in [("pub", "publication", "curator"), ("drafted", "incident", "region"),
                          ("asking", "incident", "region"), ("waiting", "incident", "region"),
                          ("partial", "incident", "region")]:
        made[key], _ = svc.incident_intake(municipality=mun, kind=kind, importance="normal", network="vk",
                                           url="https://vk.com/wall-1_1", author_name="Анна", author_url="",
                                           text="Яма на ул. Мира", detected_at=now, by=demo[by])
        svc.incident_route(access=acc("curator"), incident_id=made[key].pk, unit_ids=[zhkh.pk])
    for key in ("pub", "drafted", "partial"):
        svc.incident_submit_draft(access=acc("executor"), incident_id=made[key].pk, confirmed_with_errors=True,
                                  text="Здравствуйте, Анна! Яму засыпем завтра.", intermediate=key == "partial")
    for key in ("asking", "waiting"):
        svc.incident_ask_clarification(access=acc("executor"), incident_id=made[key].pk, question="Где именно?",
                                       confirmed_with_errors=True)
    svc.incident_clarification_posted(access=acc("curator"), incident_id=made["waiting"].pk)
    svc.incident_forward(access=acc("curator"), incident_id=made["partial"].pk)
    draft = made["partial"].drafts.get()
    svc.incident_approve(access=acc("region"), incident_id=made["partial"].pk, text_hash_seen=draft.text_hash)
    svc.incident_publish(access=acc("curator"), incident_id=made["partial"].pk)


def _client(demo: dict[str, Any], login: str | None) -> Client:
    client = Client(raise_request_exception=False)
    if login:
        client.force_login(demo[login].user)
    return client


def _post(client: Client, url: str, fields: list[str], values: dict[str, str]) -> int:
    data = {name: values.get(name, "") for name in fields}
    response = client.post(url, data)
    assert response.status_code < 500, (url, data, response.content[:2000])
    return response.status_code


def _fields(form_class: type[Any]) -> list[str]:
    form = form_class() if form_class not in (f.IntakeForm,) else form_class(municipalities=Municipality.objects.all())
    return list(form.fields)


ACTION_LOGIN = {"route": "curator", "name_consolidator": "curator", "forward": "curator", "publish": "curator",
                "edit_approved": "curator", "close_no_answer": "curator", "raise_importance": "curator",
                "clarification_received": "curator", "clarification_posted": "curator",
                "close_unclarified": "curator", "not_ours": "executor", "ask_clarification": "executor",
                "submit_part": "executor", "submit_draft": "executor", "approve": "region", "return": "region",
                "set_final_timings": "region", "approve_local": "general", "return_local": "general",
                "publish_network": "curator", "publish_network_retry": "curator"}


def _incident_for(action: str, login: str, demo: dict[str, Any]) -> Incident:
    """An incident where the action is offered to the login, else any (the refusal is tested then)."""
    from otklik.org.selectors import access_for

    access = access_for(demo[login].user)
    assert access is not None
    for incident in Incident.objects.order_by("pk"):
        offered = action in actions_available(incident.status, access.roles)
        if offered and action.endswith("_local") == (incident.kind == Kind.PUBLICATION):
            return incident
    return Incident.objects.order_by("pk").first()  # type: ignore[return-value]


@pytest.mark.parametrize("action", sorted(TRANSITIONS))
def test_every_action_form_survives_any_input(world: dict[str, Any], action: str) -> None:
    login = ACTION_LOGIN[action]
    incident = _incident_for(action, login, world)
    client = _client(world, login)
    form_class = FORMS.get(action, f.EmptyForm)
    fields = [*_fields(form_class), *(["text_hash_seen"] if action.startswith("approve") else []),
              *([f"reason_{r}" for r in ("substance", "voice", "redirect", "greeting", "spelling")]
                if action.startswith("return") else []),
              *(["units"] if action == "route" else []), *(["person"] if action == "name_consolidator" else []),
              *(["text", "confirm_errors"] if action == "edit_approved" else [])]
    url = f"/incidents/{incident.pk}/act/{action}/"

    @FUZZ
    @given(values=st.dictionaries(st.sampled_from(fields or ["x"]), VALUE))
    def run(values: dict[str, str]) -> None:
        _post(client, url, fields, values)

    run()


def test_the_intake_form_survives_any_input(world: dict[str, Any]) -> None:
    fields = _fields(f.IntakeForm)
    mun = str(Municipality.objects.get(slug="plastunovskoe").pk)
    clients = [_client(world, login) for login in ("curator", "region")]

    @FUZZ
    @given(values=st.dictionaries(st.sampled_from(fields), VALUE), keep_municipality=st.booleans(),
           who=st.sampled_from([0, 1]))
    def run(values: dict[str, str], keep_municipality: bool, who: int) -> None:
        if keep_municipality:
            values = {**values, "municipality": mun}
        _post(clients[who], "/incidents/new/", fields, values)

    run()


def test_the_live_check_survives_any_input(world: dict[str, Any]) -> None:
    incident = _incident_for("submit_draft", "executor", world)
    client = _client(world, "executor")

    @FUZZ
    @given(text=TEXT, action=VALUE, attachments=VALUE, htmx=st.booleans())
    def run(text: str, action: str, attachments: str, htmx: bool) -> None:
        headers = {"HX-Request": "true"} if htmx else {}
        r = client.post(f"/incidents/{incident.pk}/check/",
                        {"text": text, "check_action": action, "attachments": attachments}, headers=headers)
        assert r.status_code < 500, (text, action)

    run()


def test_sign_in_and_second_factor_survive_any_input(world: dict[str, Any]) -> None:
    anonymous = _client(world, None)
    signed_in = _client(world, "curator")

    @FUZZ
    @given(username=VALUE, password=VALUE, token=VALUE, nxt=VALUE)
    def run(username: str, password: str, token: str, nxt: str) -> None:
        assert anonymous.post("/login/", {"username": username, "password": password, "next": nxt}).status_code < 500
        assert signed_in.post("/2fa/verify/", {"token": token, "next": nxt}).status_code < 500
        assert signed_in.post("/2fa/setup/", {"token": token}).status_code < 500

    run()


def test_the_keys_page_survives_any_input(world: dict[str, Any]) -> None:
    client = _client(world, "admin")
    people = [str(p) for p in Person.objects.values_list("pk", flat=True)[:3]]

    @FUZZ
    @given(name=VALUE, person=st.one_of(VALUE, st.sampled_from(people)), expires=VALUE)
    def run(name: str, person: str, expires: str) -> None:
        r = client.post("/settings/keys/", {"name": name, "person": person, "expires_on": expires})
        assert r.status_code < 500
        ApiKey.objects.all().delete()

    run()


@pytest.mark.parametrize("url", ["/login/", "/incidents/new/", "/settings/keys/", "/2fa/verify/", "/mail/inbox/",
                                 "/settings/integrity/"])
def test_bodies_that_are_not_utf8_are_no_500(world: dict[str, Any], url: str) -> None:
    client = _client(world, "curator" if not url.startswith("/settings") else "admin")
    for body, content_type in [(b"username=\xff\xfe&password=\xc3", "application/x-www-form-urlencoded"),
                               (b"--x\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n\xff\r\n--x--\r\n",
                                "multipart/form-data; boundary=x"),
                               (b"\x00" * 100, "multipart/form-data; boundary=zz"),
                               (b"{}", "application/json")]:
        r = client.generic("POST", url, body, content_type=content_type)
        assert r.status_code < 500, (url, body[:40], r.status_code)


@pytest.mark.parametrize("value", [str(2**63), "9" * 30, "-1", "1e5", "0x10", " 7 "])
def test_ids_the_database_cannot_hold_are_form_errors(world: dict[str, Any], value: str) -> None:
    """Found by a longer fuzz run: a unit id of 2**63 overflowed the database's integer (500)."""
    route = _incident_for("route", "curator", world)
    consolidate = _incident_for("name_consolidator", "curator", world)
    curator = _client(world, "curator")
    assert curator.post(f"/incidents/{route.pk}/act/route/", {"units": [value]}).status_code < 500
    assert curator.post(f"/incidents/{route.pk}/act/route/", {"units": ["1"], "consolidator": value}).status_code < 500
    assert curator.post(f"/incidents/{consolidate.pk}/act/name_consolidator/", {"person": value}).status_code < 500
    assert curator.post("/incidents/new/", {"municipality": value, "text": "x"}).status_code < 500
    assert _client(world, "admin").post("/settings/keys/", {"name": "x", "person": value}).status_code < 500
