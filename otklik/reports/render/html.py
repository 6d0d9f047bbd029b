"""The monthly report as one standalone Russian HTML page (also the source of the PDF).

Django's template engine with autoescape renders every text; the charts are inline SVG built from
common.layout() — no script, no external resource. The body (reports/_monthly_body.html) and its
styles (static reports/monthly.css) can be included in the app's base template as they are.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from django.template import Context, Engine

from otklik.reports.monthly import MonthlyReport
from otklik.reports.render.common import Table, layout, sections, subtitle

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# The styles live once, as the static file the app's pages link (strict CSP); the standalone
# page and the PDF include the same file.
STATIC = Path(__file__).resolve().parent.parent / "static"


@cache
def engine() -> Engine:
    """A private engine: the report renders whether or not otklik.reports is an installed app."""
    return Engine(dirs=[str(TEMPLATES), str(STATIC)], app_dirs=False, autoescape=True, debug=False)


def _table(t: Table) -> dict[str, Any]:
    texts = t.text_rows()
    last = len(t.rows) - 1
    return {
        "key": t.key, "title": t.title, "empty": t.empty,
        "columns": [{"title": c.title, "num": c.kind in ("int", "pct")} for c in t.columns],
        "rows": [
            {"link": t.link(i), "total": t.total and i == last,
             "cells": [{"text": x, "num": c.kind in ("int", "pct")} for x, c in zip(row, t.columns, strict=True)]}
            for i, row in enumerate(texts)
        ],
    }


def context(report: MonthlyReport) -> dict[str, Any]:
    return {
        "title": report.title,
        "subtitle": subtitle(report),
        "notes": list(report.notes),
        "sections": [
            {"title": s.title, "level": s.level,
             "charts": [{"chart": c, "layout": layout(c)} for c in s.charts],
             "tables": [_table(t) for t in s.tables]}
            for s in sections(report)
        ],
    }


def render_html(report: MonthlyReport) -> str:
    return engine().get_template("reports/monthly.html").render(Context(context(report)))


def render_html_body(report: MonthlyReport) -> str:
    """The report without <html>/<head>: for a page of the app (its CSS: static reports/monthly.css)."""
    return engine().get_template("reports/_monthly_body.html").render(Context(context(report)))
