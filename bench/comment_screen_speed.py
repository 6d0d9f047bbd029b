"""Speed of screen_comment(): comments per second on one core over 10 000 comments of ~200 chars.

    .venv/bin/python bench/comment_screen_speed.py [count]

The comments are built from the labelled dev set (otklik/texts/tests/data/comments_dev.jsonl)
with varied streets, numbers and names, joined two or three at a time to about 200 characters,
so that most are distinct strings (the morphology caches help, as in a running server, but the
per-text work is done every time). The time includes the first, cold pass over the set.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from otklik.texts.screening.comments import screen_comment  # noqa: E402

DEV = ROOT / "otklik" / "texts" / "tests" / "data" / "comments_dev.jsonl"
STREETS = ["Красной", "Ленина", "Мира", "Садовой", "Школьной", "Гагарина", "Октябрьской"]


def make_comments(count: int, seed: int = 11) -> list[str]:
    with DEV.open(encoding="utf-8") as f:
        pieces = [str(json.loads(line)["text"]) for line in f if line.strip()]
    rnd = random.Random(seed)
    out: list[str] = []
    while len(out) < count:
        text = ""
        while len(text) < 170:
            piece = rnd.choice(pieces).replace("Садовой", rnd.choice(STREETS))
            text = f"{text} {piece} {rnd.randint(1, 99)}".strip()
        out.append(text[:260])
    return out


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    comments = make_comments(count)
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        for text in comments:
            screen_comment(text)
        runs.append(time.perf_counter() - start)
    mean_len = statistics.mean(len(t) for t in comments)
    print(f"comments: {len(comments)}, mean length {mean_len:.0f} chars, "
          f"{len(set(comments))} distinct")
    print(f"first (cold) pass: {runs[0]:.1f} s, {len(comments) / runs[0]:.0f} comments/s")
    best = min(runs)
    print(f"best of 3: {best:.1f} s, {len(comments) / best:.0f} comments/s, "
          f"{best / len(comments) * 1000:.2f} ms/comment")


if __name__ == "__main__":
    main()
