"""Everything held about one author, for their request (152-ФЗ ст. 14): a JSON document.

Messages with their texts and the answers drafted to them, the free texts of the history
(the clarifying question, the author's reply), the comments read from official pages with the
moderation decisions about them and any black-listing, the erasures done on their requests,
and when their data was opened (times only: employees' names are not given, ст. 14 ч. 7 п. 5).
Each export is itself written to the access log.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from otklik.incidents.history import ERASABLE_PAYLOAD_KEYS
from otklik.incidents.models import Incident, IncidentEvent
from otklik.incidents.transitions import ACTION_LABELS
from otklik.moderation.models import Ban, ModerationAction, PageComment
from otklik.org.models import Municipality, Person
from otklik.privacy.authors import author_digest, author_link_normalise, author_network_id
from otklik.privacy.erasure import ERASED_ACTION, author_incident_ids
from otklik.privacy.errors import PrivacyError
from otklik.privacy.models import AccessLog, Erasure

FORMAT = "otklik-personal-data/1"


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _message(incident: Incident) -> dict[str, Any]:
    events = list(IncidentEvent.objects.filter(incident=incident).order_by("seq"))
    texts = [{"at": _iso(e.at), "action": ACTION_LABELS.get(e.action, e.action),
              **{k: e.payload[k] for k in ERASABLE_PAYLOAD_KEYS if (e.payload or {}).get(k)}}
             for e in events if any((e.payload or {}).get(k) for k in ERASABLE_PAYLOAD_KEYS)]
    return {
        "number": incident.pk, "kind": incident.get_kind_display(), "network": incident.get_network_display(),
        "link": incident.url, "author_name": incident.author_name, "author_url": incident.author_url,
        "text": incident.text, "attachments": incident.attachments, "topic": incident.topic,
        "location": incident.location, "detected_at": _iso(incident.detected_at),
        "status": incident.get_status_display(), "answer_link": incident.published_url,
        "answered_at": _iso(incident.published_at), "closed_at": _iso(incident.closed_at),
        "personal_data_erased": any(e.action == ERASED_ACTION for e in events),
        "answers": [{"round": d.round, "kind": d.get_kind_display(), "text": d.text, "submitted_at": _iso(d.submitted_at),
                     "decision": d.get_decision_display() if d.decision else ""}
                    for d in incident.drafts.order_by("round", "pk")],
        "history_texts": texts,
        "opened_at": [_iso(at) for at in AccessLog.objects.filter(incident=incident).order_by("at")
                      .values_list("at", flat=True)],
    }


def author_export(*, municipality: Municipality, author_url: str, by: Person | None = None,
                  now: datetime | None = None) -> dict[str, Any]:
    """The document for the person; `by` (when a person exports) is written to the access log."""
    now = now or timezone.now()
    try:
        normalised = author_link_normalise(author_url)
    except ValueError as exc:
        raise PrivacyError(str(exc)) from None
    incidents = list(Incident.objects.filter(pk__in=author_incident_ids(municipality, normalised))
                     .order_by("detected_at", "pk"))
    messages = [_message(i) for i in incidents]  # before this export's own log rows
    comments: list[dict[str, Any]] = []
    bans: list[dict[str, Any]] = []
    if net := author_network_id(normalised):
        network, author = net
        for c in PageComment.objects.filter(page__municipality=municipality, page__network=network,
                                            author_id=author).select_related("page").order_by("received_at", "pk"):
            comments.append({
                "page": c.page.name, "network": c.page.get_network_display(), "author_name": c.author_name,
                "text": c.text, "written_at": _iso(c.written_at), "received_at": _iso(c.received_at),
                "state": c.get_state_display(), "message": c.incident_id,
                "decisions": [{"kind": a.get_kind_display(), "reason": a.reason, "at": _iso(a.at)}
                              for a in ModerationAction.objects.filter(comment=c).order_by("at", "pk")]})
        for b in Ban.objects.filter(page__municipality=municipality, page__network=network,
                                    author_id=author).select_related("page").order_by("at", "pk"):
            bans.append({"page": b.page.name, "reason": b.reason, "at": _iso(b.at), "until": _iso(b.until),
                         "lifted_at": _iso(b.lifted_at)})
    erasures = [{"done_at": _iso(e.done_at), "basis": e.get_basis_display(), "reason": e.reason,
                 "requested_on": e.requested_on.isoformat() if e.requested_on else None,
                 "counts": (e.report or {}).get("counts", {}), "pending": e.pending}
                for e in Erasure.objects.filter(municipality=municipality, author_digest=author_digest(normalised))
                .order_by("done_at", "pk")]
    if by is not None:
        AccessLog.objects.bulk_create([
            AccessLog(municipality=municipality, incident=i, person=by, person_label=by.full_name[:300],
                      what=AccessLog.What.EXPORT, at=now) for i in incidents])
    return {
        "format": FORMAT, "operator": municipality.name, "generated_at": now.isoformat(), "author_url": author_url,
        "messages": messages, "page_comments": comments, "bans": bans, "erasures": erasures,
        "kept_after_erasure": "вид сообщения, соцсеть, даты и сроки, подразделения, решения и их коды — "
                              "для отчётности по регламенту, без имени, ссылок и текстов",
    }
