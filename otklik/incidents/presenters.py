"""Shaping incidents for people: step labels that name who really acts, the «сдать до» of a
draft, the history in Russian with local times (and the e-mails that went out), the rows of
the queue. Views call these; nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from otklik.incidents.deadlines import WEEKDAYS, Countdown, countdown, duration_text
from otklik.incidents.models import (
    Importance,
    Incident,
    IncidentEvent,
    IncidentStep,
    Kind,
    ReturnReason,
    Status,
)
from otklik.incidents.policy import policy_overrides_at, timing_for
from otklik.incidents.steps import StepKind
from otklik.incidents.transitions import ACTION_LABELS
from otklik.org.calendars import work_calendar_for
from otklik.org.models import Municipality
from otklik.org.roles import Role
from otklik.worktime import OutOfCalendar, WorkCalendar

# ---------------------------------------------------------------- steps

APPROVER_LABELS: dict[str, str] = {
    Role.GENERAL_HEAD: "Согласование публикации начальником общего отдела",
    Role.REGIONAL_CURATOR: "Согласование региональным куратором (п. 14)",
}


def step_label(step: IncidentStep) -> str:
    """The step's name, saying who really acts: a publication is approved locally (SPEC §2)."""
    if step.kind == StepKind.APPROVE:
        return APPROVER_LABELS.get(step.actor_role, str(StepKind(step.kind).label))
    if step.kind == StepKind.PART and step.assignment_id is not None and step.assignment is not None:
        return f"Часть ответа от «{step.assignment.unit.name}» (п. 19)"
    if step.kind == StepKind.DRAFT and step.assignment_id is None:
        return "Сводный проект ответа (п. 19, в пределах общего срока)"
    return str(StepKind(step.kind).label)


def step_who(step: IncidentStep) -> str:
    """Who must act on the step, for «Ожидают других»."""
    if step.actor is not None:
        who = step.actor.full_name
    else:
        who = Role(step.actor_role).label if step.actor_role in Role.values else step.actor_role
    if step.assignment_id is not None and step.assignment is not None:
        who += f" («{step.assignment.unit.name}»)"
    return who


# What follows the executor's draft before the answer is out, per kind of message.
AFTER_DRAFT = {Kind.INCIDENT: (StepKind.FORWARD, StepKind.APPROVE, StepKind.PUBLISH),
               Kind.PUBLICATION: (StepKind.APPROVE, StepKind.PUBLISH)}


def hand_in_by(step: IncidentStep, wc: WorkCalendar) -> datetime | None:
    """For a draft within the total: the latest moment to hand it in so that forwarding,
    approval and publication still fit before the total deadline («сдать до 16:30»)."""
    if step.kind != StepKind.DRAFT:
        return None
    incident = step.incident
    policy = policy_overrides_at(incident.municipality, step.started_at)
    after = sum((timing_for(kind, high=incident.is_high, overrides=policy).seconds
                 for kind in AFTER_DRAFT[Kind(incident.kind)]), 0)
    try:
        return wc.subtract(step.due_at, timedelta(seconds=after))
    except (OutOfCalendar, ValueError):
        return None


@dataclass(frozen=True)
class StepRow:
    """One open step as a person sees it in the queue or on the incident page."""

    step: IncidentStep
    incident: Incident
    label: str
    cd: Countdown
    provisional: bool
    hand_in: str = ""  # «сдать до 16:30, пн 07.12» for a draft within the total
    who: str = ""
    pause: str = ""  # «ожидаем ответа автора с …» while the clock stands (п. 13)
    why_head: str = ""
    why_lines: tuple[str, ...] = ()


def hand_in_text(step: IncidentStep, wc: WorkCalendar, now: datetime) -> str:
    moment = hand_in_by(step, wc)
    if moment is None:
        return ""
    local = moment.astimezone(wc.tz)
    if moment <= now:
        return "сдать как можно скорее: время на пересылку, согласование и публикацию уже идёт"
    return f"сдать до {local:%H:%M}, {WEEKDAYS[local.weekday()]} {local:%d.%m}"


class Calendars:
    """One work calendar per municipality per request, and the rows built with them."""

    def __init__(self, now: datetime | None = None) -> None:
        self._by_id: dict[int, WorkCalendar] = {}
        self.now = now or timezone.now()

    def wc(self, municipality: Municipality) -> WorkCalendar:
        if municipality.pk not in self._by_id:
            self._by_id[municipality.pk] = work_calendar_for(municipality)
        return self._by_id[municipality.pk]

    def countdown(self, step: IncidentStep) -> Countdown:
        return countdown(step, now=self.now, wc=self.wc(step.incident.municipality))

    def provisional(self, step: IncidentStep) -> bool:
        """The deadline counts days of a year whose calendar is not yet adopted."""
        try:
            return self.wc(step.incident.municipality).touches_provisional(step.started_at, step.due_at)
        except (OutOfCalendar, ValueError):
            return False

    def explain(self, step: IncidentStep) -> tuple[str, list[str]]:
        """«Почему срок здесь»: the working intervals counted, or for days (ст. 191 ГК РФ) the days."""
        wc = self.wc(step.incident.municipality)
        start = step.started_at.astimezone(wc.tz)
        seconds = step.seconds + step.extra_seconds
        try:
            if step.days:
                last = step.due_at.astimezone(wc.tz).date()
                day, days = start.date() + timedelta(days=1), []
                while day <= last:
                    if wc.day_hours(day):
                        days.append(day)
                    day += timedelta(days=1)
                head = (f"{step.days} рабочих дней со следующего дня после {start:%d.%m.%Y} (ст. 191 ГК РФ); "
                        f"срок — конец последнего из них. Засчитаны дни:")
                return head, [f"{n}. {d:%d.%m.%Y}, {WEEKDAYS[d.weekday()]}" for n, d in enumerate(days, 1)]
            explanation = wc.explain(step.started_at, timedelta(seconds=seconds))
        except (OutOfCalendar, ValueError):
            return "", []
        waited = (f" (из них {duration_text(timedelta(seconds=step.extra_seconds))} — пока ждали ответа автора, п. 13)"
                  if step.extra_seconds else "")
        head = (f"{duration_text(timedelta(seconds=seconds))} рабочего времени с {start:%d.%m.%Y %H:%M}{waited}. "
                f"Засчитаны интервалы:")
        return head, explanation.lines()

    def row(self, step: IncidentStep, *, why: bool = False, who: bool = False) -> StepRow:
        head, lines = self.explain(step) if why else ("", [])
        return StepRow(step=step, incident=step.incident, label=step_label(step), cd=self.countdown(step),
                       provisional=self.provisional(step),
                       hand_in=hand_in_text(step, self.wc(step.incident.municipality), self.now),
                       who=step_who(step) if who else "", pause=pause_text(step.incident),
                       why_head=head, why_lines=tuple(lines))


# ---------------------------------------------------------------- history

PAYLOAD_LABELS: dict[str, str | None] = {
    "units": None, "unit_names": "подразделения", "unit": "подразделение", "executor": "исполнитель",
    "substitution": "замещение", "comment": "комментарий", "reasons": "причины", "late": "после срока",
    "question": "вопрос", "reply": "ответ автора", "text": "текст", "round": "проект №",
    "intermediate": "промежуточный", "errors_confirmed": "отправлен, несмотря на ошибки проверки",
    "url": "ссылка", "reason": "основание", "final_answer_days": "срок итогового ответа, раб. дней",
    "consolidator": "сводный ответ готовит", "kind": "вид", "importance": "важность",
    "external_id": "номер в региональной системе", "detected_at": "обнаружено",
    "handed_over_at_claimed": "передано (по данным региональной системы)", "previous": None,
    "paused_at": "ожидаем ответа автора с", "paused": "срок стоял",
    "network": "сеть", "page": "страница", "error": "причина", "publication": None, "attempts": "попыток",
    "via": "получено", "message_id": "Message-ID письма",
}
VALUE_LABELS: dict[str, dict[str, str]] = {
    "importance": {Importance.NORMAL: "обычная", Importance.HIGH: "повышенная"},
    "kind": {Kind.INCIDENT: "инцидент", Kind.PUBLICATION: "публикация"},
    "via": {"email": "по электронной почте", "email+page": "по электронной почте, подтверждено в «Отклике»",
            "telegram": "через бот в Telegram", "max": "через бот в MAX"},
}
MOMENT_KEYS = frozenset({"detected_at", "handed_over_at_claimed", "paused_at"})


def _moment(value: Any, tz: ZoneInfo) -> str:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if moment.tzinfo is None:
        return f"{moment:%d.%m.%Y %H:%M}"
    return f"{moment.astimezone(tz):%d.%m.%Y %H:%M}"


def payload_summary(payload: dict[str, Any], tz: ZoneInfo) -> str:
    """A history entry's details in Russian: labels, not keys; local times, not UTC codes."""
    from otklik.incidents.models import NoAnswerReason

    parts = []
    for key, value in payload.items():
        label = PAYLOAD_LABELS.get(key, key)
        if label is None or value in (None, "", [], {}, False):
            continue
        if key == "reasons" and isinstance(value, list):
            value = "; ".join(
                f"{ReturnReason(r['code']).label if r.get('code') in ReturnReason.values else r.get('code')}"
                f"{': ' + r['comment'] if r.get('comment') else ''}" for r in value if isinstance(r, dict))
        elif key in MOMENT_KEYS:
            value = _moment(value, tz)
        elif key in VALUE_LABELS:
            value = VALUE_LABELS[key].get(str(value), value)
        elif key == "reason" and value in NoAnswerReason.values:
            value = NoAnswerReason(value).label.lower()
        elif value is True:
            value = "да"
        elif isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        parts.append(f"{label}: {value}")
    text = "; ".join(parts)
    return text if len(text) <= 400 else text[:400] + "…"


def status_label(status: str) -> str:
    return str(Status(status).label) if status in Status.values else status


@dataclass(frozen=True)
class HistoryRow:
    at: datetime
    seq: str
    who: str
    action: str
    change: str
    details: str
    mail: bool = False


def history_rows(incident: Incident) -> list[HistoryRow]:
    """The history, and the e-mails that went out about the incident, in time order."""
    from otklik.notifications.models import Notification

    tz = ZoneInfo(incident.municipality.time_zone)
    rows = []
    for e in IncidentEvent.objects.filter(incident=incident).order_by("seq"):
        change = (f"{status_label(e.from_status)} → {status_label(e.to_status)}" if e.from_status
                  else status_label(e.to_status) if e.to_status else "")
        rows.append(HistoryRow(at=e.at, seq=str(e.seq), who=e.actor_label, action=ACTION_LABELS.get(e.action, e.action),
                               change=change, details=payload_summary(e.payload, tz)))
    mails = (Notification.objects.filter(incident_id=incident.pk, channel=Notification.Channel.EMAIL)
             .select_related("recipient").order_by("created_at", "pk"))
    for n in mails:
        who = n.recipient.full_name if n.recipient else n.address
        state = dict(Notification.State.choices).get(n.state, n.state).lower()
        rows.append(HistoryRow(at=n.created_at, seq="", who="Отклик", action="Отправлено письмо", change="",
                               details=f"{who} <{n.address}>: «{n.subject}» — {state}", mail=True))
    rows.sort(key=lambda r: (r.at, r.mail))
    return rows


def pause_text(incident: Incident) -> str:
    if incident.paused_at is None:
        return ""
    local = incident.paused_at.astimezone(ZoneInfo(incident.municipality.time_zone))
    return f"ожидаем ответа автора с {local:%H:%M %d.%m.%Y}"


__all__ = ["Calendars", "HistoryRow", "StepRow", "duration_text", "hand_in_by", "hand_in_text", "history_rows", "pause_text",
           "payload_summary", "step_label", "step_who"]
