"""«Обзор»: the board of the deputy head, the curators and the general head (boards.py)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from otklik.core.access import requires
from otklik.incidents.deadlines import WEEKDAYS
from otklik.org.roles import Role
from otklik.org.selectors import Access
from otklik.reports.boards import GROUPS, OVERDUE, Board, BoardItem, Week, board_for

BOARD_ROLES: tuple[str, ...] = (Role.DEPUTY_HEAD, Role.MUNICIPAL_CURATOR, Role.REGIONAL_CURATOR, Role.GENERAL_HEAD)

# The trend chart's geometry (SVG user units); colours as in the monthly report's charts.
WIDTH, HEIGHT, LEFT, TOP, BOTTOM = 640, 240, 34, 12, 40
RECEIVED, ON_TIME, LATE, AXIS = "#2a5db0", "#2e7d32", "#c62828", "#5f6b7a"


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    title: str


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    anchor: str = "middle"


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    rects: tuple[Rect, ...]
    labels: tuple[Label, ...]
    baseline: float
    left: int = LEFT


def trend_chart(weeks: tuple[Week, ...]) -> Chart:
    """Per week two bars: received, and answered (on time below, late stacked on top)."""
    top = max([max(w.received, w.answered) for w in weeks] + [1])
    plot_h = HEIGHT - TOP - BOTTOM
    base = TOP + plot_h
    slot = (WIDTH - LEFT) / max(len(weeks), 1)
    bar = slot * 0.36

    def h(n: int) -> float:
        return round(plot_h * n / top, 1)

    rects: list[Rect] = []
    labels = [Label(x=LEFT - 4, y=TOP + 4, text=str(top), anchor="end"), Label(x=LEFT - 4, y=base, text="0", anchor="end")]
    for n, w in enumerate(weeks):
        x = round(LEFT + n * slot + slot * 0.1, 1)
        day = f"{w.start:%d.%m}"
        if w.received:
            rects.append(Rect(x, base - h(w.received), round(bar, 1), h(w.received), RECEIVED,
                              f"Неделя с {day}: поступило {w.received}"))
        x2 = round(x + bar, 1)
        if w.on_time:
            rects.append(Rect(x2, base - h(w.on_time), round(bar, 1), h(w.on_time), ON_TIME,
                              f"Неделя с {day}: ответ в срок {w.on_time}"))
        if w.late:
            rects.append(Rect(x2, base - h(w.on_time) - h(w.late), round(bar, 1), h(w.late), LATE,
                              f"Неделя с {day}: ответ с нарушением срока {w.late}"))
        labels.append(Label(x=round(x + bar, 1), y=base + 16, text=day))
    return Chart(width=WIDTH, height=HEIGHT, rects=tuple(rects), labels=tuple(labels), baseline=base)


def item_due_text(item: BoardItem) -> str:
    d = item.due_local
    when = f"{d:%H:%M}, {WEEKDAYS[d.weekday()]} {d:%d.%m}"
    if item.group == OVERDUE:
        return f"просрочено — срок был {when}"
    if item.share is None:
        return f"срок {when}"
    approx = " (≈ по сроку)" if item.approximate else ""
    return f"срок {when} · использовано {item.share:.0%} рабочего времени{approx}"


def _sections(board: Board) -> list[dict[str, object]]:
    sections = []
    for name, title in GROUPS:
        units = [(unit, [(i, item_due_text(i)) for i in items]) for unit, items in board.grouped_by_unit(name)]
        sections.append({"name": name, "title": title, "count": sum(len(u[1]) for u in units), "units": units})
    return sections


@requires(*BOARD_ROLES)
def board(request: HttpRequest, access: Access) -> HttpResponse:
    data = board_for(access=access, municipality=request.GET.get("mo", "") if access.is_regional else "")
    return render(request, "reports/board.html", {
        "board": data, "sections": _sections(data), "chart": trend_chart(data.weeks),
        "regional": access.is_regional, "colors": {"received": RECEIVED, "on_time": ON_TIME, "late": LATE},
    })
