"""The text checks and deadline explanations on the incident screens (SPEC §5–6 «In the product»)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from otklik.core.tests.signin import client_for
from otklik.incidents import services as svc
from otklik.incidents.models import Draft, Incident, IncidentStep, TopicModelStore, TopicRoute
from otklik.incidents.screening import topic_model_for, topic_models_refresh, unit_suggest
from otklik.incidents.steps import StepKind
from otklik.org.models import Municipality, Unit
from otklik.org.selectors import access_for

pytestmark = pytest.mark.django_db
MSK = ZoneInfo("Europe/Moscow")
TUE_10 = datetime(2026, 12, 1, 10, 0, tzinfo=MSK)
ZHKH = "Отдел ЖКХ и благоустройства"
CLEAN = "Здравствуйте, Анна! Бригада МБУ «Благоустройство» заделает яму на ул. Красной, 15 до пятницы."


@pytest.fixture(autouse=True)
def _no_2fa(settings: Any) -> None:
    settings.OTKLIK_REQUIRE_2FA = False


def intake(demo: dict[str, Any], text: str = "Яма на ул. Красной, 15", n: int = 0,
           when: datetime | None = None) -> Incident:
    when = when or TUE_10
    incident, _ = svc.incident_intake(
        municipality=Municipality.objects.get(slug="plastunovskoe"), kind="incident", importance="normal",
        network="vk", url=f"https://vk.com/wall-1_{n}", author_name="Анна Петрова", author_url="",
        text=text, detected_at=when, handed_over_at=when, by=demo["region"])
    return incident


def unit(name: str) -> Unit:
    return Unit.objects.get(municipality__slug="plastunovskoe", name=name)


def route(demo: dict[str, Any], incident: Incident, unit: Unit) -> None:
    access = access_for(demo["curator"].user)
    assert access is not None
    svc.incident_route(access=access, incident_id=incident.pk, unit_ids=[unit.pk])


def routed(demo: dict[str, Any]) -> Incident:
    incident = intake(demo)
    route(demo, incident, unit(ZHKH))
    return incident


# ---------------------------------------------------------------- the draft editor

def test_check_returns_findings_for_a_draft_without_greeting(demo: dict[str, Any]) -> None:
    incident = routed(demo)
    client = client_for(demo, "executor")
    r = client.post(f"/incidents/{incident.pk}/check/", {"text": "Яму заделаем до пятницы.", "attachments": ""},
                    headers={"HX-Request": "true"})
    html = r.content.decode()
    assert r.status_code == 200
    assert html.lstrip().startswith('<div id="findings"') and "<html" not in html
    assert "Нет приветствия" in html and 'class="finding error"' in html
    assert 'class="fix link"' in html and 'data-suggestion="Здравствуйте, Анна! Яму"' in html
    assert '<mark class="finding error"' in html

    r = client.post(f"/incidents/{incident.pk}/check/", {"text": CLEAN, "attachments": ""},
                    headers={"HX-Request": "true"})
    html = r.content.decode()
    assert "Проверка замечаний не нашла" in html and "<li class=\"finding" not in html


def test_check_without_js_returns_the_page_with_the_text_kept(demo: dict[str, Any]) -> None:
    incident = routed(demo)
    r = client_for(demo, "executor").post(f"/incidents/{incident.pk}/check/",
                                          {"text": "Яму заделаем до пятницы.", "check_action": "submit_draft"})
    html = r.content.decode()
    assert r.status_code == 200 and "<html" in html
    assert "Нет приветствия" in html and "Яму заделаем до пятницы.</textarea>" in html
    assert f'hx-post="/incidents/{incident.pk}/check/"' in html
    assert client_for(demo, "executor").get(f"/incidents/{incident.pk}/check/").status_code == 302


def test_highlighting_escapes_the_draft(demo: dict[str, Any]) -> None:
    incident = routed(demo)
    r = client_for(demo, "executor").post(f"/incidents/{incident.pk}/check/",
                                          {"text": "<script>alert(1)</script> заделаем"},
                                          headers={"HX-Request": "true"})
    html = r.content.decode()
    assert "<script>" not in html
    assert "&lt;" in html and "alert(1)" in html


def test_executor_of_another_unit_gets_404_on_check(demo: dict[str, Any]) -> None:
    incident = routed(demo)
    r = client_for(demo, "kdc").post(f"/incidents/{incident.pk}/check/", {"text": "Яму заделаем."})
    assert r.status_code == 404


def test_curator_sees_the_stored_findings_and_can_tick_a_reason(demo: dict[str, Any]) -> None:
    incident = routed(demo)
    executor, curator, region = (client_for(demo, x) for x in ("executor", "curator", "region"))
    executor.post(f"/incidents/{incident.pk}/act/submit_draft/",
                  {"text": "Яму заделаем до пятницы.", "confirm_errors": "on"})
    assert Draft.objects.get(incident=incident).findings
    curator.post(f"/incidents/{incident.pk}/act/forward/")
    html = region.get(f"/incidents/{incident.pk}/").content.decode()
    form = html.split('id="action-return"')[1].split("</form>")[0]
    assert 'class="tick-reason link" data-reason="greeting"' in form
    assert "Нет приветствия автора" in form and 'name="reason_greeting"' in form
    approve = html.split('id="action-approve"')[1].split("</form>")[0]
    assert "Нет приветствия автора" in approve


def test_edit_approved_is_checked_live_too(demo: dict[str, Any]) -> None:
    incident = routed(demo)
    executor, curator, region = (access_for(demo[x].user) for x in ("executor", "curator", "region"))
    assert executor is not None and curator is not None and region is not None
    svc.incident_submit_draft(access=executor, incident_id=incident.pk, text=CLEAN, attachments=["https://vk.com/p1"])
    svc.incident_forward(access=curator, incident_id=incident.pk)
    draft = Draft.objects.get(incident=incident)
    svc.incident_approve(access=region, incident_id=incident.pk, text_hash_seen=draft.text_hash)
    client = client_for(demo, "curator")
    html = client.get(f"/incidents/{incident.pk}/").content.decode()
    form = html.split('id="action-edit_approved"')[1].split("</form>")[0]
    assert f'hx-post="/incidents/{incident.pk}/check/"' in form and '"check_action": "edit_approved"' in form
    assert 'id="findings"' in form
    r = client.post(f"/incidents/{incident.pk}/check/", {"text": "Яму заделаем до пятницы.",
                                                         "check_action": "edit_approved"},
                    headers={"HX-Request": "true"})
    assert "Нет приветствия" in r.content.decode()


# ---------------------------------------------------------------- screening of the message

def test_screening_banner_for_an_obscene_message_only(demo: dict[str, Any]) -> None:
    curator = client_for(demo, "curator")
    bad = intake(demo, "Вы там все охренели, бл*дь, когда яму <b>заделаете</b>", n=1)
    html = curator.get(f"/incidents/{bad.pk}/").content.decode()
    assert 'id="screening-no-answer"' in html and "нецензурные выражения" in html
    assert '<mark class="flag" title="obscenity">бл*дь</mark>' in html
    assert "<b>заделаете</b>" not in html
    assert 'href="#action-close_no_answer"' in html
    close = html.split('id="action-close_no_answer"')[1].split("</form>")[0]
    assert '<option value="obscenity" selected>' in close

    clean = intake(demo, "Не горит фонарь на ул. Мира", n=2)
    html = curator.get(f"/incidents/{clean.pk}/").content.decode()
    assert 'id="screening-no-answer"' not in html and 'id="screening-details"' in html
    assert "Освещение" in html and "ул. Мира" in html


def test_raise_importance_is_suggested(demo: dict[str, Any]) -> None:
    incident = intake(demo, "нет воды, ребёнок маленький", n=3)
    curator = client_for(demo, "curator")
    html = curator.get(f"/incidents/{incident.pk}/").content.decode()
    banner = html.split('id="screening-importance"')[1].split("</div>")[0]
    assert "Предлагается отметить повышенную важность" in banner and "нет воды" in banner
    assert 'href="#action-raise_importance"' in banner
    assert f'action="/incidents/{incident.pk}/act/raise_importance/"' in html
    curator.post(f"/incidents/{incident.pk}/act/raise_importance/")
    incident.refresh_from_db()
    assert incident.is_high
    assert 'id="screening-importance"' not in curator.get(f"/incidents/{incident.pk}/").content.decode()


LAMPS = ["Не горит фонарь на улице {}", "Нет освещения возле дома на {}", "Фонарь мигает всю ночь, {}",
         "Темно, не работает уличное освещение, {}", "Перегорела лампа в фонаре на {}"]
ROADS = ["Яма на дороге по улице {}", "Дорога разбита, ямы на {}", "Когда отремонтируют дорогу на {}",
         "Огромная яма на проезжей части, {}", "Асфальт провалился, дорога в ямах, {}"]
STREETS = ["Красной", "Мира", "Ленина", "Садовой", "Школьной", "Советской"]


def _learn(demo: dict[str, Any], pairs: int, lamp_unit: Unit, road_unit: Unit) -> None:
    n = 100
    for i in range(pairs):
        street = STREETS[i % len(STREETS)]
        for texts, unit in ((LAMPS, lamp_unit), (ROADS, road_unit)):
            n += 1
            route(demo, intake(demo, texts[i % len(texts)].format(street), n=n), unit)


def test_unit_suggestion_learns_from_routing(demo: dict[str, Any]) -> None:
    mun = Municipality.objects.get(slug="plastunovskoe")
    lamps, roads = unit("Общий отдел"), unit('МБУ «Благоустройство»')
    TopicRoute.objects.create(municipality=mun, topic="lighting", unit=unit(ZHKH))
    _learn(demo, 30, lamps, roads)
    topic_models_refresh()
    new = intake(demo, "Опять не горит фонарь у дома 5 на Набережной", n=999)
    suggestion = unit_suggest(incident=new)
    assert suggestion is not None and suggestion.unit == lamps and suggestion.source == "model"
    assert TopicModelStore.objects.get(municipality=mun).examples == 60
    html = client_for(demo, "curator").get(f"/incidents/{new.pk}/").content.decode()
    assert f'value="{lamps.pk}"' in html.split('id="action-route"')[1]
    assert "предложено по решениям кураторов" in html
    road = intake(demo, "Большая яма на дороге у моста", n=998)
    assert unit_suggest(incident=road).unit == roads  # type: ignore[union-attr]


def test_unit_suggestion_falls_back_to_the_rules(demo: dict[str, Any]) -> None:
    mun = Municipality.objects.get(slug="plastunovskoe")
    zhkh = unit(ZHKH)
    TopicRoute.objects.create(municipality=mun, topic="lighting", unit=zhkh)
    _learn(demo, 3, unit("Общий отдел"), unit('МБУ «Благоустройство»'))
    topic_models_refresh()
    new = intake(demo, "Опять не горит фонарь у дома 5 на Набережной", n=999)
    suggestion = unit_suggest(incident=new)
    assert suggestion is not None and suggestion.unit == zhkh and suggestion.source == "rules"


def test_model_is_retrained_after_ten_more_routings_and_on_demand(demo: dict[str, Any]) -> None:
    mun = Municipality.objects.get(slug="plastunovskoe")
    a, b = unit("Общий отдел"), unit(ZHKH)
    _learn(demo, 2, a, b)
    assert topic_model_for(municipality=mun) is None  # never trained in a request
    topic_models_refresh()  # the worker's periodic job
    assert _size(topic_model_for(municipality=mun)) == 4
    _learn(demo, 3, a, b)  # 6 more: not yet
    topic_models_refresh()
    assert _size(topic_model_for(municipality=mun)) == 4
    call_command("screening", "retrain")
    assert TopicModelStore.objects.get(municipality=mun).examples == 10
    _learn(demo, 5, a, b)
    topic_models_refresh()
    assert _size(topic_model_for(municipality=mun)) == 20


def _size(model: Any) -> int:
    assert model is not None
    return int(model.size)


# ---------------------------------------------------------------- deadlines

def test_explain_lines_and_no_provisional_marker_in_2026(demo: dict[str, Any]) -> None:
    with time_machine.travel(TUE_10, tick=False):
        incident = intake(demo)
        html = client_for(demo, "curator").get(f"/incidents/{incident.pk}/").content.decode()
        queue = client_for(demo, "curator").get("/incidents/").content.decode()
    steps = html.split('id="steps"')[1].split("</ul>")[0]
    assert "почему срок здесь" in steps
    assert "01.12.2026 10:00–" in steps  # the working interval counted from the hand-in
    assert "предварительному календарю" not in html and "предварительному календарю" not in queue


def test_provisional_marker_for_a_step_in_2027(demo: dict[str, Any]) -> None:
    with time_machine.travel(TUE_10, tick=False):
        incident = intake(demo)
        start = datetime(2027, 3, 2, 10, 0, tzinfo=MSK)
        IncidentStep.objects.filter(incident=incident, kind=StepKind.ROUTE).update(
            started_at=start, due_at=start + timedelta(hours=2))
        html = client_for(demo, "curator").get(f"/incidents/{incident.pk}/").content.decode()
        queue = client_for(demo, "curator").get("/incidents/").content.decode()
    assert "срок по предварительному календарю" in html.split('id="steps"')[1]
    assert "срок по предварительному календарю" in queue
    assert "предварительный календарь" in html  # the explanation's own note on each 2027 interval


def test_days_step_explains_the_days_counted(demo: dict[str, Any]) -> None:
    with time_machine.travel(TUE_10, tick=False):
        incident = intake(demo)
        start = datetime(2026, 12, 4, 15, 0, tzinfo=MSK)  # a Friday
        IncidentStep.objects.create(incident=incident, municipality_id=incident.municipality_id, kind=StepKind.FINAL_ANSWER, actor_role="executor",
                                    started_at=start, days=2,
                                    due_at=datetime(2026, 12, 8, 18, 0, tzinfo=MSK))
        html = client_for(demo, "curator").get(f"/incidents/{incident.pk}/").content.decode()
    assert "2 рабочих дней" in html and "1. 07.12.2026, пн" in html and "2. 08.12.2026, вт" in html


def test_edited_approved_text_keeps_its_findings_for_the_approver(demo: dict[str, Any], settings: Any) -> None:

    from otklik.incidents import services as svc
    from otklik.incidents.models import Draft
    from otklik.incidents.tests.test_services import acc, draft_to_approval, intake, route

    settings.OTKLIK_REQUIRE_2FA = False
    incident = route(demo, intake(demo))
    d = draft_to_approval(demo, incident)
    svc.incident_approve(access=acc(demo, "region"), incident_id=incident.pk, text_hash_seen=d.text_hash)
    client = Client()
    client.force_login(demo["curator"].user)
    refused = client.post(f"/incidents/{incident.pk}/act/edit_approved/", {"text": "яму засыпем"})
    assert refused.status_code == 400 and "ошибки проверки" in refused.content.decode()
    response = client.post(f"/incidents/{incident.pk}/act/edit_approved/", {"text": "яму засыпем", "confirm_errors": "on"})
    assert response.status_code == 302
    latest = Draft.objects.filter(incident=incident).latest("round")
    assert latest.text == "яму засыпем"
    assert {f["code"] for f in latest.findings} >= {"greeting"}
