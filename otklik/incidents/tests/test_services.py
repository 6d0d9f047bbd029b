"""The workflow of п. 8–24, one test per paragraph the software can hold."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from otklik.incidents import services as svc
from otklik.incidents.history import history_verify
from otklik.incidents.models import Assignment, Draft, Incident, IncidentEvent, IncidentStep, Status
from otklik.incidents.transitions import TransitionError
from otklik.notifications.models import Notification
from otklik.org.models import Absence, Municipality, Unit
from otklik.org.selectors import access_for

pytestmark = pytest.mark.django_db
MSK = ZoneInfo("Europe/Moscow")
FRI_1630 = datetime(2026, 12, 4, 16, 30, tzinfo=MSK)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=MSK)


def acc(demo: dict[str, Any], login: str) -> Any:
    return access_for(demo[login].user)


def intake(demo: dict[str, Any], *, high: bool = False, kind: str = "incident", detected: datetime = FRI_1630,
           handed: datetime | None = None, external_id: str | None = None, text: str = "Яма на ул. Красной, 15") -> Incident:
    incident, _ = svc.incident_intake(
        municipality=Municipality.objects.get(slug="plastunovskoe"), kind=kind,
        importance="high" if high else "normal", network="vk", url="https://vk.com/wall-1_2",
        author_name="Анна Петрова", author_url="https://vk.com/id1", text=text, detected_at=detected,
        handed_over_at=handed or detected, external_id=external_id, by=demo["region"],
        now=handed or detected,  # the server's clock at the hand-in, as the test tells the story
    )
    return incident


def step(incident: Incident, kind: str) -> IncidentStep:
    return IncidentStep.objects.filter(incident=incident, kind=kind).latest("pk")


def unit(name: str) -> Unit:
    return Unit.objects.get(name=name, municipality__slug="plastunovskoe")


ZHKH = "Отдел ЖКХ и благоустройства"
MBU = "МБУ «Благоустройство»"


def route(demo: dict[str, Any], incident: Incident, *names: str, when: datetime | None = None) -> Incident:
    return svc.incident_route(access=acc(demo, "curator"), incident_id=incident.pk,
                              unit_ids=[unit(n).pk for n in names or (ZHKH,)], at=when or at(7, 9, 10))


def draft_to_approval(demo: dict[str, Any], incident: Incident, text: str = "Здравствуйте, Анна! Яму засыпем до 10 декабря.",
                      login: str = "executor", intermediate: bool = False) -> Draft:
    d = svc.incident_submit_draft(access=acc(demo, login), incident_id=incident.pk, text=text, confirmed_with_errors=True,
                                  intermediate=intermediate, at=at(7, 10))
    svc.incident_forward(access=acc(demo, "curator"), incident_id=incident.pk, at=at(7, 10, 5))
    return d


def test_p8_answer_deadline_is_8_working_hours_from_detection(demo: dict[str, Any]) -> None:
    incident = intake(demo)
    assert step(incident, "answer").due_at == at(7, 16, 30)  # Fri 16:30 + 1.5 h + Mon 4 h + 2.5 h


def test_p9_handover_step_records_regional_timeliness(demo: dict[str, Any]) -> None:
    incident = intake(demo, detected=at(4, 10), handed=at(4, 10, 20))
    s = step(incident, "handover")
    assert s.due_at == at(4, 10, 30) and s.done_at == at(4, 10, 20)


def test_p10_route_within_30_minutes_and_dispatch_email_marker(demo: dict[str, Any]) -> None:
    incident = intake(demo, handed=at(4, 17, 50))
    assert step(incident, "route").due_at == at(7, 9, 20)
    route(demo, incident)
    assert Incident.objects.get(pk=incident.pk).status == Status.ROUTED
    mails = Notification.objects.filter(incident_id=incident.pk, channel="email", subject__contains="[для ответа на сообщения из социальных сетей]")
    addresses = set(mails.values_list("address", flat=True))
    assert "zhkh@plastunovskoe.example" in addresses  # the unit's mailbox
    assert demo["zhkh_head"].email in addresses  # п. 10: the unit head is told
    assert step(incident, "route").done_at == at(7, 9, 10)


def test_p7_2_absent_executor_replaced_and_recorded(demo: dict[str, Any]) -> None:
    Absence.objects.create(person=demo["executor"], kind="trip", starts_on=at(7, 0).date(), ends_on=at(9, 0).date(),
                           substitute=demo["zhkh_head"])
    Unit.objects.filter(pk=unit(ZHKH).pk).update(head=demo["executor"])  # the default executor is the head if an executor
    incident = route(demo, intake(demo))
    a = Assignment.objects.get(incident=incident)
    assert a.intended_executor == demo["executor"] and a.executor == demo["zhkh_head"]
    assert "п. 7.2" in a.substitution_note
    dispatch = IncidentEvent.objects.get(incident=incident, action="dispatch")
    assert "командировка" in dispatch.payload["substitution"]


def test_p11_not_ours_then_reroute(demo: dict[str, Any]) -> None:
    incident = route(demo, intake(demo))
    svc.incident_not_ours(access=acc(demo, "executor"), incident_id=incident.pk, comment="Это вопрос земельного отдела", at=at(7, 9, 30))
    assert Incident.objects.get(pk=incident.pk).status == Status.REROUTE
    assert step(incident, "reroute").due_at == at(7, 10, 0)
    ev = IncidentEvent.objects.get(incident=incident, action="not_ours")
    assert ev.payload["late"] is False
    svc.incident_route(access=acc(demo, "curator"), incident_id=incident.pk,
                       unit_ids=[unit("Отдел земельных и имущественных отношений").pk], at=at(7, 9, 45))
    assert step(incident, "reroute").done_at is not None
    assert Incident.objects.get(pk=incident.pk).status == Status.ROUTED


def test_p11_not_ours_needs_a_reason(demo: dict[str, Any]) -> None:
    incident = route(demo, intake(demo))
    with pytest.raises(TransitionError, match="почему"):
        svc.incident_not_ours(access=acc(demo, "executor"), incident_id=incident.pk, comment=" ")


def test_p13_clarifying_question_and_its_window(demo: dict[str, Any]) -> None:
    incident = route(demo, intake(demo))
    svc.incident_ask_clarification(access=acc(demo, "executor"), incident_id=incident.pk,
                                   question="Здравствуйте, Анна! Уточните, пожалуйста, номер дома.", at=at(7, 11))
    assert Incident.objects.get(pk=incident.pk).status == Status.CLARIFYING
    assert IncidentEvent.objects.get(incident=incident, action="ask_clarification").payload["late"] is True  # > 1 h
    svc.incident_clarification_received(access=acc(demo, "curator"), incident_id=incident.pk, reply="Дом 15")
    assert Incident.objects.get(pk=incident.pk).status == Status.ROUTED


def test_p12_draft_marker_and_forward_to_region(demo: dict[str, Any]) -> None:
    incident = route(demo, intake(demo))
    draft_to_approval(demo, incident)
    assert Incident.objects.get(pk=incident.pk).status == Status.AWAITING_APPROVAL
    subjects = Notification.objects.filter(incident_id=incident.pk, channel="inapp").values_list("subject", flat=True)
    assert sum("[ответ на сообщение из социальных сетей]" in s for s in subjects) >= 2  # to curator, then region
    assert step(incident, "approve").due_at == at(7, 10, 35)


def test_p14_return_requires_reason(demo: dict[str, Any]) -> None:
    incident = route(demo, intake(demo))
    draft_to_approval(demo, incident)
    with pytest.raises(TransitionError, match="причину"):
        svc.incident_return(access=acc(demo, "region"), incident_id=incident.pk, reasons=[])
    with pytest.raises(TransitionError, match="Неизвестная"):
        svc.incident_return(access=acc(demo, "region"), incident_id=incident.pk, reasons=[{"code": "mood"}])
    svc.incident_return(access=acc(demo, "region"), incident_id=incident.pk,
                        reasons=[{"code": "greeting", "comment": "Поздоровайтесь с Анной"}], at=at(7, 10, 20))
    d = Draft.objects.get(incident=incident)
    assert d.decision == "returned" and d.return_reasons[0]["code"] == "greeting"


def test_p15_rework_within_an_hour_and_rounds_counted(demo: dict[str, Any]) -> None:
    incident = route(demo, intake(demo))
    draft_to_approval(demo, incident, text="Яму засыпем.")
    svc.incident_return(access=acc(demo, "region"), incident_id=incident.pk,
                        reasons=[{"code": "greeting", "comment": ""}], at=at(7, 10, 20))
    assert step(incident, "rework").due_at == at(7, 11, 20)
    draft_to_approval(demo, incident)
    assert Draft.objects.filter(incident=incident).count() == 2
    assert step(incident, "rework").done_at is not None


def test_p14_approval_bound_to_exact_text(demo: dict[str, Any]) -> None:
    incident = route(demo, intake(demo))
    d = draft_to_approval(demo, incident)
    with pytest.raises(TransitionError, match="изменился"):
        svc.incident_approve(access=acc(demo, "region"), incident_id=incident.pk, text_hash_seen="0" * 64)
    assert Incident.objects.get(pk=incident.pk).status == Status.AWAITING_APPROVAL  # nothing half-done
    svc.incident_approve(access=acc(demo, "region"), incident_id=incident.pk, text_hash_seen=d.text_hash)
    # Any change after approval voids it and sends the text back for approval.
    svc.incident_edit_approved(access=acc(demo, "curator"), incident_id=incident.pk, text=d.text + " Спасибо!")
    assert Incident.objects.get(pk=incident.pk).status == Status.AWAITING_APPROVAL
    assert Draft.objects.get(pk=d.pk).decision == "voided"


def test_p16_publish_approved_answer_closes_steps(demo: dict[str, Any]) -> None:
    incident = route(demo, intake(demo))
    d = draft_to_approval(demo, incident)
    svc.incident_approve(access=acc(demo, "region"), incident_id=incident.pk, text_hash_seen=d.text_hash, at=at(7, 10, 20))
    assert step(incident, "publish").due_at == at(7, 10, 50)
    svc.incident_publish(access=acc(demo, "curator"), incident_id=incident.pk, published_url="https://vk.com/wall-1_3", at=at(7, 10, 30))
    incident.refresh_from_db()
    assert incident.status == Status.PUBLISHED and incident.published_url.endswith("_3")
    assert not IncidentStep.objects.filter(incident=incident, done_at__isnull=True).exists()


def test_p17_high_importance_halves_steps_not_p19(demo: dict[str, Any]) -> None:
    incident = intake(demo, high=True, detected=at(7, 9), handed=at(7, 9, 5))
    assert step(incident, "answer").due_at == at(7, 13)  # 4 h
    assert step(incident, "route").due_at == at(7, 9, 20)  # 15 min
    route(demo, incident, ZHKH, MBU, when=at(7, 9, 10))
    assert step(incident, "part").due_at == at(7, 11, 10)  # п. 19: 2 h, not halved


def test_p24_deputy_told_at_once_of_high_importance(demo: dict[str, Any]) -> None:
    incident = intake(demo, high=True)
    assert Notification.objects.filter(incident_id=incident.pk, recipient=demo["deputy"], subject__contains="повышенной").exists()


def test_p17_raise_importance_recomputes_open_steps(demo: dict[str, Any]) -> None:
    incident = intake(demo, detected=at(7, 9), handed=at(7, 9))
    svc.incident_raise_importance(access=acc(demo, "curator"), incident_id=incident.pk, at=at(7, 9, 5))
    assert step(incident, "answer").due_at == at(7, 13)
    assert Notification.objects.filter(incident_id=incident.pk, recipient=demo["deputy"]).exists()


def test_p18_intermediate_answer_then_final_within_7_working_days(demo: dict[str, Any]) -> None:
    incident = route(demo, intake(demo))
    d = draft_to_approval(demo, incident, intermediate=True, text="Здравствуйте, Анна! Заявка принята, ремонт запланирован.")
    svc.incident_approve(access=acc(demo, "region"), incident_id=incident.pk, text_hash_seen=d.text_hash)
    svc.incident_publish(access=acc(demo, "curator"), incident_id=incident.pk, at=at(7, 12))
    assert Incident.objects.get(pk=incident.pk).status == Status.INTERMEDIATE
    final = step(incident, "final_answer")
    assert final.due_at == at(16, 18)  # ст. 191: from the next day, 7 working days, end of day
    svc.incident_set_final_timings(access=acc(demo, "region"), incident_id=incident.pk, days=3)
    assert step(incident, "final_answer").due_at == at(10, 18)
    d2 = draft_to_approval(demo, incident, text="Здравствуйте, Анна! Яму засыпали 9 декабря.")
    svc.incident_approve(access=acc(demo, "region"), incident_id=incident.pk, text_hash_seen=d2.text_hash)
    svc.incident_publish(access=acc(demo, "curator"), incident_id=incident.pk)
    assert Incident.objects.get(pk=incident.pk).status == Status.PUBLISHED


def test_p19_parts_from_units_then_consolidated_draft(demo: dict[str, Any]) -> None:
    incident = route(demo, intake(demo), ZHKH, MBU)
    assert IncidentStep.objects.filter(incident=incident, kind="part").count() == 2
    svc.incident_submit_part(access=acc(demo, "executor"), incident_id=incident.pk, text="Яму засыплем 8-го")
    svc.incident_submit_part(access=acc(demo, "mbu"), incident_id=incident.pk, text="Щебень завезём 7-го")
    with pytest.raises(TransitionError):
        svc.incident_submit_part(access=acc(demo, "mbu"), incident_id=incident.pk, text="ещё")
    svc.incident_name_consolidator(access=acc(demo, "curator"), incident_id=incident.pk, person_id=demo["executor"].pk)
    with pytest.raises(TransitionError, match="Сводный"):
        svc.incident_submit_draft(access=acc(demo, "mbu"), incident_id=incident.pk, text="Сводный", confirmed_with_errors=True)
    svc.incident_submit_draft(access=acc(demo, "executor"), incident_id=incident.pk, text="Здравствуйте! Сводный ответ.", confirmed_with_errors=True)
    assert Incident.objects.get(pk=incident.pk).status == Status.DRAFT_SUBMITTED


def test_p21_close_without_answer_with_reason(demo: dict[str, Any]) -> None:
    incident = intake(demo, text="Угрожаю главе")
    with pytest.raises(TransitionError):
        svc.incident_close_no_answer(access=acc(demo, "curator"), incident_id=incident.pk, reason="")
    svc.incident_close_no_answer(access=acc(demo, "curator"), incident_id=incident.pk, reason="threat", comment="угроза")
    incident.refresh_from_db()
    assert incident.status == Status.CLOSED_NO_ANSWER and incident.no_answer_reason == "threat"


def test_publication_skips_regional_approval(demo: dict[str, Any]) -> None:
    incident = intake(demo, kind="publication")
    route(demo, incident)
    d = svc.incident_submit_draft(access=acc(demo, "executor"), incident_id=incident.pk, text="Здравствуйте! Ответ.", confirmed_with_errors=True)
    with pytest.raises(TransitionError):
        svc.incident_forward(access=acc(demo, "curator"), incident_id=incident.pk)
    svc.incident_approve(access=acc(demo, "general"), incident_id=incident.pk, text_hash_seen=d.text_hash)
    assert Incident.objects.get(pk=incident.pk).status == Status.APPROVED


def test_roles_and_scope_enforced_in_services(demo: dict[str, Any]) -> None:
    incident = route(demo, intake(demo))
    with pytest.raises(TransitionError, match="роли"):
        svc.incident_forward(access=acc(demo, "executor"), incident_id=incident.pk)
    with pytest.raises(TransitionError, match="не найдено"):  # another unit's executor does not see it
        svc.incident_submit_draft(access=acc(demo, "kdc"), incident_id=incident.pk, text="x", confirmed_with_errors=True)


def test_intake_idempotent_on_external_id(demo: dict[str, Any]) -> None:
    first = intake(demo, external_id="cur-1")
    again = intake(demo, external_id="cur-1")
    assert first.pk == again.pk and Incident.objects.count() == 1
    with pytest.raises(svc.IncidentConflict):
        intake(demo, external_id="cur-1", text="другой текст")
    assert Incident.objects.get(pk=first.pk).text == "Яма на ул. Красной, 15"


def test_p22_history_complete_append_only_and_verified(demo: dict[str, Any]) -> None:
    incident = route(demo, intake(demo))
    draft_to_approval(demo, incident)
    events = list(IncidentEvent.objects.filter(incident=incident))
    assert [e.action for e in events] == ["intake", "route", "dispatch", "submit_draft", "forward"]
    assert events[1].from_status == "new" and events[1].to_status == "routed"
    checked, problems = history_verify()
    assert checked == 5 and problems == []
    with pytest.raises(PermissionError):
        events[0].save()
    with pytest.raises(PermissionError):
        events[0].delete()
    # The database itself refuses to change or remove an entry.
    from django.db import DatabaseError, connection, transaction

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        IncidentEvent.objects.filter(pk=events[2].pk).update(actor_label="Кто-то другой")
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            IncidentEvent.objects.filter(pk=events[2].pk).delete()


def test_p22_history_verify_detects_tampering(demo: dict[str, Any]) -> None:
    """Even with the triggers dropped (by someone with the database owner's rights)."""
    from django.db import connection

    incident = route(demo, intake(demo))
    event = IncidentEvent.objects.get(incident=incident, seq=2)
    with connection.cursor() as c:
        if connection.vendor == "sqlite":
            c.execute("DROP TRIGGER incidents_event_no_update")
        else:
            c.execute("SET LOCAL session_replication_role = replica")  # a superuser skipping triggers
        c.execute("UPDATE incidents_incidentevent SET actor_label = %s WHERE id = %s", ["Кто-то другой", event.pk])
    _, problems = history_verify()
    assert [p.seq for p in problems] == [2]


def test_p22_history_verify_detects_a_removed_last_entry(demo: dict[str, Any]) -> None:
    from django.db import connection

    incident = route(demo, intake(demo))
    last = IncidentEvent.objects.filter(incident=incident).order_by("-seq").first()
    assert last is not None
    with connection.cursor() as c:  # someone with the owner's rights, triggers lifted
        if connection.vendor == "postgresql":
            c.execute("SET LOCAL session_replication_role = replica")
        else:
            c.execute("DROP TRIGGER incidents_event_no_delete")
        c.execute("DELETE FROM incidents_incidentevent WHERE id = %s", [last.pk])
    _, problems = history_verify()
    assert len(problems) == 1 and "последняя запись" in problems[0].problem


def test_p12_single_unit_drafts_within_the_total(demo: dict[str, Any]) -> None:
    incident = route(demo, intake(demo))  # answer due Mon 07.12 16:30
    draft_step = step(incident, "draft")
    assert draft_step.due_at == at(7, 16, 30) and draft_step.actor == demo["executor"]
    svc.incident_submit_draft(access=acc(demo, "executor"), incident_id=incident.pk, text="Здравствуйте!", at=at(7, 10), confirmed_with_errors=True)
    assert step(incident, "draft").done_at == at(7, 10)


def test_p19_consolidator_gets_the_draft_step(demo: dict[str, Any]) -> None:
    incident = route(demo, intake(demo), ZHKH, MBU)
    assert not IncidentStep.objects.filter(incident=incident, kind="draft").exists()  # parts, not drafts
    svc.incident_name_consolidator(access=acc(demo, "curator"), incident_id=incident.pk, person_id=demo["mbu"].pk)
    assert step(incident, "draft").actor == demo["mbu"]


def test_draft_step_follows_the_total_when_importance_rises(demo: dict[str, Any]) -> None:
    incident = route(demo, intake(demo, detected=at(7, 9), handed=at(7, 9)), when=at(7, 9, 10))
    assert step(incident, "draft").due_at == at(7, 18)
    svc.incident_raise_importance(access=acc(demo, "curator"), incident_id=incident.pk, at=at(7, 9, 20))
    assert step(incident, "draft").due_at == at(7, 13)
