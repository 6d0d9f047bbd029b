"""The history becomes keyed (HMAC with OTKLIK_HISTORY_KEY) and DELETE is refused on SQLite too.

Chains written before were plain SHA-256: each is checked as it stood and, when intact,
re-sealed with the key (the triggers are lifted for this one migration and put back). A
chain already broken is left as it is, so `otklik history verify` keeps reporting it.
"""

import hashlib
import hmac
import json
from datetime import UTC

from django.conf import settings
from django.db import migrations

GENESIS = "0" * 64

SQLITE_DELETE = """CREATE TRIGGER incidents_event_no_delete BEFORE DELETE ON incidents_incidentevent
    WHEN otklik_history_guard() BEGIN SELECT RAISE(ABORT, 'incident history is append-only'); END"""
SQLITE_UPDATE = """CREATE TRIGGER incidents_event_no_update BEFORE UPDATE ON incidents_incidentevent
    BEGIN SELECT RAISE(ABORT, 'incident history is append-only'); END"""
PG_TRIGGER = """CREATE TRIGGER incidents_event_append_only BEFORE UPDATE OR DELETE ON incidents_incidentevent
    FOR EACH ROW EXECUTE FUNCTION incidents_event_append_only()"""


def _body(e, prev):  # type: ignore[no-untyped-def]
    return json.dumps(
        [prev, e.incident_id, e.seq, e.at.astimezone(UTC).isoformat(), e.actor_id, e.actor_label, e.action,
         e.from_status, e.to_status, e.payload],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


def reseal(apps, schema_editor):  # type: ignore[no-untyped-def]
    Event = apps.get_model("incidents", "IncidentEvent")
    Incident = apps.get_model("incidents", "Incident")
    key = settings.OTKLIK_HISTORY_KEY.encode()
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS incidents_event_no_update")
    elif vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS incidents_event_append_only ON incidents_incidentevent")
    for incident in Incident.objects.all().only("pk", "history_head").iterator():
        events = list(Event.objects.filter(incident_id=incident.pk).order_by("seq"))
        prev, intact = GENESIS, True
        for n, e in enumerate(events, 1):
            intact = intact and e.seq == n and e.prev_hash == prev and e.hash == hashlib.sha256(_body(e, prev)).hexdigest()
            prev = e.hash
        if not events or not intact or incident.history_head != prev:
            continue
        prev = GENESIS
        for e in events:
            digest = hmac.new(key, _body(e, prev), hashlib.sha256).hexdigest()
            Event.objects.filter(pk=e.pk).update(prev_hash=prev, hash=digest)
            prev = digest
        Incident.objects.filter(pk=incident.pk).update(history_head=prev)
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_UPDATE)
        schema_editor.execute(SQLITE_DELETE)
    elif vendor == "postgresql":
        schema_editor.execute(PG_TRIGGER)


def unseal(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS incidents_event_no_delete")


class Migration(migrations.Migration):
    dependencies = [("incidents", "0006_draft_step")]

    operations = [migrations.RunPython(reseal, unseal)]
