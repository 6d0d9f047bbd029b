"""The monthly report as PDF: the HTML page (html.py) set by WeasyPrint, A4, numbered pages.

The text is set in DejaVu Sans (fonts-dejavu-core; scripts/fonts.sh installs it): WeasyPrint
embeds the subset it uses, so the PDF reads the same on any computer. Nothing is fetched while
rendering: the page has no external resource, and the fetcher refuses every URL.
"""

from __future__ import annotations

import logging

from otklik.reports.monthly import MonthlyReport
from otklik.reports.render.html import render_html


def render_pdf(report: MonthlyReport, *, compress: bool = True) -> bytes:
    """`compress=False` leaves the streams readable (the tests read the text back from them)."""
    # WeasyPrint tells every step (from its import on) at INFO: the command's output keeps to the result.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    document = HTML(string=render_html(report), url_fetcher=URLFetcher(allowed_protocols=()))
    pdf = document.write_pdf(uncompressed_pdf=not compress)
    if pdf is None:  # only when given a target to write to
        raise RuntimeError("WeasyPrint returned no PDF")
    return bytes(pdf)
