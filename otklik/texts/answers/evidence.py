"""``evidence``: the answer reports finished work but nothing is attached to show it."""

from __future__ import annotations

import re
from bisect import bisect_left
from datetime import UTC, datetime

from otklik.texts import morph

from . import spelling
from ._doc import Doc, Tok, tag
from .findings import WARNING, Finding

CODE = "evidence"

# Perfective verbs whose past tense or short participle reports physical work done.
_WORK_VERBS = frozenset(["отремонтировать", "починить", "заменить", "поменять", "установить", "убрать", "вывезти", "покрасить", "окрасить", "засыпать", "очистить", "почистить", "прочистить", "расчистить", "вычистить", "скосить", "покосить", "обкосить", "обрезать", "спилить", "опилить", "демонтировать", "смонтировать", "восстановить", "заасфальтировать", "уложить", "устранить", "ликвидировать", "отгрейдировать", "подсыпать", "отсыпать", "залатать", "заделать", "подключить", "построить", "благоустроить", "обработать", "высадить", "посадить", "закрепить", "укрепить", "выровнять", "исправить", "наладить", "вырубить", "снести", "подмести", "помыть", "отмыть", "побелить", "огородить", "оградить", "завезти", "нанести", "заливать", "залить", "забетонировать", "закрыть", "вывезти", "собрать", "ограничить", "оборудовать"])
# Verbs that say «done» only when a kind of work is named next to them.
_GENERIC_VERBS = frozenset({"выполнить", "провести", "произвести", "осуществить", "закончить",
                            "завершить", "окончить"})
_WORK_NOUNS = frozenset(["работа", "ремонт", "покос", "уборка", "вывоз", "обрезка", "опиловка", "замена", "установка", "очистка", "грейдирование", "дезинсекция", "дератизация", "обработка", "благоустройство", "монтаж", "демонтаж", "ямочный", "асфальтирование", "подсыпка", "отсыпка", "кронирование", "санитарный", "ликвидация", "засыпка", "покраска", "окраска", "посадка", "заявка", "спил", "прочистка", "расчистка", "восстановление", "строительство", "укладка"])
_FUTURE_OR_NOT = frozenset({"не", "бы", "будет", "будут", "будем", "буду", "будешь", "если",
                            "чтобы", "когда", "планируется", "планируем", "должен", "должна",
                            "должно", "должны", "может", "могут"})
# Who else may have done it: the citizens, owners, a previous owner, a company of their own.
_OTHERS = frozenset({"жильцы", "жильцами", "жители", "жителями", "собственник", "собственником",
                     "собственники", "собственниками", "владелец", "владельцем", "хозяин",
                     "хозяином", "сами", "самостоятельно", "гражданами", "соседи", "соседями"})
_MESSAGE = (
    "Ответ сообщает о выполненной работе без вложений: приложите фото или видео «до» и «после»."
)


def _reading(doc: Doc, i: int, tok: Tok) -> tuple[str, str]:
    """(form, lemma) of a word, through the spelling suggestion when it is misspelt:
    «востановили» reports work as «восстановили» does."""
    if tok.lemma in _WORK_VERBS or tok.lemma in _GENERIC_VERBS or spelling.is_correct(tok.text):
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
    return any(x.lower in _OTHERS for x in before + window)


def _claim(doc: Doc, i: int, tok: Tok, conditions: list[int]) -> bool:
    form, lemma = _reading(doc, i, tok)
    if lemma not in _WORK_VERBS and lemma not in _GENERIC_VERBS:
        return False
    t = tag(form)
    if not ({"past", "perf"} <= t.grammemes and t.POS in ("VERB", "PRTS")):
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
    if lemma in _GENERIC_VERBS:
        near = doc.toks[max(sent.first, i - 4):min(sent.last, i + 5)]
        return any(x.lemma in _WORK_NOUNS for x in near)
    return True


def check(doc: Doc, *, attachments: int) -> list[Finding]:
    if attachments > 0:
        return []
    found: list[Finding] = []
    seen: set[int] = set()
    # Where «если» and «чтобы» stand: looked up by bisection, not by rescanning each sentence.
    conditions = [k for k, t in enumerate(doc.toks) if t.lower in ("если", "чтобы")]
    for i, tok in enumerate(doc.toks):
        if not tok.is_word:
            continue
        sent = doc.sent_of(i)
        if sent.start not in seen and _claim(doc, i, tok, conditions):
            seen.add(sent.start)
            found.append(Finding(CODE, WARNING, sent.start, sent.end, _MESSAGE, None))
    return found
