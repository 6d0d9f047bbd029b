"""Second factor: a person with a TOTP device must verify it; some roles must have one."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

from otklik.core.access import request_access
from otklik.org.roles import SECOND_FACTOR_ROLES

EXEMPT_PREFIXES = ("/static/", "/media/", "/api/")


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and not user.is_verified()  # type: ignore[attr-defined]  # set by OTPMiddleware
        ):
            exempt = {reverse("otp-verify"), reverse("otp-setup"), reverse("logout")}
            if request.path not in exempt:
                if user_has_device(user):
                    return redirect(f"{reverse('otp-verify')}?next={request.get_full_path()}")
                access = request_access(request)
                if (
                    settings.OTKLIK_REQUIRE_2FA
                    and access is not None
                    and access.roles & SECOND_FACTOR_ROLES
                ):
                    return redirect("otp-setup")
        return self.get_response(request)


class MunicipalityTimeZoneMiddleware:
    """Show times in the signed-in person's municipality time zone (Russian format is LANGUAGE_CODE)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from zoneinfo import ZoneInfo

        from django.utils import timezone

        access = request_access(request) if request.user.is_authenticated else None
        municipality = access.person.municipality if access else None
        if municipality is not None:
            timezone.activate(ZoneInfo(municipality.time_zone))
        else:
            timezone.deactivate()
        return self.get_response(request)


class BodyLimitMiddleware:
    """413 in Russian for a body over the limit, before anything reads it.

    A declared Content-Length over the limit is refused at once; a chunked body that grows
    past it is caught when Django raises RequestDataTooBig while reading.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from otklik.core.errors import too_large

        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        multipart = str(request.META.get("CONTENT_TYPE", "")).startswith("multipart/")
        limit = settings.OTKLIK_MAX_UPLOAD_BYTES if multipart else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if length > limit:
            return too_large(request)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from otklik.core.errors import too_large

        if isinstance(exception, RequestDataTooBig):
            return too_large(request)
        return None
