"""The browsable API page (Swagger UI) served from the files shipped inside django-ninja, so
nothing is loaded from a CDN (ninja would use one unless "ninja" is in INSTALLED_APPS)."""

from __future__ import annotations

import json
import mimetypes
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ninja
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import escape
from ninja.openapi.docs import Swagger

if TYPE_CHECKING:
    from ninja import NinjaAPI

STATIC_DIR = Path(ninja.__file__).parent / "static" / "ninja"
SERVED = frozenset({"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-init.js", "favicon.png"})

PAGE = """<!DOCTYPE html>
<html lang="ru">
<head>
  <meta charset="utf-8">
  <title>{title}</title>
  <link rel="stylesheet" href="{css}">
  <link rel="icon" href="{icon}">
</head>
<body data-csrf-token="" data-api-csrf="">
  <script type="application/json" id="swagger-settings">{settings}</script>
  <div id="swagger-ui"></div>
  <script src="{bundle}"></script>
  <script src="{init}"></script>
</body>
</html>
"""


def docs_static(request: HttpRequest, name: str) -> FileResponse:
    if name not in SERVED:
        raise Http404(name)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse((STATIC_DIR / name).open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response


def docs_static_urls() -> list[URLPattern]:
    return [path("docs/static/<str:name>", docs_static, name="docs-static")]


class LocalSwagger(Swagger):
    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)

        def asset(name: str) -> str:
            return escape(reverse(f"{api.urls_namespace}:docs-static", kwargs={"name": name}))

        html = PAGE.format(
            title=escape(api.title),
            css=asset("swagger-ui.css"), icon=asset("favicon.png"),
            bundle=asset("swagger-ui-bundle.js"), init=asset("swagger-ui-init.js"),
            settings=json.dumps(self.settings).replace("<", "\\u003c"),
        )
        return HttpResponse(html)
