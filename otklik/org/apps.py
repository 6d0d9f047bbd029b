from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "otklik.org"
    label = "org"
    verbose_name = "Организация"

    def ready(self) -> None:
        from otklik.org import calendars, tasks  # noqa: F401  (the calendar reminder; the cache's signals)
