"""The append-only, HMAC-chained access history of an official page, and its verification.

The same scheme and the same key as the incidents' history (incidents/history.py): each entry
carries an HMAC-SHA256 of its content and of the hash of the entry before it, with the key kept
outside the database, so a person with database access alone can neither alter an entry's
reason nor remove an entry and re-chain the rest. The page keeps its last hash (`history_head`):
a removed last entry shows too. UPDATE and DELETE are refused by triggers (migration 0003).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from otklik.incidents.history import GENESIS, history_key
from otklik.org.models import Person
from otklik.pages.models import OfficialPage, PageEvent


def _body(*, prev_hash: str, page_id: int, seq: int, at: datetime, actor_id: int | None, actor_label: str,
          action: str, secret: str, reason: str, payload: dict[str, Any]) -> bytes:
    return json.dumps(
        [prev_hash, "page", page_id, seq, at.astimezone(UTC).isoformat(), actor_id, actor_label, action, secret,
         reason, payload],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str,
    ).encode()


def _digest(key: bytes, **fields: Any) -> str:
    return hmac.new(key, _body(**fields), hashlib.sha256).hexdigest()


def event_digest(e: PageEvent, key: bytes | None = None) -> str:
    """The signature an entry must carry, recomputed from its stored fields."""
    return _digest(key if key is not None else history_key(), prev_hash=e.prev_hash, page_id=e.page_id, seq=e.seq,
                   at=e.at, actor_id=e.actor_id, actor_label=e.actor_label, action=e.action, secret=e.secret,
                   reason=e.reason, payload=e.payload)


def page_event_append(*, page: OfficialPage, at: datetime, actor: Person | None, action: str, secret: str = "",
                      reason: str = "", payload: dict[str, Any] | None = None) -> PageEvent:
    """Append one entry. The caller holds the page's row lock (select_for_update), so `seq` is race-free."""
    last = PageEvent.objects.filter(page=page).order_by("-seq").first()
    seq = (last.seq + 1) if last else 1
    prev_hash = last.hash if last else GENESIS
    label = actor.full_name if actor else "Система"
    data = json.loads(json.dumps(payload or {}, ensure_ascii=False, default=str))
    digest = _digest(history_key(), prev_hash=prev_hash, page_id=page.pk, seq=seq, at=at,
                     actor_id=actor.pk if actor else None, actor_label=label, action=action, secret=secret,
                     reason=reason, payload=data)
    event = PageEvent.objects.create(page=page, seq=seq, at=at, actor=actor, actor_label=label, action=action,
                                     secret=secret, reason=reason, payload=data, prev_hash=prev_hash, hash=digest)
    OfficialPage.objects.filter(pk=page.pk).update(history_head=digest)
    page.history_head = digest
    return event


@dataclass(frozen=True)
class PageChainProblem:
    page_id: int
    seq: int
    problem: str


def page_history_verify(page_ids: list[int] | None = None) -> tuple[int, list[PageChainProblem]]:
    """Recompute every page's chain; returns (entries checked, problems found)."""
    key = history_key()
    qs = PageEvent.objects.order_by("page_id", "seq")
    if page_ids is not None:
        qs = qs.filter(page_id__in=page_ids)
    problems: list[PageChainProblem] = []
    checked = 0
    current: int | None = None
    prev, expected_seq = GENESIS, 1
    last: dict[int, str] = {}
    last_seq: dict[int, int] = {}
    for e in qs.iterator(chunk_size=2000):
        if e.page_id != current:
            current, prev, expected_seq = e.page_id, GENESIS, 1
        checked += 1
        if e.seq != expected_seq:
            problems.append(PageChainProblem(e.page_id, e.seq, f"пропущена запись перед № {e.seq}"))
        if e.prev_hash != prev:
            problems.append(PageChainProblem(e.page_id, e.seq, "ссылка на предыдущую запись не совпадает"))
        if not hmac.compare_digest(event_digest(e, key), e.hash):
            problems.append(PageChainProblem(e.page_id, e.seq, "запись изменена: подпись не совпадает"))
        prev, expected_seq = e.hash, e.seq + 1
        last[e.page_id], last_seq[e.page_id] = e.hash, e.seq
    heads = OfficialPage.objects.all()
    if page_ids is not None:
        heads = heads.filter(pk__in=page_ids)
    for pk, head in heads.values_list("pk", "history_head").iterator(chunk_size=5000):
        digest = last.get(pk, "")
        if head != digest:
            where = last_seq.get(pk, 0) + (1 if head else 0)
            problems.append(PageChainProblem(pk, where, "последняя запись истории доступа отсутствует или изменена"))
    return checked, problems
