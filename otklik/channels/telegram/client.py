"""Telegram Bot API client for one official channel and its discussion group.

How Telegram is laid out (Bot API 7.x, https://core.telegram.org/bots/api):
- The page is a channel. `PageAccess.external_id` holds it as the Bot API names it:
  `@username` for a public channel or the numeric id `-100…` for a private one.
- Comments do not live in the channel: they are messages in the channel's linked
  discussion group (`PageAccess.discussion_chat_id`, numeric `-100…`). Every channel post
  is copied there automatically (`is_automatic_forward`); that copy has its own message id
  and heads the post's comment thread. A comment is a message in that thread.
- The bot is an administrator of both chats.

Ids used here:
- `Target.post_id` is the post's id in the CHANNEL (what `t.me/channel/45` shows);
  `Target.comment_id` is the comment's id in the DISCUSSION GROUP (`?comment=67`).
- To answer the post itself the bot needs the id of the post's copy in the discussion group.
  The Bot API has no call that returns it; it arrives only with updates (the automatic
  forward). The client learns it from `comments()` and keeps it in `Client.thread_ids`
  (post id -> discussion copy id); the caller may persist that dict and pass it back
  (`Client(..., thread_ids=…)`, `learn_thread()`), and `thread_links()` reads it from a
  webhook body.

Page keys (what `target_from_url` and `parse_webhook` return):
- a public channel: its username, lower-cased, WITHOUT the "@" (`t.me/Gorod/45` -> "gorod");
- a private channel: the Bot API id `-100<internal id>` (`t.me/c/1234567890/45` ->
  "-1001234567890").
`page_key(external_id)` turns a stored external id into the same form; compare
`page_key(page.external_id) == key` (or use `page_matches(page, key)`, which also accepts the
discussion group's id, since a webhook update from the group may not show the channel).

What the Bot API cannot do (raises UNSUPPORTED, a person must look): list a chat's history
(so neither `find_reply` nor `find_post` can check whether a reply or a post went out after a
timeout), fetch one message (`fetch_comment`), restore a deleted message (`restore_comment`).

Official posts (`publish_post`, `edit_post`, `delete_post`, `page_status`):
- A poll is a message of its own in Telegram (sendPoll), never part of a text message. A post
  with a poll is therefore the text (or photo/album) message, followed by the poll sent as a
  reply to it; without text and media the poll alone is the post. Channel polls are always
  anonymous ("Non-anonymous polls can't be sent or forwarded to channels", TDLib
  inputMessagePoll), so `is_anonymous` is never sent. The poll's id is kept in
  `Client.poll_ids` (post id -> poll message id) so `delete_post` removes both.
- `edit_post` uses editMessageText, or editMessageCaption for a photo/video post.
- `page_status`: the channel is public when it has a username (getChat); comments are open when
  a discussion group is linked (`linked_chat_id`) and its members may write
  (`permissions.can_send_messages` of that group).
"""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from otklik.channels.base import (
    CheckResult,
    Comment,
    CommentBatch,
    ErrorKind,
    Media,
    NetworkError,
    PageAccess,
    PageStatus,
    Poll,
    PostState,
    Published,
    Push,
    Target,
    api_url,
    http_status_kind,
    limiter_for,
    timeout,
    transport_error,
)

NETWORK = "telegram"
DEFAULT_API_URL = "https://api.telegram.org"
# sendMessage.text: "1-4096 characters after entities parsing"; captions "0-1024" (Bot API spec).
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_ALBUM = 10  # sendMediaGroup.media: "must include 2-10 items"
# sendPoll: "question: Poll question, 1-300 characters", "options: A JSON-serialized list of 2-12
# answer options" (2-10 before Bot API 9.x), InputPollOption.text "1-100 characters".
MAX_POLL_QUESTION = 300
MAX_POLL_OPTION = 100
POLL_OPTIONS = (2, 12)

# Published limits (core.telegram.org/bots/faq, "My bot is hitting limits"): about 30 messages a
# second overall, no more than one a second in one chat, and 20 a minute to one group.
OVERALL_PER_SECOND = 30.0
CHANNEL_PER_SECOND = 1.0
GROUP_PER_SECOND = 20.0 / 60.0
SEND_METHODS = frozenset({"sendMessage", "sendPhoto", "sendVideo", "sendMediaGroup", "sendPoll"})

# The updates `comments()` asks for (Update object fields in the Bot API spec).
ALLOWED_UPDATES = ["message", "edited_message", "channel_post", "edited_channel_post"]
SECRET_HEADER = "x-telegram-bot-api-secret-token"  # noqa: S105  # a header name, not a secret

# -- error mapping ---------------------------------------------------------------------------
# Every failure is {"ok": false, "error_code": N, "description": "…", "parameters": {…}}
# (Bot API "Making requests"; ResponseParameters: retry_after, migrate_to_chat_id).
#
#   HTTP / error_code | description (examples)                                  | ErrorKind
#   429               | "Too Many Requests: retry after N", parameters.retry_after | RATE_LIMITED
#   401               | "Unauthorized"                                          | TOKEN_INVALID
#   404               | "Not Found" (the whole /bot<token>/ path is unknown:    | TOKEN_INVALID
#                     |  a malformed token; our method names are fixed)         |
#   403               | "Forbidden: bot was kicked from the channel chat",      | FORBIDDEN
#                     | "Forbidden: bot is not a member of the channel chat"    |
#   400               | "Bad Request: message to delete not found",             | NOT_FOUND
#                     | "… message to be replied not found" (older: "reply      |
#                     | message not found", "replied message not found"),       |
#                     | "… chat not found", "… MESSAGE_ID_INVALID",             |
#                     | "… user not found", "… PARTICIPANT_ID_INVALID"          |
#   400               | "… message to edit not found"                           | NOT_FOUND
#   400               | "… not enough rights …", "… have no rights …",          | FORBIDDEN
#                     | "… message can't be deleted", "… CHAT_ADMIN_REQUIRED",  |
#                     | "… message can't be edited",                            |
#                     | "… need administrator rights in the channel chat"       |
#   400               | "… message is not modified: …" (edit_post: the post     | (success)
#                     |  already reads so), "… there is no text in the message  |
#                     |  to edit" (a photo post: edit its caption instead)      |
#   400               | anything else ("… message is too long", "… text is      | BAD_REQUEST
#                     | empty", "… group chat was upgraded to a supergroup")    |
#   409               | "Conflict: can't use getUpdates method while webhook is | BAD_REQUEST
#                     |  active; use deleteWebhook to delete the webhook first" |
#   5xx               | "Internal Server Error", 502 Bad Gateway from the proxy | RETRY
#   200, unreadable   | the call went through but the answer is garbled         | TIMEOUT
NOT_FOUND_MARKERS = (
    "message to delete not found",
    "message to be replied not found",
    "reply message not found",
    "replied message not found",
    "message to forward not found",
    "message to edit not found",
    "chat not found",
    "message_id_invalid",
    "user not found",
    "participant_id_invalid",
)
FORBIDDEN_MARKERS = (
    "not enough rights",
    "have no rights",
    "message can't be deleted",
    "message can't be edited",
    "chat_admin_required",
    "need administrator rights",
)
NOT_MODIFIED = "message is not modified"
NO_TEXT = "there is no text in the message to edit"
CONFLICT_RU = ("для этого бота включён webhook, а getUpdates с ним не работает: "
               "получайте комментарии через webhook или удалите его (deleteWebhook)")


def _obj(value: Any) -> dict[str, Any]:
    """A JSON object, or {} for anything else (the answers are read defensively)."""
    return value if isinstance(value, dict) else {}


def error_from(status: int, payload: Any, retry_after_header: str | None = None) -> NetworkError:
    """The Bot API's failure answer as our kind; the network's own words go into the detail."""
    data = _obj(payload)
    code = data.get("error_code") if isinstance(data.get("error_code"), int) else status
    description = str(data.get("description") or "")
    parameters = _obj(data.get("parameters"))
    retry_after: float | None = None
    if isinstance(parameters.get("retry_after"), int | float):
        retry_after = float(parameters["retry_after"])
    elif retry_after_header and retry_after_header.strip().isdigit():
        retry_after = float(retry_after_header.strip())
    lowered = description.lower()
    if code == 429:
        return NetworkError(ErrorKind.RATE_LIMITED, description, code=code, retry_after=retry_after)
    if code in (401, 404):
        return NetworkError(ErrorKind.TOKEN_INVALID, description, code=code)
    if code == 403:
        return NetworkError(ErrorKind.FORBIDDEN, description, code=code)
    if code == 409:
        return NetworkError(ErrorKind.BAD_REQUEST, f"{CONFLICT_RU}; {description}", code=code)
    if code == 400:
        if any(marker in lowered for marker in NOT_FOUND_MARKERS):
            return NetworkError(ErrorKind.NOT_FOUND, description, code=code)
        if any(marker in lowered for marker in FORBIDDEN_MARKERS):
            return NetworkError(ErrorKind.FORBIDDEN, description, code=code)
        if "migrate_to_chat_id" in parameters:
            description = (f"группа стала супергруппой с id {parameters['migrate_to_chat_id']}: "
                           f"исправьте id группы обсуждения в настройках страницы; {description}")
        return NetworkError(ErrorKind.BAD_REQUEST, description, code=code)
    kind = http_status_kind(code) if isinstance(code, int) else None
    return NetworkError(kind or ErrorKind.RETRY, description or f"HTTP {status}", code=code,
                        retry_after=retry_after)


def bot_api_post(http: httpx.Client, url: str, **request: Any) -> Any:
    """POST one Bot API method and return its `result`, or raise the NetworkError its answer
    means (the channel client and the staff bot share this)."""
    try:
        response = http.post(url, timeout=timeout(), **request)
    except httpx.HTTPError as exc:
        raise transport_error(exc) from None  # `from None`: the URL holds the token
    try:
        payload = response.json()
    except ValueError:
        payload = None
    if response.status_code == 200 and isinstance(payload, dict) and payload.get("ok") is True:
        return payload.get("result")
    if response.status_code == 200 and not (isinstance(payload, dict) and "error_code" in payload):
        # The call went through but its answer is unreadable: it may have been carried out.
        raise NetworkError(ErrorKind.TIMEOUT, "ответ Telegram не разобран", code=200)
    raise error_from(response.status_code, payload, response.headers.get("retry-after"))


# -- ids and URLs ----------------------------------------------------------------------------
USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{3,31}")
DIGITS = re.compile(r"[1-9][0-9]{0,15}")
MAX_MESSAGE_ID = 2**31 - 1  # message ids are 32-bit
HOSTS = {"t.me", "telegram.me", "telegram.dog"}  # the link domains in core.telegram.org/api/links
# First path parts that are t.me services, not channels (the same document's list).
RESERVED = {
    "addemoji", "addlist", "addstickers", "addstyle", "addtheme", "auction", "auth", "boost",
    "call", "confirmphone", "contact", "giftcode", "invoice", "joinchat", "login", "m", "nft",
    "proxy", "setlanguage", "share", "socks", "web", "a", "k", "z", "iv", "c", "s", "www",
}


def page_key(external_id: str) -> str:
    """The stored channel id in page-key form: "@Gorod" -> "gorod", "-100123" stays."""
    value = external_id.strip()
    if value.startswith("@"):
        return value[1:].lower()
    if value.lstrip("-").isdigit():
        return value
    return value.lower()


def page_matches(page: PageAccess, key: str) -> bool:
    """Whether a key from a URL or a webhook names this page (its channel or its group)."""
    if not key:
        return False
    return key in (page_key(page.external_id), page_key(page.discussion_chat_id or ""))


def _message_id(text: str) -> str | None:
    if not DIGITS.fullmatch(text) or int(text) > MAX_MESSAGE_ID:
        return None
    return text


def target_from_url(url: str) -> tuple[str, Target] | None:
    """(page key, Target) from a public post or comment link; None for anything else.

    Accepts t.me / telegram.me / telegram.dog (with or without www., http(s) or no scheme),
    `<username>.t.me/45`, the web preview `t.me/s/<username>/45`, private `t.me/c/<id>/45`,
    and the parameters `comment=`, `thread=`, `single`, `t=` in any order. A link copied inside
    the discussion group (`t.me/<group>/<msg>?thread=<copy id>`) names the group and the
    post's copy there: its key is the group's, post_id is the copy's id (see module docstring).
    """
    try:
        return _target_from_url(url)
    except Exception:  # never raise on what a citizen or a clerk pasted
        return None


def _target_from_url(url: str) -> tuple[str, Target] | None:
    if not isinstance(url, str) or len(url) > 2048:
        return None
    text = url.strip()
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or parts.username or parts.password:
        return None
    if parts.port not in (None, 80, 443):
        return None
    host = (parts.hostname or "").lower().rstrip(".")
    segments = [s for s in parts.path.split("/") if s]
    if host.startswith("www."):
        host = host[4:]
    if host not in HOSTS:
        sub, _, rest = host.partition(".")
        # <username>.t.me is t.me/<username>/ (core.telegram.org/api/links)
        if rest != "t.me" or not USERNAME.fullmatch(sub) or sub in RESERVED:
            return None
        segments = [sub, *segments]
    query = parse_qs(parts.query, keep_blank_values=True)
    comment = (query.get("comment") or [""])[0]
    thread = (query.get("thread") or [""])[0]

    if segments[:1] == ["s"]:  # the web preview of a public channel
        segments = segments[1:]
    if len(segments) == 3 and segments[0] == "c":
        key_part, post = segments[1], segments[2]
        if not DIGITS.fullmatch(key_part):
            return None
        key = f"-100{key_part}"
    elif len(segments) == 2 and segments[0].lower() not in RESERVED:
        key_part, post = segments
        if not USERNAME.fullmatch(key_part):
            return None
        key = key_part.lower()
    else:
        return None
    post_id = _message_id(post)
    if post_id is None:
        return None
    if comment:
        comment_id = _message_id(comment)
        return (key, Target(post_id, comment_id)) if comment_id else None
    if thread:
        thread_id = _message_id(thread)
        return (key, Target(thread_id, post_id)) if thread_id else None
    return key, Target(post_id)


def _channel_path(page: PageAccess) -> str:
    """The part of t.me links that names the channel: "gorod" or "c/1234567890"."""
    ext = page.external_id.strip()
    if ext.startswith("@"):
        return ext[1:]
    found = target_path_username(page.public_url)
    if found:
        return found
    digits = ext.lstrip("-")
    return "c/" + (digits[3:] if ext.startswith("-100") else digits)


def target_path_username(public_url: str) -> str:
    """The username in a stored public address like https://t.me/gorod, or ""."""
    if not public_url:
        return ""
    parts = urlsplit(public_url if "://" in public_url else "https://" + public_url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    segments = [s for s in parts.path.split("/") if s]
    if host in HOSTS and len(segments) == 1 and USERNAME.fullmatch(segments[0]) \
            and segments[0].lower() not in RESERVED:
        return segments[0]
    return ""


def _chat_param(chat: str) -> int | str:
    """Bot API chat_id: an integer id, or "@username" as a string."""
    value = chat.strip()
    return int(value) if value.lstrip("-").isdigit() else value


def _utf16_len(text: str) -> int:
    # Telegram measures text in UTF-16 code units (entity offsets do too): count conservatively.
    return len(text.encode("utf-16-le")) // 2


# -- updates -> comments ---------------------------------------------------------------------
def _origin_post(message: Mapping[str, Any]) -> str:
    """The channel post id an automatic forward copies (forward_origin, or the pre-7.0 field)."""
    origin = message.get("forward_origin")
    if isinstance(origin, dict) and isinstance(origin.get("message_id"), int):
        return str(origin["message_id"])
    legacy = message.get("forward_from_message_id")
    return str(legacy) if isinstance(legacy, int) else ""


def _learn(message: Mapping[str, Any], links: dict[str, str]) -> None:
    """Record post id -> discussion copy id from an automatic forward, wherever it appears."""
    for candidate in (message, message.get("reply_to_message")):
        if isinstance(candidate, dict) and candidate.get("is_automatic_forward"):
            post = _origin_post(candidate)
            if post and isinstance(candidate.get("message_id"), int):
                links[post] = str(candidate["message_id"])


def thread_links(update: Mapping[str, Any] | bytes) -> dict[str, str]:
    """Post id -> discussion copy id found in one update (a webhook body or a parsed dict)."""
    data: Any = update
    if isinstance(update, bytes):
        try:
            data = json.loads(update)
        except ValueError:
            return {}
    links: dict[str, str] = {}
    if isinstance(data, dict):
        for field in ("message", "edited_message"):
            message = data.get(field)
            if isinstance(message, dict):
                _learn(message, links)
    return links


def _comment(message: Mapping[str, Any], links: Mapping[str, str], edited: bool = False,
             channel: str = "") -> Comment | None:
    """A discussion-group message in a post's thread as a Comment; None for anything else."""
    chat = _obj(message.get("chat"))
    if chat.get("type") not in ("group", "supergroup") or message.get("is_automatic_forward"):
        return None
    if not isinstance(message.get("message_id"), int):
        return None
    reply = message.get("reply_to_message") if isinstance(message.get("reply_to_message"), dict) else None
    thread = message.get("message_thread_id")
    if reply is None and not isinstance(thread, int):
        return None  # a plain group message, not under any post
    post_id = ""
    reply_to = ""
    if reply is not None and reply.get("is_automatic_forward"):
        post_id = _origin_post(reply)
    else:
        if reply is not None and isinstance(reply.get("message_id"), int):
            reply_to = str(reply["message_id"])
        copy = str(thread if isinstance(thread, int) else (reply or {}).get("message_thread_id", ""))
        post_id = next((post for post, known in links.items() if known == copy), "")
    sender = _obj(message.get("from"))
    sender_chat = message.get("sender_chat") if isinstance(message.get("sender_chat"), dict) else None
    # Written on behalf of a chat (the channel itself, or a citizen's own channel): the chat is
    # the author; banChatSenderChat takes its (negative) id.
    author = str(sender_chat.get("id", "")) if sender_chat else str(sender.get("id", ""))
    if not channel and reply is not None and reply.get("is_automatic_forward"):
        root = reply.get("sender_chat")
        channel = _chat_key(root) if isinstance(root, dict) else ""
    # Bots never receive their own messages; what is "ours" is what was written as the channel.
    from_page = bool(sender.get("is_bot")) or bool(sender_chat and channel and _is_chat(sender_chat, channel))
    text = message.get("text") if isinstance(message.get("text"), str) else message.get("caption")
    date = message.get("edit_date") if edited and isinstance(message.get("edit_date"), int) else message.get("date")
    return Comment(id=str(message["message_id"]), post_id=post_id, author_id=author,
                   text=text if isinstance(text, str) else "", reply_to=reply_to, from_page=from_page,
                   date=date if isinstance(date, int) else 0)


def _chat_key(chat: Mapping[str, Any]) -> str:
    username = chat.get("username")
    if isinstance(username, str) and username:
        return username.lower()
    return str(chat.get("id", ""))


def _is_chat(chat: Mapping[str, Any], key: str) -> bool:
    """Whether a Chat object is the one a page key names (by username or by id)."""
    username = chat.get("username")
    return bool(key) and (str(chat.get("id", "")) == key
                          or (isinstance(username, str) and username.lower() == key))


def parse_webhook(headers: dict[str, str], body: bytes, secret: str, confirmation: str = "", *,
                  thread_ids: Mapping[str, str] | None = None) -> Push:
    """One webhook Update, checked against the secret_token given to setWebhook.

    Telegram sends the secret in `X-Telegram-Bot-Api-Secret-Token`. `confirmation` is a VK
    notion and is ignored. New and edited comments become Comments; automatic forwards (the
    posts' copies) are not comments: read them with `thread_links(body)`. `thread_ids`
    (post -> copy id) lets a reply deeper in a thread name its post.
    """
    given = next((v for k, v in headers.items() if k.lower() == SECRET_HEADER), None)
    if not secret or given is None or not hmac.compare_digest(given.encode(), secret.encode()):
        raise NetworkError(ErrorKind.FORBIDDEN, "неверный секрет webhook Telegram")
    try:
        update = json.loads(body)
    except ValueError as exc:
        raise NetworkError(ErrorKind.BAD_REQUEST, "тело webhook Telegram — не JSON") from exc
    if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
        raise NetworkError(ErrorKind.BAD_REQUEST, "в webhook Telegram нет update_id")
    links = dict(thread_ids or {})
    links.update(thread_links(update))
    comments: list[Comment] = []
    key = ""
    for field in ("message", "edited_message", "channel_post", "edited_channel_post"):
        message = update.get(field)
        if not isinstance(message, dict):
            continue
        chat = _obj(message.get("chat"))
        reply = _obj(message.get("reply_to_message"))
        channel = message.get("sender_chat") if message.get("is_automatic_forward") else reply.get("sender_chat")
        if field.endswith("channel_post"):
            key = _chat_key(chat)
        elif isinstance(channel, dict) and channel.get("type") == "channel":
            key = _chat_key(channel)
        else:
            key = str(chat.get("id", ""))
        if field in ("message", "edited_message"):
            comment = _comment(message, links, edited=field == "edited_message")
            if comment is not None:
                comments.append(comment)
    return Push(page_key=key, comments=comments, reply="")


# -- the client ------------------------------------------------------------------------------
class Client:
    """One Telegram channel (and its discussion group) through the Bot API."""

    network = NETWORK
    max_text = MAX_TEXT

    def __init__(self, page: PageAccess, *, base_url: str | None = None, http: httpx.Client | None = None,
                 thread_ids: dict[str, str] | None = None, poll_ids: dict[str, str] | None = None) -> None:
        self.page = page
        self.base_url = (base_url or api_url("OTKLIK_TELEGRAM_API_URL", DEFAULT_API_URL)).rstrip("/")
        self.http = http or httpx.Client(timeout=timeout())
        self._owns_http = http is None
        # post id -> id of its automatic-forward copy in the discussion group (mutated in place,
        # so a dict the caller passed in collects what this client learns)
        self.thread_ids: dict[str, str] = thread_ids if thread_ids is not None else {}
        self.post_texts: dict[str, str] = {}  # channel posts seen in updates
        # post id -> id of the poll message sent with it (mutated in place, like thread_ids)
        self.poll_ids: dict[str, str] = poll_ids if poll_ids is not None else {}
        self.media_posts: set[str] = set()  # posts published here with a photo or video
        self._overall = limiter_for(NETWORK, page.token, OVERALL_PER_SECOND)

    def close(self) -> None:
        if self._owns_http:
            self.http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def learn_thread(self, post_id: str, discussion_message_id: str) -> None:
        """Tell the client the id of a post's copy in the discussion group (seen elsewhere)."""
        self.thread_ids[str(post_id)] = str(discussion_message_id)

    # -- transport
    def _call(self, method: str, params: dict[str, Any] | None = None, *,
              files: dict[str, tuple[str, bytes]] | None = None, chat: str = "") -> Any:
        self._overall.wait()
        if method in SEND_METHODS and chat:
            group = chat == self.page.discussion_chat_id
            limiter_for(NETWORK, f"{self.page.token}|{chat}",
                        GROUP_PER_SECOND if group else CHANNEL_PER_SECOND).wait()
        url = f"{self.base_url}/bot{self.page.token}/{method}"
        if files:
            # multipart: every non-file field as a string, objects JSON-serialised
            data = {k: v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
                    for k, v in (params or {}).items()}
            return bot_api_post(self.http, url, data=data, files=files)
        return bot_api_post(self.http, url, json=params or {})

    def _group(self) -> str:
        if not self.page.discussion_chat_id:
            raise NetworkError(ErrorKind.BAD_REQUEST,
                               "у канала не указана группа обсуждения — комментарии живут в ней")
        return self.page.discussion_chat_id

    def post_url(self, post_id: str, comment_id: str = "") -> str:
        url = f"https://t.me/{_channel_path(self.page)}/{post_id}"
        return f"{url}?comment={comment_id}" if comment_id else url

    # -- NetworkClient
    def check(self) -> CheckResult:
        """The bot's rights in the channel and the group; transient failures still raise."""
        try:
            me = self._call("getMe")
            chat = self._call("getChat", {"chat_id": _chat_param(self.page.external_id)})
        except NetworkError as exc:
            if exc.kind in (ErrorKind.RETRY, ErrorKind.RATE_LIMITED, ErrorKind.TIMEOUT):
                raise
            return CheckResult(ok=False, problem=exc.message_ru)
        name = str(chat.get("title") or "") if isinstance(chat, dict) else ""
        bot_id = me.get("id") if isinstance(me, dict) else None
        missing: list[str] = []
        problems: list[str] = []
        wanted = [(self.page.external_id, "канале", {"can_post_messages": "публиковать записи в канале"})]
        if self.page.discussion_chat_id:
            wanted.append((self.page.discussion_chat_id, "группе обсуждения", {
                "can_delete_messages": "удалять комментарии в группе обсуждения",
                "can_restrict_members": "блокировать участников группы обсуждения",
            }))
            linked = chat.get("linked_chat_id") if isinstance(chat, dict) else None
            if linked is not None and str(linked) != self.page.discussion_chat_id.strip():
                problems.append(f"к каналу привязана другая группа обсуждения ({linked})")
        else:
            problems.append("не указана группа обсуждения: комментарии читать и отвечать нельзя")
        for chat_id, where, rights in wanted:
            try:
                member = self._call("getChatMember", {"chat_id": _chat_param(chat_id), "user_id": bot_id})
            except NetworkError as exc:
                if exc.kind in (ErrorKind.RETRY, ErrorKind.RATE_LIMITED, ErrorKind.TIMEOUT):
                    raise
                problems.append(f"бот не видит себя в {where}: {exc.message_ru}")
                continue
            status = member.get("status") if isinstance(member, dict) else None
            if status == "creator":
                continue
            if status != "administrator":
                missing.append(f"быть администратором в {where}")
                continue
            missing.extend(label for field, label in rights.items() if not member.get(field))
        ok = not missing and not problems
        problem = "; ".join(problems) or ("боту не хватает прав" if missing else "")
        return CheckResult(ok=ok, name=name, missing=tuple(missing), problem=problem)

    def publish_post(self, text: str, media: list[Media] | None = None, poll: Poll | None = None) -> Published:
        """The post (text, photo, video or album); a poll follows it as a reply (module docstring).

        A poll alone (no text, no media) is itself the post. When the post went out but its poll
        did not, the error is TIMEOUT-kind: the post must not be published again.
        """
        media = media or []
        channel = self.page.external_id
        chat_id = _chat_param(channel)
        if poll is not None:
            self._check_poll(poll)
            if not media and not text.strip():
                message = self._call("sendPoll", self._poll_params(poll), chat=channel)
                post_id = self._id_of(message)
                self.poll_ids[post_id] = post_id
                self.post_texts[post_id] = ""
                return Published(post_id=post_id, comment_id="", url=self.post_url(post_id))
        if not media:
            self._check_text(text, MAX_TEXT)
            message = self._call("sendMessage", {"chat_id": chat_id, "text": text}, chat=channel)
        else:
            if text:
                self._check_text(text, MAX_CAPTION, caption=True)
            if len(media) > MAX_ALBUM:
                raise NetworkError(ErrorKind.BAD_REQUEST, f"в одной записи не больше {MAX_ALBUM} фото и видео")
            if len(media) == 1:
                item = media[0]
                field = "video" if item.kind == "video" else "photo"
                params: dict[str, Any] = {"chat_id": chat_id}
                if text:
                    params["caption"] = text
                message = self._call("sendVideo" if field == "video" else "sendPhoto", params,
                                     files={field: (item.name, item.content)}, chat=channel)
            else:
                album = []
                files: dict[str, tuple[str, bytes]] = {}
                for index, item in enumerate(media):
                    attach = f"file{index}"
                    files[attach] = (item.name, item.content)
                    entry: dict[str, Any] = {"type": "video" if item.kind == "video" else "photo",
                                             "media": f"attach://{attach}"}
                    if index == 0 and text:
                        entry["caption"] = text  # the album's caption is the first item's
                    album.append(entry)
                sent = self._call("sendMediaGroup", {"chat_id": chat_id, "media": album}, files=files,
                                  chat=channel)
                message = sent[0] if isinstance(sent, list) and sent else None
        post_id = self._id_of(message)
        self.post_texts[post_id] = text
        if media:
            self.media_posts.add(post_id)
        published = Published(post_id=post_id, comment_id="", url=self.post_url(post_id))
        if poll is not None:
            try:
                sent_poll = self._call("sendPoll", {**self._poll_params(poll),
                                                    "reply_parameters": {"message_id": int(post_id)}},
                                       chat=channel)
                self.poll_ids[post_id] = self._id_of(sent_poll)
            except NetworkError as exc:
                # The post exists: publishing it again would make a second one (never twice).
                raise NetworkError(ErrorKind.TIMEOUT, (
                    f"запись опубликована ({published.url}), но опрос к ней не отправлен: "
                    f"{exc.message_ru} Не публикуйте запись заново — добавьте опрос в канале вручную "
                    "или удалите запись"), code=exc.code) from None
        return published

    def _poll_params(self, poll: Poll) -> dict[str, Any]:
        params: dict[str, Any] = {"chat_id": _chat_param(self.page.external_id), "question": poll.question,
                                  "options": [{"text": option} for option in poll.options]}
        if poll.multiple:
            params["allows_multiple_answers"] = True
        # No is_anonymous: channel polls are anonymous (its default), False is refused there.
        return params

    @staticmethod
    def _check_poll(poll: Poll) -> None:
        """The Bot API's poll limits, checked before anything is sent."""
        question = poll.question.strip()
        if not question or _utf16_len(question) > MAX_POLL_QUESTION:
            raise NetworkError(ErrorKind.BAD_REQUEST,
                               f"вопрос опроса в Telegram — от 1 до {MAX_POLL_QUESTION} символов")
        low, high = POLL_OPTIONS
        if not low <= len(poll.options) <= high:
            raise NetworkError(ErrorKind.BAD_REQUEST, f"в опросе Telegram от {low} до {high} вариантов ответа")
        if any(not option.strip() or _utf16_len(option) > MAX_POLL_OPTION for option in poll.options):
            raise NetworkError(ErrorKind.BAD_REQUEST,
                               f"вариант ответа в опросе Telegram — от 1 до {MAX_POLL_OPTION} символов")

    def edit_post(self, post_id: str, text: str) -> None:
        """New text of a channel post: editMessageText, or editMessageCaption for a photo/video.

        Telegram's "message is not modified" means the post already reads so: success (an edit
        repeated after a timeout changes nothing).
        """
        message_id = self._post_id(post_id)
        chat_id = _chat_param(self.page.external_id)
        try:
            if post_id in self.media_posts:
                self._edit_caption(chat_id, message_id, text)
            else:
                self._check_text(text, MAX_TEXT)
                try:
                    self._call("editMessageText", {"chat_id": chat_id, "message_id": message_id, "text": text})
                except NetworkError as exc:
                    if NO_TEXT not in exc.detail.lower():
                        raise
                    self._edit_caption(chat_id, message_id, text)  # a photo, video or album post
                    self.media_posts.add(post_id)
        except NetworkError as exc:
            if exc.kind is not ErrorKind.BAD_REQUEST or NOT_MODIFIED not in exc.detail.lower():
                raise
        self.post_texts[post_id] = text

    def _edit_caption(self, chat_id: int | str, message_id: int, text: str) -> None:
        if text:
            self._check_text(text, MAX_CAPTION, caption=True)
        self._call("editMessageCaption", {"chat_id": chat_id, "message_id": message_id, "caption": text})

    def delete_post(self, post_id: str) -> None:
        """deleteMessage in the channel, and the post's poll message when this client sent it."""
        message_id = self._post_id(post_id)
        chat_id = _chat_param(self.page.external_id)
        try:
            self._call("deleteMessage", {"chat_id": chat_id, "message_id": message_id})
        except NetworkError as exc:
            if exc.kind is ErrorKind.FORBIDDEN:
                raise NetworkError(ErrorKind.FORBIDDEN, (
                    f"{exc.detail}; Telegram даёт боту удалять записи канала только при праве "
                    "«Удаление сообщений» и, как правило, не позже 48 часов после публикации — "
                    "удалите запись в канале вручную"), code=exc.code) from None
            raise
        poll_id = self.poll_ids.pop(post_id, "")
        if poll_id and poll_id != post_id:
            try:
                self._call("deleteMessage", {"chat_id": chat_id, "message_id": int(poll_id)})
            except NetworkError as exc:
                if exc.kind is not ErrorKind.NOT_FOUND:  # already gone is fine
                    raise
        self.post_texts.pop(post_id, None)
        self.media_posts.discard(post_id)

    def find_post(self, text: str) -> Published | None:
        raise NetworkError(ErrorKind.UNSUPPORTED, (
            "Bot API не отдаёт историю канала: проверить, вышла ли запись после сбоя связи, "
            "может только человек — откройте канал в Telegram, прежде чем публиковать снова"))

    def page_status(self) -> PageStatus:
        """Public = the channel has a username; comments = a linked discussion group where
        members may write. Failures of the channel itself raise; of the group, say so."""
        chat = self._call("getChat", {"chat_id": _chat_param(self.page.external_id)})
        chat = _obj(chat)
        name = str(chat.get("title") or "")
        notes: list[str] = []
        active = chat.get("active_usernames")
        usernames = [u for u in [chat.get("username"), *(active if isinstance(active, list) else [])]
                     if isinstance(u, str) and u]
        is_open = bool(usernames)
        if not is_open:
            notes.append("канал частный: у него нет публичного имени (@…), его видят только по "
                         "пригласительной ссылке — сделайте канал публичным")
        linked = chat.get("linked_chat_id")
        comments_open = linked is not None
        if not comments_open:
            notes.append("к каналу не привязана группа обсуждения — комментарии под записями закрыты")
        else:
            if self.page.discussion_chat_id and str(linked) != self.page.discussion_chat_id.strip():
                notes.append(f"к каналу привязана другая группа обсуждения ({linked}), "
                             "не та, что указана в настройках страницы")
            try:
                group = _obj(self._call("getChat", {"chat_id": linked}))
            except NetworkError as exc:
                if exc.kind in (ErrorKind.RETRY, ErrorKind.RATE_LIMITED, ErrorKind.TIMEOUT):
                    raise
                notes.append(f"права участников группы обсуждения проверить не удалось ({exc.message_ru}); "
                             "открыты ли комментарии, Telegram не сообщил")
            else:
                permissions = _obj(group.get("permissions"))
                if permissions.get("can_send_messages") is False:
                    comments_open = False
                    notes.append("в группе обсуждения участникам запрещено писать — комментарии закрыты")
        return PageStatus(name=name, open=is_open, comments_open=comments_open, detail="; ".join(notes))

    def reply(self, target: Target, text: str) -> Published:
        self._check_text(text, MAX_TEXT)
        group = self._group()
        answered = target.comment_id or self.thread_ids.get(target.post_id, "")
        if not answered:
            raise NetworkError(ErrorKind.NOT_FOUND, (
                f"не известна копия записи {target.post_id} в группе обсуждения: Telegram сообщает её "
                "только в обновлениях. Ответьте на конкретный комментарий или получите обновления"))
        message = self._call("sendMessage", {"chat_id": _chat_param(group), "text": text,
                                             "reply_parameters": {"message_id": int(answered)}}, chat=group)
        comment_id = self._id_of(message)
        return Published(post_id=target.post_id, comment_id=comment_id,
                         url=self.post_url(target.post_id, comment_id))

    def find_reply(self, target: Target, text: str) -> Published | None:
        raise NetworkError(ErrorKind.UNSUPPORTED, (
            "Bot API не отдаёт историю чата и собственные сообщения бота: проверить, ушёл ли ответ, "
            "может только человек — откройте обсуждение записи в Telegram"))

    def delete_comment(self, target: Target) -> None:
        if not target.comment_id:
            raise NetworkError(ErrorKind.BAD_REQUEST, "не указан комментарий для удаления")
        self._call("deleteMessage", {"chat_id": _chat_param(self._group()),
                                     "message_id": int(target.comment_id)})

    def restore_comment(self, target: Target) -> None:
        raise NetworkError(ErrorKind.UNSUPPORTED, "в Telegram удалённое сообщение восстановить нельзя")

    def ban(self, author_id: str, reason: str = "") -> None:
        # Telegram keeps no ban reason; it stays in Otklik's own records.
        group = _chat_param(self._group())
        author = self._author(author_id)
        if author < 0:  # the author wrote on behalf of a chat (their channel)
            self._call("banChatSenderChat", {"chat_id": group, "sender_chat_id": author})
        else:
            self._call("banChatMember", {"chat_id": group, "user_id": author})

    def unban(self, author_id: str) -> None:
        group = _chat_param(self._group())
        author = self._author(author_id)
        if author < 0:
            self._call("unbanChatSenderChat", {"chat_id": group, "sender_chat_id": author})
        else:
            # only_if_banned: without it unbanning also removes a member from the group
            self._call("unbanChatMember", {"chat_id": group, "user_id": author, "only_if_banned": True})

    def comments(self, post_id: str, marker: str = "") -> CommentBatch:
        """New comments since `marker` (the getUpdates offset).

        getUpdates is one queue for the whole bot and an offset confirms everything before it:
        pass post_id="" to get the comments of every post (a non-empty post_id filters, and the
        other posts' comments are confirmed all the same). An edited comment comes again with
        the same id, its new text and `date` = the edit time. Deletions produce no update.
        """
        params: dict[str, Any] = {"timeout": 0, "limit": 100, "allowed_updates": ALLOWED_UPDATES}
        if marker:
            if not marker.lstrip("-").isdigit():
                raise NetworkError(ErrorKind.BAD_REQUEST, "метка обновлений Telegram — число")
            params["offset"] = int(marker)
        updates = self._call("getUpdates", params)
        group = self.page.discussion_chat_id.strip()
        channel_key = page_key(self.page.external_id)
        found: list[Comment] = []
        next_offset = int(marker) if marker else 0
        for update in updates if isinstance(updates, list) else []:
            if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
                continue
            next_offset = max(next_offset, update["update_id"] + 1)
            for field in ("channel_post", "edited_channel_post"):
                post = update.get(field)
                if isinstance(post, dict) and _is_chat(post.get("chat") or {}, channel_key):
                    text = post.get("text") if isinstance(post.get("text"), str) else post.get("caption")
                    self.post_texts[str(post.get("message_id"))] = text if isinstance(text, str) else ""
            for field in ("message", "edited_message"):
                message = update.get(field)
                if not isinstance(message, dict) or str((message.get("chat") or {}).get("id")) != group:
                    continue
                _learn(message, self.thread_ids)
                comment = _comment(message, self.thread_ids, edited=field == "edited_message",
                                   channel=channel_key)
                if comment is not None and (not post_id or comment.post_id == post_id):
                    found.append(comment)
        return CommentBatch(comments=found, marker=str(next_offset) if next_offset else marker)

    def fetch_post(self, post_id: str) -> PostState:
        """What the Bot API can tell: the channel is there and whether it has comments.

        It cannot fetch one message, so `exists` is not verified (a deleted post still reads as
        existing) and `text` is known only if this client saw the post (published or in updates).
        """
        chat = self._call("getChat", {"chat_id": _chat_param(self.page.external_id)})
        linked = isinstance(chat, dict) and chat.get("linked_chat_id") is not None
        return PostState(id=post_id, text=self.post_texts.get(post_id, ""), exists=True,
                         comments_open=linked)

    def fetch_comment(self, target: Target) -> Comment:
        raise NetworkError(ErrorKind.UNSUPPORTED, (
            "Bot API не выдаёт отдельное сообщение по id: комментарий виден только в обновлениях "
            "(webhook или getUpdates)"))

    # -- helpers
    @staticmethod
    def _check_text(text: str, limit: int, caption: bool = False) -> None:
        if not text.strip():
            raise NetworkError(ErrorKind.BAD_REQUEST, "пустой текст Telegram не принимает")
        if _utf16_len(text) > limit:
            what = "подпись к фото или видео" if caption else "текст сообщения"
            raise NetworkError(ErrorKind.BAD_REQUEST, f"{what} в Telegram — не длиннее {limit} символов")

    @staticmethod
    def _post_id(post_id: str) -> int:
        value = post_id.strip()
        if _message_id(value) is None:
            raise NetworkError(ErrorKind.BAD_REQUEST, "id записи в Telegram — положительное число")
        return int(value)

    @staticmethod
    def _author(author_id: str) -> int:
        value = author_id.strip()
        if not value.lstrip("-").isdigit():
            raise NetworkError(ErrorKind.BAD_REQUEST, "id автора в Telegram — число")
        return int(value)

    @staticmethod
    def _id_of(message: Any) -> str:
        if not isinstance(message, dict) or not isinstance(message.get("message_id"), int):
            # The call was carried out but we cannot say what it made: never repeat blindly.
            raise NetworkError(ErrorKind.TIMEOUT, "Telegram не вернул id сообщения")
        return str(message["message_id"])
