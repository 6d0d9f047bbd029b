from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "otklik.org"
    label = "org"
    verbose_name = "Организация"

    def ready(self) -> None:
        from otklik.org import tasks  # noqa: F401  (registers the calendar reminder)
