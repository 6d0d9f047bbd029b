"""Phrase search on lemma sequences, so that «в целях», «в целях» and «принятые меры» match
whatever the word forms are.

A pattern is written in ordinary words («принять меры»); each word is lemmatised once, when the
matcher is built. ``*`` stands for any one word, ``~`` for up to two words.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from otklik.texts import morph

from ._doc import Doc, Tok, norm

ANY = "*"
GAP = "~"


@dataclass(frozen=True, slots=True)
class Match:
    key: int  # index of the pattern in the list given to the matcher
    first: int  # token index
    last: int  # token index after the match


def _lemma_of(word: str) -> str:
    if word in (ANY, GAP) or not any(ch.isalpha() for ch in word):
        return word
    if word.startswith("="):  # «=форма»: this exact form, not the lemma
        return word
    return morph.lemma(word)


def _tok_matches(tok: Tok, item: str) -> bool:
    if item.startswith("="):
        return tok.lower == norm(item[1:])
    return tok.lemma == item


class PhraseMatcher:
    def __init__(self, patterns: Sequence[str]) -> None:
        self._patterns: list[tuple[str, ...]] = []
        self._by_first: dict[str, list[int]] = defaultdict(list)
        for key, pattern in enumerate(patterns):
            items = tuple(_lemma_of(w) for w in pattern.split())
            self._patterns.append(items)
            first = items[0]
            self._by_first[first[1:] if first.startswith("=") else first].append(key)

    def _match_at(self, toks: Sequence[Tok], i: int, items: tuple[str, ...]) -> int | None:
        if not items:
            return i
        item = items[0]
        if item == GAP:
            for skip in range(3):
                j = i
                ok = True
                for _ in range(skip):
                    if j >= len(toks) or not toks[j].is_word:
                        ok = False
                        break
                    j += 1
                if ok:
                    end = self._match_at(toks, j, items[1:])
                    if end is not None:
                        return end
            return None
        if i >= len(toks):
            return None
        tok = toks[i]
        if item == ANY:
            return self._match_at(toks, i + 1, items[1:]) if tok.is_word else None
        if not _tok_matches(tok, item):
            return None
        return self._match_at(toks, i + 1, items[1:])

    def find(self, doc: Doc) -> list[Match]:
        """All matches, longest first at each position, non-overlapping, in text order."""
        found: list[Match] = []
        toks = doc.toks
        i = 0
        while i < len(toks):
            tok = toks[i]
            keys = self._by_first.get(tok.lemma, []) + self._by_first.get(tok.lower, [])
            best: Match | None = None
            for key in keys:
                end = self._match_at(toks, i, self._patterns[key])
                if end is not None and (best is None or end > best.last):
                    best = Match(key, i, end)
            if best is not None:
                found.append(best)
                i = best.last
            else:
                i += 1
        return found
