"""Links that come from outside (social networks, the regional system, a person's form).

Only ``http(s)://`` with a host is a link: ``javascript:``, ``data:``, ``vbscript:`` and
every other scheme are refused at the door (API, forms, services) and, should one ever reach
the database another way, rendered as plain text (`link_html`), never as ``href``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.utils.html import format_html
from django.utils.safestring import SafeString

SAFE_SCHEMES = frozenset({"http", "https"})
MAX_LINK = 1000


class LinkError(ValueError):
    """The value is not an http(s) link; the message is Russian, for a person."""


def link_clean(value: str, *, field: str = "Ссылка") -> str:
    """The link stripped of surrounding spaces, or LinkError with a Russian reason."""
    link = value.strip()
    if len(link) > MAX_LINK:
        raise LinkError(f"{field}: не длиннее {MAX_LINK} символов.")
    if not is_safe_link(link):
        raise LinkError(f"{field}: нужна ссылка, начинающаяся с http:// или https://.")
    return link


def is_safe_link(value: object) -> bool:
    if not isinstance(value, str) or not value or len(value) > MAX_LINK:
        return False
    # Browsers drop tabs and newlines inside a URL and trim control characters, so
    # "java\tscript:" runs as script: any such character disqualifies the value.
    if any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() in SAFE_SCHEMES and bool(parts.hostname)


def link_html(url: object, label: object = None) -> SafeString:
    """One way to show an outside link: a new tab, no opener, no referrer; text if unsafe."""
    text = url if label in (None, "") else label
    if not is_safe_link(url):
        return format_html('<span class="unsafe-link" title="Ссылка не открывается: небезопасный адрес">{}</span>',
                           text if text is not None else "")
    return format_html('<a href="{}" target="_blank" rel="noopener noreferrer nofollow">{}</a>', url, text)


def links_clean(values: list[str], *, field: str = "Вложения") -> list[str]:
    """Each link cleaned; the first bad one raises with its position."""
    out = []
    for n, value in enumerate(values, 1):
        if not isinstance(value, str):
            raise LinkError(f"{field}: ссылка № {n} — не строка.")
        out.append(link_clean(value, field=f"{field}, ссылка № {n}"))
    return out
