"""Personal data under 152-ФЗ (SPEC §10): how long a municipality keeps it, what was erased
and why, and who opened it.

Citizens' names, profile links and texts live in the incidents, drafts, history, letters and
comments of the other apps; this app holds only the policy and the records about them. An
erasure record keeps no copy of what it erased: the person is named by a keyed digest of the
profile link, so a repeated request can be matched but the link cannot be read back.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from otklik.incidents.models import Incident
from otklik.org.models import Municipality, Person

# The monthly report (п. 23) compares each month with the same month a year before: personal
# data is kept at least that long after closing, so a report can still be re-checked by hand.
MIN_KEEP_YEARS = 1
DEFAULT_KEEP_YEARS = 3


class RetentionPolicy(models.Model):
    municipality = models.OneToOneField(Municipality, on_delete=models.CASCADE, related_name="retention_policy",
                                        verbose_name="МО")
    keep_years = models.PositiveSmallIntegerField(
        "хранить персональные данные после закрытия сообщения, лет", default=DEFAULT_KEEP_YEARS,
        validators=[MinValueValidator(MIN_KEEP_YEARS), MaxValueValidator(75)])
    access_log_years = models.PositiveSmallIntegerField(
        "хранить журнал просмотров персональных данных, лет", default=DEFAULT_KEEP_YEARS,
        validators=[MinValueValidator(MIN_KEEP_YEARS), MaxValueValidator(75)])
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "срок хранения персональных данных"
        verbose_name_plural = "сроки хранения персональных данных"

    def __str__(self) -> str:
        return f"{self.municipality}: {self.keep_years} г. после закрытия"


class Erasure(models.Model):
    """One erasure: on a person's request, or of what the retention policy let expire."""

    class Basis(models.TextChoices):
        REQUEST = "request", "Запрос субъекта персональных данных"
        RETENTION = "retention", "Истёк срок хранения"

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+", verbose_name="МО")
    basis = models.CharField("основание", max_length=16, choices=Basis.choices)
    # HMAC of the normalised profile link (request only): matches a repeated request, reveals nothing.
    author_digest = models.CharField(max_length=64, blank=True, db_index=True)
    reason = models.TextField("основание запроса", blank=True)
    requested_on = models.DateField("дата запроса", null=True, blank=True)
    done_at = models.DateTimeField("выполнено", db_index=True)
    by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                           verbose_name="кто выполнил")
    by_label = models.CharField("кто выполнил", max_length=300)
    # What was erased, as counts and incident numbers (never the erased values).
    report = models.JSONField("что удалено", default=dict)
    # Incidents still in work when the request came: erased by the worker when they close.
    pending = models.JSONField("ожидают закрытия", default=list, blank=True)

    class Meta:
        verbose_name = "удаление персональных данных"
        verbose_name_plural = "удаления персональных данных"
        ordering: ClassVar[list[str]] = ["-done_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_basis_display()} от {self.done_at:%d.%m.%Y}"


class AccessLog(models.Model):
    """Somebody opened a message's personal data (its page, a file, an export)."""

    class What(models.TextChoices):
        PAGE = "page", "Карточка сообщения"
        FILE = "file", "Файл проекта ответа"
        EXPORT = "export", "Выгрузка по запросу"

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+", verbose_name="МО")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                                 verbose_name="сообщение")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="сотрудник")
    person_label = models.CharField("кто", max_length=300)
    what = models.CharField("что открыто", max_length=8, choices=What.choices, default=What.PAGE)
    at = models.DateTimeField("когда", db_index=True)

    class Meta:
        verbose_name = "просмотр персональных данных"
        verbose_name_plural = "журнал просмотров персональных данных"
        ordering: ClassVar[list[str]] = ["-at", "-pk"]
        indexes: ClassVar[list[Any]] = [models.Index(fields=["municipality", "at"], name="privacy_log_muni_at")]

    def __str__(self) -> str:
        return f"{self.person_label}: № {self.incident_id} {self.at:%d.%m.%Y %H:%M}"
