"""Comments that break the law (Прил. 1 п. 8): calls to unrest, extremism, others' personal data.

    check(text, *, spam=False) -> list[LawHit]

Three kinds, each a ``LawHit`` with the stretch that shows it:

* ``unrest`` — a call to riots, to an unapproved mass action or one that blocks a road, or to
  violence against people («громите», «выйдем и перекроем трассу», «надо бить чиновников»);
* ``extremism`` — slogans and names of banned organisations, approval of terrorism («террорист —
  герой»), a call to seize power («свергнем власть», «к оружию»), a call to violence or
  expulsion against an ethnic or religious group;
* ``personal_data`` — someone else's data: a mobile phone that is not a public or the writer's
  own number, a passport series and number, a SNILS or INN of a person (checksums checked), a car
  plate or a home address tied to a named person.

The calls are found by grammar over pymorphy3 lemmas (``otklik.texts.morph``): a sentence must
hold a call (an imperative, a «we» verb like «выйдем», or «давайте», «пора», «надо» …), an
action of a class from data/law_terms.toml and, for actions that are lawful in themselves, what
makes them unlawful (no approval, a blocked road, a person as object) a few words away. The word
classes are small; a new word goes into its class. First-person threats («убью», «сожгу дом»)
are the п. 21 threat check's, not this one's.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from otklik.texts import morph

UNREST = "unrest"
EXTREMISM = "extremism"
PERSONAL_DATA = "personal_data"
KINDS = (UNREST, EXTREMISM, PERSONAL_DATA)


@dataclass(frozen=True, slots=True)
class LawHit:
    kind: str
    start: int
    end: int
    reason: str


@cache
def _terms() -> dict[str, dict[str, frozenset[str]]]:
    raw = resources.files("otklik.texts.screening").joinpath("data", "law_terms.toml").read_text("utf-8")
    data = tomllib.loads(raw)
    return {
        section: {name: frozenset(str(w).replace("ё", "е") for w in words) for name, words in table.items()}
        for section, table in data.items()
    }


def _t(section: str, name: str) -> frozenset[str]:
    return _terms()[section][name]


# --------------------------------------------------------------------------- tokens

_WORD_RE = re.compile(r"[А-Яа-яЁёA-Za-z]+(?:-[А-Яа-яЁё]+)?|\d+(?:/\d+)?")
_SENT_END_RE = re.compile(r"[.!?\n;]+")
# How many words apart an action and its object may stand.
_WINDOW = 4
# The longest word looked up: pymorphy3 on a 10 000-letter «word» is slow and says nothing.
_MAX_WORD = 40


@dataclass(frozen=True, slots=True)
class _Tok:
    start: int
    end: int
    text: str
    lemmas: frozenset[str]
    call: bool  # imperative or «we» verb
    name: bool  # a capitalised first name, surname or patronymic


@lru_cache(maxsize=100_000)
def _analyse(word: str) -> tuple[frozenset[str], bool, bool]:
    """Lemmas of the likeliest parses, whether some parse is a call, whether it is a name."""
    low = word.lower().replace("ё", "е")
    if len(word) > _MAX_WORD or not word[0].isalpha():
        return frozenset({low}), False, False
    tags = morph.tags(low)
    parses = morph.analyzer().parse(low)[:3]
    lemmas = frozenset({p.normal_form.replace("ё", "е") for p in parses} | {low})
    call = any(
        "impr" in t or (t.POS == "VERB" and "1per" in t and "plur" in t and "past" not in t)
        for t in tags[:3]
    )
    name = (
        word[0].isupper()
        and not word.isupper()
        and bool(tags)
        and bool({"Name", "Surn", "Patr"} & tags[0].grammemes)
    )
    return lemmas, call, name


def _tokens(text: str, start: int, end: int) -> list[_Tok]:
    out: list[_Tok] = []
    for m in _WORD_RE.finditer(text, start, end):
        lemmas, call, name = _analyse(m.group(0))
        out.append(_Tok(m.start(), m.end(), m.group(0), lemmas, call, name))
    return out


def _sentences(text: str) -> Iterable[tuple[int, int]]:
    at = 0
    for m in _SENT_END_RE.finditer(text):
        if m.start() > at:
            yield at, m.start()
        at = m.end()
    if at < len(text):
        yield at, len(text)


def _has(tok: _Tok, words: frozenset[str]) -> bool:
    return not tok.lemmas.isdisjoint(words)


def _near(toks: list[_Tok], i: int, words: frozenset[str], window: int = _WINDOW) -> int | None:
    """Index of a token of the class within `window` words of token i (either side)."""
    for j in range(max(0, i - window), min(len(toks), i + window + 1)):
        if j != i and _has(toks[j], words):
            return j
    return None


# --------------------------------------------------------------------------- calls

_COLLECTIVE_RE = re.compile(r"\b(?:все\s+на|все\s+вместе|народ\s*,|люди\s*,|граждане\s*,|земляки\s*,)", re.IGNORECASE)
_ARMS_RE = re.compile(r"\bк\s+оружию\b", re.IGNORECASE)
_MASS_RIOT_RE = re.compile(r"\bмассов\w*\s+беспорядк\w*", re.IGNORECASE)
_NEGATED_RE = re.compile(
    r"\b(?:не|нельзя|никогда|против)\s+(?:(?:надо|нужно|стоит|следует|будем|станем|давайте|"
    r"призываю|призываем|хотим|хочу)\s+)?$",
    re.IGNORECASE,
)


def _is_call(toks: list[_Tok], sentence: str) -> bool:
    if _COLLECTIVE_RE.search(sentence):
        return True
    return any(t.call or _has(t, _t("call", "lemmas")) for t in toks)


def _negated(text: str, tok: _Tok) -> bool:
    """«не надо громить», «нельзя бить» — a word with a negation right before it."""
    return bool(_NEGATED_RE.search(text[max(0, tok.start - 30) : tok.start]))


def _span(toks: list[_Tok], i: int, j: int | None = None) -> tuple[int, int]:
    a, b = (i, i) if j is None else (min(i, j), max(i, j))
    return toks[a].start, toks[b].end


def _unrest_and_extremism(text: str) -> list[LawHit]:
    hits: list[LawHit] = []
    low = text.lower().replace("ё", "е")
    for s_start, s_end in _sentences(text):
        sentence = low[s_start:s_end]
        toks = _tokens(text, s_start, s_end)
        if not toks:
            continue
        call = _is_call(toks, sentence)
        for i, tok in enumerate(toks):
            # Extremism first: a call against a group is incitement, not «just» unrest.
            if _has(tok, _t("extremism", "terror")):
                j = _near(toks, i, _t("extremism", "approve"), 5)
                if j is not None and not _negated(text, toks[j]):
                    hits.append(LawHit(EXTREMISM, *_span(toks, i, j),
                                       "одобрение терроризма (ст. 205.2 УК РФ)"))
                    continue
            if not call or _negated(text, tok):
                continue
            if _has(tok, _t("unrest", "violence")) or _has(tok, _t("unrest", "expel")):
                j = _near(toks, i, _t("extremism", "groups"))
                if j is not None:
                    hits.append(LawHit(EXTREMISM, *_span(toks, i, j),
                                       "призыв к насилию или изгнанию по национальному или "
                                       "религиозному признаку (ст. 280, 282 УК РФ)"))
                    continue
                if _has(tok, _t("unrest", "violence")):
                    j = _near(toks, i, _t("unrest", "people"))
                    if j is not None:
                        hits.append(LawHit(UNREST, *_span(toks, i, j), "призыв к насилию"))
                        continue
            if _has(tok, _t("extremism", "seize")):
                j = _near(toks, i, _t("extremism", "power"))
                if j is not None:
                    hits.append(LawHit(EXTREMISM, *_span(toks, i, j),
                                       "призыв к захвату власти (ст. 280, 278 УК РФ)"))
                    continue
            if _has(tok, _t("extremism", "take")):
                j = _near(toks, i, frozenset({"власть", "режим", "кремль"}), 3)
                if j is not None:
                    hits.append(LawHit(EXTREMISM, *_span(toks, i, j),
                                       "призыв к захвату власти (ст. 280, 278 УК РФ)"))
                    continue
            if _has(tok, _t("extremism", "revolution")):
                hits.append(LawHit(EXTREMISM, *_span(toks, i),
                                   "призыв к вооружённому восстанию или перевороту"))
                continue
            if _has(tok, _t("unrest", "riot")) and "беспорядок" not in tok.lemmas:
                hits.append(LawHit(UNREST, *_span(toks, i), "призыв к массовым беспорядкам"))
                continue
            if _has(tok, _t("unrest", "block")):
                j = _near(toks, i, _t("unrest", "road"), 3)
                # «перекройте дорогу на время ремонта» asks the administration: only «we» count.
                if j is not None and ((tok.call and not _impr_only(tok)) or _collective(toks, sentence)):
                    hits.append(LawHit(UNREST, *_span(toks, i, j),
                                       "призыв перекрыть дорогу (несогласованная акция)"))
                    continue
            if _has(tok, _t("unrest", "mass")) and any(p in sentence for p in _t("unrest", "unapproved")):
                hits.append(LawHit(UNREST, *_span(toks, i),
                                   "призыв к несогласованной массовой акции"))
                continue
            if _has(tok, _t("unrest", "go_out")):
                j = _near(toks, i, frozenset({"трасса", "шоссе", "федералка", "переезд", "рельсы"}), 3)
                if j is not None:
                    hits.append(LawHit(UNREST, *_span(toks, i, j),
                                       "призыв выйти на трассу (перекрытие движения)"))
                    continue
        if call:
            for m in _MASS_RIOT_RE.finditer(text, s_start, s_end):
                if not _NEGATED_RE.search(text[max(0, m.start() - 30) : m.start()]):
                    hits.append(LawHit(UNREST, m.start(), m.end(), "призыв к массовым беспорядкам"))
        for m in _ARMS_RE.finditer(text, s_start, s_end):
            hits.append(LawHit(EXTREMISM, m.start(), m.end(), "призыв к вооружённому восстанию"))
    for m in _markers_re().finditer(low):
        hits.append(LawHit(EXTREMISM, m.start(), m.end(),
                           "символика или название запрещённой организации, нацистский лозунг "
                           "(ст. 20.3, 20.29 КоАП РФ)"))
    return hits


def _impr_only(tok: _Tok) -> bool:
    """The call is a 2nd-person imperative («перекройте»), not a «we» verb («перекроем»)."""
    return all("impr" in t for t in morph.tags(tok.text.lower())[:1])


def _collective(toks: list[_Tok], sentence: str) -> bool:
    return bool(_COLLECTIVE_RE.search(sentence)) or any(
        _has(t, frozenset({"давать", "давай", "айда", "пора", "призывать"})) for t in toks
    )


@cache
def _markers_re() -> re.Pattern[str]:
    words = sorted(_t("extremism", "markers"), key=len, reverse=True)
    return re.compile(r"(?<![\w/])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w/])")


# --------------------------------------------------------------------------- personal data

_D = r"[\s\-‐–—.]?"
_PHONE_RE = re.compile(
    r"(?<![\d+])(?:\+\s?7|8|7)[\s\-‐–—.]*\(?\s*(\d{3})\s*\)?[\s\-‐–—.]*(\d{3})" + _D + r"(\d{2})" + _D + r"(\d{2})(?!\d)"
    r"|(?<![\d+])(?:\+\s?7|8)[\s\-‐–—.]*\(\s*(\d{4,5})\s*\)[\s\-‐–—.]*\d{1,3}(?:" + _D + r"\d{2}){1,2}(?!\d)"
)
_PASSPORT_RE = re.compile(
    r"(?<!\d)(\d{2})\s?(\d{2})\s*(?:№|N|номер|н\.)?\s*(\d{6})(?!\d)", re.IGNORECASE
)
_PASSPORT_CUE_RE = re.compile(r"паспорт|серия|серии|\bсер\.", re.IGNORECASE)
_SNILS_RE = re.compile(r"(?<!\d)(\d{3})[\s-]?(\d{3})[\s-]?(\d{3})[\s-]?(\d{2})(?!\d)")
_SNILS_CUE_RE = re.compile(r"снилс|страхов\w*\s+номер", re.IGNORECASE)
_INN_RE = re.compile(r"(?<!\d)(\d{12}|\d{10})(?!\d)")
_INN_CUE_RE = re.compile(r"\bинн\b", re.IGNORECASE)
# Letters allowed on Russian plates (and their Latin look-alikes).
_PL = "АВЕКМНОРСТУХABEKMHOPCTYX"
_PLATE_RE = re.compile(
    rf"(?<![\w])[{_PL}{_PL.lower()}]\s?\d{{3}}\s?[{_PL}{_PL.lower()}]{{2}}(?:\s?\d{{2,3}})?(?:\s?rus)?(?![\w])"
)
# Words near a phone that make it a public or the writer's own number.
_PUBLIC_CUE_RE = re.compile(
    r"дежурн|диспетчер|еддс|горяч\w*\s+лини|при[её]мн|администрац|служб|аварийн|водоканал|"
    r"газ|электросет|россет|мфц|полици|участков|скор\w+|больниц|поликлиник|амбулатор|школ|"
    r"детск\w+\s+сад|соцзащит|управляющ\w+\s+компани|\bук\b|сельсовет|приемн|справочн|"
    r"официальн|телефон\s+доверия|пожарн|мчс|единый|call|колл-центр",
    re.IGNORECASE,
)
_OWN_CUE_RE = re.compile(
    r"\b(?:мой|моя|мне|меня|мой\s+номер|мой\s+телефон|со\s+мной|для\s+связи|мои|наш|нам|нас)\b",
    re.IGNORECASE,
)
# Words that tie data to some other person.
_PERSON_CUE_RE = re.compile(
    r"\b(?:его|ее|её|их|ему|ей|им|него|нее|неё|сосед\w*|владел\w*|хозя\w*|вот\s+(?:номер|телефон|адрес)|"
    r"звоните\s+(?:ему|ей|им)|пишите\s+(?:ему|ей|им)|живет|живёт|проживает|живут|зовут|"
    r"принадлеж\w*|муж\w*|жен[аеуы]|бывш\w*|любовни\w*|тип|мужик\w*|баб\w*|тетк\w*|дед\w*|"
    r"этот|эта|этого|этой|гражданин\w*|гражданк\w*)\b",
    re.IGNORECASE,
)
_LIVES_RE = re.compile(r"\b(?:живет|живёт|проживает|живут|проживают|прописан\w*|адрес\w*|его\s+дом|ее\s+дом|её\s+дом|квартир\w*|кв\.)", re.IGNORECASE)
_ADDRESS_RE = re.compile(
    r"(?:\b(?:ул|улица|улице|улицу|пер|переулок|переулке|пр|просп|проспект|проспекте|мкр)\.?\s+)?"
    r"(?<![\w-])[А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё][а-яё]+)?\s*,?\s*(?:д\.\s*|дом\s+)?№?\s*\d{1,4}\s?[а-я]?\b"
    r"(?:\s*[,/-]?\s*(?:кв\.?|квартир\w*)?\s*\d{1,4})?"
)
_STREET_BEFORE = frozenset(
    ["на", "по", "у", "в", "ул", "улица", "улице", "улицу", "улицы", "пер", "переулок", "переулке", "просп", "проспект", "проспекте", "мкр", "им", "имени", "возле", "около", "напротив", "до", "от", "за", "из"]
)


def _context(text: str, start: int, end: int, width: int = 60) -> str:
    return text[max(0, start - width) : min(len(text), end + width)]


def _snils_valid(digits: str) -> bool:
    if len(digits) != 11 or int(digits[:9]) <= 1001998:
        return False
    total = sum(int(d) * (9 - i) for i, d in enumerate(digits[:9]))
    control = total if total < 100 else (0 if total in (100, 101) else total % 101)
    if control == 100:
        control = 0
    return control == int(digits[9:])


def _inn_valid(digits: str) -> bool:
    d = [int(c) for c in digits]

    def ctrl(weights: tuple[int, ...]) -> int:
        return sum(w * x for w, x in zip(weights, d, strict=False)) % 11 % 10

    if len(d) == 10:
        return ctrl((2, 4, 10, 3, 5, 9, 4, 6, 8)) == d[9]
    if len(d) == 12:
        return (ctrl((7, 2, 4, 10, 3, 5, 9, 4, 6, 8)) == d[10]
                and ctrl((3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)) == d[11])
    return False


def _names(text: str, start: int, end: int) -> list[_Tok]:
    """Capitalised personal names in the stretch, not street names («на Ленина», «ул. Гагарина»)."""
    toks = _tokens(text, start, end)
    out: list[_Tok] = []
    for i, tok in enumerate(toks):
        if not tok.name:
            continue
        prev = toks[i - 1].text.lower() if i else ""
        if prev in _STREET_BEFORE or text[max(0, tok.start - 2) : tok.start].strip().endswith("."):
            continue
        out.append(tok)
    return out


def _sentence_of(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(text.rfind(ch, max(0, start - 300), start) for ch in ".!?\n")
    rights = [i for i in (text.find(ch, end, end + 300) for ch in "!?\n") if i != -1]
    return (left + 1 if left >= 0 else max(0, start - 300)), (min(rights) if rights else min(len(text), end + 300))


def _personal_data(text: str, spam: bool) -> list[LawHit]:
    hits: list[LawHit] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    for m in _PHONE_RE.finditer(text):
        a, b = m.start(), m.end()
        taken.append((a, b))
        if spam:
            continue  # an advert's own number: the spam finding covers it
        code = m.group(1) or m.group(5) or ""
        around = _context(text, a, b)
        before = text[max(0, a - 60) : a]
        person = bool(_PERSON_CUE_RE.search(before)) or bool(_names(text, max(0, a - 60), a))
        if code.startswith("800"):
            continue  # a toll-free line is a public service
        mobile = bool(m.group(1)) and code.startswith("9")
        if person and not _PUBLIC_CUE_RE.search(before[-30:]):
            hits.append(LawHit(PERSONAL_DATA, a, b,
                               "телефон другого человека (рядом — кому он принадлежит)"))
        elif mobile and not _PUBLIC_CUE_RE.search(around) and not _OWN_CUE_RE.search(before):
            hits.append(LawHit(PERSONAL_DATA, a, b,
                               "номер мобильного телефона, не служебный и не свой: чей — "
                               "проверьте"))
    for m in _SNILS_RE.finditer(text):
        digits = "".join(m.groups())
        cue = bool(_SNILS_CUE_RE.search(text[max(0, m.start() - 40) : m.start()]))
        formatted = bool(re.fullmatch(r"\d{3}-\d{3}-\d{3}[\s-]\d{2}", m.group(0)))
        if free(m.start(), m.end()) and _snils_valid(digits) and (cue or formatted):
            taken.append((m.start(), m.end()))
            hits.append(LawHit(PERSONAL_DATA, m.start(), m.end(), "номер СНИЛС"))
    for m in _PASSPORT_RE.finditer(text):
        cue = bool(_PASSPORT_CUE_RE.search(text[max(0, m.start() - 40) : m.start()]))
        shaped = bool(re.fullmatch(r"\d{2}\s\d{2}\s+(?:№\s*)?\d{6}", m.group(0)))
        if free(m.start(), m.end()) and (cue or shaped):
            taken.append((m.start(), m.end()))
            hits.append(LawHit(PERSONAL_DATA, m.start(), m.end(), "серия и номер паспорта"))
    for m in _INN_RE.finditer(text):
        digits = m.group(1)
        cue = bool(_INN_CUE_RE.search(text[max(0, m.start() - 20) : m.start()]))
        if not free(m.start(), m.end()):
            continue
        if len(digits) == 12 and (cue or _inn_valid(digits)):
            taken.append((m.start(), m.end()))
            note = "" if _inn_valid(digits) else " (контрольная сумма не сходится)"
            hits.append(LawHit(PERSONAL_DATA, m.start(), m.end(), "ИНН физического лица" + note))
        # A 10-digit INN is an organisation's: public, left alone.
    for m in _PLATE_RE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        s, e = _sentence_of(text, m.start(), m.end())
        sentence = text[s:e]
        if _PERSON_CUE_RE.search(sentence) or _names(text, s, e):
            hits.append(LawHit(PERSONAL_DATA, m.start(), m.end(),
                               "госномер машины вместе с её владельцем"))
    if _LIVES_RE.search(text):
        for m in _ADDRESS_RE.finditer(text):
            if not free(m.start(), m.end()):
                continue
            s, e = _sentence_of(text, m.start(), m.end())
            if not _LIVES_RE.search(text[s:e]):
                continue
            names = [t for t in _names(text, s, e) if not (m.start() <= t.start < m.end())]
            if names:
                taken.append((m.start(), m.end()))
                hits.append(LawHit(PERSONAL_DATA, m.start(), m.end(),
                                   f"домашний адрес названного человека ({names[0].text})"))
    return hits


def check(text: str, *, spam: bool = False) -> list[LawHit]:
    """Every stretch of the text that breaks the law, in order. ``spam``: the text is an advert
    (its phone number is the advertiser's own, not someone else's data)."""
    hits = _unrest_and_extremism(text) + _personal_data(text, spam)
    hits.sort(key=lambda h: (h.start, h.end))
    return hits
