"""Settings come from the environment with documented defaults (checked in a fresh process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

PROBE = """
import json, django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
  "engine": db["ENGINE"], "name": str(db["NAME"]), "host": db.get("HOST"),
  "cache": settings.CACHES["default"]["BACKEND"], "cache_loc": settings.CACHES["default"].get("LOCATION"),
  "email": settings.EMAIL_BACKEND, "email_host": getattr(settings, "EMAIL_HOST", None),
  "email_port": getattr(settings, "EMAIL_PORT", None), "email_user": getattr(settings, "EMAIL_HOST_USER", None),
  "tz": settings.TIME_ZONE, "hosts": settings.ALLOWED_HOSTS, "debug": settings.DEBUG,
  "secure_cookie": settings.SESSION_COOKIE_SECURE, "require_2fa": settings.OTKLIK_REQUIRE_2FA,
  "key_len": len(settings.SECRET_KEY),
}))
"""


def _settings(tmp_path: Path, **env: str) -> dict[str, Any]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL", "EMAIL_URL", "OTKLIK_", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"))}
    clean.update({"DJANGO_SETTINGS_MODULE": "config.settings", "OTKLIK_VAR_DIR": str(tmp_path / "var"), **env})
    out = subprocess.run([sys.executable, "-c", PROBE], env=clean, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def test_defaults_are_the_embedded_demo(tmp_path: Path) -> None:
    s = _settings(tmp_path)
    assert s["engine"] == "django.db.backends.sqlite3"
    assert s["name"] == str(tmp_path / "var" / "otklik.sqlite3")
    assert s["cache"].endswith("LocMemCache")
    assert s["email"] == "otklik.notifications.mailbox.MailboxBackend"
    assert s["tz"] == "Europe/Moscow" and s["debug"] is False and s["require_2fa"] is True
    # The secret key is generated once into var/ and reused.
    key = (tmp_path / "var" / "secret_key").read_text()
    assert len(key) >= 50 and _settings(tmp_path)["key_len"] == len(key)


def test_everything_from_the_environment(tmp_path: Path) -> None:
    s = _settings(
        tmp_path,
        DATABASE_URL="postgres://u:p@db.internal:5433/otklik",
        REDIS_URL="redis://127.0.0.1:6379/2",
        EMAIL_URL="smtp+tls://mailer:s%40cret@smtp.internal:587",
        OTKLIK_TIME_ZONE="Europe/Samara",
        ALLOWED_HOSTS="otklik.example.ru, www.otklik.example.ru",
        SECRET_KEY="k" * 60,
        OTKLIK_PRODUCTION="1",
        OTKLIK_REQUIRE_2FA="0",
    )
    assert s["engine"] == "django.db.backends.postgresql" and s["host"] == "db.internal"
    assert s["cache"].endswith("RedisCache") and s["cache_loc"] == "redis://127.0.0.1:6379/2"
    assert s["email"].endswith("smtp.EmailBackend") and s["email_host"] == "smtp.internal"
    assert s["email_port"] == 587 and s["email_user"] == "mailer"
    assert s["tz"] == "Europe/Samara"
    assert s["hosts"] == ["otklik.example.ru", "www.otklik.example.ru"]
    assert s["debug"] is False and s["secure_cookie"] is True and s["require_2fa"] is False


@pytest.mark.parametrize("flag", ["1", "true", "yes"])
def test_production_profile_passes_deploy_check(tmp_path: Path, flag: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "OTKLIK_", "DJANGO_ALLOW"))}
    env.update({"OTKLIK_PRODUCTION": flag, "SECRET_KEY": "x" * 30 + "Yz!9" * 10, "OTKLIK_VAR_DIR": str(tmp_path)})
    out = subprocess.run(
        [sys.executable, "-m", "otklik.core.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True,
    )
    assert out.returncode == 0, out.stderr
