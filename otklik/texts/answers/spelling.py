"""``spelling``: words the dictionary does not know, with the likeliest correction.

The OpenCorpora dictionary of pymorphy3 (about five million word forms) decides whether a form
exists; suggestions come from an edit-distance-1 search checked against that dictionary, ranked
by pyspellchecker's Russian word frequencies, then from an edit-distance-2 scan of those frequent
words. Names, abbreviations, local words and anything that is not Cyrillic prose are never
flagged: a false alarm costs the curator's trust more than a missed typo.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources

from otklik.texts import morph

from ._doc import Doc, Tok, all_tags, norm
from .findings import ERROR, WARNING, Finding
from .lexicon import Lexicon

CODE = "spelling"
_ALPHABET = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_CYRILLIC_WORD_RE = re.compile(r"[а-яё]+(?:-[а-яё]+)*")
_PARTICLES = frozenset({"то", "либо", "нибудь", "ка", "таки", "де"})
_VOWELS = frozenset("аеёиоуыэюя")
# No suggestion for a longer «word»: the edit search grows with the square of its length (a
# 20 000-letter run would take gigabytes), and the longest dictionary words have about 35 letters.
MAX_SUGGEST_LENGTH = 40
# Prefixes that make a new word of any dictionary word: «электроопора», «госпрограмма».
_FREE_PREFIXES = (
    "электро", "авто", "гос", "спец", "соц", "мото", "вело", "видео", "фото", "теле", "эко",
    "мини", "микро", "мега", "супер", "евро", "энерго", "водо", "тепло", "газо", "агро", "нац", "кибер",
    "рег", "мун", "внутри", "меж", "обще", "около", "пред", "после", "сверх", "полу", "само",
    "противо", "анти", "квази", "псевдо", "контр", "суб", "экс", "пост", "нео", "проф",
    # numeral compounds: «трёхразовое», «пятиэтажка», «многодетный»
    "двух", "трех", "трёх", "четырех", "четырёх", "пяти", "шести", "семи", "восьми", "девяти",
    "десяти", "много",
)
# Shortened first parts of compound nouns («ветстанция», «райбольница», «медпункт», «спортзал»):
# only before a noun of six letters or more, so that «ветранам» («вет» + «ранам») stays a typo.
_COMPOUND_PARTS = ("вет", "мед", "спорт", "рай", "обл", "сель", "пром", "хоз", "жил", "тех", "пож",
                   "дет")


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
    for part in _COMPOUND_PARTS:
        rest = word[len(part):]
        if word.startswith(part) and len(rest) >= 6 and morph.is_known(rest) and \
                morph.analyzer().parse(rest)[0].tag.POS == "NOUN":
            return True
    # «полцены», «полгода», «полведра»: «пол-» with a noun in the genitive singular
    rest = word[3:]
    return word.startswith("пол") and len(rest) >= 3 and morph.is_known(rest) and any(
        p.tag.POS == "NOUN" and {"gent", "sing"} <= p.tag.grammemes for p in morph.analyzer().parse(rest))


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


# Letters a writer puts for one another: unstressed vowels, voiced/voiceless pairs, ш/щ, ь/ъ;
# the commonest first.
_CONFUSABLE = frozenset(
    frozenset(p) for p in ("ао", "еи", "иы", "сз", "дт", "бп", "шщ", "ьъ", "вф", "гк", "жш")
)
_CONFUSABLE_2 = frozenset(frozenset(p) for p in ("ея", "ия", "еэ", "оё", "ую", "цс", "чщ"))
_KEYBOARD_ROWS = ("йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю")
_NEIGHBOURS = frozenset(
    frozenset((row[i], row[i + 1])) for row in _KEYBOARD_ROWS for i in range(len(row) - 1)
)
_VOWELS = frozenset("аеёиоуыэюя")
_SOFT_SIGNS = frozenset("йьъ")
# Cases a preposition governs, to prefer a noun in the right case after it.
_GOVERNS: dict[str, frozenset[str]] = {
    **dict.fromkeys(("в", "во", "на"), frozenset({"loct", "accs", "loc2"})),
    **dict.fromkeys(("о", "об", "обо", "при"), frozenset({"loct"})),
    **dict.fromkeys(("к", "ко", "по", "благодаря", "согласно"), frozenset({"datv", "loct"})),
    **dict.fromkeys(
        ("у", "от", "до", "из", "без", "для", "около", "возле", "вокруг", "после", "против",
         "среди", "вдоль", "кроме", "вместо", "напротив", "из-за", "из-под", "со", "с"),
        frozenset({"gent", "gen2", "ablt"})),
    **dict.fromkeys(("над", "под", "за", "перед", "между", "передо", "подо", "надо"),
                    frozenset({"ablt", "accs"})),
    **dict.fromkeys(("про", "через", "сквозь"), frozenset({"accs"})),
}
_PROPER = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"})
_SHAPE_GROUPS = {"PRTS": "ADJS", "PRTF": "ADJF", "INFN": "VERB", "GRND": "VERB"}


def _sub_cost(a: str, b: str) -> float:
    pair = frozenset((a, b))
    if pair in _CONFUSABLE:
        return 0.3
    if pair in _CONFUSABLE_2:
        return 0.4
    if (a in _VOWELS and b in _VOWELS) or pair in _NEIGHBOURS:
        return 0.6
    return 1.0


def _indel_cost(s: str, i: int) -> float:
    """Cost of the letter ``s[i]`` being written in excess (or missed): a doubled letter
    («расмотрено», «выполненны») is the cheapest, then й, ь and ъ («прийдёт»)."""
    ch = s[i]
    if (i > 0 and s[i - 1] == ch) or s[i + 1 : i + 2] == ch:
        return 0.3
    if ch in _SOFT_SIGNS:
        return 0.5
    silent_cluster = 0 < i < len(s) - 1 and s[i - 1] not in _VOWELS and s[i + 1] not in _VOWELS
    if (ch == "в" and s[i + 1 : i + 3] == "ст") or (ch in "тдвл" and silent_cluster):
        return 0.5  # a silent consonant: «лес(т)ница», «здра(в)ствуйте», «со(л)нце»
    return 1.2


def _weighted_distance(a: str, b: str) -> float:
    """Optimal-string-alignment distance of two е/ё-normalised words, with typo-likelihood
    costs: confusable letters and doubled letters cost little, random edits cost more."""
    prev2: list[float] = []
    prev = [0.0]
    for j in range(len(b)):
        prev.append(prev[-1] + _indel_cost(b, j))
    for i in range(1, len(a) + 1):
        cur = [prev[0] + _indel_cost(a, i - 1)] + [0.0] * len(b)
        for j in range(1, len(b) + 1):
            sub = 0.0 if a[i - 1] == b[j - 1] else _sub_cost(a[i - 1], b[j - 1])
            cur[j] = min(prev[j] + _indel_cost(a, i - 1), cur[j - 1] + _indel_cost(b, j - 1),
                         prev[j - 1] + sub)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 0.6)
        prev2, prev = prev, cur
    return prev[-1]


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


def _pos(tag: object) -> str:
    pos = str(getattr(tag, "POS", None))
    return _SHAPE_GROUPS.get(pos, pos)


@lru_cache(maxsize=20_000)
def _typo_shape(word: str) -> tuple[str, frozenset[str]]:
    """The parts of speech pymorphy's predictor guesses for an unknown word, by its ending:
    the likeliest one and all of its first guesses."""
    parses = morph.analyzer().parse(word)[:4]
    return (_pos(parses[0].tag) if parses else "", frozenset(_pos(p.tag) for p in parses))


@lru_cache(maxsize=50_000)
def _cand_parses(word: str) -> tuple[tuple[str, str | None, bool], ...]:
    out = []
    for p in morph.analyzer().parse(word)[:4]:
        out.append((_pos(p.tag), p.tag.case, bool(_PROPER & p.tag.grammemes)))
    return tuple(out)


def _shape_score(typo: str, cand: str, prev: str | None) -> float:
    """A bonus (negative) for a candidate of the grammatical shape the typo seems to have,
    and in a case the preceding preposition governs; a penalty for a proper name."""
    parses = _cand_parses(cand)
    if not parses:
        return 0.0
    score = 0.0
    top, guesses = _typo_shape(typo)
    if any(pos == top for pos, _, _ in parses):
        score -= 0.2
    elif any(pos in guesses for pos, _, _ in parses):
        score -= 0.1
    cases = _GOVERNS.get(prev or "")
    if cases is not None:
        if any(case in cases for pos, case, _ in parses if pos in ("NOUN", "ADJF", "NPRO")):
            score -= 0.25
        elif parses[0][0] in ("NOUN", "ADJF"):
            score += 0.15
    if all(proper for _, _, proper in parses):
        score += 0.4
    return score


def _display(cand: str) -> str:
    """The dictionary's own spelling of a candidate, with «ё» where it belongs («заменён»)."""
    parses = morph.analyzer().parse(cand)
    if parses and morph.is_known(cand):
        word = str(parses[0].word)
        if norm(word) == norm(cand) and "ё" in word:
            return word
    return cand


@lru_cache(maxsize=20_000)
def suggest(word: str, prev: str | None = None) -> str | None:
    """The likeliest correct spelling of a lower-case word, or None.

    ``prev`` is the word before it, so that a noun after a preposition is taken in a case the
    preposition governs. Candidates are words one edit away (and, when none is a cheap edit,
    frequent words two edits away), ranked by how typical the edit is as a Russian typo (е/ё
    free, confusable and neighbouring letters, doubled letters cheap), by grammatical shape
    and by frequency."""
    w = norm(word)
    if w in _misspellings():
        return _misspellings()[w]
    if len(w) > MAX_SUGGEST_LENGTH:
        return None
    freq = _frequencies()
    found = {norm(c) for c in _edits1(w) if morph.is_known(c) or norm(c) in freq}
    found.discard(w)

    def cost(c: str) -> float:
        return (_weighted_distance(w, c) + _shape_score(w, c, prev)
                - 0.1 * math.log10(freq.get(c, 0) + 1))

    best = min(found, key=lambda c: (cost(c), c)) if found else None
    if len(w) >= 5 and (best is None or _weighted_distance(w, best) >= 1.0):
        letters = set(w)  # two edits change at most four letters of the set: a cheap filter
        near = {
            c for c in _frequent_by_first_letter().get(w[0], [])
            if abs(len(c) - len(w)) <= 2 and len(letters.symmetric_difference(c)) <= 4
            and _distance(w, c, 2) <= 2
        }
        pool = found | near
        if pool:
            best = min(pool, key=lambda c: (cost(c), c))
    if best is None:
        # «соцрабоник»: a free prefix before a misspelt word is corrected in the word
        for prefix in _FREE_PREFIXES:
            rest = w[len(prefix):]
            if w.startswith(prefix) and len(rest) >= 4 and (fixed := suggest(rest)) is not None:
                return prefix + norm(fixed)
    return _display(best) if best is not None else None


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


# Verbal prefixes: «про» + «грейдировать» makes «прогрейдировать», a word of the trade that no
# dictionary lists. A typo rarely leaves a known verb behind its prefix.
_VERB_PREFIXES = ("пере", "недо", "пред", "обез", "обес", "раз", "рас", "под", "от", "до", "вы", "на",
                  "об", "про", "за", "при", "по", "из", "ис", "вз", "вс", "со", "у", "с", "в")
_VERB_POS = frozenset({"VERB", "INFN", "PRTF", "PRTS", "GRND"})
_NOUN_PREFIXES = ("пере", "недо", "до", "ре", "де")


@lru_cache(maxsize=20_000)
def derived(word: str) -> bool:
    """True when an unknown word is made by regular word formation from a dictionary word: a
    prefixed verb («прогрейдировали»), a device of a «-графия» («флюорограф»), an adjective of a
    «-ция» noun («дератизационных»), an «-изация» of an adjective («цифровизации»)."""
    if "-" in word:  # every part known or made so: «фельдшерско-акушерский»
        parts = [p for p in word.split("-") if p]
        return len(parts) > 1 and all(is_correct(p) or derived(p) for p in parts)
    analyzer = morph.analyzer()
    for prefix in _VERB_PREFIXES:
        rest = word[len(prefix):]
        if word.startswith(prefix) and len(rest) >= 5 and analyzer.word_is_known(rest) and any(
                p.tag.POS in _VERB_POS for p in analyzer.parse(rest)):
            return True
    # a noun of action takes the prefix of its verb: «догазификация», «перепланирование»
    for prefix in _NOUN_PREFIXES:
        rest = word[len(prefix):]
        if word.startswith(prefix) and len(rest) >= 7 and _is_noun(rest):
            return True
    # a stump compound: a noun cut short and a whole one, «спортшкола», «охотуправление»
    for cut in range(4, len(word) - 4):
        head, rest = word[:cut], word[cut:]
        if len(rest) >= 5 and _is_common_noun(rest) and (_is_common_noun(head) or _is_common_noun(head + "а")):
            return True
    # a compound joined by «о»/«е»: «пенополиуретан» (пена + полиуретан), «лесосклад»
    for cut in range(3, len(word) - 5):
        if word[cut] in "ое" and _is_noun(word[cut + 1:]) and any(
                _is_noun(word[:cut] + end) or _is_adjective(word[:cut] + end) for end in ("", "а", "ь", "ый", "ий")):
            return True
    for parse in analyzer.parse(word):
        nf = norm(parse.normal_form)
        pos = parse.tag.POS
        # a participle of an «-изовать» verb of a noun: «минерализованная вода» from «минерал»
        if pos in ("PRTF", "PRTS", "ADJF") and nf.endswith("изованный") and _is_noun(nf[:-9]):
            return True
        # an adjective of a dictionary noun: «ассенизаторская машина» from «ассенизатор»
        if pos in ("ADJF", "ADJS") and nf.endswith(("ский", "ской")) and len(nf) > 8 and _is_noun(nf[:-4]):
            return True
        if pos == "NOUN" and nf.endswith("граф") and analyzer.word_is_known(nf + "ия"):
            return True
        if pos in ("ADJF", "ADJS") and nf.endswith("онный") and analyzer.word_is_known(nf[:-5] + "я"):
            return True
        if pos == "NOUN" and nf.endswith("изация") and len(nf) > 9 and any(
                analyzer.word_is_known(nf[:-6] + end) for end in ("ой", "ый", "ий", "")):
            return True
        # the quality of an adjective: «малоимущности» from «малоимущий»
        if pos == "NOUN" and nf.endswith("ость") and len(nf) > 8 and any(
                _is_adjective(stem + end) for stem in (nf[:-4], nf[:-5] if nf.endswith("ность") else "")
                if stem for end in ("ий", "ый", "ой")):
            return True
        # an adjective of a «-тель» noun: «заявительный порядок» from «заявитель»
        if pos in ("ADJF", "ADJS") and nf.endswith("тельный") and _is_noun(nf[:-4] + "ь"):
            return True
    # the first half of a compound adjective: «фельдшерско-акушерский», «санитарно-»,
    # «психолого-» (психологический), «медико-» (медицинский: the combining form of «медик-»)
    return word.endswith(("о", "е")) and len(word) >= 5 and any(
        _is_adjective(stem + end) for stem, ends in ((word[:-1], ("ий", "ый", "ой", "ический", "ский")),
                                                     (word[:-2], ("ический", "ческий", "инский")))
        for end in ends)


def _is_noun(word: str) -> bool:
    analyzer = morph.analyzer()
    return analyzer.word_is_known(word) and any(p.tag.POS == "NOUN" for p in analyzer.parse(word))


def _is_common_noun(word: str) -> bool:
    """A dictionary noun that is no name, surname or place («жанна» + «тала» is no compound)."""
    analyzer = morph.analyzer()
    return analyzer.word_is_known(word) and any(
        p.tag.POS == "NOUN" and not {"Name", "Surn", "Patr", "Geox", "Orgn"} & p.tag.grammemes
        for p in analyzer.parse(word))


def _is_adjective(word: str) -> bool:
    analyzer = morph.analyzer()
    return analyzer.word_is_known(word) and any(p.tag.POS == "ADJF" for p in analyzer.parse(word))


def _match_case(original: str, fixed: str) -> str:
    if original[:1].isupper():
        return fixed[:1].upper() + fixed[1:]
    return fixed


def _checkable(tok: Tok, sentence_start: bool, lexicon: Lexicon) -> bool:
    text = tok.text
    if not tok.prose or not _CYRILLIC_WORD_RE.fullmatch(text.lower()):
        return False  # digits, Latin, mixed alphabets
    if len(text) < 3 or text.isupper() or not _VOWELS.intersection(text.lower()):
        return False  # single letters, abbreviations (МКД, ЖКХ, мкр)
    if any(ch.isupper() for ch in text[1:]):
        return False  # ВКонтакте, ТОСы
    if text[0].isupper() and not sentence_start:
        return False  # a name, a street, a place
    return tok.lower not in lexicon and text not in lexicon


@lru_cache(maxsize=20_000)
def _may_be_a_name(word: str) -> bool:
    """Whether pymorphy3's guess for an unknown word allows a name: a noun or an adjective
    («Заречная»); a guessed adverb, verb or gerund («Арентировочно») is no name."""
    return any(p.tag.POS in ("NOUN", "ADJF", None) for p in morph.analyzer().parse(word))


# Verbs, predicatives and short adjectives that take an infinitive: «может появиться», «должны
# проводиться», «будет осуществляться», «нужно записаться».
_INFINITIVE_GOVERNORS = frozenset({
    "мочь", "хотеть", "начать", "начинать", "стать", "продолжать", "перестать", "пытаться",
    "попытаться", "стараться", "постараться", "собираться", "планировать", "решить", "обещать",
    "успеть", "уметь", "быть", "прийтись", "приходиться", "должный", "обязанный", "готовый",
    "можно", "нужно", "надо", "нельзя", "необходимо", "следовать"})
_MARKS = frozenset(",;:—–-()«»\"!?.…")


def _governs_infinitive(tok: Tok) -> bool:
    return tok.is_word and _governor(tok.lower)


@lru_cache(maxsize=20_000)
def _governor(word: str) -> bool:
    return any(norm(p.normal_form) in _INFINITIVE_GOVERNORS or norm(p.word) in _INFINITIVE_GOVERNORS
               for p in morph.analyzer().parse(word)[:2])


def _clause_has_predicate(doc: Doc, i: int) -> tuple[bool, bool]:
    """For the infinitive at token i: (another predicate or governor stands in its clause, a
    subject in the nominative stands before it in the clause)."""
    toks = doc.toks
    subject = False
    for step in (-1, 1):
        k = i + step
        while 0 <= k < len(toks) and toks[k].text not in _MARKS:
            t = toks[k]
            if t.is_word:
                if t.lower in ("чтобы", "чтоб", "как", "где", "куда", "зачем", "что", "ли", "если"):
                    return True, subject
                tags = all_tags(t.lower)[:2]
                if tags[0].POS in ("VERB", "INFN", "PRED", "ADJS", "PRTS") or _governs_infinitive(t):
                    return True, subject
                if step < 0 and tags[0].POS in ("NOUN", "NPRO") and tags[0].case == "nomn":
                    subject = True
            k += step
    return False, subject


def _reflexive_endings(doc: Doc) -> Iterator[Finding]:
    """«-тся» or «-ться» by the grammar: an infinitive after a verb that takes one («может
    появиться»), a finite verb where the clause has a subject and no other predicate
    («полицейский появится»)."""
    analyzer = morph.analyzer()
    for i, tok in enumerate(doc.toks):
        if not tok.is_word or not tok.prose or len(tok.lower) < 6:
            continue
        low = norm(tok.lower)
        if low.endswith("ться"):
            fixed = low[:-4] + "тся"
            parses = analyzer.parse(low)
            if parses[0].tag.POS != "INFN" or not analyzer.word_is_known(fixed):
                continue
            if not any(p.tag.POS == "VERB" and p.tag.person == "3per" for p in analyzer.parse(fixed)):
                continue
            prev = doc.toks[i - 1] if i > 0 else None
            if prev is not None and (prev.pos == "PREP" or _governs_infinitive(prev)):
                continue
            other, subject = _clause_has_predicate(doc, i)
            if other or not subject:
                continue
        elif low.endswith("тся"):
            prev = doc.toks[i - 1] if i > 0 else None
            fixed = low[:-3] + "ться"
            if prev is None or not _governs_infinitive(prev) or prev.pos == "INFN":
                continue
            if analyzer.parse(low)[0].tag.POS != "VERB" or not analyzer.word_is_known(fixed) \
                    or analyzer.parse(fixed)[0].tag.POS != "INFN":
                continue
        else:
            continue
        shown = _match_case(tok.text, fixed)
        yield Finding(CODE, ERROR, tok.start, tok.end,
                      f"Орфографическая ошибка: «{tok.text}» → «{shown}» (-тся или -ться: спросите «что делает?» "
                      "или «что делать?»).", shown)


def check(doc: Doc, *, lexicon: Lexicon) -> list[Finding]:
    found: list[Finding] = []
    for i, tok in enumerate(doc.toks):
        if not tok.is_word or not _checkable(tok, i in doc.starts, lexicon):
            continue
        if is_correct(tok.text):
            continue
        prev = doc.toks[i - 1].lower if i > 0 and doc.toks[i - 1].is_word else None
        fix = suggest(tok.lower, prev)
        if fix is None:
            if derived(tok.lower):
                continue  # a rare word made by the rules of word formation, no typo near
            if tok.text[0].isupper() and _may_be_a_name(tok.lower):
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
    taken = {f.start for f in found}
    found.extend(f for f in _reflexive_endings(doc) if f.start not in taken)
    return found
