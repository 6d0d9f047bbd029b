"""The history stays append-only in the database after erasure became possible: only the erasure
path may blank a payload, once, with every signed column unchanged and a seal set. Run on SQLite
and on PostgreSQL (DATABASE_URL): the triggers differ."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from otklik.incidents.history import event_erase, history_verify
from otklik.incidents.history_guard import history_erasure_allowed
from otklik.incidents.models import IncidentEvent
from otklik.privacy.erasure import ERASED_ACTION
from otklik.privacy.tests.story import Story, build
from otklik.privacy.tests.test_erasure import erase_anna

pytestmark = pytest.mark.django_db

UPDATE = "UPDATE incidents_incidentevent SET {set} WHERE id = %s"


@pytest.fixture(autouse=True)
def _dirs(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OTKLIK_HISTORY_ANCHORS = str(tmp_path / "anchors.jsonl")


@pytest.fixture
def story(demo: dict[str, Any]) -> Story:
    return build(demo)


def _reply(story: Story) -> IncidentEvent:
    return IncidentEvent.objects.get(incident=story.b, action="clarification_received")


def _execute(sql: str, params: list[Any], *, erasing: bool) -> None:
    with transaction.atomic():
        if erasing:
            with history_erasure_allowed(connection), connection.cursor() as c:
                c.execute(sql, params)
        else:
            with connection.cursor() as c:
                c.execute(sql, params)


def _refused(sql: str, params: list[Any], *, erasing: bool) -> None:
    with pytest.raises(DatabaseError, match="append-only"):
        _execute(sql, params, erasing=erasing)


def _lift_triggers(cursor: Any) -> None:
    """What someone with the database owner's rights can do."""
    if connection.vendor == "postgresql":
        cursor.execute("SET LOCAL session_replication_role = replica")
    else:
        cursor.execute("DROP TRIGGER IF EXISTS incidents_event_no_update")


def test_blanking_outside_the_erasure_path_is_refused(story: Story) -> None:
    e = _reply(story)
    blank = json.dumps({**e.payload, "reply": ""})
    _refused(UPDATE.format(set="payload = %s, erased_at = %s, erased_seal = %s"), [blank, timezone.now(), "x" * 64, e.pk],
             erasing=False)
    _refused(UPDATE.format(set="payload = %s"), [blank, e.pk], erasing=False)


@pytest.mark.parametrize(("column", "value"), [
    ("actor_label", "Подмена"), ("action", "approve"), ("hash", "0" * 64), ("prev_hash", "1" * 64),
    ("to_status", "published"), ("seq", 99),
])
def test_erasure_path_cannot_touch_a_signed_column(story: Story, column: str, value: Any) -> None:
    e = _reply(story)
    _refused(UPDATE.format(set=f"payload = %s, erased_at = %s, erased_seal = %s, {column} = %s"),
             [json.dumps({}), timezone.now(), "x" * 64, value, e.pk], erasing=True)


def test_erasure_path_must_mark_and_seal_and_only_once(story: Story) -> None:
    e = _reply(story)
    _refused(UPDATE.format(set="payload = %s"), [json.dumps({}), e.pk], erasing=True)  # not marked
    _refused(UPDATE.format(set="payload = %s, erased_at = %s"), [json.dumps({}), timezone.now(), e.pk], erasing=True)
    assert event_erase(event=e, at=timezone.now())
    _refused(UPDATE.format(set="payload = %s, erased_at = %s, erased_seal = %s"),
             [json.dumps({"reply": "вернул"}), timezone.now(), "y" * 64, e.pk], erasing=True)  # a second time
    _refused("DELETE FROM incidents_incidentevent WHERE id = %s", [e.pk], erasing=True)


def test_verify_after_erasure_finds_a_later_change(story: Story) -> None:
    erase_anna()
    e = _reply(story)
    assert e.erased_at is not None and e.payload["reply"] == "" and history_verify()[1] == []
    with connection.cursor() as c:
        _lift_triggers(c)
        c.execute(UPDATE.format(set="payload = %s"), [json.dumps({**e.payload, "paused": "10 дней"}), e.pk])
    problems = history_verify()[1]
    assert [(p.incident_id, p.seq) for p in problems] == [(story.b.pk, e.seq)]
    assert "после удаления" in problems[0].problem


def test_verify_after_erasure_still_reports_a_change_made_before(story: Story) -> None:
    e = _reply(story)
    with connection.cursor() as c:
        _lift_triggers(c)
        c.execute(UPDATE.format(set="payload = %s"), [json.dumps({**e.payload, "reply": "подменён"}), e.pk])
    if connection.vendor == "sqlite":  # put the trigger back: the erasure must pass through it
        with connection.cursor() as c:
            c.execute(_sqlite_update_trigger())
    erase_anna()
    problems = history_verify()[1]
    assert [(p.incident_id, p.seq, p.problem) for p in problems] == [
        (story.b.pk, e.seq, "запись была изменена до удаления персональных данных")]


def test_clearing_the_erasure_mark_shows(story: Story) -> None:
    erase_anna()
    e = _reply(story)
    with connection.cursor() as c:
        _lift_triggers(c)
        c.execute(UPDATE.format(set="erased_at = NULL, erased_seal = ''"), [e.pk])
    assert [p.seq for p in history_verify()[1]] == [e.seq]
    assert IncidentEvent.objects.filter(incident=story.b, action=ERASED_ACTION).exists()


def _sqlite_update_trigger() -> str:
    import importlib

    return str(importlib.import_module("otklik.incidents.migrations.0012_history_erasure").SQLITE_UPDATE_NEW)
