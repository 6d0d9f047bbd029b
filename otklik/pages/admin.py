from django.contrib import admin

from otklik.pages.models import OfficialPage


@admin.register(OfficialPage)
class OfficialPageAdmin(admin.ModelAdmin[OfficialPage]):
    list_display = ["name", "network", "municipality", "unit", "url"]
    list_filter = ["network", "municipality"]
    filter_horizontal = ["responsible"]
