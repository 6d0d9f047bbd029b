"""``voice``: a post that never speaks to its reader.

Приложение 1, п. 7 asks for «письменная разговорная речь»: a post talks to the people who read
it. A post of three sentences or more (and at least MIN_WORDS words) that has no «вы», «ваш», no
verb in the second person or the imperative («приходите», «давайте»), no question, no «ждём»,
«приглашаем» in the first person plural and no vocative («Друзья, …», «Уважаемые жители!») is a
notice, not a conversation: one warning on its first sentence. No fix: only the editor knows
what to ask or invite the reader to.
"""

from __future__ import annotations

from otklik.texts.answers._doc import Doc, Tok, tag
from otklik.texts.answers.findings import WARNING, Finding

from ._words import words

CODE = "voice"
MIN_SENTENCES = 3
MIN_WORDS = 15
_YOU = frozenset({"вы", "ты", "ваш", "твой"})
_DEAR = frozenset({"уважаемый", "дорогой", "любимый", "милый"})
_MESSAGE = (
    "Пост ни разу не обращается к читателю: нет ни «вы», ни призыва, ни вопроса. Поговорите с "
    "ним — «Приходите всей семьёй», «Будьте внимательны на дороге», «Как вам новая площадка?»."
)


def _addresses(doc: Doc, i: int, tok: Tok) -> bool:
    if tok.lemma in _YOU or tok.lower in words("address_word"):
        return True
    t = tag(tok.text)
    if t.POS == "VERB":
        if t.person == "2per" or t.mood == "impr":
            return True
        if t.person == "1per" and t.number == "plur" and tok.lemma in words("address_verb"):
            return True
    if i in doc.starts:
        if tok.lemma in _DEAR:
            return True
        nxt = doc.toks[i + 1] if i + 1 < len(doc.toks) else None
        if tok.lemma in words("vocative") and nxt is not None and nxt.text in (",", "!"):
            return True
    return False


def addresses_reader(doc: Doc) -> bool:
    """Whether the text speaks to its reader anywhere: «вы», an imperative, a question, an
    invitation in the first person plural, a vocative, «спасибо», «пожалуйста»."""
    if any(ch == "?" and doc.in_prose(k) for k, ch in enumerate(doc.text) if ch == "?"):
        return True
    return any(tok.is_word and tok.prose and _addresses(doc, i, tok)
               for i, tok in enumerate(doc.toks))


def check(doc: Doc, *, addresses: bool) -> list[Finding]:
    if addresses or doc.word_count() < MIN_WORDS:
        return []
    sents = [s for s in doc.sents if len(doc.words_between(s.first, s.last)) >= 2]
    if len(sents) < MIN_SENTENCES:
        return []
    first = sents[0]
    toks = doc.toks[first.first:first.last]
    return [Finding(CODE, WARNING, toks[0].start, toks[-1].end, _MESSAGE, None)]
