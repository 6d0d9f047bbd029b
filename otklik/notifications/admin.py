from __future__ import annotations

from django.contrib import admin

from otklik.core.admin_scope import ScopedAdmin
from otklik.notifications.models import StoredMail


@admin.register(StoredMail)
class StoredMailAdmin(ScopedAdmin):
    local_add = local_change = False
    list_display = ["created_at", "to", "subject", "municipality"]
    readonly_fields = ["municipality", "created_at", "from_email", "to", "subject", "body"]
