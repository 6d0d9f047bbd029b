"""Quality benchmark of the text engines against the labelled corpus.

    .venv/bin/python bench/text_quality.py [--messages PATH] [--answers PATH] [--errors]

Screening (otklik.texts.screening.screen): precision / recall / F1 for
no_answer (п. 21), spam and high importance, accuracy of the п. 21 reason,
topic accuracy with the most frequent confusions, locations precision / recall.

Answer checks (otklik.texts.answers.check_answer): per code precision / recall
(a code is "found" when any finding of that code is returned, any severity;
for codes labelled "error" the recall at severity error is shown too) and the
share of clean answers without an error finding.

Every figure is printed next to its goal with ✓ / ✗. Exit code: 0 when the run
completed (whatever the figures), 2 when the engines cannot be imported.
The corpus is described in tests/data/README.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MESSAGES = ROOT / "tests" / "data" / "messages.jsonl"
DEFAULT_ANSWERS = ROOT / "tests" / "data" / "answers.jsonl"

CODES = (
    "greeting",
    "spelling",
    "punctuation",
    "bureaucratese",
    "legal_refs",
    "redirect",
    "off_topic",
    "evidence",
)

GOAL_NO_ANSWER_RECALL = 0.95
GOAL_NO_ANSWER_PRECISION = 0.90
GOAL_SPAM_F1 = 0.90
GOAL_HIGH_RECALL = 0.90
GOAL_TOPIC_ACCURACY = 0.85
GOAL_CODE_RECALL = 0.85
GOAL_CLEAN_SHARE = 0.95


# --------------------------------------------------------------------------- utils


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def norm_location(loc: str) -> str:
    s = unicodedata.normalize("NFC", loc).lower().replace("ё", "е")
    s = " ".join(s.split())
    s = s.replace(" ,", ",").replace(", ", ",")
    return s


def ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def fmt(x: float | None) -> str:
    return "  —  " if x is None else f"{x:5.3f}"


def mark(ok: bool | None) -> str:
    if ok is None:
        return " "
    return "✓" if ok else "✗"


@dataclass
class Binary:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    fp_ids: list[str] = field(default_factory=list)
    fn_ids: list[str] = field(default_factory=list)

    def add(self, item_id: str, expected: bool, got: bool) -> None:
        if expected and got:
            self.tp += 1
        elif got:
            self.fp += 1
            self.fp_ids.append(item_id)
        elif expected:
            self.fn += 1
            self.fn_ids.append(item_id)
        else:
            self.tn += 1

    @property
    def precision(self) -> float | None:
        return ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        return ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None if p is None or r is None else 0.0
        return 2 * p * r / (p + r)


def print_table(title: str, header: list[str], rows: list[list[str]]) -> None:
    widths = [len(h) for h in header]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    line = "  ".join("-" * w for w in widths)
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print(line)
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


def short(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


# --------------------------------------------------------------------------- engines


def import_engines() -> tuple[Callable[..., Any], Callable[..., Any]]:
    sys.path.insert(0, str(ROOT))
    try:
        from otklik.texts.answers import check_answer
        from otklik.texts.screening import screen
    except Exception as exc:  # any failure inside the engines' import counts
        print(
            "text_quality: cannot import the engines "
            "(otklik.texts.screening.screen, otklik.texts.answers.check_answer):\n"
            f"  {type(exc).__name__}: {exc}\n"
            "Run from the repository with the project venv: "
            ".venv/bin/python bench/text_quality.py",
            file=sys.stderr,
        )
        sys.exit(2)
    return screen, check_answer


# --------------------------------------------------------------------------- screening


def bench_screening(
    screen: Callable[..., Any], messages: list[dict[str, Any]], show_errors: bool
) -> list[tuple[str, bool]]:
    texts = {m["id"]: m["text"] for m in messages}
    results: dict[str, Any] = {}
    t0 = time.perf_counter()
    for m in messages:
        results[m["id"]] = screen(m["text"])
    elapsed = time.perf_counter() - t0

    no_answer, spam, high = Binary(), Binary(), Binary()
    reason_ok = reason_total = 0
    reason_errors: list[tuple[str, str, str | None]] = []
    topic_ok = 0
    confusion: Counter[tuple[str, str]] = Counter()
    topic_errors: list[tuple[str, str, str | None]] = []
    loc_tp = loc_fp = loc_fn = 0
    loc_errors: list[tuple[str, list[str], list[str]]] = []

    for m in messages:
        mid, r = m["id"], results[m["id"]]
        no_answer.add(mid, m["no_answer"], bool(r.no_answer))
        spam.add(mid, m["spam"], bool(r.spam))
        high.add(mid, m["high_importance"], bool(r.high_importance))
        if m["no_answer"] and r.no_answer:
            reason_total += 1
            if r.no_answer_reason == m["no_answer_reason"]:
                reason_ok += 1
            else:
                reason_errors.append((mid, m["no_answer_reason"], r.no_answer_reason))
        if r.topic == m["topic"]:
            topic_ok += 1
        else:
            confusion[(m["topic"], str(r.topic))] += 1
            topic_errors.append((mid, m["topic"], r.topic))
        want = {norm_location(x) for x in m["locations"]}
        got_list = list(r.locations or ())
        got = {norm_location(x) for x in got_list}
        loc_tp += len(want & got)
        loc_fp += len(got - want)
        loc_fn += len(want - got)
        if want != got:
            loc_errors.append((mid, m["locations"], got_list))

    n = len(messages)
    reason_acc = ratio(reason_ok, reason_total)
    topic_acc = ratio(topic_ok, n)
    loc_p = ratio(loc_tp, loc_tp + loc_fp)
    loc_r = ratio(loc_tp, loc_tp + loc_fn)

    goals: list[tuple[str, bool]] = []

    def goal(name: str, ok: bool) -> str:
        goals.append((name, ok))
        return mark(ok)

    na_ok_r = (no_answer.recall or 0) >= GOAL_NO_ANSWER_RECALL
    na_ok_p = (no_answer.precision or 0) >= GOAL_NO_ANSWER_PRECISION
    spam_ok = (spam.f1 or 0) >= GOAL_SPAM_F1
    high_ok = (high.recall or 0) >= GOAL_HIGH_RECALL
    topic_ok_goal = (topic_acc or 0) >= GOAL_TOPIC_ACCURACY

    rows = [
        [
            "no_answer (п. 21)",
            str(no_answer.tp + no_answer.fn),
            fmt(no_answer.precision),
            fmt(no_answer.recall),
            fmt(no_answer.f1),
            f"R ≥ {GOAL_NO_ANSWER_RECALL}, P ≥ {GOAL_NO_ANSWER_PRECISION}",
            goal("no_answer recall", na_ok_r) + goal("no_answer precision", na_ok_p),
        ],
        [
            "  reason among TP",
            str(reason_total),
            "",
            "",
            "",
            f"acc {fmt(reason_acc)}",
            "",
        ],
        [
            "spam",
            str(spam.tp + spam.fn),
            fmt(spam.precision),
            fmt(spam.recall),
            fmt(spam.f1),
            f"F1 ≥ {GOAL_SPAM_F1}",
            goal("spam F1", spam_ok),
        ],
        [
            "high_importance",
            str(high.tp + high.fn),
            fmt(high.precision),
            fmt(high.recall),
            fmt(high.f1),
            f"R ≥ {GOAL_HIGH_RECALL}",
            goal("high-importance recall", high_ok),
        ],
        [
            "topic (accuracy)",
            str(n),
            "",
            "",
            "",
            f"acc {fmt(topic_acc)} ≥ {GOAL_TOPIC_ACCURACY}",
            goal("topic accuracy", topic_ok_goal),
        ],
        [
            "locations",
            str(loc_tp + loc_fn),
            fmt(loc_p),
            fmt(loc_r),
            fmt(
                None
                if loc_p is None or loc_r is None or loc_p + loc_r == 0
                else 2 * loc_p * loc_r / (loc_p + loc_r)
            ),
            "(no goal)",
            "",
        ],
    ]
    print_table(
        f"SCREENING — {n} messages",
        ["label", "positives", "prec ", "recall", "F1   ", "goal", "ok"],
        rows,
    )
    if confusion:
        top = ", ".join(f"{e}→{g} ×{c}" for (e, g), c in confusion.most_common(8))
        print(f"topic confusions (expected→got): {top}")
    if reason_errors:
        rc = Counter((e, str(g)) for _, e, g in reason_errors)
        print(
            "reason mistakes (expected→got): "
            + ", ".join(f"{e}→{g} ×{c}" for (e, g), c in rc.most_common())
        )
    rate = n / elapsed if elapsed > 0 else float("inf")
    print(f"throughput: screen {rate:,.0f} messages/s ({elapsed * 1000 / n:.2f} ms per message)")

    if show_errors:
        print("\n--- screening errors (id | expected | got | text) ---")
        for name, b in (("no_answer", no_answer), ("spam", spam), ("high_importance", high)):
            for mid in b.fn_ids:
                print(f"{mid} | {name}=True | False | {short(texts[mid])}")
            for mid in b.fp_ids:
                print(f"{mid} | {name}=False | True | {short(texts[mid])}")
        for mid, e, g in reason_errors:
            print(f"{mid} | reason={e} | {g} | {short(texts[mid])}")
        for mid, e, g in topic_errors:
            print(f"{mid} | topic={e} | {g} | {short(texts[mid])}")
        for mid, e2, g2 in loc_errors:
            print(f"{mid} | locations={e2} | {g2} | {short(texts[mid])}")
    return goals


# --------------------------------------------------------------------------- answers


def bench_answers(
    check_answer: Callable[..., Any], answers: list[dict[str, Any]], show_errors: bool
) -> list[tuple[str, bool]]:
    findings: dict[str, list[Any]] = {}
    t0 = time.perf_counter()
    for a in answers:
        findings[a["id"]] = list(
            check_answer(
                a["answer"],
                question=a["question"],
                author=a["author"],
                attachments=a["attachments"],
            )
        )
    elapsed = time.perf_counter() - t0

    per_code = {c: Binary() for c in CODES}
    err_recall: dict[str, list[int]] = {c: [0, 0] for c in CODES}  # [hit at error, labelled error]
    unknown_codes: Counter[str] = Counter()
    for a in answers:
        fs = findings[a["id"]]
        got_codes = {f.code for f in fs}
        err_codes = {f.code for f in fs if f.severity == "error"}
        unknown_codes.update(c for c in got_codes if c not in CODES)
        for c in CODES:
            per_code[c].add(a["id"], c in a["expected"], c in got_codes)
            if a["expected"].get(c) == "error":
                err_recall[c][1] += 1
                if c in err_codes:
                    err_recall[c][0] += 1

    goals: list[tuple[str, bool]] = []
    rows = []
    for c in CODES:
        b = per_code[c]
        er = ratio(*err_recall[c])
        ok = (b.recall or 0) >= GOAL_CODE_RECALL
        goals.append((f"{c} recall", ok))
        rows.append(
            [
                c,
                str(b.tp + b.fn),
                fmt(b.precision),
                fmt(b.recall),
                f"{fmt(er)} ({err_recall[c][1]})" if err_recall[c][1] else "  —",
                f"R ≥ {GOAL_CODE_RECALL}",
                mark(ok),
            ]
        )

    clean = [a for a in answers if not a["expected"]]
    clean_bad = [a for a in clean if any(f.severity == "error" for f in findings[a["id"]])]
    clean_share = ratio(len(clean) - len(clean_bad), len(clean))
    clean_ok = (clean_share or 0) >= GOAL_CLEAN_SHARE
    goals.append(("clean answers without error", clean_ok))
    rows.append(
        [
            "clean: no error",
            str(len(clean)),
            "",
            fmt(clean_share),
            "",
            f"≥ {GOAL_CLEAN_SHARE}",
            mark(clean_ok),
        ]
    )
    print_table(
        f"ANSWER CHECKS — {len(answers)} answers, {len(clean)} clean",
        ["code", "positives", "prec ", "recall", "recall@error", "goal", "ok"],
        rows,
    )
    if unknown_codes:
        print(
            "codes outside the corpus vocabulary: "
            + ", ".join(f"{c} ×{n}" for c, n in unknown_codes.items())
        )
    n = len(answers)
    print(
        f"throughput: check_answer {elapsed * 1000 / n:.2f} ms per answer ({n / elapsed if elapsed else 0:,.0f}/s)"
    )

    if show_errors:
        by_id = {a["id"]: a for a in answers}
        print("\n--- answer-check errors (id | code | expected | got | answer) ---")
        for c in CODES:
            b = per_code[c]
            for aid in b.fn_ids:
                print(
                    f"{aid} | {c} | {by_id[aid]['expected'][c]} | — | {short(by_id[aid]['answer'])}"
                )
            for aid in b.fp_ids:
                got = _describe(findings[aid], c)
                print(f"{aid} | {c} | — | {got} | {short(by_id[aid]['answer'])}")
        for a in clean_bad:
            errs = [f for f in findings[a["id"]] if f.severity == "error"]
            print(f"{a['id']} | clean | {{}} | {_describe(errs)} | {short(a['answer'])}")
    return goals


def _describe(fs: Iterable[Any], code: str | None = None) -> str:
    parts = []
    for f in fs:
        if code is not None and f.code != code:
            continue
        frag = ""
        start, end = getattr(f, "start", None), getattr(f, "end", None)
        msg = getattr(f, "message", "") or ""
        if isinstance(start, int) and isinstance(end, int):
            frag = f"@{start}-{end}"
        parts.append(f"{f.code}:{f.severity}{frag} {short(msg, 50)}".strip())
    return "; ".join(parts) or "—"


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=Path, default=DEFAULT_MESSAGES)
    parser.add_argument("--answers", type=Path, default=DEFAULT_ANSWERS)
    parser.add_argument("--errors", action="store_true", help="list misclassified items")
    args = parser.parse_args(argv)

    screen, check_answer = import_engines()
    messages = load_jsonl(args.messages)
    answers = load_jsonl(args.answers)

    goals = bench_screening(screen, messages, args.errors)
    goals += bench_answers(check_answer, answers, args.errors)

    met = sum(ok for _, ok in goals)
    print(f"\nGOALS MET: {met}/{len(goals)}")
    missed = [name for name, ok in goals if not ok]
    if missed:
        print("missed: " + ", ".join(missed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
