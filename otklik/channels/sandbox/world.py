"""The sandbox's state: pages, posts, comments, bans and updates, shared by all four stand-ins.

Each network's `standin.py` translates its HTTP shapes onto this one model: a page has posts,
a post has comments (a comment may answer another), a page bans authors, and every new or
changed comment is an update with a growing sequence number (for getUpdates / long polling /
callbacks). Thread-safe: the server is threaded.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import asdict, dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qs


@dataclass
class SbComment:
    id: int
    post_id: int
    author_id: str  # a user id, or "page" for the page itself
    author_name: str
    text: str
    reply_to: int = 0
    deleted: bool = False
    date: int = 0
    attachments: list[str] = field(default_factory=list)


@dataclass
class SbPost:
    id: int
    text: str
    date: int = 0
    attachments: list[str] = field(default_factory=list)  # "photo:NAME", "video:NAME", "poll:…"
    deleted: bool = False
    comments_open: bool = True
    discussion_id: int = 0  # Telegram: the post's copy in the discussion group


@dataclass
class SbPage:
    network: str
    external_id: str  # as Otklik stores it (VK group id without minus, @channel, MAX chat id…)
    name: str
    token: str
    discussion_chat_id: str = ""
    screen_name: str = ""  # the part of the public URL (vk.com/<screen_name>, t.me/<screen_name>)
    posts: dict[int, SbPost] = field(default_factory=dict)
    comments: dict[int, SbComment] = field(default_factory=dict)
    banned: dict[str, str] = field(default_factory=dict)  # author id -> reason
    next_id: int = 1

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def add_post(self, text: str, attachments: list[str] | None = None, post_id: int = 0) -> SbPost:
        pid = post_id or self.new_id()
        self.next_id = max(self.next_id, pid)
        post = SbPost(id=pid, text=text, date=int(time.time()), attachments=attachments or [])
        self.posts[pid] = post
        return post

    def add_comment(self, post_id: int, author_id: str, author_name: str, text: str, reply_to: int = 0,
                    comment_id: int = 0) -> SbComment:
        cid = comment_id or self.new_id()
        self.next_id = max(self.next_id, cid)
        comment = SbComment(id=cid, post_id=post_id, author_id=author_id, author_name=author_name, text=text,
                            reply_to=reply_to, date=int(time.time()))
        self.comments[cid] = comment
        return comment

    def thread(self, post_id: int) -> list[SbComment]:
        return sorted((c for c in self.comments.values() if c.post_id == post_id), key=lambda c: c.id)


@dataclass
class Failure:
    """One injected failure: the next `count` calls of `method` on `network` fail as `kind`.

    kind: rate_limit | server_error | timeout | token_invalid. With `after_accept` a timeout
    happens after the action was carried out (the hard case for never-twice).
    """

    network: str
    method: str = "*"
    kind: str = "server_error"
    count: int = 1
    after_accept: bool = False
    retry_after: int = 1


@dataclass
class Update:
    seq: int
    network: str
    page: str  # external id
    type: str  # comment_new | comment_edit | comment_delete | comment_restore | post_new
    post_id: int
    comment_id: int = 0


@dataclass
class SbRequest:
    method: str  # GET, POST, PUT, DELETE, PATCH
    path: str  # after the network's prefix, without a leading slash
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes = b""
    base: str = ""  # http://host:port of the sandbox, for URLs it hands out (uploads)

    def arg(self, name: str, default: str = "") -> str:
        """A parameter from the query string or an urlencoded/multipart/JSON body."""
        if name in self.query:
            return self.query[name][0]
        value = self.form().get(name)
        return default if value is None else value

    def form(self) -> dict[str, str]:
        kind = self.headers.get("content-type", "")
        if kind.startswith("application/x-www-form-urlencoded"):
            return {k: v[0] for k, v in parse_qs(self.body.decode("utf-8", "replace"), keep_blank_values=True).items()}
        if kind.startswith("application/json"):
            data = self.json()
            return {k: v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for k, v in data.items()} \
                if isinstance(data, dict) else {}
        if kind.startswith("multipart/form-data"):
            return {k: v.decode("utf-8", "replace") for k, (_, v) in self.files().items()}
        return {}

    def files(self) -> dict[str, tuple[str, bytes]]:
        """Multipart parts: name -> (file name, content)."""
        kind = self.headers.get("content-type", "")
        if not kind.startswith("multipart/form-data"):
            return {}
        message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + kind.encode() + b"\r\n\r\n" + self.body)
        parts: dict[str, tuple[str, bytes]] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if isinstance(name, str):
                payload = part.get_payload(decode=True)
                parts[name] = (part.get_filename() or "", payload if isinstance(payload, bytes) else b"")
        return parts

    def json(self) -> Any:
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            return None


@dataclass
class SbResponse:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"
    # Seconds to sleep before answering (an injected timeout).
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)  # extra headers (Location, Retry-After)

    @classmethod
    def of(cls, data: Any, status: int = 200) -> SbResponse:
        return cls(status=status, body=json.dumps(data, ensure_ascii=False).encode())


class World:
    """All pages of all networks, the update log and the injected failures."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.pages: dict[tuple[str, str], SbPage] = {}
        self.updates: list[Update] = []
        self.failures: list[Failure] = []
        self.calls: list[tuple[str, str]] = []  # (network, method) in order, for tests
        self.timeout_delay = 3.0  # seconds an injected timeout holds the answer
        self.users: dict[str, str] = {}  # user id -> name
        # (network, page) -> flags a stand-in keeps about a page: "private", "comments closed"…
        self.flags: dict[tuple[str, str], set[str]] = {}

    def set_flags(self, page: SbPage, /, **flags: bool) -> None:
        """Turn a page's named flags on (True) or off (False)."""
        with self.lock:
            state = self.flags.setdefault((page.network, page.external_id), set())
            for flag, on in flags.items():
                if on:
                    state.add(flag)
                else:
                    state.discard(flag)

    def has_flag(self, page: SbPage, flag: str) -> bool:
        return flag in self.flags.get((page.network, page.external_id), set())

    # -- pages
    def add_page(self, page: SbPage) -> SbPage:
        with self.lock:
            self.pages[(page.network, page.external_id)] = page
            return page

    def page(self, network: str, external_id: str) -> SbPage | None:
        return self.pages.get((network, external_id))

    def pages_of(self, network: str) -> list[SbPage]:
        return [p for (n, _), p in sorted(self.pages.items()) if n == network]

    def page_by_token(self, network: str, token: str) -> SbPage | None:
        return next((p for p in self.pages_of(network) if p.token == token), None)

    # -- updates
    def emit(self, network: str, page: str, type_: str, post_id: int, comment_id: int = 0) -> Update:
        with self.lock:
            update = Update(seq=len(self.updates) + 1, network=network, page=page, type=type_, post_id=post_id,
                            comment_id=comment_id)
            self.updates.append(update)
            return update

    def updates_after(self, network: str, seq: int, page: str | None = None) -> list[Update]:
        return [u for u in self.updates if u.network == network and u.seq > seq and (page is None or u.page == page)]

    # -- citizens (the sandbox view and tests write as a citizen)
    def citizen_comment(self, network: str, external_id: str, post_id: int, text: str, author_id: str = "7001",
                        author_name: str = "Житель", reply_to: int = 0) -> SbComment:
        with self.lock:
            page = self.pages[(network, external_id)]
            comment = page.add_comment(post_id, author_id, author_name, text, reply_to=reply_to)
            self.users.setdefault(author_id, author_name)
            self.emit(network, external_id, "comment_new", post_id, comment.id)
            return comment

    # -- failures
    def fail(self, failure: Failure) -> None:
        with self.lock:
            self.failures.append(failure)

    def take_failure(self, network: str, method: str) -> Failure | None:
        """The next injected failure for this call, used up by one."""
        with self.lock:
            self.calls.append((network, method))
            for failure in self.failures:
                if failure.network == network and failure.method in ("*", method) and failure.count > 0:
                    failure.count -= 1
                    if failure.count == 0:
                        self.failures.remove(failure)
                    return failure
            return None

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {
                "pages": [
                    {**{k: v for k, v in asdict(p).items() if k not in ("posts", "comments", "token")},
                     "posts": [asdict(x) for x in sorted(p.posts.values(), key=lambda x: x.id)],
                     "comments": [asdict(x) for x in sorted(p.comments.values(), key=lambda x: x.id)]}
                    for _, p in sorted(self.pages.items())
                ],
                "calls": [list(c) for c in self.calls],
            }
