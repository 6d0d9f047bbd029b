"""Configuration of the workflow. Incidents and their history are read here, never edited:
changes go through the services, and the history is append-only. Everything is scoped to the
administrator's municipality (core/admin_scope.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from otklik.core.admin_scope import ScopedAdmin
from otklik.incidents.models import DeadlinePolicy, Incident, IncidentEvent, TopicRoute


@admin.register(TopicRoute)
class TopicRouteAdmin(ScopedAdmin):
    list_display = ["topic", "unit", "municipality"]
    list_filter = ["municipality"]


def _recompute(municipality_id: int) -> None:
    from otklik.incidents.deadlines import deadlines_recompute_municipality

    deadlines_recompute_municipality(municipality_id=municipality_id)


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(ScopedAdmin):
    list_display = ["municipality", "effective_from"]
    help_texts = {"timings": 'Например: {"answer": [540, "m"], "final_answer": [7, "d"]}'}

    def save_model(self, request: HttpRequest, obj: DeadlinePolicy, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        _recompute(obj.municipality_id)

    def delete_model(self, request: HttpRequest, obj: DeadlinePolicy) -> None:
        municipality_id = obj.municipality_id
        super().delete_model(request, obj)
        _recompute(municipality_id)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[DeadlinePolicy]) -> None:
        municipalities = set(queryset.values_list("municipality_id", flat=True))
        super().delete_queryset(request, queryset)
        for municipality_id in municipalities:
            _recompute(municipality_id)


class ReadOnlyAdmin(ScopedAdmin):
    local_add = local_change = local_delete = False

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = ["pk", "municipality", "kind", "importance", "status", "detected_at"]
    list_filter = ["municipality", "status", "importance", "kind"]


@admin.register(IncidentEvent)
class IncidentEventAdmin(ReadOnlyAdmin):
    scope = "incident__municipality"
    list_display = ["incident", "seq", "at", "actor_label", "action", "from_status", "to_status"]
