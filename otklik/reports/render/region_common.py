"""What every format of the regional roll-up shows, computed once from `RegionReport`.

The tables and charts reuse the monthly report's building blocks (render/common.py: Table, Chart,
layout), so region_html.py, region_xlsx.py, region_docx.py and region_pdf.py only lay them out.
"""

from __future__ import annotations

from otklik.reports.region import RankItem, RegionReport, RegionRow
from otklik.reports.render.common import (
    BEFORE,
    THIS,
    Cell,
    Chart,
    Column,
    Section,
    Series,
    Table,
    fmt_dt,
    local,
)

SHEET = "Свод"

REGION_COLUMNS = (
    Column("Муниципальное образование"), Column("Поступило сообщений", "int"), Column("Дан ответ", "int"),
    Column("Из них в срок", "int"), Column("Доля ответов в срок", "pct"), Column("Срок ответа нарушен", "int"),
    Column("Ответов (проектов) решено", "int"), Column("Согласовано с первого раза", "int"),
    Column("Доля с первого раза", "pct"), Column("Возвратов на доработку (п. 14)", "int"),
    Column("Закрыто без ответа (п. 21)", "int"),
)
ON_TIME_COLUMN = 5  # 1-based: «Доля ответов в срок» (the XLSX chart reads it)
FIRST_PASS_COLUMN = 9


def _row(r: RegionRow) -> tuple[Cell, ...]:
    return (r.municipality, r.received, r.answered, r.answered_on_time, r.on_time_rate, r.overdue, r.answers,
            r.first_pass, r.first_pass_rate, r.returns, r.closed_no_answer)


def region_table(r: RegionReport) -> Table:
    rows = tuple(_row(x) for x in r.rows)
    return Table("region", SHEET, "Показатели муниципальных образований за месяц", REGION_COLUMNS,
                 (*rows, _row(r.total)) if rows else (), empty="В регионе нет муниципальных образований.",
                 total=bool(rows))


def _rank_rows(items: tuple[RankItem, ...]) -> tuple[tuple[Cell, ...], ...]:
    return tuple((i.place, i.municipality, i.rate if i.place is not None else i.note,
                  f"{i.part} из {i.whole}" if i.whole else "—") for i in items)


def ranking_table(key: str, title: str, what: str, basis: str, items: tuple[RankItem, ...]) -> Table:
    return Table(key, SHEET, title,
                 (Column("Место", "int"), Column("Муниципальное образование"), Column(what, "pct"), Column(basis)),
                 _rank_rows(items), empty="В регионе нет муниципальных образований.")


def on_time_ranking(r: RegionReport) -> Table:
    return ranking_table("rank_on_time", "Рейтинг по доле ответов, данных в срок (п. 8, 18)", "Доля в срок",
                         "В срок из данных ответов", r.by_on_time)


def first_pass_ranking(r: RegionReport) -> Table:
    return ranking_table("rank_first_pass", "Рейтинг по доле ответов, согласованных с первого раза (п. 14)",
                         "Доля с первого раза", "С первого раза из решённых", r.by_first_pass)


def _category(row: RegionRow) -> str:
    return row.municipality if row.received else f"{row.municipality} (нет сообщений)"


def on_time_chart(r: RegionReport) -> Chart:
    return Chart("on_time", "Доля ответов, данных в срок, по муниципальным образованиям",
                 (*(_category(x) for x in r.rows), r.total.municipality),
                 (Series("Доля в срок", (*(x.on_time_rate for x in r.rows), r.total.on_time_rate), THIS),),
                 scale="percent", note="«Нет данных» — в месяце не было ответов.")


def first_pass_chart(r: RegionReport) -> Chart:
    return Chart("first_pass", "Доля ответов, согласованных с первого раза, по муниципальным образованиям",
                 (*(_category(x) for x in r.rows), r.total.municipality),
                 (Series("С первого раза", (*(x.first_pass_rate for x in r.rows), r.total.first_pass_rate),
                         BEFORE),),
                 scale="percent", note="«Нет данных» — в месяце не решали проектов ответов.")


def region_sections(r: RegionReport) -> tuple[Section, ...]:
    charts = (on_time_chart(r), first_pass_chart(r)) if r.rows else ()
    return (
        Section("Муниципальные образования", 1, (region_table(r),), charts),
        Section("Рейтинг", 1),
        Section("Ответы в срок", 2, (on_time_ranking(r),)),
        Section("Согласование с первого раза", 2, (first_pass_ranking(r),)),
    )


def region_tables(r: RegionReport) -> tuple[Table, ...]:
    return tuple(t for s in region_sections(r) for t in s.tables)


def region_subtitle(r: RegionReport) -> str:
    return (f"Сводная информация по п. 23 Порядка работы с сообщениями в социальных сетях по всем "
            f"муниципальным образованиям региона. Итоговые доли рассчитаны по суммам, а не как среднее долей. "
            f"Сформирована {fmt_dt(local(r.generated_at, r.time_zone))} ({r.time_zone}).")
