"""Moderation of comments on official pages: intake, screening, rules, decisions, undo, bans.

Every comment is stored once (page + network id); it is screened (п. 21 obscenity, insults,
threats; spam; «нарушает закон»), the page's rule acts on its own (delete, black-list) and the
rest waits for the moderator. Every decision is an outbox row the worker carries out through
the network and an entry in the page's signed history. A question or a complaint becomes a
publication in the workflow (Прил. 2 п. 2.3), one tap or on its own.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from otklik.channels.base import Comment
from otklik.core.vault import seal, unseal
from otklik.incidents.transitions import Forbidden, Invalid, NotFound, TransitionError
from otklik.moderation.links import comment_link
from otklik.moderation.models import (
    CODE_LABELS,
    CODES,
    Ban,
    ModerationAction,
    ModerationRule,
    PageComment,
)
from otklik.org.models import Person
from otklik.org.roles import Role
from otklik.org.selectors import Access
from otklik.pages.audit import page_event_append
from otklik.pages.models import OfficialPage

log = logging.getLogger(__name__)
A = ModerationAction.Kind
C = PageComment.State
MODERATORS = (Role.MODERATOR, Role.GENERAL_HEAD, Role.ADMINISTRATOR)
BAN_TERMS = {"day": 1, "week": 7, "month": 30, "forever": 0}
BAN_TERM_LABELS = {"day": "на сутки", "week": "на неделю", "month": "на месяц", "forever": "навсегда"}


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


# ---------------------------------------------------------------- rules

def rule_for(page: OfficialPage) -> ModerationRule:
    rule, _ = ModerationRule.objects.get_or_create(page=page)
    return rule


def rule_set(*, page: OfficialPage, delete: Iterable[str], ban: Iterable[str], ban_days: int | None = None,
             auto_publication: bool | None = None, actor: Person | None = None, at: datetime | None = None
             ) -> ModerationRule:
    delete_codes, ban_codes = sorted(set(delete)), sorted(set(ban))
    unknown = [c for c in [*delete_codes, *ban_codes] if c not in CODES]
    if unknown:
        raise Invalid(f"Неизвестные основания: {', '.join(unknown)}. Можно: {', '.join(CODES)}.", field="rules")
    if set(ban_codes) - set(delete_codes):
        raise Invalid("В чёрный список вносим только за то, что удаляем: добавьте эти основания и в «удалять».",
                      field="rules")
    if ban_days is not None and not 0 <= ban_days <= 3650:
        raise Invalid("Срок чёрного списка — от 0 (навсегда) до 3650 дней.", field="ban_days")
    with transaction.atomic():
        locked = OfficialPage.objects.select_for_update().get(pk=page.pk)
        rule = rule_for(locked)
        rule.delete_codes, rule.ban_codes = delete_codes, ban_codes
        if ban_days is not None:
            rule.ban_days = ban_days
        if auto_publication is not None:
            rule.auto_publication = auto_publication
        rule.save()
        page_event_append(page=locked, at=_now(at), actor=actor, action="moderation_rules",
                          payload={"delete": delete_codes, "ban": ban_codes, "ban_days": rule.ban_days,
                                   "auto_publication": rule.auto_publication})
    return rule


def callback_set(*, page: OfficialPage, secret: str = "", confirmation: str = "") -> ModerationRule:
    rule = rule_for(page)
    if secret:
        rule.callback_secret_sealed = seal(secret)
    if confirmation:
        rule.callback_confirmation = confirmation
    rule.save()
    return rule


def callback_secret(page: OfficialPage) -> str:
    rule = ModerationRule.objects.filter(page=page).first()
    return unseal(rule.callback_secret_sealed) if rule and rule.callback_secret_sealed else ""


# ---------------------------------------------------------------- intake

def _screen(text: str) -> tuple[list[dict[str, Any]], bool]:
    from otklik.texts.screening.comments import screen_comment

    result = screen_comment(text)
    findings = [{"code": f.code, "kind": f.kind, "start": f.start, "end": f.end, "reason": f.reason,
                 "severity": f.severity} for f in result.findings]
    return findings, bool(result.needs_answer)


def comments_ingest(*, page: OfficialPage, comments: Iterable[Comment], via: str, at: datetime | None = None
                    ) -> list[PageComment]:
    """Store, screen and act on new comments; a comment seen before (push and poll) is not read
    twice, an edited one is screened again. Returns the comments stored or changed now."""
    now = _now(at)
    batch = [c for c in comments if not c.from_page and c.id]  # not our own replies
    if not batch:
        return []
    rule = rule_for(page)
    seen = {c.network_id: c for c in PageComment.objects.filter(page=page, network_id__in=[c.id for c in batch])}
    done: list[PageComment] = []
    for c in batch:
        try:
            stored = _ingest_one(page, c, via, now, rule, seen.get(c.id))
        except Exception:  # one bad comment must not lose the batch
            log.exception("comment %s on page %s", c.id, page.pk)
            continue
        if stored is not None:
            done.append(stored)
    return done


def _ingest_one(page: OfficialPage, c: Comment, via: str, now: datetime, rule: ModerationRule,
                existing: PageComment | None) -> PageComment | None:
    if existing is not None:
        if c.deleted or existing.text == c.text:
            return None
        findings, needs = _screen(c.text)  # edited after we read it: screened again
        PageComment.objects.filter(pk=existing.pk).update(text=c.text, findings=findings, needs_answer=needs,
                                                          edited=True)
        existing.refresh_from_db()
        if existing.state in (C.CLEAN, C.KEPT, C.NEW):
            _decide_auto(existing, now, rule)
        return existing
    if c.deleted:
        return None
    findings, needs = _screen(c.text)
    written = datetime.fromtimestamp(c.date, tz=UTC) if c.date else None
    try:
        with transaction.atomic():
            comment = PageComment.objects.create(
                page=page, network_id=c.id, post_id=c.post_id, reply_to=c.reply_to, author_id=c.author_id,
                text=c.text, written_at=written, received_at=now, via=via,
                findings=findings, needs_answer=needs)
    except IntegrityError:  # the push and the poll met at the same moment: the other one stored it
        return None
    _decide_auto(comment, now, rule)
    return comment


def _decide_auto(comment: PageComment, now: datetime, rule: ModerationRule) -> None:
    """The page's rule: delete (and black-list) on its own, queue the rest of what was found."""
    codes = set(comment.codes)
    to_delete = sorted(codes & set(rule.delete_codes))
    if to_delete:
        reason = ", ".join(CODE_LABELS[c] for c in to_delete)
        to_ban = sorted(codes & set(rule.ban_codes))
        with transaction.atomic():
            page = OfficialPage.objects.select_for_update().get(pk=comment.page_id)
            _set_state(comment, C.DELETED)
            _action(page, comment, A.DELETE, reason=reason, actor=None, auto=True, now=now)
            if to_ban and comment.author_id:
                _ban(page, comment, reason=", ".join(CODE_LABELS[c] for c in to_ban),
                     days=rule.ban_days, actor=None, auto=True, now=now)
        return
    if codes:
        _set_state(comment, C.QUEUED)
        return
    if comment.needs_answer:
        if rule.auto_publication:
            comment_to_publication(comment=comment, actor=None, at=now)
            _set_state(comment, C.KEPT)
        else:
            _set_state(comment, C.QUEUED)
        return
    _set_state(comment, C.CLEAN)


def _set_state(comment: PageComment, state: str) -> None:
    PageComment.objects.filter(pk=comment.pk).update(state=state)
    comment.state = state


def _action(page: OfficialPage, comment: PageComment | None, kind: str, *, reason: str, actor: Person | None,
            auto: bool, now: datetime, author_id: str = "", network: bool = True) -> ModerationAction:
    """One decision: its outbox row and its entry in the page's signed history (the caller locks the page)."""
    action = ModerationAction.objects.create(
        comment=comment, page=page, kind=kind, auto=auto, reason=reason[:300], actor=actor, at=now,
        author_id=author_id or (comment.author_id if comment else ""), next_attempt_at=now,
        state=ModerationAction.State.PENDING if network else ModerationAction.State.LOCAL)
    page_event_append(page=page, at=now, actor=actor, action=f"moderation_{kind}", reason=reason[:300],
                      payload={"comment": comment.network_id if comment else "", "author": action.author_id,
                               "auto": auto, "action": action.pk,
                               "text": (comment.text[:300] if comment else "")})
    if network:
        transaction.on_commit(lambda: _enqueue(action.pk))
    return action


def _enqueue(pk: int) -> None:
    from otklik.moderation.tasks import moderation_execute

    try:
        moderation_execute.enqueue(pk)
    except Exception:  # the periodic sweep carries it out
        log.exception("could not enqueue moderation action %s", pk)


def _ban(page: OfficialPage, comment: PageComment | None, *, reason: str, days: int, actor: Person | None,
         auto: bool, now: datetime, author_id: str = "", author_name: str = "") -> Ban:
    author = author_id or (comment.author_id if comment else "")
    Ban.objects.filter(page=page, author_id=author, lifted_at__isnull=True).update(lifted_at=now)
    ban = Ban.objects.create(page=page, author_id=author, author_name=author_name or (comment.author_name if comment
                                                                                     else ""),
                             reason=reason, until=now + timedelta(days=days) if days else None, by=actor, at=now)
    _action(page, comment, A.BAN, reason=f"{reason} ({'навсегда' if not days else f'{days} дн.'})", actor=actor,
            auto=auto, now=now, author_id=author)
    return ban


# ---------------------------------------------------------------- the moderator

def _page_for(access: Access, page_id: int) -> OfficialPage:
    if not access.has(*MODERATORS):
        raise Forbidden("Модерация — для модератора, начальника общего отдела и администратора.")
    page = OfficialPage.objects.filter(pk=page_id, municipality_id=access.person.municipality_id or 0).first()
    if page is None:
        raise NotFound("Страница не найдена.")
    return page


def comments_for(access: Access) -> QuerySet[PageComment]:
    if not access.has(*MODERATORS) or access.person.municipality_id is None:
        return PageComment.objects.none()
    return PageComment.objects.filter(page__municipality_id=access.person.municipality_id)


def comment_get(access: Access, comment_id: int) -> PageComment:
    comment: PageComment | None = comments_for(access).select_related("page").filter(pk=comment_id).first()
    if comment is None:
        raise NotFound("Комментарий не найден.")
    return comment


def comment_decide(*, access: Access, comment_id: int, decision: str, term: str = "week", reason: str = "",
                   at: datetime | None = None) -> PageComment:
    """delete | keep | ban (delete and black-list for `term`) | publication."""
    now = _now(at)
    comment = comment_get(access, comment_id)
    if decision == "publication":
        comment_to_publication(comment=comment, actor=access.person, at=now)
        return comment
    if decision not in ("delete", "keep", "ban"):
        raise Invalid("Неизвестное решение.", field="decision")
    if decision == "ban" and term not in BAN_TERMS:
        raise Invalid("Срок: сутки, неделя, месяц или навсегда.", field="term")
    default = ", ".join(CODE_LABELS[c] for c in comment.codes) or "решение модератора"
    why = (reason or "").strip()[:200] or default
    with transaction.atomic():
        page = OfficialPage.objects.select_for_update().get(pk=comment.page_id)
        comment = PageComment.objects.select_for_update().get(pk=comment.pk)
        if decision == "keep":
            if comment.state == C.DELETED:
                raise TransitionError("Комментарий удалён: чтобы вернуть его, отмените удаление.")
            PageComment.objects.filter(pk=comment.pk).update(state=C.KEPT)
            _action(page, comment, A.KEEP, reason=why, actor=access.person, auto=False, now=now, network=False)
        else:
            if comment.state != C.DELETED:
                PageComment.objects.filter(pk=comment.pk).update(state=C.DELETED)
                _action(page, comment, A.DELETE, reason=why, actor=access.person, auto=False, now=now)
            if decision == "ban":
                if not comment.author_id:
                    raise TransitionError("Автор комментария неизвестен: внести в чёрный список нельзя.")
                _ban(page, comment, reason=why, days=BAN_TERMS[term], actor=access.person, auto=False, now=now)
    comment.refresh_from_db()
    return comment


def action_undo(*, access: Access, action_id: int, at: datetime | None = None) -> ModerationAction:
    """A deletion is undone by restoring (where the network allows), a black-listing by unbanning."""
    now = _now(at)
    action = ModerationAction.objects.select_related("page", "comment").filter(
        pk=action_id, page__municipality_id=access.person.municipality_id or 0).first()
    if action is None or not access.has(*MODERATORS):
        raise NotFound("Решение не найдено.")
    if action.undone_by_id is not None:
        raise TransitionError("Это решение уже отменено.")
    if action.kind not in (A.DELETE, A.BAN):
        raise TransitionError("Отменить можно удаление или внесение в чёрный список.")
    if action.kind == A.BAN and not Ban.objects.filter(page_id=action.page_id, author_id=action.author_id,
                                                       lifted_at__isnull=True).exists():
        raise TransitionError("Автор уже не в чёрном списке.")
    with transaction.atomic():
        page = OfficialPage.objects.select_for_update().get(pk=action.page_id)
        if action.kind == A.DELETE:
            undo = _action(page, action.comment, A.RESTORE, reason="отмена удаления", actor=access.person, auto=False,
                           now=now)
            if action.comment is not None:
                PageComment.objects.filter(pk=action.comment.pk).update(state=C.KEPT)
        else:
            Ban.objects.filter(page=page, author_id=action.author_id, lifted_at__isnull=True).update(
                lifted_at=now, lifted_by=access.person)
            undo = _action(page, action.comment, A.UNBAN, reason="отмена чёрного списка", actor=access.person,
                           auto=False, now=now, author_id=action.author_id)
        ModerationAction.objects.filter(pk=action.pk).update(undone_by=undo)
    return undo


def ban_lift(*, access: Access, ban_id: int, at: datetime | None = None) -> Ban:
    now = _now(at)
    ban = Ban.objects.select_related("page").filter(pk=ban_id, page__municipality_id=access.person.municipality_id or 0,
                                                   lifted_at__isnull=True).first()
    if ban is None or not access.has(*MODERATORS):
        raise NotFound("Запись чёрного списка не найдена или уже снята.")
    with transaction.atomic():
        page = OfficialPage.objects.select_for_update().get(pk=ban.page_id)
        Ban.objects.filter(pk=ban.pk).update(lifted_at=now, lifted_by=access.person)
        undo = _action(page, None, A.UNBAN, reason="снят из чёрного списка", actor=access.person, auto=False,
                       now=now, author_id=ban.author_id)
        # The black-listing it lifts is undone: its «Отменить» would unban a second time.
        ModerationAction.objects.filter(page=page, kind=A.BAN, author_id=ban.author_id, undone_by__isnull=True) \
            .update(undone_by=undo)
    ban.refresh_from_db()
    return ban


def bans_expire(*, at: datetime | None = None) -> int:
    """A term that ended: unbanned in the network too (the networks' own terms differ)."""
    now = _now(at)
    count = 0
    for ban in Ban.objects.filter(lifted_at__isnull=True, until__lte=now).select_related("page"):
        with transaction.atomic():
            page = OfficialPage.objects.select_for_update().get(pk=ban.page_id)
            if Ban.objects.filter(pk=ban.pk, lifted_at__isnull=True).update(lifted_at=now):
                _action(page, None, A.UNBAN, reason="срок чёрного списка истёк", actor=None, auto=True, now=now,
                        author_id=ban.author_id)
                count += 1
    return count


# ---------------------------------------------------------------- into the workflow

def comment_to_publication(*, comment: PageComment, actor: Person | None, at: datetime | None = None) -> Any:
    """Прил. 2 п. 2.3: a question or complaint found on our own page becomes a publication."""
    from otklik.incidents.services import incident_intake

    now = _now(at)
    if comment.incident_id is not None:
        raise TransitionError("Этот комментарий уже передан в работу.")
    page = comment.page
    incident, _ = incident_intake(
        municipality=page.municipality, kind="publication", importance="normal", network=page.network,
        url=comment_link(page, comment), author_name=comment.author_name or f"id{comment.author_id}",
        author_url="", text=comment.text or "(пустой комментарий)", detected_at=min(comment.written_at or now, now),
        handed_over_at=now, external_id=f"comment:{page.pk}:{comment.network_id}", by=actor,
        by_label=None if actor else "Отклик: модерация", now=now)
    with transaction.atomic():
        locked = OfficialPage.objects.select_for_update().get(pk=page.pk)
        PageComment.objects.filter(pk=comment.pk).update(incident=incident, state=C.KEPT)
        _action(locked, comment, A.PUBLICATION, reason=f"сообщение № {incident.pk}", actor=actor, auto=actor is None,
                now=now, network=False)
    comment.incident = incident
    return incident


# ---------------------------------------------------------------- counts for the monthly report

def moderation_counts(*, municipality_id: int, start: datetime, end: datetime) -> dict[str, Any]:
    actions = ModerationAction.objects.filter(page__municipality_id=municipality_id, at__gte=start, at__lt=end)
    deleted: dict[str, int] = {}
    for a in actions.filter(kind=A.DELETE):
        for part in a.reason.split(", "):
            deleted[part] = deleted.get(part, 0) + 1
    return {"deleted_by_reason": deleted, "deleted": actions.filter(kind=A.DELETE).count(),
            "banned": actions.filter(kind=A.BAN).count(), "restored": actions.filter(kind=A.RESTORE).count(),
            "unbanned": actions.filter(kind=A.UNBAN).count(),
            "to_publication": actions.filter(kind=A.PUBLICATION).count()}
