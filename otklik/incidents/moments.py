"""Moments that come from outside (the regional system, a form): checked, never trusted.

A detection time may not lie in the future (beyond a few minutes of clock skew) nor before
the first day of the production calendar; a hand-over time may not precede the detection nor
lie in the future. Any datetime Python can parse is answered with a Russian message, never an
exception: comparisons go through `_utc`, which survives year 1 and year 9999 with offsets.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from otklik.incidents.transitions import Invalid

CLOCK_SKEW = timedelta(minutes=5)


def _utc(value: datetime) -> datetime | None:
    """The moment in UTC, or None when it cannot be represented (year 1 − offset, 9999 + offset)."""
    if value.tzinfo is None or value.utcoffset() is None:
        return None
    try:
        return value.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def moments_check(*, detected_at: datetime, handed_over_at: datetime | None, now: datetime,
                  first_day: date) -> None:
    """Raise Invalid (with the field) for a detection or hand-over time that cannot be true."""
    detected = _utc(detected_at)
    if detected is None:
        raise Invalid("Время обнаружения указано неверно: нужна дата с часовым поясом в пределах календаря.",
                      field="detected_at", rule="moment")
    if detected > now + CLOCK_SKEW:
        raise Invalid("Время обнаружения в будущем: проверьте дату и часовой пояс.", field="detected_at", rule="moment")
    if detected_at.date() < first_day:
        raise Invalid(f"Время обнаружения раньше начала производственного календаря ({first_day:%d.%m.%Y}): "
                      "такие сроки не считаются.", field="detected_at", rule="moment")
    if handed_over_at is None:
        return
    handed = _utc(handed_over_at)
    if handed is None:
        raise Invalid("Время передачи указано неверно: нужна дата с часовым поясом в пределах календаря.",
                      field="handed_over_at", rule="moment")
    if handed > now + CLOCK_SKEW:
        raise Invalid("Время передачи в будущем: проверьте дату и часовой пояс.", field="handed_over_at", rule="moment")
    if handed < detected:
        raise Invalid("Время передачи раньше времени обнаружения.", field="handed_over_at", rule="moment")
