"""``greeting``: the author must be greeted at the start, by name when the name is known."""

from __future__ import annotations

import re

from ._doc import Doc, all_tags, norm
from .findings import ERROR, WARNING, Finding

CODE = "greeting"

# A misspelt «здраствуйте» is still a greeting here: the spelling check reports the typo.
_GREETING_RE = re.compile(
    r"\b(?:здр\w{0,5}уй(?:те)?|добр(?:ый|ого|ое|ой)\s+(?:день|дня|вечер|вечера|утро|утра|"
    r"времени(?:\s+суток)?|суток)|приветствуем|приветствую|уважаем(?:ый|ая|ые|ое)|"
    r"здравия\s+желаю|доброго\s+времени\s+суток)\b",
    re.IGNORECASE,
)
_FAMILIAR_RE = re.compile(r"\b(?:привет(?:ик)?|хай|салют|хелло|здорово)\b", re.IGNORECASE)
_WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# Words allowed before the greeting: a name and patronymic, «Уважаемая», «Анна Петровна!».
_MAX_WORDS_BEFORE = 4


def author_names(author: str | None) -> tuple[list[str], str | None]:
    """(all name words of the author, the form to address them with) — e.g. «Анна Петрова» gives
    (["Анна", "Петрова"], "Анна"). Nicknames and organisations give ([], None)."""
    if not author:
        return [], None
    words = [w for w in _WORD_RE.findall(author) if re.fullmatch(r"[А-Яа-яЁё-]{2,}", w)]
    given: list[str] = []
    names: list[str] = []
    for w in words:
        tags = all_tags(w.capitalize())
        if any("Name" in t for t in tags):
            given.append(w.capitalize())
            names.append(w)
        elif any("Patr" in t for t in tags):
            if given:
                given.append(w.capitalize())
            names.append(w)
        elif any("Surn" in t for t in tags):
            names.append(w)
    if not given:
        return names, None
    return names, " ".join(given[:2])


def _uses_name(doc: Doc, names: list[str]) -> bool:
    stems = [norm(n)[: max(3, len(n) - 2)] for n in names]
    for t in doc.toks:
        if t.is_word and t.text[:1].isupper() and any(t.lower.startswith(s) for s in stems):
            return True
    return False


def _words_before(text: str, pos: int) -> int:
    """Words before the greeting; a sentence end before it is allowed only after an address
    («Анна Петровна! Здравствуйте»), otherwise the greeting is not in the first sentence."""
    prefix = text[:pos]
    words = _WORD_RE.findall(prefix)
    if re.search(r"[.!?…]", prefix) and not all(w[:1].isupper() for w in words):
        return _MAX_WORDS_BEFORE + 1
    return len(words)


def check(doc: Doc, *, author: str | None, informal: bool) -> list[Finding]:
    text = doc.text
    names, address = author_names(author)
    first_word = next((t for t in doc.toks if t.is_word), None)
    if first_word is None:
        return []
    greet = _GREETING_RE.search(text)
    familiar = _FAMILIAR_RE.search(text)
    found: list[Finding] = []
    opening = None
    if greet and _words_before(text, greet.start()) <= _MAX_WORDS_BEFORE:
        opening = greet
    elif familiar and _words_before(text, familiar.start()) <= _MAX_WORDS_BEFORE:
        opening = familiar
        if not informal:
            found.append(Finding(
                CODE, WARNING, familiar.start(), familiar.end(),
                "«Привет» слишком фамильярно для ответа администрации: напишите «Здравствуйте».",
                "Здравствуйте",
            ))
    if opening is None:
        hello = f"Здравствуйте, {address}! " if address else "Здравствуйте! "
        where = (
            "Приветствие должно стоять в начале ответа"
            if greet or familiar
            else "Нет приветствия автора"
        )
        found.append(Finding(
            CODE, ERROR, first_word.start, first_word.end,
            f"{where}: начните ответ с «{hello.strip()}».",
            hello + first_word.text,
        ))
        return found
    if address and names and not _uses_name(doc, names):
        found.append(Finding(
            CODE, WARNING, opening.start(), opening.end(),
            f"Обратитесь к автору по имени: «{opening.group(0)}, {address}!».",
            None if opening.group(0).lower().startswith("уважаем")
            else f"{opening.group(0)}, {address}" if opening is greet
            else f"Здравствуйте, {address}",
        ))
    return found
