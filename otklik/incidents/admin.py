"""Configuration of the workflow. Incidents and their history are read here, never edited:
changes go through the services, and the history is append-only. Everything is scoped to the
administrator's municipality (core/admin_scope.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from otklik.core.admin_scope import ScopedAdmin
from otklik.incidents.models import DeadlinePolicy, Incident, IncidentEvent, TopicRoute
from otklik.org.admin import RecomputesDeadlines


@admin.register(TopicRoute)
class TopicRouteAdmin(ScopedAdmin):
    list_display = ["topic", "unit", "municipality"]
    list_filter = ["municipality"]


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(RecomputesDeadlines):
    """The step timings: a change moves open deadlines not yet due, as a calendar change does."""

    list_display = ["municipality", "effective_from"]


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
