"""``bureaucratese``: канцелярит and press-release voice in an answer meant for a social network.

Stock phrases are matched on lemma sequences, so every word form counts. Each phrase is a
warning with a plainer wording where there is one; a stretch *dominated* by them — at least
three findings that make 3 or more per 100 words of the stretch, or at least four within 150
words — has its findings raised to errors, because that is where the curator returns the answer
as «not in the social-network voice», while one «в рамках» in a long answer is only worth a look.
The stretch runs from the first of those findings to the last (not the whole answer), so a
finding keeps its severity while plain text is typed before or after it.

The suggestion is a one-tap fix the editor puts in place of the span, so it is made to fit the
sentence (``_fixes``): «в целях обеспечения надлежащего освещения» → «чтобы обеспечить
надлежащее освещение», the span covering all it rewrites; a phrase with no grammatical rewrite
keeps its finding and message with no suggestion.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable

from . import _fixes
from ._doc import Doc, Tok, all_tags, tag
from ._fixes import Fix
from ._phrases import PhraseMatcher
from .findings import ERROR, WARNING, Finding

CODE = "bureaucratese"
DENSITY_PER_100 = 3.0
MIN_FOR_DENSITY = 3
SHORT_ANSWER_WORDS = 150
MIN_IN_SHORT = 4

# (phrase, plainer wording for the message or None, how the fix is made: a kind of
# _fixes.REWRITERS that rewrites the phrase with its neighbours, "plain" for a wording that fits
# as it is (adverbs, prepositions taking the same case), "none" for no fix)
_STOCK: list[tuple[str, str | None, str]] = [
    ("в целях", "чтобы", "purpose"),
    ("с целью", "чтобы", "purpose"),
    ("в рамках реализации", None, "none"),
    ("в рамках", None, "none"),
    ("являться", "—", "copula"),
    ("в установленном порядке", "", "delete"),
    ("в установленные сроки", "в срок", "plain"),
    ("проводиться ~ работа", None, "none"),
    ("вестись ~ работа", None, "none"),
    ("работа ~ проводиться", None, "none"),
    ("работа ~ вестись", None, "none"),
    ("в настоящее время", "сейчас", "plain"),
    ("на сегодняшний день", "сейчас", "plain"),
    ("на данный момент", "сейчас", "plain"),
    ("на текущий момент", "сейчас", "plain"),
    ("в настоящий момент", "сейчас", "plain"),
    ("в данный момент", "сейчас", "plain"),
    ("в части", None, "none"),
    ("по вопросу", "о", "about"),
    ("согласно", "по", "plain"),
    ("принять ~ меры", None, "none"),
    ("принимать ~ меры", None, "none"),
    ("информируем вас", "сообщаем", "inform_you"),
    ("информировать", "сообщить", "inform"),
    ("доводить до ~ сведения", "сообщаем", "tell"),
    ("довести до ~ сведения", "сообщаем", "tell"),
    ("в адрес", None, "none"),
    ("мероприятие по", None, "none"),
    ("в соответствии с", "по", "accordance"),
    ("успешно", "", "delete"),
    ("масштабная работа", None, "none"),
    ("планомерная работа", None, "none"),
    ("на постоянной основе", "постоянно", "plain"),
    ("в кратчайшие сроки", "как можно скорее", "plain"),
    ("в плановом порядке", "по плану", "plain"),
    ("в обязательном порядке", "обязательно", "plain"),
    ("в случае если", "если", "plain"),
    ("иметь место", "есть", "be"),
    ("вышеуказанный", "этот", "this"),
    ("вышеизложенный", "этот", "this"),
    ("вышеперечисленный", "эти", "this"),
    ("нижеследующий", None, "none"),
    ("в надлежащем состоянии", "в порядке", "plain"),
    ("надлежащий", None, "none"),
    ("дополнительно сообщаем", "также", "also"),
    ("дополнительно информируем", "также", "also"),
    ("по результатам рассмотрения", None, "none"),
    ("с учетом вышеизложенного", None, "none"),
    ("функционировать", "работать", "work"),
    ("осуществлять", None, "none"),
    ("осуществить", None, "none"),
    ("осуществляться", None, "none"),
    ("производство работ", "работы", "works"),
    ("ввиду", "из-за", "plain"),
    ("вследствие", "из-за", "plain"),
    ("в целях обеспечения", "чтобы", "purpose"),
    # press-release voice: attention, control and forces instead of what is done
    ("уделять ~ внимание", None, "none"),
    ("держать ~ на контроле", None, "none"),
    ("находиться ~ на контроле", None, "none"),
    ("взять ~ на контроль", None, "none"),
    ("поставить ~ на контроль", None, "none"),
    ("на контроле", None, "none"),
    ("силами", None, "none"),
    ("население", "жители", "population"),
    ("в приоритетном порядке", "в первую очередь", "plain"),
    ("с применением", "из", "plain"),
    ("с использованием", "с", "using"),
    ("в установленном ~ порядке", "", "delete"),
    # denominal prepositions, a closed class of the official style: «по факту загрязнения»
    ("по факту", None, "none"),
    ("в связи с", "из-за", "none"),
    ("с учетом", None, "none"),
    ("в отношении", None, "none"),
    ("на текущем этапе", "сейчас", "plain"),
    ("по причине", "из-за", "plain"),
    ("водный объект", "река, озеро, пруд", "none"),
]
_MATCHER = PhraseMatcher([p for p, _, _ in _STOCK])

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
    # «осуществим» reads likelier as a short adjective («осуществимый»): the verb parse is meant
    t = next((x for x in all_tags(light.text) if x.POS in ("VERB", "INFN")), None)
    if t is None:
        return None
    if t.POS == "INFN":
        return target
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
        if i > 0 and toks[i - 1].lower in ("в", "на") and nxt.lemma == "момент":
            continue  # «на данный момент» is a stock phrase: «сейчас», not «на этот момент»
        if any(t.POS == "NOUN" for t in all_tags(tok.text)) and not _agrees(tok, nxt):
            continue  # «данные прежних жильцов»: the noun «данные» (data), not «these»
        fix = _THIS[tok.lower]
        out.append((i, fix.capitalize() if tok.text[0].isupper() else fix))
    return out


def _is_noun(t: Tok) -> bool:
    # A person's name is no link of a chain: «отчёт Сергея Викторовича Лобанова» is one noun.
    return t.is_word and t.pos == "NOUN" and not t.text.isupper() and not (
        t.text[:1].isupper() and any({"Name", "Patr", "Surn"} & set(tg.grammemes) for tg in all_tags(t.text)))


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
        # Four nouns read heavily when two of them are deeds («проведение работ по ремонту
        # покрытия»); four with one («срок поверки счётчиков воды», «реестр мест накопления
        # отходов») are how a thing is named — five are too many whatever they are.
        deeds = sum(toks[k].lemma.endswith(_VERBAL_SUFFIXES) or toks[k].lemma in _WORKS for k in nouns)
        if len(nouns) >= 5 or (len(nouns) == 4 and deeds >= 2):
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
        if nxt.lemma not in _OFFICE_VERBS and _abstract_subject(doc, i, i + 2) is False:
            continue  # «дорога будет открыта», «берег был подтоплен»: a thing, said plainly
        out.append((i, i + 2))
    return out


# Verbs whose passive is the office's voice whatever its subject: «будет осуществлён выезд».
_OFFICE_VERBS = frozenset({"осуществить", "произвести", "провести", "принять", "выполнить",
                           "организовать", "предпринять", "направить", "рассмотреть", "включить",
                           "предоставить", "обеспечить", "реализовать", "устранить", "выявить"})


def _abstract_subject(doc: Doc, first: int, last: int) -> bool | None:
    """Whether the subject of the short participle at ``last - 1`` (the nearest noun in the
    nominative agreeing with it, before or after, in its sentence) is a deed rather than a
    thing («работы будут выполнены» — «дорога будет открыта»); None when none is found."""
    prt = tag(doc.toks[last - 1].text)
    sent = doc.sent_of(first)
    for k in [*range(first - 1, sent.first - 1, -1), *range(last, sent.last)]:
        t = doc.toks[k]
        if t.is_word and first - 4 <= k < first and len(t.text) > 1 and t.text.isupper() and t.text.isalpha():
            return False  # «ФАП в Дубовке будет открыт»: a place named by its abbreviation, a thing
        if not t.is_word or t.pos != "NOUN":
            continue
        for tg in all_tags(t.text):
            if tg.POS == "NOUN" and tg.case == "nomn" and tg.number == prt.number and (
                    prt.number == "plur" or prt.gender is None or tg.gender == prt.gender):
                return t.lemma.endswith(_VERBAL_SUFFIXES) or t.lemma in _WORKS or t.lemma in (
                    "решение", "мера", "вопрос")
    return None


# Who may act, named in the instrumental beside a short passive participle.
_BODIES = frozenset({"администрация", "специалист", "сотрудник", "служба", "организация", "подрядчик",
                     "управление", "отдел", "комиссия", "бригада", "глава", "работник", "силы"})


def _agent_passives(doc: Doc) -> list[tuple[int, int]]:
    """«специалистами администрации организован выезд»: the one who acts in the instrumental
    before a short passive participle with no «быть» — the official inversion of «специалисты
    выехали» («отремонтирована подрядчиком», «будут проведены подрядчиком» are plain enough)."""
    out: list[tuple[int, int]] = []
    toks = doc.toks
    for i, tok in enumerate(toks):
        if not tok.is_word or (i > 0 and toks[i - 1].lower in _BE):
            continue
        t = tag(tok.text)
        if t.POS != "PRTS" or "pssv" not in t.grammemes:
            continue
        sent = doc.sent_of(i)
        for k in range(max(sent.first, i - 4), i):
            if k == i or not toks[k].is_word or (k > 0 and toks[k - 1].pos == "PREP"):
                continue
            tk = tag(toks[k].text)
            if tk.POS == "NOUN" and "ablt" in tk.grammemes and ("anim" in tk.grammemes or toks[k].lemma in _BODIES):
                out.append((min(i, k), max(i, k) + 1))
                break
    return out


def _core(suggestion: str) -> str:
    """The words of a suggestion without the commas and spaces it carries around them."""
    return suggestion.strip(" ,")


def _message(phrase: str, plain: str | None, suggestion: str | None) -> str:
    if suggestion:
        return f"Канцелярит «{phrase}»: напишите «{_core(suggestion)}»."
    if suggestion == "" or plain == "":
        return f"Канцелярит «{phrase}»: уберите, смысл не изменится."
    if plain is None:
        return f"Канцелярит «{phrase}»: скажите проще, как в разговоре."
    return f"Канцелярит «{phrase}»: напишите «{plain}»."


def _light_fix(doc: Doc, first: int, last: int, verb: str | None) -> Fix:
    """«произвести ремонт участка дороги» → «отремонтировать участок дороги»: the verb with the
    noun's genitive object in the accusative; no fix when words stand between the two
    («произвести капитальный ремонт»: «капитальный» would be lost)."""
    toks = doc.toks
    if verb is None or last - first != 2:
        return toks[first].start, toks[last - 1].end, None
    obj = _fixes.light_verb_object(doc, last - 1)
    if obj is None:
        return toks[first].start, toks[last - 1].end, None
    end, text = obj
    suggestion = _fixes.capitalised(doc, first, verb + (" " + text if text else ""))
    return toks[first].start, toks[end - 1].end, suggestion


def _last_at_most(values: list[float]) -> Callable[[float], int]:
    """For a list of numbers, the function giving the largest index whose value is <= x (-1 when
    there is none), by bisection of the suffix minima (which never decrease)."""
    suffix = values[:]
    for k in range(len(suffix) - 2, -1, -1):
        suffix[k] = min(suffix[k], suffix[k + 1])
    return lambda x: bisect_right(suffix, x) - 1


def _severities(words: list[tuple[int, int]]) -> list[str]:
    """Error for the findings of a stretch *dominated* by stock phrases — at least
    MIN_FOR_DENSITY of them making DENSITY_PER_100 or more per 100 words of the stretch, or
    MIN_IN_SHORT within SHORT_ANSWER_WORDS words — a warning for the others. ``words`` are the
    first and last word (ordinals) of each finding, in order.

    The stretch runs from the first of those findings to the last, not over the whole answer, so
    that typing more plain text before or after a finding never turns its error into a warning or
    back; an answer of up to 100 words is judged as a whole as before. Linear-logarithmic: for
    each first finding, the furthest last one that still makes the stretch dense."""
    n = len(words)
    marks = [0] * (n + 1)  # +1 where a dominated run starts, -1 after it ends
    # n_ij * 100 / (q_j - p_i + 1) >= D  ⟺  D*(q_j + 1) - 100*j <= D*p_i - 100*i + 100
    dense = _last_at_most([DENSITY_PER_100 * (q + 1) - 100 * j
                           for j, (_, q) in enumerate(words)])
    short = _last_at_most([q for _, q in words])
    for i, (p, _) in enumerate(words):
        j = dense(DENSITY_PER_100 * p - 100 * i + 100)
        if j - i + 1 < MIN_FOR_DENSITY:
            j = -1
        k = short(p + SHORT_ANSWER_WORDS - 1)
        if k - i + 1 >= MIN_IN_SHORT:
            j = max(j, k)
        if j >= i:
            marks[i] += 1
            marks[j + 1] -= 1
    out: list[str] = []
    depth = 0
    for i in range(n):
        depth += marks[i]
        out.append(ERROR if depth > 0 else WARNING)
    return out


# «согласно статье 12», «в соответствии с Федеральным законом № 59-ФЗ»: citing an act is how the
# law is named, not officialese (every blind writer left it alone); «согласно графику» is not.
_ACT_CITED = frozenset({"статья", "ст", "пункт", "п", "часть", "ч", "подпункт", "пп", "закон", "кодекс",
                        "постановление", "приказ", "указ", "распоряжение", "правило", "решение"})


# Stock phrases that only name an act when one follows; «населения» in a body's name.
_CITING = frozenset({"с учетом"})
_BODY_NAME_HEADS = frozenset({"защита", "занятость", "обслуживание"})


_PRICE_WORDS = frozenset({"тариф", "цена", "стоимость", "плата", "норматив"})


def _tariff_category(doc: Doc, k: int) -> bool:
    """«тариф … для населения», «цена для населения»: a price named for the households, within
    the few words before ``k``."""
    toks = doc.toks
    return k > 0 and toks[k - 1].lower == "для" and any(
        t.lemma in _PRICE_WORDS for t in toks[max(0, k - 8):k - 1] if t.is_word)


def _cites_an_act(doc: Doc, first: int, last: int) -> bool:
    """Whether «согласно» / «в соответствии с» is followed by an act (a capitalised name counts:
    «Правилам благоустройства», «Жилищному кодексу»)."""
    lead = doc.toks[first].lower
    if lead not in ("согласно", "в", "с"):  # «с учётом статьи 6.3 …» cites as well
        return False
    nxt = next((t for t in doc.toks[last:last + 3] if t.is_word), None)
    return nxt is not None and (nxt.lemma in _ACT_CITED or nxt.text[0].isupper())


_SIGN_OFF_RE = re.compile(r"(?:^|(?<=[.!?]))\s*С\s+уважением\b[^.!?]*[.!?]?\s*$")
_QUOTED_RE = re.compile(r"«[^«»]{1,80}»|\"[^\"]{1,80}\"")


def _quoted_or_signed(doc: Doc) -> list[tuple[int, int]]:
    """The spans of names in quotes and of the closing «С уважением, отдел …»."""
    spans = [(m.start(), m.end()) for m in _QUOTED_RE.finditer(doc.text)]
    if (m := _SIGN_OFF_RE.search(doc.text)) is not None:
        spans.append((m.start(), m.end()))
    return spans


def check(doc: Doc) -> list[Finding]:
    toks = doc.toks
    raw: list[tuple[int, int, str, str | None, tuple[int, int]]] = []
    taken: set[int] = set()

    quoted = _quoted_or_signed(doc)

    def add(first: int, last: int, message: str, fix: Fix) -> None:
        """``first``..``last`` are the tokens of the phrase itself, which no other finding may
        share; the fix may reach further (the object it puts into another case)."""
        if any(k in taken for k in range(first, last)):
            return
        if any(a <= toks[first].start < b for a, b in quoted):
            return  # a name in quotes («Сила Сибири») or the sign-off's department: not our style
        taken.update(range(first, last))
        words = (bisect_left(doc.word_idx, first), bisect_left(doc.word_idx, last) - 1)
        raw.append((fix[0], fix[1], message, fix[2], words))

    for first, last, verb in _light_verbs(doc):
        phrase = doc.text[toks[first].start:toks[last - 1].end]
        fix = _light_fix(doc, first, last, verb)
        hint = f"«{_core(fix[2])}»" if fix[2] else f"«{verb}»" if verb else "глагол действия"
        add(first, last, f"Канцелярит «{phrase}»: напишите проще — {hint}.", fix)
    for i, word in _this(doc):
        add(i, i + 1, f"Канцелярит «{toks[i].text}»: напишите «{word}».",
            (toks[i].start, toks[i].end, word))
    for m in _MATCHER.find(doc):
        phrase = doc.text[toks[m.first].start:toks[m.last - 1].end]
        _, plain, kind = _STOCK[m.key]
        if (kind in ("plain", "accordance") or _STOCK[m.key][0] in _CITING) and _cites_an_act(doc, m.first, m.last):
            continue
        if kind == "population" and m.first > 0 and toks[m.first - 1].lemma in _BODY_NAME_HEADS:
            continue  # «отдел социальной защиты населения»: a body's own name
        if kind == "population" and _tariff_category(doc, m.first):
            continue  # «тариф для населения»: the tariff's own category, not officialese
        fix = _fixes.fix(doc, kind, m.first, m.last, plain)
        add(m.first, m.last, _message(phrase, plain, fix[2]), fix)
    for first, last in _chains(doc):
        add(first, last, "Цепочка существительных в родительном падеже: перестройте фразу с "
            "глаголом («чтобы отремонтировать дорогу»).", (toks[first].start, toks[last - 1].end,
                                                          None))
    for first, last in _passives(doc):
        add(first, last, "Страдательный оборот без того, кто действует: напишите, кто это "
            "сделал или сделает («мы решили», «подрядчик проведёт работы»).",
            (toks[first].start, toks[last - 1].end, None))
    for first, last in _agent_passives(doc):
        add(first, last, "Страдательный оборот: начните с того, кто действует («специалисты выехали», "
            "«подрядчик отремонтирует»).", (toks[first].start, toks[last - 1].end, None))
    raw.sort(key=lambda r: (r[4], r[0], r[1]))
    severities = _severities([r[4] for r in raw])
    return [Finding(CODE, sev, s, e, msg, sug)
            for (s, e, msg, sug, _), sev in zip(raw, severities, strict=True)]
