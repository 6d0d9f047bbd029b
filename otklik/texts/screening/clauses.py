"""Words of a message with their morphology, grouped into sentences and clauses.

The п. 21 grammars (``threats``, ``insults``) look at a word's lemma and grammemes and at what
else its sentence or clause holds; this module reads a text once into that shape. Every parse
goes through the cached ``otklik.texts.morph``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pymorphy3.tagset import OpencorporaTag

from otklik.texts import morph

# Sentence ends; clause ends add commas, colons, semicolons and dashes between spaces.
_SENTENCE_END = frozenset(".!?…\n")
_CLAUSE_END = frozenset(",;:()«»\"") | _SENTENCE_END
_DASHES = frozenset({"—", "–", "-"})
# Emphatic particles glued by a hyphen («гараж-то», «детки-то», «смотри-ка»).
_PARTICLE_RE = re.compile(r"-(?:то|ка|таки|де|с)$")
# Quoted speech: what someone else said («сосед кричит «я тебе устрою»») is not the author's.
_QUOTE_RE = re.compile(r"«[^«»]{0,300}»|\"[^\"]{0,300}\"|“[^“”]{0,300}”|„[^„“”]{0,300}[“”]")


@dataclass(frozen=True, slots=True)
class Word:
    low: str  # lower case, «ё» as «е», hyphenated particle dropped
    lemma: str
    tag: OpencorporaTag
    start: int
    end: int
    sentence: int
    clause: int
    capital: bool  # written with a capital letter (names, not street names after «на»)

    grammemes: frozenset[str]  # of ``tag``, kept: pymorphy3 builds the set on every access

    def has(self, *grammemes: str) -> bool:
        return self.grammemes.issuperset(grammemes)


@lru_cache(maxsize=50_000)
def _analyse(word: str) -> tuple[str, str, OpencorporaTag, frozenset[str]]:
    low = word.lower().replace("ё", "е")
    base = low
    if "-" in low and not morph.is_known(low):  # «что-то», «кто-то» are words of their own
        base = _PARTICLE_RE.sub("", low)
        if not morph.is_known(base):
            base = low
    tag = morph.tags(base)[0]
    return base, morph.lemma(base), tag, frozenset(tag.grammemes)


# Words (letters, inner hyphens: «по-мужски», «кто-то»), numbers and single marks. A plain
# regular expression: razdel's tokenizer costs more than the whole п. 21 grammar.
_TOKEN_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|\d+|[^\w\s]")


def lemmas(text: str) -> list[tuple[str, str]]:
    """(word form, lemma) of every word, without the rest of ``read``: the cheap first look."""
    return [_analyse(m.group(0))[:2] for m in _TOKEN_RE.finditer(text) if m.group(0)[0].isalpha()]


def read(text: str, *, drop_quotes: bool = False) -> list[Word]:
    """The words of ``text`` (letters only) with sentence and clause numbers. With
    ``drop_quotes`` quoted speech is skipped."""
    return list(_read_cached(text, drop_quotes))


# The threat grammar, the reported-speech filter and the insult check read the same message.
@lru_cache(maxsize=8)
def _read_cached(text: str, drop_quotes: bool) -> tuple[Word, ...]:
    skip: list[tuple[int, int]] = []
    if drop_quotes:
        skip = [(m.start(), m.end()) for m in _QUOTE_RE.finditer(text)]
    out: list[Word] = []
    sentence = clause = 0
    open_sentence = open_clause = False  # a word since the last boundary («...» ends one)
    for m in _TOKEN_RE.finditer(text.replace("\n", ".")):
        t = m.group(0)
        if not t[0].isalpha():
            if t in _SENTENCE_END:
                if open_sentence:
                    sentence += 1
                    clause += 1
                open_sentence = open_clause = False
            elif (t in _DASHES or t in _CLAUSE_END) and open_clause:
                clause += 1
                open_clause = False
            continue
        if skip and any(a <= m.start() < b for a, b in skip):
            continue
        low, lemma, tag, grammemes = _analyse(t)
        out.append(Word(low, lemma, tag, m.start(), m.end(), sentence, clause, t[0].isupper(),
                        grammemes))
        open_sentence = open_clause = True
    return tuple(out)


@lru_cache(maxsize=8)
def _firsts(phrases: frozenset[tuple[str, ...]]) -> frozenset[str]:
    return frozenset(p[0] for p in phrases)


def lemma_phrases(words: list[Word], phrases: frozenset[tuple[str, ...]], longest: int) -> list[
        tuple[int, tuple[str, ...]]]:
    """(index of first word, phrase) for every phrase — a sequence of lemmas or word forms —
    found word for word inside one sentence."""
    found: list[tuple[int, tuple[str, ...]]] = []
    firsts = _firsts(phrases)
    n = len(words)
    for i in range(n):
        if words[i].lemma not in firsts and words[i].low not in firsts:
            continue
        for size in range(1, longest + 1):
            if i + size > n or words[i + size - 1].sentence != words[i].sentence:
                break
            key = tuple(words[j].lemma for j in range(i, i + size))
            if key in phrases:
                found.append((i, key))
                continue
            key = tuple(words[j].low for j in range(i, i + size))
            if key in phrases:
                found.append((i, key))
    return found


# How far a rule looks for the rest of a sentence or clause, in words either side: without a
# bound, one endless sentence full of trigger words would be read whole for each (quadratic).
REACH = 40


def near(words: list[Word], first: int, last: int | None = None, *, clause: bool = False) -> list[Word]:
    """The words of the sentence (or clause) of ``words[first..last]``, at most ``REACH`` words
    either side."""
    last = first if last is None else last
    w = words[first]
    lo, hi = max(0, first - REACH), min(len(words), last + REACH + 1)
    if clause:
        return [x for x in words[lo:hi] if x.clause == w.clause]
    return [x for x in words[lo:hi] if x.sentence == w.sentence]
