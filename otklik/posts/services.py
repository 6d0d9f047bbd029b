"""Posts on official pages: compose, check (п. 7), approve (п. 3), schedule and publish (п. 5–6).

Who may post: the head of the general department, page editors and the administrator to any
page of their municipality; an institution's responsible persons to their own pages (п. 2).
A post that goes to a page of the administration is approved by the head of the general
department, bound to the exact text (any change voids it); a post only to institutions'
pages needs no approval (each institution answers for its pages, п. 2).
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from otklik.channels import clients
from otklik.incidents.attachments import (
    AttachmentError,
    _head,
    display_name,
    file_type,
    files_check,
)
from otklik.incidents.transitions import Forbidden, Invalid, NotFound, TransitionError
from otklik.org.models import Person
from otklik.org.roles import Role
from otklik.org.selectors import Access
from otklik.pages.models import OfficialPage
from otklik.posts.models import Post, PostEvent, PostMedia, PostTarget

log = logging.getLogger(__name__)
S = Post.State
T = PostTarget.State
WIDE = (Role.GENERAL_HEAD, Role.PAGE_EDITOR, Role.ADMINISTRATOR)
APPROVERS = (Role.GENERAL_HEAD,)
POLL_NETWORKS = frozenset({"vk", "ok", "telegram"})
MAX_AHEAD = timedelta(days=366)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


# ---------------------------------------------------------------- scope

def pages_for(access: Access) -> QuerySet[OfficialPage]:
    """The pages this person may post to."""
    municipality_id = access.person.municipality_id
    scope = getattr(access, "municipality_id", None)  # an API key's one municipality
    if municipality_id is None or (scope and scope != municipality_id):
        return OfficialPage.objects.none()
    mine = OfficialPage.objects.filter(municipality_id=municipality_id)
    if access.has(*WIDE):
        return mine
    return mine.filter(responsible=access.person).distinct()


def posts_for(access: Access) -> QuerySet[Post]:
    """The posts this person may see: the municipality's for the wide roles, else their own pages'."""
    municipality_id = access.person.municipality_id
    scope = getattr(access, "municipality_id", None)
    if municipality_id is None or (scope and scope != municipality_id):
        return Post.objects.none()
    posts = Post.objects.filter(municipality_id=municipality_id)
    if access.has(*WIDE):
        return posts
    return posts.filter(Q(author=access.person) | Q(targets__page__responsible=access.person)).distinct()


def post_get(access: Access, post_id: int, *, lock: bool = False) -> Post:
    query = posts_for(access)
    if lock:
        query = Post.objects.select_for_update().filter(pk__in=query.values("pk"))
    post = query.filter(pk=post_id).first()
    if post is None:
        raise NotFound("Публикация не найдена.")
    return post


def can_approve(access: Access, post: Post) -> bool:
    return access.has(*APPROVERS) and access.person.municipality_id == post.municipality_id


def _event(post: Post, actor: Person | None, action: str, details: str = "", at: datetime | None = None) -> None:
    PostEvent.objects.create(post=post, at=_now(at), actor=actor, action=action, details=details[:2000],
                             actor_label=actor.full_name if actor else "Отклик")


# ---------------------------------------------------------------- input rules

def voice_findings(text: str, slug: str = "") -> list[dict[str, Any]]:
    """The publication-voice checks of п. 7, as dicts in the shape `otklik check-answer` prints
    (the municipality's streets, units and people are not spelling mistakes)."""
    from otklik.org.lexicon import municipality_words
    from otklik.texts.posts import check_post

    return [f.as_dict() for f in check_post(text, known_words=municipality_words(slug) if slug else ())]


def _clean_text(text: str, pages: Sequence[OfficialPage]) -> str:
    if not isinstance(text, str) or not text.strip():
        raise Invalid("Текст публикации пуст.", field="text")
    if len(text) > settings.OTKLIK_MAX_TEXT:
        raise Invalid(f"Текст публикации: не длиннее {settings.OTKLIK_MAX_TEXT} символов.", field="text")
    for page in pages:
        limit = clients.max_text(page.network)
        if len(text) > limit:
            raise Invalid(f"«{page.name}» ({page.get_network_display()}) принимает не больше {limit} символов, "
                          f"в тексте {len(text)}.", field="text", rule="network")
    return text


def _clean_pages(access: Access, page_ids: Iterable[int]) -> list[OfficialPage]:
    ids = sorted({int(i) for i in page_ids})
    if not ids:
        raise Invalid("Выберите хотя бы одну страницу.", field="pages")
    allowed = {p.pk: p for p in pages_for(access).filter(pk__in=ids)}
    missing = [i for i in ids if i not in allowed]
    if missing:
        raise Forbidden(f"Вам недоступны страницы: {', '.join(map(str, missing))}.")
    return [allowed[i] for i in ids]


def _clean_when(publish_at: datetime | None, now: datetime) -> datetime | None:
    if publish_at is None:
        return None
    if timezone.is_naive(publish_at):
        raise Invalid("Время публикации без часового пояса.", field="publish_at", rule="moment")
    if publish_at < now - timedelta(minutes=1):
        raise Invalid("Время публикации уже прошло: укажите будущее или публикуйте сейчас.", field="publish_at",
                      rule="moment")
    if publish_at > now + MAX_AHEAD:
        raise Invalid("Запланировать можно не дальше чем на год вперёд.", field="publish_at", rule="moment")
    return publish_at


def _clean_poll(poll: dict[str, Any] | None, pages: Sequence[OfficialPage]) -> dict[str, Any]:
    if not poll or not str(poll.get("question") or "").strip():
        return {}
    options = [str(o).strip() for o in poll.get("options") or [] if str(o).strip()]
    if not 2 <= len(options) <= 10:
        raise Invalid("В опросе нужно от 2 до 10 вариантов ответа.", field="poll")
    if any(len(o) > 100 for o in options) or len(str(poll["question"])) > 255:
        raise Invalid("Вопрос опроса — до 255 символов, вариант — до 100.", field="poll")
    without = [p for p in pages if p.network not in POLL_NETWORKS]
    if without:
        raise Invalid(f"В {without[0].get_network_display()} нет опросов: уберите опрос или эту страницу.",
                      field="poll", rule="network")
    return {"question": str(poll["question"]).strip(), "options": options, "multiple": bool(poll.get("multiple"))}


# ---------------------------------------------------------------- compose and approve

def post_create(*, access: Access, page_ids: Iterable[int], text: str, publish_at: datetime | None = None,
                poll: dict[str, Any] | None = None, files: Sequence[Any] = (),
                at: datetime | None = None) -> Post:
    """A post for one or several pages, sent for approval (or released where none is needed)."""
    now = _now(at)
    pages = _clean_pages(access, page_ids)
    text = _clean_text(text, pages)
    when = _clean_when(publish_at, now)
    poll_data = _clean_poll(poll, pages)
    if errors := files_check(files):
        raise AttachmentError(errors)
    if files and any(p.network == "telegram" for p in pages) and len(text) > 1024:
        raise Invalid("В Telegram подпись к фото или видео — не длиннее 1024 символов: сократите текст или "
                      "опубликуйте без вложений.", field="text")
    with transaction.atomic():
        post = Post.objects.create(
            municipality_id=pages[0].municipality_id, author=access.person, text=text, text_hash=text_hash(text),
            poll=poll_data, publish_at=when, needs_approval=any(p.unit_id is None for p in pages),
            findings=voice_findings(text, pages[0].municipality.slug), state=S.DRAFT)
        for upload in files:
            ftype = file_type(_head(upload))
            if ftype is None:
                raise AttachmentError([f"Файл «{display_name(upload.name)}»: это не фото и не видео."])
            shown = display_name(upload.name)
            upload.name = f"{uuid.uuid4().hex}.{ftype.ext}"  # the stored name is ours, not the user's
            PostMedia.objects.create(post=post, kind=ftype.kind, name=shown,
                                     content_type=ftype.content_type, file=upload, size=upload.size)
        for page in pages:
            PostTarget.objects.create(post=post, page=page, text_hash=post.text_hash)
        _event(post, access.person, "create", f"страницы: {', '.join(p.name for p in pages)}", now)
        _submit(post, access, now)
    return post


def _submit(post: Post, access: Access, now: datetime) -> None:
    if post.needs_approval:
        Post.objects.filter(pk=post.pk).update(state=S.AWAITING, approved_hash="", approved_by=None,
                                               approved_at=None, return_comment="")
        post.state = S.AWAITING
        _tell_approvers(post)
    else:
        Post.objects.filter(pk=post.pk).update(state=S.APPROVED, approved_hash=post.text_hash, return_comment="")
        post.state, post.approved_hash = S.APPROVED, post.text_hash
        _release(post, now)


def _tell_approvers(post: Post) -> None:
    from otklik.incidents.selectors import people_with_role
    from otklik.notifications.services import notify

    heads = list(people_with_role(municipality_id=post.municipality_id, role=Role.GENERAL_HEAD))
    notify(municipality=post.municipality, recipients=heads, key=f"post:{post.pk}:approve:{post.text_hash[:16]}",
           subject=f"Публикация № {post.pk} ждёт согласования",
           body=f"{post.text}\n\n{settings.OTKLIK_BASE_URL}/posts/{post.pk}/")


def post_approve(*, access: Access, post_id: int, text_hash_seen: str | None = None,
                 at: datetime | None = None) -> Post:
    """п. 3: the head of the general department approves the exact text they saw."""
    now = _now(at)
    with transaction.atomic():
        post = post_get(access, post_id, lock=True)
        if not can_approve(access, post):
            raise Forbidden("Согласует публикации начальник общего отдела.")
        if post.state != S.AWAITING:
            raise TransitionError(f"Согласовать нельзя: публикация в состоянии «{S(post.state).label}».")
        if text_hash_seen is not None and text_hash_seen != post.text_hash:
            raise TransitionError("Текст изменился, пока вы его читали. Обновите страницу и проверьте снова.")
        Post.objects.filter(pk=post.pk).update(state=S.APPROVED, approved_by=access.person, approved_at=now,
                                               approved_hash=post.text_hash)
        post.state, post.approved_hash = S.APPROVED, post.text_hash
        _event(post, access.person, "approve", "", now)
        _release(post, now)
    return post


def post_return(*, access: Access, post_id: int, comment: str, at: datetime | None = None) -> Post:
    now = _now(at)
    if not comment or not comment.strip():
        raise Invalid("Напишите, что исправить.", field="comment")
    with transaction.atomic():
        post = post_get(access, post_id, lock=True)
        if not can_approve(access, post):
            raise Forbidden("Возвращает публикации начальник общего отдела.")
        if post.state != S.AWAITING:
            raise TransitionError(f"Вернуть нельзя: публикация в состоянии «{S(post.state).label}».")
        Post.objects.filter(pk=post.pk).update(state=S.DRAFT, return_comment=comment.strip()[:2000],
                                               edit_pending=False)
        _event(post, access.person, "return", comment.strip(), now)
    post.refresh_from_db()
    return post


def _may_edit(access: Access, post: Post) -> None:
    if post.author_id != access.person.pk and not access.has(*WIDE):
        raise Forbidden("Изменять публикацию может автор, редактор страниц или начальник общего отдела.")


def post_edit(*, access: Access, post_id: int, text: str, at: datetime | None = None) -> Post:
    """A new text: checked again and approved again; a published post is changed on every page."""
    now = _now(at)
    with transaction.atomic():
        post = post_get(access, post_id, lock=True)
        _may_edit(access, post)
        if post.state in (S.DELETED, S.PUBLISHING):
            raise TransitionError(f"Изменить нельзя: публикация в состоянии «{S(post.state).label}».")
        pages = [t.page for t in post.targets.select_related("page")]
        text = _clean_text(text, pages)
        if text_hash(text) == post.text_hash:
            raise TransitionError("Текст не изменился.")
        published = post.state in (S.PUBLISHED, S.PARTIAL)
        Post.objects.filter(pk=post.pk).update(text=text, text_hash=text_hash(text), edit_pending=published,
                                               findings=voice_findings(text, post.municipality.slug))
        post.refresh_from_db()
        if not published:
            post.targets.exclude(state=T.DONE).update(state=T.WAITING, text_hash=post.text_hash, next_attempt_at=None)
        _event(post, access.person, "edit", "", now)
        _submit(post, access, now)
    post.refresh_from_db()
    return post


def post_publish(*, access: Access, post_id: int, at: datetime | None = None) -> Post:
    """Publish now (a scheduled or approved post), or try again where a page failed."""
    now = _now(at)
    with transaction.atomic():
        post = post_get(access, post_id, lock=True)
        _may_edit(access, post)
        if post.state not in (S.APPROVED, S.FAILED, S.PARTIAL, S.PUBLISHING):
            raise TransitionError(f"Опубликовать нельзя: публикация в состоянии «{S(post.state).label}»"
                                  f"{' — нужно согласование' if post.state in (S.DRAFT, S.AWAITING) else ''}.")
        Post.objects.filter(pk=post.pk).update(publish_at=None)
        post.publish_at = None
        failed = post.targets.filter(state=T.FAILED)
        # A page that failed after a call may have reached it is looked at before any new call.
        failed.update(state=T.PENDING, next_attempt_at=now, last_error="", error_kind="", attempts=0)
        post.targets.filter(state=T.WAITING).update(state=T.PENDING, next_attempt_at=now)
        Post.objects.filter(pk=post.pk, state__in=[S.APPROVED, S.FAILED, S.PARTIAL]).update(state=S.PUBLISHING)
        _event(post, access.person, "publish", "", now)
        transaction.on_commit(lambda: _enqueue(post.pk))
    post.refresh_from_db()
    return post


def post_delete(*, access: Access, post_id: int, at: datetime | None = None) -> Post:
    """Not yet out: withdrawn. Out: deleted from every page through the network."""
    now = _now(at)
    with transaction.atomic():
        post = post_get(access, post_id, lock=True)
        _may_edit(access, post)
        if post.state == S.DELETED:
            raise TransitionError("Публикация уже удалена.")
        live = post.targets.filter(state__in=[T.SENDING, T.UNKNOWN, T.CHECK])
        if live.exists():
            raise TransitionError("Публикация сейчас отправляется: дождитесь результата, потом удалите.")
        out = post.targets.filter(state=T.DONE)
        post.targets.exclude(state=T.DONE).update(state=T.DELETED, next_attempt_at=None)
        out.update(state=T.PENDING, op=PostTarget.Op.DELETE, next_attempt_at=now, attempts=0)
        Post.objects.filter(pk=post.pk).update(state=S.DELETED if not out.exists() else S.PUBLISHING,
                                               edit_pending=False)
        _event(post, access.person, "delete", "", now)
        transaction.on_commit(lambda: _enqueue(post.pk))
    post.refresh_from_db()
    return post


def _release(post: Post, now: datetime) -> None:
    """Approved: the pages' rows become due at the planned time (now when none)."""
    due = post.publish_at if post.publish_at and post.publish_at > now else now
    if post.edit_pending:
        post.targets.filter(state=T.DONE).update(state=T.PENDING, op=PostTarget.Op.EDIT, text_hash=post.text_hash,
                                                 next_attempt_at=now, attempts=0)
        Post.objects.filter(pk=post.pk).update(edit_pending=False, state=S.PUBLISHING)
    else:
        post.targets.filter(state=T.WAITING).update(state=T.PENDING, next_attempt_at=due, text_hash=post.text_hash)
        if due <= now:
            Post.objects.filter(pk=post.pk).update(state=S.PUBLISHING)
    transaction.on_commit(lambda: _enqueue(post.pk))


def _enqueue(post_id: int) -> None:
    from otklik.posts.tasks import publish_post_targets

    try:
        publish_post_targets.enqueue(post_id)
    except Exception:  # the periodic sweep picks it up; a lost enqueue loses nothing
        log.exception("could not enqueue post %s", post_id)


def scheduled_text(post: Post, now: datetime | None = None) -> str:
    now = _now(now)
    if post.state == S.APPROVED and post.publish_at and post.publish_at > now:
        local = timezone.localtime(post.publish_at)
        return f"Запланирован на {local:%d.%m.%Y %H:%M}"
    return str(S(post.state).label)
