"""``check_answer``: all the checks of an answer in one call."""

from __future__ import annotations

from collections.abc import Iterable

from . import (
    bureaucratese,
    evidence,
    greeting,
    legal_refs,
    off_topic,
    punctuation,
    redirect,
    spelling,
)
from ._doc import Doc
from .findings import Finding
from .lexicon import as_lexicon


def check_answer(
    answer: str,
    *,
    question: str = "",
    author: str | None = None,
    attachments: int = 0,
    informal: bool = False,
    known_words: Iterable[str] = (),
) -> list[Finding]:
    """Everything the regional curator would return the answer for (errors) or should look at
    (warnings), sorted by position."""
    if not answer.strip():
        return []
    doc = Doc(answer)
    names, _ = greeting.author_names(author)
    found: list[Finding] = []
    found += greeting.check(doc, author=author, informal=informal)
    found += spelling.check(doc, lexicon=as_lexicon(known_words))
    found += punctuation.check(doc, author_names=names)
    found += bureaucratese.check(doc)
    found += legal_refs.check(doc)
    redirects = redirect.check(doc, question=question)
    found += redirects
    if not redirects:  # a redirect is the curator's reason already; off-topic would repeat it
        found += off_topic.check(doc, question=question)
    found += evidence.check(doc, attachments=attachments)
    found.sort(key=lambda f: (f.start, f.end, f.code))
    return found
