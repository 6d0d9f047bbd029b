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
    # The network's own id of the page (VK/OK group id digits, Telegram @channel or -100…,
    # MAX chat id): incidents' links are matched to the page by it.
    external_id = models.CharField("идентификатор в сети", max_length=100, blank=True)
    discussion_chat_id = models.CharField("группа обсуждения (Telegram)", max_length=100, blank=True)
    # Encrypted with core/vault.py; never shown after entry (the audited reveal is Прил. 1 work).
    token_sealed = models.TextField("ключ доступа (зашифрован)", blank=True, editable=False)
    token_set_at = models.DateTimeField("ключ задан", null=True, blank=True, editable=False)
    checked_at = models.DateTimeField("проверено", null=True, blank=True, editable=False)
    check_ok = models.BooleanField("ключ работает", null=True, blank=True, editable=False)
    check_message = models.TextField("результат проверки", blank=True, editable=False)

    class Meta:
        verbose_name = "официальная страница"
        verbose_name_plural = "официальные страницы"
        ordering = ["municipality", "network", "name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "url"], name="official_page_unique_url"),
            models.UniqueConstraint(fields=["network", "external_id"], name="official_page_unique_external_id",
                                    condition=~models.Q(external_id="")),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_network_display()})"

    @property
    def has_token(self) -> bool:
        return bool(self.token_sealed)
