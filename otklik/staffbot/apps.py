from django.apps import AppConfig


class StaffbotConfig(AppConfig):
    name = "otklik.staffbot"
    label = "staffbot"
    verbose_name = "Бот для сотрудников"

    def ready(self) -> None:
        from otklik.notifications.services import NOTIFY_HOOKS
        from otklik.staffbot import tasks  # noqa: F401  (registers polling and delivery)
        from otklik.staffbot.outbox import bot_messages_for

        # The incident notifications a person already gets also go to their linked chats.
        NOTIFY_HOOKS.append(bot_messages_for)
