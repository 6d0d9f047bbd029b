"""Screening of every incoming message: п. 21 (no answer), spam, emergencies, topic, places.

    screen(text, topic_model=None, min_examples=50) -> Screening

Pure Python (numpy for the learned model) over the shared morphology (otklik.texts.morph); no
Django. The learned model is built by ``python -m otklik.texts.screening.train``.
"""

from __future__ import annotations

# Not «from … import normalise»: the name would be overwritten by the screening.normalise module.
from otklik.texts import normalise_input
from otklik.texts.screening import (
    abuse,
    importance,
    learned,
    locations,
    no_answer,
    spam,
    threats,
    topics,
    translit,
)
from otklik.texts.screening.result import TOPICS, Screening, Span
from otklik.texts.screening.topics import TopicModel

__all__ = ["TOPICS", "Screening", "Span", "TopicModel", "screen"]


def screen(
    text: str, *, topic_model: TopicModel | None = None, min_examples: int = 50
) -> Screening:
    """Screen one message.

    п. 21 comes from the rule layers (they are its definitions), and where they are silent from
    the learned second opinion (``abuse``), which marks the whole message. Spam, high importance and the
    topic come from the learned model (``learned``), which reads the words and the verdicts of
    the spam, emergency and topic rules; the rules' reasons and spans are shown only when the
    model agrees there is spam or an emergency. Spam is never of high importance; its topic is
    chosen as for any message (an advert has a topic only when it clearly names one). A
    municipality's own routing model (`topic_model`) decides the topic when it has at least
    `min_examples` examples and is sure. Any ``str`` is accepted: the text is normalised first
    (``otklik.texts.normalise_input``) and every span is mapped back, so ``text[s.start:s.end]``
    is what span ``s`` marks.
    """
    norm = normalise_input.normalise(text)
    text = norm.text
    reason, na_spans = no_answer.check(text)
    # «Ya tvoyu mashinu sozhgu»: a message in Latin letters is read as the Russian it spells, by
    # the rules and by the model alike (both know Cyrillic words); its findings mark it whole.
    cyrillic = translit.to_cyrillic(text) if reason is None else None
    if cyrillic is not None:
        reason = no_answer.check(cyrillic)[0]
        na_spans = (Span(0, len(text), reason),) if reason else ()
    if reason is None:
        # The rules are silent: the learned model's second opinion (veiled threats, new wording).
        read = cyrillic or text
        verdict = abuse.shipped().verdict(read)
        if verdict.flagged and not threats.lawful_or_reported(read):
            reason, na_spans = verdict.reason, (Span(0, len(text), verdict.reason),)
    rule_spam, spam_spans = spam.check(text)
    reasons, hi_spans = importance.check(text)
    extra = {
        topics.EMERGENCY_TOPIC[r]: topics.EMERGENCY_WEIGHT
        for r in reasons if r in topics.EMERGENCY_TOPIC
    }
    lems = topics.lemmas(text)
    rules = topics.rule_scores(text, lems, extra)
    signs = learned.rule_signs(rule_spam, reasons, topics.best(rules))
    model = learned.current()
    pred = model.predict_text(text, signs)
    is_spam = pred.is_spam
    # An advert is not an emergency, whatever words it borrows. Its topic is read as any other
    # message's: an ad for gravel is «roads», one that names nothing comes out «other» (the model
    # learned that from the labelled spam; leaving one corpus out, forcing «other» cost 1–2 points
    # of topic accuracy on three corpora of four).
    is_high = pred.is_high and not is_spam
    mixed = pred.topics_with_rules(rules, model.topic_rule_weight)
    topic, scores = topics.choose(text, lems, topic_model, min_examples, extra, mixed)
    return Screening(
        no_answer=reason is not None,
        no_answer_reason=reason,
        no_answer_spans=_mapped(norm, na_spans),
        spam=is_spam,
        spam_spans=_mapped(norm, spam_spans) if is_spam else (),
        high_importance=is_high,
        high_importance_reasons=reasons if is_high else (),
        high_importance_spans=_mapped(norm, hi_spans) if is_high else (),
        topic=topic,
        topic_scores=scores,
        locations=locations.extract(text),
        spam_probability=pred.spam_score,
        high_importance_probability=0.0 if is_spam else pred.high_score,
    )


def _mapped(norm: normalise_input.Normalised, spans: tuple[Span, ...]) -> tuple[Span, ...]:
    """Spans of the normalised text as spans of the text the caller gave."""
    if norm.unchanged:
        return spans
    return tuple(Span(*norm.span(s.start, s.end), s.reason) for s in spans)
