"""``legal_refs``: more than two citations of legal acts make an answer unreadable.

A citation is an act (a law, a code, a resolution with its number or date, «131-ФЗ») or an
article reference («ч. 2 ст. 5»); an article directly followed or preceded by its act is one
citation with it. Citations are counted as written and distinct: the same act cited twice
counts once.

One problem, one finding: from three citations on, a single error whose message names every
distinct citation (in the nominative where it starts with a noun phrase: «закону края» →
«закон края») and whose span is the first citation. Not a span from the first citation to the
last: an editor that underlines spans shows one mark where they overlap, and such a span would
hide every other finding between the citations.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from ._doc import Doc
from ._fixes import nominative
from .findings import ERROR, Finding

CODE = "legal_refs"
LIMIT = 2

_DATE = r"(?:\d{1,2}\.\d{1,2}\.\d{2,4}|\d{1,2}\s+[а-я]+\s+\d{4})\s*(?:г(?:ода|\.)?)?"
_NUMBER = r"№\s*[\w./-]+"
_TAIL = (
    r"(?:\s*(?:от\s+" + _DATE + r"|" + _NUMBER + r"|\d+-[А-ЯЁа-яё]{1,4}\b|«[^»]{1,200}»"
    r"|\"[^\"]{1,200}\"))*"
)
# Whose act it is («администрации поселения», «Росреестра», «главы (губернатора) края»).
# «и», «или» join two acts, not the parts of one.
_WHOSE = r"(?:\s+(?!(?:и|или|либо)\b)[\w()-]+){0,8}?"
_ACT_RE = re.compile(
    r"(?:"
    # federal and regional laws: «Федеральный закон от … № 131-ФЗ», «закон Краснодарского края»
    r"\b(?:[Фф]едеральн\w+\s+(?:конституционн\w+\s+)?закон(?:а|у|ом|е|ы|ов|ам|ами|ах)?\b"
    r"|[Зз]акон(?:а|у|ом|е|ы|ов|ам|ами|ах)?\s+(?:[А-ЯЁ][\w-]+(?:ого|ой|ых)\s+)?(?:кра[яю]|"
    r"област[иь]|республик[иа]|округа|РФ|Российской\s+Федерации|субъекта)\b"
    # «Закон о водоснабжении» (a capital mid-sentence), «закон «О благоустройстве»»
    r"|(?<=[\w,] )Закон(?:а|у|ом|е|ы|ов|ам|ами|ах)?\s+(?:об?|«)"
    r"|[Зз]акон(?:а|у|ом|е|ы|ов|ам|ами|ах)?\s+(?=«))" + _TAIL +
    # any act type with its number or date: «закон … от …», «Правил № 354», «регламента № 5»
    r"|\b(?:[Зз]акон|[Пп]равил|[Рр]егламент|[Пп]оложени|[Уу]став)\w*" + _WHOSE +
    r"(?=\s*(?:от\s+\d|№))" + _TAIL +
    # resolutions, orders, decisions count only with a number or a date
    r"|\b(?:[Пп]остановлени|[Рр]аспоряжени|[Рр]ешени|[Пп]риказ|[Уу]каз)\w*" + _WHOSE +
    r"(?=\s*(?:от\s+\d|№))" + _TAIL +
    # a government's resolution is an act even without its number: «постановление Правительства области»
    r"|\b(?:[Пп]остановлени|[Рр]аспоряжени)\w*\s+[Пп]равительства\s+(?:РФ\b|Российской\s+Федерации|"
    r"област\w*|кра[яю]\b|республик\w*)" + _TAIL +
    # codes: «Жилищный кодекс РФ», «Кодекс об административных правонарушениях», «ЖК РФ»
    r"|\b[А-ЯЁа-яё]+(?:ый|ого|ому|ым|ом|ий|его|ему|им|ем)\s+[Кк]одекс\w*(?:\s+(?:РФ|Российской\s+"
    r"Федерации|Краснодарского\s+края))?"
    r"|\b[Кк]одекс\w*\s+(?:РФ|Российской\s+Федерации)?\s*об\s+административных\s+"
    r"правонарушениях(?:\s+(?:РФ|Российской\s+Федерации|Краснодарского\s+края))?"
    # «ЖК», «УК», «ГК», «АПК» alone are a housing estate, a management company, a group of firms
    r"|\b(?:ЖК|ГК|НК|ЗК|ГрК|УК|ТК|БК|ВК|ЛК|КАС|АПК|ГПК|УПК)\s+РФ\b|\bКоАП(?:\s+(?:РФ|КК))?\b"
    # bare act numbers: «131-ФЗ», «ФЗ-131», «ФЗ № 59», «2-КЗ»
    r"|\b(?:№\s*)?\d+-(?:ФЗ|ФКЗ|КЗ|ЗС|ОЗ|РЗ)\b|\bФЗ\s*(?:-\s*|№\s*)\d+\b"
    # technical regulations cited as law
    r"|\b(?:ГОСТ(?:\s+Р)?|СанПиН|СНиП)\s+[\d.-]*\d|\bСП\s+\d+\.\d+[\d.-]*"
    r"|\b[Кк]онституци\w+\s+(?:РФ|Российской\s+Федерации)"
    # local rules and regulations cited by name
    r"|\bПравил(?:а|ах|ами|ам)?\s+(?:благоустройства|землепользования|содержания|"
    r"пользования|предоставления|охраны|размещения)(?:\s+[\w-]+){0,4}?(?=[\s,.;]|$)"
    r"|\b[Аа]дминистративн\w+\s+регламент\w*"
    r")"
)
# Up to six parts, items and paragraphs before the article («ч. 2 п. 3 ст. 16»): unbounded, a
# long run of «п. 1 п. 1 …» was rescanned from each of them (quadratic).
_ARTICLE_RE = re.compile(
    r"(?:\b(?:ч|п|пп|абз)\.\s*\d+(?:\.\d+)*\s*(?:,\s*\d+\s*)*|"
    r"\b(?:част\w+|пункт\w*|подпункт\w*|абзац\w*)\s+\d+(?:\.\d+)*\s*){0,6}"
    r"\b(?:ст\.|стать\w+)\s*\d+(?:\.\d+)*(?:\s*(?:,|и)\s*\d+(?:\.\d+)*)*"
    r"|\b(?:ч|п|пп)\.\s*\d+(?:\.\d+)*|\b(?:пункт\w*|подпункт\w*|част\w+)\s+\d+(?:\.\d+)*(?=\s+\w)"
)
# Part/item references alone («п. 3», «часть 2») are citations only when next to an act;
# an article on its own («статья 16») is one.
_STANDALONE_ARTICLE_RE = re.compile(r"\b(?:ст\.|стать\w+)\s*\d", re.IGNORECASE)
_JOIN_RE = re.compile(r"\A\s{0,3}\Z")  # «ст. 5 ЖК РФ»; a comma separates citations
_MESSAGE = (
    "Ссылок на нормативные акты — {count}: {names}. Оставьте одну-две самые нужные и объясните "
    "суть простыми словами."
)
# A citation with a long title is named by its first characters; past _NAMED citations the
# message only counts the rest.
_NAME_CHARS = 80
_NAMED = 10


def _spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of act and article mentions, merged where an article joins its act."""
    raw: list[tuple[int, int, str]] = [(m.start(), m.end(), "act") for m in _ACT_RE.finditer(text)]
    act_starts = [s for s, _, _ in raw]  # in order and disjoint, as finditer gives them
    for m in _ARTICLE_RE.finditer(text):
        k = bisect_right(act_starts, m.start()) - 1
        if k < 0 or m.start() >= raw[k][1]:  # not inside an act
            raw.append((m.start(), m.end(), "article"))
    raw.sort()
    merged: list[tuple[int, int, str]] = []
    for start, end, kind in raw:
        if merged and _JOIN_RE.match(text[merged[-1][1]:start]) and "act" in (kind, merged[-1][2]) \
                and kind != merged[-1][2]:
            prev = merged.pop()
            merged.append((prev[0], max(end, prev[1]), "act"))
        else:
            merged.append((start, end, kind))
    return [
        (s, e, k) for s, e, k in merged
        if k == "act" or _STANDALONE_ARTICLE_RE.search(text[s:e])
    ]


def _rstrip(text: str, start: int, end: int) -> int:
    """The end of ``text[start:end]`` without trailing spaces and commas (not
    ``len(text[:end].rstrip())``: a copy of all the text before, for every citation)."""
    while end > start and text[end - 1] in " ,":
        end -= 1
    return end


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower().replace("ё", "е")).strip(" ,.")


def _name(citation: str) -> str:
    """How the message names a citation: in the nominative, shortened if long."""
    name = " ".join(nominative(citation).split()).rstrip(".")
    if len(name) > _NAME_CHARS:  # cut between words
        name = name[:_NAME_CHARS].rsplit(" ", 1)[0].rstrip(" ,«(№") + "…"
    return name


# «статьями 388, 389 и 390»: each article is a citation of its own (the labelling brief counts
# every code article), so a list of article numbers weighs as many.
_ARTICLE_LIST_RE = re.compile(r"\b(?:ст\.|стать\w+)\s*(\d+(?:\.\d+)*(?:\s*(?:,|и)\s*\d+(?:\.\d+)*)*)",
                              re.IGNORECASE)


def _weight(citation: str) -> int:
    m = _ARTICLE_LIST_RE.search(citation)
    return max(1, len(re.findall(r"\d+(?:\.\d+)*", m.group(1)))) if m else 1


def check(doc: Doc) -> list[Finding]:
    text = doc.text
    spans = [(s, _rstrip(text, s, e)) for s, e, _ in _spans(text)]
    first_of: dict[str, tuple[int, int]] = {}
    for s, e in spans:
        first_of.setdefault(_key(text[s:e]), (s, e))
    count = sum(_weight(text[s:e]) for s, e in first_of.values())
    if count <= LIMIT:
        return []
    firsts = list(first_of.values())
    names = ", ".join(_name(text[s:e]) for s, e in firsts[:_NAMED])
    if len(firsts) > _NAMED:
        names += f" и ещё {len(firsts) - _NAMED}"
    start, end = spans[0]
    return [Finding(CODE, ERROR, start, end,
                    _MESSAGE.format(count=count, names=names), None)]
