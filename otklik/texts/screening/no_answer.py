"""Regulation п. 21: threats, obscene words and insults, after which a message gets no answer.

Precision matters as much as recall: a citizen angry about potholes must not be silenced, so
criticism («работаете плохо», «позор»), legal steps («подам в суд», «пожалуюсь в прокуратуру»)
and protests are left alone. Obscenity is matched here (rude roots over every disguised reading);
threats are found by the grammar of ``threats`` (person, tense, object, owner) after a first layer
of set phrases (``pattern_threats``); insults by the lexicon and the aiming rules of ``insults``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from itertools import product

from otklik.texts import morph
from otklik.texts.screening import clauses, insults, threats
from otklik.texts.screening.clauses import Word
from otklik.texts.screening.data_files import lines
from otklik.texts.screening.normalise import MASK, Run, collapse, runs
from otklik.texts.screening.result import Span

# The most serious reason wins when several are present.
SEVERITY: dict[str, int] = {"threat": 3, "obscenity": 2, "insult": 1}

_ROOTS_RE = re.compile("|".join(f"(?:{p})" for p in lines("obscene_roots.txt")))
_ALLOWED: tuple[str, ...] = lines("allowed_words.txt")
# Transliterated mat written in Latin letters («blyat», «pizdec», «nahui», «eblan»).
_TRANSLIT_RE = re.compile(
    r"^(?:na|po|o)?(?:h|x|kh)u(?:i|y|j|e|ya|ja)|pi[zs]d|^bl(?:y|i|j)?a(?:t|d|$)|^blia|"
    r"^(?:za|na|vy|u|po|do|pro|ot)?(?:e|ye|yo|jo)b(?:a|u|l|n|i)(?!y)|^(?:s|c)uk(?:a|i)$|"
    r"^mudak|^pid(?:o|a)r|^g(?:a|o)nd(?:o|a)n|^zalup|^shl(?:y|j)?uh"
)
_LATIN_ALLOWED = frozenset({"ebay", "hui", "huey", "bla", "blah", "blabla"})
_LATIN_RE = re.compile(r"[a-z]")


@lru_cache(maxsize=1)
def _masked_vocabulary() -> frozenset[str]:
    """Every form of the commonest rude words, to be matched by masked words («х*й»)."""
    forms: set[str] = set()
    analyzer = morph.analyzer()
    for word in lines("obscene_words.txt"):
        base = word.replace("ё", "е")
        forms.add(base)
        for parse in analyzer.parse(word)[:2]:
            if parse.normal_form.replace("ё", "е") != base:
                continue
            forms.update(f.word.replace("ё", "е") for f in parse.lexeme)
    return frozenset(forms)


def _allowed(word: str) -> bool:
    return any(stem in word for stem in _ALLOWED)


# The longest masked reading matched against the vocabulary («п*зд*болы» has 9 characters).
_MAX_MASKED = 40


@lru_cache(maxsize=50_000)
def obscene_reading(reading: str) -> bool:
    """Is one normalised reading of a word a rude word?"""
    if MASK in reading:
        if len(reading) > _MAX_MASKED:
            return False  # no word: the pattern built from it would cost seconds to compile
        letters = reading.replace(MASK, "")
        # A mask needs real letters around it: «**» or «*важно*» is formatting, not a word.
        if len(letters) < 2 or not re.fullmatch(r"[а-я*]+", reading):
            return False
        pattern = re.compile("[а-я]{1,4}".join(re.escape(p) for p in reading.split(MASK)))
        if any(pattern.fullmatch(form) for form in _masked_vocabulary()):
            return True
        # Words outside the vocabulary («п*зд*болы»): a hidden vowel is the usual mask.
        pieces = reading.split(MASK)
        if len(pieces) > 3:
            return False
        for vowels in product("аеиоуыя", repeat=len(pieces) - 1):
            word = pieces[0] + "".join(v + p for v, p in zip(vowels, pieces[1:], strict=True))
            if _ROOTS_RE.search(word) and not _allowed(word):
                return True
        return False
    for word in {reading, collapse(reading)}:
        if _ROOTS_RE.search(word) and not _allowed(word) and not _allowed(reading):
            return True
    return False


# «х**», «х***»: one letter left and the rest starred. People star only the rude words, and no
# word of three or more letters on «х» is starred but «хуй» and «хер» (one star, «х*», or an
# ellipsis, «х…», stays a trailing-off).
_STARRED_KH_RE = re.compile(r"[хx][*#%]{2,}")


def _run_obscene(run: Run) -> bool:
    low = run.raw.lower()
    if _STARRED_KH_RE.fullmatch(low):
        return True
    if _LATIN_RE.search(low) and not re.search(r"[а-яё]", low):
        if low in _LATIN_ALLOWED:
            return False
        if _TRANSLIT_RE.search(collapse(low.translate(_SEP_TABLE).translate(_DIGIT_LATIN))):
            return True
    return any(obscene_reading(r) for r in run.readings)


_SEP_TABLE = str.maketrans("", "", ".-_'`’ ")
# Digits and symbols inside transliterated words («3ae6ali», «pi3dec»).
_DIGIT_LATIN = str.maketrans({"3": "z", "6": "b", "0": "o", "1": "i", "@": "a", "$": "s", "4": "ch"})


# --- threats ------------------------------------------------------------------------------

# The object of a violent verb when it is a person (or their family).
_PERSON = (
    r"(?:тебя|тя|вас|его|ее|их|всех|вас всех|тварь|тварей|гад\w*|урод\w*|сволоч\w*|"
    r"глав\w*|чиновник\w*|чинуш\w*|депутат\w*|начальник\w*|мэр\w*|работник\w*|сотрудник\w*|"
    r"каждого|любого|кого|семью|детей|жену|мужа)"
)
# Harm to property of an official: arson, explosion.
_PROPERTY = (
    r"(?:дом\w*|хат\w*|машин\w*|авто\w*|тачк\w*|администраци\w*|здани\w*|кабинет\w*|офис\w*|"
    r"контор\w*|сельсовет\w*|управ\w*|гараж\w*|квартир\w*|вас|тебя|его|ее|их|ваш\w*|тво\w*|"
    r"всё|все|к черт\w*|нахрен|нафиг)"
)
# First-person violent verbs that are threats whatever follows.
_KILL = (
    r"(?:убь[юе]м?|убью|прибью\s+(?:на\s*хер|нахрен|нафиг|к\s+черт\w*)|уро[юе]м?|зареж(?:у|ем)|"
    r"застрел(?:ю|им)|пристрел(?:ю|им)|перестреля(?:ю|ем)|расстреля(?:ю|ем)|покалеч(?:у|им)|"
    r"изобь(?:ю|ем)|отпизж(?:у|им)|отметел(?:ю|им)|придуш(?:у|им)|задуш(?:у|им)|"
    r"приконч(?:у|им)|укокош(?:у|им)|удавл(?:ю)|грохн(?:у|ем)|пореш(?:у|им)\s+" + _PERSON + ")"
)
# Violent verbs that need a person as object («прибью табличку» is fine, «прибью тебя» is not).
_NEEDS_PERSON = (
    r"(?:прибь(?:ю|ем)|закопа(?:ю|ем)|замоч(?:у|им)|пришь(?:ю|ем)|уничтож(?:у|им)|"
    r"раздавл(?:ю)|размаж(?:у|ем)|повеш(?:у|аем)|утоплю|утопим|порежу|порву|разорву|"
    r"достану|накажу|отомщу|урою)"
)
_ARSON = r"(?:сожг(?:у|ем)|сожжем|подожг(?:у|ем)|подожжем|спал(?:ю|им)|запал(?:ю|им)|разнес(?:у|ем))"
# Vehicles and their parts, and first-person verbs that wreck them.
_VEHICLE = (
    r"(?:колес\w*|колеса|шин[аыу]?\b|покрышк\w*|скат[ыов]*\b|машин\w*|тачк\w*|авто\b|"
    r"автомобил\w*|джип\w*|камаз\w*|иномарк\w*|фар[ыу]?\b|стекл[оа]\b|лобовое|зеркал\w*)"
)
# Verbs of deliberate damage; those that may also be an accident («пробью колесо на этой
# яме», «разобью машину на ваших дорогах») count only with «ваш»/«твой» before the vehicle.
_WRECK = (
    r"(?:порежу|порежем|прорежу|изрежу|изрежем|расколочу|изуродую|поцарапаю|расцарапаю|"
    r"сожгу|сожжем|подожгу|подожжем|спалю|спалим)"
)
_WRECK_MAYBE = r"(?:проколю|проколем|пробью|пробьем|разобью|разобьем|покорежу|переверну)"
_WISH = r"(?:расстрелять|повесить|перевешать|убить|перестрелять|закопать|утопить|придушить|прибить|сжечь|четвертовать)"

_THREAT_PATTERNS: tuple[str, ...] = (
    rf"\b{_KILL}\b",
    rf"\b{_NEEDS_PERSON}\s+(?:\S+\s+){{0,2}}?{_PERSON}\b",
    rf"\b{_PERSON}\s+(?:\S+\s+){{0,2}}?{_NEEDS_PERSON}\b",
    rf"\b{_ARSON}\s+(?:\S+\s+){{0,3}}?{_PROPERTY}",
    rf"\b(?:дом|хат|машин|авто|контор|администраци|кабинет|гараж)\w*\s+(?:\S+\s+){{0,2}}?{_ARSON}\b",
    # «взорву!», «взорвём вашу контору», not «взорвём танцпол», «взорву интернет»
    r"\bвзорв(?:у|ем)\b(?=\s*(?:[.!?,…)]|$)|\s+(?:\S+\s+)?" + _PROPERTY + r")",
    r"\bкрасного петуха\b",
    r"\b(?:вам|тебе|ему|ей|им|нам)\s+(?:всем\s+)?(?:тут\s+|здесь\s+)?не\s+жить\b",
    r"\bне\s+жить\s+(?:вам|тебе|ему|им)\b",
    r"\bне\s*поздоровится\b",
    # «кто подписал снос, тот до весны не доживёт», «ты до выборов не доживёшь»: death foretold
    r"\b(?:тот|ты|вы)\s+(?:[^\s.!?]+\s+){0,3}?не\s+дожив(?:[её]т|[её]шь|[её]те|ут)\b",
    r"\bнесдобровать\b",
    r"\b(?:найд[уе]м?|вычислю|вычислим)\s*,?\s+(?:где|тебя|вас|адрес)\b",
    r"\bзна(?:ю|ем)\s*,?\s+где\s+(?:ты|вы|твоя|ваша|твои|ваши|живе|живу)",
    r"\bдоберусь\s+до\s+(?:тебя|вас|тво\w+|ваш\w+|него|нее|них|каждого)",
    r"\b(?:голову|голову\s+тебе|башку|бошку|голову\s+вам)\s+(?:оторв\w*|отреж\w*|снес\w*|проломл\w*|откруч\w*|разобь\w*)",
    r"\b(?:оторв[уе]м?|отреж[уе]м?|снес[уе]м?|проломл[юе]м?|откруч[уе]м?|разобь[юе]м?)\s+(?:тебе\s+|вам\s+|ему\s+)?(?:голов\w*|башк\w*|бошк\w*)",
    r"\b(?:ноги|руки|ребра|кости)\s+(?:тебе\s+|вам\s+)?(?:переломаю|вырву|оторву|пообломаю|поломаю)",
    r"\b(?:переломаю|вырву|оторву|пообломаю|поломаю)\s+(?:тебе\s+|вам\s+)?(?:ноги|руки|ребра|кости)",
    r"\bкишки\s+(?:выпущу|выпустим)",
    r"\b(?:набь[юе]м?|начищ[уе]м?|разобь[юе]м?|расквашу)\s+(?:тебе\s+|вам\s+|ему\s+)?(?:морд|рож|лиц|харю|физиономи|табло|е[б6]ал)\w*",
    r"\b(?:морду|рожу|харю|табло|ебало)\s+(?:тебе\s+|вам\s+)?(?:набь|начищ|разобь|расквашу)\w*",
    r"\bдам\s+(?:тебе\s+|вам\s+)?(?:в\s+морду|в\s+рожу|по\s+морде|по\s+роже|по\s+башке|в\s+табло)",
    # «ходи и оглядывайся», «пусть ходит и оглядывается», «будешь оглядываться»: any person
    r"\b(?:оглядывайся|оглядывайтесь)\b",
    r"\b(?:ход(?:и|ите|ит|ят|ишь|ить)|пусть|будешь|будете|будет|будут)\s+(?:\S+\s+){0,2}?"
    r"(?:и\s+)?оглядыва(?:ется|ются|ешься|етесь|ться)\b",
    # «знаю, на какой машине ты ездишь», «знаем, во сколько вы уходите»: knowing an official's
    # habits, car or home, said to their face (a 2nd-person word in the same clause).
    r"\bзна(?:ю|ем)\s*,?\s+(?:(?:на|в|во|с|у|из)\s+)?(?:где|куда|когда|откуда|какой|какая|какую|"
    r"каком|котор\w+|скольк\w+|кем|чем|чья|чей|чьи)\s+(?:[^\s.!?]+\s+){0,4}?"
    r"(?:ты|тво\w+|\w+(?:ешь|ишь|ешься|ишься)|(?:ваш\w*\s+)?(?:машин\w*|авто\w*|тачк\w*|"
    r"гараж\w*|квартир\w*|дет(?:и|ей|ям|ьми)|жен[аыу]|семь\w*|ночу\w+|ездите|ставите|"
    r"паркуете|живете|гуляете|возвращаетесь))\b",
    # Damage to an official's vehicle: «колёса порежу», «шины проколю», «разобью машину».
    rf"\b{_WRECK}\s+(?:\S+\s+){{0,2}}?{_VEHICLE}",
    rf"\b{_VEHICLE}\s+(?:\S+\s+){{0,2}}?{_WRECK}\b",
    rf"\b{_WRECK_MAYBE}\s+(?:тебе\s+|вам\s+)?(?:ваш|тво)\w*\s+{_VEHICLE}",
    rf"\b(?:ваш|тво)\w*\s+{_VEHICLE}\s+(?:\S+\s+){{0,1}}?{_WRECK_MAYBE}\b",
    r"\bжди(?:те)?\s+гостей\b",
    r"\bкровью\s+(?:умоет\w*|умоешь\w*|харкать)",
    r"\bпожале(?:ешь|ете|ет|ют),?\s+что\s+(?:родил|на\s+свет)",
    r"\b(?:приду|приеду|приедем|придем|приду|заявлюсь|явлюсь)\s+(?:\S+\s+){0,3}?с\s+(?:ружь[её]м|обрез\w*|топор\w*|бит\w*|нож\w*|стволом|пистолет\w*|канистр\w*|бензин\w*)",
    r"\bс\s+(?:ружь[её]м|обрез\w*|топор\w*|бит\w*|стволом|пистолет\w*)\s+(?:\S+\s+){0,3}?(?:разберусь|приду|приеду|встречу|жд\w+)",
    r"\b(?:повыбиваю|повыбьем|выбью|выбьем|перебью|перебьем|побью|разобью|разобьем|расколочу)\s+(?:\S+\s+){0,2}?(?:окна|окно|стекл\w*|фары|витрин\w*|двер\w*)",
    r"\b(?:окна|окно|стекл\w*|фары|витрин\w*)\s+(?:\S+\s+){0,3}?(?:повыбиваю|повыбьем|выбью|выбьем|перебью|перебьем|побью|разобью|разобьем|расколочу)",
    r"\b(?:подкараул\w*|подстерег[уе]м?|выслеж\w+|выслежу)\b",
    # «я вам устрою!», not «я вам устрою экскурсию по ямам»
    r"\b(?:я\s+)?(?:вам|тебе)\s+(?:это\s+|еще\s+|ещ[её]\s+)?устрою\b(?!\s+[а-я]{3})",
    r"\bзна(?:ю|ем)\s*,?\s+где\s+(?:\S+\s+){0,2}?(?:дет\w*|жена|жены|семья|семьи|родн\w*|тво\w+|ваш\w+)",
    r"\b(?:вам|тебе)\s+(?:конец|хана|крышка|кранты|не\s+жилец|не\s+жильцы|п[иеы]зд\w*)\b",
    r"\b(?:семь[еия]|детям|жене|родным|близким)\s+(?:тво\w+|ваш\w+)\s+(?:будет\s+плохо|плохо\s+будет|достанется|конец)",
    r"\b(?:будет\s+плохо|плохо\s+будет|достанется)\s+(?:тво\w+|ваш\w+)\s+(?:семь|дет|жен|родн|близк)\w*",
    r"\b(?:убил|прибил|придушил|задушил|пристрелил|расстрелял|удавил)(?:а|и)?\s+бы\b",
    rf"\b(?:надо|нужно|бы|хочется|готов\w*|пора|следует|стоит)\s+(?:\S+\s+){{0,2}}?{_WISH}\b",
    rf"\b{_WISH}\s+(?:бы|надо|нужно|вас|всех|их|тебя|таких|этих|за\s+такое)\b",
    r"\bубить\s+мало\b",
    r"\bпуля\s+(?:в\s+лоб|в\s+голову)|\bпулю\s+(?:в\s+лоб|в\s+голову)",
)
_THREAT_RE = re.compile("|".join(f"(?:{p})" for p in _THREAT_PATTERNS))
# A «wish» aimed at things («надо сжечь сухую траву», «убить время») is no threat.
_WISH_LITERAL_RE = re.compile(
    r"(?:сжечь|утопить|закопать|убить)\s+(?:\S+\s+)?(?:мусор|трав|листь|ветк|сухостой|борщевик|"
    r"амбрози|время|яму|ямы|канав|траншею|люк|сорняк|комар|клещ|крыс|мыш|тараканов|вирус|микроб|"
    r"запах|день|вечер|нервы)"
)
_WISH_START_RE = re.compile(r"\b" + _WISH + r"\b")


# Quoted speech is someone else's words.
_QUOTE_RE = re.compile(r"«[^«»]{0,300}»|\"[^\"]{0,300}\"|“[^“”]{0,300}”")


# Contests where harm words are figures of speech: «на выборах», «на турнире» (not «до выборов»).
_ARENA_RE = re.compile(
    r"\b(?:на|в)\s+(?:[^\s.!?]+\s+){0,2}?(?:выборах\b|(?:турнир|соревновани|чемпионат|первенств|матч|"
    r"состязани|олимпиад|армрестлинг|спартакиад)\w*)")


def _sentence_at(low: str, start: int, end: int) -> str:
    """The sentence of ``low`` holding [start, end)."""
    a = max(low.rfind(c, 0, start) for c in ".!?\n") + 1
    ends = [i for i in (low.find(c, end) for c in ".!?\n") if i >= 0]
    return low[a : min(ends) if ends else len(low)]


def pattern_threats(text: str) -> list[Span]:
    """Threats written in set phrases (the first layer, before the grammar of ``threats``)."""
    low = text.lower().replace("ё", "е")
    quoted = [(m.start(), m.end()) for m in _QUOTE_RE.finditer(low)]
    spans: list[Span] = []
    for m in _THREAT_RE.finditer(low):
        if any(a <= m.start() < b for a, b in quoted):
            continue  # someone else's words, reported: «сосед кричит «я тебе устрою»»
        piece = m.group(0)
        if _ARENA_RE.search(_sentence_at(low, m.start(), m.end())):
            continue  # «закопаем вас на выборах», «порву всех на турнире»: a contest, not harm
        if _WISH_START_RE.search(piece):
            tail = low[m.start() : m.end() + 40]
            if _WISH_LITERAL_RE.search(tail):
                continue
        spans.append(Span(m.start(), m.end(), "threat"))
    if spans:
        told = threats.reported(text)  # «сосед кричит: всех убью» is his threat, reported
        spans = [s for s in spans if not any(a <= s.start < b for a, b in told)]
    return spans


def check(text: str) -> tuple[str | None, tuple[Span, ...]]:
    """The most serious п. 21 reason in the text (or None) and every span that shows one."""
    spans: list[Span] = pattern_threats(text) + threats.threats(text)
    low: str | None = None
    words: list[Word] | None = None
    ends: list[int] = []
    seen: set[tuple[int, int]] = set()
    for run in runs(text):
        key = (run.start, run.end)
        if key in seen:
            continue
        if _run_obscene(run):
            seen.add(key)
            spans.append(Span(run.start, run.end, "obscenity"))
            continue
        kinds = {insults.insult_kind(r) for r in run.readings if MASK not in r}
        if not kinds - {None} and "-" in run.raw.strip("-"):  # «бюрократы-тунеядцы»: its parts
            kinds = {insults.insult_kind(run.raw.lower().replace("ё", "е"))}
        if not kinds - {None} and run.end - run.start > len(run.raw):  # spaced-out letters
            kinds = {insults.insult_kind(p) for r in run.readings for p in _glued_words(r)}
        if not kinds - {None}:  # «д*билы»: the mask hides a letter of an insult, as of a rude word
            kinds = {_masked_insult(r) for r in run.readings if MASK in r}
        kind = "insult" if "insult" in kinds else "ambiguous" if "ambiguous" in kinds else None
        if kind is None:
            continue
        if low is None or words is None:
            low = text.lower().replace("ё", "е")
            words = clauses.read(text)
            ends = [w.end for w in words]
        first = bisect_right(ends, run.start)  # the first word ending after the run starts
        if first >= len(words) or words[first].start >= run.end:
            continue
        last = first
        while last + 1 < len(words) and words[last + 1].start < run.end:
            last += 1
        if first == last and insults.never_insult(words[first].lemma):
            continue
        if insults.aimed(words, first, last, kind, low):
            seen.add(key)
            spans.append(Span(run.start, run.end, "insult"))
    for start, end in _glued_obscenity(text):
        spans.append(Span(start, end, "obscenity"))
    if not spans:
        return None, ()
    spans.sort(key=lambda s: (s.start, -SEVERITY[s.reason]))
    reason = max((s.reason for s in spans), key=lambda r: SEVERITY[r])
    return reason, tuple(_dedupe(spans))


@lru_cache(maxsize=10_000)
def _masked_insult(reading: str) -> str | None:
    """The insult kind of a masked word whose every mask hides one letter («д*билы», «ид*оты»);
    None for formatting stars and words with no letters around the mask."""
    pieces = reading.split(MASK)
    if not 2 <= len(pieces) <= 3 or len(reading) > _MAX_MASKED or not re.fullmatch(r"[а-я*]+", reading) \
            or sum(map(len, pieces)) < 3:
        return None
    kinds = {insults.insult_kind(pieces[0] + "".join(c + p for c, p in zip(letters, pieces[1:], strict=True)))
             for letters in product("аеиоуыяюэ", repeat=len(pieces) - 1)}
    return "insult" if "insult" in kinds else "ambiguous" if "ambiguous" in kinds else None


@lru_cache(maxsize=10_000)
def _glued_words(reading: str) -> tuple[str, ...]:
    """Two dictionary words a spaced-out run was read as one («т у п ы е б а р ы г и» →
    «тупые», «барыги»); nothing when there is no such split."""
    for cut in range(3, len(reading) - 2):
        left, right = reading[:cut], reading[cut:]
        if morph.is_known(left) and morph.is_known(right) and len(right) > 2:
            return left, right
    return ()


# Mat broken by a symbol the word runs do not cross («п!здец», «3,14здец» for «пи…»), and
# «по хер» / «похер» («нахер» alone is a euphemism the curators leave be).
_BROKEN_RE = re.compile(r"(?<![а-яa-z])(?:(?:п[!|]|3[.,]14)зд[а-я]*|по\s?хер\b)")


def _glued_obscenity(text: str) -> list[tuple[int, int]]:
    low = text.lower()
    if "зд" not in low and "хер" not in low:
        return []
    return [(m.start(), m.end()) for m in _BROKEN_RE.finditer(low)]


def _dedupe(spans: list[Span]) -> list[Span]:
    """Drop spans lying inside an earlier span of the same or higher severity. The spans come
    sorted by start, so the earlier spans all start before; it is enough to know how far the
    kept ones reach at each severity (not to compare every pair: quadratic)."""
    out: list[Span] = []
    reach = dict.fromkeys(SEVERITY.values(), -1)  # severity → furthest end of a kept span at or above it
    for s in spans:
        severity = SEVERITY[s.reason]
        if reach[severity] >= s.end:
            continue
        out.append(s)
        for level in reach:
            if level <= severity:
                reach[level] = max(reach[level], s.end)
    return out
