"""The worker's daily retention sweep (personal data past its term, the access log, pending requests)."""

from __future__ import annotations

from datetime import timedelta

from otklik.core.periodic import periodic


@periodic("privacy-retention", every=timedelta(hours=24))
def retention() -> None:
    from otklik.privacy.erasure import retention_sweep

    retention_sweep()
