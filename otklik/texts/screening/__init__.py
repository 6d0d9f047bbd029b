"""Screening of every incoming message: п. 21 (no answer), spam, emergencies, topic, places.

    screen(text, topic_model=None, min_examples=50) -> Screening

Pure Python over the shared morphology (otklik.texts.morph); no Django.
"""

from __future__ import annotations

# Not «from … import normalise»: the name would be overwritten by the screening.normalise module.
from otklik.texts import normalise_input
from otklik.texts.screening import importance, locations, no_answer, spam, topics
from otklik.texts.screening.result import TOPICS, Screening, Span
from otklik.texts.screening.topics import TopicModel

__all__ = ["TOPICS", "Screening", "Span", "TopicModel", "screen"]


_EMERGENCY_TOPIC: dict[str, str] = {
    "water": "utilities",
    "heating": "utilities",
    "gas": "utilities",
    "power": "utilities",
    "power_line": "utilities",
    "fire": "safety",
    "flood": "safety",
    "collapse": "safety",
    "injury": "safety",
    "children": "safety",
}
_EMERGENCY_WEIGHT = 4.0


def screen(
    text: str, *, topic_model: TopicModel | None = None, min_examples: int = 50
) -> Screening:
    """Screen one message.

    The topic comes from the model when it is given, has at least `min_examples` examples and is
    confident; otherwise from the shipped keyword rules, so a new installation works from day one.
    Any ``str`` is accepted: the text is normalised first (``otklik.texts.normalise_input``) and
    every span is mapped back, so ``text[s.start:s.end]`` is what span ``s`` marks.
    """
    norm = normalise_input.normalise(text)
    text = norm.text
    reason, na_spans = no_answer.check(text)
    is_spam, spam_spans = spam.check(text)
    reasons, hi_spans = importance.check(text)
    if is_spam:
        # An advert is not an emergency and is routed nowhere, whatever words it borrows.
        reasons, hi_spans = (), ()
        topic: str | None = "other"
        scores: dict[str, float] = {code: float(code == "other") for code in TOPICS}
    else:
        # Emergencies point at a topic: a supply failure at utilities, fire, flood, collapse
        # and people in danger at safety.
        extra = {
            _EMERGENCY_TOPIC[r]: _EMERGENCY_WEIGHT for r in reasons if r in _EMERGENCY_TOPIC
        }
        topic, scores = topics.choose(
            text, topics.lemmas(text), topic_model, min_examples, extra
        )
    return Screening(
        no_answer=reason is not None,
        no_answer_reason=reason,
        no_answer_spans=_mapped(norm, na_spans),
        spam=is_spam,
        spam_spans=_mapped(norm, spam_spans),
        high_importance=bool(reasons),
        high_importance_reasons=reasons,
        high_importance_spans=_mapped(norm, hi_spans),
        topic=topic,
        topic_scores=scores,
        locations=locations.extract(text),
    )


def _mapped(norm: normalise_input.Normalised, spans: tuple[Span, ...]) -> tuple[Span, ...]:
    """Spans of the normalised text as spans of the text the caller gave."""
    if norm.unchanged:
        return spans
    return tuple(Span(*norm.span(s.start, s.end), s.reason) for s in spans)
