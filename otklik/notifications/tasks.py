"""Background delivery of the outbox."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from otklik.core.periodic import periodic
from otklik.notifications.services import notification_deliver, notifications_sweep


@task()
def deliver_notifications(keys: list[str]) -> int:
    return sum(notification_deliver(key=k) for k in keys)


@periodic("notifications-sweep", every=timedelta(seconds=20))
def sweep() -> None:
    notifications_sweep()
