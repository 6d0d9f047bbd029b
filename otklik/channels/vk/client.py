"""VK (ВКонтакте) client over the plain HTTP API, version 5.199.

Conventions (what the rest of Otklik stores and passes in):

* Page key = `PageAccess.external_id` = the community id as digits, without the minus:
  "123" for https://vk.com/club123. The wall's `owner_id` in the API is then -123.
* `Target.post_id` is the wall post id ("456" in wall-123_456); `Target.comment_id` the comment
  id ("789" in ?reply=789). So https://vk.com/wall-123_456?reply=789 → ("123", Target("456", "789")).
* The token: VK's machine-readable spec (github.com/VKCOM/vk-api-schema, wall/methods.json,
  groups/methods.json, photos/methods.json) lists wall.post, wall.getComment, wall.deleteComment,
  wall.restoreComment, wall.getById, groups.ban/unban and photos.saveWallPhoto (and, for the
  official-pages posts, polls.create, wall.edit and wall.delete) as callable with a *user*
  token only; a community token gets error 27. So the page's token must be a user token of
  a community editor/administrator (scopes wall, photos, video, groups, offline). `check()` says
  so in Russian when it meets a community token.
* Every method call is POST {base}/{method} with a form body carrying `access_token` and `v`:
  the token never appears in a URL, so it stays out of access logs and exception messages.
* `comments()` marker: "<Bots Long Poll ts>:<highest comment id already returned>".
* Official-pages posts: a poll is created first (polls.create, owner_id -123) and attached as
  "poll-123_<id>"; `edit_post` reads the post (wall.getById) and sends its attachments back with
  the new text, because wall.edit replaces the whole post; `find_post` reads the wall's last 100
  own posts (wall.get filter=owner); `page_status` reads groups.getById fields=wall
  (is_closed, deactivated, wall).
* Published links: https://vk.com/wall-123_456 (post), …?reply=789 (top-level comment),
  …?reply=790&thread=789 (a reply inside the thread of comment 789) — the form VK itself uses.
"""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Iterator
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
    same_text,
    timeout,
    transport_error,
)

NETWORK = "vk"
API_VERSION = "5.199"
DEFAULT_API_URL = "https://api.vk.com/method"
PUBLIC_URL = "https://vk.com"
# VK documents no length for wall comments; messages stop at 4096 (error 914) and posts at
# 16384. We keep the smaller bound for both so a reply is never cut by the network.
MAX_TEXT = 4096
# VK's limits: 3 requests/second for a user token, 20 for a community token. Our methods need a
# user token (see above), so the user limit holds.
PER_SECOND = 3.0
PAGE_SIZE = 100  # wall.getComments' maximum `count`
FIND_POSTS = 100  # find_post looks at the wall's last 100 own posts (wall.get's maximum `count`)
POLL_ANSWERS = 10  # polls.create: "There can be from 1 to 10 answers" (polls/methods.json)
# Attachment kinds wall.edit takes back as "<type><owner_id>_<media_id>[_<access_key>]".
EDIT_KINDS = frozenset({"photo", "video", "audio", "doc", "poll", "page", "note", "album", "market"})
# groups.getById field `wall` (groups_group_wall): 0 disabled, 1 open, 2 limited, 3 closed.
# Open and limited walls take comments from everyone; a closed or disabled one does not.
WALL_RU = {0: "стена сообщества выключена", 3: "стена сообщества закрыта: комментировать может только сообщество"}
CLOSED_RU = {1: "сообщество закрытое: записи видят только участники",
             2: "сообщество частное: записи видят только приглашённые"}
MAX_PAGES = 20  # at most 2000 comments per listing: a worker must not walk a viral post forever

K = ErrorKind
# VK error codes (errors.json of VKCOM/vk-api-schema, version 5.199) → our kinds.
ERROR_KINDS: dict[int, ErrorKind] = {
    1: K.RETRY,  # Unknown error occurred — VK: "try again later"
    2: K.FORBIDDEN,  # Application is disabled
    3: K.BAD_REQUEST,  # Unknown method passed
    4: K.TOKEN_INVALID,  # Incorrect signature
    5: K.TOKEN_INVALID,  # User authorization failed (revoked, expired, wrong token)
    6: K.RATE_LIMITED,  # Too many requests per second
    7: K.FORBIDDEN,  # Permission to perform this action is denied
    8: K.BAD_REQUEST,  # Invalid request
    9: K.RATE_LIMITED,  # Flood control (too many identical actions)
    10: K.RETRY,  # Internal server error
    11: K.FORBIDDEN,  # In test mode application should be disabled
    13: K.BAD_REQUEST,  # Runtime error (execute)
    14: K.RATE_LIMITED,  # Captcha needed: VK's anti-spam brake; a bot cannot solve it, it waits
    15: K.FORBIDDEN,  # Access denied
    16: K.BAD_REQUEST,  # HTTP authorization failed (the call must go over HTTPS)
    17: K.TOKEN_INVALID,  # Validation required: the admin must log in again
    18: K.NOT_FOUND,  # User was deleted or banned
    19: K.FORBIDDEN,  # Content blocked
    20: K.FORBIDDEN,  # Denied for non-standalone applications
    21: K.FORBIDDEN,  # Allowed only for standalone and OpenAPI applications
    22: K.BAD_REQUEST,  # Upload error
    23: K.UNSUPPORTED,  # This method was disabled
    24: K.FORBIDDEN,  # Confirmation required
    25: K.TOKEN_INVALID,  # Token confirmation required
    27: K.FORBIDDEN,  # Group authorization failed: the method needs a user (admin) token
    28: K.TOKEN_INVALID,  # Application authorization failed
    29: K.RATE_LIMITED,  # Rate limit reached (the method's daily quota)
    30: K.FORBIDDEN,  # This profile is private
    32: K.RATE_LIMITED,  # Need wait
    33: K.UNSUPPORTED,  # Not implemented yet
    34: K.BAD_REQUEST,  # Client version deprecated
    35: K.BAD_REQUEST,  # Client update needed
    36: K.TIMEOUT,  # Method execution was interrupted due to timeout: it may have run
    37: K.FORBIDDEN,  # User was banned
    38: K.TOKEN_INVALID,  # Unknown application
    39: K.NOT_FOUND,  # Unknown user
    40: K.NOT_FOUND,  # Unknown group
    41: K.FORBIDDEN,  # Additional signup required
    42: K.FORBIDDEN,  # IP is not allowed
    43: K.RETRY,  # This section is temporary unavailable
    100: K.BAD_REQUEST,  # One of the parameters specified was missing or invalid
    101: K.BAD_REQUEST,  # Invalid application API ID
    103: K.RATE_LIMITED,  # Out of limits (e.g. posts per day)
    104: K.NOT_FOUND,  # Not found
    105: K.RETRY,  # Couldn't save file
    106: K.BAD_REQUEST,  # Unable to process action
    113: K.BAD_REQUEST,  # Invalid user id
    114: K.BAD_REQUEST,  # Invalid album id
    118: K.BAD_REQUEST,  # Invalid server (upload)
    121: K.BAD_REQUEST,  # Invalid hash (upload)
    122: K.BAD_REQUEST,  # Invalid photos
    125: K.BAD_REQUEST,  # Invalid group id
    129: K.BAD_REQUEST,  # Invalid photo
    150: K.BAD_REQUEST,  # Invalid timestamp
    183: K.FORBIDDEN,  # Access to comment denied
    200: K.FORBIDDEN,  # Access denied (album)
    203: K.FORBIDDEN,  # Access to group denied
    204: K.FORBIDDEN,  # Access denied (video)
    210: K.FORBIDDEN,  # Access to wall's post denied
    211: K.FORBIDDEN,  # Access to wall's comment denied
    212: K.FORBIDDEN,  # Access to post comments denied (comments closed)
    213: K.FORBIDDEN,  # Access to status replies denied
    214: K.FORBIDDEN,  # Access to adding post denied
    219: K.FORBIDDEN,  # Advertisement post was recently added
    220: K.BAD_REQUEST,  # Too many recipients
    222: K.BAD_REQUEST,  # Hyperlinks are forbidden
    223: K.RATE_LIMITED,  # Too many replies
    224: K.FORBIDDEN,  # Too many ads posts
    225: K.FORBIDDEN,  # Donut is disabled
    243: K.BAD_REQUEST,  # Comment has not been deleted (restore of a live comment)
    300: K.FORBIDDEN,  # This album is full
    601: K.RATE_LIMITED,  # Too many actions this day
    703: K.FORBIDDEN,  # You need to enable 2FA for this action
    1105: K.RATE_LIMITED,  # Too many auth attempts
    1114: K.TOKEN_INVALID,  # Anonymous token has expired
    1116: K.TOKEN_INVALID,  # Anonymous token is invalid
    1117: K.TOKEN_INVALID,  # Access token has expired
    3609: K.TOKEN_INVALID,  # Token extension required
    3610: K.NOT_FOUND,  # User is deactivated
}
# VK's error body carries no retry time; these are its documented or observed waits.
RETRY_AFTER: dict[int, float] = {6: 1.0, 9: 60.0, 14: 60.0, 29: 3600.0, 32: 1.0, 103: 3600.0,
                                 223: 60.0, 601: 3600.0, 1105: 300.0}
# What the clerk reads for the codes whose English text says too little.
DETAIL_RU: dict[int, str] = {
    5: "ключ отозван, истёк или неверен",
    6: "больше 3 обращений в секунду",
    9: "ВКонтакте сдерживает одинаковые действия (flood control)",
    14: "ВКонтакте просит ввести капчу — подождём",
    15: "доступ запрещён",
    17: "администратору нужно заново войти во ВКонтакте",
    18: "страница пользователя удалена или заблокирована",
    27: "этот метод недоступен с ключом сообщества — нужен ключ администратора сообщества",
    29: "исчерпан дневной лимит метода",
    212: "комментарии к записи закрыты",
    213: "нет доступа к комментариям записи",
    214: "нет права публиковать записи на стене",
    222: "ссылки в тексте запрещены",
    223: "слишком много ответов подряд",
    1117: "срок действия ключа истёк",
}

# Bits of account.getAppPermissions for a user token, and the rights Otklik needs.
USER_SCOPES: tuple[tuple[int, str], ...] = (
    (8192, "стена (wall)"),
    (4, "фотографии (photos)"),
    (16, "видео (video)"),
    (262144, "сообщества (groups)"),
    (65536, "доступ в любое время (offline)"),
)
COMMENT_EVENTS = ("wall_reply_new", "wall_reply_edit", "wall_reply_restore")

_ID = r"[1-9]\d{0,11}"  # VK ids are positive; twelve digits is far above any real one
_WALL = re.compile(rf"wall-({_ID})_({_ID})(?:_r({_ID}))?")
_DIGITS = re.compile(_ID)
_HOSTS = frozenset(f"{prefix}{domain}" for prefix in ("", "www.", "m.") for domain in ("vk.com", "vk.ru"))


def _digits(value: str, what: str) -> str:
    text = str(value).strip()
    if not _DIGITS.fullmatch(text):
        raise NetworkError(ErrorKind.BAD_REQUEST, f"{what}: ожидался числовой идентификатор ВКонтакте")
    return text


def post_url(group: str, post_id: str) -> str:
    return f"{PUBLIC_URL}/wall-{group}_{post_id}"


def comment_url(group: str, post_id: str, comment_id: str, thread: str = "") -> str:
    url = f"{post_url(group, post_id)}?reply={comment_id}"
    if thread and thread != comment_id:
        url += f"&thread={thread}"
    return url


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def comment_from_vk(item: dict[str, Any], group: str, post_id: str = "") -> Comment:
    """A wall_comment object (wall.getComments, wall.getComment, wall_reply_* events)."""
    if not isinstance(item, dict) or _int(item.get("id")) <= 0:
        raise NetworkError(ErrorKind.BAD_REQUEST, "комментарий ВКонтакте без идентификатора")
    from_id = _int(item.get("from_id"))
    stack = item.get("parents_stack") or []
    reply_to = _int(item.get("reply_to_comment")) or (_int(stack[-1]) if isinstance(stack, list) and stack else 0)
    return Comment(
        id=str(_int(item["id"])),
        post_id=str(_int(item.get("post_id")) or post_id),
        author_id=str(from_id),
        text=str(item.get("text") or ""),
        reply_to=str(reply_to) if reply_to else "",
        from_page=from_id == -_int(group),
        deleted=bool(item.get("deleted")),
        date=_int(item.get("date")),
    )


def target_from_url(url: str) -> tuple[str, Target] | None:
    """(page key, Target) from a VK post/comment link, or None for anything else (never raises)."""
    try:
        return _target_from_url(url)
    except Exception:  # hostile input must never reach the caller as an exception
        return None


def _target_from_url(url: str) -> tuple[str, Target] | None:
    if not isinstance(url, str) or len(url) > 2048:
        return None
    text = url.strip()
    if "://" not in text and text.lower().split("/", 1)[0] in _HOSTS:
        text = "https://" + text  # "vk.com/wall-1_2" as people paste it from the address bar
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or parts.username or parts.password:
        return None
    if (parts.hostname or "").lower() not in _HOSTS or parts.port is not None:
        return None
    query = parse_qs(parts.query, keep_blank_values=True)
    path = parts.path.strip("/")
    match = _WALL.fullmatch(path)
    if match is None and "w" in query:
        match = _WALL.fullmatch(query["w"][0])
    if match is None:
        return None
    group, post, comment = match.group(1), match.group(2), match.group(3) or ""
    if "reply" in query:
        reply = query["reply"][0]
        if not _DIGITS.fullmatch(reply):
            return None
        comment = reply
    return group, Target(post_id=post, comment_id=comment)


def parse_webhook(headers: dict[str, str], body: bytes, secret: str, confirmation: str = "") -> Push:
    """A Callback API request → Push. VK sends the secret inside the JSON body (`secret`)."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise NetworkError(ErrorKind.BAD_REQUEST, "уведомление ВКонтакте — не JSON") from None
    if not isinstance(data, dict):
        raise NetworkError(ErrorKind.BAD_REQUEST, "уведомление ВКонтакте — не объект JSON")
    if not secret:
        # Without a secret anyone could post comments into Otklik: refuse rather than trust.
        raise NetworkError(ErrorKind.FORBIDDEN, "для страницы не задан секретный ключ Callback API")
    given = data.get("secret")
    if not isinstance(given, str) or not hmac.compare_digest(given.encode(), secret.encode()):
        raise NetworkError(ErrorKind.FORBIDDEN, "секретный ключ уведомления ВКонтакте не совпал")
    group, kind = data.get("group_id"), data.get("type")
    if isinstance(group, bool) or not isinstance(group, int | str) or not _DIGITS.fullmatch(str(group)) \
            or not isinstance(kind, str):
        raise NetworkError(ErrorKind.BAD_REQUEST, "в уведомлении ВКонтакте нет group_id или type")
    page_key = str(group)
    if kind == "confirmation":
        if not confirmation:
            raise NetworkError(ErrorKind.BAD_REQUEST, "не задана строка подтверждения Callback API")
        return Push(page_key=page_key, comments=[], reply=confirmation)
    if kind in COMMENT_EVENTS:
        obj = data.get("object")
        if not isinstance(obj, dict):
            raise NetworkError(ErrorKind.BAD_REQUEST, "в уведомлении ВКонтакте нет объекта комментария")
        return Push(page_key=page_key, comments=[comment_from_vk(obj, page_key)])
    return Push(page_key=page_key)  # wall_reply_delete and the rest: acknowledged, nothing to read


class Client:
    """One VK community, acting through its administrator's user token."""

    network = NETWORK
    max_text = MAX_TEXT

    def __init__(self, page: PageAccess, *, base_url: str | None = None,
                 http: httpx.Client | None = None) -> None:
        self.page = page
        # Digits without the minus; "-123" (the owner_id form) is accepted as well.
        self.group = _digits(page.external_id.strip().removeprefix("-"), "сообщество")
        self.owner = f"-{self.group}"
        self.base_url = (base_url or api_url("OTKLIK_VK_API_URL", DEFAULT_API_URL)).rstrip("/")
        self._http = http or httpx.Client()
        self._own_http = http is None
        self._limiter = limiter_for(NETWORK, page.token, PER_SECOND)

    def close(self) -> None:
        if self._own_http:
            self._http.close()

    # -- transport
    def _call(self, method: str, params: dict[str, str | int]) -> Any:
        form = {key: str(value) for key, value in params.items()}
        form["access_token"] = self.page.token  # in the body, never the URL
        form["v"] = API_VERSION
        self._limiter.wait()
        try:
            response = self._http.post(f"{self.base_url}/{method}", data=form, timeout=timeout())
        except httpx.HTTPError as exc:
            raise transport_error(exc) from None  # from None: no request object in the chain
        return self._unwrap(response)

    def _unwrap(self, response: httpx.Response) -> Any:
        try:
            data = response.json()
        except ValueError:
            data = None
        if isinstance(data, dict) and isinstance(data.get("error"), dict):
            raise self._api_error(data["error"])
        kind = http_status_kind(response.status_code)
        if kind is not None:
            raise NetworkError(kind, f"HTTP {response.status_code}", code=response.status_code,
                               retry_after=_retry_after_header(response))
        if not isinstance(data, dict) or "response" not in data:
            raise NetworkError(ErrorKind.RETRY, "ВКонтакте ответил не по формату API")
        return data["response"]

    def _api_error(self, error: dict[str, Any]) -> NetworkError:
        code = _int(error.get("error_code"), -1)
        kind = ERROR_KINDS.get(code, ErrorKind.BAD_REQUEST)
        message = str(error.get("error_msg") or "")[:300]
        if self.page.token:
            message = message.replace(self.page.token, "***")  # VK never echoes it; be sure anyway
        hint = DETAIL_RU.get(code, "")
        detail = f"ВКонтакте, код {code}: " + (f"{hint}; {message}" if hint else message)
        retry_after = RETRY_AFTER.get(code, 1.0) if kind is ErrorKind.RATE_LIMITED else None
        return NetworkError(kind, detail, code=code, retry_after=retry_after)

    def _upload(self, url: str, field: str, media: Media) -> dict[str, Any]:
        """A file to VK's upload server (a signed URL: no token goes with it)."""
        try:
            response = self._http.post(url, files={field: (media.name, media.content)}, timeout=timeout())
        except httpx.HTTPError as exc:
            raise transport_error(exc) from None
        kind = http_status_kind(response.status_code)
        if kind is not None:
            raise NetworkError(kind, f"загрузка файла: HTTP {response.status_code}", code=response.status_code)
        try:
            data = response.json()
        except ValueError:
            raise NetworkError(ErrorKind.RETRY, "сервер загрузки ВКонтакте ответил не JSON") from None
        if not isinstance(data, dict) or data.get("error"):
            detail = str(data.get("error"))[:200] if isinstance(data, dict) else ""
            raise NetworkError(ErrorKind.BAD_REQUEST, f"ВКонтакте не принял файл {media.name}: {detail}")
        return data

    # -- media
    def _attach(self, media: Media) -> str:
        if media.kind == "photo":
            server = self._call("photos.getWallUploadServer", {"group_id": self.group})
            uploaded = self._upload(str(server["upload_url"]), "photo", media)
            if uploaded.get("photo") in (None, "", "[]"):
                raise NetworkError(ErrorKind.BAD_REQUEST, f"ВКонтакте не принял фото {media.name}")
            saved = self._call("photos.saveWallPhoto", {
                "group_id": self.group, "photo": str(uploaded["photo"]),
                "server": _int(uploaded.get("server")), "hash": str(uploaded.get("hash") or "")})
            photo = saved[0]
            return f"photo{photo['owner_id']}_{photo['id']}"
        if media.kind == "video":
            saved = self._call("video.save", {"group_id": self.group, "name": media.name, "wallpost": 0})
            self._upload(str(saved["upload_url"]), "video_file", media)
            return f"video{saved['owner_id']}_{saved['video_id']}"
        raise NetworkError(ErrorKind.UNSUPPORTED, f"вложение вида «{media.kind}» ВКонтакте не поддерживается")

    # -- the interface
    def check(self) -> CheckResult:
        """The community, the kind of token and its rights; transient failures raise."""
        settled = (ErrorKind.TOKEN_INVALID, ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND, ErrorKind.BAD_REQUEST)
        try:
            found = self._call("groups.getById", {"group_id": self.group})
            # 5.199 answers {"groups": [...], "profiles": [...]}; older versions a bare list.
            groups = found.get("groups") if isinstance(found, dict) else found
            group = groups[0] if groups else {}
            name = str(group.get("name") or "")
        except NetworkError as exc:
            if exc.kind in settled:
                return CheckResult(ok=False, problem=exc.message_ru)
            raise
        try:
            mask = _int(self._call("account.getAppPermissions", {}))
        except NetworkError as exc:
            if exc.code == 27:
                return self._check_community_token(name)
            if exc.kind in settled:
                return CheckResult(ok=False, name=name, problem=exc.message_ru)
            raise
        missing = [label for bit, label in USER_SCOPES if not mask & bit]
        if not group.get("is_admin"):
            missing.append("права руководителя сообщества (редактор или администратор)")
        elif _int(group.get("admin_level")) < 2:
            missing.append("права редактора сообщества: модератор не может публиковать записи")
        problem = "Ключу не хватает прав: " + ", ".join(missing) + "." if missing else ""
        return CheckResult(ok=not missing, name=name, missing=tuple(missing), problem=problem)

    def _check_community_token(self, name: str) -> CheckResult:
        missing = ["ключ администратора сообщества вместо ключа сообщества: ключом сообщества "
                   "ВКонтакте не даёт публиковать записи, удалять комментарии и блокировать авторов"]
        try:
            rights = self._call("groups.getTokenPermissions", {})
            have = {str(p.get("name")) for p in rights.get("permissions", []) if isinstance(p, dict)}
            missing += [label for right, label in (("manage", "управление сообществом (manage)"),
                                                   ("photos", "фотографии (photos)")) if right not in have]
        except NetworkError:
            pass  # the main problem is already named
        return CheckResult(ok=False, name=name, missing=tuple(missing),
                           problem="Указан ключ сообщества, а Отклику нужен ключ администратора сообщества.")

    def publish_post(self, text: str, media: list[Media] | None = None, poll: Poll | None = None) -> Published:
        if len(text) > MAX_TEXT:
            raise NetworkError(ErrorKind.BAD_REQUEST, f"текст длиннее {MAX_TEXT} знаков")
        if poll is not None:
            _check_poll(poll)  # before any upload: a bad poll must not leave orphan files
        attachments = [self._attach(item) for item in media or []]
        if poll is not None:
            attachments.append(self._create_poll(poll))
        params: dict[str, str | int] = {"owner_id": self.owner, "from_group": 1, "message": text}
        if attachments:
            params["attachments"] = ",".join(attachments)
        post_id = str(_int(self._call("wall.post", params).get("post_id")))
        return Published(post_id=post_id, comment_id="", url=post_url(self.group, post_id))

    def _create_poll(self, poll: Poll) -> str:
        """polls.create on the community's behalf → the attachment "poll<owner_id>_<id>"."""
        created = self._call("polls.create", {
            "owner_id": self.owner, "question": poll.question.strip(),
            "add_answers": json.dumps([o.strip() for o in poll.options], ensure_ascii=False),
            "is_multiple": int(poll.multiple), "is_anonymous": 0})
        if not isinstance(created, dict) or _int(created.get("id")) <= 0:
            raise NetworkError(ErrorKind.RETRY, "ВКонтакте не вернул идентификатор опроса")
        return f"poll{_int(created.get('owner_id'), -_int(self.group))}_{_int(created['id'])}"

    def edit_post(self, post_id: str, text: str) -> None:
        """wall.edit replaces the whole post: the attachments it has are sent back unchanged."""
        if len(text) > MAX_TEXT:
            raise NetworkError(ErrorKind.BAD_REQUEST, f"текст длиннее {MAX_TEXT} знаков")
        post = _digits(post_id, "запись")
        found = self._call("wall.getById", {"posts": f"{self.owner}_{post}"})
        items = found.get("items") if isinstance(found, dict) else found
        if not items or not isinstance(items[0], dict) or items[0].get("is_deleted"):
            raise NetworkError(ErrorKind.NOT_FOUND, f"запись {post}")
        kept = [ref for ref in (_attachment_ref(a) for a in items[0].get("attachments") or []) if ref]
        if not text.strip() and not kept:
            raise NetworkError(ErrorKind.BAD_REQUEST, "пустая запись без вложений")
        params: dict[str, str | int] = {"owner_id": self.owner, "post_id": post, "message": text}
        if kept:
            params["attachments"] = ",".join(kept)
        self._call("wall.edit", params)

    def delete_post(self, post_id: str) -> None:
        post = _digits(post_id, "запись")
        self._call("wall.delete", {"owner_id": self.owner, "post_id": post})

    def find_post(self, text: str) -> Published | None:
        """The community's own post with exactly this text among the wall's last FIND_POSTS."""
        found = self._call("wall.get", {"owner_id": self.owner, "count": FIND_POSTS, "filter": "owner"})
        items = found.get("items") if isinstance(found, dict) else None
        me = -_int(self.group)
        for item in items or []:
            if not isinstance(item, dict) or item.get("is_deleted") or _int(item.get("id")) <= 0:
                continue
            if _int(item.get("owner_id"), me) == me and _int(item.get("from_id"), me) == me \
                    and same_text(str(item.get("text") or ""), text):
                pid = str(_int(item["id"]))
                return Published(post_id=pid, comment_id="", url=post_url(self.group, pid))
        return None

    def page_status(self) -> PageStatus:
        """groups.getById: `is_closed` and `deactivated` for the page, `wall` for comments."""
        found = self._call("groups.getById", {"group_id": self.group, "fields": "wall"})
        groups = found.get("groups") if isinstance(found, dict) else found
        if not groups or not isinstance(groups[0], dict):
            raise NetworkError(ErrorKind.NOT_FOUND, f"сообщество {self.group}")
        group = groups[0]
        name = str(group.get("name") or "")
        notes: list[str] = []
        is_open = True
        deactivated = str(group.get("deactivated") or "")
        if deactivated:
            is_open = False
            notes.append("сообщество удалено" if deactivated == "deleted" else "сообщество заблокировано ВКонтакте")
        closed = _int(group.get("is_closed"))
        if closed:
            is_open = False
            notes.append(CLOSED_RU.get(closed, "сообщество закрыто"))
        comments_open = True
        if "wall" not in group:
            notes.append("ВКонтакте не сообщил настройку стены: открыты ли комментарии, неизвестно")
        else:
            wall = _int(group.get("wall"), 1)
            if wall in WALL_RU:
                comments_open = False
                notes.append(WALL_RU[wall])
        return PageStatus(name=name, open=is_open, comments_open=comments_open, detail="; ".join(notes))

    def reply(self, target: Target, text: str) -> Published:
        if len(text) > MAX_TEXT:
            raise NetworkError(ErrorKind.BAD_REQUEST, f"текст длиннее {MAX_TEXT} знаков")
        post = _digits(target.post_id, "запись")
        params: dict[str, str | int] = {"owner_id": self.owner, "post_id": post, "from_group": self.group,
                                        "message": text}
        if target.comment_id:
            params["reply_to_comment"] = _digits(target.comment_id, "комментарий")
        created = self._call("wall.createComment", params)
        comment_id = str(_int(created.get("comment_id")))
        stack = created.get("parents_stack") or []
        thread = str(stack[0]) if stack else target.comment_id
        return Published(post_id=post, comment_id=comment_id,
                         url=comment_url(self.group, post, comment_id, thread))

    def find_reply(self, target: Target, text: str) -> Published | None:
        post = _digits(target.post_id, "запись")
        me = -_int(self.group)
        if not target.comment_id:
            for item in self._level(post, sort="desc"):  # ours is recent: newest first
                if _int(item.get("from_id")) == me and not item.get("reply_to_comment") \
                        and same_text(str(item.get("text") or ""), text):
                    cid = str(item["id"])
                    return Published(post_id=post, comment_id=cid, url=comment_url(self.group, post, cid))
            return None
        wanted = _digits(target.comment_id, "комментарий")
        root = self._thread_root(wanted)
        for item in self._level(post, thread=root, sort="desc"):
            answers = str(item.get("reply_to_comment") or "")
            if _int(item.get("from_id")) == me and same_text(str(item.get("text") or ""), text) \
                    and (answers == wanted or (not answers and wanted == root)):
                cid = str(item["id"])
                return Published(post_id=post, comment_id=cid, url=comment_url(self.group, post, cid, root))
        return None

    def _thread_root(self, comment_id: str) -> str:
        found = self._call("wall.getComment", {"owner_id": self.owner, "comment_id": comment_id})
        items = found.get("items") or []
        if not items:
            raise NetworkError(ErrorKind.NOT_FOUND, f"комментарий {comment_id}")
        stack = items[0].get("parents_stack") or []
        return str(stack[0]) if stack else comment_id

    def _level(self, post: str, *, thread: str = "", sort: str = "asc") -> Iterator[dict[str, Any]]:
        """One level of comments: the post's top level, or one thread; page by page, bounded."""
        offset = 0
        for _ in range(MAX_PAGES):
            params: dict[str, str | int] = {"owner_id": self.owner, "post_id": post, "need_likes": 0,
                                            "count": PAGE_SIZE, "offset": offset, "sort": sort,
                                            "preview_length": 0}  # 0: full texts, for same_text
            if thread:
                params["comment_id"] = thread
            else:
                params["thread_items_count"] = 10
            page = self._call("wall.getComments", params)
            items = [item for item in page.get("items") or [] if isinstance(item, dict)]
            yield from items
            offset += len(items)
            total = _int(page.get("current_level_count"), _int(page.get("count")))
            if not items or offset >= total:
                return

    def _all(self, post: str) -> Iterator[dict[str, Any]]:
        for item in self._level(post):
            yield item
            thread = item.get("thread") or {}
            shown = [x for x in thread.get("items") or [] if isinstance(x, dict)]
            if _int(thread.get("count")) > len(shown):
                yield from self._level(post, thread=str(item["id"]))
            else:
                yield from shown

    def delete_comment(self, target: Target) -> None:
        cid = _digits(target.comment_id, "комментарий")
        self._call("wall.deleteComment", {"owner_id": self.owner, "comment_id": cid})

    def restore_comment(self, target: Target) -> None:
        cid = _digits(target.comment_id, "комментарий")
        try:
            self._call("wall.restoreComment", {"owner_id": self.owner, "comment_id": cid})
        except NetworkError as exc:
            if exc.code != 243:  # "Comment has not been deleted": it is already in place
                raise

    def ban(self, author_id: str, reason: str = "") -> None:
        author = str(author_id).strip()
        if not re.fullmatch(r"-?" + _ID, author):
            raise NetworkError(ErrorKind.BAD_REQUEST, "автор: ожидался числовой идентификатор ВКонтакте")
        params: dict[str, str | int] = {"group_id": self.group, "owner_id": author, "reason": 0}  # 0: other
        if reason:
            params["comment"] = reason
            params["comment_visible"] = 1  # the citizen sees why: the administration is accountable
        self._call("groups.ban", params)

    def unban(self, author_id: str) -> None:
        author = str(author_id).strip()
        if not re.fullmatch(r"-?" + _ID, author):
            raise NetworkError(ErrorKind.BAD_REQUEST, "автор: ожидался числовой идентификатор ВКонтакте")
        self._call("groups.unban", {"group_id": self.group, "owner_id": author})

    def comments(self, post_id: str, marker: str = "") -> CommentBatch:
        """New and edited comments of one post since `marker`, through the Bots Long Poll API."""
        post = _digits(post_id, "запись")
        server = self._call("groups.getLongPollServer", {"group_id": self.group})
        if not marker:
            # The ts is taken before listing, so nothing written meanwhile is lost; the id in the
            # marker keeps such a comment from being returned a second time.
            found = [comment_from_vk(item, self.group, post) for item in self._all(post)]
            last = max((_int(c.id) for c in found), default=0)
            return CommentBatch(comments=found, marker=f"{server['ts']}:{last}")
        ts, last = _parse_marker(marker)
        answer = self._poll(server, ts)
        if answer.get("failed") == 2:  # the key expired between the two calls: once more
            server = self._call("groups.getLongPollServer", {"group_id": self.group})
            answer = self._poll(server, ts)
        if answer.get("failed"):
            # 1: history too old or partly lost; 3: lost. List the post and keep the newer ids.
            fresh = [c for c in (comment_from_vk(item, self.group, post) for item in self._all(post))
                     if _int(c.id) > last]
            new_ts = answer.get("ts") if answer.get("failed") == 1 and answer.get("ts") else server["ts"]
            top = max([last, *(_int(c.id) for c in fresh)])
            return CommentBatch(comments=fresh, marker=f"{new_ts}:{top}")
        seen: dict[str, Comment] = {}
        top = last
        for update in answer.get("updates") or []:
            if not isinstance(update, dict) or update.get("type") not in COMMENT_EVENTS:
                continue
            obj = update.get("object")
            if not isinstance(obj, dict) or str(obj.get("post_id")) != post \
                    or _int(obj.get("post_owner_id"), -_int(self.group)) != -_int(self.group):
                continue
            comment = comment_from_vk(obj, self.group, post)
            if update["type"] == "wall_reply_new":
                if _int(comment.id) <= last:
                    continue  # already returned by the listing that made the marker
                top = max(top, _int(comment.id))
            seen[comment.id] = comment  # an edit after the new: the latest text wins
        return CommentBatch(comments=list(seen.values()), marker=f"{answer.get('ts') or ts}:{top}")

    def _poll(self, server: dict[str, Any], ts: str) -> dict[str, Any]:
        url = str(server.get("server") or "")
        if "://" not in url:
            url = "https://" + url  # older answers gave the host without a scheme
        try:
            response = self._http.get(url, params={"act": "a_check", "key": str(server.get("key") or ""),
                                                    "ts": ts, "wait": 0}, timeout=timeout())
        except httpx.HTTPError as exc:
            raise transport_error(exc) from None
        kind = http_status_kind(response.status_code)
        if kind is not None:
            raise NetworkError(kind, f"Long Poll: HTTP {response.status_code}", code=response.status_code)
        try:
            data = response.json()
        except ValueError:
            raise NetworkError(ErrorKind.RETRY, "Long Poll ВКонтакте ответил не JSON") from None
        if not isinstance(data, dict):
            raise NetworkError(ErrorKind.RETRY, "Long Poll ВКонтакте ответил не объектом")
        return data

    def fetch_post(self, post_id: str) -> PostState:
        post = _digits(post_id, "запись")
        found = self._call("wall.getById", {"posts": f"{self.owner}_{post}"})
        # 5.199 answers {"items": [...]}; older versions a bare list.
        items = found.get("items") if isinstance(found, dict) else found
        if not items or items[0].get("is_deleted"):
            return PostState(id=post, text="", exists=False, comments_open=False)
        item = items[0]
        comments = item.get("comments") or {}
        return PostState(id=str(item.get("id") or post), text=str(item.get("text") or ""),
                         comments_open=bool(_int(comments.get("can_post"), 1)))

    def fetch_comment(self, target: Target) -> Comment:
        cid = _digits(target.comment_id, "комментарий")
        found = self._call("wall.getComment", {"owner_id": self.owner, "comment_id": cid})
        items = found.get("items") or []
        if not items:
            raise NetworkError(ErrorKind.NOT_FOUND, f"комментарий {cid}")
        return comment_from_vk(items[0], self.group, target.post_id)


def _check_poll(poll: Poll) -> None:
    if not poll.question.strip():
        raise NetworkError(ErrorKind.BAD_REQUEST, "у опроса нет вопроса")
    if not 1 <= len(poll.options) <= POLL_ANSWERS or any(not o.strip() for o in poll.options):
        raise NetworkError(ErrorKind.BAD_REQUEST, f"в опросе ВКонтакте от 1 до {POLL_ANSWERS} непустых вариантов")


def _attachment_ref(attachment: Any) -> str:
    """A wall_wallpost_attachment as wall.edit's `attachments` takes it back ("" if it cannot)."""
    if not isinstance(attachment, dict):
        return ""
    kind = str(attachment.get("type") or "")
    obj = attachment.get(kind)
    if not isinstance(obj, dict):
        return ""
    if kind == "link":
        return str(obj.get("url") or "")
    if kind not in EDIT_KINDS or "id" not in obj or "owner_id" not in obj:
        return ""
    ref = f"{kind}{_int(obj['owner_id'])}_{_int(obj['id'])}"
    return f"{ref}_{obj['access_key']}" if obj.get("access_key") else ref


def _parse_marker(marker: str) -> tuple[str, int]:
    ts, _, last = marker.partition(":")
    if not ts.isdigit() or not last.isdigit():
        raise NetworkError(ErrorKind.BAD_REQUEST, "неверная отметка чтения комментариев ВКонтакте")
    return ts, int(last)


def _retry_after_header(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "")
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None
