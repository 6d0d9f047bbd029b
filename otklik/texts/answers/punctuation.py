"""``punctuation``: errors a careful reader sees at once.

Spacing around marks, doubled marks, unbalanced quotes and brackets, a sentence starting with a
small letter, the comma after a greeting or address, before «что», «чтобы», «который», «но»,
«а» between clauses and around common parenthetical words. Every rule is written for precision:
where Russian usage allows both ways («а также», «однако» at the start, «например» inside a
sentence), the check stays silent.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from functools import lru_cache

from pymorphy3.tagset import OpencorporaTag

from otklik.texts import morph

from ._doc import Doc, Sent, Tok, all_tags, tag
from .findings import ERROR, WARNING, Finding

CODE = "punctuation"

_SPACE_BEFORE_RE = re.compile(r"(?<=[^\W_])[ \t]+([,;:!?]|\.(?!\.))(?![\d\w])")
_NO_SPACE_AFTER_RE = re.compile(
    r"(?P<mark>[,;!?])(?=[А-Яа-яЁёA-Za-z])|(?P<colon>:)(?=[А-Яа-яЁё])"
    r"|(?<![\s.А-ЯЁA-Z][А-ЯЁA-Z])(?<!^[А-ЯЁA-Z])(?P<dot>\.)(?=[А-ЯЁ][а-яё])"
    # «за сигнал.12 июля»: a word of four letters or more is no abbreviation («д.5», «ст.39»)
    r"|(?<=[а-яё]{4})(?P<dotnum>\.)(?=\d)"
)
_DOUBLE_SPACE_RE = re.compile(r"(?<=\S) {2,}(?=\S)")
_DOUBLE_MARK_RE = re.compile(r",{2,}|;{2,}|!{2,}|\?{2,}|:{2,}|(?<!\.)\.\.(?!\.)|\.{4,}")
_LIST_MARKER_RE = re.compile(r"(?:^|[\s;:])[0-9a-zа-яё]{1,2}\)\Z", re.IGNORECASE)

_GREETING = r"(?:Здравствуйте|Добрый\s+(?:день|вечер)|Доброе\s+утро|Доброго\s+(?:дня|времени\s+суток))"
_GREETING_NAME_RE = re.compile(r"\A(\s*)(" + _GREETING + r")[ \t]+([А-ЯЁ][а-яё]+)")
_GREETING_START_RE = re.compile(r"\s*" + _GREETING + r"\b", re.IGNORECASE)
_NAME_GREETING_RE = re.compile(
    r"\A(\s*)([А-ЯЁ][а-яё]+(?:[ \t]+[А-ЯЁ][а-яё]+)?)[ \t]+(здравствуйте|добрый\s+(?:день|вечер)|"
    r"доброе\s+утро)"
)

# «что», «чтобы» after these words need no comma: «потому что», «для того чтобы», «и что».
_NO_COMMA_BEFORE = frozenset(
    ["потому", "так", "то", "ли", "не", "ни", "чем", "тем", "лишь", "только", "именно", "кроме", "несмотря", "и", "а", "но", "или", "да", "же", "бы", "даже", "для", "того", "затем", "с", "как", "хотя", "тот", "то", "раз", "если", "когда", "почти", "вот"]
)
# Predicatives after which «что» opens a clause: «известно, что», «обратите внимание, что».
_THAT_HEADS = frozenset(
    ["внимание", "известно", "понятно", "видно", "ясно", "жаль", "важно", "уверены", "уверен", "уверена", "рады", "рад", "рада", "очевидно", "надеемся", "надеюсь", "спасибо"]
)
_PERSONAL = frozenset(["я", "ты", "он", "она", "оно", "мы", "вы", "они"])
_WHICH_FORMS = frozenset(["который", "которая", "которое", "которые", "которую", "которому", "которым"])
_WHICH_ALL = _WHICH_FORMS | frozenset(["которого", "которой", "которых", "котором", "которыми"])
_DEMONSTRATIVES = frozenset(["тот", "та", "то", "те", "того", "тех", "тому", "тем", "той"])
_CONJUNCTIONS = frozenset(["и", "а", "но", "или", "да", "что", "чтобы", "если", "как", "когда", "либо", "ни"])

# Parenthetical words: (words, allowed inside a sentence, severity at the start)
_PARENTHETICAL: list[tuple[tuple[str, ...], bool, str]] = [
    (("к", "сожалению"), True, ERROR),
    (("к", "счастью"), True, ERROR),
    (("кроме", "того"), False, ERROR),
    (("к", "тому", "же"), True, ERROR),
    (("по", "его", "словам"), False, ERROR),
    (("по", "её", "словам"), False, ERROR),
    (("по", "ее", "словам"), False, ERROR),
    (("по", "их", "словам"), False, ERROR),
    (("по", "нашим", "данным"), False, ERROR),
    (("во-первых",), True, ERROR),
    (("во-вторых",), True, ERROR),
    (("в-третьих",), True, ERROR),
    (("в-четвертых",), True, ERROR),
    (("конечно",), True, ERROR),
    (("разумеется",), True, ERROR),
    (("по-моему",), True, ERROR),
    (("кстати",), True, ERROR),
    (("пожалуйста",), True, ERROR),
    (("скорее", "всего"), True, ERROR),
    (("например",), False, ERROR),
    (("как", "правило"), False, ERROR),
    (("таким", "образом"), False, WARNING),
]


def _in_prose(doc: Doc, pos: int) -> bool:
    return doc.in_prose(pos)


def _spacing(doc: Doc) -> Iterator[Finding]:
    text = doc.text
    for m in _SPACE_BEFORE_RE.finditer(text):
        if _in_prose(doc, m.start()):
            yield Finding(CODE, ERROR, m.start(), m.end(),
                          f"Лишний пробел перед «{m.group(1)}».", m.group(1))
    for m in _NO_SPACE_AFTER_RE.finditer(text):
        if not _in_prose(doc, m.start()) or not _in_prose(doc, m.end()):
            continue
        mark = m.group(0)
        if mark == ".":
            # Two letters back tell a one-letter word from a longer one; no need to look further.
            word = re.search(r"([А-Яа-яЁёA-Za-z]+)\Z", text[max(0, m.start() - 2) : m.start()])
            # «А.С.Пушкин»: initials are left alone; «ул.Ленина» gets its space.
            if word and len(word.group(1)) == 1 and word.group(1).isupper():
                continue
        yield Finding(CODE, ERROR, m.start(), m.end(),
                      f"После «{mark}» нужен пробел.", mark + " ")
    for m in _DOUBLE_SPACE_RE.finditer(text):
        if _in_prose(doc, m.start()):
            yield Finding(CODE, WARNING, m.start(), m.end(), "Двойной пробел.", " ")
    for m in _DOUBLE_MARK_RE.finditer(text):
        if not _in_prose(doc, m.start()):
            continue
        mark = m.group(0)
        single = "..." if mark.startswith(".") and len(mark) > 3 else mark[0]
        yield Finding(CODE, ERROR, m.start(), m.end(),
                      f"Повторённый знак «{mark}»: оставьте «{single}».", single)


def _balance(doc: Doc) -> Iterator[Finding]:
    text = doc.text
    opened: list[int] = []
    # The mark first, then whether it is in prose: a 1 000-character answer has a few marks.
    for i, ch in enumerate(text):
        if ch not in "«»" or not _in_prose(doc, i):
            continue
        if ch == "«":
            opened.append(i)
        elif ch == "»":
            if opened:
                opened.pop()
            else:
                yield Finding(CODE, ERROR, i, i + 1, "Закрывающая кавычка «»» без открывающей.", None)
    for i in opened:
        yield Finding(CODE, ERROR, i, i + 1, "Кавычка «««» не закрыта: добавьте «»».", None)
    straight = [i for i, ch in enumerate(text) if ch == '"' and _in_prose(doc, i)]
    if len(straight) % 2:
        i = straight[-1]
        yield Finding(CODE, ERROR, i, i + 1,
                      "Непарная кавычка «\"»: закройте её (лучше кавычками-ёлочками «»).", None)
    brackets: list[int] = []
    for i, ch in enumerate(text):
        if ch not in "()" or not _in_prose(doc, i):
            continue
        if ch == "(":
            brackets.append(i)
        elif ch == ")":
            if brackets:
                brackets.pop()
                continue
            # The marker is at most four characters: search just those, not all the text before.
            if _LIST_MARKER_RE.search(text, max(0, i - 3), i + 1):
                continue  # «1)», «а)»: a list marker
            if text[i - 1 : i] in (":", ";", ")", "-") or text[i + 1 : i + 2] == ")":
                continue  # «:)», «)))»: a smiley
            if i > 0 and text[i - 1].isalpha() and (i + 1 == len(text) or not text[i + 1].isalnum()):
                continue  # «Спасибо)»: a smiley again
            yield Finding(CODE, WARNING, i, i + 1, "Закрывающая скобка без открывающей.", None)
    for i in brackets:
        yield Finding(CODE, ERROR, i, i + 1, "Скобка не закрыта: добавьте «)».", None)


def _capitals(doc: Doc) -> Iterator[Finding]:
    for i in sorted(doc.starts):
        first = doc.toks[i]
        if not first.prose or not re.match(r"[а-яё]", first.text):
            continue
        if i > 0 and doc.toks[i - 1].text[-1:].isdigit() and not doc.text[doc.toks[i - 1].end:first.start].strip():
            continue  # «12 июля мы …»: the sentence opens with the number
        fixed = first.text[0].upper() + first.text[1:]
        yield Finding(CODE, ERROR, first.start, first.end,
                      "Предложение начинается со строчной буквы.", fixed)


def _is_name(word: str) -> bool:
    return any(("Name" in t or "Patr" in t or "Surn" in t) for t in all_tags(word))


def _greeting_comma(doc: Doc, author_names: list[str]) -> Iterator[Finding]:
    text = doc.text
    m = _GREETING_NAME_RE.match(text)
    if m:
        greeting, word = m.group(2), m.group(3)
        if _is_name(word) or word.lower() in {n.lower() for n in author_names}:
            yield Finding(CODE, ERROR, m.start(2), m.end(3),
                          "После приветствия перед именем нужна запятая.", f"{greeting}, {word}")
        elif word.lower() not in ("уважаемый", "уважаемая", "уважаемые"):
            yield Finding(CODE, ERROR, m.start(2), m.end(3),
                          "После приветствия нужен знак препинания: «!» или «.».",
                          f"{greeting}! {word}")
        return
    m = _NAME_GREETING_RE.match(text)
    if m and all(_is_name(w) or w.lower() in {n.lower() for n in author_names}
                 for w in m.group(2).split()):
        yield Finding(CODE, ERROR, m.start(2), m.end(3),
                      "Обращение отделяется запятой.", f"{m.group(2)}, {m.group(3)}")


def _comma(doc: Doc, left: Tok, right: Tok, what: str) -> Finding:
    span = doc.text[left.end : right.end]
    return Finding(CODE, ERROR, left.end, right.end, f"Перед «{what}» нужна запятая.",
                   "," + span)


def _adjacent_word(doc: Doc, i: int) -> Tok | None:
    """The word just before token i if nothing but spaces separates them."""
    if i == 0:
        return None
    prev = doc.toks[i - 1]
    return prev if prev.is_word and prev.prose else None


# Verbs of saying and knowing whose clause «что» opens even a few words later:
# «узнали у водоканала, что …».
_SAY_KNOW = frozenset({
    "узнать", "сообщить", "сказать", "выяснить", "ответить", "пообещать", "обещать", "понять",
    "знать", "считать", "думать", "решить", "уточнить", "написать", "проверить", "увидеть",
    "подтвердить", "заверить", "гарантировать", "объяснить", "пояснить", "напомнить",
    "договориться", "условиться", "предупредить", "сообщать", "убедиться",
})


def _clause_after_that(doc: Doc, i: int) -> bool:
    """«справка от педиатра что мальчику можно заниматься»: after a noun, «что» opens a clause with
    a predicate of its own that «что» is not the subject of (the word after «что» is no verb)."""
    toks = doc.toks
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if nxt is None or not nxt.is_word or _predicate(nxt):
        return False
    _, end = _clause_around(doc, i, 1, _CLAUSE_OPENERS - {"что"})
    return _predicate_between(doc, i + 2, end)


def _indirect_question(doc: Doc) -> Iterator[Finding]:
    """«Она проверит есть ли участок» → «проверит, есть ли»: a word with «ли» after a verb of
    saying, knowing or checking opens an indirect question."""
    toks = doc.toks
    for j, t in enumerate(toks):
        if t.lower != "ли" or j < 2:
            continue
        word, verb = toks[j - 1], toks[j - 2]
        if not (word.is_word and verb.is_word) or doc.text[verb.end:word.start].strip():
            continue
        if verb.lemma in _SAY_KNOW | _ASK_CHECK and verb.pos in ("VERB", "INFN"):
            yield _comma(doc, verb, word, word.text)


_ASK_CHECK = frozenset({"проверить", "проверять", "спросить", "спрашивать", "узнать", "узнавать",
                        "выяснить", "выяснять", "посмотреть", "смотреть", "уточнить", "уточнять"})


def _said_before(doc: Doc, i: int) -> bool:
    """A verb of saying or knowing within four words before token i, no punctuation between."""
    for k in range(i - 1, max(i - 5, -1), -1):
        t = doc.toks[k]
        # a mark or another clause's word ends the search; a preposition does not («договорились
        # с элеватором что …»), though right before «что» it is the caller's to judge
        if not t.is_word or t.lower in _CONJUNCTIONS or (k == i - 1 and t.lower in _NO_COMMA_BEFORE):
            return False
        if t.lemma in _SAY_KNOW and t.pos in ("VERB", "INFN"):
            return True
    return False


def _yes_comma(doc: Doc) -> Iterator[Finding]:
    """«Да можно» → «Да, можно»: «да» opening a sentence as an answer is set off by a comma."""
    for i in doc.starts:
        tok = doc.toks[i]
        nxt = doc.toks[i + 1] if i + 1 < len(doc.toks) else None
        if tok.lower == "да" and nxt is not None and nxt.is_word and nxt.lower != "здравствует":
            yield Finding(CODE, ERROR, tok.start, tok.end,
                          "После «да» в начале ответа нужна запятая.", tok.text + ",")
        # «Нет незаконно» → «Нет, незаконно»; «Нет воды», «Нет ли …» say something else
        elif tok.lower == "нет" and nxt is not None and nxt.is_word and nxt.lower != "ли" \
                and nxt.pos not in ("NOUN", "NPRO", "ADJF", "PRTF", "NUMR", "PREP") \
                and doc.text[tok.end:nxt.start].isspace():
            yield Finding(CODE, ERROR, tok.start, tok.end,
                          "После «нет» в начале ответа нужна запятая.", tok.text + ",")


_NOT_ONLY_RE = re.compile("не только", re.IGNORECASE)


def _not_only_between(starts: list[int], start: int, end: int) -> bool:
    """Whether «не только» stands in ``doc.text[start:end]``; ``starts`` are its positions (one
    search of the text, not one of the sentence at every «но»)."""
    k = bisect_left(starts, start)
    return k < len(starts) and starts[k] + len("не только") <= end


def _number_or_close_before(doc: Doc, i: int) -> Tok | None:
    """The token right before token i when it is a number («18:00», «5») or a closing quote or
    bracket, with only spaces between."""
    if i == 0:
        return None
    prev = doc.toks[i - 1]
    if doc.text[prev.end:doc.toks[i].start].strip() or not prev.prose:
        return None
    if prev.text[-1:].isdigit() or prev.text in ("»", "\"", ")"):
        return prev
    return None


def _conjunctions(doc: Doc) -> Iterator[Finding]:
    toks = doc.toks
    not_only: list[int] | None = None
    for i, tok in enumerate(toks):
        if not tok.is_word or not tok.prose or not tok.text[0].islower():
            continue
        low = tok.lower
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        prev = _adjacent_word(doc, i)
        if prev is None:
            if low == "а" and nxt is not None and nxt.is_word and nxt.lower not in ("также", "то") \
                    and (after := _number_or_close_before(doc, i)) is not None:
                yield _comma(doc, after, tok, "а")  # «до 18:00 а пока», «ансамбль «Казачка» а …»
            elif low == "поэтому" and nxt is not None and nxt.is_word \
                    and (after := _number_or_close_before(doc, i)) is not None:
                yield _comma(doc, after, tok, "поэтому")  # «Мест 75 поэтому лучше записаться»
            elif low in _WHICH_FORMS and nxt is not None and nxt.is_word \
                    and (after := _number_or_close_before(doc, i)) is not None:
                yield _comma(doc, after, tok, tok.text)  # «светофор Т7 который мигает», «ДК «Амур» который»
            continue
        sent = doc.sent_of(i)
        if low == "что":
            if nxt is None or (not nxt.is_word and not nxt.text[:1].isdigit()) \
                    or nxt.lower in ("ли", "бы", "же", "иное", "угодно"):
                continue
            if prev.lower in _NO_COMMA_BEFORE:
                continue
            # a verb, or a short adjective, participle or predicative that governs the clause:
            # «рады, что», «уверены, что», «жаль, что», «спасибо, что»; or a clause with a subject
            # of its own after a noun: «справка от педиатра, что он здоров»
            if prev.pos in ("VERB", "INFN", "ADJS", "PRTS", "PRED") or prev.lower in _THAT_HEADS \
                    or _said_before(doc, i) or (nxt.lower in _PERSONAL and prev.pos in ("NOUN", "ADJF", "ADVB")) \
                    or (prev.pos == "NOUN" and _clause_after_that(doc, i)):
                yield _comma(doc, prev, tok, "что")
        elif low == "поэтому":
            # «районная дорога поэтому поставить …»: «поэтому» opens a clause of its own
            if prev.lower not in _NO_COMMA_BEFORE and prev.lower not in _CONJUNCTIONS and prev.pos != "PREP":
                yield _comma(doc, prev, tok, "поэтому")
        elif low == "чтобы":
            if prev.lower in _NO_COMMA_BEFORE or prev.pos in ("PREP", "CONJ", "PRCL", "NPRO"):
                continue
            if prev.pos in ("VERB", "INFN", "NOUN", "PRTS", "ADJS", "PRED", "ADVB", "ADJF"):
                yield _comma(doc, prev, tok, "чтобы")
        elif low in _WHICH_ALL:
            head: Tok | None = prev
            if prev.pos == "PREP":
                if prev.lower == "из":
                    continue  # «один из которых»: the comma goes before the quantity word
                head = _adjacent_word(doc, i - 1)
            elif low not in _WHICH_FORMS and not _which_object(doc, prev, tok, nxt):
                continue  # «жильцы которого»: genitive without a preposition is ambiguous
            if head is None:
                continue
            # an adjective or participle right before «который» stands for its noun: «в списке
            # многодетных, которые …», «семьям мобилизованных, которые …»
            if head.pos in ("NOUN", "ADJF", "PRTF") or head.lower in _DEMONSTRATIVES:
                yield _comma(doc, head, tok, tok.text)
        elif low == "кто":
            # «спасибо всем кто откликнулся», «те кто записался»: «кто» opens a clause on the pronoun
            if prev.lower in _WHO_HEADS and nxt is not None and nxt.is_word:
                yield _comma(doc, prev, tok, "кто")
        elif low == "где":
            # «хозяевам участков где трава выше колена»: a relative clause on the noun before it
            if prev.pos == "NOUN" and nxt is not None and nxt.is_word:
                _, end = _clause_around(doc, i, 1, _CLAUSE_OPENERS)
                # a predicate of its own: a verb, «есть»/«нет», a short or comparative adjective
                if _predicate_between(doc, i + 1, end) or any(
                        toks[k].is_word and (toks[k].lower in ("есть", "нет") or toks[k].pos in ("ADJS", "COMP")
                                             or toks[k].lemma == "самый")  # «где обочина самая узкая»
                        for k in range(i + 1, end)):
                    yield _comma(doc, prev, tok, "где")
        elif low == "но":
            if nxt is None or not nxt.is_word or prev.lower in _CONJUNCTIONS:
                continue
            if not_only is None:
                not_only = [m.start() for m in _NOT_ONLY_RE.finditer(doc.text)]
            if _not_only_between(not_only, sent.start, tok.start):
                # «не только по утрам, но и после снегопада»: the double conjunction's second
                # half always takes the comma; any other «но» after «не только» is left alone.
                if nxt.lower in ("и", "также"):
                    yield _comma(doc, prev, tok, "но")
                continue
            if nxt.lower in ("и", "также"):
                continue
            yield _comma(doc, prev, tok, "но")
        elif low == "однако":
            # Inside a sentence «однако» joins clauses like «но» and takes a comma before it.
            if nxt is None or not nxt.is_word or prev.lower in _CONJUNCTIONS:
                continue
            yield _comma(doc, prev, tok, "однако")
        elif low == "а":
            if nxt is None or not nxt.is_word or nxt.lower in ("также", "так", "то", "ну"):
                continue
            if len(prev.text) < 2 or prev.lower in _CONJUNCTIONS or not re.fullmatch(
                    r"[а-яё-]+", prev.lower):
                continue
            yield _comma(doc, prev, tok, "а")


# Pronouns a «кто» clause depends on: «все, кто», «каждый, кто» («тех, кто»: the demonstratives'
# rule, `_that_after_demonstrative`).
_WHO_HEADS = frozenset({"все", "всем", "всех", "всеми", "каждый", "каждому", "каждого", "любой", "любому",
                        "любого"})


def _which_object(doc: Doc, prev: Tok, tok: Tok, nxt: Tok | None) -> bool:
    """«с подростками которых видели», «детей которых забрала скорая»: a genitive or instrumental
    «который» right after a noun of its number, followed by a verb or a subject pronoun, is the
    object of its own clause — not «жильцы которого», where it belongs to the noun after it."""
    if prev.pos != "NOUN" or nxt is None or not nxt.is_word:
        return False
    if doc.text[:prev.start].rstrip().endswith(","):
        return False  # «Дома, жильцы которых писали нам, …»: the clause opens at the noun
    plural = tok.lower in ("которых", "которыми")
    if not any(tg.POS == "NOUN" and (tg.number == "plur") == plural for tg in all_tags(prev.text)):
        return False
    return nxt.pos in ("VERB", "PRTS") or (nxt.pos == "NPRO" and "nomn" in tag(nxt.text).grammemes)


# The parenthetical phrases by their first word, in the order of the list.
_PARENTHETICAL_BY_FIRST: dict[str, list[tuple[tuple[str, ...], bool, str]]] = {}
for _entry in _PARENTHETICAL:
    _PARENTHETICAL_BY_FIRST.setdefault(_entry[0][0], []).append(_entry)


def _parenthetical(doc: Doc) -> Iterator[Finding]:
    toks = doc.toks
    starts = doc.starts
    for i, tok in enumerate(toks):
        if not tok.is_word or not tok.prose:
            continue
        for words, inside, start_severity in _PARENTHETICAL_BY_FIRST.get(tok.lower, ()):
            j = i + len(words)
            if j > len(toks) or tuple(t.lower for t in toks[i:j]) != words:
                continue
            if any(not t.is_word for t in toks[i:j]):
                continue
            if j < len(toks) and toks[j].lower == "же":
                j += 1  # «конечно же»
            after = toks[j] if j < len(toks) else None
            # a word or a number goes on the sentence: «Кроме того 1 июня …» → «Кроме того, 1 июня»
            need_after = after is not None and (after.is_word or after.text[:1].isdigit())
            phrase = doc.text[tok.start : toks[j - 1].end]
            if i in starts:
                if words == ("кроме", "того") and after is not None and after.pos in ("NOUN", "ADJF") and any(
                        g.POS in ("NOUN", "ADJF") and g.case == "gent" and g.number == "sing" and g.gender != "femn"
                        for g in all_tags(after.text)):
                    continue  # «Кроме того дома …»: a preposition with its genitive, not a parenthesis
                if need_after:
                    yield Finding(CODE, start_severity, tok.start, toks[j - 1].end,
                                  f"Вводное «{phrase}» выделяется запятой.", phrase + ",")
                continue
            if not inside:
                continue
            prev = _adjacent_word(doc, i)
            need_before = prev is not None and prev.lower not in _CONJUNCTIONS
            if not (need_before or need_after):
                continue
            start = prev.end if need_before and prev is not None else tok.start
            fixed = (", " if need_before else "") + phrase + ("," if need_after else "")
            yield Finding(CODE, ERROR, start, toks[j - 1].end,
                          f"Вводное «{phrase}» выделяется запятыми с обеих сторон.", fixed)


_PREDICATE_POS = frozenset({"VERB", "PRTS"})


def _opening_comma(doc: Doc, last: int, words: list[int], after: Callable[[Tok], bool]) -> tuple[int, int] | None:
    """(the last word, the comma) when a sentence opens with one or two words and a comma, and
    the token after the comma is what ``after`` wants; ``last`` ends the sentence."""
    toks = doc.toks
    for n in (1, 2):
        comma = words[n - 1] + 1
        if comma + 1 < last and toks[comma].text == "," and after(toks[comma + 1]):
            return words[n - 1], comma
    return None


_RELATIVE_PREPOSITIONS = frozenset({"в", "на", "с", "со", "к", "ко", "о", "об", "по", "у", "от", "для", "из", "за",
                                    "под", "над", "при", "без", "до", "через", "перед", "между"})


def _could_be_predicate(tok: Tok) -> bool:
    """Any reading a predicate: the main clause may already have its verb."""
    return tok.is_word and any(tg.POS in _FINITE_POS for tg in all_tags(tok.text))


def _clause_predicate(tok: Tok) -> bool:
    """A predicate by every reading that matters («может» is also a parenthesis, not a noun)."""
    tags = all_tags(tok.text)
    return bool(tags) and tags[0].POS in _PREDICATE_POS and all(
        tg.POS in _PREDICATE_POS | {"INFN", "PRTF"} or "Prnt" in tg.grammemes for tg in tags)


def _subject_pending(doc: Doc, first: int, comma: int) -> bool:
    """The words before ``comma`` — back to the sentence's start or to the «что»/«если» opening
    their clause — hold nothing that could be a verb or open another clause: the clause's
    subject group («Дома», «Те», «Профилактика в котельной № 2»), its predicate still ahead."""
    toks = doc.toks
    words = 0
    for k in range(comma - 1, first - 1, -1):
        t = toks[k]
        if not t.is_word:
            if t.text in (":", ";", "—", "–"):
                break  # «…нет фельдшера: Ольга Ким, которая …» — a clause of its own after the colon
            continue
        if t.lower == "что" or t.lower in _SUBORDINATORS:
            break
        if _could_be_predicate(t) or t.lower in _JOINERS:
            return False
        words += 1
    return words > 0


def _relative_clause_close(doc: Doc) -> Iterator[Finding]:
    """«Дома, которые построены после 2020 года подключат бесплатно», «Профилактика в котельной
    № 2, которая снабжает ваш микрорайон пройдёт в июле»: a «который» clause inside the subject,
    before the main clause has its predicate, holds a predicate of its own; a second predicate
    before the next mark belongs to the main clause, and a comma must close the clause before it."""
    toks = doc.toks
    for sent in doc.sents:
        words = [k for k in range(sent.first, sent.last) if toks[k].is_word]
        if len(words) < 4:
            continue
        for comma in range(sent.first + 1, sent.last - 2):
            if toks[comma].text != ",":
                continue
            which = comma + 2 if toks[comma + 1].lower in _RELATIVE_PREPOSITIONS else comma + 1
            if toks[which].lower not in _WHICH_ALL:
                continue
            if not _subject_pending(doc, sent.first, comma):
                break
            predicates: list[int] = []
            for k in range(which + 1, sent.last):
                t = toks[k]
                if not t.is_word:
                    if t.text in ("(", "\"", "«", "»"):
                        break
                    if t.text == "." and _abbreviation_stop(doc, k, sent.last):
                        continue  # «у дома 34 на ул. Ленина обрезали»
                    if not any(ch.isdigit() for ch in t.text):
                        break  # the next mark ends the clause
                    continue
                if t.lower in ("и", "или") and toks[k - 1].is_word and k + 1 < sent.last and toks[k + 1].is_word \
                        and not _clause_predicate(toks[k - 1]) and not _clause_predicate(toks[k + 1]) \
                        and _same_case(toks[k - 1], toks[k + 1]):
                    continue  # «по вторникам и пятницам»: two members of one case, not two clauses
                if t.lower in _CONJUNCTIONS or t.pos == "CONJ":
                    predicates = []
                    break
                if _clause_predicate(t):
                    predicates.append(k)
            if len(predicates) == 2:
                second = toks[predicates[1]]
                prev = toks[predicates[1] - 1]
                yield Finding(CODE, ERROR, prev.end, second.end,
                              f"Придаточное «{doc.text[toks[comma + 1].start:toks[which].end]} …» нужно закрыть запятой перед "
                              f"«{second.text}».",
                              "," + doc.text[prev.end : second.end])
            break  # the first relative clause of the sentence decides


# Participles that work as plain adjectives or determiners: «в следующий раз», «данный».
_ADJ_LIKE_PARTICIPLES = frozenset({
    "следующий", "будущий", "бывший", "настоящий", "данный", "текущий", "предыдущий",
    "соответствующий", "подходящий", "уважаемый", "любимый", "необходимый", "независимый",
    "называемый", "многоуважаемый", "прошедший", "вышеуказанный", "указанный", "нижеследующий",
})


def _parse_lemma(word: str, t: object) -> str:
    """The dictionary form of the parse of ``word`` with tag ``t``."""
    for p in morph.analyzer().parse(word):
        if p.tag == t:
            return str(p.normal_form).replace("ё", "е")
    return word


def _participle_comma(doc: Doc) -> Iterator[Finding]:
    """«Деревья растущие под проводами …»: a participle with its own words right after the noun
    it agrees with (number and case, gender in the singular) opens a participial phrase, which
    takes a comma. Only when both parses are the likeliest ones and the participle is followed by
    a dependent word, never by a mark or «и»."""
    toks = doc.toks
    for i in range(len(toks) - 2):
        noun, part, dep = toks[i], toks[i + 1], toks[i + 2]
        if not (noun.is_word and part.is_word and dep.is_word and noun.prose and part.prose):
            continue
        if doc.text[noun.end:part.start].strip():
            continue  # a mark between them already
        if part.pos not in ("PRTF", "ADJF") or noun.pos != "NOUN":
            continue
        if dep.lower in _CONJUNCTIONS or (dep.pos == "NOUN" and dep.text[:1].isupper()):
            continue
        p_tag = _agreeing_participle(noun, part)
        if p_tag is None:
            continue
        dep_tags = all_tags(dep.text)
        governs = "actv" in p_tag and "tran" in p_tag and any(t.case == "accs" for t in dep_tags)
        if not governs and any(t.POS in ("NOUN", "ADJF", "PRTF") and t.case == p_tag.case
                               and t.number == p_tag.number for t in dep_tags):
            continue  # «вида разрешённого использования»: it is the next noun's attribute
        # («подрядчик выигравший конкурс»: an active transitive participle governs its object)
        yield Finding(CODE, ERROR, noun.end, part.end,
                      f"Причастный оборот «{part.text} …» после слова «{noun.text}» выделяется "
                      "запятыми.", "," + doc.text[noun.end:part.end])


# ---------------------------------------------------------------- structure
# The rules below look at the clause, not at phrases: a subordinating word takes a comma when a
# predicate stands before it in the sentence and another after it; an adverbial participle with
# its words is set off; the answer ends with a mark; the author addressed by name is set off.

_FINITE_POS = frozenset({"VERB", "PRTS", "ADJS", "PRED"})
# Subordinating words whose clause takes a comma before it (at the start of a sentence it does not).
_SUBORDINATORS = frozenset({"чтобы", "если", "когда", "пока", "почему", "зачем", "куда", "откуда", "где", "поскольку",
                            "хотя", "будто", "словно"})
# The comma goes before the whole compound, not inside it: «до тех пор пока», «в то время когда».
_COMPOUND_HEADS = frozenset({"пор", "время", "тогда", "там", "туда", "оттуда", "так", "лишь", "только", "даже",
                             "именно", "особенно", "тем", "как", "или", "и", "а", "но", "да", "не", "ни",
                             "вот", "потому", "ли", "кроме", "если", "что", "чем"})
# Adverbial participles that work as prepositions or adverbs: «благодаря», «включая», «стоя».
_GRND_NOT_PHRASE = frozenset({"благодаря", "включая", "исключая", "начиная", "судя", "несмотря", "не",
                              "стоя", "сидя", "лёжа", "лежа", "молча", "нехотя", "спустя", "погодя", "шутя",
                              "учитывая", "считая", "говоря"})
_END_MARKS = frozenset(".!?…")
_CLAUSE_WINDOW = 40


def _predicate(tok: Tok) -> bool:
    """A finite verb, a short participle or adjective, a predicative — the likeliest part of speech
    (readings summed: «закроем» is read first as a noun, but two of its three readings are verbs)."""
    return tok.is_word and (tok.pos in _FINITE_POS or _mostly_finite(tok.text))


@lru_cache(maxsize=50_000)
def _mostly_finite(word: str) -> bool:
    parses = morph.analyzer().parse(word)
    finite: float = sum(p.score for p in parses
                        if p.tag.POS in _FINITE_POS and (p.tag.POS != "VERB" or p.tag.mood in ("indc", "impr")))
    # «положим», «допустим», «скажем»: read first as a parenthesis, but a parenthesis is set off
    # by commas; a first-person verb reading is the predicate («положим асфальт в июне»)
    parenthesis_first = bool(parses) and parses[0].tag.POS == "CONJ" and "Prnt" in parses[0].tag
    return finite > 0.5 or (parenthesis_first and any(
        p.tag.POS == "VERB" and p.tag.person == "1per" and p.tag.mood == "indc" for p in parses))


def _boundary(doc: Doc, k: int) -> bool:
    """A mark that ends a clause — not the colon of «7:40» or the comma of «1,5»."""
    t = doc.toks[k]
    if t.is_word or t.text not in (",", ";", ":", "—", "–", "("):
        return False
    glued = t.start > 0 and t.end < len(doc.text) and doc.text[t.start - 1].isdigit() and doc.text[t.end].isdigit()
    return not glued


def _clause_around(doc: Doc, i: int, size: int, stop_words: frozenset[str] = frozenset()) -> tuple[int, int]:
    """The tokens of the clause before token i (back to a mark) and of the one after its `size`
    words (up to a mark or one of `stop_words`), each within _CLAUSE_WINDOW: a clause is a few
    dozen tokens at most, and the window keeps a run-on text linear."""
    toks = doc.toks
    sent = doc.sent_of(i)
    start = max(sent.first, i - _CLAUSE_WINDOW)
    for k in range(i - 1, start - 1, -1):
        if _boundary(doc, k):
            start = k + 1
            break
    end = min(sent.last, i + size + _CLAUSE_WINDOW)
    for k in range(i + size, end):
        if _boundary(doc, k) or (stop_words and toks[k].is_word and toks[k].lower in stop_words):
            end = k
            break
    return start, end


# Words that open another clause: the second clause after «и» ends before them.
_CLAUSE_OPENERS = frozenset({"и", "а", "но", "что", "чтобы", "если", "когда", "который", "которые"})


def _predicate_between(doc: Doc, first: int, last: int) -> bool:
    return any(_predicate(doc.toks[k]) for k in range(first, last))


# Compound subordinating conjunctions, by their first word: the comma goes before the whole
# («не ходил, потому что был затор»); «так как» is left out — «сделали так, как просили» splits it.
_COMPOUND_SUBORDINATORS: dict[str, tuple[tuple[str, ...], ...]] = {
    "потому": (("потому", "что"),),
    "оттого": (("оттого", "что"),),
    "после": (("после", "того", "как"),),
    "перед": (("перед", "тем", "как"),),
    "до": (("до", "того", "как"),),
    "несмотря": (("несмотря", "на", "то", "что"),),
    "для": (("для", "того", "чтобы"),),
    "с": (("с", "тех", "пор", "как"),),
    "как": (("как", "только"),),
}
# Words that may stand right before such a conjunction without a comma: «именно потому что».
_BEFORE_COMPOUND = _COMPOUND_HEADS | frozenset({"ещё", "еще", "уже", "просто", "это", "всё", "все", "отчасти",
                                                "частично", "скорее", "разве", "главным", "образом"})


def _compound_at(doc: Doc, i: int) -> int:
    """The number of words of the compound subordinator starting at token i, 0 if none."""
    for words in _COMPOUND_SUBORDINATORS.get(doc.toks[i].lower, ()):
        j = i + len(words)
        if j <= len(doc.toks) and all(t.is_word and t.lower == w for t, w in zip(doc.toks[i:j], words, strict=True)):
            return len(words)
    return 0


def _subordinate_comma(doc: Doc) -> Iterator[Finding]:
    """«Позвоните дежурному если вода пропадёт» → «…дежурному, если…»: a subordinating word (or a
    compound one, «потому что») between two predicates of one sentence, with a word (or a number)
    right before it and no mark."""
    toks = doc.toks
    for i, tok in enumerate(toks):
        if not tok.is_word or not tok.prose or i in doc.starts:
            continue
        size = 1 if tok.lower in _SUBORDINATORS else _compound_at(doc, i)
        if not size:
            continue
        if i == 0:
            continue
        prev = toks[i - 1]
        if doc.text[prev.end:tok.start].strip() or not prev.prose:
            continue  # a mark (or a bracket, a dash) before it already
        if not (prev.is_word or any(ch.isdigit() for ch in prev.text)):
            continue
        if tok.lower == "чтобы" and prev.is_word:
            continue  # after a word `_conjunctions` decides; here only «до 7:40 чтобы…»
        if prev.lower in (_COMPOUND_HEADS if size == 1 else _BEFORE_COMPOUND) or prev.pos in ("PREP", "CONJ", "PRCL"):
            continue
        # The main clause's predicate before, the subordinate's after (up to the next mark).
        clause_start, after_end = _clause_around(doc, i, size)
        after = _predicate_between(doc, i + size, after_end) or (
            tok.lower == "чтобы" and any(toks[k].pos == "INFN" for k in range(i + 1, after_end))) or (
            # «когда на улице меньше машин», «где нет света»: a comparative, «есть» or «нет»
            tok.lower != "чтобы" and any(toks[k].is_word and (toks[k].pos == "COMP" or toks[k].lower in ("есть", "нет"))
                                         for k in range(i + size, after_end))) or (
            # a verbless clause with its own subject: «когда вода в реке самая низкая», «если у вас
            # острое состояние» (a nominative and an adjective agreeing with it)
            size == 1 and tok.lower in ("если", "когда", "где", "пока") and _verbless_clause(doc, i + 1, after_end))
        # The main clause's predicate may stand before a list that the clause ends with: «Нужны
        # паспорт, свидетельства, а также справка о доходах если доход меньше …».
        listed = size == 1 and tok.lower in ("если", "когда") and (prev.pos in ("NOUN", "ADJF", "PRTF") or (
            not prev.is_word and prev.text[-1:].isdigit())) and _predicate_between(doc, doc.sent_of(i).first, i)
        if not after or not (_predicate_between(doc, clause_start, i) or _main_before_apposition(doc, i) or listed):
            continue
        yield _comma(doc, prev, tok, " ".join(t.lower for t in toks[i:i + size]))


def _verbless_clause(doc: Doc, first: int, last: int) -> bool:
    """A clause whose «быть» is left out, among tokens [first, last): a noun in the nominative and
    a full adjective in the nominative agreeing with it («вода в реке самая низкая», «у вас острое
    состояние», «если острая боль»)."""
    toks = doc.toks
    words = [k for k in range(first, last) if toks[k].is_word]
    for n in words:
        tn = all_tags(toks[n].text)
        if not tn or tn[0].POS != "NOUN":
            continue
        for nomn in (t for t in tn if t.POS == "NOUN" and t.case == "nomn"):
            for a in words:
                if a == n:
                    continue
                if any(t.POS == "ADJF" and t.case == "nomn" and t.number == nomn.number
                       and (t.number == "plur" or t.gender == nomn.gender) for t in all_tags(toks[a].text)):
                    return True
    return False


def _main_before_apposition(doc: Doc, i: int) -> bool:
    """«Грейдер выйдет в четверг, 17 октября если не будет дождя»: the clause before token i is an
    apposition set off by a comma; the predicate stands earlier in the sentence, with no other
    clause word between."""
    if doc.toks[i].lower not in ("если", "когда", "чтобы"):
        return False  # «он пока заявку не подавал»: «пока» may be an adverb of its own clause
    sent = doc.sent_of(i)
    words = [t for t in doc.toks[sent.first:i] if t.is_word]
    start, _ = _clause_around(doc, i, 1)
    apposition = [t for t in doc.toks[start:i] if t.is_word]
    return (any(_predicate(t) for t in words) and not any(t.lower in _JOINERS for t in words)
            and not any(t.pos == "NPRO" for t in apposition))




def _verb_form(tg: OpencorporaTag) -> tuple[str | None, str | None, str | None] | None:
    """(number, person, gender) the subject of a finite indicative verb or a short form must have;
    None if the word is neither."""
    if tg.POS in ("PRTS", "ADJS"):  # «давление восстановлено»
        return tg.number, None, tg.gender if tg.number == "sing" else None
    if tg.POS != "VERB" or tg.mood != "indc":
        return None
    if tg.tense == "past":
        return tg.number, None, tg.gender if tg.number == "sing" else None
    return tg.number, tg.person, None


def _can_be_subject(tg: OpencorporaTag, form: tuple[str | None, str | None, str | None]) -> bool:
    """Whether a word of ``tg`` (any reading) can be the subject of a verb of ``form``."""
    number, person, gender = form
    if tg.case != "nomn" or tg.POS not in ("NOUN", "NPRO"):
        return False
    if tg.number != number:
        return False
    if tg.POS == "NPRO" and person is not None and tg.person not in (None, person):
        return False
    if tg.POS == "NOUN" and person not in (None, "3per"):
        return False
    return gender is None or tg.gender in (None, gender) or "Ms-f" in tg


def _subject(doc: Doc, first: int, last: int, form: tuple[str | None, str | None, str | None]) -> int | None:
    """The index of a word in [first, last) that can be the subject of a verb of ``form``."""
    for k in range(first, last):
        t = doc.toks[k]
        if t.is_word and t.text[:1].isalpha() and any(_can_be_subject(tg, form) for tg in all_tags(t.text)):
            return k
    return None


def _compound_sentence(doc: Doc) -> Iterator[Finding]:
    """«Лёд окреп до 30 сантиметров и переправу откроют в пятницу» → «…сантиметров, и…»: «и» joins
    two clauses, each with its own predicate, and the second cannot share the first one's subject
    (its verb's number, person or gender differ from that subject, or it has a subject of its own).
    Only where the first clause names its subject: without one, two predicates of one unnamed
    doer («дорогу почистили и посыпали») are homogeneous. A clause that opens with an adverbial
    may share it with the second («Завтра мастер проверит трубу и воду дадут»), where no comma
    is right: then a warning."""
    toks = doc.toks
    for i, tok in enumerate(toks):
        if tok.lower != "и" or not tok.prose or i in doc.starts or i == 0:
            continue
        prev = toks[i - 1]
        if not prev.is_word or doc.text[prev.end:tok.start].strip():
            continue
        start, end = _clause_around(doc, i, 1, _CLAUSE_OPENERS)
        first_verb = next(((k, f) for k in range(start, i) if toks[k].is_word
                           and (f := _verb_form(tag(toks[k].text))) is not None), None)
        second_verb = next(((k, f) for k in range(i + 1, end) if toks[k].is_word
                            and (f := _verb_form_after(doc, k)) is not None), None)
        if second_verb is None:
            continue
        if _pronoun_clause_after_and(doc, i, second_verb):
            # «Пришлите фото, её приметы и ваш телефон и мы опубликуем объявление»: «и» + a
            # subject pronoun and its verb open a clause after a sentence that has its predicate.
            first = doc.sent_of(i).first
            opening = next(k for k in range(first, i) if toks[k].is_word and (
                _predicate(toks[k]) or _surely_imperative(toks[k].text)))
            yield _shared_start(doc, _comma(doc, prev, tok, "и"), first, opening)
            continue
        sure_second = _surely_finite(toks[second_verb[0]].text) or toks[second_verb[0] - 1].lower in _PERSONAL
        if first_verb is None:
            # «Напишите, пожалуйста, адрес и мы пришлём мастера», «Можно написать нам и мы
            # передадим заявку»: a request or a modal and a statement are two clauses.
            start = _before_parenthetical(doc, start)
            head = next((k for k in range(start, i) if toks[k].is_word and (
                (_surely_imperative(toks[k].text) and not _could_be_past(toks[k].text))
                or toks[k].lower in _MODAL_PREDICATIVES)), None)
            if head is not None and sure_second and not _could_be_imperative(toks[second_verb[0]].text) \
                    and not _subordinate_between(doc, start, i) and (
                    toks[head].lower not in _MODAL_PREDICATIVES
                    or _subject(doc, i + 1, second_verb[0], second_verb[1]) is not None):
                yield _shared_start(doc, _comma(doc, prev, tok, "и"), start, head)
            continue
        (v1, form1), (v2, form2) = first_verb, second_verb
        subject = _subject(doc, start, v1, form1)
        if subject is not None and form1[0] == "plur" and "tran" in tag(toks[v1].text) and all(
                "inan" in tg for tg in all_tags(toks[subject].text) if tg.POS == "NOUN") and any(
                tg.case == "accs" for tg in all_tags(toks[subject].text)):
            subject = None  # «Провода сняли …»: a thing is what an unnamed «они» took, not who took it
        if subject is None:
            # No subject named: «дорогу расчистят в среду и машина заберёт мусор», «позвоните нам
            # и мы приедем» — verbs that cannot have one doer are two clauses.
            pronoun = next((toks[k].lower for k in range(i + 1, v2) if toks[k].lower in _PERSONAL), None)
            other = _other_doer(form1, form2) or (
                pronoun in ("я", "мы", "ты", "вы") and form1[1] != form2[1]) or (  # «… обслуживает МУП и мы передали»
                # «Провод заменили и фонари снова горят»: an unnamed «они» did the first, and the
                # second has a subject of its own — its verb takes no object, so the noun is no object
                form1[0] == "plur" and form1[1] in (None, "3per") and "intr" in tag(toks[v2].text)
                and _subject(doc, i + 1, v2, form2) is not None) or (
                # «Траву покосили в понедельник и фото прикладываем»: they did, we attach
                form1[0] == "plur" and form1[1] is None and form2[1] in ("1per", "2per"))
            # the second verb is surely finite, or a nominative agreeing with it is its subject
            # («…и подсветка снова будет включена»: «будет» has rarer readings)
            second_sure = sure_second or (toks[v2].text.isalpha() and toks[v2].text.islower()
                                          and _subject(doc, i + 1, v2, form2) is not None)
            if other and second_sure and not _subordinate_between(doc, start, i):
                yield _shared_start(doc, _comma(doc, prev, tok, "и"), start, v1)
            continue
        if _subordinate_between(doc, start, i):
            continue  # «Если вы напишете нам и мы не ответим, …»: both inside one «если»
        own_subject = _subject(doc, i + 1, v2, form2) is not None
        shared = any(_can_be_subject(tg, form2) for tg in all_tags(toks[subject].text))
        if shared and not own_subject:
            continue
        finding = _comma(doc, prev, tok, "и")
        if subject != start:  # something before the subject may belong to both clauses
            finding = Finding(CODE, WARNING, finding.start, finding.end,
                              "Если «и» соединяет два предложения, перед ним нужна запятая.", finding.suggestion)
        yield finding


def _verb_form_after(doc: Doc, k: int) -> tuple[str | None, str | None, str | None] | None:
    """The verb form of token k; right after a personal pronoun a rarer verb reading counts too
    («мы скажем» — «скажем» is first read as the parenthetical word)."""
    form = _verb_form(tag(doc.toks[k].text))
    if form is None and k > 0 and doc.toks[k - 1].lower in _PERSONAL:
        form = next((f for tg in all_tags(doc.toks[k].text) if (f := _verb_form(tg)) is not None), None)
    return form


def _could_be_past(word: str) -> bool:
    """«нашли» is first read as an imperative of «нашлить»: a past reading makes it a statement."""
    return any(tg.tense == "past" for tg in all_tags(word))


def _could_be_imperative(word: str) -> bool:
    """«сложите», «сушите»: a reading as an imperative to «you» — a second command, not a
    statement («сохраним» may be «let's keep», which does not count)."""
    return any(tg.mood == "impr" and "excl" in tg for tg in all_tags(word))


def _pronoun_clause_after_and(doc: Doc, i: int, second: tuple[int, tuple[str | None, str | None, str | None]]) -> bool:
    """«… и мы опубликуем»: right after «и» a subject pronoun agreeing with the next verb, and a
    predicate earlier in the sentence with no subordinating word between it and «и»."""
    toks = doc.toks
    k, form = second
    if i + 1 >= len(toks) or toks[i + 1].lower not in _PERSONAL:
        return False
    if k > i + 3 or not any(_can_be_subject(tg, form) for tg in all_tags(toks[i + 1].text)):
        return False
    sent = doc.sent_of(i)
    words = [t for t in toks[sent.first:i] if t.is_word]
    if any(t.lower in _SUBORDINATORS or t.lower in _WHICH_ALL or t.lower in ("что", "как", "кто") for t in words):
        return False  # «Если вы напишете и мы не ответим, …»: both inside one subordinate clause
    return any(_predicate(t) or _surely_imperative(t.text) for t in words)


def _other_doer(form1: tuple[str | None, str | None, str | None],
                form2: tuple[str | None, str | None, str | None]) -> bool:
    """Whether a first verb with no subject named and a second verb cannot share a doer: an
    unnamed «they» («привезут», «привезли») or «you» («позвоните») and a verb of another form."""
    number1, person1, gender1 = form1
    number2, person2, gender2 = form2
    if number1 == number2 and (person1 is None or person2 is None or person1 == person2) and (
            gender1 is None or gender2 is None or gender1 == gender2):
        return False  # «нашли засор и сейчас прочищают»: one «they» in two tenses
    if number1 == "plur" and person1 in ("3per", None):
        return True
    return person1 == "2per" and person2 != "2per"


# Words set off by commas inside a clause: «Напишите, пожалуйста, адрес» is one clause.
_PARENTHETICAL_WORDS = frozenset({"пожалуйста", "например", "конечно", "кстати", "пожалуй"})


def _before_parenthetical(doc: Doc, start: int) -> int:
    """The clause's start with a parenthetical word between commas looked through."""
    toks = doc.toks
    while (start >= 3 and toks[start - 1].text == "," and toks[start - 2].lower in _PARENTHETICAL_WORDS
           and toks[start - 3].text == ","):
        first = max(doc.sent_of(start).first, start - 3 - _CLAUSE_WINDOW)
        k = start - 4
        while k >= first and not _boundary(doc, k):
            k -= 1
        start = k + 1
    return start


def _subordinate_between(doc: Doc, first: int, last: int) -> bool:
    """A subordinating word in [first, last): «если вы напишете и мы не ответим» is one clause."""
    return any(doc.toks[k].is_word and (doc.toks[k].lower in _SUBORDINATORS or doc.toks[k].lower == "что"
                                        or doc.toks[k].lower in _WHICH_ALL)
               for k in range(first, last))


def _shared_start(doc: Doc, finding: Finding, start: int, head: int) -> Finding:
    """A word before the first clause's head may belong to both clauses («Завтра позвоните нам и
    мы приедем»), where no comma is right: then a warning."""
    if any(doc.toks[k].is_word and doc.toks[k].pos in ("ADVB", "PREP", "NUMR", "PRCL")
           and doc.toks[k].lower != "пожалуйста" for k in range(start, head)):
        return Finding(CODE, WARNING, finding.start, finding.end,
                       "Если «и» соединяет два предложения, перед ним нужна запятая.", finding.suggestion)
    return finding


# Subordinating words that may open a sentence; the main clause after their clause takes a comma.
_FRONTED = frozenset({"если", "когда", "хотя", "пока", "раз", "поскольку", "так как"})
_COORDINATORS = frozenset({"и", "или", "а", "но", "да", "либо", "ни"})
# Words that join or open a clause: two predicates with one of these between them are fine.
_JOINERS = _COORDINATORS | _CONJUNCTIONS | _WHICH_ALL | frozenset({
    "где", "куда", "откуда", "почему", "зачем", "пока", "поскольку", "хотя", "будто", "словно", "чем",
    "потому", "поэтому", "тоже", "также", "затем", "потом", "ли", "чтоб", "кто", "сколько", "какой", "какая",
    "какое", "какие", "как", "то", "так", "однако", "зато", "причем", "причём", "притом", "иначе", "впрочем"})


def _finite(tok: Tok) -> bool:
    """A verb in the indicative or the imperative, by its likeliest reading."""
    if not tok.is_word or tok.pos != "VERB":
        return False
    return tag(tok.text).mood in ("indc", "impr")


def _clause_starts(doc: Doc) -> Iterator[tuple[Sent, int]]:
    """The first word of each sentence, and the word right after a colon or a semicolon in it
    («Директор предупреждён: если автобус опоздает, …» — the colon opens a sentence of its own)."""
    toks = doc.toks
    for sent in doc.sents:
        first = next((k for k in range(sent.first, sent.last) if toks[k].is_word), None)
        if first is None:
            continue
        yield sent, first
        for k in range(first, sent.last - 1):
            if toks[k].text in (":", ";") and toks[k + 1].is_word:
                yield sent, k + 1


def _fronted_openers(doc: Doc) -> Iterator[tuple[Sent, int, int]]:
    """(sentence, first word, words in the opener) of each clause start that opens a clause of
    condition, time or purpose: «если», «когда», «пока», «чтобы»… — and «как только», which opens
    a clause of time as «когда» does («как» alone opens many things)."""
    toks = doc.toks
    for sent, first in _clause_starts(doc):
        if not toks[first].prose:
            continue
        opener = 2 if (toks[first].lower == "как" and first + 1 < sent.last
                       and toks[first + 1].lower == "только") else 1
        if opener == 1 and toks[first].lower not in _FRONTED and toks[first].lower != "чтобы":
            continue
        yield sent, first, opener


def _fronted_clause(doc: Doc) -> Iterator[Finding]:
    """«Если водитель отказывается принимать карту напишите нам» → «…карту, напишите…»: a sentence
    opening with «если», «когда»… runs on from its clause into the main one with no mark. The
    main clause is where a second predicate stands with no conjunction before it; the comma goes
    before that predicate, or before its subject in the nominative right before it."""
    toks = doc.toks
    for sent, first, opener in _fronted_openers(doc):
        # «Чтобы подать заявление приходите …»: a purpose clause's predicate is its infinitive
        purpose = toks[first].lower == "чтобы"
        p1 = None
        for k in range(first + opener, min(sent.last, first + _CLAUSE_WINDOW)):
            t = toks[k]
            if _boundary(doc, k) or not t.prose:
                break
            if not t.is_word:
                continue
            if p1 is None:
                # «Если у вас есть льгота …»: «есть» and «нет» are the clause's predicate too
                if _predicate(t) or t.lower in ("есть", "нет") or (purpose and t.pos == "INFN"):
                    p1 = k
                continue
            if not (_finite(t) or t.pos == "PRED"):
                continue
            # a second predicate: homogeneous when a conjunction or a relative word stands between
            if any(toks[j].is_word and toks[j].lower in _JOINERS for j in range(p1 + 1, k)):
                break
            start = k
            prev = toks[k - 1]
            if prev.is_word and ((prev.pos == "NPRO" and "nomn" in tag(prev.text).grammemes)
                                 or _subject_of(prev, t)):
                start = k - 1  # «…на общей земле мы выдадим», «…сообщение ЕДДС отправила»: before the subject
            if start <= p1:
                break  # «Если замер покажет…»: the first «predicate» was the subject (замер, not замереть)
            while start - 1 > p1 and toks[start - 1].lower in _MAIN_OPENERS:
                start -= 1  # «Пока ждёте бригаду, сразу перекройте краны»
            left = toks[start - 1]
            if not left.is_word:
                break
            opening = " ".join(x.lower for x in toks[first:first + opener])
            yield Finding(CODE, ERROR, left.end, toks[start].end,
                          f"После придаточного с «{opening}» нужна запятая перед главной частью.",
                          "," + doc.text[left.end:toks[start].end])
            break


# Words that open the main clause before its imperative: «…, сразу звоните», «…, не включайте».
_MAIN_OPENERS = frozenset({"не", "сразу", "тогда", "обязательно", "пожалуйста", "срочно", "немедленно",
                           "сначала", "просто", "лучше", "тоже", "также", "заранее", "смело"})


def _imperative_after_clause(doc: Doc) -> Iterator[Finding]:
    """«Если вам трудно дойти позвоните нам» → «…дойти, позвоните»: a clause of condition, time
    or purpose opening the sentence never holds an imperative, so the first imperative after it
    starts the main clause and a comma goes before it — whatever the clause holds («трудно»,
    «неудобно», a «что» clause of its own)."""
    toks = doc.toks
    for sent, first, opener in _fronted_openers(doc):
        for k in range(first + opener + 1, sent.last):
            t = toks[k]
            # «позвоните» is also «вы позвоните»: without «вы» in the clause, it is the imperative
            if not t.is_word or not (_surely_imperative(t.lower) or (
                    t.pos == "VERB" and _could_be_imperative(t.lower)
                    and not any(toks[j].lower == "вы" for j in range(first, k)))):
                continue
            # the main clause may open with «не», «сразу», «тогда»…: «…, сразу звоните»
            start = k
            while start - 1 > first and toks[start - 1].lower in _MAIN_OPENERS:
                start -= 1
            left = toks[start - 1]
            if toks[first].lower == "пока" and not any(
                    toks[j].is_word and toks[j].pos in ("VERB", "INFN", "PRTS", "ADJS", "PRED")
                    for j in range(first + 1, start)):
                break  # «Пока в сухие дни закрывайте окна»: «пока» is «for now», no clause
            if left.is_word and left.lower not in _JOINERS and start - 1 > first + opener - 1:
                yield Finding(CODE, ERROR, left.end, toks[start].end,
                              "После придаточного в начале предложения нужна запятая перед главной частью.",
                              "," + doc.text[left.end:toks[start].end])
            break


# «Вы правы в спальне должно быть…»: the assent is a sentence of its own, set off by a comma or
# a colon; «Вы правы в том, что…», «Вы правы насчёт…» go on with what the author is right about.
_RIGHT_GOES_ON = frozenset({"в", "насчет", "насчёт", "относительно", "и", "что"})


def _you_are_right(doc: Doc) -> Iterator[Finding]:
    toks = doc.toks
    for sent in doc.sents:
        words = [k for k in range(sent.first, sent.last) if toks[k].is_word]
        if len(words) < 4 or toks[words[0]].lower != "вы" or toks[words[1]].lower not in ("правы", "прав", "права"):
            continue
        a, b = words[1], words[2]
        if b != a + 1 or (toks[b].lower in _RIGHT_GOES_ON and not (
                toks[b].lower == "в" and b + 1 < sent.last and toks[b + 1].lower not in ("том", "этом"))):
            continue
        yield Finding(CODE, ERROR, toks[a].end, toks[b].end,
                      f"После «Вы {toks[a].text}» нужна запятая или двоеточие.", "," + doc.text[toks[a].end:toks[b].end])


def _repeated_and(doc: Doc) -> Iterator[Finding]:
    """«снижает и пух и риск» → «и пух, и риск»: «и» repeated before each of two members of one
    case after the verb they depend on; the second «и» takes a comma."""
    toks = doc.toks
    for i, tok in enumerate(toks):
        if tok.lower != "и" or i == 0 or not tok.prose:
            continue
        verb = toks[i - 1]
        if not verb.is_word or verb.pos not in ("VERB", "INFN", "PRTS", "ADJS", "GRND"):
            continue
        for j in range(i + 2, min(len(toks) - 1, i + 5)):
            t = toks[j]
            if not t.is_word:
                break  # a mark before the second «и»: set off already, or not this construction
            if t.lower != "и":
                continue
            first, second = toks[i + 1], toks[j + 1]
            if second.is_word and toks[j - 1].is_word and _same_case(first, second):
                yield _comma(doc, toks[j - 1], t, "и")
            break


def _same_case(a: Tok, b: Tok) -> bool:
    """Two nouns (pronouns, adjectives) that can stand in one case."""
    cases = {g.case for g in all_tags(a.text) if g.POS in ("NOUN", "NPRO", "ADJF") and g.case}
    return bool(cases & {g.case for g in all_tags(b.text) if g.POS in ("NOUN", "NPRO", "ADJF")})


def _full_name_at(doc: Doc, k: int) -> int | None:
    """The last token of a full name starting at ``k`` — a first name, a patronymic, a surname,
    each capitalised («Наталья Ивановна Кравченко») — or None."""
    toks = doc.toks
    if k + 2 >= len(toks) or not all(toks[j].is_word and toks[j].text[:1].isupper() for j in range(k, k + 3)):
        return None
    first = any("Name" in g.grammemes and g.case == "nomn" for g in all_tags(toks[k].text))
    patronymic = any("Patr" in g.grammemes for g in all_tags(toks[k + 1].text))
    spaced = all(doc.text[toks[j].end:toks[j + 1].start].strip() == "" for j in (k, k + 1))
    return k + 2 if first and patronymic and spaced else None


def _name_apposition(doc: Doc) -> Iterator[Finding]:
    """A full name set off as an apposition: «Тренер — Светлана Юрьевна Гребенщикова мастер спорта»
    → «…Гребенщикова, мастер спорта» (a common noun in the nominative after the name), and
    «Специалист отдела, Наталья Ивановна Кравченко примет вас» → «…Кравченко, примет» (the name
    opened by a comma after the subject's noun, before the main clause's verb)."""
    toks = doc.toks
    for k in range(1, len(toks) - 3):
        last = _full_name_at(doc, k)
        if last is None or last + 1 >= len(toks):
            continue
        before, after = toks[k - 1], toks[last + 1]
        if not after.is_word or doc.text[toks[last].end:after.start].strip():
            continue
        if before.text in ("—", "–", ":") and after.text[:1].islower() and after.pos == "NOUN" and any(
                g.case == "nomn" and not {"Name", "Surn", "Patr"} & g.grammemes for g in all_tags(after.text)[:1]):
            yield _comma(doc, toks[last], after, after.text)
        elif before.text == "," and k >= 2 and toks[k - 2].is_word and toks[k - 2].pos == "NOUN" \
                and _finite(after) and _subject_pending(doc, doc.sent_of(k).first, k - 1):
            yield Finding(CODE, ERROR, toks[last].end, after.end,
                          f"Имя «{doc.text[toks[k].start:toks[last].end]}» нужно закрыть запятой перед «{after.text}».",
                          "," + doc.text[toks[last].end:after.end])


def _subject_of(noun: Tok, verb: Tok) -> bool:
    """Whether ``noun`` can be the subject of ``verb`` right after it: a noun in the nominative in
    the verb's number, and in its gender when the verb is a singular past form («ЕДДС отправила»)."""
    form = _verb_form(tag(verb.text))
    if form is None:
        return False
    if noun.text.isupper() and len(noun.text) > 1:
        return True  # an abbreviation («ЕДДС», «МЧС»): the dictionary guesses its gender
    return any(t.POS == "NOUN" and _can_be_subject(t, form) for t in all_tags(noun.text))


# «Спасибо за добрые слова передадим их дорожникам»: a thank-you opening a sentence is a clause
# of its own, and the verb after it starts the next.
_THANKS_PREDICATES = frozenset({"спасибо", "благодарим", "благодарю"})


def _run_on_predicates(doc: Doc) -> Iterator[Finding]:
    """«Электрик приехал через час отключил фонарь», «Новый уже везут подрядчик поставит его»:
    two predicates in one stretch with no mark and no conjunction between them — homogeneous
    predicates or two clauses, either way a comma (or a stop) is missing. A predicate is a verb
    whose every reading is a finite verb (so a noun or a participle read as a verb stays
    silent), a future of «быть» before an infinitive («будем штрафовать») or a predicative next
    to an infinitive («записаться можно»). The stop of an abbreviation («ул.») inside a sentence
    ends nothing."""
    toks = doc.toks
    for sent in doc.sents:
        last_verb: int | None = None
        relative = False  # in a «который» clause: its close is `_relative_clause_close`'s
        # after «если», «когда», …: the first predicate is the subordinate clause's, and the
        # missing comma before the main clause is `_fronted_clause`'s finding, not this one
        subordinate = False
        skip = -1
        for k in range(sent.first, sent.last):
            t = toks[k]
            if t.text == "." and _abbreviation_stop(doc, k, sent.last):
                continue  # «на ул. Трудовой»: the sentence goes on
            if _boundary(doc, k) or t.text in (".", "!", "?", "…"):
                relative = False
            if t.is_word and (t.lower in _WHICH_ALL or t.lower == "где"):
                relative = True
            if relative or _boundary(doc, k) or not t.prose or (t.is_word and t.lower in _JOINERS) \
                    or t.text in (".", "!", "?", "…", "«", "»", '"'):  # a quoted title is a clause apart
                last_verb = None
                subordinate = t.is_word and t.lower in _JOINERS and t.lower not in _COORDINATORS
                continue
            if k <= skip or not t.is_word or not (_predicate_at(doc, k, sent.last) or (
                    t.lower in _THANKS_PREDICATES and last_verb is None and k in doc.starts)):
                continue
            skip = k + 1 if t.lower in _FUTURE_BE else -1  # «будем штрафовать» is one predicate
            if last_verb is not None and not subordinate:
                left = toks[k - 1]
                if left.is_word or left.text.isdigit():  # «приходите в кабинет 4 поможем»
                    yield Finding(CODE, ERROR, toks[last_verb].start, t.end,
                                  "Два сказуемых подряд без знака и союза между ними: разделите их запятой "
                                  "или точкой.", None)
                last_verb = None
                continue
            subordinate = subordinate and last_verb is None
            last_verb = k


_OBJECT_PRONOUNS = frozenset({"его", "её", "ее", "их", "ему", "ей", "им", "нам", "вам", "меня", "нас", "вас"})
# Words that may stand between the pronoun and its verb: «он снова возит», «его можно написать».
_BEFORE_VERB = frozenset({"не", "уже", "снова", "опять", "тоже", "также", "сейчас", "теперь", "всегда",
                          "обязательно", "точно", "сам", "сама", "сами", "сразу", "ещё", "еще"})


_PRONOUN_MESSAGE = "Здесь начинается новое предложение"


def _loose_predicate(tok: Tok) -> bool:
    """A predicate by the likeliest reading: a finite verb, a short participle or adjective
    («открыт», «готов»), a predicative («нужно»)."""
    if not tok.is_word or not morph.analyzer().word_is_known(tok.lower):
        return False  # a misspelt word is read by guess («Арентировочно» as a short adjective)
    tg = tag(tok.text)
    return (tg.POS == "VERB" and tg.mood in ("indc", "impr")) or tg.POS in ("PRTS", "ADJS", "PRED")


def _pronoun_clause(doc: Doc) -> Iterator[Finding]:
    """«Проект готов его проверяет экспертиза», «открыт тёплый пункт она работает до утра»: after a
    clause with its own predicate, a pronoun and a finite verb start another clause, and nothing
    marks the join. A subject pronoun must agree with the verb; a pronoun right after a verb is
    its object («передали его в водоканал») and is left alone."""
    toks = doc.toks
    for sent in doc.sents:
        left_predicate = False
        for k in range(sent.first, sent.last):
            t = toks[k]
            if _boundary(doc, k) or not t.prose or (t.is_word and t.lower in _JOINERS) \
                    or t.text in (".", "!", "?", "…", "«", "»", '"', "—", "–"):
                if not (t.text == "." and _abbreviation_stop(doc, k, sent.last)):
                    left_predicate = False
                continue
            if not t.is_word:
                continue
            subject = t.lower in _PERSONAL
            if left_predicate and (subject or t.lower in _OBJECT_PRONOUNS) and k > sent.first:
                prev = toks[k - 1]
                verb = k + 1
                while verb < sent.last and toks[verb].lower in _BEFORE_VERB:
                    verb += 1
                if (prev.is_word and not doc.text[prev.end:t.start].strip()
                        and prev.pos not in ("PREP", "CONJ", "PRCL")
                        and (subject or prev.pos not in ("VERB", "INFN", "GRND", "PRTF", "PRED"))
                        and verb < sent.last and _pronoun_verb(doc, k, verb, subject)):
                    yield Finding(CODE, ERROR, prev.end, t.end,
                                  f"{_PRONOUN_MESSAGE}: перед «{t.text}» нужна запятая (или точка).",
                                  "," + doc.text[prev.end:t.end])
                    left_predicate = False
                    continue
            if _loose_predicate(t):
                left_predicate = True


def _pronoun_verb(doc: Doc, k: int, verb: int, subject: bool) -> bool:
    """Whether token ``verb`` is a finite verb that the pronoun at ``k`` can go with."""
    word = doc.toks[verb]
    if not subject:
        return word.lower in _MODAL_PREDICATIVES or _surely_finite(word.text)
    if not _surely_finite(word.text):
        return False
    form = _verb_form(tag(word.text))
    return form is not None and any(_can_be_subject(tg, form) for tg in all_tags(doc.toks[k].text))


def _enumeration(doc: Doc) -> Iterator[Finding]:
    """«по понедельникам средам и пятницам» → «по понедельникам, средам и пятницам»: three nouns in
    one case, the last after «и», the first two with nothing between them. Not the genitive
    («для жителей домов и квартир»: a noun and its complement) and not names."""
    toks = doc.toks
    for j, t in enumerate(toks):
        if t.lower != "и" or not t.prose or j < 2 or j + 1 >= len(toks):
            continue
        w1, w2, w3 = toks[j - 2], toks[j - 1], toks[j + 1]
        if not all(w.is_word and w.pos == "NOUN" and w.text.islower() for w in (w1, w2, w3)):
            continue
        if doc.text[w1.end:w2.start].strip() or doc.text[w2.end:t.start].strip():
            continue
        cases = {tag(w.text).case for w in (w1, w2, w3)}
        if len(cases) != 1 or cases & {"gent", "gen2", None}:
            continue
        if j >= 3 and toks[j - 3].is_word and toks[j - 3].pos in ("ADJF", "PRTF", "NUMR"):
            continue  # «новую краску кисти и валик»: the adjective may hold the first two together
        if j >= 3 and toks[j - 3].is_word and toks[j - 3].pos == "PREP":
            # «в администрацию паспорт и договор»: the preposition may govern the first noun only;
            # members of one list inside it agree («по понедельникам средам и пятницам»)
            g1, g2 = tag(w1.text), tag(w2.text)
            if g1.number != g2.number or (g1.number == "sing" and g1.gender != g2.gender):
                continue
        yield Finding(CODE, ERROR, w1.end, w2.start,
                      "Однородные члены перечисления разделяются запятой.", ", ")


_EXTRA_COMMA = "Лишняя запятая"


def _extra_comma(doc: Doc) -> Iterator[Finding]:
    """A comma where grammar allows none: after a preposition («в, пятницу»), after a lone «и»/«или»
    that opens no inserted phrase («фонарь и, лампу заменим»), or between the subject and its
    verb in a sentence's first clause («Мастер, заменит фонарь»)."""
    toks = doc.toks
    for k, t in enumerate(toks):
        if t.text != "," or not t.prose or k == 0 or k + 1 >= len(toks) or not _boundary(doc, k):
            continue
        before, after = toks[k - 1], toks[k + 1]
        if not (before.is_word and after.is_word):
            continue
        sent = doc.sent_of(k)
        why: str | None = None
        if before.pos == "PREP":
            why = f"после предлога «{before.text}» запятая не ставится"
        elif before.lower in ("и", "или", "но", "а") and (k < 2 or doc.toks[k - 2].end < before.start) and not any(
                toks[j].text in (",", "—", "(") for j in range(k + 1, sent.last)):
            why = f"после «{before.text}» запятая ставится, только если за ней идёт вставка"
        elif _subject_comma(doc, k, sent.first):
            why = "подлежащее и сказуемое запятой не разделяются"
        if why:
            yield Finding(CODE, ERROR, t.start, t.end, f"{_EXTRA_COMMA}: {why}.", "")


def _subject_comma(doc: Doc, k: int, first: int) -> bool:
    """«Мастер, заменит фонарь»: the only comma of the sentence so far stands between a noun (or a
    pronoun) in the nominative and a finite verb agreeing with it."""
    toks = doc.toks
    noun, verb = toks[k - 1], toks[k + 1]
    if any(not toks[j].is_word or toks[j].lower in _JOINERS for j in range(first, k - 1)):
        return False  # an earlier mark or clause word: the comma may close an inserted phrase
    if not _surely_finite(verb.text) or (noun.text[:1].isupper() and _is_name(noun.text)):
        return False  # «Анна, заменим»: an address, not a subject
    form = _verb_form(tag(verb.text))
    tags = all_tags(noun.text)
    return form is not None and bool(tags) and all(tg.POS in ("NOUN", "NPRO") for tg in tags) \
        and any(_can_be_subject(tg, form) for tg in tags) and tag(noun.text).case == "nomn"


# Abbreviations of a kind of place, followed by its name: «ул. Трудовой», «г. Пермь».
_PLACE_ABBREVIATIONS = frozenset({"ул", "пр", "пер", "пл", "мкр", "просп", "г", "д", "с", "п", "х", "ст", "пос"})


def _abbreviation_stop(doc: Doc, k: int, end: int) -> bool:
    """Whether the stop at token k belongs to an abbreviation inside the sentence: a small letter
    follows, or a place's name follows its kind («ул. Трудовой»)."""
    if k + 1 >= end or k == 0 or not doc.toks[k - 1].is_word:
        return False
    nxt = doc.toks[k + 1]
    return nxt.is_word and (nxt.text[0].islower() or doc.toks[k - 1].lower in _PLACE_ABBREVIATIONS)


_FUTURE_BE = frozenset({"буду", "будешь", "будет", "будем", "будете", "будут"})
_MODAL_PREDICATIVES = frozenset({"можно", "нужно", "надо", "нельзя", "необходимо"})


def _infinitive(doc: Doc, k: int, end: int) -> bool:
    return 0 <= k < end and doc.toks[k].is_word and doc.toks[k].pos == "INFN"


def _predicate_at(doc: Doc, k: int, end: int) -> bool:
    word = doc.toks[k]
    if word.lower in _FUTURE_BE:
        return _infinitive(doc, k + 1, end)
    if word.lower in _MODAL_PREDICATIVES:
        # «записаться можно», «записываться не нужно», «нужно записаться»
        before = k - 2 if k > 1 and doc.toks[k - 1].lower == "не" else k - 1
        return _infinitive(doc, k + 1, end) or (before >= 0 and _infinitive(doc, before, end))
    return _surely_finite(word.text) or _surely_short_participle(word.text) or (
        _surely_imperative(word.text) and not _infinitive(doc, k + 1, end))


@lru_cache(maxsize=50_000)
def _surely_short_participle(word: str) -> bool:
    """A short participle is always a predicate («деньги заложены»): every reading is one."""
    parses = morph.analyzer().parse(word)
    return bool(parses) and all(p.tag.POS == "PRTS" for p in parses)


@lru_cache(maxsize=50_000)
def _surely_imperative(word: str) -> bool:
    """«возьмите», «позвоните»: every reading a verb, the likeliest an imperative; not «давай(те)»,
    which only leads the verb after it."""
    parses = morph.analyzer().parse(word)
    if not parses or parses[0].tag.mood != "impr" or any(p.tag.POS != "VERB" for p in parses):
        return False
    return parses[0].normal_form not in _AUXILIARIES and parses[0].normal_form not in ("давать", "дать")


@lru_cache(maxsize=50_000)
def _surely_finite(word: str) -> bool:
    """Every reading of the word is a finite verb (not «стали», «мой», «есть»), the likeliest one
    in the indicative; a rare short participle of the present («собираем») does not count."""
    parses = morph.analyzer().parse(word)
    if not parses or parses[0].tag.POS != "VERB" or parses[0].tag.mood != "indc":
        return False
    if any(p.tag.POS != "VERB" and not (p.tag.POS == "PRTS" and p.tag.tense == "pres") for p in parses):
        return False
    return parses[0].normal_form not in _AUXILIARIES


# «пойду посмотрю»: a colloquial pair, not two predicates («давай сделаем»: «давай» is read as an
# imperative, never as finite); «будет осуществлятся»: an auxiliary before a misspelt infinitive
# (spelling's business).
_AUXILIARIES = frozenset({"пойти", "идти", "быть", "стать"})


def _that_after_demonstrative(doc: Doc) -> Iterator[Finding]:
    """«Дело в том что…», «связано с тем что…» → a comma before «что»: the demonstrative after a
    preposition points to the clause («не то что», «потому что» are not this)."""
    toks = doc.toks
    for i in range(2, len(toks)):
        tok, dem, prep = toks[i], toks[i - 1], toks[i - 2]
        if not tok.prose or doc.text[dem.end:tok.start].strip():
            continue
        # «ищут тех кто их сломал», «сделаем то же для тех что остались»: «кто» after any form of
        # «тот», «что» after one that cannot be «не то что», «тем более», «того что»
        if (tok.lower == "кто" and dem.lower in _DEMONSTRATIVES) or (
                tok.lower == "что" and dem.lower in ("тех", "тот", "те", "ту", "той", "теми")):
            if prep.lower not in ("не", "ни") and (i + 1 < len(toks) and toks[i + 1].is_word):
                yield _comma(doc, dem, tok, tok.lower)
            continue
        if tok.lower != "что" or dem.lower not in ("том", "тем", "то", "того", "тому"):
            continue
        if doc.text[dem.end:tok.start].strip() or prep.pos != "PREP" or doc.text[prep.end:dem.start].strip():
            continue
        if prep.lower in ("не", "потому") or (dem.lower == "тем" and prep.lower not in ("с", "за", "перед", "над")):
            continue
        yield _comma(doc, dem, tok, "что")


def _adverbial_phrase(doc: Doc) -> Iterator[Finding]:
    """«Получив результаты мы сразу опубликуем их» → «Получив результаты, мы…»: an adverbial
    participle with its words opens the sentence and runs into the main predicate with no mark."""
    toks = doc.toks
    for sent in doc.sents:
        first = sent.first
        while first < sent.last and not toks[first].is_word:
            first += 1
        if first >= sent.last - 2:
            continue
        g = toks[first]
        if g.pos != "GRND" or g.lower in _GRND_NOT_PHRASE or not g.prose:
            continue
        for k in range(first + 1, sent.last):
            t = toks[k]
            if not t.is_word:
                if t.text in (",", "—", "–", ";", ":", "(", "!", "?"):
                    break
                continue
            if t.lower in ("и", "или"):
                break  # «Получив и проверив…»: two participles, the comma comes later
            if _predicate(t):
                if k - 1 == first:
                    break  # a single participle right before the verb: often an adverb
                # The main clause starts at its subject when one stands before the verb (not the
                # participle's own object right after it): «Осмотрев участок мастер составил…».
                subject = next((j for j in range(first + 2, k) if toks[j].is_word
                                and toks[j].pos in ("NOUN", "NPRO") and "nomn" in all_tags(toks[j].text)[0]), k)
                prev, head = toks[subject - 1], toks[subject]
                yield Finding(CODE, ERROR, prev.end, head.end,
                              f"Деепричастный оборот «{g.text} …» отделяется запятой.",
                              "," + doc.text[prev.end:head.end])
                break


# Words that open a sentence as a parenthesis unless a noun or an infinitive follows as their subject
# («Возможно продление срока» is a statement: «продление возможно»).
_OPENING_PARENTHESES = frozenset({"возможно", "вероятно", "наверное", "видимо", "безусловно", "по-видимому",
                                  "очевидно", "несомненно", "значит"})
_NEVER_PREDICATE = frozenset({"наверное", "видимо", "безусловно", "по-видимому", "значит"})


def _participle_close(doc: Doc) -> Iterator[Finding]:
    """«Видео, присланное вами мы передали участковому» → «…вами, мы передали»: a participial
    phrase after the noun opening the sentence, set off by a comma before it, ends where a subject
    pronoun and its verb start the main clause; a comma must close it there."""
    toks = doc.toks
    for sent in doc.sents:
        words = [k for k in range(sent.first, sent.last) if toks[k].is_word]
        if len(words) < 5:
            continue
        opening = _opening_comma(doc, sent.last, words, lambda t: t.is_word)
        if opening is None:
            continue
        noun, part = toks[opening[0]], toks[opening[1] + 1]
        comma = opening[1]
        pairs = [(p, q) for p in all_tags(part.text) if p.POS == "PRTF"
                 for q in all_tags(noun.text) if q.POS == "NOUN" and p.case == q.case and p.number == q.number]
        if not pairs:
            continue
        for k in range(comma + 2, min(sent.last, comma + 2 + _CLAUSE_WINDOW)):
            t = toks[k]
            if not t.is_word:
                if t.text.isdigit():
                    continue  # «построенный в 1960 году»
                break  # the phrase is closed already, or the sentence goes on otherwise
            if t.lower in _PERSONAL and "nomn" in tag(t.text).grammemes and k + 1 < sent.last \
                    and any(_finite(toks[j]) for j in range(k + 1, min(sent.last, k + 7)) if toks[j].is_word):
                prev = toks[k - 1]
                yield Finding(CODE, ERROR, prev.end, t.end,
                              f"Причастный оборот «{part.text} …» нужно закрыть запятой перед «{t.text}».",
                              "," + doc.text[prev.end:t.end])
                break
            if t.lower in _CONJUNCTIONS or _finite(t):
                break  # a verb of its own before any subject: not this construction


def _agreeing_participle(noun: Tok, part: Tok) -> OpencorporaTag | None:
    """The reading of ``part`` as a participle agreeing with the noun ``noun`` (case, number,
    gender in the singular) and not one used as a plain adjective («следующий»), or None."""
    participles = [p for p in all_tags(part.text) if p.POS == "PRTF"]
    if not participles:
        return None  # most words: no participle reading, no parse of the noun needed
    return next((p for p in participles for q in all_tags(noun.text) if q.POS == "NOUN"
                 and p.case == q.case and p.number == q.number
                 and not (q.number == "sing" and p.gender and q.gender and p.gender != q.gender)
                 and _parse_lemma(part.text, p) not in _ADJ_LIKE_PARTICIPLES), None)


def _participle_subject_close(doc: Doc) -> Iterator[Finding]:
    """«Бригада, выехавшая на место через час устранила утечку» → «…через час, устранила»: a
    participial phrase opened by a comma after the noun it agrees with, before the main clause
    has its predicate, ends where a finite verb comes; a comma must close it there."""
    toks = doc.toks
    for sent in doc.sents:
        words = [k for k in range(sent.first, sent.last) if toks[k].is_word]
        if len(words) < 5:
            continue
        comma = next((k for k in range(sent.first + 1, sent.last - 2) if toks[k].text == ","
                      and toks[k - 1].is_word and toks[k + 1].is_word
                      and _agreeing_participle(toks[k - 1], toks[k + 1]) is not None), None)
        if comma is None or not _subject_pending(doc, sent.first, comma):
            continue  # the main clause has its verb already, or the comma closes another clause
        part = toks[comma + 1]
        for k in range(comma + 2, min(sent.last, comma + 2 + _CLAUSE_WINDOW)):
            t = toks[k]
            if not t.is_word:
                if t.text.isdigit() or (t.text == "." and _abbreviation_stop(doc, k, sent.last)):
                    continue  # «построенный в 1960 году», «на ул. Мира»
                break  # closed already, or the sentence goes on otherwise
            if t.lower in _CONJUNCTIONS or t.lower in _PERSONAL:
                break  # another construction (a pronoun subject: `_participle_close`)
            if _clause_predicate(t) and _finite(t):
                start = k
                while start - 1 > comma + 1 and toks[start - 1].lower in ("не", "уже", "тоже", "также"):
                    start -= 1
                prev = toks[start - 1]
                yield Finding(CODE, ERROR, prev.end, toks[start].end,
                              f"Причастный оборот «{part.text} …» нужно закрыть запятой перед "
                              f"«{toks[start].text}».", "," + doc.text[prev.end:toks[start].end])
                break


_MONTHS_GENITIVE = frozenset({"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
                              "сентября", "октября", "ноября", "декабря"})
# Words naming a day that a date or an hour after a comma makes precise.
_DAY_WORDS = frozenset({"понедельник", "вторник", "среду", "четверг", "пятницу", "субботу", "воскресенье",
                        "день", "вечер", "утро", "сегодня", "завтра", "вчера", "послезавтра"})


def _date_apposition_close(doc: Doc) -> Iterator[Finding]:
    """«Открытие в субботу, 14 декабря в 12:00» → «…14 декабря, в 12:00»; «В тот же день, в 15:20
    рабочие …» → «…в 15:20, рабочие»: a date or an hour set off after the day it makes precise is
    an apposition, closed by a comma too when the sentence goes on."""
    toks = doc.toks
    n = len(toks)
    for i, tok in enumerate(toks):
        if not (tok.is_word and tok.prose and tok.lower in _DAY_WORDS) or i + 2 >= n or toks[i + 1].text != ",":
            continue
        k = i + 2
        if toks[k].is_word and toks[k].lower in ("в", "с", "к"):
            k += 1
        if k + 2 >= n or not toks[k].text.isdigit():
            continue
        if toks[k + 1].text == ":" and toks[k + 2].text.isdigit():
            end = k + 2  # an hour: «в 15:20»
        elif toks[k + 1].is_word and toks[k + 1].lower in _MONTHS_GENITIVE:
            end = k + 1  # a date: «14 декабря», with its year: «14 декабря 2025 года»
            if end + 2 < n and toks[end + 1].text.isdigit() and toks[end + 2].lower in ("года", "г"):
                end += 2
                if toks[end].lower == "г" and end + 1 < n and toks[end + 1].text == ".":
                    end += 1
        else:
            continue
        nxt = toks[end + 1] if end + 1 < n else None
        if nxt is None or not nxt.is_word or not nxt.prose or nxt.lower in _COORDINATORS:
            continue
        if nxt.lower in _SUBORDINATORS or nxt.lower in _CONJUNCTIONS:
            continue  # «в четверг, 17 октября если …»: the clause's own rule marks that comma
        if doc.text[toks[end].end:nxt.start].strip():
            continue  # closed already, or a mark of its own
        what = doc.text[toks[i + 2].start:toks[end].end]
        yield Finding(CODE, ERROR, toks[end].end, nxt.end, f"Уточнение «{what}» закрывается запятой.",
                      "," + doc.text[toks[end].end:nxt.end])


def _opening_parenthesis(doc: Doc) -> Iterator[Finding]:
    """«Возможно в этом году мы сделаем вход» → «Возможно, в этом году…»."""
    toks = doc.toks
    for i in doc.starts:
        tok = toks[i]
        if tok.lower not in _OPENING_PARENTHESES or i + 1 >= len(toks):
            continue
        nxt = toks[i + 1]
        if not nxt.is_word or doc.text[tok.end:nxt.start].strip():
            continue
        top = all_tags(nxt.text)[0] if all_tags(nxt.text) else None
        if top is not None and tok.lower not in _NEVER_PREDICATE and (
                top.POS == "INFN" or (top.POS in ("NOUN", "ADJF", "PRTF", "NUMR") and "nomn" in top)):
            continue
        if top is not None and top.POS == "CONJ":
            continue
        if not _predicate_between(doc, i + 1, doc.sent_of(i).last):
            continue
        yield Finding(CODE, ERROR, tok.start, tok.end, f"Вводное «{tok.text}» выделяется запятой.", tok.text + ",")


# Nouns of a source of information: «по данным больницы», «по их заключению», «по словам жителей»
# open a parenthesis (Розенталь, § 92), closed by a comma after the source.
_SOURCE_NOUNS = frozenset({"данным", "словам", "мнению", "сведениям", "информации", "заключению",
                           "оценкам", "подсчётам", "подсчетам", "прогнозам", "прогнозу"})
_POSSESSIVES = frozenset({"его", "её", "ее", "их", "наш", "нашим", "нашему", "нашей", "ваш", "вашим",
                          "вашему", "вашей"})


_LISTED = frozenset(words for words, _, _ in _PARENTHETICAL)


def _source_parenthesis(doc: Doc) -> Iterator[Finding]:
    """«По данным больницы обе машины были на вызовах» → «По данным больницы, обе…»: «по» + a
    source noun (after a possessive, or before the source in the genitive) opening a sentence or a
    clause after a comma, and the clause going on with no comma after the source."""
    toks = doc.toks
    for i, tok in enumerate(toks):
        if tok.lower != "по" or not tok.prose:
            continue
        prev = toks[i - 1] if i > 0 else None
        if not (i in doc.starts or (prev is not None and prev.text == ",")):
            continue
        k = i + 1
        own = k < len(toks) and toks[k].lower in _POSSESSIVES
        if own:
            k += 1
        if k >= len(toks) or toks[k].lower not in _SOURCE_NOUNS:
            continue
        if i in doc.starts and tuple(t.lower for t in toks[i:k + 1]) in _LISTED:
            continue  # «По нашим данным …» opening a sentence: the parenthetical rule has it
        end = k
        # the source in the genitive: «больницы», «районной больницы», «ГИБДД», «жителей дома 5»
        j = k + 1
        # a possessive already names the source: «по их заключению трубы …» has no genitive after
        while not own and j < len(toks) and toks[j].is_word and (_genitive(toks[j].text) or toks[j].text.isupper()):
            end = j
            j += 1
            if j < len(toks) and toks[j].text.isdigit() and j + 1 < len(toks) and toks[j + 1].is_word:
                end = j
                j += 1
        if end == k and not own:
            continue  # «по данным» alone is no source: «по данным вопросам» went in the loop
        if j >= len(toks) or not toks[j].is_word or not toks[j].prose:
            continue
        if not (_predicate_between(doc, j, doc.sent_of(j).last) or (j + 1 < len(toks) and toks[j + 1].is_word)):
            continue  # a clause goes on: its predicate, or two words at least («его состояние стабильное»)
        phrase = doc.text[tok.start:toks[end].end]
        yield Finding(CODE, ERROR, tok.start, toks[end].end,
                      f"Вводное «{phrase}» отделяется запятой.", phrase + ",")


@lru_cache(maxsize=50_000)
def _genitive(word: str) -> bool:
    """Whether the likeliest reading of a noun or an adjective is in the genitive."""
    tags = all_tags(word)
    return bool(tags) and tags[0].POS in ("NOUN", "ADJF", "PRTF") and tags[0].case == "gent"


def _trailing_adverbial(doc: Doc) -> Iterator[Finding]:
    """«…выходите из подъезда не включая свет» → «…из подъезда, не включая свет»: an adverbial
    participle with a word of its own after a clause's predicate, with no mark before it."""
    toks = doc.toks
    for sent in doc.sents:
        for k in range(sent.first + 2, sent.last - 1):
            g = toks[k]
            negated = toks[k - 1].lower == "не"
            # «включая», «исходя из» are prepositions here; «не включая свет» is a participle
            participle = g.pos == "GRND" or (negated and g.lower in _GRND_NOT_PHRASE)  # tagged a preposition
            if not participle or not g.prose or (g.lower in _GRND_NOT_PHRASE | {"исходя"} and not negated):
                continue
            start = k - 1 if negated else k
            before = toks[start - 1]
            if not before.is_word or before.lower in _CONJUNCTIONS or before.pos in ("PREP", "CONJ", "PRCL"):
                continue  # a mark, «и», «а» before it: a comma is there or is not needed
            nxt = toks[k + 1]
            if not nxt.is_word or nxt.pos in ("CONJ",) or _predicate(nxt):
                continue  # a lone participle («шли молча»): an adverb, no comma
            if not any(_predicate(toks[j]) for j in range(sent.first, start) if toks[j].is_word):
                continue
            if any(toks[j].text in (",", "—", ";", ":") for j in range(start - 1, start)):
                continue
            yield Finding(CODE, ERROR, before.end, toks[start].end,
                          f"Деепричастный оборот «{doc.text[toks[start].start:g.end]} …» отделяется запятой.",
                          "," + doc.text[before.end:toks[start].end])


def _final_mark(doc: Doc) -> Iterator[Finding]:
    """The answer ends with a full stop (or «!», «?», «…»); a signature line after it needs none."""
    lines = [ln for ln in doc.text.rstrip().split("\n") if ln.strip()]
    if not lines:
        return
    last = lines[-1].rstrip()
    # «С уважением, администрация…», a name or a phone alone on the last line: a signature.
    if len(lines) > 1 and (re.match(r"\s*С\s+уважением", last, re.IGNORECASE) or (len(last.split()) <= 6
                           and not re.search(r"[.!?…]", last))):
        return
    if last.endswith(")") and last.count(")") > last.count("("):
        return  # «Спасибо)»: a smiley, not a bracket
    end = re.sub(r"[»)\"' ]+\Z", "", last)
    if not end or end[-1] in _END_MARKS or not re.search(r"[А-Яа-яЁё]", last):
        return
    if not doc.in_prose(len(doc.text.rstrip()) - 1):
        return  # ends with a link or an e-mail
    pos = len(doc.text.rstrip())
    yield Finding(CODE, ERROR, pos - 1, pos, "В конце ответа нужна точка.", doc.text.rstrip()[-1] + ".")


_OPEN_BRACKET_RE = re.compile(r"(?P<glued>(?<=[0-9А-Яа-яЁёA-Za-z.:]))?\((?P<spaces> *)(?=\S)")
_CLOSE_BRACKET_RE = re.compile(r"(?<=\S) +\)")


def _bracket_spacing(doc: Doc) -> Iterator[Finding]:
    """«до 17:00( по записи )» → «до 17:00 (по записи)»: a space before «(», none inside."""
    for m in _OPEN_BRACKET_RE.finditer(doc.text):
        glued, inside = m.group("glued") is not None, bool(m.group("spaces"))
        if not (glued or inside) or not doc.in_prose(m.start()):
            continue
        if glued and not inside and re.match(r"\(\w{1,4}\)", doc.text[m.start():m.start() + 7]):
            continue  # «пункт 148(36)», «ст. 5(а)»: a numbering, not a remark in brackets
        message = "Перед скобкой нужен пробел." if glued else "Лишний пробел после скобки."
        if glued and inside:
            message = "Перед скобкой нужен пробел, после неё — нет."
        yield Finding(CODE, ERROR, m.start(), m.end(), message, " (" if glued else "(")
    for m in _CLOSE_BRACKET_RE.finditer(doc.text):
        if doc.in_prose(m.start()):
            yield Finding(CODE, ERROR, m.start(), m.end(), "Лишний пробел перед скобкой.", ")")


def _vocative(doc: Doc, author_names: list[str]) -> Iterator[Finding]:
    """«Спасибо Нина Ивановна за добрые слова»: the author's own name, addressed inside a sentence
    (not in the opening greeting), is set off by commas; with the patronymic after it as one."""
    names = {n.lower() for n in author_names}
    if not names:
        return
    toks = doc.toks
    # An opening greeting with the name is `_greeting_comma`'s; any other first sentence
    # («Спасибо Ольга за вопрос!») is read here like the rest.
    greets = bool(_GREETING_NAME_RE.match(doc.text) or _NAME_GREETING_RE.match(doc.text)
                  or _GREETING_START_RE.match(doc.text))
    first_sentence_end = doc.sents[0].last if doc.sents and greets else 0
    covered = -1
    for i, tok in enumerate(toks):
        if tok.lower not in names or not tok.prose or i < first_sentence_end or i < covered:
            continue
        if not any("nomn" in t for t in all_tags(tok.text)):
            continue
        end = i + 1
        if end < len(toks) and toks[end].is_word and any("Patr" in t for t in all_tags(toks[end].text)):
            end += 1
        prev = toks[i - 1] if i > 0 else None
        if prev is not None and prev.is_word and prev.lower.startswith(("уважаем", "дорог")):
            continue  # «Уважаемая Нина Ивановна, …» opens a sentence as a whole
        need_before = prev is not None and prev.is_word and not doc.text[prev.end:tok.start].strip() \
            and i not in doc.starts and prev.pos not in ("PREP", "CONJ")
        nxt = toks[end] if end < len(toks) else None
        if nxt is not None and nxt.is_word and nxt.text[:1].isupper() and end == i + 1:
            continue  # «глава Нина Петрова»: a name with a surname is not an address
        need_after = nxt is not None and nxt.is_word and not doc.text[toks[end - 1].end:nxt.start].strip()
        if not (need_before or need_after):
            continue
        covered = end
        phrase = doc.text[tok.start:toks[end - 1].end]
        start = prev.end if need_before and prev is not None else tok.start
        fixed = (", " if need_before else "") + phrase + ("," if need_after else "")
        yield Finding(CODE, ERROR, start, toks[end - 1].end, f"Обращение «{phrase}» выделяется запятыми.", fixed)


def check(doc: Doc, *, author_names: list[str]) -> list[Finding]:
    found: list[Finding] = []
    for gen in (_spacing(doc), _balance(doc), _capitals(doc), _greeting_comma(doc, author_names),
                _conjunctions(doc), _parenthetical(doc), _yes_comma(doc),
                _relative_clause_close(doc), _participle_comma(doc), _subordinate_comma(doc), _compound_sentence(doc),
                _fronted_clause(doc), _imperative_after_clause(doc), _you_are_right(doc), _repeated_and(doc), _name_apposition(doc), _run_on_predicates(doc), _pronoun_clause(doc), _extra_comma(doc),
                _enumeration(doc), _indirect_question(doc),
                _that_after_demonstrative(doc), _adverbial_phrase(doc), _date_apposition_close(doc), _participle_close(doc), _participle_subject_close(doc),
                _opening_parenthesis(doc), _source_parenthesis(doc), _trailing_adverbial(doc),
                _final_mark(doc), _bracket_spacing(doc),
                _vocative(doc, author_names)):
        found.extend(gen)
    # The pronoun rule is the widest net: where another rule already marks the same join (a
    # run-on, a fronted «если» clause), that rule's finding is the one kept.
    # The same comma found by two rules (a fronted clause and its imperative): one finding.
    commas: set[int] = set()
    kept: list[Finding] = []
    for f in found:
        if f.suggestion and f.suggestion.startswith(","):
            if f.start in commas:
                continue
            commas.add(f.start)
        kept.append(f)
    found = kept
    pronoun = [f for f in found if f.message.startswith(_PRONOUN_MESSAGE)]
    others = [f for f in found if not f.message.startswith(_PRONOUN_MESSAGE)]
    return others + [f for f in pronoun if not any(o.start <= f.start <= o.end for o in others)]
