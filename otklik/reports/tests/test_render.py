"""The monthly report in every format, read back: the same numbers everywhere, every text escaped.

The report is built by hand (sample_report below); each format is rendered, then opened with its own reader
(lxml for HTML, python-docx, openpyxl, the PDF's own streams) and searched for the numbers.
"""

from __future__ import annotations

import importlib.util
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import docx
import lxml.html
import openpyxl
import pytest
from django.core.management import CommandError, call_command

from otklik.reports.monthly import (
    CadenceRow,
    Figure,
    MonthlyReport,
    OverdueItem,
    Share,
    StepRow,
    UnitRow,
)
from otklik.reports.render.common import fmt_pct, sections
from otklik.reports.render.docx import render_docx
from otklik.reports.render.html import render_html
from otklik.reports.render.pdf import render_pdf
from otklik.reports.render.xlsx import SHEETS, render_xlsx

CHARTS = 6  # headline, steps, returns, topics, locations, networks

# --- a monthly report built by hand, with known numbers ------------------------------------------

HOSTILE = "<b>Улица</b>"


def sample_report() -> MonthlyReport:
    return MonthlyReport(
        municipality="Пластуновское сельское поселение",
        slug="plastunovskoe",
        month=date(2026, 10, 1),
        generated_at=datetime(2026, 11, 2, 6, 30, tzinfo=UTC),
        time_zone="Europe/Moscow",
        headline=(
            Figure("received", "Получено сообщений", 1234, 1100, 987),
            Figure("high", "Повышенной важности", 17, 21, None),
            Figure("publications", "Публикации в соцсетях", 58, 49, 40),
            Figure("answered", "Дан ответ", 1190, 1051, 950),
            Figure("on_time", "Ответ в срок", 1143, None, None),
            Figure("overdue", "Ответ с нарушением срока", 47, 52, 61),
        ),
        steps=(
            StepRow("route", "Направление исполнителю (п. 10)", 811, 797, 14, 95),
            StepRow("draft", "Проект ответа (п. 12)", 640, 600, 40, 312),
            StepRow("approve", "Согласование (п. 14)", 733, 733, 0, 0),
        ),
        no_answer_by_reason=(Share("Нецензурные выражения", 29), Share("Угрозы", 3)),
        returns_by_reason=(Share("Несоответствие сути вопроса", 41), Share("Нет приветствия автора", 26),
                           Share("Орфографические ошибки", 13)),
        first_pass_rate=0.875,
        units=(
            UnitRow("Отдел ЖКХ", 312, 271, (Share("Несоответствие сути вопроса", 30), Share("Орфографические ошибки", 11))),
            UnitRow("МКУ «Благоустройство»", 118, 103, (Share("Нет приветствия автора", 15),)),
        ),
        by_topic=(Share("Дороги", 406), Share("Вывоз мусора", 377), Share("Освещение", 88)),
        by_location=(Share(HOSTILE, 519), Share("ст. Пластуновская", 702)),
        by_network=(Share("ВКонтакте", 903), Share("Одноклассники", 219), Share("Telegram", 112)),
        intermediate=64,
        final_on_time=59,
        cadence=(
            CadenceRow("Администрация (VK)", "ВКонтакте", 4, 1, 23),
            CadenceRow("Администрация (ОК)", "Одноклассники", 4, 0, 31),
        ),
        moderation=(Share("Удалено: спам", 148), Share("Внесено в чёрный список", 7), Share("Восстановлено", 4)),
        overdue=(
            OverdueItem(4711, "/incidents/4711/", "Проект ответа (п. 12)", "Отдел ЖКХ",
                        datetime(2026, 10, 14, 12, 0, tzinfo=UTC), 312, True),
            OverdueItem(4822, "javascript:alert(1)", "Размещение ответа (п. 16)", "Иванова И. И.",
                        datetime(2026, 10, 30, 13, 30, tzinfo=UTC), 95, False),
        ),
        notes=("Данные за октябрь 2025 года неполные: учёт начат 15.10.2025.",),
    )


# Every number of the report as the formats write it: each must be found in each format.
NUMBERS = (
    "1234", "1100", "987", "17", "21", "58", "49", "40", "1190", "1051", "950", "1143", "47", "52", "61",
    "811", "797", "14", "95", "640", "600", "312", "733", "29", "3", "41", "26", "13", "271", "118", "103",
    "406", "377", "88", "519", "702", "903", "219", "112", "64", "59", "23", "31", "148", "7", "4",
    "4711", "4822",
)
SHARES = ("87,5\u00a0%", "98,3\u00a0%", "93,8\u00a0%", "100,0\u00a0%")


# --- reading each format back -------------------------------------------------------------------

def html_text(report: MonthlyReport) -> str:
    return "\n".join(lxml.html.fromstring(render_html(report)).itertext())  # cells apart


def docx_text(report: MonthlyReport) -> str:
    d = docx.Document(io.BytesIO(render_docx(report)))
    return "\n".join(c.text for t in d.tables for row in t.rows for c in row.cells)


def xlsx_text(report: MonthlyReport) -> str:
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))
    out = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:  # a share is a number in percent format (1.0 comes back as the int 1)
                v = c.value
                out.append(fmt_pct(float(v)) if "%" in c.number_format and isinstance(v, int | float)
                           else "" if v is None else str(v))
    return "\n".join(out)


def pdf_text(pdf: bytes) -> str:
    """The text of an uncompressed WeasyPrint PDF: each font's glyph codes through its ToUnicode map.

    (pypdf is not a dependency; WeasyPrint names a font resource by its subset tag.)
    """
    objects = {int(m[1]): m[2] for m in re.finditer(rb"(?s)(\d+) 0 obj(.*?)endobj", pdf)}
    maps: dict[bytes, dict[bytes, str]] = {}
    for body in objects.values():
        font = re.search(rb"/BaseFont\s*/(\w+)\+", body)
        to_unicode = re.search(rb"/ToUnicode\s+(\d+) 0 R", body)
        if not (font and to_unicode):
            continue
        cmap = objects[int(to_unicode[1])]
        table: dict[bytes, str] = {}
        for block in re.findall(rb"(?s)beginbfchar(.*?)endbfchar", cmap):
            for code, uni in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                table[code.lower()] = bytes.fromhex(uni.decode()).decode("utf-16-be")
        for block in re.findall(rb"(?s)beginbfrange(.*?)endbfrange", cmap):
            for a, b, start in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                width = len(a)
                for k in range(int(a, 16), int(b, 16) + 1):
                    code = f"{k:0{width}x}".encode()
                    table[code] = chr(int(start, 16) + k - int(a, 16))
        maps[font[1]] = table
    assert maps, "no font with a ToUnicode map"
    lines = []
    for body in objects.values():
        if b"stream" not in body or (b" TJ" not in body and b" Tj" not in body):
            continue
        current: dict[bytes, str] = {}
        for m in re.finditer(rb"/(\w+) [\d.]+ Tf|\[(.*?)\]\s*TJ|<([0-9a-fA-F]+)>\s*Tj", body, re.S):
            if m[1]:
                current = maps.get(m[1], {})
                continue
            hexes = re.findall(rb"<([0-9a-fA-F]+)>", m[2]) if m[2] else [m[3]]
            text = "".join(current.get(h[i:i + 4].lower(), "?") for h in hexes for i in range(0, len(h), 4))
            lines.append(text)
    return "\n".join(lines)


def pdf_of(report: MonthlyReport) -> str:
    return pdf_text(render_pdf(report, compress=False))


READERS: dict[str, Callable[[MonthlyReport], str]] = {
    "html": html_text, "docx": docx_text, "xlsx": xlsx_text, "pdf": pdf_of,
}


def numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+", text))


# --- the same numbers in every format -----------------------------------------------------------

@pytest.mark.parametrize("fmt", list(READERS))
def test_every_number_in_every_format(fmt: str) -> None:
    text = READERS[fmt](sample_report())
    missing = set(NUMBERS) - numbers(text)
    assert not missing, f"{fmt}: missing numbers {sorted(missing)}"
    for s in SHARES:
        assert s in text, f"{fmt}: no share {s!r}"
    assert HOSTILE in text, f"{fmt}: the label {HOSTILE!r} is not shown as text"
    assert "Пластуновское сельское поселение" in text or fmt in ("docx", "xlsx")


def test_shares_agree_across_formats() -> None:
    """Every percentage shown anywhere is shown everywhere (HTML, DOCX, XLSX and PDF)."""
    found = {fmt: set(re.findall(r"\d+,\d\u00a0%", read(sample_report()))) for fmt, read in READERS.items()}
    assert found["html"] == found["docx"] == found["xlsx"] == found["pdf"]
    assert len(found["html"]) >= 10


# --- HTML ---------------------------------------------------------------------------------------

def test_html_escapes_and_links() -> None:
    page = render_html(sample_report())
    doc = lxml.html.fromstring(page)
    assert "&lt;b&gt;Улица&lt;/b&gt;" in page
    assert not [b for b in doc.iter("b") if "Улица" in (b.text_content() or "")]
    assert not doc.xpath("//script") and " on" not in "".join(doc.xpath("//@*[starts-with(name(), 'on')]"))
    hrefs = doc.xpath("//a/@href")
    assert "/incidents/4711/" in hrefs
    assert not [h for h in hrefs if h.lower().startswith("javascript")]
    assert "№ 4822" in doc.text_content()  # the item is listed, only its unsafe link dropped
    assert doc.xpath("//meta[@name='viewport']")
    assert doc.find(".//h1").text_content() == sample_report().title
    assert [h.text_content() for h in doc.xpath("//h2")][:2] == ["Результаты работы и динамика", "Соблюдение сроков"]


def test_html_body_for_the_app_pages() -> None:
    from otklik.reports.render.html import render_html_body

    body = render_html_body(sample_report())
    assert body.lstrip().startswith('<article class="report">') and "<html" not in body and "<style" not in body
    assert "&lt;b&gt;Улица&lt;/b&gt;" in body


def test_html_charts_are_svg_with_escaped_labels() -> None:
    page = render_html(sample_report())
    doc = lxml.html.fromstring(page)
    svgs = doc.xpath("//svg")
    assert len(svgs) == CHARTS
    labels = [t.text for svg in svgs for t in svg.iter("text")]
    assert HOSTILE in labels and "1234" in labels and "98,3\u00a0%" in labels
    assert "<b>" not in page.split("<body>", 1)[1].replace("&lt;b&gt;", "")


def test_html_empty_report_says_so() -> None:
    empty = replace(sample_report(), headline=(), steps=(), returns_by_reason=(), units=(), by_topic=(),
                    by_location=(), by_network=(), no_answer_by_reason=(), cadence=(), moderation=(),
                    overdue=(), notes=())
    doc = lxml.html.fromstring(render_html(empty))
    assert "Просроченных действий нет." in doc.text_content()
    assert len(doc.xpath("//svg")) == 1  # the headline chart, with no category


# --- DOCX ---------------------------------------------------------------------------------------

def test_docx_headings_tables_pictures() -> None:
    d = docx.Document(io.BytesIO(render_docx(sample_report())))
    headings = [(p.style.name, p.text) for p in d.paragraphs if p.style is not None and
                p.style.name.startswith("Heading")]
    expected = [(f"Heading {s.level}", s.title) for s in sections(sample_report())] + [("Heading 1", "Примечания")]
    assert headings == expected
    assert d.paragraphs[0].text == sample_report().title
    assert len(d.inline_shapes) == CHARTS
    steps = next(t for t in d.tables if t.rows[0].cells[0].text == "Этап")
    assert [c.text for c in steps.rows[1].cells] == ["Направление исполнителю (п. 10)", "811", "797", "14",
                                                    "98,3\u00a0%", "95"]
    places = next(t for t in d.tables if t.rows[0].cells[0].text == "Место")
    assert [c.text for c in places.rows[1].cells][:2] == [HOSTILE, "519"]
    assert 'TOC \\o "1-2"' in d.element.xml


# --- XLSX ---------------------------------------------------------------------------------------

def test_xlsx_sheets_cells_charts() -> None:
    data = render_xlsx(sample_report())
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == list(SHEETS)
    summary = wb["Сводка"]
    rows = {r[0]: r for r in summary.iter_rows(values_only=True) if r[0]}
    assert rows["Получено сообщений"][1:5] == (1234, 1100, 987, "+134")
    assert rows["Ответ в срок"][1:4] == (1143, None, None)
    assert rows["Проекты ответов, согласованные без возврата (доля)"][1] == 0.875
    steps = wb["Этапы"]
    header = next(r for r in steps.iter_rows() if r[0].value == "Этап")
    first = steps[header[0].row + 1]
    assert [c.value for c in first[:6]] == ["Направление исполнителю (п. 10)", 811, 797, 14, 797 / 811, 95]
    assert first[4].number_format == "0.0%"
    places = [r for r in wb["Места"].iter_rows(values_only=True) if r[0] == HOSTILE]
    assert places and places[0][1] == 519
    overdue = wb["Просрочки"]
    linked = [c for c in overdue["A"] if c.hyperlink is not None]
    assert [c.hyperlink.target for c in linked] == ["/incidents/4711/"]
    due = next(c for c in overdue["D"] if isinstance(c.value, datetime))
    assert due.value == datetime(2026, 10, 14, 15, 0)  # noqa: DTZ001 — Moscow time, as Excel keeps it
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == CHARTS
        assert all(b"<c:barChart>" in z.read(n) or b"barChart" in z.read(n) for n in charts)
        for sheet in ("sheet1", "sheet2"):  # Сводка, Этапы
            assert b"drawing" in z.read(f"xl/worksheets/_rels/{sheet}.xml.rels")


def test_xlsx_has_no_row_cap() -> None:
    many = tuple(
        OverdueItem(i, f"/incidents/{i}/", "Проект ответа (п. 12)", "Отдел ЖКХ",
                    datetime(2026, 10, 1, 9, 0, tzinfo=UTC), i % 500, bool(i % 2))
        for i in range(1, 5001)
    )
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx(replace(sample_report(), overdue=many))))
    ids = [r[0] for r in wb["Просрочки"].iter_rows(values_only=True) if str(r[0]).startswith("№ ")]
    assert len(ids) == 5000 and ids[-1] == "№ 5000"


# --- PDF ----------------------------------------------------------------------------------------

def test_pdf_is_a_pdf_with_embedded_dejavu() -> None:
    pdf = render_pdf(sample_report())
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    plain = render_pdf(sample_report(), compress=False)
    fonts = set(re.findall(rb"/BaseFont\s*/\w+\+([\w-]+)", plain))
    assert fonts and all(f.startswith(b"DejaVu-Sans") for f in fonts), fonts
    assert b"/FontFile2" in plain  # embedded, not referenced
    text = pdf_text(plain)
    assert sample_report().title.split(":")[0] in text.replace("\n", "")
    assert "Просроченные действия" in text


# --- the command --------------------------------------------------------------------------------

SELECTOR_MISSING = importlib.util.find_spec("otklik.reports.selectors") is None


@pytest.mark.skipif(SELECTOR_MISSING, reason="otklik.reports.selectors (monthly_report) is not written yet")
@pytest.mark.parametrize("fmt", ["html", "docx", "xlsx", "pdf"])
def test_command_writes_each_format(demo: Any, tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / f"report.{fmt}"
    call_command("report", "monthly", "--municipality", "plastunovskoe", "--month", "2026-01",
                 "--format", fmt, "-o", str(out))
    data = out.read_bytes()
    assert data
    assert {"html": b"<!doctype html>", "docx": b"PK", "xlsx": b"PK", "pdf": b"%PDF-"}[fmt] in data[:64]
    assert str(out) in capsys.readouterr().out


@pytest.mark.django_db
@pytest.mark.parametrize(("args", "message"), [
    (["--municipality", "nowhere", "--month", "2026-01"], "не найдено"),
    (["--municipality", "plastunovskoe", "--month", "2026-13"], "Неверный месяц"),
    (["--municipality", "plastunovskoe", "--month", "январь"], "Неверный месяц"),
    (["--municipality", "plastunovskoe", "--month", "2999-01"], "ещё не наступил"),
    (["--municipality", "plastunovskoe", "--month", "2026-01", "--format", "odt"], "Неизвестный формат"),
])
def test_command_refuses_in_russian(demo: Any, tmp_path: Path, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("report", "monthly", *args, "-o", str(tmp_path / "r.html"))


@pytest.mark.django_db
def test_command_refuses_an_unwritable_file(demo: Any, tmp_path: Path) -> None:
    base = ["report", "monthly", "--municipality", "plastunovskoe", "--month", "2026-01", "--format", "html"]
    with pytest.raises(CommandError, match=r"папки .* нет"):
        call_command(*base, "-o", str(tmp_path / "no-such-dir" / "r.html"))
    with pytest.raises(CommandError, match="это папка"):
        call_command(*base, "-o", str(tmp_path))
    with pytest.raises(CommandError, match="Укажите файл"):
        call_command(*base)


def test_command_line_error_is_one_russian_line(capsys: pytest.CaptureFixture[str]) -> None:
    from otklik.core.management.commands.report import Command

    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(["otklik", "report", "monthly", "--municipality", "x", "--month", "2026-13",
                                 "-o", "r.html"])
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("ошибка: Неверный месяц «2026-13»") and "Traceback" not in err


def test_month_parsing() -> None:
    from otklik.core.management.commands.report import parse_month

    assert parse_month("2026-02") == date(2026, 2, 1)
    with pytest.raises(CommandError):
        parse_month("2026-2")
