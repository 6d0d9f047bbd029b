"""п. 21 insults: an evaluative word aimed at the addressee or at officials.

The words are a lexicon (data/insults.txt) matched on the normalised readings of a word, so
disguised spellings («ур0ды», «д е б и л ы») are found too. A word counts only where it is aimed:

* in a vocative clause standing on its own — «Уроды.», «Остолопы!», «прихлебатели районные, вам
  лишь бы отчитаться» (the reader is the administration);
* in a sentence about the addressee or an official — «глава ваш — вор и клоун», «Специалист у
  вас хамка и неуч», «Бестолковые вы чинуши».

Not aimed: someone indefinite («какой-то придурок поставил ниву»), the author's own side («мы не
дураки»), animals and things («соседские свиньи подрыли забор»). Words that insult only in some
senses (animals, «тупой», «клоун») need the person in their own clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from otklik.texts import morph
from otklik.texts.screening.clauses import REACH, Word, near
from otklik.texts.screening.data_files import lines
from otklik.texts.screening.normalise import collapse
from otklik.texts.screening.threats import lexicon


@dataclass(frozen=True, slots=True)
class _Insults:
    stems: tuple[str, ...]
    exact: frozenset[str]
    amb_stems: tuple[str, ...]
    amb_exact: frozenset[str]
    never: frozenset[str]  # lemmas that only look like insults


@cache
def _insults() -> _Insults:
    stems: list[str] = []
    exact: set[str] = set()
    amb_stems: list[str] = []
    amb_exact: set[str] = set()
    never: set[str] = set()
    for line in lines("insults.txt"):
        if line.startswith("!"):
            never.add(line[1:])
            continue
        ambiguous = line.startswith("~")
        entry = line.lstrip("~")
        if entry.startswith("="):
            (amb_exact if ambiguous else exact).add(entry[1:])
        else:
            (amb_stems if ambiguous else stems).append(entry)
    return _Insults(tuple(stems), frozenset(exact), tuple(amb_stems), frozenset(amb_exact),
                    frozenset(never))


@lru_cache(maxsize=50_000)
def insult_kind(reading: str) -> str | None:
    """«insult» for a plain insult, «ambiguous» for a word that insults only people."""
    lex = _insults()
    if "-" in reading.strip("-"):
        # «бюрократы-тунеядцы», «чиновники-бездельники»: a compound insults by any of its parts
        kinds = {insult_kind(part) for part in reading.split("-") if len(part) > 2}
        return "insult" if "insult" in kinds else "ambiguous" if "ambiguous" in kinds else None
    word = collapse(reading) if reading not in lex.exact else reading
    for w in (reading, word):
        if w in lex.exact or any(w.startswith(s) for s in lex.stems):
            return "insult"
    for w in (reading, word):
        if w in lex.amb_exact or any(w.startswith(s) for s in lex.amb_stems):
            return "ambiguous"
    return None


def never_insult(lemma: str) -> bool:
    return lemma in _insults().never


# Sentences about animals, tools or shapes, where «козлы», «крысы», «тупой» are literal.
_LITERAL_RE = re.compile(
    r"\b(?:коз[аыуе]?|коров\w*|стад\w*|пас[уеё]т\w*|пасутся|огород\w*|бродяч\w*|подвал\w*|"
    r"отлов\w*|ферм\w*|скот\w*|животн\w*|бега[ею]т|бегают|завел\w*|развел\w*|кусает|кусают|"
    r"грызут|нож\w*|угол|угла|конец|травл\w*|дератизац\w*|нор[аыу]|мыш\w*|цирк\w*|праздник\w*|"
    r"утренник\w*|аниматор\w*|представлени\w*|клещ\w*|насеком\w*|маслениц\w*|подрыл\w*|"
    r"выгул\w*|хлев\w*|сосед\w*|звон\w*|имени)\b"
)
# Animals owned or kept: «у нас скотина», «нашу скотину», «держим коз» — the word just before
# says whose animal it is, so it is livestock, not name-calling (but «у вас» / «у тебя» is not).
_OWNED_RE = re.compile(
    r"(?:\bу\s+(?!вас\b|тебя\b|них\b|вашего\b|вашей\b|твоего\b)[а-я]+|"
    r"\b(?:наш|мо[йяюеи]|мое\w|сво[йяюеи]|держ|корм|пас|пои|завел|развел|куп|прода|"
    r"выгоня|загоня|доить|подои)[а-я]*)\s*,?\s*$"
)
# Words that make the one after them indefinite or someone else: «какой-то придурок».
_INDEFINITE = frozenset({"какой-то", "кто-то", "некий", "чей-то", "какой-нибудь",
                         "кто-нибудь", "сосед", "соседский"})
_NOT_YOU_RE = re.compile(r"\bне\s+(?:про|о|к|об)\s+(?:вас|тебя|вам|тебе)\b|\bне\s+вам\b")
# The author's side: «мы не дураки», «я не идиот».
_SELF = frozenset({"я", "мы"})
# Words that may stand beside an insult in a vocative clause («ну вы и дурачьё», «просто уроды»).
_VOCATIVE_POS = frozenset({"ADJF", "ADJS", "PRTF", "CONJ", "PRCL", "INTJ", "PREP", "NUMR"})
_VOCATIVE_WORDS = frozenset({"вы", "ты", "все", "весь", "просто", "совсем", "сплошной", "эй",
                             "слышь", "ах", "ох", "какой", "такой", "там", "тут", "вот"})
_SECOND = frozenset({"ты", "вы", "твой", "ваш"})


def _is_target(w: Word) -> bool:
    """The addressee or an official: «вы», «ваш», «глава», «администрация», «чинуши»."""
    return w.lemma in _SECOND or w.lemma in lexicon().official or (
        w.has("2per") and "impr" not in w.grammemes)


def aimed(words: list[Word], first: int, last: int, kind: str, low: str) -> bool:
    """Is the insult in ``words[first..last]`` aimed at the addressee or an official? ``kind``
    is «insult» or «ambiguous»; ``low`` is the text in lower case with «ё» as «е»."""
    w = words[first]
    if w.has("VERB"):
        return True  # «сдохните», «зажрались»: said of or to someone by its own person
    clause = near(words, first, last, clause=True)
    sentence = near(words, first, last)
    before = words[first - 1] if first > 0 and words[first - 1].clause == w.clause else None
    after = words[last + 1] if last + 1 < len(words) and words[last + 1].clause == w.clause else None
    if before is not None and (before.lemma in _INDEFINITE or before.low in _INDEFINITE):
        return False
    if before is not None and before.low == "за":
        return False  # «вы нас за дураков держите»: the author's side, taken for fools
    # «Какой дегенерат придумал …?» asks after whoever decided, the administration — unless the
    # author says it is not them («Не про вас, про тех, кто катается»).
    if before is not None and before.low == "какой":
        return not _NOT_YOU_RE.search(low)
    if after is not None and after.low in ("какой-то", "какой-нибудь"):
        return False
    if before is not None and before.low == "не" and any(x.lemma in _SELF for x in clause):
        return False
    # «Соседи — алкаши», «подрядчик — жулик»: a third person named as the subject before it.
    third = [k for k, x in enumerate(sentence)
             if x.has("NOUN", "anim", "nomn") and x.start < w.start and not _is_target(x)
             and insult_kind(x.low) is None and not {"Name", "Patr", "Surn"} & x.grammemes
             and not (k > 0 and sentence[k - 1].lemma in _SECOND)]  # «ваш завхоз» is theirs
    if third and not any(_is_target(x) for x in sentence[third[-1] :] if x.start < w.start):
        return False
    lo = max(0, first - REACH)
    others = [(lo + k, x) for k, x in enumerate(words[lo : last + REACH + 1])
              if x.clause == w.clause and not first <= lo + k <= last]
    # A vocative clause holds the insult, its adjectives and what qualifies it with a
    # preposition («клоун в галстуке», «паразиты на нашей шее»), and no verb.
    vocative = all(
        x.tag.POS in _VOCATIVE_POS or x.lemma in _VOCATIVE_WORDS or _is_target(x)
        or insult_kind(x.low) is not None or (x.tag.POS == "NOUN" and _after_preposition(words, i))
        for i, x in others
    )
    # «…, вот вы кто», «вы что, идиоты?»: the addressee named as the subject of the sentence.
    subject = any(x.lemma in ("ты", "вы") and x.has("nomn") for x in sentence)
    if kind == "ambiguous":
        start, end = words[first].start, words[last].end
        if _LITERAL_RE.search(low[sentence[0].start : sentence[-1].end].replace(
                low[start:end], " ", 1)) or _OWNED_RE.search(low[max(0, start - 30) : start]):
            return False
        if subject or any(_is_target(x) for _, x in others) or _named_is(words, first, low):
            return True
        # «Бараны, кто планирует ремонт в ноябре?»: an address opening a question to the reader
        # — the administration — is aimed at it; sheep are not asked.
        asks = first == 0 or words[first - 1].sentence != w.sentence
        asks = asks and "?" in low[sentence[-1].end : sentence[-1].end + 3] and not any(
            x.lemma in ("они", "их", "чей") for x in sentence)  # «Козлы, чьи они?»: talked about
        # «бараны, кто придумал сносить остановку»: an address to whoever decided — the administration
        nxt = words[last + 1] if last + 1 < len(words) else None
        who = nxt is not None and nxt.sentence == w.sentence and low[nxt.start : nxt.end] == "кто" \
            and "," in low[w.end : nxt.start] and not any(x.lemma in ("они", "их", "чей") for x in sentence)
        # (not «кто-нибудь видел, чьи они?», «Козлы, кто их хозяин?»: the animals talked about)
        return vocative and (asks or who or any(_is_target(x) for x in sentence))
    return vocative or any(_is_target(x) for x in sentence)


def _named_is(words: list[Word], first: int, low: str) -> bool:
    """«Ершов — шакал», «Петрова — старая курица»: a person named in the nominative (a capital,
    a name or surname by some reading), then a dash for «is» and the word, its adjectives
    between — name-calling, whatever else the word means."""
    j = first - 1
    while j >= 0 and words[j].clause == words[first].clause and words[j].tag.POS in ("ADJF", "PRTF"):
        j -= 1
    if j < 0 or words[j].sentence != words[first].sentence:
        return False
    named = words[j]
    return (named.capital and low[named.end : words[j + 1].start].strip() in ("—", "–", "-")
            and any({"Surn", "Name"} & set(t.grammemes) and t.case == "nomn" for t in morph.tags(named.low)))


def _after_preposition(words: list[Word], i: int) -> bool:
    """Is the noun at ``i`` governed by a preposition just before it (adjectives between)?"""
    j = i - 1
    while j >= 0 and words[j].clause == words[i].clause and words[j].tag.POS in ("ADJF", "PRTF"):
        j -= 1
    return j >= 0 and words[j].clause == words[i].clause and words[j].tag.POS == "PREP"
