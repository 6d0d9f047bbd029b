"""The sandbox's Telegram: `/telegram/bot<token>/<method>`, the Bot API's shapes on the World.

A page is a channel (`SbPage.external_id`, e.g. "@gorod") with a discussion group
(`SbPage.discussion_chat_id`). A channel post is an SbPost; its automatic-forward copy in the
group gets `SbPost.discussion_id`; comments are SbComments (ids from the page's one counter,
so they never clash with posts). Like the real Bot API, getUpdates never shows the bot its own
messages, and deletions produce no update.

A poll (sendPoll) is a channel message of its own: an SbPost without text whose one attachment
is "poll:<JSON of question, options, multiple>". Whether a channel is private or its comments
are closed is sandbox state outside the World (`set_closed`): a private channel's getChat has
no username; closed comments are a discussion group whose members may not write.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import Any

from otklik.channels.sandbox.bots import bot_for, telegram_handle
from otklik.channels.sandbox.world import SbComment, SbPage, SbPost, SbRequest, SbResponse, World

NETWORK = "telegram"
PATH = re.compile(r"bot([^/]+)/([A-Za-z]+)")
UPDATE_STRIDE = 10  # one world update may become two Telegram updates (a post and its copy)
Action = Callable[[World, SbPage, SbRequest], SbResponse]
NOT_MODIFIED = ("message is not modified: specified new message content and reply markup are exactly the "
                "same as a current content and reply markup of the message")

def set_closed(world: World, page: SbPage, *, private: bool = False, comments: bool = False) -> None:
    """Make the channel private (no username) and/or close its comments; False reopens."""
    world.set_flags(page, page=private, comments=comments)


def _is_closed(world: World, page: SbPage, flag: str) -> bool:
    return world.has_flag(page, flag)


def ok(result: Any) -> SbResponse:
    return SbResponse.of({"ok": True, "result": result})


def fail(code: int, description: str, **parameters: Any) -> SbResponse:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return SbResponse.of(body, status=code)


def bad(description: str) -> SbResponse:
    return fail(400, f"Bad Request: {description}")


# -- ids and shapes
def _index(world: World, page: SbPage) -> int:
    return [p.external_id for p in world.pages_of(NETWORK)].index(page.external_id) + 1


def channel_id(world: World, page: SbPage) -> int:
    ext = page.external_id
    return int(ext) if ext.lstrip("-").isdigit() else -(1000000000000 + _index(world, page))


def group_id(world: World, page: SbPage) -> int:
    ext = page.discussion_chat_id
    return int(ext) if ext.lstrip("-").isdigit() else -(1000000000500 + _index(world, page))


def bot_user(world: World, page: SbPage) -> dict[str, Any]:
    return {"id": 9000000 + _index(world, page), "is_bot": True, "first_name": f"{page.name} (бот)",
            "username": f"{(page.screen_name or 'otklik')}_bot"}


def channel_chat(world: World, page: SbPage) -> dict[str, Any]:
    chat: dict[str, Any] = {"id": channel_id(world, page), "type": "channel", "title": page.name}
    username = page.screen_name or page.external_id.lstrip("@")
    if not username.lstrip("-").isdigit():
        chat["username"] = username
    return chat


def group_chat(world: World, page: SbPage) -> dict[str, Any]:
    return {"id": group_id(world, page), "type": "supergroup", "title": f"{page.name} — обсуждение"}


def _which(world: World, page: SbPage, chat_id: str) -> str:
    """"channel", "group" or "" for the chat_id a request names."""
    value = chat_id.strip()
    channel = channel_chat(world, page)
    if value in (page.external_id, str(channel["id"])) or value.lower() == f"@{channel.get('username', '')}".lower():
        return "channel"
    if page.discussion_chat_id and value in (page.discussion_chat_id, str(group_id(world, page))):
        return "group"
    return ""


def _copy_id(page: SbPage, post: SbPost) -> int:
    if not post.discussion_id:
        post.discussion_id = page.new_id()
    return post.discussion_id


def post_message(world: World, page: SbPage, post: SbPost) -> dict[str, Any]:
    channel = channel_chat(world, page)
    message: dict[str, Any] = {"message_id": post.id, "sender_chat": channel, "chat": channel, "date": post.date}
    _content(message, post.text, post.attachments)
    return message


def copy_message(world: World, page: SbPage, post: SbPost) -> dict[str, Any]:
    """The automatic forward of a post into the discussion group."""
    channel = channel_chat(world, page)
    message: dict[str, Any] = {
        "message_id": _copy_id(page, post), "from": {"id": 777000, "is_bot": False, "first_name": "Telegram"},
        "sender_chat": channel, "chat": group_chat(world, page), "date": post.date, "is_automatic_forward": True,
        "forward_origin": {"type": "channel", "chat": channel, "message_id": post.id, "date": post.date},
        "forward_from_chat": channel, "forward_from_message_id": post.id, "forward_date": post.date,
    }
    _content(message, post.text, post.attachments)
    return message


def comment_message(world: World, page: SbPage, comment: SbComment, nested: bool = True) -> dict[str, Any]:
    post = page.posts.get(comment.post_id)
    message: dict[str, Any] = {"message_id": comment.id, "chat": group_chat(world, page), "date": comment.date,
                               "text": comment.text}
    if comment.author_id == "page":
        message["from"] = bot_user(world, page)
    else:
        message["from"] = {"id": int(comment.author_id) if comment.author_id.isdigit() else 7000,
                           "is_bot": False, "first_name": comment.author_name}
    if post is not None:
        message["message_thread_id"] = _copy_id(page, post)
        if nested:
            parent = page.comments.get(comment.reply_to) if comment.reply_to else None
            message["reply_to_message"] = (comment_message(world, page, parent, nested=False) if parent
                                           else copy_message(world, page, post))
    return message


def _content(message: dict[str, Any], text: str, attachments: list[str]) -> None:
    photos = [a for a in attachments if a.startswith("photo:")]
    videos = [a for a in attachments if a.startswith("video:")]
    polls = [a for a in attachments if a.startswith("poll:")]
    if polls:
        data = json.loads(polls[0].removeprefix("poll:"))
        message["poll"] = {"id": f"sb{abs(hash(polls[0])) % 10**18}", "question": data["question"],
                           "options": [{"text": o, "voter_count": 0} for o in data["options"]],
                           "total_voter_count": 0, "is_closed": False, "is_anonymous": True,
                           "type": "regular", "allows_multiple_answers": bool(data.get("multiple"))}
    if photos:
        message["photo"] = [{"file_id": f"sb-{photos[0]}", "file_unique_id": photos[0], "width": 800,
                             "height": 600, "file_size": 1}]
    elif videos:
        message["video"] = {"file_id": f"sb-{videos[0]}", "file_unique_id": videos[0], "width": 640,
                            "height": 360, "duration": 1}
    if text:
        message["caption" if (photos or videos) else "text"] = text


# -- the handler
def handle(world: World, req: SbRequest) -> SbResponse:
    match = PATH.fullmatch(req.path)
    if not match:
        return fail(404, "Not Found")
    token, method = match.groups()
    staff_bot = bot_for(world, NETWORK, token)
    if staff_bot is not None:  # the staff bot: private chats with staff (sandbox/bots.py)
        return telegram_handle(world, staff_bot, method, req)
    page = world.page_by_token(NETWORK, token)
    if page is None:
        return fail(401, "Unauthorized")
    failure = world.take_failure(NETWORK, method)
    if failure is not None and failure.kind != "timeout":
        if failure.kind == "rate_limit":
            return fail(429, f"Too Many Requests: retry after {failure.retry_after}",
                        retry_after=failure.retry_after)
        if failure.kind == "token_invalid":
            return fail(401, "Unauthorized")
        return fail(500, "Internal Server Error")
    if failure is not None and not failure.after_accept:
        return SbResponse(delay=world.timeout_delay, body=b"{}")
    action = METHODS.get(method)
    if action is None:
        return fail(404, "Not Found")
    with world.lock:
        response = action(world, page, req)
    if failure is not None:  # a timeout after the action was carried out
        response.delay = world.timeout_delay
    return response


def _int(req: SbRequest, name: str) -> int | None:
    value = req.arg(name).strip()
    return int(value) if value.lstrip("-").isdigit() else None


def get_me(world: World, page: SbPage, req: SbRequest) -> SbResponse:
    return ok({**bot_user(world, page), "can_join_groups": True, "can_read_all_group_messages": False,
               "supports_inline_queries": False})


def get_chat(world: World, page: SbPage, req: SbRequest) -> SbResponse:
    which = _which(world, page, req.arg("chat_id"))
    # ChatFullInfo (Bot API 7.3+): accent_color_id and max_reaction_count are always there.
    full = {"accent_color_id": 0, "max_reaction_count": 11}
    if which == "channel":
        chat = {**channel_chat(world, page), **full}
        if _is_closed(world, page, "page"):
            chat.pop("username", None)
        elif "username" in chat:
            chat["active_usernames"] = [chat["username"]]
        if page.discussion_chat_id:
            chat["linked_chat_id"] = group_id(world, page)
        return ok(chat)
    if which == "group":
        may_write = not _is_closed(world, page, "comments")
        return ok({**group_chat(world, page), **full, "linked_chat_id": channel_id(world, page),
                   "permissions": {"can_send_messages": may_write, "can_send_photos": may_write,
                                   "can_send_polls": False, "can_add_web_page_previews": may_write,
                                   "can_change_info": False, "can_invite_users": True,
                                   "can_pin_messages": False, "can_manage_topics": False}})
    return bad("chat not found")


def get_chat_member(world: World, page: SbPage, req: SbRequest) -> SbResponse:
    which = _which(world, page, req.arg("chat_id"))
    user_id = _int(req, "user_id")
    if not which:
        return bad("chat not found")
    bot = bot_user(world, page)
    if user_id == bot["id"]:
        rights = {"can_be_edited": False, "is_anonymous": False, "can_manage_chat": True,
                  "can_delete_messages": True, "can_manage_video_chats": False, "can_restrict_members": True,
                  "can_promote_members": False, "can_change_info": False, "can_invite_users": True,
                  "can_post_stories": False, "can_edit_stories": False, "can_delete_stories": False}
        if which == "channel":
            rights.update(can_post_messages=True, can_edit_messages=True)
        else:
            rights.update(can_pin_messages=False, can_manage_topics=False)
        return ok({"status": "administrator", "user": bot, **rights})
    if user_id is None:
        return bad("user not found")
    user = {"id": user_id, "is_bot": False, "first_name": world.users.get(str(user_id), "Житель")}
    if str(user_id) in page.banned:
        return ok({"status": "kicked", "user": user, "until_date": 0})
    return ok({"status": "member", "user": user})


def send_message(world: World, page: SbPage, req: SbRequest) -> SbResponse:
    text = req.arg("text")
    if not text.strip():
        return bad("message text is empty")
    if len(text.encode("utf-16-le")) // 2 > 4096:
        return bad("message is too long")
    which = _which(world, page, req.arg("chat_id"))
    if which == "channel":
        return ok(post_message(world, page, _publish(world, page, text, [])))
    if which != "group":
        return bad("chat not found")
    try:
        answered = int(json.loads(req.arg("reply_parameters") or "{}").get("message_id", 0))
    except (ValueError, AttributeError):
        return bad("can't parse reply parameters JSON object")
    post = next((p for p in page.posts.values() if p.discussion_id and p.discussion_id == answered), None)
    parent = page.comments.get(answered)
    if post is not None:
        post_id, reply_to = post.id, 0
    elif parent is not None and not parent.deleted:
        post_id, reply_to = parent.post_id, answered
    else:
        return bad("message to be replied not found")
    comment = page.add_comment(post_id, "page", page.name, text, reply_to=reply_to)
    world.emit(NETWORK, page.external_id, "comment_new", post_id, comment.id)
    return ok(comment_message(world, page, comment))


def _publish(world: World, page: SbPage, text: str, attachments: list[str]) -> SbPost:
    post = page.add_post(text, attachments)
    if page.discussion_chat_id:
        _copy_id(page, post)
    world.emit(NETWORK, page.external_id, "post_new", post.id)
    return post


def _send_file(field: str) -> Action:
    def send(world: World, page: SbPage, req: SbRequest) -> SbResponse:
        if _which(world, page, req.arg("chat_id")) != "channel":
            return bad("chat not found")
        upload = req.files().get(field)
        if upload is None or not upload[1]:
            return bad(f"there is no {field} in the request")
        caption = req.arg("caption")
        if len(caption.encode("utf-16-le")) // 2 > 1024:
            return bad("message caption is too long")
        post = _publish(world, page, caption, [f"{field}:{upload[0] or field}"])
        return ok(post_message(world, page, post))
    return send


def send_media_group(world: World, page: SbPage, req: SbRequest) -> SbResponse:
    if _which(world, page, req.arg("chat_id")) != "channel":
        return bad("chat not found")
    try:
        media = json.loads(req.arg("media") or "[]")
    except ValueError:
        return bad("can't parse InputMedia JSON object")
    files = req.files()
    if not isinstance(media, list) or not 2 <= len(media) <= 10:
        return bad("media must include 2-10 items")
    attachments: list[str] = []
    caption = ""
    for item in media:
        name = str(item.get("media", "")).removeprefix("attach://") if isinstance(item, dict) else ""
        if name not in files:
            return bad("wrong file identifier/HTTP URL specified")
        attachments.append(f"{item.get('type', 'photo')}:{files[name][0] or name}")
        caption = caption or str(item.get("caption", ""))
    post = _publish(world, page, caption, attachments)
    first = post_message(world, page, post)
    group = f"sb{post.id}"
    sent = [{**first, "media_group_id": group}]
    for _ in attachments[1:]:  # every album item is its own message; comments hang on the first
        sent.append({"message_id": page.new_id(), "sender_chat": first["sender_chat"], "chat": first["chat"],
                     "date": post.date, "media_group_id": group})
    return ok(sent)


def send_poll(world: World, page: SbPage, req: SbRequest) -> SbResponse:
    if _which(world, page, req.arg("chat_id")) != "channel":
        return bad("chat not found")
    question = req.arg("question")
    try:
        options = json.loads(req.arg("options") or "[]")
    except ValueError:
        return bad("can't parse options JSON object")
    if not question.strip():
        return bad("poll question must be non-empty")
    if len(question) > 300:
        return bad("poll question length must not exceed 300")
    if not isinstance(options, list) or not 2 <= len(options) <= 12:
        return bad("poll must have 2-12 options")
    texts = [str(o.get("text", "")) if isinstance(o, dict) else "" for o in options]
    if any(not t.strip() or len(t) > 100 for t in texts):
        return bad("poll options length must not exceed 100")
    if req.arg("is_anonymous") == "false":  # the sandbox's wording: channel polls are anonymous
        return bad("non-anonymous polls can't be sent to channel chats")
    poll = json.dumps({"question": question, "options": texts,
                       "multiple": req.arg("allows_multiple_answers") == "true"}, ensure_ascii=False)
    return ok(post_message(world, page, _publish(world, page, "", [f"poll:{poll}"])))


def _channel_post(world: World, page: SbPage, req: SbRequest) -> SbPost | SbResponse:
    if _which(world, page, req.arg("chat_id")) != "channel":
        return bad("chat not found")
    post = page.posts.get(_int(req, "message_id") or 0)
    if post is None or post.deleted:
        return bad("message to edit not found")
    return post


def edit_message_text(world: World, page: SbPage, req: SbRequest) -> SbResponse:
    post = _channel_post(world, page, req)
    if isinstance(post, SbResponse):
        return post
    text = req.arg("text")
    if post.attachments:
        return bad("there is no text in the message to edit")
    if not text.strip():
        return bad("message text is empty")
    if len(text.encode("utf-16-le")) // 2 > 4096:
        return bad("message is too long")
    if text == post.text:
        return bad(NOT_MODIFIED)
    post.text = text
    return ok({**post_message(world, page, post), "edit_date": int(time.time())})


def edit_message_caption(world: World, page: SbPage, req: SbRequest) -> SbResponse:
    post = _channel_post(world, page, req)
    if isinstance(post, SbResponse):
        return post
    caption = req.arg("caption")
    if not any(a.startswith(("photo:", "video:")) for a in post.attachments):
        return bad("there is no caption in the message to edit")
    if len(caption.encode("utf-16-le")) // 2 > 1024:
        return bad("message caption is too long")
    if caption == post.text:
        return bad(NOT_MODIFIED)
    post.text = caption
    return ok({**post_message(world, page, post), "edit_date": int(time.time())})


def delete_message(world: World, page: SbPage, req: SbRequest) -> SbResponse:
    which = _which(world, page, req.arg("chat_id"))
    message_id = _int(req, "message_id") or 0
    if which == "group":
        comment = page.comments.get(message_id)
        if comment is None or comment.deleted:
            return bad("message to delete not found")
        comment.deleted = True
        world.emit(NETWORK, page.external_id, "comment_delete", comment.post_id, comment.id)
        return ok(True)
    if which == "channel":
        post = page.posts.get(message_id)
        if post is None or post.deleted:
            return bad("message to delete not found")
        post.deleted = True
        return ok(True)
    return bad("chat not found")


def _ban(key: str, banned: bool) -> Action:
    def act(world: World, page: SbPage, req: SbRequest) -> SbResponse:
        if _which(world, page, req.arg("chat_id")) != "group":
            return bad("chat not found")
        who = _int(req, key)
        if who is None:
            return bad(f"{key} is empty")
        if banned:
            page.banned[str(who)] = ""
        else:
            page.banned.pop(str(who), None)
        return ok(True)
    return act


def get_updates(world: World, page: SbPage, req: SbRequest) -> SbResponse:
    offset = _int(req, "offset") or 0
    try:
        allowed = json.loads(req.arg("allowed_updates") or "[]") or None
    except ValueError:
        allowed = None
    limit = min(max(_int(req, "limit") or 100, 1), 100)
    result: list[dict[str, Any]] = []
    for update in world.updates_after(NETWORK, max(offset // UPDATE_STRIDE - 1, 0), page.external_id):
        base = update.seq * UPDATE_STRIDE
        items: list[tuple[str, dict[str, Any]]] = []
        post = page.posts.get(update.post_id)
        comment = page.comments.get(update.comment_id) if update.comment_id else None
        if update.type == "post_new" and post is not None:
            items.append(("channel_post", post_message(world, page, post)))
            if page.discussion_chat_id:
                items.append(("message", copy_message(world, page, post)))
        elif update.type in ("comment_new", "comment_edit") and comment is not None and comment.author_id != "page":
            message = comment_message(world, page, comment)
            if update.type == "comment_edit":
                message["edit_date"] = int(time.time())
            items.append(("message" if update.type == "comment_new" else "edited_message", message))
        for k, (kind, message) in enumerate(items):
            if base + k >= offset and (allowed is None or kind in allowed):
                result.append({"update_id": base + k, kind: message})
    return ok(result[:limit])


METHODS: dict[str, Action] = {
    "getMe": get_me,
    "getChat": get_chat,
    "getChatMember": get_chat_member,
    "sendMessage": send_message,
    "sendPhoto": _send_file("photo"),
    "sendVideo": _send_file("video"),
    "sendMediaGroup": send_media_group,
    "sendPoll": send_poll,
    "editMessageText": edit_message_text,
    "editMessageCaption": edit_message_caption,
    "deleteMessage": delete_message,
    "banChatMember": _ban("user_id", True),
    "unbanChatMember": _ban("user_id", False),
    "banChatSenderChat": _ban("sender_chat_id", True),
    "unbanChatSenderChat": _ban("sender_chat_id", False),
    "getUpdates": get_updates,
}
