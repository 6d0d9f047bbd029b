"""Rules a mutation of the deadlines would break: halving for every step kind (п. 17), the
region's п. 18 term through every recompute, the admin's bulk actions, overdue steps kept,
scope of routing and of the consolidator, the approval step reopened by an edit."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from otklik.incidents import services as svc
from otklik.incidents.deadlines import deadlines_recompute_everywhere, step_open
from otklik.incidents.models import DeadlinePolicy, Incident, IncidentStep, Status
from otklik.incidents.policy import DEFAULTS, HALVED_FOR_HIGH, timing_for
from otklik.incidents.steps import WITHIN_TOTAL, StepKind
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
from otklik.incidents.transitions import TransitionError
from otklik.org.calendars import work_calendar_for
from otklik.org.models import CalendarChange, Municipality, Person, Unit

pytestmark = pytest.mark.django_db
TIMED = [k for k in StepKind if k not in WITHIN_TOTAL]


def test_every_step_kind_has_a_timing_and_a_halving_decision() -> None:
    assert set(DEFAULTS) == set(TIMED)
    # п. 17 halves п. 8, 10–16; п. 18 (working days) and п. 19 (parts) stand as written.
    assert {*TIMED} - HALVED_FOR_HIGH == {StepKind.FINAL_ANSWER, StepKind.PART}


@given(kind=st.sampled_from(TIMED), amount=st.integers(min_value=1, max_value=10_000),
       unit_=st.sampled_from(["m", "d"]))
@settings(max_examples=300, derandomize=True, deadline=None)
def test_halving_holds_for_every_kind_and_any_policy(kind: str, amount: int, unit_: str) -> None:
    overrides: dict[str, list[int | str]] = {kind: [amount, unit_]}
    normal = timing_for(kind, high=False, overrides=overrides)
    high = timing_for(kind, high=True, overrides=overrides)
    if unit_ == "d":
        assert high == normal and normal.days == amount  # working days are never halved
    elif kind in HALVED_FOR_HIGH:
        assert high.seconds == normal.seconds // 2 == amount * 60 // 2
    else:
        assert high == normal


@pytest.mark.parametrize("kind", TIMED)
@pytest.mark.parametrize("high", [False, True])
def test_each_kind_opens_its_step_on_its_own_timing(demo: dict[str, Any], kind: str, high: bool) -> None:
    incident = intake(demo, high=high, detected=at(7, 9), handed=at(7, 9))
    wc = work_calendar_for(incident.municipality)
    opened = step_open(incident=incident, kind=kind, start=at(7, 9, 30), actor_role="municipal_curator")
    amount, kind_unit = DEFAULTS[kind]
    if kind_unit == "d":
        assert opened.days == amount and opened.due_at == wc.add_working_days(at(7, 9, 30), amount)
    else:
        halve = high and kind in HALVED_FOR_HIGH
        assert opened.seconds == amount * 60 // (2 if halve else 1)
        assert opened.due_at == wc.add(at(7, 9, 30), timedelta(seconds=opened.seconds))


def _intermediate_with_region_term(demo: dict[str, Any], days: int = 10) -> Incident:
    incident = route(demo, intake(demo))
    d = draft_to_approval(demo, incident, intermediate=True, text="Здравствуйте, Анна! Ремонт запланирован.")
    svc.incident_approve(access=acc(demo, "region"), incident_id=incident.pk, text_hash_seen=d.text_hash,
                         at=at(7, 11))
    svc.incident_publish(access=acc(demo, "curator"), incident_id=incident.pk, at=at(7, 12))
    svc.incident_set_final_timings(access=acc(demo, "region"), incident_id=incident.pk, days=days, at=at(7, 12, 5))
    return incident


def _final_is(incident: Incident, days: int) -> None:
    final = step(incident, StepKind.FINAL_ANSWER)
    wc = work_calendar_for(Municipality.objects.get(pk=incident.municipality_id))
    assert final.days == days
    assert final.due_at == wc.add_working_days(final.started_at, days)


def test_p18_region_term_survives_every_recompute(demo: dict[str, Any], settings: Any) -> None:
    settings.OTKLIK_REQUIRE_2FA = False
    incident = _intermediate_with_region_term(demo, days=10)
    _final_is(incident, 10)
    with time_machine.travel(at(7, 13), tick=False):
        svc.incident_raise_importance(access=acc(demo, "curator"), incident_id=incident.pk)
        _final_is(incident, 10)
        admin = Client()
        admin.force_login(demo["admin"].user)
        mun = incident.municipality_id
        assert admin.post("/admin/org/calendarchange/add/", {
            "municipality": mun, "day": "15.12.2026", "kind": "non_working", "note": "местный"}).status_code == 302
        _final_is(incident, 10)
        assert admin.post("/admin/incidents/deadlinepolicy/add/", {
            "municipality": mun, "effective_from": "01.01.2026", "timings": '{"final_answer": [3, "d"]}',
            "warn_shares": "[]"}).status_code == 302
        _final_is(incident, 10)
        assert admin.post("/admin/org/scheduleversion/add/", {
            "municipality": mun, "effective_from": "01.01.2026",
            "schedule_toml": 'time_zone = "Europe/Moscow"\n[days]\nmon = ["08:00-17:00"]\ntue = ["08:00-17:00"]\n'
                             'wed = ["08:00-17:00"]\nthu = ["08:00-17:00"]\nfri = ["08:00-16:00"]\n'}).status_code == 302
        _final_is(incident, 10)
        deadlines_recompute_everywhere()  # what a federal calendar import runs
        _final_is(incident, 10)


def test_admin_bulk_delete_recomputes(demo: dict[str, Any], settings: Any) -> None:
    settings.OTKLIK_REQUIRE_2FA = False
    incident = intake(demo)  # answer due Mon 07.12 16:30
    with time_machine.travel(at(4, 17), tick=False):
        admin = Client()
        admin.force_login(demo["admin"].user)
        admin.post("/admin/org/calendarchange/add/", {
            "municipality": incident.municipality_id, "day": "07.12.2026", "kind": "non_working", "note": "x"})
        assert step(incident, "answer").due_at == at(8, 16, 30)
        change = CalendarChange.objects.get()
        r = admin.post("/admin/org/calendarchange/", {"action": "delete_selected", "_selected_action": [change.pk],
                                                      "post": "yes"})
        assert r.status_code == 302 and not CalendarChange.objects.exists()
    assert step(incident, "answer").due_at == at(7, 16, 30)


def test_admin_bulk_delete_of_a_policy_recomputes(demo: dict[str, Any], settings: Any) -> None:
    settings.OTKLIK_REQUIRE_2FA = False
    incident = intake(demo)
    with time_machine.travel(at(4, 17), tick=False):
        admin = Client()
        admin.force_login(demo["admin"].user)
        admin.post("/admin/incidents/deadlinepolicy/add/", {
            "municipality": incident.municipality_id, "effective_from": "01.12.2026",
            "timings": '{"answer": [540, "m"]}', "warn_shares": "[]"})
        assert step(incident, "answer").due_at == at(7, 17, 30)  # 9 h
        policy = DeadlinePolicy.objects.get()
        admin.post("/admin/incidents/deadlinepolicy/", {"action": "delete_selected", "_selected_action": [policy.pk],
                                                        "post": "yes"})
    assert step(incident, "answer").due_at == at(7, 16, 30)


def test_a_recompute_never_moves_a_step_already_overdue(demo: dict[str, Any], settings: Any) -> None:
    settings.OTKLIK_REQUIRE_2FA = False
    incident = intake(demo)  # route due Fri 04.12 17:00, answer Mon 07.12 16:30
    route_due = step(incident, "route").due_at
    assert route_due == at(4, 17)
    with time_machine.travel(at(7, 10), tick=False):  # the route step is overdue, the answer is not
        admin = Client()
        admin.force_login(demo["admin"].user)
        admin.post("/admin/org/calendarchange/add/", {
            "municipality": incident.municipality_id, "day": "04.12.2026", "kind": "non_working", "note": "x"})
    assert step(incident, "route").due_at == route_due  # missed on Friday: stays missed
    assert step(incident, "answer").due_at == at(7, 18)  # Friday no longer counts: all 8 h on Monday


def test_routing_to_a_unit_of_another_municipality_is_refused(demo: dict[str, Any]) -> None:
    incident = intake(demo)
    foreign = Unit.objects.get(municipality__slug="novotitarovskoe", name="Общий отдел")
    with pytest.raises(TransitionError, match="не найдено"):
        svc.incident_route(access=acc(demo, "curator"), incident_id=incident.pk, unit_ids=[unit(ZHKH).pk, foreign.pk],
                           at=at(7, 9))
    incident.refresh_from_db()
    assert incident.status == Status.NEW and not incident.assignments.exists()
    assert incident.events.count() == 1


def test_naming_a_consolidator_from_elsewhere_is_refused(demo: dict[str, Any]) -> None:
    from django.contrib.auth import get_user_model

    incident = route(demo, intake(demo), ZHKH, MBU)
    other_mun = Municipality.objects.get(slug="novotitarovskoe")
    stranger = Person.objects.create(user=get_user_model().objects.create(username="b-person"), full_name="Чужой",
                                     region=other_mun.region, municipality=other_mun,
                                     unit=Unit.objects.get(municipality=other_mun, name="Общий отдел"))
    for person in (stranger, demo["land"]):  # another municipality; a unit the incident was not sent to
        with pytest.raises(TransitionError, match="Ответственный"):
            svc.incident_name_consolidator(access=acc(demo, "curator"), incident_id=incident.pk, person_id=person.pk)
    incident.refresh_from_db()
    assert incident.consolidator_id is None and incident.status == Status.ROUTED


def test_an_edit_after_approval_opens_a_new_approval_step(demo: dict[str, Any]) -> None:
    incident = route(demo, intake(demo))
    d = draft_to_approval(demo, incident)
    svc.incident_approve(access=acc(demo, "region"), incident_id=incident.pk, text_hash_seen=d.text_hash, at=at(7, 10, 20))
    assert step(incident, "publish").done_at is None
    svc.incident_edit_approved(access=acc(demo, "curator"), incident_id=incident.pk, confirmed_with_errors=True,
                               text=d.text + " Спасибо!", at=at(7, 10, 25))
    approvals = IncidentStep.objects.filter(incident=incident, kind="approve").order_by("pk")
    assert approvals.count() == 2 and approvals.last().done_at is None  # type: ignore[union-attr]
    reopened = approvals.last()
    assert reopened is not None and reopened.actor_role == "regional_curator" and reopened.started_at == at(7, 10, 25)
    assert step(incident, "publish").done_at == at(7, 10, 25)


@given(minutes=st.integers(min_value=0, max_value=60 * 24 * 30))
@settings(max_examples=25, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_deadlines_of_any_start_are_worktime_exact(demo: dict[str, Any], minutes: int) -> None:
    start = datetime(2026, 11, 2, 0, 0, tzinfo=at(1, 0).tzinfo) + timedelta(minutes=minutes)
    if start > datetime(2026, 12, 4, 18, 0, tzinfo=start.tzinfo):
        start = start - timedelta(days=30)
    incident = intake(demo, detected=start, handed=start)
    wc = work_calendar_for(incident.municipality)
    assert step(incident, "answer").due_at == wc.add(start, timedelta(hours=8))
    assert step(incident, "route").due_at == wc.add(start, timedelta(minutes=30))
    assert date(2026, 11, 1) <= step(incident, "answer").due_at.date()
