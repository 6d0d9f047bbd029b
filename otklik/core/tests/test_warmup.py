"""A web process loads its views and text engines before its first request (core/warmup.py)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def test_loading_the_wsgi_application_warms_the_process(tmp_path: Path) -> None:
    """What gunicorn's process does first: import config.wsgi. After it, every view is imported
    and the morphology dictionary is loaded; a fresh interpreter had neither."""
    probe = (
        "import sys\n"
        "from otklik.texts import morph\n"
        "assert 'otklik.api.routes' not in sys.modules and morph.analyzer.cache_info().currsize == 0\n"
        "import config.wsgi\n"
        "print('otklik.api.routes' in sys.modules, morph.analyzer.cache_info().currsize)\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'warm.sqlite3'}"}
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120, check=True).stdout.split()
    assert out == ["True", "1"]


def test_a_failing_warm_up_is_logged_not_raised(monkeypatch: pytest.MonkeyPatch,
                                                caplog: pytest.LogCaptureFixture) -> None:
    from otklik.core import warmup
    from otklik.texts import screening

    def broken(text: str) -> None:
        raise RuntimeError("no model")

    monkeypatch.setattr(screening, "screen", broken)
    with caplog.at_level(logging.ERROR, logger="otklik.core.warmup"):
        seconds = warmup.warm_up()
    assert seconds >= 0 and "warm-up failed" in caplog.text
