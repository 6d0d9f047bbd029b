"""A mail → one action through the workflow's own services (п. 10, 12, 19), or a clear answer
and no change: strangers, forged senders, no token, second copies, closed incidents."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail as django_mail
from django.test import Client

from otklik.incidents import services as svc
from otklik.incidents.history import history_verify
from otklik.incidents.models import Assignment, Attachment, Draft, Incident, IncidentEvent, Status
from otklik.incidents.tests.test_services import MBU, ZHKH, acc, intake, route
from otklik.mailin.models import InboundMail
from otklik.mailin.services import mail_receive, marker_present
from otklik.mailin.tests import mails
from otklik.mailin.tests.conftest import MAILIN_ADDRESS, dispatch_to
from otklik.mailin.tokens import TOKEN_HEADER, reply_headers, token_find, token_make
from otklik.notifications.models import Notification

pytestmark = pytest.mark.django_db

BODY = ("Здравствуйте, Анна!\nЯму на ул. Красной, 15 засыпали 7 декабря, фото прилагаем.\n"
        "С уважением, администрация Пластуновского сельского поселения.")
WITH_ERRORS = "Яму засыпим завтро."
EXECUTOR = "executor@plastunovskoe.example"


def headers_of(incident: Incident, person: Any) -> dict[str, str]:
    return reply_headers(dispatch_to(incident, person))


def answers(mail: InboundMail) -> list[Notification]:
    return list(Notification.objects.filter(key__startswith=f"mailin:{mail.pk}:", channel=Notification.Channel.EMAIL)
                .order_by("pk"))


def submit_events(incident: Incident) -> list[IncidentEvent]:
    return list(IncidentEvent.objects.filter(incident=incident, action__in=["submit_draft", "submit_part"]))


# ---------------------------------------------------------------- the token in the letters


def test_p10_dispatch_letter_carries_reply_to_token_and_message_id(routed: Incident, demo: dict[str, Any]) -> None:
    h = headers_of(routed, demo["executor"])
    token = h[TOKEN_HEADER]
    assert h["Reply-To"] == f"otvet+{token}@plastunovskoe.example"
    assert token in h["Message-ID"]
    found = token_find([h["Reply-To"]])
    assert found is not None and (found.incident_id, found.person_id) == (routed.pk, demo["executor"].pk)
    assert "Или ответьте на это письмо" in dispatch_to(routed, demo["executor"]).body


def test_no_reply_token_when_mail_in_is_off(routed: Incident, demo: dict[str, Any], settings: Any) -> None:
    settings.EMAIL_IN_URL = ""
    assert headers_of(routed, demo["executor"]) == {}


def test_a_forged_token_is_no_token() -> None:
    real = token_make(incident_id=5, person_id=7)
    forged = real[:-1] + ("0" if real[-1] != "0" else "1")
    assert token_find([f"otvet+{real}@x"]) is not None
    assert token_find([f"otvet+{forged}@x"]) is None
    assert token_find([f"otvet+5-8-0-{real.split('-')[3]}@x"]) is None  # another person, the same signature


def test_p12_marker_is_recognised_exactly() -> None:
    assert marker_present("RE: Ответ на сообщение из социальных сетей")
    assert marker_present("Fwd: [для ответа на сообщения из социальных сетей] — ОТВЕТ НА  СООБЩЕНИЕ ИЗ СОЦИАЛЬНЫХ СЕТЕЙ")
    assert not marker_present("RE: [для ответа на сообщения из социальных сетей] Сообщение № 1")


# ---------------------------------------------------------------- accepted


def test_p12_outlook_reply_becomes_the_draft_with_its_photo(routed: Incident, demo: dict[str, Any]) -> None:
    h = headers_of(routed, demo["executor"])
    raw = mails.outlook(body=BODY, sender=EXECUTOR, to=h["Reply-To"], message_id="<outlook-1@client.example>",
                        files=[("яма.jpg", mails.JPEG, "image/jpeg"), ("акт.docx", b"PK\x03\x04", "application/msword")])
    mail = mail_receive(raw)
    assert mail is not None and mail.outcome == InboundMail.Outcome.ACCEPTED and mail.action == "draft"
    draft = Draft.objects.get(incident=routed)
    assert draft.text == BODY and draft.author == demo["executor"]
    assert [a.name for a in Attachment.objects.filter(draft=draft)] == ["яма.jpg"]  # the logo and the .docx stay out
    routed.refresh_from_db()
    assert routed.status == Status.DRAFT_SUBMITTED
    event = submit_events(routed)[0]
    assert event.payload["via"] == "email" and event.payload["message_id"] == "<outlook-1@client.example>"
    assert history_verify([routed.pk])[1] == []
    [answer] = answers(mail)
    assert answer.recipient == demo["executor"] and "проект принят" in answer.subject
    assert "акт.docx" in answer.body and "не фото и не видео" in answer.body


def test_p12_token_found_in_in_reply_to_when_the_server_drops_plus_addressing(
        routed: Incident, demo: dict[str, Any]) -> None:
    h = headers_of(routed, demo["executor"])
    raw = mails.gmail(body=BODY, sender=EXECUTOR, to=MAILIN_ADDRESS, in_reply_to=h["Message-ID"])
    mail = mail_receive(raw)
    assert mail is not None and mail.outcome == InboundMail.Outcome.ACCEPTED
    assert Draft.objects.get(incident=routed).text == BODY


@pytest.mark.parametrize("build", [mails.yandex_html_only, mails.mailru_cp1251, mails.koi8r],
                         ids=lambda b: b.__name__)
def test_p12_other_clients_and_encodings(routed: Incident, demo: dict[str, Any], build: Any) -> None:
    h = headers_of(routed, demo["executor"])
    mail = mail_receive(build(body=BODY, sender=EXECUTOR, to=h["Reply-To"]))
    assert mail is not None and mail.outcome == InboundMail.Outcome.ACCEPTED, mail and mail.answer
    assert Draft.objects.get(incident=routed).text == BODY


def test_p19_reply_of_one_of_several_units_is_its_part(demo: dict[str, Any], mail_in: Any) -> None:
    incident = route(demo, intake(demo), ZHKH, MBU)
    h = headers_of(incident, demo["executor"])
    mail = mail_receive(mails.gmail(body="Яму засыплем до 10 декабря.", sender=EXECUTOR, to=h["Reply-To"],
                                    message_id="<part-1@client.example>"))
    assert mail is not None and mail.outcome == InboundMail.Outcome.ACCEPTED and mail.action == "part"
    mine = Assignment.objects.get(incident=incident, unit__name=ZHKH)
    assert mine.state == Assignment.State.PART_SUBMITTED and mine.part_text == "Яму засыплем до 10 декабря."
    assert submit_events(incident)[0].payload["message_id"] == "<part-1@client.example>"
    assert not Draft.objects.filter(incident=incident).exists()


# ---------------------------------------------------------------- held for confirmation


def test_p12_checks_with_errors_hold_the_draft_until_the_sender_confirms(routed: Incident, demo: dict[str, Any]) -> None:
    h = headers_of(routed, demo["executor"])
    raw = mails.outlook(body=WITH_ERRORS, sender=EXECUTOR, to=h["Reply-To"], message_id="<held-1@client.example>",
                        files=[("яма.jpg", mails.JPEG, "image/jpeg")])
    mail = mail_receive(raw)
    assert mail is not None and mail.outcome == InboundMail.Outcome.HELD
    assert not Draft.objects.filter(incident=routed).exists()
    routed.refresh_from_db()
    assert routed.status == Status.ROUTED
    [answer] = answers(mail)
    assert "завтро" in answer.body and f"/mail/in/{mail.pk}/" in answer.body

    client = Client()
    client.force_login(demo["executor2"].user)  # a colleague cannot open it
    assert client.get(f"/mail/in/{mail.pk}/").status_code == 404
    client.force_login(demo["executor"].user)
    page = client.get(f"/mail/in/{mail.pk}/")
    assert page.status_code == 200 and "завтро" in page.content.decode()
    again = client.post(f"/mail/in/{mail.pk}/", {"text": WITH_ERRORS})  # not confirmed: still held
    assert again.status_code == 422 and not Draft.objects.filter(incident=routed).exists()
    done = client.post(f"/mail/in/{mail.pk}/", {"text": WITH_ERRORS, "confirm_errors": "on"})
    assert done.status_code == 302
    draft = Draft.objects.get(incident=routed)
    assert draft.confirmed_with_errors and draft.files.count() == 1  # the mail's photo, kept while held
    event = submit_events(routed)[0]
    assert event.payload["via"] == "email+page" and event.payload["message_id"] == "<held-1@client.example>"
    mail.refresh_from_db()
    assert mail.outcome == InboundMail.Outcome.ACCEPTED and bytes(mail.raw) == b""
    assert client.get(f"/mail/in/{mail.pk}/").status_code == 404  # done: nothing more to confirm


def test_held_mail_is_overtaken_by_a_corrected_reply(routed: Incident, demo: dict[str, Any]) -> None:
    h = headers_of(routed, demo["executor"])
    held = mail_receive(mails.gmail(body=WITH_ERRORS, sender=EXECUTOR, to=h["Reply-To"]))
    fixed = mail_receive(mails.gmail(body=BODY, sender=EXECUTOR, to=h["Reply-To"]))
    assert held is not None and fixed is not None and fixed.outcome == InboundMail.Outcome.ACCEPTED
    held.refresh_from_db()
    assert held.outcome == InboundMail.Outcome.REFUSED and bytes(held.raw) == b""
    client = Client()
    client.force_login(demo["executor"].user)
    assert client.get(f"/mail/in/{held.pk}/").status_code == 404


def test_held_page_fixed_text_passes_without_confirmation(routed: Incident, demo: dict[str, Any]) -> None:
    h = headers_of(routed, demo["executor"])
    mail = mail_receive(mails.gmail(body=WITH_ERRORS, sender=EXECUTOR, to=h["Reply-To"]))
    assert mail is not None
    client = Client()
    client.force_login(demo["executor"].user)
    assert client.post(f"/mail/in/{mail.pk}/", {"text": BODY}).status_code == 302
    assert Draft.objects.get(incident=routed).text == BODY


# ---------------------------------------------------------------- refused, nothing changes


def _unchanged(incident: Incident) -> None:
    incident.refresh_from_db()
    assert incident.status == Status.ROUTED and not Draft.objects.filter(incident=incident).exists()


def test_forged_sender_with_a_real_token_is_refused(routed: Incident, demo: dict[str, Any]) -> None:
    h = headers_of(routed, demo["executor"])
    colleague = mail_receive(mails.gmail(body=BODY, sender="executor2@plastunovskoe.example", to=h["Reply-To"]))
    assert colleague is not None and colleague.outcome == InboundMail.Outcome.REFUSED
    assert answers(colleague)[0].recipient == demo["executor2"]
    stranger = mail_receive(mails.gmail(body=BODY, sender="someone@evil.example", to=h["Reply-To"]))
    assert stranger is not None and stranger.outcome == InboundMail.Outcome.REFUSED
    assert answers(stranger)[0].address == "someone@evil.example"
    assert "только от сотрудника" in answers(stranger)[0].body
    _unchanged(routed)


def test_token_in_the_subject_alone_matches_nothing(routed: Incident, demo: dict[str, Any]) -> None:
    token = headers_of(routed, demo["executor"])[TOKEN_HEADER]
    mail = mail_receive(mails.gmail(body=BODY, sender=EXECUTOR, to=MAILIN_ADDRESS,
                                    subject=f"{mails.MARKER_SUBJECT} {token}"))
    assert mail is not None and mail.outcome == InboundMail.Outcome.REFUSED
    assert "ключ ответа" in answers(mail)[0].body
    _unchanged(routed)


def test_stranger_without_token_is_recorded_not_answered(routed: Incident) -> None:
    mail = mail_receive(mails.gmail(body=BODY, sender="spam@evil.example", to=MAILIN_ADDRESS))
    assert mail is not None and mail.outcome == InboundMail.Outcome.IGNORED and answers(mail) == []
    _unchanged(routed)


def test_no_marker_is_refused_with_the_way_to_add_it(routed: Incident, demo: dict[str, Any]) -> None:
    h = headers_of(routed, demo["executor"])
    mail = mail_receive(mails.outlook(body=BODY, sender=EXECUTOR, to=h["Reply-To"],
                                      subject="RE: [для ответа на сообщения из социальных сетей] Сообщение № 1"))
    assert mail is not None and mail.outcome == InboundMail.Outcome.REFUSED
    assert "ответ на сообщение из социальных сетей" in answers(mail)[0].body
    _unchanged(routed)


def test_quote_only_reply_is_refused(routed: Incident, demo: dict[str, Any]) -> None:
    h = headers_of(routed, demo["executor"])
    mail = mail_receive(mails.gmail(body="", sender=EXECUTOR, to=h["Reply-To"]))
    assert mail is not None and mail.outcome == InboundMail.Outcome.REFUSED and "нет текста" in answers(mail)[0].subject
    _unchanged(routed)


def test_closed_incident_is_refused(routed: Incident, demo: dict[str, Any]) -> None:
    h = headers_of(routed, demo["executor"])
    svc.incident_close_no_answer(access=acc(demo, "curator"), incident_id=routed.pk, reason="obscenity")
    mail = mail_receive(mails.gmail(body=BODY, sender=EXECUTOR, to=h["Reply-To"]))
    assert mail is not None and mail.outcome == InboundMail.Outcome.REFUSED and "закрыто" in answers(mail)[0].body
    assert not Draft.objects.filter(incident=routed).exists()


def test_second_copy_is_answered_once_and_changes_nothing(routed: Incident, demo: dict[str, Any]) -> None:
    h = headers_of(routed, demo["executor"])
    raw = mails.gmail(body=BODY, sender=EXECUTOR, to=h["Reply-To"], message_id="<twice@client.example>")
    first = mail_receive(raw)
    assert first is not None and first.outcome == InboundMail.Outcome.ACCEPTED
    assert mail_receive(raw) is None  # the same bytes read again: silently skipped
    assert len(answers(first)) == 1
    copy = b"Received: from relay2.example by mx.example\r\n" + raw
    assert mail_receive(copy) is None
    assert mail_receive(copy) is None
    got = answers(first)
    assert len(got) == 2 and "уже получено" in got[1].subject  # one answer for the copy, however often it comes
    assert Draft.objects.filter(incident=routed).count() == 1 and len(submit_events(routed)) == 1


def test_auto_reply_is_never_answered(routed: Incident, demo: dict[str, Any]) -> None:
    h = headers_of(routed, demo["executor"])
    raw = b"Auto-Submitted: auto-replied\r\n" + mails.gmail(body="Я в отпуске до 20 декабря.", sender=EXECUTOR,
                                                            to=h["Reply-To"])
    mail = mail_receive(raw)
    assert mail is not None and mail.outcome == InboundMail.Outcome.IGNORED and answers(mail) == []
    _unchanged(routed)


def test_withdrawn_dispatch_is_refused(demo: dict[str, Any], mail_in: Any) -> None:
    incident = route(demo, intake(demo))
    h = headers_of(incident, demo["executor"])
    svc.incident_not_ours(access=acc(demo, "executor"), incident_id=incident.pk, comment="Это вопрос МБУ.")
    mail = mail_receive(mails.gmail(body=BODY, sender=EXECUTOR, to=h["Reply-To"]))
    assert mail is not None and mail.outcome == InboundMail.Outcome.REFUSED and "снято" in answers(mail)[0].body


# ---------------------------------------------------------------- the regional hand-in

HANDIN = """МО: plastunovskoe
Соцсеть: ВКонтакте
Ссылка: https://vk.com/wall-1_99
Автор: Анна Петрова
Обнаружено: {when}
Номер: REG-7
Текст: Нет воды на ул. Ленина
уже второй день.
"""


def _handin_mail(sender: str, body: str, mid: str = "") -> bytes:
    from email.message import EmailMessage
    from email.utils import make_msgid

    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, MAILIN_ADDRESS, "Передача сообщения"
    msg["Message-ID"] = mid or make_msgid(domain="cur.example")
    msg.set_content(body + "\n--\nСоколова М. В.\n")
    return msg.as_bytes()


def _now_text() -> str:
    from django.utils import timezone

    return f"{timezone.localtime():%d.%m.%Y %H:%M}"


def test_regional_handin_by_mail(demo: dict[str, Any], mail_in: Any) -> None:
    mail = mail_receive(_handin_mail("region@plastunovskoe.example", HANDIN.format(when=_now_text()), "<h1@cur.example>"))
    assert mail is not None and mail.outcome == InboundMail.Outcome.ACCEPTED, mail and mail.answer
    incident = Incident.objects.get(external_id="REG-7")
    assert incident.text == "Нет воды на ул. Ленина\nуже второй день." and incident.network == "vk"
    intake_event = IncidentEvent.objects.get(incident=incident, action="intake")
    assert intake_event.payload["message_id"] == "<h1@cur.example>" and intake_event.actor == demo["region"]
    assert f"№ {incident.pk}" in answers(mail)[0].body


def test_handin_from_anyone_but_a_regional_curator_is_refused(demo: dict[str, Any], mail_in: Any) -> None:
    mail = mail_receive(_handin_mail(EXECUTOR, HANDIN.format(when=_now_text())))
    assert mail is not None and mail.outcome == InboundMail.Outcome.REFUSED
    assert "региональные кураторы" in answers(mail)[0].body
    stranger = mail_receive(_handin_mail("fake-region@evil.example", HANDIN.format(when=_now_text())))
    assert stranger is not None and stranger.outcome == InboundMail.Outcome.IGNORED
    assert not Incident.objects.filter(external_id="REG-7").exists()


def test_handin_with_missing_fields_lists_them(demo: dict[str, Any], mail_in: Any) -> None:
    django_mail.outbox.clear()
    mail = mail_receive(_handin_mail("region@plastunovskoe.example", "МО: нет-такого\nСсылка: https://vk.com/x"))
    assert mail is not None and mail.outcome == InboundMail.Outcome.REFUSED
    assert "Нет поля «Текст:»" in mail.answer and "«нет-такого»" in mail.answer
    assert Incident.objects.count() == 0
