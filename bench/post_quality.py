"""Quality benchmark of the post checker against the held-out corpus.

    .venv/bin/python bench/post_quality.py [--corpus PATH] [--errors]

Runs otklik.texts.posts.check_post on every post of bench/corpora/posts_heldout.jsonl
(Приложение 1, п. 7 of the regulation: conversational style, no press releases,
no bureaucratese, at most two legal acts per post, no spelling or punctuation
mistakes) and prints, per label, support / precision / recall. A post counts as
flagged for a label when any finding has that ``code`` (any severity). On the
good posts (empty ``labels``) it prints the share without an error-severity
finding: the clean pass rate.

The script is written against the interface only: ``check_post(text)`` returns
an iterable of objects with ``.code`` and ``.severity``. Exit code: 0 when the
run completed (whatever the figures), 1 when the checker cannot be imported or
the corpus cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT / "bench" / "corpora" / "posts_heldout.jsonl"

LABELS = ("press_release", "bureaucratese", "legal_refs", "spelling", "punctuation")


class Finding(Protocol):
    @property
    def code(self) -> Any: ...

    @property
    def severity(self) -> Any: ...


CheckPost = Callable[[str], Iterable[Finding]]


@dataclass(frozen=True)
class Post:
    id: str
    text: str
    labels: frozenset[str]
    note: str


@dataclass
class LabelStats:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float | None:
        flagged = self.tp + self.fp
        return self.tp / flagged if flagged else None

    @property
    def recall(self) -> float | None:
        return self.tp / self.support if self.support else None


def load_corpus(path: Path) -> list[Post]:
    posts: list[Post] = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            raw = json.loads(line)
            labels = frozenset(raw.get("labels", []))
            unknown = labels - set(LABELS)
            if unknown:
                raise ValueError(f"{path}:{lineno}: unknown labels {sorted(unknown)}")
            posts.append(
                Post(
                    id=str(raw["id"]),
                    text=str(raw["text"]),
                    labels=labels,
                    note=str(raw.get("note", "")),
                )
            )
    return posts


def import_checker() -> CheckPost:
    try:
        from otklik.texts.posts import check_post
    except Exception as exc:  # any failure inside the checker's import counts
        print(
            "post_quality: cannot import otklik.texts.posts.check_post "
            f"({type(exc).__name__}: {exc}); nothing was measured.",
            file=sys.stderr,
        )
        sys.exit(1)
    checker: CheckPost = check_post
    return checker


def norm(value: Any) -> str:
    """Code / severity as a lower-case string (plain str or an Enum with .value)."""
    return str(getattr(value, "value", value)).strip().lower()


def fmt(value: float | None) -> str:
    return "  n/a" if value is None else f"{value:5.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument(
        "--errors", action="store_true", help="list the misses and false alarms per post"
    )
    args = parser.parse_args(argv)

    try:
        posts = load_corpus(args.corpus)
    except (OSError, ValueError, KeyError) as exc:
        print(f"post_quality: cannot read the corpus {args.corpus}: {exc}", file=sys.stderr)
        return 1

    check_post = import_checker()

    stats = {label: LabelStats() for label in LABELS}
    good_total = 0
    good_clean = 0
    mistakes: list[str] = []

    for post in posts:
        findings = list(check_post(post.text))
        codes = {norm(f.code) for f in findings}
        has_error = any(norm(f.severity) == "error" for f in findings)

        for label in LABELS:
            expected = label in post.labels
            found = label in codes
            if expected and found:
                stats[label].tp += 1
            elif found:
                stats[label].fp += 1
                mistakes.append(f"{post.id} false alarm {label}: {post.note}")
            elif expected:
                stats[label].fn += 1
                mistakes.append(f"{post.id} missed {label}: {post.note}")

        if not post.labels:
            good_total += 1
            if not has_error:
                good_clean += 1
            else:
                errs = sorted({norm(f.code) for f in findings if norm(f.severity) == "error"})
                mistakes.append(f"{post.id} good post has error findings {errs}: {post.note}")

    print(f"Post checker on {args.corpus.name}: {len(posts)} posts, {good_total} good")
    print()
    print(f"{'label':<15} {'support':>7} {'flagged':>7} {'precision':>9} {'recall':>7}")
    for label in LABELS:
        s = stats[label]
        print(
            f"{label:<15} {s.support:>7} {s.tp + s.fp:>7} {fmt(s.precision):>9} {fmt(s.recall):>7}"
        )
    print()
    rate = good_clean / good_total if good_total else None
    print(
        f"clean pass rate (good posts without an error finding): {fmt(rate)} "
        f"({good_clean}/{good_total})"
    )

    if args.errors and mistakes:
        print()
        for line in mistakes:
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
