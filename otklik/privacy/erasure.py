"""Erasure of personal data (152-ФЗ): one person's on request, or whatever the retention policy
let expire. The facts stay — kind, network, dates, deadlines, units, decisions, return reasons'
codes, counts — so every report gives the same numbers before and after.

What is erased of a closed message: the author's name and profile link, the link to the message,
its text and attached links; the drafts' texts, their checks' findings (they quote the text), the
return comments and the files (deleted from the disk); the units' parts and «не наша
компетенция» comments; the free texts in the history (question, reply, text, comment — sealed,
the chain kept, see incidents/history.py), followed by an «удалены персональные данные» entry;
the bodies of the letters about it; the official-page comment it came from. A message still in
work is erased by the worker when it closes (the answer is still owed under п. 8).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from otklik.incidents.history import event_append, event_erase
from otklik.incidents.models import (
    CLOSED_STATUSES,
    Assignment,
    Attachment,
    Draft,
    Incident,
    IncidentEvent,
)
from otklik.moderation.models import Ban, ModerationAction, PageComment
from otklik.notifications.models import Notification, StoredMail
from otklik.org.models import Municipality, Person
from otklik.privacy.authors import author_digest, author_link_normalise, author_network_id
from otklik.privacy.errors import PrivacyError
from otklik.privacy.models import AccessLog, Erasure
from otklik.privacy.policy import policy_for, years_before

ERASED_TEXT = "[персональные данные удалены]"
ERASED_ACTION = "personal_data_erased"
# A letter quotes the message's text: matched by text only when it is long enough to be its own.
MIN_QUOTE = 20
BATCH = 500


@dataclass(frozen=True)
class SweepResult:
    erasures: list[Erasure]
    access_log_removed: int


def _by_label(by: Person | None, label: str | None) -> str:
    return label or (by.full_name if by else "Система")


def _comment_blank(qs: Any) -> int:
    return int(qs.exclude(text="", author_name="", author_id="")
               .update(text="", author_name="", author_id="", findings=[]))


def incident_erase(*, incident_id: int, erasure: Erasure, at: datetime) -> Counter[str]:
    """Erase one closed message's personal data; an empty Counter when it was erased before.

    Runs in its own transaction with the incident's row locked (the history's `seq` needs it).
    """
    tally: Counter[str] = Counter()
    files: list[str] = []
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident_id)
        if incident.status not in CLOSED_STATUSES:
            raise PrivacyError(f"Сообщение № {incident.pk} ещё в работе: его данные удаляются после закрытия.")
        if IncidentEvent.objects.filter(incident=incident, action=ERASED_ACTION).exists():
            return tally
        quote = incident.text
        Incident.objects.filter(pk=incident.pk).update(
            author_name="", author_url="", url="", text=ERASED_TEXT, attachments=[], clarification_question="",
            no_answer_comment="")
        tally["incidents"] += 1
        for draft in Draft.objects.filter(incident=incident):
            reasons = [{**r, "comment": ""} if isinstance(r, dict) else r for r in draft.return_reasons or []]
            Draft.objects.filter(pk=draft.pk).update(text=ERASED_TEXT, attachments=[], findings=[],
                                                     return_reasons=reasons)
            tally["drafts"] += 1
        Assignment.objects.filter(incident=incident).update(part_text="", not_ours_comment="")
        for att in Attachment.objects.filter(incident=incident).exclude(file=""):
            files.append(att.file.name)
        tally["files"] += Attachment.objects.filter(incident=incident).exclude(file="").update(file="", name="")
        for event in IncidentEvent.objects.filter(incident=incident, erased_at__isnull=True).order_by("seq"):
            tally["history_entries"] += int(event_erase(event=event, at=at))
        letters = Notification.objects.filter(incident_id=incident.pk).exclude(body=ERASED_TEXT)
        tally["letters"] += letters.update(body=ERASED_TEXT)
        stored = Q(body__contains=f"Сообщение № {incident.pk} (")
        if len(quote) >= MIN_QUOTE and quote != ERASED_TEXT:
            stored |= Q(body__contains=quote)
        tally["letters"] += StoredMail.objects.filter(stored, municipality_id=incident.municipality_id) \
            .exclude(body=ERASED_TEXT).update(body=ERASED_TEXT)
        tally["comments"] += _comment_blank(PageComment.objects.filter(incident=incident))
        event_append(incident=incident, at=at, actor=erasure.by, actor_label=erasure.by_label, action=ERASED_ACTION,
                     payload={"basis": erasure.basis, "erasure": erasure.pk, "entries": tally["history_entries"]})
        # The files go only when the database change is kept.
        transaction.on_commit(lambda: _files_delete(files))
    return tally


def _files_delete(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def author_incident_ids(municipality: Municipality, normalised: str) -> list[int]:
    host_path = normalised.split("/", 1)[-1]
    ids = {pk for pk, url in Incident.objects.filter(municipality=municipality, author_url__icontains=host_path)
           .values_list("pk", "author_url") if _same(url, normalised)}
    if net := author_network_id(normalised):
        ids |= set(PageComment.objects.filter(page__municipality=municipality, page__network=net[0], author_id=net[1],
                                              incident__isnull=False).values_list("incident_id", flat=True))
    return sorted(ids)


def _same(url: str, normalised: str) -> bool:
    try:
        return author_link_normalise(url) == normalised
    except ValueError:
        return False


def _record(erasure: Erasure, tally: Counter[str], erased: list[int]) -> None:
    report = dict(erasure.report or {})
    counts = Counter(report.get("counts") or {})
    counts.update(tally)
    report["counts"] = {k: v for k, v in counts.items() if v}
    report["incidents"] = sorted(set(report.get("incidents") or []) | set(erased))
    Erasure.objects.filter(pk=erasure.pk).update(report=report, pending=erasure.pending)
    erasure.report = report


def author_erase(*, municipality: Municipality, author_url: str, reason: str, requested_on: date | None = None,
                 by: Person | None = None, by_label: str | None = None, now: datetime | None = None) -> Erasure:
    """Erase one person's data across messages, drafts, history, letters and comments (request).

    Messages still in work are listed as pending and erased by the worker when they close.
    """
    now = now or timezone.now()
    try:
        normalised = author_link_normalise(author_url)
    except ValueError as exc:
        raise PrivacyError(str(exc)) from None
    reason = (reason or "").strip()
    if not reason:
        raise PrivacyError("Укажите основание: заявление автора, его дата и входящий номер.")
    today = timezone.localdate(now)
    requested = requested_on or today
    if requested > today:
        raise PrivacyError("Дата запроса не может быть позже сегодняшней.")
    ids = author_incident_ids(municipality, normalised)
    closed = set(Incident.objects.filter(pk__in=ids, status__in=CLOSED_STATUSES).values_list("pk", flat=True))
    erasure = Erasure.objects.create(
        municipality=municipality, basis=Erasure.Basis.REQUEST, author_digest=author_digest(normalised),
        reason=reason[:2000], requested_on=requested, done_at=now, by=by, by_label=_by_label(by, by_label),
        report={"counts": {}, "incidents": []}, pending=[pk for pk in ids if pk not in closed])
    tally: Counter[str] = Counter()
    erased: list[int] = []
    for pk in sorted(closed):
        got = incident_erase(incident_id=pk, erasure=erasure, at=now)
        tally.update(got)
        erased.append(pk)
    with transaction.atomic():
        if net := author_network_id(normalised):
            network, author = net
            comments = PageComment.objects.filter(page__municipality=municipality, page__network=network,
                                                  author_id=author).exclude(incident_id__in=erasure.pending)
            tally["comments"] += _comment_blank(comments)
            bans = Ban.objects.filter(page__municipality=municipality, page__network=network, author_id=author)
            tally["bans"] += bans.exclude(author_name="").update(author_name="")
            # A ban in force keeps the id: lifting it in the network needs it.
            bans.filter(Q(lifted_at__isnull=False) | Q(until__lt=now)).update(author_id="")
            ModerationAction.objects.filter(page__municipality=municipality, page__network=network, author_id=author) \
                .exclude(state=ModerationAction.State.PENDING).update(author_id="")
        _record(erasure, tally, erased)
    return erasure


def pending_finish(*, now: datetime | None = None) -> int:
    """Erase the messages of earlier requests that have closed since; returns how many."""
    now = now or timezone.now()
    done = 0
    for erasure in Erasure.objects.exclude(pending=[]):
        closed = list(Incident.objects.filter(pk__in=erasure.pending, status__in=CLOSED_STATUSES)
                      .values_list("pk", flat=True))
        if not closed:
            continue
        tally: Counter[str] = Counter()
        for pk in closed:
            tally.update(incident_erase(incident_id=pk, erasure=erasure, at=now))
        erasure.pending = [pk for pk in erasure.pending if pk not in closed]
        _record(erasure, tally, closed)
        done += len(closed)
    return done


def retention_sweep(*, now: datetime | None = None) -> SweepResult:
    """The worker's daily job: erase what each municipality's policy let expire, trim the access
    log to its term, and finish requests whose messages have closed."""
    now = now or timezone.now()
    erasures: list[Erasure] = []
    removed = 0
    pending_finish(now=now)
    for municipality in Municipality.objects.all():
        policy = policy_for(municipality)
        cutoff = years_before(now, policy.keep_years)
        erasure: Erasure | None = None
        while True:
            ids = list(Incident.objects.filter(municipality=municipality, closed_at__lt=cutoff,
                                               status__in=CLOSED_STATUSES)
                       .exclude(events__action=ERASED_ACTION).order_by("pk").values_list("pk", flat=True)[:BATCH])
            if not ids:
                break
            if erasure is None:
                erasure = _retention_record(municipality, policy.keep_years, now)
            tally: Counter[str] = Counter()
            for pk in ids:
                tally.update(incident_erase(incident_id=pk, erasure=erasure, at=now))
            _record(erasure, tally, ids)
        # Comments that never became a message: kept as long as the messages are.
        old = PageComment.objects.filter(page__municipality=municipality, received_at__lt=cutoff,
                                         incident__isnull=True).exclude(text="", author_name="", author_id="")
        if old.exists():
            if erasure is None:
                erasure = _retention_record(municipality, policy.keep_years, now)
            _record(erasure, Counter({"comments": _comment_blank(old)}), [])
        if erasure is not None:
            erasures.append(erasure)
        removed += AccessLog.objects.filter(municipality=municipality,
                                            at__lt=years_before(now, policy.access_log_years)).delete()[0]
    return SweepResult(erasures=erasures, access_log_removed=removed)


def _retention_record(municipality: Municipality, years: int, now: datetime) -> Erasure:
    return Erasure.objects.create(
        municipality=municipality, basis=Erasure.Basis.RETENTION, done_at=now, by_label="Система",
        reason=f"Истёк срок хранения: {years} г. после закрытия сообщения", report={"counts": {}, "incidents": []})
