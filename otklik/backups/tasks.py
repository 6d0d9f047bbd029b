"""The nightly backup: due once a day after OTKLIK_BACKUP_HOUR (local time), run by one worker.

The periodic tick only decides and enqueues; the copy itself runs as a task, so a long
`pg_dump` never holds up the deadline monitor that shares the ticker.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from otklik.core.models import Ticker
from otklik.core.periodic import periodic


def backup_due_claim(*, now: datetime | None = None) -> bool:
    """True for exactly one caller per night, once the local hour has come."""
    local = timezone.localtime(now or timezone.now())
    if local.hour < int(settings.OTKLIK_BACKUP_HOUR):
        return False
    # The unique name makes the claim: whoever creates tonight's row runs tonight's copy.
    _, created = Ticker.objects.get_or_create(name=f"backup-nightly:{local:%Y-%m-%d}")
    return created


@task()
def backup_nightly_run() -> str:
    from otklik.backups.services import backup_nightly

    return str(backup_nightly().path)


@periodic("backup-nightly", every=timedelta(minutes=5))
def nightly() -> None:
    if backup_due_claim():
        backup_nightly_run.enqueue()
