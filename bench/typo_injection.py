"""How the spelling check holds on typos nobody listed: mistype every word of the clean answers.

    .venv/bin/python bench/typo_injection.py

Every word of six letters or more in the clean answers of the development and measured corpora
(not the sealed one) is mistyped three times with a fixed seed: a letter dropped, doubled,
swapped with the next or a vowel replaced. A mistyping that is itself a dictionary word is set
aside; each of the others is put into a sentence and must draw a spelling finding (an error or a
warning). The figure is recall on typos of the vocabulary officials really use; the rules that
let rare words pass («прогрейдировали», «ветстанцию») are what it guards against.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from otklik.texts import corpora
from otklik.texts.answers import check_answer, spelling

SEED = 7
VOWELS = "аеиоуыяэю"
_WORD_RE = re.compile(r"[а-яё]{6,}")


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1:]
    if kind == 1:
        return word[:i] + word[i] + word[i:]
    if kind == 2:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return word[:i] + rng.choice(VOWELS) + word[i + 1:]


def main() -> int:
    words: set[str] = set()
    for path in corpora.ANSWERS:
        if corpora.refused(path):
            continue
        for line in path.open(encoding="utf-8"):
            if line.strip() and not (row := json.loads(line))["expected"]:
                words.update(_WORD_RE.findall(row["answer"].lower()))
    rng = random.Random(SEED)
    typos = found = errors = 0
    missed: list[str] = []
    for word in sorted(words):
        for _ in range(3):
            typo = _typo(word, rng)
            if typo == word or spelling.is_correct(typo):
                continue
            typos += 1
            text = f"Здравствуйте! Мы про {typo} знаем."
            hits = [f for f in check_answer(text) if f.code == "spelling" and text[f.start:f.end] == typo]
            if hits:
                found += 1
                errors += any(f.severity == "error" for f in hits)
            else:
                missed.append(f"{word} → {typo}")
    print(f"words: {len(words)}, mistyped non-words: {typos}")
    print(f"found: {found} = {found / max(1, typos):.3f} (as errors: {errors} = {errors / max(1, typos):.3f})")
    print(f"missed: {len(missed)}" + (": " + ", ".join(missed[:20]) if missed else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
