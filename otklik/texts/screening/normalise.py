"""Undo the usual disguises of rude words before they are matched against root lists.

People hide mat from filters by swapping Cyrillic letters for look-alike Latin letters, digits or
symbols («xуй», «6ля», «п1зда»), by spacing or dotting the letters («х у й», «б.л.я»), by masking
some letters («х*й», «п***ц», «бл@»), by transliterating («blyat») and by stretching letters
(«бляяя»). This module finds every word-like run of the raw text, keeps its offsets, and yields the
plausible Cyrillic readings of it. A run may contain «*» left as a one-or-more-letter wildcard.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

# A character that may stand for a hidden letter; kept as «*» in the readings.
MASK = "*"

# Look-alike and transliteration readings of non-Cyrillic characters, most likely first.
# Several readings because the same glyph serves different letters («b» is «б» in «bля» and «в» in
# «Bода»); the matchers try every combination (bounded, see _MAX_VARIANTS).
_CHAR_READINGS: dict[str, tuple[str, ...]] = {
    "a": ("а",),
    "b": ("б", "в"),
    "c": ("с", "ц"),
    "d": ("д",),
    "e": ("е",),
    "f": ("ф",),
    "g": ("г", "д"),
    "h": ("х", "н"),
    "i": ("и", "й"),
    "j": ("й",),
    "k": ("к",),
    "l": ("л",),
    "m": ("м", "т"),
    "n": ("н", "п"),
    "o": ("о",),
    "p": ("р", "п"),
    "q": ("к",),
    "r": ("р", "г"),
    "s": ("с",),
    "t": ("т",),
    "u": ("у", "и"),
    "v": ("в",),
    "w": ("ш",),
    "x": ("х",),
    "y": ("у", "й", "ы"),
    "z": ("з",),
    "0": ("о",),
    "1": ("и", "л"),
    "3": ("з", "е"),
    "4": ("ч", "а"),
    "6": ("б",),
    "9": ("я",),
    "@": ("а", MASK),
    "$": ("с",),
    "€": ("е",),
    "¥": ("у",),
    "ё": ("е",),
    "і": ("и",),
    "ї": ("и",),
    "ў": ("у",),
    "*": (MASK,),
    "#": (MASK,),
    "%": (MASK,),
    "…": (MASK,),
}

# Latin letters that look like Cyrillic ones. A run written only in Latin letters is read through
# these alone, so «cyka» or «xyй» are caught while English words with other letters are left be
# (transliterations like «blyat» are matched separately, see no_answer.py).
_VISUAL = frozenset("abcehkmnoprtuxy013469@$*#%…")

_MAX_VARIANTS = 32
_ONE_LETTER_WORDS = frozenset("вкосуиая")

# A word-like run: letters, digits and disguise symbols, possibly glued by dots, hyphens,
# underscores or apostrophes, up to three of them («б.л.я», «х-у-й», «ХУ..ЕВО»). «*» may stand at
# either edge («бл**»).
_RUN_CHARS = r"[^\W_]|[@$*#%€¥…]"
RUN_RE = re.compile(rf"(?:{_RUN_CHARS})+(?:[.\-_'`’]{{1,3}}(?:{_RUN_CHARS})+)*")
# Three or more single characters separated by spaces or dots: «х у й», «б. л. я».
SPACED_RE = re.compile(
    rf"(?<![^\W_])(?:(?:{_RUN_CHARS})[ \t.\-_]{{1,3}}){{2,}}(?:{_RUN_CHARS})(?![^\W_])"
)
# An e-mail or a domain is taken from the start of its run of name characters (the look-behinds;
# a leading dot or hyphen is taken with it): tried from every label of «1.1.1.1…», the pattern
# rescanned the rest of the run each time (quadratic).
_URL_RE = re.compile(
    r"(?:https?://|www\.)\S+|(?<![\w.-])[.-]*\b[\w.-]+@[\w-]+\.[\w.]+"
    r"|(?<![\w.-])[.-]*\b[\w-]+(?:\.[\w-]+)*\.(?:ru|рф|com|net|org|su|me|ly|io|info|online|site|pro|club|xyz)\b(?:/\S*)?",
    re.IGNORECASE,
)
_SEPARATORS = str.maketrans("", "", ".-_'`’ \t")
_CYRILLIC_RE = re.compile(r"[а-яё]")
_REPEAT_RE = re.compile(r"(.)\1+")
_PLAIN_CYRILLIC_RE = re.compile(r"[а-яё]+")


@dataclass(frozen=True, slots=True)
class Run:
    """One word-like stretch of the raw text with its Cyrillic readings."""

    start: int
    end: int
    raw: str
    readings: tuple[str, ...]  # lower case, «ё» as «е», separators removed; may hold MASK
    disguised: bool  # True when the raw text used look-alikes, masks or separators

    @property
    def plain(self) -> str:
        """The first reading: the word as most people would read it."""
        return self.readings[0]


def collapse(word: str) -> str:
    """Squeeze stretched letters: «бляяя» → «бля», «сууука» → «сука»."""
    return _REPEAT_RE.sub(r"\1", word)


def url_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _URL_RE.finditer(text)]


@lru_cache(maxsize=50_000)
def readings(raw: str) -> tuple[tuple[str, ...], bool]:
    """Every plausible Cyrillic reading of a raw run and whether it was disguised."""
    low = raw.lower()
    stripped = low.translate(_SEPARATORS)
    if _PLAIN_CYRILLIC_RE.fullmatch(stripped):
        plain = stripped.replace("ё", "е")
        return (plain,), stripped != low
    if stripped.isdigit():
        return (stripped,), False
    if not _CYRILLIC_RE.search(stripped) and not set(stripped) <= _VISUAL:
        return (), True
    options: list[tuple[str, ...]] = []
    count = 1
    for ch in stripped:
        choice = _CHAR_READINGS.get(ch, (ch,))
        # Past the bound only the most likely reading is kept, so the product stays small.
        if count * len(choice) > _MAX_VARIANTS:
            choice = choice[:1]
        count *= len(choice)
        options.append(choice)
    out: list[str] = []
    seen: set[str] = set()
    for combo in product(*options):
        word = "".join(combo).replace("ё", "е")
        # Adjacent masks are one gap: «п***ц» reads as «п*ц».
        word = re.sub(r"\*+", MASK, word)
        if word not in seen:
            seen.add(word)
            out.append(word)
    return tuple(out), True


def runs(text: str) -> Iterator[Run]:
    """Word-like runs of the text outside links, plus joined spaced-out letters («х у й»)."""
    skip = url_spans(text)  # in order and disjoint
    skip_starts = [a for a, _ in skip]

    def in_url(start: int) -> bool:
        k = bisect_right(skip_starts, start) - 1
        return k >= 0 and start < skip[k][1]

    for m in RUN_RE.finditer(text):
        if skip and in_url(m.start()):
            continue
        raw = m.group(0)
        # A trailing dot or hyphen is punctuation, not part of a disguise.
        reads, disguised = readings(raw)
        yield Run(m.start(), m.end(), raw, reads, disguised)
    for m in SPACED_RE.finditer(text):
        if skip and in_url(m.start()):
            continue
        parts = re.findall(_RUN_CHARS, m.group(0))
        # A one-letter Russian word («в», «и», «с») may border the spaced-out word («д е б и л ы
        # в администрации»), so it may be trimmed from either end; inner windows are not tried, as
        # they would find «еби» inside «дебилы».
        offsets = [m.start() + off.start() for off in re.finditer(_RUN_CHARS, m.group(0))]
        n = len(parts)
        starts = [0] + ([1] if parts[0].lower() in _ONE_LETTER_WORDS else [])
        ends = [n] + ([n - 1] if parts[-1].lower() in _ONE_LETTER_WORDS else [])
        for i in starts:
            for j in ends:
                if j - i < 3:
                    continue
                raw = "".join(parts[i:j])
                reads, _ = readings(raw)
                yield Run(offsets[i], offsets[j - 1] + 1, raw, reads, True)
