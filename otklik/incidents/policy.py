"""The step timings of п. 8–19 as configuration: the regulation's values are the defaults.

A municipality may override any of them from a date (Sevastopol answers in 9 h, say); the
policy in force at the moment a step starts is the one used for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from otklik.incidents.steps import StepKind

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


def policy_overrides_at(municipality_id: int, at: datetime) -> dict[str, list[int | str]]:
    from otklik.incidents.models import DeadlinePolicy

    version = (
        DeadlinePolicy.objects.filter(municipality_id=municipality_id, effective_from__lte=at.date())
        .order_by("-effective_from")
        .first()
    )
    return dict(version.timings) if version else {}


def warn_shares_at(municipality_id: int, at: datetime) -> tuple[float, ...]:
    """The shares of a step's time at which the person who must act is reminded."""
    from otklik.incidents.models import DeadlinePolicy

    version = (
        DeadlinePolicy.objects.filter(municipality_id=municipality_id, effective_from__lte=at.date())
        .order_by("-effective_from")
        .first()
    )
    if version and version.warn_shares:
        return tuple(sorted(float(s) for s in version.warn_shares if 0 < float(s) < 1))
    return DEFAULT_WARN_SHARES
