"""The registry of official pages (Прил. 1 п. 1–3, 8): per organisation, with the health of each page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone

from otklik.channels.sandbox.demo_world import PAGES
from otklik.channels.sandbox.world import World
from otklik.core.tests.signin import client_for
from otklik.pages.health import pages_health_daily
from otklik.pages.models import OfficialPage


@pytest.fixture
def world(sandbox_world: World) -> World:
    return sandbox_world


def _row(html: str, page: OfficialPage) -> str:
    match = re.search(rf'<tr class="page-row[^"]*" id="page-{page.pk}">(.*?)</tr>', html, re.S)
    assert match, f"no row for page {page.pk}"
    return match.group(0)


@pytest.mark.parametrize("login", ["general", "editor", "admin"])
def test_p1_p3_registry_lists_pages_by_organisation(demo: dict[str, Any], login: str) -> None:
    response = client_for(demo, login).get("/pages/")
    assert response.status_code == 200
    html = response.content.decode()
    # The administration first, then the institution.
    assert html.index("<h2>Администрация</h2>") < html.index("МКУК «Культурно-досуговый центр»")
    vk = OfficialPage.objects.get(municipality__slug="plastunovskoe", network="vk", unit=None)
    row = _row(html, vk)
    assert "+7 861 620-00-00" in row  # п. 2: the service phone the page is bound to
    assert demo["editor"].full_name in row and demo["general"].full_name in row
    assert f'href="{vk.url}"' in row and "noopener" in row  # through {% ext_link %}
    assert "ключ не проверен" in row and "комментарии — не проверено" in row and "ещё не проверялась" in row
    assert "<td>—</td>" in row  # no post yet
    assert (f'href="/pages/{vk.pk}/"' in row) == (login != "editor")  # the vault button: head and admin only


def test_p5_post_columns_come_from_the_posts_stats(demo: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import datetime

    stats = pytest.importorskip("otklik.posts.stats")
    vk = OfficialPage.objects.get(municipality__slug="plastunovskoe", network="vk", unit=None)
    last = timezone.make_aware(datetime(2025, 3, 5, 10, 30))  # noqa: DTZ001  # made aware right here
    monkeypatch.setattr(stats, "post_stats", lambda pages, now: {vk.pk: stats.PostStats(last_at=last, this_week=3)})
    row = _row(client_for(demo, "editor").get("/pages/").content.decode(), vk)
    assert "<td>05.03.2025 10:30</td>" in row and "<td>3</td>" in row


@pytest.mark.parametrize("login", ["executor", "moderator", "deputy", "curator", "region"])
def test_registry_is_refused_to_other_roles(demo: dict[str, Any], login: str) -> None:
    assert client_for(demo, login).get("/pages/").status_code == 403


def test_p8_health_line_is_red_when_comments_are_closed(demo: dict[str, Any]) -> None:
    vk = OfficialPage.objects.get(municipality__slug="plastunovskoe", network="vk", unit=None)
    OfficialPage.objects.filter(pk=vk.pk).update(check_ok=True, page_open=True, comments_open=False,
                                                 status_detail="Комментарии к записям выключены.",
                                                 status_checked_at=timezone.now(), checked_at=timezone.now())
    row = _row(client_for(demo, "editor").get("/pages/").content.decode(), vk)
    assert 'class="page-row failing"' in row
    assert re.search(r'class="badge high health-bad">комментарии закрыты<', row)
    assert re.search(r'class="badge">страница открыта<', row) and re.search(r'class="badge">ключ работает<', row)
    assert "Комментарии к записям выключены." in row


def test_p8_check_button_asks_the_network(demo: dict[str, Any], world: World) -> None:
    pages = OfficialPage.objects.filter(municipality__slug="plastunovskoe").exclude(token_sealed="")
    assert pages.count() == len(PAGES)
    client = client_for(demo, "editor")
    for page in pages:
        response = client.post(f"/pages/{page.pk}/check/")
        assert response.status_code == 302 and response["Location"] == f"/pages/#page-{page.pk}"
        page.refresh_from_db()
        assert page.check_ok is True, (page.network, page.check_message)
        assert page.status_checked_at is not None and page.checked_at is not None
        # The sandbox's pages are open; a client without page_status() yet leaves it «not checked».
        assert page.page_open in (True, None) and page.comments_open in (True, None)
        assert page.page_open is not None or "проверьте вручную" in page.status_detail
    row = _row(client.get("/pages/").content.decode(), pages[0])
    assert "ключ работает" in row and "health-bad" not in row


def test_p8_a_revoked_token_shows_red(demo: dict[str, Any], world: World) -> None:
    vk = OfficialPage.objects.get(municipality__slug="plastunovskoe", network="vk", unit=None)
    world.pages[("vk", vk.external_id)].token = "revoked"
    response = client_for(demo, "general").post(f"/pages/{vk.pk}/check/", follow=True)
    row = _row(response.content.decode(), vk)
    assert re.search(r'health-bad">ключ не работает<', row)
    assert "Ключ доступа страницы больше не действует" in response.content.decode()


def test_check_is_a_post_and_role_checked(demo: dict[str, Any]) -> None:
    vk = OfficialPage.objects.get(municipality__slug="plastunovskoe", network="vk", unit=None)
    assert client_for(demo, "editor").get(f"/pages/{vk.pk}/check/").status_code == 302
    assert OfficialPage.objects.get(pk=vk.pk).checked_at is None  # a GET changes nothing
    assert client_for(demo, "executor").post(f"/pages/{vk.pk}/check/").status_code == 403


def test_daily_job_checks_every_page_with_a_token(demo: dict[str, Any], world: World) -> None:
    from otklik.core.periodic import REGISTRY

    assert {"pages-health", "pages-departures"} <= REGISTRY.keys()
    assert pages_health_daily() == len(PAGES)
    assert not OfficialPage.objects.exclude(token_sealed="").filter(status_checked_at=None).exists()
    assert OfficialPage.objects.get(name="КДЦ станицы Пластуновской").status_checked_at is None  # no token


def test_nav_shows_pages_to_those_who_see_them(demo: dict[str, Any]) -> None:
    assert 'href="/pages/"' in client_for(demo, "editor").get("/pages/").content.decode()
    assert 'href="/pages/"' not in client_for(demo, "executor").get("/profile/").content.decode()


def test_registry_queries_do_not_grow_with_pages(demo: dict[str, Any], django_assert_max_num_queries: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(demo, "general")
    with CaptureQueriesContext(connection) as before:
        client.get("/pages/")
    kdc = OfficialPage.objects.get(name="КДЦ станицы Пластуновской")
    for n in range(5):
        extra = OfficialPage.objects.create(municipality=kdc.municipality, unit=kdc.unit, network="ok",
                                            name=f"Клуб {n}", url=f"https://ok.ru/group/{n}")
        extra.responsible.add(demo["kdc"], demo["editor"])
    with django_assert_max_num_queries(len(before.captured_queries)):
        assert client.get("/pages/").status_code == 200
