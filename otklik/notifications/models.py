"""Mail kept by the application: the in-app mailbox when no SMTP server is configured."""

from __future__ import annotations

from django.db import models

from otklik.org.models import Municipality


class StoredMail(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    from_email = models.CharField(max_length=300)
    to = models.TextField(help_text="адреса через запятую")
    subject = models.CharField(max_length=500)
    body = models.TextField()

    class Meta:
        verbose_name = "письмо"
        verbose_name_plural = "письма (почтовый ящик приложения)"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.subject


class Notification(models.Model):
    """An outbox row, written in the transaction of the change that causes it.

    `key` is unique: the same event never produces the same notification twice, and delivery
    claims the row with a conditional UPDATE so two workers never send it twice.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        INAPP = "inapp", "В приложении"

    class State(models.TextChoices):
        PENDING = "pending", "Ожидает отправки"
        SENDING = "sending", "Отправляется"
        SENT = "sent", "Отправлено"
        FAILED = "failed", "Не отправлено"

    key = models.CharField(max_length=200, unique=True)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        "org.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    address = models.CharField(max_length=300, blank=True)
    subject = models.CharField(max_length=500)
    body = models.TextField()
    incident_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # When a worker claimed it: a row «sending» for long belongs to a dead worker and is retried.
    sending_since = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.subject
