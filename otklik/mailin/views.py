"""The page a held mail's link opens: what the checks found, the text to fix, the confirmation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from otklik.core.access import requires
from otklik.incidents.services import DraftCheckFailed
from otklik.incidents.transitions import TRANSITIONS, Invalid, NotFound, TransitionError
from otklik.mailin import services
from otklik.mailin.forms import HeldForm
from otklik.mailin.models import InboundMail
from otklik.org.selectors import Access

SENDER_ROLES = tuple(sorted(TRANSITIONS["submit_draft"].roles))


def _page(request: HttpRequest, mail: InboundMail, form: HeldForm, findings: list[dict[str, Any]],
          status: int = 200, text: str | None = None) -> HttpResponse:
    findings = services.findings_with_fragments(findings, mail.text if text is None else text)
    errors = [f for f in findings if f.get("severity") == "error"]
    warnings = [f for f in findings if f.get("severity") != "error"]
    return render(request, "mailin/held.html", {"mail": mail, "form": form, "errors": errors,
                                                "warnings": warnings}, status=status)


@requires(*SENDER_ROLES)
def held(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    try:
        mail = services.held_get_for(access=access, pk=pk)
    except NotFound as exc:
        raise Http404(str(exc)) from None
    if request.method != "POST":
        return _page(request, mail, HeldForm(initial={"text": mail.text}), mail.findings)
    form = HeldForm(request.POST)
    if not form.is_valid():
        return _page(request, mail, form, mail.findings, status=422)
    try:
        services.held_submit(access=access, pk=pk, text=form.cleaned_data["text"],
                             confirmed_with_errors=form.cleaned_data["confirm_errors"])
    except DraftCheckFailed as exc:
        form.add_error(None, str(exc))
        return _page(request, mail, form, exc.findings, status=422, text=form.cleaned_data["text"])
    except Invalid as exc:
        form.add_error("text" if exc.field == "text" else None, str(exc))
        return _page(request, mail, form, mail.findings, status=422)
    except NotFound as exc:
        raise Http404(str(exc)) from None
    except TransitionError as exc:
        messages.error(request, str(exc))
        return redirect("incidents:detail", pk=mail.incident_id)
    messages.success(request, "Проект ответа из письма направлен куратору.")
    return redirect("incidents:detail", pk=mail.incident_id)
