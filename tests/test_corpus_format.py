"""Schema and label checks for the labelled evaluation corpus in tests/data.

Fast, no engine import: a broken corpus (bad JSON, unknown label, too few
examples of a class) must fail CI before anyone trusts bench/text_quality.py.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).resolve().parent / "data"
MESSAGES = DATA / "messages.jsonl"
ANSWERS = DATA / "answers.jsonl"

TOPICS = {
    "utilities",
    "roads",
    "lighting",
    "waste",
    "improvement",
    "transport",
    "education",
    "health",
    "social",
    "safety",
    "culture_sport",
    "land_property",
    "other",
}
REASONS = {"threat", "obscenity", "insult"}
CODES = {
    "greeting",
    "spelling",
    "punctuation",
    "bureaucratese",
    "legal_refs",
    "redirect",
    "off_topic",
    "evidence",
}
SEVERITIES = {"error", "warning"}

MIN_MESSAGES = 260
MIN_NO_ANSWER = 45
MIN_SPAM = 30
MIN_HIGH = 40
MIN_PER_TOPIC = 10
MIN_ANSWERS = 160
MIN_CLEAN = 60
MIN_PER_CODE = 15

# «ул. Красная, 15», «пер. Школьный», «х. Красносельский», «ул. Красная, 30а»
LOCATION_RE = re.compile(
    r"^(ул\.|пер\.|пр-т|пл\.|мкр|ст\.|х\.|п\.|с\.|г\.) [А-ЯЁ0-9][^,]*?(, \d+[а-я]?(/\d+)?)?$"
)


def _load(path: Path) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:  # pragma: no cover - failure path
                pytest.fail(f"{path.name}:{lineno}: invalid JSON: {exc}")
            assert isinstance(obj, dict), f"{path.name}:{lineno}: not an object"
            rows.append(obj)
    return rows


@pytest.fixture(scope="module")
def messages() -> list[dict[str, Any]]:
    return _load(MESSAGES)


@pytest.fixture(scope="module")
def answers() -> list[dict[str, Any]]:
    return _load(ANSWERS)


def _unique_ids(rows: list[dict[str, Any]], prefix: str) -> None:
    ids = [r.get("id") for r in rows]
    dup = [i for i, n in Counter(ids).items() if n > 1]
    assert not dup, f"duplicate ids: {dup}"
    for i in ids:
        assert isinstance(i, str), f"id must be a string: {i!r}"
        assert re.fullmatch(prefix + r"\d{3,}", i), f"bad id {i!r}"


# --- messages -------------------------------------------------------------


def test_messages_ids_unique(messages: list[dict[str, Any]]) -> None:
    _unique_ids(messages, "m")


def test_messages_schema(messages: list[dict[str, Any]]) -> None:
    keys = {
        "id",
        "text",
        "no_answer",
        "no_answer_reason",
        "spam",
        "high_importance",
        "topic",
        "locations",
    }
    for m in messages:
        mid = m.get("id")
        assert set(m) == keys, f"{mid}: keys {sorted(set(m) ^ keys)}"
        assert isinstance(m["text"], str), mid
        assert m["text"].strip(), f"{mid}: empty text"
        assert len(m["text"]) <= 1000, f"{mid}: text too long"
        for flag in ("no_answer", "spam", "high_importance"):
            assert isinstance(m[flag], bool), f"{mid}: {flag} must be bool"
        assert m["topic"] in TOPICS, f"{mid}: unknown topic {m['topic']!r}"
        assert isinstance(m["locations"], list), mid
        for loc in m["locations"]:
            assert isinstance(loc, str), mid
            assert LOCATION_RE.match(loc), f"{mid}: location not normalised: {loc!r}"
        assert len(set(m["locations"])) == len(m["locations"]), f"{mid}: duplicate location"


def test_messages_reason_iff_no_answer(messages: list[dict[str, Any]]) -> None:
    for m in messages:
        if m["no_answer"]:
            assert m["no_answer_reason"] in REASONS, f"{m['id']}: bad reason"
        else:
            assert m["no_answer_reason"] is None, f"{m['id']}: reason without no_answer"


def test_messages_texts_unique(messages: list[dict[str, Any]]) -> None:
    dup = [t for t, n in Counter(m["text"] for m in messages).items() if n > 1]
    assert not dup, f"duplicate texts: {dup}"


def test_messages_minimum_counts(messages: list[dict[str, Any]]) -> None:
    assert len(messages) >= MIN_MESSAGES
    assert sum(m["no_answer"] for m in messages) >= MIN_NO_ANSWER
    assert sum(m["spam"] for m in messages) >= MIN_SPAM
    assert sum(m["high_importance"] for m in messages) >= MIN_HIGH
    topics = Counter(m["topic"] for m in messages)
    for topic in TOPICS:
        assert topics[topic] >= MIN_PER_TOPIC, f"topic {topic}: only {topics[topic]}"
    reasons = Counter(m["no_answer_reason"] for m in messages if m["no_answer"])
    for reason in REASONS:
        assert reasons[reason] >= 10, f"reason {reason}: only {reasons[reason]}"


def test_messages_have_hard_negatives(messages: list[dict[str, Any]]) -> None:
    # Plain-answer messages must outnumber every positive class by far,
    # otherwise precision figures are meaningless.
    clean = [m for m in messages if not (m["no_answer"] or m["spam"])]
    assert len(clean) >= 2 * (len(messages) - len(clean))
    normal = [m for m in messages if not m["high_importance"]]
    assert len(normal) >= 25


# --- answers --------------------------------------------------------------


def test_answers_ids_unique(answers: list[dict[str, Any]]) -> None:
    _unique_ids(answers, "a")


def test_answers_schema(answers: list[dict[str, Any]]) -> None:
    keys = {"id", "question", "answer", "author", "attachments", "expected"}
    for a in answers:
        aid = a.get("id")
        assert set(a) == keys, f"{aid}: keys {sorted(set(a) ^ keys)}"
        assert isinstance(a["question"], str), aid
        assert a["question"].strip(), aid
        assert isinstance(a["answer"], str), aid
        assert a["answer"].strip(), aid
        assert a["author"] is None or (isinstance(a["author"], str) and a["author"].strip()), aid
        assert isinstance(a["attachments"], int), aid
        assert not isinstance(a["attachments"], bool), aid
        assert a["attachments"] >= 0, aid
        assert isinstance(a["expected"], dict), aid
        for code, severity in a["expected"].items():
            assert code in CODES, f"{aid}: unknown code {code!r}"
            assert severity in SEVERITIES, f"{aid}: unknown severity {severity!r}"


def test_answers_label_consistency(answers: list[dict[str, Any]]) -> None:
    for a in answers:
        exp = a["expected"]
        aid = a["id"]
        # evidence is about missing attachments: with a photo it cannot fire.
        if "evidence" in exp:
            assert a["attachments"] == 0, f"{aid}: evidence labelled but attachments > 0"
            assert exp["evidence"] == "warning", aid
        # a greeting warning is only about a known but unused name or «Привет».
        if exp.get("greeting") == "warning" and a["author"] is None:
            assert a["answer"].lower().startswith("привет"), aid
        for code in ("spelling", "legal_refs", "redirect", "off_topic"):
            if code in exp:
                assert exp[code] == "error", f"{aid}: {code} is always an error"


def test_answers_minimum_counts(answers: list[dict[str, Any]]) -> None:
    assert len(answers) >= MIN_ANSWERS
    clean = [a for a in answers if not a["expected"]]
    assert len(clean) >= MIN_CLEAN
    per_code = Counter(code for a in answers for code in a["expected"])
    for code in CODES:
        assert per_code[code] >= MIN_PER_CODE, f"code {code}: only {per_code[code]} positives"
    # clean answers with a photo that claim work done are the evidence hard negatives
    assert sum(1 for a in clean if a["attachments"] > 0) >= 10
