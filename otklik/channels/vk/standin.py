"""The sandbox's VK: the API methods the client calls, the upload servers and the Bots Long Poll.

Paths under the sandbox's /vk/: `method/<name>` (api.vk.com/method/<name>: form parameters,
`access_token` and `v`, answers {"response": …} or {"error": {"error_code", "error_msg",
"request_params"}} with HTTP 200, as VK does), `upload/photo/<group>` and
`upload/video/<group>/<id>` (the signed upload URLs VK hands out), `longpoll/<group>` (the server
groups.getLongPollServer names). The token identifies the page, as a real admin token would.
"""

from __future__ import annotations

import hashlib
import json
import time
import weakref
from collections.abc import Callable
from typing import Any

from otklik.channels.sandbox.world import (
    Failure,
    SbComment,
    SbPage,
    SbPost,
    SbRequest,
    SbResponse,
    World,
)

NETWORK = "vk"
# wall | photos | video | groups | offline: what an admin grants Otklik (account.getAppPermissions).
APP_PERMISSIONS = 8192 | 4 | 16 | 262144 | 65536

# Uploaded media by world: photo/video/poll id -> "photo:NAME" / "video:NAME" / "poll:QUESTION"
# (the World keeps only posts).
_media: weakref.WeakKeyDictionary[World, dict[int, str]] = weakref.WeakKeyDictionary()
# Polls by world: poll id -> {"question", "answers", "multiple"} as polls.create received them.
_polls: weakref.WeakKeyDictionary[World, dict[int, dict[str, Any]]] = weakref.WeakKeyDictionary()
# Community settings by world and group id: "is_closed" (0 open, 1 closed, 2 private), "wall"
# (0 disabled, 1 open, 2 limited, 3 closed), "deactivated" ("deleted" | "banned"); SbPage has none.
_settings: weakref.WeakKeyDictionary[World, dict[str, dict[str, Any]]] = weakref.WeakKeyDictionary()


def set_community(world: World, group: str, **values: Any) -> None:
    """What an administrator (or VK) changed in the community: is_closed, wall, deactivated."""
    with world.lock:
        _settings.setdefault(world, {}).setdefault(group, {}).update(values)


def community(world: World, group: str) -> dict[str, Any]:
    return {"is_closed": 0, "wall": 1, **_settings.get(world, {}).get(group, {})}


def poll_of(world: World, poll_id: int) -> dict[str, Any] | None:
    return _polls.get(world, {}).get(poll_id)


class ApiError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def handle(world: World, req: SbRequest) -> SbResponse:
    head, _, rest = req.path.partition("/")
    if head == "method":
        return _method(world, req, rest)
    if head == "upload":
        return _upload(world, req, rest)
    if head == "longpoll":
        return _longpoll(world, req, rest)
    return SbResponse.of({"error": "not found"}, status=404)


# -- API methods
def _error(req: SbRequest, method: str, code: int, message: str) -> SbResponse:
    params = [{"key": k, "value": v} for k, v in sorted(req.form().items()) if k != "access_token"]
    return SbResponse.of({"error": {"error_code": code, "error_msg": message,
                                    "request_params": [{"key": "method", "value": method}, *params]}})


def _failure(req: SbRequest, method: str, failure: Failure) -> SbResponse:
    if failure.kind == "rate_limit":
        return _error(req, method, 6, "Too many requests per second")
    if failure.kind == "token_invalid":
        return _error(req, method, 5, "User authorization failed: invalid access_token (4).")
    return _error(req, method, 10, "Internal server error")


def _method(world: World, req: SbRequest, method: str) -> SbResponse:
    failure = world.take_failure(NETWORK, method)
    late = failure is not None and failure.kind == "timeout" and failure.after_accept
    if failure is not None and not late:
        if failure.kind == "timeout":
            return SbResponse(delay=world.timeout_delay, body=_error(req, method, 10, "Internal server error").body)
        return _failure(req, method, failure)
    page = world.page_by_token(NETWORK, req.arg("access_token"))
    if page is None:
        return _error(req, method, 5, "User authorization failed: invalid access_token (4).")
    action = METHODS.get(method)
    if action is None:
        return _error(req, method, 3, "Unknown method passed")
    try:
        with world.lock:
            result = action(world, page, req)
    except ApiError as exc:
        return _error(req, method, exc.code, exc.message)
    answer = SbResponse.of({"response": result})
    if late:
        answer.delay = world.timeout_delay  # carried out, answered too late: the never-twice case
    return answer


def _int(req: SbRequest, name: str, required: bool = True) -> int:
    value = req.arg(name)
    if not value and not required:
        return 0
    try:
        return int(value)
    except ValueError:
        raise ApiError(100, f"One of the parameters specified was missing or invalid: {name} is invalid") from None


def _group(page: SbPage, req: SbRequest, name: str = "group_id") -> int:
    gid = int(page.external_id)
    if _int(req, name) != gid:
        raise ApiError(15, "Access denied: no access to this group")
    return gid


def _owner(page: SbPage, req: SbRequest) -> int:
    gid = int(page.external_id)
    if _int(req, "owner_id") != -gid:
        raise ApiError(15, "Access denied: no access to this wall")
    return gid


def _from_id(page: SbPage, author_id: str) -> int:
    if author_id == "page":
        return -int(page.external_id)
    try:
        return int(author_id)
    except ValueError:
        return 0


def _root(page: SbPage, comment: SbComment) -> int:
    seen = 0
    while comment.reply_to and comment.reply_to in page.comments and seen < 1000:
        comment = page.comments[comment.reply_to]
        seen += 1
    return comment.id


def _comment_obj(page: SbPage, c: SbComment) -> dict[str, Any]:
    """wall_wall_comment (wall/objects.json)."""
    obj: dict[str, Any] = {"id": c.id, "from_id": _from_id(page, c.author_id), "post_id": c.post_id,
                           "owner_id": -int(page.external_id), "date": c.date,
                           "text": "" if c.deleted else c.text, "parents_stack": []}
    if c.reply_to:
        obj["parents_stack"] = [_root(page, c)]
        obj["reply_to_comment"] = c.reply_to
        parent = page.comments.get(c.reply_to)
        if parent is not None:
            obj["reply_to_user"] = _from_id(page, parent.author_id)
    if c.deleted:
        obj["deleted"] = True
    return obj


def _post_obj(page: SbPage, post: SbPost, world: World | None = None) -> dict[str, Any]:
    """wall_wallpost_full (wall/objects.json), the fields that matter here."""
    gid = int(page.external_id)
    live = [c for c in page.thread(post.id) if not c.deleted]
    known = _media.get(world, {}) if world is not None else {}
    attachments = []
    for item in post.attachments:
        kind, _, name = item.partition(":")
        obj: dict[str, Any] = {"title": name} if kind != "poll" else {"question": name}
        media_id = next((mid for mid, value in known.items() if value == item), 0)
        if media_id:
            obj.update(id=media_id, owner_id=-gid)
        attachments.append({"type": kind, kind: obj})
    return {"id": post.id, "owner_id": -gid, "from_id": -gid, "date": post.date, "text": post.text,
            "post_type": "post", "attachments": attachments,
            "comments": {"count": len(live), "can_post": int(post.comments_open), "groups_can_post": True}}


def _post(page: SbPage, req: SbRequest) -> SbPost:
    post = page.posts.get(_int(req, "post_id"))
    if post is None or post.deleted:
        raise ApiError(100, "One of the parameters specified was missing or invalid: post_id is invalid")
    return post


def _live_comment(page: SbPage, cid: int) -> SbComment:
    comment = page.comments.get(cid)
    if comment is None:
        raise ApiError(104, "Not found")
    return comment


def groups_get_by_id(world: World, page: SbPage, req: SbRequest) -> Any:
    gid = int(page.external_id)
    if req.arg("group_id") not in (page.external_id, page.screen_name):
        raise ApiError(100, "One of the parameters specified was missing or invalid: group_id is invalid")
    settings = community(world, page.external_id)
    group: dict[str, Any] = {"id": gid, "name": page.name, "screen_name": page.screen_name or f"club{gid}",
                             "is_closed": settings["is_closed"], "type": "group", "is_admin": 1,
                             "admin_level": 3, "is_member": 1}
    if settings.get("deactivated"):
        group["deactivated"] = settings["deactivated"]
    if "wall" in req.arg("fields").split(","):
        group["wall"] = settings["wall"]
    return {"groups": [group], "profiles": []}


def account_get_app_permissions(world: World, page: SbPage, req: SbRequest) -> Any:
    return APP_PERMISSIONS


def groups_get_long_poll_server(world: World, page: SbPage, req: SbRequest) -> Any:
    gid = _group(page, req)
    return {"key": _lp_key(page), "server": f"{req.base}/vk/longpoll/{gid}", "ts": str(_last_seq(world))}


def photos_get_wall_upload_server(world: World, page: SbPage, req: SbRequest) -> Any:
    gid = _group(page, req)
    return {"album_id": -14, "upload_url": f"{req.base}/vk/upload/photo/{gid}", "user_id": 0}


def photos_save_wall_photo(world: World, page: SbPage, req: SbRequest) -> Any:
    gid = _group(page, req)
    photo = req.arg("photo")
    if req.arg("hash") != _hash(photo):
        raise ApiError(121, "Invalid hash")
    try:
        name = json.loads(photo)[0]["name"]
    except (ValueError, LookupError, TypeError):
        raise ApiError(129, "Invalid photo") from None
    pid = page.new_id()
    _media.setdefault(world, {})[pid] = f"photo:{name}"
    return [{"id": pid, "owner_id": -gid, "album_id": -14, "date": int(time.time()), "text": "", "sizes": []}]


def video_save(world: World, page: SbPage, req: SbRequest) -> Any:
    gid = _group(page, req)
    vid = page.new_id()
    name = req.arg("name") or "video"
    _media.setdefault(world, {})[vid] = f"video:{name}"
    return {"access_key": _hash(f"{gid}_{vid}")[:18], "description": "", "owner_id": -gid, "title": name,
            "upload_url": f"{req.base}/vk/upload/video/{gid}/{vid}", "video_id": vid}


def _attachments(world: World, gid: int, req: SbRequest) -> list[str]:
    attachments: list[str] = []
    for item in filter(None, req.arg("attachments").split(",")):
        kind, _, ref = item.partition(f"-{gid}_")
        media = _media.get(world, {}).get(int(ref)) if ref.isdigit() else None
        if kind not in ("photo", "video", "poll") or media is None or not media.startswith(kind + ":"):
            raise ApiError(100, "One of the parameters specified was missing or invalid: attachments is invalid")
        attachments.append(media)
    return attachments


def wall_post(world: World, page: SbPage, req: SbRequest) -> Any:
    gid = _owner(page, req)
    text = req.arg("message")
    attachments = _attachments(world, gid, req)
    if not text and not attachments:
        raise ApiError(100, "One of the parameters specified was missing or invalid: message is empty")
    post = page.add_post(text, attachments)
    world.emit(NETWORK, page.external_id, "post_new", post.id)
    return {"post_id": post.id}


def wall_edit(world: World, page: SbPage, req: SbRequest) -> Any:
    """wall.edit replaces text and attachments alike: what is not sent back is gone."""
    gid = _owner(page, req)
    post = _post(page, req)
    text = req.arg("message")
    attachments = _attachments(world, gid, req)
    if not text and not attachments:
        raise ApiError(100, "One of the parameters specified was missing or invalid: message is empty")
    post.text, post.attachments = text, attachments
    return {"post_id": post.id}  # wall_edit_response


def wall_delete(world: World, page: SbPage, req: SbRequest) -> Any:
    _owner(page, req)
    post = page.posts.get(_int(req, "post_id"))
    if post is None or post.deleted:
        raise ApiError(104, "Not found")
    post.deleted = True
    return 1


def wall_get(world: World, page: SbPage, req: SbRequest) -> Any:
    """wall_get_response: {"count", "items"} newest first; every post here is the community's own."""
    _owner(page, req)
    posts = sorted((p for p in page.posts.values() if not p.deleted), key=lambda p: p.id, reverse=True)
    offset, count = _int(req, "offset", required=False), min(_int(req, "count", required=False) or 20, 100)
    return {"count": len(posts), "items": [_post_obj(page, p, world) for p in posts[offset:offset + count]]}


def polls_create(world: World, page: SbPage, req: SbRequest) -> Any:
    gid = _owner(page, req)
    question = req.arg("question").strip()
    try:
        answers = json.loads(req.arg("add_answers") or "[]")
    except ValueError:
        answers = None
    if not question or not isinstance(answers, list) or not 1 <= len(answers) <= 10 \
            or not all(isinstance(a, str) and a.strip() for a in answers):
        raise ApiError(100, "One of the parameters specified was missing or invalid: add_answers is invalid")
    pid = page.new_id()
    multiple = req.arg("is_multiple") in ("1", "true")
    _media.setdefault(world, {})[pid] = f"poll:{question}"
    _polls.setdefault(world, {})[pid] = {"question": question, "answers": answers, "multiple": multiple}
    now = int(time.time())
    return {"id": pid, "owner_id": -gid, "created": now, "question": question, "votes": 0,  # polls_poll
            "answers": [{"id": pid * 10 + n, "rate": 0, "text": a, "votes": 0} for n, a in enumerate(answers)],
            "multiple": multiple, "anonymous": req.arg("is_anonymous") in ("1", "true"), "end_date": 0,
            "closed": False, "is_board": False, "can_edit": True, "can_vote": True, "can_report": False,
            "can_share": True, "disable_unvote": False, "author_id": -gid}


def wall_create_comment(world: World, page: SbPage, req: SbRequest) -> Any:
    _owner(page, req)
    post = _post(page, req)
    if not post.comments_open:
        raise ApiError(213, "Access to status replies denied")
    if req.arg("from_group") != page.external_id:
        raise ApiError(15, "Access denied: from_group is not this group")
    text = req.arg("message")
    if not text.strip():
        raise ApiError(100, "One of the parameters specified was missing or invalid: message is empty")
    reply_to = _int(req, "reply_to_comment", required=False)
    if reply_to:
        parent = page.comments.get(reply_to)
        if parent is None or parent.post_id != post.id or parent.deleted:
            raise ApiError(100, "One of the parameters specified was missing or invalid: reply_to_comment is invalid")
    comment = page.add_comment(post.id, "page", page.name, text.strip(), reply_to=reply_to)
    world.emit(NETWORK, page.external_id, "comment_new", post.id, comment.id)
    return {"comment_id": comment.id, "parents_stack": [_root(page, comment)] if reply_to else []}


def wall_get_comments(world: World, page: SbPage, req: SbRequest) -> Any:
    _owner(page, req)
    post = _post(page, req)
    live = [c for c in page.thread(post.id) if not c.deleted]
    thread = _int(req, "comment_id", required=False)
    if thread:
        level = [c for c in live if c.reply_to and _root(page, c) == thread]
    else:
        level = [c for c in live if not c.reply_to]
    if req.arg("sort") == "desc":
        level.reverse()
    offset, count = _int(req, "offset", required=False), min(_int(req, "count", required=False) or 10, 100)
    shown = _int(req, "thread_items_count", required=False)
    items = []
    for c in level[offset:offset + count]:
        obj = _comment_obj(page, c)
        if not thread:
            replies = [r for r in live if r.reply_to and _root(page, r) == c.id]
            obj["thread"] = {"count": len(replies), "items": [_comment_obj(page, r) for r in replies[:shown]],
                             "can_post": post.comments_open, "show_reply_button": True, "groups_can_post": True}
        items.append(obj)
    return {"count": len(live), "current_level_count": len(level), "can_post": int(post.comments_open),
            "show_reply_button": True, "groups_can_post": True, "items": items}


def wall_get_comment(world: World, page: SbPage, req: SbRequest) -> Any:
    _owner(page, req)
    comment = _live_comment(page, _int(req, "comment_id"))
    return {"items": [_comment_obj(page, comment)], "can_post": True, "groups_can_post": True}


def wall_get_by_id(world: World, page: SbPage, req: SbRequest) -> Any:
    items = []
    for ref in filter(None, req.arg("posts").split(",")):
        owner, _, pid = ref.partition("_")
        post = page.posts.get(int(pid)) if pid.isdigit() and owner == f"-{page.external_id}" else None
        if post is not None and not post.deleted:
            items.append(_post_obj(page, post, world))
    return {"items": items}


def wall_delete_comment(world: World, page: SbPage, req: SbRequest) -> Any:
    _owner(page, req)
    comment = _live_comment(page, _int(req, "comment_id"))
    if not comment.deleted:
        comment.deleted = True
        world.emit(NETWORK, page.external_id, "comment_delete", comment.post_id, comment.id)
    return 1


def wall_restore_comment(world: World, page: SbPage, req: SbRequest) -> Any:
    _owner(page, req)
    comment = _live_comment(page, _int(req, "comment_id"))
    if not comment.deleted:
        raise ApiError(243, "Comment has not been deleted")
    comment.deleted = False
    world.emit(NETWORK, page.external_id, "comment_restore", comment.post_id, comment.id)
    return 1


def groups_ban(world: World, page: SbPage, req: SbRequest) -> Any:
    _group(page, req)
    author = _int(req, "owner_id")
    if author == 0:
        raise ApiError(100, "One of the parameters specified was missing or invalid: owner_id is invalid")
    page.banned[str(author)] = req.arg("comment")
    return 1


def groups_unban(world: World, page: SbPage, req: SbRequest) -> Any:
    _group(page, req)
    page.banned.pop(str(_int(req, "owner_id")), None)
    return 1


METHODS: dict[str, Callable[[World, SbPage, SbRequest], Any]] = {
    "account.getAppPermissions": account_get_app_permissions,
    "groups.ban": groups_ban,
    "groups.getById": groups_get_by_id,
    "groups.getLongPollServer": groups_get_long_poll_server,
    "groups.unban": groups_unban,
    "photos.getWallUploadServer": photos_get_wall_upload_server,
    "polls.create": polls_create,
    "photos.saveWallPhoto": photos_save_wall_photo,
    "video.save": video_save,
    "wall.createComment": wall_create_comment,
    "wall.delete": wall_delete,
    "wall.deleteComment": wall_delete_comment,
    "wall.edit": wall_edit,
    "wall.get": wall_get,
    "wall.getById": wall_get_by_id,
    "wall.getComment": wall_get_comment,
    "wall.getComments": wall_get_comments,
    "wall.post": wall_post,
    "wall.restoreComment": wall_restore_comment,
}


# -- upload servers
def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _upload(world: World, req: SbRequest, rest: str) -> SbResponse:
    kind, _, where = rest.partition("/")
    files = req.files()
    if kind == "photo":
        name, content = files.get("photo", ("", b""))
        # VK answers photo "[]" when the field is missing or the file is no image.
        photo = json.dumps([{"name": name, "size": len(content)}]) if content else "[]"
        return SbResponse.of({"server": 1, "photo": photo, "hash": _hash(photo)})
    if kind == "video":
        gid, _, vid = where.partition("/")
        name, content = files.get("video_file", ("", b""))
        if not content or not vid.isdigit():
            return SbResponse.of({"error": "no file"})
        with world.lock:
            _media.setdefault(world, {})[int(vid)] = f"video:{name}"
        return SbResponse.of({"size": len(content), "video_id": int(vid), "owner_id": -int(gid or 0),
                              "video_hash": _hash(name)[:18]})
    return SbResponse.of({"error": "unknown upload"}, status=404)


# -- Bots Long Poll
def _lp_key(page: SbPage) -> str:
    return hashlib.sha256(f"longpoll:{page.token}".encode()).hexdigest()[:40]


def _last_seq(world: World) -> int:
    return world.updates[-1].seq if world.updates else 0


EVENT_TYPES = {"comment_new": "wall_reply_new", "comment_edit": "wall_reply_edit",
               "comment_restore": "wall_reply_restore", "comment_delete": "wall_reply_delete",
               "post_new": "wall_post_new"}


def _longpoll(world: World, req: SbRequest, group: str) -> SbResponse:
    page = world.page(NETWORK, group)
    if page is None or req.arg("key") != _lp_key(page):
        return SbResponse.of({"failed": 2})
    with world.lock:
        last = _last_seq(world)
        ts = req.arg("ts")
        if not ts.isdigit() or int(ts) > last:
            return SbResponse.of({"failed": 1, "ts": str(last)})
        updates = []
        for update in world.updates_after(NETWORK, int(ts), page=group):
            kind = EVENT_TYPES.get(update.type)
            if kind is None:
                continue
            if update.type == "post_new":
                post = page.posts.get(update.post_id)
                obj = _post_obj(page, post, world) if post else {"id": update.post_id}
            elif update.type == "comment_delete":
                comment = page.comments.get(update.comment_id)
                obj = {"owner_id": -int(group), "id": update.comment_id, "post_id": update.post_id,
                       "user_id": _from_id(page, comment.author_id) if comment else 0,
                       "deleter_id": -int(group)}
            else:
                comment = page.comments.get(update.comment_id)
                if comment is None:
                    continue
                obj = {**_comment_obj(page, comment), "post_owner_id": -int(group)}
            updates.append({"group_id": int(group), "type": kind, "event_id": _hash(f"{group}:{update.seq}")[:40],
                            "v": "5.199", "object": obj})
    return SbResponse.of({"ts": str(last), "updates": updates})
