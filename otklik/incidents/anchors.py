"""Daily anchors of the history, kept outside the database.

Once a day the worker appends the head (last seq and hash) of every incident whose history
grew since the last anchor to an append-only file under the var directory, and e-mails each
municipality's deputy head a digest of that municipality's heads. Someone who can rewrite the
database cannot rewrite the file on another disk nor the e-mail in the deputy's mailbox, so a
removed history — even a whole incident with it — is found by `otklik history verify`.

File format: one JSON object per line,
  {"at": ISO time, "incident": id, "municipality": id, "seq": n, "hash": hex}
and one summary line per municipality and run,
  {"at": ISO time, "municipality": id, "incidents": n, "digest": hex}
where digest is an HMAC (the history key) over the sorted heads of all its incidents.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from otklik.incidents.history import history_key
from otklik.incidents.models import Incident, IncidentEvent


def anchor_path() -> Path:
    return Path(settings.OTKLIK_HISTORY_ANCHORS)


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    municipality_id: int


def anchors_read(path: Path | None = None) -> dict[int, Anchor]:
    """The latest anchored head of every incident in the file (later lines win)."""
    path = path or anchor_path()
    heads: dict[int, Anchor] = {}
    if not path.exists():
        return heads
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            try:
                row = json.loads(line)
                if isinstance(row, dict) and "incident" in row:
                    heads[int(row["incident"])] = Anchor(int(row["seq"]), str(row["hash"]), int(row["municipality"]))
            except (ValueError, KeyError, TypeError):
                continue  # a torn last line after a crash: the next run appends again
    return heads


def anchors_for(municipality_id: int | None = None, *, path: Path | None = None) -> dict[int, tuple[int, str]]:
    """incident → (seq, hash) as `history_verify` takes them, for one municipality or all."""
    return {pk: (a.seq, a.hash) for pk, a in anchors_read(path).items()
            if municipality_id is None or a.municipality_id == municipality_id}


@dataclass(frozen=True)
class AnchorRun:
    at: datetime
    written: int  # incident lines appended
    digests: dict[int, tuple[int, str]]  # municipality → (incidents, digest)


def municipality_digest(heads: list[tuple[int, int, str]]) -> str:
    """HMAC over (incident, seq, hash) sorted by incident."""
    body = "\n".join(f"{pk}:{seq}:{digest}" for pk, seq, digest in sorted(heads)).encode()
    return hmac.new(history_key(), body, hashlib.sha256).hexdigest()


def anchors_write(*, now: datetime | None = None, path: Path | None = None,
                  skip: frozenset[int] = frozenset()) -> AnchorRun:
    """Append the heads that changed since the last anchor; summaries for every municipality.

    `skip`: incidents whose history failed verification — their current head is not vouched for.
    """
    now = now or timezone.now()
    path = path or anchor_path()
    known = {pk: (a.seq, a.hash) for pk, a in anchors_read(path).items()}
    last_seq = {
        row["incident_id"]: row["seq"]
        for row in IncidentEvent.objects.order_by().values("incident_id").annotate(seq=Max("seq"))
    }
    lines: list[str] = []
    by_municipality: dict[int, list[tuple[int, int, str]]] = {}
    written = 0
    for pk, municipality_id, head in (Incident.objects.exclude(history_head="").order_by("pk")
                                      .values_list("pk", "municipality_id", "history_head").iterator(chunk_size=5000)):
        seq = last_seq.get(pk, 0)
        if pk in skip:
            continue
        by_municipality.setdefault(municipality_id, []).append((pk, seq, head))
        if known.get(pk) != (seq, head):
            lines.append(json.dumps({"at": now.isoformat(), "incident": pk, "municipality": municipality_id,
                                     "seq": seq, "hash": head}))
            written += 1
    digests = {mid: (len(heads), municipality_digest(heads)) for mid, heads in by_municipality.items()}
    for mid, (count, digest) in sorted(digests.items()):
        lines.append(json.dumps({"at": now.isoformat(), "municipality": mid, "incidents": count, "digest": digest}))
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_APPEND: every write lands at the end, whatever another process did to the offset.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.write("".join(line + "\n" for line in lines))
        handle.flush()
        os.fsync(handle.fileno())
    return AnchorRun(at=now, written=written, digests=digests)
