from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "otklik.moderation"
    label = "moderation"
    verbose_name = "Модерация комментариев"

    def ready(self) -> None:
        from otklik.moderation import tasks  # noqa: F401  (registers polling and the action sweep)
