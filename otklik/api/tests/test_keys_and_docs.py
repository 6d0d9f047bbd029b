"""`otklik apikey` and the OpenAPI document."""

from __future__ import annotations

import hashlib
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from otklik.api.models import ApiKey
from otklik.api.tests.conftest import ApiClient

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("apikey", *args, stdout=out)
    return out.getvalue()


def test_create_prints_the_token_once_and_stores_only_its_hash(demo: dict[str, Any]) -> None:
    out = _run("create", "--municipality", "plastunovskoe", "--name", "ЦУР края")
    token = out.strip().splitlines()[-1]
    prefix, secret = token.split(".", 1)
    assert out.count(secret) == 1
    key = ApiKey.objects.get()
    assert key.prefix == prefix and key.person is None
    assert key.hashed_secret == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiKey.objects.values().get())
    assert len(secret) >= 43  # 32 random bytes, urlsafe base64
    assert ApiClient(token).get("/incidents").status_code == 200
    listing = _run("list")
    assert prefix in listing and secret not in listing


def test_create_with_a_person_and_revoke(demo: dict[str, Any]) -> None:
    out = _run("create", "--municipality", "plastunovskoe", "--name", "бот", "--person", "curator")
    token = out.strip().splitlines()[-1]
    key = ApiKey.objects.get()
    assert key.person == demo["curator"]
    _run("revoke", str(key.pk))
    assert ApiClient(token).get("/incidents").status_code == 401
    assert "отозван" in _run("list")


def test_create_refuses_a_person_of_another_municipality(demo: dict[str, Any]) -> None:
    with pytest.raises(CommandError):
        _run("create", "--municipality", "novotitarovskoe", "--name", "x", "--person", "curator")
    with pytest.raises(CommandError):
        _run("create", "--municipality", "nowhere", "--name", "x")
    assert not ApiKey.objects.exists()
    # the regional curator may hold a key for any municipality of the region
    _run("create", "--municipality", "novotitarovskoe", "--name", "x", "--person", "region")


def test_openapi_lists_the_paths(db: None) -> None:
    r = Client().get("/api/v1/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    assert "/api/v1/incidents" in paths
    assert "/api/v1/incidents/{incident_id}" in paths
    for action in ["route", "not_ours", "ask_clarification", "clarification_received", "submit_part",
                   "name_consolidator", "submit_draft", "forward", "approve", "return", "edit_approved",
                   "publish", "set_final_timings", "close_no_answer", "raise_importance"]:
        assert f"/api/v1/incidents/{{incident_id}}/actions/{action}" in paths, action
    network = r.json()["components"]["schemas"]["IncidentIn"]["properties"]["network"]
    assert set(network["enum"]) == {"vk", "ok", "telegram", "max"}


def test_docs_page_uses_no_cdn(db: None) -> None:
    r = Client().get("/api/v1/docs")
    assert r.status_code == 200
    html = r.content.decode()
    assert "cdn" not in html.lower() and "https://" not in html
    assert "/api/v1/docs/static/swagger-ui-bundle.js" in html
    bundle = Client().get("/api/v1/docs/static/swagger-ui-bundle.js")
    assert bundle.status_code == 200
    assert Client().get("/api/v1/docs/static/..%2Fsettings.py").status_code == 404


def test_every_schema_component_has_one_owner() -> None:
    """Two schemas of one name overwrite each other in the OpenAPI document (a posts' ApproveIn once
    made the incidents' text_hash_seen nullable): every component name is defined once."""
    import ninja

    from otklik.api.routes import api

    names: dict[str, set[str]] = {}
    for cls in _subclasses(ninja.Schema):
        if cls.__module__.startswith("otklik."):
            names.setdefault(cls.__name__, set()).add(cls.__module__)
    assert {n: m for n, m in names.items() if len(m) > 1} == {}
    approve = api.get_openapi_schema()["components"]["schemas"]["ApproveIn"]
    assert "text_hash_seen" in approve["required"]


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found
