"""The registry of official pages and the access vault: thin views over selectors and services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from otklik.core.access import requires
from otklik.org.selectors import Access
from otklik.pages.forms import ChangeForm, RevealForm, RotateForm
from otklik.pages.health import page_health_check
from otklik.pages.models import OfficialPage, SecretKind
from otklik.pages.presenters import registry
from otklik.pages.selectors import (
    REGISTRY_ROLES,
    VAULT_ROLES,
    PageForbidden,
    page_get_for,
    pages_for,
)
from otklik.pages.services import PageError
from otklik.pages.vault import (
    REASON_MIN,
    secret_change,
    secret_reveal,
    secret_rotate,
    secrets_overview,
)


def _page(access: Access, pk: int, roles: tuple[str, ...]) -> OfficialPage:
    try:
        return page_get_for(access=access, pk=pk, roles=roles)
    except OfficialPage.DoesNotExist as exc:
        raise Http404("Нет такой страницы") from exc


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "core/forbidden.html", status=403)


@requires(*REGISTRY_ROLES)
def page_list(request: HttpRequest, access: Access) -> HttpResponse:
    pages = pages_for(access=access).select_related("unit", "municipality").prefetch_related("responsible")
    return render(request, "pages/list.html", {
        "organisations": registry(pages, timezone.now()),
        "can_vault": access.has(*VAULT_ROLES),
    })


@requires(*REGISTRY_ROLES)
def page_check_now(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    page = _page(access, pk, REGISTRY_ROLES)
    if request.method == "POST":
        page = page_health_check(page=page)
        text = f"«{page.name}»: {page.check_message}"
        if page.status_detail:
            text += f" {page.status_detail}"
        (messages.success if page.check_ok and page.page_open is not False and page.comments_open is not False
         else messages.error)(request, text)
    return redirect(f"{reverse('pages:list')}#page-{page.pk}")


@sensitive_variables("revealed")
def _vault(request: HttpRequest, access: Access, page: OfficialPage, *, revealed: str = "",
           revealed_kind: str = "", reveal_form: RevealForm | None = None, status: int = 200) -> HttpResponse:
    context: dict[str, Any] = {
        "page": page,
        "secrets": secrets_overview(page=page),
        "events": page.events.order_by("-seq")[:100],
        "revealed": revealed,
        "revealed_label": SecretKind(revealed_kind).label if revealed_kind else "",
        "reveal_form": reveal_form,
        "reason_min": REASON_MIN,
    }
    return render(request, "pages/vault.html", context, status=status)


@never_cache
@requires(*VAULT_ROLES)
def page_vault(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    return _vault(request, access, _page(access, pk, VAULT_ROLES))


@never_cache
@sensitive_variables("plain")
@requires(*VAULT_ROLES)
def page_reveal(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    page = _page(access, pk, VAULT_ROLES)
    if request.method != "POST":
        return redirect("pages:vault", pk=page.pk)
    form = RevealForm(request.POST)
    if not form.is_valid():
        return _vault(request, access, page, reveal_form=form, status=400)
    try:
        plain = secret_reveal(access=access, page_id=page.pk, kind=form.cleaned_data["kind"],
                              reason=form.cleaned_data["reason"])
    except PageForbidden:
        return _forbidden(request)
    except PageError as exc:
        messages.error(request, str(exc))
        return redirect("pages:vault", pk=page.pk)
    return _vault(request, access, page, revealed=plain, revealed_kind=form.cleaned_data["kind"])


@never_cache
@sensitive_post_parameters("value")
@requires(*VAULT_ROLES)
def page_secret_change(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    page = _page(access, pk, VAULT_ROLES)
    if request.method != "POST":
        return redirect("pages:vault", pk=page.pk)
    form = ChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Введите новое значение.")
        return redirect("pages:vault", pk=page.pk)
    kind = SecretKind(form.cleaned_data["kind"])
    try:
        secret_change(access=access, page_id=page.pk, kind=kind, value=form.cleaned_data["value"])
    except PageForbidden:
        return _forbidden(request)
    except PageError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{kind.label}: новое значение сохранено.")
    return redirect("pages:vault", pk=page.pk)


@never_cache
@sensitive_variables("plain")
@requires(*VAULT_ROLES)
def page_secret_rotate(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    page = _page(access, pk, VAULT_ROLES)
    if request.method != "POST":
        return redirect("pages:vault", pk=page.pk)
    form = RotateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Создать новый можно только пароль.")
        return redirect("pages:vault", pk=page.pk)
    try:
        plain = secret_rotate(access=access, page_id=page.pk, kind=form.cleaned_data["kind"])
    except PageForbidden:
        return _forbidden(request)
    except PageError as exc:
        messages.error(request, str(exc))
        return redirect("pages:vault", pk=page.pk)
    return _vault(request, access, page, revealed=plain, revealed_kind=form.cleaned_data["kind"])
