"""The deadline monitor: warnings at shares of a step's working time, and misses.

Runs every tick in the worker (once per tick across workers: core.periodic). Each warning is
an outbox row with a unique key, so a warning is never sent twice.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from otklik.incidents.deadlines import countdown, countdown_text, duration_text
from otklik.incidents.models import IncidentStep
from otklik.incidents.policy import warn_shares_at
from otklik.incidents.selectors import people_with_role
from otklik.notifications.services import notify
from otklik.org.calendars import work_calendar_for
from otklik.org.models import Person
from otklik.org.roles import Role


def _who_acts(step: IncidentStep) -> list[Person]:
    if step.actor_id is not None:
        return [step.actor] if step.actor else []
    return list(people_with_role(municipality_id=step.incident.municipality_id, role=step.actor_role))


def deadlines_monitor(*, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    counts = {"warned": 0, "missed": 0}
    steps = (IncidentStep.objects.filter(done_at__isnull=True, missed_notified_at__isnull=True)
             .select_related("incident", "incident__municipality", "actor"))
    shares_by_municipality: dict[int, tuple[float, ...]] = {}
    for step in steps.iterator():
        incident = step.incident
        if incident.municipality_id not in shares_by_municipality:
            shares_by_municipality[incident.municipality_id] = warn_shares_at(incident.municipality_id, now)
        wc = work_calendar_for(incident.municipality)
        c = countdown(step, now=now, wc=wc)
        label = step.get_kind_display()
        if c.level == "overdue":
            with transaction.atomic():
                claimed = IncidentStep.objects.filter(pk=step.pk, missed_notified_at__isnull=True).update(
                    missed_notified_at=now)
                if claimed:
                    recipients = (list(people_with_role(municipality_id=incident.municipality_id,
                                                        role=Role.MUNICIPAL_CURATOR))
                                  + list(people_with_role(municipality_id=incident.municipality_id,
                                                          role=Role.DEPUTY_HEAD)))
                    notify(municipality=incident.municipality, recipients=recipients,
                           key=f"step:{step.pk}:missed", incident_id=incident.pk,
                           subject=f"Срок пропущен: {label} — сообщение № {incident.pk}",
                           body=f"{countdown_text(c)}.\n{incident.url}")
                    counts["missed"] += 1
            continue
        for share in shares_by_municipality[incident.municipality_id]:
            if c.share_used >= share and share not in step.warned_shares:
                with transaction.atomic():
                    step.warned_shares = [*step.warned_shares, share]
                    IncidentStep.objects.filter(pk=step.pk).update(warned_shares=step.warned_shares)
                    notify(municipality=incident.municipality, recipients=_who_acts(step),
                           key=f"step:{step.pk}:warn:{int(share * 100)}", incident_id=incident.pk,
                           subject=(f"Прошло {int(share * 100)} % срока: {label} — сообщение № {incident.pk}, "
                                    f"осталось {duration_text(c.remaining)}"),
                           body=f"{countdown_text(c)}.\n{incident.url}")
                    counts["warned"] += 1
    return counts
