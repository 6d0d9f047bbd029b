"""The organisation of SPEC §1: region, municipality (the tenant), units, people, absences."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from otklik.org.roles import Role


class Region(models.Model):
    name = models.CharField("название", max_length=200, unique=True)
    slug = models.SlugField("код", unique=True)

    class Meta:
        verbose_name = "регион"
        verbose_name_plural = "регионы"

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name="регион"
    )
    name = models.CharField("название", max_length=300)
    slug = models.SlugField("код", unique=True)
    time_zone = models.CharField("часовой пояс", max_length=64, default="Europe/Moscow")
    # Прил. 1 п. 5: «не менее 2 публикаций в неделю» on every official page.
    posts_per_week = models.PositiveSmallIntegerField("публикаций в неделю на страницу (не менее)", default=2)
    # Changed by database triggers whenever the municipality's calendar changes, its schedule
    # or its deadline policy (or a federal year is loaded): the key of the process-memory
    # caches of org/calendars.py, read for free with the municipality's row.
    calendar_stamp = models.BigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = "муниципальное образование"
        verbose_name_plural = "муниципальные образования"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    class Kind(models.TextChoices):
        DEPARTMENT = "department", "Отдел администрации"
        INSTITUTION = "institution", "Подведомственное учреждение"

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="units", verbose_name="МО"
    )
    name = models.CharField("название", max_length=300)
    kind = models.CharField("вид", max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)
    is_general_department = models.BooleanField("общий отдел", default=False)
    email = models.EmailField("e-mail для поручений", blank=True)
    head = models.ForeignKey(
        "Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_units",
        verbose_name="руководитель",
    )

    class Meta:
        verbose_name = "подразделение"
        verbose_name_plural = "подразделения"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="unit_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """A member of staff. A regional curator has a region and no municipality."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="person"
    )
    full_name = models.CharField("ФИО", max_length=200)
    position = models.CharField("должность", max_length=200, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="people", verbose_name="регион"
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name="МО",
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name="подразделение",
    )
    substitute = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="substituted",
        verbose_name="замещающий (по умолчанию)",
    )
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("телефон", max_length=32, blank=True)

    class Meta:
        verbose_name = "сотрудник"
        verbose_name_plural = "сотрудники"
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        if self.municipality and self.municipality.region_id != self.region_id:
            raise ValidationError("МО сотрудника должно быть в его регионе.")
        if self.unit and self.unit.municipality_id != self.municipality_id:
            raise ValidationError("Подразделение должно принадлежать МО сотрудника.")


class PersonRole(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField("роль", max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = "роль"
        verbose_name_plural = "роли"
        constraints = [
            models.UniqueConstraint(fields=["person", "role"], name="person_role_unique"),
        ]

    def __str__(self) -> str:
        return self.get_role_display()


class Absence(models.Model):
    """An absence of п. 7.2: work sent to the person goes to the substitute instead."""

    class Kind(models.TextChoices):
        ILLNESS = "illness", "Болезнь"
        LEAVE = "leave", "Отпуск"
        TRIP = "trip", "Командировка"
        STUDY = "study", "Учёба"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="absences")
    kind = models.CharField("причина", max_length=16, choices=Kind.choices)
    starts_on = models.DateField("с")
    ends_on = models.DateField("по (включительно)")
    substitute = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="substitutions",
        verbose_name="замещающий",
        null=True,
        blank=True,
        help_text="Пусто — замещающий по умолчанию из карточки сотрудника.",
    )
    note = models.CharField("примечание", max_length=300, blank=True)

    class Meta:
        verbose_name = "отсутствие"
        verbose_name_plural = "отсутствия"
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="absence_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()} {self.starts_on:%d.%m.%Y}–{self.ends_on:%d.%m.%Y}"

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def clean(self) -> None:
        if self.substitute_id and self.substitute_id == self.person_id:
            raise ValidationError("Сотрудник не может замещать сам себя.")


class ScheduleVersion(models.Model):
    """The municipality's weekly hours from a date (TOML of otklik.worktime's schedule format)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="schedule_versions", verbose_name="МО"
    )
    effective_from = models.DateField("действует с")
    schedule_toml = models.TextField(
        "график (TOML)",
        help_text='Например: time_zone = "Europe/Moscow" и [days] mon = ["09:00-13:00", "14:00-18:00"]',
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "график работы"
        verbose_name_plural = "графики работы"
        ordering = ["municipality", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "effective_from"], name="schedule_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality}: с {self.effective_from:%d.%m.%Y}"

    def clean(self) -> None:
        from otklik.worktime import WeeklySchedule

        try:
            WeeklySchedule.from_toml(self.schedule_toml)
        except (ValueError, KeyError, TypeError) as exc:
            raise ValidationError({"schedule_toml": f"Ошибка в графике: {exc}"}) from exc


class CalendarChange(models.Model):
    """A regional holiday or a local one-off change of one day, laid over the federal calendar."""

    class Kind(models.TextChoices):
        NON_WORKING = "non_working", "Нерабочий день"
        WORKING = "working", "Рабочий день"
        SHORTENED = "shortened", "Сокращённый день (на час короче)"

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="calendar_changes", verbose_name="МО"
    )
    day = models.DateField("дата")
    kind = models.CharField("что", max_length=16, choices=Kind.choices)
    note = models.CharField("основание", max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "изменение календаря"
        verbose_name_plural = "изменения календаря (региональные и местные)"
        ordering = ["municipality", "day"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "day"], name="calendar_change_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.day:%d.%m.%Y}: {self.get_kind_display()}"

    def clean(self) -> None:
        from otklik.worktime import ProductionCalendar, federal_calendar

        if self.day is None:
            return
        first = federal_calendar().first_day
        last = federal_calendar().last_day.year + ProductionCalendar.AUTO_EXTENSION_YEARS
        if self.day < first:
            raise ValidationError({"day": f"Дата раньше начала производственного календаря ({first:%d.%m.%Y})."})
        if self.day.year > last:
            raise ValidationError({"day": f"Слишком далеко: календарь ведётся не дальше {last} года."})


class CalendarYearData(models.Model):
    """A federal year loaded by `otklik worktime import` (xmlcalendar), winning over shipped data."""

    year = models.PositiveIntegerField("год", unique=True)
    source = models.CharField("источник", max_length=500)
    data_toml = models.TextField("данные года (формат otklik.worktime)")
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "год производственного календаря"
        verbose_name_plural = "годы производственного календаря (загруженные)"
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)
