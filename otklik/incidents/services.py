"""Every action of the workflow (п. 8–24). Each runs in one transaction under the incident's
row lock: the state check, the change, its steps, its history entry and its outbox rows.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from otklik.core.links import LinkError, link_clean, links_clean
from otklik.incidents.attachments import attachments_carry, attachments_store
from otklik.incidents.checks import draft_findings
from otklik.incidents.deadlines import (
    duration_text,
    final_answer_set_days,
    step_new,
    step_open,
    steps_close,
    steps_recompute,
    steps_resume,
)
from otklik.incidents.history import event_append
from otklik.incidents.letters import dispatch_letter, link_line, local_time, message_block
from otklik.incidents.models import (
    Assignment,
    Draft,
    Importance,
    Incident,
    IncidentStep,
    Kind,
    NoAnswerReason,
    ReturnReason,
    Status,
)
from otklik.incidents.moments import moments_check
from otklik.incidents.selectors import incident_get_for, people_with_role
from otklik.incidents.steps import StepKind
from otklik.incidents.transitions import (
    Forbidden,
    Invalid,
    NotFound,
    Transition,
    TransitionError,
    transition_check,
)
from otklik.notifications.services import MARKER_DISPATCH, MARKER_DRAFT, notify
from otklik.org.calendars import work_calendar_for
from otklik.org.models import Absence, Municipality, Person, Unit
from otklik.org.roles import Role
from otklik.org.selectors import Access, substitute_for

S = Status
ALL_STEPS = [str(k) for k in StepKind]


class IncidentConflict(Exception):
    """The same external id was handed in with different content (the API answers 409)."""


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def content_hash(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _link(incident: Incident) -> str:
    return f"Сообщение № {incident.pk} ({incident.get_network_display()}): {incident.url}"


def _curators(incident: Incident) -> list[Person]:
    return list(people_with_role(municipality_id=incident.municipality_id, role=Role.MUNICIPAL_CURATOR))


def _role(incident: Incident, role: str) -> list[Person]:
    return list(people_with_role(municipality_id=incident.municipality_id, role=role))


# ---------------------------------------------------------------- input rules

def text_check(text: str, *, field: str, what: str) -> str:
    """A text from outside: not empty, not only spaces, not longer than the limit."""
    if not isinstance(text, str) or not text.strip():
        raise Invalid(f"{what}: текст пуст.", field=field)
    if len(text) > settings.OTKLIK_MAX_TEXT:
        raise Invalid(f"{what}: не длиннее {settings.OTKLIK_MAX_TEXT} символов (сейчас {len(text)}).", field=field)
    return text


def _link_check(value: str, *, field: str, what: str, required: bool) -> str:
    if not value and not required:
        return ""
    try:
        return link_clean(value, field=what)
    except LinkError as exc:
        raise Invalid(str(exc), field=field) from None


def _links_check(values: Iterable[str], *, field: str, what: str) -> list[str]:
    try:
        return links_clean(list(values), field=what)
    except LinkError as exc:
        raise Invalid(str(exc), field=field) from None


# ---------------------------------------------------------------- intake (п. 8, 9, 24)

# Every field of a hand-in, in one list: the idempotency hash covers exactly these, so a repeat
# with any of them changed is a conflict (409), never a silent success.
INTAKE_FIELDS: tuple[str, ...] = (
    "kind", "importance", "network", "url", "author_name", "author_url", "text", "attachments",
    "detected_at", "handed_over_at", "topic", "location",
)


def intake_hash(values: dict[str, Any]) -> str:
    """The hash of a hand-in over INTAKE_FIELDS; moments as UTC so any offset of one instant agrees."""
    if set(values) != set(INTAKE_FIELDS):
        raise ValueError(f"intake_hash needs exactly {INTAKE_FIELDS}")
    data = {k: (v.astimezone(UTC).isoformat() if isinstance(v, datetime) else v) for k, v in values.items()}
    return content_hash(data)


class _Repeat(Exception):  # not an error: the hand-in was made before
    """The INSERT met the unique (municipality, external_id): this id was handed in before."""


def incident_intake(*, municipality: Municipality, external_id: str | None = None,
                    **fields: Any) -> tuple[Incident, bool]:
    """Hand an incident in (regional curator) or register a publication (the administration).

    Idempotent on `external_id`: the same content again returns the existing incident and
    False; different content raises IncidentConflict and changes nothing. The history records
    the server's time; the hand-over time the caller claims is kept as such and labelled.
    `via` (e.g. {"via": "email", "message_id": …}) is recorded in the history entry as given.
    Arguments: those of `_intake`.
    """
    # No look-up first: a repeated hand-in is the exception, and the unique (municipality,
    # external_id) finds it at the INSERT, whoever came first. The INSERT is the first write of
    # `_intake`'s transaction (or of its savepoint, inside a caller's), so a repeat rolls that
    # back and loses nothing — no savepoint of its own around the INSERT, which cost every
    # hand-in two round trips.
    try:
        return _intake(municipality=municipality, external_id=external_id, **fields)
    except _Repeat as repeat:
        existing = Incident.objects.get(municipality=municipality, external_id=external_id)
        if existing.content_hash != repeat.args[0]:
            raise IncidentConflict(str(external_id)) from None
        return existing, False


@transaction.atomic
def _intake(*, municipality: Municipality, kind: str, importance: str, network: str, url: str,
            author_name: str, author_url: str, text: str, detected_at: datetime,
            handed_over_at: datetime | None = None, topic: str = "", location: str = "",
            attachments: Iterable[str] = (), external_id: str | None = None,
            by: Person | None = None, by_label: str | None = None,
            now: datetime | None = None, via: dict[str, str] | None = None) -> tuple[Incident, bool]:
    server_now = now or timezone.now()
    text_check(text, field="text", what="Текст сообщения")
    url = _link_check(url, field="url", what="Ссылка на сообщение", required=True)
    author_url = _link_check(author_url, field="author.url", what="Ссылка на автора", required=False)
    links = _links_check(attachments, field="attachments", what="Вложения")
    moments_check(detected_at=detected_at, handed_over_at=handed_over_at, now=server_now,
                  first_day=work_calendar_for(municipality).first_day)
    handed = handed_over_at or server_now
    digest = intake_hash({
        "kind": kind, "importance": importance, "network": network, "url": url, "author_name": author_name,
        "author_url": author_url, "text": text, "attachments": links, "detected_at": detected_at,
        "handed_over_at": handed_over_at, "topic": topic, "location": location,
    })
    incident = Incident(
        municipality=municipality, kind=kind, importance=importance, network=network, url=url,
        author_name=author_name, author_url=author_url, text=text, detected_at=detected_at,
        handed_over_at=handed, topic=topic, location=location, attachments=links,
        external_id=external_id or None, content_hash=digest, created_by=by,
    )
    # The steps and the nearest deadline before the INSERT (they need the incident's fields, not
    # its id): the row is written with its `next_due_at`, and the one UPDATE after, of the
    # history's head alone, touches no indexed column (PostgreSQL rewrites none of the 12
    # indexes). A hand-in is the one write a region's integration makes hundreds of a minute.
    answer = step_new(incident=incident, kind=StepKind.ANSWER, start=detected_at,
                      actor_role=Role.MUNICIPAL_CURATOR)
    route = step_new(incident=incident, kind=StepKind.ROUTE, start=handed, actor_role=Role.MUNICIPAL_CURATOR)
    steps = [answer, route]
    if kind == Kind.INCIDENT:  # the hand-over (п. 9) was taken when the incident came in
        steps.insert(1, step_new(incident=incident, kind=StepKind.HANDOVER, start=detected_at,
                                 actor_role=Role.REGIONAL_CURATOR, actor=by, done_at=handed))
    incident.next_due_at = min(answer.due_at, route.due_at)
    try:
        with transaction.atomic(savepoint=False):  # marks the transaction for rollback on a repeat
            incident.save(force_insert=True)
    except IntegrityError:  # handed in before, or by a concurrent hand-in that won the race
        raise _Repeat(digest) from None
    payload: dict[str, Any] = {"kind": kind, "importance": importance, "external_id": external_id,
                               "detected_at": detected_at}
    if handed_over_at is not None:
        payload["handed_over_at_claimed"] = handed_over_at
    payload.update(via or {})
    event_append(incident=incident, at=server_now, actor=by, actor_label=by_label, action="intake",
                 to_status=S.NEW, payload=payload, first=True, head=False)
    incident.fresh_steps = IncidentStep.objects.bulk_create(steps)  # one INSERT
    Incident.objects.filter(pk=incident.pk).update(history_head=incident.history_head)
    notify(municipality=municipality, recipients=_curators(incident), key=f"inc:{incident.pk}:new",
           subject=f"Новое сообщение № {incident.pk} — направьте исполнителю",
           body=f"{_link(incident)}\n\n{text}", incident_id=incident.pk, fresh_key=True)
    if incident.is_high:
        _tell_deputy_high(incident)
    return incident, True


def _tell_deputy_high(incident: Incident) -> None:
    """п. 24: the deputy head learns of a high-importance incident at once."""
    notify(municipality=incident.municipality, recipients=_role(incident, Role.DEPUTY_HEAD),
           key=f"inc:{incident.pk}:high", incident_id=incident.pk,
           subject=f"Инцидент повышенной важности № {incident.pk}",
           body=f"{_link(incident)}\n\n{incident.text}\n\nСроки сокращены вдвое (п. 17).")


# ---------------------------------------------------------------- the one transition

def _lock(access: Access, incident_id: int) -> Incident:
    try:
        return incident_get_for(access=access, pk=incident_id, for_update=True)
    except Incident.DoesNotExist:
        raise NotFound("Сообщение не найдено или недоступно вам.") from None


def _transition(*, access: Access, incident_id: int, action: str, target: str,
                at: datetime, payload: dict[str, Any] | None = None) -> tuple[Incident, Transition]:
    """Lock, check the table, move the status, write history. Caller is inside atomic().

    An action that leaves the status as it was is recorded without a status change (no
    «Новое → Новое» in the history)."""
    incident = _lock(access, incident_id)
    previous = incident.status
    rule = transition_check(action, current=previous, target=target, roles=access.roles)
    moved = previous != target
    if moved:
        Incident.objects.filter(pk=incident.pk).update(status=target)
        incident.status = target
    event_append(incident=incident, at=at, actor=access.person, action=action,
                 from_status=previous if moved else "", to_status=target if moved else "", payload=payload or {})
    return incident, rule


def incident_transition(*, access: Access, incident_id: int, action: str, target: str,
                        at: datetime | None = None, payload: dict[str, Any] | None = None) -> Incident:
    with transaction.atomic():
        incident, _ = _transition(access=access, incident_id=incident_id, action=action,
                                  target=target, at=_now(at), payload=payload)
    return incident


def _late(incident: Incident, since: datetime, kind: str, at: datetime) -> bool:
    """Was an optional action (п. 11, 13) taken after its window?"""
    from otklik.incidents.policy import policy_overrides_at, timing_for

    timing = timing_for(kind, high=incident.is_high, overrides=policy_overrides_at(incident.municipality_id, since))
    wc = work_calendar_for(incident.municipality)
    return at > wc.add(since, timing.duration)


def _my_assignment(incident: Incident, access: Access, *, active_or: str | None = None) -> Assignment:
    """The assignment of the person's unit; with `active_or`, it must still be active (else
    that message is the error)."""
    if access.person.unit_id is None:
        raise Forbidden("Вы не состоите в подразделении.")
    a = (Assignment.objects.filter(incident=incident, unit_id=access.person.unit_id)
         .exclude(state=Assignment.State.WITHDRAWN).order_by("-dispatched_at").first())
    if a is None:
        raise Forbidden("Сообщение не направлено в ваше подразделение.")
    if active_or is not None and a.state != Assignment.State.ACTIVE:
        raise TransitionError(active_or)
    return a


# ---------------------------------------------------------------- routing (п. 10, 11, 19)

def _executor_of(unit: Unit) -> Person | None:
    head = unit.head
    members = list(Person.objects.filter(unit=unit, role_grants__role=Role.EXECUTOR).order_by("pk").distinct())
    if head is not None and any(m.pk == head.pk for m in members):
        return head
    return members[0] if members else head


def _present(person: Person, on: Any) -> tuple[Person, str]:
    """The person who really takes the work on that day (п. 7.2), and the note saying so."""
    replacement = substitute_for(person=person, on=on)
    if replacement.substituted and replacement.absence:
        absence = replacement.absence
        return replacement.actual, (f"{person.full_name} отсутствует ({absence.get_kind_display().lower()} "
                                    f"до {absence.ends_on:%d.%m.%Y}) — поручено замещающему "
                                    f"{replacement.actual.full_name} (п. 7.2)")
    return person, ""


def incident_route(*, access: Access, incident_id: int, unit_ids: list[int],
                   executor_ids: dict[int, int] | None = None, consolidator_id: int | None = None,
                   at: datetime | None = None) -> Incident:
    """Send to one or several units at once; unit heads are told (п. 10); absent executors are
    replaced by their substitutes (п. 7.2). With several units the consolidating executor may
    be named at once (п. 19) or later."""
    now = _now(at)
    if not unit_ids:
        raise Invalid("Выберите хотя бы одно подразделение.", field="unit_ids")
    with transaction.atomic():
        locked = _lock(access, incident_id)
        units = list(Unit.objects.filter(pk__in=unit_ids, municipality_id=locked.municipality_id)
                     .select_related("head").order_by("name"))
        if len(units) != len(set(unit_ids)):
            raise TransitionError("Подразделение не найдено в вашем МО.")
        incident, _ = _transition(access=access, incident_id=incident_id, action="route", target=S.ROUTED,
                                  at=now, payload={"units": unit_ids, "unit_names": [u.name for u in units]})
        several = len(units) + Assignment.objects.filter(
            incident=incident, state__in=[Assignment.State.ACTIVE, Assignment.State.PART_SUBMITTED]).count() > 1
        for unit in units:
            chosen_id = (executor_ids or {}).get(unit.pk)
            intended = (Person.objects.filter(pk=chosen_id, unit=unit).first() if chosen_id else None) or _executor_of(unit)
            actual, note = _present(intended, timezone.localdate(now)) if intended else (None, "")
            assignment = Assignment.objects.create(
                incident=incident, unit=unit, executor=actual, intended_executor=intended, substitution_note=note,
                dispatched_at=now)
            event_append(incident=incident, at=now, actor=access.person, action="dispatch",
                         payload={"unit": unit.name, "executor": actual.full_name if actual else None,
                                  "substitution": note})
            # Several units each send a part in 2 h (п. 19); one unit drafts within the total (п. 12).
            step = step_open(incident=incident, kind=StepKind.PART if several else StepKind.DRAFT, start=now,
                             actor_role=Role.EXECUTOR, actor=actual, assignment=assignment)
            recipients = [p for p in (unit.head, actual) if p is not None]
            notify(municipality=incident.municipality, recipients=recipients,
                   key=f"inc:{incident.pk}:dispatch:{assignment.pk}", incident_id=incident.pk,
                   extra_addresses=[unit.email] if unit.email else [],
                   subject=f"[{MARKER_DISPATCH}] Сообщение № {incident.pk}: "
                           f"{'часть ответа' if several else 'проект ответа'} до {local_time(incident, step.due_at)}",
                   body=dispatch_letter(incident=incident, unit=unit, part=several, due_at=step.due_at, note=note,
                                        consolidator=None))
        steps_close(incident=incident, kinds=[StepKind.ROUTE, StepKind.REROUTE], at=now)
        if consolidator_id is not None:
            _name_consolidator(access=access, incident=incident, person_id=consolidator_id, now=now)
    return incident


def incident_not_ours(*, access: Access, incident_id: int, comment: str, at: datetime | None = None) -> Incident:
    """п. 11: the executor reports «not our competence»; the curator must re-route."""
    now = _now(at)
    if not comment.strip():
        raise Invalid("Напишите, почему вопрос не относится к вашему подразделению и чей он.", field="comment")
    text_check(comment, field="comment", what="Комментарий")
    with transaction.atomic():
        locked = _lock(access, incident_id)
        mine = _my_assignment(locked, access, active_or="Ваше подразделение уже ответило по этому сообщению.")
        others = Assignment.objects.filter(incident=locked, state=Assignment.State.ACTIVE).exclude(pk=mine.pk).exists()
        target = S.ROUTED if others else S.REROUTE
        incident, _ = _transition(access=access, incident_id=incident_id, action="not_ours", target=target, at=now,
                                  payload={"unit": mine.unit.name, "comment": comment,
                                           "late": _late(locked, mine.dispatched_at, StepKind.NOT_OURS, now)})
        Assignment.objects.filter(pk=mine.pk).update(state=Assignment.State.NOT_OURS, not_ours_comment=comment)
        steps_close(incident=incident, kinds=[StepKind.PART, StepKind.DRAFT], at=now, assignment=mine)
        step_open(incident=incident, kind=StepKind.REROUTE, start=now, actor_role=Role.MUNICIPAL_CURATOR)
        notify(municipality=incident.municipality, recipients=_curators(incident),
               key=f"inc:{incident.pk}:notours:{mine.pk}", incident_id=incident.pk,
               subject=f"«Не наша компетенция» по сообщению № {incident.pk}: перенаправьте",
               body=f"{mine.unit.name}: {comment}\n{_link(incident)}")
    return incident


# ---------------------------------------------------------------- clarifying question (п. 13)

def incident_ask_clarification(*, access: Access, incident_id: int, question: str, confirmed_with_errors: bool = False,
                               at: datetime | None = None) -> Incident:
    """п. 13: the executor asks the author; the curator must post the question (a step with a
    deadline). The question passes the answer checks like a draft."""
    now = _now(at)
    if not question.strip():
        raise Invalid("Напишите уточняющий вопрос автору.", field="question")
    text_check(question, field="question", what="Уточняющий вопрос")
    with transaction.atomic():
        locked = _lock(access, incident_id)
        mine = _my_assignment(locked, access)
        transition_check("ask_clarification", current=locked.status, target=S.CLARIFYING, roles=access.roles)
        findings = _checked(locked, question, 0, confirmed_with_errors, field="question", evidence=False)
        incident, _ = _transition(access=access, incident_id=incident_id, action="ask_clarification",
                                  target=S.CLARIFYING, at=now,
                                  payload={"question": question, "previous": locked.status,
                                           "errors_confirmed": confirmed_with_errors and any(
                                               f.get("severity") == "error" for f in findings),
                                           "late": _late(locked, mine.dispatched_at, StepKind.CLARIFY, now)})
        Incident.objects.filter(pk=incident.pk).update(clarification_question=question)
        step = step_open(incident=incident, kind=StepKind.CLARIFY_POST, start=now, actor_role=Role.MUNICIPAL_CURATOR)
        notify(municipality=incident.municipality, recipients=_curators(incident),
               key=f"inc:{incident.pk}:clarify:{now.timestamp()}", incident_id=incident.pk,
               subject=f"Опубликуйте уточняющий вопрос автору — сообщение № {incident.pk}",
               body=(f"Опубликуйте вопрос автору в {incident.get_network_display()} до "
                     f"{local_time(incident, step.due_at)} и отметьте это в «Отклике»:\n\n{question}\n\n"
                     f"{message_block(incident)}\n\n{link_line(incident)}"))
    return incident


def incident_clarification_posted(*, access: Access, incident_id: int, at: datetime | None = None) -> Incident:
    """The question is out: the answer's clock waits for the author from now."""
    now = _now(at)
    with transaction.atomic():
        locked = _lock(access, incident_id)
        if locked.paused_at is not None:
            raise TransitionError("Вопрос уже отмечен опубликованным: ожидаем ответа автора.")
        incident, _ = _transition(access=access, incident_id=incident_id, action="clarification_posted",
                                  target=S.CLARIFYING, at=now, payload={"paused_at": now})
        Incident.objects.filter(pk=incident.pk).update(paused_at=now)
        steps_close(incident=incident, kinds=[StepKind.CLARIFY_POST], at=now)
    return incident


def clarify_wait_until(incident: Incident) -> datetime | None:
    """When the curator may give up waiting for the author (policy "clarify_wait")."""
    from otklik.incidents.policy import CLARIFY_WAIT_DEFAULT, policy_overrides_at

    if incident.paused_at is None:
        return None
    amount, unit = policy_overrides_at(incident.municipality, incident.paused_at).get(
        "clarify_wait", list(CLARIFY_WAIT_DEFAULT))
    wc = work_calendar_for(incident.municipality)
    if str(unit) == "d":
        return wc.add_working_days(incident.paused_at, int(amount))
    return wc.add(incident.paused_at, timedelta(minutes=int(amount)))


def incident_clarification_received(*, access: Access, incident_id: int, reply: str,
                                    at: datetime | None = None) -> Incident:
    """The author answered: the clock runs again, every waiting deadline moved by the pause."""
    now = _now(at)
    if reply.strip():  # optional: spaces alone are no reply, not an error
        text_check(reply, field="reply", what="Ответ автора")
    with transaction.atomic():
        locked = _lock(access, incident_id)
        target = S.CONSOLIDATING if locked.consolidator_id else S.ROUTED
        paused = steps_resume(incident=locked, paused_at=locked.paused_at, now=now) if locked.paused_at else None
        incident, _ = _transition(access=access, incident_id=incident_id, action="clarification_received",
                                  target=target, at=now,
                                  payload={"reply": reply, "paused": duration_text(paused) if paused else None})
        Incident.objects.filter(pk=incident.pk).update(paused_at=None)
        steps_close(incident=incident, kinds=[StepKind.CLARIFY_POST], at=now)
        executors = [a.executor for a in incident.assignments.filter(state=Assignment.State.ACTIVE) if a.executor]
        notify(municipality=incident.municipality, recipients=executors,
               key=f"inc:{incident.pk}:clarified:{now.timestamp()}", incident_id=incident.pk,
               subject=f"Автор ответил на уточняющий вопрос — сообщение № {incident.pk}",
               body=f"Ответ автора:\n{reply}\n\n{link_line(incident)}")
    return incident


def incident_close_unclarified(*, access: Access, incident_id: int, comment: str,
                               at: datetime | None = None) -> Incident:
    """п. 13: the author did not answer within the waiting time; closed with a reason."""
    now = _now(at)
    if not comment.strip():
        raise Invalid("Напишите, почему сообщение закрывается без ответа.", field="comment")
    text_check(comment, field="comment", what="Причина")
    with transaction.atomic():
        locked = _lock(access, incident_id)
        until = clarify_wait_until(locked)
        if until is None:
            raise TransitionError("Сначала отметьте, что уточняющий вопрос опубликован.")
        if now < until:
            raise TransitionError(f"Закрыть можно после {local_time(locked, until)}: автор ещё может ответить.")
        incident, _ = _transition(access=access, incident_id=incident_id, action="close_unclarified",
                                  target=S.CLOSED_UNCLARIFIED, at=now, payload={"comment": comment})
        Incident.objects.filter(pk=incident.pk).update(closed_at=now, no_answer_comment=comment)
        steps_close(incident=incident, kinds=ALL_STEPS, at=now)
        _assignments_end(incident, Assignment.State.CLOSED)
    return incident


# ---------------------------------------------------------------- several units (п. 19)

def incident_submit_part(*, access: Access, incident_id: int, text: str, at: datetime | None = None,
                         via: dict[str, str] | None = None) -> Incident:
    """п. 19: a unit's part, accepted until the consolidated draft is submitted, whether or not
    the consolidator is named yet."""
    now = _now(at)
    if not text.strip():
        raise Invalid("Часть ответа пуста.", field="text")
    text_check(text, field="text", what="Часть ответа")
    with transaction.atomic():
        locked = _lock(access, incident_id)
        mine = _my_assignment(locked, access, active_or="Часть ответа вашего подразделения уже направлена.")
        incident, _ = _transition(access=access, incident_id=incident_id, action="submit_part", target=locked.status,
                                  at=now, payload={"unit": mine.unit.name, "text": text, **(via or {})})
        Assignment.objects.filter(pk=mine.pk).update(state=Assignment.State.PART_SUBMITTED, part_text=text, part_at=now)
        steps_close(incident=incident, kinds=[StepKind.PART], at=now, assignment=mine)
        recipients = _curators(incident) + ([incident.consolidator] if incident.consolidator else [])
        notify(municipality=incident.municipality, recipients=recipients,
               key=f"inc:{incident.pk}:part:{mine.pk}", incident_id=incident.pk,
               subject=f"Часть ответа по сообщению № {incident.pk} от «{mine.unit.name}»",
               body=f"{text}\n\n{link_line(incident)}")
    return incident


def consolidator_candidates(incident: Incident, *, on: Any = None, units: list[int] | None = None) -> list[Person]:
    """Who may be named: executors and heads of the units the incident went to (or `units`),
    with every absent person replaced by their substitute (п. 7.2): nobody absent is offered."""
    on = on or timezone.localdate()
    unit_ids = units if units is not None else list(
        incident.assignments.exclude(state__in=[Assignment.State.WITHDRAWN, Assignment.State.NOT_OURS])
        .values_list("unit_id", flat=True))
    people = list(Person.objects.filter(unit_id__in=unit_ids, municipality_id=incident.municipality_id,
                                         role_grants__role__in=[Role.EXECUTOR, Role.UNIT_HEAD])
                  .distinct().order_by("full_name"))
    # One query for who of them is away that day; only they are followed to a substitute (the
    # incident page asked each person in turn: a third of its time).
    away = set(Absence.objects.filter(person__in=people, starts_on__lte=on, ends_on__gte=on)
               .values_list("person_id", flat=True))
    out: dict[int, Person] = {}
    for person in people:
        actual = _present(person, on)[0] if person.pk in away else person
        out.setdefault(actual.pk, actual)
    return sorted(out.values(), key=lambda p: p.full_name)


def _name_consolidator(*, access: Access, incident: Incident, person_id: int, now: datetime) -> Person:
    """The caller holds the lock and is inside atomic()."""
    person = Person.objects.filter(pk=person_id, municipality_id=incident.municipality_id,
                                   unit__assignments__incident=incident).distinct().first()
    if person is None:
        raise TransitionError("Ответственный за сводный ответ должен быть из подразделения, получившего сообщение.")
    actual, note = _present(person, timezone.localdate(now))
    incident, _ = _transition(access=access, incident_id=incident.pk, action="name_consolidator",
                              target=S.CONSOLIDATING, at=now,
                              payload={"consolidator": actual.full_name, "substitution": note})
    Incident.objects.filter(pk=incident.pk).update(consolidator=actual)
    incident.consolidator = actual
    steps_close(incident=incident, kinds=[StepKind.DRAFT], at=now)  # a previous consolidator's
    step = step_open(incident=incident, kind=StepKind.DRAFT, start=now, actor_role=Role.EXECUTOR, actor=actual)
    notify(municipality=incident.municipality, recipients=[actual],
           key=f"inc:{incident.pk}:consolidator:{actual.pk}", incident_id=incident.pk,
           subject=f"Вы готовите сводный ответ по сообщению № {incident.pk} — до {local_time(incident, step.due_at)}",
           body=(f"Поручено подготовить сводный проект ответа из частей подразделений до "
                 f"{local_time(incident, step.due_at)} (время МО). {note}\n\n{message_block(incident)}\n\n"
                 f"{link_line(incident)}"))
    return actual


def incident_name_consolidator(*, access: Access, incident_id: int, person_id: int,
                               at: datetime | None = None) -> Incident:
    now = _now(at)
    with transaction.atomic():
        locked = _lock(access, incident_id)
        _name_consolidator(access=access, incident=locked, person_id=person_id, now=now)
    return Incident.objects.get(pk=incident_id)


def _assignments_end(incident: Incident, state: str) -> None:
    """The work is over: no unit row stays «В работе»."""
    Assignment.objects.filter(incident=incident, state__in=[
        Assignment.State.ACTIVE, Assignment.State.PART_SUBMITTED]).update(state=state)


# ---------------------------------------------------------------- drafts (п. 12, 14, 15)

class DraftCheckFailed(Invalid):
    """The answer checks found errors and the sender did not confirm; `findings` says which."""

    def __init__(self, message: str, *, findings: list[dict[str, Any]]) -> None:
        super().__init__(message, field="text", rule="draft_check")
        self.findings = findings


def _checked(incident: Incident, text: str, attachments: int, confirmed_with_errors: bool, *,
             field: str = "text", evidence: bool = True) -> list[dict[str, Any]]:
    """The answer checks, run here for every way a draft arrives: callers pass only input."""
    findings = draft_findings(incident=incident, text=text, attachments=attachments)
    if not evidence:  # a question promises no work: proof of work is not asked of it
        findings = [f for f in findings if f.get("code") != "evidence"]
    if any(f.get("severity") == "error" for f in findings) and not confirmed_with_errors:
        where = "вопросе" if field == "question" else "проекте"
        error = DraftCheckFailed(f"В {where} есть ошибки проверки. Исправьте их или подтвердите отправку.",
                                 findings=findings)
        error.field = field
        raise error
    return findings


def incident_submit_draft(*, access: Access, incident_id: int, text: str, intermediate: bool = False,
                          attachments: list[str] | None = None, confirmed_with_errors: bool = False,
                          at: datetime | None = None, files: Sequence[Any] = (),
                          via: dict[str, str] | None = None) -> Draft:
    """`files`: uploaded photos and videos, checked and stored with the draft (all or none).
    `via`: how it arrived when not through a page (mail in: {"via": "email", "message_id": …}).
    The answer checks run here; with errors the draft is refused unless confirmed."""
    now = _now(at)
    text_check(text, field="text", what="Проект ответа")
    links = _links_check(attachments or [], field="attachments", what="Вложения")
    with transaction.atomic():
        locked = _lock(access, incident_id)  # scope first: a stranger learns nothing from the checks
        if locked.status == S.CONSOLIDATING and locked.consolidator_id != access.person.pk:
            raise Forbidden("Сводный ответ готовит назначенный куратором сотрудник.")
        if locked.consolidator_id != access.person.pk:
            _my_assignment(locked, access)
        transition_check("submit_draft", current=locked.status, target=S.DRAFT_SUBMITTED, roles=access.roles)
        findings = _checked(locked, text, len(links) + len(files), confirmed_with_errors)
        rounds = Draft.objects.filter(incident=locked).count()
        incident, _ = _transition(access=access, incident_id=incident_id, action="submit_draft",
                                  target=S.DRAFT_SUBMITTED, at=now,
                                  payload={"round": rounds + 1, "intermediate": intermediate,
                                           "errors_confirmed": confirmed_with_errors, **(via or {})})
        draft = Draft.objects.create(
            incident=incident, kind=Draft.Kind.INTERMEDIATE if intermediate else Draft.Kind.ANSWER,
            round=rounds + 1, text=text, text_hash=text_hash(text), attachments=links,
            author=access.person, submitted_at=now, findings=findings,
            confirmed_with_errors=confirmed_with_errors)
        attachments_store(incident=incident, draft=draft, files=files, by=access.person)
        steps_close(incident=incident, kinds=[StepKind.REWORK, StepKind.PART, StepKind.DRAFT], at=now)
        if incident.kind == Kind.PUBLICATION:
            step_open(incident=incident, kind=StepKind.APPROVE, start=now, actor_role=Role.GENERAL_HEAD)
            recipients = _role(incident, Role.GENERAL_HEAD) + _curators(incident)
        else:
            step_open(incident=incident, kind=StepKind.FORWARD, start=now, actor_role=Role.MUNICIPAL_CURATOR)
            recipients = _curators(incident)
        notify(municipality=incident.municipality, recipients=recipients,
               key=f"inc:{incident.pk}:draft:{draft.pk}", incident_id=incident.pk,
               subject=f"[{MARKER_DRAFT}] Сообщение № {incident.pk}, проект № {draft.round}",
               body=f"{'Промежуточный ответ' if intermediate else 'Проект ответа'}:\n\n{text}\n\n{_link(incident)}")
    return draft


def _latest_draft(incident: Incident) -> Draft:
    draft = Draft.objects.filter(incident=incident).order_by("-round").first()
    if draft is None:
        raise TransitionError("Проекта ответа ещё нет.")
    return draft


def incident_forward(*, access: Access, incident_id: int, at: datetime | None = None) -> Incident:
    """п. 12: the municipal curator forwards the draft to the regional curator."""
    now = _now(at)
    with transaction.atomic():
        incident, _ = _transition(access=access, incident_id=incident_id, action="forward",
                                  target=S.AWAITING_APPROVAL, at=now)
        if incident.kind == Kind.PUBLICATION:
            raise TransitionError("Публикации согласует начальник общего отдела, не регион.")
        draft = _latest_draft(incident)
        Draft.objects.filter(pk=draft.pk).update(forwarded_at=now)
        steps_close(incident=incident, kinds=[StepKind.FORWARD], at=now)
        step_open(incident=incident, kind=StepKind.APPROVE, start=now, actor_role=Role.REGIONAL_CURATOR)
        notify(municipality=incident.municipality, recipients=_role(incident, Role.REGIONAL_CURATOR),
               key=f"inc:{incident.pk}:forward:{draft.pk}", incident_id=incident.pk,
               subject=f"[{MARKER_DRAFT}] {incident.municipality.name}: проект № {draft.round} по сообщению № {incident.pk}",
               body=f"{draft.text}\n\n{_link(incident)}")
    return incident


def incident_approve(*, access: Access, incident_id: int, text_hash_seen: str,
                     at: datetime | None = None) -> Incident:
    """п. 14: approval is bound to the exact text the approver saw."""
    now = _now(at)
    with transaction.atomic():
        locked = _lock(access, incident_id)
        action = "approve_local" if locked.kind == Kind.PUBLICATION else "approve"
        incident, _ = _transition(access=access, incident_id=incident_id, action=action, target=S.APPROVED,
                                  at=now)
        draft = _latest_draft(incident)
        if draft.text_hash != text_hash_seen:
            raise TransitionError("Текст проекта изменился, пока вы его читали. Обновите страницу и проверьте снова.")
        Draft.objects.filter(pk=draft.pk).update(decision=Draft.Decision.APPROVED, decided_by=access.person, decided_at=now)
        steps_close(incident=incident, kinds=[StepKind.APPROVE], at=now)
        step_open(incident=incident, kind=StepKind.PUBLISH, start=now, actor_role=Role.MUNICIPAL_CURATOR)
        notify(municipality=incident.municipality, recipients=_curators(incident),
               key=f"inc:{incident.pk}:approved:{draft.pk}", incident_id=incident.pk,
               subject=f"Ответ по сообщению № {incident.pk} согласован — опубликуйте",
               body=f"{draft.text}\n\n{_link(incident)}")
    return incident


def incident_return(*, access: Access, incident_id: int, reasons: list[dict[str, str]],
                    at: datetime | None = None) -> Incident:
    """п. 14: returned with at least one of the five reasons, each with its comment."""
    now = _now(at)
    valid = {r.value for r in ReturnReason}
    clean = [{"code": r["code"], "comment": (r.get("comment") or "").strip()} for r in reasons if r.get("code")]
    if not clean:
        raise Invalid("Отметьте хотя бы одну причину возврата (п. 14).", field="reasons")
    if any(r["code"] not in valid for r in clean):
        raise Invalid("Неизвестная причина возврата.", field="reasons")
    for r in clean:
        if r["comment"]:
            text_check(r["comment"], field="reasons", what="Комментарий к причине возврата")
    with transaction.atomic():
        locked = _lock(access, incident_id)
        action = "return_local" if locked.kind == Kind.PUBLICATION else "return"
        incident, _ = _transition(access=access, incident_id=incident_id, action=action, target=S.RETURNED,
                                  at=now, payload={"reasons": clean})
        draft = _latest_draft(incident)
        Draft.objects.filter(pk=draft.pk).update(decision=Draft.Decision.RETURNED, decided_by=access.person,
                                                 decided_at=now, return_reasons=clean)
        steps_close(incident=incident, kinds=[StepKind.APPROVE], at=now)
        step_open(incident=incident, kind=StepKind.REWORK, start=now, actor_role=Role.EXECUTOR, actor=draft.author)
        text = "\n".join(f"— {ReturnReason(r['code']).label}: {r['comment']}" for r in clean)
        notify(municipality=incident.municipality, recipients=[draft.author, *_curators(incident)],
               key=f"inc:{incident.pk}:returned:{draft.pk}", incident_id=incident.pk,
               subject=f"Проект по сообщению № {incident.pk} возвращён на доработку",
               body=f"Причины:\n{text}\n\n{_link(incident)}")
    return incident


def incident_edit_approved(*, access: Access, incident_id: int, text: str, confirmed_with_errors: bool = False,
                           at: datetime | None = None) -> Draft:
    """Any change after approval voids it: the new text goes back for approval, checked here."""
    now = _now(at)
    text_check(text, field="text", what="Текст ответа")
    with transaction.atomic():
        locked = _lock(access, incident_id)
        target = S.DRAFT_SUBMITTED if locked.kind == Kind.PUBLICATION else S.AWAITING_APPROVAL
        incident, _ = _transition(access=access, incident_id=incident_id, action="edit_approved", target=target,
                                  at=now)
        old = _latest_draft(incident)
        if old.text_hash == text_hash(text):
            raise TransitionError("Текст не изменился.")
        findings = _checked(incident, text, len(old.attachments) + old.files.count(), confirmed_with_errors)
        Draft.objects.filter(pk=old.pk).update(decision=Draft.Decision.VOIDED)
        draft = Draft.objects.create(incident=incident, kind=old.kind, round=old.round + 1, text=text,
                                     text_hash=text_hash(text), attachments=old.attachments, author=access.person,
                                     submitted_at=now, forwarded_at=now, findings=findings,
                                     confirmed_with_errors=confirmed_with_errors)
        attachments_carry(old=old, new=draft)
        steps_close(incident=incident, kinds=[StepKind.PUBLISH], at=now)
        approver = Role.GENERAL_HEAD if incident.kind == Kind.PUBLICATION else Role.REGIONAL_CURATOR
        step_open(incident=incident, kind=StepKind.APPROVE, start=now, actor_role=approver)
        notify(municipality=incident.municipality, recipients=_role(incident, approver),
               key=f"inc:{incident.pk}:reapprove:{draft.pk}", incident_id=incident.pk,
               subject=f"[{MARKER_DRAFT}] Согласованный текст по сообщению № {incident.pk} изменён — согласуйте снова",
               body=f"{text}\n\n{_link(incident)}")
    return draft


# ---------------------------------------------------------------- publication (п. 16, 18)

def incident_publish(*, access: Access, incident_id: int, published_url: str = "",
                     at: datetime | None = None) -> Incident:
    """The curator marks the approved answer published by hand, with its link (п. 16)."""
    from otklik.incidents.models import Publication

    now = _now(at)
    published_url = _link_check(published_url, field="published_url", what="Ссылка на ответ", required=False)
    with transaction.atomic():
        locked = _lock(access, incident_id)
        draft = _latest_draft(locked)
        if draft.decision != Draft.Decision.APPROVED:
            raise TransitionError("Опубликовать можно только согласованный текст.")
        live = Publication.objects.filter(incident=locked, state__in=[
            Publication.State.PENDING, Publication.State.SENDING, Publication.State.UNKNOWN]).first()
        if live is not None:
            raise TransitionError("Ответ сейчас публикуется через сеть: дождитесь результата, чтобы он не вышел дважды.")
        incident, _ = _transition(access=access, incident_id=incident_id, action="publish",
                                  target=S.INTERMEDIATE if draft.kind == Draft.Kind.INTERMEDIATE else S.PUBLISHED,
                                  at=now, payload={"url": published_url,
                                                   "intermediate": draft.kind == Draft.Kind.INTERMEDIATE,
                                                   "round": draft.round})
        # A curator who looked in the network after an unknown outcome records it here.
        Publication.objects.filter(incident=incident, state=Publication.State.CHECK).update(
            state=Publication.State.CANCELLED, last_error="Ссылку на ответ внесли вручную.")
        publish_apply(incident=incident, draft=draft, published_url=published_url, now=now)
    return incident


def publish_apply(*, incident: Incident, draft: Draft, published_url: str, now: datetime) -> None:
    """What publishing the approved answer changes, by hand or through a network (п. 16, 18).
    The caller holds the row lock and has written the history entry."""
    steps_close(incident=incident, kinds=[StepKind.PUBLISH, StepKind.ANSWER], at=now)
    if draft.kind == Draft.Kind.INTERMEDIATE:
        Incident.objects.filter(pk=incident.pk).update(intermediate_at=now, status=S.INTERMEDIATE)
        step_open(incident=incident, kind=StepKind.FINAL_ANSWER, start=now, actor_role=Role.EXECUTOR,
                  actor=draft.author, overrides=incident.final_timings or None)
    else:
        steps_close(incident=incident, kinds=ALL_STEPS, at=now)
        Incident.objects.filter(pk=incident.pk).update(published_at=now, published_url=published_url, closed_at=now,
                                                       status=S.PUBLISHED)
        _assignments_end(incident, Assignment.State.DONE)


def incident_set_final_timings(*, access: Access, incident_id: int, days: int | None = None,
                               at: datetime | None = None) -> Incident:
    """п. 18: the regional curator sets the timing of the final answer."""
    now = _now(at)
    if days is None or days < 1 or days > 60:
        raise Invalid("Укажите срок итогового ответа: от 1 до 60 рабочих дней.", field="days")
    with transaction.atomic():
        incident, _ = _transition(access=access, incident_id=incident_id, action="set_final_timings",
                                  target=S.INTERMEDIATE, at=now, payload={"final_answer_days": days})
        final_answer_set_days(incident=incident, days=days)
    return incident


# ---------------------------------------------------------------- п. 21, 17, 24

def incident_close_no_answer(*, access: Access, incident_id: int, reason: str, comment: str = "",
                             at: datetime | None = None) -> Incident:
    now = _now(at)
    if reason not in {r.value for r in NoAnswerReason}:
        raise Invalid("Выберите основание п. 21: вред, нецензурные слова, оскорбления или угрозы.", field="reason")
    if comment.strip():  # optional: spaces alone are no comment, not an error
        text_check(comment, field="comment", what="Комментарий")
    with transaction.atomic():
        incident, _ = _transition(access=access, incident_id=incident_id, action="close_no_answer",
                                  target=S.CLOSED_NO_ANSWER, at=now, payload={"reason": reason, "comment": comment})
        Incident.objects.filter(pk=incident.pk).update(no_answer_reason=reason, no_answer_comment=comment, closed_at=now,
                                                       paused_at=None)
        steps_close(incident=incident, kinds=ALL_STEPS, at=now)
        _assignments_end(incident, Assignment.State.CLOSED)
    return incident


def incident_raise_importance(*, access: Access, incident_id: int, at: datetime | None = None) -> Incident:
    now = _now(at)
    with transaction.atomic():
        locked = _lock(access, incident_id)
        if locked.is_high:
            raise TransitionError("У сообщения уже повышенная важность.")
        incident, _ = _transition(access=access, incident_id=incident_id, action="raise_importance",
                                  target=locked.status, at=now)
        Incident.objects.filter(pk=incident.pk).update(importance=Importance.HIGH)
        incident.importance = Importance.HIGH
        steps_recompute(incident=incident, now=now)
        _tell_deputy_high(incident)
    return incident
