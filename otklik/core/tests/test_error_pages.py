"""Russian error pages with a way back; DEBUG is off unless OTKLIK_DEBUG=1."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path

pytestmark = pytest.mark.django_db


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("сбой для проверки")


urlpatterns = [path("boom/", _boom), path("", include("config.urls"))]


def test_debug_is_off_in_the_suite_as_on_a_server(settings: Any) -> None:
    assert settings.DEBUG is False


def test_404_is_russian_with_a_way_back(demo: dict[str, Any], settings: Any) -> None:
    settings.OTKLIK_REQUIRE_2FA = False
    client = Client()
    client.force_login(demo["curator"].user)
    r = client.get("/нет-такой-страницы/")
    html = r.content.decode()
    assert r.status_code == 404 and "Страница не найдена" in html and 'href="/"' in html


@pytest.mark.urls("otklik.core.tests.test_error_pages")
def test_500_is_russian_with_a_way_back(db: None) -> None:
    r = Client(raise_request_exception=False).get("/boom/")
    html = r.content.decode()
    assert r.status_code == 500 and "Ошибка на сервере" in html and 'href="/"' in html
    assert "сбой для проверки" not in html and "Traceback" not in html


def test_csrf_failure_is_russian_with_a_way_back(db: None) -> None:
    r = Client(enforce_csrf_checks=True).post("/login/", {"username": "x", "password": "y"})
    html = r.content.decode()
    assert r.status_code == 403 and "Форма устарела" in html and 'href="/login/"' in html


def test_locked_out_page_links_back_to_sign_in(demo: dict[str, Any], settings: Any) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        r = client.post("/login/", {"username": "curator", "password": "wrong"})
    html = r.content.decode()
    assert "Слишком много неудачных попыток" in html and 'href="/login/"' in html


def test_static_files_are_served_with_debug_off(db: None) -> None:
    client = Client()
    for url in ("/static/otklik/otklik.css", "/static/django_htmx/htmx-2.min.js", "/static/incidents/editor.js"):
        assert client.get(url).status_code == 200, url
