"""The monthly report of п. 23 as issued: frozen, versioned, with its signed history.

A `ReportIssue` is one version of one municipality's report for one month. Its `data` (the
MonthlyReport as JSON) and `html` (the rendered body) are written once, when it is prepared, and
never change: recomputing the month later, when messages were added or corrected, makes a new
version with its reason, and the old one stays as it was. The steps — prepared, commented,
presented to the deputy head, acknowledged — go to `ReportEvent`, an append-only, HMAC-chained
history (reports/issuing.py), as the pages' access history does.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from django.db import models

from otklik.org.models import Municipality, Person


class ReportIssue(models.Model):
    class State(models.TextChoices):
        PREPARED = "prepared", "Подготовлен"
        COMMENTED = "commented", "Прокомментирован куратором"
        PRESENTED = "presented", "Представлен заместителю главы"
        ACKNOWLEDGED = "acknowledged", "Заместитель главы ознакомлен"

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="report_issues",
                                     verbose_name="муниципальное образование")
    month = models.DateField("отчётный месяц")  # the first day of the month
    version = models.PositiveIntegerField("версия", default=1)
    data = models.JSONField("отчёт (данные на момент выпуска)", editable=False)
    data_hash = models.CharField("SHA-256 данных", max_length=64, editable=False)
    html = models.TextField("отчёт (HTML на момент выпуска)", editable=False)
    state = models.CharField("состояние", max_length=16, choices=State.choices, default=State.PREPARED,
                             db_index=True)
    prepared_at = models.DateTimeField("подготовлен")
    prepared_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name="подготовил (пусто — система)")
    reason = models.TextField("причина новой версии", blank=True)
    comment = models.TextField("комментарий куратора", blank=True)
    commented_at = models.DateTimeField(null=True, blank=True)
    commented_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    presented_at = models.DateTimeField("представлен", null=True, blank=True)
    presented_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    acknowledged_at = models.DateTimeField("ознакомлен", null=True, blank=True)
    acknowledged_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    history_head = models.CharField("подпись последней записи истории", max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = "выпущенный ежемесячный отчёт"
        verbose_name_plural = "выпущенные ежемесячные отчёты"
        ordering: ClassVar[list[str]] = ["-month", "municipality__name", "-version"]
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["municipality", "month", "version"], name="report_issue_unique_version"),
        ]

    def __str__(self) -> str:
        return f"Отчёт {self.municipality_id} за {self.month:%m.%Y}, версия {self.version}"

    @property
    def due_date(self) -> date:
        """П. 23: presented by the 5th of the month after the report's month."""
        following = date(self.month.year + self.month.month // 12, self.month.month % 12 + 1, 5)
        return following

    @property
    def is_presented(self) -> bool:
        return self.state in (self.State.PRESENTED, self.State.ACKNOWLEDGED)


class ReportEvent(models.Model):
    """Append-only, HMAC-chained history of one issued report's steps."""

    class Action(models.TextChoices):
        PREPARED = "prepared", "Отчёт подготовлен"
        COMMENTED = "commented", "Куратор добавил комментарий"
        PRESENTED = "presented", "Представлен заместителю главы"
        ACKNOWLEDGED = "acknowledged", "Заместитель главы ознакомлен"
        SUPERSEDED = "superseded", "Выпущена новая версия"

    issue = models.ForeignKey(ReportIssue, on_delete=models.PROTECT, related_name="events", verbose_name="отчёт")
    seq = models.PositiveIntegerField("№")
    at = models.DateTimeField("когда")
    actor = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name="сотрудник")
    actor_label = models.CharField("кто", max_length=300)
    action = models.CharField("действие", max_length=16, choices=Action.choices)
    text = models.TextField("комментарий или причина", blank=True)
    payload = models.JSONField("подробности", default=dict, blank=True)
    prev_hash = models.CharField("подпись предыдущей записи", max_length=64)
    hash = models.CharField("подпись", max_length=64)

    class Meta:
        verbose_name = "шаг отчёта"
        verbose_name_plural = "история отчётов"
        ordering: ClassVar[list[str]] = ["issue", "seq"]
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["issue", "seq"], name="report_event_unique_seq"),
        ]

    def __str__(self) -> str:
        return f"отчёт {self.issue_id}.{self.seq}: {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("История отчёта не изменяется.")
        super().save(*args, **kwargs)
