"""Reports read from a replica when one is configured (`DATABASE_REPLICA_URL`).

A report of a month or of a region reads much and writes nothing; on a region's PostgreSQL
those reads belong on a streaming replica, away from the clerks' writes. Only the code that asks
(`replica_reads`, `reads_from_replica`) reads there: everything else, and every write, stays on
the primary, so a person never sees their own change missing because of the replica's lag.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.conf import settings

REPLICA = "replica"
_reads = ContextVar("otklik_replica_reads", default=False)

P = ParamSpec("P")
R = TypeVar("R")


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads of the ORM inside go to the replica, if there is one."""
    token = _reads.set(True)
    try:
        yield
    finally:
        _reads.reset(token)


def reads_from_replica(func: Callable[P, R]) -> Callable[P, R]:
    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with replica_reads():
            return func(*args, **kwargs)

    return wrapper


class ReplicaRouter:
    """Django's database router: the replica for reads inside `replica_reads`, else the primary."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        return REPLICA if _reads.get() and replica_configured() else None

    def db_for_write(self, model: type[Any], **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # Both hold the same rows: an object read on the replica may be linked to one of the primary.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        # The replica follows the primary's schema by replication; nobody migrates it.
        return db != REPLICA
