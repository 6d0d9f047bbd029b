"""Configuration of the workflow. Incidents and their history are read here, never edited:
changes go through the services, and the history is append-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from otklik.incidents.models import DeadlinePolicy, Incident, IncidentEvent, TopicRoute


@admin.register(TopicRoute)
class TopicRouteAdmin(admin.ModelAdmin[TopicRoute]):
    list_display = ["topic", "unit", "municipality"]
    list_filter = ["municipality"]


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin[DeadlinePolicy]):
    list_display = ["municipality", "effective_from"]
    help_texts = {"timings": 'Например: {"answer": [540, "m"], "final_answer": [7, "d"]}'}

    def save_model(self, request: HttpRequest, obj: DeadlinePolicy, form: Any, change: bool) -> None:
        from otklik.incidents.deadlines import deadlines_recompute_municipality

        super().save_model(request, obj, form, change)
        deadlines_recompute_municipality(municipality_id=obj.municipality_id)


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
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
    list_display = ["incident", "seq", "at", "actor_label", "action", "from_status", "to_status"]
