"""Incident screens: hand-in, the incident page and its actions, the live answer checks.

Thin views: parse the input, call one selector or service, render. Scope comes from the
selectors; the exact role of each action is checked by the service. The queue and the list of
all messages are in queue_views.py; what the pages show is shaped in presenters.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any, cast

from django import forms as djforms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from otklik.core.access import requires
from otklik.incidents import attachments, publishing, services
from otklik.incidents import forms as f
from otklik.incidents.answer_templates import templates_for_incident
from otklik.incidents.checks import draft_findings
from otklik.incidents.integrity import incident_integrity_problems
from otklik.incidents.models import Attachment, Draft, Incident, Kind, ReturnReason, Status
from otklik.incidents.presenters import Calendars, history_rows, pause_text
from otklik.incidents.screening import IncidentScreening, incident_screening
from otklik.incidents.selectors import incident_get_for
from otklik.incidents.transitions import TRANSITIONS, Invalid, TransitionError, actions_available
from otklik.org.lexicon import municipality_words
from otklik.org.models import Unit
from otklik.org.roles import INTAKE_ROLES, PARTICIPANT_ROLES
from otklik.org.selectors import Access
from otklik.privacy.access_log import access_log_record
from otklik.privacy.models import AccessLog

ACT_ROLES = tuple(sorted({role for rule in TRANSITIONS.values() for role in rule.roles}))

# The order of the action forms on the page: what a person does most comes first (the draft
# form is the first form an executor sees), the irreversible ones last.
ACTION_ORDER = ("submit_draft", "submit_part", "route", "forward", "approve", "approve_local", "publish",
                "clarification_posted", "clarification_received", "name_consolidator", "ask_clarification",
                "edit_approved", "return", "return_local", "set_final_timings", "not_ours", "raise_importance",
                "close_unclarified", "close_no_answer")
# Irreversible actions ask «are you sure?» before they go.
CONFIRM = {
    "not_ours": "Сообщить, что вопрос не относится к вашему подразделению?",
    "publish": "Отметить ответ опубликованным? После этого сообщение будет закрыто.",
    "close_no_answer": "Закрыть сообщение без ответа? Это действие не отменить.",
    "close_unclarified": "Закрыть сообщение без ответа, потому что автор не ответил? Это действие не отменить.",
    "raise_importance": "Отметить повышенную важность? Все сроки сократятся вдвое, заместитель главы получит письмо.",
    "return": "Вернуть проект на доработку?",
    "return_local": "Вернуть проект на доработку?",
}
DANGER = frozenset({"close_no_answer", "close_unclarified", "return", "return_local", "not_ours"})
DONE = {
    "route": "Сообщение направлено.",
    "submit_part": "Часть ответа направлена куратору.",
    "submit_draft": "Проект ответа направлен.",
    "forward": "Проект направлен на согласование в регион.",
    "approve": "Ответ согласован.",
    "approve_local": "Публикация согласована.",
    "return": "Проект возвращён на доработку.",
    "return_local": "Проект возвращён на доработку.",
    "publish": "Ответ отмечен опубликованным.",
    "publish_network": "Ответ отправлен на публикацию: ссылка появится здесь, как только сеть ответит.",
    "publish_network_retry": "Ответ отправлен на публикацию снова.",
    "ask_clarification": "Уточняющий вопрос передан куратору для публикации.",
    "clarification_posted": "Отмечено: вопрос опубликован. Срок ответа ждёт автора.",
    "clarification_received": "Ответ автора записан, сроки продолжились.",
}


# ---------------------------------------------------------------- intake

@requires(*INTAKE_ROLES)
def new(request: HttpRequest, access: Access) -> HttpResponse:
    municipalities = access.municipalities().order_by("name")
    # The administration registers what it found itself, or an incident; the region hands in incidents.
    choose_kind = not access.is_regional
    form = f.IntakeForm(request.POST or None, municipalities=municipalities, choose_kind=choose_kind)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        kind = (d.get("kind") or Kind.PUBLICATION) if choose_kind else Kind.INCIDENT
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
    title = "Передать инцидент" if access.is_regional else "Зарегистрировать сообщение"
    return render(request, "incidents/new.html", {"form": form, "title": title})


# ---------------------------------------------------------------- the incident page

def _get(access: Access, pk: int) -> Incident:
    try:
        return incident_get_for(access=access, pk=pk)
    except Incident.DoesNotExist as exc:
        raise Http404("Сообщение не найдено") from exc


# Shown in the publication card, not as forms of their own.
NETWORK_ACTIONS = frozenset({"publish_network", "publish_network_retry"})


def _hidden(incident: Incident) -> set[str]:
    """Actions of the other kind's path (regional vs local approval), and the network card's."""
    if incident.kind == Kind.PUBLICATION:
        return {"forward", "approve", "return", "set_final_timings", *NETWORK_ACTIONS}
    return {"approve_local", "return_local", *NETWORK_ACTIONS}


def _latest_draft(incident: Incident) -> Draft | None:
    return incident.drafts.order_by("-round", "-pk").first()


def _returned_draft(incident: Incident) -> Draft | None:
    """The draft the approver returned, when the incident waits for its rework (п. 15)."""
    draft = _latest_draft(incident)
    if incident.status == Status.RETURNED and draft is not None and draft.decision == Draft.Decision.RETURNED:
        return draft
    return None


def _checked_text(form: djforms.Form, incident: Incident, action: str) -> None:
    """Live answer checks on every kind of input: typing, paste, voice, IME, a fix."""
    form.fields["text"].widget.attrs.update({
        "hx-post": reverse("incidents:check", args=[incident.pk]),
        "hx-trigger": "input changed delay:500ms, recheck",
        "hx-target": "#findings", "hx-swap": "outerHTML", "hx-sync": "this:replace",
        "hx-include": "#id_attachments, #files-selected",
        "hx-vals": json.dumps({"check_action": action}), "class": "draft-text",
        "data-autosave": f"otklik:draft:{incident.pk}:{action}",
    })


def _action_form(action: str, incident: Incident, data: Any = None, *,
                 scr: IncidentScreening | None = None, files: Any = None) -> djforms.Form:
    form: djforms.Form
    if action == "route":
        units = Unit.objects.filter(municipality_id=incident.municipality_id).order_by("name")
        suggested = scr.suggestion.unit.pk if scr is not None and scr.suggestion is not None else None
        people = services.consolidator_candidates(incident, units=list(units.values_list("pk", flat=True)))
        return f.RouteForm(data, units=units, people=people, initial={"units": [suggested] if suggested else []})
    if action == "name_consolidator":
        return f.ConsolidatorForm(data, people=services.consolidator_candidates(incident))
    if action in ("approve", "approve_local"):
        draft = _latest_draft(incident)
        return f.ApproveForm(data, initial={"text_hash_seen": draft.text_hash if draft else ""})
    if action == "close_no_answer":
        return f.CloseForm(data, initial={"reason": scr.close_reason} if scr is not None and scr.close_reason else None)
    if action == "edit_approved":
        draft = _latest_draft(incident)
        form = f.EditApprovedForm(data, initial={"text": draft.text if draft else ""})
    elif action == "submit_draft":
        returned = _returned_draft(incident)  # rework starts from the returned text
        form = f.DraftForm(data, files, initial={"text": returned.text} if returned else None)
    else:
        form = FORMS.get(action, f.EmptyForm)(data)
    if action in CHECK_ACTIONS:
        _checked_text(form, incident, action)
    return form


FORMS: dict[str, type[djforms.Form]] = {
    "not_ours": f.NotOursForm,
    "ask_clarification": f.AskForm,
    "clarification_received": f.ClarifiedForm,
    "close_unclarified": f.CloseUnclarifiedForm,
    "submit_part": f.PartForm,
    "submit_draft": f.DraftForm,
    "return": f.ReturnForm,
    "return_local": f.ReturnForm,
    "publish": f.PublishForm,
    "set_final_timings": f.FinalTimingsForm,
    "close_no_answer": f.CloseForm,
}

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


def _reason_rows(draft: Draft) -> list[tuple[str, str]]:
    return [(ReturnReason(r["code"]).label if r.get("code") in ReturnReason.values else str(r.get("code")),
             str(r.get("comment", ""))) for r in draft.return_reasons]


def _actions(incident: Incident, access: Access) -> list[str]:
    hidden = _hidden(incident)
    offered = [a for a in actions_available(incident.status, access.roles) if a not in hidden]
    if incident.status == Status.CLARIFYING:  # posted once; the pause is running
        offered = [a for a in offered if a != "clarification_posted" or incident.paused_at is None]
    return sorted(offered, key=lambda a: ACTION_ORDER.index(a) if a in ACTION_ORDER else len(ACTION_ORDER))


def _detail(request: HttpRequest, access: Access, incident: Incident,
            bound: dict[str, djforms.Form] | None = None, check: dict[str, Any] | None = None,
            status: int = 200) -> HttpResponse:
    cals = Calendars()
    steps = [cals.row(s, why=True, who=True) for s in incident.steps.filter(done_at__isnull=True)
             .select_related("incident__municipality", "actor", "assignment__unit").order_by("due_at", "pk")]
    actions = _actions(incident, access)
    scr = incident_screening(incident=incident, with_suggestion="route" in actions)
    action_forms = [(a, TRANSITIONS[a].label, (bound or {}).get(a) or _action_form(a, incident, scr=scr),
                     CONFIRM.get(a, ""), a in DANGER) for a in actions]
    drafts = list(incident.drafts.select_related("author", "decided_by").prefetch_related("files")
                  .order_by("round", "pk"))
    for d in drafts:
        setattr(d, "reason_rows", _reason_rows(d))  # noqa: B010  (for the template)
    latest = drafts[-1] if drafts else None
    returned = _returned_draft(incident)
    result = scr.result
    return render(request, "incidents/detail.html", {
        "incident": incident, "steps": steps, "action_forms": action_forms, "history": history_rows(incident),
        "actions": set(actions),
        "assignments": incident.assignments.select_related("unit", "executor", "intended_executor"),
        "drafts": drafts, "latest_draft": latest, "draft_findings": _draft_rows(latest), "check": check,
        "returned_reasons": _reason_rows(returned) if returned else [],
        "answer_templates": templates_for_incident(incident) if "submit_draft" in actions else [],
        "scr": scr, "pause": pause_text(incident),
        "clarify_until": services.clarify_wait_until(incident),
        "no_answer_html": highlight(incident.text, [(x.start, x.end, "flag", x.reason) for x in result.no_answer_spans]),
        "spam_html": highlight(incident.text, [(x.start, x.end, "flag", x.reason) for x in result.spam_spans]),
        "tz": incident.municipality.time_zone,
        "integrity": incident_integrity_problems(incident),
        **_publication_context(incident, access),
    }, status=status)


def _publication_context(incident: Incident, access: Access) -> dict[str, Any]:
    """The network card: the page the answer goes to, and the publication's state."""
    pub = publishing.publication_latest(incident)
    match = publishing.page_for(incident) if incident.status == Status.APPROVED else None
    can = access.has(*TRANSITIONS["publish_network"].roles) and incident.status == Status.APPROVED
    return {"pub": pub, "pub_text": publishing.publication_status_text(pub) if pub else "",
            "pub_page": match.page if match else None, "pub_can": can,
            "pub_live": bool(pub and pub.state in publishing.POLLED)}


@requires(*PARTICIPANT_ROLES)
def publication(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    """The publication card alone, polled by htmx while the worker publishes."""
    incident = _get(access, pk)
    context = {"incident": incident, **_publication_context(incident, access)}
    response = render(request, "incidents/detail.html#publication", context)
    if not context["pub_live"]:  # done or failed: the whole page changes (status, steps, actions)
        response["HX-Refresh"] = "true"
    return response


@requires(*PARTICIPANT_ROLES)
def detail(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    incident = _get(access, pk)
    access_log_record(access=access, incident=incident)  # 152-ФЗ: who opened the author's data
    return _detail(request, access, incident)


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


def _selected_files(data: Any) -> int:
    """Photos chosen in the browser but not sent yet count for «no proof» too."""
    try:
        return max(0, min(50, int(str(data.get("files_selected") or 0))))
    except ValueError:
        return 0


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
        return links + max(len(uploaded), _selected_files(data))
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
    att = Attachment.objects.filter(incident=incident, pk=aid).exclude(file="").first()
    if att is None:
        raise Http404("Файл не найден")
    access_log_record(access=access, incident=incident, what=AccessLog.What.FILE)
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
    "route": lambda a, i, d: services.incident_route(
        access=a, incident_id=i.pk, unit_ids=[u.pk for u in d["units"]],
        consolidator_id=d["consolidator"].pk if d.get("consolidator") else None),
    "not_ours": lambda a, i, d: services.incident_not_ours(access=a, incident_id=i.pk, comment=d["comment"]),
    "ask_clarification": lambda a, i, d: services.incident_ask_clarification(
        access=a, incident_id=i.pk, question=d["question"], confirmed_with_errors=d["confirm_errors"]),
    "clarification_posted": lambda a, i, d: services.incident_clarification_posted(access=a, incident_id=i.pk),
    "clarification_received": lambda a, i, d: services.incident_clarification_received(
        access=a, incident_id=i.pk, reply=d["reply"]),
    "close_unclarified": lambda a, i, d: services.incident_close_unclarified(
        access=a, incident_id=i.pk, comment=d["comment"]),
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
    "publish_network": lambda a, i, d: publishing.publication_request(access=a, incident_id=i.pk),
    "publish_network_retry": lambda a, i, d: publishing.publication_not_found(access=a, incident_id=i.pk),
}
HANDLERS["approve_local"] = HANDLERS["approve"]
HANDLERS["return_local"] = HANDLERS["return"]


def _failed(request: HttpRequest, access: Access, pk: int, action: str, form: djforms.Form, message: str,
            check: dict[str, Any] | None = None) -> HttpResponse:
    """A failed action keeps what was typed and chosen: with htmx only the error block at the
    top of the form is replaced (the text and the chosen files stay in the browser); without
    it the page comes back with the typed text."""
    if getattr(request, "htmx", False):
        return render(request, "incidents/detail.html#action-errors",
                      {"action": action, "message": message, "form": form, "errors_check": check}, status=200)
    messages.error(request, message)
    return _detail(request, access, _get(access, pk), bound={action: form}, check=check, status=400)


@requires(*ACT_ROLES)
def act(request: HttpRequest, access: Access, pk: int, action: str) -> HttpResponse:
    incident = _get(access, pk)
    if action not in HANDLERS:
        raise Http404("Нет такого действия")
    if request.method != "POST":
        return redirect("incidents:detail", pk=pk)
    form = _action_form(action, incident, request.POST, files=request.FILES)
    if not form.is_valid():
        message = "; ".join(str(e) for e in form.non_field_errors()) or "Проверьте поля формы."
        return _failed(request, access, pk, action, form, message)
    data: dict[str, Any] = dict(form.cleaned_data)
    try:
        HANDLERS[action](access, incident, data)
    except services.DraftCheckFailed as exc:  # keep the typed text and show what the checks found
        text = str(data.get("question") or data.get("text") or "")
        return _failed(request, access, pk, action, form, str(exc), check=_check_context(text, exc.findings))
    except Invalid as exc:
        if exc.field and exc.field in form.fields:
            form.add_error(exc.field, str(exc))
        return _failed(request, access, pk, action, form, str(exc))
    except TransitionError as exc:
        if getattr(request, "htmx", False):
            return _failed(request, access, pk, action, form, str(exc))
        messages.error(request, str(exc))
        return redirect("incidents:detail", pk=pk)
    messages.success(request, DONE.get(action, f"Выполнено: {TRANSITIONS[action].label}."))
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("incidents:detail", args=[pk])
        return response
    return redirect("incidents:detail", pk=pk)

