"""``evidence``: the answer reports finished work but nothing is attached to show it."""

from __future__ import annotations

import re
from bisect import bisect_left
from datetime import UTC, datetime
from functools import lru_cache

from pymorphy3.tagset import OpencorporaTag

from otklik.texts import morph

from . import spelling
from ._doc import Doc, Tok, all_tags, tag
from .findings import WARNING, Finding

CODE = "evidence"

# Perfective verbs whose past tense or short participle reports physical work done.
_WORK_VERBS = frozenset(["отремонтировать", "починить", "заменить", "поменять", "установить", "убрать", "вывезти", "покрасить", "окрасить", "засыпать", "очистить", "почистить", "прочистить", "расчистить", "вычистить", "скосить", "покосить", "обкосить", "обрезать", "спилить", "опилить", "демонтировать", "смонтировать", "восстановить", "заасфальтировать", "уложить", "устранить", "ликвидировать", "отгрейдировать", "подсыпать", "отсыпать", "залатать", "заделать", "подключить", "построить", "благоустроить", "обработать", "высадить", "посадить", "закрепить", "укрепить", "выровнять", "исправить", "наладить", "вырубить", "снести", "подмести", "помыть", "отмыть", "побелить", "огородить", "оградить", "завезти", "нанести", "заливать", "залить", "забетонировать", "вывезти", "собрать", "оборудовать", "освободить", "поймать", "отрегулировать", "сбить"])
# Verbs that say «done» only when a kind of work is named next to them.
_GENERIC_VERBS = frozenset({"выполнить", "провести", "произвести", "осуществить", "закончить",
                            "завершить", "окончить"})
_WORK_NOUNS = frozenset(["работа", "ремонт", "покос", "уборка", "вывоз", "обрезка", "опиловка", "замена", "установка", "очистка", "грейдирование", "дезинсекция", "дератизация", "обработка", "благоустройство", "монтаж", "демонтаж", "ямочный", "асфальтирование", "подсыпка", "отсыпка", "кронирование", "санитарный", "ликвидация", "засыпка", "покраска", "окраска", "посадка", "заявка", "спил", "прочистка", "расчистка", "восстановление", "строительство", "укладка"])
# Simple verbs of physical work: with any prefix they report work too («досыпали», «закрасили»,
# «скололи», «вымыли», «расчищали»), so the word formation decides, not a list of every form.
_WORK_BASES = frozenset(["сыпать", "пилить", "косить", "чистить", "чищать", "менять", "красить", "мыть", "колоть", "катать", "ставить", "тащить", "ремонтировать", "чинить", "рубить", "копать", "латать", "белить", "мести", "садить", "лить", "бетонировать", "асфальтировать", "грейдировать", "ровнять", "монтировать", "строить", "дезинфицировать", "крутить", "резать", "мостить", "трамбовать", "корчевать", "варить", "паять", "сверлить", "красить", "штукатурить", "засыпать", "тушить", "ловить"])
_PREFIXES = ("пере", "недо", "подо", "раз", "рас", "под", "при", "про", "пре", "обо", "ото", "вы",
             "до", "за", "из", "ис", "на", "об", "от", "по", "со", "вз", "вс", "во", "с", "у", "о",
             "в")
# Verbs that also close or set a thing that is not physical («закрыли группу на карантин»,
# «поставили в очередь»): work only with the material in the instrumental («закрыли плёнкой»).
_NEEDS_MATERIAL = frozenset({"закрыть"})
# A rule is «установлен законом», «закреплён в статье»: a legal fact, not work on the ground.
_LEGAL_NOUNS = frozenset({"закон", "статья", "кодекс", "постановление", "приказ", "акт", "указ",
                          "распоряжение", "решение", "правило", "регламент", "норматив"})
# Verbs that also mean «found out» with a clause or a fact after them.
_FOUND_OUT = frozenset({"установить", "выявить", "определить"})
# What is found out rather than built: «установлено, что», «номер установлен», «владелец выявлен».
_FOUND = frozenset({"что", "факт", "причина", "нарушение", "номер", "личность", "владелец", "виновник",
                    "виновный", "нарушитель", "собственник", "адрес"})
_FUTURE_OR_NOT = frozenset({"не", "бы", "будет", "будут", "будем", "буду", "будешь", "если",
                            "чтобы", "когда", "планируется", "планируем", "должен", "должна",
                            "должно", "должны", "может", "могут"})
# Who else may have done it: the citizens, owners, a previous owner, a company of their own.
_OTHERS = frozenset({"жильцы", "жильцами", "жители", "жителями", "собственник", "собственником",
                     "собственники", "собственниками", "владелец", "владельцем", "хозяин",
                     "хозяином", "сами", "самостоятельно", "гражданами", "соседи", "соседями",
                     # the police identifies and detains: «полиция их уже установила»
                     "полиция", "полицией", "полицейские", "полицейскими"})
_MESSAGE = (
    "Ответ сообщает о выполненной работе без вложений: приложите фото или видео «до» и «после»."
)
_MESSAGE_PROMISED = (
    "Ответ сообщает о выполненной работе и говорит, что фото приложено, но вложений нет: "
    "приложите фото или видео «до» и «после»."
)
# Verbs of attaching said by the administration («прикладываем», «прилагаем», «приложили»): the
# answer claims an attachment. An imperative («приложите справку») asks the author for one.
_ATTACH_LEMMAS = frozenset({"прикладывать", "приложить", "прилагать", "прикрепить",
                            "прикреплять", "направлять", "отправлять"})
_EVIDENCE_NOUNS = frozenset({"фото", "фотография", "снимок", "видео", "видеозапись", "фотоотчёт",
                             "фотоотчет", "скриншот", "акт", "схема"})


@lru_cache(maxsize=50_000)
def is_work_verb(lemma: str) -> bool:
    """A verb of physical work: listed, or a prefix on a simple verb of work."""
    if lemma in _WORK_VERBS or lemma in _NEEDS_MATERIAL:
        return True
    if lemma.endswith(("ся", "сь")) or lemma in _NOT_WORK:
        return False
    return any(lemma.startswith(p) and lemma[len(p):] in _WORK_BASES for p in _PREFIXES)


# Prefixed verbs whose base is a verb of work but which are not («составить протокол»,
# «предоставить справку», «оставить заявку»).
_NOT_WORK = frozenset({"составить", "составлять", "представить", "представлять", "предоставить",
                       "предоставлять", "оставить", "оставлять", "заставить", "заставлять", "доставить"})


def _reading(doc: Doc, i: int, tok: Tok) -> tuple[str, str]:
    """(form, lemma) of a word, through the spelling suggestion when it is misspelt:
    «востановили» reports work as «восстановили» does."""
    if is_work_verb(tok.lemma) or tok.lemma in _GENERIC_VERBS or spelling.is_correct(tok.text):
        return tok.text, tok.lemma
    prev = doc.toks[i - 1].lower if i > 0 and doc.toks[i - 1].is_word else None
    fix = spelling.suggest(tok.lower, prev)
    if fix is None or " " in fix:
        return tok.text, tok.lemma
    return fix, morph.lemma(fix)


def _not_ours(doc: Doc, i: int, sent_first: int, sent_last: int) -> bool:
    """«гараж построен до 2004 года», «дом построили в 1985 году» (a year two or more years ago):
    a fact of the past, not the administration's work; «построен гражданами», «заменили жильцы»: someone else's."""
    window = doc.toks[i + 1:min(sent_last, i + 5)]
    for k, x in enumerate(window):
        if re.fullmatch(r"(?:19|20)\d\d", x.text):
            prev = window[k - 1].lower if k else doc.toks[i].lower
            if prev == "до" or int(x.text) <= datetime.now(UTC).year - 2:
                return True
    before = doc.toks[max(sent_first, i - 4):i]
    # «В прошлом году каток залили поздно»: last year's season, told as the reason
    sentence = " ".join(t.lower for t in doc.toks[sent_first:sent_last] if t.is_word)
    if re.search(r"\bв прошлом (?:году|сезоне)\b|\bпрошлой (?:зимой|весной|осенью)\b|\bпрошлым летом\b", sentence):
        return True
    return any(x.lower in _OTHERS for x in before + window)


def _claim(doc: Doc, i: int, tok: Tok, conditions: list[int]) -> bool:
    form, lemma = _reading(doc, i, tok)
    if not is_work_verb(lemma) and lemma not in _GENERIC_VERBS:
        return False
    t = tag(form)
    # A perfective past verb or short participle («засыпали», «засыпана»); an imperfective one
    # only in the plural without a subject («заменяли батареи», «обрезали тополя»), not a person
    # standing in for another («его заменял заместитель»).
    if "past" not in t.grammemes or t.POS not in ("VERB", "PRTS"):
        return False
    if "perf" not in t.grammemes and not (t.POS == "VERB" and "plur" in t.grammemes):
        return False
    sent = doc.sent_of(i)
    if sent.text.rstrip().endswith("?"):
        return False
    before = [x.lower for x in doc.toks[max(sent.first, i - 3):i] if x.is_word]
    if any(w in _FUTURE_OR_NOT for w in before):
        return False
    k = bisect_left(conditions, sent.first)
    if k < len(conditions) and conditions[k] < i:
        return False  # «если», «чтобы» before it in the sentence
    if _not_ours(doc, i, sent.first, sent.last):
        return False
    after = doc.toks[i + 1:min(sent.last, i + 6)]
    if any(x.lemma in _LEGAL_NOUNS and (({"ablt", "loct"} & tag(x.text).grammemes) or (
            "datv" in tag(x.text).grammemes and any(y.lower == "по" for y in after[:k])))
           for k, x in enumerate(after)):
        return False  # «установлено законом», «в статье 57», «по закону»; not «на основании статьи»
    nxt = next((x for x in after if x.is_word), None)
    preceding = [x for x in doc.toks[max(sent.first, i - 3):i] if x.is_word]
    if lemma in _FOUND_OUT and any(x is not None and x.lemma in _FOUND for x in (nxt, *preceding)):
        return False  # «установлено, что …», «номер установлен»: found out, not built
    if any(x.lemma == "который" for x in doc.toks[max(sent.first, i - 4):i] if x.is_word):
        return False  # «таймер, который настроили ещё летом»: the thing described, not work reported
    if _arrangement_in_clause(doc, i, sent.first, sent.last):
        return False  # «тариф установил комитет», «график поменяли»: an arrangement, not a thing
    if lemma in _NEEDS_MATERIAL and not any(
            x.is_word and x.pos == "NOUN" and "ablt" in tag(x.text) for x in after):
        return False
    if lemma in _GENERIC_VERBS:
        own = _own_noun(doc, i, t, sent.first, sent.last)
        if own is not None:  # «осуществлена закупка» is no work, whatever «монтаж» stands near
            return own.lemma in _WORK_NOUNS
        near = doc.toks[max(sent.first, i - 4):min(sent.last, i + 5)]
        return any(x.lemma in _WORK_NOUNS for x in near)
    return True


def _own_noun(doc: Doc, i: int, t: OpencorporaTag, first: int, last: int) -> Tok | None:
    """The noun a generic verb at ``i`` speaks of: for a short participle its subject (the nearest
    nominative agreeing with it, «произведены работы», «демонтаж осуществлён»), for a verb its
    object (the nearest accusative after it, «провели работы»)."""
    order = sorted(range(max(first, i - 5), min(last, i + 6)), key=lambda k: (abs(k - i), k < i))
    for k in order:
        x = doc.toks[k]
        if k == i or not x.is_word or x.pos != "NOUN":
            continue
        for g in all_tags(x.text):
            if g.POS != "NOUN":
                continue
            if t.POS == "PRTS" and g.case == "nomn" and g.number == t.number and (
                    t.number == "plur" or t.gender is None or g.gender == t.gender):
                return x
            if t.POS == "VERB" and k > i and g.case == "accs":
                return x
    return None


# What is set or changed on paper, not on the ground: a photo shows nothing of it.
_ARRANGEMENTS = frozenset({"тариф", "цена", "стоимость", "плата", "график", "расписание", "порядок",
                           "режим", "срок", "норматив", "размер", "правило", "лимит", "очередь",
                           # an account put right: «ошибку в начислениях исправили»
                           "ошибка", "начисление", "квитанция", "неточность",
                           # papers gathered or sent: «собрала жалобы жителей и отправила их»
                           "жалоба", "подпись", "заявка", "документ", "справка", "сведение", "штраф"})
_CLAUSE_MARKS = frozenset({",", ";", ":", "—", "–", "(", ")"})


def _arrangement_in_clause(doc: Doc, i: int, first: int, last: int) -> bool:
    """Whether the clause of the verb at ``i`` has an arrangement for its subject or object."""
    lo = i
    while lo > first and doc.toks[lo - 1].text not in _CLAUSE_MARKS:
        lo -= 1
    hi = i + 1
    while hi < last and doc.toks[hi].text not in _CLAUSE_MARKS:
        hi += 1
    # any reading in the nominative or accusative: «жалобы» reads first as a genitive
    return any(x.is_word and x.lemma in _ARRANGEMENTS and any({"nomn", "accs"} & g.grammemes
                                                               for g in all_tags(x.text))
               for x in doc.toks[lo:hi])


def claims_attachment(doc: Doc) -> bool:
    """Whether a sentence says that a photo (a video, an act) is attached: a verb of attaching in
    the first person or the passive, with a noun of evidence in the same sentence."""
    return _attachment_claim(doc) is not None


def _attachment_claim(doc: Doc) -> tuple[int, int] | None:
    """The span of the first sentence that says a photo (a video, an act) is attached."""
    for sent in doc.sents:
        words = [t for t in doc.toks[sent.first:sent.last] if t.is_word]
        if not any(t.lemma in _EVIDENCE_NOUNS for t in words):
            continue
        for t in words:
            if t.lemma in _ATTACH_LEMMAS or t.lower in ("приложено", "приложены", "вложении"):
                g = tag(t.text).grammemes
                if "impr" not in g and ("1per" in g or "past" in g or t.pos in ("PRTS", "NOUN")):
                    return sent.start, sent.end
    return None


def check(doc: Doc, *, attachments: int) -> list[Finding]:
    if attachments > 0:
        return []
    found: list[Finding] = []
    seen: set[int] = set()
    # Where «если» and «чтобы» stand: looked up by bisection, not by rescanning each sentence.
    # «Раз дом построен, …» opening a clause is a reason given, not a deed reported.
    conditions = [k for k, t in enumerate(doc.toks) if t.lower in ("если", "чтобы") or (
        t.lower == "раз" and (k in doc.starts or (k > 0 and doc.toks[k - 1].text == ",")))]
    for i, tok in enumerate(doc.toks):
        if not tok.is_word:
            continue
        sent = doc.sent_of(i)
        if sent.start not in seen and _claim(doc, i, tok, conditions):
            seen.add(sent.start)
            found.append(Finding(CODE, WARNING, sent.start, sent.end, _MESSAGE, None))
    claim = _attachment_claim(doc)
    if claim is None:
        return found
    if found:  # «фото прикладываем» with nothing attached
        return [Finding(CODE, WARNING, f.start, f.end, _MESSAGE_PROMISED, None) for f in found]
    # The photo is said to be attached and nothing is: whatever the deed («обрезала тополя»,
    # «привезли дрова»), the curator would see no photo.
    return [Finding(CODE, WARNING, claim[0], claim[1], _MESSAGE_PROMISED, None)]
