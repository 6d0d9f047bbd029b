"""The official pages and their posts in the REST API (Прил. 1): the same rules as the interface."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.params.functions import Path as path_param

from otklik.api import schemas as s
from otklik.api.auth import access_of, key_of
from otklik.api.errors import DetailError
from otklik.incidents.transitions import Forbidden, Invalid, NotFound, TransitionError
from otklik.pages.models import OfficialPage
from otklik.posts import services as posts
from otklik.posts.models import Post

router = Router(tags=["Официальные страницы"])
PostId: Any = path_param(..., ge=1, le=2**63 - 1, description="Номер публикации")
PERSON_ONLY = "Публикации ведёт ключ сотрудника: выпустите ключ с --person."


# Every answer besides success, as on the incidents' operations (one ErrorOut component).
ERRORS: dict[int, type[Schema]] = {c: s.ErrorOut for c in (400, 401, 403, 404, 409, 413, 422)}


class PageOut(Schema):
    id: int
    network: str
    network_label: str
    name: str
    url: str
    unit: str | None
    phone: str
    responsible: list[str]
    external_id: str
    token_set: bool
    token_ok: bool | None
    page_open: bool | None = None
    comments_open: bool | None = None


class PostFindingOut(Schema):
    code: str
    severity: str
    start: int
    end: int
    message: str
    suggestion: str | None = None


class PostTargetOut(Schema):
    page_id: int
    page: str
    network: str
    state: str
    state_label: str
    network_post_id: str
    url: str
    error: str
    published_at: datetime | None


class PostOut(Schema):
    id: int
    state: str
    state_label: str
    text: str
    text_hash: str
    needs_approval: bool
    publish_at: datetime | None
    approved_by: str | None
    findings: list[PostFindingOut]
    pages: list[PostTargetOut]


class PostPollIn(Schema):
    question: Annotated[str, Field(min_length=1, max_length=255)]
    options: Annotated[list[Annotated[str, Field(min_length=1, max_length=100)]], Field(min_length=2, max_length=10)]
    multiple: bool = False


class PostIn(Schema):
    pages: Annotated[list[s.DbId], Field(min_length=1, max_length=50)]
    text: s.Text
    publish_at: datetime | None = None
    poll: PostPollIn | None = None


class PostApproveIn(Schema):
    text_hash_seen: Annotated[str, Field(min_length=64, max_length=64)] | None = None


def _page_dict(page: OfficialPage) -> dict[str, Any]:
    return {"id": page.pk, "network": page.network, "network_label": page.get_network_display(), "name": page.name,
            "url": page.url, "unit": page.unit.name if page.unit else None, "phone": page.phone,
            "responsible": [p.full_name for p in page.responsible.all()], "external_id": page.external_id,
            "token_set": page.has_token, "token_ok": page.check_ok,
            "page_open": getattr(page, "page_open", None), "comments_open": getattr(page, "comments_open", None)}


def post_dict(post: Post) -> dict[str, Any]:
    return {
        "id": post.pk, "state": post.state, "state_label": posts.scheduled_text(post), "text": post.text,
        "text_hash": post.text_hash, "needs_approval": post.needs_approval, "publish_at": post.publish_at,
        "approved_by": post.approved_by.full_name if post.approved_by else None,
        "findings": post.findings,
        "pages": [{"page_id": t.page_id, "page": t.page.name, "network": t.page.network, "state": t.state,
                   "state_label": t.get_state_display(), "network_post_id": t.network_post_id, "url": t.url,
                   "error": t.last_error, "published_at": t.published_at}
                  for t in post.targets.select_related("page").order_by("page__network", "page_id")],
    }


def _access(request: HttpRequest) -> Any:
    access = access_of(key_of(request))
    if access is None:
        raise HttpError(403, PERSON_ONLY)
    return access


def _call(fn: Any, **kwargs: Any) -> Post:
    try:
        result: Post = fn(**kwargs)
    except NotFound as exc:
        raise HttpError(404, str(exc)) from None
    except Forbidden as exc:
        raise HttpError(403, str(exc)) from None
    except Invalid as exc:
        raise DetailError(422, [{"loc": ["body", exc.field] if exc.field else ["body"], "msg": str(exc),
                                 "type": exc.rule}]) from None
    except TransitionError as exc:
        raise HttpError(409, str(exc)) from None
    return result


@router.get("/pages", response={200: list[PageOut], **ERRORS}, operation_id="page_list",
            summary="Официальные страницы МО ключа (Прил. 1 п. 1–3)")
def page_list(request: HttpRequest) -> list[dict[str, Any]]:
    key = key_of(request)
    pages = (OfficialPage.objects.filter(key.municipality_q()).select_related("unit")
             .prefetch_related("responsible").order_by("unit__name", "network", "name"))
    return [_page_dict(p) for p in pages]


@router.post("/posts", response={201: PostOut, **ERRORS}, operation_id="post_create",
             summary="Публикация на одной или нескольких страницах: проверка стиля (п. 7), согласование (п. 3), "
                     "публикация сразу или в publish_at")
def post_create(request: HttpRequest, payload: PostIn) -> Status[dict[str, Any]]:
    access = _access(request)
    if payload.publish_at is not None and timezone.is_naive(payload.publish_at):
        raise DetailError(422, [{"loc": ["body", "publish_at"], "msg": "Укажите время с часовым поясом.",
                                 "type": "moment"}])
    post = _call(posts.post_create, access=access, page_ids=payload.pages, text=payload.text,
                 publish_at=payload.publish_at, poll=payload.poll.dict() if payload.poll else None)
    return Status(201, post_dict(Post.objects.get(pk=post.pk)))


@router.get("/posts/{post_id}", response={200: PostOut, **ERRORS}, operation_id="post_detail",
            summary="Публикация: состояние на каждой странице, номер в сети, ссылка, ошибка")
def post_detail(request: HttpRequest, post_id: int = PostId) -> dict[str, Any]:
    access = _access(request)
    return post_dict(_call(posts.post_get, access=access, post_id=post_id))


@router.post("/posts/{post_id}/actions/{action}", response={200: PostOut, **ERRORS}, operation_id="post_action",
             summary="Действие с публикацией: согласовать (approve, начальник общего отдела; text_hash_seen — хеш "
                     "текста, который видели), опубликовать сейчас или повторить (publish), удалить и из сетей "
                     "(delete)")
def post_action(request: HttpRequest, action: Literal["approve", "publish", "delete"],
                payload: PostApproveIn | None = None, post_id: int = PostId) -> dict[str, Any]:
    access = _access(request)
    if action == "approve":
        post = _call(posts.post_approve, access=access, post_id=post_id,
                     text_hash_seen=payload.text_hash_seen if payload else None)
    elif action == "publish":
        post = _call(posts.post_publish, access=access, post_id=post_id)
    else:
        post = _call(posts.post_delete, access=access, post_id=post_id)
    return post_dict(Post.objects.get(pk=post.pk))
