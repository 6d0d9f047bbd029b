"""The queue («Ждёт ваших действий», «Ожидают других») and «Все сообщения» with filters."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from otklik.core.access import requires
from otklik.incidents import forms as f
from otklik.incidents.presenters import Calendars, StepRow, step_who
from otklik.incidents.selectors import (
    LIST_MAX_PAGE,
    QUEUE_MAX_PAGE,
    IncidentFilter,
    QueuePage,
    incidents_page,
    incidents_search,
    others_who,
    queue_page,
)
from otklik.org.roles import INTAKE_ROLES, PARTICIPANT_ROLES, Role
from otklik.org.selectors import Access, units_for

PAGE_SIZE = 50


def _deputy(access: Access) -> bool:
    return access.has(Role.DEPUTY_HEAD) and not access.has(Role.MUNICIPAL_CURATOR)


def page_number(raw: str | None) -> int:
    """`?page=N`: a bad or missing value is the first page, not an error."""
    try:
        return max(1, int(raw or 1))
    except ValueError:
        return 1


def _rows(access: Access, page: QueuePage, cals: Calendars) -> tuple[list[StepRow], list[StepRow]]:
    """Mine, and one row per incident that waits for someone else (its nearest step, with
    everyone it waits for)."""
    if _deputy(access):  # at a glance: everything late or of high importance
        return [cals.row(s, who=True) for s in page.mine], []
    mine = [cals.row(s) for s in page.mine]
    waiting = others_who(page.others, access=access)
    others = []
    for step in page.others:
        row = cals.row(step, who=True)
        everyone = list(dict.fromkeys(step_who(s) for s in waiting.get(step.incident_id, [step])))
        others.append(replace(row, who=", ".join(everyone)))
    return mine, others


@requires(*PARTICIPANT_ROLES)
def queue(request: HttpRequest, access: Access) -> HttpResponse:
    """The queue, 50 rows a page (`?page=N`), narrowed by `?q=` (text and author)."""
    q = (request.GET.get("q") or "").strip()[:200]
    cals = Calendars()
    page = queue_page(access=access, page=page_number(request.GET.get("page")), q=q,
                      late_or_high=cals.now if _deputy(access) else None)
    mine, others = _rows(access, page, cals)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"rows": mine, "others": others, "deputy": _deputy(access), "page": page, "q": q,
               "query": query.urlencode(), "max_page": QUEUE_MAX_PAGE, "self_url": request.get_full_path(),
               "regional": access.is_regional}
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
    page = incidents_page(qs, page=page_number(request.GET.get("page")), size=PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "incidents/all.html", {
        "form": form, "page": page, "now": cals.now, "regional": access.is_regional, "query": query.urlencode(),
        "max_page": LIST_MAX_PAGE,
    })
