"""``bureaucratese``: канцелярит and press-release voice in an answer meant for a social network.

Stock phrases are matched on lemma sequences, so every word form counts. Each phrase is a
warning with a plainer wording where there is one; an answer *dominated* by them — at least
three findings that make 3 or more per 100 words, or at least four in an answer of up to
150 words — has every finding raised to an error, because that is where the curator returns the
answer as «not in the social-network voice», while one «в рамках» in a long answer is only
worth a look.
"""

from __future__ import annotations

from bisect import bisect_left

from ._doc import Doc, Tok, all_tags, tag
from ._phrases import PhraseMatcher
from .findings import ERROR, WARNING, Finding

CODE = "bureaucratese"
DENSITY_PER_100 = 3.0
MIN_FOR_DENSITY = 3
SHORT_ANSWER_WORDS = 150
MIN_IN_SHORT = 4

# (phrase, plainer wording or None, what is wrong with it)
_STOCK: list[tuple[str, str | None]] = [
    ("в целях", "чтобы"),
    ("с целью", "чтобы"),
    ("в рамках реализации", None),
    ("в рамках", None),
    ("являться", "—"),
    ("в установленном порядке", ""),
    ("в установленные сроки", "в срок"),
    ("проводиться ~ работа", None),
    ("вестись ~ работа", None),
    ("работа ~ проводиться", None),
    ("работа ~ вестись", None),
    ("в настоящее время", "сейчас"),
    ("на сегодняшний день", "сейчас"),
    ("на данный момент", "сейчас"),
    ("на текущий момент", "сейчас"),
    ("в настоящий момент", "сейчас"),
    ("в части", None),
    ("по вопросу", "о"),
    ("согласно", "по"),
    ("принять ~ меры", None),
    ("принимать ~ меры", None),
    ("информируем вас", "сообщаем"),
    ("информировать", "сообщить"),
    ("доводить до ~ сведения", "сообщаем"),
    ("довести до ~ сведения", "сообщаем"),
    ("в адрес", None),
    ("мероприятие по", None),
    ("в соответствии с", "по"),
    ("успешно", ""),
    ("масштабная работа", None),
    ("планомерная работа", None),
    ("на постоянной основе", "постоянно"),
    ("в кратчайшие сроки", "как можно скорее"),
    ("в плановом порядке", "по плану"),
    ("в обязательном порядке", "обязательно"),
    ("в случае если", "если"),
    ("иметь место", "есть"),
    ("вышеуказанный", "этот"),
    ("вышеизложенный", "этот"),
    ("вышеперечисленный", "эти"),
    ("нижеследующий", None),
    ("в надлежащем состоянии", "в порядке"),
    ("надлежащий", None),
    ("дополнительно сообщаем", "также"),
    ("дополнительно информируем", "также"),
    ("по результатам рассмотрения", None),
    ("с учетом вышеизложенного", None),
    ("функционировать", "работать"),
    ("осуществлять", None),
    ("осуществить", None),
    ("осуществляться", None),
    ("производство работ", "работы"),
    ("ввиду", "из-за"),
    ("вследствие", "из-за"),
    ("в целях обеспечения", "чтобы"),
    # press-release voice: attention, control and forces instead of what is done
    ("уделять ~ внимание", None),
    ("держать ~ на контроле", None),
    ("находиться ~ на контроле", None),
    ("взять ~ на контроль", None),
    ("поставить ~ на контроль", None),
    ("на контроле", None),
    ("силами", None),
    ("население", "жители"),
    ("в приоритетном порядке", "в первую очередь"),
    ("с применением", "из"),
    ("с использованием", "с"),
]
_MATCHER = PhraseMatcher([p for p, _ in _STOCK])

# «произвести ремонт» → «отремонтировать»: (imperfective, perfective) verb for each noun.
_NOUN_VERB: dict[str, tuple[str, str]] = {
    "ремонт": ("ремонтировать", "отремонтировать"),
    "уборка": ("убирать", "убрать"),
    "вывоз": ("вывозить", "вывезти"),
    "проверка": ("проверять", "проверить"),
    "контроль": ("контролировать", "проконтролировать"),
    "замена": ("заменять", "заменить"),
    "покос": ("косить", "скосить"),
    "установка": ("устанавливать", "установить"),
    "обследование": ("обследовать", "обследовать"),
    "строительство": ("строить", "построить"),
    "очистка": ("очищать", "очистить"),
    "обрезка": ("обрезать", "обрезать"),
    "обработка": ("обрабатывать", "обработать"),
    "осмотр": ("осматривать", "осмотреть"),
    "монтаж": ("монтировать", "смонтировать"),
    "демонтаж": ("демонтировать", "демонтировать"),
    "оплата": ("оплачивать", "оплатить"),
    "выплата": ("выплачивать", "выплатить"),
    "спил": ("спиливать", "спилить"),
    "покраска": ("красить", "покрасить"),
    "подсыпка": ("подсыпать", "подсыпать"),
    "засыпка": ("засыпать", "засыпать"),
    "опиловка": ("опиливать", "опилить"),
    "благоустройство": ("благоустраивать", "благоустроить"),
    "восстановление": ("восстанавливать", "восстановить"),
    "прием": ("принимать", "принять"),
    "выдача": ("выдавать", "выдать"),
    "асфальтирование": ("асфальтировать", "заасфальтировать"),
    "отлов": ("отлавливать", "отловить"),
}
_LIGHT: dict[str, int] = {  # light verb lemma → 0 imperfective, 1 perfective
    "осуществлять": 0, "осуществить": 1, "производить": 0, "произвести": 1,
}
_THIS = {
    "данный": "этот", "данного": "этого", "данному": "этому", "данным": "этим",
    "данном": "этом", "данная": "эта", "данной": "этой", "данную": "эту", "данное": "это",
    "данные": "эти", "данных": "этих", "данными": "этими",
}
# The citizen's own appeal as the subject of «принято», «рассмотрено», «зарегистрировано».
_APPEALS = frozenset({"обращение", "заявление", "жалоба", "запрос", "письмо", "сообщение",
                      "заявка", "вопрос"})
_APPEAL_VERBS = frozenset({"рассмотреть", "принять", "зарегистрировать", "получить",
                           "передать", "направить", "переслать", "отправить"})


def _is_appeal_verb(tok: Tok) -> bool:
    return tok.lemma in _APPEAL_VERBS


_BE = frozenset({"был", "была", "было", "были", "будет", "будут"})
_WORKS = frozenset({"работа", "мероприятие", "мера", "деятельность", "ремонт", "контроль"})
_VERBAL_SUFFIXES = ("ние", "тие", "ка", "ство", "аж", "ция")


def _verb_for(light: Tok, noun: Tok) -> str | None:
    pair = _NOUN_VERB.get(noun.lemma)
    aspect = _LIGHT.get(light.lemma)
    if pair is None or aspect is None:
        return None
    target = pair[aspect]
    t = tag(light.text)
    if t.POS == "INFN":
        return target
    if t.POS != "VERB":
        return None
    from otklik.texts import morph

    wanted = {g for g in (t.number, t.person, t.tense, t.mood, t.gender) if g}
    parsed = next((p for p in morph.analyzer().parse(target) if p.tag.POS == "INFN"), None)
    form = parsed.inflect(frozenset(wanted)) if parsed else None
    return form.word if form else None


def _light_verbs(doc: Doc) -> list[tuple[int, int, str | None]]:
    """(first, last token, suggestion) of «осуществлять ремонт», «ремонт произведён»."""
    out: list[tuple[int, int, str | None]] = []
    toks = doc.toks
    for i, tok in enumerate(toks):
        if tok.lemma not in _LIGHT:
            continue
        for j in range(i + 1, min(i + 4, len(toks))):
            if not toks[j].is_word:
                break
            if toks[j].lemma in _NOUN_VERB:
                out.append((i, j + 1, _verb_for(tok, toks[j])))
                break
        else:
            for j in range(i - 1, max(i - 4, -1), -1):
                if not toks[j].is_word:
                    break
                if toks[j].lemma in _NOUN_VERB:
                    out.append((j, i + 1, None))
                    break
    return out


def _agrees(adj: Tok, nxt: Tok) -> bool:
    """«данный» as a determiner agrees with the next word in case and number."""
    nxt_tags = [t for t in all_tags(nxt.text) if t.POS in ("NOUN", "ADJF", "PRTF")]
    for a in all_tags(adj.text):
        if a.POS != "ADJF":
            continue
        for n in nxt_tags:
            if a.case == n.case and a.number == n.number and not (
                    a.animacy and n.animacy and a.animacy != n.animacy):
                return True
    return False


def _this(doc: Doc) -> list[tuple[int, str]]:
    """«данный вопрос» → «этот вопрос»; «по данным», «данные о» (facts) are left alone."""
    out: list[tuple[int, str]] = []
    toks = doc.toks
    for i, tok in enumerate(toks[:-1]):
        if tok.lower not in _THIS:
            continue
        nxt = toks[i + 1]
        if not nxt.is_word or nxt.pos not in ("NOUN", "ADJF", "PRTF"):
            continue
        if i > 0 and toks[i - 1].lower in ("по", "из", "согласно") and tok.lower in (
                "данным", "данных", "данные"):
            continue
        if any(t.POS == "NOUN" for t in all_tags(tok.text)) and not _agrees(tok, nxt):
            continue  # «данные прежних жильцов»: the noun «данные» (data), not «these»
        fix = _THIS[tok.lower]
        out.append((i, fix.capitalize() if tok.text[0].isupper() else fix))
    return out


def _is_noun(t: Tok) -> bool:
    return t.is_word and t.pos == "NOUN" and not t.text.isupper()


def _chains(doc: Doc) -> list[tuple[int, int]]:
    """Runs of four or more nouns hanging on each other in the genitive (or «по» + dative after
    a verbal noun): «проведение работ по ремонту покрытия дороги»."""
    out: list[tuple[int, int]] = []
    toks = doc.toks
    i = 0
    while i < len(toks):
        if not _is_noun(toks[i]):
            i += 1
            continue
        nouns = [i]
        j = i + 1
        while j < len(toks):
            k = j
            last = toks[nouns[-1]].lemma
            if toks[k].lower == "по" and (last.endswith(_VERBAL_SUFFIXES) or last in _WORKS):
                k += 1
                case = "datv"
            else:
                case = "gent"
            while k < len(toks) and toks[k].is_word and toks[k].pos in ("ADJF", "PRTF"):
                k += 1
            if k < len(toks) and _is_noun(toks[k]) and case in tag(toks[k].text).grammemes:
                nouns.append(k)
                j = k + 1
            else:
                break
        if len(nouns) >= 4:
            out.append((nouns[0], nouns[-1] + 1))
            i = nouns[-1] + 1
        else:
            i += 1
    return out


def _passives(doc: Doc) -> list[tuple[int, int]]:
    """«было принято решение», «работы будут проведены»: a passive with no one who acts."""
    out: list[tuple[int, int]] = []
    toks = doc.toks
    # Where the appeal is named: looked up by bisection, not by rescanning each sentence.
    appeals = [k for k, t in enumerate(toks) if t.lemma in _APPEALS or t.lower in ("оно", "она")]
    for i, tok in enumerate(toks[:-1]):
        if tok.lower not in _BE and tok.lower not in ("принято", "решено"):
            continue
        if tok.lower == "принято":
            if i + 1 < len(toks) and toks[i + 1].lemma == "решение":
                out.append((i, i + 2))
            continue
        if tok.lower == "решено":
            out.append((i, i + 1))
            continue
        nxt = toks[i + 1]
        if not nxt.is_word:
            continue
        t = tag(nxt.text)
        if t.POS != "PRTS" or "pssv" not in t.grammemes:
            continue
        agent = False
        for k in range(i + 2, min(i + 7, len(toks))):
            t = tag(toks[k].text)
            if toks[k].is_word and toks[k - 1].pos != "PREP" and t.POS in ("NOUN", "NPRO") \
                    and "ablt" in t.grammemes:
                agent = True
        if agent:
            continue  # «будут проведены подрядчиком»: the actor is named
        sent = doc.sent_of(i)
        k = bisect_left(appeals, sent.first)
        if _is_appeal_verb(nxt) and k < len(appeals) and appeals[k] < i:
            continue  # «обращение принято и будет рассмотрено»: the appeal, plainly
        out.append((i, i + 2))
    return out


def check(doc: Doc) -> list[Finding]:
    toks = doc.toks
    raw: list[tuple[int, int, str, str | None]] = []
    taken: set[int] = set()

    def add(first: int, last: int, message: str, suggestion: str | None) -> None:
        if any(k in taken for k in range(first, last)):
            return
        taken.update(range(first, last))
        raw.append((toks[first].start, toks[last - 1].end, message, suggestion))

    for first, last, fix in _light_verbs(doc):
        phrase = doc.text[toks[first].start:toks[last - 1].end]
        hint = f"«{fix}»" if fix else "глагол действия"
        add(first, last, f"Канцелярит «{phrase}»: напишите проще — {hint}.", fix)
    for i, fix in _this(doc):
        add(i, i + 1, f"Канцелярит «{toks[i].text}»: напишите «{fix}».", fix)
    for m in _MATCHER.find(doc):
        phrase = doc.text[toks[m.first].start:toks[m.last - 1].end]
        plain = _STOCK[m.key][1]
        if plain is None:
            msg = f"Канцелярит «{phrase}»: скажите проще, как в разговоре."
        elif plain == "":
            msg = f"Канцелярит «{phrase}»: уберите, смысл не изменится."
        else:
            msg = f"Канцелярит «{phrase}»: напишите «{plain}»."
        if plain and phrase[:1].isupper() and plain[:1].isalpha():
            plain = plain[:1].upper() + plain[1:]
        add(m.first, m.last, msg, plain)
    for first, last in _chains(doc):
        add(first, last, "Цепочка существительных в родительном падеже: перестройте фразу с "
            "глаголом («чтобы отремонтировать дорогу»).", None)
    for first, last in _passives(doc):
        add(first, last, "Страдательный оборот без того, кто действует: напишите, кто это "
            "сделал или сделает («мы решили», «подрядчик проведёт работы»).", None)
    raw.sort()
    words = max(doc.word_count(), 1)
    count = len(raw)
    dominated = (count >= MIN_FOR_DENSITY and count * 100 / words >= DENSITY_PER_100) or (
        count >= MIN_IN_SHORT and words <= SHORT_ANSWER_WORDS)
    severity = ERROR if dominated else WARNING
    return [Finding(CODE, severity, s, e, msg, sug) for s, e, msg, sug in raw]
