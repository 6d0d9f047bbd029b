"""The monthly report as an Excel workbook: one sheet per table, the numbers as numbers.

Shares are fractions formatted as percent, deadlines are local date-times, the overdue incidents
are hyperlinks; native bar charts (openpyxl.chart) on «Сводка», «Этапы» and the count sheets.
Every row is written: no cap.
"""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from otklik.reports.monthly import MonthlyReport
from otklik.reports.render.common import MISSING, Table, fmt_cell, sections, subtitle

SHEETS = ("Сводка", "Этапы", "Причины возврата", "Без ответа", "Подразделения", "Темы", "Места", "Сети",
          "Страницы", "Модерация", "Просрочки")
HEADER_FILL = PatternFill("solid", fgColor="EEF2F7")
CHARTED = {"returns", "topics", "locations", "networks"}  # count tables with a chart in every format


def _write(ws: Worksheet, t: Table, row: int) -> tuple[int, int]:
    """The table's title, header and rows from `row`; returns (header row, last row)."""
    ws.cell(row, 1, t.title).font = Font(bold=True, size=12)
    head = row + 1
    for j, col in enumerate(t.columns, start=1):
        c = ws.cell(head, j, col.title)
        c.font = Font(bold=True)
        c.fill = HEADER_FILL
        c.alignment = Alignment(wrap_text=True, vertical="top")
    if not t.rows:
        ws.cell(head + 1, 1, t.empty).font = Font(italic=True)
        return head, head
    last = len(t.rows) - 1
    for i, values in enumerate(t.rows):
        r = head + 1 + i
        for j, (value, col) in enumerate(zip(values, t.columns, strict=True), start=1):
            c = ws.cell(r, j, value)
            if value is None:
                c.value = MISSING if col.kind == "text" else None
            elif isinstance(value, float):
                c.number_format = "0.0%"
            elif isinstance(value, datetime):
                c.number_format = "DD.MM.YYYY HH:MM"
            if t.total and i == last:
                c.font = Font(bold=True)
        link = t.link(i)
        if link:
            c = ws.cell(r, 1)
            c.hyperlink = link
            c.style = "Hyperlink"
    return head, head + len(t.rows)


def _widths(ws: Worksheet) -> None:
    for col in ws.iter_cols(min_row=1, max_row=ws.max_row):
        longest = 8
        for c in col:
            if c.value is None or c.font.size == 12:  # the titles spill over empty cells
                continue
            text = fmt_cell(c.value, "text") if not isinstance(c.value, str) else c.value
            longest = max(longest, min(len(text), 60))
        ws.column_dimensions[get_column_letter(col[0].column)].width = longest + 2


def _bar(title: str, ws: Worksheet, head: int, last: int, cols: range, *, percent: bool = False) -> BarChart:
    chart = BarChart()
    chart.type = "bar"  # horizontal: the long Russian labels stay readable
    chart.title = title
    chart.style = 10
    data = Reference(ws, min_col=cols.start, max_col=cols.stop - 1, min_row=head, max_row=last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=head + 1, max_row=last))
    chart.y_axis.title = "Доля в срок" if percent else "Количество"
    if percent:
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 1
        chart.y_axis.numFmt = "0%"
    chart.x_axis.scaling.orientation = "maxMin"  # the first row on top, as in the table
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    chart.height = max(7.5, 1.2 + 0.9 * (last - head) * max(1, len(cols) // 2))
    chart.width = 18
    return chart


def render_xlsx(report: MonthlyReport) -> bytes:
    wb = Workbook()
    sheets: dict[str, Worksheet] = {}
    first = wb.active
    if first is None:  # a new workbook always has its sheet
        first = wb.create_sheet()
    for i, name in enumerate(SHEETS):
        ws = first if i == 0 else wb.create_sheet()
        ws.title = name
        sheets[name] = ws
    summary = sheets["Сводка"]
    summary.cell(1, 1, report.title).font = Font(bold=True, size=14)
    summary.cell(2, 1, subtitle(report))
    next_row = {name: (4 if name == "Сводка" else 1) for name in SHEETS}
    for s in sections(report):
        for t in s.tables:
            ws = sheets[t.sheet]
            head, last = _write(ws, t, next_row[t.sheet])
            next_row[t.sheet] = last + 2
            if not t.rows:
                continue
            ws.freeze_panes = ws.cell(head + 1, 2) if t.sheet != "Сводка" else None
            data_rows = last - 1 if t.total else last  # the charts leave out the total
            anchor = f"{get_column_letter(len(t.columns) + 2)}{head}"
            if t.key == "headline":
                ws.add_chart(_bar("Этот месяц, месяц и год назад", ws, head, last, range(2, 5)), anchor)
            elif t.key == "steps":
                ws.add_chart(_bar("Доля в срок по этапам", ws, head, last, range(5, 6), percent=True), anchor)
            elif t.key in CHARTED and data_rows > head:
                ws.add_chart(_bar(t.title, ws, head, data_rows, range(2, 3)), anchor)
    if report.notes:
        row = next_row["Сводка"]
        summary.cell(row, 1, "Примечания").font = Font(bold=True, size=12)
        for k, note in enumerate(report.notes, start=1):
            summary.cell(row + k, 1, note)
    for ws in sheets.values():
        _widths(ws)
    summary.column_dimensions["A"].width = 52
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
