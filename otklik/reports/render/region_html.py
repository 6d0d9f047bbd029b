"""The regional roll-up as one standalone Russian HTML page (also the source of its PDF).

The same engine, styles, chart and table markup as the monthly report (render/html.py): autoescaped
text, inline SVG bars, no script and no external resource.
"""

from __future__ import annotations

from typing import Any

from django.template import Context

from otklik.reports.region import RegionReport
from otklik.reports.render.common import layout
from otklik.reports.render.html import _table, engine
from otklik.reports.render.region_common import region_sections, region_subtitle


def region_context(report: RegionReport) -> dict[str, Any]:
    return {
        "title": report.title,
        "subtitle": region_subtitle(report),
        "notes": list(report.notes),
        "sections": [
            {"title": s.title, "level": s.level,
             "charts": [{"chart": c, "layout": layout(c)} for c in s.charts],
             "tables": [_table(t) for t in s.tables]}
            for s in region_sections(report)
        ],
    }


def render_region_html(report: RegionReport) -> str:
    return engine().get_template("reports/region.html").render(Context(region_context(report)))


def render_region_html_body(report: RegionReport) -> str:
    """Without <html>/<head>: for a page of the app (its CSS: static reports/monthly.css)."""
    return engine().get_template("reports/region_body.html").render(Context(region_context(report)))
