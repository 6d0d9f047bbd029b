from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "otklik.reports"
    label = "reports"
    verbose_name = "Ежемесячные отчёты (п. 23)"

    def ready(self) -> None:
        from otklik.reports import tasks  # noqa: F401  (registers the monthly issuing and the reminders)
