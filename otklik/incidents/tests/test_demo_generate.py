"""`otklik demo generate`: a generated data set is one the services could have written.

Every state is there, the counts are what was asked, each step's deadline is the working
calendar's, the open-step fields the monitor reads are set, the history chain verifies, and
the real services carry on from a generated incident (next entry chained, next step opened).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from otklik.incidents.deadlines import alert_fields
from otklik.incidents.demo_generate import GenerateError, demo_generate
from otklik.incidents.history import history_verify
from otklik.incidents.models import (
    CLOSED_STATUSES,
    NO_DUE,
    Assignment,
    Draft,
    Incident,
    IncidentEvent,
    IncidentStep,
    Status,
)
from otklik.incidents.policy import timing_for, warn_shares_at
from otklik.incidents.steps import WITHIN_TOTAL, StepKind
from otklik.org.calendars import work_calendar_for
from otklik.org.models import Municipality, Person
from otklik.org.selectors import access_for

MSK = ZoneInfo("Europe/Moscow")
NOW = datetime(2026, 11, 18, 11, 20, tzinfo=MSK)  # a Wednesday, inside working hours
MUNICIPALITIES, INCIDENTS = 2, 1500


@pytest.fixture
def generated(db: None) -> Any:
    return demo_generate(municipalities=MUNICIPALITIES, incidents=INCIDENTS, region="t", seed=7, now=NOW)


def test_counts_and_every_state(generated: Any) -> None:
    assert generated.incidents == INCIDENTS
    assert Incident.objects.count() == INCIDENTS
    assert Municipality.objects.filter(region__slug="t").count() == MUNICIPALITIES
    assert IncidentStep.objects.count() == generated.steps
    assert IncidentEvent.objects.count() == generated.events
    states: Counter[str] = Counter(Incident.objects.values_list("status", flat=True))
    assert set(states) == {str(s) for s in Status}, f"missing: {set(map(str, Status)) - set(states)}"
    open_ = sum(n for s, n in states.items() if s not in CLOSED_STATUSES)
    assert open_ == generated.open
    assert 0.08 * INCIDENTS <= open_ <= 0.13 * INCIDENTS  # 10 % open, a few caught mid-way by now
    # Two years of history, nothing in the future.
    first = Incident.objects.order_by("detected_at").first()
    assert first is not None and first.detected_at < NOW - timedelta(days=600)
    assert not Incident.objects.filter(detected_at__gt=NOW).exists()
    assert not IncidentEvent.objects.filter(at__gt=NOW).exists()
    # Both kinds, both importances, every network, several topics and units.
    assert set(Incident.objects.values_list("kind", flat=True)) == {"incident", "publication"}
    assert set(Incident.objects.values_list("importance", flat=True)) == {"normal", "high"}
    assert set(Incident.objects.values_list("network", flat=True)) == {"vk", "ok", "telegram", "max"}
    assert Incident.objects.values("topic").distinct().count() >= 8
    assert Assignment.objects.values("unit").distinct().count() >= 8


def test_history_verifies_and_heads_match(generated: Any) -> None:
    checked, problems = history_verify()
    assert problems == []
    assert checked == generated.events
    # The status is where the history leads, from «new».
    for incident in Incident.objects.all()[:400]:
        moves = [e.to_status for e in incident.events.order_by("seq") if e.to_status]
        assert moves[0] == Status.NEW
        assert moves[-1] == incident.status


def test_p8_steps_carry_the_calendars_deadlines(generated: Any) -> None:
    for mun in Municipality.objects.filter(region__slug="t"):
        wc = work_calendar_for(mun)
        shares = warn_shares_at(mun, NOW)
        steps = IncidentStep.objects.filter(incident__municipality=mun).select_related("incident")
        totals = {(s.incident_id): s for s in steps if s.kind == StepKind.ANSWER}
        for step in steps:
            inc = step.incident
            if step.kind in WITHIN_TOTAL:
                if step.done_at is None:
                    assert step.due_at == totals[inc.pk].due_at
                continue
            timing = timing_for(step.kind, high=inc.is_high)
            if step.days:
                assert step.due_at == wc.add_working_days(step.started_at, step.days)
            else:
                assert step.seconds == timing.seconds
                assert step.due_at == wc.add(step.started_at, timedelta(seconds=step.seconds + step.extra_seconds))
            if step.done_at is None:
                fields = alert_fields(wc, started_at=step.started_at, due_at=step.due_at, shares=shares,
                                      warned=step.warned_shares, missed=step.missed_notified_at is not None)
                assert step.warn_at == fields["warn_at"]
                assert step.next_alert_at == fields["next_alert_at"]
                # What fell due before now counts as told: a worker does not send it all at once.
                assert (step.missed_notified_at is not None) == (step.due_at <= NOW)
            else:
                assert step.started_at <= step.done_at <= NOW


def test_closed_and_open_incidents_are_consistent(generated: Any) -> None:
    for inc in Incident.objects.prefetch_related("steps", "assignments", "drafts"):
        open_steps = [s for s in inc.steps.all() if s.done_at is None]
        if inc.status in CLOSED_STATUSES:
            assert not open_steps and inc.closed_at is not None and inc.next_due_at == NO_DUE
            assert not [a for a in inc.assignments.all() if a.state == Assignment.State.ACTIVE]
        else:
            assert open_steps and inc.closed_at is None
            assert inc.next_due_at == min(s.due_at for s in open_steps)
        if inc.status == Status.PUBLISHED:
            assert [d.decision for d in inc.drafts.all()][-1] == Draft.Decision.APPROVED
            assert inc.published_at == inc.closed_at
        if inc.status == Status.CLARIFYING and inc.paused_at is not None:
            assert not [s for s in open_steps if s.kind == StepKind.CLARIFY_POST]


def test_p11_p13_late_flags_match_the_windows(generated: Any) -> None:
    """«Не наша компетенция» (п. 11) and the clarifying question (п. 13) say whether they came
    after their window from the dispatch, as the services record it."""
    seen: Counter[bool] = Counter()
    for e in IncidentEvent.objects.filter(action__in=["not_ours", "ask_clarification"]).select_related(
            "incident__municipality"):
        inc = e.incident
        wc = work_calendar_for(inc.municipality)
        kind = StepKind.NOT_OURS if e.action == "not_ours" else StepKind.CLARIFY
        dispatched = inc.assignments.filter(dispatched_at__lte=e.at).order_by("-dispatched_at").first()
        assert dispatched is not None
        window = wc.add(dispatched.dispatched_at, timedelta(seconds=timing_for(kind, high=inc.is_high).seconds))
        assert e.payload["late"] == (e.at > window)
        seen[e.payload["late"]] += 1
    assert seen[True] and seen[False]


def test_services_carry_on_from_generated_data(generated: Any) -> None:
    """A generated incident takes the next real action: the history chain continues from the
    generated head, the next step opens, and a new hand-in gets a fresh id."""
    from otklik.incidents import services as svc

    routed = Incident.objects.filter(status=Status.ROUTED, kind="incident", consolidator__isnull=True,
                                     municipality__slug="t-01").order_by("-pk").first()
    assert routed is not None
    executor = routed.assignments.get(state=Assignment.State.ACTIVE).executor
    assert executor is not None
    access = access_for(executor.user)
    assert access is not None
    svc.incident_submit_draft(access=access, incident_id=routed.pk, confirmed_with_errors=True,
                              text="Здравствуйте! Яму засыплем щебнем до пятницы, после ремонта пришлём фото.")
    routed.refresh_from_db()
    assert routed.status == Status.DRAFT_SUBMITTED
    assert routed.steps.filter(kind=StepKind.FORWARD, done_at__isnull=True).exists()
    assert history_verify([routed.pk])[1] == []
    mun = Municipality.objects.get(slug="t-01")
    region = Person.objects.get(user__username="t-region")
    fresh, created = svc.incident_intake(
        municipality=mun, kind="incident", importance="normal", network="vk", url="https://vk.com/wall-1_2",
        author_name="Житель", author_url="", text="Новое сообщение после генерации", detected_at=NOW,
        handed_over_at=NOW, external_id="after-generate", by=region, now=NOW + timedelta(minutes=5))
    assert created and fresh.pk > max(Incident.objects.exclude(pk=fresh.pk).values_list("pk", flat=True))


def test_generating_again_adds_municipalities(db: None) -> None:
    demo_generate(municipalities=1, incidents=30, region="t", now=NOW)
    demo_generate(municipalities=1, incidents=20, region="t", now=NOW)
    assert sorted(Municipality.objects.filter(region__slug="t").values_list("slug", flat=True)) == ["t-01", "t-02"]
    assert Incident.objects.count() == 50
    assert history_verify()[1] == []


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"municipalities": 0, "incidents": 10}, "Число МО"),
    ({"municipalities": 1, "incidents": -1}, "Число сообщений"),
    ({"municipalities": 1, "incidents": 1, "region": "край"}, "Код региона"),
])
def test_bad_input_is_refused_in_russian(db: None, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(GenerateError, match=message):
        demo_generate(**kwargs)
    assert not Incident.objects.exists()


def test_command_prints_the_rate_and_refuses_bad_input(db: None) -> None:
    out = StringIO()
    call_command("demo", "generate", "--municipalities", "1", "--incidents", "40", "--region", "cmd", stdout=out,
                 skip_checks=True)
    assert "сообщений: 40" in out.getvalue()
    assert "сообщений в секунду" in out.getvalue()
    assert "в секунду процессора" in out.getvalue()
    with pytest.raises(CommandError, match="Число МО"):
        call_command("demo", "generate", "--municipalities", "0", skip_checks=True)
