"""п. 21 threats found by structure: who acts, in which person and tense, against whom.

A threat is harm the author promises («сожгу вашу контору», «встретим тебя … по-свойски»), harm
the addressee is told he will go through («доиграетесь», «ещё попляшешь»), harm that «may happen»
to an official's house, car or child («сарайчик твой сухой, летом полыхнёт»), or a menace said to
an official («земля круглая», «намёк понятен, глава?», «было бы жаль, если что»). The grammar
reads lemmas and grammemes (``clauses``), with word classes kept as data in
data/threat_lexicon.toml; lawful pressure (court, prosecutor, elections, protests) and reported
speech («сосед кричит «я тебе устрою»») are not threats.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from otklik.texts import morph
from otklik.texts.screening.clauses import REACH, Word, lemma_phrases, lemmas, near, read
from otklik.texts.screening.result import Span


@dataclass(frozen=True, slots=True)
class Lexicon:
    violent: frozenset[str]
    harm: frozenset[str]
    weak: frozenset[str]
    suffer: frozenset[str]
    suffer_weak: frozenset[str]
    befall: frozenset[str]
    official: frozenset[str]
    family: frozenset[str]
    property: frozenset[str]
    body: frozenset[str]
    office: frozenset[str]
    danger: frozenset[str]
    legal: frozenset[str]
    menace: frozenset[tuple[str, ...]]
    hint: frozenset[tuple[str, ...]]
    longest: int
    # Every lemma that makes a message worth the full reading.
    triggers: frozenset[str]


# Words too common to be the trigger of a phrase («быть бы жаль» is looked for at «жаль»).
_COMMON = frozenset({"быть", "жить", "ждать", "дорога", "свой", "что", "кто", "не", "с", "в",
                     "по", "без", "как", "бы", "если", "один", "сам", "вы", "ты", "я", "это",
                     "еще", "у", "за", "и", "да"})


def _key(phrase: tuple[str, ...]) -> str:
    """The word a phrase is looked for at: its last uncommon word («красный петух» → «петух»)."""
    rare = [w for w in phrase if w not in _COMMON]
    return rare[-1] if rare else max(phrase, key=len)


@cache
def lexicon() -> Lexicon:
    raw = resources.files("otklik.texts.screening").joinpath("data", "threat_lexicon.toml")
    data = tomllib.loads(raw.read_text("utf-8"))
    verbs, nouns, phrases = data["verbs"], data["nouns"], data["phrases"]

    def words(group: dict[str, list[str]], name: str) -> frozenset[str]:
        return frozenset(w.replace("ё", "е") for w in group[name])

    def seqs(name: str) -> frozenset[tuple[str, ...]]:
        return frozenset(tuple(p.replace("ё", "е").split()) for p in phrases[name])

    menace, hint = seqs("menace"), seqs("hint")
    # A phrase is looked for only when its key word is in the message; weak verbs only count
    # beside a menace or a means of harm, so those are the triggers.
    triggers = (words(verbs, "violent") | (words(verbs, "harm") - words(verbs, "weak"))
                | words(verbs, "suffer") | words(nouns, "danger")
                | {_key(p) for p in menace | hint})
    return Lexicon(
        violent=words(verbs, "violent"), harm=words(verbs, "harm"), weak=words(verbs, "weak"),
        suffer=words(verbs, "suffer"), suffer_weak=words(verbs, "suffer_weak"),
        befall=words(verbs, "befall"), official=words(nouns, "official"),
        family=words(nouns, "family"), property=words(nouns, "property"),
        body=words(nouns, "body"),
        office=words(nouns, "office"), danger=words(nouns, "danger"), legal=words(nouns, "legal"),
        menace=menace, hint=hint, longest=max(len(p) for p in menace | hint),
        triggers=frozenset(triggers),
    )


# Second-person words: pronouns and possessives (the addressee or what is his).
_SECOND = frozenset({"ты", "вы", "твой", "ваш"})
# Third-person pronouns, a target when the message names an official («встречу его у конторы»).
_THIRD = frozenset({"он", "она", "они", "его", "ее", "их"})
_THIRD_DATV = frozenset({"он", "она", "они"})
# «Пусть ходит и оглядывается»: a third-person wish to be wary of something.
_WARY = frozenset({"оглядываться", "поглядывать", "озираться", "остерегаться", "беречься",
                   "бояться", "беречь", "закрывать", "запирать"})
_KNOW = frozenset({"знать", "видеть", "помнить", "следить", "найти", "вычислить", "узнать"})
# What someone does every day: where he lives, drives, leaves his car, walks his children.
_ROUTINE = frozenset({"жить", "ездить", "ехать", "ходить", "гулять", "ставить", "парковать",
                      "оставлять", "бросать", "ночевать", "возвращаться", "уходить", "приходить",
                      "рыбачить", "охотиться", "учиться", "отдыхать", "спать", "кататься",
                      "уезжать", "приезжать", "выходить", "забирать", "отводить", "встречать",
                      "провожать", "водить", "возить"})
_WH = frozenset({"где", "куда", "когда", "какой", "который", "откуда", "чей", "сколько"})
_WARY_SELF = frozenset({"оглядываться", "поглядывать", "озираться", "остерегаться", "беречься",
                        "прислушиваться", "бояться"})
# Verbs that report someone else's words: what follows is not the author's promise.
_REPORT = frozenset({"говорить", "сказать", "кричать", "заявить", "обещать", "грозиться",
                     "угрожать", "пообещать", "написать", "пригрозить", "орать", "грозить"})


def _is_second(w: Word) -> bool:
    return w.lemma in _SECOND or (w.has("2per") and "impr" not in w.grammemes)


# Words before a surname that make it a street or a namesake («на Кирова», «ул. Гагарина»).
_NOT_PERSON_BEFORE = frozenset({"на", "по", "у", "в", "во", "с", "со", "до", "от", "за", "к",
                                "из", "ул", "улица", "пер", "переулок", "пр", "проспект", "им",
                                "имени", "площадь", "пл", "мкр", "микрорайон", "х", "хутор",
                                "село", "деревня", "поселок", "станица"})


def _is_official(words: list[Word], i: int, lex: Lexicon) -> bool:
    w = words[i]
    if w.lemma in lex.official or "Patr" in w.grammemes:
        return True
    # The addressee's people: «вашего мастера», «ваш завхоз», «вашему архитектору».
    if w.has("NOUN", "anim"):
        j = i - 1
        while j >= 0 and words[j].has("ADJF") and words[j].lemma not in ("ваш", "твой"):
            j -= 1
        if j >= 0 and words[j].lemma in ("ваш", "твой") and words[j].sentence == w.sentence:
            return True
    # A surname said to or about a person («Передайте Коробову», «Запомни, Коробов»).
    return "Surn" in w.grammemes and w.capital and (
        i == 0 or words[i - 1].low not in _NOT_PERSON_BEFORE)


def _future_first(w: Word) -> bool:
    """«сожгу», «встретим»: the author's own future act."""
    return w.has("VERB", "1per", "futr")


def _negated(words: list[Word], i: int) -> bool:
    return i > 0 and words[i - 1].low == "не" and words[i - 1].sentence == words[i].sentence


@dataclass(slots=True)
class _Reading:
    words: list[Word]
    lex: Lexicon
    addressed: bool  # a second person, an official or a name with patronymic anywhere
    officials: bool  # an official named anywhere (for «его», «ей»)
    signs: bool  # a menace or a means of harm anywhere
    owned: set[int]  # sentences holding an official's property or family with its owner
    family: bool  # the family of the addressee or of an official, with its owner
    exposed: set[int]  # sentences where such a thing is named outside a prepositional phrase
    persons: set[int]  # sentences holding a person to harm
    legal: set[int]  # sentences about lawful pressure
    reported: set[int]  # sentences that report someone else's words
    menace_in: set[int]  # sentences holding a menace phrase
    danger_in: set[int]  # sentences holding a means of harm


# How far an owner may stand from his thing: «машина вашего зама», «у нашего главы дом».
_OWNER_WINDOW = 4


def _owner(words: list[Word], i: int, lex: Lexicon, officials: bool) -> bool:
    """Does the house, car or child at ``i`` belong to the addressee or an official?"""
    w = words[i]
    if w.lemma in lex.office:
        return True
    lo, hi = max(0, i - _OWNER_WINDOW), min(len(words), i + _OWNER_WINDOW + 1)
    for j in range(lo, hi):
        x = words[j]
        if j == i or x.sentence != w.sentence:
            continue
        if (x.lemma in ("ваш", "твой") or (x.lemma == "свой" and j < i)) and _agree(x, w):
            # «детей ваших учителей»: the possessive before another noun is that noun's
            nxt = words[j + 1] if j + 1 < len(words) else None
            if j > i and nxt is not None and nxt.has("NOUN") and _agree(x, nxt):
                continue
            return True
        if (x.lemma in ("ты", "вы") and not x.has("nomn")) or x.lemma in lex.office or (
                _is_official(words, j, lex) and (_may_be(x, "gent") or _may_be(x, "datv"))):
            return True  # «у вас», «вам в окна», «дом главы», «окна в администрации»
        if officials and x.lemma in _THIRD and abs(j - i) == 1 and not x.has("nomn"):
            return True
    return False


def _may_be(w: Word, case: str) -> bool:
    """Can the word be read in ``case`` («окна»: genitive or accusative)?"""
    return any(case in t.grammemes for t in morph.tags(w.low) if t.POS == w.tag.POS)


def _after_preposition(words: list[Word], i: int) -> bool:
    """Is the noun at ``i`` governed by a preposition (adjectives between)? «возле ваших домов»."""
    j = i - 1
    while j >= 0 and words[j].tag.POS in ("ADJF", "PRTF") and words[j].sentence == words[i].sentence:
        j -= 1
    return j >= 0 and words[j].sentence == words[i].sentence and words[j].tag.POS == "PREP"


def _agree(adjective: Word, noun: Word) -> bool:
    """Does the possessive agree with the noun in some reading? «вашу машину», not «машину на
    ваших дорогах»."""
    return any(morph.agrees(a, b) for a in morph.tags(adjective.low) if a.POS == "ADJF"
               for b in morph.tags(noun.low) if b.POS == "NOUN")


# «спокойно ты больше ходить не будешь», «недолго вам спокойно спать осталось»
_CALM = frozenset({"ходить", "спать", "жить", "ездить", "гулять", "работать", "сидеть"})


def _uneasy(words: list[Word]) -> list[tuple[int, tuple[str, ...]]]:
    """«Спокойно» with a verb of everyday life and a negation or «недолго», said to the
    addressee, anywhere in one sentence."""
    out: list[tuple[int, tuple[str, ...]]] = []
    for i, w in enumerate(words):
        if w.lemma != "спокойно":
            continue
        same = near(words, i)
        if any(x.lemma in _CALM for x in same) and any(x.low in ("не", "недолго") for x in same) \
                and any(_is_second(x) for x in same):
            out.append((i, ("спокойно",)))
    return out


def _read(words: list[Word], lex: Lexicon, menaces: list[tuple[int, tuple[str, ...]]]) -> _Reading:
    """What the message holds, sentence by sentence. ``menaces`` gets the structural menaces
    added: defiance of the lawful way («и не в суде») and «спокойно … не будешь»."""
    addressed = officials = False
    persons: set[int] = set()
    legal: set[int] = set()
    reported: set[int] = set()
    second_in: set[int] = set()
    danger_in: set[int] = set()
    signs = bool(menaces)
    defiant: list[int] = []
    official_at = [_is_official(words, i, lex) for i in range(len(words))]
    for i, w in enumerate(words):
        s = w.sentence
        if _is_second(w):
            addressed = True
            persons.add(s)
            second_in.add(s)
        elif official_at[i]:
            addressed = officials = True
            persons.add(s)
        if w.lemma in lex.danger or lex.danger & _noun_lemmas(w.low):
            signs = True
            danger_in.add(s)
        if w.lemma in lex.legal:
            if _negated(words, i) or (i > 1 and words[i - 2].low == "не" and words[i - 1].has("PREP")):
                defiant.append(i)  # «и не в суде», «приду не с жалобой»: not the lawful way
            else:
                legal.add(s)
        # «сосед кричит …», «дед говорит: …», «он так сказал»: not the author's own words
        if w.lemma in _REPORT and not w.has("1per") and not w.has("2per") and s not in second_in \
                and not (i > 0 and words[i - 1].lemma in ("я", "мы")) and not w.has("impr"):
            reported.add(s)
    owners = [i for i, w in enumerate(words)
              if (w.lemma in lex.family or w.lemma in lex.property) and _owner(words, i, lex, officials)]
    owned = {words[i].sentence for i in owners}
    # The family counts where the message says where they go or live («ваша дочка ходит в
    # садик», «внуки на Чапаева живут»), not in a plea («у вас ведь тоже есть дети»).
    family = any(words[i].lemma in lex.family and any(x.lemma in _ROUTINE for x in near(words, i))
                 for i in owners)
    exposed = {words[i].sentence for i in owners if not _after_preposition(words, i)}
    if officials:
        persons.update(w.sentence for w in words if w.lemma in _THIRD)
    persons.update(owned)
    for i in defiant:
        menaces.append((i, (words[i].lemma,)))
        signs = True
    menaces.extend(_uneasy(words))
    signs = signs or bool(menaces)
    menace_in = {words[i].sentence for i, _ in menaces}
    return _Reading(words, lex, addressed, officials, signs, owned, family, exposed, persons,
                    legal, reported, menace_in, danger_in)


def _span(words: list[Word], i: int, j: int) -> Span:
    return Span(words[i].start, words[j].end, "threat")


def _acts(r: _Reading) -> list[Span]:
    """The author's own harm: a first-person future harm verb against a target."""
    out: list[Span] = []
    words, lex = r.words, r.lex
    for i, w in enumerate(words):
        lemma = w.lemma
        if lemma not in lex.harm and lemma not in lex.violent:
            continue
        s = w.sentence
        if s in r.reported or _negated(words, i):
            continue
        # «сожгу», «встретим»; the present only of plain harm («попротыкаем» reads as one)
        own = _future_first(w) or (w.has("VERB", "1per", "pres") and lemma not in lex.weak)
        if not own and w.has("INFN"):
            # «поджидать буду», «буду поджидать»
            around = words[max(0, i - 2) : i + 3]
            own = any(x.lemma == "быть" and x.has("1per") for x in around if x.sentence == s)
        if not own:
            continue
        if lemma in lex.violent:
            out.append(_span(words, i, i))
            continue
        if s not in r.persons and s - 1 not in r.persons:
            continue
        if s in r.legal and not _sentence_signs(r, s):
            continue
        if lemma in lex.weak and not r.signs:
            continue
        if _object(r, i) == "thing":
            continue  # «сожгу мусор сам, раз вы не вывозите»
        out.append(_span(words, i, i))
    return out


# How far from its verb an object is looked for.
_OBJECT_WINDOW = 3


def _object(r: _Reading, i: int) -> str | None:
    """What the harm verb at ``i`` is done to: «person» (a pronoun, a person, an official's
    property, someone in the dative: «тебе устрою», «вам в окна закину»), «thing» (another
    object: «сожгу мусор», «прибью табличку») or None when it has no object near."""
    words, lex = r.words, r.lex
    v = words[i]
    found: str | None = None
    lo = max(0, i - REACH)
    for j, x in enumerate(words[lo : i + REACH + 1], start=lo):
        # Someone in the dative anywhere in the clause: «вашему специалисту … лицо подправлю»;
        # someone in the accusative anywhere in the sentence: «я его, вашего мастера, закопаю».
        if x.clause == v.clause and x.has("datv") and (
                x.lemma in ("ты", "вы") or x.lemma in _THIRD_DATV or _is_official(words, j, lex)):
            return "person"
        if x.sentence == v.sentence and x.has("accs") and (
                x.lemma in ("ты", "вы") or _is_official(words, j, lex) or
                (x.lemma in _THIRD and r.officials)):
            return "person"
    lo, hi = max(0, i - _OBJECT_WINDOW), min(len(words), i + _OBJECT_WINDOW + 1)
    for j in range(lo, hi):
        x = words[j]
        if j == i or x.clause != v.clause or x.tag.POS not in ("NOUN", "NPRO"):
            continue
        if x.lemma in lex.body:
            return "person"
        if not (_may_be(x, "accs") or (x.has("gent") and x.lemma in _THIRD)):
            continue
        mine = j > 0 and words[j - 1].lemma in ("мой", "свой", "наш")
        if not mine and (x.lemma in ("ты", "вы") or _is_official(words, j, lex) or
                         x.lemma in lex.family or x.has("anim") or (x.lemma in _THIRD and r.officials)):
            return "person"
        if (x.lemma in lex.property and (x.sentence in r.owned)) or x.lemma in lex.office:
            return "person"
        if found is None and x.lemma not in ("это", "что", "все", "всё"):
            found = "thing"
    return found


# «надо вешать», «расстрелять бы», «пора гнать … и жечь»: wishing harm on officials.
_MODAL = frozenset({"надо", "нужно", "надобно", "следует", "пора", "стоит", "бы", "хочется",
                    "необходимо", "должный"})


def _wishes(r: _Reading) -> list[Span]:
    """A harm verb in the infinitive after a modal, against a person: «Чиновников надо вешать
    на фонарях». Against things it is a request («надо сжечь сухую траву»)."""
    out: list[Span] = []
    words, lex = r.words, r.lex
    for i, w in enumerate(words):
        if not w.has("INFN") or (w.lemma not in lex.violent and
                                 (w.lemma not in lex.harm or w.lemma in lex.weak)):
            continue
        around = [x for x in words[max(0, i - 3) : i + 3] if x.sentence == w.sentence]
        if not any(x.lemma in _MODAL or x.low in _MODAL for x in around) or _negated(words, i):
            continue
        if w.sentence in r.reported or w.sentence in r.legal:
            continue
        target = _object(r, i)
        if target == "person" or (target is None and w.lemma in lex.violent
                                  and w.sentence in r.persons):
            out.append(_span(words, i, i))
    return out


def _sentence_signs(r: _Reading, s: int) -> bool:
    """A weapon or a menace in sentence ``s``: lawful words beside it do not make it lawful."""
    return s in r.menace_in or s in r.danger_in


@lru_cache(maxsize=20_000)
def _noun_lemmas(word: str) -> frozenset[str]:
    """Normal forms of every noun reading («битой»: «битый», but also «бита»)."""
    return frozenset(p.normal_form.replace("ё", "е") for p in morph.analyzer().parse(word)
                     if p.tag.POS == "NOUN")


def _suffering(r: _Reading) -> list[Span]:
    """What the addressee is told he will go through: «доиграетесь», «ещё попляшешь»."""
    out: list[Span] = []
    words, lex = r.words, r.lex
    for i, w in enumerate(words):
        if w.lemma not in lex.suffer or not w.has("futr") or _negated(words, i):
            continue
        # Said to the addressee, or of an official named as the subject: «ваш зам у меня ещё
        # поплатится».
        if not w.has("2per") and not (w.has("3per") and any(
                x.clause == w.clause and x.has("nomn") and _is_official(words, j, lex)
                for j, x in enumerate(words))):
            continue
        s = w.sentence
        if s in r.reported:
            continue
        if s in r.legal and not _sentence_signs(r, s):
            continue
        if w.lemma in lex.suffer_weak and not r.signs:
            continue
        out.append(_span(words, i, i))
    return out


def _befalling(r: _Reading) -> list[Span]:
    """Harm that «may happen» to an official's property or family: «полыхнёт ваше здание»."""
    out: list[Span] = []
    words, lex = r.words, r.lex
    for i, w in enumerate(words):
        harmful = w.lemma in lex.harm or w.lemma in lex.violent
        if not (w.lemma in lex.befall or (harmful and w.has("INFN"))) or _negated(words, i):
            continue
        if not (w.has("3per", "futr") or w.has("INFN") or (
                w.has("3per", "pres") and _sentence_signs(r, w.sentence))):
            continue
        if w.has("INFN") and w.lemma not in lex.befall and not _eased(words, i):
            continue
        s = w.sentence
        if s in r.reported or s in r.legal or _named_doer(words, i, lex):
            continue
        # The thing itself must suffer: «полыхнёт ваше здание», «сгореть она может», not
        # «сухостой возле ваших домов может загореться».
        direct = s in r.exposed or (s - 1 in r.exposed and (
            any(x.lemma in _THIRD for x in near(words, i))
            # «дом твой … все знают. Гореть будет красиво»: no subject of its own, the thing of
            # the sentence before is what will burn
            or not any(x.sentence == s and x.has("NOUN", "nomn") for x in words)))
        if direct or (r.exposed and r.signs) or (r.addressed and r.signs and s in r.persons):
            out.append(_span(words, i, i))
    return out


def _named_doer(words: list[Word], i: int, lex: Lexicon) -> bool:
    """«Сосед подожжёт вашу контору»: someone named does it, a report, not the author's veiled
    promise («кто-нибудь проколет», «он … положит» may be)."""
    lo = max(0, i - REACH)
    return any(x.clause == words[i].clause and x.has("NOUN", "anim", "nomn") and
               not _is_official(words, j, lex) for j, x in enumerate(words[lo:i], start=lo))


# «утопить недолго», «спалить легко»: how easy the harm would be.
_EASE = frozenset({"недолго", "легко", "несложно", "нетрудно", "просто", "запросто", "плевый"})


def _eased(words: list[Word], i: int) -> bool:
    around = words[max(0, i - 2) : i + 3]
    return any(x.lemma in _EASE and x.sentence == words[i].sentence for x in around)


def _menaces(r: _Reading, menaces: list[tuple[int, tuple[str, ...]]],
             hints: list[tuple[int, tuple[str, ...]]]) -> list[Span]:
    """Menaces said to an official; hints («подумайте», «ну-ну») only beside his property,
    family or a means of harm."""
    out: list[Span] = []
    words = r.words
    if not r.addressed:
        return out
    for i, phrase in menaces:
        if words[i].sentence in r.reported:
            continue
        if phrase == ("не", "жить") and i + 1 < len(words) and not words[i + 1].has("INFN"):
            continue  # the idiom is «тебе не жить»; «где мы не живём зимой» is the author's own life
        out.append(_span(words, i, i + len(phrase) - 1))
    hints = [(i, p) for i, p in hints
             if words[i].sentence not in r.reported and words[i].sentence not in r.legal]
    # Beside the addressee's child one hint is enough; beside his house or car, two signs.
    if r.family or (r.owned and len({p for _, p in hints}) + r.signs >= 2):
        out.extend(_span(words, i, i + len(p) - 1) for i, p in hints)
    # «знаем мы, в какой садик ваша дочка ходит», «знаю, где ты ездишь»: the author knows the
    # official's ways, said to his face.
    for i, w in enumerate(words):
        if w.lemma in _KNOW and w.has("1per") and not _negated(words, i):
            rest = [x for x in words[i + 1 : i + 12] if x.sentence == w.sentence]
            wh = next((k for k, x in enumerate(rest) if x.lemma in _WH), None)
            if wh is not None and (w.sentence in r.owned or any(
                    x.lemma in _ROUTINE and _is_second(x) for x in rest[wh:])):
                out.append(Span(w.start, rest[-1].end, "threat"))
    # «пусть ходит и оглядывается», «пусть окна ставнями закрывает»; «оглядывайся!»
    for i, w in enumerate(words):
        if w.lemma in _WARY_SELF and not _negated(words, i) and (w.has("impr") or (
                w.has("INFN") and any(x.lemma == "быть" and x.has("2per") and x.sentence == w.sentence
                                      for x in words[max(0, i - 3) : i]))):
            out.append(_span(words, i, i))  # «оглядывайся!», «будешь оглядываться»
        if w.low == "пусть":
            for x in words[i + 1 : i + 8]:
                if x.sentence == w.sentence and x.lemma in _WARY and x.has("3per"):
                    out.append(Span(w.start, x.end, "threat"))
                    break
    return out


# Words the structures in this module start from, besides the lexicon's.
_TRIGGERS = _WARY | _WARY_SELF | _KNOW | {"спокойно"}


def _triggered(lex: Lexicon, text: str) -> bool:
    """The cheap first look: a harm verb, a menace or hint word, a means of harm, «не» before a
    lawful word («и не в суде»), or a verb of what may befall beside a house, car or child and
    a word of whose they are (a second person, an official)."""
    pairs = lemmas(text)
    befall = things = owner = False
    for k, (low, lemma) in enumerate(pairs):
        if lemma in lex.triggers or low in lex.triggers or lemma in _TRIGGERS:
            return True
        if lemma in lex.legal and any(p[0] == "не" for p in pairs[max(0, k - 2) : k]):
            return True
        befall = befall or lemma in lex.befall
        things = things or lemma in lex.property or lemma in lex.family
        # «баня его … сгорит» said of «Роману Ильичу»: a third person may point at an official
        # named by name and patronymic, which only the full reading knows
        owner = owner or lemma in _SECOND or lemma in lex.official or lemma in _THIRD
    return befall and things and owner


def reported(text: str) -> list[tuple[int, int]]:
    """Where ``text`` reports someone else's words («сосед кричит: …», «он так сказал»): the
    sentences, as (start, end) offsets. The set phrases of ``no_answer`` are not counted there."""
    words = read(text, drop_quotes=True)  # the reading ``threats`` makes too (cached)
    lex = lexicon()
    r = _read(words, lex, [])
    out: list[tuple[int, int]] = []
    for s in sorted(r.reported):
        same = [w for w in words if w.sentence == s]
        out.append((same[0].start, same[-1].end))
    return out


def threats(text: str) -> list[Span]:
    """Spans of threats in ``text`` (see the module docstring)."""
    lex = lexicon()
    if not _triggered(lex, text):
        return []
    words = read(text, drop_quotes=True)
    found = lemma_phrases(words, lex.menace | lex.hint, lex.longest)
    menaces = [(i, p) for i, p in found if p in lex.menace]
    hints = [(i, p) for i, p in found if p in lex.hint and p not in lex.menace]
    r = _read(words, lex, menaces)
    return _acts(r) + _wishes(r) + _suffering(r) + _befalling(r) + _menaces(r, menaces, hints)


def lawful_or_reported(text: str) -> bool:
    """Whether the text speaks of lawful pressure (court, prosecutor, elections, protests, writing
    again) or reports someone else's words: there the learned model (abuse.py), which reads words
    and not their roles, is not asked."""
    lex = lexicon()
    words = read(text, drop_quotes=True)
    found = lemma_phrases(words, lex.menace | lex.hint, lex.longest)
    r = _read(words, lex, [(i, p) for i, p in found if p in lex.menace])
    return bool(r.legal or r.reported)
