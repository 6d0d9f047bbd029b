from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "otklik.incidents"
    label = "incidents"
    verbose_name = "Сообщения и инциденты"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from otklik.incidents import tasks  # noqa: F401  (registers the periodic monitor)
        from otklik.incidents.history_guard import install_guard

        connection_created.connect(install_guard, dispatch_uid="otklik-history-guard")
