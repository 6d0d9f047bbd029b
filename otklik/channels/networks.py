"""The registry of social networks (SPEC §2): add one here and give it a client folder."""

from __future__ import annotations

from django.db import models


class Network(models.TextChoices):
    VK = "vk", "ВКонтакте"
    OK = "ok", "Одноклассники"
    TELEGRAM = "telegram", "Telegram"
    MAX = "max", "MAX"
