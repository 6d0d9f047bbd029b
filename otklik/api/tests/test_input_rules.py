"""Everything from outside is hostile: links, dates, sizes, encodings, whitespace. Refused with
a Russian message and the right code; never a 500; JSON is UTF-8 without escapes."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from otklik.api import schemas
from otklik.api.tests.conftest import ApiClient, incident_body
from otklik.incidents.models import Incident
from otklik.incidents.services import INTAKE_FIELDS

pytestmark = pytest.mark.django_db
Api = Callable[[str | None], ApiClient]
HOSTILE = ["javascript:alert(document.cookie)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
           "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "ftp://example.com/x", "//evil.example/x",
           "https://", "http:///path"]


def _cyrillic(text: str) -> bool:
    return any("а" <= ch.lower() <= "я" for ch in text)


@pytest.mark.parametrize("link", HOSTILE)
def test_a_hostile_author_link_is_refused(api_as: Api, link: str) -> None:
    r = api_as(None).post("/incidents", incident_body(author={"name": "Х", "url": link}))
    assert r.status_code == 422, r.content
    [error] = r.json()["detail"]
    assert error["loc"][-1] == "url" and _cyrillic(error["msg"])
    assert not Incident.objects.exists()


@pytest.mark.parametrize("field", ["url", "attachments"])
@pytest.mark.parametrize("link", HOSTILE[:4])
def test_hostile_message_and_attachment_links_are_refused(api_as: Api, field: str, link: str) -> None:
    value: Any = [link] if field == "attachments" else link
    r = api_as(None).post("/incidents", incident_body(**{field: value}))
    assert r.status_code == 422 and not Incident.objects.exists()


def _routed(api_as: Api) -> int:
    from otklik.org.models import Unit

    pk = int(api_as(None).post("/incidents", incident_body()).json()["id"])
    zhkh = Unit.objects.get(municipality__slug="plastunovskoe", name="Отдел ЖКХ и благоустройства").pk
    assert api_as("curator").post(f"/incidents/{pk}/actions/route", {"unit_ids": [zhkh]}).status_code == 200
    return pk


def test_hostile_links_in_a_draft_and_the_published_link_are_refused(api_as: Api) -> None:
    pk = _routed(api_as)
    r = api_as("executor").post(f"/incidents/{pk}/actions/submit_draft",
                                {"text": "Здравствуйте!", "attachments": ["javascript:alert(1)"],
                                 "confirmed_with_errors": True})
    assert r.status_code == 422
    r = api_as("curator").post(f"/incidents/{pk}/actions/publish", {"published_url": "javascript:alert(1)"})
    assert r.status_code == 422


@pytest.mark.parametrize(("detected", "handed", "field", "words"), [
    ("2026-12-04T18:10:00+03:00", None, "detected_at", "будущем"),  # 10 min ahead of the server
    ("2031-01-01T10:00:00+03:00", None, "detected_at", "будущем"),
    ("9999-12-31T23:59:59+03:00", None, "detected_at", "будущем"),
    ("9999-12-31T23:59:59-12:00", None, "detected_at", "неверно"),
    ("0001-01-01T00:00:00+03:00", None, "detected_at", "неверно"),
    ("0001-01-01T12:00:00+00:00", None, "detected_at", "раньше начала"),
    ("2019-05-01T10:00:00+03:00", None, "detected_at", "раньше начала"),
    ("2026-12-04T16:30:00+03:00", "2026-12-04T16:00:00+03:00", "handed_over_at", "раньше времени обнаружения"),
    ("2026-12-04T16:30:00+03:00", "2026-12-04T19:00:00+03:00", "handed_over_at", "будущем"),
])
def test_impossible_moments_are_422_in_russian(api_as: Api, detected: str, handed: str | None, field: str,
                                               words: str) -> None:
    r = api_as(None).post("/incidents", incident_body(detected_at=detected, handed_over_at=handed))
    assert r.status_code == 422, r.content
    [error] = r.json()["detail"]
    assert error["loc"][-1] == field and words in error["msg"], error


def test_clock_skew_of_a_few_minutes_is_accepted(api_as: Api) -> None:
    r = api_as(None).post("/incidents", incident_body(detected_at="2026-12-04T18:03:00+03:00", handed_over_at=None))
    assert r.status_code == 201, r.content


@pytest.mark.parametrize("text", ["", " ", "\n\t ", "\u00a0\u2003"])
def test_whitespace_only_text_is_refused(api_as: Api, text: str) -> None:
    assert api_as(None).post("/incidents", incident_body(text=text)).status_code == 422


def test_whitespace_only_action_texts_are_refused(api_as: Api) -> None:
    pk = _routed(api_as)
    executor = api_as("executor")
    for action, body in [("not_ours", {"comment": "  "}), ("ask_clarification", {"question": "\n"}),
                         ("submit_part", {"text": " "}), ("submit_draft", {"text": "\t"})]:
        r = executor.post(f"/incidents/{pk}/actions/{action}", body)
        assert r.status_code == 422, (action, r.content)


def test_text_length_is_limited(api_as: Api, settings: Any) -> None:
    limit = settings.OTKLIK_MAX_TEXT
    assert limit == 20000
    assert api_as(None).post("/incidents", incident_body(text="а" * (limit + 1))).status_code == 422
    assert api_as(None).post("/incidents", incident_body(text="а" * limit)).status_code == 201


def test_a_body_over_the_limit_is_413_in_russian(api_as: Api, settings: Any) -> None:
    body = json.dumps(incident_body(text="а" * 10)).encode() + b" " * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    client = api_as(None)
    r = client.client.post("/api/v1/incidents", body, content_type="application/json", **client.headers)
    assert r.status_code == 413 and _cyrillic(r.json()["detail"])
    page = Client().post("/login/", {"username": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)})
    assert page.status_code == 413 and "Слишком большой запрос" in page.content.decode()


@pytest.mark.parametrize("body", [b"\xff\xfe{}", b"{not json", b'{"text": "\xc3"}', b"NaN", b'{"a": Infinity}'])
def test_bodies_that_are_not_utf8_json_are_400_in_russian(api_as: Api, body: bytes) -> None:
    client = api_as(None)
    r = client.client.post("/api/v1/incidents", body, content_type="application/json", **client.headers)
    assert r.status_code == 400 and "UTF-8" in r.json()["detail"]


@pytest.mark.parametrize("body", [b"[]", b"1", b'"x"', b"null", b"{}"])
def test_json_that_is_not_an_object_is_422(api_as: Api, body: bytes) -> None:
    client = api_as(None)
    r = client.client.post("/api/v1/incidents", body, content_type="application/json", **client.headers)
    assert r.status_code == 422
    assert all(_cyrillic(e["msg"]) for e in r.json()["detail"])


def test_nul_and_lone_surrogates_are_kept_visibly_not_a_500(api_as: Api) -> None:
    raw = json.dumps(incident_body(text="Яма\u0000 на улице \ud800 Красной", author={"name": "Ан\u0000на", "url": ""}))
    client = api_as(None)
    r = client.client.post("/api/v1/incidents", raw.encode(), content_type="application/json", **client.headers)
    assert r.status_code == 201, r.content
    incident = Incident.objects.get()
    assert incident.text == "Яма\ufffd на улице \ufffd Красной" and incident.author_name == "Ан\ufffdна"


def test_every_validation_message_is_russian(api_as: Api) -> None:
    bad = {"external_id": 5, "municipality": "", "kind": "x", "importance": "y", "network": "myspace",
           "url": 7, "author": "?", "text": ["a"], "detected_at": "вчера", "handed_over_at": "2026-12-04T10:00:00",
           "topic": "т" * 300, "location": None, "attachments": "x"}
    r = api_as(None).post("/incidents", bad)
    assert r.status_code == 422
    errors = r.json()["detail"]
    assert len(errors) >= 10
    for e in errors:
        assert _cyrillic(e["msg"]), e


def test_json_is_utf8_without_escapes_and_moments_share_one_offset(api_as: Api) -> None:
    pk = int(api_as(None).post("/incidents", incident_body()).json()["id"])
    detail = api_as(None).get(f"/incidents/{pk}")
    assert detail["Content-Type"] == "application/json; charset=utf-8"
    assert "Анна Петрова".encode() in detail.content and b"\\u04" not in detail.content
    listing = api_as(None).get("/incidents").json()
    assert listing[0]["detected_at"] == detail.json()["detected_at"] == "2026-12-04T16:30:00+03:00"
    moments = [detail.json()["detected_at"], detail.json()["handed_over_at"],
               *(s["due_at"] for s in detail.json()["steps"]), *(e["at"] for e in detail.json()["history"])]
    assert all(m.endswith("+03:00") for m in moments), moments


def test_only_administration_keys_register_publications(api_as: Api) -> None:
    body = incident_body(kind="publication", external_id="pub-1")
    system = api_as(None).post("/incidents", body)
    assert system.status_code == 403 and "администрации" in system.json()["detail"]
    assert api_as("region").post("/incidents", body).status_code == 403
    assert api_as("executor").post("/incidents", body).status_code == 403
    assert api_as("curator").post("/incidents", body).status_code == 201
    assert Incident.objects.get().kind == "publication"


def test_the_intake_hash_covers_every_field_of_the_schema() -> None:
    fields = set(schemas.IncidentIn.model_fields) - {"external_id", "municipality", "author"}
    assert fields | {"author_name", "author_url"} == set(INTAKE_FIELDS)


CHANGES: dict[str, Any] = {
    "kind": "publication", "importance": "high", "network": "ok", "url": "https://vk.com/wall-1_3",
    "author_name": "Анна Петровна", "author_url": "https://vk.com/id2", "text": "Яма на ул. Красной, 17",
    "attachments": ["https://vk.com/photo-1_2"], "detected_at": "2026-12-04T16:31:00+03:00",
    "handed_over_at": "2026-12-04T17:51:00+03:00", "topic": "освещение", "location": "ул. Красная, 17",
}


@pytest.mark.parametrize("field", INTAKE_FIELDS)
def test_a_repeat_with_any_one_field_changed_is_409(api_as: Api, field: str) -> None:
    assert set(CHANGES) == set(INTAKE_FIELDS)
    api = api_as("curator")  # a key that may register publications too
    assert api.post("/incidents", incident_body()).status_code == 201
    assert api.post("/incidents", incident_body()).status_code == 200
    changed = incident_body()
    if field.startswith("author_"):
        changed["author"] = {**changed["author"], field.removeprefix("author_"): CHANGES[field]}
    else:
        changed[field] = CHANGES[field]
    r = api.post("/incidents", changed)
    assert r.status_code == 409, (field, r.content)
    assert Incident.objects.count() == 1


def test_the_same_instant_in_another_offset_is_the_same_hand_in(api_as: Api) -> None:
    api = api_as(None)
    assert api.post("/incidents", incident_body()).status_code == 201
    same = incident_body(detected_at="2026-12-04T13:30:00+00:00", handed_over_at="2026-12-04T14:50:00Z")
    assert api.post("/incidents", same).status_code == 200


@pytest.mark.parametrize(("params", "ok"), [({"date_to": "0"}, False), ({"date_to": "1700000000"}, False),
                                           ({"date_to": "2026-12-01"}, True), ({"overdue": "yes"}, False),
                                           ({"overdue": "1"}, False), ({"overdue": "true"}, True),
                                           ({"q": "яма\x00"}, False), ({"limit": "0"}, False)])
def test_list_filters_take_only_what_the_schema_says(api_as: Api, params: dict[str, str], ok: bool) -> None:
    """Found by schemathesis: «date_to=0» was read as 1970-01-01 by pydantic's lax parsing."""
    assert (api_as(None).get("/incidents", **params).status_code == 200) is ok


@pytest.mark.parametrize(("value", "ok"), [(5, True), (5.0, True), ("5", False), (True, False), (0, False),
                                           (2**62 + 1, False), (5.5, False)])
def test_ids_in_bodies_are_json_integers(api_as: Api, value: Any, ok: bool) -> None:
    pk = int(api_as(None).post("/incidents", incident_body()).json()["id"])
    r = api_as("curator").post(f"/incidents/{pk}/actions/name_consolidator", {"person_id": value})
    assert (r.status_code != 422) is ok, r.content


@pytest.mark.parametrize("char", ["\U00017b55", "\u0301", "\u200d", "\u202e", "\x07", "\U0010ffff", "\ufeff"])
def test_a_draft_with_any_character_is_checked_not_a_500(api_as: Api, char: str) -> None:
    """Found by a random run: a code point pymorphy3 has no name for, next to a Latin letter."""
    pk = _routed(api_as)
    text = f"Здравствуйте, Анна! Яму a{char}b засыпем{char} до пятницы."
    r = api_as("executor").post(f"/incidents/{pk}/actions/submit_draft", {"text": text})
    assert r.status_code in (200, 422), r.content


def test_optional_texts_of_spaces_are_empty_not_errors(api_as: Api) -> None:
    """Found by schemathesis: «reply»: " " is schema-valid, and was refused."""
    from otklik.incidents.models import Incident, Status

    pk = _routed(api_as)
    Incident.objects.filter(pk=pk).update(status=Status.CLARIFYING)
    assert api_as("curator").post(f"/incidents/{pk}/actions/clarification_received", {"reply": " "}).status_code == 200
    r = api_as("curator").post(f"/incidents/{pk}/actions/close_no_answer", {"reason": "insult", "comment": "  "})
    assert r.status_code == 200


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "0001-12-31", "9999-01-01"])
def test_list_dates_at_the_ends_of_the_calendar_are_no_500(api_as: Api, demo: dict[str, Any], day: str) -> None:
    """Found by schemathesis: date_from=0001-01-01 overflowed when turned into a UTC moment."""
    for param in ("date_from", "date_to"):
        assert api_as(None).get("/incidents", **{param: day}).status_code == 200
    from django.test import Client

    client = Client()
    client.force_login(demo["curator"].user)
    assert client.get("/incidents/all/", {"date_from": day, "date_to": day}).status_code in (200, 302)
