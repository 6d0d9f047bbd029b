"""The step timings of п. 8–19 as configuration: the regulation's values are the defaults.

A municipality may override any of them from a date (Sevastopol answers in 9 h, say); the
policy in force at the moment a step starts is the one used for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from threading import Lock
from typing import TYPE_CHECKING, Any

from otklik.incidents.steps import StepKind

if TYPE_CHECKING:
    from otklik.org.models import Municipality

# (duration, unit) — unit "m" is working minutes, "d" working days (ГК РФ ст. 191).
DEFAULTS: dict[str, tuple[int, str]] = {
    StepKind.ANSWER: (8 * 60, "m"),  # п. 8
    StepKind.HANDOVER: (30, "m"),  # п. 9
    StepKind.ROUTE: (30, "m"),  # п. 10
    StepKind.NOT_OURS: (30, "m"),  # п. 11
    StepKind.REROUTE: (30, "m"),  # п. 11
    StepKind.CLARIFY: (60, "m"),  # п. 13
    StepKind.CLARIFY_POST: (30, "m"),  # п. 13: the curator posts the question; our default
    StepKind.APPROVE: (30, "m"),  # п. 14
    StepKind.REWORK: (60, "m"),  # п. 15
    StepKind.PUBLISH: (30, "m"),  # п. 16
    StepKind.FINAL_ANSWER: (7, "d"),  # п. 18
    StepKind.PART: (120, "m"),  # п. 19
    StepKind.FORWARD: (30, "m"),  # п. 12: forwarding is within the total; 30 min is our default
}
# п. 17 halves п. 10–16 and the total; п. 18 and п. 19 stand as written.
HALVED_FOR_HIGH = frozenset(
    {
        StepKind.ANSWER,
        StepKind.HANDOVER,
        StepKind.ROUTE,
        StepKind.NOT_OURS,
        StepKind.REROUTE,
        StepKind.CLARIFY,
        StepKind.CLARIFY_POST,
        StepKind.APPROVE,
        StepKind.REWORK,
        StepKind.PUBLISH,
        StepKind.FORWARD,
    }
)
DEFAULT_WARN_SHARES = (0.5, 0.8)
# п. 13: how long the curator waits for the author's reply before being reminded and allowed to
# close the incident (working minutes; the policy key "clarify_wait" overrides it).
CLARIFY_WAIT_DEFAULT = (8 * 60, "m")


@dataclass(frozen=True)
class StepTiming:
    """Working seconds, or working days (ст. 191) when `days` is set."""

    seconds: int = 0
    days: int = 0

    def halved(self) -> StepTiming:
        if self.days:
            return self  # working days are never halved (п. 17 names п. 10–16 only)
        return StepTiming(seconds=self.seconds // 2)

    @property
    def duration(self) -> timedelta:
        return timedelta(seconds=self.seconds)


def timing_for(
    kind: str, *, high: bool, overrides: dict[str, list[int | str]] | None = None
) -> StepTiming:
    amount, unit = DEFAULTS[kind]
    if overrides and kind in overrides:
        amount, unit = int(overrides[kind][0]), str(overrides[kind][1])
    timing = StepTiming(days=amount) if unit == "d" else StepTiming(seconds=amount * 60)
    if high and kind in HALVED_FOR_HIGH:
        return timing.halved()
    return timing


# Process-memory cache of each municipality's policy versions, keyed like the work calendar by
# `Municipality.calendar_stamp` (a trigger changes it when a policy is saved or deleted).
_versions: dict[int, tuple[int, list[tuple[date, dict[str, list[int | str]], list[float]]]]] = {}
_lock = Lock()


def _policy_versions(municipality: Municipality | int) -> list[tuple[date, dict[str, list[int | str]], list[float]]]:
    """(effective_from, timings, warn_shares), latest first. A bare id is read each time."""
    from otklik.incidents.models import DeadlinePolicy

    pk = municipality if isinstance(municipality, int) else municipality.pk
    stamp = None if isinstance(municipality, int) else municipality.calendar_stamp
    if stamp is not None:
        with _lock:
            hit = _versions.get(pk)
            if hit and hit[0] == stamp:
                return hit[1]
    if stamp is not None:  # keyed by the stamp in the database (see org/calendars.py)
        from otklik.org.models import Municipality

        stamp = Municipality.objects.filter(pk=pk).values_list("calendar_stamp", flat=True).first()
    rows = [(p.effective_from, dict(p.timings or {}), list(p.warn_shares or []))
            for p in DeadlinePolicy.objects.filter(municipality_id=pk).order_by("-effective_from")]
    if stamp is not None:
        with _lock:
            _versions[pk] = (stamp, rows)
    return rows


def policies_forget(**kwargs: Any) -> None:
    """Signal receiver: a policy changed in this process (the trigger tells the others)."""
    with _lock:
        _versions.clear()


def _version_at(municipality: Municipality | int, at: datetime) -> tuple[date, dict[str, list[int | str]],
                                                                        list[float]] | None:
    day = at.date()
    return next((v for v in _policy_versions(municipality) if v[0] <= day), None)


def policy_overrides_at(municipality: Municipality | int, at: datetime) -> dict[str, list[int | str]]:
    """The timings in force at `at`. Pass the municipality's row (not its id) to use the cache."""
    version = _version_at(municipality, at)
    return dict(version[1]) if version else {}


def warn_shares_at(municipality: Municipality | int, at: datetime) -> tuple[float, ...]:
    """The shares of a step's time at which the person who must act is reminded."""
    version = _version_at(municipality, at)
    if version and version[2]:
        return tuple(sorted(float(s) for s in version[2] if 0 < float(s) < 1))
    return DEFAULT_WARN_SHARES
