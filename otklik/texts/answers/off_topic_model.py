"""The learned weighing of the off-topic signals: a logistic regression stored as plain numbers.

``data/off_topic_model.json`` is built by ``python -m otklik.texts.answers.train_off_topic`` from
the development corpora; it holds the feature names, their weights, the intercept and the
probability from which the answer is returned as off topic. Scoring is a dot product in pure
Python, so the engine stays free of numpy and scikit-learn at run time.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

FORMAT = "otklik-off-topic-learned"
FILE = "off_topic_model.json"


@dataclass(frozen=True, slots=True)
class OffTopicModel:
    weights: dict[str, float]
    intercept: float
    threshold: float

    def probability(self, signals: Mapping[str, float]) -> float:
        z = self.intercept + sum(w * signals.get(name, 0.0) for name, w in self.weights.items())
        return 1.0 / (1.0 + math.exp(-z))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OffTopicModel:
        if data.get("format") != FORMAT:
            raise ValueError(f"not an off-topic model: {data.get('format')!r}")
        return cls(weights={str(k): float(v) for k, v in data["weights"].items()},
                   intercept=float(data["intercept"]), threshold=float(data["threshold"]))


@lru_cache(maxsize=1)
def load() -> OffTopicModel | None:
    """The checked-in model, or None when the file is missing or unreadable (the rules decide)."""
    try:
        text = resources.files(__package__).joinpath("data", FILE).read_text("utf-8")
        return OffTopicModel.from_dict(json.loads(text))
    except (OSError, ValueError, KeyError, TypeError):
        return None
