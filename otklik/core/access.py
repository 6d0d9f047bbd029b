"""The role check every view carries: signed in, a staff person, one of the named roles.

Scope (municipality, unit) is enforced by the selectors the view calls; the decorator marks
the view with its roles so a test can walk the URL map and check every view refuses.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from otklik.org.selectors import Access, access_for

ALL_ROLES = "*"

View = Callable[..., HttpResponse]


def request_access(request: HttpRequest) -> Access | None:
    cached = getattr(request, "_otklik_access", False)
    if cached is False:
        cached = access_for(request.user)
        request._otklik_access = cached  # type: ignore[attr-defined]  # per-request cache
    return cast(Access | None, cached)


def requires(*roles: str) -> Callable[[View], View]:
    """Allow the view to people holding any of `roles` (ALL_ROLES: any staff person)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            access = request_access(request)
            if access is None or (ALL_ROLES not in roles and not access.has(*roles)):
                return render(request, "core/forbidden.html", status=403)
            return view(request, access, *args, **kwargs)

        wrapper.otklik_roles = roles  # type: ignore[attr-defined]  # read by the URL-map test
        return wrapper

    return decorate
