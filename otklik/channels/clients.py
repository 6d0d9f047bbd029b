"""One door to the four clients: by network name, without Django (pure registry)."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import cast

from otklik.channels.base import NetworkClient, PageAccess, Push, Target

NETWORKS = ("vk", "ok", "telegram", "max")


def module(network: str) -> ModuleType:
    if network not in NETWORKS:
        raise ValueError(f"unknown network {network!r}")
    return importlib.import_module(f"otklik.channels.{network}.client")


def client_for(network: str, page: PageAccess) -> NetworkClient:
    return cast(NetworkClient, module(network).Client(page))


def max_text(network: str) -> int:
    return int(module(network).MAX_TEXT)


def page_key(network: str, external_id: str) -> str:
    """The page's id as its URLs name it: VK/OK digits, Telegram username without @ in lower
    case (or -100… for a private channel), MAX chat id."""
    value = external_id.strip()
    if network == "vk":
        return value.lstrip("-")
    if network == "telegram":
        return value.lstrip("@").lower()
    return value


def target_from_url(network: str, url: str) -> tuple[str, Target] | None:
    """(page key, post/comment) of a public link, or None (never raises on hostile input)."""
    try:
        found = module(network).target_from_url(url)
    except (ValueError, TypeError):
        return None
    if found is None:
        return None
    key, target = found
    return page_key(network, str(key)), target


def parse_webhook(network: str, headers: dict[str, str], body: bytes, secret: str, confirmation: str = "") -> Push:
    return cast(Push, module(network).parse_webhook(headers, body, secret, confirmation))
