"""One received message, read: who sent it, what it answers, its new text and its files.

`email` with `policy.default` decodes headers and bodies in any charset the message names
(windows-1251 and KOI8-R included); a body with no charset is tried as UTF-8, then as
windows-1251, the two that Russian mail without a label is in.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

from otklik.mailin.html_text import html_to_text
from otklik.mailin.quotes import reply_text

ADDRESS_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To")
TOKEN_HEADERS = ("X-Otklik-Token", "In-Reply-To", "References")
# An inline picture smaller than this is a logo in a signature, not a photo of work done.
INLINE_MIN_BYTES = 20 * 1024
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class MailFile:
    name: str
    content_type: str
    data: bytes


@dataclass
class ParsedMail:
    message_id: str
    sender: str  # the From address, lower case
    sender_name: str
    subject: str
    body: str  # the whole text (HTML converted), quote included
    html: bool
    recipients: list[str] = field(default_factory=list)
    token_sources: list[str] = field(default_factory=list)
    files: list[MailFile] = field(default_factory=list)
    automatic: bool = False  # an auto-reply, a bounce, a list: never answered
    raw_sha256: str = ""

    def text(self, *, sender_names: Iterable[str] = ()) -> str:
        """The new part: without the quoted original and the signature."""
        return reply_text(self.body, sender_names=[self.sender_name, *sender_names])


def _header(msg: Message, name: str) -> str:
    try:
        value = msg.get(name)
    except (ValueError, IndexError, TypeError):  # a header the parser cannot decode
        return ""
    return str(value) if value is not None else ""


def _all(msg: Message, name: str) -> list[str]:
    try:
        return [str(v) for v in (msg.get_all(name) or [])]
    except (ValueError, IndexError, TypeError):
        return []


def part_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charsets: list[str] = []
    if declared := part.get_content_charset():
        charsets.append(declared)
    if part.get_content_type() == "text/html" and (m := META_CHARSET.search(payload[:4096])):
        charsets.append(m.group(1).decode("ascii"))
    charsets += ["utf-8", "windows-1251"]
    for charset in charsets:
        try:
            return payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("utf-8", errors="replace")


def _automatic(msg: Message, sender: str) -> bool:
    auto = _header(msg, "Auto-Submitted").strip().lower()
    precedence = _header(msg, "Precedence").strip().lower()
    return (bool(auto) and auto != "no") or precedence in {"bulk", "junk", "list", "auto_reply"} \
        or bool(_header(msg, "X-Autoreply") or _header(msg, "X-Autorespond")) \
        or bool(_header(msg, "List-Id")) or msg.get_content_type() == "multipart/report" \
        or sender.split("@")[0] in {"mailer-daemon", "postmaster", "noreply", "no-reply"}


def _body(msg: Message) -> tuple[str, bool, set[str]]:
    """The text (HTML converted when there is no plain part), whether it was HTML, and the
    Content-IDs the HTML shows inline."""
    body_part = msg.get_body(preferencelist=("plain", "html")) if isinstance(msg, EmailMessage) else None
    html_part = msg.get_body(preferencelist=("html",)) if isinstance(msg, EmailMessage) else None
    cids: set[str] = set()
    if html_part is not None:
        cids = {c.lower() for c in re.findall(r"cid:([^\"'\s>)]+)", part_text(html_part))}
    if body_part is None:
        return "", False, cids
    if body_part.get_content_type() == "text/html":
        return html_to_text(part_text(body_part)), True, cids
    # Some clients put the whole reply in HTML and leave the plain part empty.
    text = part_text(body_part)
    if not text.strip() and html_part is not None:
        return html_to_text(part_text(html_part)), True, cids
    return text, False, cids


def _files(msg: Message, body_parts: set[int], cids: set[str]) -> list[MailFile]:
    files: list[MailFile] = []
    for part in msg.walk():
        if part.is_multipart() or id(part) in body_parts:
            continue
        ctype = part.get_content_type()
        disposition = (part.get_content_disposition() or "").lower()
        filename = part.get_filename() or ""
        if ctype == "message/rfc822" or (disposition != "attachment" and not filename
                                         and not ctype.startswith(("image/", "video/"))):
            continue
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes) or not data:
            continue
        cid = _header(part, "Content-ID").strip().strip("<>").lower()
        if disposition != "attachment" and cid and cid in cids and len(data) < INLINE_MIN_BYTES:
            continue  # a logo in a signature
        files.append(MailFile(name=filename or f"вложение.{ctype.split('/')[-1]}", content_type=ctype, data=data))
    return files


def mail_parse(raw: bytes) -> ParsedMail:
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    sender_name, sender = parseaddr(_header(msg, "From"))
    sender = sender.strip().lower()
    body, is_html, cids = _body(msg)
    body_ids = {id(p) for p in (msg.get_body(preferencelist=("plain",)), msg.get_body(preferencelist=("html",)))
                if p is not None} if isinstance(msg, EmailMessage) else set()
    recipients = [a.lower() for _, a in getaddresses([v for h in ADDRESS_HEADERS for v in _all(msg, h)]) if a]
    tokens = [*recipients, *[v for h in TOKEN_HEADERS for v in _all(msg, h)]]
    digest = hashlib.sha256(raw).hexdigest()
    message_id = _header(msg, "Message-ID").strip() or f"<sha256.{digest}@otklik.invalid>"
    return ParsedMail(
        message_id=message_id[:900], sender=sender, sender_name=sender_name.strip(),
        subject=" ".join(_header(msg, "Subject").split()), body=body, html=is_html,
        recipients=recipients, token_sources=tokens, files=_files(msg, body_ids, cids),
        automatic=_automatic(msg, sender), raw_sha256=digest,
    )
