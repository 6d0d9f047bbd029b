"""The incident screens through the Django test client: queue, hand-in, detail and actions."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from otklik.core.tests.signin import client_for
from otklik.incidents import services as svc
from otklik.incidents.models import Draft, Incident, IncidentStep, Status
from otklik.incidents.steps import StepKind
from otklik.org.calendars import work_calendar_for
from otklik.org.models import Municipality, Unit

pytestmark = pytest.mark.django_db
MSK = ZoneInfo("Europe/Moscow")
TUE_10 = datetime(2026, 12, 1, 10, 0, tzinfo=MSK)


@pytest.fixture(autouse=True)
def _no_2fa(settings: Any) -> None:
    settings.OTKLIK_REQUIRE_2FA = False


def intake(demo: dict[str, Any], *, detected: datetime | None = None, author: str = "Анна Петрова",
           text: str = "Яма на ул. Красной, 15", high: bool = False) -> Incident:
    when = detected or timezone.now()
    incident, _ = svc.incident_intake(
        municipality=Municipality.objects.get(slug="plastunovskoe"), kind="incident",
        importance="high" if high else "normal", network="vk", url="https://vk.com/wall-1_2",
        author_name=author, author_url="https://vk.com/id1", text=text, detected_at=when,
        handed_over_at=when, by=demo["region"],
    )
    return incident


def route_row(html: str) -> str:
    rows = html.split('<li class="queue-row">')[1:]
    found = [r for r in rows if StepKind.ROUTE.label in r]
    assert found, html
    return found[0]


@pytest.mark.parametrize(("share", "level"), [(0.0, "ok"), (0.6, "amber"), (0.85, "red"), (1.2, "overdue")])
def test_queue_countdown_colour(demo: dict[str, Any], share: float, level: str) -> None:
    incident = intake(demo, detected=TUE_10)
    step = IncidentStep.objects.get(incident=incident, kind=StepKind.ROUTE)
    wc = work_calendar_for(incident.municipality)
    total = wc.between(step.started_at, step.due_at)
    moment = wc.add(step.started_at, total * share) + (timedelta(seconds=1) if share else timedelta(0))
    with time_machine.travel(moment, tick=False):
        html = client_for(demo, "curator").get("/incidents/").content.decode()
    row = route_row(html)
    assert f'class="deadline {level}"' in row
    assert "рабочего времени" in row
    if level == "overdue":
        assert "просрочено" in row


def test_queue_partial_for_htmx(demo: dict[str, Any]) -> None:
    intake(demo)
    response = client_for(demo, "curator").get("/incidents/", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="countdowns"')
    assert "<html" not in html and "рабочего времени" in html


def test_queue_has_no_n_plus_one(demo: dict[str, Any], django_assert_max_num_queries: Any) -> None:
    for n in range(12):
        intake(demo, text=f"Сообщение {n}", high=n % 3 == 0)
    client = client_for(demo, "curator")
    client.get("/incidents/")  # warm the work-calendar cache
    with django_assert_max_num_queries(12):
        response = client.get("/incidents/")
    assert response.content.decode().count('<li class="queue-row">') == 12  # the route step of each (the total is on the incident)


def test_deputy_sees_late_or_high_only(demo: dict[str, Any]) -> None:
    intake(demo, text="Обычное сообщение")
    intake(demo, text="Важное сообщение", high=True)
    html = client_for(demo, "deputy").get("/incidents/").content.decode()
    queue = html.split('id="countdowns"')[1].split("</ul>")[0]
    assert "Важное сообщение" in queue and "Обычное сообщение" not in queue


def test_regional_curator_sees_drafts_awaiting_approval(demo: dict[str, Any]) -> None:
    incident = intake(demo, text="Ждёт согласования")
    Incident.objects.filter(pk=incident.pk).update(status=Status.AWAITING_APPROVAL)
    IncidentStep.objects.create(incident=incident, municipality_id=incident.municipality_id, kind=StepKind.APPROVE, actor_role="regional_curator",
                                started_at=timezone.now(), seconds=3600, due_at=timezone.now() + timedelta(hours=2))
    html = client_for(demo, "region").get("/incidents/").content.decode()
    assert "Ждёт согласования" in html.split('id="mine"')[1].split("</ul>")[0]


def test_detail_escapes_social_network_text(demo: dict[str, Any]) -> None:
    incident = intake(demo, author="<script>alert('a')</script>", text="<script>alert(1)</script><b>жирный</b>")
    html = client_for(demo, "curator").get(f"/incidents/{incident.pk}/").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(&#x27;a&#x27;)&lt;/script&gt;" in html
    assert "<b>жирный</b>" not in html


def test_executor_of_another_unit_gets_404(demo: dict[str, Any]) -> None:
    incident = intake(demo)
    zhkh = Unit.objects.get(name="Отдел ЖКХ и благоустройства")
    client_for(demo, "curator").post(f"/incidents/{incident.pk}/act/route/", {"units": [zhkh.pk]})
    assert client_for(demo, "executor").get(f"/incidents/{incident.pk}/").status_code == 200
    assert client_for(demo, "kdc").get(f"/incidents/{incident.pk}/").status_code == 404
    assert client_for(demo, "kdc").post(f"/incidents/{incident.pk}/act/submit_part/", {"text": "x"}).status_code == 404


def test_new_is_refused_to_wrong_role(demo: dict[str, Any]) -> None:
    assert client_for(demo, "executor").get("/incidents/new/").status_code == 403
    assert client_for(demo, "deputy").get("/incidents/new/").status_code == 403


def test_regional_curator_hands_in(demo: dict[str, Any]) -> None:
    mun = Municipality.objects.get(slug="plastunovskoe")
    response = client_for(demo, "region").post("/incidents/new/", {
        "municipality": mun.pk, "network": "vk", "url": "https://vk.com/wall-1_9", "author_name": "Иван",
        "author_url": "", "text": "Не горит фонарь", "detected_at": "2026-12-01T09:15", "importance": "normal",
        "topic": "освещение", "location": "ул. Мира", "attachments": "https://vk.com/photo1\nhttps://vk.com/photo2",
    })
    assert response.status_code == 302
    incident = Incident.objects.get(text="Не горит фонарь")
    assert response["Location"] == f"/incidents/{incident.pk}/"
    assert incident.kind == "incident" and incident.created_by == demo["region"]
    assert incident.detected_at == datetime(2026, 12, 1, 9, 15, tzinfo=MSK)
    assert incident.attachments == ["https://vk.com/photo1", "https://vk.com/photo2"]


def test_municipal_curator_registers_publication(demo: dict[str, Any]) -> None:
    client = client_for(demo, "curator")
    assert 'type="hidden" name="municipality"' in client.get("/incidents/new/").content.decode()
    mun = Municipality.objects.get(slug="plastunovskoe")
    response = client.post("/incidents/new/", {
        "municipality": mun.pk, "network": "ok", "url": "https://ok.ru/x", "text": "Публикация",
        "detected_at": "2026-12-01T09:15", "importance": "normal", "attachments": "",
    })
    assert response.status_code == 302
    assert Incident.objects.get(text="Публикация").kind == "publication"


def _status(incident: Incident) -> str:
    incident.refresh_from_db()
    return incident.status


def test_actions_move_the_status(demo: dict[str, Any]) -> None:
    incident = intake(demo)
    base = f"/incidents/{incident.pk}"
    curator, executor, region = (client_for(demo, x) for x in ("curator", "executor", "region"))
    zhkh = Unit.objects.get(name="Отдел ЖКХ и благоустройства")

    detail = curator.get(f"{base}/").content.decode()
    assert f'action="/incidents/{incident.pk}/act/route/"' in detail

    r = curator.post(f"{base}/act/route/", {"units": [zhkh.pk]})
    assert r.status_code == 302 and _status(incident) == Status.ROUTED

    r = executor.post(f"{base}/act/submit_draft/", {"text": "Яму заделаем до пятницы.", "attachments": ""})
    assert r.status_code == 400 and _status(incident) == Status.ROUTED  # no greeting: the check refuses
    page = r.content.decode()
    assert "В проекте есть ошибки проверки" in page and "Нет приветствия" in page
    assert "Яму заделаем до пятницы." in page  # the typed text is kept

    executor.post(f"{base}/act/submit_draft/", {"text": "Яму заделаем до пятницы.", "confirm_errors": "on"})
    assert _status(incident) == Status.DRAFT_SUBMITTED
    curator.post(f"{base}/act/forward/")
    assert _status(incident) == Status.AWAITING_APPROVAL

    r = region.post(f"{base}/act/return/", {})
    assert r.status_code == 400 and "Отметьте хотя бы одну причину" in r.content.decode()
    region.post(f"{base}/act/return/", {"reason_greeting": "on", "comment_greeting": "Поздоровайтесь"})
    assert _status(incident) == Status.RETURNED
    assert "Поздоровайтесь" in executor.get(f"{base}/").content.decode()

    text = "Здравствуйте, Анна! Бригада МБУ «Благоустройство» заделает яму до пятницы."
    executor.post(f"{base}/act/submit_draft/", {"text": text, "attachments": ""})
    assert _status(incident) == Status.DRAFT_SUBMITTED
    curator.post(f"{base}/act/forward/")
    assert _status(incident) == Status.AWAITING_APPROVAL

    page = region.get(f"{base}/").content.decode()
    draft = Draft.objects.filter(incident=incident).latest("round")
    assert f'value="{draft.text_hash}"' in page
    r = region.post(f"{base}/act/approve/", {"text_hash_seen": draft.text_hash}, follow=True)
    assert _status(incident) == Status.APPROVED
    assert 'class="msg success"' in r.content.decode()

    curator.post(f"{base}/act/publish/", {"published_url": "https://vk.com/wall-1_2?reply=5"})
    assert _status(incident) == Status.PUBLISHED

    page = curator.get(f"{base}/").content.decode()
    assert page.count('<tr class="event">') == incident.events.count() >= 9


def test_refused_action_shows_russian_message(demo: dict[str, Any]) -> None:
    incident = intake(demo)
    zhkh = Unit.objects.get(name="Отдел ЖКХ и благоустройства")
    curator = client_for(demo, "curator")
    curator.post(f"/incidents/{incident.pk}/act/route/", {"units": [zhkh.pk]})
    # A stale page: someone already moved it on; forwarding needs a submitted draft.
    r = curator.post(f"/incidents/{incident.pk}/act/forward/", follow=True)
    html = r.content.decode()
    assert 'class="msg error"' in html
    assert re.search(r"невозможно: сообщение уже в состоянии «В работе у подразделения»", html)
    assert _status(incident) == Status.ROUTED


def test_unknown_action_is_404(demo: dict[str, Any]) -> None:
    incident = intake(demo)
    assert client_for(demo, "curator").post(f"/incidents/{incident.pk}/act/delete/").status_code == 404
