from __future__ import annotations

from django.contrib import admin

from otklik.core.admin_scope import ScopedAdmin
from otklik.mailin.models import InboundMail


@admin.register(InboundMail)
class InboundMailAdmin(ScopedAdmin):
    """The log of received mail: read only (what happened to a mail is the service's to decide)."""

    local_add = local_change = False
    list_display = ["received_at", "sender", "subject", "outcome", "action", "incident"]
    list_filter = ["outcome", "action"]
    readonly_fields = ["message_id", "received_at", "sender", "subject", "municipality", "incident", "person", "action",
                       "outcome", "answer", "text", "findings", "draft"]
    exclude = ["raw", "raw_sha256"]
