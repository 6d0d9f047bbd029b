from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "otklik.pages"
    label = "pages"
    verbose_name = "Официальные страницы"

    def ready(self) -> None:
        from otklik.pages import tasks  # noqa: F401  (registers the daily checks)
