"""Reading replies: the new text without quote and signature, from every common client, in
every encoding a Russian mailbox meets; files; the automatic mail that is never answered."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from otklik.mailin.handin import handin_looks_like, handin_parse, moment_parse
from otklik.mailin.html_text import html_to_text
from otklik.mailin.parsing import mail_parse
from otklik.mailin.quotes import reply_text
from otklik.mailin.tests import mails

BODY = ("Здравствуйте, Анна!\nЯму на ул. Красной, 15 засыпали 7 декабря, фото прилагаем.\n"
        "С уважением, администрация Пластуновского сельского поселения.")
NAME = "Иванова Наталья Алексеевна"
SENDER = "executor@plastunovskoe.example"


@pytest.mark.parametrize("build", [mails.outlook, mails.gmail, mails.yandex_html_only, mails.mailru_cp1251,
                                   mails.koi8r], ids=lambda b: b.__name__)
def test_every_client_gives_exactly_the_new_text(build: Callable[..., bytes]) -> None:
    parsed = mail_parse(build(body=BODY, sender=SENDER, to="otvet@plastunovskoe.example"))
    text = parsed.text(sender_names=[NAME])
    assert text == BODY  # the draft's own closing stays; the signature and the quote go
    assert mails.ORIGINAL_MARK not in text
    assert "ответ на сообщение из социальных сетей" in parsed.subject  # decoded from cp1251/koi8-r too
    assert parsed.sender == SENDER


def test_html_only_mail_is_read_as_text() -> None:
    parsed = mail_parse(mails.yandex_html_only(body=BODY, sender=SENDER, to="otvet@x.example"))
    assert parsed.html
    assert "<div>" not in parsed.body and "&nbsp;" not in parsed.body


def test_outlook_signature_logo_is_not_a_file_but_an_attached_photo_is() -> None:
    raw = mails.outlook(body=BODY, sender=SENDER, to="otvet@x.example",
                        files=[("фото ямы.jpg", mails.JPEG, "image/jpeg"), ("акт.docx", b"PK\x03\x04", "application/octet-stream")])
    names = [f.name for f in mail_parse(raw).files]
    assert names == ["фото ямы.jpg", "акт.docx"]  # the 800-byte inline logo is left out


def test_outlook_header_block_in_english() -> None:
    text = "Готово.\n\n-----Original Message-----\nFrom: A\nSent: Monday\nSubject: x\n\nold"
    assert reply_text(text) == "Готово."
    text = "Готово.\n\nFrom: Администрация <otvet@x>\nSent: Monday, December 7, 2026 10:00 AM\nTo: me\n\nold"
    assert reply_text(text) == "Готово."


def test_gmail_english_attribution() -> None:
    text = "Сделано.\n\nOn Mon, Dec 7, 2026 at 10:00 AM Admin <otvet@x.example> wrote:\n\n> old\n> older"
    assert reply_text(text) == "Сделано."


def test_closing_without_the_senders_name_is_part_of_the_draft() -> None:
    text = "Здравствуйте!\nСделаем.\nС уважением,\nадминистрация поселения"
    assert reply_text(text, sender_names=[NAME]) == text


def test_closing_followed_by_the_senders_name_is_the_signature() -> None:
    text = "Здравствуйте!\nСделаем.\n\nС уважением,\nН. А. Иванова\nСпециалист"
    assert reply_text(text, sender_names=[NAME]) == "Здравствуйте!\nСделаем."


def test_mobile_footer_is_cut() -> None:
    assert reply_text("Готово.\n\nSent from my iPhone") == "Готово."
    assert reply_text("Готово.\n\nОтправлено из мобильной Почты Mail.ru") == "Готово."


def test_html_drops_scripts_styles_and_everything_after_the_quote() -> None:
    html = ("<html><head><style>p{x}</style><script>alert(1)</script></head><body><p>Первый&nbsp;абзац</p>"
            "<ul><li>раз</li><li>два</li></ul><div class='gmail_quote'>старое</div><p>после цитаты</p></body></html>")
    assert html_to_text(html) == "Первый абзац\n- раз\n- два"


def test_html_outlook_reply_header_div_ends_the_text() -> None:
    html = ("<div>Ответ</div><div id='divRplyFwdMsg'><b>От:</b> x</div><div>original</div>")
    assert html_to_text(html) == "Ответ"


def test_unlabelled_charset_is_tried_as_utf8_then_windows_1251() -> None:
    raw = (b"From: a@b.example\r\nSubject: x\r\nMessage-ID: <c1@b>\r\nContent-Type: text/plain\r\n"
           b"Content-Transfer-Encoding: 8bit\r\n\r\n") + "Привет".encode("cp1251")
    assert mail_parse(raw).body.strip() == "Привет"


def test_html_meta_charset_is_honoured() -> None:
    html = "<html><head><meta charset='koi8-r'></head><body><p>Готово</p></body></html>".encode("koi8-r")
    raw = (b"From: a@b.example\r\nSubject: x\r\nMessage-ID: <c2@b>\r\nContent-Type: text/html\r\n"
           b"Content-Transfer-Encoding: 8bit\r\n\r\n" + html)
    assert mail_parse(raw).body == "Готово"


@pytest.mark.parametrize("header", ["Auto-Submitted: auto-replied", "Precedence: bulk", "X-Autoreply: yes",
                                    "List-Id: <x.list>"])
def test_automatic_mail_is_recognised(header: str) -> None:
    raw = f"From: a@b.example\r\n{header}\r\nSubject: Я в отпуске\r\nMessage-ID: <a@b>\r\n\r\nx".encode()
    assert mail_parse(raw).automatic
    assert not mail_parse(b"From: a@b.example\r\nAuto-Submitted: no\r\nMessage-ID: <a@b>\r\n\r\nx").automatic


def test_mail_without_message_id_gets_one_from_its_content() -> None:
    a = mail_parse(b"From: a@b.example\r\nSubject: x\r\n\r\nbody")
    b = mail_parse(b"From: a@b.example\r\nSubject: x\r\n\r\nbody")
    assert a.message_id == b.message_id and a.message_id.startswith("<sha256.")


def test_broken_headers_do_not_raise() -> None:
    raw = b"From: =?bogus?Q?x?= <a@b.example>\r\nSubject: =?utf-8?B?!!!?=\r\nMessage-ID: <z@b>\r\n\r\nbody"
    parsed = mail_parse(raw)
    assert parsed.sender == "a@b.example"


HANDIN = """Здравствуйте.
МО: plastunovskoe
Соцсеть: ВКонтакте
Ссылка: https://vk.com/wall-1_99
Автор: Анна Петрова
Обнаружено: 04.12.2026 16:30
Важность: повышенная
Номер: REG-7
Текст: Нет воды на ул. Ленина
уже второй день.
"""


def test_handin_form_fields() -> None:
    form = handin_parse(HANDIN)
    assert form.errors == []
    assert form.values["network"] == "vk" and form.values["importance"] == "high"
    assert form.values["text"] == "Нет воды на ул. Ленина\nуже второй день."
    assert form.values["external_id"] == "REG-7" and handin_looks_like(HANDIN)


def test_handin_missing_fields_are_named() -> None:
    form = handin_parse("Ссылка: https://vk.com/x\nСоцсеть: Фейсбук\nВажность: средняя")
    assert "Нет поля «МО:»." in form.errors and "Нет поля «Текст:»." in form.errors
    assert any("Фейсбук" in e for e in form.errors) and any("Важность" in e for e in form.errors)


def test_handin_moment_in_the_municipalitys_zone() -> None:
    moment = moment_parse("04.12.2026 16:30", "Europe/Moscow")
    assert moment is not None and moment.utcoffset() is not None and moment.hour == 16
    assert moment_parse("вчера", "Europe/Moscow") is None
