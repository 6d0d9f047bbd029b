from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _no_second_factor(settings: Any) -> None:
    """The second factor is tested in core; here the roles are what is under test."""
    settings.OTKLIK_REQUIRE_2FA = False
