"""Data: each incident's nearest open deadline, and every open step's next look by the monitor
set to «now» (the monitor computes its warning moments at that first look, with the calendar)."""

from datetime import UTC, datetime

from django.db import migrations
from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

NO_DUE = datetime(9000, 1, 1, tzinfo=UTC)  # incidents.models.NO_DUE at the time of writing


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    Incident = apps.get_model("incidents", "Incident")
    IncidentStep = apps.get_model("incidents", "IncidentStep")
    nearest = (IncidentStep.objects.filter(incident_id=OuterRef("pk"), done_at__isnull=True)
               .order_by("due_at").values("due_at")[:1])
    Incident.objects.update(next_due_at=Coalesce(Subquery(nearest), Value(NO_DUE)))
    IncidentStep.objects.filter(done_at__isnull=True, missed_notified_at__isnull=True).update(
        next_alert_at=F("started_at"))


class Migration(migrations.Migration):
    dependencies = [("incidents", "0014_policy_stamp_and_search")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
