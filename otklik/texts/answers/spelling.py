"""``spelling``: words the dictionary does not know, with the likeliest correction.

The OpenCorpora dictionary of pymorphy3 (about five million word forms) decides whether a form
exists; suggestions come from an edit-distance-1 search checked against that dictionary, ranked
by pyspellchecker's Russian word frequencies, then from an edit-distance-2 scan of those frequent
words. Names, abbreviations, local words and anything that is not Cyrillic prose are never
flagged: a false alarm costs the curator's trust more than a missed typo.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from otklik.texts import morph

from ._doc import Doc, Tok, norm
from .findings import ERROR, WARNING, Finding
from .lexicon import Lexicon

CODE = "spelling"
_ALPHABET = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_CYRILLIC_WORD_RE = re.compile(r"[а-яё]+(?:-[а-яё]+)*")
_PARTICLES = frozenset({"то", "либо", "нибудь", "ка", "таки", "де"})
# Prefixes that make a new word of any dictionary word: «электроопора», «госпрограмма».
_FREE_PREFIXES = (
    "электро", "авто", "гос", "спец", "соц", "мото", "вело", "видео", "фото", "теле", "эко",
    "мини", "микро", "мега", "супер", "евро", "энерго", "водо", "тепло", "газо", "агро", "нац",
    "рег", "мун", "внутри", "меж", "обще", "около", "пред", "после", "сверх", "полу", "само",
    "противо", "анти", "квази", "псевдо", "контр", "суб", "экс", "пост", "нео",
)


def _data_lines(name: str) -> list[str]:
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@lru_cache(maxsize=1)
def _misspellings() -> dict[str, str]:
    pairs = (ln.split("\t") for ln in _data_lines("misspellings.txt"))
    return {norm(a): b for a, b in pairs}


@lru_cache(maxsize=1)
def _domain() -> Lexicon:
    return Lexicon(_data_lines("domain_words.txt"))


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, int]:
    from spellchecker import SpellChecker

    words = SpellChecker(language="ru").word_frequency.dictionary
    return {norm(w): int(c) for w, c in words.items()}


@lru_cache(maxsize=1)
def _frequent_by_first_letter() -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for w, count in _frequencies().items():
        if count >= 5 and len(w) >= 4 and _CYRILLIC_WORD_RE.fullmatch(w):
            index.setdefault(w[0], []).append(w)
    return index


@lru_cache(maxsize=100_000)
def _known_simple(word: str) -> bool:
    if morph.is_known(word) or word in _frequencies():
        return True
    for prefix in _FREE_PREFIXES:
        rest = word[len(prefix):]
        if word.startswith(prefix) and len(rest) >= 4 and morph.is_known(rest):
            return True
    return False


def is_correct(word: str) -> bool:
    """True when the lower-case Cyrillic word (or every part of a hyphenated one) exists."""
    w = norm(word)
    if w in _misspellings():
        return False  # the frequency list has some of them («вообщем»)
    if _known_simple(w) or w in _domain():
        return True
    if "-" in w:
        parts = [p for p in w.split("-") if p]
        return all(p in _PARTICLES or _known_simple(p) or p in _domain() for p in parts)
    return False


def _edits1(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _ALPHABET if c != b[0]}
    inserts = {a + c + b for a, b in splits for c in _ALPHABET}
    return deletes | transposes | replaces | inserts


_VOWELS = frozenset("аеёиоуыэюя")


def _edit_rank(word: str, cand: str) -> int:
    """How typical the one edit from ``word`` to ``cand`` is as a Russian typo: a doubled or
    undoubled letter («расмотрено», «отремонтированна»), then a swapped pair, then a vowel
    written for another vowel, then anything else."""
    if len(cand) == len(word) + 1:
        i = next((k for k in range(len(word)) if word[k] != cand[k]), len(word))
        return 0 if (i > 0 and cand[i] == cand[i - 1]) or cand[i] == cand[i + 1 : i + 2] else 3
    if len(cand) == len(word) - 1:
        i = next((k for k in range(len(cand)) if word[k] != cand[k]), len(cand))
        return 0 if (i > 0 and word[i] == word[i - 1]) or word[i] == word[i + 1 : i + 2] else 3
    diff = [k for k in range(len(word)) if word[k] != cand[k]]
    if len(diff) == 2:
        return 1
    if diff and word[diff[0]] in _VOWELS and cand[diff[0]] in _VOWELS:
        return 2
    return 3 + (cand.replace("ё", "е") != cand)


def _distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein (optimal string alignment), stopping early past ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


@lru_cache(maxsize=20_000)
def suggest(word: str) -> str | None:
    """The likeliest correct spelling of a lower-case word, or None."""
    w = norm(word)
    if w in _misspellings():
        return _misspellings()[w]
    freq = _frequencies()
    found = [c for c in _edits1(w) if morph.is_known(c) or c in freq]
    if found:
        # Frequent words first; among rare ones prefer forms the dictionary itself holds.
        # A doubled/undoubled letter is the commonest Russian typo («законченны», «расчитать»):
        # such a candidate wins; otherwise frequent words first, then the likelier edit.
        def key(c: str) -> tuple[bool, int, int, str]:
            rank = _edit_rank(w, c)
            return (rank > 0, -freq.get(norm(c), 0), rank, c)

        return min(found, key=key)
    if len(w) < 5:
        return None
    near = [
        c for c in _frequent_by_first_letter().get(w[0], [])
        if abs(len(c) - len(w)) <= 2 and _distance(w, c, 2) <= 2
    ]
    if near:
        return max(near, key=lambda c: freq.get(c, 0))
    return None


# Adjective suffixes that make a regular adjective of any noun: «заезд» → «заездный».
_ADJ_SUFFIXES = ("ный", "ной", "овый", "евый", "овой", "ский", "ской")


@lru_cache(maxsize=20_000)
def regular_derivative(word: str) -> bool:
    """True when an unknown word is a regular adjective of a dictionary noun («заездного» of
    «заезд»): a rare word rather than a typo, so worth a look, never an error."""
    analyzer = morph.analyzer()
    for parse in analyzer.parse(word):
        nf = norm(parse.normal_form)
        if parse.tag.POS not in ("ADJF", "ADJS") or analyzer.word_is_known(nf):
            continue
        for suffix in _ADJ_SUFFIXES:
            base = nf[: -len(suffix)]
            if nf.endswith(suffix) and len(base) >= 3 and any(
                    p.tag.POS == "NOUN" and norm(p.normal_form) == base
                    for p in analyzer.parse(base) if analyzer.word_is_known(base)):
                return True
    return False


def _match_case(original: str, fixed: str) -> str:
    if original[:1].isupper():
        return fixed[:1].upper() + fixed[1:]
    return fixed


def _checkable(tok: Tok, sentence_start: bool, lexicon: Lexicon) -> bool:
    text = tok.text
    if not tok.prose or not _CYRILLIC_WORD_RE.fullmatch(text.lower()):
        return False  # digits, Latin, mixed alphabets
    if len(text) < 3 or text.isupper():
        return False  # single letters, abbreviations (МКД, ЖКХ)
    if any(ch.isupper() for ch in text[1:]):
        return False  # ВКонтакте, ТОСы
    if text[0].isupper() and not sentence_start:
        return False  # a name, a street, a place
    return tok.lower not in lexicon and text not in lexicon


def check(doc: Doc, *, lexicon: Lexicon) -> list[Finding]:
    found: list[Finding] = []
    for i, tok in enumerate(doc.toks):
        if not tok.is_word or not _checkable(tok, i in doc.starts, lexicon):
            continue
        if is_correct(tok.text):
            continue
        fix = suggest(tok.lower)
        if fix is None:
            if tok.text[0].isupper():
                continue  # an unknown capitalised word at a sentence start: likely a name
            found.append(Finding(
                CODE, WARNING, tok.start, tok.end,
                f"Слово «{tok.text}» не найдено в словаре: проверьте написание.",
                None,
            ))
            continue
        fixed = _match_case(tok.text, fix)
        if regular_derivative(tok.lower):
            found.append(Finding(
                CODE, WARNING, tok.start, tok.end,
                f"Слово «{tok.text}» не найдено в словаре: проверьте написание "
                f"(может быть, «{fixed}»).",
                fixed,
            ))
            continue
        found.append(Finding(
            CODE, ERROR, tok.start, tok.end,
            f"Орфографическая ошибка: «{tok.text}» → «{fixed}».",
            fixed,
        ))
    return found
