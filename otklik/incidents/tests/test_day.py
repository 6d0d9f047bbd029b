"""The curator's and the executor's day: what real use found, point by point (issue 9)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from otklik.incidents import services as svc
from otklik.incidents.models import (
    AnswerTemplate,
    Assignment,
    Incident,
    IncidentEvent,
    IncidentStep,
    Status,
)
from otklik.incidents.presenters import history_rows, payload_summary, step_label
from otklik.incidents.tests.test_services import (
    MBU,
    ZHKH,
    acc,
    at,
    draft_to_approval,
    intake,
    route,
    step,
    unit,
)
from otklik.incidents.transitions import ACTION_LABELS, TRANSITIONS, TransitionError
from otklik.notifications.models import Notification
from otklik.org.models import Absence, Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_2fa(settings: Any) -> None:
    settings.OTKLIK_REQUIRE_2FA = False
    settings.OTKLIK_BASE_URL = "https://otklik.example.ru"


def client(demo: dict[str, Any], login: str) -> Client:
    c = Client()
    c.force_login(demo[login].user)
    return c


# ---------------------------------------------------------------- 1. multi-unit answers in any order

def test_p19_parts_are_accepted_after_the_consolidator_is_named(demo: dict[str, Any]) -> None:
    incident = route(demo, intake(demo), ZHKH, MBU)
    svc.incident_name_consolidator(access=acc(demo, "curator"), incident_id=incident.pk, person_id=demo["mbu"].pk)
    assert Incident.objects.get(pk=incident.pk).status == Status.CONSOLIDATING
    svc.incident_submit_part(access=acc(demo, "executor"), incident_id=incident.pk, text="Яму засыплем 8-го")
    svc.incident_submit_part(access=acc(demo, "mbu"), incident_id=incident.pk, text="Щебень завезём 7-го")
    assert set(Assignment.objects.filter(incident=incident).values_list("state", flat=True)) == {"part_submitted"}
    assert not IncidentStep.objects.filter(incident=incident, kind="part", done_at__isnull=True).exists()
    # The consolidated draft ends the parts.
    svc.incident_submit_draft(access=acc(demo, "mbu"), incident_id=incident.pk, text="Здравствуйте, Анна!",
                              confirmed_with_errors=True)
    with pytest.raises(TransitionError):
        svc.incident_submit_part(access=acc(demo, "executor"), incident_id=incident.pk, text="ещё")


def test_p19_the_consolidator_named_at_routing(demo: dict[str, Any]) -> None:
    incident = intake(demo)
    svc.incident_route(access=acc(demo, "curator"), incident_id=incident.pk, unit_ids=[unit(ZHKH).pk, unit(MBU).pk],
                       consolidator_id=demo["mbu"].pk, at=at(7, 9, 10))
    incident.refresh_from_db()
    assert incident.status == Status.CONSOLIDATING and incident.consolidator == demo["mbu"]
    assert step(incident, "draft").actor == demo["mbu"]
    assert IncidentStep.objects.filter(incident=incident, kind="part", done_at__isnull=True).count() == 2
    svc.incident_submit_part(access=acc(demo, "executor"), incident_id=incident.pk, text="Яму засыплем", at=at(7, 10))


def test_p7_2_an_absent_person_is_never_offered_nor_named(demo: dict[str, Any]) -> None:
    incident = route(demo, intake(demo), ZHKH, MBU)
    today = timezone.localdate()
    Absence.objects.create(person=demo["mbu"], kind=Absence.Kind.ILLNESS, starts_on=today - timedelta(days=1),
                           ends_on=today + timedelta(days=3), substitute=demo["executor"])
    candidates = svc.consolidator_candidates(incident)
    assert demo["mbu"] not in candidates and demo["executor"] in candidates
    svc.incident_name_consolidator(access=acc(demo, "curator"), incident_id=incident.pk, person_id=demo["mbu"].pk)
    incident.refresh_from_db()
    assert incident.consolidator == demo["executor"]  # the substitute, and the history says so
    event = IncidentEvent.objects.get(incident=incident, action="name_consolidator")
    assert "замещающему" in event.payload["substitution"]


def test_p19_consolidator_candidates_follow_only_todays_absences(demo: dict[str, Any]) -> None:
    """An absence that ended yesterday or starts tomorrow leaves the person offered; a substitute
    who is away too hands on to their own substitute (п. 7.2)."""
    incident = route(demo, intake(demo), ZHKH, MBU)
    today = timezone.localdate()
    Absence.objects.create(person=demo["mbu"], kind=Absence.Kind.LEAVE, starts_on=today - timedelta(days=9),
                           ends_on=today - timedelta(days=1), substitute=demo["executor"])
    Absence.objects.create(person=demo["executor"], kind=Absence.Kind.LEAVE, starts_on=today + timedelta(days=1),
                           ends_on=today + timedelta(days=5), substitute=demo["mbu"])
    candidates = svc.consolidator_candidates(incident)
    assert demo["mbu"] in candidates and demo["executor"] in candidates
    Absence.objects.create(person=demo["mbu"], kind=Absence.Kind.ILLNESS, starts_on=today, ends_on=today,
                           substitute=demo["executor"])
    Absence.objects.create(person=demo["executor"], kind=Absence.Kind.ILLNESS, starts_on=today, ends_on=today,
                           substitute=demo["zhkh_head"])
    candidates = svc.consolidator_candidates(incident)
    assert demo["mbu"] not in candidates and demo["executor"] not in candidates
    assert demo["zhkh_head"] in candidates


def test_p19_route_form_offers_a_consolidator(demo: dict[str, Any]) -> None:
    incident = intake(demo)
    curator = client(demo, "curator")
    html = curator.get(f"/incidents/{incident.pk}/").content.decode()
    assert 'name="consolidator"' in html and "назначу позже" in html
    r = curator.post(f"/incidents/{incident.pk}/act/route/", {"units": [unit(ZHKH).pk, unit(MBU).pk],
                                                            "consolidator": demo["mbu"].pk})
    assert r.status_code == 302
    assert Incident.objects.get(pk=incident.pk).consolidator == demo["mbu"]


# ---------------------------------------------------------------- 2. clarifying question (п. 13)

QUESTION = "Здравствуйте, Анна! Уточните, пожалуйста, номер дома у ямы."


def test_p13_question_posted_pauses_the_clock_and_the_pause_is_added_back(demo: dict[str, Any]) -> None:
    incident = route(demo, intake(demo))  # answer due Mon 07.12 16:30
    svc.incident_ask_clarification(access=acc(demo, "executor"), incident_id=incident.pk, question=QUESTION,
                                   at=at(7, 9, 30))
    post = step(incident, "clarify_post")
    assert post.actor_role == "municipal_curator" and post.due_at == at(7, 10)  # 30 min to post it
    svc.incident_clarification_posted(access=acc(demo, "curator"), incident_id=incident.pk, at=at(7, 9, 45))
    incident.refresh_from_db()
    assert incident.paused_at == at(7, 9, 45) and step(incident, "clarify_post").done_at == at(7, 9, 45)
    # The author answers the next morning: 9:45→18:00 Monday minus lunch, 09:00→10:00 Tuesday = 8 h 15 min waited.
    svc.incident_clarification_received(access=acc(demo, "curator"), incident_id=incident.pk, reply="Дом 15",
                                        at=at(8, 10))
    incident.refresh_from_db()
    assert incident.paused_at is None and incident.status == Status.ROUTED
    answer = step(incident, "answer")
    assert answer.extra_seconds == (8 * 60 + 15) * 60
    assert answer.due_at == at(8, 16, 45)  # 16:30 Monday + 8 h 15 min of working time
    assert step(incident, "draft").due_at == answer.due_at  # the draft follows the total
    event = IncidentEvent.objects.get(incident=incident, action="clarification_received")
    assert event.payload["paused"] == "8 ч 15 мин"


def test_p13_a_recompute_keeps_the_pause(demo: dict[str, Any]) -> None:
    from otklik.incidents.deadlines import steps_recompute

    incident = route(demo, intake(demo))
    svc.incident_ask_clarification(access=acc(demo, "executor"), incident_id=incident.pk, question=QUESTION,
                                   at=at(7, 9, 30))
    svc.incident_clarification_posted(access=acc(demo, "curator"), incident_id=incident.pk, at=at(7, 9, 45))
    svc.incident_clarification_received(access=acc(demo, "curator"), incident_id=incident.pk, reply="15",
                                        at=at(8, 10))
    due = step(incident, "answer").due_at
    steps_recompute(incident=Incident.objects.get(pk=incident.pk), now=at(8, 10, 5))
    assert step(incident, "answer").due_at == due


def test_p13_while_waiting_no_warnings_and_no_misses(demo: dict[str, Any]) -> None:
    from otklik.incidents.monitor import deadlines_monitor

    incident = route(demo, intake(demo))
    svc.incident_ask_clarification(access=acc(demo, "executor"), incident_id=incident.pk, question=QUESTION,
                                   at=at(7, 9, 30))
    svc.incident_clarification_posted(access=acc(demo, "curator"), incident_id=incident.pk, at=at(7, 9, 45))
    counts = deadlines_monitor(now=at(9, 12))  # far past the answer's 16:30 on Monday
    assert counts["missed"] == 0
    assert not Notification.objects.filter(incident_id=incident.pk, subject__startswith="Срок пропущен").exists()


def test_p13_reminder_and_closing_after_the_wait(demo: dict[str, Any]) -> None:
    from otklik.incidents.monitor import clarify_wait_remind

    incident = route(demo, intake(demo))
    svc.incident_ask_clarification(access=acc(demo, "executor"), incident_id=incident.pk, question=QUESTION,
                                   at=at(7, 9, 30))
    svc.incident_clarification_posted(access=acc(demo, "curator"), incident_id=incident.pk, at=at(7, 9, 45))
    # The default wait is 8 working hours: until Tue 09:45.
    with pytest.raises(TransitionError, match="Закрыть можно после"):
        svc.incident_close_unclarified(access=acc(demo, "curator"), incident_id=incident.pk, comment="Нет ответа",
                                       at=at(8, 9))
    assert clarify_wait_remind(now=at(8, 9)) == 0
    assert clarify_wait_remind(now=at(8, 10)) == 1
    assert clarify_wait_remind(now=at(8, 11)) == 0  # once
    assert Notification.objects.filter(incident_id=incident.pk, recipient=demo["curator"],
                                       subject__startswith="Автор не ответил").exists()
    svc.incident_close_unclarified(access=acc(demo, "curator"), incident_id=incident.pk,
                                   comment="Автор не ответил на вопрос", at=at(8, 10))
    incident.refresh_from_db()
    assert incident.status == Status.CLOSED_UNCLARIFIED and not incident.is_open
    assert not IncidentStep.objects.filter(incident=incident, done_at__isnull=True).exists()
    assert set(incident.assignments.values_list("state", flat=True)) == {"closed"}


def test_p13_the_question_passes_the_answer_checks(demo: dict[str, Any]) -> None:
    incident = route(demo, intake(demo))
    with pytest.raises(svc.DraftCheckFailed, match="вопросе"):
        svc.incident_ask_clarification(access=acc(demo, "executor"), incident_id=incident.pk,
                                       question="какой дом", at=at(7, 9, 30))
    assert Incident.objects.get(pk=incident.pk).status == Status.ROUTED


def test_p13_the_page_says_we_wait_for_the_author(demo: dict[str, Any]) -> None:
    incident = route(demo, intake(demo))
    svc.incident_ask_clarification(access=acc(demo, "executor"), incident_id=incident.pk, question=QUESTION)
    svc.incident_clarification_posted(access=acc(demo, "curator"), incident_id=incident.pk)
    html = client(demo, "curator").get(f"/incidents/{incident.pk}/").content.decode()
    assert "ожидаем ответа автора с" in html and 'id="action-clarification_received"' in html
    assert 'id="action-clarification_posted"' not in html
    queue = client(demo, "curator").get("/incidents/").content.decode()
    others = queue.split('id="others"')[1]
    assert f"№ {incident.pk}" in others and "ожидаем ответа автора с" in others


# ---------------------------------------------------------------- 3. the queue shows what I must do

def test_the_queue_shows_my_steps_and_others_separately(demo: dict[str, Any]) -> None:
    incident = route(demo, intake(demo, detected=at(1, 9), handed=at(1, 9)), ZHKH, MBU, when=at(1, 9, 10))
    with time_machine.travel(at(1, 9, 20), tick=False):
        executor = client(demo, "executor").get("/incidents/").content.decode()
        kdc = client(demo, "kdc").get("/incidents/").content.decode()
        curator = client(demo, "curator").get("/incidents/").content.decode()
    mine = executor.split('id="mine"')[1].split('id="others"')[0]
    assert "Часть ответа от «Отдел ЖКХ и благоустройства»" in mine
    assert "МБУ «Благоустройство»" not in mine  # the other unit's part is theirs
    others = executor.split('id="others"')[1]
    assert f"№ {incident.pk}" not in others or "МБУ" in others
    assert f"№ {incident.pk}" not in kdc  # not routed to the КДЦ at all
    curator_mine = curator.split('id="mine"')[1].split('id="others"')[0]
    assert f"№ {incident.pk}" not in curator_mine  # nothing for the curator now
    curator_others = curator.split('id="others"')[1]
    assert f"№ {incident.pk}" in curator_others and "до " in curator_others


def test_the_executor_sees_when_to_hand_the_draft_in(demo: dict[str, Any]) -> None:
    route(demo, intake(demo, detected=at(1, 9), handed=at(1, 9)), when=at(1, 9, 10))  # total due Tue 01.12 18:00
    with time_machine.travel(at(1, 9, 20), tick=False):
        html = client(demo, "executor").get("/incidents/").content.decode()
    mine = html.split('id="mine"')[1].split('id="others"')[0]
    # 18:00 minus forwarding (30 min), approval (30) and publication (30): hand in by 16:30.
    assert "сдать до 16:30, вт 01.12" in mine


def test_the_hand_in_moment_for_a_publication_skips_forwarding(demo: dict[str, Any]) -> None:
    from otklik.incidents.presenters import hand_in_by
    from otklik.org.calendars import work_calendar_for

    incident = route(demo, intake(demo, kind="publication", detected=at(1, 9), handed=at(1, 9)), when=at(1, 9, 10))
    draft = step(incident, "draft")
    assert hand_in_by(draft, work_calendar_for(incident.municipality)) == at(1, 17)


# ---------------------------------------------------------------- 4. all messages

def test_all_messages_filters_searches_pages_and_sorts(demo: dict[str, Any]) -> None:
    early = intake(demo, text="Яма у школы", detected=at(1, 9), handed=at(1, 9))
    late = intake(demo, text="Фонарь не горит", detected=at(1, 15), handed=at(1, 15), high=True)
    route(demo, early, ZHKH, when=at(1, 9, 10))
    curator = client(demo, "curator")
    with time_machine.travel(at(1, 16), tick=False):
        html = curator.get("/incidents/all/").content.decode()
        # The nearest deadline first: the high-importance one must be routed by 15:15, the other answered by 18:00.
        assert html.index(f"№ {late.pk}</a>") < html.index(f"№ {early.pk}</a>")
        assert "Ближайший срок" in html
        found = curator.get("/incidents/all/", {"q": "фонарь"}).content.decode()
        assert f"№ {late.pk}</a>" in found and f"№ {early.pk}</a>" not in found
        by_unit = curator.get("/incidents/all/", {"unit": unit(ZHKH).pk}).content.decode()
        assert f"№ {early.pk}</a>" in by_unit and f"№ {late.pk}</a>" not in by_unit
        high = curator.get("/incidents/all/", {"importance": "high"}).content.decode()
        assert f"№ {late.pk}</a>" in high and f"№ {early.pk}</a>" not in high
        status = curator.get("/incidents/all/", {"status": "routed"}).content.decode()
        assert f"№ {early.pk}</a>" in status and f"№ {late.pk}</a>" not in status
        dated = curator.get("/incidents/all/", {"date_from": "2026-12-02"}).content.decode()
        assert "Найдено: 0" in dated
    with time_machine.travel(at(3, 12), tick=False):
        overdue = client(demo, "curator").get("/incidents/all/", {"overdue": "on"}).content.decode()
        assert f"№ {early.pk}</a>" in overdue and "просрочено" in overdue
    for n in range(55):
        intake(demo, text=f"Сообщение {n}", detected=at(1, 10), handed=at(1, 10))
    first = curator.get("/incidents/all/").content.decode()
    second = curator.get("/incidents/all/", {"page": 2}).content.decode()
    assert first.count('class="message-row') == 50 and second.count('class="message-row') == 7
    assert "страница 2 из 2" in second
    bad = curator.get("/incidents/all/", {"unit": "x", "date_from": "вчера", "page": "-5"})
    assert bad.status_code == 200


def test_the_regional_curator_sees_the_municipality_column(demo: dict[str, Any]) -> None:
    intake(demo, text="Яма у школы")
    html = client(demo, "region").get("/incidents/all/").content.decode()
    assert "<th>МО</th>" in html and "Пластуновское" in html.split('id="all-messages"')[1]


def test_the_api_list_takes_the_same_filters(demo: dict[str, Any]) -> None:
    from otklik.api.tests.conftest import ApiClient, make_key

    early = intake(demo, text="Яма у школы", detected=at(1, 9), handed=at(1, 9))
    late = intake(demo, text="Фонарь не горит", detected=at(1, 15), handed=at(1, 15), high=True)
    route(demo, early, ZHKH, when=at(1, 9, 10))
    api = ApiClient(make_key()[1])
    with time_machine.travel(at(1, 16), tick=False):
        assert [i["id"] for i in api.get("/incidents").json()] == [late.pk, early.pk]
        assert [i["id"] for i in api.get("/incidents", q="фонарь").json()] == [late.pk]
        assert [i["id"] for i in api.get("/incidents", unit=unit(ZHKH).pk).json()] == [early.pk]
        assert [i["id"] for i in api.get("/incidents", importance="high").json()] == [late.pk]
        assert [i["id"] for i in api.get("/incidents", limit=1, offset=1).json()] == [early.pk]
        assert api.get("/incidents", date_from="2026-12-02").json() == []
    with time_machine.travel(at(3, 12), tick=False):
        rows = api.get("/incidents", overdue="true").json()
        assert early.pk in [i["id"] for i in rows] and all(i["overdue"] for i in rows)
    assert api.get("/incidents", status="nonsense").status_code == 422


# ---------------------------------------------------------------- 5. unit rows, statuses, history

def test_unit_rows_end_with_the_work(demo: dict[str, Any]) -> None:
    incident = route(demo, intake(demo))
    d = draft_to_approval(demo, incident)
    svc.incident_approve(access=acc(demo, "region"), incident_id=incident.pk, text_hash_seen=d.text_hash)
    svc.incident_publish(access=acc(demo, "curator"), incident_id=incident.pk)
    assert set(incident.assignments.values_list("state", flat=True)) == {"done"}
    html = client(demo, "curator").get(f"/incidents/{incident.pk}/").content.decode()
    assert "В работе" not in html.split('id="assignments"')[1].split("</details>")[0]


def test_no_status_change_is_recorded_where_none_happened(demo: dict[str, Any]) -> None:
    incident = intake(demo)
    svc.incident_raise_importance(access=acc(demo, "curator"), incident_id=incident.pk)
    event = IncidentEvent.objects.get(incident=incident, action="raise_importance")
    assert event.from_status == "" and event.to_status == ""
    rows = {r.action: r for r in history_rows(incident)}
    assert rows[ACTION_LABELS["raise_importance"]].change == ""


def test_history_reads_in_the_past_tense_with_local_times() -> None:
    for action in TRANSITIONS:
        label = ACTION_LABELS[action]
        assert label != TRANSITIONS[action].label or action in ("approve",), action
    assert ACTION_LABELS["route"] == "Направлено в подразделения" and ACTION_LABELS["approve"] == "Согласовано"
    from zoneinfo import ZoneInfo

    text = payload_summary({"kind": "incident", "importance": "normal", "detected_at": "2026-12-01 14:30:00+00:00",
                            "handed_over_at_claimed": "2026-12-01T14:40:00+00:00", "external_id": "x-1"},
                           ZoneInfo("Europe/Moscow"))
    assert text == ("вид: инцидент; важность: обычная; обнаружено: 01.12.2026 17:30; "
                    "передано (по данным региональной системы): 01.12.2026 17:40; номер в региональной системе: x-1")


# ---------------------------------------------------------------- 6. the curator's own items

def test_the_curator_chooses_the_kind(demo: dict[str, Any]) -> None:
    curator = client(demo, "curator")
    page = curator.get("/incidents/new/").content.decode()
    assert 'name="kind"' in page
    mun = Municipality.objects.get(slug="plastunovskoe")
    detected = (timezone.now() - timedelta(minutes=5)).astimezone(mun_tz(mun)).strftime("%Y-%m-%dT%H:%M")
    for kind in ("incident", "publication"):
        r = curator.post("/incidents/new/", {"kind": kind, "municipality": mun.pk, "network": "vk",
                                             "url": "https://vk.com/wall-1_4", "text": f"Сообщение: {kind}",
                                             "detected_at": detected, "importance": "normal"})
        assert r.status_code == 302
        assert Incident.objects.get(text=f"Сообщение: {kind}").kind == kind
    assert 'name="kind"' not in client(demo, "region").get("/incidents/new/").content.decode()


def mun_tz(mun: Municipality) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(mun.time_zone)


def test_step_labels_name_who_really_approves(demo: dict[str, Any]) -> None:
    publication = route(demo, intake(demo, kind="publication", external_id="p-1"))
    svc.incident_submit_draft(access=acc(demo, "executor"), incident_id=publication.pk, text="Здравствуйте!",
                              confirmed_with_errors=True)
    assert step_label(step(publication, "approve")) == "Согласование публикации начальником общего отдела"
    incident = route(demo, intake(demo, external_id="i-1"))
    draft_to_approval(demo, incident)
    assert step_label(step(incident, "approve")) == "Согласование региональным куратором (п. 14)"


# ---------------------------------------------------------------- 7. e-mail that works for the reader

def test_the_dispatch_letter_says_what_by_when_and_links(demo: dict[str, Any]) -> None:
    incident = route(demo, intake(demo), ZHKH, MBU)
    mail = Notification.objects.get(incident_id=incident.pk, channel="email", recipient=demo["zhkh_head"])
    assert mail.subject.startswith("[для ответа на сообщения из социальных сетей]")
    assert "часть ответа для сводного ответа" in mail.body
    assert "до 11:10, пн 07.12.2026 (время МО)" in mail.body  # 09:10 + 2 h of working time (п. 19)
    assert "Яма на ул. Красной, 15" in mail.body
    assert f"https://otklik.example.ru/incidents/{incident.pk}/" in mail.body
    assert "ответьте на это письмо" not in mail.body.lower()
    single = route(demo, intake(demo, external_id="one"))
    letter = Notification.objects.get(incident_id=single.pk, channel="email", recipient=demo["executor"])
    assert "проект ответа" in letter.body and "часть ответа" not in letter.body


def test_one_letter_per_person_whatever_their_roles(demo: dict[str, Any]) -> None:
    from otklik.org.models import Unit

    land = Unit.objects.get(name="Отдел земельных и имущественных отношений")
    Unit.objects.filter(pk=land.pk).update(email=demo["land"].email)  # the unit's mailbox is its head's
    incident = intake(demo)
    svc.incident_route(access=acc(demo, "curator"), incident_id=incident.pk, unit_ids=[land.pk], at=at(7, 9, 10))
    assert Notification.objects.filter(incident_id=incident.pk, channel="email", address=demo["land"].email).count() == 1


def test_the_curator_sees_the_sent_mail_and_the_history_lists_it(demo: dict[str, Any]) -> None:
    incident = route(demo, intake(demo))
    curator = client(demo, "curator")
    sent = curator.get("/mail/sent/").content.decode()
    assert "Сообщение № " in sent and demo["executor"].email in sent
    assert client(demo, "executor").get("/mail/sent/").status_code == 403
    rows = [r for r in history_rows(incident) if r.mail]
    assert rows and all(r.action == "Отправлено письмо" for r in rows)
    html = curator.get(f"/incidents/{incident.pk}/").content.decode()
    assert html.count('class="event mail"') == len(rows)


# ---------------------------------------------------------------- 8. answer templates

def test_templates_are_checked_when_saved_and_filled_for_the_incident(demo: dict[str, Any]) -> None:
    curator = client(demo, "curator")
    bad = curator.post("/incidents/templates/", {"title": "Плохой", "topic": "",
                                                 "text": "В целях обеспечения надлежащего содержания осуществляется."})
    assert bad.status_code == 400 and "не проходит проверку" in bad.content.decode()
    good = curator.post("/incidents/templates/", {
        "title": "Яма", "topic": "дороги",
        "text": "Здравствуйте, {имя}! Яму по адресу {адрес} засыплем щебнем до {дата}. Спасибо, что написали."})
    assert good.status_code == 302
    template = AnswerTemplate.objects.get(title="Яма")
    incident = route(demo, intake(demo))
    Incident.objects.filter(pk=incident.pk).update(topic="дороги", location="ул. Красная, 15")
    html = client(demo, "executor").get(f"/incidents/{incident.pk}/").content.decode()
    assert f'value="{template.pk}"' in html
    assert "Здравствуйте, Анна! Яму по адресу ул. Красная, 15 засыплем щебнем до " in html
    assert client(demo, "executor").get("/incidents/templates/").status_code == 403


def test_a_template_of_another_topic_is_not_offered(demo: dict[str, Any]) -> None:
    mun = Municipality.objects.get(slug="plastunovskoe")
    AnswerTemplate.objects.create(municipality=mun, title="Свет", topic="освещение", text="Здравствуйте, {имя}!")
    incident = route(demo, intake(demo))
    Incident.objects.filter(pk=incident.pk).update(topic="дороги")
    assert "Свет</option>" not in client(demo, "executor").get(f"/incidents/{incident.pk}/").content.decode()
