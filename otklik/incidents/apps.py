from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "otklik.incidents"
    label = "incidents"
    verbose_name = "Сообщения и инциденты"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from otklik.incidents import tasks  # noqa: F401  (registers the periodic monitor)
        from otklik.incidents.history_guard import install_guard

        connection_created.connect(install_guard, dispatch_uid="otklik-history-guard")

        from otklik.incidents.screening_learned import model_path
        from otklik.texts.screening import learned

        learned.set_model_path(model_path())  # the worker's retrained model, when there is one

        from django.db.models.signals import post_delete, post_save

        from otklik.incidents.models import DeadlinePolicy
        from otklik.incidents.policy import policies_forget

        post_save.connect(policies_forget, sender=DeadlinePolicy, dispatch_uid="otklik-policies")
        post_delete.connect(policies_forget, sender=DeadlinePolicy, dispatch_uid="otklik-policies-del")
