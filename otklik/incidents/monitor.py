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
    # While the author is asked to clarify (п. 13) the incident's clock stands: no warnings, no misses.
    steps = (IncidentStep.objects.filter(done_at__isnull=True, missed_notified_at__isnull=True,
                                         incident__paused_at__isnull=True)
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
    counts["clarify_reminded"] = clarify_wait_remind(now=now)
    return counts


def clarify_wait_remind(*, now: datetime) -> int:
    """п. 13: the author has not answered within the waiting time: the curator is told, once
    per question, that the incident may now be closed with a reason."""
    from otklik.incidents.letters import link_line
    from otklik.incidents.models import Incident
    from otklik.incidents.services import clarify_wait_until

    sent = 0
    for incident in Incident.objects.filter(paused_at__isnull=False).select_related("municipality"):
        until = clarify_wait_until(incident)
        if until is None or now < until:
            continue
        assert incident.paused_at is not None  # noqa: S101  (filtered above)
        created = notify(municipality=incident.municipality, incident_id=incident.pk,
                         recipients=people_with_role(municipality_id=incident.municipality_id,
                                                     role=Role.MUNICIPAL_CURATOR),
                         key=f"inc:{incident.pk}:clarify-wait:{int(incident.paused_at.timestamp())}",
                         subject=f"Автор не ответил на уточняющий вопрос — сообщение № {incident.pk}",
                         body=("Время ожидания ответа автора истекло. Если ответа нет, закройте сообщение с "
                               f"указанием причины или отметьте ответ автора.\n\n{link_line(incident)}"))
        sent += bool(created)
    return sent
