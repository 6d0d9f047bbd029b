"""The answer when the database cannot be reached: 503 in Russian with Retry-After, never a 500.

A PostgreSQL restart or fail-over cuts every open connection; requests in flight get
OperationalError/InterfaceError, and the next ones cannot connect until it is back. That is
not a fault of the page: the person is told to wait a moment, and a client (the regional
system) reads Retry-After. Nothing is half-written: each action is one transaction, rolled
back by the database when its connection dies.

Django turns an exception raised anywhere below the outermost middleware into the 500
handler's answer (the session and the user are read lazily inside middleware), so the check
lives in the 500 handler, where the exception being handled is still known.
"""

from __future__ import annotations

import json
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views.defaults import server_error as django_server_error

RETRY_AFTER_SECONDS = 10
MESSAGE = ("База данных временно недоступна (перезапуск или обслуживание). Ничего не потеряно: "
           "повторите действие через несколько секунд.")


def database_unavailable(exc: BaseException | None) -> bool:
    """The error means «the database is not there now», not a bug of ours."""
    while exc is not None:
        if isinstance(exc, OperationalError | InterfaceError):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 without touching the database (no session, no user, no context processors)."""
    if request.path.startswith("/api/"):
        response = HttpResponse(json.dumps({"detail": MESSAGE}, ensure_ascii=False), status=503,
                                content_type="application/json; charset=utf-8")
    else:
        response = HttpResponse(loader.render_to_string("503.html", {"message": MESSAGE}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database outage is a 503 with Retry-After; anything else the Russian 500."""
    if database_unavailable(sys.exc_info()[1]):
        return unavailable_response(request)
    return django_server_error(request)
