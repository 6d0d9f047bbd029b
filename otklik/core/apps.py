from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "otklik.core"
    label = "core"
    verbose_name = "Ядро"
