"""Otklik settings: one module, everything that differs between sites comes from the environment.

Variables (all optional; defaults give the embedded demo):
  DATABASE_URL        sqlite:///… or postgres://… (default: SQLite file var/otklik.sqlite3)
  DATABASE_REPLICA_URL  a streaming replica of it; the monthly and regional reports read there
  REDIS_URL           redis://… for the cache and locks (default: local memory)
  SECRET_KEY          (default: generated once into var/secret_key)
  EMAIL_URL           smtp://user:pass@host:port or smtp+tls://… (default: the in-app mailbox)
  DEFAULT_FROM_EMAIL  sender address (default: otklik@localhost)
  OTKLIK_TIME_ZONE    default municipality time zone (default Europe/Moscow)
  ALLOWED_HOSTS       comma-separated (default: localhost,127.0.0.1,[::1])
  OTKLIK_PRODUCTION   1 = DEBUG off, secure cookies, HSTS: `otklik check --deploy` is clean
  OTKLIK_REQUIRE_2FA  1/0 = TOTP required for curators, head of the general department and
                      administrators (default 1; 0 in the demo that `make run` starts)
  OTKLIK_VAR_DIR      where the SQLite file, the secret key and media live (default var/)
  OTKLIK_DEBUG        1 = Django's debug pages (never on a server; default 0)
  OTKLIK_HISTORY_KEY  the key that signs the incident history (default: generated once into
                      var/history_key; keep a copy apart from the database backups)
  OTKLIK_HISTORY_ANCHORS  the append-only file of daily history anchors
                      (default var/history-anchors.jsonl; best on another disk)
  OTKLIK_BACKUP_DIR   where the worker puts the nightly backups (default var/backups)
  OTKLIK_BACKUP_KEEP  how many nightly backups to keep (default 7)
  OTKLIK_BACKUP_HOUR  the local hour from which the nightly backup runs (default 3)
  OTKLIK_MAX_BODY_KB  the largest request body without files, in KB (default 1024)
  OTKLIK_MAX_TEXT     the longest message or answer text, in characters (default 20000)
  OTKLIK_BASE_URL     where people open Otklik, for links in e-mails (default http://127.0.0.1:8000)
  OTKLIK_STAFFBOT_TELEGRAM_TOKEN, OTKLIK_STAFFBOT_MAX_TOKEN  the staff bot's tokens (otklik/staffbot);
                      unset = no bot in that network. Read from the environment only, never stored
  EMAIL_IN_URL        mail in, read by `otklik worker`: imaps://user:pass@host/INBOX (a mailbox the
                      administration has) or smtp://127.0.0.1:2525 (Otklik's own SMTP endpoint);
                      unset = replies are not read and letters do not ask for them
  OTKLIK_MAIL_IN_ADDRESS  the address replies go to (otvet@admin.example: letters carry
                      Reply-To otvet+<token>@admin.example); default: the IMAP login when it is
                      an address, else DEFAULT_FROM_EMAIL
  OTKLIK_SECRETS_KEY  Fernet key(s) that encrypt the pages' tokens, comma-separated: the first
                      encrypts, all decrypt (rotation: put a new key first, run
                      `otklik secrets rotate`, then drop the old one). Default: generated once
                      into var/secrets_key; keep a copy apart from the database backups.
  OTKLIK_VK_API_URL, OTKLIK_OK_API_URL, OTKLIK_TELEGRAM_API_URL, OTKLIK_MAX_API_URL
                      the networks' API addresses (defaults: the real ones; `make run` points
                      them at the sandbox)
  OTKLIK_OK_APP_KEY, OTKLIK_OK_APP_SECRET  the installation's Odnoklassniki application
  OTKLIK_NETWORK_TIMEOUT  seconds one network call may take (default 20)
  OTKLIK_MAX_CA_BUNDLE  the PEM of the Минцифры root that MAX's certificate chains to
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("OTKLIK_VAR_DIR", BASE_DIR / "var"))
if (_xdist_worker := os.environ.get("PYTEST_XDIST_WORKER")) and not os.environ.get("OTKLIK_VAR_DIR"):
    # `make test` runs the suite in parallel processes: each keeps its own files (anchors, media,
    # keys, the SQLite test database) so no test reads another's; their subprocesses inherit it.
    # A test that names its own OTKLIK_VAR_DIR gets exactly that.
    VAR_DIR = VAR_DIR / f"test-{_xdist_worker}"
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _generated_secret(variable: str, file_name: str) -> str:
    """From the environment, else a file beside the database created once (mode 600)."""
    if key := os.environ.get(variable):
        return key
    path = VAR_DIR / file_name
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


PRODUCTION = env_bool("OTKLIK_PRODUCTION", False)
# Off unless asked for: a debug page shows settings and code to whoever hits an error.
DEBUG = env_bool("OTKLIK_DEBUG", False)
SECRET_KEY = _generated_secret("SECRET_KEY", "secret_key")
# Signs the incident history (incidents/history.py); outside the database by design.
OTKLIK_HISTORY_KEY = _generated_secret("OTKLIK_HISTORY_KEY", "history_key")
# Encrypts the official pages' tokens (core/vault.py); a list, the first key encrypts.
OTKLIK_SECRETS_KEYS = [k.strip() for k in os.environ.get("OTKLIK_SECRETS_KEY", "").split(",") if k.strip()]
OTKLIK_OK_APP_KEY = os.environ.get("OTKLIK_OK_APP_KEY", "")
OTKLIK_OK_APP_SECRET = os.environ.get("OTKLIK_OK_APP_SECRET", "")
OTKLIK_HISTORY_ANCHORS = os.environ.get("OTKLIK_HISTORY_ANCHORS") or str(VAR_DIR / "history-anchors.jsonl")
# Nightly backups (otklik/backups): the folder, how many to keep, the local hour they start.
OTKLIK_BACKUP_DIR = os.environ.get("OTKLIK_BACKUP_DIR") or str(VAR_DIR / "backups")
OTKLIK_BACKUP_KEEP = max(1, int(os.environ.get("OTKLIK_BACKUP_KEEP") or "7"))
OTKLIK_BACKUP_HOUR = int(os.environ.get("OTKLIK_BACKUP_HOUR") or "3")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "otklik.core.apps_ru.TotpConfig",  # django_otp.plugins.otp_totp, under a Russian name
    "otklik.core.apps_ru.AxesConfig",  # axes
    "django_htmx",
    "template_partials",
    "django_tasks",
    "otklik.core.apps_ru.TasksConfig",  # django_tasks_db
    "csp",
    "otklik.core",
    "otklik.org",
    "otklik.notifications",
    "otklik.pages",
    "otklik.incidents",
    "otklik.posts",
    "otklik.moderation",
    "otklik.api",
    "otklik.reports",
    "otklik.backups",
    "otklik.mailin",
    "otklik.privacy",
    "otklik.staffbot",
]

MIDDLEWARE = [
    "otklik.core.middleware.BodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "otklik.core.middleware.SecondFactorMiddleware",
    "otklik.core.middleware.MunicipalityTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "otklik.core.context.navigation",
            ],
        },
    }
]

def _database(url: str) -> dict[str, Any]:
    db: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0"))))
    # A kept connection (`otklik serve` keeps them) is checked before a request reuses it, so a
    # restarted database or a dropped connection is replaced instead of failing the request.
    db["CONN_HEALTH_CHECKS"] = bool(db.get("CONN_MAX_AGE"))
    if db["ENGINE"] == "django.db.backends.sqlite3":
        # WAL and a busy timeout let the web process and the worker share the embedded file.
        db["OPTIONS"] = {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    elif db["ENGINE"] == "django.db.backends.postgresql" and os.environ.get("OTKLIK_PG_JIT") != "1":
        # PostgreSQL's JIT compiles any query it costs high — the report's aggregates spent 4.4 s of 4.9 s
        # compiling (bench/report_region.py); our queries are short, so it only costs. OTKLIK_PG_JIT=1: on.
        db.setdefault("OPTIONS", {})["options"] = "-c jit=off"
    return db


DATABASES = {"default": _database(os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'otklik.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not shared memory, so concurrency tests see real locking between threads.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-db-{os.getpid()}.sqlite3")}
if replica_url := os.environ.get("DATABASE_REPLICA_URL"):
    # A streaming replica of the primary: the monthly and regional reports read there (core/replica.py).
    DATABASES["replica"] = _database(replica_url)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["otklik.core.replica.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if redis_url := os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in throttling: 5 failures lock the username+address pair for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("OTKLIK_AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("OTKLIK_AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_VERBOSE = False

OTKLIK_REQUIRE_2FA = env_bool("OTKLIK_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = "Отклик"

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
TIME_ZONE = os.environ.get("OTKLIK_TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise scans it at start; files come from the apps too
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
OTKLIK_MAX_PHOTO_MB = float(os.environ.get("OTKLIK_MAX_PHOTO_MB", "15"))
OTKLIK_MAX_VIDEO_MB = float(os.environ.get("OTKLIK_MAX_VIDEO_MB", "200"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "otklik@localhost")
# The address people open Otklik at: links in e-mails are absolute.
OTKLIK_BASE_URL = os.environ.get("OTKLIK_BASE_URL", "http://127.0.0.1:8000")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Mail in (otklik/mailin): the receiver the worker runs, and where replies are addressed.
EMAIL_IN_URL = os.environ.get("EMAIL_IN_URL", "")
OTKLIK_MAIL_IN_ADDRESS = os.environ.get("OTKLIK_MAIL_IN_ADDRESS", "")
if email_url := os.environ.get("EMAIL_URL"):
    _e = urlsplit(email_url)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _e.hostname or "localhost"
    EMAIL_PORT = _e.port or 25
    EMAIL_HOST_USER = unquote(_e.username or "")
    EMAIL_HOST_PASSWORD = unquote(_e.password or "")
    EMAIL_USE_TLS = _e.scheme in {"smtp+tls", "submission"}
    EMAIL_USE_SSL = _e.scheme == "smtps"
    EMAIL_TIMEOUT = 20
else:
    # No SMTP configured: mail lands in the in-app mailbox that administrators can read.
    EMAIL_BACKEND = "otklik.notifications.mailbox.MailboxBackend"

# Request bodies: forms and JSON up to OTKLIK_MAX_BODY_KB; uploads (multipart) up to what the
# photo and video limits allow for ten files. Larger → 413 in Russian (core.middleware).
OTKLIK_MAX_BODY_KB = int(os.environ.get("OTKLIK_MAX_BODY_KB", "1024"))
DATA_UPLOAD_MAX_MEMORY_SIZE = OTKLIK_MAX_BODY_KB * 1024
OTKLIK_MAX_UPLOAD_BYTES = int(10 * max(OTKLIK_MAX_PHOTO_MB, OTKLIK_MAX_VIDEO_MB) * 1024 * 1024) + DATA_UPLOAD_MAX_MEMORY_SIZE
OTKLIK_MAX_TEXT = int(os.environ.get("OTKLIK_MAX_TEXT", "20000"))

# Content-Security-Policy on every response: scripts and styles only from our own origin, no
# inline script, no eval, no plugins, no framing, forms post only to us.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}
CSRF_FAILURE_VIEW = "otklik.core.errors.csrf_failure"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 12 * 3600
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("OTKLIK_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("OTKLIK_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "pymorphy3": {"level": "WARNING"},
                # httpx logs every request's URL, and Telegram's token is part of its URLs.
                "httpx": {"level": "WARNING"}, "httpcore": {"level": "WARNING"},
                "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
