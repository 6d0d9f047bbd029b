from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "otklik.notifications"
    label = "notifications"
    verbose_name = "Уведомления"

    def ready(self) -> None:
        from otklik.notifications import tasks  # noqa: F401  (registers the periodic sweep)
