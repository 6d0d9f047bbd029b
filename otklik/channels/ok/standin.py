"""The sandbox's Odnoklassniki: `fb.do` (signed REST calls) and `upload` (photo upload host).

Same paths, parameters, signature rule and JSON shapes as the real API for what
`otklik.channels.ok.client` calls, over the World's pages. OK sandbox pages share one OK
application, `APP_KEY`/`APP_SECRET` below (OK: one application per installation); the page's
`token` is its administrator's access_token. Errors are OK's: HTTP 200 and
{"error_code", "error_msg", "error_data"}.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import time
import weakref
from typing import Any

from otklik.channels.ok.client import MOSCOW, signature
from otklik.channels.sandbox.world import (
    Failure,
    SbComment,
    SbPage,
    SbPost,
    SbRequest,
    SbResponse,
    World,
)

NETWORK = "ok"
APP_KEY = "CBASANDBOXOKAPP"
APP_SECRET = "sandbox-ok-application-secret"  # noqa: S105  # a fixed stand-in key, not a real one
ADMIN_UID = "577000000001"
GROUP = "GROUP_TOPIC"

# What SbPage does not hold, by world: group settings by gid ("access_type" OPEN | CLOSED |
# SECRET, "private") and the polls of topics by topic id ({"question", "answers", "options"}).
_groups: weakref.WeakKeyDictionary[World, dict[str, dict[str, Any]]] = weakref.WeakKeyDictionary()
_polls: weakref.WeakKeyDictionary[World, dict[int, dict[str, Any]]] = weakref.WeakKeyDictionary()


def set_group(world: World, gid: str, **values: Any) -> None:
    """What the group's administrator changed: access_type, private."""
    with world.lock:
        _groups.setdefault(world, {}).setdefault(gid, {}).update(values)


def group_settings(world: World, gid: str) -> dict[str, Any]:
    return {"access_type": "OPEN", "private": False, **_groups.get(world, {}).get(gid, {})}


def poll_of(world: World, topic_id: int) -> dict[str, Any] | None:
    return _polls.get(world, {}).get(topic_id)


def _error(code: int, message: str) -> SbResponse:
    return SbResponse.of({"error_code": code, "error_msg": message, "error_data": None})


class _Fail(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _params(req: SbRequest) -> dict[str, str]:
    found = {k: v[0] for k, v in req.query.items()}
    found.update(req.form())
    return found


def handle(world: World, req: SbRequest) -> SbResponse:
    if req.path == "upload":
        return _upload(req)
    if req.path != "fb.do":
        return SbResponse.of({"error": "not found"}, status=404)
    params = _params(req)
    method = params.get("method", "")
    if params.get("application_key") != APP_KEY:
        return _error(101, "PARAM_API_KEY : Application key is wrong")
    page = world.page_by_token(NETWORK, params.get("access_token", ""))
    if page is None:
        return _error(102, "PARAM_SESSION_EXPIRED : Session expired")
    expected = signature(params, page.token, APP_SECRET)
    if not hmac.compare_digest(params.get("sig", "").lower(), expected):
        return _error(104, "PARAM_SIGNATURE : Invalid signature")
    action = _METHODS.get(method)
    if action is None:
        return _error(3, f"METHOD : Method {method} does not exist")
    failure = world.take_failure(NETWORK, method)
    if failure is not None and not (failure.kind == "timeout" and failure.after_accept):
        return _failed(world, failure)
    try:
        with world.lock:
            result = action(world, page, params, req)
    except _Fail as exc:
        result = _error(exc.code, exc.message)
    if failure is not None:  # a timeout after the action was carried out
        result.delay = world.timeout_delay
    return result


def _failed(world: World, failure: Failure) -> SbResponse:
    if failure.kind == "rate_limit":
        return _error(8, "FLOOD_BLOCKED : Method execution is blocked due to flood")
    if failure.kind == "token_invalid":
        return _error(102, "PARAM_SESSION_EXPIRED : Session expired")
    if failure.kind == "timeout":
        return SbResponse(delay=world.timeout_delay, body=b"{}")
    return _error(2, "SERVICE : Service temporarily unavailable")


def _upload(req: SbRequest) -> SbResponse:
    """The upload host: {"photos": {photo_id: {"token": …}}}; the token names the file."""
    photo_id = (req.query.get("photoIds") or [""])[0]
    parts = req.files()
    if not photo_id or "pic1" not in parts:
        return _error(21, "NOT_MULTIPART : Non multi-part request")
    name = parts["pic1"][0] or "photo.jpg"
    return SbResponse.of({"photos": {photo_id: {"token": f"sbphoto:{name}"}}})


# -- shapes
def _date(unix: int) -> str:
    return dt.datetime.fromtimestamp(unix, MOSCOW).strftime("%Y-%m-%d %H:%M:%S")


def _comment_json(page: SbPage, c: SbComment) -> dict[str, Any]:
    """As recorded from discussions.getComments (see tests/test_client.py for the source)."""
    by_page = c.author_id == "page"
    data: dict[str, Any] = {
        "id": str(c.id), "type": "ACTIVE_MESSAGE", "text": c.text, "date": _date(c.date),
        "author_id": page.external_id if by_page else c.author_id,
        "author_name": page.name if by_page else c.author_name,
        "like_count": 0, "liked_it": False, "attrs": {"flags": "l,s"},
    }
    if by_page:
        data["author_type"] = "GROUP"
    parent = page.comments.get(c.reply_to)
    if parent is not None:
        data["reply_to_comment_id"] = str(parent.id)
        data["reply_to_id"] = page.external_id if parent.author_id == "page" else parent.author_id
    return data


def _post(page: SbPage, params: dict[str, str], key: str) -> SbPost:
    raw = params.get(key, "")
    post = page.posts.get(int(raw)) if raw.isdigit() else None
    if post is None or post.deleted:
        raise _Fail(300, "NOT_FOUND : Discussion not found")
    return post


def _live(page: SbPage, post: SbPost) -> list[SbComment]:
    return [c for c in page.thread(post.id) if not c.deleted]


# -- methods
def _current_user(world: World, page: SbPage, params: dict[str, str], req: SbRequest) -> SbResponse:
    return SbResponse.of({"uid": ADMIN_UID, "name": "Администратор", "first_name": "Администратор"})


def _group_info(world: World, page: SbPage, params: dict[str, str], req: SbRequest) -> SbResponse:
    groups = [p for p in world.pages_of(NETWORK) if p.external_id in params.get("uids", "").split(",")]
    fields = params.get("fields", "").lower().split(",")
    found = []
    for group in groups:
        item: dict[str, Any] = {"uid": group.external_id, "name": group.name}
        settings = group_settings(world, group.external_id)
        item.update({k: v for k, v in settings.items() if k in fields})  # only what was asked for
        found.append(item)
    return SbResponse.of(found)


def _user_groups(world: World, page: SbPage, params: dict[str, str], req: SbRequest) -> SbResponse:
    gid = params.get("group_id", "")
    status = "ADMIN" if gid == page.external_id else "UNKNOWN"
    return SbResponse.of([{"groupId": gid, "userId": uid, "status": status}
                          for uid in params.get("uids", "").split(",") if uid])


def _has_permission(world: World, page: SbPage, params: dict[str, str], req: SbRequest) -> SbResponse:
    return SbResponse.of(True)


def _upload_url(world: World, page: SbPage, params: dict[str, str], req: SbRequest) -> SbResponse:
    if params.get("gid") != page.external_id:
        raise _Fail(10, "PERMISSION_DENIED : Not allowed for this group")
    photo_id = f"sb{page.new_id()}"
    now_ms = int(time.time() * 1000)
    return SbResponse.of({"upload_url": f"{req.base}/ok/upload?photoIds={photo_id}",
                          "photo_ids": [photo_id], "expires_ms": now_ms + 86_400_000,
                          "ttl_ms": 86_400_000})


def _media(params: dict[str, str]) -> tuple[str, list[str], dict[str, Any] | None]:
    """mediatopic.post/edit `attachment` → (text, attachments, poll)."""
    try:
        attachment = json.loads(params.get("attachment", ""))
        media = attachment["media"]
        if not isinstance(media, list) or not all(isinstance(m, dict) for m in media):
            raise TypeError("media")
    except (ValueError, KeyError, TypeError) as exc:
        raise _Fail(100, "PARAM : attachment is not valid") from exc
    texts = [str(m.get("text", "")) for m in media if m.get("type") == "text"]
    attachments = [f"photo:{str(p.get('id', '')).removeprefix('sbphoto:')}"
                   for m in media if m.get("type") == "photo" for p in m.get("list", [])]
    poll = None
    for block in (m for m in media if m.get("type") == "poll"):
        answers = block.get("answers")
        question = str(block.get("question") or "").strip()
        if not question or not isinstance(answers, list) or not answers \
                or not all(isinstance(a, dict) and str(a.get("text") or "").strip() for a in answers):
            raise _Fail(100, "PARAM : poll is not valid")
        poll = {"question": question, "answers": [str(a["text"]) for a in answers],
                "options": str(block.get("options") or "")}
        attachments.append(f"poll:{question}")
    if not texts and not attachments:
        raise _Fail(100, "PARAM : attachment is empty")
    return "\n".join(texts), attachments, poll


def _own_group(page: SbPage, params: dict[str, str]) -> None:
    if params.get("gid") != page.external_id:
        raise _Fail(10, "PERMISSION_DENIED : Not allowed for this group")


def _mediatopic_post(world: World, page: SbPage, params: dict[str, str], req: SbRequest) -> SbResponse:
    _own_group(page, params)
    if params.get("type") != "GROUP_THEME":
        raise _Fail(100, "PARAM : type must be GROUP_THEME with gid")
    text, attachments, poll = _media(params)
    post = page.add_post(text, attachments)
    if poll is not None:
        _polls.setdefault(world, {})[post.id] = poll
    world.emit(NETWORK, page.external_id, "post_new", post.id)
    return SbResponse.of(str(post.id))  # OK answers the topic id as a bare JSON string


def _mediatopic_edit(world: World, page: SbPage, params: dict[str, str], req: SbRequest) -> SbResponse:
    """The whole topic is replaced by the new attachment."""
    _own_group(page, params)
    post = _post(page, params, "topic_id")
    text, attachments, poll = _media(params)
    post.text, post.attachments = text, attachments
    if poll is not None:
        _polls.setdefault(world, {})[post.id] = poll
    else:
        _polls.get(world, {}).pop(post.id, None)
    return SbResponse.of({"success": True})


def _delete_topic(world: World, page: SbPage, params: dict[str, str], req: SbRequest) -> SbResponse:
    _own_group(page, params)
    post = _post(page, params, "topic_id")
    post.deleted = True
    return SbResponse.of({"success": True, "restore_id": f"r{post.id}"})


def _topic_json(page: SbPage, post: SbPost) -> dict[str, Any]:
    media: list[dict[str, Any]] = [{"type": "text", "text": post.text}] if post.text else []
    for item in post.attachments:
        kind, _, name = item.partition(":")
        media.append({"type": kind, "photo_refs": [f"photo:{name}"]} if kind == "photo"
                     else {"type": kind, "poll_ref": f"poll:{post.id}"})
    return {"id": str(post.id), "created_ms": post.date * 1000, "owner_ref": f"group:{page.external_id}",
            "author_ref": f"group:{page.external_id}", "media": media,
            "discussion_summary": {"comments_count": len(_live(page, post))}}


def _get_by_ids(world: World, page: SbPage, params: dict[str, str], req: SbRequest) -> SbResponse:
    topics = []
    for raw in params.get("topic_ids", "").split(","):
        post = page.posts.get(int(raw)) if raw.isdigit() else None
        if post is None or post.deleted:
            continue
        topics.append(_topic_json(page, post))
    return SbResponse.of({"media_topics": topics,
                          "entities": {"groups": [{"uid": page.external_id, "name": page.name}]}})


def _get_topics(world: World, page: SbPage, params: dict[str, str], req: SbRequest) -> SbResponse:
    """The group's topics, newest first, paged by an opaque anchor (here: a position)."""
    _own_group(page, params)
    posts = sorted((p for p in page.posts.values() if not p.deleted), key=lambda p: p.id, reverse=True)
    count = max(1, min(int(params.get("count", "20") or 20), 100))
    anchor = params.get("anchor", "")
    start = int(anchor) if anchor.isdigit() else 0
    chunk = posts[start:start + count]
    return SbResponse.of({"media_topics": [_topic_json(page, p) for p in chunk],
                          "anchor": str(start + len(chunk)), "has_more": start + len(chunk) < len(posts),
                          "entities": {"groups": [{"uid": page.external_id, "name": page.name}]}})


def _get_comments(world: World, page: SbPage, params: dict[str, str], req: SbRequest) -> SbResponse:
    """Paged by an opaque anchor (here: a position) in either direction, oldest first."""
    post = _post(page, params, "discussionId")
    thread = _live(page, post)
    count = max(1, min(int(params.get("count", "20") or 20), 100))
    anchor = params.get("anchor", "FIRST")
    backward = params.get("direction", "FORWARD") == "BACKWARD"
    if anchor in ("LAST", "FIRST", ""):
        position = len(thread) if anchor == "LAST" else 0
    elif anchor.isdigit():
        position = min(int(anchor), len(thread))
    else:
        raise _Fail(100, "PARAM : anchor is not valid")
    if backward:
        start = max(0, position - count)
        chunk, next_anchor, more = thread[start:position], start, start > 0
    else:
        end = min(len(thread), position + count)
        chunk, next_anchor, more = thread[position:end], end, end < len(thread)
    return SbResponse.of({"discussionId": str(post.id), "discussionType": GROUP,
                          "anchor": str(next_anchor), "has_more": more,
                          "comments": [_comment_json(page, c) for c in chunk]})


def _get_comment(world: World, page: SbPage, params: dict[str, str], req: SbRequest) -> SbResponse:
    post = _post(page, params, "discussionId")
    raw = params.get("comment_id", "")
    comment = page.comments.get(int(raw)) if raw.isdigit() else None
    if comment is None or comment.post_id != post.id:
        raise _Fail(700, "COMMENT_NOT_FOUND : Comment not found")
    if comment.deleted:
        raise _Fail(702, "COMMENT_NOT_ACTIVE : Comment was removed")
    return SbResponse.of(_comment_json(page, comment))


def _add_comment(world: World, page: SbPage, params: dict[str, str], req: SbRequest) -> SbResponse:
    if params.get("entityType") != GROUP:
        raise _Fail(100, "PARAM : entityType")
    post = _post(page, params, "entityId")
    if not post.comments_open:
        raise _Fail(10, "PERMISSION_DENIED : Comments are closed")
    text = params.get("comment", "")
    if not text.strip():
        raise _Fail(100, "PARAM : comment is empty")
    reply_to = 0
    if params.get("reply_to_comment_id"):
        parent_id = params["reply_to_comment_id"]
        parent = page.comments.get(int(parent_id)) if parent_id.isdigit() else None
        if parent is None or parent.deleted or parent.post_id != post.id:
            raise _Fail(700, "COMMENT_NOT_FOUND : Comment not found")
        reply_to = parent.id
    # as_admin=true writes as the group itself; the sandbox stores it as "page"
    author = "page" if params.get("as_admin") == "true" else ADMIN_UID
    comment = page.add_comment(post.id, author, page.name, text.strip(), reply_to=reply_to)
    world.emit(NETWORK, page.external_id, "comment_new", post.id, comment.id)
    return SbResponse.of(str(comment.id))


def _delete_comment(world: World, page: SbPage, params: dict[str, str], req: SbRequest) -> SbResponse:
    post = _post(page, params, "discussionId")
    raw = params.get("comment_id", "")
    comment = page.comments.get(int(raw)) if raw.isdigit() else None
    if comment is None or comment.post_id != post.id or comment.deleted:
        raise _Fail(700, "COMMENT_NOT_FOUND : Comment not found")
    comment.deleted = True
    if params.get("block_author") == "true" and comment.author_id != "page":
        page.banned[comment.author_id] = ""
    world.emit(NETWORK, page.external_id, "comment_delete", post.id, comment.id)
    return SbResponse.of(True)


_METHODS = {
    "users.getCurrentUser": _current_user,
    "group.getInfo": _group_info,
    "group.getUserGroupsByIds": _user_groups,
    "users.hasAppPermission": _has_permission,
    "photosV2.getUploadUrl": _upload_url,
    "mediatopic.post": _mediatopic_post,
    "mediatopic.getByIds": _get_by_ids,
    "mediatopic.edit": _mediatopic_edit,
    "mediatopic.deleteTopic": _delete_topic,
    "mediatopic.getTopics": _get_topics,
    "discussions.getComments": _get_comments,
    "discussions.getComment": _get_comment,
    "discussions.addDiscussionComment": _add_comment,
    "discussions.deleteDiscussionComment": _delete_comment,
}
