"""Making a backup, restoring one, and the nightly copies with their rotation.

What goes in and why:
- the database, as of one moment (databases.py);
- the media root: drafts' photos and videos, posts' media — the rows point at these files;
- the history anchors (`OTKLIK_HISTORY_ANCHORS`): `otklik history verify` checks the restored
  histories against them. The file is copied BEFORE the database snapshot: every anchor then
  names an entry the snapshot holds (the history is append-only), so a restored installation
  verifies clean. Copied after, it could name entries newer than the snapshot;
- NOT the keys by default (`OTKLIK_HISTORY_KEY`, `OTKLIK_SECRETS_KEY`): a key that travels with
  the data it protects protects nothing — whoever holds the file could re-sign a changed
  history and open the pages' tokens. The manifest keeps only their fingerprints, so a restore
  with the wrong keys is refused with a clear message. `--with-keys` puts them in, for a site
  that has no other safe place for them (the README says so).
"""

from __future__ import annotations

import hashlib
import hmac
import importlib.metadata
import logging
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from otklik.backups.archive import (
    FORMAT,
    FORMAT_VERSION,
    ArchiveWriter,
    BackupError,
    archive_unpack,
    directory_remove,
)
from otklik.backups.databases import (
    database_describe,
    database_refuse_unless_empty,
    snapshot_restore,
    snapshot_take,
    table_counts,
    vendor,
)
from otklik.incidents.anchors import anchor_path, anchors_for
from otklik.incidents.history import history_key, history_verify

log = logging.getLogger(__name__)

ANCHORS_MEMBER = "anchors/history-anchors.jsonl"
HISTORY_KEY_MEMBER = "keys/history_key"
SECRETS_KEY_MEMBER = "keys/secrets_key"
NIGHTLY_NAME = re.compile(r"^otklik-\d{4}-\d{2}-\d{2}-\d{6}\.tar\.gz$")
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


# --- keys -------------------------------------------------------------------------------------

def key_id(key: bytes) -> str:
    """A fingerprint that tells keys apart and reveals nothing of the key."""
    return hmac.new(key, b"otklik-backup-key-id", hashlib.sha256).hexdigest()[:16]


def _secrets_keys() -> list[bytes]:
    """The pages' keys in effect, without creating the key file (core/vault.py creates it on use)."""
    configured = list(getattr(settings, "OTKLIK_SECRETS_KEYS", []) or [])
    if configured:
        return [k.encode() for k in configured]
    path = Path(settings.VAR_DIR) / "secrets_key"
    return [path.read_bytes().strip()] if path.exists() else []


# --- making -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    seconds: float
    vendor: str
    incidents: int
    events: int
    steps: int
    media_files: int


def app_version() -> str:
    try:
        return importlib.metadata.version("otklik")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _media_files(root: Path) -> list[tuple[str, Path]]:
    if not root.is_dir():
        return []
    found = [(p.relative_to(root).as_posix(), p) for p in root.rglob("*") if p.is_file() and not p.is_symlink()]
    return sorted(found)


def backup_create(*, path: Path, with_keys: bool = False, now: datetime | None = None) -> BackupResult:
    """Write one backup file at `path` (mode 0600) while the site keeps working."""
    started = time.monotonic()
    path = Path(path).absolute()
    if path.exists():
        raise BackupError(f"Файл {path} уже есть. Укажите новое имя: копия не перезаписывает файлы.")
    if not path.parent.is_dir():
        raise BackupError(f"Папки {path.parent} нет. Создайте её или укажите другую.")
    now = now or timezone.now()
    staging = Path(tempfile.mkdtemp(prefix=".otklik-backup-", dir=path.parent))
    try:
        anchors_source = anchor_path()
        anchors_copy = staging / "history-anchors.jsonl"
        if anchors_source.exists():  # first, before the snapshot: see the module's docstring
            shutil.copyfile(anchors_source, anchors_copy)
        snapshot = snapshot_take(into=staging)
        media = _media_files(Path(settings.MEDIA_ROOT))
        with ArchiveWriter(path) as writer:
            writer.add_file(snapshot.member, snapshot.file)
            if anchors_copy.exists():
                writer.add_file(ANCHORS_MEMBER, anchors_copy)
            media_count = media_bytes = 0
            for relative, source in media:
                # A file removed after the listing was removed from the site too: skip it.
                if writer.add_file(f"media/{relative}", source):
                    media_count += 1
                    media_bytes += writer.files[f"media/{relative}"]["size"]
            secrets = _secrets_keys()
            if with_keys:
                writer.add_bytes(HISTORY_KEY_MEMBER, history_key())
                if secrets:
                    writer.add_bytes(SECRETS_KEY_MEMBER, b",".join(secrets))
            manifest: dict[str, Any] = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "app_version": app_version(),
                "created_at": now.isoformat(),
                "database": {"vendor": snapshot.vendor, "member": snapshot.member,
                             "server_version": snapshot.server_version, "migrations": snapshot.migrations},
                "counts": snapshot.counts,
                "media": {"files": media_count, "bytes": media_bytes},
                "keys": {"history": key_id(history_key()), "secrets": [key_id(k) for k in secrets],
                         "included": with_keys},
            }
            writer.finish(manifest)
    finally:
        directory_remove(staging)
    counts = snapshot.counts
    return BackupResult(path=path, size=path.stat().st_size, seconds=time.monotonic() - started,
                        vendor=snapshot.vendor, incidents=counts.get("incidents_incident", 0),
                        events=counts.get("incidents_incidentevent", 0), steps=counts.get("incidents_incidentstep", 0),
                        media_files=media_count)


# --- restoring --------------------------------------------------------------------------------

@dataclass(frozen=True)
class RestoreResult:
    manifest: dict[str, Any]
    counts: dict[str, int]
    media_files: int
    events_checked: int
    history_problems: list[str]
    pending_migrations: int
    set_aside: list[Path]


def _refuse_other_vendor(manifest: dict[str, Any]) -> None:
    theirs, ours = manifest["database"].get("vendor"), vendor()
    if theirs != ours:
        raise BackupError(
            f"Копия снята с базы {VENDOR_NAMES.get(theirs, theirs)}, а DATABASE_URL указывает на "
            f"{VENDOR_NAMES.get(ours, ours)}. Восстановите в базу того же вида; перенос между SQLite и "
            "PostgreSQL делается иначе (otklik dumpdata / loaddata).")


def _refuse_newer_schema(manifest: dict[str, Any]) -> None:
    known = {f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations}
    unknown = sorted(set(manifest["database"].get("migrations", [])) - known)
    if unknown:
        raise BackupError(f"Копия сделана более новой версией Отклика ({manifest.get('app_version')}): этой версии "
                          f"неизвестны изменения базы {', '.join(unknown[:3])}. Обновите Отклик и повторите.")


def _refuse_media_present(root: Path) -> None:
    files = _media_files(root)
    if files:
        raise BackupError(f"В папке файлов {root} уже есть файлы ({len(files)}, например {files[0][0]}). "
                          "Восстановление кладёт файлы только в пустую папку: перенесите их или укажите "
                          "другую OTKLIK_VAR_DIR.")


def _aside(path: Path, stamp: str) -> Path:
    moved = path.with_name(f"{path.name}.до-восстановления-{stamp}")
    os.replace(path, moved)
    return moved


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


@dataclass
class _KeysPlan:
    history: bytes | None = None  # write var/history_key
    secrets: bytes | None = None  # write var/secrets_key


def _keys_plan(manifest: dict[str, Any], staged: dict[str, bytes], other_keys: bool) -> _KeysPlan:
    """Check that the keys here open the backup; plan to install the backup's own if it has them."""
    plan = _KeysPlan()
    want = manifest.get("keys", {})
    if HISTORY_KEY_MEMBER in staged:
        theirs = staged[HISTORY_KEY_MEMBER]
        if key_id(theirs) != key_id(history_key()):
            if os.environ.get("OTKLIK_HISTORY_KEY"):
                raise BackupError("В копии свой ключ подписи истории, а в окружении задан другой "
                                  "OTKLIK_HISTORY_KEY. Уберите переменную (ключ из копии ляжет в "
                                  "var/history_key) или задайте в ней ключ из копии.")
            plan.history = theirs
    elif want.get("history") and want["history"] != key_id(history_key()) and not other_keys:
        raise BackupError(
            f"Ключ подписи истории здесь не тот, с которым снята копия (отпечаток копии {want['history']}, "
            f"здесь {key_id(history_key())}). Положите сохранённый ключ в OTKLIK_HISTORY_KEY или в файл "
            f"{Path(settings.VAR_DIR) / 'history_key'} и повторите. Если ключ утерян, добавьте --other-keys: "
            "данные восстановятся, но «otklik history verify» не пройдёт.")
    ours = {key_id(k) for k in _secrets_keys()}
    if SECRETS_KEY_MEMBER in staged:
        theirs_keys = [k for k in staged[SECRETS_KEY_MEMBER].split(b",") if k]
        if not {key_id(k) for k in theirs_keys} <= ours:
            if os.environ.get("OTKLIK_SECRETS_KEY") or len(theirs_keys) > 1:
                raise BackupError("В копии свои ключи шифрования страниц, а здесь задан OTKLIK_SECRETS_KEY без "
                                  "них. Задайте в OTKLIK_SECRETS_KEY ключи из keys/secrets_key копии.")
            plan.secrets = theirs_keys[0]
    elif not set(want.get("secrets", [])) <= ours and not other_keys:
        raise BackupError(
            "Ключа шифрования доступов к страницам (OTKLIK_SECRETS_KEY) с этой копией здесь нет. Положите "
            f"сохранённый ключ в OTKLIK_SECRETS_KEY или в файл {Path(settings.VAR_DIR) / 'secrets_key'} и "
            "повторите. Если ключ утерян, добавьте --other-keys: доступы к страницам придётся ввести заново.")
    return plan


def _anchors_plan(staged: Path | None, replace: bool) -> bool:
    """True when the existing anchor file must be set aside before the backup's is written."""
    target = anchor_path()
    existing = target.read_bytes() if target.exists() else b""
    if not existing:
        return False
    ours = staged.read_bytes() if staged else b""
    if ours.startswith(existing):
        return False  # the same history, anchored up to the backup or less: the backup's is a superset
    if not replace:
        raise BackupError(
            f"Файл заверенных копий истории {target} уже есть и расходится с копией (в нём заверено то, "
            "чего в копии нет). Проверка истории после восстановления показала бы эти записи утраченными. "
            "Если это верно и вы восстанавливаете старую копию намеренно, добавьте --replace-anchors: "
            "прежний файл будет сохранён рядом, не удалён.")
    return True


def backup_restore(*, path: Path, replace_anchors: bool = False, other_keys: bool = False) -> RestoreResult:
    """Restore a backup into an empty database and an empty media root.

    Precondition: the web server and the worker of this installation are stopped.
    Everything is checked before anything is written: the file, the database's vendor and
    schema, that the database and the media root are empty, the keys and the anchors.
    """
    path = Path(path)
    var_dir = Path(settings.VAR_DIR)
    staging = Path(tempfile.mkdtemp(prefix=".otklik-restore-", dir=var_dir))
    set_aside: list[Path] = []
    try:
        unpacked = archive_unpack(path, staging / "unpacked")
        manifest = unpacked.manifest
        _refuse_other_vendor(manifest)
        _refuse_newer_schema(manifest)
        database_refuse_unless_empty()
        media_root = Path(settings.MEDIA_ROOT)
        _refuse_media_present(media_root)
        staged_keys = {n: p.read_bytes() for n in (HISTORY_KEY_MEMBER, SECRETS_KEY_MEMBER)
                       if (p := unpacked.member(n)) is not None}
        keys = _keys_plan(manifest, staged_keys, other_keys)
        anchors_file = unpacked.member(ANCHORS_MEMBER)
        anchors_aside = _anchors_plan(anchors_file, replace_anchors)

        database = unpacked.member(str(manifest["database"]["member"]))
        if database is None:
            raise BackupError(f"В копии {path} нет базы данных.")
        snapshot_restore(file=database, kind=str(manifest["database"]["vendor"]))
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        media_names = unpacked.names("media/")
        for name in media_names:
            target = media_root / name.removeprefix("media/")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(unpacked.root / name, target)
        if anchors_aside:
            set_aside.append(_aside(anchor_path(), stamp))
        if anchors_file is not None:
            _write_private(anchor_path(), anchors_file.read_bytes())
        if keys.history is not None:
            key_file = var_dir / "history_key"
            if key_file.exists():
                set_aside.append(_aside(key_file, stamp))
            _write_private(key_file, keys.history)
            settings.OTKLIK_HISTORY_KEY = keys.history.decode()
        if keys.secrets is not None:
            key_file = var_dir / "secrets_key"
            if key_file.exists():
                set_aside.append(_aside(key_file, stamp))
            _write_private(key_file, keys.secrets)
    finally:
        directory_remove(staging)

    expected: dict[str, int] = {str(k): int(v) for k, v in manifest["counts"].items()}
    restored = table_counts(sorted(expected))
    short = [f"{t}: {restored[t]} из {n}" for t, n in expected.items() if restored[t] != n]
    if short:
        raise BackupError("База восстановлена не полностью, расходятся таблицы: " + "; ".join(short[:5]))
    checked, problems = history_verify(anchors=anchors_for())
    connection.close()
    executor = MigrationExecutor(connection)
    pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    return RestoreResult(manifest=manifest, counts=expected, media_files=len(media_names), events_checked=checked,
                         history_problems=[f"№ {p.incident_id}, запись {p.seq}: {p.problem}" for p in problems],
                         pending_migrations=pending, set_aside=set_aside)


# --- nightly ----------------------------------------------------------------------------------

def backup_dir() -> Path:
    return Path(settings.OTKLIK_BACKUP_DIR)


def backup_name(now: datetime) -> str:
    return f"otklik-{timezone.localtime(now):%Y-%m-%d-%H%M%S}.tar.gz"


def backups_rotate(*, directory: Path, keep: int) -> list[Path]:
    """Remove all but the newest `keep` nightly files; other files in the folder stay."""
    nightly = sorted(p for p in directory.iterdir() if NIGHTLY_NAME.match(p.name))
    removed = nightly[: max(len(nightly) - max(keep, 1), 0)]
    for old in removed:
        old.unlink(missing_ok=True)
    return removed


def backup_nightly(*, now: datetime | None = None) -> BackupResult:
    """Tonight's backup into the backup folder, then keep only the last OTKLIK_BACKUP_KEEP."""
    now = now or timezone.now()
    directory = backup_dir()
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    result = backup_create(path=directory / backup_name(now), now=now)
    removed = backups_rotate(directory=directory, keep=int(settings.OTKLIK_BACKUP_KEEP))
    log.info("nightly backup %s (%d bytes, %.1f s) into %s; removed %d old", result.path.name, result.size,
             result.seconds, database_describe(), len(removed))
    return result
