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
