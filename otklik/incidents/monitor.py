"""The deadline monitor: warnings at shares of a step's working time, and misses.

Runs every tick in the worker (once per tick across workers: core.periodic). Each step carries
the moments its warning shares are reached and the next moment to look at it (`warn_at`,
`next_alert_at`, kept by incidents/deadlines.py whenever its deadline is set), so a tick is one
indexed query for the steps whose moment has passed, whatever the number of open steps; a tick
missed (the worker was down) is caught up by the next. Each warning is an outbox row with a
unique key, so a warning is never sent twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from django.db import transaction
from django.utils import timezone

from otklik.incidents.deadlines import (
    countdown,
    countdown_text,
    duration_text,
    next_alert,
    step_alerts,
)
from otklik.incidents.models import IncidentStep
from otklik.incidents.selectors import people_with_role
from otklik.notifications.services import notify
from otklik.org.calendars import work_calendar_for
from otklik.org.models import Person
from otklik.org.roles import Role

# Steps looked at per tick: a backlog (after a long stop) drains over a few ticks.
BATCH = 1000


def _who_acts(step: IncidentStep) -> list[Person]:
    if step.actor_id is not None:
        return [step.actor] if step.actor else []
    return list(people_with_role(municipality_id=step.incident.municipality_id, role=step.actor_role))


def steps_due_for_alert(now: datetime) -> list[IncidentStep]:
    """The one query of a tick. While the author is asked to clarify (п. 13) the incident's
    clock stands: no warnings, no misses (its steps are looked at again after the answer)."""
    return list(IncidentStep.objects.filter(done_at__isnull=True, next_alert_at__lte=now,
                                            incident__paused_at__isnull=True)
                .select_related("incident", "incident__municipality", "actor")
                .order_by("next_alert_at")[:BATCH])


def deadlines_monitor(*, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    counts = {"warned": 0, "missed": 0}
    for step in steps_due_for_alert(now):
        incident = step.incident
        wc = work_calendar_for(incident.municipality)
        if not step.warn_at:  # a step opened before the moments were kept (migration 0015)
            fields = step_alerts(incident, wc, started_at=step.started_at, due_at=step.due_at,
                                 warned=step.warned_shares, missed=step.missed_notified_at is not None)
            step.warn_at = cast("dict[str, str]", fields["warn_at"])
        c = countdown(step, now=now, wc=wc)
        label = step.get_kind_display()
        if now >= step.due_at:
            with transaction.atomic():
                claimed = IncidentStep.objects.filter(pk=step.pk, missed_notified_at__isnull=True).update(
                    missed_notified_at=now, next_alert_at=None, warn_at=step.warn_at)
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
        passed = sorted(float(share) for share, moment in step.warn_at.items()
                        if datetime.fromisoformat(moment) <= now and float(share) not in step.warned_shares)
        following = next_alert(step.warn_at, due_at=step.due_at, warned=[*step.warned_shares, *passed], missed=False)
        if not passed:  # moments just computed (a step from before they were kept): store them
            IncidentStep.objects.filter(pk=step.pk, done_at__isnull=True).update(warn_at=step.warn_at,
                                                                                 next_alert_at=following)
            continue
        with transaction.atomic():
            for share in passed:
                step.warned_shares = [*step.warned_shares, share]
                notify(municipality=incident.municipality, recipients=_who_acts(step),
                       key=f"step:{step.pk}:warn:{int(share * 100)}", incident_id=incident.pk,
                       subject=(f"Прошло {int(share * 100)} % срока: {label} — сообщение № {incident.pk}, "
                                f"осталось {duration_text(c.remaining)}"),
                       body=f"{countdown_text(c)}.\n{incident.url}")
                counts["warned"] += 1
            IncidentStep.objects.filter(pk=step.pk, done_at__isnull=True).update(
                warned_shares=step.warned_shares, warn_at=step.warn_at, next_alert_at=following)
    counts["clarify_reminded"] = clarify_wait_remind(now=now)
    return counts


def clarify_wait_remind(*, now: datetime) -> int:
    """п. 13: the author has not answered within the waiting time: the curator is told, once
    per question, that the incident may now be closed with a reason."""
    from django.db.models import Exists, OuterRef

    from otklik.incidents.letters import link_line
    from otklik.incidents.models import Incident
    from otklik.incidents.services import clarify_wait_until
    from otklik.notifications.models import Notification

    sent = 0
    # A pause already reminded of (a reminder written since it began) is not looked at again:
    # the tick stays cheap however many authors keep the administration waiting.
    reminded = Notification.objects.filter(incident_id=OuterRef("pk"), key__contains=":clarify-wait:",
                                           created_at__gte=OuterRef("paused_at"))
    waiting = Incident.objects.filter(paused_at__isnull=False).exclude(Exists(reminded))
    for incident in waiting.select_related("municipality"):
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
