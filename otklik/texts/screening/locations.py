"""Places named in a message: streets with house numbers and settlements, in a canonical form.

«по улице Красной возле дома 15» → «ул. Красная, 15»; «в станице Пластуновской» →
«ст. Пластуновская»; «на Красной 15» → «ул. Красная, 15». Adjectival names are put back into the
nominative of the right gender with pymorphy; names in the genitive («улица Ленина», «улица
Красных Партизан») are kept as written. Only words after a street or settlement marker, or a
capitalised adjective with a house number, are taken, so random capitalised words are not.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import pymorphy3

from otklik.texts import morph
from otklik.texts.normalise_input import normalise

# Runs of spaces between optional parts are written «(?:\s*X)?\s*Y», never «\s*X?\s*Y»: that
# gave a long run of spaces many ways to be split, and a word before 1 500 spaces took half a
# minute (cubic).
_CAP = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё][а-яё]+)?"
_NAME = (
    rf"(?:\d{{1,3}}\s+лет\s+{_CAP}|"  # «40 лет Победы», «50 лет Октября»
    rf"(?:\d{{1,3}}-?(?:го|й|я|ой|ая|ий|ый|ей)?\s+)?{_CAP}(?:\s+{_CAP})?)"
)
_HOUSE = r"(?:,?(?:\s*(?:д\.|дом\w*|д|№))?(?:\s*№)?\s*(\d{1,4}(?:[а-дА-Д](?![а-яё])|\s[а-дА-Д](?![а-яёА-ЯЁ]|\s+[а-яёА-ЯЁ]))?(?:/\d{1,4})?)(?![\d.,]?\d|\s*(?:год|лет|час|мин|руб|р\.|человек|чел|метр|м\b|км|%|раз|дн|сут|сантим|см|тонн|кг|шт|°)))"
# Street kinds: (regex of the marker, canonical abbreviation, grammatical gender of the noun).
_STREET_KINDS: tuple[tuple[str, str, str], ...] = (
    (r"ул\.?|улиц[аеуыи]|улицей|улицам", "ул.", "femn"),
    (r"пер\.?|переул(?:ок|ка|ке|ку|ком)|пер-к", "пер.", "masc"),
    (r"пр-т\.?|пр-кт\.?|просп\.?|проспект(?:а|е|у|ом)?", "пр-т", "masc"),
    (r"б-р\.?|бульвар(?:а|е|у|ом)?", "б-р", "masc"),
    (r"пл\.|площад(?:ь|и|ью)", "пл.", "femn"),
    (r"проезд(?:а|е|у|ом)?", "проезд", "masc"),
    (r"ш\.|шоссе", "ш.", "neut"),
    (r"туп\.|тупик(?:а|е|у|ом)?", "туп.", "masc"),
    (r"мкр\.?|мкрн\.?|микрорайон(?:а|е|у|ом)?", "мкр", "masc"),
    (r"наб\.|набережн(?:ая|ой|ую)", "наб.", "femn"),
)
_SETTLEMENT_KINDS: tuple[tuple[str, str, str], ...] = (
    (r"ст\.|ст-ца|станиц[аеуыи]|станицей", "ст.", "femn"),
    (r"х\.|хут\.|хутор(?:а|е|у|ом)?", "х.", "masc"),
    (r"пгт\.?", "пгт", "masc"),
    (r"пос\.|п\.|пос[её]л(?:ок|ка|ке|ку|ком)", "пос.", "masc"),
    (r"дер\.|деревн(?:я|и|е|ю|ей)", "д.", "femn"),
    (r"с\.|сел[оаеу]|селом", "с.", "neut"),
    (r"аул(?:а|е|у|ом)?", "аул", "masc"),
    (r"г\.|город(?:а|е|у|ом)?", "г.", "masc"),
)
_STOP_NAMES = frozenset(
    {"Администрация", "Администрации", "Россия", "России", "Краснодар", "Край", "Района", "Район",
     "Прошу", "Просим", "Помогите", "Спасибо", "Здравствуйте", "Уважаемые", "Уважаемый", "Когда",
     "Почему", "Где", "Там", "Это", "Все", "Вчера", "Сегодня", "Завтра", "Опять", "Снова", "Нет"}
)
# Houses written without a street kind: «на Красной 15», «Красная, 15».
_BARE_RE = re.compile(
    r"(?<![А-ЯЁа-яё.])(?:(?:на|по|с|у|от|до|к)\s+)?([А-ЯЁ][а-яё]+(?:ая|яя|ой|ей|ую|юю))" + _HOUSE
)
# «на Кирова», «по Садовой», «у Мира 31», «угол Мира и Советской»: a street named without its
# kind after a place preposition. Only surnames in the genitive (-ова, -ина …) and feminine
# adjectives (-ой, -ей) are taken, so «на Кубани» or «на Новый год» stay out.
_BARE_NAME_RE = re.compile(
    r"(?<![А-ЯЁа-яё])(?i:на|по|с|со|у|возле|около|напротив|угол|углу|перекр[её]ст\w*|пересечени\w*|и)\s+(?:(?i:всей|всю|всему|самой|самую)\s+)?"
    r"([А-ЯЁ][а-яё]+(?:ова|ева|ёва|ина|ына|ского|цкого|ской|цкой|ной|вой|рой|жной|чной|дной)|"
    r"Мира|Победы|Шевченко|Свободы|Дружбы|Октября|Революции|Коммуны|Труда|Космонавтов|Партизан)"
    r"(?:(?:\s*,)?\s*(\d{1,4}[а-д]?)(?![\d.,]?\d|\s*(?:год|лет|час|мин|руб|р\.|человек|чел|метр|км|%|раз|дн|сут|см|кг|шт|°)))?\b"
)
_NOT_STREETS = frozenset({"Москвы", "России", "Кубани", "Динской", "Краснодарской", "Ивановой", "Петровой", "Главой"})
# «15-й квартал», «квартал 5».
# Written so that each run of spaces has one way to be matched («\s*-?\s*…\s+» had many, and
# a number before a long run of spaces took cubic time).
_QUARTER_RE = re.compile(
    r"\b(\d{1,3})(?:\s*-)?(?:\s*(?:й|ый|ий|ом|м))?\s+квартал\w*|\bквартал\w*\s+(?:№\s*)?(\d{1,3})\b"
)
_NEAR_HOUSE_RE = re.compile(
    r"^(?:\s*,)?\s*(?:\S+\s+){0,3}?(?:возле|у|около|напротив|рядом\s+с|за|перед|между)\s+"
    r"(?:(?:дом(?:а|ом)?|д\.)(?:\s*№)?\s*(\d{1,4}(?:\s?[а-дА-Д](?![а-яё]))?(?:/\d{1,4})?)|"
    r"(\d{1,4}[а-д]?)(?:-?(?:го|м|ого))?\s+дом(?:а|ом)?\b)"
)
# «у дома 6 на ул. Мира», «в подъезде дома 5 на Строителей», «дом 4 по Строителей»: the
# house named just before the street.
_HOUSE_BEFORE_RE = re.compile(
    r"(?:\bдом(?:а|е|у|ом)?|\bд\.)(?:\s*№)?\s*(\d{1,4}[а-д]?)(?:/\d{1,4})?\s+(?:на|по)\s+$",
    re.IGNORECASE,
)
_STREET_ABBRS = ("ул. ", "пер. ", "пр-т ", "б-р ", "пл. ", "проезд ", "ш. ", "туп. ", "мкр ", "наб. ")


def _compile(kinds: tuple[tuple[str, str, str], ...], house: bool) -> list[tuple[re.Pattern[str], str, str]]:
    out = []
    for marker, abbr, gender in kinds:
        tail = _HOUSE + "?" if house else ""
        pattern = rf"(?<![А-ЯЁа-яё])(?:{marker})(?=[\s.]|$)\.?\s*({_NAME}){tail}"
        out.append((re.compile(pattern), abbr, gender))
    return out


def _marker_ci(kinds: tuple[tuple[str, str, str], ...]) -> tuple[tuple[str, str, str], ...]:
    # Markers may start with a capital at the start of a sentence («Улица Мира»).
    return tuple((rf"(?i:{m})", a, g) for m, a, g in kinds)


_STREET_RES = _compile(_marker_ci(_STREET_KINDS), house=True)
# «в д. Ивановка»: «д.» before a capitalised name is a village (before a number it is a house);
# lower case only, since a capital «Д.» is usually an initial.
_SETTLEMENT_RES = _compile((*_marker_ci(_SETTLEMENT_KINDS), (r"д\.", "д.", "femn")), house=False)


@lru_cache(maxsize=20_000)
def _nominative(word: str, gender: str) -> str:
    """An adjectival name in the nominative singular of the given gender; nouns unchanged."""
    for parse in morph.analyzer().parse(word)[:3]:
        if parse.tag.POS == "ADJF" and "plur" not in parse.tag:
            inflected = parse.inflect({"nomn", "sing", gender})
            if inflected is not None:
                w = str(inflected.word)
                return w[:1].upper() + w[1:]
            break
    return word


@lru_cache(maxsize=20_000)
def _noun_nominative(word: str) -> str:
    """A feminine noun name in an oblique case put back into the nominative: a village
    («в деревне Сосновке» → «Сосновка») or a noun that declines like an adjective («ул.
    Набережной» → «Набережная»). Genitive names («ул. Победы») and plurals («д. Ключи») stay."""
    parses = morph.analyzer().parse(word.lower())[:4]
    if not parses or any(p.tag.case == "nomn" for p in parses):
        return word
    p = parses[0]
    nf = str(p.normal_form)
    if p.tag.POS == "NOUN" and p.tag.gender == "femn" and p.tag.number == "sing" and (
            "Geox" in p.tag.grammemes or nf.endswith(("ая", "яя"))):
        return nf[:1].upper() + nf[1:]
    return word


def _name(raw: str, gender: str) -> str | None:
    parts = raw.split()
    ordinal = ""
    if parts and parts[0][0].isdigit():
        ordinal = parts.pop(0)
    if not parts or parts[0] in _STOP_NAMES:
        return None
    # «Красных Партизан», «Героя Иванова»: genitive names are kept; «Новая Жизнь» too.
    name = _nominative(parts[0], gender) if len(parts) == 1 else " ".join(parts)
    if len(parts) == 1 and name == parts[0]:
        name = _noun_nominative(name)
    return f"{ordinal} {name}".strip()


def _house(number: str | None) -> str:
    return number.replace(" ", "").lower() if number else ""


# Grammar-based places, for streets and settlements named without their kind: «на садовой 12»,
# «по кирова», «Ленина 54» at the start, «в Нагорном», «из Красносельского».
_WORD_RE = re.compile(r"[А-ЯЁа-яё]+(?:-[А-ЯЁа-яё]+)?")
_NUMBER_AFTER_RE = re.compile(
    r"(?:\s*,)?(?:\s*(?:д\.|дом\w*|№))?\s*(\d{1,4}(?:[а-дА-Д]|\s[а-дА-Д](?!\s*[А-ЯЁа-яё]))?(?:/\d{1,4})?)"
    r"(?![\d.,]?\d|[а-яёa-zA-Z]|\s*(?:год|лет|час|мин|руб|р\.|человек|чел|метр|м\b|км|%|раз|дн|сут"
    r"|сантим|см|тонн|кг|шт|°|-?(?:го|й|я|е|м|х)\b))"
)
# Cases each place preposition governs (a street after «на»/«по», a settlement after «в»/«из»).
_STREET_PREPS: dict[str, frozenset[str]] = {
    "на": frozenset({"loct", "accs"}), "по": frozenset({"datv", "loct"}),
    **dict.fromkeys(("у", "возле", "около", "напротив", "вдоль", "до", "от", "с", "со"),
                    frozenset({"gent"})),
}
_PLACE_PREPS: dict[str, frozenset[str]] = {
    "в": frozenset({"loct", "accs"}), "во": frozenset({"loct", "accs"}),
    "на": frozenset({"accs"}),
    **dict.fromkeys(("из", "до", "около", "возле", "у", "от"), frozenset({"gent"})),
    "к": frozenset({"datv"}), "под": frozenset({"ablt"}),
}
# Street names in the genitive that are not surnames: «улица Мира», «Победы», «Свободы».
_GENITIVE_NAMES = frozenset({
    "мира", "победы", "свободы", "дружбы", "октября", "революции", "коммуны", "труда",
    "космонавтов", "партизан", "чапаева", "шевченко",
})
# Words that are adjectives in form but never a place on their own.
_NOT_PLACE_ADJ = frozenset({"Apro", "Anum", "Supr", "Cmp2"})


@lru_cache(maxsize=50_000)
def _parses(word: str) -> tuple[pymorphy3.analyzer.Parse, ...]:
    return tuple(morph.analyzer().parse(word)[:6])


def _agrees_with_next(parse: pymorphy3.analyzer.Parse, nxt: str) -> bool:
    """True when the next word is a noun or adjective agreeing with an adjective: «на новой
    дороге», «в Новом году» — the adjective is then an attribute, not a place name."""
    parses = _parses(nxt.lower()) if nxt else []
    if not parses or parses[0].tag.POS not in _NOMINALS:
        return False  # «в Нагорном после ливня», «в Динской уже»
    case = _CASE_OF.get(str(parse.tag.case), parse.tag.case)
    return any(
        p.tag.POS in _NOMINALS and _CASE_OF.get(str(p.tag.case), p.tag.case) == case
        for p in parses
    )


_NOMINALS = frozenset({"NOUN", "ADJF", "PRTF", "NPRO", "NUMR"})
_CASE_OF = {"loc2": "loct", "gen2": "gent", "acc2": "accs", "voct": "nomn"}


def _street_name(word: str, cases: frozenset[str], numbered: bool, nxt: str) -> str | None:
    """A street named by a feminine adjective («садовой») or a surname in the genitive
    («кирова»), in the form given after a preposition; the name in the nominative, or None."""
    low = word.lower()
    if low in _GENITIVE_NAMES:
        return low.capitalize()
    for p in _parses(low):
        tag = p.tag
        # `tag.gender in (…)` compares each item and raises on «ms-f» (a grammeme, not a gender):
        # the first message of a new corpus with a common-gender surname crashed the screening.
        surname = "Surn" in tag.grammemes and (tag.gender == "masc" or "ms-f" in tag.grammemes)
        # «Чкалова», «Кирова»: a town named after a man, so a surname-like genitive too
        surname_town = "Geox" in tag.grammemes and tag.gender == "masc" and low.endswith(
            ("ова", "ева", "ёва", "ина", "ына"))
        if tag.POS == "NOUN" and (surname or surname_town) and (
                tag.case == "gent" and tag.number == "sing"):
            # «по Кирова», «у Гагарина»: the genitive is the street's own name, any preposition
            return word[:1].upper() + word[1:].lower()
        if tag.case not in cases or tag.number != "sing":
            continue
        adjective = tag.POS == "ADJF" and not (_NOT_PLACE_ADJ & tag.grammemes)
        substantive = tag.POS == "NOUN" and str(p.normal_form).endswith("ая")
        if tag.gender == "femn" and (adjective or substantive):
            if not numbered and ("Qual" in tag.grammemes or _agrees_with_next(p, nxt)):
                return None
            name = _nominative(low, "femn")
            if name.lower() == low and low.endswith("ой"):
                name = low[:-2] + "ая"
            return name[:1].upper() + name[1:]
    return None


def _settlement_name(word: str, cases: frozenset[str], nxt: str) -> str | None:
    """«в Нагорном», «из Красносельского», «в Динской»: a capitalised adjective after a place
    preposition with no noun after it names a hamlet (masculine) or a stanitsa (-ская)."""
    # «в Динской»: the locative of a feminine name before the accusative of a masculine one.
    for p in sorted(_parses(word), key=lambda p: p.tag.case in ("accs", "nomn")):
        tag = p.tag
        if tag.POS != "ADJF" or tag.case not in cases or tag.number != "sing":
            continue
        if _NOT_PLACE_ADJ & tag.grammemes or _agrees_with_next(p, nxt):
            return None
        if tag.gender == "femn":
            if not str(p.normal_form).endswith(("ский", "цкий", "ской")):
                return None
            return f"ст. {_nominative(word, 'femn')}"
        if tag.gender == "masc" or (tag.gender == "neut" and tag.case not in ("nomn", "accs")):
            return f"х. {_nominative(word, 'masc')}"
        return f"с. {_nominative(word, 'neut')}"
    return None


@lru_cache(maxsize=20_000)
def _people_genitive(word: str) -> bool:
    """«Металлургов», «Строителей», «Шахтёров»: people (not a family name) in the genitive
    plural, the way streets are named after a trade or a group."""
    parses = _parses(word.lower())
    if not parses:
        return False
    p = parses[0]
    return bool(
        p.tag.POS == "NOUN" and "anim" in p.tag.grammemes and p.tag.number == "plur"
        and p.tag.case == "gent" and not ({"Surn", "Name", "Patr"} & p.tag.grammemes)
    )


@lru_cache(maxsize=20_000)
def _town_name(word: str, cases: frozenset[str]) -> str | None:
    """«до Барнаула», «по Ишиму», «из Омска»: a masculine place name that is not a region
    (regions like «Крым», «Алтай» are singularia tantum to the dictionary) is a town."""
    for p in _parses(word.lower())[:2]:
        tag = p.tag
        if tag.POS == "NOUN" and "Geox" in tag.grammemes and tag.gender == "masc" and (
                tag.number == "sing" and "Sgtm" not in tag.grammemes and tag.case in cases):
            nf = str(p.normal_form)
            return f"г. {nf[:1].upper()}{nf[1:]}"
    return None


def _grammar_places(text: str, add: Callable[[int, int, str], None]) -> None:
    words = list(_WORD_RE.finditer(text))
    for k, m in enumerate(words):
        word = m.group()
        nxt_m = words[k + 1] if k + 1 < len(words) else None
        number_m = _NUMBER_AFTER_RE.match(text, m.end())
        number = _house(number_m.group(1)) if number_m else ""
        end = number_m.end() if number_m else m.end()
        nxt = nxt_m.group() if nxt_m else ""
        if k == 0 or re.search(r"[.!?\n]\s*$", text[words[k - 1].end() : m.start()]):
            # «Ленина 54 — …», «советская 8а …» opening a message or a sentence.
            if number and word not in _STOP_NAMES:
                name = _street_name(word, frozenset({"gent", "nomn"}), True, nxt)
                if name is not None:
                    add(m.start(), end, f"ул. {name}, {number}")
            continue
        prev = words[k - 1]
        if text[prev.end() : m.start()].strip():
            continue  # punctuation between the preposition and the name
        prep = prev.group().lower()
        if word in _STOP_NAMES:
            continue
        street_cases = _STREET_PREPS.get(prep)
        if street_cases is not None and (word[0].islower() or number) and (
                word not in _NOT_STREETS):
            name = _street_name(word, street_cases, bool(number), nxt)
            if name is not None:
                add(m.start(), end if number else m.end(),
                    f"ул. {name}, {number}" if number else f"ул. {name}")
                continue
        if street_cases is not None and word[0].isupper() and _people_genitive(word):
            # «на Металлургов», «по Строителей»: a street named after people of a trade
            add(m.start(), end if number else m.end(),
                f"ул. {word}, {number}" if number else f"ул. {word}")
            continue
        place_cases = _PLACE_PREPS.get(prep)
        if place_cases is not None and word[0].isupper() and not number:
            place = _settlement_name(word, place_cases, nxt) or _town_name(word, place_cases)
            if place is not None:
                add(m.start(), m.end(), place)
        elif prep == "по" and word[0].isupper() and not number:
            place = _town_name(word, frozenset({"datv"}))
            if place is not None:
                add(m.start(), m.end(), place)


def _unshout(text: str) -> str:
    """A message written in capitals («НА КАЛИНИНА 4 ТРУБУ ПРОРВАЛО») with each word
    capitalised instead, so that names can be told by their form; same length and offsets."""
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < 12 or sum(ch.isupper() for ch in letters) < 0.8 * len(letters):
        return text
    return re.sub(r"[А-ЯЁA-Z]+", lambda m: m.group()[:1] + m.group()[1:].lower(), text)


def _house_near(text: str, start: int, end: int) -> str:
    """The house of a street named without a number: just after it («на Мира у дома 6»,
    «напротив 8 дома») or just before it («у дома 6 на ул. Мира»)."""
    near = _NEAR_HOUSE_RE.match(text[end : end + 60])
    if near:
        return _house(near.group(1) or near.group(2))
    before = _HOUSE_BEFORE_RE.search(text[max(0, start - 40) : start])
    return _house(before.group(1)) if before else ""


def extract(text: str) -> tuple[str, ...]:
    """Canonical places in order of appearance, without duplicates. Any ``str`` is accepted:
    it is normalised first (``otklik.texts.normalise_input``; cheap on text normalised already)."""
    text = _unshout(normalise(text).text)
    found: list[tuple[int, str]] = []
    # Positions inside a place already found (a flag each, not a list of spans to scan each time).
    taken = bytearray(len(text) + 1)

    def add(start: int, end: int, value: str) -> None:
        if taken[start]:
            return
        if value.startswith(_STREET_ABBRS) and "," not in value:
            number = _house_near(text, start, end)
            if number:
                value = f"{value}, {number}"
        taken[start:end] = b"\x01" * (end - start)
        found.append((start, value))

    for pattern, abbr, gender in _STREET_RES:
        for m in pattern.finditer(text):
            # «…всей улицей. Терпение кончилось»: a full word before a full stop ends a sentence.
            between = text[m.start() : m.start(1)]
            if "." in between and len(between.split(".")[0]) > 4:
                continue
            name = _name(m.group(1), gender)
            if name is None:
                continue
            number = _house(m.group(2))
            add(m.start(), m.end(), f"{abbr} {name}, {number}" if number else f"{abbr} {name}")
    for pattern, abbr, gender in _SETTLEMENT_RES:
        for m in pattern.finditer(text):
            between = text[m.start() : m.start(1)]
            if "." in between and len(between.split(".")[0]) > 4:
                continue  # «…по станице. Гарантия»: a new sentence, not a name
            name = _name(m.group(1), gender)
            if name is None:
                continue
            add(m.start(), m.end(), f"{abbr} {name}")
    for m in _QUARTER_RE.finditer(text):
        add(m.start(), m.end(), f"{m.group(1) or m.group(2)}-й квартал")
    for m in _BARE_RE.finditer(text):
        word = m.group(1)
        if word in _STOP_NAMES:
            continue
        name = _nominative(word, "femn")
        if name == word and word.endswith("ой"):
            name = word[:-2] + "ая"  # «Набережной» is a noun to pymorphy
        add(m.start(1), m.end(), f"ул. {name}, {_house(m.group(2))}")
    for m in _BARE_NAME_RE.finditer(text):
        word = m.group(1)
        if word in _STOP_NAMES or word in _NOT_STREETS:
            continue
        # A settlement («у хутора Нагорного») is handled above; a name after a marker is taken.
        before = text[max(0, m.start() - 12) : m.start()].lower()
        if re.search(r"(?:хутор\w*|станиц\w*|сел\w*|пос[её]л\w*|х\.|ст\.)\s*$", before):
            continue
        name = _nominative(word, "femn") if word.endswith(("ой", "ей")) else word
        if name == word and word.endswith("ой"):
            # Nouns like «Набережной» are not adjectives to pymorphy, but inflect like them.
            name = word[:-2] + "ая"
        number = _house(m.group(2))
        add(m.start(1), m.end(), f"ул. {name}, {number}" if number else f"ул. {name}")
    _grammar_places(text, add)
    found.sort()
    out = list(dict.fromkeys(value for _, value in found))
    # «ул. Красная» is redundant next to «ул. Красная, 15».
    heads = {o[:i] for o in out for i, ch in enumerate(o) if ch == ","}
    return tuple(v for v in out if v not in heads)
