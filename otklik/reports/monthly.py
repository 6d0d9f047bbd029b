"""The monthly report of п. 23: the one data structure every format renders.

`monthly_report()` (otklik/reports/selectors.py) computes it; `otklik/reports/render/` turns it
into HTML, DOCX, XLSX and PDF. The numbers come from here only, so every format agrees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class Figure:
    """One headline number with the same number a month before and a year before (None: no data)."""

    key: str
    label: str
    value: int
    previous: int | None = None
    year_ago: int | None = None


@dataclass(frozen=True)
class StepRow:
    """One step of п. 8–19 over the month: how many ended, on time, late, and how late at most."""

    kind: str
    label: str
    total: int
    on_time: int
    late: int
    worst_late_minutes: int = 0  # working minutes past the deadline

    @property
    def on_time_share(self) -> float:
        return self.on_time / self.total if self.total else 1.0


@dataclass(frozen=True)
class Share:
    label: str
    count: int


@dataclass(frozen=True)
class UnitRow:
    """Per unit: drafts it submitted, how many were approved the first time, returns by reason (п. 14)."""

    unit: str
    drafts: int
    first_pass: int
    returns: tuple[Share, ...] = ()

    @property
    def first_pass_rate(self) -> float:
        return self.first_pass / self.drafts if self.drafts else 1.0


@dataclass(frozen=True)
class OverdueItem:
    incident_id: int
    link: str  # the incident's page in Otklik
    step: str  # the step's label
    who: str  # who had to act
    due_at: datetime
    late_minutes: int  # working minutes late (or still late at the month's end)
    done: bool  # the step was done, late; False: still open at the month's end


@dataclass(frozen=True)
class CadenceRow:
    page: str
    network: str
    weeks: int  # weeks of the month counted (Monday-based, at least 4 days in the month)
    weeks_below: int  # weeks with fewer posts than the norm (п. 5)
    posts: int


@dataclass(frozen=True)
class MonthlyReport:
    municipality: str
    slug: str
    month: date  # the first day of the month
    generated_at: datetime
    time_zone: str
    headline: tuple[Figure, ...]  # received, high importance, publications, answered, on time, overdue, …
    steps: tuple[StepRow, ...]
    no_answer_by_reason: tuple[Share, ...]  # п. 21
    returns_by_reason: tuple[Share, ...]  # п. 14
    first_pass_rate: float  # share of drafts approved without a return
    units: tuple[UnitRow, ...]
    by_topic: tuple[Share, ...]
    by_location: tuple[Share, ...]
    by_network: tuple[Share, ...]
    intermediate: int  # intermediate answers (п. 18)
    final_on_time: int  # of them, the final answer within the term of п. 18
    cadence: tuple[CadenceRow, ...] = ()
    moderation: tuple[Share, ...] = ()  # deleted by reason, black-listed, restored, to publication
    overdue: tuple[OverdueItem, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def title(self) -> str:
        months = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
                  "ноябрь", "декабрь"]
        return f"Отчёт о работе с сообщениями в социальных сетях: {self.municipality}, {months[self.month.month - 1]} " \
               f"{self.month.year} г."
