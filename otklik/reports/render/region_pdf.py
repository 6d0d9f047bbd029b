"""The regional roll-up as PDF: its HTML page (region_html.py) set by WeasyPrint, A4 landscape.

As the monthly report's PDF (render/pdf.py): DejaVu Sans embedded, nothing fetched.
"""

from __future__ import annotations

import logging

from otklik.reports.region import RegionReport
from otklik.reports.render.region_html import render_region_html


def render_region_pdf(report: RegionReport, *, compress: bool = True) -> bytes:
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    document = HTML(string=render_region_html(report), url_fetcher=URLFetcher(allowed_protocols=()))
    pdf = document.write_pdf(uncompressed_pdf=not compress)
    if pdf is None:  # only when given a target to write to
        raise RuntimeError("WeasyPrint returned no PDF")
    return bytes(pdf)
