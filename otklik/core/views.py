"""Sign-in, second factor, home and profile."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import devices_for_user
from django_otp import login as otp_login

from otklik.core.access import ALL_ROLES, requires
from otklik.core.second_factor import (
    totp_confirm,
    totp_device_pending,
    totp_qr_svg,
    totp_secret_base32,
)
from otklik.org.roles import PARTICIPANT_ROLES, Role
from otklik.org.selectors import Access


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Код из приложения",
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


def _safe_next(request: HttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].strip()
        for device in devices_for_user(request.user):
            if device.verify_is_allowed()[0] and device.verify_token(token):
                otp_login(request, device)
                return redirect(_safe_next(request))
        form.add_error("token", "Неверный код. Проверьте время на телефоне и введите новый код.")
    return render(request, "core/otp_verify.html", {"form": form, "next": _safe_next(request)})


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    device = totp_device_pending(user=request.user)  # type: ignore[arg-type]  # login_required
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if totp_confirm(device=device, token=form.cleaned_data["token"]):
            otp_login(request, device)
            return redirect("profile")
        form.add_error("token", "Код не подошёл. Отсканируйте QR-код ещё раз и введите новый код.")
    return render(
        request,
        "core/otp_setup.html",
        {"form": form, "qr_svg": totp_qr_svg(device), "secret": totp_secret_base32(device)},
    )


@requires(ALL_ROLES)
def home(request: HttpRequest, access: Access) -> HttpResponse:
    """Those who work on incidents start at their queue; others see their roles."""
    if access.has(*PARTICIPANT_ROLES):
        return redirect("incidents:queue")
    role_labels = [Role(r).label for r in sorted(access.roles)]
    return render(request, "core/home.html", {"access": access, "role_labels": role_labels})


@requires(ALL_ROLES)
def profile(request: HttpRequest, access: Access) -> HttpResponse:
    has_device = any(True for _ in devices_for_user(request.user))
    return render(request, "core/profile.html", {"access": access, "has_device": has_device})
