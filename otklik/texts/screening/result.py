"""The result of screening one message, and the topic codes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# Default Russian names; the product may override them in its configuration.
TOPICS: dict[str, str] = {
    "utilities": "ЖКХ: вода, тепло, газ, электричество",
    "roads": "Дороги",
    "lighting": "Освещение",
    "waste": "Мусор и отходы",
    "improvement": "Благоустройство",
    "transport": "Транспорт",
    "education": "Образование",
    "health": "Здравоохранение",
    "social": "Социальная защита",
    "safety": "Безопасность",
    "culture_sport": "Культура и спорт",
    "land_property": "Земля и имущество",
    "other": "Другое",
}


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the message (character offsets) and why it was marked."""

    start: int
    end: int
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Screening:
    no_answer: bool
    no_answer_reason: str | None
    no_answer_spans: tuple[Span, ...]
    spam: bool
    spam_spans: tuple[Span, ...]
    high_importance: bool
    high_importance_reasons: tuple[str, ...]
    high_importance_spans: tuple[Span, ...]
    topic: str | None
    topic_scores: Mapping[str, float]
    locations: tuple[str, ...]
    # The learned model's calibrated probabilities (the decisions above use its thresholds).
    spam_probability: float = 0.0
    high_importance_probability: float = 0.0

    def as_dict(self) -> dict[str, object]:
        """The command-line contract first, then the details (spans, reasons, scores)."""
        return {
            "no_answer": self.no_answer,
            "no_answer_reason": self.no_answer_reason,
            "spam": self.spam,
            "high_importance": self.high_importance,
            "topic": self.topic,
            "locations": list(self.locations),
            "high_importance_reasons": list(self.high_importance_reasons),
            "no_answer_spans": [s.as_dict() for s in self.no_answer_spans],
            "spam_spans": [s.as_dict() for s in self.spam_spans],
            "high_importance_spans": [s.as_dict() for s in self.high_importance_spans],
            "topic_scores": {k: round(v, 4) for k, v in self.topic_scores.items() if v > 0},
            "spam_probability": round(self.spam_probability, 4),
            "high_importance_probability": round(self.high_importance_probability, 4),
        }
