"""Moderation of comments under the administration's posts (Прил. 1 п. 8, Прил. 2 п. 2.3).

    screen_comment(text) -> CommentScreen

A comment is to be deleted when it holds obscenity, insults, threats, spam or breaks the law
(calls to unrest, extremism, someone else's personal data); a comment that asks the
administration something or complains about its work or a local problem becomes a publication
for the workflow. ``CommentScreen.findings`` lists what to delete and why, each with the span of
the caller's text it is about; ``asks``, ``complains`` and ``needs_answer`` say whether it goes on.

The п. 21 detectors (``no_answer``: obscenity, insults, threats, also disguised) and the spam
detector (``spam``) are the same as for messages; the law check is ``screening.law``; questions
and requests are read with the answer checks' question-intent logic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from otklik.texts import morph, normalise_input
from otklik.texts.answers import question_intent
from otklik.texts.answers._doc import Doc
from otklik.texts.screening import importance, law, no_answer, spam, topics
from otklik.texts.screening.result import Span

CODES = ("obscenity", "insult", "threat", "spam", "law")
HIGH = "high"
MEDIUM = "medium"
SEVERITY: dict[str, str] = {
    "obscenity": HIGH, "threat": HIGH, "law": HIGH, "insult": MEDIUM, "spam": MEDIUM,
}
_WHAT: dict[str, str] = {
    "obscenity": "нецензурное выражение",
    "insult": "оскорбление",
    "threat": "угроза",
    "spam": "спам, реклама",
}
# Findings after which a comment gets no answer: п. 21 and spam, and calls to unrest or
# extremism. Someone else's personal data is deleted, but the question beside it still counts.
_NO_ANSWER_KINDS = frozenset({"obscenity", "insult", "threat", "spam", law.UNREST, law.EXTREMISM})
# The quoted piece of the comment in a reason is cut to this many characters.
_QUOTE = 40


@dataclass(frozen=True, slots=True)
class CommentFinding:
    """One reason to delete the comment: ``text[start:end]`` shows it."""

    code: str  # obscenity | insult | threat | spam | law
    kind: str  # for law: unrest | extremism | personal_data; otherwise the code
    start: int
    end: int
    reason: str  # in Russian, for the moderator
    severity: str  # high | medium

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "kind": self.kind, "start": self.start, "end": self.end,
                "reason": self.reason, "severity": self.severity}


@dataclass(frozen=True, slots=True)
class CommentScreen:
    findings: list[CommentFinding] = field(default_factory=list)
    asks: bool = False  # a question or request to the administration
    complains: bool = False  # about the administration's work or a local problem
    needs_answer: bool = False  # asks or complains, and not spam, abuse or a call to unrest

    @property
    def delete(self) -> bool:
        """Whether the comment is to be deleted or hidden (Прил. 1 п. 8)."""
        return bool(self.findings)

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(f.code for f in self.findings)

    def as_dict(self) -> dict[str, object]:
        return {"findings": [f.as_dict() for f in self.findings], "asks": self.asks,
                "complains": self.complains, "needs_answer": self.needs_answer}


def screen_comment(text: str) -> CommentScreen:
    """Screen one comment. Any ``str`` is accepted: it is normalised first
    (``otklik.texts.normalise_input``) and every span is mapped back, so ``text[f.start:f.end]``
    is what finding ``f`` is about. Never raises."""
    if not isinstance(text, str):
        return CommentScreen()
    norm = normalise_input.normalise(text)
    body = norm.text
    found = _findings(body)
    mapped = []
    for f in found:
        start, end = norm.span(f.start, f.end)
        mapped.append(CommentFinding(f.code, f.kind, start, end, f.reason, f.severity))
    mapped.sort(key=lambda f: (f.start, f.end, f.code))
    is_spam = any(f.code == "spam" for f in found)
    # A call to a crowd («давайте перекроем трассу») is an imperative, but asks nothing of the
    # administration.
    call = any(f.kind in (law.UNREST, law.EXTREMISM) for f in found)
    abuse = [f for f in found if f.code in ("obscenity", "insult", "threat")]
    asks = not is_spam and not call and _asks(body, abuse)
    complains = not is_spam and _complains(body)
    blocked = any(f.kind in _NO_ANSWER_KINDS for f in found)
    return CommentScreen(mapped, asks, complains, (asks or complains) and not blocked)


def _quote(text: str, start: int, end: int) -> str:
    piece = " ".join(text[start:end].split())
    return piece if len(piece) <= _QUOTE else piece[: _QUOTE - 1] + "…"


def _findings(text: str) -> list[CommentFinding]:
    out: list[CommentFinding] = []
    _reason, spans = no_answer.check(text)
    for s in spans:
        out.append(CommentFinding(s.reason, s.reason, s.start, s.end,
                                  f"{_WHAT[s.reason]}: «{_quote(text, s.start, s.end)}»",
                                  SEVERITY[s.reason]))
    is_spam, spam_spans = spam.check(text)
    for s in _merged(spam_spans):
        out.append(CommentFinding("spam", "spam", s.start, s.end,
                                  f"{_WHAT['spam']}: «{_quote(text, s.start, s.end)}»", MEDIUM))
    for h in law.check(text, spam=is_spam):
        out.append(CommentFinding("law", h.kind, h.start, h.end,
                                  f"{h.reason}: «{_quote(text, h.start, h.end)}»", HIGH))
    return out


def _merged(spans: tuple[Span, ...]) -> list[Span]:
    """Overlapping spam signs as one stretch («Заработок», «Заработок от 5000 в день»)."""
    out: list[Span] = []
    for s in sorted(spans, key=lambda s: (s.start, s.end)):
        if out and s.start < out[-1].end:
            last = out[-1]
            out[-1] = Span(last.start, max(last.end, s.end), last.reason)
        else:
            out.append(s)
    return out


# --------------------------------------------------------------------------- asks, complains

# Questions that do not ask the administration anything: tag questions, rhetorical ones.
_TAG_QUESTION_RE = re.compile(
    r"(?:\b(?:правда|да|не\s+так\s+ли|верно|согласны|согласен|ага|а\s+вы\s+как\s+думали|"
    r"кто\s+со\s+мной|кто\s+за|как\s+вам|а\s+что|ну\s+что)\s*\?+|\bсколько\s+можно\b)",
    re.IGNORECASE,
)
# Questions without a question mark: «Подскажите, куда…», «будет ли…», «планируется ли…».
_ASK_WORDS_RE = re.compile(
    r"\b(?:подскажите|скажите|объясните|разъясните|ответьте|уточните|проинформируйте|"
    r"сообщите|будет\s+ли|будут\s+ли|планируется\s+ли|можно\s+ли|нужно\s+ли|надо\s+ли|"
    r"когда\s+(?:же\s+)?(?:уже\s+|наконец\s+)?(?:[а-яё]+\s+)?(?:будет|будут|начнут|сделают|уберут|починят|отремонтируют|вывезут|включат|дадут|"
    r"откроют|закончат|заменят|поставят|покосят|приедут)|куда\s+(?:обращаться|обратиться|"
    r"жаловаться|звонить|идти)|к\s+кому\s+обратиться|как\s+(?:получить|оформить|записаться|"
    r"попасть|узнать))\b",
    re.IGNORECASE,
)
_THANKS_ONLY_RE = re.compile(r"\b(?:спасибо|благодар\w+|молодц\w+|так\s+держать|браво|ура)\b", re.IGNORECASE)
_QUESTION_INTENTS = frozenset({question_intent.WHEN, question_intent.WHY, question_intent.PRICE,
                               question_intent.DOCUMENTS})
_MAX_DOC = 5_000  # a longer comment is read by its first characters for the intent


def _asks(text: str, abuse: list[CommentFinding]) -> bool:
    """A question or a request to the administration. Sentences holding abuse count only with a
    plain question word («бл@ть, когда дадут свет?»): «Вы идиоты?» asks nothing."""
    if abuse:
        text = _without_abuse(text, abuse)
    if not re.search(r"[А-Яа-яЁё]", text):
        return False
    # Sentences ending in «?» (a pattern «[^.!?]*\?» would rescan from every position: quadratic).
    questions = [m.group(1) for m in _SENTENCE_RE.finditer(text)
                 if "?" in m.group(2) and re.search(r"[А-Яа-яЁё]{2}", m.group(1))]
    real = [q for q in questions if not _TAG_QUESTION_RE.search(q + "?")]
    if real or _ASK_WORDS_RE.search(text):
        return True
    doc = Doc(text[:_MAX_DOC])
    if question_intent.intents(doc) & _QUESTION_INTENTS and questions:
        return True
    if _THANKS_ONLY_RE.search(text) or _CROWD_RE.search(text):
        return False
    # A request to do something («уберите мусор», «просим заменить фонарь», «спилите»).
    return bool(question_intent._REQUEST_RE.search(text)) or _imperative(doc)


# A request to fellow residents, not to the administration: «люди, …», «земляки, …».
_CROWD_RE = re.compile(r"\b(?:люди|народ|земляки|соседи|жители|граждане|станичники)\s*[,!]", re.IGNORECASE)


# Imperatives that invite readers rather than ask the administration («звоните», «приходите»).
_INVITATIONS = frozenset({"звонить", "позвонить", "писать", "обращаться", "приходить", "прийти",
                          "читать", "смотреть", "подписаться", "подписываться", "голосовать",
                          "проголосовать", "присоединяться", "делиться", "поделиться",
                          "оглядываться", "ходить", "идти", "пойти", "знать", "помнить",
                          "давать", "давай"})


def _imperative(doc: Doc) -> bool:
    """«спилите», «перезвоните»: pymorphy3 reads them first as future tense, so every parse
    of a polite plural form is looked at."""
    for tok in doc.toks:
        if not tok.is_word:
            continue
        if tok.lemma in question_intent._QUESTION_OPENERS or tok.lemma in _INVITATIONS:
            continue
        tags = morph.tags(tok.lower)
        if tags and ("impr" in tags[0] or (
            tok.lower.endswith(("ите", "йте", "ьте")) and any("impr" in t for t in tags[:4])
        )):
            return True
    return False


def _without_abuse(text: str, abuse: list[CommentFinding]) -> str:
    """The text with the sentences that hold abuse blanked (offsets kept), unless such a
    sentence asks with a plain question word."""
    chars = list(text)
    for m in _SENTENCE_RE.finditer(text):
        if any(m.start() <= f.start < m.end() for f in abuse) and not (
            _ASK_WORDS_RE.search(m.group(0))
            or ("?" in m.group(0) and _PLAIN_ASK_RE.search(m.group(0)))
        ):
            chars[m.start() : m.end()] = " " * (m.end() - m.start())
    return "".join(chars)


_SENTENCE_RE = re.compile(r"([^.!?\n]+)([.!?\n]*)")
_PLAIN_ASK_RE = re.compile(r"\b(?:когда|почему|где|зачем|сколько|куда|как)\b", re.IGNORECASE)


# Signs of a problem: something is missing, broken, late, dirty or dangerous, or the
# administration does nothing.
_PROBLEM_RE = re.compile(
    r"(?:,\s*а\s+не\b|\bкогда\s+(?:же\s+)?(?:уже|наконец)\b)|"
    r"\b(?:нет|не\s+(?:работает|дадут|дают|дали|отвечает|работают|горит|горят|вывозят|вывезли|убирают|убрали|сделали|делают|"
    r"отремонтировали|ремонтируют|починили|чинят|приехал|приехали|отвечают|ответили|"
    r"реагируют|ходит|ходят|ездит|пришел|пришёл|дождешься|дождёшься|дозвониться|проехать|"
    r"пройти|было)|никто|никак|ничего\s+не|до\s+сих\s+пор|опять|снова|уже\s+\d+|"
    r"который\s+(?:день|месяц|год)|сколько\s+можно|яма|разбит\w*|сломан\w*|"
    r"переполнен\w*|прорвал\w*|теч[её]т|затопил\w*|грязь|вонь|воняет|завалил\w*|свалк\w*|"
    r"темно|отключ\w*|ям(?:а|ы|е|у|ой|ах|ами|ам)?|жж[её]т|жгут|шумят|гоня[ею]т|паркует\w*|мешает|мешают|"
    r"на\s+газон\w*|на\s+тротуар\w*|обещал\w*|безобрази\w*|позор\w*|бардак\w*|беспредел\w*|ужас\w*|кошмар\w*|"
    r"бездейств\w*|отписк\w*|халатн\w*|невозможно|опасно|жалоб\w*|жалуюсь|жалуемся|"
    r"возмутительн\w*|доколе|надоело|заросл\w*|бурьян|амброзия|лужа|лужи|лужах|"
    r"бродяч\w*|покусал\w*|провал\w*|обвал\w*|сорвал\w*|"
    # Asking to fix something says it is broken: «когда уберут мусор», «почините фонарь».
    r"уберут|почин\w+|отремонтиру\w+|вывезут|вывезите|заменят|замените|покосят|покосите|"
    r"почистят|почистите|уберите|засыпьте|засыплют|залатают|залатайте|подсыпьте|спилите|спилят)\b",
    re.IGNORECASE,
)
# Criticism of the administration's work, whatever the topic.
_CRITICISM_RE = re.compile(
    r"\b(?:(?:вы|администрация|власть|власти|глава|чиновники)\s+(?:\S+\s+){0,2}?"
    r"(?:ничего\s+не|не\s+работает|не\s+работаете|не\s+делаете|не\s+делает|плохо)|"
    r"работаете\s+плохо|плохо\s+работаете|где\s+(?:администрация|глава|власть)|"
    r"за\s+что\s+(?:мы\s+)?платим|деньги\s+(?:распилили|украли|отмыли))",
    re.IGNORECASE,
)


def _complains(text: str) -> bool:
    if _CRITICISM_RE.search(text):
        return True
    reasons, _spans = importance.check(text)
    if reasons:
        return True
    if not _PROBLEM_RE.search(text):
        return False
    scores = topics.rule_scores(text)
    return scores.get("other", 0.0) < 1.0
