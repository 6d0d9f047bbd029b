"""Official pages of the administration and its institutions (Приложение 1)."""

from __future__ import annotations

from typing import Any, ClassVar

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
    # What the network says of the page itself at the last check (Прил. 1 п. 8: open, comments open).
    page_open = models.BooleanField("страница открыта", null=True, blank=True, editable=False)
    comments_open = models.BooleanField("комментарии открыты", null=True, blank=True, editable=False)
    status_detail = models.TextField("состояние страницы", blank=True, editable=False)
    status_checked_at = models.DateTimeField("состояние проверено", null=True, blank=True, editable=False)
    # The hash of the last entry of the page's access history: a removed last entry shows.
    history_head = models.CharField("подпись последней записи истории", max_length=64, blank=True, editable=False)

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


class SecretKind(models.TextChoices):
    """What the access vault keeps per page (Прил. 1 п. 2). The token lives on the page itself."""

    LOGIN = "login", "Логин"
    PASSWORD = "password", "Пароль"  # a kind, not a secret
    PHONE = "phone", "Телефон, к которому привязана страница"
    TOKEN = "token", "Ключ доступа (API)"  # a kind, not a secret
    NOTE = "note", "Заметка"


class PageSecret(models.Model):
    """One secret of a page, only ever sealed in the database (core/vault.py)."""

    page = models.ForeignKey(OfficialPage, on_delete=models.CASCADE, related_name="secrets", verbose_name="страница")
    kind = models.CharField("что", max_length=16, choices=SecretKind.choices)
    value_sealed = models.TextField("значение (зашифровано)", editable=False)
    # The value before the last rotation: a generated password not yet set in the network is not lost.
    previous_sealed = models.TextField("прежнее значение (зашифровано)", blank=True, editable=False)
    changed_at = models.DateTimeField("изменено", editable=False)
    changed_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name="кем изменено", editable=False)

    class Meta:
        verbose_name = "секрет страницы"
        verbose_name_plural = "секреты страниц"
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["page", "kind"], name="page_secret_unique_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.page_id}: {self.get_kind_display()}"


class PageEvent(models.Model):
    """Append-only, HMAC-chained history of the page's access: reveals, changes, rotations, departures."""

    class Action(models.TextChoices):
        REVEAL = "reveal", "Показан"
        CHANGE = "change", "Изменён"
        ROTATE = "rotate", "Заменён на новый (сгенерирован)"
        RESEAL = "reseal", "Перешифрован новым ключом"
        LEFT = "responsible_left", "Ответственный больше не работает со страницей"

    page = models.ForeignKey(OfficialPage, on_delete=models.PROTECT, related_name="events", verbose_name="страница")
    seq = models.PositiveIntegerField("№")
    at = models.DateTimeField("когда")
    actor = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name="сотрудник")
    actor_label = models.CharField("кто", max_length=300)
    action = models.CharField("действие", max_length=32, choices=Action.choices)
    secret = models.CharField("что", max_length=16, choices=SecretKind.choices, blank=True)
    reason = models.TextField("причина", blank=True)
    payload = models.JSONField("подробности", default=dict, blank=True)
    prev_hash = models.CharField("подпись предыдущей записи", max_length=64)
    hash = models.CharField("подпись", max_length=64)

    class Meta:
        verbose_name = "запись истории доступа"
        verbose_name_plural = "история доступа к страницам"
        ordering: ClassVar[list[str]] = ["page", "seq"]
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["page", "seq"], name="page_event_unique_seq"),
        ]

    def __str__(self) -> str:
        return f"страница {self.page_id}.{self.seq}: {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("История доступа к странице не изменяется.")
        super().save(*args, **kwargs)


class PageHolder(models.Model):
    """A responsible person of a page as last seen by the departure check: who knew the password.

    `left_at` is when the check first saw the person gone (deactivated, removed from the page,
    moved to another municipality); `resolved_at` when a password change after that was recorded.
    """

    page = models.ForeignKey(OfficialPage, on_delete=models.CASCADE, related_name="holders")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    since = models.DateTimeField("ответственный с")
    left_at = models.DateTimeField("ушёл", null=True, blank=True)
    resolved_at = models.DateTimeField("пароль сменён", null=True, blank=True)

    class Meta:
        verbose_name = "ответственный (для смены пароля)"
        verbose_name_plural = "ответственные (для смены пароля)"
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["page", "person"], condition=models.Q(left_at__isnull=True),
                                    name="page_holder_one_open"),
        ]

    def __str__(self) -> str:
        return f"{self.page_id}: {self.person_id}"
