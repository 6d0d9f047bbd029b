"""Periodic work of the organisation: the reminder to import next year's production calendar."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from otklik.core.periodic import periodic
from otklik.org.calendars import production_calendar
from otklik.org.models import Municipality, Person
from otklik.org.roles import Role

# The Government's decree on next year's transfers usually appears in the autumn.
REMIND_FROM = (10, 1)


def calendar_import_reminder(*, today: date | None = None) -> int:
    """From 1 October, once a week until it is done: administrators are asked to import next
    year's decree (`otklik worktime import`), while that year is still provisional."""
    from otklik.notifications.services import notify

    today = today or timezone.localdate()
    next_year = today.year + 1
    if (today.month, today.day) < REMIND_FROM or not production_calendar().is_provisional(next_year):
        return 0
    week = today.isocalendar()
    sent = 0
    for municipality in Municipality.objects.all():
        admins = list(Person.objects.filter(municipality=municipality, role_grants__role=Role.ADMINISTRATOR).distinct())
        if not admins:
            continue
        notify(municipality=municipality, recipients=admins,
               key=f"calendar-import:{next_year}:{week.year}-{week.week}:{municipality.pk}",
               subject=f"Загрузите производственный календарь на {next_year} год",
               body=(f"Сроки на {next_year} год сейчас считаются по предварительному календарю: праздники "
                     "ст. 112 ТК РФ и выходные, без переносов. Когда выйдет постановление Правительства о "
                     f"переносе выходных дней в {next_year} году, загрузите календарь в формате xmlcalendar:\n"
                     f"  otklik worktime import {next_year}.xml\n"
                     "Открытые сроки во всех МО будут пересчитаны."))
        sent += 1
    return sent


@periodic("calendar-import-reminder", every=timedelta(hours=24))
def calendar_reminder() -> None:
    calendar_import_reminder()
