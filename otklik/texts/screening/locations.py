"""Places named in a message: streets with house numbers and settlements, in a canonical form.

«по улице Красной возле дома 15» → «ул. Красная, 15»; «в станице Пластуновской» →
«ст. Пластуновская»; «на Красной 15» → «ул. Красная, 15». Adjectival names are put back into the
nominative of the right gender with pymorphy; names in the genitive («улица Ленина», «улица
Красных Партизан») are kept as written. Only words after a street or settlement marker, or a
capitalised adjective with a house number, are taken, so random capitalised words are not.
"""

from __future__ import annotations

import re
from functools import lru_cache

from otklik.texts import morph

_CAP = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё][а-яё]+)?"
_NAME = rf"(?:\d{{1,3}}-?(?:го|й|я|ой|ая|ий|ый|ей)?\s+)?{_CAP}(?:\s+{_CAP})?"
_HOUSE = r"(?:,?\s*(?:д\.|дом\w*|д|№)?\s*№?\s*(\d{1,4}(?:\s?[а-дА-Д](?![а-яё]))?(?:/\d{1,4})?)(?![\d.,]?\d|\s*(?:год|лет|час|мин|руб|р\.|человек|чел|метр|м\b|км|%|раз|дн|сут|сантим|см|тонн|кг|шт|°)))"
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
    (r"пос\.|п\.|пгт\.?|пос[её]л(?:ок|ка|ке|ку|ком)", "пос.", "masc"),
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
    r"(?<![А-ЯЁа-яё])(?i:на|по|с|со|у|возле|около|напротив|угол|углу|перекр[её]ст\w*|и)\s+"
    r"([А-ЯЁ][а-яё]+(?:ова|ева|ёва|ина|ына|ского|цкого|ской|цкой|ной|вой|рой|жной|чной|дной)|"
    r"Мира|Победы|Шевченко|Свободы|Дружбы|Октября|Революции|Коммуны|Труда|Космонавтов|Партизан)"
    r"(?:\s*,?\s*(\d{1,4}[а-д]?)(?![\d.,]?\d|\s*(?:год|лет|час|мин|руб|р\.|человек|чел|метр|км|%|раз|дн|сут|см|кг|шт|°)))?\b"
)
_NOT_STREETS = frozenset({"Москвы", "России", "Кубани", "Динской", "Краснодарской", "Ивановой", "Петровой", "Главой"})
# «в Пластуновской»: an -ская/-ской name after «в», a stanitsa of the Kuban.
_IN_STANITSA_RE = re.compile(r"\b(?:[вВ]|[иИ]з|[пП]о|[оО]коло|[вВ]озле)\s+([А-ЯЁ][а-яё]+(?:ской|цкой|ская|цкая))\b(?!\s+[а-яё]+(?:ой|ей|ом|ем|ая|ое|ую|е|и|у)\b)")
# «15-й квартал», «квартал 5».
_QUARTER_RE = re.compile(r"\b(\d{1,3})\s*-?\s*(?:й|ый|ий|ом|м)?\s+квартал\w*|\bквартал\w*\s+(?:№\s*)?(\d{1,3})\b")
_NEAR_HOUSE_RE = re.compile(r"^\s*,?\s*(?:\S+\s+){0,3}?(?:возле|у|около|напротив|рядом\s+с|за|перед|между)\s+(?:дом(?:а|ом)?|д\.)\s*№?\s*(\d{1,4}(?:\s?[а-дА-Д](?![а-яё]))?(?:/\d{1,4})?)")


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
_SETTLEMENT_RES = _compile(_marker_ci(_SETTLEMENT_KINDS), house=False)


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


def _name(raw: str, gender: str) -> str | None:
    parts = raw.split()
    ordinal = ""
    if parts and parts[0][0].isdigit():
        ordinal = parts.pop(0)
    if not parts or parts[0] in _STOP_NAMES:
        return None
    # «Красных Партизан», «Героя Иванова»: genitive names are kept; «Новая Жизнь» too.
    name = _nominative(parts[0], gender) if len(parts) == 1 else " ".join(parts)
    return f"{ordinal} {name}".strip()


def _house(number: str | None) -> str:
    return number.replace(" ", "").lower() if number else ""


def extract(text: str) -> tuple[str, ...]:
    """Canonical places in order of appearance, without duplicates."""
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, value: str) -> None:
        if any(a <= start < b for a, b in taken):
            return
        taken.append((start, end))
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
            end = m.end()
            if not number:
                near = _NEAR_HOUSE_RE.match(text[m.end() : m.end() + 60])
                if near:
                    number = _house(near.group(1))
                    end = m.end() + near.end()
            add(m.start(), end, f"{abbr} {name}, {number}" if number else f"{abbr} {name}")
    for pattern, abbr, gender in _SETTLEMENT_RES:
        for m in pattern.finditer(text):
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
        add(m.start(1), m.end(), f"ул. {_nominative(word, 'femn')}, {_house(m.group(2))}")
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
    for m in _IN_STANITSA_RE.finditer(text):
        add(m.start(1), m.end(1), f"ст. {_nominative(m.group(1), 'femn')}")
    found.sort()
    out: list[str] = []
    for _, value in found:
        if value not in out:
            out.append(value)
    # «ул. Красная» is redundant next to «ул. Красная, 15».
    return tuple(v for v in out if not any(o != v and o.startswith(v + ",") for o in out))
