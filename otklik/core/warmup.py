"""What a web process loads before its first request, not during it.

A fresh process (at start, and again after gunicorn renews it every ~2 000 requests) spent
0.7 s on its first page: importing every view through the URL patterns (0.47 s, the API's
schemas most of it), then the morphology dictionary and the screening model on the first
hand-in. Under load the first requests of four fresh processes queued behind each other for
1–2 s (bench/load.py). Loading them when the process starts moves that before it accepts work.
"""

from __future__ import annotations

import logging
import time

log = logging.getLogger(__name__)


def warm_up() -> float:
    """Load the URL patterns and the text engines; returns the seconds it took. A failure is
    logged, never raised: a process that cannot warm up still serves, only its first request is
    slower."""
    began = time.perf_counter()
    try:
        from django.urls import get_resolver

        from otklik.texts.answers import check_answer
        from otklik.texts.screening import screen

        get_resolver().url_patterns  # noqa: B018  (the property imports every view)
        screen("На ул. Мира не горит фонарь, дети идут из школы в темноте.")
        check_answer("Здравствуйте, Анна! Фонарь заменим в пятницу.", question="Когда заменят фонарь?")
    except Exception:
        log.exception("warm-up failed; the first request will load what it needs")
    return time.perf_counter() - began
