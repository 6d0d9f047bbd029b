"""``check_post``: all the checks of a post on an official page in one call."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import replace

from otklik.texts.answers import bureaucratese, legal_refs, punctuation, spelling
from otklik.texts.answers._doc import Doc
from otklik.texts.answers.findings import ERROR, Finding
from otklik.texts.answers.lexicon import as_lexicon
from otklik.texts.normalise_input import normalise

from . import press_release, voice

CODES = (
    "press_release",
    "voice",
    "bureaucratese",
    "legal_refs",
    "spelling",
    "punctuation",
    "length",
)
# The networks a post goes to: (the name in a message, «во ВКонтакте»; the longest text the
# network takes). The limits are those of the clients in otklik.channels (which a pure engine
# may not import): VK takes 16 384 characters in a post, but the client keeps 4 096 for all.
# How far before a word the number that opens its sentence is looked for («04.09.2023 г.»).
_DATE_REACH = 40
NETWORKS: dict[str, tuple[str, int]] = {
    "vk": ("во ВКонтакте", 4096),
    "ok": ("в Одноклассниках", 4000),
    "telegram": ("в Telegram", 4096),
    "max": ("в MAX", 4000),
}


def check_post(
    text: str,
    *,
    network: str | None = None,
    known_words: Iterable[str] = (),
) -> list[Finding]:
    """Everything that keeps a post from the conversational voice of Приложение 1, п. 7
    (errors) or is worth a look (warnings), sorted by position.

    Any ``str`` is accepted: the text is normalised first (``otklik.texts.normalise_input``) and
    every span is mapped back, so ``text[f.start:f.end]`` is what finding ``f`` is about. With a
    ``network`` («vk», «ok», «telegram», «max») a post too long for it is an error; another
    value raises ValueError.
    """
    if network is not None and network not in NETWORKS:
        raise ValueError(f"unknown network {network!r}: one of {', '.join(NETWORKS)}")
    norm = normalise(text)
    found = _check(norm.text, known_words=known_words)
    if not norm.unchanged:
        mapped = []
        for f in found:
            start, end = norm.span(f.start, f.end)
            fix = None if f.suggestion is None else norm.restore(f.start, f.end, f.suggestion)
            mapped.append(replace(f, start=start, end=end, suggestion=fix))
        found = mapped
    if network is not None:
        found += _length(text, network)
    found.sort(key=lambda f: (f.start, f.end, f.code))
    return found


def _length(text: str, network: str) -> list[Finding]:
    where, limit = NETWORKS[network]
    if len(text) <= limit:
        return []
    return [Finding("length", ERROR, limit, len(text),
                    f"Пост длиннее, чем принимает сеть {where}: {len(text)} знаков при пределе "
                    f"{limit}. Сократите на {len(text) - limit} или разбейте на два поста.",
                    None)]


def _check(text: str, *, known_words: Iterable[str]) -> list[Finding]:
    """check_post on the normalised text; spans are offsets into ``text``."""
    if not text.strip():
        return []
    doc = Doc(text)
    addresses = voice.addresses_reader(doc)
    press = press_release.check(doc, addresses=addresses)
    found: list[Finding] = list(press)
    found += voice.check(doc, addresses=addresses)
    # A stretch the press-release check marks is not marked again as bureaucratese («было
    # проведено» is both): the press-release message says what to do with it.
    marked = sorted((p.start, p.end) for p in press)  # disjoint: one mark for one stretch
    found += [f for f in bureaucratese.check(doc) if not _overlaps(marked, f)]
    found += legal_refs.check(doc)
    found += spelling.check(doc, lexicon=as_lexicon(known_words))
    found += [f for f in punctuation.check(doc, author_names=[]) if not _after_number(doc, f)]
    return found


def _overlaps(marked: list[tuple[int, int]], f: Finding) -> bool:
    """Whether the span of ``f`` overlaps one of the sorted, disjoint spans ``marked``."""
    k = bisect_right(marked, (f.end, -1)) - 1  # the last span starting before f ends
    return k >= 0 and marked[k][1] > f.start and marked[k][0] < f.end


def _after_number(doc: Doc, f: Finding) -> bool:
    """A «small letter opens a sentence» finding on a word after a number: the punctuation
    check takes the first *word* of a text for its start, but a post opens with dates
    («12 марта в парке …», «04.09.2023 г. …») where the sentence starts with the number."""
    word = doc.text[f.start:f.end]
    if f.code != punctuation.CODE or not word[:1].islower() \
            or f.suggestion != word[0].upper() + word[1:]:
        return False
    k = f.start
    while k > max(0, f.start - _DATE_REACH) and doc.text[k - 1] not in ".!?…\n":
        k -= 1
    return any(ch.isdigit() for ch in doc.text[k:f.start])
