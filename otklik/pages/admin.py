from __future__ import annotations

from django.contrib import admin

from otklik.core.admin_scope import ScopedAdmin
from otklik.pages.models import OfficialPage


@admin.register(OfficialPage)
class OfficialPageAdmin(ScopedAdmin):
    list_display = ["name", "network", "municipality", "unit", "url"]
    list_filter = ["network", "municipality"]
    filter_horizontal = ["responsible"]
