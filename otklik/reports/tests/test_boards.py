"""«Обзор»: overdue / today / at risk by hand, the weekly trend, places, roles, scope, speed."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from otklik.incidents import services as svc
from otklik.incidents.models import Incident, IncidentStep
from otklik.org.calendars import work_calendar_for
from otklik.org.models import Municipality, Person, PersonRole, Region, Unit
from otklik.org.roles import Role
from otklik.org.selectors import access_for
from otklik.reports.boards import (
    AT_RISK,
    OVERDUE,
    TODAY,
    Board,
    board_for,
    location_key,
    places_group,
    share_used,
)

pytestmark = pytest.mark.django_db
MSK = ZoneInfo("Europe/Moscow")
ZHKH = "Отдел ЖКХ и благоустройства"


def at(day: int, hour: int, minute: int = 0) -> datetime:  # December 2026: the 7th is a Monday
    return datetime(2026, 12, day, hour, minute, tzinfo=MSK)


NOW = at(8, 17)  # Tuesday 17:00; working hours 09–13, 14–18


def acc(demo: dict[str, Any], login: str) -> Any:
    return access_for(demo[login].user)


def intake(demo: dict[str, Any], handed: datetime, *, slug: str = "plastunovskoe", location: str = "",
           text: str = "Яма на дороге") -> Incident:
    incident, _ = svc.incident_intake(
        municipality=Municipality.objects.get(slug=slug), kind="incident", importance="normal", network="vk",
        url="https://vk.com/wall-1_2", author_name="Анна Петрова", author_url="https://vk.com/id1", text=text,
        detected_at=handed, handed_over_at=handed, location=location, by=demo["region"], now=handed)
    return incident


def route(demo: dict[str, Any], incident: Incident, when: datetime) -> None:
    unit = Unit.objects.get(name=ZHKH, municipality__slug="plastunovskoe")
    svc.incident_route(access=acc(demo, "curator"), incident_id=incident.pk, unit_ids=[unit.pk], at=when)


def publish(demo: dict[str, Any], incident: Incident, start: datetime, published: datetime) -> None:
    """Routed at start, drafted, forwarded, approved, published at `published`."""
    route(demo, incident, start + timedelta(minutes=10))
    d = svc.incident_submit_draft(access=acc(demo, "executor"), incident_id=incident.pk,
                                  text="Здравствуйте, Анна! Яму засыпем до 10 декабря.", confirmed_with_errors=True,
                                  at=published - timedelta(minutes=30))
    svc.incident_forward(access=acc(demo, "curator"), incident_id=incident.pk, at=published - timedelta(minutes=25))
    svc.incident_approve(access=acc(demo, "region"), incident_id=incident.pk, text_hash_seen=d.text_hash,
                         at=published - timedelta(minutes=20))
    svc.incident_publish(access=acc(demo, "curator"), incident_id=incident.pk, published_url="https://vk.com/wall-1_3",
                         at=published)


@pytest.fixture
def story(demo: dict[str, Any]) -> dict[str, Incident]:
    a = intake(demo, at(8, 9, 30), location="ул. Красная, 15")  # route due 10:00 (overdue); answer due Wed 09:30
    b = intake(demo, at(8, 16, 50), location="  Улица   Красная, 15 ")  # route due 17:20 (today)
    c = intake(demo, at(7, 10), location="улица красная, 15")  # answer due Tue 10:00: answer and draft overdue
    route(demo, c, at(7, 10, 10))
    d = intake(demo, at(8, 12), location="Школьная, 3")  # routed; answer due Wed 12:00, half used: nothing
    route(demo, d, at(8, 12, 10))
    p1 = intake(demo, at(7, 9))  # answered on time on Monday 7th
    publish(demo, p1, at(7, 9), at(7, 11))
    p2 = intake(demo, at(1, 9))  # Tuesday 1st; answer due 1st 18:00, published on the 2nd: late
    publish(demo, p2, at(1, 9), at(2, 12))
    e = intake(demo, at(8, 9), slug="novotitarovskoe", location="ул. Красная, 15")  # the neighbour
    return {"a": a, "b": b, "c": c, "d": d, "p1": p1, "p2": p2, "e": e}


def _groups(board: Board) -> set[tuple[str, str, str]]:
    return {(i.group, f"{i.incident_id}", i.kind) for i in board.items}


def test_overdue_today_and_at_risk_classified_by_hand(demo: dict[str, Any], story: dict[str, Incident]) -> None:
    board = board_for(access=acc(demo, "deputy"), now=NOW)
    a, b, c = story["a"].pk, story["b"].pk, story["c"].pk
    assert _groups(board) == {
        (OVERDUE, f"{a}", "route"),  # due 10:00
        (AT_RISK, f"{a}", "answer"),  # 09:30–13 + 14–17 = 6.5 h of 8 h = 81 %, due tomorrow 09:30
        (TODAY, f"{b}", "route"),  # due 17:20 today, 10 of 30 minutes used
        (OVERDUE, f"{c}", "answer"), (OVERDUE, f"{c}", "draft"),  # due Tuesday 10:00
    }
    risk = next(i for i in board.items if i.group == AT_RISK)
    assert risk.share == pytest.approx(6.5 / 8) and not risk.approximate
    assert risk.due_local == at(9, 9, 30)
    draft = next(i for i in board.items if i.kind == "draft")
    assert draft.unit == ZHKH
    assert {t.label: (t.overdue, t.today, t.at_risk) for t in board.by_unit} == {
        ZHKH: (1, 0, 0), "Без подразделения (муниципальный куратор)": (2, 1, 1)}
    by_step = {t.label: (t.overdue, t.today, t.at_risk) for t in board.by_step}
    assert by_step["Направление в подразделение (п. 10)"] == (1, 1, 0)
    assert by_step["Ответ опубликован (общий срок, п. 8)"] == (1, 0, 1)


def test_due_today_is_the_local_day(demo: dict[str, Any], story: dict[str, Incident]) -> None:
    """At 23:30 Moscow on Tuesday (20:30 UTC) Wednesday 09:30 is tomorrow, not «today»."""
    board = board_for(access=acc(demo, "deputy"), now=at(8, 23, 30))
    assert (AT_RISK, f"{story['a'].pk}", "answer") in _groups(board)  # 8 h of 8 used, still due tomorrow
    board = board_for(access=acc(demo, "deputy"), now=at(9, 0, 30))
    assert (TODAY, f"{story['a'].pk}", "answer") in _groups(board)


def test_share_of_a_step_in_working_days_is_approximated_via_due_at(demo: dict[str, Any]) -> None:
    wc = work_calendar_for(Municipality.objects.get(slug="plastunovskoe"))
    step = IncidentStep(kind="final_answer", actor_role=Role.EXECUTOR, started_at=at(7, 9), seconds=0, days=2,
                        due_at=at(9, 18))  # Monday to Wednesday: 3 × 8 working hours
    share, approximate = share_used(step, wc, at(8, 9))
    assert approximate and share == pytest.approx(8 / 24)  # Mon 09–18 used of Mon–Wed 24 h
    timed = IncidentStep(kind="route", actor_role=Role.MUNICIPAL_CURATOR, started_at=at(7, 9), seconds=1800,
                         extra_seconds=1800, due_at=at(7, 10))
    share, approximate = share_used(timed, wc, at(7, 9, 45))
    assert share == pytest.approx(0.75) and not approximate


def test_trend_of_twelve_weeks(demo: dict[str, Any], story: dict[str, Incident]) -> None:
    weeks = board_for(access=acc(demo, "deputy"), now=NOW).weeks
    assert len(weeks) == 12 and weeks[-1].start == date(2026, 12, 7) and weeks[0].start == date(2026, 9, 21)
    assert (weeks[-1].received, weeks[-1].on_time, weeks[-1].late) == (5, 1, 0)  # a, b, c, d, p1
    assert (weeks[-2].received, weeks[-2].on_time, weeks[-2].late) == (1, 0, 1)  # p2
    assert all((w.received, w.answered) == (0, 0) for w in weeks[:-2])
    regional = board_for(access=acc(demo, "region"), now=NOW).weeks
    assert regional[-1].received == 6  # the neighbour's message too


def test_places_normalised_most_first(demo: dict[str, Any], story: dict[str, Incident]) -> None:
    board = board_for(access=acc(demo, "deputy"), now=NOW)
    assert [(p.key, p.count) for p in board.places] == [("ул. красная, 15", 3), ("школьная, 3", 1), ("", 2)]
    assert board.places[-1].label == "Место не указано"
    assert location_key(" Улица  Ёлочная ") == location_key("ул Елочная") == location_key("УЛ. ЕЛОЧНАЯ")
    assert location_key("Переулок Уличный") == "переулок уличный"  # not a street word inside another
    assert places_group([("ул. Мира", 1), ("улица Мира", 2)])[0].label == "улица Мира"


def test_places_only_of_the_last_30_days(demo: dict[str, Any], story: dict[str, Incident]) -> None:
    board = board_for(access=acc(demo, "deputy"), now=at(8, 17) + timedelta(days=30, minutes=-30))
    assert [(p.key, p.count) for p in board.places] == [("ул. красная, 15", 1)]  # b, handed 16:50 on the 8th


def test_scope_neighbour_and_other_region(demo: dict[str, Any], story: dict[str, Incident]) -> None:
    e = story["e"].pk
    assert e not in {i.incident_id for i in board_for(access=acc(demo, "deputy"), now=NOW).items}
    regional = board_for(access=acc(demo, "region"), now=NOW)
    assert e in {i.incident_id for i in regional.items}
    assert len(regional.municipalities) == 2
    narrowed = board_for(access=acc(demo, "region"), now=NOW, municipality="plastunovskoe")
    assert e not in {i.incident_id for i in narrowed.items} and narrowed.municipality is not None
    assert sum(p.count for p in narrowed.places) == 6
    # A regional curator of another region sees none of it, whatever slug it asks for.
    far = Region.objects.create(slug="far", name="Дальний край")
    person = Person.objects.create(user=demo["region"].user.__class__.objects.create_user(username="far", password="x"),
                                   full_name="Чужой куратор", region=far)
    PersonRole.objects.create(person=person, role=Role.REGIONAL_CURATOR)
    far_access = access_for(person.user)
    assert far_access is not None
    stranger = board_for(access=far_access, now=NOW, municipality="plastunovskoe")
    assert stranger.items == () and stranger.places == () and all(w.received == 0 for w in stranger.weeks)


def test_executor_is_refused_and_the_deputy_sees_the_board(demo: dict[str, Any], settings: Any) -> None:
    settings.OTKLIK_REQUIRE_2FA = False
    client = Client()
    client.force_login(demo["executor"].user)
    assert client.get("/board/").status_code == 403
    for login in ("deputy", "curator", "region", "general"):
        client = Client()
        client.force_login(demo[login].user)
        response = client.get("/board/")
        assert response.status_code == 200, login
        assert "Обзор" in response.content.decode()


def test_hostile_location_is_escaped(demo: dict[str, Any], settings: Any) -> None:
    settings.OTKLIK_REQUIRE_2FA = False
    hostile = '<script>alert(1)</script><svg onload="x()">'
    now = timezone.now()
    intake(demo, now - timedelta(hours=1), location=hostile)
    client = Client()
    client.force_login(demo["deputy"].user)
    html = client.get("/board/").content.decode()
    assert "<script>alert" not in html and 'onload="x()"' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<svg xmlns=" in html and "<rect" in html  # the trend is drawn, server-side


def test_region_filter_in_the_page(demo: dict[str, Any], story: dict[str, Incident], settings: Any) -> None:
    settings.OTKLIK_REQUIRE_2FA = False
    client = Client()
    client.force_login(demo["region"].user)
    html = client.get("/board/?mo=novotitarovskoe").content.decode()
    assert 'value="novotitarovskoe" selected' in html


def test_queries_do_not_grow_with_incidents(demo: dict[str, Any], settings: Any) -> None:
    settings.OTKLIK_REQUIRE_2FA = False
    client = Client()
    client.force_login(demo["deputy"].user)
    access = acc(demo, "deputy")

    def count() -> tuple[int, int]:
        board_for(access=access, now=NOW)  # the calendar cache is warm for both counts
        with CaptureQueriesContext(connection) as selector:
            board_for(access=access, now=NOW)
        with CaptureQueriesContext(connection) as page:
            assert client.get("/board/").status_code == 200
        return len(selector), len(page)

    intake(demo, at(8, 9, 30), location="ул. Красная, 1")
    few = count()
    for n in range(8):
        incident = intake(demo, at(7, 10) + timedelta(minutes=n), location=f"ул. Красная, {n}")
        if n % 2:
            route(demo, incident, at(7, 10, 30))
    assert count() == few
    assert few[0] <= 8
