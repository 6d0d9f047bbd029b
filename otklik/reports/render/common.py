"""What every format of the monthly report shows, computed once from `MonthlyReport`.

The sections, their tables and their charts (data and geometry) are built here; html.py, docx.py,
xlsx.py and pdf.py only lay them out, so every number reads the same in every format.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from otklik.reports.monthly import MonthlyReport, Share

Kind = Literal["text", "int", "pct", "datetime"]
Cell = str | int | float | datetime | None

MISSING = "—"  # no data (a month or a year before the first data)


# --- numbers as text: the same in HTML, DOCX and PDF --------------------------------------------

def fmt_int(n: int | None) -> str:
    return MISSING if n is None else str(n)


def fmt_pct(x: float | None) -> str:
    """0.875 -> «87,5 %» (Russian decimal comma, a no-break space before the sign)."""
    if x is None:
        return MISSING
    return f"{x * 100:.1f}".replace(".", ",") + "\u00a0%"


def fmt_change(value: int, before: int | None) -> str:
    if before is None:
        return MISSING
    d = value - before
    return f"+{d}" if d > 0 else (f"−{-d}" if d < 0 else "0")


def fmt_dt(dt: datetime) -> str:
    return dt.strftime("%d.%m.%Y %H:%M")


def local(dt: datetime, time_zone: str) -> datetime:
    """The moment in the municipality's time zone, without tzinfo (Excel keeps no zones)."""
    if dt.tzinfo is None:
        return dt
    try:
        zone = ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return dt.replace(tzinfo=None)
    return dt.astimezone(zone).replace(tzinfo=None)


def fmt_cell(value: Cell, kind: Kind) -> str:
    if value is None:
        return MISSING
    if isinstance(value, float):  # every float of the report is a share
        return fmt_pct(value)
    if isinstance(value, datetime):
        return fmt_dt(value)
    return str(value)


def safe_link(url: str) -> str:
    """Only the app's own paths and http(s) addresses become links (never javascript: and the like)."""
    u = url.strip()
    if (u.startswith("/") and not u.startswith("//")) or u.lower().startswith(("https://", "http://")):
        return u
    return ""


def share(count: int, total: int) -> float:
    return count / total if total else 0.0


# --- tables -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    title: str
    kind: Kind = "text"


@dataclass(frozen=True)
class Table:
    key: str
    sheet: str  # the XLSX sheet it goes to (a sheet may hold more than one table)
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    links: tuple[str, ...] = ()  # per row: the link of its first cell ("" — none)
    empty: str = "Нет данных за месяц."
    total: bool = False  # the last row is the total

    def text(self, row: tuple[Cell, ...]) -> tuple[str, ...]:
        return tuple(fmt_cell(v, c.kind) for v, c in zip(row, self.columns, strict=True))

    def text_rows(self) -> tuple[tuple[str, ...], ...]:
        return tuple(self.text(r) for r in self.rows)

    def link(self, i: int) -> str:
        return self.links[i] if i < len(self.links) else ""


def _shares_table(key: str, sheet: str, title: str, first: str, items: tuple[Share, ...]) -> Table:
    total = sum(s.count for s in items)
    rows: list[tuple[Cell, ...]] = [(s.label, s.count, share(s.count, total)) for s in items]
    if items:
        rows.append(("Итого", total, 1.0 if total else 0.0))
    return Table(key, sheet, title, (Column(first), Column("Количество", "int"), Column("Доля", "pct")),
                 tuple(rows), total=bool(items))


def headline_table(r: MonthlyReport) -> Table:
    return Table(
        "headline", "Сводка", "Основные показатели",
        (Column("Показатель"), Column("За месяц", "int"), Column("Месяцем ранее", "int"),
         Column("Годом ранее", "int"), Column("Изменение к прошлому месяцу")),
        tuple((f.label, f.value, f.previous, f.year_ago, fmt_change(f.value, f.previous)) for f in r.headline),
    )


def quality_table(r: MonthlyReport) -> Table:
    return Table(
        "quality", "Сводка", "Качество ответов",
        (Column("Показатель"), Column("Значение", "text")),
        (
            ("Проекты ответов, согласованные без возврата (доля)", r.first_pass_rate),
            ("Промежуточные ответы (п. 18)", r.intermediate),
            ("из них окончательный ответ дан в срок п. 18", r.final_on_time),
        ),
    )


def steps_table(r: MonthlyReport) -> Table:
    return Table(
        "steps", "Этапы", "Соблюдение сроков по этапам (п. 8–19)",
        (Column("Этап"), Column("Завершено", "int"), Column("В срок", "int"), Column("С опозданием", "int"),
         Column("Доля в срок", "pct"), Column("Наибольшее опоздание, раб. мин", "int")),
        tuple((s.label, s.total, s.on_time, s.late, s.on_time_share, s.worst_late_minutes) for s in r.steps),
    )


def return_reasons(r: MonthlyReport) -> list[str]:
    """Every reason of return, in the report's order, then those only the units name."""
    reasons = [s.label for s in r.returns_by_reason]
    for u in r.units:
        for s in u.returns:
            if s.label not in reasons:
                reasons.append(s.label)
    return reasons


def units_table(r: MonthlyReport) -> Table:
    reasons = return_reasons(r)
    columns = (Column("Подразделение"), Column("Проектов ответов", "int"),
               Column("Согласовано с первого раза", "int"), Column("Доля с первого раза", "pct"),
               Column("Возвратов всего", "int"), *(Column(f"Возвраты: {x}", "int") for x in reasons))
    rows: list[tuple[Cell, ...]] = []
    for u in r.units:
        by = {s.label: s.count for s in u.returns}
        rows.append((u.unit, u.drafts, u.first_pass, u.first_pass_rate, sum(by.values()),
                     *(by.get(x, 0) for x in reasons)))
    return Table("units", "Подразделения", "Подразделения: проекты ответов и возвраты (п. 14)", columns,
                 tuple(rows))


def cadence_table(r: MonthlyReport) -> Table:
    return Table(
        "cadence", "Страницы", "Регулярность публикаций на официальных страницах (п. 5)",
        (Column("Страница"), Column("Сеть"), Column("Недель учтено", "int"),
         Column("Недель ниже нормы", "int"), Column("Публикаций", "int")),
        tuple((c.page, c.network, c.weeks, c.weeks_below, c.posts) for c in r.cadence),
    )


def moderation_table(r: MonthlyReport) -> Table:
    return Table(
        "moderation", "Модерация", "Модерация комментариев",
        (Column("Действие"), Column("Количество", "int")),
        tuple((s.label, s.count) for s in r.moderation),
    )


def overdue_table(r: MonthlyReport) -> Table:
    rows = tuple(
        (f"№ {o.incident_id}", o.step, o.who, local(o.due_at, r.time_zone), o.late_minutes,
         "выполнено с опозданием" if o.done else "не выполнено на конец месяца")
        for o in r.overdue
    )
    return Table(
        "overdue", "Просрочки", "Просроченные действия",
        (Column("Сообщение"), Column("Этап"), Column("Ответственный"),
         Column(f"Срок ({r.time_zone})", "datetime"), Column("Опоздание, раб. мин", "int"), Column("Состояние")),
        rows, links=tuple(safe_link(o.link) for o in r.overdue), empty="Просроченных действий нет.",
    )


# --- charts -------------------------------------------------------------------------------------

THIS, BEFORE, YEAR = "#1f5fa8", "#8fb3dc", "#c4c4c4"
TRACK = "#eef2f7"
INK, MUTED = "#1a1a1a", "#666666"


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]
    color: str


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    scale: Literal["global", "row", "percent"] = "global"
    note: str = ""


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # the baseline
    text: str
    size: int = 13
    anchor: Literal["start", "end"] = "start"
    fill: str = INK
    bold: bool = False


@dataclass(frozen=True)
class Layout:
    width: int
    height: int
    rects: tuple[Rect, ...]
    texts: tuple[Text, ...]


WIDTH, PAD, BAR, GAP, LABEL_CHARS = 400, 6, 14, 4, 50
VALUE_ROOM = 76  # right of the longest bar: its value


def clip(label: str, n: int = LABEL_CHARS) -> str:
    return label if len(label) <= n else label[: n - 1] + "…"


def layout(chart: Chart) -> Layout:
    """Horizontal bars, the category's label above its bars (narrow screens keep long labels)."""
    rects: list[Rect] = []
    texts: list[Text] = []
    y = PAD
    if len(chart.series) > 1:
        x = float(PAD)
        for s in chart.series:
            rects.append(Rect(x, y + 1, 12, 12, s.color))
            texts.append(Text(x + 16, y + 12, s.name, 12, fill=MUTED))
            x += 28 + 7.8 * len(s.name)
        y += 22
    span = WIDTH - 2 * PAD - VALUE_ROOM
    every = [v for s in chart.series for v in s.values if v is not None]
    top = max(every, default=0.0) or 1.0
    for i, category in enumerate(chart.categories):
        texts.append(Text(PAD, y + 13, clip(category)))
        y += 18
        row = [v for v in (s.values[i] for s in chart.series) if v is not None]
        row_top = (max(row, default=0.0) or 1.0) if chart.scale == "row" else top
        for s in chart.series:
            v = s.values[i]
            if chart.scale == "percent":
                rects.append(Rect(PAD, y, span, BAR, TRACK))
            if v is None:
                texts.append(Text(PAD, y + 11, "нет данных", 11, fill=MUTED))
            else:
                w = span * (min(max(v, 0.0), 1.0) if chart.scale == "percent" else max(v, 0.0) / row_top)
                if w > 0:
                    rects.append(Rect(PAD, y, round(w, 1), BAR, s.color))
                value = fmt_pct(v) if chart.scale == "percent" else fmt_int(int(v))
                texts.append(Text(PAD + (span if chart.scale == "percent" else w) + 4, y + 11, value, 12))
            y += BAR + GAP
        y += 6
    return Layout(WIDTH, int(y + PAD), tuple(rects), tuple(texts))


def _count_chart(key: str, title: str, items: tuple[Share, ...]) -> Chart:
    return Chart(key, title, tuple(s.label for s in items),
                 (Series("Количество", tuple(float(s.count) for s in items), THIS),))


def headline_chart(r: MonthlyReport) -> Chart:
    figures = r.headline

    def values(get: str) -> tuple[float | None, ...]:
        out: list[float | None] = []
        for f in figures:
            v = getattr(f, get)
            out.append(None if v is None else float(v))
        return tuple(out)

    return Chart(
        "headline", "Основные показатели: этот месяц, месяц и год назад", tuple(f.label for f in figures),
        (Series("Этот месяц", values("value"), THIS), Series("Месяцем ранее", values("previous"), BEFORE),
         Series("Годом ранее", values("year_ago"), YEAR)),
        scale="row", note="Длина столбцов сравнима только внутри одного показателя.",
    )


def steps_chart(r: MonthlyReport) -> Chart:
    return Chart("steps", "Доля действий, выполненных в срок, по этапам", tuple(s.label for s in r.steps),
                 (Series("В срок", tuple(s.on_time_share for s in r.steps), THIS),), scale="percent")


# --- sections -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Section:
    title: str
    level: int  # 1 or 2: Heading 1 / Heading 2 in DOCX, h2 / h3 in HTML
    tables: tuple[Table, ...] = ()
    charts: tuple[Chart, ...] = ()
    intro: str = ""


def sections(r: MonthlyReport) -> tuple[Section, ...]:
    out: list[Section] = [
        Section("Результаты работы и динамика", 1, (headline_table(r), quality_table(r)), (headline_chart(r),)),
        Section("Соблюдение сроков", 1),
        Section("Этапы (п. 8–19)", 2, (steps_table(r),), (steps_chart(r),) if r.steps else ()),
        Section("Просроченные действия", 2, (overdue_table(r),)),
        Section("Качество ответов", 1),
        Section("Причины возврата проектов ответов (п. 14)", 2,
                (_shares_table("returns", "Причины возврата", "Причины возврата", "Причина", r.returns_by_reason),),
                (_count_chart("returns", "Возвраты на доработку по причинам", r.returns_by_reason),)
                if r.returns_by_reason else ()),
        Section("Подразделения", 2, (units_table(r),)),
        Section("Сообщения без ответа (п. 21)", 2,
                (_shares_table("no_answer", "Без ответа", "Сообщения без ответа", "Основание",
                               r.no_answer_by_reason),)),
        Section("Сообщения", 1),
        Section("По темам", 2, (_shares_table("topics", "Темы", "Сообщения по темам", "Тема", r.by_topic),),
                (_count_chart("topics", "Сообщения по темам", r.by_topic),) if r.by_topic else ()),
        Section("По местам", 2,
                (_shares_table("locations", "Места", "Сообщения по местам", "Место", r.by_location),),
                (_count_chart("locations", "Сообщения по местам", r.by_location),) if r.by_location else ()),
        Section("По социальным сетям", 2,
                (_shares_table("networks", "Сети", "Сообщения по социальным сетям", "Сеть", r.by_network),),
                (_count_chart("networks", "Сообщения по социальным сетям", r.by_network),)
                if r.by_network else ()),
        Section("Официальные страницы", 1),
        Section("Регулярность публикаций (п. 5)", 2, (cadence_table(r),)),
        Section("Модерация комментариев", 2, (moderation_table(r),)),
    ]
    return tuple(out)


def tables(r: MonthlyReport) -> tuple[Table, ...]:
    return tuple(t for s in sections(r) for t in s.tables)


def subtitle(r: MonthlyReport) -> str:
    return (f"Сводная информация по п. 23 Порядка работы с сообщениями в социальных сетях. "
            f"Сформирована {fmt_dt(local(r.generated_at, r.time_zone))} ({r.time_zone}).")
