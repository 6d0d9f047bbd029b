"""The admin, scoped: a municipality's administrator sees and changes only that municipality.

Only a system operator (a superuser made with `createsuperuser`) sees everything. A person
with the administrator role is staff but never a superuser: every model admin of the product
derives from `ScopedAdmin`, which filters the lists, refuses other municipalities' objects
(the change page answers «not found»), limits every choice of a related object to the
municipality and sets the municipality on what is created. Models a municipality does not own
(regions, the federal calendar, users, sign-in records, devices, tasks) are not offered to it:
Django's own permission check hides them, as the administrator holds no Django permissions.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from otklik.org.models import Municipality, Person, Unit
from otklik.org.roles import Role


def admin_municipality(request: HttpRequest) -> Municipality | None:
    """The municipality a non-superuser administers, or None (nothing)."""
    if hasattr(request, "_otklik_admin_municipality"):
        cached: Municipality | None = request._otklik_admin_municipality
        return cached
    result: Municipality | None = None
    user = request.user
    if user.is_authenticated and user.is_active and user.is_staff:
        person = Person.objects.select_related("municipality").filter(user_id=user.pk).first()
        if (person is not None and person.municipality is not None
                and person.role_grants.filter(role=Role.ADMINISTRATOR).exists()):
            result = person.municipality
    request._otklik_admin_municipality = result  # type: ignore[attr-defined]  # per request
    return result


def is_operator(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.is_superuser)


class ScopedAdmin(admin.ModelAdmin[Any]):
    """`scope` is the lookup from the model to its Municipality ("municipality", "unit__municipality")."""

    scope: str = "municipality"
    # What a municipality's administrator may do here (the operator may do everything).
    local_add = True
    local_change = True
    local_delete = True

    def _local(self, request: HttpRequest) -> Municipality | None:
        return None if is_operator(request) else admin_municipality(request)

    # -- what is visible -------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        if is_operator(request):
            return qs
        municipality = admin_municipality(request)
        if municipality is None:
            return qs.none()
        return qs.filter(**{self.scope: municipality.pk if self.scope == "pk" else municipality})

    def _in_scope(self, request: HttpRequest, obj: Any) -> bool:
        if obj is None or is_operator(request):
            return True
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    # -- permissions: the role, not Django's permission table --------------------------

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_operator(request) or admin_municipality(request) is not None

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if is_operator(request):
            return True
        return admin_municipality(request) is not None and self._in_scope(request, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        if is_operator(request):
            return True
        return self.local_add and admin_municipality(request) is not None

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if is_operator(request):
            return True
        return self.local_change and admin_municipality(request) is not None and self._in_scope(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if is_operator(request):
            return True
        return self.local_delete and admin_municipality(request) is not None and self._in_scope(request, obj)

    # -- choices and saving ------------------------------------------------------------

    def _limit(self, request: HttpRequest, field: models.Field[Any, Any], kwargs: dict[str, Any]) -> None:
        municipality = self._local(request)
        if municipality is None or is_operator(request):
            return
        model = field.related_model
        if model is Municipality:
            kwargs["queryset"] = Municipality.objects.filter(pk=municipality.pk)
        elif model is Unit:
            kwargs["queryset"] = Unit.objects.filter(municipality=municipality)
        elif model is Person:
            kwargs["queryset"] = Person.objects.filter(municipality=municipality)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        self._limit(request, db_field, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        self._limit(request, db_field, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_list_filter(self, request: HttpRequest) -> Any:
        # A filter lists its choices: by municipality it would name the others, and a related
        # filter would list every unit of the region; offer only what the list itself holds.
        filters = list(super().get_list_filter(request))
        if is_operator(request):
            return filters
        out: list[Any] = []
        for f in filters:
            if f in ("municipality", "region"):
                continue
            if isinstance(f, str) and "__" not in f and self.model._meta.get_field(f).is_relation:
                out.append((f, admin.RelatedOnlyFieldListFilter))
            else:
                out.append(f)
        return out

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        municipality = self._local(request)
        if municipality is not None and self.scope == "municipality" and hasattr(obj, "municipality_id"):
            obj.municipality = municipality
        super().save_model(request, obj, form, change)


class ScopedInline(admin.TabularInline[Any, Any]):
    """An inline under a scoped parent (whose admin checked the scope): choices limited the
    same way, permissions by the administrator's role."""

    def _allowed(self, request: HttpRequest) -> bool:
        return is_operator(request) or admin_municipality(request) is not None

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        municipality = None if is_operator(request) else admin_municipality(request)
        if municipality is not None:
            if db_field.related_model is Person:
                kwargs["queryset"] = Person.objects.filter(municipality=municipality)
            elif db_field.related_model is Unit:
                kwargs["queryset"] = Unit.objects.filter(municipality=municipality)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
