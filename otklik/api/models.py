"""API keys: one per integration, bound to a municipality and optionally to a person.

The token is shown once: `<prefix>.<secret>`. Only sha256(secret) is stored; the prefix is
the lookup id, and the hash comparison is constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import ClassVar

from django.db import models
from django.utils import timezone

from otklik.org.models import Municipality, Person

PREFIX_BYTES = 6  # 12 hex characters
SECRET_BYTES = 32


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiKey(models.Model):
    name = models.CharField("интеграция", max_length=200)
    prefix = models.CharField("идентификатор", max_length=24, unique=True)
    hashed_secret = models.CharField(max_length=64)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="api_keys",
                                     verbose_name="МО")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="api_keys", verbose_name="действует от имени")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "ключ API"
        verbose_name_plural = "ключи API"
        ordering: ClassVar[list[str]] = ["pk"]

    def __str__(self) -> str:
        return f"{self.prefix} ({self.name})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @classmethod
    def issue(cls, *, municipality: Municipality, name: str,
              person: Person | None = None) -> tuple[ApiKey, str]:
        """Create a key; returns it and the token, which is never stored nor shown again."""
        prefix = secrets.token_hex(PREFIX_BYTES)
        secret = secrets.token_urlsafe(SECRET_BYTES)
        key = cls.objects.create(name=name, prefix=prefix, hashed_secret=secret_hash(secret),
                                 municipality=municipality, person=person)
        return key, f"{prefix}.{secret}"

    @classmethod
    def for_token(cls, token: str) -> ApiKey | None:
        prefix, sep, secret = token.strip().partition(".")
        if not sep or not prefix or not secret:
            return None
        key = (cls.objects.select_related("municipality", "person", "person__region")
               .filter(prefix=prefix).first())
        if key is None or not key.is_active:
            return None
        if not hmac.compare_digest(key.hashed_secret, secret_hash(secret)):
            return None
        return key

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
