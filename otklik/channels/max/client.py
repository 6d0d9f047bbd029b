"""The MAX Bot API client (https://dev.max.ru/docs-api): a channel's posts and their comments.

How a MAX page maps onto Otklik
-------------------------------
* The page is a MAX **channel**; the bot is its administrator. `PageAccess.external_id` (and
  the page key of `parse_webhook`) is the channel's **chat id as digits with its sign**, exactly
  as the API prints it, e.g. ``"-70801090403050"`` (``GET /chats`` or the bot_added update
  tells it).
* A post is a channel message (``POST /messages?chat_id=…``); its id is the message ``mid``
  (``"mid.ffff…"``).
* Comments are MAX's own channel comments, which bots reach since 2026 through
  ``/messages/{postMid}/comments`` (list, get, send, edit, delete) and the ``comment_created``
  / ``comment_edited`` / ``comment_removed`` updates. A comment id is its ``body.mid``; a reply
  to a comment carries ``link: {type: "reply", mid: <comment mid>}``. Comments carry no
  attachments. The bot needs the admin rights ``write``, ``read_all_messages``, ``delete`` and
  (to ban) ``add_remove_members``; `check()` names the missing ones.
* "Written by the page" means: sender is ``null`` (posted on behalf of the channel) or the
  sender is this bot (``GET /me``).

Transport
---------
* Base URL ``https://platform-api2.max.ru`` (dev.max.ru: send requests to platform-api2
  instead of platform-api; botapi.max.ru is retired). That host's TLS certificate is issued by
  the Russian Ministry of Digital Development (Минцифры) root, which is not in certifi: set
  ``OTKLIK_MAX_CA_BUNDLE`` to that root's PEM (or pass an `httpx.Client` that trusts it).
* The token goes in the ``Authorization`` header as is (no "Bearer"); the ``access_token``
  query parameter is no longer accepted.
* Limits: 30 requests a second per bot (MAX's published figure) and at most two messages a
  second into one chat or channel (``POST /messages`` docs); both are enforced here.

Official posts
--------------
* No polls: the Bot API schema (0.0.30, and dev.max.ru) has no poll attachment or method, so
  ``publish_post(..., poll=…)`` raises UNSUPPORTED before anything is sent.
* ``edit_post``: ``PUT /messages?message_id=`` with a NewMessageBody holding only ``text``
  (``attachments`` absent = null = "the current attachments won't be changed"); channel posts
  are editable at any age, at most two edits a second per chat (dev.max.ru PUT /messages).
* ``delete_post``: ``DELETE /messages?message_id=``.
* ``find_post``: ``GET /messages?chat_id=…&count=100`` (newest first) and the exact text.
* ``page_status``: ``GET /chats/{chatId}`` — ``is_public`` and ``status`` ("closed": the chat
  was closed). Whether comments are switched on in the channel's settings is not in the API
  (dev.max.ru only says that while they are off a bot sees no new comments): reported as open,
  with that said in the detail.

Public links
------------
A MAX post link is ``https://max.ru/<channel name>/<post code>`` (the ``url`` field of a
message). Neither the chat id nor the message mid can be derived from it offline, so
`target_from_url` answers None for every link; `Client.resolve_url` finds the post online by
comparing the channel's recent messages' ``url``. Comments have no public link of their own: a
reply's `Published.url` is its post's link.
"""

from __future__ import annotations

import contextlib
import email.utils
import hmac
import json
import os
import re
import ssl
import time
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

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
    same_text,
    timeout,
    transport_error,
)

NETWORK = "max"
MAX_TEXT = 4000  # NewMessageBody.text / NewCommentBody.text: "до 4000 символов"
DEFAULT_API_URL = "https://platform-api2.max.ru"
PER_SECOND = 30.0  # MAX: "максимальное количество запросов в секунду … 30 rps"
SECRET_HEADER = "X-Max-Bot-Api-Secret"  # noqa: S105  # a header name; SubscriptionRequestBody.secret, Go client SecretHeader
COMMENT_UPDATES = ("comment_created", "comment_edited", "comment_removed")

# MAX answers errors as HTTP status + {"code": "<key>", "message": "<text>"}. The string key
# wins over the status: the schema's own example is 403 with "verify.token".
ERROR_CODES: dict[str, ErrorKind] = {
    "verify.token": ErrorKind.TOKEN_INVALID,  # schema.yaml example, stabs/error.invalid-token.json
    "attachment.not.ready": ErrorKind.RETRY,  # 400 while an upload is processed: send again shortly
    "too.many.requests": ErrorKind.RATE_LIMITED,
    "service.unavailable": ErrorKind.RETRY,
    "internal.error": ErrorKind.RETRY,
    "chat.denied": ErrorKind.FORBIDDEN,  # 403: the bot may not write there (suspended, not admin)
    "access.denied": ErrorKind.FORBIDDEN,
    "chat.not.found": ErrorKind.NOT_FOUND,
    "not.found": ErrorKind.NOT_FOUND,
}
# The statuses the schema lists: 400 bad request, 401 auth, 403 forbidden, 404 not found,
# 405 method not allowed (our mistake), 429 too many requests, 500/503 server trouble.
STATUS_KINDS: dict[int, ErrorKind] = {
    400: ErrorKind.BAD_REQUEST,
    401: ErrorKind.TOKEN_INVALID,
    403: ErrorKind.FORBIDDEN,
    404: ErrorKind.NOT_FOUND,
    405: ErrorKind.BAD_REQUEST,
    429: ErrorKind.RATE_LIMITED,
    500: ErrorKind.RETRY,
    503: ErrorKind.RETRY,
}
# Seconds to wait when MAX says "wait" without a Retry-After header.
DEFAULT_WAIT: dict[str, float] = {"attachment.not.ready": 2.0, "too.many.requests": 1.0}

# Admin rights the page's work needs, with what a clerk reads when one is missing.
RIGHTS: dict[str, str] = {
    "write": "публиковать записи в канале (право «write»)",
    "read_all_messages": "читать все сообщения и комментарии (право «read_all_messages»)",
    "delete": "удалять сообщения и комментарии (право «delete»)",
    "add_remove_members": "удалять и блокировать участников (право «add_remove_members»)",
}

_CHAT_ID = re.compile(r"-?\d{1,20}")
_USER_ID = re.compile(r"\d{1,20}")
_MID = re.compile(r"(mid\.)?[A-Za-z0-9_\-]{1,200}")  # the schema's messageId pattern
_PAGE_SIZE = 100  # GET /messages and /comments: count ≤ 100
_MAX_PAGES = 20  # a hard bound on one listing (2,000 comments)


def _error_from(resp: httpx.Response, token: str) -> NetworkError:
    """MAX's error answer as our kind; the token never reaches the message."""
    code = ""
    message = ""
    with contextlib.suppress(ValueError):
        data = resp.json()
        if isinstance(data, dict):
            code = str(data.get("code") or "")
            message = str(data.get("message") or data.get("error") or "")
    kind = (ERROR_CODES.get(code) or STATUS_KINDS.get(resp.status_code)
            or http_status_kind(resp.status_code) or ErrorKind.BAD_REQUEST)
    retry_after = _retry_after(resp.headers.get("Retry-After"))
    if retry_after is None and kind in (ErrorKind.RATE_LIMITED, ErrorKind.RETRY):
        retry_after = DEFAULT_WAIT.get(code, 1.0 if kind is ErrorKind.RATE_LIMITED else None)
    detail = f"{code}: {message}" if code else (message or f"HTTP {resp.status_code}")
    if token:
        detail = detail.replace(token, "***")
    return NetworkError(kind, detail, code=code or resp.status_code, retry_after=retry_after)


def _retry_after(value: str | None) -> float | None:
    """HTTP Retry-After: seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    with contextlib.suppress(TypeError, ValueError):
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time())
    return None


def _make_http() -> httpx.Client:
    """Our own httpx client; trusts the Минцифры root when OTKLIK_MAX_CA_BUNDLE names it."""
    bundle = os.environ.get("OTKLIK_MAX_CA_BUNDLE", "")
    if bundle:
        context = ssl.create_default_context()
        context.load_verify_locations(cafile=bundle)
        return httpx.Client(verify=context)
    return httpx.Client()


def _as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _reply_to(message: dict[str, Any]) -> str:
    """The mid a message answers: LinkedMessage {type: reply, message: {mid}} (or {mid})."""
    link = _as_dict(message.get("link"))
    if link.get("type") != "reply":
        return ""
    return str(_as_dict(link.get("message")).get("mid") or link.get("mid") or "")


def _comment_from(message: dict[str, Any], post_id: str, bot_id: int | None) -> Comment:
    """A CommentMessage (dev.max.ru objects/CommentMessage) as our Comment."""
    body = _as_dict(message.get("body"))
    sender = message.get("sender")
    sender_id = _int(_as_dict(sender).get("user_id"))
    # An explicit null sender is the channel itself; a missing key tells nothing.
    by_channel = "sender" in message and sender is None
    recipient = _as_dict(message.get("recipient"))
    post = str(recipient.get("post_id") or post_id)
    reply_to = _reply_to(message)
    if reply_to == post:  # a comment on the post itself answers no comment
        reply_to = ""
    return Comment(
        id=str(body.get("mid") or ""),
        post_id=post,
        author_id=str(sender_id) if sender_id else "",
        text=str(body.get("text") or ""),
        reply_to=reply_to,
        from_page=by_channel or (bot_id is not None and sender_id == bot_id),
        date=_int(message.get("timestamp")) // 1000,
    )


def _order(message: dict[str, Any]) -> tuple[int, int]:
    return _int(message.get("timestamp")), _int(_as_dict(message.get("body")).get("seq"))


class Client:
    """One MAX channel, acting through its bot's token."""

    network = NETWORK
    max_text = MAX_TEXT
    per_chat_per_second = 2.0  # POST /messages: "не более двух сообщений в секунду в один чат"
    attachment_wait = 2.0  # seconds between sends while MAX still processes an upload
    attachment_tries = 3

    def __init__(self, page: PageAccess, *, base_url: str | None = None,
                 http: httpx.Client | None = None) -> None:
        self.page = page
        self.base_url = (base_url or api_url("OTKLIK_MAX_API_URL", DEFAULT_API_URL)).rstrip("/")
        self.http = http or _make_http()
        self._limiter = limiter_for(NETWORK, page.token, PER_SECOND)
        self._bot_id: int | None = None

    # ------------------------------------------------------------------ transport
    @property
    def chat_id(self) -> str:
        value = self.page.external_id.strip()
        if not _CHAT_ID.fullmatch(value):
            raise NetworkError(ErrorKind.BAD_REQUEST,
                               "идентификатор канала MAX должен быть числом, например -70801090403050")
        return value

    def _call(self, method: str, path: str, *, params: dict[str, Any] | None = None,
              body: Any = None, send_into: str = "") -> Any:
        """One API call: limits, auth header, deadline, MAX errors as our kinds."""
        self._limiter.wait()
        if send_into:  # a new message or comment in that chat: MAX's per-chat limit
            limiter_for(f"{NETWORK}-chat", f"{self.page.token}|{send_into}",
                        self.per_chat_per_second).wait()
        try:
            resp = self.http.request(
                method, f"{self.base_url}/{path}",
                params={k: v for k, v in (params or {}).items() if v is not None},
                json=body, headers={"Authorization": self.page.token}, timeout=timeout())
        except httpx.HTTPError as exc:
            raise transport_error(exc) from None
        if not resp.is_success:
            raise _error_from(resp, self.page.token)
        try:
            data = resp.json()
        except ValueError:
            raise NetworkError(ErrorKind.RETRY, "ответ MAX не в формате JSON") from None
        # SimpleQueryResult: {"success": false, "message": "…"} is a refusal with status 200.
        if isinstance(data, dict) and data.get("success") is False:
            raise NetworkError(ErrorKind.BAD_REQUEST, str(data.get("message") or "success: false"),
                               code="success.false")
        return data

    def _mid(self, value: str, what: str = "записи") -> str:
        value = value.strip()
        if not _MID.fullmatch(value):
            raise NetworkError(ErrorKind.BAD_REQUEST, f"неверный идентификатор {what} MAX: {value[:40]!r}")
        return value

    def _text(self, text: str) -> str:
        if len(text) > MAX_TEXT:
            raise NetworkError(ErrorKind.BAD_REQUEST, f"текст длиннее {MAX_TEXT} символов")
        return text

    def bot_id(self) -> int:
        """The bot's own user id (GET /me), to recognise the page's comments; asked once."""
        if self._bot_id is None:
            self._bot_id = _int(_as_dict(self._call("GET", "me")).get("user_id"))
        return self._bot_id

    # ------------------------------------------------------------------ checks
    def check(self) -> CheckResult:
        """Token, channel and the bot's admin rights there. Transient trouble raises."""
        try:
            me = _as_dict(self._call("GET", "me"))
            self._bot_id = _int(me.get("user_id"))
            chat = _as_dict(self._call("GET", f"chats/{self.chat_id}"))
            name = str(chat.get("title") or "")
            if chat.get("type") != "channel":
                return CheckResult(ok=False, name=name,
                                   problem="Это не канал MAX: комментарии к записям есть только у каналов")
            if chat.get("status") not in (None, "active"):
                return CheckResult(ok=False, name=name,
                                   problem=f"Бот не состоит в канале (статус «{chat.get('status')}»)")
            member = _as_dict(self._call("GET", f"chats/{self.chat_id}/members/me"))
        except NetworkError as exc:
            if exc.kind in (ErrorKind.RETRY, ErrorKind.TIMEOUT, ErrorKind.RATE_LIMITED):
                raise
            return CheckResult(ok=False, problem=exc.message_ru)
        granted = set(member.get("permissions") or []) if member.get("is_admin") or member.get(
            "is_owner") else set()
        missing = tuple(text for right, text in RIGHTS.items() if right not in granted)
        if missing:
            problem = ("Бот не администратор канала" if not granted else
                       "Боту не хватает прав администратора канала")
            return CheckResult(ok=False, name=name, missing=missing, problem=problem)
        return CheckResult(ok=True, name=name)

    # ------------------------------------------------------------------ posts
    def publish_post(self, text: str, media: list[Media] | None = None, poll: Poll | None = None) -> Published:
        if poll is not None:
            raise NetworkError(ErrorKind.UNSUPPORTED, (
                "в MAX бот не может создать опрос: в Bot API нет ни вложения-опроса, ни метода для него — "
                "опубликуйте запись без опроса или дайте в тексте ссылку на опрос"))
        body: dict[str, Any] = {"text": self._text(text)}
        attachments = [self._upload(item) for item in media or []]
        if attachments:
            body["attachments"] = attachments
        for attempt in range(self.attachment_tries):
            try:
                data = self._call("POST", "messages", params={"chat_id": self.chat_id}, body=body,
                                  send_into=self.chat_id)
                break
            except NetworkError as exc:
                # Nothing was sent while the upload is not ready, so trying again is safe.
                if exc.code != "attachment.not.ready" or attempt + 1 == self.attachment_tries:
                    raise
                time.sleep(self.attachment_wait)
        message = _as_dict(_as_dict(data).get("message"))
        mid = str(_as_dict(message.get("body")).get("mid") or "")
        if not mid:
            raise NetworkError(ErrorKind.RETRY, "MAX не вернул идентификатор записи")
        return Published(post_id=mid, comment_id="", url=str(message.get("url") or self.page.public_url))

    def _upload(self, item: Media) -> dict[str, Any]:
        """POST /uploads?type=… → upload URL → file → token → an attachment request."""
        kind = {"photo": "image", "video": "video"}.get(item.kind)
        if kind is None:
            raise NetworkError(ErrorKind.BAD_REQUEST, f"MAX не принимает вложение вида «{item.kind}»")
        endpoint = _as_dict(self._call("POST", "uploads", params={"type": kind}))
        url = str(endpoint.get("url") or "")
        if not url.startswith(("https://", "http://")):
            raise NetworkError(ErrorKind.RETRY, "MAX не выдал адрес для загрузки файла")
        try:
            # The docs' upload example carries the same Authorization header; field name "data".
            resp = self.http.post(url, files={"data": (item.name, item.content)},
                                  headers={"Authorization": self.page.token}, timeout=timeout())
        except httpx.HTTPError as exc:
            raise transport_error(exc) from None
        if not resp.is_success:
            raise _error_from(resp, self.page.token)
        token = str(endpoint.get("token") or "")  # video/audio: the token comes with the URL
        if kind == "image" or not token:
            with contextlib.suppress(ValueError):
                uploaded = _as_dict(resp.json())
                photos = _as_dict(uploaded.get("photos"))  # image: {"photos": {id: {"token"}}}
                token = next((str(_as_dict(p).get("token")) for p in photos.values()
                              if _as_dict(p).get("token")), "") or str(uploaded.get("token") or token)
        if not token:
            raise NetworkError(ErrorKind.RETRY, "MAX не вернул токен загруженного файла")
        return {"type": kind, "payload": {"token": token}}

    def fetch_post(self, post_id: str) -> PostState:
        try:
            message = _as_dict(self._call("GET", f"messages/{self._mid(post_id)}"))
        except NetworkError as exc:
            if exc.kind is ErrorKind.NOT_FOUND:
                return PostState(id=post_id, text="", exists=False)
            raise
        body = _as_dict(message.get("body"))
        return PostState(id=str(body.get("mid") or post_id), text=str(body.get("text") or ""))

    def edit_post(self, post_id: str, text: str) -> None:
        """PUT /messages?message_id=: only the text; the attachments stay as they are."""
        self._call("PUT", "messages", params={"message_id": self._mid(post_id)}, body={"text": self._text(text)},
                   send_into=self.chat_id)

    def delete_post(self, post_id: str) -> None:
        self._call("DELETE", "messages", params={"message_id": self._mid(post_id)})

    def find_post(self, text: str) -> Published | None:
        """The channel's newest post (of its last 100) whose text is exactly `text`, or None."""
        data = _as_dict(self._call("GET", "messages", params={"chat_id": self.chat_id, "count": _PAGE_SIZE}))
        for message in data.get("messages") or []:
            message = _as_dict(message)
            body = _as_dict(message.get("body"))
            if body.get("mid") and same_text(str(body.get("text") or ""), text):
                return Published(post_id=str(body["mid"]), comment_id="",
                                 url=str(message.get("url") or self.page.public_url))
        return None

    def page_status(self) -> PageStatus:
        """GET /chats/{chatId}: `is_public` and `status`; comments cannot be told (see module)."""
        chat = _as_dict(self._call("GET", f"chats/{self.chat_id}"))
        name = str(chat.get("title") or "")
        notes: list[str] = []
        is_open = True
        if chat.get("status") == "closed":
            is_open = False
            notes.append("канал закрыт (статус «closed»)")
        elif chat.get("status") in ("removed", "left"):
            notes.append(f"бот больше не состоит в канале (статус «{chat.get('status')}»): публиковать он не "
                         "сможет — верните бота администратором")
        if chat.get("is_public") is False:
            is_open = False
            notes.append("канал не публичный: его видят только по приглашению — сделайте канал публичным")
        elif chat.get("is_public") is not True:
            notes.append("MAX не сообщил, публичный ли канал")
        if chat.get("type") not in (None, "channel"):
            notes.append("это не канал MAX: комментарии к записям есть только у каналов")
        notes.append("открыты ли комментарии, Bot API MAX не сообщает — проверьте в настройках канала, "
                     "что комментарии включены")
        return PageStatus(name=name, open=is_open, comments_open=True, detail="; ".join(notes))

    def _post_url(self, post_id: str) -> str:
        """The post's public link (Message.url); the channel's link when MAX gives none."""
        try:
            message = _as_dict(self._call("GET", f"messages/{self._mid(post_id)}"))
        except NetworkError:
            return self.page.public_url  # the reply exists already: a link is not worth failing it
        return str(message.get("url") or self.page.public_url)

    # ------------------------------------------------------------------ comments
    def reply(self, target: Target, text: str) -> Published:
        body: dict[str, Any] = {"text": self._text(text)}
        if target.comment_id:
            body["link"] = {"type": "reply", "mid": self._mid(target.comment_id, "комментария")}
        data = self._call("POST", f"messages/{self._mid(target.post_id)}/comments", body=body,
                          send_into=self.chat_id)
        message = _as_dict(_as_dict(data).get("message"))
        mid = str(_as_dict(message.get("body")).get("mid") or "")
        if not mid:
            raise NetworkError(ErrorKind.RETRY, "MAX не вернул идентификатор комментария")
        url = str(message.get("url") or "") or self._post_url(target.post_id)
        return Published(post_id=target.post_id, comment_id=mid, url=url)

    def _list(self, post_id: str, after: int = 0) -> list[dict[str, Any]]:
        """Every comment of a post newer than `after` (ms), newest pages first, deduplicated."""
        found: dict[str, dict[str, Any]] = {}
        before: int | None = None
        for _ in range(_MAX_PAGES):
            data = _as_dict(self._call("GET", f"messages/{self._mid(post_id)}/comments", params={
                "count": _PAGE_SIZE, "after": after or None, "before": before}))
            page = [m for m in data.get("messages") or [] if isinstance(m, dict)]
            for message in page:
                found.setdefault(str(_as_dict(message.get("body")).get("mid")), message)
            oldest = min((_order(m)[0] for m in page), default=0)
            if len(page) < _PAGE_SIZE or not oldest or (before is not None and oldest >= before):
                break
            before = oldest
        return sorted(found.values(), key=_order)

    def find_reply(self, target: Target, text: str) -> Published | None:
        bot_id = self.bot_id()
        for message in reversed(self._list(target.post_id)):
            comment = _comment_from(message, target.post_id, bot_id)
            if comment.from_page and comment.reply_to == target.comment_id and same_text(comment.text, text):
                return Published(post_id=target.post_id, comment_id=comment.id,
                                 url=str(message.get("url") or "") or self._post_url(target.post_id))
        return None

    def comments(self, post_id: str, marker: str = "") -> CommentBatch:
        """New comments of one post since `marker` ("<timestamp ms>:<seq>" of the last one seen)."""
        last = (0, 0)
        if marker:
            seen_ts, _, seen_seq = marker.partition(":")
            last = (_int(seen_ts), _int(seen_seq))
        # `after` one ms early: same-millisecond comments are then told apart by seq.
        messages = [m for m in self._list(post_id, after=max(0, last[0] - 1)) if _order(m) > last]
        bot_id = self.bot_id() if messages else None
        batch = [_comment_from(m, post_id, bot_id) for m in messages]
        if messages:
            newest = _order(messages[-1])
            marker = f"{newest[0]}:{newest[1]}"
        return CommentBatch(comments=batch, marker=marker)

    def fetch_comment(self, target: Target) -> Comment:
        message = _as_dict(self._call(
            "GET", f"messages/{self._mid(target.post_id)}/comments/{self._mid(target.comment_id, 'комментария')}"))
        return _comment_from(message, target.post_id, self.bot_id())

    def delete_comment(self, target: Target) -> None:
        if target.comment_id:
            self._call("DELETE", f"messages/{self._mid(target.post_id)}/comments",
                       params={"comment_id": self._mid(target.comment_id, "комментария")})
        else:  # the post itself
            self._call("DELETE", "messages", params={"message_id": self._mid(target.post_id)})

    def restore_comment(self, target: Target) -> None:
        raise NetworkError(ErrorKind.UNSUPPORTED,
                           "в MAX удаление комментария окончательное — восстановить его нельзя")

    # ------------------------------------------------------------------ people
    def ban(self, author_id: str, reason: str = "") -> None:
        """Remove the author from the channel and block them (MAX keeps no reason text)."""
        if not _USER_ID.fullmatch(author_id.strip()):
            raise NetworkError(ErrorKind.BAD_REQUEST, "неверный идентификатор пользователя MAX")
        self._call("DELETE", f"chats/{self.chat_id}/members",
                   params={"user_id": author_id.strip(), "block": "true"})

    def unban(self, author_id: str) -> None:
        raise NetworkError(ErrorKind.UNSUPPORTED,
                           "в API MAX нет снятия блокировки — разблокируйте участника в настройках канала")

    # ------------------------------------------------------------------ feeds (MAX extras)
    def new_comments(self, marker: str = "") -> CommentBatch:
        """Comment updates of this channel since `marker` (GET /updates, no long polling).

        MAX commits every update before `marker` for the whole bot, so one bot serves one page.
        Cannot be combined with a webhook subscription (MAX: "cannot be used simultaneously").
        """
        data = _as_dict(self._call("GET", "updates", params={
            "marker": marker or None, "timeout": 0, "limit": 100, "types": ",".join(COMMENT_UPDATES)}))
        found: list[Comment] = []
        for update in data.get("updates") or []:
            comment = _comment_of_update(_as_dict(update))
            if comment is not None and _update_chat(_as_dict(update)) == self.chat_id:
                found.append(comment)
        bot_id = self.bot_id() if found else None
        found = [replace(c, from_page=c.from_page or c.author_id == str(bot_id)) for c in found]
        next_marker = data.get("marker")
        return CommentBatch(comments=found, marker=str(next_marker) if next_marker is not None else marker)

    def subscribe(self, url: str, secret: str) -> None:
        """POST /subscriptions: MAX then pushes comment updates to `url` with our secret."""
        if not re.fullmatch(r"[\w-]{5,256}", secret, flags=re.ASCII):
            raise NetworkError(ErrorKind.BAD_REQUEST, "секрет вебхука MAX: 5–256 символов A-Z a-z 0-9 _ -")
        self._call("POST", "subscriptions", body={
            "url": url, "update_types": list(COMMENT_UPDATES), "secret": secret})

    def resolve_url(self, url: str) -> Target | None:
        """A pasted post link of this channel → its Target, by the recent messages' `url`."""
        wanted = _normal_link(url)
        if wanted is None:
            return None
        data = _as_dict(self._call("GET", "messages", params={"chat_id": self.chat_id, "count": _PAGE_SIZE}))
        for message in data.get("messages") or []:
            if _normal_link(str(_as_dict(message).get("url") or "")) == wanted:
                return Target(post_id=str(_as_dict(_as_dict(message).get("body")).get("mid") or ""))
        return None


def _normal_link(url: str) -> tuple[str, str] | None:
    """("channel", "code") of a max.ru post link, or None."""
    if not isinstance(url, str) or len(url) > 2000:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or host not in ("max.ru", "www.max.ru", "m.max.ru", "web.max.ru"):
        return None
    pieces = [p for p in parts.path.split("/") if p]
    if len(pieces) != 2 or not all(re.fullmatch(r"[\w-]{1,100}", p, flags=re.ASCII) for p in pieces):
        return None
    return pieces[0].lower(), pieces[1]


def target_from_url(url: str) -> tuple[str, Target] | None:
    """Always None: a MAX link names the channel and an opaque post code, not the chat id and
    message mid the API needs (see the module docstring; `Client.resolve_url` looks it up)."""
    _normal_link(url)  # parsed for symmetry with the other networks; never raises
    return None


def _update_chat(update: dict[str, Any]) -> str:
    recipient = _as_dict(_as_dict(update.get("message")).get("recipient"))
    chat = recipient.get("chat_id", update.get("chat_id"))
    return str(_int(chat)) if chat is not None else ""


def _comment_of_update(update: dict[str, Any]) -> Comment | None:
    """comment_created / comment_edited / comment_removed as a Comment; others None."""
    kind = update.get("update_type")
    if kind in ("comment_created", "comment_edited"):
        message = _as_dict(update.get("message"))
        if not _as_dict(message.get("body")).get("mid"):
            return None
        return _comment_from(message, "", None)
    if kind == "comment_removed" and update.get("message_id"):
        return Comment(id=str(update["message_id"]), post_id=str(update.get("post_id") or ""),
                       author_id="", text="", deleted=True, date=_int(update.get("timestamp")) // 1000)
    return None


def parse_webhook(headers: dict[str, str], body: bytes, secret: str, confirmation: str = "") -> Push:
    """A MAX webhook delivery (one Update object), checked against the subscription's secret.

    MAX sends the secret in X-Max-Bot-Api-Secret and wants any 200 back; there is no
    confirmation handshake, so `confirmation` is unused. message_* updates are the channel's
    own posts, not citizens' comments: acknowledged with no comments.
    """
    got = next((v for k, v in headers.items() if k.lower() == SECRET_HEADER.lower()), "")
    if not secret or not hmac.compare_digest(got.encode(), secret.encode()):
        raise NetworkError(ErrorKind.FORBIDDEN, "неверный секрет вебхука MAX")
    try:
        update = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise NetworkError(ErrorKind.BAD_REQUEST, "тело вебхука MAX — не JSON") from None
    if not isinstance(update, dict) or not isinstance(update.get("update_type"), str):
        raise NetworkError(ErrorKind.BAD_REQUEST, "в вебхуке MAX нет update_type")
    comment = _comment_of_update(update)
    return Push(page_key=_update_chat(update), comments=[comment] if comment else [])


def channel_of(url: str) -> str | None:
    """The channel name of a max.ru link of a channel or of one of its posts, lower-cased."""
    if not isinstance(url, str) or len(url) > 2000:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or host not in ("max.ru", "www.max.ru", "m.max.ru", "web.max.ru"):
        return None
    pieces = [p for p in parts.path.split("/") if p]
    if not 1 <= len(pieces) <= 2 or not re.fullmatch(r"[\w-]{1,100}", pieces[0], flags=re.ASCII):
        return None
    return pieces[0].lower()
