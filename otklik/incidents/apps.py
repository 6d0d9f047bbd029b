from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "otklik.incidents"
    label = "incidents"
    verbose_name = "Сообщения и инциденты"

    def ready(self) -> None:
        from otklik.incidents import tasks  # noqa: F401  (registers the periodic monitor)
