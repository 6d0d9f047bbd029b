"""The new text of a reply: without the quoted original and without the signature.

Rules for the common clients, in Russian and English:
- Outlook quotes nothing with «>»: the original follows a header block «От: … Отправлено: …»
  («From: … Sent: …») or a «-----Исходное сообщение-----» line;
- Gmail, Yandex, Mail.ru, Thunderbird, Apple Mail: an attribution line ending in «:»
  («пн, 7 дек. 2026 г. в 10:00, Отклик <otvet@…>:», «07.12.2026, 10:00, "Отклик" <…>:»,
  «Понедельник, 7 декабря 2026, 10:00 +03:00 от Отклик <…>:», «On … wrote:»), then «>» lines;
- signatures: after «-- », the phone footers («Отправлено из мобильной Почты Mail.ru»,
  «Sent from my iPhone»), or a closing («С уважением,») followed by the sender's name.
A draft to a citizen may itself end with «С уважением, администрация …»: a closing is cut only
when the sender's own name follows it within a few lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

SEPARATOR = re.compile(
    r"^\s*[-_=]{2,}\s*(?:original message|исходное сообщение|пересылаемое сообщение|forwarded message|"
    r"reply message|ответное сообщение)\s*[-_=]*\s*$", re.IGNORECASE)
HEADER_FROM = re.compile(r"^\s*\*?(?:от|from|отправитель)\s*:\s*\*?\s*\S", re.IGNORECASE)
HEADER_NEXT = re.compile(r"^\s*\*?(?:отправлено|sent|дата|date|кому|to|тема|subject)\s*:", re.IGNORECASE)
ATTRIBUTION = re.compile(r"(?:wrote|написал[аио]?(?:\s*\(а\))?|пишет|писал[аи]?)\s*:\s*$|[<\[(]?[^\s<>@]+@[^\s<>@]+[>\])]?\s*:\s*$",
                         re.IGNORECASE)
MOBILE_FOOTER = re.compile(
    r"^\s*(?:отправлено|sent|получено|послано)\s+(?:из|с|from|with|via)\s+(?:мобильной|моего|my|yandex|яндекс|"
    r"mail\.ru|iphone|ipad|android|outlook|почты|приложения)", re.IGNORECASE)
CLOSING = re.compile(r"^\s*(?:с\s+уважением|с\s+наилучшими\s+пожеланиями|best\s+regards|regards|kind\s+regards|"
                     r"спасибо|всего\s+доброго)\b[\s,.!]*", re.IGNORECASE)
DATE_OR_TIME = re.compile(r"\b\d{1,2}:\d{2}\b|\b20\d\d\b")
SIG_DASHES = re.compile(r"^(?:-- ?|—)$")
SIG_WINDOW = 6  # lines after a closing where the sender's name must be for it to be a signature


def _cut_at(lines: list[str]) -> int:
    """Index of the first line of the quoted original (len(lines) when there is none)."""
    for i, line in enumerate(lines):
        if SEPARATOR.match(line):
            return i
        if HEADER_FROM.match(line) and any(HEADER_NEXT.match(x) for x in lines[i + 1:i + 4]):
            return i
        if line.lstrip().startswith(">"):
            # The attribution is the line just above when it ends in «:», with the line before
            # it when a client wrapped it (that one carries the date and time).
            j = i
            while j > 0 and not lines[j - 1].strip():
                j -= 1
            if j > 0 and lines[j - 1].rstrip().endswith(":"):
                j -= 1
                above = lines[j - 1].rstrip() if j > 0 else ""
                if above and not above.endswith((".", "!", "?", ":")) and DATE_OR_TIME.search(above):
                    j -= 1
            return j
        if ATTRIBUTION.search(line) and _quote_follows(lines, i + 1):
            return i
    return len(lines)


def _quote_follows(lines: list[str], start: int) -> bool:
    for line in lines[start:]:
        if line.strip():
            return line.lstrip().startswith(">")
    return False


def _names(sender_names: Iterable[str]) -> list[str]:
    words: list[str] = []
    for name in sender_names:
        for word in re.split(r"[\s.,]+", name or ""):
            if len(word) >= 3:
                words.append(word.lower())
    return words


def _signature_start(lines: list[str], sender_names: Iterable[str]) -> int:
    names = _names(sender_names)
    for i, line in enumerate(lines):
        if SIG_DASHES.match(line.rstrip()) or MOBILE_FOOTER.match(line):
            return i
    for i in range(len(lines) - 1, -1, -1):  # the last closing: a draft may have its own above
        line = lines[i]
        if CLOSING.match(line) and names:
            tail = " ".join(lines[i:i + SIG_WINDOW]).lower()
            # The closing counts as the signature when the sender's name follows it and the
            # letter ends there (a draft's own closing names the administration, not a person).
            if any(n in tail for n in names) and len([x for x in lines[i:] if x.strip()]) <= SIG_WINDOW:
                return i
    return len(lines)


def reply_text(text: str, *, sender_names: Iterable[str] = ()) -> str:
    """The new part of a reply: quote and signature removed, blank lines squeezed."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = lines[:_cut_at(lines)]
    lines = lines[:_signature_start(lines, sender_names)]
    out = "\n".join(line.rstrip() for line in lines)
    return re.sub(r"\n{3,}", "\n\n", out).strip()
