"""Cadence (Прил. 1 п. 5): at least N posts a week on every page, weeks from Monday, local time.

A board per page (this week and the 8 before), a Thursday-morning reminder to the page's
responsible persons when the week is short, and a Monday summary of the week before to the
head of the general department. Reminders are idempotent (one per page and week).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from otklik.org.models import Municipality
from otklik.org.roles import Role
from otklik.pages.models import OfficialPage
from otklik.posts.models import PostTarget

WEEKS = 9  # this week and the 8 before
REMIND_WEEKDAY, SUMMARY_WEEKDAY, MORNING = 3, 0, time(9, 0)  # Thursday, Monday, 09:00 local


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _bounds(monday: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(monday, time(0), tzinfo=tz)
    return start, start + timedelta(days=7)


@dataclass(frozen=True)
class PageWeeks:
    page: OfficialPage
    counts: list[int]  # oldest first; the last is this week
    weeks: list[date]

    @property
    def this_week(self) -> int:
        return self.counts[-1]


def published_in(page_ids: list[int], start: datetime, end: datetime) -> dict[int, int]:
    rows = PostTarget.objects.filter(page_id__in=page_ids, published_at__gte=start, published_at__lt=end,
                                     state__in=[PostTarget.State.DONE]).values_list("page_id", flat=True)
    counts: dict[int, int] = {}
    for pid in rows:
        counts[pid] = counts.get(pid, 0) + 1
    return counts


def board(municipality: Municipality, *, now: datetime | None = None, weeks: int = WEEKS) -> list[PageWeeks]:
    tz = ZoneInfo(municipality.time_zone)
    today = (now or timezone.now()).astimezone(tz).date()
    mondays = [week_start(today) - timedelta(weeks=k) for k in range(weeks - 1, -1, -1)]
    pages = list(OfficialPage.objects.filter(municipality=municipality).select_related("unit")
                 .order_by("unit__name", "network", "name"))
    ids = [p.pk for p in pages]
    per_week = [published_in(ids, *_bounds(m, tz)) for m in mondays]
    return [PageWeeks(page=p, counts=[w.get(p.pk, 0) for w in per_week], weeks=mondays) for p in pages]


def cadence_reminders(*, now: datetime | None = None) -> int:
    """Thursday: tell the responsible of each short page; Monday: the head gets last week's summary."""
    from otklik.incidents.selectors import people_with_role
    from otklik.notifications.services import notify

    sent = 0
    for municipality in Municipality.objects.all():
        tz = ZoneInfo(municipality.time_zone)
        local = (now or timezone.now()).astimezone(tz)
        need = municipality.posts_per_week
        monday = week_start(local.date())
        if local.weekday() == REMIND_WEEKDAY and local.time() >= MORNING:
            for row in board(municipality, now=now, weeks=1):
                if row.this_week >= need:
                    continue
                people = list(row.page.responsible.filter(user__is_active=True))
                notify(municipality=municipality, recipients=people,
                       key=f"cadence:{row.page.pk}:{monday.isoformat()}",
                       subject=f"На странице «{row.page.name}» мало публикаций на этой неделе",
                       body=f"На этой неделе опубликовано {row.this_week} из {need} (Прил. 1 п. 5). "
                            f"До воскресенья осталось несколько дней — запланируйте публикацию.\n\n"
                            f"{settings.OTKLIK_BASE_URL}/posts/new/")
                sent += 1
        if local.weekday() == SUMMARY_WEEKDAY and local.time() >= MORNING:
            rows = board(municipality, now=now - timedelta(days=7) if now else timezone.now() - timedelta(days=7),
                         weeks=1)
            lines = [f"{'✔' if r.this_week >= need else '✘'} {r.page.name} ({r.page.get_network_display()}): "
                     f"{r.this_week} из {need}" for r in rows]
            short = sum(1 for r in rows if r.this_week < need)
            heads = list(people_with_role(municipality_id=municipality.pk, role=Role.GENERAL_HEAD))
            notify(municipality=municipality, recipients=heads, key=f"cadence-summary:{municipality.pk}:{monday}",
                   subject=f"Публикации за прошлую неделю: {short} страниц(ы) ниже нормы" if short
                   else "Публикации за прошлую неделю: норма выполнена на всех страницах",
                   body="\n".join(lines) + f"\n\n{settings.OTKLIK_BASE_URL}/posts/cadence/")
            sent += 1
    return sent
