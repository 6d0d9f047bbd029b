"""The networks' webhooks (comments pushed to us) and the moderation log in the API.

The webhooks carry no API key: each is checked with the page's own secret (VK: the `secret`
field of the Callback API; Telegram: the `X-Telegram-Bot-Api-Secret-Token` header; MAX: the
`X-Max-Bot-Api-Secret` header) and answers in the shape the network expects.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from otklik.api import schemas as s
from otklik.api.auth import key_of
from otklik.channels import clients
from otklik.channels.base import ErrorKind, NetworkError
from otklik.core.vault import VaultError
from otklik.moderation.models import ModerationAction, ModerationRule
from otklik.moderation.services import callback_secret, comments_ingest
from otklik.pages.models import OfficialPage

router = Router(tags=["Модерация"])
ERRORS: dict[int, type[Schema]] = {c: s.ErrorOut for c in (400, 401, 403, 404, 409, 413, 422)}


def _text(body: str, status: int = 200) -> HttpResponse:
    return HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")


def _webhook(request: HttpRequest, network: str, page_id: int) -> HttpResponse:
    page = OfficialPage.objects.filter(pk=page_id, network=network).first() if 0 < page_id < 2**63 else None
    if page is None:
        return _text("unknown page", 404)
    try:
        secret = callback_secret(page)
    except VaultError:
        return _text("secret unreadable", 500)
    if not secret:
        return _text("no secret configured", 403)
    rule = ModerationRule.objects.filter(page=page).first()
    headers = {k.lower(): v for k, v in request.headers.items()}
    try:
        push = clients.parse_webhook(network, headers, request.body, secret,
                                     rule.callback_confirmation if rule else "")
    except NetworkError as exc:
        return _text("forbidden" if exc.kind == ErrorKind.FORBIDDEN else "bad request",
                     403 if exc.kind == ErrorKind.FORBIDDEN else 400)
    key = clients.page_key(network, page.external_id)
    if push.page_key and push.page_key not in (key, page.discussion_chat_id.strip()):
        return _text("another page", 403)
    if network == "vk" and push.reply != "ok":
        return _text(push.reply)  # the confirmation code VK asked for
    comments_ingest(page=page, comments=push.comments, via="push")
    return _text(push.reply)


@router.post("/channels/vk/callback/{page_id}", auth=None, include_in_schema=False)
def vk_callback(request: HttpRequest, page_id: int) -> HttpResponse:
    """VK Callback API: confirmation, then wall_reply_new/edit/restore; answers «ok»."""
    return _webhook(request, "vk", page_id)


@router.post("/channels/telegram/webhook/{page_id}", auth=None, include_in_schema=False)
def telegram_webhook(request: HttpRequest, page_id: int) -> HttpResponse:
    return _webhook(request, "telegram", page_id)


@router.post("/channels/max/webhook/{page_id}", auth=None, include_in_schema=False)
def max_webhook(request: HttpRequest, page_id: int) -> HttpResponse:
    return _webhook(request, "max", page_id)


class ModerationOut(Schema):
    id: int
    at: datetime
    page_id: int
    page: str
    action: str
    action_label: str
    automatic: bool
    reason: str
    comment_id: str
    comment_text: str
    codes: list[str]
    author_id: str
    actor: str
    state: str
    error: str
    undone: bool


class ModerationFilter(Schema):
    page: Annotated[int, Field(ge=1, le=2**63 - 1)] | None = None
    limit: Annotated[int, Field(ge=1, le=500)] = 100
    offset: Annotated[int, Field(ge=0, le=10**9)] = 0


@router.get("/moderation", response={200: list[ModerationOut], **ERRORS}, operation_id="moderation_list",
            summary="Решения модерации с основаниями (по странице: page=ID)")
def moderation_list(request: HttpRequest, filters: Query[ModerationFilter]) -> list[dict[str, Any]]:
    key = key_of(request)
    rows = ModerationAction.objects.filter(key.municipality_q("page__municipality")).select_related(
        "page", "comment", "actor")
    if filters.page is not None:
        rows = rows.filter(page_id=filters.page)
    return [{"id": a.pk, "at": a.at, "page_id": a.page_id, "page": a.page.name, "action": a.kind,
             "action_label": a.get_kind_display(), "automatic": a.auto, "reason": a.reason,
             "comment_id": a.comment.network_id if a.comment else "", "comment_text": a.comment.text if a.comment
             else "", "codes": a.comment.codes if a.comment else [], "author_id": a.author_id,
             "actor": a.actor.full_name if a.actor else "Отклик (правило страницы)", "state": a.state,
             "error": a.error, "undone": a.undone_by_id is not None}
            for a in rows[filters.offset:filters.offset + filters.limit]]
