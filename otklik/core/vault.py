"""Secrets at rest: the official pages' tokens, encrypted with Fernet (AES-128-CBC + HMAC).

Keys come from OTKLIK_SECRETS_KEY (comma-separated; the first encrypts, every one decrypts,
so a key is rotated by putting a new one first and running `otklik secrets rotate`), else
from the file `var/secrets_key`, created once with mode 600. A stolen database alone opens
nothing; the key file belongs apart from the database backups.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class VaultError(Exception):
    """A sealed value cannot be opened: the key that sealed it is not among the keys."""


def _key_file() -> Path:
    return Path(settings.VAR_DIR) / "secrets_key"


def _keys() -> list[bytes]:
    configured = list(getattr(settings, "OTKLIK_SECRETS_KEYS", []) or [])
    if configured:
        return [k.encode() for k in configured]
    path = _key_file()
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            pass
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(Fernet.generate_key())
    return [path.read_bytes().strip()]


def _fernet() -> MultiFernet:
    try:
        return MultiFernet([Fernet(k) for k in _keys()])
    except ValueError as exc:
        raise VaultError("Ключ шифрования OTKLIK_SECRETS_KEY неверен: нужен ключ Fernet "
                         "(создайте: otklik secrets new-key).") from exc


def seal(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode() if plain else ""


def unseal(sealed: str) -> str:
    if not sealed:
        return ""
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except InvalidToken as exc:
        raise VaultError("Ключ доступа страницы зашифрован ключом, которого нет в OTKLIK_SECRETS_KEY.") from exc


def reseal(sealed: str) -> str:
    """The same secret under the first key (rotation)."""
    if not sealed:
        return ""
    try:
        return _fernet().rotate(sealed.encode()).decode()
    except InvalidToken as exc:
        raise VaultError("Значение зашифровано неизвестным ключом.") from exc


def new_key() -> str:
    return Fernet.generate_key().decode()
