"""The sandbox's MAX: the Bot API paths, auth and JSON shapes the client uses, on the World.

Ids: a World post or comment number n is the mid ``"mid.<n as 32 hex digits>"``; timestamps
are milliseconds (the World's seconds × 1000 + the number, so order is stable). The page's
bot is user 229229229 (the Go client's test stub); its comments are stored as author "page".
Uploads are stateless: the upload URL names the kind and the token carries the file name.
Whether a channel is private or closed is sandbox state outside the World (`set_closed`): it
shows in GET /chats/{chatId} as ``is_public`` and ``status``.
"""

from __future__ import annotations

import base64
import re
from typing import Any

from otklik.channels.sandbox.bots import bot_for, max_handle
from otklik.channels.sandbox.world import (
    Failure,
    SbComment,
    SbPage,
    SbPost,
    SbRequest,
    SbResponse,
    World,
)

NETWORK = "max"
BOT_ID = 229229229
_TYPES = {"comment_new": "comment_created", "comment_edit": "comment_edited",
          "comment_delete": "comment_removed"}


def set_closed(world: World, page: SbPage, *, private: bool = False, closed: bool = False) -> None:
    """Make the channel non-public and/or closed; False reopens."""
    world.set_flags(page, private=private, closed=closed)


def _is_closed(world: World, page: SbPage, flag: str) -> bool:
    return world.has_flag(page, flag)


def mid(number: int) -> str:
    return f"mid.{number:032x}"


def number(value: str) -> int:
    """The World number of a mid, or 0."""
    if not re.fullmatch(r"mid\.[0-9a-f]{1,32}", value or ""):
        return 0
    return int(value[4:], 16)


def _error(status: int, code: str, message: str) -> SbResponse:
    return SbResponse.of({"code": code, "message": message}, status=status)


def _failure(world: World, failure: Failure) -> SbResponse:
    if failure.kind == "rate_limit":
        return _error(429, "too.many.requests", "Too many requests")
    if failure.kind == "token_invalid":
        return _error(401, "verify.token", "Invalid access_token")
    if failure.kind == "timeout":
        return SbResponse(status=500, delay=world.timeout_delay)
    return _error(500, "internal.error", "Internal server error")


def _stamp(date: int, n: int) -> int:
    return date * 1000 + n % 1000


def _user(world: World, author_id: str, name: str) -> dict[str, Any]:
    return {"user_id": int(author_id) if author_id.isdigit() else 0, "first_name": name, "last_name": "",
            "is_bot": False, "last_activity_time": 0, "name": name}


def _bot(page: SbPage) -> dict[str, Any]:
    return {"user_id": BOT_ID, "first_name": f"{page.name} бот", "username": "otklik_bot", "is_bot": True,
            "last_activity_time": 0, "name": f"{page.name} бот"}


def post_url(screen_name: str, post_id: int) -> str:
    """The public link the sandbox gives post `post_id` (MAX's `url` field of a message)."""
    code = base64.urlsafe_b64encode(post_id.to_bytes(8, "big")).decode().rstrip("=")
    return f"https://max.ru/{screen_name or 'channel'}/{code}"


def _post_url(page: SbPage, post: SbPost) -> str:
    return post_url(page.screen_name, post.id)


def _message(page: SbPage, post: SbPost) -> dict[str, Any]:
    """Message (schema.yaml): a channel post, posted on behalf of the channel (sender null)."""
    return {
        "sender": None,
        "recipient": {"chat_id": int(page.external_id), "chat_type": "channel", "user_id": None},
        "timestamp": _stamp(post.date, post.id),
        "body": {"mid": mid(post.id), "seq": post.id, "text": post.text,
                 "attachments": [{"type": a.split(":", 1)[0], "payload": {"token": a}} for a in post.attachments]},
        "url": _post_url(page, post),
    }


def _comment(world: World, page: SbPage, comment: SbComment) -> dict[str, Any]:
    """CommentMessage (dev.max.ru objects/CommentMessage)."""
    data: dict[str, Any] = {
        "sender": _bot(page) if comment.author_id == "page" else _user(world, comment.author_id, comment.author_name),
        "recipient": {"chat_id": int(page.external_id), "chat_type": "channel", "post_id": mid(comment.post_id)},
        "timestamp": _stamp(comment.date, comment.id),
        "body": {"mid": mid(comment.id), "seq": comment.id, "text": comment.text},
    }
    if comment.reply_to:
        data["link"] = {"type": "reply", "message": {"mid": mid(comment.reply_to), "seq": comment.reply_to}}
    return data


def handle(world: World, req: SbRequest) -> SbResponse:
    """One Bot API request: auth by the Authorization header, then the method."""
    path = req.path.strip("/")
    staff_bot = bot_for(world, NETWORK, req.headers.get("authorization", ""))
    if staff_bot is not None:  # the staff bot: dialogs with staff (sandbox/bots.py)
        return max_handle(world, staff_bot, req)
    if path.startswith("upload/"):
        return _upload(world, req, path)
    method = _method_name(req.method, path)
    if method is None:
        return _error(404, "not.found", f"Path /{path} not found")
    failure = world.take_failure(NETWORK, method)
    if failure is not None and not (failure.kind == "timeout" and failure.after_accept):
        return _failure(world, failure)
    page = world.page_by_token(NETWORK, req.headers.get("authorization", "")) if req.headers.get(
        "authorization") else None
    if page is None:
        return _error(401, "verify.token", "Invalid access_token")
    with world.lock:
        resp = _route(world, page, req, path, method)
    if failure is not None:  # a timeout after the action was carried out
        resp.delay = world.timeout_delay
    return resp


def _method_name(verb: str, path: str) -> str | None:
    """The schema's operationId of a request (the name failures are injected by)."""
    routes = [
        ("GET", r"me", "getMyInfo"), ("GET", r"chats/-?\d+", "getChat"),
        ("GET", r"chats/-?\d+/members/me", "getMembership"), ("DELETE", r"chats/-?\d+/members", "removeMember"),
        ("POST", r"uploads", "getUploadUrl"), ("POST", r"messages", "sendMessage"),
        ("GET", r"messages", "getMessages"), ("DELETE", r"messages", "deleteMessage"),
        ("PUT", r"messages", "editMessage"),
        ("GET", r"messages/[\w.\-]+", "getMessageById"), ("GET", r"messages/[\w.\-]+/comments", "getComments"),
        ("GET", r"messages/[\w.\-]+/comments/[\w.\-]+", "getComment"),
        ("POST", r"messages/[\w.\-]+/comments", "sendComment"),
        ("DELETE", r"messages/[\w.\-]+/comments", "deleteComment"),
        ("GET", r"updates", "getUpdates"), ("POST", r"subscriptions", "subscribe"),
    ]
    return next((name for v, pattern, name in routes if v == verb and re.fullmatch(pattern, path)), None)


def _route(world: World, page: SbPage, req: SbRequest, path: str, method: str) -> SbResponse:
    parts = path.split("/")
    if method == "getMyInfo":
        return SbResponse.of(_bot(page))
    if method in ("getChat", "getMembership", "removeMember"):
        if parts[1] != page.external_id:
            return _error(403, "chat.denied", "Bot is not a member of this chat")
        if method == "getChat":
            public = not _is_closed(world, page, "private")
            return SbResponse.of({"chat_id": int(page.external_id), "type": "channel",
                                  "status": "closed" if _is_closed(world, page, "closed") else "active",
                                  "title": page.name, "last_event_time": 0, "participants_count": 3,
                                  "is_public": public,
                                  "link": f"https://max.ru/{page.screen_name}" if public else "https://max.ru/join/sb",
                                  "description": None, "icon": None})
        if method == "getMembership":
            return SbResponse.of({**_bot(page), "is_owner": False, "is_admin": True, "join_time": 0,
                                  "last_access_time": 0, "alias": None,
                                  "permissions": ["read_all_messages", "add_remove_members", "write", "delete", "edit"]})
        user = req.arg("user_id")
        if not user.isdigit():
            return _error(400, "proto.payload", "user_id is required")
        page.banned[user] = "block" if req.arg("block") == "true" else ""
        return SbResponse.of({"success": True})
    if method == "getUploadUrl":
        kind = req.arg("type")
        if kind not in ("image", "video", "audio", "file"):
            return _error(400, "proto.payload", "Invalid upload type")
        token = {"token": "video:upload"} if kind == "video" else {}  # MAX hands video tokens out with the URL
        return SbResponse.of({"url": f"{req.base}/max/upload/{kind}", **token})
    if method == "sendMessage":
        return _send_message(world, page, req)
    if method == "getMessages":
        if req.arg("chat_id") and req.arg("chat_id") != page.external_id:
            return _error(403, "chat.denied", "Bot is not a member of this chat")
        posts = sorted((p for p in page.posts.values() if not p.deleted), key=lambda p: -p.id)
        return SbResponse.of({"messages": [_message(page, p) for p in posts[: int(req.arg("count", "50"))]]})
    if method == "deleteMessage":
        post = page.posts.get(number(req.arg("message_id")))
        if post is None or post.deleted:
            return _error(404, "not.found", "Message not found")
        post.deleted = True
        return SbResponse.of({"success": True})
    if method == "editMessage":
        return _edit_message(page, req)
    if method == "getUpdates":
        return _updates(world, page, req)
    if method == "subscribe":
        return SbResponse.of({"success": True})  # nothing to keep in the sandbox
    post = page.posts.get(number(parts[1]))
    if post is None or post.deleted:
        return _error(404, "not.found", "Message not found")
    if method == "getMessageById":
        return SbResponse.of(_message(page, post))
    if method == "getComments":
        return _comments(world, page, req, post)
    if method == "getComment":
        comment = page.comments.get(number(parts[3]))
        if comment is None or comment.deleted or comment.post_id != post.id:
            return _error(404, "not.found", "Comment not found")
        return SbResponse.of(_comment(world, page, comment))
    if method == "sendComment":
        return _send_comment(world, page, req, post)
    if method == "deleteComment":
        comment = page.comments.get(number(req.arg("comment_id")))
        if comment is None or comment.deleted or comment.post_id != post.id:
            return _error(404, "not.found", "Comment not found")
        comment.deleted = True
        world.emit(NETWORK, page.external_id, "comment_delete", post.id, comment.id)
        return SbResponse.of({"success": True})
    return _error(405, "method.not.allowed", "Method not allowed")


def _send_message(world: World, page: SbPage, req: SbRequest) -> SbResponse:
    if req.arg("chat_id") != page.external_id:
        return _error(403, "chat.denied", "Bot is not a member of this chat")
    body = req.json()
    if not isinstance(body, dict):
        return _error(400, "proto.payload", "Invalid request body")
    text = str(body.get("text") or "")
    if len(text) > 4000:
        return _error(400, "proto.payload", "text: size must be between 0 and 4000")
    attachments = []
    for item in body.get("attachments") or []:
        token = str((item.get("payload") or {}).get("token") or "")
        kind, _, name = token.partition(":")
        if kind not in ("photo", "video") or not name:
            return _error(400, "attachment.invalid", "Invalid attachment token")
        attachments.append(token)
    post = page.add_post(text, attachments)
    world.emit(NETWORK, page.external_id, "post_new", post.id)
    return SbResponse.of({"message": _message(page, post)})


def _edit_message(page: SbPage, req: SbRequest) -> SbResponse:
    """PUT /messages?message_id=: NewMessageBody; attachments null = unchanged, [] = removed."""
    post = page.posts.get(number(req.arg("message_id")))
    if post is None or post.deleted:
        return _error(404, "not.found", "Message not found")
    body = req.json()
    if not isinstance(body, dict):
        return _error(400, "proto.payload", "Invalid request body")
    text = str(body.get("text") or "")
    if len(text) > 4000:
        return _error(400, "proto.payload", "text: size must be between 0 and 4000")
    if isinstance(body.get("attachments"), list):
        post.attachments = [str((a.get("payload") or {}).get("token") or "") for a in body["attachments"]
                            if isinstance(a, dict)]
    post.text = text
    return SbResponse.of({"success": True})


def _send_comment(world: World, page: SbPage, req: SbRequest, post: SbPost) -> SbResponse:
    body = req.json()
    if not isinstance(body, dict) or not str(body.get("text") or ""):
        return _error(400, "proto.payload", "text is required")
    text = str(body["text"])
    if len(text) > 4000:
        return _error(400, "proto.payload", "text: size must be between 0 and 4000")
    reply_to = 0
    link = body.get("link")
    if isinstance(link, dict):
        target = page.comments.get(number(str(link.get("mid") or "")))
        if link.get("type") != "reply" or target is None or target.post_id != post.id:
            return _error(400, "proto.payload", "Invalid link")
        reply_to = target.id
    comment = page.add_comment(post.id, "page", page.name, text, reply_to=reply_to)
    world.emit(NETWORK, page.external_id, "comment_new", post.id, comment.id)
    return SbResponse.of({"message": _comment(world, page, comment)})


def _comments(world: World, page: SbPage, req: SbRequest, post: SbPost) -> SbResponse:
    """GET /messages/{mid}/comments: newest first, `after`/`before` are exclusive times (ms)."""
    found = [c for c in page.thread(post.id) if not c.deleted]
    if req.arg("comment_ids"):
        wanted = {number(x) for x in req.arg("comment_ids").split(",")}
        found = [c for c in found if c.id in wanted]
    after, before = int(req.arg("after") or 0), int(req.arg("before") or 0)
    found = [c for c in found if _stamp(c.date, c.id) > after and (not before or _stamp(c.date, c.id) < before)]
    found.sort(key=lambda c: (_stamp(c.date, c.id), c.id), reverse=True)
    count = max(1, min(100, int(req.arg("count") or 50)))
    return SbResponse.of({"messages": [_comment(world, page, c) for c in found[:count]]})


def _updates(world: World, page: SbPage, req: SbRequest) -> SbResponse:
    """GET /updates: the World's comment updates of this page after `marker` (a World seq)."""
    marker = int(req.arg("marker") or 0)
    wanted = set(filter(None, req.arg("types").split(","))) or set(_TYPES.values())
    found = world.updates_after(NETWORK, marker, page.external_id)
    updates: list[dict[str, Any]] = []
    for update in found:
        kind = _TYPES.get(update.type)
        if kind is None or kind not in wanted:
            continue
        comment = page.comments.get(update.comment_id)
        if comment is None:
            continue
        if kind == "comment_removed":
            updates.append({"update_type": kind, "timestamp": _stamp(comment.date, comment.id),
                            "message_id": mid(comment.id), "chat_id": int(page.external_id),
                            "user_id": BOT_ID, "post_id": mid(comment.post_id)})
        else:
            updates.append({"update_type": kind, "timestamp": _stamp(comment.date, comment.id),
                            "message": _comment(world, page, comment)})
    last = found[-1].seq if found else marker
    return SbResponse.of({"updates": updates, "marker": last})


def _upload(world: World, req: SbRequest, path: str) -> SbResponse:
    """The upload URL: multipart field "data"; an image answers {"photos": {id: {"token"}}}."""
    failure = world.take_failure(NETWORK, "upload")
    if failure is not None and not (failure.kind == "timeout" and failure.after_accept):
        return _failure(world, failure)
    kind = path.split("/")[1]
    name, content = req.files().get("data", ("", b""))
    if not content:
        return _error(400, "upload.empty", "No file in field data")
    token = f"{'photo' if kind == 'image' else kind}:{name or 'file'}"
    if kind == "image":
        return SbResponse.of({"photos": {f"sb{len(content)}": {"token": token}}})
    return SbResponse(body=b"<retval>1</retval>", content_type="text/xml")
