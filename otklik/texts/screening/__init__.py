"""Screening of every incoming message: п. 21 (no answer), spam, emergencies, topic, places.

    screen(text, topic_model=None, min_examples=50) -> Screening

Pure Python over the shared morphology (otklik.texts.morph); no Django.
"""

from __future__ import annotations

from otklik.texts.screening import importance, locations, no_answer, spam, topics
from otklik.texts.screening.result import TOPICS, Screening, Span
from otklik.texts.screening.topics import TopicModel

__all__ = ["TOPICS", "Screening", "Span", "TopicModel", "screen"]


def screen(
    text: str, *, topic_model: TopicModel | None = None, min_examples: int = 50
) -> Screening:
    """Screen one message.

    The topic comes from the model when it is given, has at least `min_examples` examples and is
    confident; otherwise from the shipped keyword rules, so a new installation works from day one.
    """
    reason, na_spans = no_answer.check(text)
    is_spam, spam_spans = spam.check(text)
    reasons, hi_spans = importance.check(text)
    lems = topics.lemmas(text)
    topic, scores = topics.choose(text, lems, topic_model, min_examples)
    return Screening(
        no_answer=reason is not None,
        no_answer_reason=reason,
        no_answer_spans=na_spans,
        spam=is_spam,
        spam_spans=spam_spans,
        high_importance=bool(reasons),
        high_importance_reasons=reasons,
        high_importance_spans=hi_spans,
        topic=topic,
        topic_scores=scores,
        locations=locations.extract(text),
    )
