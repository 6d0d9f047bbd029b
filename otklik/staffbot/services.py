"""Linking a person to a chat with the staff bot: one-time codes, links, unlinking, limits."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from otklik.org.models import Person
from otklik.org.selectors import Access, access_for
from otklik.staffbot.models import BotMessage, ChatLink, ChatThrottle, LinkCode

CODE_TTL = timedelta(minutes=10)
CODE_DIGITS = 8
UPDATES_PER_MINUTE = 30  # a person pressing fast is fine; a flood is not
WRONG_CODES = 5  # per chat in CODE_TTL: 10^8 codes make guessing hopeless at this pace
CODES_PER_HOUR = 10  # a person asking for codes in the profile


class LinkError(Exception):
    """A code that does not link; the message is for the person, in Russian."""


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def code_clean(text: str) -> str:
    """The digits of a typed code: «1234 5678», «1234-5678» and «/start 12345678» all read."""
    return "".join(ch for ch in text if ch.isdigit())


def person_active(person: Person) -> bool:
    """A person whose account is switched off has no bot: checked at every update and send."""
    return bool(person.user.is_active)


def code_issue(*, person: Person, now: datetime | None = None) -> str:
    """A fresh one-time code (shown once in the profile); the earlier unused ones stop working."""
    now = now or timezone.now()
    if not person_active(person):
        raise LinkError("Учётная запись отключена.")
    recent = LinkCode.objects.filter(person=person, created_at__gte=now - timedelta(hours=1)).count()
    if recent >= CODES_PER_HOUR:
        raise LinkError("Слишком много кодов за час. Попробуйте позже.")
    with transaction.atomic():
        LinkCode.objects.filter(person=person, used_at__isnull=True).update(used_at=now)
        while True:
            code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
            try:
                with transaction.atomic():
                    LinkCode.objects.create(person=person, code_hash=_hash(code), created_at=now,
                                            expires_at=now + CODE_TTL)
                return code
            except IntegrityError:  # the same hash exists (an old code): draw again
                continue


def _throttle(network: str, chat_id: str, now: datetime) -> ChatThrottle:
    row, _ = ChatThrottle.objects.get_or_create(network=network, chat_id=chat_id,
                                                defaults={"window_start": now})
    return row


def update_allowed(*, network: str, chat_id: str, now: datetime | None = None) -> bool:
    """At most UPDATES_PER_MINUTE updates a minute from one chat; the rest are ignored."""
    now = now or timezone.now()
    row = _throttle(network, chat_id, now)
    if now - row.window_start >= timedelta(minutes=1):
        ChatThrottle.objects.filter(pk=row.pk).update(window_start=now, count=1)
        return True
    ChatThrottle.objects.filter(pk=row.pk).update(count=F("count") + 1)
    return row.count + 1 <= UPDATES_PER_MINUTE


def chat_link(*, network: str, chat_id: str, code: str, user_name: str = "",
              now: datetime | None = None) -> ChatLink:
    """Link the chat to the code's person. The code works once and for CODE_TTL; a chat gets
    WRONG_CODES tries per CODE_TTL. A chat already linked to someone else is moved (the code
    proves who types it now); a person's earlier chat in the network is replaced."""
    now = now or timezone.now()
    digits = code_clean(code)
    # The failure count is committed before the refusal is raised (a raise inside atomic()
    # would roll it back and leave guessing unlimited).
    with transaction.atomic():
        row = _throttle(network, chat_id, now)
        row = ChatThrottle.objects.select_for_update().get(pk=row.pk)
        if row.failures_since is None or now - row.failures_since >= CODE_TTL:
            row.failures, row.failures_since = 0, now
        problem = ""
        if row.failures >= WRONG_CODES:
            problem = "Слишком много неверных кодов. Подождите 10 минут и получите новый код в профиле."
        found = (LinkCode.objects.select_for_update().select_related("person__user")
                 .filter(code_hash=_hash(digits)).first() if len(digits) == CODE_DIGITS and not problem else None)
        if not problem and (found is None or found.used_at is not None or found.expires_at <= now
                            or not person_active(found.person)):
            row.failures += 1
            expired = found is not None and found.used_at is None and found.expires_at <= now
            problem = ("Код устарел: он действует 10 минут. Получите новый в профиле «Отклика»." if expired else
                       "Код не подошёл. Проверьте цифры или получите новый код в профиле «Отклика».")
        if problem or found is None:
            row.save(update_fields=["failures", "failures_since"])
            link = None
        else:
            LinkCode.objects.filter(pk=found.pk).update(used_at=now)
            ChatLink.objects.filter(network=network, chat_id=chat_id).delete()
            ChatLink.objects.filter(network=network, person=found.person).delete()
            row.failures = 0
            row.save(update_fields=["failures", "failures_since"])
            link = ChatLink.objects.create(person=found.person, network=network, chat_id=chat_id,
                                           user_name=user_name[:200], linked_at=now)
    if link is None:
        raise LinkError(problem)
    return link


def chat_unlink(*, person: Person, network: str) -> bool:
    """From the profile: the chat stops getting anything at once (unsent messages are dropped)."""
    return _unlink(ChatLink.objects.filter(person=person, network=network))


def chat_unlink_by_chat(*, network: str, chat_id: str) -> bool:
    """/stop in the chat."""
    return _unlink(ChatLink.objects.filter(network=network, chat_id=chat_id))


def _unlink(links: QuerySet[ChatLink]) -> bool:
    with transaction.atomic():
        BotMessage.objects.filter(link__in=links, state=BotMessage.State.PENDING).delete()
        deleted, _ = links.delete()
    return bool(deleted)


def link_access(link: ChatLink) -> Access | None:
    """The person's access now, or None when they were switched off (their link goes too)."""
    person = Person.objects.select_related("user").get(pk=link.person_id)
    if not person_active(person):
        chat_unlink(person=person, network=link.network)
        return None
    return access_for(person.user)


def links_of(*, person: Person) -> list[ChatLink]:
    return list(ChatLink.objects.filter(person=person).order_by("network"))
