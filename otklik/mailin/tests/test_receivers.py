"""Mail in end to end over real sockets: the dispatch letter goes out through SMTP, the
executor's client answers it, and the answer arrives through Otklik's own SMTP endpoint
(aiosmtpd) or through the administration's IMAP mailbox (polled, or woken by IDLE)."""

from __future__ import annotations

import smtplib
import socket
import time
from collections.abc import Callable, Iterator
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from otklik.incidents.models import Draft, IncidentEvent
from otklik.incidents.tests.test_services import intake, route
from otklik.mailin.config import MailInConfigError, mail_in_parse
from otklik.mailin.models import InboundMail
from otklik.mailin.receivers import IMAPReceiver, SMTPReceiver
from otklik.mailin.tests import mails
from otklik.mailin.tests.imap_server import IMAPServer
from otklik.notifications.services import notifications_sweep

pytestmark = pytest.mark.django_db(transaction=True)  # the receivers work in their own threads

BODY = "Здравствуйте, Анна!\nЯму на ул. Красной, 15 засыпали 7 декабря, фото прилагаем."
EXECUTOR = "executor@plastunovskoe.example"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(check: Callable[[], Any], seconds: float = 15.0) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.1)
    raise AssertionError("timed out")


class Sink:
    """The administration's outgoing mail server: keeps what Otklik sends."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # aiosmtpd's hook name
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def sink(settings: Any) -> Iterator[Sink]:
    port = free_port()
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.OTKLIK_MAIL_IN_ADDRESS = "otvet@plastunovskoe.example"
    yield sink
    controller.stop()


def dispatch_letter(demo: dict[str, Any], sink: Sink) -> tuple[Any, Message]:
    incident = route(demo, intake(demo))
    notifications_sweep()
    [letter] = [m for m in sink.to(EXECUTOR) if "для ответа на сообщения" in str(m["Subject"] or "")
                or "=?utf-8?" in str(m["Subject"] or "")][:1]
    return incident, letter


def test_smtp_end_to_end_outlook_reply_to_the_dispatch_letter(demo: dict[str, Any], sink: Sink, settings: Any) -> None:
    port = free_port()
    settings.EMAIL_IN_URL = f"smtp://127.0.0.1:{port}"
    receiver = SMTPReceiver(mail_in_parse(settings.EMAIL_IN_URL))
    try:
        incident, letter = dispatch_letter(demo, sink)
        reply_to, token = letter["Reply-To"], letter["X-Otklik-Token"]
        assert reply_to == f"otvet+{token}@plastunovskoe.example" and token in letter["Message-ID"]
        raw = mails.outlook(body=BODY, sender=EXECUTOR, to=reply_to, in_reply_to=letter["Message-ID"],
                            message_id="<smtp-e2e@client.example>", files=[("яма.jpg", mails.JPEG, "image/jpeg")])
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            smtp.sendmail(EXECUTOR, [reply_to], raw)
        draft = wait_for(lambda: Draft.objects.filter(incident=incident).first())
        assert draft.text == BODY and draft.files.count() == 1
        event = IncidentEvent.objects.get(incident=incident, action="submit_draft")
        assert event.payload["message_id"] == "<smtp-e2e@client.example>"

        # A forged From with the same token, through the same endpoint: refused, nothing changes.
        forged = mails.gmail(body="Другой текст", sender="someone@evil.example", to=reply_to,
                             message_id="<forged@evil.example>")
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            smtp.sendmail("someone@evil.example", [reply_to], forged)
        refused = wait_for(lambda: InboundMail.objects.filter(message_id="<forged@evil.example>").first())
        assert refused.outcome == InboundMail.Outcome.REFUSED
        assert Draft.objects.filter(incident=incident).count() == 1

        # The answers go out threaded under the mails they answer, marked automatic.
        notifications_sweep()
        [accepted] = [m for m in sink.to(EXECUTOR) if m["In-Reply-To"] == "<smtp-e2e@client.example>"]
        assert accepted["Auto-Submitted"] == "auto-replied"
        assert sink.to("someone@evil.example")
    finally:
        receiver.stop()


def _imap_reply(demo: dict[str, Any], sink: Sink, settings: Any, server: IMAPServer, poll: float) -> tuple[Any, float]:
    settings.EMAIL_IN_URL = f"imap://otvet%40plastunovskoe.example:secret@127.0.0.1:{server.port}/INBOX"
    incident, letter = dispatch_letter(demo, sink)
    receiver = IMAPReceiver(mail_in_parse(settings.EMAIL_IN_URL), poll=poll)
    try:
        wait_for(lambda: any(c.startswith("UID SEARCH") for c in server.commands))
        started = time.monotonic()
        # Mail.ru keeps no plus-address: only In-Reply-To carries the token here.
        server.append(mails.mailru_cp1251(body=BODY, sender=EXECUTOR, to="otvet@plastunovskoe.example",
                                          in_reply_to=letter["Message-ID"], message_id="<imap-e2e@mail.ru>"))
        draft = wait_for(lambda: Draft.objects.filter(incident=incident).first())
        took = time.monotonic() - started
        assert draft.text == BODY
        wait_for(lambda: server.seen() == [1])
    finally:
        receiver.stop()
    return incident, took


def test_imap_end_to_end_woken_by_idle(demo: dict[str, Any], sink: Sink, settings: Any) -> None:
    server = IMAPServer("otvet@plastunovskoe.example", "secret", idle=True)
    try:
        # A poll of 20 s: the mail is read well before that only because IDLE woke the receiver.
        _, took = _imap_reply(demo, sink, settings, server, poll=20.0)
        assert took < 10 and "IDLE" in server.commands
        assert not any(c == "EXPUNGE" for c in server.commands)  # never erases anything of the mailbox's
    finally:
        server.stop()


def test_imap_end_to_end_polling_without_idle(demo: dict[str, Any], sink: Sink, settings: Any) -> None:
    server = IMAPServer("otvet@plastunovskoe.example", "secret", idle=False)
    try:
        _, _ = _imap_reply(demo, sink, settings, server, poll=0.3)
        assert "IDLE" not in server.commands
    finally:
        server.stop()


def test_imap_wrong_password_is_retried_not_fatal(settings: Any) -> None:
    server = IMAPServer("otvet@plastunovskoe.example", "secret")
    try:
        receiver = IMAPReceiver(mail_in_parse(f"imap://otvet:wrong@127.0.0.1:{server.port}/INBOX"), poll=0.3)
        wait_for(lambda: server.commands.count("LOGIN") >= 1)
        assert receiver.thread.is_alive()
        receiver.stop()
    finally:
        server.stop()


@pytest.mark.parametrize(("url", "problem"), [
    ("pop3://u:p@host", "схема"), ("imaps://host/INBOX", "имя и пароль"), ("smtp://:25", "адрес сервера"),
    ("imaps://u:p@host:99999/", "порт"),
])
def test_email_in_url_errors_are_russian(url: str, problem: str) -> None:
    with pytest.raises(MailInConfigError, match=problem):
        mail_in_parse(url)


def test_email_in_url_contract() -> None:
    c = mail_in_parse("imaps://otvet%40adm.example:p%40ss@imap.adm.example/Входящие")
    assert (c.scheme, c.host, c.port, c.user, c.password, c.folder) == (
        "imaps", "imap.adm.example", 993, "otvet@adm.example", "p@ss", "Входящие")
    assert "p@ss" not in repr(c)
    s = mail_in_parse("smtp://127.0.0.1:2525")
    assert (s.scheme, s.host, s.port, s.is_imap) == ("smtp", "127.0.0.1", 2525, False)


def test_worker_starts_the_receiver_email_in_url_names(settings: Any) -> None:
    from otklik.mailin.receivers import receiver_start

    settings.EMAIL_IN_URL = ""
    assert receiver_start() is None
    port = free_port()
    settings.EMAIL_IN_URL = f"smtp://127.0.0.1:{port}"
    receiver = receiver_start()
    try:
        assert isinstance(receiver, SMTPReceiver)
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            assert smtp.noop()[0] == 250
    finally:
        assert receiver is not None
        receiver.stop()
