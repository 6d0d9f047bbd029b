"""Coordination rows of the background worker."""

from __future__ import annotations

from django.db import models


class Ticker(models.Model):
    """One row per periodic job: workers race to move `last_run`, the winner runs the tick."""

    name = models.CharField(max_length=64, unique=True)
    last_run = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
