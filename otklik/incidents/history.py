"""The append-only, hash-chained history of an incident, and its verification."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from otklik.incidents.models import Incident, IncidentEvent
from otklik.org.models import Person

GENESIS = "0" * 64


def _digest(*, prev_hash: str, incident_id: int, seq: int, at: datetime, actor_id: int | None,
            actor_label: str, action: str, from_status: str, to_status: str, payload: dict[str, Any]) -> str:
    body = json.dumps(
        [prev_hash, incident_id, seq, at.astimezone(UTC).isoformat(), actor_id, actor_label, action, from_status,
         to_status, payload],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str,
    )
    return hashlib.sha256(body.encode()).hexdigest()


def event_append(*, incident: Incident, at: datetime, actor: Person | None, action: str,
                 from_status: str = "", to_status: str = "", payload: dict[str, Any] | None = None,
                 actor_label: str | None = None) -> IncidentEvent:
    """Append one event. The caller holds the incident's row lock (so `seq` is race-free)."""
    last = IncidentEvent.objects.filter(incident=incident).order_by("-seq").first()
    seq = (last.seq + 1) if last else 1
    prev_hash = last.hash if last else GENESIS
    label = actor_label or (actor.full_name if actor else "Система")
    data = json.loads(json.dumps(payload or {}, ensure_ascii=False, default=str))
    digest = _digest(prev_hash=prev_hash, incident_id=incident.pk, seq=seq, at=at,
                     actor_id=actor.pk if actor else None, actor_label=label, action=action,
                     from_status=from_status, to_status=to_status, payload=data)
    event = IncidentEvent.objects.create(
        incident=incident, seq=seq, at=at, actor=actor, actor_label=label, action=action,
        from_status=from_status, to_status=to_status, payload=data, prev_hash=prev_hash, hash=digest,
    )
    Incident.objects.filter(pk=incident.pk).update(history_head=digest)
    return event


@dataclass(frozen=True)
class ChainProblem:
    incident_id: int
    seq: int
    problem: str


def history_verify(incident_ids: list[int] | None = None) -> tuple[int, list[ChainProblem]]:
    """Recompute every chain; returns (events checked, problems found)."""
    qs = IncidentEvent.objects.order_by("incident_id", "seq")
    if incident_ids is not None:
        qs = qs.filter(incident_id__in=incident_ids)
    problems: list[ChainProblem] = []
    checked = 0
    current: int | None = None
    prev = GENESIS
    expected_seq = 1
    last: dict[int, tuple[int, str]] = {}
    for e in qs.iterator():
        if e.incident_id != current:
            current, prev, expected_seq = e.incident_id, GENESIS, 1
        checked += 1
        if e.seq != expected_seq:
            problems.append(ChainProblem(e.incident_id, e.seq, f"пропущена запись перед № {e.seq}"))
        if e.prev_hash != prev:
            problems.append(ChainProblem(e.incident_id, e.seq, "ссылка на предыдущую запись не совпадает"))
        digest = _digest(prev_hash=e.prev_hash, incident_id=e.incident_id, seq=e.seq, at=e.at,
                         actor_id=e.actor_id, actor_label=e.actor_label, action=e.action,
                         from_status=e.from_status, to_status=e.to_status, payload=e.payload)
        if digest != e.hash:
            problems.append(ChainProblem(e.incident_id, e.seq, "запись изменена: хеш не совпадает"))
        prev, expected_seq = e.hash, e.seq + 1
        last[e.incident_id] = (e.seq, e.hash)
    # The incident keeps the hash of its last entry: a removed last entry shows.
    heads = Incident.objects.exclude(history_head="")
    if incident_ids is not None:
        heads = heads.filter(pk__in=incident_ids)
    for pk, head in heads.values_list("pk", "history_head"):
        seq, digest = last.get(pk, (0, GENESIS))
        if digest != head:
            problems.append(ChainProblem(pk, seq + 1, "последняя запись истории отсутствует или изменена"))
    return checked, problems
