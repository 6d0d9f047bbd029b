"""The worker's side of moderation: decisions carried out in the networks, comments polled in.

A decision is tried again after a rate limit or a server error; a comment that is already gone
counts as deleted. Polling keeps a marker per page (or per post where the network reads
comments post by post), so a push that never came is recovered and nothing is read twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db.models import F, Q
from django.utils import timezone

from otklik.channels import clients
from otklik.channels.base import ErrorKind, NetworkError, Target
from otklik.core.vault import VaultError
from otklik.moderation.models import IntakeMarker, ModerationAction, PageComment
from otklik.moderation.services import comments_ingest
from otklik.pages.models import OfficialPage
from otklik.pages.services import page_access_for

log = logging.getLogger(__name__)
A = ModerationAction.Kind
MAX_TRIES = 6
RECENT = timedelta(days=14)  # posts whose comments are polled


def action_execute(pk: int, *, at: datetime | None = None) -> str:
    now = at or timezone.now()
    claimed = ModerationAction.objects.filter(pk=pk, state=ModerationAction.State.PENDING).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)).update(attempts=F("attempts") + 1,
                                                                            next_attempt_at=now + timedelta(minutes=2))
    if not claimed:
        return ModerationAction.objects.filter(pk=pk).values_list("state", flat=True).first() or ""
    action = ModerationAction.objects.select_related("page", "comment").get(pk=pk)
    try:
        client = clients.client_for(action.page.network, page_access_for(action.page))
        target = Target(action.comment.post_id, action.comment.network_id) if action.comment else Target("")
        if action.kind == A.DELETE:
            try:
                client.delete_comment(target)
            except NetworkError as exc:
                if exc.kind != ErrorKind.NOT_FOUND:
                    raise
        elif action.kind == A.RESTORE:
            client.restore_comment(target)
        elif action.kind == A.BAN:
            client.ban(action.author_id, action.reason)
        elif action.kind == A.UNBAN:
            client.unban(action.author_id)
    except VaultError as exc:
        return _failed(action, str(exc))
    except NetworkError as exc:
        if exc.kind in (ErrorKind.RATE_LIMITED, ErrorKind.RETRY, ErrorKind.TIMEOUT) and action.attempts < MAX_TRIES:
            wait = exc.retry_after if exc.kind == ErrorKind.RATE_LIMITED and exc.retry_after else 30 * action.attempts
            ModerationAction.objects.filter(pk=pk).update(next_attempt_at=now + timedelta(seconds=wait),
                                                          error=exc.message_ru)
            return ModerationAction.State.PENDING
        return _failed(action, exc.message_ru)
    ModerationAction.objects.filter(pk=pk).update(state=ModerationAction.State.DONE, error="")
    return ModerationAction.State.DONE


def _failed(action: ModerationAction, message: str) -> str:
    ModerationAction.objects.filter(pk=action.pk).update(state=ModerationAction.State.FAILED, error=message)
    return ModerationAction.State.FAILED


def actions_sweep(*, at: datetime | None = None) -> int:
    now = at or timezone.now()
    due = list(ModerationAction.objects.filter(state=ModerationAction.State.PENDING).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)).values_list("pk", flat=True)[:500])
    for pk in due:
        try:
            action_execute(pk, at=now)
        except Exception:
            log.exception("moderation action %s", pk)
    return len(due)


# ---------------------------------------------------------------- polling

PAGE_WIDE = {"telegram", "max"}  # one stream of updates for the whole page (bot)


def _known_posts(page: OfficialPage, now: datetime) -> list[str]:
    """The page's posts whose comments are read: ours, those commented lately, those in incidents."""
    from otklik.incidents.models import Incident
    from otklik.incidents.publishing import page_for
    from otklik.posts.models import PostTarget

    since = now - RECENT
    posts = set(PostTarget.objects.filter(page=page, published_at__gte=since).exclude(network_post_id="")
                .values_list("network_post_id", flat=True))
    posts |= set(PageComment.objects.filter(page=page, received_at__gte=since).exclude(post_id="")
                 .values_list("post_id", flat=True))
    for incident in Incident.objects.filter(municipality_id=page.municipality_id, network=page.network,
                                            created_at__gte=since):
        match = page_for(incident)
        if match is not None and match.page.pk == page.pk and match.target.post_id:
            posts.add(match.target.post_id)
    posts |= set(IntakeMarker.objects.filter(page=page).filter(Q(polled_at__isnull=True) | Q(polled_at__gte=since))
                 .exclude(scope="").values_list("scope", flat=True))
    return sorted(posts)


def page_poll(page: OfficialPage, *, at: datetime | None = None) -> int:
    """Read what is new on the page since the last poll; returns the comments stored."""
    now = at or timezone.now()
    client = clients.client_for(page.network, page_access_for(page))
    scopes = [""] if page.network in PAGE_WIDE else _known_posts(page, now)
    stored = 0
    for scope in scopes:
        marker, _ = IntakeMarker.objects.get_or_create(page=page, scope=scope)
        if page.network == "max":
            batch = client.new_comments(marker.marker)  # type: ignore[attr-defined]
        else:
            batch = client.comments(scope, marker.marker)
        stored += len(comments_ingest(page=page, comments=batch.comments, via="poll", at=now))
        # The marker moves only after the comments are stored: a crash re-reads, never skips.
        IntakeMarker.objects.filter(pk=marker.pk).update(marker=batch.marker, polled_at=now)
    return stored


def pages_poll(*, at: datetime | None = None) -> int:
    total = 0
    for page in OfficialPage.objects.exclude(token_sealed="").exclude(external_id=""):
        try:
            total += page_poll(page, at=at)
        except (NetworkError, VaultError) as exc:
            log.warning("polling page %s: %s", page.pk, exc)
        except Exception:
            log.exception("polling page %s", page.pk)
    return total
