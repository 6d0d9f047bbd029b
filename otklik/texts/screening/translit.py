"""Russian written in Latin letters («Ya tvoyu mashinu sozhgu»), read back into Cyrillic.

Only for a message that is almost all Latin letters: the п. 21 rules read Cyrillic words, so a
threat typed in transliteration would pass unseen. The common informal scheme is undone letter
group by letter group, longest first; «y» is «я/ю/ё/е» before a vowel, «й» after one and «ы»
after a consonant. A misread letter here and there does not matter: the rules look for words.
"""

from __future__ import annotations

import re

# Letter groups, longest first.
_GROUPS = (
    ("shch", "щ"), ("sch", "щ"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш"),
    ("ya", "я"), ("yu", "ю"), ("yo", "ё"), ("ye", "е"), ("ja", "я"), ("ju", "ю"), ("jo", "ё"),
)
_SINGLE = {
    "a": "а", "b": "б", "v": "в", "g": "г", "d": "д", "e": "е", "z": "з", "i": "и", "j": "й",
    "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "r": "р", "s": "с", "t": "т",
    "u": "у", "f": "ф", "h": "х", "c": "ц", "w": "в", "q": "к", "x": "кс", "'": "ь",
}
_VOWELS = frozenset("aeiouy")
_LATIN_RE = re.compile(r"[A-Za-z]")
_LETTER_RE = re.compile(r"[^\W\d_]")
_WORD_RE = re.compile(r"[A-Za-z']+")


def _word(latin: str) -> str:
    low = latin.lower()
    out: list[str] = []
    i = 0
    while i < len(low):
        for group, cyr in _GROUPS:
            if low.startswith(group, i):
                out.append(cyr)
                i += len(group)
                break
        else:
            ch = low[i]
            if ch == "y":
                out.append("й" if i > 0 and low[i - 1] in _VOWELS else "ы")
            else:
                out.append(_SINGLE.get(ch, ch))
            i += 1
    word = "".join(out)
    return word[:1].upper() + word[1:] if latin[:1].isupper() else word


def to_cyrillic(text: str) -> str | None:
    """The Cyrillic reading of a message written in Latin letters (at least three words and
    nine in ten letters Latin), or None for any other message."""
    letters = _LETTER_RE.findall(text)
    latin = _LATIN_RE.findall(text)
    if len(_WORD_RE.findall(text)) < 3 or len(latin) < 0.9 * max(1, len(letters)):
        return None
    return _WORD_RE.sub(lambda m: _word(m.group(0)), text)
