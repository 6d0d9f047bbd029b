"""``redirect``: the answer sends the author to another authority or disowns the question.

Only the author being sent away counts: «мы направили ваш вопрос в …» (the administration
forwarded it itself), «обращайтесь к нам» and «звоните в администрацию» (the administration of
the settlement itself) are not redirects; nor is naming the service when the citizen asked where
to call or whom to address («Куда звонить, если пахнет газом?» — «звоните 104»).
"""

from __future__ import annotations

import re

from ._doc import Doc
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
])

_SEND_VERBS = (r"(?:обратиться|обращаться|направить|направлять|подать|подавать|написать|писать|"
               r"адресовать|позвонить|звонить|пожаловаться|жаловаться|отправить|сходить)\b")
# An imperative, or an infinitive after a modal that tells the author to act.
# At most four such words: unbounded, «лучше лучше лучше …» was rescanned from each (quadratic).
_FILLER = r"(?:(?:вам|вы|бы|также|самостоятельно|лично|самому|самой|самим|сразу|напрямую|лучше)\s+){0,4}"
_SEND_RE = re.compile(
    r"(?:\b(?:обратитесь|обращайтесь|направьте|направляйте|подайте|подавайте|напишите|пишите|"
    r"идите|сходите|позвоните|звоните|пожалуйтесь|жалуйтесь|отправьте|отправляйте)\b"
    r"|\b(?:необходимо|нужно|надо|следует|стоит|лучше|рекомендуем|рекомендуется|советуем|"
    r"предлагаем|можете|могли\s+бы|вправе|должны)\s+" + _FILLER + _SEND_VERBS + r")",
    re.IGNORECASE,
)
# Where the author is sent: «в …», «к …», «туда», «им», «через Госуслуги», but not «к нам».
# This and the two below are matched right after the verb (``match(text, pos)``).
_TARGET_RE = re.compile(
    r"[\s,]*(?:(?:сразу|напрямую|лично|самостоятельно|туда|им)\s+)*"
    r"(?:(?:(?:с|со)\s+(?:[\w-]+\s+){0,2}?|по\s+(?:[\w-]+\s+){0,2}?)?"
    r"(?:заявлением|обращением|жалобой|вопросом|вопросу|запросом|поводу)\s+|"
    r"(?:ваше\s+|свое\s+|своё\s+)?(?:обращение|заявление|жалобу|запрос|документы)\s+)?"
    r"(?:(?:в|во|к|на|через)\s+(?!нам\b|нас\b|мне\b)|по\s+адресу|туда\b|им\b|ему\b|ей\b|"
    r"напрямую\b)",
    re.IGNORECASE,
)
_OWN_RE = re.compile(r"[^.!?]{0,40}\b(?:нам|к\s+нам|в\s+личн\w+\s+сообщени\w+|в\s+комментари\w+)\b",
                     re.IGNORECASE)
# The administration itself as the target: «звоните сразу в администрацию», «в приёмную главы»,
# «в администрацию поселения» — but not a district or regional one («администрацию района»).
_SELF_RE = re.compile(
    r"[\s,]*(?:(?:сразу|напрямую|лично|тоже|также|снова)\s+)*"
    r"(?:в|к|на)\s+(?:(?:нашу|нашей|наш)\s+)?(?:(?:администраци\w*|приёмн\w*|приемн\w*)\b"
    r"(?!\s+(?:\w+\s+)?(?:район\w*|кра[яею]\w*|област\w*|город\w*|муниципальн\w*))"
    r"|главе\b|дежурн\w+\s+(?:администраци\w*|поселени\w*))",
    re.IGNORECASE,
)
# «Это вопрос к полиции», «это не к нам», «администрация этим не занимается».
_DISOWN_RE = re.compile(
    r"\b(?:это\s+)?(?:вопрос|это)\s+(?:не\s+к\s+нам|к\s+(?!нам\b)[А-Яа-яЁё])"
    r"|\bадминистрация\s+(?:\w+\s+){0,3}?не\s+(?:занимается|контролирует|назначает|влияет|"
    r"отвечает|решает|выдаёт|выдает|распоряжается)\b"
    r"|\bа\s+не\s+администрация\b"
    # «мы автобусами не занимаемся», «это не наша зона», «не в нашем ведении»
    r"|\bмы[\s,]+(?:[\w-]+[\s,]+){0,3}?не\s+(?:занимаемся|отвечаем|распоряжаемся|обслуживаем)\b"
    r"|\bне\s+(?:в\s+)?наш(?:а|ей|е|его|ем)?\s+(?:зон[аеы]|ведени[еия]|дело|участок|"
    r"ответственност[ьи]|епархи[яи])\b",
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
    r"|\bкак\w*\s+(?:номер|телефон)\b|\bпо\s+какому\s+(?:номеру|телефону)\b",
    re.IGNORECASE,
)


def check(doc: Doc, *, question: str = "") -> list[Finding]:
    text = doc.text
    found: list[Finding] = []
    asks_where = bool(_ASKS_WHERE_RE.search(question))
    for m in _SEND_RE.finditer(text):
        if asks_where:
            break
        # Matched at the position, not on a copy of the rest of the text for every match.
        after = m.end()
        if _OWN_RE.match(text, after) or _SELF_RE.match(text, after) or not _TARGET_RE.match(text, after):
            continue
        found.append(Finding(CODE, ERROR, m.start(), m.end(), _MESSAGE, None))
    for m in _DISOWN_RE.finditer(text):
        found.append(Finding(CODE, ERROR, m.start(), m.end(), _MESSAGE, None))
    for pm in _DISOWN.find(doc):
        start, end = doc.toks[pm.first].start, doc.toks[pm.last - 1].end
        found.append(Finding(CODE, ERROR, start, end, _MESSAGE, None))
    return found
