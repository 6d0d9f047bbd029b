from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "otklik.org"
    label = "org"
    verbose_name = "Организация"
