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
from collections.abc import Iterator

from otklik.texts import morph

from ._doc import Doc, Tok, all_tags
from .findings import ERROR, WARNING, Finding

CODE = "punctuation"

_SPACE_BEFORE_RE = re.compile(r"(?<=[^\W_])[ \t]+([,;:!?]|\.(?!\.))(?![\d\w])")
_NO_SPACE_AFTER_RE = re.compile(
    r"(?P<mark>[,;!?])(?=[А-Яа-яЁёA-Za-z])|(?P<colon>:)(?=[А-Яа-яЁё])"
    r"|(?<![\s.А-ЯЁA-Z][А-ЯЁA-Z])(?<!^[А-ЯЁA-Z])(?P<dot>\.)(?=[А-ЯЁ][а-яё])"
)
_DOUBLE_SPACE_RE = re.compile(r"(?<=\S) {2,}(?=\S)")
_DOUBLE_MARK_RE = re.compile(r",{2,}|;{2,}|!{2,}|\?{2,}|:{2,}|(?<!\.)\.\.(?!\.)|\.{4,}")
_LIST_MARKER_RE = re.compile(r"(?:^|[\s;:])[0-9a-zа-яё]{1,2}\)\Z", re.IGNORECASE)

_GREETING = r"(?:Здравствуйте|Добрый\s+(?:день|вечер)|Доброе\s+утро|Доброго\s+(?:дня|времени\s+суток))"
_GREETING_NAME_RE = re.compile(r"\A(\s*)(" + _GREETING + r")[ \t]+([А-ЯЁ][а-яё]+)")
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
    ["внимание", "известно", "понятно", "видно", "ясно", "жаль", "важно", "уверены", "уверен", "уверена", "рады", "рад", "рада", "очевидно", "надеемся", "надеюсь"]
)
_WHICH_FORMS = frozenset(["который", "которая", "которое", "которые", "которую", "которому", "которым"])
_WHICH_ALL = _WHICH_FORMS | frozenset(["которого", "которой", "которых", "котором", "которыми"])
_DEMONSTRATIVES = frozenset(["тот", "та", "то", "те", "того", "тех", "тому", "тем", "той"])
_CONJUNCTIONS = frozenset(["и", "а", "но", "или", "да", "что", "чтобы", "если", "как", "когда", "либо", "ни"])

# Parenthetical words: (words, allowed inside a sentence, severity at the start)
_PARENTHETICAL: list[tuple[tuple[str, ...], bool, str]] = [
    (("к", "сожалению"), True, ERROR),
    (("к", "счастью"), True, ERROR),
    (("кроме", "того"), False, ERROR),
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
    for i, ch in enumerate(text):
        if not _in_prose(doc, i):
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
        if not _in_prose(doc, i):
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
})


def _said_before(doc: Doc, i: int) -> bool:
    """A verb of saying or knowing within four words before token i, no punctuation between."""
    for k in range(i - 1, max(i - 5, -1), -1):
        t = doc.toks[k]
        if not t.is_word or t.lower in _NO_COMMA_BEFORE:
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


_NOT_ONLY_RE = re.compile("не только", re.IGNORECASE)


def _not_only_between(starts: list[int], start: int, end: int) -> bool:
    """Whether «не только» stands in ``doc.text[start:end]``; ``starts`` are its positions (one
    search of the text, not one of the sentence at every «но»)."""
    k = bisect_left(starts, start)
    return k < len(starts) and starts[k] + len("не только") <= end


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
            continue
        sent = doc.sent_of(i)
        if low == "что":
            if nxt is None or not nxt.is_word or nxt.lower in ("ли", "бы", "же", "иное"):
                continue
            if prev.lower in _NO_COMMA_BEFORE:
                continue
            if prev.pos in ("VERB", "INFN") or prev.lower in _THAT_HEADS or _said_before(doc, i):
                yield _comma(doc, prev, tok, "что")
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
            elif low not in _WHICH_FORMS:
                continue  # «жильцы которого»: genitive without a preposition is ambiguous
            if head is None:
                continue
            if head.pos == "NOUN" or head.lower in _DEMONSTRATIVES:
                yield _comma(doc, head, tok, tok.text)
        elif low == "но":
            if nxt is None or not nxt.is_word or nxt.lower in ("и", "также"):
                continue
            if not_only is None:
                not_only = [m.start() for m in _NOT_ONLY_RE.finditer(doc.text)]
            if prev.lower in _CONJUNCTIONS or _not_only_between(not_only, sent.start, tok.start):
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
            need_after = after is not None and after.is_word
            phrase = doc.text[tok.start : toks[j - 1].end]
            if i in starts:
                if words == ("кроме", "того") and after is not None and after.pos in ("NOUN", "ADJF"):
                    continue  # «Кроме того дома …»: a preposition, not a parenthesis
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


def _relative_clause_close(doc: Doc) -> Iterator[Finding]:
    """«Дома, которые построены после 2020 года подключат бесплатно»: a «который» clause inside
    the subject at the start of a sentence holds its own predicate; a second predicate before the
    next mark belongs to the main clause, and a comma must close the relative clause before it."""
    toks = doc.toks
    for sent in doc.sents:
        words = [k for k in range(sent.first, sent.last) if toks[k].is_word]
        if len(words) < 4:
            continue
        # The subject opens the sentence: one or two words, then «, который…».
        for n in (1, 2):
            comma = words[n - 1] + 1
            if comma < sent.last and toks[comma].text == "," and comma + 1 < sent.last \
                    and toks[comma + 1].lower in _WHICH_FORMS:
                break
        else:
            continue
        if not any(tg.POS == "NOUN" and "nomn" in tg for tg in all_tags(toks[words[n - 1]].text)):
            continue
        predicates: list[int] = []
        for k in range(comma + 2, sent.last):
            t = toks[k]
            if not t.is_word:
                if t.text in ("(", "\"", "«", "»"):
                    break
                if not any(ch.isdigit() for ch in t.text):
                    break  # the next mark ends the clause
                continue
            if t.lower in _CONJUNCTIONS or t.pos == "CONJ":
                predicates = []
                break
            tags = all_tags(t.text)
            if tags and tags[0].POS in _PREDICATE_POS and all(
                    tg.POS in _PREDICATE_POS | {"INFN", "PRTF"} for tg in tags):
                predicates.append(k)
        if len(predicates) == 2:
            second = toks[predicates[1]]
            prev = toks[predicates[1] - 1]
            yield Finding(CODE, ERROR, prev.end, second.end,
                          f"Придаточное «{toks[comma + 1].text} …» нужно закрыть запятой перед "
                          f"«{second.text}».",
                          "," + doc.text[prev.end : second.end])


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
        pair = next(((p, n) for p in all_tags(part.text) if p.POS == "PRTF"
                     and _parse_lemma(part.text, p) not in _ADJ_LIKE_PARTICIPLES
                     for n in all_tags(noun.text) if n.POS == "NOUN" and p.case == n.case
                     and p.number == n.number and not (n.number == "sing" and p.gender
                                                       and n.gender and p.gender != n.gender)),
                    None)
        if pair is None:
            continue
        p_tag = pair[0]
        if any(t.POS in ("NOUN", "ADJF", "PRTF") and t.case == p_tag.case
               and t.number == p_tag.number for t in all_tags(dep.text)):
            continue  # «вида разрешённого использования»: it is the next noun's attribute
        yield Finding(CODE, ERROR, noun.end, part.end,
                      f"Причастный оборот «{part.text} …» после слова «{noun.text}» выделяется "
                      "запятыми.", "," + doc.text[noun.end:part.end])


def check(doc: Doc, *, author_names: list[str]) -> list[Finding]:
    found: list[Finding] = []
    for gen in (_spacing(doc), _balance(doc), _capitals(doc), _greeting_comma(doc, author_names),
                _conjunctions(doc), _parenthetical(doc), _yes_comma(doc),
                _relative_clause_close(doc), _participle_comma(doc)):
        found.extend(gen)
    return found
