"""The post checks on the development corpus ``data/posts_dev.jsonl`` (labelled by hand: the
codes each post should get). Per code, post-level precision and recall must stay above floors
the checks reach today; print them with ``pytest -q -p no:randomly otklik/texts/posts -k
dev_set -s``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from otklik.texts.posts import CODES, ERROR, check_post

DATA = Path(__file__).parent / "data" / "posts_dev.jsonl"
POSTS: list[dict[str, object]] = [json.loads(line) for line in DATA.read_text("utf-8").splitlines()
                                  if line.strip()]
# (precision, recall) floors per code, post by post; today's figures are printed by the test.
FLOORS = {
    "press_release": (0.95, 0.95),
    "voice": (0.9, 0.9),
    "bureaucratese": (0.9, 0.95),
    "legal_refs": (1.0, 1.0),
    "spelling": (1.0, 1.0),
    "punctuation": (0.95, 0.75),
    "length": (1.0, 1.0),
}


def _labels(post: dict[str, object]) -> set[str]:
    labels = post["labels"]
    assert isinstance(labels, list)
    return {str(x) for x in labels}


def _codes(post: dict[str, object]) -> set[str]:
    network = post.get("network")
    return {f.code for f in check_post(str(post["text"]),
                                       network=network if isinstance(network, str) else None)}


def test_dev_set_is_big_enough() -> None:
    kinds = [p["kind"] for p in POSTS]
    assert len(POSTS) >= 60
    assert kinds.count("good") >= 25 and kinds.count("press") >= 15
    assert all(_labels(p) <= set(CODES) for p in POSTS)


def test_dev_set_precision_and_recall() -> None:
    tp = dict.fromkeys(CODES, 0)
    fp = dict.fromkeys(CODES, 0)
    fn = dict.fromkeys(CODES, 0)
    for post in POSTS:
        got, gold = _codes(post), _labels(post)
        for code in CODES:
            tp[code] += code in got and code in gold
            fp[code] += code in got and code not in gold
            fn[code] += code in gold and code not in got
    lines = []
    for code in CODES:
        precision = tp[code] / (tp[code] + fp[code]) if tp[code] + fp[code] else 1.0
        recall = tp[code] / (tp[code] + fn[code]) if tp[code] + fn[code] else 1.0
        lines.append(f"{code:14} P={precision:.2f} R={recall:.2f} (tp {tp[code]}, fp {fp[code]}, "
                     f"fn {fn[code]})")
        low_p, low_r = FLOORS[code]
        assert precision >= low_p and recall >= low_r, lines[-1]
    print("\n" + "\n".join(lines))


@pytest.mark.parametrize("post", [p for p in POSTS if p["kind"] == "good"],
                         ids=lambda p: str(p["id"]))
def test_good_posts_are_clean(post: dict[str, object]) -> None:
    assert check_post(str(post["text"])) == []


@pytest.mark.parametrize("post", [p for p in POSTS if p["kind"] == "press"],
                         ids=lambda p: str(p["id"]))
def test_press_releases_are_caught(post: dict[str, object]) -> None:
    findings = [f for f in check_post(str(post["text"])) if f.code == "press_release"]
    assert findings
    if len(findings) >= 2:  # the press-release form as a whole is an error
        assert all(f.severity == ERROR for f in findings)


def test_suggestions_remove_their_finding() -> None:
    """Every one-tap fix on the corpus, applied to the post, leaves a post where that finding
    (its code and message at that place) is gone."""
    applied = 0
    for post in POSTS:
        text = str(post["text"])
        for f in check_post(text):
            if f.suggestion is None:
                continue
            fixed = text[: f.start] + f.suggestion + text[f.end :]
            again = check_post(fixed)
            assert not any(g.code == f.code and g.message == f.message and g.start == f.start
                           for g in again), (post["id"], f, fixed)
            applied += 1
    assert applied >= 20
