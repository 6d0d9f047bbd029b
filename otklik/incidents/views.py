"""Incident screens: the queue, hand-in, the incident page and its actions.

Thin views: parse the input, call one selector or service, render. Scope comes from the
selectors; the exact role of each action is checked by the service.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

from django import forms as djforms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from otklik.core.access import requires
from otklik.incidents import attachments, services
from otklik.incidents import forms as f
from otklik.incidents.checks import draft_findings
from otklik.incidents.deadlines import WEEKDAYS, Countdown, countdown, duration_text
from otklik.incidents.integrity import incident_integrity_problems
from otklik.incidents.models import (
    Attachment,
    Draft,
    Incident,
    IncidentStep,
    Kind,
    ReturnReason,
    Status,
)
from otklik.incidents.screening import IncidentScreening, incident_screening
from otklik.incidents.selectors import incident_get_for, incidents_for, open_steps_for
from otklik.incidents.steps import StepKind
from otklik.incidents.transitions import TRANSITIONS, Invalid, TransitionError, actions_available
from otklik.org.calendars import work_calendar_for
from otklik.org.lexicon import municipality_words
from otklik.org.models import Municipality, Person, Unit
from otklik.org.roles import INTAKE_ROLES, PARTICIPANT_ROLES, Role
from otklik.org.selectors import Access
from otklik.worktime import OutOfCalendar, WorkCalendar

ACT_ROLES = tuple(sorted({role for rule in TRANSITIONS.values() for role in rule.roles}))
ALL_MESSAGES = 50


# ---------------------------------------------------------------- countdowns

class _Calendars:
    """One work calendar per municipality per request."""

    def __init__(self) -> None:
        self._by_id: dict[int, WorkCalendar] = {}
        self.now = timezone.now()

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
            explanation = wc.explain(step.started_at, timedelta(seconds=step.seconds))
        except (OutOfCalendar, ValueError):
            return "", []
        head = (f"{duration_text(timedelta(seconds=step.seconds))} рабочего времени с {start:%d.%m.%Y %H:%M}. "
                f"Засчитаны интервалы:")
        return head, explanation.lines()


@dataclass(frozen=True)
class Row:
    step: IncidentStep
    incident: Incident
    cd: Countdown
    provisional: bool = False

    @property
    def step_label(self) -> str:
        return StepKind(self.step.kind).label


@dataclass(frozen=True)
class StepView:
    step: IncidentStep
    label: str
    cd: Countdown
    provisional: bool
    why_head: str
    why_lines: list[str]


def _queue_rows(access: Access) -> list[Row]:
    cals = _Calendars()
    steps = list(open_steps_for(access=access))
    if access.has(Role.DEPUTY_HEAD) and not access.has(Role.MUNICIPAL_CURATOR):
        # At a glance: everything late or of high importance.
        steps = [s for s in steps if s.due_at <= cals.now or s.incident.is_high]
    return [Row(step=s, incident=s.incident, cd=cals.countdown(s), provisional=cals.provisional(s)) for s in steps]


@requires(*PARTICIPANT_ROLES)
def queue(request: HttpRequest, access: Access) -> HttpResponse:
    rows = _queue_rows(access)
    if getattr(request, "htmx", False):
        return render(request, "incidents/queue.html#countdowns", {"rows": rows})
    latest = list(incidents_for(access=access).order_by("-detected_at")[:ALL_MESSAGES])
    return render(request, "incidents/queue.html", {
        "rows": rows, "latest": latest, "can_intake": access.has(*INTAKE_ROLES),
        "deputy": access.has(Role.DEPUTY_HEAD) and not access.has(Role.MUNICIPAL_CURATOR),
    })


# ---------------------------------------------------------------- intake

@requires(*INTAKE_ROLES)
def new(request: HttpRequest, access: Access) -> HttpResponse:
    municipalities = access.municipalities().order_by("name")
    form = f.IntakeForm(request.POST or None, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        kind = Kind.INCIDENT if access.is_regional else Kind.PUBLICATION
        try:
            incident, _ = services.incident_intake(
                municipality=d["municipality"], kind=kind, importance=d["importance"], network=d["network"],
                url=d["url"], author_name=d["author_name"], author_url=d["author_url"], text=d["text"],
                detected_at=d["detected_at"], topic=d["topic"], location=d["location"],
                attachments=d["attachments"], by=access.person)
        except Invalid as exc:
            field = {"author.url": "author_url"}.get(exc.field, exc.field)
            form.add_error(field if field in form.fields else None, str(exc))
        else:
            messages.success(request, f"Сообщение № {incident.pk} зарегистрировано.")
            return redirect("incidents:detail", pk=incident.pk)
    title = "Передать инцидент" if access.is_regional else "Зарегистрировать публикацию"
    return render(request, "incidents/new.html", {"form": form, "title": title})


# ---------------------------------------------------------------- the incident page

def _get(access: Access, pk: int) -> Incident:
    try:
        return incident_get_for(access=access, pk=pk)
    except Incident.DoesNotExist as exc:
        raise Http404("Сообщение не найдено") from exc


def _hidden(incident: Incident) -> set[str]:
    """Actions of the other kind's path (regional vs local approval)."""
    if incident.kind == Kind.PUBLICATION:
        return {"forward", "approve", "return", "set_final_timings"}
    return {"approve_local", "return_local"}


def _latest_draft(incident: Incident) -> Draft | None:
    return incident.drafts.order_by("-round", "-pk").first()


def _action_form(action: str, incident: Incident, data: Any = None, *,
                 scr: IncidentScreening | None = None, files: Any = None) -> djforms.Form:
    form: djforms.Form
    if action == "route":
        units = Unit.objects.filter(municipality_id=incident.municipality_id).order_by("name")
        suggested = scr.suggestion.unit.pk if scr is not None and scr.suggestion is not None else None
        return f.RouteForm(data, units=units, initial={"units": [suggested] if suggested else []})
    if action == "name_consolidator":
        people = (Person.objects.filter(unit__assignments__incident=incident).distinct()
                  .order_by("full_name"))
        return f.ConsolidatorForm(data, people=people)
    if action in ("approve", "approve_local"):
        draft = _latest_draft(incident)
        return f.ApproveForm(data, initial={"text_hash_seen": draft.text_hash if draft else ""})
    if action == "close_no_answer":
        return f.CloseForm(data, initial={"reason": scr.close_reason} if scr is not None and scr.close_reason else None)
    if action == "edit_approved":
        draft = _latest_draft(incident)
        form = f.EditApprovedForm(data, initial={"text": draft.text if draft else ""})
    elif action == "submit_draft":
        form = f.DraftForm(data, files)
    else:
        form = FORMS.get(action, f.EmptyForm)(data)
    if action in CHECK_ACTIONS:
        form.fields["text"].widget.attrs.update({
            "hx-post": reverse("incidents:check", args=[incident.pk]),
            "hx-trigger": "keyup changed delay:600ms, recheck", "hx-target": "#findings", "hx-swap": "outerHTML",
            "hx-sync": "this:replace", "hx-vals": json.dumps({"check_action": action}), "class": "draft-text",
        })
    return form


FORMS: dict[str, type[djforms.Form]] = {
    "not_ours": f.NotOursForm,
    "ask_clarification": f.AskForm,
    "clarification_received": f.ClarifiedForm,
    "submit_part": f.PartForm,
    "submit_draft": f.DraftForm,
    "return": f.ReturnForm,
    "return_local": f.ReturnForm,
    "publish": f.PublishForm,
    "set_final_timings": f.FinalTimingsForm,
    "close_no_answer": f.CloseForm,
}


# How history payload keys read in Russian; None hides a key (ids shown by name elsewhere).
PAYLOAD_LABELS: dict[str, str | None] = {
    "units": None, "unit_names": "подразделения", "unit": "подразделение", "executor": "исполнитель",
    "substitution": "замещение", "comment": "комментарий", "reasons": "причины", "late": "после срока",
    "question": "вопрос", "reply": "ответ автора", "text": "текст", "round": "проект №",
    "intermediate": "промежуточный", "errors_confirmed": "отправлен, несмотря на ошибки проверки",
    "url": "ссылка", "reason": "основание", "final_answer_days": "срок итогового ответа, раб. дней",
    "consolidator": "сводный ответ готовит", "kind": "вид", "importance": "важность",
    "external_id": "номер в региональной системе", "detected_at": "обнаружено", "previous": None,
}


def _summary(payload: dict[str, Any]) -> str:
    parts = []
    for key, value in payload.items():
        label = PAYLOAD_LABELS.get(key, key)
        if label is None or value in (None, "", [], {}, False):
            continue
        if key == "reasons" and isinstance(value, list):
            value = "; ".join(
                f"{ReturnReason(r['code']).label if r.get('code') in ReturnReason.values else r.get('code')}"
                f"{': ' + r['comment'] if r.get('comment') else ''}" for r in value if isinstance(r, dict))
        elif value is True:
            value = "да"
        elif isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        parts.append(f"{label}: {value}")
    text = "; ".join(parts)
    return text if len(text) <= 300 else text[:300] + "…"


def _label(status: str) -> str:
    return Status(status).label if status in Status.values else status


# п. 14 reason a finding of the answer checks points to (evidence: none).
FINDING_REASONS: dict[str, str] = {
    "greeting": ReturnReason.GREETING,
    "spelling": ReturnReason.SPELLING,
    "punctuation": ReturnReason.SPELLING,
    "bureaucratese": ReturnReason.VOICE,
    "legal_refs": ReturnReason.VOICE,
    "redirect": ReturnReason.REDIRECT,
    "off_topic": ReturnReason.SUBSTANCE,
}


def _draft_rows(draft: Draft | None) -> list[dict[str, Any]]:
    """The findings stored on the draft, each with the п. 14 reason it suggests."""
    rows = []
    for x in (draft.findings if draft else []) or []:
        if not isinstance(x, dict):
            continue
        code = FINDING_REASONS.get(str(x.get("code")), "")
        rows.append({**x, "reason": code, "reason_label": ReturnReason(code).label if code else ""})
    return rows


def _detail(request: HttpRequest, access: Access, incident: Incident,
            bound: dict[str, djforms.Form] | None = None, check: dict[str, Any] | None = None,
            status: int = 200) -> HttpResponse:
    cals = _Calendars()
    steps = []
    for s in incident.steps.filter(done_at__isnull=True).select_related("incident__municipality", "actor"):
        head, lines = cals.explain(s)
        steps.append(StepView(step=s, label=StepKind(s.kind).label, cd=cals.countdown(s),
                              provisional=cals.provisional(s), why_head=head, why_lines=lines))
    hidden = _hidden(incident)
    actions = [a for a in actions_available(incident.status, access.roles) if a not in hidden]
    scr = incident_screening(incident=incident, with_suggestion="route" in actions)
    action_forms = [(a, TRANSITIONS[a].label, (bound or {}).get(a) or _action_form(a, incident, scr=scr))
                    for a in actions]
    events = [(e, _label(e.from_status), _label(e.to_status), _summary(e.payload))
              for e in incident.events.order_by("seq")]
    drafts = list(incident.drafts.select_related("author", "decided_by").prefetch_related("files")
                  .order_by("round", "pk"))
    for d in drafts:
        rows = [(ReturnReason(r["code"]).label if r.get("code") in ReturnReason.values else r.get("code"),
                 r.get("comment", "")) for r in d.return_reasons]
        setattr(d, "reason_rows", rows)  # noqa: B010  (for the template)
    latest = drafts[-1] if drafts else None
    result = scr.result
    return render(request, "incidents/detail.html", {
        "incident": incident, "steps": steps, "action_forms": action_forms, "events": events,
        "actions": set(actions),
        "assignments": incident.assignments.select_related("unit", "executor", "intended_executor"),
        "drafts": drafts, "latest_draft": latest, "draft_findings": _draft_rows(latest), "check": check,
        "scr": scr,
        "no_answer_html": highlight(incident.text, [(x.start, x.end, "flag", x.reason) for x in result.no_answer_spans]),
        "spam_html": highlight(incident.text, [(x.start, x.end, "flag", x.reason) for x in result.spam_spans]),
        "tz": incident.municipality.time_zone,
        "integrity": incident_integrity_problems(incident),
    }, status=status)


@requires(*PARTICIPANT_ROLES)
def detail(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    return _detail(request, access, _get(access, pk))


# ---------------------------------------------------------------- the answer checks

CHECK_ACTIONS = ("submit_draft", "edit_approved")
CHECK_ROLES = tuple(sorted({role for a in CHECK_ACTIONS for role in TRANSITIONS[a].roles}))
SEVERITY = {"error": "ошибка", "warning": "замечание"}


def highlight(text: str, spans: Iterable[tuple[int, int, str, str]]) -> SafeString:
    """`text` with the spans (start, end, css class, title) marked; every segment escaped."""
    out: list[str] = []
    pos = 0
    for start, end, css, title in sorted(spans):
        if start < pos or end <= start or end > len(text):
            continue  # overlapping or empty: the first one wins
        out.append(escape(text[pos:start]))
        out.append(format_html('<mark class="{}" title="{}">{}</mark>', css, title, text[start:end]))
        pos = end
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))  # noqa: S308  (each segment escaped above)


def _utf16(text: str, index: int) -> int:
    """A Python index as the browser counts it (UTF-16 code units)."""
    return len(text[:index].encode("utf-16-le")) // 2


def _known_words(request: HttpRequest, incident: Incident) -> frozenset[str]:
    cache: dict[str, frozenset[str]] = request.__dict__.setdefault("_otklik_known_words", {})
    slug = incident.municipality.slug
    if slug not in cache:
        cache[slug] = municipality_words(slug)
    return cache[slug]


def _findings(request: HttpRequest, incident: Incident, text: str, attachments: int) -> list[dict[str, Any]]:
    return draft_findings(incident=incident, text=text, attachments=attachments,
                          known_words=_known_words(request, incident))


def _check_context(text: str, findings: list[dict[str, Any]]) -> dict[str, Any]:
    items = []
    for x in findings:
        start, end = int(x["start"]), int(x["end"])
        items.append({**x, "severity_label": SEVERITY.get(str(x["severity"]), str(x["severity"])),
                      "start16": _utf16(text, start), "end16": _utf16(text, end), "original": text[start:end]})
    return {
        "items": items, "errors": sum(1 for x in findings if x["severity"] == "error"),
        "highlighted": highlight(text, [(int(x["start"]), int(x["end"]), f"finding {x['severity']}", str(x["message"]))
                                        for x in findings]),
    }


def _attachment_count(action: str, incident: Incident, data: Any, files: Any = None) -> int:
    """Links and photos/videos: the `evidence` check wants at least one."""
    if action == "submit_draft":
        value = data.get("attachments", "")
        if isinstance(value, list):  # cleaned form data
            links = len(value)
        else:
            links = len([line for line in str(value).splitlines() if line.strip()])
        uploaded = data.get("files") if isinstance(data.get("files"), list) else None
        if uploaded is None:
            uploaded = files.getlist("files") if files is not None else []
        return links + len(uploaded)
    draft = _latest_draft(incident)
    return len(draft.attachments) + draft.files.count() if draft else 0


@requires(*CHECK_ROLES)
def check(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    """The answer checks on the typed draft: the findings panel (htmx) or the page (no JS)."""
    incident = _get(access, pk)
    if request.method != "POST":
        return redirect("incidents:detail", pk=pk)
    action = request.POST.get("check_action", "submit_draft")
    if action not in CHECK_ACTIONS:
        action = "submit_draft"
    text = request.POST.get("text", "")
    count = _attachment_count(action, incident, request.POST, request.FILES)
    ctx = _check_context(text, _findings(request, incident, text, count))
    if getattr(request, "htmx", False):
        return render(request, "incidents/detail.html#findings", {"check": ctx})
    return _detail(request, access, incident, bound={action: _action_form(action, incident, request.POST)},
                   check=ctx)


@requires(*PARTICIPANT_ROLES)
def attachment(request: HttpRequest, access: Access, pk: int, aid: int) -> HttpResponse:
    """A draft's photo or video, only to people who see the incident (personal data)."""
    incident = _get(access, pk)
    att = Attachment.objects.filter(incident=incident, pk=aid).first()
    if att is None:
        raise Http404("Файл не найден")
    try:
        handle = attachments.open_file(att)
    except FileNotFoundError as exc:
        raise Http404("Файл не найден") from exc
    response = FileResponse(handle, as_attachment=False, filename=att.name, content_type=att.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return cast("HttpResponse", response)  # streamed; @requires types views as HttpResponse


# ---------------------------------------------------------------- actions

Handler = Callable[[Access, Incident, dict[str, Any]], Any]


HANDLERS: dict[str, Handler] = {
    "route": lambda a, i, d: services.incident_route(access=a, incident_id=i.pk,
                                                      unit_ids=[u.pk for u in d["units"]]),
    "not_ours": lambda a, i, d: services.incident_not_ours(access=a, incident_id=i.pk, comment=d["comment"]),
    "ask_clarification": lambda a, i, d: services.incident_ask_clarification(
        access=a, incident_id=i.pk, question=d["question"]),
    "clarification_received": lambda a, i, d: services.incident_clarification_received(
        access=a, incident_id=i.pk, reply=d["reply"]),
    "submit_part": lambda a, i, d: services.incident_submit_part(access=a, incident_id=i.pk, text=d["text"]),
    "name_consolidator": lambda a, i, d: services.incident_name_consolidator(
        access=a, incident_id=i.pk, person_id=d["person"].pk),
    "submit_draft": lambda a, i, d: services.incident_submit_draft(
        access=a, incident_id=i.pk, text=d["text"], intermediate=d["intermediate"], attachments=d["attachments"],
        confirmed_with_errors=d["confirm_errors"], files=d["files"]),
    "forward": lambda a, i, d: services.incident_forward(access=a, incident_id=i.pk),
    "approve": lambda a, i, d: services.incident_approve(access=a, incident_id=i.pk,
                                                          text_hash_seen=d["text_hash_seen"]),
    "return": lambda a, i, d: services.incident_return(access=a, incident_id=i.pk, reasons=d["reasons"]),
    "edit_approved": lambda a, i, d: services.incident_edit_approved(
        access=a, incident_id=i.pk, text=d["text"], confirmed_with_errors=d["confirm_errors"]),
    "publish": lambda a, i, d: services.incident_publish(access=a, incident_id=i.pk,
                                                          published_url=d["published_url"]),
    "set_final_timings": lambda a, i, d: services.incident_set_final_timings(
        access=a, incident_id=i.pk, days=d["days"]),
    "close_no_answer": lambda a, i, d: services.incident_close_no_answer(
        access=a, incident_id=i.pk, reason=d["reason"], comment=d["comment"]),
    "raise_importance": lambda a, i, d: services.incident_raise_importance(access=a, incident_id=i.pk),
}
HANDLERS["approve_local"] = HANDLERS["approve"]
HANDLERS["return_local"] = HANDLERS["return"]

DONE = {
    "route": "Сообщение направлено.",
    "submit_part": "Часть ответа направлена куратору.",
    "submit_draft": "Проект ответа направлен.",
    "forward": "Проект направлен на согласование в регион.",
    "approve": "Ответ согласован.",
    "approve_local": "Публикация согласована.",
    "return": "Проект возвращён на доработку.",
    "return_local": "Проект возвращён на доработку.",
    "publish": "Публикация отмечена.",
}


@requires(*ACT_ROLES)
def act(request: HttpRequest, access: Access, pk: int, action: str) -> HttpResponse:
    incident = _get(access, pk)
    if action not in HANDLERS:
        raise Http404("Нет такого действия")
    if request.method != "POST":
        return redirect("incidents:detail", pk=pk)
    form = _action_form(action, incident, request.POST, files=request.FILES)
    if not form.is_valid():
        for error in form.non_field_errors():
            messages.error(request, str(error))
        return _detail(request, access, incident, bound={action: form}, status=400)
    data: dict[str, Any] = dict(form.cleaned_data)
    try:
        HANDLERS[action](access, incident, data)
    except services.DraftCheckFailed as exc:  # keep the typed text and show what the checks found
        messages.error(request, str(exc))
        return _detail(request, access, _get(access, pk), bound={action: form},
                       check=_check_context(data["text"], exc.findings), status=400)
    except Invalid as exc:
        if exc.field and exc.field in form.fields:
            form.add_error(exc.field, str(exc))
        else:
            messages.error(request, str(exc))
        return _detail(request, access, _get(access, pk), bound={action: form}, status=400)
    except TransitionError as exc:
        messages.error(request, str(exc))
        return redirect("incidents:detail", pk=pk)
    messages.success(request, DONE.get(action, f"Выполнено: {TRANSITIONS[action].label}."))
    return redirect("incidents:detail", pk=pk)

