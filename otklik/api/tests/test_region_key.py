"""The regional centre's one key for every municipality of its region (issue 14).

The demo region holds two municipalities (Пластуновское and Новотитаровское); a third
municipality of another region stays out of the key's reach in every direction.
"""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from otklik.api.models import ApiKey
from otklik.api.tests.conftest import SLUG, ApiClient, incident_body
from otklik.incidents.models import Incident
from otklik.org.models import Municipality, Region

pytestmark = pytest.mark.django_db
NEIGHBOUR = "novotitarovskoe"


@pytest.fixture
def region_token(demo: dict[str, Any]) -> str:
    return ApiKey.issue(region=Region.objects.get(slug="krasnodarskiy-kray"), name="Мониторинг ЦУР")[1]


@pytest.fixture
def foreign() -> Municipality:
    region = Region.objects.create(slug="other-region", name="Другой край")
    return Municipality.objects.create(region=region, slug="other-mo", name="Другое МО")


def test_one_region_key_hands_in_to_every_municipality_of_its_region(region_token: str) -> None:
    api = ApiClient(region_token)
    first = api.post("/incidents", incident_body(external_id="cur-1"))
    second = api.post("/incidents", incident_body(external_id="cur-2", municipality=NEIGHBOUR))
    assert (first.status_code, second.status_code) == (201, 201), (first.content, second.content)
    assert Incident.objects.get(pk=first.json()["id"]).municipality.slug == SLUG
    assert Incident.objects.get(pk=second.json()["id"]).municipality.slug == NEIGHBOUR
    assert Incident.objects.get(pk=second.json()["id"]).events.get().actor_label == "API: Мониторинг ЦУР"
    # Idempotent per municipality, as with a municipality's own key.
    assert api.post("/incidents", incident_body(external_id="cur-2", municipality=NEIGHBOUR)).status_code == 200


def test_region_key_reads_every_municipality_and_one_when_named(region_token: str) -> None:
    api = ApiClient(region_token)
    mine = api.post("/incidents", incident_body(external_id="cur-1")).json()["id"]
    theirs = api.post("/incidents", incident_body(external_id="cur-2", municipality=NEIGHBOUR)).json()["id"]
    assert {r["id"] for r in api.get("/incidents").json()} == {mine, theirs}
    named = api.get("/incidents", municipality=NEIGHBOUR).json()
    assert [(r["id"], r["municipality"]) for r in named] == [(theirs, NEIGHBOUR)]
    assert api.get(f"/incidents/{theirs}").status_code == 200


def test_region_key_never_reaches_another_region(region_token: str, foreign: Municipality) -> None:
    outside = ApiKey.issue(municipality=foreign, name="чужой ЦУР")[1]
    foreign_id = ApiClient(outside).post("/incidents", incident_body(municipality="other-mo")).json()["id"]
    api = ApiClient(region_token)
    r = api.post("/incidents", incident_body(external_id="x-1", municipality="other-mo"))
    assert r.status_code == 403
    assert r.json()["detail"] == "Ключ выдан для другого региона."
    assert Incident.objects.filter(municipality=foreign).count() == 1
    assert api.get(f"/incidents/{foreign_id}").status_code == 404
    assert foreign_id not in {r["id"] for r in api.get("/incidents").json()}
    assert api.get("/incidents", municipality="other-mo").json() == []


def test_municipality_key_still_reads_only_its_own(demo: dict[str, Any], region_token: str) -> None:
    theirs = ApiClient(region_token).post("/incidents", incident_body(municipality=NEIGHBOUR)).json()["id"]
    own = ApiClient(ApiKey.issue(municipality=Municipality.objects.get(slug=SLUG), name="МО")[1])
    assert own.get(f"/incidents/{theirs}").status_code == 404
    assert own.get("/incidents", municipality=NEIGHBOUR).json() == []
    assert own.post("/incidents", incident_body(municipality=NEIGHBOUR)).status_code == 403


def test_region_key_takes_no_workflow_action(region_token: str) -> None:
    api = ApiClient(region_token)
    pk = api.post("/incidents", incident_body()).json()["id"]
    r = api.post(f"/incidents/{pk}/actions/close_no_answer", {"reason": "threat", "comment": "угроза"})
    assert r.status_code == 403
    assert Incident.objects.get(pk=pk).status == "new"


def test_revoked_region_key_is_401(demo: dict[str, Any]) -> None:
    key, token = ApiKey.issue(region=Region.objects.get(slug="krasnodarskiy-kray"), name="ЦУР")
    key.revoke()
    assert ApiClient(token).post("/incidents", incident_body()).status_code == 401


def test_a_key_has_exactly_one_scope_and_no_person_on_a_region(demo: dict[str, Any]) -> None:
    region = Region.objects.get(slug="krasnodarskiy-kray")
    with pytest.raises(ValueError, match="либо для МО, либо для региона"):
        ApiKey.issue(region=region, municipality=Municipality.objects.get(slug=SLUG), name="оба")
    with pytest.raises(ValueError, match="без сотрудника"):
        ApiKey.issue(region=region, name="ЦУР", person=demo["region"])
    # The database holds the rule too, whatever writes the row.
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiKey.objects.create(name="ничей", prefix="0" * 12, hashed_secret="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiKey.objects.create(name="с сотрудником", prefix="1" * 12, hashed_secret="x", region=region,
                              person=demo["region"])


def test_cli_issues_and_lists_a_region_key(demo: dict[str, Any]) -> None:
    out = StringIO()
    call_command("apikey", "create", "--region", "krasnodarskiy-kray", "--name", "Мониторинг", stdout=out)
    text = out.getvalue()
    assert "регион krasnodarskiy-kray — все его МО (сейчас 2)" in text
    token = text.strip().splitlines()[-1]
    assert ApiClient(token).post("/incidents", incident_body(municipality=NEIGHBOUR)).status_code == 201
    listed = StringIO()
    call_command("apikey", "list", stdout=listed)
    assert "регион krasnodarskiy-kray\tМониторинг" in listed.getvalue()


def test_cli_refuses_a_person_on_a_region_key_and_an_unknown_region(demo: dict[str, Any]) -> None:
    with pytest.raises(CommandError, match="без сотрудника"):
        call_command("apikey", "create", "--region", "krasnodarskiy-kray", "--name", "x", "--person", "region")
    with pytest.raises(CommandError, match="не найден"):
        call_command("apikey", "create", "--region", "nowhere", "--name", "x")
    assert not ApiKey.objects.exists()
