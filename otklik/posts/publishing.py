"""The worker's side of posts: each page's row published, edited or deleted through its network.

The same rules as answers (incidents/publishing.py): the text goes out only while its hash is
the approved one; a call that may have reached the network marks the row, and the next attempt
looks for the post on the page (`find_post`) before it sends; where the network cannot be
asked (Telegram), a person checks the page. Rate limits wait as asked, server errors back off.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from otklik.channels import clients
from otklik.channels.base import ErrorKind, Media, NetworkError, Poll, Published
from otklik.core.vault import VaultError
from otklik.pages.services import page_access_for
from otklik.posts.models import Post, PostEvent, PostTarget
from otklik.posts.services import text_hash

log = logging.getLogger(__name__)
S = Post.State
T = PostTarget.State
MAX_RETRIES = 6
STALE_SENDING = timedelta(minutes=3)


def _claim(pk: int, now: datetime) -> bool:
    return bool(PostTarget.objects.filter(pk=pk, state__in=[T.PENDING, T.UNKNOWN])
                .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
                .update(state=T.SENDING, sending_since=now, attempts=F("attempts") + 1))


def _media(post: Post) -> list[Media]:
    items = []
    for m in post.media.all():
        with m.file.open("rb") as handle:
            items.append(Media(name=m.name, content=handle.read(), kind=m.kind))
    return items


def _poll(post: Post) -> Poll | None:
    if not post.poll:
        return None
    return Poll(question=str(post.poll["question"]), options=tuple(post.poll["options"]),
                multiple=bool(post.poll.get("multiple")))


def target_attempt(pk: int, *, at: datetime | None = None) -> str:
    """One attempt on one page's row; returns the state it left."""
    now = at or timezone.now()
    if not _claim(pk, now):
        return PostTarget.objects.filter(pk=pk).values_list("state", flat=True).first() or ""
    target = PostTarget.objects.select_related("post", "page", "post__municipality").get(pk=pk)
    post = target.post
    op = target.op
    if op != PostTarget.Op.DELETE:
        approved = post.approved_hash == post.text_hash or not post.needs_approval
        if not (text_hash(post.text) == post.text_hash == target.text_hash) or not approved:
            _fail(target, now, "Текст не совпадает с согласованным — публикация на этой странице остановлена.",
                  "integrity")
            return T.FAILED
    try:
        client = clients.client_for(target.page.network, page_access_for(target.page))
    except VaultError as exc:
        _fail(target, now, str(exc), ErrorKind.TOKEN_INVALID)
        return T.FAILED
    was_maybe_sent = target.maybe_sent
    try:
        if op == PostTarget.Op.PUBLISH:
            if was_maybe_sent:
                try:
                    found = client.find_post(post.text)
                except NetworkError as exc:
                    if exc.kind != ErrorKind.UNSUPPORTED:
                        raise
                    message = (f"{target.page.get_network_display()} не подтвердил(а) публикацию, а проверить это "
                               "автоматически сеть не позволяет. Откройте страницу: если пост там есть — ничего не "
                               "делайте и отметьте «пост есть»; если нет — «опубликовать снова».")
                    PostTarget.objects.filter(pk=pk).update(state=T.CHECK, last_error=message, error_kind="check",
                                                            next_attempt_at=None)
                    _recount(post.pk, now)
                    return T.CHECK
                if found is not None:
                    _done(target, found, now)
                    return T.DONE
            PostTarget.objects.filter(pk=pk).update(maybe_sent=True)
            published = client.publish_post(post.text, _media(post) or None, _poll(post))
            _done(target, published, now)
            return T.DONE
        if op == PostTarget.Op.EDIT:
            client.edit_post(target.network_post_id, post.text)
            PostTarget.objects.filter(pk=pk).update(state=T.DONE, op=PostTarget.Op.PUBLISH, last_error="",
                                                    error_kind="")
            _log(post, f"текст изменён на странице «{target.page.name}»", now)
        else:
            try:
                client.delete_post(target.network_post_id)
            except NetworkError as exc:
                if exc.kind != ErrorKind.NOT_FOUND:  # already gone is what we wanted
                    raise
            PostTarget.objects.filter(pk=pk).update(state=T.DELETED, last_error="", error_kind="")
            _log(post, f"удалён со страницы «{target.page.name}»", now)
        _recount(post.pk, now)
        return str(PostTarget.objects.get(pk=pk).state)
    except NetworkError as exc:
        return _on_error(target, exc, now, was_maybe_sent)


def _log(post: Post, details: str, now: datetime) -> None:
    PostEvent.objects.create(post=post, at=now, actor=None, actor_label="Отклик", action="network", details=details)


def _done(target: PostTarget, published: Published, now: datetime) -> None:
    PostTarget.objects.filter(pk=target.pk).update(state=T.DONE, network_post_id=published.post_id,
                                                   url=published.url, published_at=now, last_error="",
                                                   error_kind="")
    _log(target.post, f"опубликован на странице «{target.page.name}»: {published.url}", now)
    _recount(target.post_id, now)


def _fail(target: PostTarget, now: datetime, message: str, kind: str) -> None:
    PostTarget.objects.filter(pk=target.pk).update(state=T.FAILED, last_error=message, error_kind=kind,
                                                   next_attempt_at=None)
    _log(target.post, f"ошибка на странице «{target.page.name}»: {message}", now)
    from otklik.notifications.services import notify

    post = target.post
    notify(municipality=post.municipality, recipients=[post.author],
           key=f"post:{post.pk}:fail:{target.pk}:{target.attempts}",
           subject=f"Публикация № {post.pk} не вышла на странице «{target.page.name}»",
           body=f"{message}\n\nИсправьте причину и нажмите «Опубликовать снова» на странице публикации.")
    _recount(post.pk, now)


def _on_error(target: PostTarget, exc: NetworkError, now: datetime, was_maybe_sent: bool) -> str:
    def later(state: str, seconds: float, message: str, maybe: bool) -> str:
        PostTarget.objects.filter(pk=target.pk).update(state=state, next_attempt_at=now + timedelta(seconds=seconds),
                                                       last_error=message, error_kind=exc.kind, maybe_sent=maybe)
        return state

    if exc.kind == ErrorKind.TIMEOUT:
        if target.op != PostTarget.Op.PUBLISH:  # an edit or a deletion may simply be repeated
            return later(T.PENDING, 30, exc.message_ru, False)
        return later(T.UNKNOWN, 30, exc.message_ru + " Проверим на странице и только потом повторим.", True)
    resend = T.UNKNOWN if was_maybe_sent else T.PENDING
    if exc.kind == ErrorKind.RATE_LIMITED:
        wait = exc.retry_after if exc.retry_after and exc.retry_after > 0 else 60
        return later(resend, wait, f"{exc.message_ru} Повторим через {int(wait)} с.", was_maybe_sent)
    if exc.kind == ErrorKind.RETRY and target.attempts < MAX_RETRIES:
        return later(resend, 30 * 2 ** (target.attempts - 1),
                     f"{exc.message_ru} Попытка {target.attempts} из {MAX_RETRIES}.", was_maybe_sent)
    PostTarget.objects.filter(pk=target.pk).update(maybe_sent=was_maybe_sent)
    _fail(target, now, exc.message_ru, exc.kind)
    return T.FAILED


def _recount(post_id: int, now: datetime) -> None:
    """The post's state from its pages' rows."""
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post_id)
        states = list(post.targets.values_list("state", flat=True))
        if post.state in (S.DRAFT, S.AWAITING):
            return
        if states and all(s == T.DELETED for s in states):
            new = S.DELETED
        elif any(s in (T.PENDING, T.SENDING, T.UNKNOWN) for s in states):
            new = S.PUBLISHING
        elif any(s == T.CHECK for s in states):
            new = S.PARTIAL if any(s == T.DONE for s in states) else S.PUBLISHING
        elif states and all(s in (T.DONE, T.DELETED) for s in states):
            new = S.PUBLISHED
        elif any(s == T.DONE for s in states):
            new = S.PARTIAL
        elif any(s == T.FAILED for s in states):
            new = S.FAILED
        else:
            new = S(post.state)
        updates: dict[str, object] = {"state": new}
        if new == S.PUBLISHED and post.published_at is None:
            updates["published_at"] = now
        Post.objects.filter(pk=post.pk).update(**updates)


def posts_sweep(*, at: datetime | None = None, post_id: int | None = None) -> int:
    """Due rows (scheduled ones whose time came included), and rows a dead worker left sending."""
    now = at or timezone.now()
    PostTarget.objects.filter(state=T.SENDING, sending_since__lt=now - STALE_SENDING).update(
        state=T.UNKNOWN, next_attempt_at=now, last_error="Отправка прервалась; проверим на странице, прежде чем "
                                                         "повторять.")
    PostTarget.objects.filter(state=T.SENDING, sending_since__lt=now - STALE_SENDING, op=PostTarget.Op.PUBLISH) \
        .update(maybe_sent=True)
    due = PostTarget.objects.filter(state__in=[T.PENDING, T.UNKNOWN]).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    if post_id is not None:
        due = due.filter(post_id=post_id)
    ids = list(due.values_list("pk", flat=True))
    for pk in ids:
        try:
            target_attempt(pk, at=now)
        except Exception:  # one bad row must not stop the others
            log.exception("post target %s", pk)
    return len(ids)


def target_check_done(*, target: PostTarget, found: bool, at: datetime | None = None) -> None:
    """After `check`: the person looked at the page. Found: done (no link known); not: send again."""
    now = at or timezone.now()
    if found:
        PostTarget.objects.filter(pk=target.pk, state=T.CHECK).update(state=T.DONE, published_at=now, last_error="",
                                                                       error_kind="")
    else:
        PostTarget.objects.filter(pk=target.pk, state=T.CHECK).update(state=T.PENDING, maybe_sent=False,
                                                                       next_attempt_at=now, last_error="")
    _recount(target.post_id, now)
