"""The learned screening (spam, high importance, topic) retrained from the curators' corrections.

The shipped model (otklik/texts/screening/data/learned.json) is trained on the labelled corpora.
The worker adds what people decided here and retrains into the var directory; every process
reads that file when it is present (``learned.set_model_path`` in IncidentsConfig.ready):

* a handed-in incident: its topic as the regional curator wrote it (when it names one of the
  screening topics), its importance as chosen, and «not spam» (a curator took it into work);
* a comment on an official page that the screening marked as spam and a moderator kept (or whose
  deletion was undone): «not spam», its topic and importance unknown;
* a comment that a moderator (not the automatic rule) deleted as spam: «spam».

There is no «not spam» button on an incident: a curator who takes a message into work has
already said it is not spam, so that is the mark used.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

from django.conf import settings

from otklik.incidents.models import Importance, Incident
from otklik.texts.screening import TOPICS

log = logging.getLogger(__name__)

# The worker trains (a minute or two of a core) only when the corrections can move the model: at
# least MIN_CORRECTIONS, then every RETRAIN_STEP more.
MIN_CORRECTIONS = 50
RETRAIN_STEP = 50

_BY_NAME: dict[str, str] = {
    **{code: code for code in TOPICS},
    **{label.casefold(): code for code, label in TOPICS.items()},
    **{label.split(":")[0].strip().casefold(): code for code, label in TOPICS.items()},
}


def model_path() -> Path:
    return Path(settings.VAR_DIR) / "screening" / "learned.json"


def corrections_path() -> Path:
    return Path(settings.VAR_DIR) / "screening" / "corrections.jsonl"


def topic_code(topic: str) -> str | None:
    """The screening topic a curator's free-text topic names («Дороги», «roads»), else None."""
    return _BY_NAME.get(topic.strip().casefold())


def corrections() -> list[dict[str, Any]]:
    """The corrections as corpus lines (tests/data/README.md; an unknown label is null)."""
    from otklik.moderation.models import ModerationAction, PageComment

    rows: list[dict[str, Any]] = []
    incidents = Incident.objects.exclude(text="").order_by("pk").values_list("text", "topic", "importance")
    for text, topic, importance in incidents.iterator():
        rows.append({"text": text, "spam": False, "high_importance": importance == Importance.HIGH,
                     "topic": topic_code(topic or "")})
    deleted_by_person = set(ModerationAction.objects.filter(
        kind=ModerationAction.Kind.DELETE, auto=False, undone_by__isnull=True, comment__isnull=False,
    ).values_list("comment_id", flat=True))
    comments = PageComment.objects.exclude(text="").order_by("pk").only("pk", "text", "state", "findings")
    for comment in comments.iterator():
        if "spam" not in comment.codes:
            continue
        if comment.state == PageComment.State.KEPT:
            rows.append({"text": comment.text, "spam": False, "high_importance": None, "topic": None})
        elif comment.state == PageComment.State.DELETED and comment.pk in deleted_by_person:
            rows.append({"text": comment.text, "spam": True, "high_importance": None, "topic": None})
    return rows


def _fingerprint(rows: list[dict[str, Any]]) -> str:
    digest = hashlib.sha256()
    for row in rows:
        digest.update(json.dumps(row, ensure_ascii=False, sort_keys=True).encode())
    return digest.hexdigest()


def _trained_on() -> tuple[int, str]:
    """(corrections, fingerprint) the model in the var directory was trained on; (0, "") if none."""
    try:
        head = json.loads(model_path().read_text("utf-8"))
        meta = head.get("meta", {})
        return int(meta.get("extra", 0)), str(meta.get("extra_fingerprint", ""))
    except (OSError, ValueError, AttributeError):
        return 0, ""


def screening_model_retrain(*, force: bool = False) -> int | None:
    """Retrain the learned screening with the corrections when there are MIN_CORRECTIONS and no
    retrained model yet, or RETRAIN_STEP more since (always with `force`, unless there are none);
    the number of corrections used, None when not retrained.
    Takes a minute or two of one core: the worker's job, never a request's."""
    # scikit-learn is imported here, not at start-up: web processes only predict (numpy).
    from otklik.texts.screening import train as learned_train

    rows = corrections()
    fingerprint = _fingerprint(rows)
    done, done_fingerprint = _trained_on()
    if not rows:
        return None
    if not force and (len(rows) < MIN_CORRECTIONS or (done_fingerprint and (
            fingerprint == done_fingerprint or len(rows) - done < RETRAIN_STEP))):
        return None
    path = corrections_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    examples = learned_train.load([*learned_train.CORPORA, path])
    data = learned_train.fit(examples, meta={
        "corpora": [learned_train.shown(p) for p in learned_train.CORPORA],
        "extra": len(rows), "extra_fingerprint": fingerprint,
    })
    learned_train.write(data, model_path())
    log.info("screening model retrained with %d corrections", len(rows))
    return len(rows)
