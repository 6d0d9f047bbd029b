"""The regional roll-up as a Word document: the monthly report's layout (render/docx.py) in landscape,
its tables and the charts as PNG pictures (png.py)."""

from __future__ import annotations

from otklik.reports.region import RegionReport
from otklik.reports.render.docx import build_docx
from otklik.reports.render.region_common import region_sections, region_subtitle


def render_region_docx(report: RegionReport) -> bytes:
    return build_docx(title=report.title, subtitle_text=region_subtitle(report), parts=region_sections(report),
                      notes=report.notes, landscape=True, toc=False)  # landscape: eleven columns
