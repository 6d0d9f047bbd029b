"""How much of the punctuation check holds on real text: delete each comma of every clean answer.

    .venv/bin/python bench/comma_deletion.py            # the figures
    .venv/bin/python bench/comma_deletion.py --misses и  # the commas before «и» it did not notice

The labelled corpora hold a few dozen punctuation faults each, written by hand, so a rule that
fits them says little about the next text. Here every comma of every clean answer (of the
development and measured corpora: not the sealed one) is deleted in turn, and the check must
report a punctuation finding within 15 characters of the gap. Almost every comma in a clean
official answer is required, so this is recall on natural sentences; the line «clean answers
flagged» is the precision side. Figures are grouped by the word after the comma. The other way
round, a comma is put after each preposition, where grammar never allows one.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from otklik.texts import corpora
from otklik.texts.answers import check_answer
from otklik.texts.normalise_input import normalise

NEAR = 15  # characters between the gap and a finding's span
_NEXT_WORD_RE = re.compile(r"\s*([\w-]+)")
# Prepositions before a word (lower case: «В» opening a sentence may be an address or a title).
_PREPOSITION_RE = re.compile(r"(?<![\w-])((?:в|на|по|для|от|до|из|при|через|после|около|без|над|под))(?= [а-яё])")


def _punctuation(text: str, question: str, author: str | None) -> list[tuple[int, int]]:
    return [(f.start, f.end) for f in check_answer(text, question=question, author=author)
            if f.code == "punctuation"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--misses", nargs="*", default=[], metavar="WORD",
                        help="list the unnoticed deletions before these words")
    parser.add_argument("--top", type=int, default=25, help="rows of the table")
    args = parser.parse_args(argv)

    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    missed: defaultdict[str, list[str]] = defaultdict(list)
    clean = flagged = inserted = inserted_found = 0
    for path in corpora.ANSWERS:
        if corpora.refused(path):
            continue
        for line in path.open(encoding="utf-8"):
            if not line.strip():
                continue
            row = json.loads(line)
            if row["expected"]:
                continue
            text = normalise(row["answer"]).text
            question, author = row.get("question") or "", row.get("author")
            clean += 1
            if _punctuation(text, question, author):
                flagged += 1
                continue
            for m in _PREPOSITION_RE.finditer(text):  # a comma that grammar never allows
                gap = m.end(1)
                spans = _punctuation(text[:gap] + "," + text[gap:], question, author)
                inserted += 1
                inserted_found += any(start - NEAR <= gap <= end + NEAR for start, end in spans)
            for m in re.finditer(",", text):
                gap = m.start()
                nxt = _NEXT_WORD_RE.match(text, gap + 1)
                word = nxt.group(1).lower() if nxt else "?"
                spans = _punctuation(text[:gap] + text[gap + 1:], question, author)
                total[word] += 1
                if any(start - NEAR <= gap <= end + NEAR for start, end in spans):
                    found[word] += 1
                else:
                    missed[word].append(f"{text[max(0, gap - 60):gap]} ⟨,⟩{text[gap + 1:gap + 50]}")

    all_found, all_total = sum(found.values()), sum(total.values())
    print(f"clean answers: {clean}, flagged by punctuation: {flagged}")
    print(f"deleted commas noticed: {all_found} of {all_total} = {all_found / max(1, all_total):.3f}")
    print(f"commas inserted after a preposition noticed: {inserted_found} of {inserted} = "
          f"{inserted_found / max(1, inserted):.3f}")
    print(f"\n{'next word':<14} {'noticed':>8}")
    for word, n in total.most_common(args.top):
        print(f"{word:<14} {found[word]:>3} / {n:<3}")
    for word in args.misses:
        print(f"\n== {word}")
        for sample in missed[word]:
            print("  ", sample)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
