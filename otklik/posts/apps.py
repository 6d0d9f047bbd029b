from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "otklik.posts"
    label = "posts"
    verbose_name = "Публикации на официальных страницах"

    def ready(self) -> None:
        from otklik.posts import tasks  # noqa: F401  (registers the sweep and the cadence reminders)
