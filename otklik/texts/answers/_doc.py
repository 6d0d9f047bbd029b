"""One analysed answer: tokens with lemmas and tags, computed once and shared by the checks."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from pymorphy3.tagset import OpencorporaTag

from otklik.texts import morph

# Spans that are not prose: never spell-checked, never punctuated.
# An e-mail or a domain starts where its run of name characters starts (the look-behinds): tried
# at every position inside a long run, the pattern would rescan the run each time (quadratic).
_NON_PROSE_RE = re.compile(
    r"https?://\S+|www\.\S+|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+|[#@][\w.]+"
    r"|(?<![\w-])-*\b[\w-]+\.(?:ru|рф|com|org|net)\b\S*",
    re.IGNORECASE,
)


ABBREVIATIONS = frozenset(
    ["ул", "им", "см", "ст", "руб", "тыс", "млн", "млрд", "кв", "пр", "пер", "пос", "корп", "стр", "обл", "мин", "сек", "тел", "просп", "мкр", "пл", "др", "пп", "гг"]
)
# A single letter or one of ABBREVIATIONS before a full stop is an abbreviation («т.е.», «д.»).
_ABBR_END_RE = re.compile(r"(?:^|[^\w])([А-Яа-яЁёA-Za-z]+)\.\Z")
# What may stand between a sentence mark and the next word: spaces, an opening quote, a dash.
_BEFORE_WORD = frozenset(" \t\n«\"(—–-")
# _ABBR_END_RE only needs to see this far back: a run of more letters is no abbreviation.
_ABBR_WINDOW = 12


def norm(word: str) -> str:
    """Lower case with «ё» as «е», the form every comparison uses."""
    return word.lower().replace("ё", "е")


@lru_cache(maxsize=200_000)
def tag(word: str) -> OpencorporaTag:
    """The tag of the most probable parse (cached: pymorphy3 has no cache of its own)."""
    return morph.analyzer().parse(word)[0].tag


@lru_cache(maxsize=200_000)
def all_tags(word: str) -> tuple[OpencorporaTag, ...]:
    return tuple(p.tag for p in morph.analyzer().parse(word))


@dataclass(frozen=True, slots=True)
class Tok:
    """A token; ``lemma`` is the normalised text for punctuation and numbers."""

    text: str
    start: int
    end: int
    lower: str
    lemma: str
    pos: str | None
    is_word: bool
    prose: bool  # False inside URLs, e-mails, hashtags


@dataclass(frozen=True, slots=True)
class Sent:
    text: str
    start: int
    end: int
    first: int  # index of its first token in Doc.toks
    last: int  # index after its last token


class Doc:
    """Tokens, sentences and lemma sequence of one text."""

    __slots__ = ("_non_prose_starts", "_sent_firsts", "lemmas", "non_prose", "sents", "starts",
                 "text", "toks", "word_idx")

    def __init__(self, text: str) -> None:
        self.text = text
        self.non_prose: list[tuple[int, int]] = [
            (m.start(), m.end()) for m in _NON_PROSE_RE.finditer(text)
        ]
        self._non_prose_starts = [start for start, _ in self.non_prose]  # sorted, disjoint
        toks: list[Tok] = []
        for t in morph.tokens(text):
            is_word = any(ch.isalpha() for ch in t.text)
            lower = norm(t.text)
            prose = self.in_prose(t.start)
            if is_word:
                toks.append(Tok(t.text, t.start, t.end, lower, morph.lemma(t.text),
                                morph.pos(t.text), True, prose))
            else:
                toks.append(Tok(t.text, t.start, t.end, lower, lower, None, False, prose))
        self.toks = toks
        self.lemmas = [t.lemma for t in toks]
        self.word_idx = [i for i, t in enumerate(toks) if t.is_word]
        sents: list[Sent] = []
        j = 0
        for s in morph.sentences(text):
            first = j
            while j < len(toks) and toks[j].start < s.end:
                j += 1
            sents.append(Sent(s.text, s.start, s.end, first, j))
        self.sents = sents
        self._sent_firsts = [s.first for s in sents]
        self.starts = self._sentence_starts()

    def in_prose(self, pos: int) -> bool:
        """False when ``pos`` lies inside a URL, an e-mail or a hashtag."""
        k = bisect_right(self._non_prose_starts, pos) - 1
        return k < 0 or pos >= self.non_prose[k][1]

    def _sentence_starts(self) -> frozenset[int]:
        """Indexes of words that open a sentence: the first word, and words after «.», «!», «?»
        or «…» that does not close an abbreviation. razdel does not split before a small letter,
        which is exactly the error the punctuation check looks for, so this is done here."""
        starts: set[int] = set()
        seen_word = False
        text = self.text
        for i, t in enumerate(self.toks):
            if not t.is_word:
                continue
            if not seen_word:
                starts.add(i)
                seen_word = True
                continue
            end = t.start  # the text before the word, without spaces, quotes and dashes
            while end and text[end - 1] in _BEFORE_WORD:
                end -= 1
            if not end or text[end - 1] not in ".!?…":
                continue
            if text[end - 1] == "." and text[max(0, end - 3) : end] != "...":
                # A window, not the whole text before: searched at every word, that was quadratic.
                abbr = _ABBR_END_RE.search(text, max(0, end - _ABBR_WINDOW), end)
                if abbr and (len(abbr.group(1)) == 1 or norm(abbr.group(1)) in ABBREVIATIONS):
                    continue
            starts.add(i)
        return frozenset(starts)

    def words_between(self, first: int, last: int) -> list[Tok]:
        return [t for t in self.toks[first:last] if t.is_word]

    def sent_of(self, tok_index: int) -> Sent:
        k = bisect_right(self._sent_firsts, tok_index) - 1
        if k >= 0 and tok_index < self.sents[k].last:
            return self.sents[k]
        return self.sents[-1]

    def word_count(self) -> int:
        return len(self.word_idx)
