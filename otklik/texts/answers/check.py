"""``check_answer``: all the checks of an answer in one call."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from otklik.texts.normalise_input import normalise

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
    (warnings), sorted by position.

    Any ``str`` is accepted: the texts are normalised first (``otklik.texts.normalise_input``)
    and every span is mapped back, so ``answer[f.start:f.end]`` is what finding ``f`` is about;
    a suggestion keeps the characters it copies from that span as they are in ``answer``.
    """
    text = normalise(answer)
    found = _check(text.text, question=normalise(question).text,
                   author=normalise(author).text if author is not None else None,
                   attachments=attachments, informal=informal, known_words=known_words)
    if text.unchanged:
        return found
    mapped = []
    for f in found:
        start, end = text.span(f.start, f.end)
        fix = None if f.suggestion is None else text.restore(f.start, f.end, f.suggestion)
        mapped.append(replace(f, start=start, end=end, suggestion=fix))
    return mapped


def _check(
    answer: str,
    *,
    question: str,
    author: str | None,
    attachments: int,
    informal: bool,
    known_words: Iterable[str],
) -> list[Finding]:
    """check_answer on normalised texts; spans are offsets into ``answer`` as given."""
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
