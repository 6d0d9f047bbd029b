"""Photos and videos of a draft: the type from the file's magic bytes, the size from settings.

Neither the browser's content type nor the extension is trusted. Every file is checked
before any is stored; the stored name is random, the user's name is kept for display only.
"""

from __future__ import annotations

import os
import unicodedata
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from otklik.incidents.models import Attachment, Draft, Incident
from otklik.incidents.transitions import TransitionError
from otklik.org.models import Person

MAX_FILES = 10
KINDS_TEXT = "JPEG, PNG, WEBP, HEIC, MP4, MOV, WEBM"
HEAD_BYTES = 64


@dataclass(frozen=True)
class FileType:
    kind: str  # Attachment.Kind
    content_type: str
    ext: str


JPEG = FileType(Attachment.Kind.PHOTO, "image/jpeg", "jpg")
PNG = FileType(Attachment.Kind.PHOTO, "image/png", "png")
WEBP = FileType(Attachment.Kind.PHOTO, "image/webp", "webp")
HEIC = FileType(Attachment.Kind.PHOTO, "image/heic", "heic")
HEIF = FileType(Attachment.Kind.PHOTO, "image/heif", "heif")
MP4 = FileType(Attachment.Kind.VIDEO, "video/mp4", "mp4")
MOV = FileType(Attachment.Kind.VIDEO, "video/quicktime", "mov")
WEBM = FileType(Attachment.Kind.VIDEO, "video/webm", "webm")
MKV = FileType(Attachment.Kind.VIDEO, "video/x-matroska", "mkv")

FTYP_BRANDS: dict[bytes, FileType] = {
    b"heic": HEIC, b"heix": HEIC, b"mif1": HEIF,
    b"isom": MP4, b"mp41": MP4, b"mp42": MP4, b"avc1": MP4, b"M4V ": MP4,
    b"qt  ": MOV,
}


class AttachmentError(TransitionError):
    """Some files were refused; `errors` has one Russian line per file."""

    def __init__(self, errors: Sequence[str]) -> None:
        self.errors = list(errors)
        super().__init__(" ".join(self.errors))


def file_type(head: bytes) -> FileType | None:
    """The type by the first bytes of the file, or None when it is not a photo or video we take."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[4:8] == b"ftyp":
        return FTYP_BRANDS.get(head[8:12])
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return WEBM if b"webm" in head else MKV
    return None


def _head(upload: Any) -> bytes:
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return bytes(head or b"")


def display_name(raw: str | None) -> str:
    """The user's file name without a path or control characters, for display."""
    name = os.path.basename(str(raw or "").replace("\\", "/"))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return (name or "файл")[:255]


def limit_mb(kind: str) -> float:
    if kind == Attachment.Kind.VIDEO:
        return float(getattr(settings, "OTKLIK_MAX_VIDEO_MB", 200))
    return float(getattr(settings, "OTKLIK_MAX_PHOTO_MB", 15))


def _mb(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def files_check(files: Sequence[Any]) -> list[str]:
    """Russian errors, one per refused file (empty when all may be stored)."""
    errors: list[str] = []
    if len(files) > MAX_FILES:
        errors.append(f"К проекту можно приложить не больше {MAX_FILES} файлов, выбрано {len(files)}.")
    for upload in files:
        name = display_name(getattr(upload, "name", ""))
        ftype = file_type(_head(upload))
        if ftype is None:
            errors.append(f"Файл «{name}»: это не фото и не видео ({KINDS_TEXT}).")
            continue
        limit = limit_mb(ftype.kind)
        if upload.size > limit * 1024 * 1024:
            errors.append(f"Файл «{name}»: больше {_mb(limit)} МБ.")
    return errors


def attachments_store(*, incident: Incident, draft: Draft | None, files: Iterable[Any],
                      by: Person) -> list[Attachment]:
    """Check every file, then store them all; call inside the draft's transaction.

    Raises AttachmentError and stores nothing when any file is refused. A file written before
    a failure here is removed again.
    """
    files = list(files)
    if errors := files_check(files):
        raise AttachmentError(errors)
    now = timezone.now()
    stored: list[Attachment] = []
    try:
        for upload in files:
            ftype = file_type(_head(upload))
            if ftype is None:  # checked above; the file changed under us
                raise AttachmentError([f"Файл «{display_name(upload.name)}»: это не фото и не видео ({KINDS_TEXT})."])
            att = Attachment(incident=incident, draft=draft, name=display_name(upload.name), kind=ftype.kind,
                             content_type=ftype.content_type, size=upload.size, uploaded_by=by, uploaded_at=now)
            upload.seek(0)
            att.file.save(f"{uuid.uuid4().hex}.{ftype.ext}", upload, save=False)
            stored.append(att)
            att.save()
    except BaseException:
        for att in stored:
            default_storage.delete(att.file.name)
        raise
    return stored


def attachments_carry(*, old: Draft, new: Draft) -> None:
    """The new round of a draft keeps the old one's files: new rows, the same stored files."""
    for att in Attachment.objects.filter(draft=old).order_by("pk"):
        Attachment.objects.create(incident=att.incident, draft=new, file=att.file.name, name=att.name, kind=att.kind,
                                  content_type=att.content_type, size=att.size, uploaded_by=att.uploaded_by,
                                  uploaded_at=att.uploaded_at)


def open_file(att: Attachment) -> IO[bytes]:
    return default_storage.open(att.file.name, "rb")
