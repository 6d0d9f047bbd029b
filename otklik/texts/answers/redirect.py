"""``redirect``: the answer sends the author to another authority or disowns the question.

Only the author being sent away counts: «мы направили ваш вопрос в …» (the administration
forwarded it itself), «обращайтесь к нам» and «звоните в администрацию» (the administration of
the settlement itself) are not redirects; nor is naming the service when the citizen asked where
to call or whom to address («Куда звонить, если пахнет газом?» — «звоните 104»).
"""

from __future__ import annotations

import re
from itertools import pairwise

from ._doc import Doc, Tok, all_tags, tag
from ._phrases import PhraseMatcher
from .findings import ERROR, Finding

CODE = "redirect"

# Phrases that disown the question whatever the verb form.
_DISOWN = PhraseMatcher([
    "не входит в компетенцию",
    "не входит в ~ компетенцию",
    "не относится к компетенции",
    "не относится к ~ компетенции",
    "не в нашей компетенции",
    "не в компетенции",
    "вне компетенции",
    "вне нашей компетенции",
    "не входит в полномочия",
    "не входит в ~ полномочия",
    "не относится к полномочиям",
    "не относится к ~ полномочиям",
    "не в наших полномочиях",
    "вне полномочий",
    "не относится к ведению",
    "следует адресовать",
    "необходимо адресовать",
    "нужно адресовать",
    "рекомендуем адресовать",
    "в судебном порядке",
    "не по адресу",
])

_SEND_VERBS = (r"(?:обратиться|обращаться|направить|направлять|подать|подавать|написать|писать|"
               r"адресовать|позвонить|звонить|пожаловаться|жаловаться|отправить|сходить)\b")
# An imperative, or an infinitive after a modal that tells the author to act.
# At most four such words: unbounded, «лучше лучше лучше …» was rescanned from each (quadratic).
_FILLER = r"(?:(?:вам|вас|вы|бы|также|самостоятельно|лично|самому|самой|самим|сразу|напрямую|лучше)\s+){0,4}"
_SEND_RE = re.compile(
    r"(?:\b(?:обратитесь|обращайтесь|направьте|направляйте|подайте|подавайте|напишите|пишите|"
    r"идите|сходите|позвоните|звоните|пожалуйтесь|жалуйтесь|отправьте|отправляйте)\b"
    r"|\b(?:необходимо|нужно|надо|следует|стоит|лучше|рекомендуем|рекомендуется|советуем|"
    r"предлагаем|просим|можете|могли\s+бы|вправе|должны)\s+" + _FILLER + _SEND_VERBS + r")",
    re.IGNORECASE,
)
# Where the author is sent: «в …», «к …», «туда», «им», «через Госуслуги», but not «к нам».
# This and the two below are matched right after the verb (``match(text, pos)``).
_TARGET_RE = re.compile(
    r"[\s,]*(?:(?:сразу|напрямую|лично|самостоятельно|туда|им)\s+)*"
    r"(?:(?:(?:с|со)\s+(?:[\w-]+\s+){0,2}?|по\s+(?:[\w-]+\s+){0,2}?)?"
    r"(?:заявлением|обращением|жалобой|вопросом|вопросу|запросом|поводу)\s+|"
    r"(?:ваше\s+|свое\s+|своё\s+|этот\s+|свой\s+|ваш\s+)?(?:(?:письменн\w+\s+)?(?:обращение|заявление|жалобу|запрос|документы|"
    r"сообщение|претензию|письмо|вопрос))\s+)?"
    r"(?:(?:в|во|к|на|через)\s+(?!нам\b|нас\b|мне\b)|по\s+адресу|туда\b|им\b|ему\b|ей\b|"
    r"напрямую\b)",
    re.IGNORECASE,
)
_OWN_RE = re.compile(r"[^.!?]{0,40}\b(?:нам|к\s+нам|у\s+нас|в\s+личн\w+\s+сообщени\w+|в\s+комментари\w+)\b",
                     re.IGNORECASE)
# The administration itself as the target: «звоните сразу в администрацию», «в приёмную главы»,
# «в администрацию поселения» — but not a district or regional one («администрацию района»).
# Its own channels too: an application through the МФЦ or Госуслуги reaches the administration
# (they are how its services are asked for), and the ЕДДС is the municipality's own dispatch.
_SELF_RE = re.compile(
    r"[\s,]*(?:(?:сразу|напрямую|лично|тоже|также|снова)\s+)*"
    # «написать заявление в администрации»: what is written, then where
    r"(?:(?:ваше\s+|свое\s+|своё\s+)?(?:заявлени\w+|обращени\w+|жалоб\w+|запрос\w*)\s+)?"
    r"(?:в|к|на|через)\s+(?:(?:нашу|нашей|наш|наше|нашего)\s+)?"
    r"(?:(?:администраци\w*|приёмн\w*|приемн\w*|кабинет\w*)\b"
    r"(?!\s+(?:\w+\s+)?(?:район\w*|кра[яею]\w*|област\w*|город\w*|муниципальн\w*))"
    r"|главе\b|дежурн\w+\s+(?:администраци\w*|поселени\w*)"
    r"|МФЦ\b|многофункциональн\w+\s+центр\w*|Госуслуг\w*|портал\w*\s+(?:госуслуг|государственн)\w*"
    r"|ЕДДС\b|един\w+\s+дежурн\w+)",
    re.IGNORECASE,
)
# «Это вопрос к полиции», «это не к нам», «администрация этим не занимается».
_DISOWN_RE = re.compile(
    r"\b(?:это\s+)?(?:вопрос|это)\s+(?:не\s+к\s+нам|к\s+(?!нам\b)[А-Яа-яЁё])"
    # «это вопрос полиции», «вопрос между соседкой и регоператором»
    r"|\bэто\s+вопрос\s+(?:между\b|полици|прокуратур|суд|управляющ|регионального|районн|МЧС|ГИБДД)"
    r"|[—-]\s+вопрос\s+(?:полици|прокуратур|суд\w*\b|управляющ|районн|МЧС|ГИБДД)"
    # «этот вопрос не к администрации поселения»
    r"|\bне\s+к\s+(?:администрации|поселению|главе)\b"
    # «в комментариях такие вопросы не решаются»: the question disowned by a negated passive
    r"|\bвопрос\w*\s+(?:[\w-]+\s+){0,2}?не\s+реша\w*ся\b"
    r"|\bадминистрация\s+(?:\w+\s+){0,3}?не\s+(?:занимается|контролирует|назначает|влияет|"
    r"отвечает|решает|выдаёт|выдает|распоряжается)\b"
    r"|\bа\s+не\s+администрация\b"
    # «мы автобусами не занимаемся», «это не наша зона», «не в нашем ведении»
    r"|\bмы[\s,]+(?:[\w-]+[\s,]+){0,3}?не\s+(?:занимаемся|отвечаем|распоряжаемся|обслуживаем)\b"
    r"|\bне\s+(?:в\s+)?наш(?:а|ей|е|его|ем)?\s+(?:зон[аеы]|ведени[еия]|дело|участок|"
    r"ответственност[ьи]|епархи[яи])\b"
    # «администрация здесь ничего сделать не может», «мы ничего не можем сделать»
    r"|\b(?:администрация|мы)\s+(?:[\w-]+\s+){0,3}?ничего\s+(?:сделать\s+не\s+(?:может|можем|сможет|сможем)|"
    r"не\s+(?:может|можем|сможет|сможем)\s+сделать)\b",
    re.IGNORECASE,
)
_MESSAGE = (
    "Ответ отсылает автора в другое ведомство или отказывается от вопроса: администрация сама "
    "передаёт вопрос исполнителю и сообщает автору результат."
)


# The citizen asks where to call or whom to address: naming the service is the answer.
_ASKS_WHERE_RE = re.compile(
    r"\b(?:куда|кому|к\s+кому|в\s+как\w+\s+(?:служб|организаци|орган)\w*)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:звонить|позвонить|обращаться|обратиться|писать|написать|жаловаться|пожаловаться|"
    r"сообщать|сообщить|идти|пойти|подавать|подать|бежать)\b"
    r"|\bкак\w*\s+(?:номер|телефон)\b|\bпо\s+какому\s+(?:номеру|телефону)\b"
    # «Как подать заявку?», «как записаться»: how to file is answered by where (not «как оформить
    # землю»: how to get a thing wants the way, and «обращайтесь в Росреестр» is no way)
    r"|\bкак\s+(?:мне\s+|нам\s+)?(?:(?:подать|оставить)\s+(?:заявк|заявлен)\w*|записаться|вызвать)\b",
    re.IGNORECASE,
)


# ---------------------------------------------------------------- by structure
# A redirect is an act of addressing (write, call, ask, settle, file…) that the answer hands to the
# author and points at a third party — a person or body in the dative, «в/к/с» + a body that is not
# the administration itself, «сами» — or the administration's own denial of competence: a negation
# in a sentence whose subject is the administration, with «полномочия», «отношение», «повлиять»,
# «ничем помочь», «ничего решать». Said by the grammar (mood, case, person), not by phrases.

_ADDRESS_LEMMAS = frozenset({
    "обратиться", "обращаться", "написать", "писать", "позвонить", "звонить", "адресовать", "задать", "задавать",
    "озвучить", "обсудить", "обсуждать", "решать", "решить", "искать", "подать", "подавать", "пожаловаться",
    "жаловаться", "спросить", "спрашивать", "выяснить", "выяснять", "требовать", "потребовать", "сходить",
    "нанять", "оставить", "отнести", "уточнить", "уточнять",
    # settling it with someone: «решайте с управляющей компанией», «свяжитесь с ГИБДД»
    "связаться", "связываться", "договориться", "договариваться", "согласовать", "согласовывать",
    "разобраться", "разбираться", "урегулировать",
})
# Verbs of settling a matter with someone: «с» + any body is the party (not only a person).
_WITH_PARTY = frozenset({"связаться", "связываться", "договориться", "договариваться", "решать", "решить", "обсудить",
                         "обсуждать", "согласовать", "согласовывать", "разобраться", "разбираться", "урегулировать",
                         # asking at someone's: «у неё и спрашивайте», «уточните в школе»
                         "спросить", "спрашивать", "узнать", "узнавать", "уточнить", "уточнять"})
# What one comes «с»: a paper, not a party («обратитесь с заявлением»).
_PAPERS = frozenset({"заявление", "обращение", "жалоба", "вопрос", "запрос", "документ", "выписка", "паспорт", "копия",
                     "фото", "фотография", "просьба", "предложение", "справка", "квитанция", "договор"})
_ADVICE = frozenset({"рекомендуем", "советуем", "предлагаем", "просим", "стоит", "лучше", "следует", "нужно",
                     "необходимо", "надо", "можете", "советую", "рекомендую"})
_THIRD_PERSON = frozenset({"ему", "ей", "им", "него", "неё", "нее", "них", "ним", "ней", "нему", "сами", "самостоятельно", "сама",
                           "сам", "туда"})
# The personal pronouns among them: they may stand for one of our own staff named before.
_PRONOUNS = _THIRD_PERSON - {"сами", "самостоятельно", "сама", "сам", "туда"}
_SELF_NOUNS = frozenset({"администрация", "приёмная", "приемная", "глава", "мы", "поселение", "специалист",
                         "кабинет",  # «в кабинет 4 администрации»: its own office
                         # its own channels (see _SELF_RE): an application through them reaches it
                         "мфц", "госуслуга", "еддс"})
_TIME_NOUNS = frozenset({
    "понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье", "январь", "февраль",
    "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь", "день",
    "неделя", "месяц", "год", "утро", "вечер", "время", "раз", "час", "минута", "срок", "течение", "случай",
    "телефон", "номер", "комментарий", "сообщение", "личка",
})
_SENTENCE_MARKS = frozenset(".!?;")


def _lemma(t: Tok) -> str:
    return t.lemma.replace("ё", "е") if t.lemma else t.lower


# How far back a pronoun's antecedent is looked for (tokens).
_ANTECEDENT_REACH = 40


def _antecedent_ours(doc: Doc, k: int) -> bool:
    """Whether the person a pronoun at token k stands for is one of the administration's: the
    nearest animate noun before it is named by a patronymic (staff, as in `_named_person`) or
    follows «наш»."""
    toks = doc.toks
    for j in range(k - 1, max(-1, k - _ANTECEDENT_REACH), -1):
        t = toks[j]
        if not t.is_word or t.pos != "NOUN":
            continue
        tags = all_tags(t.text)
        if not tags or "anim" not in tags[0]:
            continue
        if t.text[:1].isupper() and any("Patr" in tg for tg in tags):
            return True
        if "Name" in tags[0] or "Surn" in tags[0]:
            continue  # the name before a patronymic: look on to what precedes it
        return any(toks[m].is_word and toks[m].lower.startswith("наш") for m in range(max(0, j - 3), j))
    return False


def _named_person(doc: Doc, k: int, last: int) -> bool:
    """A person named by a patronymic at or right after token k («Павлу Игоревичу», «инструктору
    по спорту Павлу Игоревичу»): one of the staff, not another body."""
    for t in doc.toks[k:min(last, k + 6)]:
        if t.text in _SENTENCE_MARKS:
            return False
        if t.text[:1].isupper() and any("Patr" in tg for tg in all_tags(t.text)):
            return True
    return False


def _third_party(doc: Doc, first: int, last: int, *, with_party: bool = False) -> bool:
    """A third party among tokens [first, last): the author is sent to someone else. With
    ``with_party`` (a verb of settling), «с» + a body counts too, not only «с» + a person."""
    toks = doc.toks
    prep: str | None = None
    regional = False
    for k in range(first, last):
        t = toks[k]
        if not t.is_word:
            if t.text in _SENTENCE_MARKS:
                return False
            continue
        low = t.lower
        if low in ("нам", "нас", "мне") or low.startswith("наш"):
            return False  # «к нам», «с нашим отделом»: the administration itself
        if low in _THIRD_PERSON or (prep == "у" and low in ("неё", "нее", "него", "них")):
            # «Позвоните ей» after «наш специалист Елена Сергеевна»: the pronoun is one of ours
            return low not in _PRONOUNS or not _antecedent_ours(doc, k)
        if t.pos == "PREP":
            prep, regional = low, False
            continue
        if low.startswith(("район", "област", "краев", "город")):
            regional = True
        if prep in ("в", "во", "к", "через") and _body_abbreviation(t):
            # an abbreviation the dictionary lacks names a body («в ОМВД», «в МФЦ»): the party is
            # it, not the noun after it («подайте в МФЦ заявление»)
            return _lemma(t) not in _SELF_NOUNS
        if t.pos != "NOUN" or _lemma(t) in _TIME_NOUNS:
            continue
        tags = all_tags(t.text)
        top = tags[0] if tags else None
        if top is None:
            continue
        if prep is None and _body_abbreviation(t):
            return _lemma(t) not in _SELF_NOUNS  # «адресовать ООО «Зейское АТП»»: the body itself
        if prep is None:
            # «позвоните Павлу Игоревичу»: a person by name and patronymic is one of the staff
            if "datv" in top and _lemma(t) not in _SELF_NOUNS and not _named_person(doc, k, last):
                return True
            continue
        if prep in ("в", "во", "к", "через") or (prep in ("с", "со", "у") and (
                "anim" in top or (with_party and _lemma(t) not in _PAPERS))):
            if k + 1 < last and toks[k + 1].lower.startswith(("район", "област", "кра", "город")):
                regional = True
            return not (_lemma(t) in _SELF_NOUNS and not regional)
        prep = None  # «по телефону», «с выпиской»: not a party
    return False


_COURT = frozenset({"суд", "иск", "судебный"})
# Verbs that say whose duty a thing is: «этим занимается регоператор», «подвалы обслуживает УК».
_DUTY = frozenset({"заниматься", "обслуживать", "содержать", "распределять", "устанавливать",
                   "отвечать", "ведать", "распоряжаться", "контролировать", "утверждать"})
_FORWARD = frozenset({"передать", "направить", "отправить", "переслать", "передавать",
                      "направлять", "отправлять"})
_CONTACT_RE = re.compile(r"\d[\d ()-]*-\d\d\b|\bтелефон\w*|горяч\w+\s+лини\w+|\bсайт\w*",
                         re.IGNORECASE)
# «Кто отвечает за башню?»: naming the body that does it is the answer.
_ASKS_WHO_RE = re.compile(r"\bкто\s+(?:[\w-]+\s+){0,2}?(?:отвечает|должен|должна|должны|"
                          r"занимается|обслуживает|содержит|следит)\b", re.IGNORECASE)


def lows_any(toks: list[Tok], words: list[int], wanted: tuple[str, ...]) -> bool:
    return any(toks[k].lower in wanted for k in words)


def _imperative(t: Tok) -> bool:
    return any("impr" in tg and "excl" in tg for tg in all_tags(t.text))


def _by_ourselves(doc: Doc, words: list[int]) -> bool:
    """A verb in the first person plural: «мы подали в суд», «подадим иск» (not «рекомендуем»)."""
    return any(doc.toks[k].pos == "VERB" and doc.toks[k].lower not in _ADVICE
               and any("1per" in tg and "plur" in tg
                                                  for tg in all_tags(doc.toks[k].text))
               for k in words)


def _court(doc: Doc, sent_first: int, words: list[int]) -> bool:
    """The author is sent to court: a court in a sentence that tells the author to act or says how
    such disputes are settled («решаются через суд», «подайте иск»), not that we went to court."""
    toks = doc.toks
    if not {_lemma(toks[k]) for k in words} & _COURT or _by_ourselves(doc, words):
        return False
    for k in words:
        t = toks[k]
        if _imperative(t):
            return True
        if t.pos == "INFN" and any(toks[j].lower in _ADVICE for j in range(max(sent_first, k - 4), k)):
            return True
        if t.pos == "VERB" and t.lower.endswith(("ся", "сь")) and "pres" in all_tags(t.text)[0]:
            return True  # «споры решаются через суд»
    return False


def _duty_elsewhere(doc: Doc, words: list[int]) -> bool:
    """«Этим занимается региональный оператор»: a body other than the administration is the subject
    of a verb of duty (not in a «который» clause)."""
    toks = doc.toks
    lows = {toks[k].lower for k in words}
    if "который" in {_lemma(toks[k]) for k in words} or lows & {"мы", "администрация", "поселение"} \
            or any(low.startswith("наш") for low in lows):
        return False  # «обслуживает наш электрик»: the administration's own people
    duty = any(_lemma(toks[k]) in _DUTY and toks[k].pos == "VERB"
               and "3per" in all_tags(toks[k].text)[0] and "не" not in
               {toks[j].lower for j in words if j < k}
               for k in words)
    if not duty:
        return False
    # A body does it («занимается ОМВД», «отвечает управляющая компания»), or a person the
    # matter is handed to («этим занимается участковый»); a person merely at work elsewhere
    # («фельдшер обслуживает ещё два села») hands nothing on.
    # the matter named: «этим», «такими вопросами», «площадками занимается …», «отвечает за …»
    matter = bool(lows & {"этим", "это", "этого", "такими", "таким", "этими", "вопросами", "вопрос", "за"}) or any(
        toks[k].pos == "NOUN" and "ablt" in all_tags(toks[k].text)[0] for k in words)
    return any(((toks[k].pos == "NOUN" and _nominative(toks[k].text)
                 and (matter or not any("anim" in tg for tg in all_tags(toks[k].text)[:1])))
                or _body_abbreviation(toks[k]))  # «занимается ОМВД» (an abbreviation the dictionary lacks)
               and _lemma(toks[k]) not in _SELF_NOUNS and _lemma(toks[k]) not in _TIME_NOUNS
               for k in words)


def _nominative(word: str) -> bool:
    """The word's likeliest reading is nominative — for an indeclinable one («ГИБДД», «МЧС»),
    any of its readings."""
    tags = all_tags(word)
    return "nomn" in tags[0] or ("Fixd" in tags[0] and any("nomn" in tg for tg in tags))


def _body_abbreviation(t: Tok) -> bool:
    """An abbreviation the dictionary lacks, in capitals: a body («ГИБДД», «ОМВД», «МФЦ»)."""
    return t.pos is None and len(t.text) > 1 and t.text.isupper()


_LET_VERBS = _DUTY | _WITH_PARTY | _ADDRESS_LEMMAS | frozenset({"заняться", "позаботиться", "заботиться"})


def _let_someone_else(doc: Doc, words: list[int]) -> bool:
    """«Пусть этим займётся ваше ТСЖ»: «пусть» hands the matter to a third-person doer who is not
    the administration (a noun in the nominative, or a body's abbreviation)."""
    toks = doc.toks
    at = next(k for k in words if toks[k].lower == "пусть")
    after = [k for k in words if at < k <= at + 6]
    # a verb of dealing with the matter («займётся», «разбирается», «решает»), not «пусть вас не беспокоит»
    verb = any(toks[k].pos == "VERB" and "3per" in all_tags(toks[k].text)[0]
               and _lemma(toks[k]) in _LET_VERBS for k in after)
    if not verb or any(toks[k].lower == "не" for k in after):
        return False
    if _third_party(doc, at + 1, min(words[-1] + 1, at + 7)):
        return True  # «пусть пишет им претензию»
    return any((toks[k].pos == "NOUN" and "nomn" in all_tags(toks[k].text)[0]
                and _lemma(toks[k]) not in _SELF_NOUNS and _lemma(toks[k]) not in _TIME_NOUNS)
               or (len(toks[k].text) >= 2 and toks[k].text.isupper() and toks[k].text.isalpha())
               for k in after)


# What the administration says it has no part in: «администрация этим автобусом не управляет»,
# «в такие споры не вмешивается», «в этом не участвует», «не вправе указывать».
_NO_PART = frozenset({"управлять", "вмешиваться", "вмешаться", "участвовать", "распоряжаться",
                      "регулировать", "устанавливать", "определять", "контролировать", "обслуживать"})


def _disclaims(doc: Doc, words: list[int]) -> bool:
    """The administration, the subject of the sentence, says the matter is not its part: «не» +
    a verb of having a part in it, «не вправе», or «…, а не администрации»."""
    toks = doc.toks
    if not any(toks[k].lower == "администрация" for k in words):
        return any(toks[a].lower == "а" and toks[b].lower == "не" and toks[c].lower in ("администрации", "наш", "наша")
                   for a, b, c in zip(words, words[1:], words[2:], strict=False))
    for a, b in pairwise(words):
        if toks[a].lower != "не":
            continue
        if toks[b].lower == "вправе" or (_lemma(toks[b]) in _NO_PART and toks[b].pos == "VERB"
                                         and "3per" in str(tag(toks[b].text))):
            return True
    return False


def _tells_to_act(doc: Doc) -> bool:
    """The answer tells the author to do something: an imperative («вызывайте», «сравните»), or
    advice with an infinitive («вам следует найти», «просим адресовать»)."""
    toks = doc.toks
    for k in doc.word_idx:
        t = toks[k]
        if k > 0 and toks[k - 1].lower == "не":
            continue
        if any("impr" in tg and "excl" in tg for tg in all_tags(t.text)) and t.pos == "VERB":
            return True
        if t.pos == "INFN" and any(toks[j].lower in _ADVICE for j in range(max(0, k - 4), k)):
            return True
    return False


def _structural(doc: Doc, question: str = "") -> list[tuple[int, int]]:
    toks = doc.toks
    spans: list[tuple[int, int]] = []
    forwarded = any(t.is_word and _lemma(t) in _FORWARD and t.pos == "VERB"
                    and any("1per" in tg or ("past" in tg and "plur" in tg)
                            for tg in all_tags(t.text)) for t in toks)
    contact = bool(_CONTACT_RE.search(doc.text))
    asks_who = bool(_ASKS_WHO_RE.search(question))
    for sent in doc.sents:
        words = [k for k in range(sent.first, sent.last) if toks[k].is_word]
        if not words:
            continue
        lows = {toks[k].lower for k in words}
        if "пусть" in lows and _let_someone_else(doc, words):
            spans.append((sent.start, sent.end))
            continue
        if _disclaims(doc, words) and _tells_to_act(doc):
            # not its part, and the author is told to act himself (elsewhere, or on his own)
            spans.append((sent.start, sent.end))
            continue
        if toks[words[0]].lower in ("если", "чтобы"):
            continue  # «Если увидите дым, звоните 112», «Чтобы выбрать дату, позвоните…»: how, not where
        if _court(doc, sent.first, words):
            spans.append((sent.start, sent.end))
            continue
        if contact and not forwarded and not asks_who and _duty_elsewhere(doc, words):
            # the duty is someone else's and their number is given instead of an answer
            spans.append((sent.start, sent.end))
            continue
        selfish = None if not lows_any(toks, words, ("сами", "самостоятельно")) else next((
            k for k in words if _imperative(toks[k]) and any(
            toks[j].lower in ("сами", "самостоятельно")
            for j in words if k < j <= k + 6)), None)
        if selfish is not None:  # «везите туда сами», «разбирайтесь с владельцем сами»
            spans.append((toks[selfish].start, toks[selfish].end))
            continue
        # The administration disowns the question.
        self_subject = bool(lows & {"администрация", "мы", "поселение"}) or "у нас" in sent.text.lower()
        negated = bool(lows & {"не", "нет", "ничем", "ничего"})
        competence = {_lemma(toks[k]) for k in words} & {"полномочие", "отношение", "повлиять", "компетенция",
                                                          "бессильный"}
        if self_subject and negated and (competence or {"ничем", "помочь"} <= lows or {"ничего", "решаем"} <= lows
                                          or ({"не", "занимается"} <= lows and "администрация" not in lows)):
            spans.append((sent.start, sent.end))
            continue
        for k in words:
            t = toks[k]
            tags = all_tags(t.text)
            top = tags[0] if tags else None
            if top is None:
                continue
            # An imperative (any of its parses: «звоните» is indicative first) or an infinitive after advice.
            if k > sent.first and toks[k - 1].lower == "не":
                continue  # «не звоните в двери»: what not to do sends no one anywhere
            addressed = _lemma(t) in _ADDRESS_LEMMAS and (
                any("impr" in tg and "excl" in tg for tg in tags)  # not «напишем» (incl: we will)
                or (t.pos == "INFN" and any(toks[j].lower in _ADVICE for j in range(max(sent.first, k - 4), k))))
            # the target before the verb: «туда и обращайтесь», «у неё и спрашивайте»
            before = [toks[j].lower for j in range(max(sent.first, k - 4), k)]
            target_before = bool(set(before) & {"туда", "им", "ему", "ей"}) or any(
                a == "у" and b in ("неё", "нее", "него", "них") for a, b in pairwise(before))
            if addressed and (_third_party(doc, k + 1, min(sent.last, k + 7), with_party=_lemma(t) in _WITH_PARTY)
                              or target_before):
                spans.append((t.start, t.end))
                break
        else:
            # «Все вопросы — к ним», «Ваш вопрос туда», «лучше сразу в районную администрацию».
            for k in words:
                t = toks[k]
                if t.lower == "к" and k > sent.first and toks[k - 1].text in ("—", "–", "-") \
                        and _third_party(doc, k + 1, min(sent.last, k + 3)):
                    spans.append((toks[k - 1].start, t.end))
                    break
                if t.lower == "туда" and k > sent.first and toks[k - 1].lower == "вопрос" and not forwarded:
                    spans.append((toks[k - 1].start, t.end))
                    break
                if t.lower == "лучше" and k + 2 < sent.last and toks[k + 1].lower in ("сразу", "в", "к") \
                        and _third_party(doc, k + 1, min(sent.last, k + 5)):
                    spans.append((t.start, t.end))
                    break
    return spans


def _token_at(doc: Doc, pos: int) -> int | None:
    """The first word token at or after text position ``pos``."""
    return next((k for k in doc.word_idx if doc.toks[k].start >= pos), None)


def _in_emergency_instruction(doc: Doc, pos: int) -> bool:
    """«Если собака нападёт, звоните 112»: what to do if it happens is not sending the author away."""
    for sent in doc.sents:
        if sent.start <= pos < sent.end:
            return sent.text.lstrip().lower().startswith("если")
    return False


def check(doc: Doc, *, question: str = "") -> list[Finding]:
    text = doc.text
    found: list[Finding] = []
    asks_where = bool(_ASKS_WHERE_RE.search(question))
    for m in _SEND_RE.finditer(text):
        if asks_where:
            break
        if _in_emergency_instruction(doc, m.start()) or text[m.end():m.end() + 3].lstrip().startswith(","):
            continue  # «Напишите, на какой день…»: what to write, not where
        if re.search(r"(?:^|\W)не\s+$", text[max(0, m.start() - 4):m.start()], re.IGNORECASE):
            continue  # «не звоните в двери»: what not to do sends no one anywhere
        # Matched at the position, not on a copy of the rest of the text for every match.
        after = m.end()
        if _OWN_RE.match(text, after) or _SELF_RE.match(text, after) or not _TARGET_RE.match(text, after):
            continue
        target = _token_at(doc, after)
        if target is not None and target < len(doc.toks) and doc.toks[target].lower in _PRONOUNS \
                and _antecedent_ours(doc, target):
            continue  # «Позвоните ей» after «наш специалист Елена Сергеевна»
        if target is not None and target < len(doc.toks) and doc.toks[target].lemma in _CONTACT_ITEMS:
            continue  # «оставьте телефон соседям»: the author's number left, not the matter sent
        if target is not None and target < len(doc.toks) and _named_ours_before(doc, target):
            continue  # «Комиссия поселения будет обходить … Заявление можно написать комиссии»
        found.append(Finding(CODE, ERROR, m.start(), m.end(), _MESSAGE, None))
    disowned = False
    for m in _DISOWN_RE.finditer(text):
        found.append(Finding(CODE, ERROR, m.start(), m.end(), _MESSAGE, None))
        disowned = True
    for pm in _DISOWN.find(doc):
        start, end = doc.toks[pm.first].start, doc.toks[pm.last - 1].end
        found.append(Finding(CODE, ERROR, start, end, _MESSAGE, None))
        disowned = True
    if not asks_where and not found:
        found += [Finding(CODE, ERROR, a, b, _MESSAGE, None) for a, b in _structural(doc, question)
                  if not _contact_left(doc, a)]
    if disowned:
        # «…администрация на неё не влияет. Но вы можете её оспорить: мы поможем составить
        # заявление»: the matter is not ours, and yet we act on it in the same or the next sentence.
        return [f for f in found if not _we_act_near(doc, f.start, before=0, after=1)]
    # «…передадим её полиции; напишите заявление в полиции, а мы подготовим фрагмент»: the way
    # is shared when the administration acts in the same sentence or the one just before it — or
    # in the one just after, when the sentence only shows the way («подайте оператору заявление.
    # Мы договорились с оператором …»), not names another body's duty («этим занимается ГИБДД,
    # пишите туда. Разметку нанесём в мае» stays a redirect).
    return [f for f in found if not _we_act_near(doc, f.start)
            and not (_we_act_near(doc, f.start, before=0, after=1) and not _duty_said(doc, f.start))]


def _duty_said(doc: Doc, pos: int) -> bool:
    """Whether the sentence at ``pos`` names another body's duty (see _duty_elsewhere)."""
    k = _token_at(doc, pos)
    if k is None or k >= len(doc.toks):
        return False
    sent = doc.sent_of(k)
    return _duty_elsewhere(doc, [j for j in range(sent.first, sent.last) if doc.toks[j].is_word])


# Verbs of the administration's own part that are no action on the matter: courtesy, advice.
_NOT_OUR_DEED = frozenset({"благодарить", "рассмотреть", "сообщить", "сообщать", "напомнить", "напоминать",
                           "просить", "рекомендовать", "советовать", "пригласить", "приглашать", "ждать",
                           "понимать", "понять", "извиниться", "извинять", "знать", "предлагать",
                           "доводить", "довести", "прикладывать", "прилагать", "приложить", "информировать"})


_CONTACT_ITEMS = frozenset({"телефон", "номер", "контакт", "адрес"})


def _contact_left(doc: Doc, pos: int) -> bool:
    """«оставьте телефон соседям»: the verb at ``pos`` leaves the author's contact with someone,
    it does not send the matter there."""
    k = _token_at(doc, pos)
    return k is not None and any(t.is_word and t.lemma in _CONTACT_ITEMS for t in doc.toks[k + 1:k + 3])


def _named_ours_before(doc: Doc, k: int) -> bool:
    """Whether the body at token k was named earlier in the answer as the administration's own:
    «наша комиссия», «комиссия поселения», «специалист администрации»."""
    toks = doc.toks
    k = next((j for j in range(k, min(len(toks), k + 3)) if toks[j].is_word and toks[j].pos == "NOUN"), -1)
    if k < 0:
        return False  # the body named after a word or two («написать прямо комиссии»)
    lemma = toks[k].lemma
    for j in range(k):
        if toks[j].lemma != lemma:
            continue
        before = toks[j - 1].lemma if j > 0 else ""
        after = toks[j + 1].lemma if j + 1 < len(toks) else ""
        if before == "наш" or after in ("поселение", "администрация"):
            return True
    return False


def _we_act_near(doc: Doc, pos: int, *, before: int = 1, after: int = 0) -> bool:
    """Whether the administration acts in the sentence of ``pos`` or in the ``before`` sentences
    before it or the ``after`` sentences after it."""
    k = _token_at(doc, pos)
    if k is None or k >= len(doc.toks):
        return False
    n = doc.sents.index(doc.sent_of(k))
    return _we_act(doc, doc.sents[max(0, n - before)].first, doc.sents[min(len(doc.sents) - 1, n + after)].last)


def _we_act(doc: Doc, first: int, last: int) -> bool:
    """Whether tokens [first, last) say the administration does something on the matter itself:
    a verb in the first person plural, not negated («передадим», «подготовим», «мы можем
    помочь»)."""
    toks = doc.toks
    for k in range(first, last):
        t = toks[k]
        if not t.is_word or t.pos != "VERB" or t.lemma in _NOT_OUR_DEED:
            continue
        grams = tag(t.text)
        if grams.person != "1per" or grams.number != "plur" or grams.mood != "indc":
            continue
        if any(toks[j].lower == "не" for j in range(max(0, k - 2), min(last, k + 2))):
            continue  # «не передадим», «ставим не мы»
        if t.lemma in ("мочь", "смочь") and not (k + 1 < len(toks) and toks[k + 1].pos == "INFN"
                                                 and toks[k + 1].lemma not in _NOT_OUR_DEED):
            continue
        return True
    return False
