"""The text every engine analyses, made from whatever ``str`` a caller passes, with its offsets.

``normalise(text)`` returns a ``Normalised``: ``.text`` is what the checks read, and
``.span(start, end)`` maps a span of ``.text`` back to the caller's ``text``, so that every
reported span lies inside the caller's string and covers the characters it is about. It exists
because arbitrary Unicode broke the engines: pymorphy3 asks ``unicodedata.name`` of every letter
of a word with a Latin letter in it, and letters this Python cannot name (Tangut ideographs,
U+17000–U+187F7) made it raise; text pasted from elsewhere splits words (zero-width characters,
soft hyphens, decomposed «й», stress marks); lone surrogates cannot be written out as UTF-8; and
«İ».lower() is two characters, which shifted the offsets of checks that read ``text.lower()``.

What it does, character by character (anything else is kept as it is):

* A base character and the combining marks after it are put in NFC (so «и» + U+0306 is «й»,
  «е» + U+0308 is «ё»), and the marks NFC leaves (stress marks «замо́к», variation selectors,
  «zalgo») are dropped: the checks read the word a reader sees. Conjoining Hangul vowels and
  final consonants attach like marks, so that NFC can compose them. A mark with no base (at the
  start, after a space or a line break) is dropped.
* Format characters (Unicode category Cf: zero-width space, joiners, soft hyphen, byte order
  mark, bidirectional controls, tag characters) are dropped: invisible, they would split a word.
* CR LF becomes LF (the CR is dropped); a lone CR, VT, FF, the information separators
  U+001C–U+001E, NEL, and the line and paragraph separators U+2028, U+2029 become LF.
* Other control characters (NUL, C0, DEL, C1) become a space, a separator for the tokenizer.
* Surrogates, private-use and unassigned code points, and letters this Python's Unicode database
  has no name for become U+FFFD, which is no letter, so neither razdel nor pymorphy3 take it for
  part of a word.
* A character whose lower case is not one character (only «İ», U+0130) becomes its base letter
  («I»), so that ``text.lower()`` keeps every offset.

Every character of ``.text`` therefore lower-cases to exactly one character. The result is
idempotent: normalising ``.text`` again changes nothing. Text made only of ASCII, Latin-1,
Cyrillic and common punctuation (checked by one regular expression) is returned as it is, with
no offset map, so the usual message costs a microsecond or two.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

REPLACEMENT = "\ufffd"
# Past this many characters a suggestion is returned as the engine wrote it (see restore()).
_RESTORE_LIMIT = 1_000

# Characters that need no look: none of them changes under the rules above, none is a combining
# mark or composes with the character before it (tests/test_fuzz_texts.py checks this over all
# code points). Everything else goes through _units().
_NEEDS_LOOK_RE = re.compile(
    "[^\t\n\x20-\x7e\u00a0-\u00ac\u00ae-\u00ff\u0400-\u0482\u048a-\u04ff"
    "\u2010-\u2027\u2030-\u205e\u20a0-\u20c0\u2116\u2122]"
)
_LINE_BREAKS = frozenset("\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def _attaches(ch: str) -> bool:
    """A combining mark, or a conjoining Hangul vowel or final consonant: it belongs to the
    character before it."""
    return unicodedata.category(ch)[0] == "M" or "\u1160" <= ch <= "\u11ff"


@lru_cache(maxsize=65_536)
def _clean_char(ch: str) -> str:
    """The replacement of one character that NFC has already seen."""
    category = unicodedata.category(ch)
    if category[0] == "M":
        return ""
    if ch in _LINE_BREAKS:
        return "\n"
    if category == "Cc":
        return ch if ch in "\t\n" else " "
    if category == "Cf":
        return ""
    if category in ("Cs", "Co", "Cn"):
        return REPLACEMENT
    if ch.isalpha() and not unicodedata.name(ch, ""):
        return REPLACEMENT  # pymorphy3 calls unicodedata.name() without a default
    if len(ch.lower()) != 1:
        base = unicodedata.normalize("NFD", ch)[0]
        return base if len(base.lower()) == 1 else REPLACEMENT
    return ch


@lru_cache(maxsize=65_536)
def _clean(piece: str) -> str:
    """The replacement of a character with its combining marks (or of a lone character)."""
    return "".join(_clean_char(ch) for ch in unicodedata.normalize("NFC", piece))


@dataclass(frozen=True, slots=True)
class Normalised:
    """``text`` to analyse; ``span()`` maps its offsets back to ``original``.

    ``_units`` lists every stretch that changed, as (start in text, end in text, start in
    original, end in original), in order; between them the two strings agree character for
    character. An empty tuple means the text did not change at all.
    """

    original: str
    text: str
    _units: tuple[tuple[int, int, int, int], ...] = ()
    _unit_starts: tuple[int, ...] = ()

    @property
    def unchanged(self) -> bool:
        return not self._units

    def _locate(self, pos: int) -> tuple[int, int]:
        """The stretch of the original that character ``pos`` of ``text`` comes from."""
        k = bisect_right(self._unit_starts, pos) - 1
        if k < 0:
            return pos, pos + 1
        _, n_end, o_start, o_end = self._units[k]
        if pos < n_end:
            return o_start, o_end
        at = o_end + (pos - n_end)
        return at, at + 1

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of ``original`` that ``text[start:end]`` comes from: it starts where the
        first character came from and ends after the last one (with its combining marks);
        characters dropped inside the span are inside, those dropped at its edges are not.
        An empty span (an insertion point) maps to the start of the character after it.
        The result always satisfies 0 <= start <= end <= len(original)."""
        size = len(self.text)
        start = min(max(start, 0), size)
        end = min(max(end, start), size)
        if not self._units:
            return start, end
        if start == size:
            return len(self.original), len(self.original)
        o_start = self._locate(start)[0]
        if end == start:
            return o_start, o_start
        return o_start, max(o_start, self._locate(end - 1)[1])

    def restore(self, start: int, end: int, replacement: str) -> str:
        """``replacement`` for ``text[start:end]``, with the characters it copies from there
        written as the original has them (with their combining marks, and not U+FFFD), so that
        applying it to ``span(start, end)`` of the original changes only what the engine meant
        to change: «Здравствуйте! » put before a first word keeps that word's stress marks.
        Dropped characters (zero-width, soft hyphens) are not put back.

        The copied stretches are found by ``difflib``; a long replacement (over _RESTORE_LIMIT
        characters together with the span) is returned as it is."""
        if not self._units:
            return replacement
        o_start, o_end = self.span(start, end)
        segment = self.text[start:end]
        if self.original[o_start:o_end] == segment or len(segment) + len(replacement) > _RESTORE_LIMIT:
            return replacement
        out: list[str] = []
        last = (-1, -1)
        matcher = SequenceMatcher(None, segment, replacement, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op != "equal":
                out.append(replacement[b1:b2])
                continue
            for k in range(start + a1, start + a2):
                # Character by character, so that what was dropped (invisible) stays out.
                here = self._locate(k)
                if here != last:
                    out.append(self.original[here[0] : here[1]])
                    last = here
        return "".join(out)


def _base(ch: str) -> bool:
    """Whether combining marks after this character belong to it (not after a space, a line
    break, a control or format character, or another mark)."""
    return not ch.isspace() and unicodedata.category(ch)[0] not in "CZM"


def _units(text: str) -> list[tuple[int, int, str]]:
    """(start, end, replacement) of every stretch of ``text`` that changes, in order."""
    units: list[tuple[int, int, str]] = []
    # A pending cluster: a base character with the marks after it, text[base:end].
    base = end = -1
    for m in _NEEDS_LOOK_RE.finditer(text):
        i = m.start()
        ch = text[i]
        if _attaches(ch):
            if end == i:
                end = i + 1  # one more mark on the pending base
                continue
            if i and _base(text[i - 1]) and (not units or units[-1][1] < i):
                # The base needed no look (a Cyrillic or Latin letter): take it in.
                if base >= 0:
                    units.append((base, end, _clean(text[base:end])))
                base, end = i - 1, i + 1
                continue
        if base >= 0:
            units.append((base, end, _clean(text[base:end])))
            base = end = -1
        if ch == "\r" and text[i + 1 : i + 2] == "\n":
            units.append((i, i + 1, ""))
        elif _attaches(text[i + 1 : i + 2] or " ") and _base(ch):
            base, end = i, i + 1  # marks follow: clean it with them
        else:
            cleaned = _clean(ch)
            if cleaned != ch:
                units.append((i, i + 1, cleaned))
    if base >= 0:
        units.append((base, end, _clean(text[base:end])))
    return [u for u in units if u[2] != text[u[0] : u[1]]]


def normalise(text: str) -> Normalised:
    """``text`` made safe for the engines (see the module docstring), with its offset map."""
    if _NEEDS_LOOK_RE.search(text) is None:
        return Normalised(text, text)
    units = _units(text)
    if not units:
        return Normalised(text, text)
    parts: list[str] = []
    mapped: list[tuple[int, int, int, int]] = []
    at = 0  # position in the original
    size = 0  # length of the output so far
    for start, end, replacement in units:
        if start > at:
            parts.append(text[at:start])
            size += start - at
        parts.append(replacement)
        mapped.append((size, size + len(replacement), start, end))
        size += len(replacement)
        at = end
    parts.append(text[at:])
    return Normalised(text, "".join(parts), tuple(mapped), tuple(u[0] for u in mapped))
