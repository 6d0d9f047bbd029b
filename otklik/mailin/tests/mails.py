"""Replies as the common clients write them: their quoting, their HTML, their encodings.

Each builder returns the bytes a mail server would hand over. The quoted original is always
the dispatch letter, so a test can tell whether any of it leaked into the draft.
"""

from __future__ import annotations

from email.header import Header
from email.message import EmailMessage, Message
from email.mime.base import MIMEBase
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, make_msgid

ORIGINAL = ("Подразделению «Отдел ЖКХ и благоустройства» поручено подготовить проект ответа автору.\n"
            "Срок: до 16:30, пн 07.12.2026 (время МО).\n\nСообщение № 1 (ВКонтакте): Яма на ул. Красной, 15")
ORIGINAL_MARK = "поручено подготовить"  # must never reach the draft
MARKER_SUBJECT = "RE: [для ответа на сообщения из социальных сетей] Сообщение № 1 — ответ на сообщение из социальных сетей"
# The smallest JPEG header our type check takes, and a real-looking size.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 30_000
PNG_LOGO = b"\x89PNG\r\n\x1a\n" + b"\x00" * 800


def _wire(msg: Message) -> bytes:
    """The bytes as a client sends them: CRLF line ends (SMTP refuses anything else)."""
    return msg.as_bytes(policy=msg.policy.clone(linesep="\r\n"))


def _headers(msg: EmailMessage | MIMEMultipart | MIMEText, *, sender: str, to: str, subject: str,
             in_reply_to: str = "", message_id: str = "", name: str = "Иванова Наталья") -> None:
    msg["From"] = formataddr((name, sender))
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = message_id or make_msgid(domain="client.example")
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
        msg["References"] = in_reply_to


def outlook(*, body: str, sender: str, to: str, subject: str = MARKER_SUBJECT, in_reply_to: str = "",
            message_id: str = "", signature: str = "С уважением,\nИванова Наталья Алексеевна\nСпециалист отдела ЖКХ\nтел. 8 (861) 555-12-34",
            files: list[tuple[str, bytes, str]] | None = None, logo: bool = True) -> bytes:
    """Outlook: no «>», an «От: … Отправлено: …» block; HTML with the grey-bordered header,
    the signature's logo as an inline picture."""
    plain = (f"{body}\n\n{signature}\n\nОт: Администрация <otvet@plastunovskoe.example>\n"
             f"Отправлено: 7 декабря 2026 г. 10:00\nКому: Иванова Наталья <{sender}>\n"
             f"Тема: [для ответа на сообщения из социальных сетей] Сообщение № 1\n\n{ORIGINAL}\n")
    html_body = "".join(f"<p class=MsoNormal>{line}<o:p></o:p></p>" for line in body.split("\n"))
    html = (f"<html><head><meta http-equiv=Content-Type content='text/html; charset=utf-8'>"
            f"<style>p.MsoNormal{{margin:0}}</style></head><body lang=RU><div class=WordSection1>{html_body}"
            f"<p class=MsoNormal>&nbsp;</p><div id=Signature><p>С уважением,<br>Иванова Наталья Алексеевна</p>"
            f"<img src='cid:image001.png@01DA'></div>"
            f"<div style='border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm'>"
            f"<p class=MsoNormal><b>От:</b> Администрация &lt;otvet@plastunovskoe.example&gt;<br><b>Отправлено:</b> "
            f"7 декабря 2026 г. 10:00</p></div><p>{ORIGINAL}</p></div></body></html>")
    related = MIMEMultipart("related")
    alt = MIMEMultipart("alternative")
    alt.attach(MIMEText(plain, "plain", "utf-8"))
    alt.attach(MIMEText(html, "html", "utf-8"))
    related.attach(alt)
    if logo:
        img = MIMEImage(PNG_LOGO, "png")
        img.add_header("Content-ID", "<image001.png@01DA>")
        img.add_header("Content-Disposition", "inline", filename="image001.png")
        related.attach(img)
    msg = related
    if files:
        mixed = MIMEMultipart("mixed")
        mixed.attach(related)
        for name, data, ctype in files:
            maintype, subtype = ctype.split("/")
            part = MIMEBase(maintype, subtype)
            part.set_payload(data)
            from email import encoders

            encoders.encode_base64(part)
            part.add_header("Content-Disposition", "attachment", filename=("utf-8", "", name))
            mixed.attach(part)
        msg = mixed
    _headers(msg, sender=sender, to=to, subject=subject, in_reply_to=in_reply_to, message_id=message_id)
    return _wire(msg)


def gmail(*, body: str, sender: str, to: str, subject: str = MARKER_SUBJECT, in_reply_to: str = "",
          message_id: str = "") -> bytes:
    """Gmail: «пн, 7 дек. 2026 г. в 10:00, Администрация <…>:» wrapped, then «>» lines; HTML
    with div.gmail_quote and a gmail_signature."""
    quoted = "\n".join(f"> {line}" for line in ORIGINAL.split("\n"))
    plain = (f"{body}\n\n--\nНаталья Иванова\n\nпн, 7 дек. 2026 г. в 10:00, Администрация Пластуновского сельского\n"
             f"поселения <otvet@plastunovskoe.example>:\n\n{quoted}\n")
    html = (f"<div dir=\"ltr\">{body.replace(chr(10), '<br>')}<br clear=\"all\"><div><br></div>"
            f"<span class=\"gmail_signature_prefix\">-- </span><br><div dir=\"ltr\" class=\"gmail_signature\">"
            f"Наталья Иванова</div></div><br><div class=\"gmail_quote\"><div dir=\"ltr\" class=\"gmail_attr\">"
            f"пн, 7 дек. 2026 г. в 10:00, Администрация:<br></div><blockquote class=\"gmail_quote\">"
            f"{ORIGINAL}</blockquote></div>")
    msg = MIMEMultipart("alternative")
    msg.attach(MIMEText(plain, "plain", "utf-8"))
    msg.attach(MIMEText(html, "html", "utf-8"))
    _headers(msg, sender=sender, to=to, subject=subject, in_reply_to=in_reply_to, message_id=message_id)
    return _wire(msg)


def yandex_html_only(*, body: str, sender: str, to: str, subject: str = MARKER_SUBJECT, in_reply_to: str = "",
                     message_id: str = "") -> bytes:
    """Yandex web mail: HTML only, the original in a <blockquote> after «07.12.2026, 10:00, …:»."""
    paragraphs = "".join(f"<div>{line or '&nbsp;'}</div>" for line in body.split("\n"))
    html = (f"<div>{paragraphs}</div><div>&nbsp;</div><div>-- </div><div>С уважением, Наталья</div>"
            f"<div>&nbsp;</div><div>07.12.2026, 10:00, \"Администрация\" &lt;otvet@plastunovskoe.example&gt;:</div>"
            f"<blockquote>{ORIGINAL}</blockquote>")
    msg = MIMEText(html, "html", "utf-8")
    _headers(msg, sender=sender, to=to, subject=subject, in_reply_to=in_reply_to, message_id=message_id)
    return _wire(msg)


def mailru_cp1251(*, body: str, sender: str, to: str, subject: str = MARKER_SUBJECT, in_reply_to: str = "",
                  message_id: str = "") -> bytes:
    """Mail.ru in windows-1251: «>» on the attribution line too, a mobile footer."""
    quoted = "\n".join(f">{line}" for line in ORIGINAL.split("\n"))
    plain = (f"{body}\n\n\nОтправлено из мобильной Почты Mail.ru\n\n\n"
             f">Понедельник, 7 декабря 2026, 10:00 +03:00 от Администрация <otvet@plastunovskoe.example>:\n>\n{quoted}\n")
    msg = MIMEText(plain, "plain", "windows-1251")
    _headers(msg, sender=sender, to=to, subject="", in_reply_to=in_reply_to, message_id=message_id)
    del msg["Subject"]
    msg["Subject"] = Header(subject, "windows-1251").encode()
    return _wire(msg)


def _koi(text: str) -> str:
    """KOI8-R has no guillemets, no «№», no long dash."""
    return text.replace("«", '"').replace("»", '"').replace("№", "N").replace("—", "-")


def koi8r(*, body: str, sender: str, to: str, subject: str = MARKER_SUBJECT, in_reply_to: str = "",
          message_id: str = "") -> bytes:
    """An old client in KOI8-R, Thunderbird-style attribution «… пишет:»."""
    original = _koi(ORIGINAL)
    quoted = "\n".join(f"> {line}" for line in original.split("\n"))
    plain = f"{body}\n\n07.12.2026 10:00, Администрация пишет:\n{quoted}\n"
    msg = MIMEText(plain, "plain", "koi8-r")
    _headers(msg, sender=sender, to=to, subject="", in_reply_to=in_reply_to, message_id=message_id)
    del msg["Subject"]
    msg["Subject"] = Header(_koi(subject), "koi8-r").encode()
    return _wire(msg)
