"""A received mail → one action, through the same services the pages and the API call.

What is accepted:
- a reply to a workflow letter (its reply token in the address or the headers, never the
  subject alone) from the address of the person the token was made for, with the marker of
  п. 12 in the subject: the executor's draft, or the unit's part when several units answer
  (п. 19); photos and videos attached become the draft's files. The answer checks run; with
  errors the mail waits for its sender's confirmation at a link;
- a regional curator's hand-in (handin.py), from a regional curator's address only.
Everything else gets a clear answer and changes nothing. No SPF/DKIM verdict is available to
us, so a reply needs both the secret token and the sender's own address; the regulation's
letters never leave the administration's mail server, where spoofing is the server's to stop.

An auto-reply or a bounce is never answered (no mail loops), nor is a stranger without a token:
an answer to a forged sender's address would be spam to whoever really owns it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from otklik.incidents import services as incident_services
from otklik.incidents.attachments import KINDS_TEXT, display_name, file_type, limit_mb
from otklik.incidents.letters import incident_url
from otklik.incidents.models import Assignment, Draft, Incident, IncidentStep, Status
from otklik.incidents.steps import StepKind
from otklik.incidents.transitions import NotFound, TransitionError
from otklik.mailin.handin import handin_looks_like, handin_parse, moment_parse
from otklik.mailin.models import InboundMail
from otklik.mailin.parsing import MailFile, ParsedMail, mail_parse
from otklik.mailin.tokens import ReplyToken, token_find
from otklik.notifications.services import MARKER_DRAFT, notify
from otklik.org.models import Municipality, Person
from otklik.org.roles import Role
from otklik.org.selectors import Access

log = logging.getLogger(__name__)

Outcome = InboundMail.Outcome
CLOSED = {Status.PUBLISHED, Status.CLOSED_NO_ANSWER, Status.CLOSED_UNCLARIFIED}
MARKER_RE = re.compile(r"(?<![а-яa-z])" + r"\s+".join(MARKER_DRAFT.replace("ё", "е").split()) + r"(?![а-яa-z])")
REPLY_PREFIX = re.compile(r"^(?:\s*(?:re|fw|fwd|ответ|отв)\s*(?:\[\d+\])?\s*:\s*)+", re.IGNORECASE)
REPLY_HINT = ("Чтобы отправить проект почтой, ответьте на письмо-поручение из «Отклика» (кнопка «Ответить»), "
              f"не меняя адрес получателя, и допишите в тему: {MARKER_DRAFT}.")


@dataclass
class _Answer:
    subject: str
    body: str


def marker_present(subject: str) -> bool:
    """п. 12: «ответ на сообщение из социальных сетей» in the subject, in any case, ё or е."""
    return MARKER_RE.search(" ".join(subject.lower().replace("ё", "е").split())) is not None


def _access(person: Person) -> Access:
    return Access(person=person, roles=frozenset(person.role_grants.values_list("role", flat=True)))


def _sender_people(address: str) -> list[Person]:
    if not address:
        return []
    return list(Person.objects.filter(email__iexact=address).select_related("municipality", "region", "unit")
                .order_by("pk"))


# ---------------------------------------------------------------- files


def mail_uploads(files: Iterable[MailFile]) -> tuple[list[SimpleUploadedFile], list[str]]:
    """The photos and videos a draft can take, and one Russian line per file left out."""
    uploads: list[SimpleUploadedFile] = []
    skipped: list[str] = []
    for f in files:
        name = display_name(f.name)
        ftype = file_type(f.data[:64])
        if ftype is None:
            skipped.append(f"«{name}» — это не фото и не видео ({KINDS_TEXT})")
        elif len(f.data) > limit_mb(ftype.kind) * 1024 * 1024:
            skipped.append(f"«{name}» — больше {limit_mb(ftype.kind):g} МБ")
        elif len(uploads) >= 10:
            skipped.append(f"«{name}» — к проекту можно приложить не больше 10 файлов")
        else:
            uploads.append(SimpleUploadedFile(name, f.data, content_type=ftype.content_type))
    return uploads, skipped


# ---------------------------------------------------------------- answers


def _answer(mail: InboundMail, answer: _Answer, *, person: Person | None, address: str, tag: str = "answer") -> None:
    """Tell the sender (after commit, through the outbox when the municipality is known)."""
    mail.answer = answer.body
    subject = "Re: " + REPLY_PREFIX.sub("", mail.subject)[:200] + f" — {answer.subject}"
    body = f"{answer.body}\n\n— «Отклик». Это автоматический ответ на ваше письмо {mail.message_id}."
    municipality = mail.municipality or (person.municipality if person else None)
    if municipality is not None:
        notify(municipality=municipality, recipients=[person] if person else [], key=f"mailin:{mail.pk}:{tag}",
               subject=subject, body=body, incident_id=mail.incident_id,
               extra_addresses=[] if person else [address])
        return
    # A regional curator belongs to no municipality: the letter goes straight out.
    headers = {"Auto-Submitted": "auto-replied"}
    if mail.message_id.startswith("<"):
        headers.update({"In-Reply-To": mail.message_id, "References": mail.message_id})
    to = person.email if person else address

    def send() -> None:
        try:
            EmailMessage(subject=subject, body=body, to=[to], headers=headers).send()
        except Exception:  # the mail is recorded with its answer; a lost answer is logged
            log.exception("mail-in answer to %s failed", to)

    transaction.on_commit(send)


def findings_with_fragments(findings: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    """Each finding with the words it is about, for a letter or a page that cannot highlight."""
    out = []
    for f in findings:
        try:
            fragment = text[int(f.get("start", 0)):int(f.get("end", 0))]
        except (TypeError, ValueError):
            fragment = ""
        out.append({**f, "fragment": fragment.strip()})
    return out


def _findings_text(findings: list[dict[str, Any]], text: str) -> str:
    lines = []
    for f in findings_with_fragments(findings, text):
        if f.get("severity") != "error":
            continue
        fragment = f" — «{f['fragment']}»" if f["fragment"] else ""
        suggestion = f" (лучше: «{f['suggestion']}»)" if f.get("suggestion") else ""
        lines.append(f"— {f.get('message', '')}{fragment}{suggestion}")
    return "\n".join(lines)


# ---------------------------------------------------------------- the reply to a workflow letter


def _is_part(incident: Incident, person: Person) -> bool:
    """Several units answer (п. 19): the person's unit sends a part, unless they consolidate."""
    if incident.consolidator_id == person.pk or person.unit_id is None:
        return False
    return IncidentStep.objects.filter(incident=incident, kind=StepKind.PART, done_at__isnull=True,
                                       assignment__unit_id=person.unit_id).exists()


def _reply(mail: InboundMail, parsed: ParsedMail, token: ReplyToken, raw: bytes, now: datetime) -> None:
    incident = Incident.objects.select_related("municipality").filter(pk=token.incident_id).first()
    senders = _sender_people(parsed.sender)
    if incident is None:
        mail.outcome = Outcome.REFUSED
        _answer(mail, _Answer("не принято", "Сообщение, на которое вы отвечаете, в «Отклике» не найдено. "
                              "Ничего не изменено."), person=senders[0] if senders else None, address=parsed.sender)
        return
    mail.municipality, mail.incident = incident.municipality, incident
    person = Person.objects.filter(pk=token.person_id, municipality_id=incident.municipality_id).first()
    if person is None or person.email.strip().lower() != parsed.sender:
        # Forwarded by a colleague, or a forged From: the token alone proves nothing about the sender.
        mail.outcome = Outcome.REFUSED
        local = next((p for p in senders if p.municipality_id == incident.municipality_id), None)
        _answer(mail, _Answer("не принято", (
            f"Письмо не принято: ответ на поручение по сообщению № {incident.pk} принимается только от "
            "сотрудника, которому поручение направлено, с его адреса. Ничего не изменено.\n"
            f"Если вы замещаете коллегу, отправьте проект в «Отклике»: {incident_url(incident)}")),
            person=local, address=parsed.sender)
        return
    mail.person = person
    if incident.status in CLOSED:
        mail.outcome = Outcome.REFUSED
        _answer(mail, _Answer("сообщение закрыто", (
            f"Сообщение № {incident.pk} уже закрыто ({Status(incident.status).label.lower()}). "
            f"Письмо не принято, ничего не изменено.\n{incident_url(incident)}")), person=person, address="")
        return
    if token.assignment_id:
        state = Assignment.objects.filter(pk=token.assignment_id, incident=incident).values_list("state", flat=True).first()
        if state in {Assignment.State.WITHDRAWN, Assignment.State.NOT_OURS}:
            mail.outcome = Outcome.REFUSED
            _answer(mail, _Answer("поручение снято", (
                f"Это поручение по сообщению № {incident.pk} снято с вашего подразделения. Письмо не принято, "
                f"ничего не изменено.\n{incident_url(incident)}")), person=person, address="")
            return
    if not marker_present(parsed.subject):
        mail.outcome = Outcome.REFUSED
        _answer(mail, _Answer("нет отметки п. 12", (
            f"В теме письма нет отметки «{MARKER_DRAFT}» (п. 12 регламента), поэтому оно не принято как проект. "
            f"Ничего не изменено. Ответьте на поручение ещё раз и допишите отметку в тему — или отправьте проект "
            f"в «Отклике»: {incident_url(incident)}")), person=person, address="")
        return
    text = parsed.text(sender_names=[person.full_name])
    mail.text = text
    if not text:
        mail.outcome = Outcome.REFUSED
        _answer(mail, _Answer("нет текста", (
            "В письме нет текста ответа: цитата исходного письма и подпись не считаются. Ничего не изменено. "
            f"Напишите ответ над цитатой.\n{incident_url(incident)}")), person=person, address="")
        return
    via = {"via": "email", "message_id": parsed.message_id}
    access = _access(person)
    try:
        if _is_part(incident, person):
            mail.action = InboundMail.Action.PART
            incident_services.incident_submit_part(access=access, incident_id=incident.pk, text=text, at=now, via=via)
            files_note = ("\nВложения к части ответа не принимаются: фото и видео приложите к сводному ответу."
                          if parsed.files else "")
            mail.outcome = Outcome.ACCEPTED
            _answer(mail, _Answer("часть ответа принята", (
                f"Часть ответа по сообщению № {incident.pk} принята и передана куратору.{files_note}\n\n{text}\n\n"
                f"{incident_url(incident)}")), person=person, address="")
            return
        mail.action = InboundMail.Action.DRAFT
        uploads, skipped = mail_uploads(parsed.files)
        intermediate = "промежуточн" in parsed.subject.lower()
        try:
            draft = incident_services.incident_submit_draft(
                access=access, incident_id=incident.pk, text=text, intermediate=intermediate, files=uploads,
                at=now, via=via)
        except incident_services.DraftCheckFailed as exc:
            _hold(mail, exc.findings, raw, person, incident, skipped)
            return
        mail.outcome, mail.draft = Outcome.ACCEPTED, draft
        # An earlier mail still waiting for confirmation is overtaken by this one.
        InboundMail.objects.filter(incident=incident, person=person, outcome=Outcome.HELD).exclude(pk=mail.pk).update(
            outcome=Outcome.REFUSED, raw=b"", answer=f"Заменено письмом {parsed.message_id}.")
        _answer(mail, _Answer("проект принят", _accepted_text(incident, draft, len(uploads), skipped)),
                person=person, address="")
    except TransitionError as exc:  # Forbidden, NotFound, Invalid, a state that does not allow it
        mail.outcome = Outcome.REFUSED
        _answer(mail, _Answer("не принято", f"Письмо не принято: {exc} Ничего не изменено.\n{incident_url(incident)}"),
                person=person, address="")


def _accepted_text(incident: Incident, draft: Draft, files: int, skipped: list[str]) -> str:
    kind = "Промежуточный ответ" if draft.kind == Draft.Kind.INTERMEDIATE else "Проект ответа"
    lines = [f"{kind} по сообщению № {incident.pk} принят (проект № {draft.round}) и передан куратору."]
    if files:
        lines.append(f"Приложено файлов: {files}.")
    if skipped:
        lines.append("Не приложены: " + "; ".join(skipped) + ".")
    lines += ["", draft.text, "", incident_url(incident)]
    return "\n".join(lines)


def held_url(mail: InboundMail) -> str:
    return settings.OTKLIK_BASE_URL.rstrip("/") + reverse("mailin:held", args=[mail.pk])


def _hold(mail: InboundMail, findings: list[dict[str, Any]], raw: bytes, person: Person, incident: Incident,
          skipped: list[str]) -> None:
    mail.outcome, mail.findings, mail.raw = Outcome.HELD, findings, raw
    mail.save()  # the link needs the row's number
    skipped_text = ("\nНе будут приложены: " + "; ".join(skipped) + ".") if skipped else ""
    _answer(mail, _Answer("ошибки проверки, нужно подтверждение", (
        f"Проект по сообщению № {incident.pk} получен, но проверка нашла ошибки:\n{_findings_text(findings, mail.text)}\n\n"
        f"Проект пока не отправлен куратору. Исправьте текст или подтвердите отправку как есть:\n{held_url(mail)}\n"
        f"Можно и просто ответить на поручение ещё раз исправленным текстом.{skipped_text}")),
        person=person, address="")


# ---------------------------------------------------------------- the regional hand-in


def _handin(mail: InboundMail, parsed: ParsedMail, curator: Person, now: datetime) -> None:
    mail.person, mail.action = curator, InboundMail.Action.HANDIN
    form = handin_parse(parsed.text(sender_names=[curator.full_name]))
    values, errors = form.values, list(form.errors)
    municipality = None
    if values.get("municipality"):
        name = values["municipality"]
        municipality = (Municipality.objects.filter(region_id=curator.region_id, slug=name).first()
                        or Municipality.objects.filter(region_id=curator.region_id, name__iexact=name).first())
        if municipality is None:
            errors.append(f"МО «{name}» в вашем регионе не найдено (укажите код или точное название).")
    detected = None
    if municipality is not None and values.get("detected_at"):
        detected = moment_parse(values["detected_at"], municipality.time_zone)
        if detected is None:
            errors.append("Обнаружено: укажите дату и время как 04.12.2026 16:30.")
    mail.municipality = municipality
    if errors or municipality is None or detected is None:
        mail.outcome = Outcome.REFUSED
        _answer(mail, _Answer("сообщение не принято", _handin_errors(errors)), person=curator, address="")
        return
    try:
        incident, created = incident_services.incident_intake(
            municipality=municipality, kind="incident", importance=values["importance"], network=values["network"],
            url=values["url"], author_name=values.get("author_name", ""), author_url=values.get("author_url", ""),
            text=values["text"], detected_at=detected, topic=values.get("topic", ""),
            location=values.get("location", ""), external_id=values.get("external_id") or None, by=curator,
            now=now, via={"via": "email", "message_id": parsed.message_id})
    except incident_services.IncidentConflict:
        mail.outcome = Outcome.REFUSED
        _answer(mail, _Answer("сообщение не принято", (
            f"Сообщение с номером «{values.get('external_id')}» уже передано с другим содержанием. "
            "Ничего не изменено.")), person=curator, address="")
        return
    except TransitionError as exc:
        mail.outcome = Outcome.REFUSED
        _answer(mail, _Answer("сообщение не принято", _handin_errors([str(exc)])), person=curator, address="")
        return
    mail.incident, mail.outcome = incident, Outcome.ACCEPTED
    said = "принято" if created else "уже было передано раньше"
    _answer(mail, _Answer(f"сообщение № {incident.pk} {said}", (
        f"Сообщение {said}: № {incident.pk} в «Отклике» ({municipality.name}).\n{incident_url(incident)}")),
        person=curator, address="")


def _handin_errors(errors: list[str]) -> str:
    from otklik.mailin import handin

    return ("Сообщение не принято, ничего не изменено:\n" + "\n".join(f"— {e}" for e in errors)
            + "\n\nФорма письма (каждое поле с новой строки, «Текст:» последним):" + (handin.__doc__ or "")
            .split(":", 1)[1].split('"""')[0].rstrip())


# ---------------------------------------------------------------- the entry point


def _second_copy(existing: InboundMail, parsed: ParsedMail) -> None:
    """The same Message-ID again: the very same bytes (read twice) are skipped silently; another
    copy (sent twice, or to two of our addresses) is answered once."""
    if existing.raw_sha256 == parsed.raw_sha256 or parsed.automatic:
        return
    senders = _sender_people(parsed.sender)
    if existing.person is None and not senders:
        return
    with transaction.atomic():
        _answer(existing, _Answer("уже получено", (
            f"Это письмо уже получено {timezone.localtime(existing.received_at):%d.%m.%Y %H:%M} "
            f"({existing.get_outcome_display().lower()}). Повторная копия ничего не меняет.")),
            person=existing.person or senders[0], address="", tag=f"copy:{parsed.raw_sha256[:16]}")


def mail_receive(raw: bytes, *, recipients: Iterable[str] = (), now: datetime | None = None) -> InboundMail | None:
    """Act on one received message. Safe to call twice with the same message (None the second
    time). `recipients`: the SMTP envelope's, where the reply token may be."""
    now = now or timezone.now()
    parsed = mail_parse(raw)
    existing = InboundMail.objects.filter(message_id=parsed.message_id).first()
    if existing is not None:
        _second_copy(existing, parsed)
        return None
    try:
        with transaction.atomic():
            mail = InboundMail.objects.create(
                message_id=parsed.message_id, raw_sha256=parsed.raw_sha256, received_at=now,
                sender=parsed.sender[:320], subject=parsed.subject[:500], outcome=Outcome.IGNORED)
            _dispatch(mail, parsed, [*recipients, *parsed.token_sources], raw, now)
            mail.save()
    except IntegrityError:
        existing = InboundMail.objects.filter(message_id=parsed.message_id).first()
        if existing is None:
            raise
        _second_copy(existing, parsed)  # another worker took it a moment ago
        return None
    log.info("mail %s from %s: %s %s", mail.message_id, mail.sender, mail.outcome, mail.action)
    return mail


def _dispatch(mail: InboundMail, parsed: ParsedMail, token_sources: list[str], raw: bytes, now: datetime) -> None:
    if parsed.automatic:
        return  # an auto-reply or a bounce: answering it could start a loop
    token = token_find(token_sources)
    if token is not None:
        _reply(mail, parsed, token, raw, now)
        return
    senders = _sender_people(parsed.sender)
    curators = [p for p in senders if p.role_grants.filter(role=Role.REGIONAL_CURATOR).exists()]
    looks_like_handin = handin_looks_like(parsed.body)
    if curators and looks_like_handin:
        _handin(mail, parsed, curators[0], now)
        return
    if senders:
        person = senders[0]
        mail.person, mail.outcome = person, Outcome.REFUSED
        why = ("Передавать сообщения письмом могут только региональные кураторы, с их адресов."
               if looks_like_handin else
               "В письме не найден ключ ответа: неясно, к какому сообщению оно относится.")
        _answer(mail, _Answer("не принято", f"Письмо не принято: {why} Ничего не изменено.\n{REPLY_HINT}"),
                person=person, address="")
    # Otherwise a stranger without a token: recorded, not answered (see the module's docstring).


# ---------------------------------------------------------------- confirmation at the link


def held_get_for(*, access: Access, pk: int, for_update: bool = False) -> InboundMail:
    """A mail waiting for confirmation, only to the person who sent it."""
    qs = InboundMail.objects.select_related("incident", "incident__municipality")
    if for_update:
        qs = qs.select_for_update(of=("self",))  # the joined incident is nullable: lock the mail only
    mail = qs.filter(pk=pk, person=access.person, outcome=Outcome.HELD).first()
    if mail is None or mail.incident is None:
        raise NotFound("Письмо не найдено, уже обработано или отправлено не вами.")
    return mail


def held_submit(*, access: Access, pk: int, text: str, confirmed_with_errors: bool,
                at: datetime | None = None) -> Draft:
    """Send the held draft (its text as the sender now has it, the mail's files) through the
    same service; the history names the mail's Message-ID."""
    with transaction.atomic():
        mail = held_get_for(access=access, pk=pk, for_update=True)
        assert mail.incident is not None  # noqa: S101  (held_get_for refuses a mail without one)
        uploads, _ = mail_uploads(mail_parse(bytes(mail.raw)).files)
        draft = incident_services.incident_submit_draft(
            access=access, incident_id=mail.incident.pk, text=text, confirmed_with_errors=confirmed_with_errors,
            files=uploads, at=at, intermediate="промежуточн" in mail.subject.lower(),
            via={"via": "email+page", "message_id": mail.message_id})
        InboundMail.objects.filter(pk=mail.pk).update(outcome=Outcome.ACCEPTED, draft=draft, raw=b"", text=text)
    return draft
