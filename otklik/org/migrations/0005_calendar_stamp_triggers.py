"""`Municipality.calendar_stamp` changes whenever an input of its working calendar changes: a
local calendar change, a schedule version, or (for every municipality) a federal year. The
process-memory cache of org/calendars.py is keyed by it, so every process sees a change made by
any other (the admin, `otklik worktime import`, a shell) at its next read of the municipality.
The deadline policies (incidents) have the same trigger in incidents 0014."""

from django.db import migrations

LOCAL = ("org_calendarchange", "org_scheduleversion")

SQLITE_UP = [
    *(f"""CREATE TRIGGER {t}_stamp_{op.lower()} AFTER {op} ON {t}
          BEGIN UPDATE org_municipality SET calendar_stamp = random() WHERE id IN ({ids}); END"""  # noqa: S608  (constants only)
      for t in LOCAL for op, ids in (("INSERT", "NEW.municipality_id"), ("DELETE", "OLD.municipality_id"),
                                     ("UPDATE", "OLD.municipality_id, NEW.municipality_id"))),
    *(f"""CREATE TRIGGER org_calendaryeardata_stamp_{op.lower()} AFTER {op} ON org_calendaryeardata
          BEGIN UPDATE org_municipality SET calendar_stamp = random(); END"""  # noqa: S608  (constants only)
      for op in ("INSERT", "UPDATE", "DELETE")),
]
SQLITE_DOWN = [
    *(f"DROP TRIGGER IF EXISTS {t}_stamp_{op}" for t in LOCAL for op in ("insert", "delete", "update")),
    *(f"DROP TRIGGER IF EXISTS org_calendaryeardata_stamp_{op}" for op in ("insert", "update", "delete")),
]
POSTGRES_UP = [
    """CREATE OR REPLACE FUNCTION org_calendar_stamp() RETURNS trigger AS $$
       BEGIN
         IF TG_LEVEL = 'STATEMENT' THEN
           UPDATE org_municipality SET calendar_stamp = floor(random() * 9e18)::bigint;
           RETURN NULL;
         END IF;
         IF TG_OP IN ('UPDATE', 'DELETE') THEN
           UPDATE org_municipality SET calendar_stamp = floor(random() * 9e18)::bigint WHERE id = OLD.municipality_id;
         END IF;
         IF TG_OP IN ('UPDATE', 'INSERT') THEN
           UPDATE org_municipality SET calendar_stamp = floor(random() * 9e18)::bigint WHERE id = NEW.municipality_id;
         END IF;
         RETURN NULL;
       END; $$ LANGUAGE plpgsql""",
    *(f"""CREATE TRIGGER {t}_stamp AFTER INSERT OR UPDATE OR DELETE ON {t}
          FOR EACH ROW EXECUTE FUNCTION org_calendar_stamp()""" for t in LOCAL),
    """CREATE TRIGGER org_calendaryeardata_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
       ON org_calendaryeardata FOR EACH STATEMENT EXECUTE FUNCTION org_calendar_stamp()""",
]
POSTGRES_DOWN = [
    *(f"DROP TRIGGER IF EXISTS {t}_stamp ON {t}" for t in LOCAL),
    "DROP TRIGGER IF EXISTS org_calendaryeardata_stamp ON org_calendaryeardata",
    "DROP FUNCTION IF EXISTS org_calendar_stamp()",
]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("org", "0004_municipality_calendar_stamp")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        ),
    ]
