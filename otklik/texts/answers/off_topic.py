"""``off_topic``: the answer does not speak of what the author asked about.

The key things of the question — the place (street names, house numbers), the object (nouns)
and the problem (verbs, adjectives) — are taken as lemmas without generic words; the answer must
mention some of them: the same lemma, the same first five letters for long words (cognates:
«ремонт» / «отремонтировать»), a synonym from a small list, or the same house number.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from ._doc import Doc, Tok
from .findings import ERROR, WARNING, Finding

CODE = "off_topic"
MIN_QUESTION_WORDS = 4
MIN_KEYS = 2
_STEM = 5

_GENERIC = frozenset(["администрация", "администратор", "вопрос", "здравствуйте", "здравствовать", "пожалуйста", "добрый", "день", "спасибо", "подсказать", "сказать", "ответить", "мочь", "быть", "знать", "хотеть", "город", "житель", "глава", "год", "раз", "просьба", "помочь", "сделать", "человек", "это", "весь", "который", "такой", "свой", "наш", "ваш", "очень", "просить", "писать", "написать", "обращаться", "обратиться", "обращение", "жалоба", "сообщение", "ответ", "делать", "стать", "иметь", "нужно", "надо", "можно", "мой", "вы", "мы", "они", "уважаемый", "уважать", "сколько", "долго", "когда", "почему", "где", "куда", "что", "как", "кто", "какой", "сегодня", "время", "вообще", "опять", "снова", "нормальный", "нормально", "месяц", "неделя", "сих", "пора", "прошлый", "каждый", "самый", "хороший", "большой", "новый", "ждать", "решить", "решать", "получить", "давать", "дать", "идти", "пойти", "возможно", "возможность", "район", "поселение", "станица", "село", "хутор", "посёлок", "поселок", "муниципальный", "глава", "администрации", "мэр", "депутат", "чиновник", "власть", "служба", "благодарить", "спасибо", "ли", "есть", "нет", "никто", "ничто", "дело"])
_PLACE_HEADS = frozenset({"ул", "улица", "переулок", "пер", "проспект", "пр", "площадь",
                          "шоссе", "бульвар", "проезд", "мкр", "микрорайон", "дом", "д"})
_KEY_POS = frozenset({"NOUN", "VERB", "INFN", "ADJF", "ADJS", "PRTF", "PRTS", "NUMB"})
_DIGITS_RE = re.compile(r"\d+")
_ANSWERS_DIRECTLY_RE = re.compile(
    r"(?:^|[.!?]\s+)(?:Да|Нет)\b|\b(?:уточните|напишите,?\s+пожалуйста|сообщите,?\s+пожалуйста)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _synonyms() -> dict[str, frozenset[str]]:
    text = resources.files(__package__).joinpath("data", "synonyms.txt").read_text("utf-8")
    groups: dict[str, set[str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        words = line.split()
        for w in words:
            groups.setdefault(w, set()).update(words)
    return {k: frozenset(v) for k, v in groups.items()}


def _stem(lemma: str) -> str | None:
    return lemma[:_STEM] if len(lemma) >= 6 else None


class _Keys:
    def __init__(self) -> None:
        self.place: set[str] = set()
        self.object: set[str] = set()
        self.other: set[str] = set()


def _question_keys(q: Doc) -> _Keys:
    keys = _Keys()
    starts = {q.toks[s.first].start for s in q.sents if s.first < len(q.toks)}
    prev: Tok | None = None
    for tok in q.toks:
        if tok.prose and (m := _DIGITS_RE.fullmatch(tok.text) or _DIGITS_RE.match(tok.text)):
            if len(m.group(0)) <= 4:
                keys.place.add(m.group(0))
        elif tok.is_word and tok.lemma not in _GENERIC and tok.pos in _KEY_POS and len(tok.lemma) > 2:
            if (tok.text[0].isupper() and tok.start not in starts) or (
                    prev is not None and prev.lower in _PLACE_HEADS and tok.pos != "NOUN"):
                keys.place.add(tok.lemma)
            elif tok.pos == "NOUN":
                keys.object.add(tok.lemma)
            else:
                keys.other.add(tok.lemma)
        if tok.is_word or tok.text.isdigit():
            prev = tok
    return keys


def _answer_index(a: Doc) -> tuple[set[str], set[str], set[str]]:
    lemmas: set[str] = set()
    stems: set[str] = set()
    numbers: set[str] = set()
    for tok in a.toks:
        if tok.is_word:
            lemmas.add(tok.lemma)
            lemmas.add(tok.lower)
            for s in (_stem(tok.lemma), _stem(tok.lower)):
                if s:
                    stems.add(s)
        for n in _DIGITS_RE.findall(tok.text):
            numbers.add(n)
    syn = _synonyms()
    for lemma in list(lemmas):
        lemmas.update(syn.get(lemma, ()))
    return lemmas, stems, numbers


def _found(key: str, lemmas: set[str], stems: set[str], numbers: set[str]) -> bool:
    if key.isdigit():
        return key in numbers
    if key in lemmas or any(s in lemmas for s in _synonyms().get(key, ())):
        return True
    stem = _stem(key)
    return stem is not None and stem in stems


def check(doc: Doc, *, question: str) -> list[Finding]:
    if not question.strip():
        return []
    q = Doc(question)
    if q.word_count() < MIN_QUESTION_WORDS:
        return []
    keys = _question_keys(q)
    total = len(keys.place) + len(keys.object) + len(keys.other)
    if total < MIN_KEYS:
        return []
    lemmas, stems, numbers = _answer_index(doc)

    def hits(group: set[str]) -> int:
        return sum(_found(k, lemmas, stems, numbers) for k in group)

    place, obj, other = hits(keys.place), hits(keys.object), hits(keys.other)
    stripped = doc.text.strip()
    start = doc.text.find(stripped[:1]) if stripped else 0
    end = start + len(stripped)
    if place + obj + other == 0:
        # A plain «Да»/«Нет» to a yes-no question, or a question back to the author («уточните
        # адрес»), answers without repeating the words: worth a look, not a return.
        severity = WARNING if _ANSWERS_DIRECTLY_RE.search(doc.text) or "?" in doc.text else ERROR
        return [Finding(
            CODE, severity, start, end,
            "Ответ не касается вопроса автора: в нём нет ни места, ни предмета, ни проблемы, о "
            "которых спрашивали. Ответьте по существу.",
            None,
        )]
    missing = []
    if keys.place and place == 0:
        missing.append("место (улицу, дом)")
    if keys.object and obj == 0:
        missing.append("предмет вопроса")
    if missing:
        return [Finding(
            CODE, WARNING, start, end,
            f"В ответе не названо {' и '.join(missing)}, о которых спрашивал автор: проверьте, что "
            "ответ именно на его вопрос.",
            None,
        )]
    return []
