"""The history's personal data can be erased (152-ФЗ) without rewriting the chain.

Two columns: when an entry's personal values were blanked, and the seal over the blanked entry
(incidents/history.py). The UPDATE triggers now let exactly that through — inside the erasure
path only (`history_guard.history_erasure_allowed`), once per entry, with every signed column
unchanged and a seal set; any other UPDATE or DELETE is refused as before. Existing entries are
not touched: their hashes (and the anchors outside the database) stay valid.

On SQLite, adding a NOT NULL column rebuilds the table and drops its triggers, so the triggers are
put back after the columns; a reverse puts the plain ones back before and after the columns go.
"""

from django.db import migrations, models

SIGNED_SAME = (
    "NEW.id = OLD.id AND NEW.incident_id = OLD.incident_id AND NEW.seq = OLD.seq AND NEW.at = OLD.at"
    " AND NEW.actor_id IS {same} OLD.actor_id AND NEW.actor_label = OLD.actor_label AND NEW.action = OLD.action"
    " AND NEW.from_status = OLD.from_status AND NEW.to_status = OLD.to_status"
    " AND NEW.prev_hash = OLD.prev_hash AND NEW.hash = OLD.hash"
)
ERASURE_ONLY = "OLD.erased_at IS NULL AND NEW.erased_at IS NOT NULL AND NEW.erased_seal <> '' AND "

SQLITE_DELETE = """CREATE TRIGGER incidents_event_no_delete BEFORE DELETE ON incidents_incidentevent
    WHEN otklik_history_guard() BEGIN SELECT RAISE(ABORT, 'incident history is append-only'); END"""
SQLITE_UPDATE_OLD = """CREATE TRIGGER incidents_event_no_update BEFORE UPDATE ON incidents_incidentevent
    BEGIN SELECT RAISE(ABORT, 'incident history is append-only'); END"""
# Outside the application `otklik_history_erasing` is unknown, so every UPDATE fails there.
SQLITE_UPDATE_NEW = f"""CREATE TRIGGER incidents_event_no_update BEFORE UPDATE ON incidents_incidentevent
    WHEN NOT (otklik_history_erasing() = 1 AND {ERASURE_ONLY}{SIGNED_SAME.format(same="")})
    BEGIN SELECT RAISE(ABORT, 'incident history is append-only'); END"""

PG_FUNCTION_OLD = """CREATE OR REPLACE FUNCTION incidents_event_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'incident history is append-only'; END; $$ LANGUAGE plpgsql"""
PG_FUNCTION_NEW = f"""CREATE OR REPLACE FUNCTION incidents_event_append_only() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND coalesce(current_setting('otklik.history_erasure', true), '') = 'on'
           AND {ERASURE_ONLY}{SIGNED_SAME.format(same="NOT DISTINCT FROM")} THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'incident history is append-only';
    END; $$ LANGUAGE plpgsql"""


def _sqlite_triggers(schema_editor, update_sql):  # type: ignore[no-untyped-def]
    schema_editor.execute("DROP TRIGGER IF EXISTS incidents_event_no_update")
    schema_editor.execute("DROP TRIGGER IF EXISTS incidents_event_no_delete")
    schema_editor.execute(update_sql)
    schema_editor.execute(SQLITE_DELETE)


def install_erasure_guard(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _sqlite_triggers(schema_editor, SQLITE_UPDATE_NEW)
    elif vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION_NEW)


def restore_plain_guard(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _sqlite_triggers(schema_editor, SQLITE_UPDATE_OLD)
    elif vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION_OLD)


class Migration(migrations.Migration):

    dependencies = [
        ("incidents", "0011_publication"),
    ]

    operations = [
        # Reversed last: puts the plain triggers back after the columns' removal rebuilt the table.
        migrations.RunPython(migrations.RunPython.noop, restore_plain_guard),
        migrations.AddField(
            model_name="incidentevent",
            name="erased_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="персональные данные удалены"),
        ),
        migrations.AddField(
            model_name="incidentevent",
            name="erased_seal",
            field=models.CharField(blank=True, max_length=64, verbose_name="печать после удаления"),
        ),
        # Reversed first: the plain triggers name no new column, so the columns can go.
        migrations.RunPython(install_erasure_guard, restore_plain_guard),
    ]
