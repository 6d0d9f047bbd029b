"""What a citizen's message asks for, by question words and grammar.

A message may ask for several things at once; each intent names the kind of content an answer
must carry:

* ``when`` — «когда», «во сколько», «какие сроки», «сколько ждать»: a time, a date or a period;
* ``why`` — «почему», «зачем», «отчего», «с какой стати»: a reason, a legal basis or what is
  being done about it;
* ``price`` — «сколько стоит», «какая цена», «почему так дорого», «подорожал»: an amount or a reason;
* ``documents`` — «какие документы нужны», «что принести»: the documents themselves;
* ``action`` — a request («уберите», «почините», «просим заменить», «покрасить бы») or a
  complaint without any question: what the administration did, will do or cannot do.

A yes/no question («можно ли …», «будет ли …», «это нормально?») or «кто …?» asks for no
particular kind of content and gives no intent; neither does a thank-you.
"""

from __future__ import annotations

import re

from ._doc import Doc, tag

WHEN = "when"
WHY = "why"
PRICE = "price"
DOCUMENTS = "documents"
ACTION = "action"

_WHEN_RE = re.compile(
    r"\b(?:когда|во\s+сколько|какого\s+числа|в\s+какие\s+сроки|в\s+какой\s+срок|какие\s+сроки|"
    r"сроки\s+какие|до\s+какого|до\s+каких\s+пор|сколько\s+(?:ещё\s+|еще\s+)?ждать|"
    r"как\s+долго)\b",
    re.IGNORECASE,
)
_WHY_RE = re.compile(
    r"\b(?:почему|зачем|отчего|с\s+какой\s+стати|по\s+какой\s+причине|на\s+каком\s+основании|"
    r"за\s+что\s+(?:мы\s+)?плат\w*)\b",
    re.IGNORECASE,
)
_PRICE_RE = re.compile(
    r"\b(?:сколько\s+(?:\w+\s+)?(?:стои\w*|стоя\w*|плат\w*|заплат\w*|обойд\w*)|почём|почем|"
    r"как\w*\s+(?:цена|стоимость|тариф)|(?:цена|стоимость|тариф)\s+как\w*|"
    r"дорог(?:о|ой|ая|ое|ие|ую|их|ими|овато|ущ\w*)|подорож\w*|подня\w*\s+(?:тариф|цен)\w*|(?:тариф|цен)\w*\s+(?:\w+\s+)?подня\w*)\b",
    re.IGNORECASE,
)
_DOCUMENTS_RE = re.compile(
    r"\b(?:как\w*\s+(?:нужны\s+|нужно\s+|необходимы\s+|надо\s+)?(?:документ|справк|бумаг)\w*|"
    r"(?:что|чего)\s+(?:нужно|надо|необходимо)\s+(?:принести|взять|собрать|предоставить|"
    r"представить|подготовить)|с\s+какими\s+документами|перечень\s+документов)",
    re.IGNORECASE,
)
_THANKS = frozenset({"спасибо", "благодарить", "благодарность", "благодарный", "молодец"})
# Imperatives that only open a question («Подскажите, …», «Скажите, …»), not a request.
_QUESTION_OPENERS = frozenset({"подсказать", "сказать", "объяснить", "ответить", "уточнить",
                               "извинить", "простить", "разъяснить", "прояснить", "смотреть",
                               "посмотреть", "ждать", "представить"})
# «просим заменить», «надо подсыпать», «покрасить бы»: a request without an imperative.
_REQUEST_RE = re.compile(
    r"\b(?:прошу|просим|просьба|требуем|требую|надо|нужно|необходимо|пора)\s+(?:\w+\s+){0,2}?"
    r"\w+(?:ть|ти|чь)(?:ся)?\b|\b\w+(?:ть|ти|чь)\s+бы\b|\bбы\s+\w+(?:ть|ти|чь)\b",
    re.IGNORECASE,
)
# «Сколько можно?!», «Это 21 век???»: a question that only voices the complaint.
_RHETORICAL_RE = re.compile(r"\bсколько\s+можно\b", re.IGNORECASE)


def _is_request(q: Doc) -> bool:
    for tok in q.toks:
        if tok.is_word and tok.pos == "VERB" and "impr" in tag(tok.text) \
                and tok.lemma not in _QUESTION_OPENERS:
            return True
    return bool(_REQUEST_RE.search(q.text))


def _opens_a_question(q: Doc, first: int) -> bool:
    """«Подскажите часы работы МФЦ»: a sentence opened by «подскажите», «скажите», «уточните» asks,
    with or without a question mark."""
    word = next((t for t in q.toks[first:] if t.is_word), None)
    return word is not None and word.lemma in _QUESTION_OPENERS and "impr" in tag(word.text)


def intents(q: Doc) -> frozenset[str]:
    """The kinds of content the message asks for (empty: no particular kind)."""
    text = q.text
    found: set[str] = set()
    asked = " ".join(s.text for s in q.sents if "?" in s.text)
    if _WHEN_RE.search(asked):
        found.add(WHEN)
    if _WHY_RE.search(text):
        found.add(WHY)
    if _PRICE_RE.search(text):
        found.add(PRICE)
    if _DOCUMENTS_RE.search(text):
        found.add(DOCUMENTS)
    thanks = any(t.lemma in _THANKS for t in q.toks if t.is_word)
    question = any(("?" in s.text or _opens_a_question(q, s.first)) and not _RHETORICAL_RE.search(s.text)
                   for s in q.sents)
    if _is_request(q) or (not question and not thanks and not found):
        found.add(ACTION)
    return frozenset(found)


def is_thanks(q: Doc) -> bool:
    """A thank-you that asks nothing: any kind answer answers it."""
    return any(t.lemma in _THANKS for t in q.toks if t.is_word) and not any(
        "?" in s.text for s in q.sents) and not _is_request(q)
