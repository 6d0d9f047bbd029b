"""Configuration of the organisation: a municipality's administrator sees only their own
(core/admin_scope.py); regions and the federal calendar belong to the system operator."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db.models import QuerySet
from django.http import HttpRequest

from otklik.core.admin_scope import ScopedAdmin, ScopedInline, admin_municipality, is_operator
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
from otklik.org.roles import Role

# Roles only the system operator grants: the region's people are not a municipality's to make.
OPERATOR_ROLES = frozenset({Role.REGIONAL_CURATOR})


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ["name", "slug"]


@admin.register(Municipality)
class MunicipalityAdmin(ScopedAdmin):
    scope = "pk"
    local_add = False
    local_delete = False
    list_display = ["name", "slug", "region", "time_zone"]
    list_filter = ["region"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return () if is_operator(request) else ("region", "slug")


@admin.register(Unit)
class UnitAdmin(ScopedAdmin):
    list_display = ["name", "municipality", "kind", "head", "is_general_department"]
    list_filter = ["municipality", "kind"]


class PersonRoleForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = PersonRole
        fields = ["role"]


class PersonRoleInline(ScopedInline):
    model = PersonRole
    form = PersonRoleForm
    extra = 1

    def formfield_for_choice_field(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "role" and not is_operator(request):
            kwargs["choices"] = [("", "---------"), *((v, label) for v, label in Role.choices
                                                      if v not in OPERATOR_ROLES)]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


class PersonForm(forms.ModelForm):  # type: ignore[type-arg]
    """A person and their sign-in: login, a new password, access on or off."""

    login = forms.CharField(label="логин", max_length=150)
    new_password = forms.CharField(label="новый пароль", required=False, widget=forms.PasswordInput(render_value=False),
                                   help_text="Пусто — пароль не меняется. Для нового сотрудника обязателен.")
    active = forms.BooleanField(label="доступ открыт", required=False, initial=True,
                                help_text="Снимите, когда сотрудник уходит: вход и его ключи API перестают работать.")

    class Meta:
        model = Person
        fields = ["full_name", "position", "region", "municipality", "unit", "substitute", "email", "phone"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["login"].initial = self.instance.user.username
            self.fields["active"].initial = self.instance.user.is_active

    def clean_login(self) -> str:
        login = str(self.cleaned_data["login"]).strip()
        users = get_user_model().objects.filter(username=login)
        if self.instance.pk:
            users = users.exclude(pk=self.instance.user_id)
        if users.exists():
            raise forms.ValidationError("Такой логин уже занят.")
        return login

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password = data.get("new_password")
        if not self.instance.pk and not password:
            self.add_error("new_password", "Задайте пароль новому сотруднику.")
        elif password:
            try:
                validate_password(password)
            except forms.ValidationError as exc:
                self.add_error("new_password", exc)
        return data


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    form = PersonForm
    list_display = ["full_name", "municipality", "unit", "position"]
    list_filter = ["municipality", "unit"]
    search_fields = ["full_name", "user__username"]
    inlines = [PersonRoleInline]

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        return () if is_operator(request) else ("region", "municipality")

    def save_model(self, request: HttpRequest, obj: Person, form: Any, change: bool) -> None:
        municipality = None if is_operator(request) else admin_municipality(request)
        if municipality is not None:
            obj.municipality, obj.region = municipality, municipality.region
        data = form.cleaned_data
        User = get_user_model()
        user = obj.user if change else User(username=data["login"])
        user.username = data["login"]
        user.is_active = bool(data.get("active"))
        if data.get("new_password"):
            user.set_password(data["new_password"])
        user.save()
        obj.user = user
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        person: Person = form.instance
        # The admin site lets in staff only: an administrator is staff, nobody else is.
        staff = person.role_grants.filter(role=Role.ADMINISTRATOR).exists()
        type(person.user).objects.filter(pk=person.user_id).update(is_staff=staff)


@admin.register(Absence)
class AbsenceAdmin(ScopedAdmin):
    scope = "person__municipality"
    list_display = ["person", "kind", "starts_on", "ends_on", "substitute"]
    list_filter = ["kind"]


def _recompute(municipality_id: int) -> None:
    from otklik.incidents.deadlines import deadlines_recompute_municipality

    deadlines_recompute_municipality(municipality_id=municipality_id)


class RecomputesDeadlines(ScopedAdmin):
    """A change of working time moves the deadlines of steps not yet due — after a save, a
    delete, and the bulk «delete selected» action alike."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        _recompute(obj.municipality_id)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        municipality_id = obj.municipality_id
        super().delete_model(request, obj)
        _recompute(municipality_id)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        municipalities = set(queryset.values_list("municipality_id", flat=True))
        super().delete_queryset(request, queryset)
        for municipality_id in municipalities:
            _recompute(municipality_id)


@admin.register(ScheduleVersion)
class ScheduleVersionAdmin(RecomputesDeadlines):
    list_display = ["municipality", "effective_from"]


@admin.register(CalendarChange)
class CalendarChangeAdmin(RecomputesDeadlines):
    list_display = ["municipality", "day", "kind", "note"]
    list_filter = ["municipality", "kind"]


@admin.register(CalendarYearData)
class CalendarYearDataAdmin(admin.ModelAdmin[CalendarYearData]):
    """A federal year: the system operator's; any change moves open deadlines everywhere."""

    list_display = ["year", "source", "loaded_at"]

    def save_model(self, request: HttpRequest, obj: CalendarYearData, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        _recompute_everywhere()

    def delete_model(self, request: HttpRequest, obj: CalendarYearData) -> None:
        super().delete_model(request, obj)
        _recompute_everywhere()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CalendarYearData]) -> None:
        super().delete_queryset(request, queryset)
        _recompute_everywhere()


def _recompute_everywhere() -> None:
    from otklik.incidents.deadlines import deadlines_recompute_everywhere

    deadlines_recompute_everywhere()
