"""The worker's job for the monthly report: issuing on the 1st, reminders on the 3rd and 4th."""

from __future__ import annotations

from datetime import timedelta

from otklik.core.periodic import periodic


@periodic("reports-monthly", every=timedelta(minutes=10))
def monthly() -> None:
    from otklik.reports.issuing import reports_sweep

    reports_sweep()
