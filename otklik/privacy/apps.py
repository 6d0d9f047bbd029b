from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "otklik.privacy"
    label = "privacy"
    verbose_name = "Персональные данные"

    def ready(self) -> None:
        from otklik.privacy import tasks  # noqa: F401  (registers the retention sweep)
