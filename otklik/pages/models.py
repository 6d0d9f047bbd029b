"""Official pages of the administration and its institutions (Приложение 1)."""

from __future__ import annotations

from django.db import models

from otklik.channels.networks import Network
from otklik.org.models import Municipality, Person, Unit


class OfficialPage(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="official_pages", verbose_name="МО"
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="official_pages",
        verbose_name="учреждение (пусто — администрация)",
    )
    network = models.CharField("сеть", max_length=16, choices=Network.choices)
    name = models.CharField("название", max_length=300)
    url = models.URLField("ссылка")
    phone = models.CharField("служебный телефон привязки", max_length=32, blank=True)
    responsible = models.ManyToManyField(
        Person, blank=True, related_name="official_pages", verbose_name="ответственные"
    )

    class Meta:
        verbose_name = "официальная страница"
        verbose_name_plural = "официальные страницы"
        ordering = ["municipality", "network", "name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "url"], name="official_page_unique_url"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_network_display()})"
