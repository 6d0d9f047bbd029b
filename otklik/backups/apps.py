from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "otklik.backups"
    label = "backups"
    verbose_name = "Резервные копии"

    def ready(self) -> None:
        from otklik.backups import tasks  # noqa: F401  (registers the nightly backup)
