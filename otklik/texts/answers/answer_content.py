"""What kinds of content each sentence of an answer carries.

A sentence is *filler* when it carries nothing a question could be answered with:

* courtesy — a greeting, thanks («Спасибо, что пришли …»), a promise to consider;
* a pointer — «следите за новостями», «расписание опубликовано в группе», «ход работ освещается
  на сайте»;
* a reminder — «Напоминаем, что …»: general advice, not an answer to this message;
* a legal or procedural formula with nothing concrete — «осуществляется в соответствии с …»,
  «в установленном порядке», «вопрос находится на контроле», «проводится работа»;
* contacts — a telephone, or opening hours («работает круглосуточно», «с 8:00 до 18:00»).

The other sentences are searched for: a time, a reason, a legal basis, an amount, documents and
an action of the administration (done: «заменили», «убраны»; promised: «заменим», «будет»,
«планируем»; refused: «не получится», «нельзя»; or a request for details: «напишите адрес»).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from pymorphy3.tagset import OpencorporaTag

from ._doc import Doc, Sent, Tok, all_tags, tag

COURTESY = "courtesy"
POINTER = "pointer"
REMINDER = "reminder"
LEGAL = "legal"
CONTACTS = "contacts"

PHONE_RE = re.compile(
    r"(?:\+7|\b8)[\s-]*\(?\d{3,5}\)?[\s-]*\d{1,3}[\s-]?\d{2}[\s-]?\d{2}\b|\b\d-\d{2}-\d{2}\b"
    r"|\b\d{3}-\d{2}-\d{2}\b|\b112\b",
)
# Legal citations carry dates and numbers that are no time, amount or house.
CITATION_RE = re.compile(
    r"\bот\s+\d{1,2}\.\d{1,2}\.\d{2,4}|№\s*[\w./-]+|\b(?:ст|стать\w*|пункт\w*|п|ч|част\w*)\.?\s*"
    r"\d[\d.]*|\b\d{2,4}-(?:ФЗ|КЗ|ФКЗ|ЗС|ОЗ)\b|\bСП\s+[\d.]+"
    r"|\b(?:ГОСТ(?:\s+Р)?|СанПиН|СНиП)\s+[\d.-]*\d",
    re.IGNORECASE,
)
# Any statement of time (or a refusal, which answers «когда» too).
TIME_RE = re.compile(
    r"\d|\b(?:январ|феврал|март|апрел|ма[йяе]\b|июн|июл|август|сентябр|октябр|ноябр|декабр|"
    r"понедельник|вторник|сред(?:у|ы|а|ам|ами|ах)\b|четверг|пятниц|суббот|воскресень|сегодня|завтра|послезавтра|"
    r"вчера|недел|месяц|год|весн|лет(?:ом|а)\b|осен|зим|скоро|ближайш|в\s+течение|до\s+конца|"
    r"после|как\s+только|пока|сейчас|уже|кажд|ежедневн|утр|вечер|ноч|круглосуточн|"
    r"не\s+(?:будет|планир|получится|сможем|удастся)|нельзя|нет\b)",
    re.IGNORECASE,
)
_REASON_RE = re.compile(
    r"\b(?:потому\s+что|так\s+как|поскольку|из-за|в\s+связи\s+с|по\s+причине|ввиду|вследствие|"
    r"т\.\s?к\.|причин\w*|связан\w*\s+с|вызван\w*|объясня\w*|дело\s+в\s+том|чтобы|для\s+того|"
    r"поэтому|оттого|благодаря|иначе)\b",
    re.IGNORECASE,
)
# A legal basis answers «почему» («тариф утверждён приказом …», «по статье 39.20 …»).
_BASIS_RE = re.compile(
    r"\b(?:в\s+соответствии\s+с|согласно|на\s+основании|по|утвержд\w*|установлен\w*|"
    r"предусмотрен\w*|закреплен\w*|закреплён\w*)\s+(?:\w+\s+){0,3}?(?:федеральн\w*|закон\w*|"
    r"кодекс\w*|постановлени\w*|приказ\w*|распоряжени\w*|решени\w*|правил\w*|стать\w*|"
    r"регламент\w*|норм\w*)",
    re.IGNORECASE,
)
# A sum has at most 30 digits, spaces and separators after its first digit: unbounded, a long run
# of digits was rescanned from each of them (quadratic).
_AMOUNT_RE = re.compile(
    r"\d[\d\s.,]{0,30}\s*(?:₽|руб|р\.|%|процент|тыс|млн|копе|коп\.)|\b(?:бесплатн\w*|платн\w*|"
    r"безвозмездн\w*|за\s+сч[её]т)\b",
    re.IGNORECASE,
)
# A legal or procedural formula: says that something goes «by the rules», nothing of this case.
_FORMULA_RE = re.compile(
    r"\bв\s+соответствии\s+с|\bсогласно\b|\bв\s+установленном\s+порядке|"
    r"\bустановлен\w*\s+(?:указанными|действующим|законодательством|нормативными|правовыми)|"
    r"\bна\s+(?:постоянном\s+|особом\s+|личном\s+)?контроле\b|"
    r"\b(?:проводится|ведётся|ведется|осуществляется|организована|продолжается)\s+(?:\w+\s+){0,2}?"
    r"(?:работа|взаимодействие|мониторинг|контроль)\b|"
    r"\bв\s+рамках\s+(?:своей\s+|своих\s+)?(?:компетенции|полномочий)|"
    r"\b(?:ведётся|ведется|осуществляется|производится|утверждается|формируется|проводится)\s+"
    r"(?:\w+\s+){0,2}?по\s+(?:федеральн\w*|закон\w*|кодекс\w*|постановлени\w*|приказ\w*|правил\w*)",
    re.IGNORECASE,
)
_REMINDER_RE = re.compile(r"^\W*(?:\w+,\s+)?(?:напомина\w*|напомним|напоминание)\b", re.IGNORECASE)
# The most a pattern looks ahead inside a sentence for its second word: unbounded, «[^.!?]*»
# rescanned the rest of a long sentence from every first word (quadratic). Sentences of answers
# are far shorter.
GAP = "{0,300}"
# A pointer to where something is published, not the thing itself.
_POINTER_RE = re.compile(
    r"\b(?:следите|следить|подписывайтесь|смотрите)\b|"
    r"\b(?:размещ\w*|опубликова\w*|публику\w*|освеща\w*|висит|вывешен\w*|доступн\w*|доводится)\b"
    r"[^.!?]" + GAP + r"\b(?:сайт\w*|групп\w*|пост\w*|страниц\w*|соцсет\w*|остановк\w*|стенд\w*|доск\w*|"
    r"сведени\w*)|"
    r"\b(?:информаци\w*|сведени\w*|график\w*|расписани\w*|ход\s+работ)\b[^.!?:\d]" + GAP +
    r"\b(?:размещ\w*|опубликова\w*|доступн\w*|публику\w*|освеща\w*|висит|доводится)\b",
    re.IGNORECASE,
)
_HOURS_RE = re.compile(
    r"\b(?:работа\w*|принима\w*|откры\w*)\b[^.!?]" + GAP + r"(?:круглосуточн\w*|\bс\s+\d{1,2}[:.]\d{2}\s+до\b)",
    re.IGNORECASE,
)
_REFUSAL_RE = re.compile(
    r"\b(?:не\s+(?:получится|сможем|можем|будем|будет|будут|планируется|удастся|положен\w*)|"
    r"нельзя|невозможно|отказ\w*|запрещен\w*|запрещён\w*)\b",
    re.IGNORECASE,
)
# Plans and their means: «в плане», «проект готов», «подрядчик выбран», «денег в бюджете нет».
_PLAN_LEMMAS = frozenset({"планировать", "запланировать", "планироваться", "план", "намечать",
                          "наметить", "поручить", "заявка", "проект", "смета", "приоритет",
                          "подрядчик", "контракт", "торги", "финансирование", "бюджет"})
# Verbs of courtesy, of publishing and of a service being open: no action on the matter.
_NOT_ACTION = frozenset({"благодарить", "приглашать", "пригласить", "напоминать", "напомнить",
                         "информировать", "сообщать", "сообщить", "работать",
                         "являться", "находиться", "принять", "рассмотреть", "учесть",
                         "радовать", "ценить", "извинить", "прийти", "написать", "позвонить",
                         "обратиться", "подписаться", "доводить", "довести", "осуществляться",
                         "проводиться", "вестись"})
CONSIDER = frozenset({"рассмотреть", "рассматривать", "рассматриваться", "учесть", "учитывать",
                       "изучить", "изучать", "проработать", "прорабатывать"})
# «Опубликовано на сайте», «висит на остановке»: where a thing is, not what was done («разместили
# ваше объявление» is).
_POINTER_VERBS = frozenset({"опубликовать", "разместить", "размещать", "публиковать", "вывесить",
                            "указать", "висеть", "освещаться", "доводиться"})
_ASK_BACK = frozenset({"написать", "уточнить", "сообщить", "прислать", "указать", "назвать",
                       "позвонить", "оставить", "приложить", "отправить", "передать"})
_DOCUMENT_LEMMAS = frozenset(
    ["паспорт", "свидетельство", "справка", "выписка", "полис", "снилс", "заявление", "договор",
     "квитанция", "копия", "фотография", "фото", "удостоверение", "аттестат", "медкарта",
     "сертификат", "доверенность", "бланк", "анкета", "чек", "инн", "омс",
     "книга", "характеристика", "форма", "образец", "список"]
)
_THANKS_OPEN = frozenset({"спасибо", "благодарить", "благодарность", "выражать"})
_INVITATION = frozenset({"приглашать", "пригласить", "приглашение", "рад", "радый", "ждать"})


@dataclass(slots=True)
class SentenceContent:
    filler: str | None
    time: bool
    reason: bool
    basis: bool
    amount: bool
    documents: bool
    action: bool


def _words(doc: Doc, sent: Sent) -> list[Tok]:
    return [t for t in doc.toks[sent.first : sent.last] if t.is_word and t.prose]


# «Теперь горят все фонари», «бригада уже на месте», «вода в норме»: the matter is settled.
_RESOLVED_RE = re.compile(
    r"\b(?:теперь|снова|уже|больше\s+не|в\s+норме|в\s+порядке|исправн\w*|в\s+штатном\s+режиме)\b",
    re.IGNORECASE,
)


class _Cover:
    """A union of spans, asked whether it covers a position (by bisection: a long answer has
    thousands of spans, and asking each of them for every word was quadratic)."""

    __slots__ = ("_ends", "_starts")

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        merged: list[tuple[int, int]] = []
        for a, b in sorted(spans):
            if merged and a <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
            else:
                merged.append((a, b))
        self._starts = [a for a, _ in merged]
        self._ends = [b for _, b in merged]

    def __contains__(self, pos: int) -> bool:
        k = bisect_right(self._starts, pos) - 1
        return k >= 0 and pos < self._ends[k]

    def __bool__(self) -> bool:
        return bool(self._starts)


class _Hits:
    """Where each pattern matches in the whole answer: one scan a pattern, not one a sentence.
    Times, amounts and digits inside legal citations and telephone numbers are dropped."""

    _PATTERNS: ClassVar[dict[str, re.Pattern[str]]] = {
        "time": TIME_RE, "amount": _AMOUNT_RE, "digit": re.compile(r"\d"),
        "reason": _REASON_RE, "basis": _BASIS_RE, "formula": _FORMULA_RE,
        "citation": CITATION_RE, "phone": PHONE_RE, "pointer": _POINTER_RE,
        "hours": _HOURS_RE, "refusal": _REFUSAL_RE, "resolved": _RESOLVED_RE,
    }
    _CLEANED = frozenset({"time", "amount", "digit"})

    def __init__(self, text: str) -> None:
        spans: dict[str, list[tuple[int, int]]] = {
            name: [m.span() for m in rx.finditer(text)] for name, rx in self._PATTERNS.items()
        }
        noise = _Cover(spans["citation"] + spans["phone"])
        for name in self._CLEANED:
            spans[name] = [(a, b) for a, b in spans[name] if a not in noise]
        # Match starts per pattern, in order (finditer's), for bisection.
        self._starts = {name: [a for a, _ in found] for name, found in spans.items()}
        self._legal = sorted(spans["formula"] + spans["basis"])
        self._legal_starts = [a for a, _ in self._legal]

    def any(self, name: str, sent: Sent) -> bool:
        """Whether a match of the pattern starts inside the sentence."""
        starts = self._starts[name]
        k = bisect_left(starts, sent.start)
        return k < len(starts) and starts[k] < sent.end

    def legal_in(self, sent: Sent) -> _Cover:
        """The legal formulas and bases that start inside the sentence."""
        lo = bisect_left(self._legal_starts, sent.start)
        hi = bisect_left(self._legal_starts, sent.end)
        return _Cover(self._legal[lo:hi])


def _verb_tag(tok: Tok) -> OpencorporaTag | None:
    """The verb parse of a word, also when a rarer one: «заменим» is first «заменимый»."""
    if tok.pos in ("VERB", "PRTS"):
        return tag(tok.text)
    if tok.pos not in ("ADJS", None):
        return None
    for t in all_tags(tok.text):
        if t.POS == "VERB" and ("futr" in t or "past" in t):
            return t
    return None


def _has_action(doc: Doc, sent: Sent, hits: _Hits) -> bool:
    """Whether the sentence tells of an action on the matter; the words of a legal formula
    («установлен указанными актами», «утверждается в установленном порядке») do not count."""
    if hits.any("refusal", sent) or hits.any("resolved", sent):
        return True
    skip = hits.legal_in(sent)
    words = _words(doc, sent)
    for k, tok in enumerate(words):
        if skip and tok.start in skip:
            continue
        if tok.lemma == "быть" and k + 1 < len(words) and words[k + 1].lemma in CONSIDER:
            continue  # «будет рассмотрено»: a promise to consider, no action yet
        if tok.lemma in _PLAN_LEMMAS:
            return True
        t = _verb_tag(tok)
        if t is None:
            continue
        if "impr" in t:
            if tok.lemma in _ASK_BACK:
                return True  # «напишите адрес»: a question back to the author
            continue
        if tok.lemma in _NOT_ACTION or (tok.lemma in _POINTER_VERBS
                                        and ("PRTS" in t or "pres" in t)):
            continue
        if "PRTS" in t:
            if "perf" in t or "pssv" in t:
                return True  # «заменён», «убраны»
            continue
        if "futr" in t or ("past" in t and "perf" in t):
            return True  # «заменим», «будет», «заменили»
        if "pres" in t and ("1per" in t or "3per" in t) and not tok.lower.endswith(("ся", "сь")):
            return True  # «подвозим воду», «бригада меняет трубу»; not «осуществляется»
    return False


def _advice(words: list[Tok]) -> bool:
    """A general piece of advice: its verbs are imperatives, none asking for details."""
    verbs = [w for w in words if w.pos == "VERB"]
    return bool(verbs) and all("impr" in tag(w.text) and w.lemma not in _ASK_BACK for w in verbs)


def names_documents(doc: Doc) -> bool:
    """Whether the answer lists documents («паспорт, справка о доходах …»)."""
    return any(t.lemma in _DOCUMENT_LEMMAS for t in doc.toks if t.is_word and t.prose)


def analyse(doc: Doc, *, formula: frozenset[int] = frozenset()) -> list[SentenceContent]:
    """One entry a sentence; ``formula`` holds the indexes of sentences made of courtesy only."""
    out: list[SentenceContent] = []
    hits: _Hits | None = None
    for n, sent in enumerate(doc.sents):
        if n in formula:
            out.append(SentenceContent(COURTESY, False, False, False, False, False, False))
            continue
        if hits is None:
            hits = _Hits(doc.text)
        words = _words(doc, sent)
        first = words[0].lemma if words else ""
        action = _has_action(doc, sent, hits)
        time = hits.any("time", sent)
        amount = hits.any("amount", sent)
        concrete = action or amount or hits.any("digit", sent)
        documents = any(w.lemma in _DOCUMENT_LEMMAS for w in words)
        bare = not (concrete or time or documents)
        filler: str | None = None
        if first in _THANKS_OPEN or (bare and any(
                w.lemma in _INVITATION for w in words)):
            filler = COURTESY  # «Спасибо, что пришли», «Приглашаем всю семью!»
        elif _REMINDER_RE.search(sent.text) or (bare and _advice(words)):
            filler = REMINDER  # «Напоминаем, что …», «Проверьте тягу в дымоходе.»
        elif hits.any("pointer", sent) and not (concrete or time):
            filler = POINTER
        elif (hits.any("formula", sent) or hits.any("citation", sent)) and not concrete:
            filler = LEGAL
        elif (hits.any("phone", sent) or any(w.lemma == "телефон" for w in words)
              or hits.any("hours", sent)) and not action:
            filler = CONTACTS
        out.append(SentenceContent(
            filler=filler,
            time=time,
            reason=hits.any("reason", sent),
            basis=hits.any("basis", sent),
            amount=amount,
            documents=documents,
            action=action,
        ))
    return out
