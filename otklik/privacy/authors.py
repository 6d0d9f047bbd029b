"""One citizen across the data: their profile link, normalised, and their id in a network.

A person asks with the link of their profile («https://vk.com/id123»); the same profile reaches
us as «http://m.vk.com/id123/» or «vk.com/id123». Comments read from official pages carry the
network's numeric author id instead of a link, so a VK or OK profile link is also turned into
that id.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from urllib.parse import urlsplit

from otklik.incidents.history import history_key

_MOBILE = ("m.", "www.", "mobile.")
_NETWORK_IDS = (
    ("vk", re.compile(r"^vk\.com/id(\d+)$")),
    ("ok", re.compile(r"^ok\.ru/profile/(\d+)$")),
)


class AuthorLinkError(ValueError):
    """The link is not a profile link we can look for; the message is Russian."""


def author_link_normalise(url: str) -> str:
    """«host/path» in lower case, without scheme, mobile or www prefix, query or trailing slash."""
    raw = (url or "").strip()
    if not raw:
        raise AuthorLinkError("Укажите ссылку на профиль автора.")
    if "://" not in raw:
        raw = "https://" + raw
    parts = urlsplit(raw)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or "." not in parts.hostname:
        raise AuthorLinkError("Ссылка на профиль должна начинаться с https:// и вести на страницу автора в соцсети.")
    host = parts.hostname.lower()
    for prefix in _MOBILE:
        if host.startswith(prefix):
            host = host[len(prefix):]
    path = parts.path.rstrip("/")
    if not path:
        raise AuthorLinkError("В ссылке нет профиля: нужна ссылка на страницу автора, а не на сайт соцсети.")
    return f"{host}{path}".lower()


def author_network_id(normalised: str) -> tuple[str, str] | None:
    """(network, author id) for a VK or OK profile link; None for other links."""
    for network, pattern in _NETWORK_IDS:
        if m := pattern.match(normalised):
            return network, m.group(1)
    return None


def author_digest(normalised: str) -> str:
    """A keyed digest of the profile: an erasure record names the person without keeping the link."""
    return hmac.new(history_key(), f"author:{normalised}".encode(), hashlib.sha256).hexdigest()
