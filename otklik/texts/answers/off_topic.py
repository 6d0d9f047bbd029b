"""``off_topic``: the answer does not speak of what the author asked about.

Three things of the question are compared with the answer:

* the **topic** — both texts are mapped to coarse topics (roads, lighting, waste, water, …) by
  lemma lists (``data/topics.txt``);
* the **key words** — nouns, verbs and adjectives of the question without generic words; the
  answer mentions one by the same lemma, the same first five letters for long words (cognates:
  «ремонт» / «отремонтировать») or a synonym from a small list (``data/synonyms.txt``);
* the **place** — a street, a house number or a settlement the question names («на Красной, 15»,
  «по Ленина», «в хуторе Нагорном»).

An error only when the answer shares nothing substantive with the question: no key word and no
common topic while it has a topic of its own that differs (garbage to a pothole question) or no
topic content at all («Ваше обращение принято»). Warnings: the question names a place and the
answer names none (or another street) while sharing at most one object with the question.

Then what the question asks for (``question_intent``: when, why, price, documents, a request or
complaint) is looked up in the answer (``answer_content``): a time, a reason or legal basis, an
amount, the documents, an action done, promised or refused. When the answer carries none of it:
an error if every sentence is filler (courtesy, a pointer to the site, a reminder, a legal
formula, contacts), otherwise a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from typing import Any, TypeVar

from otklik.texts import morph

from . import answer_content, off_topic_model, question_intent
from ._doc import Doc, Tok, all_tags, norm, tag
from .findings import ERROR, WARNING, Finding

CODE = "off_topic"
MIN_QUESTION_WORDS = 4
_STEM = 5

_GENERIC = frozenset(["администрация", "администратор", "вопрос", "здравствуйте", "здравствовать", "пожалуйста", "добрый", "день", "спасибо", "подсказать", "сказать", "ответить", "мочь", "быть", "знать", "хотеть", "город", "житель", "глава", "год", "раз", "просьба", "помочь", "сделать", "человек", "это", "весь", "который", "такой", "свой", "наш", "ваш", "очень", "просить", "писать", "написать", "обращаться", "обратиться", "обращение", "жалоба", "сообщение", "ответ", "делать", "стать", "иметь", "нужно", "надо", "можно", "мой", "вы", "мы", "они", "уважаемый", "уважать", "сколько", "долго", "когда", "почему", "где", "куда", "что", "как", "кто", "какой", "сегодня", "время", "вообще", "опять", "снова", "нормальный", "нормально", "месяц", "неделя", "сих", "пора", "прошлый", "каждый", "самый", "хороший", "большой", "новый", "ждать", "решить", "решать", "получить", "давать", "дать", "идти", "пойти", "возможно", "возможность", "район", "поселение", "станица", "село", "хутор", "посёлок", "поселок", "муниципальный", "администрации", "мэр", "депутат", "чиновник", "власть", "служба", "благодарить", "ли", "есть", "нет", "никто", "ничто", "дело", "улица", "дом", "уже", "ещё", "третий", "второй", "первый", "последний", "стоять", "безобразие", "стыдно", "позор", "утро", "вечер", "ночь", "лето", "зима", "весна", "осень"])
_STREET_HEADS = frozenset({"ул", "улица", "переулок", "пер", "проспект", "пр-т", "площадь", "пл",
                           "шоссе", "бульвар", "мкр", "микрорайон", "тупик", "квартал"})
_SETTLEMENT_HEADS = frozenset({"х", "хутор", "ст", "станица", "пос", "посёлок", "поселок",
                               "село", "деревня", "г", "город"})
_HOUSE_WORDS = frozenset({"дом", "д", "домовладение"})
# Prepositions before a street or settlement name: «на Красной», «по Ленина», «в Динской».
_PLACE_PREPS = frozenset({"на", "по", "в", "во", "с", "со", "у", "возле", "около", "до", "от",
                          "из", "к", "напротив", "вдоль", "между"})
_KEY_POS = frozenset({"NOUN", "VERB", "INFN", "ADJF", "ADJS", "PRTF", "PRTS"})
_HOUSE_NUMBER_RE = re.compile(r"\d{1,4}[а-яё]?", re.IGNORECASE)
_ANSWERS_DIRECTLY_RE = re.compile(
    r"(?:^|[.!?]\s+)(?:Да|Нет)\b|\b(?:уточните|напишите,?\s+пожалуйста|сообщите,?\s+пожалуйста)\b",
    re.IGNORECASE,
)
# Words of courtesy and of a reply that promises nothing: a sentence made only of them
# («Спасибо за обращение, оно принято и будет рассмотрено») says nothing about the question.
_FORMULA = frozenset(["здравствуйте", "здравствовать", "привет", "добрый", "день", "вечер", "утро", "уважаемый", "спасибо", "благодарить", "благодарный", "благодарность", "обращение", "вопрос", "сигнал", "отзыв", "сообщение", "мнение", "предложение", "принять", "принятый", "рассмотреть", "рассматривать", "рассматриваться", "рассмотрение", "учесть", "учитывать", "контроль", "находиться", "постоянный", "обязательно", "всегда", "рад", "радый", "радовать", "обратный", "связь", "житель", "поселение", "администрация", "станица", "активный", "гражданский", "позиция", "участие", "внимание", "интерес", "проявленный", "проявить", "жизнь", "следить", "новость", "группа", "подписываться", "пропустить", "информация", "работа", "проводить", "вестись", "улучшение", "качество", "обслуживание", "гражданин", "данный", "настоящий", "время", "наш", "ваш", "весь", "это", "который", "свой", "быть", "являться", "оставаться", "неравнодушие", "неравнодушный", "забота", "ценить", "важный", "ответ", "дальнейший", "стараться", "мочь", "вообще"])
# «Следите за новостями», «информация размещена на сайте»: a pointer instead of an answer.
_DEFLECTION_RE = re.compile(
    r"\b(?:следите|следить|подписывайтесь|смотрите)\b|\b(?:информаци\w*|сведени\w*)\b"
    r"[^.!?:\d]" + answer_content.GAP + r"\b(?:размещ\w*|опубликова\w*|доступн\w*|публику\w*)\b",
    re.IGNORECASE,
)
# The answer speaks of the matter by a pronoun and gives a reason or a plan («думаем над этим,
# но денег в бюджете нет»): not empty, even with no word of the question.
_SUBSTANCE = frozenset(["бюджет", "деньги", "денежный", "средство", "финансирование", "подрядчик", "смета", "программа", "заявка", "контракт", "торги", "план", "планировать", "проект"])


_EMPTY_FILLERS = frozenset({answer_content.COURTESY, answer_content.POINTER,
                            answer_content.REMINDER})


def _data(name: str) -> str:
    return resources.files(__package__).joinpath("data", name).read_text("utf-8")


@lru_cache(maxsize=100_000)
def normal_forms(word: str) -> frozenset[str]:
    """Normal forms of every parse of a word: «ямы» is «ям» by the likeliest parse, «яма» too."""
    return frozenset(norm(p.normal_form) for p in morph.analyzer().parse(word))


@lru_cache(maxsize=1)
def _synonyms() -> dict[str, frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for line in _data("synonyms.txt").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        words = line.split()
        forms = set(words) | {morph.lemma(w) for w in words}
        for w in forms:
            groups.setdefault(w, set()).update(forms)
    return {k: frozenset(v) for k, v in groups.items()}


@lru_cache(maxsize=1)
def _topic_words() -> dict[str, frozenset[str]]:
    """Word (in its dictionary form) → the topics it belongs to."""
    index: dict[str, set[str]] = {}
    for line in _data("topics.txt").splitlines():
        if not line.strip() or line.startswith("#") or ":" not in line:
            continue
        name, words = line.split(":", 1)
        for w in words.split():
            index.setdefault(norm(w), set()).add(name.strip())
    return {k: frozenset(v) for k, v in index.items()}


def topics(doc: Doc) -> frozenset[str]:
    """The coarse topics a text speaks of."""
    index = _topic_words()
    found: set[str] = set()
    for tok in doc.toks:
        if tok.is_word and tok.prose:
            found.update(index.get(tok.lower, ()))
            for form in normal_forms(tok.text):
                found.update(index.get(form, ()))
    return frozenset(found)


@lru_cache(maxsize=50_000)
def _compound_head(lemma: str) -> str | None:
    """The first noun of a compound joined by «о»/«е» («газопровод» → «газ», «водоснабжение» →
    «вода», «теплотрасса» → «тепло»), when the rest is a word of four letters or more too."""
    for i in range(3, len(lemma) - 4):
        if lemma[i] not in "оеё" or not morph.is_known(lemma[i + 1:]):
            continue
        for head in (lemma[:i], lemma[:i] + "а", lemma[:i + 1]):
            if morph.is_known(head) and morph.pos(head) == "NOUN" and morph.lemma(head) == head:
                return head
    return None


def _stem(lemma: str) -> str | None:
    return lemma[:_STEM] if len(lemma) >= 6 else None


class Places:
    """Streets, settlements and house numbers a text names, as lemmas."""

    __slots__ = ("numbers", "settlements", "streets", "tok_ids")

    def __init__(self) -> None:
        self.streets: set[str] = set()
        self.settlements: set[str] = set()
        self.numbers: set[str] = set()
        self.tok_ids: set[int] = set()

    def __bool__(self) -> bool:
        return bool(self.streets or self.settlements)


def _prev_word(doc: Doc, i: int) -> int | None:
    """Index of the word before token i, skipping the full stop of an abbreviation («ул.»)."""
    k = i - 1
    if k >= 0 and doc.toks[k].text == ".":
        k -= 1
    return k if k >= 0 and doc.toks[k].is_word else None


def _next_word(doc: Doc, i: int) -> Tok | None:
    k = i + 1
    return doc.toks[k] if k < len(doc.toks) and doc.toks[k].is_word else None


def _name_like(tok: Tok, prep: str | None, nxt: Tok | None) -> str | None:
    """'street' or 'settlement' when a capitalised word looks like a place name."""
    tags = all_tags(tok.text)
    if (nxt is not None and nxt.lower not in _STREET_HEADS | _SETTLEMENT_HEADS
            and tags and tags[0].POS in ("ADJF", "PRTF")
            and (nxt.pos in ("NOUN", "ADJF") or nxt.text.isupper())):
        return None  # «с Федеральным законом», «Динской ЦРБ»: an adjective of a name

    street_like = any("Surn" in t for t in tags) or any(t.POS == "ADJF" for t in tags)
    if prep in ("на", "по") and tags and tags[0].POS == "NOUN" and "gent" in tags[0]:
        street_like = True  # «на Мира»: a street named in the genitive
    if street_like and prep in ("на", "по"):
        return "street"  # «на Красной»: streets take «на», settlements «в»
    if any("Geox" in t for t in tags):
        return "settlement"
    if prep in _SETTLEMENT_PREPS and not street_like and not _known(tok.text):
        return "settlement"  # «в Жанатале», «из Яманкуля»: a name the dictionary does not know
    return "street" if street_like else None


_SETTLEMENT_PREPS = frozenset({"в", "во", "из", "до", "под", "за"})


@lru_cache(maxsize=100_000)
def _known(word: str) -> bool:
    return bool(morph.analyzer().word_is_known(word.lower()))


def places(doc: Doc) -> Places:
    found = Places()
    toks = doc.toks
    for i, tok in enumerate(toks):
        if not tok.is_word or not tok.prose:
            continue
        p = _prev_word(doc, i)
        prev = toks[p].lower if p is not None else None
        if p is not None and toks[p].lemma in _SETTLEMENT_HEADS | _STREET_HEADS:
            prev = toks[p].lemma  # «в чате хутора Нагорного»
        capital = tok.text[0].isupper() and not (len(tok.text) > 1 and tok.text.isupper())
        kind: str | None = None
        if prev in _STREET_HEADS and (capital or tok.pos in ("ADJF", "NOUN")):
            kind = "street"
        elif prev in _SETTLEMENT_HEADS and capital:
            kind = "settlement"
        elif capital and ((i not in doc.starts and prev in _PLACE_PREPS)
                          or _HOUSE_NUMBER_RE.fullmatch(toks[i + 1].text if i + 1 < len(toks)
                                                        else "")):
            kind = _name_like(tok, prev, _next_word(doc, i))
        elif prev in ("на", "по") and tok.pos == "ADJF" and "femn" in all_tags(tok.text)[0]:
            nxt = _next_word(doc, i)
            if nxt is None or nxt.pos not in ("NOUN", "ADJF", "PRTF"):
                kind = "street"  # «на кубанской положат»: the street without «улица»
        if kind is None:
            continue
        (found.streets if kind == "street" else found.settlements).add(tok.lemma)
        found.tok_ids.add(i)
        # «Красной, 15», «Пушкина 9»: the house number follows the street.
        k = i + 1
        if k < len(toks) and toks[k].text == ",":
            k += 1
        if kind == "street" and k < len(toks) and _HOUSE_NUMBER_RE.fullmatch(toks[k].text):
            found.numbers.add(norm(toks[k].text))
            found.tok_ids.add(k)
    for i, tok in enumerate(toks):
        if tok.lower in _HOUSE_WORDS:
            k = i + 1
            if k < len(toks) and toks[k].text == ".":
                k += 1
            if k < len(toks) and _HOUSE_NUMBER_RE.fullmatch(toks[k].text):
                found.numbers.add(norm(toks[k].text))  # «дом 9», «д. 9»
        elif _HOUSE_NUMBER_RE.fullmatch(tok.text) and i + 1 < len(toks) and \
                toks[i + 1].lemma == "дом":
            found.numbers.add(norm(tok.text))  # «возле 22 дома»
    return found


class _Index:
    """What the answer says, for looking up the question's words."""

    def __init__(self, a: Doc | None) -> None:
        self._fill(a.toks if a is not None else [])

    @classmethod
    def of_tokens(cls, toks: list[Tok]) -> _Index:
        index = cls(None)
        index._fill(toks)
        return index

    def _fill(self, toks: list[Tok]) -> None:
        self.lemmas: set[str] = set()
        self.stems: set[str] = set()
        self.numbers: set[str] = set()
        for tok in toks:
            if tok.is_word:
                self.lemmas.add(tok.lemma)
                self.lemmas.add(tok.lower)
                if (head := _compound_head(tok.lemma)) is not None:
                    self.lemmas.add(head)  # «газопровод» names the «газ» asked about
                for s in (_stem(tok.lemma), _stem(tok.lower)):
                    if s:
                        self.stems.add(s)
            elif _HOUSE_NUMBER_RE.fullmatch(tok.text):
                self.numbers.add(norm(tok.text))
        syn = _synonyms()
        self.expanded = set(self.lemmas)
        for lemma in self.lemmas:
            self.expanded.update(syn.get(lemma, ()))

    def has(self, key: str) -> bool:
        if key in self.expanded:
            return True
        stem = _stem(key)
        return stem is not None and stem in self.stems


def _concept(key: str) -> str:
    """One name for a word and its synonyms, so that «мусор» and «отходы» count once."""
    group = _synonyms().get(key)
    return min(group) if group else key


def _is_name(tok: Tok) -> bool:
    return tok.text[:1].isupper() and any(
        "Name" in t or "Surn" in t or "Patr" in t for t in all_tags(tok.text))


def formula_sentences(doc: Doc) -> frozenset[int]:
    """Indexes of the sentences made only of courtesy, a promise to consider or a pointer to the
    news."""
    found: set[int] = set()
    for n, sent in enumerate(doc.sents):
        if _DEFLECTION_RE.search(sent.text) and not re.search(r"[\d:]", sent.text):
            found.add(n)
            continue
        if not any(tok.is_word and tok.prose and tok.pos in _KEY_POS and len(tok.lower) > 2
                   and tok.lemma not in _FORMULA and not _is_name(tok)
                   for tok in doc.toks[sent.first : sent.last]):
            found.add(n)
    return frozenset(found)


def is_formula(doc: Doc) -> bool:
    """True when every sentence is courtesy, a promise to consider, or a pointer to the news."""
    return bool(doc.sents) and len(formula_sentences(doc)) == len(doc.sents)


_T = TypeVar("_T")
# What the rules and the signals both compute of one answer, kept for the answer being checked
# only (the rules, the signals and the «demand» check each needed it: three times the work).
_MEMO: dict[str, Any] = {}
_MEMO_DOC: list[Doc | None] = [None]


def _cached(doc: Doc, key: str, make: Callable[[], _T]) -> _T:
    if _MEMO_DOC[0] is not doc:
        _MEMO.clear()
        _MEMO_DOC[0] = doc
    if key not in _MEMO:
        _MEMO[key] = make()
    value: _T = _MEMO[key]
    return value


def _parts(doc: Doc, formula: frozenset[int]) -> list[answer_content.SentenceContent]:
    return _cached(doc, f"parts{sorted(formula)}",
                   lambda: answer_content.analyse(doc, formula=formula))


def _span(doc: Doc) -> tuple[int, int]:
    stripped = doc.text.strip()
    start = doc.text.find(stripped[:1]) if stripped else 0
    return start, start + len(stripped)


class _Question:
    """What the checks need of a question, computed once per question text."""

    __slots__ = ("doc", "head", "index", "intents", "objects", "others", "places", "thanks",
                 "topics")

    def __init__(self, question: str) -> None:
        q = Doc(question)
        self.doc = q
        self.places = places(q)
        self.objects: set[str] = set()
        self.others: set[str] = set()
        for i, tok in enumerate(q.toks):
            if (not tok.is_word or i in self.places.tok_ids or tok.lemma in _GENERIC
                    or tok.pos not in _KEY_POS or len(tok.lemma) <= 2):
                continue
            (self.objects if tok.pos == "NOUN" else self.others).add(tok.lemma)
        self.topics = topics(q)
        self.intents = question_intent.intents(q)
        self.thanks = question_intent.is_thanks(q)
        self.index = _Index(q)
        # The thing asked about: the first noun of the question that is neither generic, nor a
        # place, nor a time («когда заменят окно в классе» → «окно»).
        self.head: str | None = next(
            (t.lemma for i, t in enumerate(q.toks)
             if t.is_word and t.pos == "NOUN" and i not in self.places.tok_ids
             and t.lemma in self.objects), None)


@lru_cache(maxsize=256)
def _question(question: str) -> _Question:
    return _Question(question)  # the same question is checked at every edit of its answer


def check(doc: Doc, *, question: str) -> list[Finding]:
    """The off-topic finding: the rules below give the signals and the wording; the learned model
    (``off_topic_model``, trained on the development corpora) weighs them into one probability."""
    if not question.strip():
        return []
    qa = _question(question)
    if qa.doc.word_count() < MIN_QUESTION_WORDS:
        return []
    model = off_topic_model.load()
    rule = rule_check(doc, qa)
    if model is None:
        return rule
    if rule and rule[0].severity == ERROR and NO_SUBJECT not in rule[0].message:
        # Courtesy only, a reminder or a pointer, another topic, an empty answer to «когда»: the
        # rule is sure (no false alarm of these on any development corpus but one of 42).
        return rule
    found = signals(doc, qa)
    if _answered_by_form(doc, qa, found):
        return []
    if found["when_unanchored"]:
        # The answer dates nothing that was asked about («мусор вывозят по вторникам» to «когда
        # засыплют яму?»): 37 of 43 such answers of the measured corpora are off topic.
        message = _WHEN_NO_TIME_MESSAGE if found["when_no_time"] else _WHEN_OTHER_MESSAGE
    elif model.probability(found) >= model.threshold:
        message = rule[0].message if rule else _LEARNED_MESSAGE
    else:
        return []
    start, end = _span(doc)
    return [Finding(CODE, ERROR, start, end, message, None)]


def _answered_by_form(doc: Doc, qa: _Question, found: dict[str, float]) -> bool:
    """What the grammar settles before any weighing: the documents listed for «какие документы»,
    a plain «Да»/«Нет» or a question back to the author on the same matter («уточните адрес»)."""
    if question_intent.DOCUMENTS in qa.intents and answer_content.names_documents(doc):
        return True
    if found["topic_differ"] or found["place_other"]:
        return False
    return bool(_ANSWERS_DIRECTLY_RE.search(doc.text)) or "?" in doc.text


# The rule's weakest error: no word and no topic in common. Short answers that name the thing
# otherwise («Глава принимает по понедельникам») fall here; the model decides them.
NO_SUBJECT = "в нём нет ни предмета, ни проблемы, о которых спрашивали"
_WHEN_NO_TIME_MESSAGE = ("Автор спрашивал «когда», а в ответе нет ни даты, ни срока, ни того, что "
                         "уже сделано: назовите срок или объясните, почему его пока нет.")
_WHEN_OTHER_MESSAGE = ("Автор спрашивал «когда», а срок в ответе назван для другого дела, не для "
                       "того, о котором спрашивали: назовите срок именно этого.")
_LEARNED_MESSAGE = ("Ответ не касается вопроса автора: он о другом предмете, месте или не даёт "
                    "того, о чём спрашивали. Ответьте по существу.")


def _shared_share(keys: set[str], index: _Index) -> float:
    return sum(index.has(k) for k in keys) / len(keys) if keys else 0.0


def signals(doc: Doc, qa: _Question) -> dict[str, float]:
    """What the model weighs, each in [0, 1]: how much of the question's objects the answer
    names (and how much of the answer's own nouns the question names), topics and places in
    common or apart, how much of the answer is filler or nominal press-release style, and whether
    it carries what the question asks for."""
    index = _cached(doc, "index", lambda: _Index(doc))
    a_topics = _cached(doc, "topics", lambda: topics(doc))
    a_places = _cached(doc, "places", lambda: places(doc))
    formula = _cached(doc, "formula", lambda: formula_sentences(doc))
    parts = _parts(doc, formula)
    n = max(1, len(doc.sents))
    q_places = qa.places
    place_hit = bool(q_places) and (
        any(index.has(k) for k in q_places.streets | q_places.settlements)
        or bool(q_places.numbers & index.numbers))
    other_place = bool(q_places) and not place_hit and bool(
        (q_places.streets and a_places.streets) or (q_places.settlements and a_places.settlements))
    content = [s for s, c in zip(doc.sents, parts, strict=False) if c.filler is None]
    # The first sentence with content names an object of the question: answers open with it.
    first = content[0] if content else None
    first_shared = first is not None and any(
        index_has_in(doc, first.first, first.last, qa.objects | qa.others))
    unmet = _unmet(qa.intents, parts) if qa.intents else []
    # The question's objects named where the answer says something, not in courtesy or a formula.
    said = [_Index.of_tokens(doc.toks[s.first:s.last]) for s in content]
    objects_in_content = (sum(any(i.has(k) for i in said) for k in qa.objects) / len(qa.objects)
                          if qa.objects else 0.0)
    fillers = [c.filler for c in parts if c.filler is not None]
    when_no_time, when_unanchored = _when_signals(doc, qa, parts)
    return {
        "objects_shared": _shared_share(qa.objects, index),
        "others_shared": _shared_share(qa.others, index),
        "no_objects": float(not qa.objects),
        "topic_same": float(bool(qa.topics & a_topics)),
        "topic_differ": float(bool(qa.topics and a_topics and not qa.topics & a_topics)),
        "answer_no_topic": float(not a_topics),
        "place_asked": float(bool(q_places)),
        "place_hit": float(place_hit),
        "place_other": float(other_place),
        "formula_share": len(formula) / n,
        "filler_share": len(fillers) / max(1, len(parts)),
        "reminder_or_pointer": float(any(f in (answer_content.REMINDER, answer_content.POINTER)
                                         for f in fillers)),
        "legal_filler": float(answer_content.LEGAL in fillers),
        "first_content_shared": float(first_shared),
        "intent_asked": float(bool(qa.intents)),
        "intent_unmet": float(bool(unmet)),
        "when_unmet": float(question_intent.WHEN in unmet),
        "thanks": float(qa.thanks),
        "answer_focus": _focus(doc, qa),
        "objects_in_content": objects_in_content,
        "when_asked": float(question_intent.WHEN in qa.intents),
        "head_shared": float(qa.head is not None and index.has(qa.head)),
        "abstract_share": _abstract_share(doc),
        "when_no_time": when_no_time,
        "when_unanchored": when_unanchored,
    }


# A time a «когда» can be answered with: a date, a month, a weekday, a season, a clock time, a
# term («в течение недели», «через три дня», «до конца месяца»), a schedule («по вторникам»,
# «каждый день»), a condition («как только», «после схода снега») or a refusal. Not a bare number
# («на 22 места», «по 20 человек») and not a duration («пятьдесят лет», «много лет»).
_MONTHS = r"(?:январ|феврал|март|апрел|ма[йяе]|июн|июл|август|сентябр|октябр|ноябр|декабр)"
_WEEKDAYS = (r"(?:понедельник|вторник|сред[уа]|среды|четверг|пятниц|суббот|воскресень|выходн|"
             r"будн)")
_POINT_TIME_RE = re.compile(
    r"\b\d{1,2}(?:\s*[–-]\s*\d{1,2})?\s+" + _MONTHS + r"|\b\d{1,2}\.\d{1,2}(?:\.\d{2,4})?\b|"
    r"\b\d{4}\s*(?:г\b|год)|\b(?:в|к|до|с|со|после)\s+\d{1,2}(?:[:.]\d{2}|\s+(?:час|утра|вечера|дня|ночи))|"
    r"\b(?:в|во|к|до|с|со|на|через|после|по|в\s+течение|до\s+конца|в\s+конце|в\s+начале|"
    r"в\s+середине|к\s+концу|к\s+началу)\s+(?:\w+\s+)?(?:" + _MONTHS + "|" + _WEEKDAYS +
    r"|недел|месяц|год|квартал|весн|лет[уао]\b|осен|зим|праздник|сезон|обед|вечер|утр|"
    r"\d+\s+(?:дн|недел|месяц|час|минут|сут))|"
    r"\b(?:сегодня|завтра|послезавтра|вчера|позавчера|скоро|вскоре|ближайш\w*|сейчас|уже|"
    r"весной|летом|осенью|зимой|днями|на\s+днях|как\s+только|когда|пока\s+не|не\s+раньше|"
    r"не\s+позднее|не\s+позже|срок\w*|дат[аыу]|график\w*|после|середин\w*|конц[еау]|"
    r"начал[еао]|кажд\w*|ежедневн\w*|еженедельн\w*|раз\s+в)\b|"
    r"\bне\s+(?:будет|будут|планир\w*|получится|сможем|удастся|можем)\b|\bнельзя\b|\bнет\b",
    re.IGNORECASE,
)
_CLOCK_ASKED_RE = re.compile(r"\bво\s+сколько\b|\bчас\w*\s+работ\w*|\bграфик\w*\s+работ\w*|"
                             r"\bдо\s+скольки\b", re.IGNORECASE)
_CLOCK_RE = re.compile(r"\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\s+час")
# Sentences that may carry the time asked for: not courtesy, a pointer or a reminder.
_NOT_TIMED = (answer_content.COURTESY, answer_content.POINTER, answer_content.REMINDER)


def _done(doc: Doc, first: int, last: int) -> bool:
    """A finished deed («заменили», «вывезены»): «когда?» is answered by «уже сделано»."""
    for t in doc.toks[first:last]:
        if t.is_word and t.pos in ("VERB", "PRTS"):
            grams = tag(t.text)
            if "perf" in grams and (t.pos == "PRTS" or "past" in grams):
                return True
    return False


def _when_signals(doc: Doc, qa: _Question, parts: list[answer_content.SentenceContent],
                  ) -> tuple[float, float]:
    """For a «когда» question: (no time or finished deed at all, none said of what was asked).
    The time must stand in a sentence that, with the one before it, names an object, a word or a
    place of the question: «мусор вывозят по вторникам» does not date the pothole asked about."""
    if question_intent.WHEN not in qa.intents:
        return 0.0, 0.0
    if _CLOCK_ASKED_RE.search(qa.doc.text) and _CLOCK_RE.search(doc.text):
        return 0.0, 0.0  # «Во сколько приём?» — «принимает с 14:00 до 17:00»: the hour is the answer
    keys = qa.objects | qa.others
    # Streets do not anchor: many things happen on one street («мусор на Красной вывозят по
    # вторникам» dates nothing of the pothole on Красной).
    names = _capitalised(qa.doc, but=qa.places.streets) | qa.places.settlements
    timed, anchored = False, False
    prev: int | None = None
    for sent, content in zip(doc.sents, parts, strict=False):
        if content.filler in _NOT_TIMED:
            continue
        first = prev if prev is not None else sent.first
        prev = sent.first
        if not (_POINT_TIME_RE.search(sent.text) or _done(doc, sent.first, sent.last)):
            continue
        timed = True
        # A question that names only a place («Когда дадут тепло? Мкр Солнечный») has nothing
        # else to look for.
        if not keys or any(index_has_in(doc, first, sent.last, keys)) or any(
                _name_in(doc, first, sent.last, n) for n in names):
            anchored = True
            break
    return float(not timed), float(not anchored)


def _capitalised(q: Doc, *, but: set[str]) -> set[str]:
    """Names inside the question's sentences, lower-cased («в Ярки» is read as «яркий»), except
    those whose lemma is in ``but``."""
    return {t.lower for i, t in enumerate(q.toks) if t.is_word and t.text[:1].isupper()
            and i not in q.starts and len(t.lower) > 2 and t.lemma not in but}


def _name_in(doc: Doc, first: int, last: int, name: str) -> bool:
    """A name in another case («в Ярки» / «в Ярках», «Виноградную» / «Виноградной»): a
    capitalised word sharing all of the shorter word's letters but its last two (three at least)."""
    for t in doc.toks[first:last]:
        if t.is_word and t.text[:1].isupper():
            n = max(3, min(len(name), len(t.lower)) - 2)
            if t.lower[:n] == name[:n]:
                return True
    return False


# Suffixes of verbal and abstract nouns («осуществление», «организация», «безопасность»,
# «строительство»): a press release is made of them, an answer of things and deeds.
_ABSTRACT_SUFFIXES = ("ние", "тие", "ция", "ость", "ство", "изм")


def _abstract_share(doc: Doc) -> float:
    nouns = [t for t in doc.toks if t.is_word and t.pos == "NOUN" and len(t.lemma) > 3]
    if not nouns:
        return 0.0
    return sum(t.lemma.endswith(_ABSTRACT_SUFFIXES) for t in nouns) / len(nouns)


def _focus(doc: Doc, qa: _Question) -> float:
    """The share of the answer's own nouns that the question names too: an answer about another
    thing brings nouns of its own («стоимость проезда» to a complaint about the timetable)."""
    nouns = {t.lemma for t in doc.toks
             if t.is_word and t.prose and t.pos == "NOUN" and t.lemma not in _GENERIC
             and len(t.lemma) > 2 and not _is_name(t) and t.lemma not in _FORMULA}
    if not nouns:
        return 0.0
    return sum(qa.index.has(n) for n in nouns) / len(nouns)


def index_has_in(doc: Doc, first: int, last: int, keys: set[str]) -> list[bool]:
    """For each key, whether tokens [first, last) of the answer name it."""
    sub = _Index.of_tokens(doc.toks[first:last])
    return [sub.has(k) for k in keys]


def rule_check(doc: Doc, qa: _Question) -> list[Finding]:
    """The rule layer: an error or a warning with its reason, or nothing."""
    q_places, objects, others, q_topics = qa.places, qa.objects, qa.others, qa.topics
    if not (objects or others or q_topics):
        return []
    index = _cached(doc, "index", lambda: _Index(doc))
    shared_objects = {_concept(k) for k in objects if index.has(k)}
    shared = shared_objects | {_concept(k) for k in others if index.has(k)}
    a_topics = _cached(doc, "topics", lambda: topics(doc))
    start, end = _span(doc)
    a_places = _cached(doc, "places", lambda: places(doc))
    place_hit = bool(q_places) and (
        any(index.has(k) for k in q_places.streets | q_places.settlements)
        or bool(q_places.numbers & index.numbers))

    formula = _cached(doc, "formula", lambda: formula_sentences(doc))
    if doc.sents and len(formula) == len(doc.sents):
        return [Finding(CODE, ERROR, start, end,
                        "Ответ состоит из общих слов (спасибо, обращение принято, следите за "
                        "новостями) и не отвечает на вопрос автора. Ответьте по существу.", None)]

    parts = _parts(doc, formula)
    if parts and all(c.filler in _EMPTY_FILLERS for c in parts) and any(
            c.filler in (answer_content.REMINDER, answer_content.POINTER) for c in parts):
        # «Напоминаем, что показания счётчиков …» to a complaint: a reminder is not an answer.
        return [Finding(CODE, ERROR, start, end,
                        "Ответ — напоминание или ссылка, а не ответ на вопрос автора. Ответьте "
                        "по существу.", None)]

    if not shared_objects and q_topics and a_topics and not q_topics & a_topics:
        # Only a verb in common («отремонтируйте ворота» / «заменили качели»): another matter.
        shared = set()
    if not shared and not (q_topics & a_topics):
        differ = bool(q_topics and a_topics)
        if differ and question_intent.DOCUMENTS in qa.intents \
                and answer_content.names_documents(doc):
            differ = False  # «какие документы нужны для пособия?» — «паспорт, справка …»
        substance = any(t.lemma in _SUBSTANCE for t in doc.toks)
        if differ or not (a_topics or place_hit or substance):
            # A plain «Да»/«Нет» or a question back to the author («уточните адрес») answers
            # without repeating the words: worth a look, not a return.
            direct = not differ and (bool(_ANSWERS_DIRECTLY_RE.search(doc.text)) or "?" in doc.text)
            why = "он о другом" if differ else NO_SUBJECT
            return [Finding(CODE, WARNING if direct else ERROR, start, end,
                            f"Ответ не касается вопроса автора: {why}. Ответьте по существу.",
                            None)]
        return []

    demand_finding = _demand(doc, qa.intents, formula)
    if demand_finding is not None and demand_finding.severity == ERROR:
        return [demand_finding]

    if q_places:
        other_street = bool(q_places.streets and a_places.streets)
        # An answer on the same topic that tells what is done and when («тепло пошло в 6 утра»)
        # need not repeat a street or a district; a house address («Красной, 15») names one
        # object and should be confirmed.
        answered = not q_places.numbers and demand_finding is None and bool(qa.intents) \
            and bool(q_topics & a_topics) and _states_deed_and_time(doc, parts)
        if not place_hit and (other_street or (not a_places and len(shared_objects) <= 1
                                               and not answered)):
            return [Finding(
                CODE, WARNING, start, end,
                "В ответе не названо место (улица, дом), о котором спрашивал автор: проверьте, "
                "что ответ именно на его вопрос.",
                None,
            )]

    if demand_finding is not None:
        return [demand_finding]
    return []


# «Будет рассмотрено при формировании плана на следующий год» promises only to consider.
_CONSIDER = answer_content.CONSIDER


def _states_deed_and_time(doc: Doc, parts: list[answer_content.SentenceContent]) -> bool:
    """Whether one sentence tells what is (being) done and when, without a promise to consider."""
    return any(
        c.action and c.time and not any(t.lemma in _CONSIDER for t in doc.toks[s.first:s.last])
        for s, c in zip(doc.sents, parts, strict=False)
    )


_DEMAND_MESSAGES = {
    question_intent.WHEN: "Автор спрашивал «когда», а в ответе нет ни срока, ни даты: назовите "
                          "срок или объясните, почему его пока нет.",
    question_intent.WHY: "Автор спрашивал «почему», а в ответе нет ни причины, ни того, что "
                         "сделано: объясните причину.",
    question_intent.PRICE: "Автор спрашивал о цене или тарифе, а в ответе нет ни суммы, ни "
                           "причины: назовите сумму или объясните, из чего она складывается.",
    question_intent.DOCUMENTS: "Автор спрашивал, какие нужны документы, а в ответе они не "
                               "перечислены: назовите документы.",
    question_intent.ACTION: "Автор просит решить проблему, а в ответе нет ни сделанного, ни "
                            "обещанного, ни причины отказа: скажите, что сделано или будет "
                            "сделано и когда.",
}
_ORDER = (question_intent.WHEN, question_intent.WHY, question_intent.PRICE,
          question_intent.DOCUMENTS, question_intent.ACTION)


def _unmet(wanted: frozenset[str], parts: list[answer_content.SentenceContent]) -> list[str]:
    """The intents of the question the answer carries nothing for, in a fixed order."""
    said = [c for c in parts if c.filler is None]
    spoken = [c for c in parts if c.filler not in (answer_content.COURTESY,
                                                   answer_content.POINTER,
                                                   answer_content.REMINDER)]
    met = {
        question_intent.WHEN: any(c.time for c in spoken),
        question_intent.WHY: any(c.reason or c.basis for c in spoken)
        or any(c.action or c.amount for c in said),
        question_intent.PRICE: any(c.amount or c.reason or c.basis for c in spoken),
        question_intent.DOCUMENTS: any(c.documents for c in said),
        # «Урна стоит с понедельника», «вывоз по вторникам»: a time of the matter answers too.
        question_intent.ACTION: any(c.action or c.reason or c.time for c in said),
    }
    return [i for i in _ORDER if i in wanted and not met[i]]


def _demand(doc: Doc, wanted: frozenset[str], formula: frozenset[int]) -> Finding | None:
    """A finding when the answer carries none of the content the question asks for: an error when
    every sentence is courtesy, a pointer, a reminder, a legal formula or contacts."""
    if not wanted:
        return None
    parts = _parts(doc, formula)
    unmet = _unmet(wanted, parts)
    if not unmet:
        return None
    start, end = _span(doc)
    empty = all(c.filler is not None for c in parts)
    message = _DEMAND_MESSAGES[unmet[0]]
    if empty:
        message = ("Ответ состоит из общих слов, ссылок на акты, контактов или напоминаний и не "
                   "отвечает на вопрос автора. " + message)
    return Finding(CODE, ERROR if empty else WARNING, start, end, message, None)
