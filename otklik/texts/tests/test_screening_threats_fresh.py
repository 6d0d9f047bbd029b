"""Pins п. 21 on the self-written held-out set (data/no_answer_fresh.jsonl).

The 60 messages (30 veiled threats and insults, 30 hard negatives) were written before the
threat and insult grammars were built and never tuned against; they were measured once at the
end (precision 0.955, recall 0.700). This test pins the rows that passed then, so that a change
which breaks them shows; the rows that failed are listed as known misses, not claimed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from otklik.texts.screening import screen

_ROWS = [
    json.loads(line)
    for line in (Path(__file__).parent / "data" / "no_answer_fresh.jsonl").read_text("utf-8").splitlines()
    if line.strip()
]
# Failed at the one measurement: missed threats/insults and one false alarm. Seven of the misses
# then (f005, f009, f011, f013, f016, f017, f023) are found since the learned п. 21 layer, pinned below.
KNOWN_MISSES = frozenset({"f018", "f019", "f050"})


def test_the_set_is_as_written() -> None:
    assert len(_ROWS) == 60
    assert sum(r["no_answer"] for r in _ROWS) == 30


# Passed with the rules alone; the learned п. 21 layer (screening/abuse.py) flags it («Я вам ещё
# напишу…»). On this set that layer took recall 0.700 → 0.933 at precision 0.955 → 0.933.
MODEL_ALARMS = frozenset({"f057"})
_ALARM = pytest.mark.xfail(strict=True, reason="ложная тревога обученного слоя п. 21 (abuse.py)")


@pytest.mark.parametrize("row", [pytest.param(r, marks=_ALARM) if r["id"] in MODEL_ALARMS else r
                                 for r in _ROWS if r["id"] not in KNOWN_MISSES], ids=lambda r: r["id"])
def test_passing_rows_stay_passing(row: dict[str, object]) -> None:
    result = screen(str(row["text"]))
    assert result.no_answer == row["no_answer"], row["text"]
