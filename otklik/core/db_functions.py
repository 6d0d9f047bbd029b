"""Database functions the search needs on both databases.

`Fold(expr)`: lower case with «ё» as «е», for case-insensitive Russian search. PostgreSQL's
LOWER knows Cyrillic; SQLite's knows only ASCII, so on SQLite it is a function this
application defines on its connections (`install_functions`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Func


def fold(text: str | None) -> str | None:
    return None if text is None else text.lower().replace("ё", "е")


class Fold(Func):
    function = "LOWER"
    template = "REPLACE(LOWER(%(expressions)s), 'ё', 'е')"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="otklik_fold(%(expressions)s)", **extra)


def install_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created receiver."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("otklik_fold", 1, fold, deterministic=True)
