"""The two ways mail arrives, both started by `otklik worker` when EMAIL_IN_URL is set.

- IMAP (imap-tools): the unseen messages of the folder are read without marking them, each
  is handed to `mail_receive`, then flagged \\Seen; the poller waits in IDLE when the server
  has it (the mail is there at once), otherwise polls every `poll` seconds.
- SMTP (aiosmtpd): Otklik listens itself; the administration's mail server forwards the
  replies address to it. Every recipient is accepted (nothing is relayed anywhere).
Several workers may read one mailbox: the Message-ID's unique row lets one of them act.
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading
from collections.abc import Callable
from typing import Any, Protocol

from django.conf import settings
from django.db import DatabaseError, close_old_connections

from otklik.mailin.config import MailInConfig, mail_in_config

log = logging.getLogger(__name__)
MAX_MESSAGE_BYTES = 64 * 1024 * 1024  # ten 5 MB photos in base64, with room
IDLE_SECONDS = 5 * 60  # RFC 2177: re-issue IDLE well before 29 minutes


class Receiver(Protocol):
    def stop(self) -> None: ...


def _receive(raw: bytes, recipients: list[str]) -> None:
    from otklik.mailin.services import mail_receive

    close_old_connections()
    try:
        mail_receive(raw, recipients=recipients)
    finally:
        close_old_connections()


# ---------------------------------------------------------------- SMTP


class OtklikSMTPHandler:
    """aiosmtpd handler: the database work runs in a thread, off the event loop."""

    def __init__(self, receive: Callable[[bytes, list[str]], None] = _receive) -> None:
        self.receive = receive

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # aiosmtpd's hook name
        content = envelope.original_content or envelope.content
        raw = content if isinstance(content, bytes) else str(content).encode("utf-8", "surrogateescape")
        try:
            await asyncio.to_thread(self.receive, raw, list(envelope.rcpt_tos))
        except Exception:
            log.exception("mail in: a message could not be processed")
            return "451 4.3.0 Временная ошибка, повторите позже"
        return "250 OK"


class SMTPReceiver:
    def __init__(self, config: MailInConfig, receive: Callable[[bytes, list[str]], None] = _receive) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(OtklikSMTPHandler(receive), hostname=config.host, port=config.port,
                                     server_hostname=config.host,
                                     data_size_limit=MAX_MESSAGE_BYTES)
        self.controller.start()
        log.info("mail in: SMTP on %s:%s", config.host, config.port)

    def stop(self) -> None:
        self.controller.stop()


# ---------------------------------------------------------------- IMAP

RAW_FETCH = "(BODY.PEEK[])"
UID_IN_FETCH = re.compile(rb"UID\s+(\d+)")


def _mailbox(config: MailInConfig) -> Any:
    from imap_tools import MailBox, MailBoxUnencrypted

    timeout = float(getattr(settings, "OTKLIK_MAIL_IN_TIMEOUT", 60))
    box = (MailBox(config.host, config.port, timeout=timeout) if config.scheme == "imaps"
           else MailBoxUnencrypted(config.host, config.port, timeout=timeout))
    return box.login(config.user, config.password, initial_folder=config.folder)


def imap_read_once(box: Any, receive: Callable[[bytes, list[str]], None] = _receive) -> int:
    """Hand every unseen message to `receive`, flag each \\Seen after it; returns how many."""
    from imap_tools import AND

    done = 0
    for uid in box.uids(AND(seen=False)):
        status, data = box.client.uid("FETCH", uid, RAW_FETCH)
        if status != "OK":
            continue
        raw = next((item[1] for item in data if isinstance(item, tuple) and len(item) == 2), None)
        if not isinstance(raw, bytes):
            continue
        try:
            receive(raw, [])
        except DatabaseError:
            raise  # left unseen: read again when the database is back
        except Exception:  # a message nothing can read must not block the ones behind it
            log.exception("mail in: IMAP message %s could not be processed; marked as read", uid)
        # Not box.flag(): imap-tools expunges after it, which would erase whatever a person had
        # marked \Deleted in the administration's own mailbox.
        box.client.uid("STORE", uid, "+FLAGS", r"(\Seen)")
        done += 1
    return done


class IMAPReceiver:
    def __init__(self, config: MailInConfig, *, poll: float = 60.0,
                 receive: Callable[[bytes, list[str]], None] = _receive) -> None:
        self.config, self.poll, self.receive = config, poll, receive
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="mail-in-imap", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        backoff = 5.0
        while not self.stopping.is_set():
            try:
                with _mailbox(self.config) as box:
                    log.info("mail in: IMAP %r", self.config)
                    backoff = 5.0
                    idle = "IDLE" in box.client.capabilities
                    while not self.stopping.is_set():
                        imap_read_once(box, self.receive)
                        if idle:
                            box.idle.wait(timeout=min(self.poll, IDLE_SECONDS))
                        else:
                            self.stopping.wait(self.poll)
            except Exception as exc:  # the server went away, the password changed: try again later
                log.warning("mail in: IMAP failed (%s), retrying in %.0f s", type(exc).__name__, backoff)
                self.stopping.wait(backoff)
                backoff = min(backoff * 2, 300.0)

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=self.poll + 5)


def receiver_start(*, poll: float = 60.0) -> Receiver | None:
    """Start the receiver EMAIL_IN_URL names; None when mail in is off."""
    config = mail_in_config()
    if config is None:
        return None
    if config.is_imap:
        return IMAPReceiver(config, poll=poll)
    return SMTPReceiver(config)
