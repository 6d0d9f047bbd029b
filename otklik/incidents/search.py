"""Full-text search in a message's text and its author, on the index of each database.

- PostgreSQL: the Russian configuration (`to_tsvector('russian', …)`, Snowball stems), kept in a
  stored generated column `search_vector` with a GIN index (migration incidents 0017; the model
  does not declare it, so no query of the ORM reads it by accident). Stored, not an index on the
  expression: a queue narrowed by a search checks the few open steps' incidents row by row, and
  parsing each text again there cost 0.04 ms a row. Every word of the query must occur, each as
  a prefix of a stemmed word («фонар» finds «фонари»).
- SQLite: the FTS5 table `incidents_incident_fts` kept by triggers (same migration). FTS5 has
  no Russian stemmer, so each query word becomes the prefix its dictionary forms share
  (pymorphy3: «фонарь» → «фонар*», finding «фонаря», «фонарём»), «ё» read as «е».
- Any other database: a case-insensitive substring of the text or the author.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from otklik.core.db_functions import Fold, fold
from otklik.incidents.models import Incident
from otklik.texts.morph import analyzer

# Letters and digits only: nothing of the query reaches the search syntax of either database.
_WORD = re.compile(r"[^\W_]+")
MAX_WORDS = 8
MIN_PREFIX = 3

TSVECTOR = "search_vector"


def query_words(q: str) -> list[str]:
    return [fold(w) or "" for w in _WORD.findall(q)][:MAX_WORDS]


@lru_cache(maxsize=20_000)
def word_prefix(word: str) -> str:
    """The beginning every dictionary form of the word shares («фонарь» → «фонар»). When the
    forms share too little (a suppletive verb: «пришел», «прийти»), the word less its last two
    letters; an unknown word (a surname) as it is."""
    if not analyzer().word_is_known(word):
        return word
    parses = analyzer().parse(word)
    forms = [fold(f.word) or "" for f in parses[0].lexeme] if parses else []
    prefix = forms[0] if forms else word
    for form in forms[1:]:
        while not form.startswith(prefix):
            prefix = prefix[:-1]
    if len(prefix) >= max(MIN_PREFIX, len(word) - 2) and word.startswith(prefix):
        return prefix
    return word[:max(MIN_PREFIX, len(word) - 2)]


def fts5_query(words: list[str]) -> str:
    return " ".join(f'"{word_prefix(w)}"*' for w in words)


def tsquery(words: list[str]) -> str:
    return " & ".join(f"{w}:*" for w in words)


def incidents_matching(qs: QuerySet[Incident], q: str) -> QuerySet[Incident]:
    """`qs` narrowed to the messages whose text or author contains every word of `q`."""
    words = query_words(q)
    if not words:  # punctuation only: nothing to look for but the string itself
        return _substring(qs, q)
    # The words go in as a parameter; the SQL around them is constant. A subquery of ids of its
    # own, so that it never reads the columns of an outer query's incident.
    if connection.vendor == "postgresql":
        return qs.filter(pk__in=RawSQL(  # noqa: S611
            f"SELECT id FROM incidents_incident WHERE {TSVECTOR} @@ to_tsquery('russian'::regconfig, %s)",  # noqa: S608
            [tsquery(words)]))
    if connection.vendor == "sqlite":
        return qs.filter(pk__in=RawSQL(
            "SELECT rowid FROM incidents_incident_fts WHERE incidents_incident_fts MATCH %s", [fts5_query(words)]))
    return _substring(qs, q)


def _substring(qs: QuerySet[Incident], q: str) -> QuerySet[Incident]:
    needle = fold(q.strip()) or ""
    return qs.annotate(text_folded=Fold("text"), author_folded=Fold("author_name")).filter(
        Q(text_folded__contains=needle) | Q(author_folded__contains=needle))
