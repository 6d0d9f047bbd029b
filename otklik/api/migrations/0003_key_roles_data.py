"""Data: keys issued before keys had roles take their person's roles."""

from django.db import migrations


def keys_take_their_person_roles(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Keys issued before roles existed act with their person's roles at the time of migration."""
    ApiKey = apps.get_model("api", "ApiKey")
    PersonRole = apps.get_model("org", "PersonRole")
    for key in ApiKey.objects.exclude(person=None):
        key.roles = sorted(PersonRole.objects.filter(person_id=key.person_id).values_list("role", flat=True))
        key.save(update_fields=["roles"])


class Migration(migrations.Migration):
    dependencies = [("api", "0002_key_roles_expiry"), ("org", "0002_calendars")]

    operations = [migrations.RunPython(keys_take_their_person_roles, migrations.RunPython.noop)]
