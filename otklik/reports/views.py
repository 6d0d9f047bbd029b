"""The issued monthly reports (п. 23) in the interface: the list, one report with its steps and
actions, and its downloads rendered from the frozen data. Every view checks the role (@requires)
and the municipality (issuing.issue_get) on the server."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe

from otklik.core.access import requires
from otklik.incidents.transitions import Forbidden, Invalid, NotFound
from otklik.org.selectors import Access
from otklik.reports import issuing
from otklik.reports.models import ReportIssue
from otklik.reports.monthly import MonthlyReport

FORMATS: dict[str, tuple[str, str]] = {
    "html": ("text/html; charset=utf-8", "html"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "pdf": ("application/pdf", "pdf"),
}


def _get(access: Access, pk: int) -> ReportIssue:
    try:
        return issuing.issue_get(access, pk)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


@requires(*issuing.VIEW_ROLES)
def issue_list(request: HttpRequest, access: Access) -> HttpResponse:
    issues = list(issuing.issues_for(access).order_by("-month", "municipality__name", "-version")[:300])
    latest: dict[tuple[int, object], int] = {}
    for i in issues:
        latest.setdefault((i.municipality_id, i.month), i.pk)
    rows = [{"issue": i, "label": issuing.month_label(i.month), "current": latest[(i.municipality_id, i.month)] == i.pk}
            for i in issues]
    return render(request, "reports/issue_list.html", {"rows": rows, "regional": access.is_regional})


@requires(*issuing.VIEW_ROLES)
def issue_detail(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    issue = _get(access, pk)
    current = issuing.current_version(issue)
    versions = ReportIssue.objects.filter(municipality_id=issue.municipality_id, month=issue.month).order_by(
        "version").only("pk", "version", "state", "prepared_at", "reason")
    return render(request, "reports/issue_detail.html", {
        "issue": issue, "label": issuing.month_label(issue.month), "events": issue.events.all(),
        # Rendered by the report's own autoescaping template when the report was issued.
        "body": mark_safe(issue.html),  # noqa: S308
        "current": current, "is_current": current.pk == issue.pk, "versions": versions,
        "can_comment": issuing.can_comment(access, issue), "can_present": issuing.can_present(access, issue),
        "can_acknowledge": issuing.can_acknowledge(access, issue),
        "can_reissue": issuing.can_reissue(access, issue), "formats": list(FORMATS),
    })


ACTIONS: dict[str, Callable[[Access, int, HttpRequest], ReportIssue]] = {
    "comment": lambda a, pk, r: issuing.report_comment(access=a, issue_id=pk, text=r.POST.get("text", "")),
    "present": lambda a, pk, r: issuing.report_present(access=a, issue_id=pk),
    "acknowledge": lambda a, pk, r: issuing.report_acknowledge(access=a, issue_id=pk),
    "reissue": lambda a, pk, r: issuing.report_reissue(access=a, issue_id=pk, reason=r.POST.get("reason", "")),
}
DONE = {"comment": "Комментарий сохранён.", "present": "Отчёт представлен заместителю главы.",
        "acknowledge": "Отмечено: ознакомлен.", "reissue": "Выпущена новая версия отчёта."}


@requires(*issuing.VIEW_ROLES)
def issue_act(request: HttpRequest, access: Access, pk: int, action: str) -> HttpResponse:
    _get(access, pk)
    if request.method != "POST" or action not in ACTIONS:
        return redirect("reports:detail", pk=pk)
    try:
        issue = ACTIONS[action](access, pk, request)
    except Forbidden as exc:
        messages.error(request, str(exc))
        return render(request, "core/forbidden.html", status=403)
    except Invalid as exc:
        messages.error(request, str(exc))
        return redirect("reports:detail", pk=pk)
    messages.success(request, DONE[action])
    return redirect("reports:detail", pk=issue.pk)


def _render(fmt: str, report: MonthlyReport) -> bytes:
    if fmt == "html":
        from otklik.reports.render.html import render_html

        return render_html(report).encode("utf-8")
    if fmt == "docx":
        from otklik.reports.render.docx import render_docx

        return render_docx(report)
    if fmt == "xlsx":
        from otklik.reports.render.xlsx import render_xlsx

        return render_xlsx(report)
    from otklik.reports.render.pdf import render_pdf

    return render_pdf(report)


@requires(*issuing.VIEW_ROLES)
def issue_download(request: HttpRequest, access: Access, pk: int, fmt: str) -> HttpResponse:
    issue = _get(access, pk)
    if fmt not in FORMATS:
        raise Http404("Нет такого формата.")
    content_type, ext = FORMATS[fmt]
    data = _render(fmt, issuing.issued_report(issue))
    name = f"otchet-{issue.municipality.slug}-{issue.month:%Y-%m}-v{issue.version}.{ext}"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
