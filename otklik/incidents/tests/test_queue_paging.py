"""The queue pages (`?page=N`, 50 rows) and searches (`?q=`): every open step reaches its row
exactly once across the pages, the cost of a page does not grow with the queue, and bad
parameters give the first page, not an error."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from otklik.core.tests.signin import client_for
from otklik.incidents.selectors import QUEUE_MAX_PAGE, QUEUE_PAGE_SIZE
from otklik.incidents.tests.test_services import MBU, ZHKH, acc, unit
from otklik.incidents.tests.test_views import intake

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<li class="queue-row( other)?">\s*<a class="queue-link" href="/incidents/(\d+)/"')


@pytest.fixture(autouse=True)
def _no_2fa(settings: Any) -> None:
    settings.OTKLIK_REQUIRE_2FA = False


def rows(html: str) -> tuple[list[int], list[int]]:
    """(incidents in «Ждёт ваших действий», incidents in «Ожидают других») of a page."""
    mine: list[int] = []
    others: list[int] = []
    for other, pk in ROW.findall(html):
        (others if other else mine).append(int(pk))
    return mine, others


def many(demo: dict[str, Any], n: int, *, routed_every: int = 0, start: int = 0) -> list[int]:
    from otklik.incidents import services as svc

    ids = []
    for i in range(start, start + n):
        incident = intake(demo, text=f"Сообщение {i}: яма у дома {i}", author=f"Автор {i}")
        if routed_every and i % routed_every == 0:
            # Two units (п. 19): two parts open at once, one row for the incident all the same.
            svc.incident_route(access=acc(demo, "curator"), incident_id=incident.pk,
                               unit_ids=[unit(ZHKH).pk, unit(MBU).pk])
        ids.append(incident.pk)
    return ids


def test_pages_hold_fifty_rows_and_every_incident_once(demo: dict[str, Any]) -> None:
    ids = many(demo, 110, routed_every=4)  # 82 new (the curator routes), 28 routed (two units draft)
    client = client_for(demo, "curator")
    seen_mine: list[int] = []
    seen_others: list[int] = []
    for number in (1, 2, 3):
        html = client.get("/incidents/", {"page": number}).content.decode()
        mine, others = rows(html)
        assert len(mine) + len(others) == (QUEUE_PAGE_SIZE if number < 3 else 10)
        seen_mine += mine
        seen_others += others
        assert ("Дальше →" in html) == (number < 3)
    assert len(seen_mine) == len(set(seen_mine)) == 82  # the route steps, soonest first
    assert len(seen_others) == len(set(seen_others)) == 28  # one row per incident, however many steps
    assert set(seen_mine) | set(seen_others) == set(ids)
    assert not set(seen_mine) & set(seen_others)


def test_a_page_costs_the_same_queries_at_any_size(demo: dict[str, Any]) -> None:
    many(demo, 12, routed_every=3)
    client = client_for(demo, "curator")
    client.get("/incidents/")  # warm the work-calendar cache
    with CaptureQueriesContext(connection) as small:
        client.get("/incidents/")
    many(demo, 60, routed_every=3, start=12)
    with CaptureQueriesContext(connection) as large:
        page = client.get("/incidents/")
    assert len(large.captured_queries) <= len(small.captured_queries) + 1
    assert len(rows(page.content.decode())[0]) + len(rows(page.content.decode())[1]) == QUEUE_PAGE_SIZE


def test_the_search_narrows_the_queue_by_text_and_author(demo: dict[str, Any]) -> None:
    lamp = intake(demo, text="Фонарь не горит на улице Мира", author="Пётр Ёлкин")
    hole = intake(demo, text="Яма у школы", author="Анна Петрова")
    client = client_for(demo, "curator")
    for q in ("фонарь", "ФОНАРЯ", "фонари мира", "ёлкин", "елкин"):
        mine, _ = rows(client.get("/incidents/", {"q": q}).content.decode())
        assert mine == [lamp.pk], q
    mine, _ = rows(client.get("/incidents/", {"q": "школа"}).content.decode())
    assert mine == [hole.pk]
    html = client.get("/incidents/", {"q": "фонарь школа"}).content.decode()
    assert rows(html) == ([], []) and "Ничего не найдено" in html
    assert 'value="фонарь школа"' in html  # the search stays in its box


def test_the_countdown_refresh_keeps_page_and_search(demo: dict[str, Any]) -> None:
    intake(demo, text="Фонарь не горит")
    html = client_for(demo, "curator").get("/incidents/", {"q": "фонарь", "page": "1"}).content.decode()
    assert 'hx-get="/incidents/?q=%D1%84%D0%BE%D0%BD%D0%B0%D1%80%D1%8C&amp;page=1"' in html


@pytest.mark.parametrize("page", ["abc", "-3", "0", "", "1e9", "99999999999999999999"])
def test_a_bad_page_is_the_first_page(demo: dict[str, Any], page: str) -> None:
    incident = intake(demo)
    response = client_for(demo, "curator").get("/incidents/", {"page": page})
    assert response.status_code == 200
    mine, _ = rows(response.content.decode())
    if page in ("99999999999999999999",):
        assert "не листается" in response.content.decode()
    else:
        assert mine == [incident.pk]


def test_pages_past_the_last_reachable_say_so(demo: dict[str, Any]) -> None:
    intake(demo)
    html = client_for(demo, "curator").get("/incidents/", {"page": QUEUE_MAX_PAGE + 1}).content.decode()
    assert "не листается" in html and "найдите сообщение поиском" in html


def test_the_regional_curator_pages_the_region(demo: dict[str, Any]) -> None:
    ids = many(demo, 55)
    client = client_for(demo, "region")
    first, second = (client.get("/incidents/", {"page": n}).content.decode() for n in (1, 2))
    on_pages = rows(first)[1] + rows(second)[1]  # the region approves drafts; new incidents wait for others
    assert sorted(on_pages) == sorted(ids)
    assert "Пластуновское" in first


def test_the_deputy_pages_late_and_high_only(demo: dict[str, Any]) -> None:
    high = intake(demo, text="Важное", high=True)
    intake(demo, text="Обычное")
    html = client_for(demo, "deputy").get("/incidents/", {"page": 1}).content.decode()
    assert rows(html)[0] == [high.pk]


def test_every_step_keeps_its_incidents_municipality_and_the_queue_reads_it(demo: dict[str, Any]) -> None:
    """The step's copy of the municipality (step_open_mun_due) is its incident's, for every step
    the services open; a municipality's queue selects by that copy, on its own index."""
    from otklik.incidents.models import IncidentStep
    from otklik.incidents.selectors import steps_for_me

    many(demo, 6, routed_every=2)
    steps = list(IncidentStep.objects.select_related("incident"))
    assert steps and all(s.municipality_id == s.incident.municipality_id for s in steps)
    sql = str(steps_for_me(access=acc(demo, "curator")).query)
    assert '"incidents_incidentstep"."municipality_id" =' in sql, sql
