"""The one small interface every network client speaks (VK, OK, Telegram, MAX).

Pure Python plus httpx: no Django here, so a client is tested against recorded response
shapes (respx) and against the sandbox without a database. The Django side (pages,
publications, the worker) lives in `otklik.channels.publishing` and `otklik.pages`.
"""

from __future__ import annotations

import enum
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Protocol

import httpx


def timeout() -> httpx.Timeout:
    """Every call has a deadline (OTKLIK_NETWORK_TIMEOUT seconds, default 20): a network that
    hangs must not hold a worker."""
    try:
        seconds = float(os.environ.get("OTKLIK_NETWORK_TIMEOUT") or 20)
    except ValueError:
        seconds = 20.0
    return httpx.Timeout(connect=min(5.0, seconds), read=seconds, write=seconds, pool=5.0)


def api_url(variable: str, default: str) -> str:
    """The network's base URL: from the environment, so a test or the sandbox can stand in."""
    return (os.environ.get(variable) or default).rstrip("/")


class ErrorKind(enum.StrEnum):
    RETRY = "retry"  # the network failed for now (5xx, "internal error"): try again later
    RATE_LIMITED = "rate_limited"  # too many calls: wait `retry_after` seconds
    TOKEN_INVALID = "token_invalid"  # noqa: S105  # a kind, not a secret; the token was revoked, expired or never valid
    NOT_FOUND = "not_found"  # the post, comment, chat or user is not there (deleted?)
    FORBIDDEN = "forbidden"  # the token works but lacks a right, or the action is closed
    BAD_REQUEST = "bad_request"  # our request was wrong (too long, bad parameter)
    TIMEOUT = "timeout"  # no answer in time: the call MAY have been carried out
    UNSUPPORTED = "unsupported"  # the network has no such action


# What a tired clerk reads when a call fails (the network's own words follow in brackets).
KIND_RU: dict[ErrorKind, str] = {
    ErrorKind.RETRY: "Сеть временно не отвечает, повторим позже",
    ErrorKind.RATE_LIMITED: "Сеть просит подождать: слишком много обращений",
    ErrorKind.TOKEN_INVALID: "Ключ доступа страницы больше не действует — нужен новый",
    ErrorKind.NOT_FOUND: "Запись или комментарий не найдены в сети (возможно, удалены)",
    ErrorKind.FORBIDDEN: "У ключа страницы нет права на это действие",
    ErrorKind.BAD_REQUEST: "Сеть отклонила запрос",
    ErrorKind.TIMEOUT: "Сеть не ответила вовремя — неизвестно, выполнено ли действие",
    ErrorKind.UNSUPPORTED: "В этой сети нет такого действия",
}


class NetworkError(Exception):
    def __init__(self, kind: ErrorKind, detail: str = "", *, code: int | str | None = None,
                 retry_after: float | None = None) -> None:
        self.kind = kind
        self.detail = detail
        self.code = code
        self.retry_after = retry_after
        super().__init__(self.message_ru)

    @property
    def message_ru(self) -> str:
        text = KIND_RU[self.kind]
        if self.detail:
            text += f" ({self.detail[:300]})"
        return text + "."


@dataclass(frozen=True)
class PageAccess:
    """What a client needs to act for one official page; secrets already decrypted."""

    external_id: str  # VK group id, OK group id, Telegram channel (@name or -100…), MAX chat id
    token: str
    discussion_chat_id: str = ""  # Telegram: the linked discussion group, where comments live
    app_key: str = ""  # OK: the application's public key
    app_secret: str = ""  # OK: the application's secret key
    public_url: str = ""  # the page's address as people open it (for links to what we publish)


@dataclass(frozen=True)
class Target:
    """A post of the page, or one comment under it, parsed from the message's URL."""

    post_id: str
    comment_id: str = ""


@dataclass(frozen=True)
class Published:
    post_id: str
    comment_id: str  # empty for a post
    url: str


@dataclass(frozen=True)
class Comment:
    id: str
    post_id: str
    author_id: str
    text: str
    reply_to: str = ""  # the comment it answers, if any
    from_page: bool = False  # written by the page itself (our replies)
    deleted: bool = False
    date: int = 0  # unix time


@dataclass(frozen=True)
class PostState:
    id: str
    text: str
    exists: bool = True
    comments_open: bool = True


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    name: str = ""  # the page's name as the network knows it
    missing: tuple[str, ...] = ()  # rights the token lacks, in Russian
    problem: str = ""  # in Russian, when not ok


@dataclass
class Media:
    """A photo or video to attach to a post."""

    name: str
    content: bytes
    kind: str = "photo"  # photo | video


@dataclass(frozen=True)
class Poll:
    """A poll attached to a post, where the network has polls (VK, OK, Telegram)."""

    question: str
    options: tuple[str, ...]
    multiple: bool = False


@dataclass(frozen=True)
class PageStatus:
    """What the network says of the page itself (Прил. 1 п. 8: page and comments must be open)."""

    name: str = ""
    open: bool = True  # the page is public (not closed, not private, not blocked)
    comments_open: bool = True  # people can comment on its posts
    detail: str = ""  # in Russian, when something is closed or unknown


@dataclass
class CommentBatch:
    comments: list[Comment] = field(default_factory=list)
    marker: str = ""  # pass back next time: nothing is read twice


class NetworkClient(Protocol):
    """The interface; each network's `client.py` implements it."""

    network: str
    max_text: int  # the longest text one reply or post may carry, in characters

    def check(self) -> CheckResult: ...

    def publish_post(self, text: str, media: list[Media] | None = None, poll: Poll | None = None) -> Published: ...

    def edit_post(self, post_id: str, text: str) -> None: ...

    def delete_post(self, post_id: str) -> None: ...

    def find_post(self, text: str) -> Published | None:
        """The page's own recent post with exactly this text (never twice after a timeout);
        UNSUPPORTED where the network cannot list a page's posts to us."""
        ...

    def page_status(self) -> PageStatus: ...

    def reply(self, target: Target, text: str) -> Published: ...

    def find_reply(self, target: Target, text: str) -> Published | None:
        """Our page's reply with exactly this text under `target`, if the network has it.

        Used after a timeout before any retry (never twice). Raises UNSUPPORTED where the
        network cannot list comments to a bot (Telegram): then a person must look.
        """
        ...

    def delete_comment(self, target: Target) -> None: ...

    def restore_comment(self, target: Target) -> None: ...

    def ban(self, author_id: str, reason: str = "") -> None: ...

    def unban(self, author_id: str) -> None: ...

    def comments(self, post_id: str, marker: str = "") -> CommentBatch: ...

    def fetch_post(self, post_id: str) -> PostState: ...

    def fetch_comment(self, target: Target) -> Comment: ...


class RateLimiter:
    """At most `per_second` calls a second for one token (the networks' published limits)."""

    def __init__(self, per_second: float) -> None:
        self.interval = 1.0 / per_second
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = time.monotonic()
            delay = self._next - now
            self._next = max(now, self._next) + self.interval
        if delay > 0:
            time.sleep(delay)


_limiters: dict[tuple[str, str], RateLimiter] = {}
_limiters_lock = threading.Lock()


def limiter_for(network: str, key: str, per_second: float) -> RateLimiter:
    """One limiter per (network, token) in this process, shared by every client object."""
    with _limiters_lock:
        found = _limiters.get((network, key))
        if found is None:
            found = _limiters[(network, key)] = RateLimiter(per_second)
        return found


def transport_error(exc: httpx.HTTPError) -> NetworkError:
    """httpx's failures as our kinds: a read timeout may have been carried out."""
    if isinstance(exc, httpx.ConnectTimeout | httpx.ConnectError):
        return NetworkError(ErrorKind.RETRY, "нет соединения")
    if isinstance(exc, httpx.TimeoutException):
        return NetworkError(ErrorKind.TIMEOUT)
    return NetworkError(ErrorKind.RETRY, type(exc).__name__)


def http_status_kind(status: int) -> ErrorKind | None:
    """The kind for a bare HTTP status, where the body carries no network error code."""
    if status == 429:
        return ErrorKind.RATE_LIMITED
    if status == 401:
        return ErrorKind.TOKEN_INVALID
    if status == 403:
        return ErrorKind.FORBIDDEN
    if status == 404:
        return ErrorKind.NOT_FOUND
    if status >= 500:
        return ErrorKind.RETRY
    if status >= 400:
        return ErrorKind.BAD_REQUEST
    return None


def same_text(a: str, b: str) -> bool:
    """Networks trim the ends and normalise line breaks; nothing else may differ."""
    return a.replace("\r\n", "\n").strip() == b.replace("\r\n", "\n").strip()


@dataclass(frozen=True)
class Push:
    """What a network's webhook/callback delivered, already checked against the page's secret."""

    page_key: str  # the page as the network names it (matches the page's external id)
    comments: list[Comment] = field(default_factory=list)
    reply: str = "ok"  # the body the network expects back (VK: "ok", or the confirmation code)
