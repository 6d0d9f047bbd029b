"""Per page: the last post and the posts this week, for the registry's page list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Max

from otklik.pages.models import OfficialPage
from otklik.posts.cadence import published_in, week_start
from otklik.posts.models import PostTarget


@dataclass(frozen=True)
class PostStats:
    last_at: datetime | None
    this_week: int


def post_stats(pages: list[OfficialPage], now: datetime) -> dict[int, PostStats]:
    if not pages:
        return {}
    ids = [p.pk for p in pages]
    last = dict(PostTarget.objects.filter(page_id__in=ids, state=PostTarget.State.DONE).values("page_id")
                .annotate(last=Max("published_at")).values_list("page_id", "last"))
    result: dict[int, PostStats] = {}
    by_tz: dict[str, list[int]] = {}
    for p in pages:
        by_tz.setdefault(p.municipality.time_zone, []).append(p.pk)
    for tz_name, page_ids in by_tz.items():
        tz = ZoneInfo(tz_name)
        monday = week_start(now.astimezone(tz).date())
        start = datetime.combine(monday, datetime.min.time(), tzinfo=tz)
        counts = published_in(page_ids, start, start + timedelta(days=7))
        for pid in page_ids:
            result[pid] = PostStats(last_at=last.get(pid), this_week=counts.get(pid, 0))
    return result
