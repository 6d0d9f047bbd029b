"""The SQLite side of «history rows are never deleted».

SQLite has no roles, so the DELETE trigger on the history asks a function that only this
application defines on its connections: in the sqlite3 shell or any other program the
function is unknown and every DELETE fails. In the application it answers «refuse» always —
except inside `history_purge_allowed()`, which only the test suite's database flush uses
(Django empties tables between transactional tests with DELETE, where PostgreSQL uses
TRUNCATE, which the row trigger does not see).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

GUARD_FUNCTION = "otklik_history_guard"
_purge: ContextVar[bool] = ContextVar("otklik_history_purge", default=False)


def _guard() -> int:
    return 0 if _purge.get() else 1


def install_guard(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created receiver: define the guard on every SQLite connection."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(GUARD_FUNCTION, 0, _guard)


@contextmanager
def history_purge_allowed() -> Iterator[None]:
    """Only for emptying a whole test database."""
    token = _purge.set(True)
    try:
        yield
    finally:
        _purge.reset(token)
