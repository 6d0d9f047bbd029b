"""`EMAIL_IN_URL`, the one contract of mail in: which receiver runs and where it listens.

    imaps://user:pass@host[:993]/INBOX   a mailbox the administration already has (TLS)
    imap://user:pass@host[:143]/INBOX    the same without TLS (a server on this machine only)
    smtp://127.0.0.1:2525                Otklik's own SMTP endpoint (aiosmtpd)
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.conf import settings

DEFAULT_PORTS = {"imaps": 993, "imap": 143, "smtp": 25}


class MailInConfigError(ValueError):
    """EMAIL_IN_URL cannot be used; the message says why, in Russian."""


@dataclass(frozen=True)
class MailInConfig:
    scheme: str  # imaps, imap or smtp
    host: str
    port: int
    user: str = ""
    password: str = ""
    folder: str = "INBOX"

    @property
    def is_imap(self) -> bool:
        return self.scheme in {"imap", "imaps"}

    def __repr__(self) -> str:  # never the password in a log line
        return f"MailInConfig({self.scheme}://{self.user + '@' if self.user else ''}{self.host}:{self.port})"


def mail_in_parse(url: str) -> MailInConfig:
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise MailInConfigError(
            f"EMAIL_IN_URL: схема «{scheme or '—'}» не поддерживается; нужна imaps://, imap:// или smtp://.")
    if not parts.hostname:
        raise MailInConfigError("EMAIL_IN_URL: не указан адрес сервера.")
    try:
        port = parts.port or DEFAULT_PORTS[scheme]
    except ValueError:
        raise MailInConfigError("EMAIL_IN_URL: порт должен быть числом от 1 до 65535.") from None
    user, password = unquote(parts.username or ""), unquote(parts.password or "")
    if scheme != "smtp" and not (user and password):
        raise MailInConfigError("EMAIL_IN_URL: для IMAP нужны имя и пароль: imaps://user:pass@host/INBOX.")
    folder = unquote(parts.path.lstrip("/")) or "INBOX"
    return MailInConfig(scheme=scheme, host=parts.hostname, port=port, user=user, password=password, folder=folder)


def mail_in_config() -> MailInConfig | None:
    """The configured receiver, or None when mail in is off."""
    url = getattr(settings, "EMAIL_IN_URL", "")
    return mail_in_parse(url) if url else None


def mail_in_address() -> str:
    """Where replies go: OTKLIK_MAIL_IN_ADDRESS, the IMAP login when it is an address, the sender."""
    explicit = getattr(settings, "OTKLIK_MAIL_IN_ADDRESS", "")
    if explicit:
        return str(explicit)
    try:
        config = mail_in_config()
    except MailInConfigError:
        config = None
    if config is not None and config.is_imap and "@" in config.user:
        return config.user
    return str(settings.DEFAULT_FROM_EMAIL)
