"""``press_release``: a post written as a press release (Приложение 1, п. 7).

A press release reports on the administration from outside, in the third person and the passive;
a post on the administration's own page talks to the reader. The check reads the grammar of each
sentence (pymorphy3 parses: case, number, person, tense, voice) and finds:

* ``report`` — the institution as the subject of a verb of reporting in the third person:
  «Администрация Пластуновского сельского поселения сообщает / информирует / напоминает». The
  defining form of a press release: always an **error**. Fix, in the present tense: the verb in
  the first person plural, the subject dropped («Напоминаем»; «информирует, что» →
  «Сообщаем, что»).
* ``self`` — the institution or its official as the subject of any other verb in the third
  person, in the main clause: «Администрация поселения провела рейд», «Глава поселения провёл
  приём граждан» (an official counts with a genitive naming the institution or the place).
* ``agent`` — the institution in the instrumental as the agent of a passive: «Администрацией
  поселения проведена работа».
* ``event`` — «состоялось» (past), «прошло заседание / совещание»: a report of an official event.
* ``passive`` — a short passive participle in the past whose subject is an activity, with no one
  named who did it: «было проведено совещание», «выполнены работы по ремонту».
* ``headline`` — a line in capitals of two words or more: «ОТКЛЮЧЕНИЕ ВОДЫ НА УЛИЦЕ ЛЕНИНА».
  Fix: the line in sentence case, names and abbreviations kept.
* ``dateline`` — the post opens with a date with its year or with «Станица, 12 марта —».
* ``signature`` — a line «Пресс-служба администрации …»: a post on the page itself needs none.
  Fix: the line removed.

Each finding except ``report`` is a **warning** on its own: one «состоялось» in a lively post is
worth a look. When the post as a whole has the press-release form — at least FORM_SIGNALS of
these findings, or FORM_SIGNALS_SILENT when the post never addresses the reader — all of them
are errors, since that is what п. 7 forbids.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass

from pymorphy3.tagset import OpencorporaTag

from otklik.texts import morph
from otklik.texts.answers import _fixes
from otklik.texts.answers._doc import Doc, Tok, all_tags, tag
from otklik.texts.answers.findings import ERROR, WARNING, Finding

from ._words import words

CODE = "press_release"
FORM_SIGNALS = 3
FORM_SIGNALS_SILENT = 2
# The words between a subject and its verb that are read («Администрация Пластуновского
# сельского поселения Динского района …»): bounded, so that a long run of genitives is not
# rescanned from each of its words (quadratic).
MAX_CHAIN = 12

_WAS = frozenset({"был", "была", "было", "были"})
_SUBORDINATE = frozenset({"что", "чтобы", "если", "когда", "как", "который", "где", "пока",
                          "хотя", "поскольку", "потому"})
_VERBAL_SUFFIXES = ("ние", "тие", "ция", "ство")
_PLACES = frozenset({"район", "поселение", "край", "область", "округ", "образование"})
# «информирует» → «сообщаем» only where the two govern alike: before «, что», «:», «о».
_PLAIN_REPORT = {
    "информировать": "сообщать", "проинформировать": "сообщить", "уведомлять": "сообщать",
    "уведомить": "сообщить", "извещать": "сообщать", "известить": "сообщить",
    "оповещать": "сообщать", "оповестить": "сообщить",
}
_NO_FIX_REPORT = frozenset({"доводить", "довести", "доложить"})
_MONTHS = ("января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|"
           "декабря")
_DATE_WITH_YEAR = (r"(?:\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})|\d{1,2}\s+(?:" + _MONTHS + r")\s+\d{4})"
                   r"(?:\s*(?:г\.|года|г(?=\s)))?")
_DATELINE_RE = re.compile(
    r"\A\s*(?:" + _DATE_WITH_YEAR +
    r"|(?i:(?:ст|с|х|г|пос|п)\.\s*|станица\s+|село\s+|хутор\s+)?[А-ЯЁ][а-яё-]+,\s*\d{1,2}\s+"
    r"(?:" + _MONTHS + r")(?:\s+\d{4})?(?:\s*(?:г\.|года))?\s*(?:[—–-]|\.(?=\s)))",
)
_LINE_RE = re.compile(r"[^\n]+")
_CAPS_WORD_RE = re.compile(r"[А-ЯЁA-Z][А-ЯЁA-Z-]*")


@dataclass(frozen=True, slots=True)
class _Hit:
    kind: str
    start: int
    end: int
    message: str
    suggestion: str | None = None


# --------------------------------------------------------------------------- grammar helpers


def _parse_lemma(word: str, t: OpencorporaTag) -> str:
    for p in morph.analyzer().parse(word):
        if p.tag == t:
            return str(p.normal_form).replace("ё", "е")
    return morph.lemma(word)


def _nominative_noun(tok: Tok) -> OpencorporaTag | None:
    return next((t for t in all_tags(tok.text) if t.POS == "NOUN" and t.case == "nomn"), None)


def _is_gentive(tok: Tok) -> bool:
    return any(t.POS in ("NOUN", "ADJF", "PRTF", "NUMR") and t.case in ("gent", "gen2")
               for t in all_tags(tok.text))


def _chain_end(doc: Doc, j: int, last: int) -> tuple[int, bool]:
    """The token after the words that hang on a subject: genitives («Пластуновского сельского
    поселения»), names and abbreviations («МКУ», «Иванов»), quoted names, «Динской район».
    Also whether one of them names the institution or the place (for an official)."""
    toks = doc.toks
    official_of = words("official_of")
    tied = False
    quotes = 0
    last = min(last, j + MAX_CHAIN)
    while j < last:
        t = toks[j]
        if t.text == "«":
            quotes += 1
        elif t.text == "»" and quotes:
            quotes -= 1
        elif quotes:
            pass
        elif not t.is_word:
            break
        elif t.text[:1].isupper() or _is_gentive(t):
            tied = tied or t.lemma in official_of
        elif t.lemma in _PLACES and j > 0 and toks[j - 1].text[:1].isupper():
            tied = True
        else:
            break
        j += 1
    return j, tied


def _main_clause_end(doc: Doc, first: int, last: int) -> int:
    """The first subordinating word of a sentence (or its end): a subject after it («…, что
    администрация района обещала») is about someone else's words."""
    return next((k for k in range(first, last) if doc.toks[k].lower in _SUBORDINATE
                 or doc.toks[k].lower.startswith("котор")), last)


def _agreeing_verb(tok: Tok, noun: OpencorporaTag) -> OpencorporaTag | None:
    """A finite indicative parse of ``tok`` in the third person that agrees with ``noun``."""
    for t in all_tags(tok.text):
        if t.POS != "VERB" or t.mood != "indc":
            continue
        if t.tense == "past":
            if t.number == noun.number and (t.number == "plur" or not noun.gender
                                            or t.gender == noun.gender
                                            or "Ms-f" in noun.grammemes):
                return t
        elif t.person == "3per" and t.number == noun.number:
            return t
    return None


def _modifiers_before(doc: Doc, i: int, first: int) -> int:
    """The first of the adjectives right before token i («Местная администрация»)."""
    k = i
    while k > first and doc.toks[k - 1].is_word and doc.toks[k - 1].pos in ("ADJF", "PRTF"):
        k -= 1
    return k


# --------------------------------------------------------------------------- the signals


def _report_fix(doc: Doc, first: int, verb: int, lemma: str, vtag: OpencorporaTag) -> str | None:
    """«Администрация поселения напоминает» → «Напоминаем»; None where the rewrite would not
    fit (the past, «доводит до сведения», «информирует жителей»)."""
    if vtag.tense == "past" or lemma in _NO_FIX_REPORT:
        return None
    target = lemma
    if lemma in _PLAIN_REPORT:
        nxt = doc.toks[verb + 1] if verb + 1 < len(doc.toks) else None
        if nxt is None or nxt.lower not in (",", ":", "о", "об", "обо", "что"):
            return None
        target = _PLAIN_REPORT[lemma]
    form = morph.inflect_lemma(target, "INFN", frozenset(
        {"VERB", "plur", "1per", "indc", str(vtag.tense)}))
    if form is None or not morph.is_known(form):
        return None
    return _fixes.capitalised(doc, first, form)


def _subjects(doc: Doc) -> Iterator[_Hit]:
    """``report`` and ``self``: the institution or its official speaking of itself."""
    toks = doc.toks
    institution, official = words("institution"), words("official")
    report = words("report_verb")
    for sent in doc.sents:
        main_end = _main_clause_end(doc, sent.first, sent.last)
        i = sent.first
        while i < main_end:
            tok = toks[i]
            is_inst = tok.lemma in institution
            if not tok.is_word or not (is_inst or tok.lemma in official):
                i += 1
                continue
            noun = _nominative_noun(tok)
            if noun is None:
                i += 1
                continue
            j, tied = _chain_end(doc, i + 1, sent.last)
            if not is_inst and not tied:
                i += 1
                continue
            while j < sent.last and toks[j].is_word and toks[j].pos in ("ADVB", "PRCL") \
                    and toks[j].lower != "не":
                j += 1
            vtag = _agreeing_verb(toks[j], noun) if j < sent.last and toks[j].is_word else None
            if vtag is None:
                i += 1
                continue
            first = _modifiers_before(doc, i, sent.first)
            start, end = toks[first].start, toks[j].end
            phrase = doc.text[start:end]
            lemma = _parse_lemma(toks[j].text, vtag)
            if lemma in report:
                fix = _report_fix(doc, first, j, lemma, vtag) if is_inst else None
                how = f"«{fix}»" if fix else "от первого лица: «сообщаем», «напоминаем»"
                yield _Hit("report", start, end,
                           f"«{phrase}» — так пишут пресс-релизы. На своей странице говорите "
                           f"от себя: {how}.", fix)
            elif is_inst:
                yield _Hit("self", start, end,
                           f"«{phrase}» — учреждение пишет о себе в третьем лице, как в "
                           "пресс-релизе. Напишите от первого лица: «мы провели», «мы "
                           "отремонтировали».")
            else:
                yield _Hit("self", start, end,
                           f"«{phrase}» — отчёт о должностном лице в форме пресс-релиза. "
                           "Расскажите, что изменилось для жителей, а не кто что провёл.")
            i = j + 1


def _is_activity(tok: Tok) -> bool:
    return tok.lemma in words("activity") or (
        tok.lemma.endswith(_VERBAL_SUFFIXES) and len(tok.lemma) > 5)


def _past_passive(tok: Tok) -> OpencorporaTag | None:
    t = tag(tok.text)
    if t.POS == "PRTS" and "pssv" in t.grammemes and t.tense == "past":
        return t
    return None


def _agrees_prts(part: OpencorporaTag, noun: OpencorporaTag) -> bool:
    if part.number != noun.number:
        return False
    return part.number == "plur" or part.gender == noun.gender or "Ms-f" in noun.grammemes


def _subject_of(doc: Doc, i: int, part: OpencorporaTag, first: int, last: int) -> int | None:
    """The nominative noun a past passive participle is said of: up to three words after it
    (over adjectives) or before it (over «было» and adverbs)."""
    toks = doc.toks
    for step, stop in ((1, last), (-1, first - 1)):
        k = i + step
        seen = 0
        while k != stop and seen < 4:
            t = toks[k]
            if not t.is_word:
                if t.text[:1].isdigit():
                    k += step
                    continue
                break
            seen += 1
            noun = _nominative_noun(t)
            if noun is not None and t.pos == "NOUN":
                return k if _agrees_prts(part, noun) else None
            if t.pos not in ("ADJF", "PRTF", "ADVB", "NUMR", "PRCL") and t.lower not in _WAS:
                break
            k += step
    return None


def _agent(doc: Doc, i: int, first: int, last: int) -> int | None:
    """A noun in the instrumental near the participle at token i, not after a preposition: who
    did it («подрядчиком», «администрацией»)."""
    toks = doc.toks
    for k in range(max(first, i - 5), min(last, i + 7)):
        t = toks[k]
        if k == i or not t.is_word or (k > 0 and toks[k - 1].pos == "PREP"):
            continue
        if t.pos in ("NOUN", "NPRO") and tag(t.text).case == "ablt":
            return k
    return None


def _passives(doc: Doc) -> Iterator[_Hit]:
    """``passive`` and ``agent``."""
    toks = doc.toks
    actors = words("institution") | words("official")
    for sent in doc.sents:
        for i in range(sent.first, sent.last):
            tok = toks[i]
            if not tok.is_word or not tok.prose:
                continue
            part = _past_passive(tok)
            if part is None:
                continue
            agent = _agent(doc, i, sent.first, sent.last)
            subject = _subject_of(doc, i, part, sent.first, sent.last)
            ends = [i] + ([subject] if subject is not None else [])
            if i > sent.first and toks[i - 1].lower in _WAS:
                ends.append(i - 1)
            if agent is not None:
                if toks[agent].lemma not in actors:
                    continue  # «выполнены подрядчиком»: who did it is said
                ends.append(agent)
                a, b = min(ends), max(ends)
                yield _Hit("agent", toks[a].start, toks[b].end,
                           f"«{doc.text[toks[a].start:toks[b].end]}» — страдательный оборот, "
                           "где учреждение в творительном падеже: язык пресс-релиза. Напишите "
                           "«мы провели», «мы сделали».")
                continue
            if subject is None or not _is_activity(toks[subject]):
                continue
            a, b = min(ends), max(ends)
            yield _Hit("passive", toks[a].start, toks[b].end,
                       f"«{doc.text[toks[a].start:toks[b].end]}» — отчёт в страдательном залоге, "
                       "как в пресс-релизе. Скажите, кто сделал и что это даст жителям: «мы "
                       "провели встречу», «подрядчик отремонтировал дорогу».")


def _events(doc: Doc) -> Iterator[_Hit]:
    """``event``: «состоялось заседание», «прошло совещание»."""
    toks = doc.toks
    official_event = words("official_event")
    for sent in doc.sents:
        for i in range(sent.first, sent.last):
            tok = toks[i]
            if not tok.is_word or not tok.prose:
                continue
            t = tag(tok.text)
            if t.POS != "VERB" or t.tense != "past" or tok.lemma not in (
                    "состояться", "пройти", "проходить"):
                continue
            subject = None
            for k in range(i + 1, min(sent.last, i + 4)):
                if toks[k].is_word and toks[k].pos == "NOUN":
                    subject = k
                    break
            if tok.lemma != "состояться" and (
                    subject is None or toks[subject].lemma not in official_event):
                continue
            end = toks[subject].end if subject is not None else tok.end
            phrase = doc.text[tok.start:end]
            yield _Hit("event", tok.start, end,
                       f"«{phrase}» — оборот пресс-релиза. Расскажите, что решили или что "
                       "было интересного и что это значит для жителей.")


def _sentence_case(doc: Doc, starts: list[int], start: int, end: int) -> str | None:
    """A line in capitals in sentence case: words the dictionary knows in small letters,
    names with a capital, abbreviations («МКУ», «ЖКХ») as they are; each sentence opens with a
    capital letter."""
    out: list[str] = []
    pos = start
    capital = True
    for t in doc.toks[bisect_left(starts, start):bisect_left(starts, end)]:
        if t.end > end:
            continue
        out.append(doc.text[pos:t.start])
        word = t.text
        if t.is_word and word.isupper() and len(word) > 1:
            low = word.lower()
            tags = all_tags(low)
            if not morph.is_known(low):
                word = word if len(word) <= 4 else word[0] + low[1:]
            elif any("Abbr" in x.grammemes for x in tags[:1]):
                pass
            elif any({"Name", "Surn", "Patr", "Geox", "Orgn"} & x.grammemes for x in tags[:1]):
                word = word[0] + low[1:]
            else:
                word = low
        if t.is_word:
            if capital:
                word = word[:1].upper() + word[1:]
            capital = False
        elif t.text in (".", "!", "?", "…", "..."):
            capital = True
        out.append(word)
        pos = t.end
    out.append(doc.text[pos:end])
    text = "".join(out)
    return text if text != doc.text[start:end] else None


def _headlines(doc: Doc) -> Iterator[_Hit]:
    starts: list[int] | None = None
    for m in _LINE_RE.finditer(doc.text):
        line = m.group(0)
        letters = [ch for ch in line if ch.isalpha()]
        if not letters or any(ch.islower() for ch in letters):
            continue
        caps = [w for w in _CAPS_WORD_RE.findall(line) if len(w) >= 2]
        if len(caps) < 2 or not any(
                len(w) >= 4 and morph.is_known(w.lower())
                and "Abbr" not in all_tags(w.lower())[0].grammemes for w in caps):
            continue
        start = m.start() + len(line) - len(line.lstrip())
        end = m.end() - (len(line) - len(line.rstrip()))
        if not doc.in_prose(start):
            continue
        if starts is None:
            starts = [t.start for t in doc.toks]
        yield _Hit("headline", start, end,
                   "Заголовок заглавными буквами — примета пресс-релиза, а в ленте он читается "
                   "как крик. Напишите обычными буквами.", _sentence_case(doc, starts, start, end))


def _dateline(doc: Doc) -> Iterator[_Hit]:
    m = _DATELINE_RE.match(doc.text)
    if m:
        start = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
        end = start + len(m.group(0).strip().rstrip("—–-").rstrip())
        yield _Hit("dateline", start, end,
                   "Пост начинается с даты, как пресс-релиз. Начните с главного для жителей, "
                   "а дату скажите по ходу: «В субботу, 12 марта, …».")


def _signatures(doc: Doc) -> Iterator[_Hit]:
    for m in _LINE_RE.finditer(doc.text):
        line = m.group(0).strip()
        low = line.lower().replace("ё", "е")
        if not low.startswith(("пресс-служба", "источник: пресс-служба", "информация "
                                                                         "пресс-службы")):
            continue
        if any(tag(w.text).POS == "VERB" for w in morph.words(line)):
            continue  # «Пресс-служба администрации сообщает …»: a sentence, see ``report``
        start = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
        end = start + len(line)
        cut = start
        while cut > 0 and doc.text[cut - 1] in " \t\n":
            cut -= 1
        whole = cut == 0 and end == len(doc.text)
        yield _Hit("signature", cut if cut < start and not whole else start, end,
                   "Подпись «пресс-служба» — примета пресс-релиза: пост на своей странице "
                   "подписывать не нужно.", None if whole else "")


def check(doc: Doc, *, addresses: bool) -> list[Finding]:
    found = [hit for gen in (_headlines(doc), _dateline(doc), _subjects(doc), _passives(doc),
                             _events(doc), _signatures(doc)) for hit in gen]
    found.sort(key=lambda h: (h.start, -h.end))
    hits: list[_Hit] = []
    for hit in found:
        if hits and hit.start < hits[-1].end:
            continue  # one mark for one stretch of text: the first, the longest
        hits.append(hit)
    form = len(hits) >= FORM_SIGNALS or (not addresses and len(hits) >= FORM_SIGNALS_SILENT)
    return [Finding(CODE, ERROR if form or h.kind == "report" else WARNING, h.start, h.end,
                    h.message, h.suggestion) for h in hits]
