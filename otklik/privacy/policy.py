"""Each municipality's retention policy (the regulation's values as defaults, SPEC §10)."""

from __future__ import annotations

from datetime import datetime

from otklik.org.models import Municipality, Person
from otklik.privacy.errors import PrivacyError
from otklik.privacy.models import MIN_KEEP_YEARS, RetentionPolicy


def policy_for(municipality: Municipality) -> RetentionPolicy:
    """The stored policy, or the defaults (unsaved) for a municipality that set none."""
    found = RetentionPolicy.objects.filter(municipality=municipality).first()
    return found or RetentionPolicy(municipality=municipality)


def policy_set(*, municipality: Municipality, keep_years: int, access_log_years: int,
               by: Person | None = None) -> RetentionPolicy:
    for value in (keep_years, access_log_years):
        if not MIN_KEEP_YEARS <= value <= 75:
            raise PrivacyError(f"Срок хранения — от {MIN_KEEP_YEARS} до 75 лет: ежемесячный отчёт (п. 23) "
                               "сравнивается с тем же месяцем прошлого года.")
    policy, _ = RetentionPolicy.objects.update_or_create(
        municipality=municipality,
        defaults={"keep_years": keep_years, "access_log_years": access_log_years, "updated_by": by})
    return policy


def years_before(moment: datetime, years: int) -> datetime:
    """The same calendar moment `years` earlier (29 February falls back to the 28th).

    Retention terms are calendar years, not working time: the worktime engine is not involved.
    """
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)
