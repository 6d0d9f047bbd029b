"""The access vault of the official pages (Прил. 1 п. 2): logins, passwords, bound phones, tokens, notes.

Values live only sealed (core/vault.py). Showing one needs the head of the general department
or the administrator of the page's municipality and a written reason; every reveal, change and
rotation is an entry of the page's signed history (audit.py), and the head is told by e-mail
whenever someone else looks. A value is never logged nor put in the history or an e-mail.
"""

from __future__ import annotations

import re
import secrets
import string
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from otklik.core.vault import seal, unseal
from otklik.notifications.services import notify
from otklik.org.models import Person
from otklik.org.roles import Role
from otklik.org.selectors import Access
from otklik.pages.audit import page_event_append
from otklik.pages.models import OfficialPage, PageEvent, PageHolder, PageSecret, SecretKind
from otklik.pages.selectors import VAULT_ROLES, page_get_for
from otklik.pages.services import PageError

REASON_MIN = 10
PASSWORD_LENGTH = 20
_PASSWORD_ALPHABET = string.ascii_letters + string.digits + "-_.!#%"
_PHONE = re.compile(r"\+?[0-9 ()\-]{5,32}")


@dataclass(frozen=True)
class SecretRow:
    kind: str
    label: str
    is_set: bool
    changed_at: datetime | None
    changed_by: str
    can_generate: bool


def _stored(page: OfficialPage, kind: str) -> str:
    if kind == SecretKind.TOKEN:
        return page.token_sealed
    row = PageSecret.objects.filter(page=page, kind=kind).first()
    return row.value_sealed if row else ""


def _kind(kind: str) -> SecretKind:
    if kind not in SecretKind.values:
        raise PageError("Неизвестный вид данных доступа.")
    return SecretKind(kind)


def secrets_overview(*, page: OfficialPage) -> list[SecretRow]:
    """What is kept for the page, without a single value."""
    rows = {s.kind: s for s in PageSecret.objects.filter(page=page).select_related("changed_by")}
    out: list[SecretRow] = []
    for kind in SecretKind:
        if kind == SecretKind.TOKEN:
            out.append(SecretRow(kind, kind.label, page.has_token, page.token_set_at, "", False))
            continue
        row = rows.get(kind)
        out.append(SecretRow(kind, kind.label, row is not None, row.changed_at if row else None,
                             row.changed_by.full_name if row and row.changed_by else "",
                             kind == SecretKind.PASSWORD))
    return out


def heads_of(page: OfficialPage) -> list[Person]:
    """Heads of the general department of the page's municipality (else its administrators)."""
    people = Person.objects.filter(municipality_id=page.municipality_id, user__is_active=True)
    heads = list(people.filter(role_grants__role=Role.GENERAL_HEAD).distinct())
    return heads or list(people.filter(role_grants__role=Role.ADMINISTRATOR).distinct())


def secret_reveal(*, access: Access, page_id: int, kind: str, reason: str, now: datetime | None = None) -> str:
    """The plain value, once, for the head or the administrator, with the reason in the history."""
    now = now or timezone.now()
    what = _kind(kind)
    reason = " ".join(reason.split())
    if len(reason) < REASON_MIN:
        raise PageError(f"Напишите, зачем нужен доступ (не короче {REASON_MIN} знаков).")
    with transaction.atomic():
        page = page_get_for(access=access, pk=page_id, roles=VAULT_ROLES, for_update=True)
        sealed = _stored(page, what)
        if not sealed:
            raise PageError(f"{what.label} для этой страницы не сохранён.")
        plain = unseal(sealed)
        event = page_event_append(page=page, at=now, actor=access.person, action=PageEvent.Action.REVEAL,
                                  secret=what, reason=reason)
        others = [p for p in heads_of(page) if p.pk != access.person.pk]
        if others:
            notify(municipality=page.municipality, recipients=others, key=f"pages:reveal:{event.pk}",
                   subject=f"Показан {what.label.lower()} страницы «{page.name}»",
                   body=(f"{access.person.full_name} открыл(а) {what.label.lower()} официальной страницы "
                         f"«{page.name}» ({page.get_network_display()}, {page.url}).\n"
                         f"Когда: {timezone.localtime(now):%d.%m.%Y %H:%M}.\nПричина: {reason}\n\n"
                         "Если это сделано без вашего ведома, смените пароль страницы."))
    return plain


def _clean_value(kind: SecretKind, value: str) -> str:
    if kind == SecretKind.NOTE:
        value = value.strip()
        if not value or len(value) > 2000:
            raise PageError("Заметка: от 1 до 2000 знаков.")
        return value
    value = value.strip()
    if not value:
        raise PageError(f"{kind.label}: введите значение.")
    if kind == SecretKind.PHONE and not _PHONE.fullmatch(value):
        raise PageError("Телефон: цифры, можно с +, пробелами, скобками и дефисами.")
    if kind == SecretKind.TOKEN and (len(value) > 4000 or any(ch.isspace() for ch in value)):
        raise PageError("Ключ доступа: одной строкой, без пробелов.")
    if kind in (SecretKind.LOGIN, SecretKind.PASSWORD) and len(value) > 300:
        raise PageError(f"{kind.label}: не длиннее 300 знаков.")
    return value


def _store(page: OfficialPage, kind: SecretKind, value: str, *, by: Person, now: datetime) -> None:
    if kind == SecretKind.TOKEN:
        OfficialPage.objects.filter(pk=page.pk).update(token_sealed=seal(value), token_set_at=now, check_ok=None,
                                                       check_message="")
        return
    row = PageSecret.objects.filter(page=page, kind=kind).first()
    if row is None:
        PageSecret.objects.create(page=page, kind=kind, value_sealed=seal(value), changed_at=now, changed_by=by)
    else:
        PageSecret.objects.filter(pk=row.pk).update(value_sealed=seal(value), previous_sealed=row.value_sealed,
                                                    changed_at=now, changed_by=by)


def secret_change(*, access: Access, page_id: int, kind: str, value: str, now: datetime | None = None) -> None:
    """Put a new value (typed by the head or the administrator); recorded in the history."""
    now = now or timezone.now()
    what = _kind(kind)
    value = _clean_value(what, value)
    with transaction.atomic():
        page = page_get_for(access=access, pk=page_id, roles=VAULT_ROLES, for_update=True)
        was_set = bool(_stored(page, what))
        _store(page, what, value, by=access.person, now=now)
        page_event_append(page=page, at=now, actor=access.person, action=PageEvent.Action.CHANGE, secret=what,
                          payload={"was_set": was_set})


def secret_rotate(*, access: Access, page_id: int, kind: str = SecretKind.PASSWORD,
                  now: datetime | None = None) -> str:
    """A new strong password, stored and returned once (set it in the network now; the previous
    one is kept sealed until the next change, in case the network refused the new one)."""
    now = now or timezone.now()
    what = _kind(kind)
    if what != SecretKind.PASSWORD:
        raise PageError(f"{what.label} выдаёт сама сеть: введите новое значение через «Изменить».")
    plain = "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))
    with transaction.atomic():
        page = page_get_for(access=access, pk=page_id, roles=VAULT_ROLES, for_update=True)
        _store(page, what, plain, by=access.person, now=now)
        page_event_append(page=page, at=now, actor=access.person, action=PageEvent.Action.ROTATE, secret=what)
    return plain


def secrets_reseal() -> int:
    """Re-encrypt every vault value under the first key (`otklik secrets rotate`); each page's
    history records it. Returns the number of values re-encrypted."""
    from otklik.core.vault import reseal

    count = 0
    now = timezone.now()
    with transaction.atomic():
        # PostgreSQL refuses FOR UPDATE with DISTINCT: the ids first, then the rows locked.
        ids = set(PageSecret.objects.values_list("page_id", flat=True))
        for page in OfficialPage.objects.select_for_update().filter(pk__in=ids).order_by("pk"):
            rows = list(PageSecret.objects.filter(page=page))
            for row in rows:
                PageSecret.objects.filter(pk=row.pk).update(value_sealed=reseal(row.value_sealed),
                                                            previous_sealed=reseal(row.previous_sealed))
            count += len(rows)
            page_event_append(page=page, at=now, actor=None, action=PageEvent.Action.RESEAL,
                              payload={"values": len(rows)})
    return count


# --- When a responsible person leaves, the password they knew must change ------------------

def _password_changed_since(page_id: int, since: datetime) -> bool:
    return PageEvent.objects.filter(page_id=page_id, secret=SecretKind.PASSWORD, at__gte=since,
                                    action__in=[PageEvent.Action.CHANGE, PageEvent.Action.ROTATE]).exists()


def departures_sweep(*, now: datetime | None = None) -> int:
    """Note who stopped being responsible for a page (deactivated, removed from the page, moved
    to another municipality) and remind the head daily to change that page's password until a
    change after the departure is recorded. Idempotent: one reminder a day per departure.
    Returns the number of reminders written now."""
    now = now or timezone.now()
    for page_id in OfficialPage.objects.values_list("pk", flat=True):
        with transaction.atomic():
            page = OfficialPage.objects.select_for_update().get(pk=page_id)
            members = {p.pk: p for p in page.responsible.select_related("user")}
            valid = {pk for pk, p in members.items()
                     if p.user.is_active and p.municipality_id == page.municipality_id}
            open_rows = {h.person_id: h for h in PageHolder.objects.filter(page=page, left_at__isnull=True)}
            ever_left = set(PageHolder.objects.filter(page=page, left_at__isnull=False)
                            .values_list("person_id", flat=True))
            PageHolder.objects.bulk_create([PageHolder(page=page, person_id=pk, since=now)
                                            for pk in valid - open_rows.keys()])
            gone = [h for pk, h in open_rows.items() if pk not in valid]
            # Listed on the page but already gone before the first look: gone from now.
            gone += [PageHolder.objects.create(page=page, person_id=pk, since=now)
                     for pk in members.keys() - valid - open_rows.keys() - ever_left]
            for holder in gone:
                PageHolder.objects.filter(pk=holder.pk).update(left_at=now)
                person = members.get(holder.person_id) or Person.objects.get(pk=holder.person_id)
                page_event_append(page=page, at=now, actor=None, action=PageEvent.Action.LEFT,
                                  payload={"person": person.full_name, "person_id": person.pk})
    reminders = 0
    today = timezone.localdate(now)
    pending = PageHolder.objects.filter(left_at__isnull=False, resolved_at__isnull=True)
    for holder in pending.select_related("page__municipality", "person"):
        if holder.left_at is None:  # filtered out above; for the type checker
            continue
        if _password_changed_since(holder.page_id, holder.left_at):
            PageHolder.objects.filter(pk=holder.pk).update(resolved_at=now)
            continue
        page = holder.page
        reminders += len(notify(
            municipality=page.municipality, recipients=heads_of(page),
            key=f"pages:password-change:{holder.pk}:{today.isoformat()}",
            subject=f"Смените пароль страницы «{page.name}»",
            body=(f"{holder.person.full_name} больше не отвечает за официальную страницу «{page.name}» "
                  f"({page.get_network_display()}, {page.url}) с {timezone.localtime(holder.left_at):%d.%m.%Y}.\n"
                  "Сотрудник знал пароль страницы. Смените пароль в сети и сохраните новый в Отклике "
                  "(раздел «Страницы» → страница → «Пароль» → «Изменить» или «Создать новый»).\n"
                  "Напоминание приходит каждый день, пока смена пароля не записана."),
        ))
    return reminders
