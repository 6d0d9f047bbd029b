from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from otklik.org.models import (
    Absence,
    CalendarChange,
    CalendarYearData,
    Municipality,
    Person,
    PersonRole,
    Region,
    ScheduleVersion,
    Unit,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ["name", "slug"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin[Municipality]):
    list_display = ["name", "slug", "region", "time_zone"]
    list_filter = ["region"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin[Unit]):
    list_display = ["name", "municipality", "kind", "head", "is_general_department"]
    list_filter = ["municipality", "kind"]


class PersonRoleInline(admin.TabularInline[PersonRole, Person]):
    model = PersonRole
    extra = 1


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin[Person]):
    list_display = ["full_name", "municipality", "unit", "position"]
    list_filter = ["municipality", "unit"]
    search_fields = ["full_name", "user__username"]
    inlines = [PersonRoleInline]


@admin.register(Absence)
class AbsenceAdmin(admin.ModelAdmin[Absence]):
    list_display = ["person", "kind", "starts_on", "ends_on", "substitute"]
    list_filter = ["kind"]


class RecomputesDeadlines(admin.ModelAdmin[Any]):
    """A change of working time moves the deadlines of steps not yet due (issue: worktime)."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        _recompute(obj.municipality_id)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        municipality_id = obj.municipality_id
        super().delete_model(request, obj)
        _recompute(municipality_id)


def _recompute(municipality_id: int) -> None:
    from otklik.incidents.deadlines import deadlines_recompute_municipality

    deadlines_recompute_municipality(municipality_id=municipality_id)


@admin.register(ScheduleVersion)
class ScheduleVersionAdmin(RecomputesDeadlines):
    list_display = ["municipality", "effective_from"]


@admin.register(CalendarChange)
class CalendarChangeAdmin(RecomputesDeadlines):
    list_display = ["municipality", "day", "kind", "note"]
    list_filter = ["municipality", "kind"]


@admin.register(CalendarYearData)
class CalendarYearDataAdmin(admin.ModelAdmin[CalendarYearData]):
    list_display = ["year", "source", "loaded_at"]
