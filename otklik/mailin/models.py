"""Every received mail, once: the unique Message-ID is what makes a second copy harmless."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from otklik.incidents.models import Draft, Incident
from otklik.org.models import Municipality, Person


class InboundMail(models.Model):
    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", "Принято"
        HELD = "held", "Ждёт подтверждения отправителя (ошибки проверки)"
        REFUSED = "refused", "Не принято, отправителю ответили"
        IGNORED = "ignored", "Оставлено без ответа"

    class Action(models.TextChoices):
        NONE = "", "—"
        DRAFT = "draft", "Проект ответа"
        PART = "part", "Часть ответа"
        HANDIN = "handin", "Передача сообщения из региона"

    message_id = models.CharField(max_length=900, unique=True)
    raw_sha256 = models.CharField(max_length=64)
    received_at = models.DateTimeField()
    sender = models.CharField("от кого", max_length=320)
    subject = models.CharField("тема", max_length=500, blank=True)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    incident = models.ForeignKey(Incident, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    action = models.CharField(max_length=8, choices=Action.choices, blank=True, default=Action.NONE)
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    answer = models.TextField("что ответили", blank=True)
    text = models.TextField("текст без цитаты и подписи", blank=True)
    findings = models.JSONField(default=list, blank=True)
    draft = models.ForeignKey(Draft, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # The message itself, kept only while it waits for the sender's confirmation (its files).
    raw = models.BinaryField(blank=True, default=b"")

    class Meta:
        verbose_name = "входящее письмо"
        verbose_name_plural = "входящие письма"
        ordering: ClassVar[list[str]] = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.sender}: {self.subject}"
