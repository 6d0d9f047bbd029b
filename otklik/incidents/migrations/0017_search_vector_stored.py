"""PostgreSQL: the Russian tsvector of the text and the author as a stored generated column with
its GIN index, instead of a GIN index on the expression (incidents/search.py says why). The
column is computed by the database on every write (the ORM, COPY, the erasure of personal data
alike) and is not a model field. Adding it rewrites the incident table once: about a minute for
a million incidents. SQLite keeps its FTS5 table (0014)."""

from django.db import migrations

EXPRESSION = "to_tsvector('russian'::regconfig, COALESCE(text, '') || ' ' || COALESCE(author_name, ''))"
UP = [
    f"ALTER TABLE incidents_incident ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS ({EXPRESSION}) STORED",
    "CREATE INDEX IF NOT EXISTS incidents_incident_search_vector ON incidents_incident USING gin (search_vector)",
    "DROP INDEX IF EXISTS incidents_incident_fts",
]
DOWN = [
    f"CREATE INDEX IF NOT EXISTS incidents_incident_fts ON incidents_incident USING gin ({EXPRESSION})",
    "DROP INDEX IF EXISTS incidents_incident_search_vector",
    "ALTER TABLE incidents_incident DROP COLUMN IF EXISTS search_vector",
]


def _run(statements: list[str]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("incidents", "0016_queue_index_tuning")]

    operations = [migrations.RunPython(_run(UP), _run(DOWN))]
