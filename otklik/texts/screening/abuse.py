"""п. 21 learned: a second opinion where the rule layers found nothing.

Veiled threats («на вашем месте, глава, я бы по вечерам не гулял», «ваш катер на дне реки будет»)
and insults in new wording are an open space that word lists and clause patterns keep missing on
new text. A linear model over the screening's own features (lemmas, lemma bigrams, character
n-grams of lemmas: ``learned.features``) says how likely the message is one that п. 21 leaves
without an answer, and a second one which of the reasons (insult, obscenity, threat) it is. The
rules stay first: their verdict, reason and spans stand; the model is asked only when they are
silent, and its verdict marks the whole message (there is no span to point at).

The model file (``data/abuse.json``) is written by ``python -m otklik.texts.screening.train_abuse``
from the development corpora (otklik/texts/corpora.py); the threshold and the regularisation were
chosen leaving one corpus out (``--cv``). Predicting needs numpy only.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from otklik.texts.screening import learned

FORMAT = "otklik-screening-abuse"
VERSION = 1
FILE = "abuse.json"
_WORD_CACHE = 200_000


@dataclass(frozen=True, slots=True)
class Verdict:
    probability: float  # that п. 21 applies
    reason: str  # the likeliest reason if it does
    flagged: bool  # probability ≥ the model's threshold


class AbuseModel:
    """Two linear models over one vocabulary: п. 21 or not, then which reason."""

    __slots__ = ("_index", "_intercept", "_packed", "_vocab", "_words", "reasons", "threshold")

    def __init__(self, data: Mapping[str, Any]) -> None:
        if data.get("format") != FORMAT or data.get("version") != VERSION:
            raise ValueError(f"not an Otklik п. 21 model (format version {VERSION})")
        rows: Mapping[str, list[float]] = data["features"]
        self.reasons: tuple[str, ...] = tuple(data["reasons"])
        self.threshold = float(data["threshold"])
        width = 1 + len(self.reasons)
        vocabulary = list(rows)
        self._index = {f: i for i, f in enumerate(vocabulary)}
        self._vocab = frozenset(vocabulary)
        idf = np.array([float(rows[f][0]) for f in vocabulary], dtype=np.float64)
        coef = np.array([[float(v) for v in rows[f][1:]] for f in vocabulary], dtype=np.float64).reshape(
            len(vocabulary), width)
        # One row a feature: idf·coef of every output, then idf² for the norm (as learned.LearnedModel).
        self._packed = np.column_stack([idf[:, None] * coef, idf * idf])
        self._intercept = np.array([float(v) for v in data["intercept"]], dtype=np.float64)
        if self._intercept.shape != (width,):
            raise ValueError("one intercept for п. 21 and one for each reason")
        self._words: dict[str, tuple[str, frozenset[int]]] = {}

    def _indices(self, text: str) -> list[int]:
        index, cache = self._index, self._words
        found: set[int] = set()
        prev = ""
        for low in learned.words(text):
            got = cache.get(low)
            if got is None:
                lem, grams = learned.word_features(low)
                got = (lem, frozenset(index[f] for f in {f"w:{lem}", *grams} & self._vocab))
                if len(cache) < _WORD_CACHE:
                    cache[low] = got
            lem, ids = got
            found.update(ids)
            if prev and (j := index.get(f"b:{prev} {lem}")) is not None:
                found.add(j)
            prev = lem
        found.update(i for f in learned.shape_features(text) if (i := index.get(f)) is not None)
        return sorted(found)

    def verdict(self, text: str) -> Verdict:
        """The verdict on a normalised text (``normalise_input``), as ``screen`` passes it."""
        idx = self._indices(text)
        if idx:
            sums = self._packed[idx].sum(axis=0)
            values = sums[:-1] / math.sqrt(float(sums[-1])) + self._intercept
        else:
            values = self._intercept.copy()
        p = 1.0 / (1.0 + math.exp(-max(min(float(values[0]), 500.0), -500.0)))
        reason = self.reasons[int(np.argmax(values[1:]))]
        return Verdict(p, reason, p >= self.threshold)


def dumps(data: Mapping[str, Any]) -> str:
    """The file's text, laid out as the screening model's (one feature a line, diffable)."""
    return learned.dumps(data)


@lru_cache(maxsize=1)
def shipped() -> AbuseModel:
    raw = resources.files("otklik.texts.screening").joinpath("data").joinpath(FILE)
    return AbuseModel(json.loads(raw.read_text("utf-8")))
