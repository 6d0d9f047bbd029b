"""Shared Russian morphology and tokenisation, cached.

pymorphy3's analyser has no cache of its own and a parse costs tens of microseconds, so every
lookup goes through an LRU cache here; both the answer checks and the screening use this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pymorphy3
from razdel import sentenize, tokenize


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    start: int
    end: int


@lru_cache(maxsize=1)
def analyzer() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer(lang="ru")


def _norm(word: str) -> str:
    return word.lower().replace("ё", "е")


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The most probable normal form of a word, lower case, «ё» as «е»."""
    parses = analyzer().parse(word)
    return _norm(parses[0].normal_form) if parses else _norm(word)


@lru_cache(maxsize=200_000)
def pos(word: str) -> str | None:
    """The part of speech of the most probable parse (OpenCorpora tag, e.g. NOUN, VERB)."""
    parses = analyzer().parse(word)
    return str(parses[0].tag.POS) if parses and parses[0].tag.POS else None


@lru_cache(maxsize=200_000)
def is_known(word: str) -> bool:
    """True when the dictionary knows the word form (not a guess by the predictor)."""
    return bool(analyzer().word_is_known(_norm(word)))


def tokens(text: str) -> list[Token]:
    return [Token(t.text, t.start, t.stop) for t in tokenize(text)]


def words(text: str) -> list[Token]:
    """Tokens that contain at least one letter."""
    return [t for t in tokens(text) if any(ch.isalpha() for ch in t.text)]


def sentences(text: str) -> list[Sentence]:
    return [Sentence(s.text, s.start, s.stop) for s in sentenize(text)]
