"""Odnoklassniki (OK.ru) through its REST API (`https://api.ok.ru/fb.do`).

Conventions
-----------
* Page key / `PageAccess.external_id`: the OK group id (gid) as digits, e.g. "54116239147097"
  from `https://ok.ru/group/54116239147097/topic/155461539461977` →
  ("54116239147097", Target("155461539461977")). A group opened by its short name
  (`ok.ru/mygroup/topic/…`) cannot be resolved offline: `target_from_url` answers None.
* Post id: the media topic id (what `mediatopic.post` returns). Comment id: OK's opaque comment
  id (a base64-like string). OK gives a comment no URL of its own, so a reply's `Published.url`
  is the topic's URL.
* `PageAccess.app_key` / `app_secret`: the OK application's public and secret keys (one OK
  application per installation); `token`: the group administrator's access_token with the
  GROUP_CONTENT and VALUABLE_ACCESS rights (PHOTO_CONTENT for photos).
* Every call is signed as https://apiok.ru/dev/methods says: secret_key = md5(access_token +
  application_secret_key), sig = md5(sorted "name=value" of all parameters but access_token and
  sig + secret_key), both lower-case hex. Parameters travel as a POST form, so neither the token
  nor long texts end up in URLs or logs.
* Official-pages posts: a poll is one more media block of mediatopic.post; `edit_post` is
  mediatopic.edit (topic_id, gid, the new attachment) for text-only topics; `delete_post` is
  mediatopic.deleteTopic (topic_id, gid); `find_post` reads mediatopic.getTopics (gid, the last
  50); `page_status` reads group.getInfo access_type/private — OK tells nothing of comments.
* Comments on group topics are never pushed by OK: its only webhook (Bot API,
  `graph/me/subscribe`) carries chat messages. Comments are read by polling `comments()`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
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

NETWORK = "ok"
# OK documents no number for a topic's or a comment's text, only the error MEDIA_TOPIC_TEXT_LIMIT
# (601); 4000 characters stays under what the site accepts in both places.
MAX_TEXT = 4000
DEFAULT_API_URL = "https://api.ok.ru/fb.do"
# OK publishes no per-second limit for these methods (only LIMIT_REACHED/FLOOD_BLOCKED errors
# and per-user daily quotas, see users.getCallsLeft): 3 calls a second per token keeps one busy
# page well clear of the flood guard while a reply still goes out within a second.
PER_SECOND = 3.0
DISCUSSION_TYPE = "GROUP_TOPIC"
PAGE_SIZE = 100
MAX_PAGES = 50  # a runaway anchor must not hold the worker: 5,000 comments per poll at most
# OK's dates are Moscow time ("2014-04-11 12:53:02"), like publishAt in mediatopic.post.
MOSCOW = dt.timezone(dt.timedelta(hours=3))
# OK signs no webhook; the subscribed URL carries our secret and the view passes it on here.
SECRET_HEADER = "x-otklik-webhook-secret"  # noqa: S105  # a header name, not a secret

FIND_TOPICS = 50  # find_post looks at the group's last 50 topics (mediatopic.getTopics `count`)
# group.getInfo `access_type` (https://apiok.ru/dev/methods/rest/group/group.getInfo): OPEN,
# CLOSED or SECRET; only an OPEN group shows its topics to everyone.
ACCESS_RU = {"CLOSED": "группа закрытая: темы видят только участники",
             "SECRET": "группа секретная: её не найти и не прочитать без приглашения"}
COMMENTS_UNKNOWN_RU = ("ОК не сообщает через API, открыты ли комментарии в группе; закрытые "
                       "комментарии видны только у отдельной темы")

# OK's error codes (https://apiok.ru/dev/errors) → our kinds. OK answers HTTP 200 with
# {"error_code": N, "error_msg": "...", "error_data": null}; it gives no retry-after of its own.
ERROR_KINDS: dict[int, ErrorKind] = {
    1: ErrorKind.RETRY,  # UNKNOWN
    2: ErrorKind.RETRY,  # SERVICE: temporarily unavailable
    3: ErrorKind.BAD_REQUEST,  # METHOD: no such method
    4: ErrorKind.BAD_REQUEST,  # REQUEST: malformed request
    7: ErrorKind.RATE_LIMITED,  # ACTION_BLOCKED: temporarily blocked for this user
    8: ErrorKind.RATE_LIMITED,  # FLOOD_BLOCKED
    9: ErrorKind.FORBIDDEN,  # IP_BLOCKED: suspicious activity, a person must look
    10: ErrorKind.FORBIDDEN,  # PERMISSION_DENIED: the token lacks a right
    11: ErrorKind.RATE_LIMITED,  # LIMIT_REACHED: call limit
    12: ErrorKind.BAD_REQUEST,  # CANCELLED
    21: ErrorKind.BAD_REQUEST,  # NOT_MULTIPART (photo upload)
    22: ErrorKind.FORBIDDEN,  # NOT_ACTIVATED
    23: ErrorKind.FORBIDDEN,  # NOT_YET_INVOLVED
    24: ErrorKind.FORBIDDEN,  # NOT_OWNER
    26: ErrorKind.RATE_LIMITED,  # TOTAL_LIMIT_REACHED
    30: ErrorKind.RETRY,  # NETWORK
    31: ErrorKind.RETRY,  # NETWORK_TIMEOUT
    50: ErrorKind.FORBIDDEN,  # NOT_ADMIN
    100: ErrorKind.BAD_REQUEST,  # PARAM
    101: ErrorKind.TOKEN_INVALID,  # PARAM_API_KEY: the application key is wrong
    102: ErrorKind.TOKEN_INVALID,  # PARAM_SESSION_EXPIRED
    103: ErrorKind.TOKEN_INVALID,  # PARAM_SESSION_KEY
    104: ErrorKind.TOKEN_INVALID,  # PARAM_SIGNATURE: token or application secret do not match
    105: ErrorKind.TOKEN_INVALID,  # PARAM_RESIGNATURE
    106: ErrorKind.NOT_FOUND,  # PARAM_ENTITY_ID: no such discussion
    107: ErrorKind.TOKEN_INVALID,  # PARAM_SESSION_KEY_CHANGED
    110: ErrorKind.NOT_FOUND,  # PARAM_USER_ID
    120: ErrorKind.NOT_FOUND,  # PARAM_ALBUM_ID
    121: ErrorKind.NOT_FOUND,  # PARAM_PHOTO_ID
    140: ErrorKind.NOT_FOUND,  # PARAM_MESSAGE_ID
    141: ErrorKind.NOT_FOUND,  # PARAM_COMMENT_ID
    160: ErrorKind.NOT_FOUND,  # PARAM_GROUP_ID
    200: ErrorKind.FORBIDDEN,  # PARAM_PERMISSION: the application may not do this
    210: ErrorKind.FORBIDDEN,  # PARAM_APPLICATION_DISABLED
    300: ErrorKind.NOT_FOUND,  # NOT_FOUND
    324: ErrorKind.BAD_REQUEST,  # EDIT_PHOTO_FILE
    451: ErrorKind.BAD_REQUEST,  # NOT_SESSION_METHOD
    453: ErrorKind.TOKEN_INVALID,  # SESSION_REQUIRED
    454: ErrorKind.BAD_REQUEST,  # CENSOR_MATCH: the text was rejected by the censor
    455: ErrorKind.FORBIDDEN,  # FRIEND_RESTRICTION
    456: ErrorKind.FORBIDDEN,  # GROUP_RESTRICTION
    457: ErrorKind.FORBIDDEN,  # UNAUTHORIZED_RESTRICTION
    458: ErrorKind.FORBIDDEN,  # PRIVACY_RESTRICTION
    500: ErrorKind.BAD_REQUEST,  # PHOTO_SIZE_LIMIT_EXCEEDED
    501: ErrorKind.BAD_REQUEST,  # PHOTO_SIZE_TOO_SMALL
    502: ErrorKind.BAD_REQUEST,  # PHOTO_SIZE_TOO_BIG
    503: ErrorKind.BAD_REQUEST,  # PHOTO_INVALID_FORMAT
    504: ErrorKind.BAD_REQUEST,  # PHOTO_IMAGE_CORRUPTED
    505: ErrorKind.BAD_REQUEST,  # PHOTO_NO_IMAGE
    511: ErrorKind.FORBIDDEN,  # IDS_BLOCKED: antispam
    514: ErrorKind.FORBIDDEN,  # IDS_SESSION_VERIFICATION_REQUIRED: the admin must verify
    600: ErrorKind.BAD_REQUEST,  # MEDIA_TOPIC_BLOCK_LIMIT
    601: ErrorKind.BAD_REQUEST,  # MEDIA_TOPIC_TEXT_LIMIT
    607: ErrorKind.BAD_REQUEST,  # MEDIA_TOPIC_LINK_BAD_FORMAT
    700: ErrorKind.NOT_FOUND,  # COMMENT_NOT_FOUND
    701: ErrorKind.FORBIDDEN,  # INVALID_AUTHOR
    702: ErrorKind.NOT_FOUND,  # COMMENT_NOT_ACTIVE: removed
    704: ErrorKind.FORBIDDEN,  # TIMEOUT_EXCEEDED: edit window closed
    900: ErrorKind.TOKEN_INVALID,  # NO_SUCH_APP
    5000: ErrorKind.BAD_REQUEST,  # INVALID_RESPONSE
    9999: ErrorKind.RETRY,  # SYSTEM: critical system error
}

_GID = r"(?P<gid>\d{1,19})"  # OK ids are Java longs: 19 digits at most
_TID = r"(?P<tid>\d{1,19})"
_HOSTS = {"ok.ru", "www.ok.ru", "m.ok.ru", "odnoklassniki.ru", "www.odnoklassniki.ru",
          "m.odnoklassniki.ru"}
_TOPIC_PATH = re.compile(rf"^/(?:dk/)?group/?{_GID}/topic/{_TID}/?$")
_DIGITS = re.compile(r"^\d{1,19}$")


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def signature(params: dict[str, str], token: str, app_secret: str) -> str:
    """OK's `sig`: md5 of the sorted name=value pairs (without access_token/sig) + secret_key."""
    secret_key = _md5(token + app_secret).lower()
    joined = "".join(f"{k}={params[k]}" for k in sorted(params) if k not in ("access_token", "sig"))
    return _md5(joined + secret_key).lower()


def error_kind(code: int) -> ErrorKind:
    return ERROR_KINDS.get(code, ErrorKind.BAD_REQUEST)


def topic_url(gid: str, topic_id: str) -> str:
    return f"https://ok.ru/group/{gid}/topic/{topic_id}"


def target_from_url(url: str) -> tuple[str, Target] | None:
    """(gid, Target(topic id)) from a topic link as people paste it; None for anything else."""
    try:
        if not isinstance(url, str) or len(url) > 2048:
            return None
        parts = urlsplit(url.strip())
        if parts.scheme.lower() not in ("http", "https") or parts.username or parts.password:
            return None
        host = (parts.hostname or "").lower().rstrip(".")
        if host not in _HOSTS or (parts.port not in (None, 80, 443)):
            return None
        found = _TOPIC_PATH.match(parts.path)
        if found:
            return found["gid"], Target(found["tid"])
        # m.ok.ru's old form: /dk?st.cmd=…&st.groupId=…&st.themeId=…
        query = parse_qs(parts.query)
        gid = (query.get("st.groupId") or [""])[0]
        tid = (query.get("st.themeId") or query.get("st.topicId") or [""])[0]
        if parts.path.rstrip("/") in ("/dk", "") and _DIGITS.match(gid) and _DIGITS.match(tid):
            return gid, Target(tid)
        return None
    except ValueError:  # urlsplit on a broken IPv6 host and the like
        return None


def parse_webhook(headers: dict[str, str], body: bytes, secret: str, confirmation: str = "") -> Push:
    """Check a delivery of OK's Bot API webhook; it never carries group-topic comments.

    OK signs nothing, so the URL given to `graph/me/subscribe` holds our secret and the view
    passes it in the `X-Otklik-Webhook-Secret` header (case-insensitive). Chat messages are
    acknowledged and yield no comments: topic comments come from polling `comments()`. OK's
    payload names no group, so `page_key` is empty: the view knows the page from its URL.
    """
    given = next((v for k, v in headers.items() if k.lower() == SECRET_HEADER), "")
    if not secret or not given or not hmac.compare_digest(given.encode(), secret.encode()):
        raise NetworkError(ErrorKind.FORBIDDEN, "неверный секрет веб-хука ОК")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise NetworkError(ErrorKind.BAD_REQUEST, "тело веб-хука ОК — не JSON") from exc
    if not isinstance(data, dict):
        raise NetworkError(ErrorKind.BAD_REQUEST, "тело веб-хука ОК — не объект")
    message = data.get("message")
    if message is not None and not isinstance(message, dict):
        raise NetworkError(ErrorKind.BAD_REQUEST, "поле message веб-хука ОК — не объект")
    return Push(page_key="", comments=[], reply="ok")


def _as_list(data: Any, key: str) -> list[dict[str, Any]]:
    """OK answers some list methods as a bare array and others as {key: [...]}."""
    if isinstance(data, dict):
        data = data.get(key)
    return [x for x in data if isinstance(x, dict)] if isinstance(data, list) else []


def _unix(raw: dict[str, Any]) -> int:
    if isinstance(raw.get("date_ms"), int):
        return int(raw["date_ms"]) // 1000
    try:
        moment = dt.datetime.strptime(str(raw.get("date", "")) + " +0300", "%Y-%m-%d %H:%M:%S %z")
    except ValueError:
        return 0
    return int(moment.timestamp())


class Client:
    """One OK group, acting through its administrator's token and the application's keys."""

    network = NETWORK
    max_text = MAX_TEXT

    def __init__(self, page: PageAccess, *, base_url: str | None = None,
                 http: httpx.Client | None = None) -> None:
        self.page = page
        self.gid = page.external_id
        self.base_url = (base_url or api_url("OTKLIK_OK_API_URL", DEFAULT_API_URL)).rstrip("/")
        self._http = http
        self._limiter = limiter_for(NETWORK, page.token, PER_SECOND)

    def __repr__(self) -> str:  # never the token
        return f"<ok.Client group {self.gid}>"

    @property
    def http(self) -> httpx.Client:
        if self._http is None:
            self._http = httpx.Client()
        return self._http

    # -- transport
    def _call(self, method: str, **args: str) -> Any:
        if not self.page.app_key or not self.page.app_secret:
            raise NetworkError(ErrorKind.TOKEN_INVALID, "не заданы ключи приложения ОК")
        params = {"application_key": self.page.app_key, "method": method, "format": "json", **args}
        params["sig"] = signature(params, self.page.token, self.page.app_secret)
        params["access_token"] = self.page.token
        self._limiter.wait()
        try:
            response = self.http.post(self.base_url, data=params, timeout=timeout())
        except httpx.HTTPError as exc:
            raise transport_error(exc) from None  # from None: the request (with token) stays out
        return self._decode(response, method)

    def _decode(self, response: httpx.Response, method: str) -> Any:
        retry_after = _retry_after(response)
        try:
            data = response.json()
        except ValueError:
            data = None
        if isinstance(data, dict) and "error_code" in data:
            try:
                code = int(data["error_code"])
            except (TypeError, ValueError):
                code = 1
            message = str(data.get("error_msg") or "")[:200]
            raise NetworkError(error_kind(code), f"{method}: {code} {message}".strip(), code=code,
                               retry_after=retry_after)
        kind = http_status_kind(response.status_code)
        if kind is not None:
            raise NetworkError(kind, f"{method}: HTTP {response.status_code}",
                               code=response.status_code, retry_after=retry_after)
        if data is None:
            raise NetworkError(ErrorKind.RETRY, f"{method}: ответ ОК — не JSON")
        return data

    # -- pieces
    def _comment(self, raw: dict[str, Any], post_id: str) -> Comment:
        author = str(raw.get("author_id") or "")
        return Comment(
            id=str(raw.get("id") or ""),
            post_id=post_id,
            author_id=author,
            text=str(raw.get("text") or ""),
            reply_to=str(raw.get("reply_to_comment_id") or ""),
            from_page=author == self.gid,  # the group writes as itself (author_type GROUP)
            deleted=False,  # OK lists no removed comments of others
            date=_unix(raw),
        )

    def _walk(self, post_id: str, stop_before: int = -1) -> list[Comment]:
        """The topic's comments, newest pages first, until older than `stop_before` (unix)."""
        pages: list[list[Comment]] = []
        anchor = "LAST"
        for _ in range(MAX_PAGES):
            data = self._call("discussions.getComments", discussionId=post_id,
                              discussionType=DISCUSSION_TYPE, anchor=anchor,
                              direction="BACKWARD", count=str(PAGE_SIZE))
            batch = [self._comment(c, post_id) for c in _as_list(data, "comments")]
            pages.append(batch)
            more = isinstance(data, dict) and bool(data.get("has_more"))
            next_anchor = data.get("anchor") if isinstance(data, dict) else None
            if (not batch or not more or not next_anchor
                    or min(c.date for c in batch) < stop_before):
                break
            anchor = str(next_anchor)
        # pages came newest first, each oldest first: put them back in order, once each
        found: dict[str, Comment] = {}
        for batch in reversed(pages):
            for item in batch:
                found.setdefault(item.id, item)
        return sorted(found.values(), key=lambda c: c.date)  # stable: same-second order stays

    # -- the interface
    def check(self) -> CheckResult:
        """Token, group and rights; a refused token is a finding, not an exception."""
        try:
            me = self._call("users.getCurrentUser", fields="uid,name")
            groups = _as_list(self._call("group.getInfo", uids=self.gid, fields="uid,name"),
                              "groups")
            if not groups:
                return CheckResult(ok=False, problem=f"Группа {self.gid} не найдена в ОК")
            name = str(groups[0].get("name") or "")
            uid = str(me.get("uid") or "") if isinstance(me, dict) else ""
            missing: list[str] = []
            roles = _as_list(self._call("group.getUserGroupsByIds", group_id=self.gid, uids=uid),
                             "groups")
            if not any(str(r.get("status", "")).upper() in ("ADMIN", "MODERATOR") for r in roles):
                missing.append("администратор или модератор группы")
            for right, label in (("GROUP_CONTENT", "GROUP_CONTENT — публикация в группе"),
                                 ("VALUABLE_ACCESS", "VALUABLE_ACCESS — чтение комментариев")):
                if self._call("users.hasAppPermission", ext_perm=right) is not True:
                    missing.append(label)
        except NetworkError as exc:
            if exc.kind in (ErrorKind.TOKEN_INVALID, ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND):
                return CheckResult(ok=False, problem=exc.message_ru)
            raise
        if missing:
            return CheckResult(ok=False, name=name, missing=tuple(missing),
                               problem="У ключа страницы не хватает прав")
        return CheckResult(ok=True, name=name)

    def _upload_photo(self, item: Media) -> str:
        """photosV2.getUploadUrl → multipart POST; the token goes straight into the topic."""
        data = self._call("photosV2.getUploadUrl", gid=self.gid, count="1")
        upload_url = str(data.get("upload_url") or "") if isinstance(data, dict) else ""
        ids = data.get("photo_ids") if isinstance(data, dict) else None
        if not upload_url or not isinstance(ids, list) or not ids:
            raise NetworkError(ErrorKind.RETRY, "ОК не выдал адрес для загрузки фото")
        self._limiter.wait()
        try:
            response = self.http.post(upload_url, files={"pic1": (item.name, item.content)},
                                      timeout=timeout())
        except httpx.HTTPError as exc:
            raise transport_error(exc) from None
        photos = self._decode(response, "upload")
        entry = photos.get("photos", {}).get(str(ids[0])) if isinstance(photos, dict) else None
        token = entry.get("token") if isinstance(entry, dict) else None
        if not token:
            raise NetworkError(ErrorKind.RETRY, "ОК не принял фото")
        return str(token)

    def publish_post(self, text: str, media: list[Media] | None = None, poll: Poll | None = None) -> Published:
        if len(text) > MAX_TEXT:
            raise NetworkError(ErrorKind.BAD_REQUEST, f"текст длиннее {MAX_TEXT} знаков")
        if poll is not None:
            _check_poll(poll)  # before any upload
        blocks: list[dict[str, Any]] = [{"type": "text", "text": text}] if text else []
        photos: list[dict[str, str]] = []
        for item in media or []:
            if item.kind != "photo":
                raise NetworkError(ErrorKind.UNSUPPORTED,
                                   "видео в Одноклассники этот клиент пока не загружает")
            photos.append({"id": self._upload_photo(item)})
        if photos:
            blocks.append({"type": "photo", "list": photos})
        if poll is not None:
            blocks.append(_poll_block(poll))
        attachment = {"media": blocks, "onBehalfOfGroup": "true"}
        topic = self._call("mediatopic.post", gid=self.gid, type="GROUP_THEME",
                           attachment=json.dumps(attachment, ensure_ascii=False))
        topic_id = str(topic.get("id") if isinstance(topic, dict) else topic)
        if not topic_id or topic_id in ("0", "None"):
            raise NetworkError(ErrorKind.RETRY, "ОК не вернул идентификатор темы")
        return Published(post_id=topic_id, comment_id="", url=topic_url(self.gid, topic_id))

    def edit_post(self, post_id: str, text: str) -> None:
        """mediatopic.edit takes the whole new attachment, so only a text-only topic is edited:
        OK gives back photos and polls as references it does not accept in an attachment, and
        sending text alone would strip them (a poll would lose its votes)."""
        if len(text) > MAX_TEXT:
            raise NetworkError(ErrorKind.BAD_REQUEST, f"текст длиннее {MAX_TEXT} знаков")
        if not text.strip():
            raise NetworkError(ErrorKind.BAD_REQUEST, "пустой текст темы")
        topic = self._topic(_topic_id(post_id))
        if topic is None:
            raise NetworkError(ErrorKind.NOT_FOUND, f"тема {post_id}")
        kinds = sorted({str(m.get("type")) for m in topic.get("media") or []
                        if isinstance(m, dict) and m.get("type") != "text"})
        if kinds:
            raise NetworkError(ErrorKind.UNSUPPORTED,
                               "в теме Одноклассников есть вложения (" + ", ".join(kinds) + "): правка "
                               "через API заменила бы их, поправьте текст темы на сайте ok.ru")
        done = self._call("mediatopic.edit", topic_id=post_id, gid=self.gid,
                          attachment=json.dumps({"media": [{"type": "text", "text": text}]},
                                                ensure_ascii=False))
        _require_success(done, "ОК не применил правку темы")

    def delete_post(self, post_id: str) -> None:
        done = self._call("mediatopic.deleteTopic", topic_id=_topic_id(post_id), gid=self.gid)
        _require_success(done, "ОК не удалил тему")

    def find_post(self, text: str) -> Published | None:
        """The group's own topic with exactly this text among its last FIND_TOPICS."""
        try:
            data = self._call("mediatopic.getTopics", gid=self.gid, count=str(FIND_TOPICS),
                              fields="media_topic.*")
        except NetworkError as exc:
            if exc.code == 3:  # METHOD: not open to this application
                raise NetworkError(ErrorKind.UNSUPPORTED, "ОК не даёт приложению список тем группы "
                                   "(mediatopic.getTopics): проверьте на ok.ru, вышла ли тема",
                                   code=3) from None
            raise
        for topic in _as_list(data, "media_topics"):
            owner = str(topic.get("owner_ref") or f"group:{self.gid}")
            if owner == f"group:{self.gid}" and topic.get("id") and same_text(_topic_text(topic), text):
                topic_id = str(topic["id"])
                return Published(post_id=topic_id, comment_id="", url=topic_url(self.gid, topic_id))
        return None

    def page_status(self) -> PageStatus:
        """group.getInfo `access_type` and `private`; OK exposes no group-wide comment setting."""
        groups = _as_list(self._call("group.getInfo", uids=self.gid,
                                     fields="uid,name,access_type,private"), "groups")
        group = next((g for g in groups if str(g.get("uid")) == self.gid), groups[0] if groups else None)
        if group is None:
            raise NetworkError(ErrorKind.NOT_FOUND, f"группа {self.gid}")
        notes: list[str] = []
        access = str(group.get("access_type") or "").upper()
        is_open = True
        if not access:
            notes.append("ОК не сообщил, открыта ли группа")
        elif access != "OPEN":
            is_open = False
            notes.append(ACCESS_RU.get(access, f"доступ к группе: {access}"))
        if group.get("private") in (True, "true") and is_open:
            is_open = False
            notes.append("группа частная")
        notes.append(COMMENTS_UNKNOWN_RU)
        return PageStatus(name=str(group.get("name") or ""), open=is_open, comments_open=True,
                          detail="; ".join(notes))

    def _topic(self, topic_id: str) -> dict[str, Any] | None:
        data = self._call("mediatopic.getByIds", topic_ids=topic_id, fields="media_topic.*")
        return next((t for t in _as_list(data, "media_topics") if str(t.get("id")) == topic_id), None)

    def reply(self, target: Target, text: str) -> Published:
        """discussions.addDiscussionComment as the group (as_admin), under the comment if any."""
        if len(text) > MAX_TEXT:
            raise NetworkError(ErrorKind.BAD_REQUEST, f"текст длиннее {MAX_TEXT} знаков")
        args = {"entityId": target.post_id, "entityType": DISCUSSION_TYPE, "comment": text,
                "as_admin": "true"}
        if target.comment_id:
            args["reply_to_comment_id"] = target.comment_id
        made = self._call("discussions.addDiscussionComment", **args)
        comment_id = made.get("id") if isinstance(made, dict) else made
        if not comment_id:
            raise NetworkError(ErrorKind.RETRY, "ОК не вернул идентификатор комментария")
        return Published(post_id=target.post_id, comment_id=str(comment_id),
                         url=topic_url(self.gid, target.post_id))

    def find_reply(self, target: Target, text: str) -> Published | None:
        for item in self._walk(target.post_id):
            if (item.from_page and same_text(item.text, text)
                    and (not target.comment_id or item.reply_to == target.comment_id)):
                return Published(post_id=target.post_id, comment_id=item.id,
                                 url=topic_url(self.gid, target.post_id))
        return None

    def delete_comment(self, target: Target, *, block_author: bool = False) -> None:
        """Removes the comment; with block_author OK also puts its author on the black list."""
        args = {"discussionId": target.post_id, "discussionType": DISCUSSION_TYPE,
                "comment_id": target.comment_id}
        if block_author:
            args["block_author"] = "true"
        self._call("discussions.deleteDiscussionComment", **args)

    def restore_comment(self, target: Target) -> None:
        raise NetworkError(ErrorKind.UNSUPPORTED,
                           "в API Одноклассников нет восстановления удалённого комментария")

    def ban(self, author_id: str, reason: str = "") -> None:
        raise NetworkError(ErrorKind.UNSUPPORTED,
                           "в API Одноклассников автора можно заблокировать только вместе с "
                           "удалением его комментария; отдельной блокировки нет")

    def unban(self, author_id: str) -> None:
        raise NetworkError(ErrorKind.UNSUPPORTED,
                           "в API Одноклассников нет снятия блокировки с участника")

    def comments(self, post_id: str, marker: str = "") -> CommentBatch:
        """New comments of a topic since `marker` (the newest date seen and the ids at it)."""
        seen_at, seen_ids = _read_marker(marker)
        every = self._walk(post_id, stop_before=seen_at)
        fresh = [c for c in every if c.date > seen_at or (c.date == seen_at and c.id not in seen_ids)]
        newest = max([seen_at, *(c.date for c in every)])
        ids = {c.id for c in every if c.date == newest}
        if newest == seen_at:
            ids |= seen_ids
        return CommentBatch(comments=fresh, marker=json.dumps({"t": newest, "ids": sorted(ids)}))

    def fetch_post(self, post_id: str) -> PostState:
        topic = self._topic(post_id)
        if topic is None:
            return PostState(id=post_id, text="", exists=False, comments_open=False)
        return PostState(id=post_id, text=_topic_text(topic))

    def fetch_comment(self, target: Target) -> Comment:
        data = self._call("discussions.getComment", discussionId=target.post_id,
                          discussionType=DISCUSSION_TYPE, comment_id=target.comment_id)
        raw = data.get("comment", data) if isinstance(data, dict) else None
        if not isinstance(raw, dict) or not raw.get("id"):
            raise NetworkError(ErrorKind.NOT_FOUND, "комментарий не найден")
        return self._comment(raw, target.post_id)


def _topic_text(topic: dict[str, Any]) -> str:
    return "\n".join(str(m.get("text") or "") for m in topic.get("media") or []
                     if isinstance(m, dict) and m.get("type") == "text")


def _topic_id(post_id: str) -> str:
    text = str(post_id).strip()
    if not _DIGITS.match(text):
        raise NetworkError(ErrorKind.BAD_REQUEST, "тема: ожидался числовой идентификатор ОК")
    return text


def _check_poll(poll: Poll) -> None:
    if not poll.question.strip():
        raise NetworkError(ErrorKind.BAD_REQUEST, "у опроса нет вопроса")
    if not poll.options or any(not o.strip() for o in poll.options):
        raise NetworkError(ErrorKind.BAD_REQUEST, "в опросе нужны непустые варианты ответа")


def _poll_block(poll: Poll) -> dict[str, Any]:
    """The poll media of mediatopic.post (apiok.ru ui.postMediatopic / mediatopic.post example):
    {"type": "poll", "question", "answers": [{"text"}], "options": "SingleChoice,…"}; without
    SingleChoice several answers may be chosen."""
    block: dict[str, Any] = {"type": "poll", "question": poll.question.strip(),
                             "answers": [{"text": o.strip()} for o in poll.options]}
    if not poll.multiple:
        block["options"] = "SingleChoice"
    return block


def _require_success(answer: Any, problem: str) -> None:
    """mediatopic.edit/deleteTopic answer {"success": true, …}; some answers are a bare true."""
    if answer is True or (isinstance(answer, dict) and answer.get("success") in (True, "true")):
        return
    raise NetworkError(ErrorKind.BAD_REQUEST, problem)


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _read_marker(marker: str) -> tuple[int, set[str]]:
    if not marker:
        return -1, set()
    try:
        data = json.loads(marker)
        return int(data["t"]), {str(x) for x in data["ids"]}
    except (ValueError, KeyError, TypeError):
        return -1, set()  # an unreadable marker reads everything again rather than nothing
