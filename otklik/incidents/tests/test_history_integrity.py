"""History that cannot be rewritten quietly (п. 22): the database refuses UPDATE and DELETE;
the chain is keyed, so re-chaining without the key shows; daily anchors outside the database
find a whole removed history; the interface shows a red banner and the administrator's list."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client

from otklik.incidents import services as svc
from otklik.incidents.anchors import anchors_read
from otklik.incidents.history import GENESIS, history_verify
from otklik.incidents.integrity import integrity_daily
from otklik.incidents.models import HistoryCheck, Incident, IncidentEvent, IncidentStep
from otklik.incidents.tests.test_services import acc, draft_to_approval, intake, route
from otklik.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def anchor_file(settings: Any, tmp_path: Path) -> Path:
    settings.OTKLIK_HISTORY_ANCHORS = str(tmp_path / "anchors.jsonl")
    settings.OTKLIK_REQUIRE_2FA = False
    return tmp_path / "anchors.jsonl"


def _lift_triggers(cursor: Any) -> None:
    """What someone with the database owner's rights can do."""
    if connection.vendor == "postgresql":
        cursor.execute("SET LOCAL session_replication_role = replica")
    else:
        cursor.execute("DROP TRIGGER IF EXISTS incidents_event_no_update")
        cursor.execute("DROP TRIGGER IF EXISTS incidents_event_no_delete")


def _worked(demo: dict[str, Any]) -> Incident:
    incident = route(demo, intake(demo))
    draft_to_approval(demo, incident)
    return incident


def test_the_database_refuses_update_and_delete_of_history(demo: dict[str, Any]) -> None:
    incident = _worked(demo)
    event = IncidentEvent.objects.filter(incident=incident).first()
    assert event is not None
    statements: list[tuple[str, list[Any]]] = [("UPDATE incidents_incidentevent SET actor_label = %s WHERE id = %s", ["x", event.pk]),
                        ("DELETE FROM incidents_incidentevent WHERE id = %s", [event.pk]),
                        ("DELETE FROM incidents_incidentevent", [])]
    for sql, params in statements:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as c:
            c.execute(sql, params)
    assert IncidentEvent.objects.filter(incident=incident).count() == 5


def test_verify_finds_a_changed_row(demo: dict[str, Any]) -> None:
    incident = _worked(demo)
    event = IncidentEvent.objects.get(incident=incident, seq=3)
    with connection.cursor() as c:
        _lift_triggers(c)
        c.execute("UPDATE incidents_incidentevent SET payload = %s WHERE id = %s",
                  [json.dumps({"unit": "Другой отдел"}), event.pk])
    _, problems = history_verify()
    assert [(p.incident_id, p.seq) for p in problems] == [(incident.pk, 3)]


@pytest.mark.parametrize("column", ["at", "actor_id", "actor_label", "action", "from_status", "to_status",
                                    "payload", "seq", "prev_hash", "hash"])
def test_verify_finds_a_change_in_every_signed_column(demo: dict[str, Any], column: str) -> None:
    incident = _worked(demo)
    event = IncidentEvent.objects.get(incident=incident, seq=2)
    values = {"at": event.at.replace(year=2025), "actor_id": demo["deputy"].pk, "actor_label": "Подмена",
              "action": "approve", "from_status": "approved", "to_status": "published",
              "payload": json.dumps({"x": 1}), "seq": 40, "prev_hash": "f" * 64, "hash": "e" * 64}
    with connection.cursor() as c:
        _lift_triggers(c)
        c.execute(f"UPDATE incidents_incidentevent SET {column} = %s WHERE id = %s", [values[column], event.pk])  # noqa: S608
    _, problems = history_verify()
    assert problems and {p.incident_id for p in problems} == {incident.pk}, column


def test_verify_finds_a_removed_row_in_the_middle(demo: dict[str, Any]) -> None:
    incident = _worked(demo)
    with connection.cursor() as c:
        _lift_triggers(c)
        c.execute("DELETE FROM incidents_incidentevent WHERE incident_id = %s AND seq = 2", [incident.pk])
    _, problems = history_verify()
    assert any(p.incident_id == incident.pk and p.seq == 3 for p in problems)


def _rechain_without_the_key(incident: Incident, keep: int) -> None:
    """An attacker drops the last entries and re-chains the rest with a key of their own."""
    events = list(IncidentEvent.objects.filter(incident=incident).order_by("seq"))
    prev = GENESIS
    with connection.cursor() as c:
        _lift_triggers(c)
        c.execute("DELETE FROM incidents_incidentevent WHERE incident_id = %s AND seq > %s", [incident.pk, keep])
        for e in events[:keep]:
            body = json.dumps([prev, e.incident_id, e.seq, e.at.astimezone(UTC).isoformat(), e.actor_id,
                               e.actor_label, e.action, e.from_status, e.to_status, e.payload],
                              ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
            digest = hashlib.sha256(body.encode()).hexdigest()
            c.execute("UPDATE incidents_incidentevent SET prev_hash = %s, hash = %s WHERE id = %s",
                      [prev, digest, e.pk])
            prev = digest
        c.execute("UPDATE incidents_incident SET history_head = %s WHERE id = %s", [prev, incident.pk])


def test_verify_finds_a_history_rechained_without_the_key(demo: dict[str, Any]) -> None:
    incident = _worked(demo)
    _rechain_without_the_key(incident, keep=3)
    _, problems = history_verify()
    assert {p.seq for p in problems if p.incident_id == incident.pk} == {1, 2, 3}


def test_the_key_comes_from_outside_the_database(demo: dict[str, Any], settings: Any) -> None:
    _worked(demo)
    assert history_verify()[1] == []
    settings.OTKLIK_HISTORY_KEY = "another key"
    assert len(history_verify()[1]) == 5


def test_anchors_find_a_removed_last_entry_with_its_head_reset(demo: dict[str, Any], anchor_file: Path) -> None:
    incident = _worked(demo)
    integrity_daily()
    last = IncidentEvent.objects.filter(incident=incident).order_by("-seq").first()
    assert last is not None and anchors_read(anchor_file)[incident.pk].seq == last.seq
    previous = IncidentEvent.objects.get(incident=incident, seq=last.seq - 1)
    with connection.cursor() as c:
        _lift_triggers(c)
        c.execute("DELETE FROM incidents_incidentevent WHERE id = %s", [last.pk])
        c.execute("UPDATE incidents_incident SET history_head = %s WHERE id = %s", [previous.hash, incident.pk])
    assert history_verify()[1] == []  # the chain alone looks whole
    out = _verify_command()
    assert out[0] == 1 and "заверенн" in out[1]


def test_anchors_find_a_whole_removed_incident(demo: dict[str, Any]) -> None:
    incident = _worked(demo)
    other = route(demo, intake(demo, external_id="keep"))
    integrity_daily()
    with connection.cursor() as c:
        _lift_triggers(c)
        for table in ("incidents_incidentevent", "incidents_incidentstep", "incidents_draft", "incidents_assignment"):
            c.execute(f"DELETE FROM {table} WHERE incident_id = %s", [incident.pk])  # noqa: S608
        c.execute("DELETE FROM incidents_incident WHERE id = %s", [incident.pk])
    assert not IncidentStep.objects.filter(incident_id=incident.pk).exists()
    code, text = _verify_command()
    assert code == 1
    assert f"№ {incident.pk}" in text and "удалены" in text and f"№ {other.pk}," not in text


def _verify_command() -> tuple[int, str]:
    from io import StringIO

    out = StringIO()
    try:
        call_command("history", "verify", stdout=out)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_daily_job_anchors_and_tells_the_deputy(demo: dict[str, Any], anchor_file: Path) -> None:
    incident = _worked(demo)
    result = integrity_daily()
    assert result.check.problems == [] and result.anchored == 1
    mail = Notification.objects.filter(recipient=demo["deputy"], subject__startswith="Заверение истории").get(
        channel=Notification.Channel.INAPP)
    assert "Контрольная сумма" in mail.body
    lines = anchor_file.read_text(encoding="utf-8").splitlines()
    assert any(json.loads(x).get("incident") == incident.pk for x in lines)
    # Nothing changed: the next run appends no incident line, only the summaries.
    assert integrity_daily().anchored == 0


def test_a_broken_history_shows_a_red_banner_and_on_the_administrators_page(demo: dict[str, Any]) -> None:
    incident = _worked(demo)
    curator = Client()
    curator.force_login(demo["curator"].user)
    assert 'id="integrity-banner"' not in curator.get(f"/incidents/{incident.pk}/").content.decode()
    _rechain_without_the_key(incident, keep=4)
    page = curator.get(f"/incidents/{incident.pk}/").content.decode()
    assert 'id="integrity-banner"' in page and "подпись не совпадает" in page
    admin = Client()
    admin.force_login(demo["admin"].user)
    assert admin.post("/settings/integrity/").status_code == 302
    listing = admin.get("/settings/integrity/").content.decode()
    assert f"№ {incident.pk}</a>" in listing
    assert HistoryCheck.objects.get().problems


def test_the_integrity_page_is_the_administrators(demo: dict[str, Any]) -> None:
    curator = Client()
    curator.force_login(demo["curator"].user)
    assert curator.get("/settings/integrity/").status_code == 403
    assert curator.post("/settings/integrity/").status_code == 403


def test_verify_is_clean_on_an_untouched_workflow(demo: dict[str, Any]) -> None:
    incident = _worked(demo)
    svc.incident_raise_importance(access=acc(demo, "curator"), incident_id=incident.pk)
    assert history_verify() == (6, [])
    assert _verify_command()[0] == 0
