from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "otklik.core"
    label = "core"
    verbose_name = "Ядро"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from otklik.core.db_functions import install_functions

        connection_created.connect(install_functions, dispatch_uid="otklik-db-functions")
