"""The SQLite side of «history rows are never deleted».

SQLite has no roles, so the DELETE trigger on the history asks a function that only this
application defines on its connections: in the sqlite3 shell or any other program the
function is unknown and every DELETE fails. In the application it answers «refuse» always —
except inside `history_purge_allowed()`, which only the test suite's database flush uses
(Django empties tables between transactional tests with DELETE, where PostgreSQL uses
TRUNCATE, which the row trigger does not see).

UPDATE is refused always, except the erasure of personal data (`history_erasure_allowed()`),
which may only blank a payload and seal it, once (incidents/migrations/0012).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

GUARD_FUNCTION = "otklik_history_guard"
ERASING_FUNCTION = "otklik_history_erasing"
# PostgreSQL: a transaction-local setting the UPDATE trigger reads (incidents/migrations 0012).
ERASING_SETTING = "otklik.history_erasure"
_purge: ContextVar[bool] = ContextVar("otklik_history_purge", default=False)
_erasing: ContextVar[bool] = ContextVar("otklik_history_erasing", default=False)


def _guard() -> int:
    return 0 if _purge.get() else 1


def _erasing_now() -> int:
    return 1 if _erasing.get() else 0


def install_guard(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created receiver: define the guard on every SQLite connection."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(GUARD_FUNCTION, 0, _guard)
        connection.connection.create_function(ERASING_FUNCTION, 0, _erasing_now)


@contextmanager
def history_erasure_allowed(connection: Any) -> Iterator[None]:
    """Only for `history.event_erase`: the UPDATE trigger then lets exactly the blanking of a
    payload through (the signed columns unchanged, the entry not yet erased, a seal set).

    On PostgreSQL the permission is a setting local to a savepoint: a failed UPDATE rolls it
    back with the savepoint, a successful one switches it off at once."""
    from django.db import transaction

    token = _erasing.set(True)
    try:
        with transaction.atomic(using=connection.alias):
            if connection.vendor == "postgresql":
                with connection.cursor() as c:
                    c.execute("SELECT set_config(%s, 'on', true)", [ERASING_SETTING])
            yield
            if connection.vendor == "postgresql":
                with connection.cursor() as c:
                    c.execute("SELECT set_config(%s, 'off', true)", [ERASING_SETTING])
    finally:
        _erasing.reset(token)


@contextmanager
def history_purge_allowed() -> Iterator[None]:
    """Only for emptying a whole test database."""
    token = _purge.set(True)
    try:
        yield
    finally:
        _purge.reset(token)
