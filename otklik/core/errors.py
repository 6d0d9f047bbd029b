"""Russian error pages with a way back, and the 413 answer for oversized bodies."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

TOO_LARGE = "Запрос слишком большой: уменьшите текст или число и размер файлов."


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The form was open too long or cookies are off: say so, and offer to try again."""
    return render(request, "403_csrf.html", status=403)


def too_large(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return HttpResponse(json.dumps({"detail": TOO_LARGE}, ensure_ascii=False), status=413,
                            content_type="application/json; charset=utf-8")
    return render(request, "413.html", {"message": TOO_LARGE}, status=413)
