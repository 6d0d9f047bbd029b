"""Per-municipality words (streets, units, people, places) that the spelling check must accept."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

from otklik.texts.normalise_input import normalise

from ._doc import norm


class Lexicon:
    """Normalised local words plus their short stems, so that inflected forms are accepted too
    («ливнёвка» also covers «ливнёвки», «ливнёвку»)."""

    __slots__ = ("stems", "words")

    def __init__(self, words: Iterable[str] = ()) -> None:
        # Normalised as the answers are (NFC «й», no zero-width characters), then lower case.
        cleaned = (norm(normalise(w).text.strip()) for w in words if w)
        self.words: frozenset[str] = frozenset(w for w in cleaned if w)
        stems: set[str] = set()
        for w in self.words:
            for part in w.replace("-", " ").split():
                for cut in range(3):
                    if len(part) - cut >= 4:
                        stems.add(part[: len(part) - cut])
        self.stems: frozenset[str] = frozenset(stems)

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        w = norm(word)
        if w in self.words:
            return True
        return any(len(w) - cut >= 4 and w[: len(w) - cut] in self.stems for cut in range(3))

    def __iter__(self) -> Iterator[str]:
        return iter(self.words)

    def __bool__(self) -> bool:
        return bool(self.words)


EMPTY = Lexicon()


@lru_cache(maxsize=64)
def _cached(words: frozenset[str]) -> Lexicon:
    return Lexicon(words)


def as_lexicon(words: Iterable[str]) -> Lexicon:
    """A Lexicon for ``known_words``; a Lexicon or a frozenset (hash cached by Python) is cheap
    to pass on every call, another iterable is normalised each time."""
    if isinstance(words, Lexicon):
        return words
    if isinstance(words, frozenset):
        return _cached(words) if words else EMPTY
    items = list(words)
    return Lexicon(items) if items else EMPTY
