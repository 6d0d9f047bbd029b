"""Fixtures shared by the whole suite: fast hashing, the demo organisation, a real browser."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run in
# such a thread unless told the test knows what it is doing.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True, scope="session")
def _history_purge_on_flush() -> Iterator[None]:
    """Django empties the database between transactional tests with DELETE on SQLite; the
    history's DELETE trigger lets exactly that through (incidents/history_guard.py)."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    from otklik.incidents.history_guard import history_purge_allowed

    original = BaseDatabaseOperations.execute_sql_flush

    def flush(self: Any, sql_list: Any) -> None:
        with history_purge_allowed():
            original(self, sql_list)

    BaseDatabaseOperations.execute_sql_flush = flush  # type: ignore[method-assign]
    yield
    BaseDatabaseOperations.execute_sql_flush = original  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _own_history_anchors(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test writes and reads its own anchors file: a file left in var/ by a local
    `otklik history anchor` (or by an earlier run) must not fail `history verify` in a test."""
    settings.OTKLIK_HISTORY_ANCHORS = str(tmp_path_factory.mktemp("anchors") / "history-anchors.jsonl")


@pytest.fixture
def demo(db: None) -> dict[str, Any]:
    """The demo municipality, loaded through the real service; people by login."""
    from otklik.org.demo import demo_load
    from otklik.org.models import Person

    demo_load()
    return {p.user.username: p for p in Person.objects.select_related("user", "unit", "municipality")}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: `make test` installs it (scripts/browser.sh)")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="ru-RU", timezone_id="Europe/Moscow")
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    # «Are you sure?» dialogs are accepted, as a person who means it would; tests read them here.
    pg.dialogs = []

    def answer(dialog: Any) -> None:
        pg.dialogs.append(dialog.message)
        dialog.accept()

    pg.on("dialog", answer)
    yield pg
    context.close()


@pytest.fixture
def sandbox_world(monkeypatch: pytest.MonkeyPatch, settings: Any) -> Iterator[Any]:
    """The sandbox network with the demo's pages on a loopback port, every client pointed at it;
    calls time out after 1 s and an injected timeout holds the answer 1.5 s (never-twice tests)."""
    from otklik.channels.sandbox.demo_world import demo_world, sandbox_env
    from otklik.channels.sandbox.server import running

    with running(demo_world()) as (world, base):
        env = sandbox_env(base.removeprefix("http://"))
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        settings.OTKLIK_OK_APP_KEY, settings.OTKLIK_OK_APP_SECRET = env["OTKLIK_OK_APP_KEY"], env["OTKLIK_OK_APP_SECRET"]
        monkeypatch.setenv("OTKLIK_NETWORK_TIMEOUT", "1")
        world.timeout_delay = 1.5
        yield world
