from django.contrib import admin

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


@admin.register(ScheduleVersion)
class ScheduleVersionAdmin(admin.ModelAdmin[ScheduleVersion]):
    list_display = ["municipality", "effective_from"]


@admin.register(CalendarChange)
class CalendarChangeAdmin(admin.ModelAdmin[CalendarChange]):
    list_display = ["municipality", "day", "kind", "note"]
    list_filter = ["municipality", "kind"]


@admin.register(CalendarYearData)
class CalendarYearDataAdmin(admin.ModelAdmin[CalendarYearData]):
    list_display = ["year", "source", "loaded_at"]
