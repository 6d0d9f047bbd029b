"""The deadline policy changes the municipality's calendar stamp (see org 0005): the policy
cache of incidents/policy.py is keyed by it. And the full-text search of «Все сообщения», the
queue and the API list (incidents/search.py) over the message's text and author:

- PostgreSQL: a GIN index on the Russian `to_tsvector` of the text and the author, the very
  expression incidents/search.py queries (so the index is used);
- SQLite: an FTS5 table with external content (the incident table), kept in step by triggers;
  «ё» is indexed as «е» (the unicode61 tokenizer folds case but not «ё»).

On SQLite a later migration that rebuilds `incidents_incident` (a NOT NULL column added, say)
drops these triggers: it must create them again (incidents/tests/test_search.py notices).
"""

from django.db import migrations

FOLD = "replace(replace({}, 'ё', 'е'), 'Ё', 'Е')"
NEW_VALUES = f"NEW.id, {FOLD.format('NEW.text')}, {FOLD.format('NEW.author_name')}"
OLD_VALUES = f"OLD.id, {FOLD.format('OLD.text')}, {FOLD.format('OLD.author_name')}"

SQLITE_UP = [
    """CREATE TRIGGER incidents_deadlinepolicy_stamp_insert AFTER INSERT ON incidents_deadlinepolicy
       BEGIN UPDATE org_municipality SET calendar_stamp = random() WHERE id = NEW.municipality_id; END""",
    """CREATE TRIGGER incidents_deadlinepolicy_stamp_update AFTER UPDATE ON incidents_deadlinepolicy
       BEGIN UPDATE org_municipality SET calendar_stamp = random()
             WHERE id IN (OLD.municipality_id, NEW.municipality_id); END""",
    """CREATE TRIGGER incidents_deadlinepolicy_stamp_delete AFTER DELETE ON incidents_deadlinepolicy
       BEGIN UPDATE org_municipality SET calendar_stamp = random() WHERE id = OLD.municipality_id; END""",
    """CREATE VIRTUAL TABLE incidents_incident_fts USING fts5(
         text, author_name, content='incidents_incident', content_rowid='id',
         tokenize='unicode61 remove_diacritics 2')""",
    f"""INSERT INTO incidents_incident_fts(rowid, text, author_name)
        SELECT id, {FOLD.format('text')}, {FOLD.format('author_name')} FROM incidents_incident""",  # noqa: S608  (constants only)
    f"""CREATE TRIGGER incidents_incident_fts_insert AFTER INSERT ON incidents_incident BEGIN
          INSERT INTO incidents_incident_fts(rowid, text, author_name) VALUES ({NEW_VALUES}); END""",  # noqa: S608  (constants only)
    f"""CREATE TRIGGER incidents_incident_fts_delete AFTER DELETE ON incidents_incident BEGIN
          INSERT INTO incidents_incident_fts(incidents_incident_fts, rowid, text, author_name)
          VALUES ('delete', {OLD_VALUES}); END""",  # noqa: S608  (constants only)
    f"""CREATE TRIGGER incidents_incident_fts_update AFTER UPDATE OF text, author_name ON incidents_incident BEGIN
          INSERT INTO incidents_incident_fts(incidents_incident_fts, rowid, text, author_name)
          VALUES ('delete', {OLD_VALUES});
          INSERT INTO incidents_incident_fts(rowid, text, author_name) VALUES ({NEW_VALUES}); END""",  # noqa: S608  (constants only)
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS incidents_incident_fts_update",
    "DROP TRIGGER IF EXISTS incidents_incident_fts_delete",
    "DROP TRIGGER IF EXISTS incidents_incident_fts_insert",
    "DROP TABLE IF EXISTS incidents_incident_fts",
    *(f"DROP TRIGGER IF EXISTS incidents_deadlinepolicy_stamp_{op}" for op in ("insert", "update", "delete")),
]
POSTGRES_UP = [
    """CREATE TRIGGER incidents_deadlinepolicy_stamp AFTER INSERT OR UPDATE OR DELETE ON incidents_deadlinepolicy
       FOR EACH ROW EXECUTE FUNCTION org_calendar_stamp()""",
    # The same expression as incidents/search.py's TSVECTOR, or the index is not used.
    """CREATE INDEX incidents_incident_fts ON incidents_incident USING gin (
         to_tsvector('russian'::regconfig, COALESCE(text, '') || ' ' || COALESCE(author_name, '')))""",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS incidents_incident_fts",
    "DROP TRIGGER IF EXISTS incidents_deadlinepolicy_stamp ON incidents_deadlinepolicy",
]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("incidents", "0013_next_due_and_alert_moments"), ("org", "0005_calendar_stamp_triggers")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        ),
    ]
