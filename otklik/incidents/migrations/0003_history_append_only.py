"""The history is append-only in the database itself: an UPDATE of an event fails whoever
connects, and so does a DELETE on PostgreSQL. (On SQLite, Django's test flush deletes rows
one by one, so there only UPDATE is refused; a deleted entry still breaks the hash chain or
the incident's last state, which `otklik history verify` reports.) TRUNCATE stays possible
for the database owner."""

from django.db import migrations

SQLITE_UP = [
    """CREATE TRIGGER incidents_event_no_update BEFORE UPDATE ON incidents_incidentevent
       BEGIN SELECT RAISE(ABORT, 'incident history is append-only'); END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS incidents_event_no_update",
]
POSTGRES_UP = [
    """CREATE OR REPLACE FUNCTION incidents_event_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'incident history is append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER incidents_event_append_only BEFORE UPDATE OR DELETE ON incidents_incidentevent
       FOR EACH ROW EXECUTE FUNCTION incidents_event_append_only()""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS incidents_event_append_only ON incidents_incidentevent",
    "DROP FUNCTION IF EXISTS incidents_event_append_only()",
]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("incidents", "0002_topic_model")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        ),
    ]
