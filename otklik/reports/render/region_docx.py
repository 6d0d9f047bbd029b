"""The regional roll-up as a Word document: the monthly report's layout (render/docx.py) in landscape,
its tables and the charts as PNG pictures (png.py)."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from otklik.reports.region import RegionReport
from otklik.reports.render.docx import _table
from otklik.reports.render.png import chart_png, font_found
from otklik.reports.render.region_common import region_sections, region_subtitle


def render_region_docx(report: RegionReport) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE  # eleven columns
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    section.left_margin = section.right_margin = Cm(1.5)
    section.top_margin = section.bottom_margin = Cm(1.5)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "ru-RU")
    normal.element.get_or_add_rPr().append(lang)
    doc.core_properties.title = report.title
    doc.core_properties.author = "Отклик"
    doc.core_properties.language = "ru-RU"

    doc.add_paragraph(report.title, style="Title")
    doc.add_paragraph(region_subtitle(report))
    if not font_found():
        warn = doc.add_paragraph("Шрифт DejaVu Sans не найден: подписи диаграмм набраны запасным шрифтом "
                                 "и могут быть неразборчивы; числа — в таблицах.")
        warn.runs[0].italic = True
    for s in region_sections(report):
        doc.add_heading(s.title, level=s.level)
        for chart in s.charts:
            doc.add_picture(io.BytesIO(chart_png(chart)), width=Cm(15))
            doc.paragraphs[-1].paragraph_format.keep_with_next = True
            cap = doc.add_paragraph(f"Рисунок. {chart.title}." + (f" {chart.note}" if chart.note else ""))
            cap.runs[0].italic = True
            cap.runs[0].font.size = Pt(10)
        for t in s.tables:
            _table(doc, t)
    if report.notes:
        doc.add_heading("Примечания", level=1)
        for note in report.notes:
            doc.add_paragraph(note, style="List Bullet")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
