"""The queue («Ждёт ваших действий», «Ожидают других») and «Все сообщения» with filters."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from otklik.core.access import requires
from otklik.incidents import forms as f
from otklik.incidents.models import IncidentStep
from otklik.incidents.presenters import Calendars, StepRow, step_who
from otklik.incidents.selectors import (
    IncidentFilter,
    incidents_search,
    steps_for_me,
    steps_for_others,
)
from otklik.org.roles import INTAKE_ROLES, PARTICIPANT_ROLES, Role
from otklik.org.selectors import Access, units_for

PAGE_SIZE = 50


def _deputy(access: Access) -> bool:
    return access.has(Role.DEPUTY_HEAD) and not access.has(Role.MUNICIPAL_CURATOR)


def _rows(access: Access) -> tuple[list[StepRow], list[StepRow]]:
    """Mine, and one row per incident that waits for someone else (its nearest step)."""
    cals = Calendars()
    if _deputy(access):  # at a glance: everything late or of high importance
        steps = [s for s in steps_for_others(access=access) if s.due_at <= cals.now or s.incident.is_high]
        return [cals.row(s, who=True) for s in steps], []
    mine = [cals.row(s) for s in steps_for_me(access=access)]
    mine_ids = {r.incident.pk for r in mine}
    waiting: dict[int, list[IncidentStep]] = {}
    for step in steps_for_others(access=access):  # soonest first
        if step.incident_id not in mine_ids:
            waiting.setdefault(step.incident_id, []).append(step)
    others = []
    for steps in waiting.values():
        row = cals.row(steps[0], who=True)
        everyone = list(dict.fromkeys(step_who(s) for s in steps))
        others.append(replace(row, who=", ".join(everyone)))
    return mine, others


@requires(*PARTICIPANT_ROLES)
def queue(request: HttpRequest, access: Access) -> HttpResponse:
    mine, others = _rows(access)
    context = {"rows": mine, "others": others, "deputy": _deputy(access)}
    if getattr(request, "htmx", False):
        return render(request, "incidents/queue.html#countdowns", context)
    return render(request, "incidents/queue.html", {**context, "can_intake": access.has(*INTAKE_ROLES)})


def filters_from(form: f.FilterForm) -> IncidentFilter:
    d: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    return IncidentFilter(
        status=d.get("status") or "", unit=d.get("unit"), network=d.get("network") or "",
        topic=(d.get("topic") or "").strip(), importance=d.get("importance") or "", overdue=bool(d.get("overdue")),
        date_from=d.get("date_from"), date_to=d.get("date_to"), q=(d.get("q") or "").strip(),
        municipality=d.get("municipality") or "")


@requires(*PARTICIPANT_ROLES)
def all_messages(request: HttpRequest, access: Access) -> HttpResponse:
    municipalities = access.municipalities().order_by("name") if access.is_regional else None
    form = f.FilterForm(request.GET or None, units=units_for(access=access).order_by("name"),
                        municipalities=municipalities)
    cals = Calendars()
    qs = incidents_search(access=access, filters=filters_from(form), now=cals.now).select_related("municipality")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "incidents/all.html", {
        "form": form, "page": page, "now": cals.now, "regional": access.is_regional, "query": query.urlencode(),
    })
