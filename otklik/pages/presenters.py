"""Shaping the registry of pages for its template: organisations in order, a health line per page."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from otklik.pages.models import OfficialPage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Health:
    label: str
    bad: bool  # shown red: п. 8 wants the page and its comments open and the token working
    known: bool = True


@dataclass
class PageRow:
    page: OfficialPage
    responsible: list[str]
    token: Health
    page_open: Health
    comments_open: Health
    last_post: datetime | None = None
    week_posts: int | None = None

    @property
    def health(self) -> list[Health]:
        return [self.token, self.page_open, self.comments_open]

    @property
    def failing(self) -> bool:
        return self.token.bad or self.page_open.bad or self.comments_open.bad


@dataclass
class Organisation:
    name: str
    rows: list[PageRow] = field(default_factory=list)


def _token(page: OfficialPage) -> Health:
    if not page.has_token:
        return Health("ключ не задан", bad=False, known=False)
    if page.check_ok is None:
        return Health("ключ не проверен", bad=False, known=False)
    if page.check_ok:
        return Health("ключ работает", bad=False)
    return Health("ключ не работает", bad=True)


def _flag(value: bool | None, yes: str, no: str, unknown: str) -> Health:
    if value is None:
        return Health(unknown, bad=False, known=False)
    return Health(yes, bad=False) if value else Health(no, bad=True)


def _post_stats(pages: list[OfficialPage], now: datetime) -> dict[int, Any]:
    """The publishing figures from otklik.posts.stats, when that module exists (else nothing).

    Expected: post_stats(pages, now) -> {page id: object or dict with `last_at` (datetime or
    None) and `this_week` (int)}."""
    try:
        from otklik.posts.stats import post_stats  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return {}
    try:
        return dict(post_stats(pages, now))
    except Exception:  # the registry must open even if the figures fail
        log.exception("post_stats failed")
        return {}


def _pick(stat: Any, *names: str) -> Any:
    for name in names:
        value = stat.get(name) if isinstance(stat, dict) else getattr(stat, name, None)
        if value is not None:
            return value
    return None


def registry(pages: Iterable[OfficialPage], now: datetime) -> list[Organisation]:
    """The administration first, then each institution or unit by name."""
    ordered = sorted(pages, key=lambda p: (p.unit is not None, p.unit.name if p.unit else "", p.network, p.name))
    stats = _post_stats(ordered, now)
    groups: dict[int | None, Organisation] = {}
    for page in ordered:
        org = groups.setdefault(page.unit_id, Organisation(page.unit.name if page.unit else "Администрация"))
        stat = stats.get(page.pk)
        org.rows.append(PageRow(
            page=page,
            responsible=[p.full_name for p in page.responsible.all()],
            token=_token(page),
            page_open=_flag(page.page_open, "страница открыта", "страница закрыта", "открыта ли — не проверено"),
            comments_open=_flag(page.comments_open, "комментарии открыты", "комментарии закрыты",
                                "комментарии — не проверено"),
            last_post=_pick(stat, "last_at", "last_post_at") if stat is not None else None,
            week_posts=_pick(stat, "this_week", "week_count") if stat is not None else None,
        ))
    return list(groups.values())
