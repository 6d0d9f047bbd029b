from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "otklik.pages"
    label = "pages"
    verbose_name = "Официальные страницы"
