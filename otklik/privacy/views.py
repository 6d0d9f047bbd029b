"""The administrator's page of personal data: the retention term, erasure and export on request,
the erasures done and the log of who opened what. Administrator of the municipality only."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from otklik.core.access import requires
from otklik.org.models import Municipality
from otklik.org.roles import Role
from otklik.org.selectors import Access
from otklik.privacy.access_log import PAGE_SIZE, access_log_for
from otklik.privacy.erasure import author_erase
from otklik.privacy.errors import PrivacyError
from otklik.privacy.export import author_export
from otklik.privacy.forms import EraseForm, ExportForm, PolicyForm
from otklik.privacy.models import Erasure
from otklik.privacy.notice import erasure_notice
from otklik.privacy.policy import policy_for, policy_set


def _municipality(access: Access) -> Municipality:
    if access.person.municipality is None:
        raise Http404("Нет МО")
    return access.person.municipality


def _page(request: HttpRequest, access: Access, status: int = 200, **forms: Any) -> HttpResponse:
    municipality = _municipality(access)
    policy = policy_for(municipality)
    return render(request, "privacy/home.html", {
        "policy": policy,
        "policy_form": forms.get("policy_form") or PolicyForm(initial={
            "keep_years": policy.keep_years, "access_log_years": policy.access_log_years}),
        "erase_form": forms.get("erase_form") or EraseForm(initial={"requested_on": timezone.localdate()}),
        "export_form": forms.get("export_form") or ExportForm(),
        "erasures": Erasure.objects.filter(municipality=municipality).select_related("by")[:50],
    }, status=status)


@requires(Role.ADMINISTRATOR)
def home(request: HttpRequest, access: Access) -> HttpResponse:
    if request.method != "POST":
        return _page(request, access)
    form = PolicyForm(request.POST)
    if not form.is_valid():
        return _page(request, access, status=400, policy_form=form)
    try:
        policy_set(municipality=_municipality(access), keep_years=form.cleaned_data["keep_years"],
                   access_log_years=form.cleaned_data["access_log_years"], by=access.person)
    except PrivacyError as exc:
        form.add_error(None, str(exc))
        return _page(request, access, status=400, policy_form=form)
    messages.success(request, "Срок хранения сохранён.")
    return redirect("privacy:home")


@requires(Role.ADMINISTRATOR)
def erase(request: HttpRequest, access: Access) -> HttpResponse:
    if request.method != "POST":
        return redirect("privacy:home")
    form = EraseForm(request.POST)
    if not form.is_valid():
        return _page(request, access, status=400, erase_form=form)
    try:
        erasure = author_erase(municipality=_municipality(access), author_url=form.cleaned_data["author_url"],
                               reason=form.cleaned_data["reason"], requested_on=form.cleaned_data["requested_on"],
                               by=access.person)
    except PrivacyError as exc:
        form.add_error(None, str(exc))
        return _page(request, access, status=400, erase_form=form)
    messages.success(request, "Персональные данные удалены. Отчёт ниже можно передать автору.")
    return redirect("privacy:erasure", pk=erasure.pk)


@requires(Role.ADMINISTRATOR)
def export(request: HttpRequest, access: Access) -> HttpResponse:
    if request.method != "POST":
        return redirect("privacy:home")
    form = ExportForm(request.POST)
    if not form.is_valid():
        return _page(request, access, status=400, export_form=form)
    try:
        document = author_export(municipality=_municipality(access), author_url=form.cleaned_data["author_url"],
                                 by=access.person)
    except PrivacyError as exc:
        form.add_error(None, str(exc))
        return _page(request, access, status=400, export_form=form)
    response = HttpResponse(json.dumps(document, ensure_ascii=False, indent=2),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="personal-data-{timezone.localdate():%Y-%m-%d}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@requires(Role.ADMINISTRATOR)
def erasure_detail(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    erasure = Erasure.objects.filter(pk=pk, municipality=_municipality(access)).select_related("municipality").first()
    if erasure is None:
        raise Http404("Запись об удалении не найдена")
    return render(request, "privacy/erasure.html", {"erasure": erasure, "notice": erasure_notice(erasure)})


@requires(Role.ADMINISTRATOR)
def log(request: HttpRequest, access: Access) -> HttpResponse:
    raw = (request.GET.get("incident") or "").strip().lstrip("№ ")
    incident_id = int(raw) if raw.isdigit() else None
    error = "Номер сообщения — только цифры." if raw and incident_id is None else ""
    page = Paginator(access_log_for(access=access, incident_id=incident_id), PAGE_SIZE) \
        .get_page(request.GET.get("page"))
    return render(request, "privacy/log.html", {"page": page, "incident": raw, "error": error,
                                                "policy": policy_for(_municipality(access))})
