"""Publishing an approved answer through the network (п. 16): the outbox and its state machine.

request (curator) → pending → [worker claims] sending → done (incident published, link kept)
                                                 ↘ pending again (rate limit, 5xx: after a wait)
                                                 ↘ unknown (timeout / worker died mid-call):
                                                     the next attempt looks for the reply first
                                                 ↘ check (the network cannot be asked: a person looks)
                                                 ↘ failed (token, rights, not found: the curator
                                                     is told in Russian and may retry)
The text sent is the approved draft's text, and only while its hash is the one approved.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q

from otklik.channels import clients
from otklik.channels.base import ErrorKind, NetworkError, Published, Target
from otklik.core.vault import VaultError
from otklik.incidents.history import event_append
from otklik.incidents.models import Draft, Incident, Publication
from otklik.incidents.models import Status as S
from otklik.incidents.services import (
    _curators,
    _latest_draft,
    _link,
    _lock,
    _now,
    _transition,
    publish_apply,
    text_hash,
)
from otklik.incidents.transitions import Invalid, TransitionError
from otklik.notifications.services import notify
from otklik.org.selectors import Access
from otklik.pages.models import OfficialPage
from otklik.pages.services import page_access_for

log = logging.getLogger(__name__)

P = Publication.State
LIVE = (P.PENDING, P.SENDING, P.UNKNOWN, P.CHECK)
POLLED = (P.PENDING, P.SENDING, P.UNKNOWN)  # the page asks again until these end
MAX_RETRIES = 6  # 5xx and connection failures, with a doubling wait from 30 s (about half an hour)
STALE_SENDING = timedelta(minutes=3)  # longer than any call's timeout: the worker died mid-call


@dataclass(frozen=True)
class PageMatch:
    page: OfficialPage
    target: Target


def page_for(incident: Incident) -> PageMatch | None:
    """The municipality's registered page the message's link belongs to, and the post/comment.

    A MAX link names the channel and a post code that only the network can turn into the
    post's id: the page is found by the channel's name, the post by the worker (`resolve_url`)."""
    if incident.network == "max":
        return _max_page_for(incident)
    parsed = clients.target_from_url(incident.network, incident.url) if incident.network in clients.NETWORKS \
        else None
    if parsed is None:
        return None
    key, target = parsed
    for page in OfficialPage.objects.filter(municipality_id=incident.municipality_id, network=incident.network) \
            .exclude(external_id=""):
        if clients.page_key(page.network, page.external_id) == key:
            return PageMatch(page=page, target=target)
    return None


def _max_page_for(incident: Incident) -> PageMatch | None:
    from otklik.channels.max.client import channel_of

    channel = channel_of(incident.url)
    if channel is None:
        return None
    for page in OfficialPage.objects.filter(municipality_id=incident.municipality_id, network="max") \
            .exclude(external_id=""):
        if channel_of(page.url) == channel:
            return PageMatch(page=page, target=Target(post_id=""))
    return None


def publication_live(incident: Incident) -> Publication | None:
    return Publication.objects.filter(incident=incident, state__in=LIVE).select_related("page").first()


def publication_latest(incident: Incident) -> Publication | None:
    return Publication.objects.filter(incident=incident).select_related("page").order_by("-pk").first()


def _enqueue(pk: int) -> None:
    from otklik.incidents.tasks import publish_answer

    try:
        publish_answer.enqueue(pk)
    except Exception:  # the periodic sweep picks it up; a lost enqueue loses nothing
        log.exception("could not enqueue publication %s", pk)


def publication_request(*, access: Access, incident_id: int, at: datetime | None = None) -> Publication:
    """«Опубликовать ответ»: queue the approved text for its page (the worker sends it)."""
    now = _now(at)
    with transaction.atomic():
        incident = _lock(access, incident_id)
        draft = _latest_draft(incident)
        if draft.decision != Draft.Decision.APPROVED:
            raise TransitionError("Опубликовать можно только согласованный текст.")
        match = page_for(incident)
        if match is None:
            raise Invalid("Страница, где написано сообщение, не зарегистрирована в Отклике: опубликуйте ответ "
                          "вручную и укажите ссылку на него.", field="published_url")
        if not match.page.has_token:
            raise Invalid(f"Для страницы «{match.page.name}» не задан ключ доступа: опубликуйте вручную "
                          "или попросите администратора задать ключ.", field="published_url")
        limit = clients.max_text(match.page.network)
        if len(draft.text) > limit:
            raise Invalid(f"{match.page.get_network_display()} принимает не больше {limit} символов, в ответе "
                          f"{len(draft.text)}. Сократите текст (он уйдёт на согласование снова) или опубликуйте "
                          "вручную.", field="text")
        live = publication_live(incident)
        if live is not None:
            raise TransitionError("Ответ уже публикуется: дождитесь результата.")
        _transition(access=access, incident_id=incident_id, action="publish_network", target=S.APPROVED, at=now,
                    payload={"network": match.page.get_network_display(), "page": match.page.name,
                             "round": draft.round})
        # A reply that may already be out (an earlier timeout) is looked for before any new call.
        maybe_sent = Publication.objects.filter(draft=draft, maybe_sent=True).exists()
        pub = Publication.objects.create(
            incident=incident, draft=draft, page=match.page, target_post=match.target.post_id,
            target_comment=match.target.comment_id, text_hash=draft.text_hash, requested_by=access.person,
            requested_at=now, next_attempt_at=now, maybe_sent=maybe_sent,
            state=P.UNKNOWN if maybe_sent else P.PENDING)
        transaction.on_commit(lambda: _enqueue(pub.pk))
    return pub


def publication_not_found(*, access: Access, incident_id: int, at: datetime | None = None) -> Publication:
    """In `check`, the curator looked in the network and found no reply: send it again."""
    now = _now(at)
    with transaction.atomic():
        incident = _lock(access, incident_id)
        pub = Publication.objects.filter(incident=incident, state=P.CHECK).first()
        if pub is None:
            raise TransitionError("Нечего подтверждать: публикация не ждёт проверки.")
        _transition(access=access, incident_id=incident_id, action="publish_network_retry", target=S.APPROVED,
                    at=now, payload={"comment": "ответа в сети нет — отправляем снова"})
        Publication.objects.filter(pk=pub.pk).update(state=P.PENDING, maybe_sent=False, next_attempt_at=now,
                                                     last_error="", error_kind="")
        transaction.on_commit(lambda: _enqueue(pub.pk))
    pub.refresh_from_db()
    return pub


# ---------------------------------------------------------------- the worker

def _claim(pk: int, now: datetime) -> bool:
    return bool(Publication.objects.filter(pk=pk, state__in=[P.PENDING, P.UNKNOWN])
                .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
                .update(state=P.SENDING, sending_since=now, attempts=F("attempts") + 1))


def _system_event(pub: Publication, action: str, at: datetime, **payload: object) -> None:
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=pub.incident_id)
        event_append(incident=incident, at=at, actor=None, action=action,
                     payload={"network": pub.page.get_network_display(), "page": pub.page.name, **payload})


def _finish(pub: Publication, published: Published, now: datetime) -> None:
    """The reply is out: keep its link and publish the incident, in one transaction."""
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=pub.incident_id)
        Publication.objects.filter(pk=pub.pk).update(state=P.DONE, url=published.url, done_at=now,
                                                     external_id=published.comment_id or published.post_id,
                                                     last_error="", error_kind="")
        draft = pub.draft
        if incident.status != S.APPROVED:  # cannot happen while the row is live; kept loud if it does
            log.error("publication %s done but incident %s is %s", pub.pk, incident.pk, incident.status)
            return
        target = S.INTERMEDIATE if draft.kind == Draft.Kind.INTERMEDIATE else S.PUBLISHED
        event_append(incident=incident, at=now, actor=pub.requested_by, action="publish", from_status=S.APPROVED,
                     to_status=target, payload={"url": published.url, "intermediate": draft.kind ==
                                                Draft.Kind.INTERMEDIATE, "round": draft.round,
                                                "network": pub.page.get_network_display(), "page": pub.page.name})
        publish_apply(incident=incident, draft=draft, published_url=published.url, now=now)


def _fail(pub: Publication, now: datetime, message: str, kind: str) -> None:
    Publication.objects.filter(pk=pub.pk).update(state=P.FAILED, last_error=message, error_kind=kind,
                                                 next_attempt_at=None)
    _system_event(pub, "publish_network_failed", now, error=message)
    incident = pub.incident
    notify(municipality=incident.municipality, recipients=_curators(incident),
           key=f"inc:{incident.pk}:pubfail:{pub.pk}:{pub.attempts}", incident_id=incident.pk,
           subject=f"Ответ по сообщению № {incident.pk} не опубликован",
           body=f"{message}\n\nОтвет остаётся согласованным: исправьте причину и нажмите «Опубликовать ответ» "
                f"или опубликуйте вручную.\n\n{_link(incident)}")


def _later(pub: Publication, now: datetime, state: str, seconds: float, message: str, kind: str,
           maybe_sent: bool) -> None:
    Publication.objects.filter(pk=pub.pk).update(state=state, next_attempt_at=now + timedelta(seconds=seconds),
                                                 last_error=message, error_kind=kind, maybe_sent=maybe_sent)


def publication_attempt(pk: int, *, at: datetime | None = None) -> str:
    """One attempt by the worker; returns the state it left the publication in."""
    now = _now(at)
    if not _claim(pk, now):
        return Publication.objects.filter(pk=pk).values_list("state", flat=True).first() or ""
    pub = Publication.objects.select_related("page", "draft", "incident", "incident__municipality",
                                             "requested_by").get(pk=pk)
    draft = pub.draft
    latest = _latest_draft(pub.incident)
    if latest.pk != draft.pk or draft.decision != Draft.Decision.APPROVED or pub.incident.status != S.APPROVED:
        Publication.objects.filter(pk=pk).update(state=P.CANCELLED, last_error="Текст больше не согласован.")
        return P.CANCELLED
    # Byte for byte the approved text: the hash approved, the hash stored, the hash of what goes out.
    if not (text_hash(draft.text) == draft.text_hash == pub.text_hash):
        _fail(pub, now, "Текст ответа не совпадает с согласованным — публикация остановлена.", "integrity")
        return P.FAILED
    try:
        client = clients.client_for(pub.page.network, page_access_for(pub.page))
    except VaultError as exc:
        _fail(pub, now, str(exc), ErrorKind.TOKEN_INVALID)
        return P.FAILED
    was_maybe_sent = pub.maybe_sent
    try:
        if not pub.target_post:  # MAX: the post's id is known only to the network
            resolved = getattr(client, "resolve_url", lambda url: None)(pub.incident.url)
            if resolved is None:
                _fail(pub, now, "Запись с сообщением не найдена среди последних записей канала: опубликуйте "
                                "ответ вручную.", ErrorKind.NOT_FOUND)
                return P.FAILED
            Publication.objects.filter(pk=pk).update(target_post=resolved.post_id, target_comment=resolved.comment_id)
            pub.target_post, pub.target_comment = resolved.post_id, resolved.comment_id
        target = Target(pub.target_post, pub.target_comment)
        if was_maybe_sent:
            try:
                found = client.find_reply(target, draft.text)
            except NetworkError as exc:
                if exc.kind != ErrorKind.UNSUPPORTED:
                    raise
                message = (f"{pub.page.get_network_display()} не подтвердил(а), что ответ опубликован, а проверить "
                           "это автоматически сеть не позволяет. Откройте обсуждение: если ответ там есть — внесите "
                           "ссылку на него; если нет — нажмите «Ответа нет — опубликовать».")
                Publication.objects.filter(pk=pk).update(state=P.CHECK, last_error=message, error_kind="check",
                                                         next_attempt_at=None)
                _system_event(pub, "publish_network_check", now)
                return P.CHECK
            if found is not None:
                _finish(pub, found, now)
                return P.DONE
        # From here the call may reach the network: a crash or timeout must be looked up later.
        Publication.objects.filter(pk=pk).update(maybe_sent=True)
        published = client.reply(target, draft.text)
    except NetworkError as exc:
        return _on_error(pub, exc, now, was_maybe_sent)
    _finish(pub, published, now)
    return P.DONE


def _on_error(pub: Publication, exc: NetworkError, now: datetime, was_maybe_sent: bool) -> str:
    message = exc.message_ru
    if exc.kind == ErrorKind.TIMEOUT:
        _later(pub, now, P.UNKNOWN, 30, message + " Проверим в сети и только потом повторим.", exc.kind, True)
        return P.UNKNOWN
    if exc.kind == ErrorKind.RATE_LIMITED:
        wait = exc.retry_after if exc.retry_after and exc.retry_after > 0 else 60
        state = P.UNKNOWN if was_maybe_sent else P.PENDING
        _later(pub, now, state, wait, f"{message} Повторим через {int(wait)} с.", exc.kind, was_maybe_sent)
        return state
    if exc.kind == ErrorKind.RETRY and pub.attempts < MAX_RETRIES:
        wait = 30 * 2 ** (pub.attempts - 1)
        state = P.UNKNOWN if was_maybe_sent else P.PENDING
        _later(pub, now, state, wait, f"{message} Попытка {pub.attempts} из {MAX_RETRIES}.", exc.kind,
               was_maybe_sent)
        return state
    Publication.objects.filter(pk=pub.pk).update(maybe_sent=was_maybe_sent)
    _fail(pub, now, message, exc.kind)
    return P.FAILED


def publications_sweep(*, at: datetime | None = None) -> int:
    """Due attempts, and rows a dead worker left in `sending` (they may have been sent)."""
    now = _now(at)
    Publication.objects.filter(state=P.SENDING, sending_since__lt=now - STALE_SENDING).update(
        state=P.UNKNOWN, maybe_sent=True, next_attempt_at=now,
        last_error="Публикация прервалась; проверим в сети, прежде чем повторять.")
    due = list(Publication.objects.filter(state__in=[P.PENDING, P.UNKNOWN])
               .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)).values_list("pk", flat=True))
    for pk in due:
        try:
            publication_attempt(pk, at=now)
        except Exception:  # one bad row must not stop the others
            log.exception("publication %s", pk)
    return len(due)


def publication_status_text(pub: Publication) -> str:
    """One line for the incident page."""
    return {
        P.PENDING: "Публикуется…",
        P.SENDING: "Публикуется…",
        P.UNKNOWN: "Публикуется… (проверяем, дошёл ли ответ)",
        P.CHECK: "Нужна проверка вручную",
        P.DONE: "Опубликован",
        P.FAILED: "Не опубликован",
        P.CANCELLED: "Отменено",
    }[P(pub.state)]
