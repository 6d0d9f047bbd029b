"""The full-text search of the lists (incidents/search.py) on the index of each database: the
words' other forms, «ё» as «е», the author, every word required, the index kept in step with
edits, and nothing of the query reaching the search syntax. Runs on SQLite (FTS5) and, with
DATABASE_URL=postgres://…, on PostgreSQL (the Russian configuration and its GIN index)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from otklik.incidents.models import Incident
from otklik.incidents.search import fts5_query, incidents_matching, word_prefix
from otklik.incidents.tests.test_views import intake

pytestmark = pytest.mark.django_db


def found(q: str) -> set[int]:
    return set(incidents_matching(Incident.objects.all(), q).values_list("pk", flat=True))


@pytest.fixture
def three(demo: dict[str, Any]) -> dict[str, Incident]:
    return {
        "lamp": intake(demo, text="Не горят фонари на улице Мира уже неделю", author="Пётр Ёлкин"),
        "hole": intake(demo, text="Огромная яма у школы № 5, дети падают", author="Анна Петрова"),
        "bus": intake(demo, text="Автобус на Краснодар опять не пришёл", author="Мария Светлова"),
    }


@pytest.mark.parametrize(("q", "expected"), [
    ("фонарь", {"lamp"}),  # another form of the word
    ("ФОНАРЯ", {"lamp"}),
    ("фонари мира", {"lamp"}),  # every word, anywhere
    ("фонари школа", set()),  # …every one of them
    ("школе", {"hole"}),
    ("ёлкин", {"lamp"}),
    ("елкин", {"lamp"}),  # «ё» written as «е»
    ("петрова", {"hole"}),  # the author
    ("светловой", {"bus"}),
    ("пришел", {"bus"}),
    ("краснод", {"bus"}),  # the beginning of a word
    ("5", {"hole"}),
])
def test_words_in_any_form_find_the_message(three: dict[str, Incident], q: str, expected: set[str]) -> None:
    assert found(q) == {three[k].pk for k in expected}


@pytest.mark.parametrize("q", ['"', "*", "фонарь*", "NEAR(фонарь)", "фонарь OR яма", "' OR 1=1 --", "a:*|b",
                               "фонарь & !яма", "(", "\\", "—", "фонарь:*"])
def test_the_query_never_reaches_the_search_syntax(three: dict[str, Incident], q: str) -> None:
    result = found(q)  # no error whatever the punctuation: only letters and digits are searched
    if q in ("фонарь*", "фонарь:*"):
        assert result == {three["lamp"].pk}


def test_an_edit_and_a_removal_reach_the_index(three: dict[str, Incident]) -> None:
    lamp = three["lamp"]
    Incident.objects.filter(pk=lamp.pk).update(text="Сломана скамейка во дворе", author_name="")
    assert found("фонари") == set()
    assert found("скамейку") == {lamp.pk}


def test_the_prefix_of_a_word_is_what_its_forms_share() -> None:
    assert word_prefix("фонарь") == "фонар"
    assert word_prefix("школа") == "школ"
    assert word_prefix("пришел") == "приш"  # «прийти» shares little: the word less two letters
    assert word_prefix("ыыыщщ") == "ыыыщщ"  # unknown: the word itself
    assert fts5_query(["фонарь", "мира"]) == '"фонар"* "мир"*'


def test_the_search_uses_the_index(three: dict[str, Incident]) -> None:
    sql, params = incidents_matching(Incident.objects.all(), "фонарь").only("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A few rows: the planner would rather read them all. Told not to, it must find the
            # GIN index of the stored search column (migration 0017).
            cursor.execute("SET enable_seqscan = off")
            cursor.execute("SET enable_indexscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = " ".join(r[0] for r in cursor.fetchall())
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_indexscan")
            assert "incidents_incident_search_vector" in plan, plan
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(r[-1]) for r in cursor.fetchall())
            assert "incidents_incident_fts VIRTUAL TABLE" in plan, plan
