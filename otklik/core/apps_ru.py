"""The third-party apps under Russian names: every word of the admin a person sees is Russian.

Their AppConfigs are subclassed here (and named in INSTALLED_APPS); model names that the
packages ship in English are renamed when the apps are ready.
"""

from __future__ import annotations

from axes.apps import AppConfig as AxesAppConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TotpAppConfig
from django_tasks_db.apps import TasksAppConfig


class TotpConfig(TotpAppConfig):  # type: ignore[misc]  # the package ships no types
    verbose_name = "Второй фактор входа"

    def ready(self) -> None:
        super().ready()
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice._meta.verbose_name = "устройство второго фактора"
        TOTPDevice._meta.verbose_name_plural = "устройства второго фактора"


class AxesConfig(AxesAppConfig):  # type: ignore[misc]  # the package ships no types
    verbose_name = "Попытки входа"


class TasksConfig(TasksAppConfig):
    verbose_name = "Фоновые задачи"

    def ready(self) -> None:
        super().ready()
        from django_tasks_db.models import DBTaskResult

        DBTaskResult._meta.verbose_name = "фоновая задача"
        DBTaskResult._meta.verbose_name_plural = "фоновые задачи"
