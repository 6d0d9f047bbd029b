"""The database away (a restart, a fail-over): 503 in Russian with Retry-After, never a 500.

tests/faults/test_postgres_restart.py shows it against a real PostgreSQL restart; these are
the same rules in-process, on any database."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path

from config import urls as project_urls
from otklik.core.unavailable import MESSAGE, RETRY_AFTER_SECONDS, database_unavailable

pytestmark = pytest.mark.django_db


def _db_gone(request: HttpRequest) -> HttpResponse:
    raise OperationalError("terminating connection due to administrator command")


def _wrapped(request: HttpRequest) -> HttpResponse:
    try:
        raise InterfaceError("connection already closed")
    except InterfaceError as exc:
        raise RuntimeError("while saving") from exc


def _bug(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("сбой для проверки")


urlpatterns = [path("gone/", _db_gone), path("api/v1/gone/", _db_gone), path("wrapped/", _wrapped),
               path("bug/", _bug), path("", include("config.urls"))]
handler500 = project_urls.handler500  # the project's own handler, as config/urls.py sets it

URLS = "otklik.core.tests.test_unavailable"


@pytest.mark.urls(URLS)
def test_a_page_answers_503_in_russian_with_retry_after() -> None:
    r = Client(raise_request_exception=False).get("/gone/")
    html = r.content.decode()
    assert r.status_code == 503 and r["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "Сервис временно недоступен" in html and MESSAGE in html
    assert "administrator command" not in html


@pytest.mark.urls(URLS)
def test_the_api_answers_503_as_russian_json() -> None:
    r = Client(raise_request_exception=False).get("/api/v1/gone/")
    assert r.status_code == 503 and r["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert r["Content-Type"] == "application/json; charset=utf-8" and r.json() == {"detail": MESSAGE}


@pytest.mark.urls(URLS)
def test_a_database_error_behind_another_is_still_503() -> None:
    assert Client(raise_request_exception=False).get("/wrapped/").status_code == 503


@pytest.mark.urls(URLS)
def test_any_other_error_stays_the_russian_500() -> None:
    r = Client(raise_request_exception=False).get("/bug/")
    assert r.status_code == 500 and "Ошибка на сервере" in r.content.decode() and "Retry-After" not in r


def test_the_session_read_in_middleware_is_covered(monkeypatch: pytest.MonkeyPatch) -> None:
    """The session and the user are read inside middleware, before any view: still 503."""

    def gone(self: Any) -> dict[str, Any]:
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(SessionStore, "load", gone)
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "x" * 32
    r = client.get("/incidents/")
    assert r.status_code == 503 and "Сервис временно недоступен" in r.content.decode()


def test_database_unavailable_reads_the_chain_of_causes() -> None:
    assert database_unavailable(OperationalError("x"))
    assert not database_unavailable(RuntimeError("x"))
    assert not database_unavailable(None)
