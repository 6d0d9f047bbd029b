"""A person's chats with the staff bot, the one-time codes that link them, the bot's outbox."""

from __future__ import annotations

from django.db import models

from otklik.org.models import Person


class BotNetwork(models.TextChoices):
    TELEGRAM = "telegram", "Telegram"
    MAX = "max", "MAX"


class ChatLink(models.Model):
    """One person's private chat with the bot in one network (at most one per network)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="bot_links")
    network = models.CharField(max_length=16, choices=BotNetwork.choices)
    chat_id = models.CharField(max_length=32)
    user_name = models.CharField(max_length=200, blank=True)
    linked_at = models.DateTimeField()
    # A started «return with reasons» waiting for its comment: {"incident": id, "reasons": [...]}.
    pending = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "привязка к боту"
        verbose_name_plural = "привязки к боту"
        constraints = [
            models.UniqueConstraint(fields=["network", "chat_id"], name="staffbot_chat_unique"),
            models.UniqueConstraint(fields=["person", "network"], name="staffbot_person_network_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_network_display()}"


class LinkCode(models.Model):
    """A one-time code from the profile: only its hash is kept; it works once, for 10 minutes."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"код для {self.person_id} до {self.expires_at:%H:%M}"


class ChatThrottle(models.Model):
    """Counts per chat for the rate limits: updates a minute and wrong codes."""

    network = models.CharField(max_length=16, choices=BotNetwork.choices)
    chat_id = models.CharField(max_length=32)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)
    failures_since = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["network", "chat_id"], name="staffbot_throttle_unique")]

    def __str__(self) -> str:
        return f"{self.network}:{self.chat_id}"


class BotMessage(models.Model):
    """The bot's outbox: one message to one linked chat, delivered after commit by the worker."""

    class State(models.TextChoices):
        PENDING = "pending", "Ожидает отправки"
        SENDING = "sending", "Отправляется"
        SENT = "sent", "Отправлено"
        FAILED = "failed", "Не отправлено"

    key = models.CharField(max_length=250, unique=True)
    link = models.ForeignKey(ChatLink, on_delete=models.CASCADE, related_name="messages")
    incident_id = models.BigIntegerField(null=True, blank=True)
    subject = models.CharField(max_length=500)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=100, blank=True)

    def __str__(self) -> str:
        return self.subject


class Cursor(models.Model):
    """Where reading the bot's updates stopped, per network (nothing is handled twice)."""

    network = models.CharField(max_length=16, choices=BotNetwork.choices, unique=True)
    marker = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"{self.network}: {self.marker}"
