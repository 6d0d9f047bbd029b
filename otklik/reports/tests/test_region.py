"""The regional roll-up over a month computed by hand, and its files read back.

November 2026 in the demo region «Краснодарский край», three municipalities, every message through
the real services with fixed moments (Flow of test_monthly.py; the «fast» path is in time):

  «Пластуновское…» (plastunovskoe)
    P1 Mon 02 fast · P2 Fri 06 fast
    P3 Mon 09 → draft Tue 10 10:30, published 11:00: the total (due Tue 10 10:00) late — overdue
    P4 Mon 16 returned 11:20 (greeting), reworked, approved — answered in time, not the first time
    P5 Wed 18 closed without answer (п. 21, insult)
    received 5, answered 4, in time 3 (75 %), overdue 1, answers 4, first pass 3 (75 %), returns 1, п. 21: 1

  «Новотитаровское…» (novotitarovskoe), its own curator and executor, unit «Отдел ЖКХ»
    N1 Mon 02 fast · N2 Wed 11 fast
    N3 Thu 12 returned 11:20 with two reasons (substance, voice), reworked, approved — in time
    N4 Fri 27 routed, then nothing: the total open at the month's end — overdue, not answered
    N5, N6 Wed 18 closed without answer (п. 21)
    received 6, answered 3, in time 3 (100 %), overdue 1, answers 3, first pass 2 (66,7 %), returns 1
    (one return, two reasons), п. 21: 2

  «Абинское…» (abinskoe): nothing at all — «нет сообщений», never ranked (its name sorts first).

Region: received 11, answered 7, in time 6 → 6/7 = 85,7 % (the mean of the shares would be 87,5 %),
overdue 2, answers 7, first pass 5 → 5/7 = 71,4 % (the mean would be 70,8 %), returns 2, п. 21: 3.
Ranking by on-time: Новотитаровское (100 %), Пластуновское (75 %), Абинское «нет сообщений».
Ranking by first pass: Пластуновское (75 %), Новотитаровское (66,7 %), Абинское «нет сообщений».
"""

from __future__ import annotations

import dataclasses
import io
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import docx
import lxml.html
import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from otklik.incidents import services as svc
from otklik.org.models import Municipality, Person, PersonRole, Region, Unit
from otklik.org.roles import Role
from otklik.reports.region import (
    NO_ANSWERS,
    NO_MESSAGES,
    RegionReport,
    RegionRow,
    rank_first_pass,
    rank_on_time,
    region_report,
    row_of,
    totals,
)
from otklik.reports.render.common import fmt_pct
from otklik.reports.render.region_docx import render_region_docx
from otklik.reports.render.region_html import render_region_html
from otklik.reports.render.region_xlsx import render_region_xlsx
from otklik.reports.selectors import monthly_report
from otklik.reports.tests.test_monthly import NOW, Flow, at

PLAST, NOVO, ABIN = ("Пластуновское сельское поселение Динского района",
                     "Новотитаровское сельское поселение Динского района", "Абинское сельское поселение")
NOVO_UNIT = "Отдел ЖКХ"


def _person(mun: Municipality, login: str, name: str, unit: Unit, role: Role) -> Person:
    user = get_user_model().objects.create_user(username=login, password="x-novo-pass")
    person = Person.objects.create(user=user, full_name=name, region=mun.region, municipality=mun, unit=unit)
    PersonRole.objects.create(person=person, role=role)
    return person


def neighbour_flow(demo: dict[str, Any]) -> Flow:
    """The demo's neighbour municipality with its own curator and executor."""
    mun = Municipality.objects.get(slug="novotitarovskoe")
    general = Unit.objects.get(municipality=mun, name="Общий отдел")
    zhkh = Unit.objects.create(municipality=mun, name=NOVO_UNIT)
    people = {**demo,
              "curator": _person(mun, "novo-curator", "Сидоренко Мария Петровна", general, Role.MUNICIPAL_CURATOR),
              "executor": _person(mun, "novo-executor", "Кузьменко Олег Ильич", zhkh, Role.EXECUTOR)}
    f = Flow(people)
    f.mun = mun
    return f


def build_region(demo: dict[str, Any]) -> Region:
    p = Flow(demo)
    p.fast(2)
    p.fast(6)
    p3 = p.intake(at(9, "10:00"), at(9, "10:10"))
    p.route(p3, at(9, "10:20"))
    p.through(p3, 10, ("10:30", "10:40", "10:50", "11:00"))
    p4 = p.intake(at(16, "10:00"), at(16, "10:10"))
    p.route(p4, at(16, "10:20"))
    p.draft(p4, at(16, "11:00"))
    p.forward(p4, at(16, "11:10"))
    p.give_back(p4, at(16, "11:20"), "greeting")
    p.through(p4, 16, ("12:00", "12:10", "12:20", "12:30"))
    p5 = p.intake(at(18, "10:00"), at(18, "10:10"))
    svc.incident_close_no_answer(access=p.acc("curator"), incident_id=p5.pk, reason="insult", at=at(18, "10:30"))

    n = neighbour_flow(demo)
    n.fast(2, unit=NOVO_UNIT)
    n.fast(11, unit=NOVO_UNIT)
    n3 = n.intake(at(12, "10:00"), at(12, "10:10"))
    n.route(n3, at(12, "10:20"), NOVO_UNIT)
    n.draft(n3, at(12, "11:00"))
    n.forward(n3, at(12, "11:10"))
    n.give_back(n3, at(12, "11:20"), "substance", "voice")
    n.through(n3, 12, ("11:50", "12:00", "12:10", "12:20"))
    n4 = n.intake(at(27, "10:00"), at(27, "10:10"))
    n.route(n4, at(27, "10:20"), NOVO_UNIT)
    for minute in ("10:20", "10:40"):
        x = n.intake(at(18, "10:00"), at(18, "10:10"))
        svc.incident_close_no_answer(access=n.acc("curator"), incident_id=x.pk, reason="insult",
                                     at=at(18, minute))

    region = p.mun.region
    Municipality.objects.create(region=region, slug="abinskoe", name=ABIN)
    # Another region's municipality with a message: never in this roll-up.
    far = Region.objects.create(slug="far", name="Дальний край")
    far_mun = Municipality.objects.create(region=far, slug="far-mo", name="Дальнее МО")
    assert far_mun.pk and Municipality.objects.filter(region=region).count() == 3
    return region


def row(report: RegionReport, slug: str) -> tuple[int, ...]:
    r = next(x for x in report.rows if x.slug == slug)
    return (r.received, r.answered, r.answered_on_time, r.overdue, r.answers, r.first_pass, r.returns,
            r.closed_no_answer)


@pytest.fixture
def report(demo: dict[str, Any]) -> RegionReport:
    region = build_region(demo)
    return region_report(region=region, month=date(2026, 11, 20), now=NOW)


@pytest.mark.django_db
def test_a_hand_computed_region(report: RegionReport) -> None:
    assert report.region == "Краснодарский край" and report.month == date(2026, 11, 1)
    assert report.generated_at == NOW and report.notes == ()
    assert [r.municipality for r in report.rows] == [ABIN, NOVO, PLAST]  # by name
    #                                     received answered on-time overdue answers 1st-pass returns п.21
    assert row(report, "plastunovskoe") == (5, 4, 3, 1, 4, 3, 1, 1)
    assert row(report, "novotitarovskoe") == (6, 3, 3, 1, 3, 2, 1, 2)
    assert row(report, "abinskoe") == (0, 0, 0, 0, 0, 0, 0, 0)
    t = report.total
    assert (t.received, t.answered, t.answered_on_time, t.overdue, t.answers, t.first_pass, t.returns,
            t.closed_no_answer) == (11, 7, 6, 2, 7, 5, 2, 3)
    # Rates of the sums, not means of the rates.
    assert t.on_time_rate == pytest.approx(6 / 7) and t.on_time_rate != pytest.approx((0.75 + 1.0) / 2)
    assert t.first_pass_rate == pytest.approx(5 / 7) and t.first_pass_rate != pytest.approx((0.75 + 2 / 3) / 2)
    rows = {r.slug: r for r in report.rows}
    assert rows["plastunovskoe"].on_time_rate == 0.75 and rows["novotitarovskoe"].on_time_rate == 1.0
    assert rows["abinskoe"].on_time_rate is None and rows["abinskoe"].first_pass_rate is None

    assert [(i.place, i.municipality, i.rate, i.note) for i in report.by_on_time] == [
        (1, NOVO, 1.0, ""), (2, PLAST, 0.75, ""), (None, ABIN, None, NO_MESSAGES)]
    assert [(i.place, i.municipality, i.part, i.whole, i.note) for i in report.by_first_pass] == [
        (1, PLAST, 3, 4, ""), (2, NOVO, 2, 3, ""), (None, ABIN, 0, 0, NO_MESSAGES)]


@pytest.mark.django_db
def test_each_row_is_the_municipality_s_own_report(demo: dict[str, Any]) -> None:
    """The roll-up counts with grouped queries; each row must equal that municipality's own report."""
    region = build_region(demo)
    rolled = {r.slug: r for r in region_report(region=region, month=date(2026, 11, 1), now=NOW).rows}
    for mun in Municipality.objects.filter(region=region):
        own = row_of(monthly_report(municipality=mun, month=date(2026, 11, 1), now=NOW), returns=0)
        assert dataclasses.replace(rolled[mun.slug], returns=0) == own, mun.slug
    # The same with the month still running (a cut-off inside the month).
    early = datetime(2026, 11, 12, 18, tzinfo=ZoneInfo("Europe/Moscow"))
    rolled = {r.slug: r for r in region_report(region=region, month=date(2026, 11, 1), now=early).rows}
    assert rolled["plastunovskoe"].received == 3
    for mun in Municipality.objects.filter(region=region):
        own = row_of(monthly_report(municipality=mun, month=date(2026, 11, 1), now=early), returns=0)
        assert dataclasses.replace(rolled[mun.slug], returns=0) == own, mun.slug


def _r(name: str, received: int, answered: int, on_time: int, answers: int = 0, first: int = 0) -> RegionRow:
    return RegionRow(municipality=name, slug=name, received=received, answered=answered, answered_on_time=on_time,
                     overdue=0, answers=answers, first_pass=first, returns=0, closed_no_answer=0)


def test_ranking_ties_by_name_and_the_unranked() -> None:
    rows = [_r("Бета", 4, 2, 1, 2, 2), _r("Ёлкино", 2, 2, 2, 4, 2), _r("Альфа", 8, 4, 2, 4, 4),
            _r("Аааа", 0, 0, 0), _r("Вега", 3, 0, 0), _r("Еловое", 6, 6, 6, 0, 0)]
    by_time = rank_on_time(rows)
    # 1.0: Ёлкино before Еловое (ё sorts as е: «елк» < «ело»; by code point Ё would come last);
    # 0.5: Альфа, Бета (by name);
    # Вега received messages and answered none; Аааа received nothing: last, whatever its name.
    assert [(i.place, i.municipality, i.note) for i in by_time] == [
        (1, "Ёлкино", ""), (2, "Еловое", ""), (3, "Альфа", ""), (4, "Бета", ""), (None, "Вега", NO_ANSWERS),
        (None, "Аааа", NO_MESSAGES)]
    assert [(i.place, i.municipality) for i in rank_first_pass(rows)][:3] == [(1, "Альфа"), (2, "Бета"),
                                                                              (3, "Ёлкино")]
    total = totals(rows)
    assert (total.received, total.answered, total.answered_on_time) == (23, 14, 11)
    assert total.on_time_rate == 11 / 14
    assert rank_on_time([]) == () and totals([]).on_time_rate is None


# --- the files ----------------------------------------------------------------------------------

def _cells(tr: Any) -> list[str]:
    return [c.text_content().strip() for c in tr.xpath("./th|./td")]


@pytest.mark.django_db
def test_html_tables_bars_escaped(report: RegionReport) -> None:
    from dataclasses import replace

    hostile = replace(report, rows=(replace(report.rows[0], municipality="<script>alert(1)</script>"),
                                    *report.rows[1:]))
    page = render_region_html(hostile)
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    doc = lxml.html.fromstring(render_region_html(report))
    assert not doc.xpath("//script") and not doc.xpath("//@*[starts-with(name(), 'on')]")
    table = doc.get_element_by_id("t-region")
    body = [_cells(tr) for tr in table.xpath("./tbody/tr")]
    assert body[0][0] == ABIN and body[0][1] == "0" and body[0][4] == "—"
    assert body[2][:5] == [PLAST, "5", "4", "3", fmt_pct(0.75)]
    assert body[-1] == ["Итого по региону", "11", "7", "6", fmt_pct(6 / 7), "2", "7", "5", fmt_pct(5 / 7), "2", "3"]
    assert fmt_pct(6 / 7) == "85,7\u00a0%"
    ranking = [_cells(tr) for tr in doc.get_element_by_id("t-rank_on_time").xpath("./tbody/tr")]
    assert ranking == [["1", NOVO, fmt_pct(1.0), "3 из 3"], ["2", PLAST, fmt_pct(0.75), "3 из 4"],
                       ["—", ABIN, NO_MESSAGES, "—"]]
    svgs = doc.xpath("//svg")
    assert len(svgs) == 2
    bars = svgs[0].xpath(".//text()")
    assert f"{ABIN} (нет сообщений)" in bars and fmt_pct(6 / 7) in bars and "нет данных" in bars


@pytest.mark.django_db
def test_xlsx_table_ranking_chart(report: RegionReport) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(render_region_xlsx(report)))
    assert wb.sheetnames == ["Свод"]
    ws = wb["Свод"]
    rows = [r for r in ws.iter_rows(values_only=True)]
    by_name = {r[0]: r for r in rows if r[0]}
    assert by_name[PLAST][1:11] == (5, 4, 3, 0.75, 1, 4, 3, 0.75, 1, 1)
    assert by_name["Итого по региону"][1:11] == (11, 7, 6, pytest.approx(6 / 7), 2, 7, 5, pytest.approx(5 / 7),
                                                 2, 3)
    assert by_name[ABIN][4] is None  # no answers: no rate, not 0 %
    ranks = [(r[0], r[1], r[2]) for r in rows if r[1] in (PLAST, NOVO, ABIN) and r[0] in (1, 2, None)
             and r[0] != r[1]]
    assert (1, NOVO, 1.0) in ranks and (2, PLAST, 0.75) in ranks and (None, ABIN, NO_MESSAGES) in ranks
    assert (1, PLAST, 0.75) in ranks  # the first-pass ranking
    header = next(i for i, r in enumerate(rows, start=1) if r[0] == "Муниципальное образование")
    assert ws.cell(header + 3, 1).value == PLAST and ws.cell(header + 3, 5).number_format == "0.0%"
    charts = ws._charts
    assert len(charts) == 2 and all(c.type == "bar" for c in charts)
    ref = charts[0].series[0].val.numRef.f
    assert ref == f"'Свод'!$E${header + 1}:$E${header + 3}"  # the three municipalities, not the total


@pytest.mark.django_db
def test_docx_has_the_tables(report: RegionReport) -> None:
    d = docx.Document(io.BytesIO(render_region_docx(report)))
    texts = [[c.text for c in r.cells] for t in d.tables for r in t.rows]
    assert ["Итого по региону", "11", "7", "6", fmt_pct(6 / 7), "2", "7", "5", fmt_pct(5 / 7), "2", "3"] in texts
    assert ["1", NOVO, fmt_pct(1.0), "3 из 3"] in texts
    assert len(d.inline_shapes) == 2


# --- the command --------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["html", "xlsx", "docx", "pdf"])
def test_command_writes_the_region(demo: Any, tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / f"region.{fmt}"
    call_command("report", "monthly", "--region", "krasnodarskiy-kray", "--month", "2026-01", "--format", fmt,
                 "-o", str(out))
    data = out.read_bytes()
    assert {"html": b"<!doctype html>", "docx": b"PK", "xlsx": b"PK", "pdf": b"%PDF-"}[fmt] in data[:64]
    said = capsys.readouterr().out
    assert str(out) in said and "Краснодарский край" in said and "муниципальных образований: 2" in said
    if fmt == "html":
        assert "Пластуновское" in data.decode() and "Новотитаровское" in data.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("args", "message"), [
    (["--region", "nowhere", "--month", "2026-01"], "Регион с кодом «nowhere» не найден. Есть: krasnodarskiy-kray"),
    (["--region", "krasnodarskiy-kray", "--month", "2026-01", "--format", "odt"], "Сводный отчёт по региону не"),
    (["--region", "krasnodarskiy-kray", "--municipality", "plastunovskoe", "--month", "2026-01"],
     "Укажите что-то одно"),
    (["--region", "krasnodarskiy-kray", "--month", "2026-13"], "Неверный месяц"),
    (["--region", "krasnodarskiy-kray", "--month", "2999-01"], "ещё не наступил"),
    (["--month", "2026-01"], "--region КОД"),
])
def test_command_refuses_the_region_in_russian(demo: Any, tmp_path: Path, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("report", "monthly", *args, "-o", str(tmp_path / "r.html"))
    assert not (tmp_path / "r.html").exists()
