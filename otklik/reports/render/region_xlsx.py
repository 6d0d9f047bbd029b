"""The regional roll-up as an Excel workbook: one sheet «Свод» with the table, the rankings and
native bar charts (openpyxl.chart) of the on-time and first-pass rates per municipality.

The numbers are numbers, the rates fractions formatted as percent (the region's row included, so a
reader can check that it is the ratio of the sums); the writing helpers are the monthly report's.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from otklik.reports.region import RegionReport
from otklik.reports.render.region_common import (
    FIRST_PASS_COLUMN,
    ON_TIME_COLUMN,
    SHEET,
    region_sections,
    region_subtitle,
)
from otklik.reports.render.xlsx import _bar, _widths, _write

ROW_CM = 0.53  # the default row height, for placing the second chart under the first


def render_region_xlsx(report: RegionReport) -> bytes:
    wb = Workbook()
    ws = wb.active
    if ws is None:  # a new workbook always has its sheet
        ws = wb.create_sheet()
    ws.title = SHEET
    ws.cell(1, 1, report.title).font = Font(bold=True, size=14)
    ws.cell(2, 1, region_subtitle(report))
    row = 4
    for s in region_sections(report):
        for t in s.tables:
            head, last = _write(ws, t, row)
            row = last + 2
            if t.key != "region" or not t.rows:
                continue
            data_last = last - 1  # the charts leave out the region's total: it is in the table
            column = get_column_letter(len(t.columns) + 2)
            on_time = _bar("Доля ответов в срок", ws, head, data_last, range(ON_TIME_COLUMN, ON_TIME_COLUMN + 1),
                           percent=True)
            ws.add_chart(on_time, f"{column}{head}")
            first_pass = _bar("Доля согласованных с первого раза", ws, head, data_last,
                              range(FIRST_PASS_COLUMN, FIRST_PASS_COLUMN + 1), percent=True)
            first_pass.y_axis.title = "Доля с первого раза"
            ws.add_chart(first_pass, f"{column}{head + int(on_time.height / ROW_CM) + 2}")
    if report.notes:
        ws.cell(row, 1, "Примечания").font = Font(bold=True, size=12)
        for k, note in enumerate(report.notes, start=1):
            ws.cell(row + k, 1, note)
    _widths(ws)
    ws.column_dimensions["A"].width = 52
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
