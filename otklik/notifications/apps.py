from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "otklik.notifications"
    label = "notifications"
    verbose_name = "Уведомления"
