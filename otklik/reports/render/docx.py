"""The monthly report as a Word document a clerk can edit.

Sections are Heading 1 / Heading 2 paragraphs (Word builds the table of contents from them; the
document opens with a TOC field that Word fills on «Обновить поле»), every number is in a table,
the charts are PNG pictures (png.py) with a caption.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from otklik.reports.monthly import MonthlyReport
from otklik.reports.render.common import Table, sections, subtitle
from otklik.reports.render.png import chart_png, font_found

NUMERIC = ("int", "pct")


def _toc(doc: DocxDocument) -> None:
    """A TOC field over Heading 1–2: Word fills it when the clerk updates the field (F9)."""
    p = doc.add_paragraph()
    run = p.add_run()
    begin, instr, separate, end = (OxmlElement("w:fldChar"), OxmlElement("w:instrText"),
                                   OxmlElement("w:fldChar"), OxmlElement("w:fldChar"))
    begin.set(qn("w:fldCharType"), "begin")
    instr.set(qn("xml:space"), "preserve")
    instr.text = 'TOC \\o "1-2" \\h \\z \\u'
    separate.set(qn("w:fldCharType"), "separate")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(instr)
    run._r.append(separate)
    placeholder = p.add_run("Оглавление: щёлкните здесь правой кнопкой и выберите «Обновить поле».")
    placeholder.italic = True
    p.add_run()._r.append(end)


def _hyperlink(paragraph: Paragraph, url: str, text: str) -> None:
    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    props.append(style)
    color = OxmlElement("w:color")  # the schema's order: color before u
    color.set(qn("w:val"), "1F5FA8")
    props.append(color)
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    props.append(underline)
    run.append(props)
    t = OxmlElement("w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def _repeat_header(cell: _Cell) -> None:
    tr_pr = cell._tc.getparent().get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _table(doc: DocxDocument, t: Table) -> None:
    caption = doc.add_paragraph(t.title)
    caption.runs[0].bold = True
    caption.paragraph_format.keep_with_next = True
    if not t.rows:
        doc.add_paragraph(t.empty).runs[0].italic = True
        return
    table = doc.add_table(rows=1, cols=len(t.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, col in zip(table.rows[0].cells, t.columns, strict=True):
        cell.text = col.title
        run = cell.paragraphs[0].runs[0]
        run.bold = True
        if col.kind in NUMERIC:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _repeat_header(table.rows[0].cells[0])
    last = len(t.rows) - 1
    for i, row in enumerate(t.text_rows()):
        cells = table.add_row().cells
        for j, (cell, text, col) in enumerate(zip(cells, row, t.columns, strict=True)):
            p = cell.paragraphs[0]
            link = t.link(i) if j == 0 else ""
            if link.lower().startswith(("http://", "https://")):
                _hyperlink(p, link, text)
            else:
                run = p.add_run(text)
                run.bold = t.total and i == last
                if link:  # a path inside Otklik: shown, for the reader to open in the app
                    small = p.add_run(f"\n{link}")
                    small.font.size = Pt(8)
                    small.font.color.rgb = RGBColor(0x66, 0x66, 0x66)
            if col.kind in NUMERIC:
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row_ in table.rows:
        for cell in row_.cells:
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(10)
    doc.add_paragraph()


def render_docx(report: MonthlyReport) -> bytes:
    return build_docx(title=report.title, subtitle_text=subtitle(report), parts=sections(report),
                      notes=report.notes, landscape=False, toc=True)


def build_docx(*, title: str, subtitle_text: str, parts: Iterable[Any], notes: Iterable[str], landscape: bool,
               toc: bool) -> bytes:
    """A report document: A4 (landscape for wide tables), Russian Normal style, headings Word
    turns into a table of contents, charts as pictures with captions, tables, notes."""
    doc = Document()
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21)
        section.left_margin = section.right_margin = Cm(1.5)
        section.top_margin = section.bottom_margin = Cm(1.5)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2)
        section.top_margin = section.bottom_margin = Cm(1.8)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "ru-RU")
    normal.element.get_or_add_rPr().append(lang)
    doc.core_properties.title = title
    doc.core_properties.author = "Отклик"
    doc.core_properties.language = "ru-RU"

    doc.add_paragraph(title, style="Title")
    doc.add_paragraph(subtitle_text)
    if toc:
        _toc(doc)
    if not font_found():
        warn = doc.add_paragraph("Шрифт DejaVu Sans не найден: подписи диаграмм набраны запасным шрифтом "
                                 "и могут быть неразборчивы; числа — в таблицах.")
        warn.runs[0].italic = True
    for s in parts:
        doc.add_heading(s.title, level=s.level)
        for chart in s.charts:
            doc.add_picture(io.BytesIO(chart_png(chart)), width=Cm(15))
            doc.paragraphs[-1].paragraph_format.keep_with_next = True
            cap = doc.add_paragraph(f"Рисунок. {chart.title}." + (f" {chart.note}" if chart.note else ""))
            cap.runs[0].italic = True
            cap.runs[0].font.size = Pt(10)
        for t in s.tables:
            _table(doc, t)
    notes = list(notes)
    if notes:
        doc.add_heading("Примечания", level=1)
        for note in notes:
            doc.add_paragraph(note, style="List Bullet")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
