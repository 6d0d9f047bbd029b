from django.contrib import admin

from otklik.notifications.models import StoredMail


@admin.register(StoredMail)
class StoredMailAdmin(admin.ModelAdmin[StoredMail]):
    list_display = ["created_at", "to", "subject", "municipality"]
    readonly_fields = ["municipality", "created_at", "from_email", "to", "subject", "body"]
