"""Model → response dictionaries, every moment in the municipality's own time zone."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from otklik.incidents.models import Incident, IncidentStep, Status
from otklik.incidents.steps import StepKind
from otklik.incidents.transitions import actions_available
from otklik.org.roles import Role
from otklik.org.selectors import Access


def _tz(incident: Incident) -> ZoneInfo:
    return ZoneInfo(incident.municipality.time_zone)


def _local(value: datetime | None, tz: ZoneInfo) -> datetime | None:
    return value.astimezone(tz) if value is not None else None


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _steps(incident: Incident) -> list[IncidentStep]:
    return list(IncidentStep.objects.filter(incident=incident)
                .select_related("actor", "assignment__unit").order_by("due_at", "pk"))


def step_dict(step: IncidentStep, tz: ZoneInfo, now: datetime) -> dict[str, Any]:
    return {
        "kind": step.kind,
        "label": _label(StepKind, step.kind),
        "actor_role": step.actor_role,
        "actor": step.actor.full_name if step.actor else None,
        "unit": step.assignment.unit.name if step.assignment else None,
        "started_at": _local(step.started_at, tz),
        "due_at": _local(step.due_at, tz),
        "done_at": _local(step.done_at, tz),
        "overdue": (step.done_at or now) > step.due_at,
    }


def _open_deadlines(steps: list[IncidentStep], tz: ZoneInfo) -> dict[str, datetime]:
    out: dict[str, datetime] = {}
    for s in steps:  # soonest first: with several open steps of a kind, the nearest one
        if s.done_at is None and s.kind not in out:
            out[s.kind] = s.due_at.astimezone(tz)
    return out


def incident_created_dict(incident: Incident, *, fresh: bool = False) -> dict[str, Any]:
    """`fresh`: the incident was just created by this request, so the object is current."""
    if fresh and incident.fresh_steps is not None:  # the steps the hand-in wrote, as written
        steps = sorted((st for st in incident.fresh_steps if st.done_at is None), key=lambda st: (st.due_at, st.pk))
    elif fresh:
        # Just handed in: its open steps have no unit and no person yet, so no joins.
        steps = list(IncidentStep.objects.filter(incident=incident, done_at__isnull=True).order_by("due_at", "pk"))
    else:
        incident.refresh_from_db()
        steps = _steps(incident)
    tz, now = _tz(incident), timezone.now()
    return {
        "id": incident.pk,
        "status": incident.status,
        "external_id": incident.external_id,
        "importance": incident.importance,
        "deadlines": _open_deadlines(steps, tz),
        "steps": [step_dict(s, tz, now) for s in steps if s.done_at is None],
    }


def incident_dict(incident: Incident, access: Access | None) -> dict[str, Any]:
    incident.refresh_from_db()
    tz, now, steps = _tz(incident), timezone.now(), _steps(incident)
    open_steps = [s for s in steps if s.done_at is None]
    return {
        "id": incident.pk,
        "municipality": incident.municipality.slug,
        "external_id": incident.external_id,
        "kind": incident.kind,
        "importance": incident.importance,
        "status": incident.status,
        "status_label": _label(Status, incident.status),
        "network": incident.network,
        "url": incident.url,
        "author": {"name": incident.author_name, "url": incident.author_url},
        "text": incident.text,
        "topic": incident.topic,
        "location": incident.location,
        "attachments": list(incident.attachments or []),
        "detected_at": _local(incident.detected_at, tz),
        "handed_over_at": _local(incident.handed_over_at, tz),
        "published_url": incident.published_url,
        "publication": _publication(incident),
        "current_steps": [step_dict(s, tz, now) for s in open_steps],
        "must_act": [
            {"role": s.actor_role, "role_label": _label(Role, s.actor_role),
             "person": s.actor.full_name if s.actor else None,
             "unit": s.assignment.unit.name if s.assignment else None,
             "step": s.kind, "due_at": _local(s.due_at, tz)}
            for s in open_steps
        ],
        "actions_available": [a for a in actions_available(incident.status, access.roles)
                              if a not in API_HIDDEN] if access else [],
        "deadlines": _open_deadlines(steps, tz),
        "steps": [step_dict(s, tz, now) for s in steps],
        "assignments": [
            {"unit_id": a.unit_id, "unit": a.unit.name,
             "executor": a.executor.full_name if a.executor else None,
             "state": a.state, "substitution_note": a.substitution_note}
            for a in incident.assignments.select_related("unit", "executor")
        ],
        "drafts": [
            {"round": d.round, "kind": d.kind, "text": d.text, "text_hash": d.text_hash,
             "author": d.author.full_name, "submitted_at": _local(d.submitted_at, tz),
             "decision": d.decision, "return_reasons": list(d.return_reasons or [])}
            for d in incident.drafts.select_related("author").order_by("round", "pk")
        ],
        "history": [
            {"seq": e.seq, "at": _local(e.at, tz), "actor": e.actor_label, "action": e.action,
             "from": e.from_status, "to": e.to_status, "payload": e.payload}
            for e in incident.events.order_by("seq")
        ],
    }


def incident_brief_dict(incident: Incident) -> dict[str, Any]:
    """A row of the list: moments in the municipality's zone, as in the detail."""
    tz = _tz(incident)
    next_due = getattr(incident, "next_due", None)
    return {
        "id": incident.pk,
        "municipality": incident.municipality.slug,  # a region-wide key lists many
        "status": incident.status,
        "importance": incident.importance,
        "kind": incident.kind,
        "network": incident.network,
        "detected_at": _local(incident.detected_at, tz),
        "url": incident.url,
        "author": incident.author_name,
        "text": incident.text,
        "topic": incident.topic,
        "next_due_at": _local(next_due, tz),
        "overdue": bool(next_due is not None and next_due < timezone.now()),
    }


# The network publication is the API's `publish` without a link; these are the page's buttons.
API_HIDDEN = frozenset({"publish_network", "publish_network_retry"})


def _publication(incident: Incident) -> dict[str, Any] | None:
    from otklik.incidents.publishing import publication_latest, publication_status_text

    pub = publication_latest(incident)
    if pub is None:
        return None
    return {"state": pub.state, "state_label": publication_status_text(pub), "network": pub.page.network,
            "page": pub.page.name, "url": pub.url, "error": pub.last_error, "attempts": pub.attempts}
