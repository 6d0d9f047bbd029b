"""Shared Russian morphology and tokenisation, cached.

pymorphy3's analyser has no cache of its own and a parse costs tens of microseconds, so every
lookup goes through an LRU cache here; both the answer checks and the screening use this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pymorphy3
from pymorphy3.tagset import OpencorporaTag
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


# --------------------------------------------------------------------------- inflection
# For the one-tap fixes of the answer checks: a phrase rewritten into another case must keep its
# words agreeing («надлежащего освещения» → «надлежащее освещение»), so words are put into forms
# through pymorphy3's paradigms, never by changing endings by hand.

# The grammemes a word changes for: what ``inflect_like`` copies from one word to another.
INFLECTIONAL = frozenset({
    "sing", "plur", "masc", "femn", "neut", "nomn", "gent", "datv", "accs", "ablt", "loct",
    "1per", "2per", "3per", "pres", "past", "futr", "indc", "impr", "incl", "excl", "actv",
    "pssv", "anim", "inan", "VERB", "INFN", "PRTF", "PRTS", "GRND", "ADJF", "ADJS",
})


def match_case(template: str, word: str) -> str:
    """``word`` written in the letter case of ``template``: «ЗАКОНОМ» → «ЗАКОНУ», «Законом» →
    «Закону», anything else in lower case."""
    if len(template) > 1 and template.isupper():
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


@lru_cache(maxsize=100_000)
def inflect(word: str, have: frozenset[str], want: frozenset[str]) -> str | None:
    """``word`` read as its likeliest parse that has every grammeme of ``have`` (e.g. NOUN and
    gent) and put into ``want`` (e.g. accs); None when there is no such parse or form. The letter
    case of ``word`` is kept."""
    for p in analyzer().parse(word):
        if have <= p.tag.grammemes:
            form = p.inflect(set(want))
            return match_case(word, form.word) if form is not None else None
    return None


@lru_cache(maxsize=20_000)
def inflect_lemma(lemma: str, part: str, want: frozenset[str]) -> str | None:
    """The form ``want`` of the dictionary word ``lemma`` read as part of speech ``part``
    («сообщать», INFN, {VERB, plur, 1per, pres, indc} → «сообщаем»); None when there is none."""
    for p in analyzer().parse(lemma):
        if part == p.tag.POS and _norm(p.normal_form) == _norm(lemma):
            form = p.inflect(set(want))
            return form.word if form is not None else None
    return None


# The second genitive, accusative and locative («чашка чаю», «в прошлом году») agree as the first.
_CASES = {"gen2": "gent", "acc2": "accs", "loc2": "loct", "gen1": "gent", "loc1": "loct"}


def _case(tag: OpencorporaTag) -> str | None:
    case = tag.case
    return _CASES.get(case, case) if case else None


def agrees(modifier: OpencorporaTag, noun: OpencorporaTag) -> bool:
    """Whether an adjective or participle with tag ``modifier`` agrees with a noun with tag
    ``noun``: the same case (the second locative and genitive count as the first) and number,
    the same gender in the singular, and in the accusative of the masculine singular and of the
    plural the same animacy (pymorphy3 marks those forms «anim» or «inan»)."""
    if _case(modifier) != _case(noun) or modifier.number != noun.number:
        return False
    if modifier.number == "sing" and modifier.gender and noun.gender and \
            modifier.gender != noun.gender and "Ms-f" not in noun.grammemes:
        return False
    return not (modifier.animacy and noun.animacy and modifier.animacy != noun.animacy)


@lru_cache(maxsize=100_000)
def tags(word: str) -> tuple[OpencorporaTag, ...]:
    """The tags of every parse of ``word``, likeliest first."""
    return tuple(p.tag for p in analyzer().parse(word))
