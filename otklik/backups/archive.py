"""The backup file: a gzip'd tar that says first what it is and last what it holds.

Members, in this order:
  otklik-backup.json          {"format": "otklik-backup", "format_version": 1} — first, so a
                              foreign file is refused before anything is unpacked
  database/otklik.sqlite3     the SQLite snapshot, or database/otklik.pgdump (pg_dump -Fc)
  anchors/history-anchors.jsonl   the daily history anchors kept outside the database
  media/<path>                the media root (drafts' photos and videos, posts' media)
  keys/history_key, keys/secrets_key   only when asked for (`otklik backup --with-keys`)
  manifest.json               last, because it carries the SHA-256 and size of every member
                              before it (so media are read once, not hashed in a pass ahead)

Writing goes to a hidden `.part` file created with mode 0600 (personal data) and renamed into
place only when complete, so a crash never leaves a half file under the final name.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import tarfile
import time
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import IO, Any

FORMAT = "otklik-backup"
FORMAT_VERSION = 1
HEADER = "otklik-backup.json"
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024
GZIP_MAGIC = b"\x1f\x8b"


class BackupError(Exception):
    """A backup cannot be made or restored; the message is Russian and says what to do."""


def _tarinfo(name: str, size: int, mtime: float) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(mtime)
    info.mode = 0o600
    return info


class _Hashing:
    """A read-only file wrapper that hashes what tarfile copies out of it."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._handle = handle
        self.sha = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        self.sha.update(data)
        return data


@dataclass
class ArchiveWriter:
    """Streams members into the backup file; `finish(manifest)` seals it under its name."""

    path: Path
    compresslevel: int = 6
    files: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.path = Path(self.path)
        self._part = self.path.with_name(f".{self.path.name}.part")
        try:
            fd = os.open(self._part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError as exc:
            raise BackupError(f"Файл {self._part} уже есть: другая копия снимается сейчас "
                              "или прервалась. Удалите его, если копия не идёт.") from exc
        except OSError as exc:
            raise BackupError(f"Не удалось создать файл копии {self.path}: {exc.strerror}.") from exc
        self._raw = os.fdopen(fd, "wb")
        self._tar = tarfile.open(fileobj=self._raw, mode="w:gz", compresslevel=self.compresslevel)  # noqa: SIM115
        self.add_bytes(HEADER, json.dumps({"format": FORMAT, "format_version": FORMAT_VERSION}).encode())
        self.files.clear()  # the header is not listed: it is checked by its content

    def add_bytes(self, name: str, data: bytes, mtime: float | None = None) -> None:
        self._tar.addfile(_tarinfo(name, len(data), mtime if mtime is not None else time.time()), io.BytesIO(data))
        self.files[name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}

    def add_file(self, name: str, source: Path) -> bool:
        """Add a file as it is now; False when it vanished before it could be opened."""
        try:
            handle = source.open("rb")
        except FileNotFoundError:
            return False
        with handle:
            stat = os.fstat(handle.fileno())
            hashing = _Hashing(handle)
            self._tar.addfile(_tarinfo(name, stat.st_size, stat.st_mtime), hashing)
        self.files[name] = {"sha256": hashing.sha.hexdigest(), "size": stat.st_size}
        return True

    def finish(self, manifest: dict[str, Any]) -> Path:
        body = dict(manifest, files=dict(sorted(self.files.items())))
        data = json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True).encode()
        self._tar.addfile(_tarinfo(MANIFEST, len(data), manifest_time(manifest)), _bytes(data))
        self._tar.close()
        self._raw.flush()
        os.fsync(self._raw.fileno())
        self._raw.close()
        os.replace(self._part, self.path)
        os.chmod(self.path, 0o600)
        return self.path

    def abort(self) -> None:
        with contextlib.suppress(Exception):  # the half-written file is removed anyway
            self._tar.close()
        self._raw.close()
        self._part.unlink(missing_ok=True)

    def __enter__(self) -> ArchiveWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if kind is not None and not self._raw.closed:
            self.abort()


def _bytes(data: bytes) -> IO[bytes]:
    return io.BytesIO(data)


def manifest_time(manifest: dict[str, Any]) -> float:
    created = manifest.get("created_at")
    return datetime.fromisoformat(created).timestamp() if isinstance(created, str) else 0.0


def _safe_name(name: str) -> PurePosixPath | None:
    """A relative path without `..`, absolute parts or NULs; None when it is not."""
    if not name or "\x00" in name or "\\" in name:
        return None
    path = PurePosixPath(name)
    if path.is_absolute() or any(part in ("", ".", "..") for part in path.parts):
        return None
    return path


@dataclass(frozen=True)
class Unpacked:
    """A backup checked member by member and unpacked into `root` (a private directory)."""

    root: Path
    manifest: dict[str, Any]

    def member(self, name: str) -> Path | None:
        return self.root / name if name in self.manifest["files"] else None

    def names(self, prefix: str) -> list[str]:
        return sorted(n for n in self.manifest["files"] if n.startswith(prefix))


def _foreign(path: Path) -> BackupError:
    return BackupError(f"Файл {path} — не резервная копия Отклика. Укажите файл, который сделала "
                       "команда «otklik backup» (otklik-….tar.gz).")


def _corrupt(path: Path, why: str) -> BackupError:
    return BackupError(f"Резервная копия {path} повреждена: {why}. Восстановление не начато, база не "
                       "тронута. Возьмите другую копию (например, предыдущую ночную).")


def archive_unpack(path: Path, into: Path) -> Unpacked:
    """Unpack every member into `into`, checking the header, names, sizes and checksums."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"Файл {path} не найден.")
    with path.open("rb") as probe:
        gzipped = probe.read(2) == GZIP_MAGIC
    if not gzipped:
        raise _foreign(path)
    into.mkdir(mode=0o700, parents=True, exist_ok=True)
    seen: dict[str, dict[str, Any]] = {}
    manifest: dict[str, Any] | None = None
    try:
        with tarfile.open(path, mode="r:gz") as tar:
            for index, member in enumerate(tar):
                if index == 0:
                    _check_header(path, tar, member)
                    continue
                if manifest is not None:
                    raise _corrupt(path, "после описания копии есть лишние данные")
                name = _safe_name(member.name)
                if name is None or not member.isfile() or member.name in seen or member.name == HEADER:
                    raise _corrupt(path, f"недопустимый элемент «{member.name}»")
                source = tar.extractfile(member)
                if source is None:
                    raise _corrupt(path, f"элемент «{member.name}» не читается")
                if member.name == MANIFEST:
                    manifest = _manifest(path, source.read())
                    continue
                target = into / name
                target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                sha = hashlib.sha256()
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as out:
                    while chunk := source.read(CHUNK):
                        sha.update(chunk)
                        out.write(chunk)
                seen[member.name] = {"sha256": sha.hexdigest(), "size": member.size}
    except BackupError:
        raise
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        # gzip's own CRC and the tar headers catch truncation and flipped bytes.
        raise _corrupt(path, "файл обрывается или испорчен") from exc
    if manifest is None:
        raise _corrupt(path, "нет описания копии (manifest.json): файл обрезан")
    listed = manifest["files"]
    for name, entry in listed.items():
        got = seen.get(name)
        if got is None:
            raise _corrupt(path, f"нет файла «{name}», указанного в описании")
        if got["size"] != entry.get("size") or got["sha256"] != entry.get("sha256"):
            raise _corrupt(path, f"файл «{name}» не совпадает с контрольной суммой")
    extra = sorted(set(seen) - set(listed))
    if extra:
        raise _corrupt(path, f"файл «{extra[0]}» не указан в описании")
    return Unpacked(root=into, manifest=manifest)


def _check_header(path: Path, tar: tarfile.TarFile, member: tarfile.TarInfo) -> None:
    if member.name != HEADER or not member.isfile() or member.size > 4096:
        raise _foreign(path)
    source = tar.extractfile(member)
    try:
        header = json.loads(source.read()) if source else None
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise _foreign(path)
    version = header.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupError(f"Копия {path} сделана более новой версией Отклика (формат {version}, эта версия "
                          f"читает формат {FORMAT_VERSION}). Обновите Отклик и повторите восстановление.")


def _manifest(path: Path, data: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(data)
    except ValueError as exc:
        raise _corrupt(path, "описание копии не читается") from exc
    if (not isinstance(manifest, dict) or manifest.get("format") != FORMAT
            or not isinstance(manifest.get("files"), dict) or not isinstance(manifest.get("database"), dict)):
        raise _corrupt(path, "описание копии неполное")
    return manifest


def directory_remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
