"""The append-only, hash-chained history of an incident, and its verification.

Each entry carries an HMAC-SHA256 of its content and of the entry before it. The key lives
outside the database (`OTKLIK_HISTORY_KEY`, or the file `history_key` beside the secret key),
so a person with only database access can neither alter an entry nor re-chain a history
after removing one: `history_verify` recomputes every chain with the key. The incident keeps
its last hash (`history_head`), and the daily anchor file (`anchors.py`) keeps every head
outside the database, so a removed last entry or a whole removed history shows as well.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings

from otklik.incidents.models import Incident, IncidentEvent
from otklik.org.models import Person

GENESIS = "0" * 64
# How the person acted when not through a page (the staff bot sets "telegram" or "max" around
# the service call): every entry written meanwhile carries it as `via` (history_via below).
_VIA: ContextVar[str] = ContextVar("otklik_history_via", default="")


@contextmanager
def history_via(channel: str) -> Iterator[None]:
    token = _VIA.set(channel)
    try:
        yield
    finally:
        _VIA.reset(token)


def _body(*, prev_hash: str, incident_id: int, seq: int, at: datetime, actor_id: int | None,
          actor_label: str, action: str, from_status: str, to_status: str, payload: dict[str, Any]) -> bytes:
    return json.dumps(
        [prev_hash, incident_id, seq, at.astimezone(UTC).isoformat(), actor_id, actor_label, action, from_status,
         to_status, payload],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str,
    ).encode()


def history_key() -> bytes:
    key = settings.OTKLIK_HISTORY_KEY
    return key.encode() if isinstance(key, str) else bytes(key)


def _digest(*, key: bytes | None = None, **fields: Any) -> str:
    return hmac.new(key if key is not None else history_key(), _body(**fields), hashlib.sha256).hexdigest()


def event_append(*, incident: Incident, at: datetime, actor: Person | None, action: str,
                 from_status: str = "", to_status: str = "", payload: dict[str, Any] | None = None,
                 actor_label: str | None = None, first: bool = False, head: bool = True) -> IncidentEvent:
    """Append one event. The caller holds the incident's row lock (so `seq` is race-free).
    `first`: the incident was created in this transaction, so there is nothing to chain to
    (one query less on every intake; a wrong `first` fails on the unique (incident, seq)).
    `head` False: the caller writes `incident.history_head` itself, in the same transaction
    (the intake, with the nearest deadline, in one UPDATE)."""
    last = None if first else IncidentEvent.objects.filter(incident=incident).order_by("-seq").first()
    seq = (last.seq + 1) if last else 1
    prev_hash = last.hash if last else GENESIS
    label = actor_label or (actor.full_name if actor else "Система")
    data = json.loads(json.dumps(payload or {}, ensure_ascii=False, default=str))
    if _VIA.get() and "via" not in data:
        data["via"] = _VIA.get()
    digest = _digest(prev_hash=prev_hash, incident_id=incident.pk, seq=seq, at=at,
                     actor_id=actor.pk if actor else None, actor_label=label, action=action,
                     from_status=from_status, to_status=to_status, payload=data)
    event = IncidentEvent.objects.create(
        incident=incident, seq=seq, at=at, actor=actor, actor_label=label, action=action,
        from_status=from_status, to_status=to_status, payload=data, prev_hash=prev_hash, hash=digest,
    )
    if head:
        Incident.objects.filter(pk=incident.pk).update(history_head=digest)
    incident.history_head = digest
    return event


@dataclass(frozen=True)
class ChainProblem:
    incident_id: int
    seq: int
    problem: str


def _event_digest(e: IncidentEvent, key: bytes) -> str:
    return _digest(key=key, prev_hash=e.prev_hash, incident_id=e.incident_id, seq=e.seq, at=e.at,
                   actor_id=e.actor_id, actor_label=e.actor_label, action=e.action,
                   from_status=e.from_status, to_status=e.to_status, payload=e.payload)


# ---------------------------------------------------------------- erasure of personal data (152-ФЗ)
#
# An entry's payload may quote the citizen (a clarifying question, the author's reply, a part
# of the answer, a comment). Erasure blanks those values in place and seals the blanked entry:
# `erased_seal` is an HMAC (the history key) over the entry's own `hash` and its blanked
# content. The chain (`prev_hash`, `hash`) is never rewritten, so the anchors outside the
# database still match; an erased entry is checked against its seal instead of its hash, and
# the seal says whether the entry verified when it was erased (a tampered entry stays reported).

ERASABLE_PAYLOAD_KEYS = ("question", "reply", "comment", "text")


def payload_erased(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload with every free text blanked; the facts (codes, units, rounds, times) kept."""
    out = dict(payload)
    for key in ERASABLE_PAYLOAD_KEYS:
        if out.get(key):
            out[key] = ""
    if isinstance(out.get("reasons"), list):
        out["reasons"] = [{**r, "comment": ""} if isinstance(r, dict) and r.get("comment") else r
                          for r in out["reasons"]]
    return out


def _seal(e: IncidentEvent, *, key: bytes, intact: bool) -> str:
    assert e.erased_at is not None  # noqa: S101  (only erased entries carry a seal)
    body = json.dumps(
        ["erased", intact, e.hash, e.incident_id, e.seq, e.erased_at.astimezone(UTC).isoformat(), e.at.astimezone(UTC)
         .isoformat(), e.actor_id, e.actor_label, e.action, e.from_status, e.to_status, e.payload],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str,
    ).encode()
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def event_erase(*, event: IncidentEvent, at: datetime) -> bool:
    """Blank the personal values of one entry and seal it; False when it holds none.

    The caller holds the incident's row lock, runs inside `transaction.atomic()` and appends the
    «персональные данные удалены» entry to the same history. The database refuses this UPDATE
    outside `history_erasure_allowed()` and refuses any change of the signed columns.
    """
    from django.db import connection

    from otklik.incidents.history_guard import history_erasure_allowed

    if event.erased_at is not None:
        return False
    blanked = payload_erased(event.payload or {})
    if blanked == (event.payload or {}):
        return False
    key = history_key()
    intact = hmac.compare_digest(_event_digest(event, key), event.hash)
    event.payload, event.erased_at = blanked, at
    event.erased_seal = _seal(event, key=key, intact=intact)
    with history_erasure_allowed(connection):
        IncidentEvent.objects.filter(pk=event.pk, erased_at__isnull=True).update(
            payload=blanked, erased_at=at, erased_seal=event.erased_seal)
    return True


def _event_problem(e: IncidentEvent, key: bytes) -> str:
    """'' when the entry is as signed; else the problem in Russian."""
    if e.erased_at is None:
        return "" if hmac.compare_digest(_event_digest(e, key), e.hash) else "запись изменена: подпись не совпадает"
    if hmac.compare_digest(_seal(e, key=key, intact=True), e.erased_seal):
        return ""
    if hmac.compare_digest(_seal(e, key=key, intact=False), e.erased_seal):
        return "запись была изменена до удаления персональных данных"
    return "запись изменена после удаления персональных данных: печать не совпадает"


def history_verify(incident_ids: list[int] | None = None, *,
                   anchors: dict[int, tuple[int, str]] | None = None) -> tuple[int, list[ChainProblem]]:
    """Recompute every chain; returns (events checked, problems found).

    `anchors` (incident → (seq, hash) written outside the database) adds the check that each
    anchored entry is still there, unchanged: it finds a history removed with its incident.
    Every anchor given is checked: the caller passes those of the scope it verifies.
    """
    key = history_key()
    qs = IncidentEvent.objects.order_by("incident_id", "seq")
    if incident_ids is not None:
        qs = qs.filter(incident_id__in=incident_ids)
    problems: list[ChainProblem] = []
    checked = 0
    current: int | None = None
    prev = GENESIS
    expected_seq = 1
    last: dict[int, tuple[int, str]] = {}
    hashes: dict[tuple[int, int], str] = {}
    for e in qs.iterator(chunk_size=2000):
        if e.incident_id != current:
            current, prev, expected_seq = e.incident_id, GENESIS, 1
        checked += 1
        if e.seq != expected_seq:
            problems.append(ChainProblem(e.incident_id, e.seq, f"пропущена запись перед № {e.seq}"))
        if e.prev_hash != prev:
            problems.append(ChainProblem(e.incident_id, e.seq, "ссылка на предыдущую запись не совпадает"))
        if problem := _event_problem(e, key):
            problems.append(ChainProblem(e.incident_id, e.seq, problem))
        prev, expected_seq = e.hash, e.seq + 1
        last[e.incident_id] = (e.seq, e.hash)
        if anchors and e.incident_id in anchors:
            hashes[(e.incident_id, e.seq)] = e.hash
    # The incident keeps the hash of its last entry: a removed last entry shows.
    heads = Incident.objects.all()
    if incident_ids is not None:
        heads = heads.filter(pk__in=incident_ids)
    existing: set[int] = set()
    for pk, head in heads.values_list("pk", "history_head").iterator(chunk_size=5000):
        existing.add(pk)
        seq, digest = last.get(pk, (0, GENESIS))
        if head and digest != head:
            problems.append(ChainProblem(pk, seq + 1, "последняя запись истории отсутствует или изменена"))
        elif not head and pk in last:
            problems.append(ChainProblem(pk, seq, "у сообщения стёрта отметка последней записи истории"))
        elif not head and pk not in last:
            problems.append(ChainProblem(pk, 1, "история сообщения отсутствует"))
    for pk, (seq, digest) in sorted((anchors or {}).items()):
        # Outside the ids asked for: removed, or merely not asked about.
        if pk not in existing and incident_ids is not None and Incident.objects.filter(pk=pk).exists():
            continue
        if pk not in existing:
            problems.append(ChainProblem(pk, seq, "сообщение и его история удалены (есть в заверенной копии)"))
        elif hashes.get((pk, seq)) != digest:
            problems.append(ChainProblem(pk, seq, "запись, заверенная в ежедневной копии, отсутствует или изменена"))
    return checked, problems
