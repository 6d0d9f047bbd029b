"""One-tap fixes of the bureaucratese check that leave correct Russian behind.

The web editor replaces ``answer[start:end]`` with the suggestion and checks the text again, so a
suggestion must fit the sentence it lands in, not just name a plainer word. «в целях обеспечения
надлежащего освещения территории» is rewritten as a whole: «чтобы обеспечить надлежащее
освещение территории», the noun phrase put from the genitive into the accusative with its
adjectives agreeing (pymorphy3 paradigms through ``otklik.texts.morph``). A phrase that cannot be
rewritten grammatically gets no suggestion (``None``); its finding and message stay.

What the rewrites share:

* A *noun phrase* is adjectives and participles agreeing with a noun («надлежащего освещения»),
  possibly joined by «и», «или» or a comma to more phrases in the same case («безопасности и
  порядка»). What follows it in the genitive, numbers, quoted names and prepositional phrases is
  its *tail* («территории», «от 06.10.2003 № 131-ФЗ», «на улице Ленина»), copied as written.
* A rewritten form is offered only when the dictionary knows it and its adjectives agree with its
  noun (``morph.agrees``); otherwise the fix is dropped, never guessed.
* A fix at the start of a sentence starts with a capital letter, anywhere else with a small one.
* A «чтобы» clause is set off by commas: before it inside a sentence, after it when the sentence
  goes on, so «В целях обеспечения освещения территории осуществляется замена ламп» becomes
  «Чтобы обеспечить освещение территории, осуществляется замена ламп»; the span then runs to the
  end of the tail, where the comma goes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pymorphy3.tagset import OpencorporaTag

from otklik.texts import morph

from ._doc import ABBREVIATIONS, Doc, Tok

# What a fix is: (start, end) in the text and the replacement, or None when there is none.
Fix = tuple[int, int, str | None]

MAX_TAIL = 40
MAX_JOINED = 8  # noun phrases joined by «и», «или», commas
_NOMINAL = frozenset({"NOUN", "ADJF", "PRTF", "NUMR", "NPRO"})
_MODIFIERS = frozenset({"ADJF", "PRTF"})
_AND = frozenset({"и", "или"})
# Words after which «чтобы» needs no comma: conjunctions, particles, «для того».
_NO_COMMA_BEFORE = frozenset({
    "и", "или", "а", "но", "да", "либо", "не", "ни", "лишь", "только", "именно", "даже",
    "также", "тоже", "затем", "для", "того", "потому", "так", "то", "же", "бы",
})
_VERB_FORMS = frozenset({"VERB", "INFN", "PRTF", "PRTS", "GRND"})
_PERSONAL = frozenset({"я", "ты", "он", "она", "оно", "мы", "вы", "они"})
_WILL = frozenset({"буду", "будешь", "будет", "будем", "будете", "будут"})
_VOWELS = "аоуэиы"
# «обо всём», «обо мне»: «обо» before these; «об» before another vowel, «о» before a consonant.
_OBO = frozenset({"всем", "всём", "всех", "мне", "что"})

# «в целях обеспечения X» → «чтобы обеспечить X»: a verbal noun → (its verb, whether the verb
# takes a direct object, which then goes from the genitive into the accusative). Perfective verbs
# where the answer means a result; a verb that governs another case keeps the noun's object as it
# is («содействия развитию» → «содействовать развитию»).
PURPOSE_VERBS: dict[str, tuple[str, bool]] = {
    "обеспечение": ("обеспечить", True),
    "улучшение": ("улучшить", True),
    "повышение": ("повысить", True),
    "проведение": ("провести", True),
    "организация": ("организовать", True),
    "предотвращение": ("предотвратить", True),
    "недопущение": ("не допустить", False),  # «не допустить подтопления»: the genitive stays
    "снижение": ("снизить", True),
    "сохранение": ("сохранить", True),
    "создание": ("создать", True),
    "защита": ("защитить", True),
    "устранение": ("устранить", True),
    "уменьшение": ("уменьшить", True),
    "увеличение": ("увеличить", True),
    "выполнение": ("выполнить", True),
    "исполнение": ("исполнить", True),
    "реализация": ("реализовать", True),
    "соблюдение": ("соблюдать", True),
    "поддержание": ("поддерживать", True),
    "поддержка": ("поддержать", True),
    "развитие": ("развивать", True),
    "оказание": ("оказать", True),
    "предоставление": ("предоставить", True),
    "привлечение": ("привлечь", True),
    "уточнение": ("уточнить", True),
    "получение": ("получить", True),
    "экономия": ("сэкономить", True),
    "охрана": ("охранять", True),
    "предупреждение": ("предупредить", True),
    "содержание": ("содержать", True),
    "подготовка": ("подготовить", True),
    "решение": ("решить", True),
    "рассмотрение": ("рассмотреть", True),
    "укрепление": ("укрепить", True),
    "совершенствование": ("усовершенствовать", True),
    "проверка": ("проверить", True),
    "ремонт": ("отремонтировать", True),
    "уборка": ("убрать", True),
    "вывоз": ("вывезти", True),
    "замена": ("заменить", True),
    "установка": ("установить", True),
    "строительство": ("построить", True),
    "очистка": ("очистить", True),
    "благоустройство": ("благоустроить", True),
    "восстановление": ("восстановить", True),
    "осмотр": ("осмотреть", True),
    "обследование": ("обследовать", True),
    "борьба": ("бороться", False),
    "содействие": ("содействовать", False),
    "помощь": ("помочь", False),
    "участие": ("участвовать", False),
}

_PURPOSE_NOUNS = frozenset(PURPOSE_VERBS)

# «о» + prepositional case fits after words of telling, asking and appealing («обращение о
# ремонте», «сообщаем о ремонте»); after «обращайтесь», «звоните», «приём» it does not, and
# «по поводу» (which keeps the genitive) is used instead.
ABOUT_GOVERNORS = frozenset({
    "обращение", "заявление", "жалоба", "запрос", "письмо", "сообщение", "вопрос", "информация",
    "сведения", "сведение", "разъяснение", "решение", "совещание", "уведомление", "напоминание",
    "сообщить", "сообщать", "рассказать", "рассказывать", "узнать", "узнавать", "спросить",
    "спрашивать", "написать", "писать", "информировать", "думать", "подумать", "говорить",
    "сказать", "напомнить", "напоминать", "предупредить", "уведомить", "помнить", "забыть",
    "договориться", "позаботиться", "заботиться", "рассказ", "ответ",
})


# --------------------------------------------------------------------------- small helpers


def _word(doc: Doc, i: int) -> Tok | None:
    """Token i when it is a word of prose."""
    if 0 <= i < len(doc.toks):
        t = doc.toks[i]
        if t.is_word and t.prose:
            return t
    return None


def _prev_word(doc: Doc, i: int) -> Tok | None:
    """The word right before token i, when nothing but spaces stands between (same sentence)."""
    if i in doc.starts:
        return None
    return _word(doc, i - 1)


def _at_line_start(doc: Doc, i: int) -> bool:
    """Whether token i opens a sentence, or a line (a list item «— В настоящее время …»)."""
    if i in doc.starts:
        return True
    pos = doc.toks[i].start
    while pos and doc.text[pos - 1] in " \t-–—•*":
        pos -= 1
    return pos == 0 or doc.text[pos - 1] == "\n"


def capitalised(doc: Doc, i: int, text: str) -> str:
    """``text`` put where token i starts: a capital letter at the start of a sentence, a small one
    anywhere else."""
    if not text or not text[0].isalpha():
        return text
    if _at_line_start(doc, i) and doc.toks[i].text[:1].isupper():
        return text[0].upper() + text[1:]
    return text[0].lower() + text[1:]


def _render(doc: Doc, first: int, last: int, repl: dict[int, str]) -> str:
    """The text of tokens first..last-1 as written, with the tokens in ``repl`` replaced."""
    toks = doc.toks
    out: list[str] = []
    pos = toks[first].start
    for k in range(first, last):
        out.append(doc.text[pos:toks[k].start])
        out.append(repl.get(k, toks[k].text))
        pos = toks[k].end
    return "".join(out)


def _known(*words: str) -> bool:
    return all(morph.is_known(w) for part in words for w in part.split())


# --------------------------------------------------------------------------- noun phrases


@dataclass(frozen=True, slots=True)
class NounPhrase:
    """Modifiers and their noun, each token with the parse it was read as."""

    words: tuple[tuple[int, OpencorporaTag], ...]

    @property
    def end(self) -> int:
        return self.words[-1][0] + 1

    @property
    def head(self) -> OpencorporaTag:
        return self.words[-1][1]


def _case_tags(word: str, case: str, pos: frozenset[str]) -> list[OpencorporaTag]:
    return [t for t in morph.tags(word) if t.POS in pos and t.case == case]


def noun_phrase(doc: Doc, i: int, case: str) -> NounPhrase | None:
    """The noun phrase in ``case`` starting at token i: agreeing adjectives, then the noun."""
    mods: list[int] = []
    j = i
    while j < i + 6:
        t = _word(doc, j)
        if t is None or (j > i and j != i + len(mods)):
            return None
        tags = morph.tags(t.text)
        if not tags or tags[0].POS not in _NOMINAL or tags[0].POS == "NPRO":
            return None  # «со», «об»: a preposition first, whatever else the dictionary says
        nouns = _case_tags(t.text, case, frozenset({"NOUN"}))
        adjs = _case_tags(t.text, case, _MODIFIERS)
        nxt = _word(doc, j + 1)
        more = nxt is not None and bool(_case_tags(nxt.text, case, _MODIFIERS | {"NOUN"}))
        if nouns and not (adjs and more):
            for noun in nouns:
                chosen: list[tuple[int, OpencorporaTag]] = []
                for m in mods:
                    tag = next((a for a in _case_tags(doc.toks[m].text, case, _MODIFIERS)
                                if morph.agrees(a, noun)), None)
                    if tag is None:
                        break
                    chosen.append((m, tag))
                else:
                    return NounPhrase((*chosen, (j, noun)))
            return None
        if not adjs:
            return None
        mods.append(j)
        j += 1
    return None


def noun_phrases(doc: Doc, i: int, case: str,
                 stop: frozenset[str] = frozenset()) -> list[NounPhrase] | None:
    """A noun phrase in ``case`` and those joined to it by «и», «или» or a comma (up to a word
    whose lemma is in ``stop``)."""
    first = noun_phrase(doc, i, case)
    if first is None:
        return None
    out = [first]
    j = first.end
    while len(out) < MAX_JOINED and j < len(doc.toks) and (
            doc.toks[j].lower in _AND or doc.toks[j].text == ","):
        nxt_word = _word(doc, j + 1)
        if nxt_word is not None and (nxt_word.lemma in stop or (
                doc.toks[j].text == "," and morph.tags(nxt_word.text)[0].POS == "PRTF")):
            break  # «графиком, утверждённым главой»: a participle after a comma is no second noun
        nxt = noun_phrase(doc, j + 1, case)
        if nxt is None:
            break
        out.append(nxt)
        j = nxt.end
    return out


def put_in_case(doc: Doc, phrases: list[NounPhrase], case: str) -> dict[int, str] | None:
    """Every word of ``phrases`` in ``case``, agreeing; None when a form is missing, unknown to
    the dictionary or does not agree with its noun."""
    repl: dict[int, str] = {}
    for np in phrases:
        head = np.head
        h_word = doc.toks[np.end - 1].text
        new_head = morph.inflect(h_word, frozenset({"NOUN", head.case, head.number or "sing"}),
                                 frozenset({case}))
        if new_head is None:
            return None
        head_tags = [t for t in morph.tags(new_head) if t.POS == "NOUN" and t.case == case
                     and t.number == head.number]
        if not head_tags:
            return None
        new_head_tag = head_tags[0]
        for k, tag in np.words[:-1]:
            want = {case, head.number or "sing"}
            if head.number == "sing" and tag.gender:
                want.add(tag.gender)
            if case == "accs" and (head.number == "plur" or tag.gender == "masc") \
                    and head.animacy:
                want.add(head.animacy)
            word = morph.inflect(doc.toks[k].text,
                                 frozenset({str(tag.POS), tag.case or case}) | _gram(tag),
                                 frozenset(want))
            if word is None or not any(morph.agrees(t, new_head_tag) for t in morph.tags(word)
                                       if t.POS in _MODIFIERS):
                return None
            repl[k] = word
        repl[np.end - 1] = new_head
    if not _known(*repl.values()):
        return None
    return repl


def _gram(tag: OpencorporaTag) -> frozenset[str]:
    """The number and gender of a modifier's parse: enough to pick that parse again."""
    return frozenset(g for g in (tag.number, tag.gender) if g)


# --------------------------------------------------------------------------- tails


def _abbreviation(doc: Doc, j: int) -> bool:
    """Whether token j is an abbreviation with its full stop: «ул.», «ст.», «д.»."""
    toks = doc.toks
    t = toks[j]
    return t.is_word and j + 1 < len(toks) and toks[j + 1].text == "." and (
        len(t.text) == 1 or t.lower in ABBREVIATIONS)


def tail_end(doc: Doc, j: int, stop: frozenset[str] = frozenset()) -> int | None:
    """The token after the tail starting at j: genitive words, numbers, «№», abbreviations,
    quoted names and prepositional phrases («территории», «от 06.10.2003 № 131-ФЗ», «на улице
    Ленина»). It stops at a mark, a verb, an adverb, a conjunction, a noun in the nominative.
    «и», «или» with a genitive phrase of the number of the tail's last noun go on with the tail
    («освещения улиц и дворов»), unless that phrase starts with a lemma in ``stop``.
    None for a tail longer than MAX_TAIL tokens: not read (and a pasted wall of text in one
    «sentence» is not rescanned for every finding in it)."""
    toks = doc.toks
    if j >= len(toks):
        return j
    sent_end = doc.sent_of(j).last
    limit = min(sent_end, j + MAX_TAIL)
    in_pp = False
    quotes = 0
    while j < limit:
        t = toks[j]
        if quotes:
            quotes += (t.text == "«") - (t.text == "»")
        elif t.text == "«":
            quotes = 1
        elif not t.is_word:
            if not (t.text[:1].isdigit() or t.text in ("№", "/")
                    or (t.text == "." and j > 0 and _abbreviation(doc, j - 1))):
                break
        elif t.lower in _AND and not in_pp and j > 0 and toks[j - 1].is_word:
            joined = noun_phrase(doc, j + 1, "gent")
            numbers = {x.number for x in morph.tags(toks[j - 1].text)
                       if x.POS == "NOUN" and x.case == "gent"}
            if joined is None or joined.head.number not in numbers \
                    or toks[j + 1].lemma in stop:
                break
            j = joined.end
            continue
        elif t.lower in _NO_COMMA_BEFORE or t.lower in ("что", "чтобы", "как", "если", "когда"):
            break
        elif (len(t.text) > 1 and t.text.isupper()) or _abbreviation(doc, j):
            pass  # «РФ», «ГБУЗ», «ул.»
        else:
            tags = morph.tags(t.text)
            best = tags[0].POS if tags else None
            if best == "PREP":
                in_pp = True
            elif best not in _NOMINAL:
                break
            elif in_pp:
                if not any(x.POS in _NOMINAL and x.case and x.case != "nomn" for x in tags):
                    break
                in_pp = best not in ("NOUN", "NPRO")  # the noun ends the prepositional phrase
            elif not any(x.POS in _NOMINAL and x.case == "gent" for x in tags):
                break
        j += 1
    return None if j == limit < sent_end else j


def _participle_after(doc: Doc, j: int, case: str) -> bool:
    """Whether a participle or adjective in ``case`` follows the comma at token j: «графиком,
    утверждённым главой», «доводов, изложенных в обращении». It may agree with the rewritten noun
    and would then have to change too: such phrases are left without a fix."""
    nxt = _word(doc, j + 1)
    return j < len(doc.toks) and doc.toks[j].text == "," and nxt is not None \
        and bool(_case_tags(nxt.text, case, _MODIFIERS))


def _joined_to_head(doc: Doc, phrases: list[NounPhrase], end: int, case: str) -> bool:
    """Whether a phrase in ``case`` joined by «и», «или» or a comma after the tail (token
    ``end``) may belong to the rewritten noun rather than to the tail: «по вопросам ремонта
    дорог и благоустройства дворов». It belongs to the tail when it has the tail's number
    («освещения улиц и дворов»)."""
    toks = doc.toks
    if end >= len(toks) or not (toks[end].lower in _AND or toks[end].text == ","):
        return False
    nxt = noun_phrase(doc, end + 1, case)
    if nxt is None:
        return False
    last = phrases[-1]
    if end == last.end or case != "gent":
        return True  # no tail between, or a tail in another case: it is the head's own
    tail_nouns = [t for t in morph.tags(toks[end - 1].text) if t.POS == "NOUN"]
    return not any(t.number == nxt.head.number for t in tail_nouns)


# --------------------------------------------------------------------------- rewrites


def _span(doc: Doc, first: int, last: int, text: str | None) -> Fix:
    toks = doc.toks
    if text is not None:
        text = capitalised(doc, first, text)
    return toks[first].start, toks[last - 1].end, text


def _none(doc: Doc, first: int, last: int) -> Fix:
    return _span(doc, first, last, None)


def _purpose_clause(doc: Doc, vn: int, repl: dict[int, str]) -> int | None:
    """Rewrites the verbal noun at token ``vn`` and its object into ``repl`` («обеспечения
    надлежащего освещения» → «обеспечить надлежащее освещение») and returns the token after
    what was rewritten; a verbal noun joined by «и» after the tail is rewritten too («… и
    снижения аварийности» → «… и снизить аварийность»). None when it cannot be done."""
    tok = _word(doc, vn)
    if tok is None or tok.lemma not in PURPOSE_VERBS \
            or not _case_tags(tok.text, "gent", frozenset({"NOUN"})):
        return None
    verb, transitive = PURPOSE_VERBS[tok.lemma]
    repl[vn] = verb
    end = vn + 1
    nxt = _word(doc, end)
    if not transitive and nxt is not None:
        # «содействия развитию спорта» → «содействовать развитию спорта»: the noun's complement
        # is the verb's, in the same case
        complement = _oblique_phrase(doc, end)
        if complement is not None:
            end = complement
    elif transitive and nxt is not None:
        phrases = noun_phrases(doc, end, "gent", _PURPOSE_NOUNS)
        if phrases is None:
            if nxt.pos in ("PREP", "NOUN", "ADJF", "PRTF", "NPRO", "NUMR"):
                return None  # an object we cannot read: «в целях проведения в мае субботника»
        else:
            forms = put_in_case(doc, phrases, "accs")
            if forms is None:
                return None
            repl.update(forms)
            end = phrases[-1].end
            after = tail_end(doc, end, _PURPOSE_NOUNS)
            if after is None or _participle_after(doc, after, "gent") or (
                    _joined_to_head(doc, phrases, after, "gent")
                    and not _verbal_noun(doc, after + 1)):
                return None
    after = tail_end(doc, end, _PURPOSE_NOUNS)
    if after is None:
        return None
    if after < len(doc.toks) and doc.toks[after].lower in _AND and _verbal_noun(doc, after + 1):
        return _purpose_clause(doc, after + 1, repl)
    return end


def _oblique_phrase(doc: Doc, i: int) -> int | None:
    """The token after a noun phrase at i in a case other than the nominative and genitive (the
    genitive is a tail; a form that may be nominative may be the next clause's subject)."""
    t = _word(doc, i)
    if t is None:
        return None
    tags = [x for x in morph.tags(t.text) if x.POS in _NOMINAL]
    if not tags or tags[0] is not morph.tags(t.text)[0] or any(x.case == "nomn" for x in tags):
        return None
    for case in dict.fromkeys(str(x.case) for x in tags if x.case not in ("nomn", "gent")):
        np = noun_phrase(doc, i, case)
        if np is not None:
            return np.end
    return None


_MAIN_CLAUSE = frozenset({"VERB", "PRTS", "PRED", "ADVB", "INFN", "GRND", "CONJ", "PRCL",
                          "INTJ", "COMP", "ADJS"})


def _clause_end(doc: Doc, j: int) -> tuple[int, bool] | None:
    """Where a «чтобы» clause whose rewritten words end at token j ends: (the token after it,
    whether the sentence goes on there — with the main clause, which a comma then separates).
    Its genitive tail and prepositional phrases belong to it, and so do phrases in the dative or
    instrumental when only such phrases follow up to a mark («обеспечить жителей питьевой
    водой.»); when the main clause follows them it is not known where the clause ends («…
    безопасность подрядчиком будут установлены знаки»: is «подрядчиком» the agent of
    «установлены»?) and the result is None."""
    oblique = False
    for _ in range(MAX_JOINED):
        stop = tail_end(doc, j)
        if stop is None:
            return None
        word = _word(doc, stop)
        if word is None or stop in doc.starts:
            return stop, False
        further = _oblique_phrase(doc, stop)
        if further is None:
            if oblique:
                return None
            return stop, True  # a verb, an adverb, a conjunction, a subject: the main clause
        oblique = True
        j = further
    return None


def _verbal_noun(doc: Doc, i: int) -> bool:
    t = _word(doc, i)
    return t is not None and t.lemma in PURPOSE_VERBS


def _purpose(doc: Doc, first: int, last: int) -> Fix:
    """«в целях», «с целью», «в целях обеспечения» → «чтобы» + a verb, or «для» with the noun as
    it is («в целях безопасности» → «для безопасности»)."""
    toks = doc.toks
    vn = last - 1 if toks[last - 1].lemma in PURPOSE_VERBS else last
    if vn == last and _word(doc, last) is None:
        return _none(doc, first, last)
    repl: dict[int, str] = {}
    end = _purpose_clause(doc, vn, repl)
    nxt = _word(doc, last)
    prev = _prev_word(doc, first)
    if end is None and nxt is not None and nxt.pos == "INFN" and vn == last:
        # «приехали с целью выяснить» → «приехали, чтобы выяснить»; at the start of a sentence
        # where the clause ends (for its comma) is not known: no fix.
        if prev is None or prev.pos == "PREP":
            return _none(doc, first, last)
        comma = ", " if prev.lower not in _NO_COMMA_BEFORE else " "
        return prev.end, toks[last - 1].end, comma + "чтобы"
    ends = _clause_end(doc, end) if end is not None else None
    if end is None or ends is None:
        if vn == last and nxt is not None and _case_tags(nxt.text, "gent", _NOMINAL):
            return _span(doc, first, last, "для")
        if vn == last - 1:  # «в целях обеспечения …» → «для обеспечения …»
            return _span(doc, first, last, "для " + toks[vn].text)
        return _none(doc, first, last)
    stop, closing = ends
    if prev is not None and prev.pos == "PREP":
        return _none(doc, first, last)
    opening = prev is not None and (closing or prev.lower not in _NO_COMMA_BEFORE)
    clause_end = stop if closing else end
    body = _render(doc, vn, clause_end, repl) if vn < clause_end else ""
    text = "чтобы " + body + ("," if closing else "")
    start = toks[first].start
    if opening and prev is not None:
        return prev.end, toks[clause_end - 1].end, ", " + text
    return start, toks[clause_end - 1].end, capitalised(doc, first, text)


def _about(doc: Doc, first: int, last: int) -> Fix:
    """«по вопросу(ам) X» → «о X» in the prepositional case after words of telling and asking,
    «по поводу X» (the genitive as it is) anywhere else."""
    nxt = _word(doc, last)
    if nxt is not None and nxt.lower in ("о", "об", "обо"):
        # «обращение по вопросу о ремонте» → «обращение о ремонте»
        return _span(doc, first, last + 1, nxt.lower)
    if nxt is None or morph.tags(nxt.text)[0].POS not in _NOMINAL \
            or not _case_tags(nxt.text, "gent", _NOMINAL):
        return _none(doc, first, last)
    gov = _prev_word(doc, first)
    phrases = noun_phrases(doc, last, "gent")
    if gov is not None and gov.lemma in ABOUT_GOVERNORS and phrases is not None:
        forms = put_in_case(doc, phrases, "loct")
        end = phrases[-1].end
        after = tail_end(doc, end)
        if forms is not None and after is not None and not _joined_to_head(
                doc, phrases, after, "gent") and not _participle_after(doc, after, "gent"):
            first_word = forms.get(last, nxt.text).lower()
            prep = "обо" if first_word in _OBO else "об" if first_word[:1] in _VOWELS else "о"
            return _span(doc, first, end, prep + " " + _render(doc, last, end, forms))
    return _span(doc, first, last, "по поводу")


def _case_swap(prep: str, source: str, target: str) -> Callable[[Doc, int, int], Fix]:
    """«в соответствии с X(ablt)» → «по X(datv)», «с использованием X(gent)» → «с X(ablt)»."""

    def fix(doc: Doc, first: int, last: int) -> Fix:
        phrases = noun_phrases(doc, last, source)
        if phrases is None:
            return _none(doc, first, last)
        forms = put_in_case(doc, phrases, target)
        end = phrases[-1].end
        after = tail_end(doc, end)
        if forms is None or after is None or _joined_to_head(doc, phrases, after, source) \
                or _participle_after(doc, after, source):
            return _none(doc, first, last)
        word = forms[last].lower()
        p = prep
        if prep == "с" and ((word[:1] in "сзшжщ" and word[1:2] not in "аеёиоуыэюя")
                            or word.startswith(("мн", "вс"))):
            p = "со"
        return _span(doc, first, end, p + " " + _render(doc, last, end, forms))

    return fix


def _adjective_predicate(doc: Doc, j: int) -> str | None:
    """«являются обязательными» → «обязательны»: the short form of a qualitative adjective,
    the full nominative of another; None when the gender cannot be told («обязательным»)."""
    t = _word(doc, j)
    if t is None:
        return None
    tags = _case_tags(t.text, "ablt", frozenset({"ADJF"}))
    genders = {(x.number, x.gender) for x in tags}
    if len(genders) != 1:
        return None
    number, gender = next(iter(genders))
    want = {number or "sing"} | ({gender} if number == "sing" and gender else set())
    have = frozenset({"ADJF", "ablt"}) | frozenset(want)
    if "Qual" in tags[0].grammemes:
        short = morph.inflect(t.text, have, frozenset({"ADJS"} | want))
        if short is not None and _known(short):
            return short
    full = morph.inflect(t.text, have, frozenset({"nomn"} | want))
    return full if full is not None and _known(full) else None


def _copula(doc: Doc, first: int, last: int) -> Fix:
    """«является собственником» → «— собственник», «являлся» → «был», «будет являться» →
    «будет», «являясь» → «будучи»; «не является» and a predicate before the verb keep no fix."""
    toks = doc.toks
    tok = toks[first]
    prev = _prev_word(doc, first)
    if prev is not None and prev.lower == "не":
        return _none(doc, first, last)
    tags = [t for t in morph.tags(tok.text) if t.POS in ("VERB", "INFN", "GRND")]
    if not tags:
        return _none(doc, first, last)
    tag = tags[0]
    if tag.POS == "GRND":
        return _span(doc, first, last, "будучи")
    if tag.POS == "INFN":
        return _infinitive_be(doc, first, last, prev)
    if tag.tense == "past":
        was = morph.inflect_lemma("быть", "INFN", frozenset(
            g for g in (tag.number, tag.gender, "past", "indc", "VERB") if g))
        return _span(doc, first, last, was)
    if tag.tense != "pres":
        return _none(doc, first, last)
    phrases = noun_phrases(doc, last, "ablt")
    dash = prev is None or prev.lower not in _PERSONAL
    if phrases is None:
        adj = _adjective_predicate(doc, last)
        nxt = _word(doc, last + 1)
        if adj is None or (nxt is not None and _case_tags(nxt.text, "ablt", frozenset({"NOUN"}))):
            return _none(doc, first, last)
        return _span(doc, first, last + 1, adj) if prev is not None else _none(doc, first, last)
    forms = put_in_case(doc, phrases, "nomn")
    end = phrases[-1].end
    after = tail_end(doc, end)
    if forms is None or after is None or _joined_to_head(doc, phrases, after, "ablt") \
            or _participle_after(doc, after, "ablt"):
        return _none(doc, first, last)
    if after < len(toks) - 1 and (toks[after].lower in _AND or toks[after].text == ","):
        nxt = _word(doc, after + 1)
        if nxt is not None and nxt.pos in ("VERB", "PRTS"):
            return _none(doc, first, last)  # «является нарушением и влечёт …»
    body = _render(doc, last, end, forms)
    return _span(doc, first, end, ("— " if dash else "") + body)


def _be(doc: Doc, first: int, last: int) -> Fix:
    """«имеет место» → «есть», «имели место» → «были», «будет иметь место» → «будет»."""
    tok = doc.toks[first]
    prev = _prev_word(doc, first)
    if prev is not None and prev.lower == "не":
        return _none(doc, first, last)
    tags = [t for t in morph.tags(tok.text) if t.POS in ("VERB", "INFN")]
    if not tags:
        return _none(doc, first, last)
    tag = tags[0]
    if tag.POS == "INFN":
        return _infinitive_be(doc, first, last, prev)
    if tag.tense == "pres":
        return _span(doc, first, last, "есть")
    if tag.tense == "past":
        return _span(doc, first, last, morph.inflect_lemma("быть", "INFN", frozenset(
            g for g in (tag.number, tag.gender, "past", "indc", "VERB") if g)))
    return _none(doc, first, last)


def _infinitive_be(doc: Doc, first: int, last: int, prev: Tok | None) -> Fix:
    """«будет являться», «будет иметь место» → «будет»; «может являться» → «может быть»; no fix
    elsewhere («Будет ли иметь место …?»)."""
    if prev is not None and prev.lower in _WILL:
        return _span(doc, first - 1, last, prev.text)
    if prev is not None and any(t.POS in ("VERB", "PRED", "ADJS") for t in morph.tags(prev.text)[:1]):
        return _span(doc, first, last, "быть")
    return _none(doc, first, last)


def _verb_like(tok: Tok, lemma: str, target: str) -> str | None:
    """The form of ``target`` that ``tok`` (a form of ``lemma``) has: «информируем» →
    «сообщаем». Only finite verbs, infinitives and imperatives."""
    aspect = next((t.aspect for t in morph.tags(target) if t.POS == "INFN"), None)
    tags = [t for t in morph.tags(tok.text) if t.POS in ("VERB", "INFN")]
    if not tags or morph.lemma(tok.text) != lemma:
        return None
    tag = next((t for t in tags if t.aspect == aspect), tags[0])
    want = frozenset(g for g in tag.grammemes if g in morph.INFLECTIONAL)
    form = morph.inflect_lemma(target, "INFN", want)
    return morph.match_case(tok.text, form) if form is not None else None


def _dative_object(doc: Doc, j: int) -> tuple[int, str] | None:
    """The object after «информировать» in the dative, as «сообщать» wants it: «жителей» →
    «жителям», «вас» → «вам». (j, "") when there is no object («… о том, что», «…, что»)."""
    t = _word(doc, j)
    if t is None or t.lower in ("о", "об", "обо", "что"):
        return j, ""
    if t.pos == "NPRO":
        word = morph.inflect(t.text, frozenset({"NPRO", "accs"}), frozenset({"datv"}))
        return (j + 1, word) if word is not None else None
    phrases = noun_phrases(doc, j, "accs")
    forms = put_in_case(doc, phrases, "datv") if phrases is not None else None
    if phrases is None or forms is None or not _stands_alone(doc, phrases, "accs"):
        return None
    end = phrases[-1].end
    return end, _render(doc, j, end, forms)


def _stands_alone(doc: Doc, phrases: list[NounPhrase], case: str) -> bool:
    """Whether nothing after the phrases' tail would have to change with them: no phrase in
    their case joined to them, no participle agreeing after a comma."""
    after = tail_end(doc, phrases[-1].end)
    return after is not None and not _joined_to_head(doc, phrases, after, case) \
        and not _participle_after(doc, after, case)


def _inform(target: str, keep_object: bool) -> Callable[[Doc, int, int], Fix]:
    """«информируем» → «сообщаем» with its object in the dative; «информируем вас» → «сообщаем»;
    «дополнительно информируем» → «также сообщаем»."""

    def fix(doc: Doc, first: int, last: int) -> Fix:
        toks = doc.toks
        verb_at = next((k for k in range(first, last) if toks[k].lemma in
                        ("информировать", "сообщать")), None)
        if verb_at is None:
            return _none(doc, first, last)
        vtok = toks[verb_at]
        if vtok.lemma == "сообщать":  # «дополнительно сообщаем» → «также сообщаем»
            return _span(doc, first, verb_at, "также")
        verb = _verb_like(vtok, "информировать", "сообщать")
        if verb is None:
            return _none(doc, first, last)
        prefix = "также " if target == "также" else ""
        if not keep_object:
            return _span(doc, first, last, prefix + verb)
        obj = _dative_object(doc, last)
        if obj is None:
            return _none(doc, first, last)
        end, text = obj
        if not text:
            return _span(doc, first, last, prefix + verb)
        return _span(doc, first, end, prefix + verb + " " + text)

    return fix


def _tell(doc: Doc, first: int, last: int) -> Fix:
    """«доводим до вашего сведения» → «сообщаем»; «доводим до сведения жителей» → «сообщаем
    жителям»."""
    toks = doc.toks
    tok = toks[first]
    target = "сообщать" if tok.lemma == "доводить" else "сообщить"
    verb = _verb_like(tok, tok.lemma, target)
    if verb is None:
        return _none(doc, first, last)
    phrases = noun_phrases(doc, last, "gent") if last - first == 3 else None
    if phrases is not None:
        forms = put_in_case(doc, phrases, "datv")
        if forms is None or not _stands_alone(doc, phrases, "gent"):
            return _none(doc, first, last)
        end = phrases[-1].end
        return _span(doc, first, end, verb + " " + _render(doc, last, end, forms))
    return _span(doc, first, last, verb)


def _inflected(target: str) -> Callable[[Doc, int, int], Fix]:
    """A word put into the form of the matched one: «функционирует» → «работает»,
    «вышеуказанного» → «этого»."""

    def fix(doc: Doc, first: int, last: int) -> Fix:
        tok = doc.toks[first]
        target_pos = str(next((t.POS for t in morph.tags(target)), ""))
        family = _VERB_FORMS if target_pos == "INFN" else frozenset({target_pos})
        tag = next((t for t in morph.tags(tok.text) if t.POS in family), None)
        if tag is None or not target_pos:
            return _none(doc, first, last)
        want = frozenset(g for g in tag.grammemes if g in morph.INFLECTIONAL)
        form = morph.inflect_lemma(target, target_pos, want)
        if form is None or not _known(form):
            return _none(doc, first, last)
        return _span(doc, first, last, form)

    return fix


def _object_case(doc: Doc, i: int, tags: list[OpencorporaTag]) -> str | None:
    """The case of a noun at token i (its likeliest parse): a nominative-or-accusative form is
    taken for an accusative only after a preposition or a transitive verb; None for a nominative
    (a subject, whose verb would stop agreeing after a swap)."""
    if not tags:
        return None
    if tags[0].case not in ("nomn", "accs"):
        return str(tags[0].case) if tags[0].case else None  # «населения», «населению»
    prev = _prev_word(doc, i)
    if prev is not None and (prev.pos == "PREP" or any(
            t.POS in ("VERB", "INFN", "GRND") and "tran" in t.grammemes
            for t in morph.tags(prev.text))):
        return "accs"
    return None


def _plural_noun(noun: str) -> Callable[[Doc, int, int], Fix]:
    """«населения» → «жителей», «местному населению» → «местным жителям», «производства работ»
    → «работ»: a noun swapped for a plural one in the same case, its adjectives following."""

    def fix(doc: Doc, first: int, last: int) -> Fix:
        toks = doc.toks
        head = toks[first]
        tags = [t for t in morph.tags(head.text) if t.POS == "NOUN"]
        case = _object_case(doc, first, tags)
        if case is None:
            return _none(doc, first, last)
        tag = next((t for t in tags if t.case == case), None)
        if tag is None:
            return _none(doc, first, last)
        mods = first
        while mods > 0 and _word(doc, mods - 1) is not None and mods - 1 not in doc.starts \
                and any(morph.agrees(a, tag) for a in
                        _case_tags(toks[mods - 1].text, case, _MODIFIERS)):
            mods -= 1
        want = frozenset({case, "plur"})
        new = morph.inflect_lemma(noun, "NOUN", want)
        if new is None:
            return _none(doc, first, last)
        new_tag = next((t for t in morph.tags(new) if t.case == case and t.number == "plur"),
                       None)
        if new_tag is None:
            return _none(doc, first, last)
        repl: dict[int, str] = {}
        for k in range(mods, first):
            a = next(a for a in _case_tags(toks[k].text, case, _MODIFIERS) if morph.agrees(a, tag))
            mwant = {case, "plur"} | ({new_tag.animacy} if case == "accs" and new_tag.animacy
                                      else set())
            form = morph.inflect(toks[k].text, frozenset({str(a.POS), case}) | _gram(a),
                                 frozenset(mwant))
            if form is None:
                return _none(doc, first, last)
            repl[k] = form
        after = tail_end(doc, last)
        if after is None:
            return _none(doc, first, last)
        if _participle_after(doc, after, case):
            return _none(doc, first, last)
        repl[first] = morph.match_case(head.text, new)
        text = _render(doc, mods, first + 1, repl)
        if not _known(*repl.values()):
            return _none(doc, first, last)
        return _span(doc, mods, last, text)

    return fix


def _delete(doc: Doc, first: int, last: int) -> Fix:
    """«в установленном порядке», «успешно» removed with the space or the commas around them; at
    the start of a sentence the next word takes the capital letter."""
    toks = doc.toks
    start, end = toks[first].start, toks[last - 1].end
    prev = toks[first - 1] if first > 0 else None
    nxt = toks[last] if last < len(toks) else None
    if (prev is not None and prev.lower in _AND) or (nxt is not None and nxt.lower in _AND):
        return start, end, None  # «успешно и в срок»: it is one of two
    if first in doc.starts:
        word = _word(doc, last)
        if word is None:
            return start, end, None  # the whole sentence
        return start, word.end, word.text[:1].upper() + word.text[1:]
    if prev is not None and prev.text == "," and nxt is not None and nxt.text == ",":
        return prev.start, nxt.end, ""  # «, в установленном порядке,»
    if prev is not None and not prev.is_word:
        if nxt is not None and nxt.is_word:
            return start, nxt.start, ""
        return start, end, None
    return (prev.end if prev is not None else start), end, ""


def _plain(doc: Doc, first: int, last: int, text: str) -> Fix:
    """A phrase that works as an adverb or a preposition swapped for a plainer one as it is;
    «по состоянию на сегодняшний день» goes as a whole."""
    toks = doc.toks
    if toks[first].lower == "на" and first >= 2 and \
            (toks[first - 2].lower, toks[first - 1].lower) == ("по", "состоянию"):
        first -= 2
    if text == "по" and _word(doc, last) is not None and toks[last].lower in ("с", "со"):
        return _none(doc, first, last)  # «согласно с»
    return _span(doc, first, last, text)


# kind → how the fix is made (the kinds are named in bureaucratese._STOCK)
Rewriter = Callable[[Doc, int, int], Fix]
REWRITERS: dict[str, Rewriter] = {
    "purpose": _purpose,
    "about": _about,
    "accordance": _case_swap("по", "ablt", "datv"),
    "using": _case_swap("с", "gent", "ablt"),
    "copula": _copula,
    "be": _be,
    "inform": _inform("сообщать", keep_object=True),
    "inform_you": _inform("сообщать", keep_object=False),
    "also": _inform("также", keep_object=True),
    "tell": _tell,
    "work": _inflected("работать"),
    "this": _inflected("этот"),
    "population": _plural_noun("житель"),
    "works": _plural_noun("работа"),
    "delete": _delete,
}


def fix(doc: Doc, kind: str, first: int, last: int, plain: str | None) -> Fix:
    """The fix of the phrase at tokens first..last-1: ``kind`` names a rewrite in REWRITERS,
    "plain" swaps the phrase for ``plain`` as it is, "none" offers nothing."""
    rewriter = REWRITERS.get(kind)
    if rewriter is not None:
        return rewriter(doc, first, last)
    if kind == "plain" and plain:
        return _plain(doc, first, last, plain)
    return _none(doc, first, last)


def light_verb_object(doc: Doc, noun: int) -> tuple[int, str] | None:
    """The object of a verb made from a verbal noun: «ремонт участка дороги» → «участок дороги»
    (token after it, text); (noun + 1, "") when there is none to rewrite."""
    phrases = noun_phrases(doc, noun + 1, "gent")
    if phrases is None:
        return noun + 1, ""
    forms = put_in_case(doc, phrases, "accs")
    end = phrases[-1].end
    after = tail_end(doc, end)
    if forms is None or after is None or _joined_to_head(doc, phrases, after, "gent") \
            or _participle_after(doc, after, "gent"):
        return None
    return end, _render(doc, noun + 1, end, forms)


def nominative(text: str) -> str:
    """``text`` with the noun phrase it starts with put into the nominative, the rest as written:
    «закону Краснодарского края № 2-КЗ» → «закон Краснодарского края № 2-КЗ» (to name a phrase
    cut out of a sentence). The text as it is when it starts with no noun phrase."""
    doc = Doc(text)
    first = _word(doc, 0)
    if first is None:
        return text
    case = next((t.case for t in morph.tags(first.text) if t.POS in ("NOUN", "ADJF")), None)
    if case is None or case == "nomn":
        return text
    phrase = noun_phrase(doc, 0, str(case))
    forms = put_in_case(doc, [phrase], "nomn") if phrase is not None else None
    if phrase is None or forms is None:
        return text
    return _render(doc, 0, len(doc.toks), forms) + text[doc.toks[-1].end:]
