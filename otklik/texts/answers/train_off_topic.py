"""Build the off-topic model (``data/off_topic_model.json``) from the development corpora.

    python -m otklik.texts.answers.train_off_topic            # write the file
    python -m otklik.texts.answers.train_off_topic --cv       # leave one corpus out, no file

Each answer of a corpus becomes the signals of ``off_topic.signals`` (the question is analysed
as ``check_answer`` does); a logistic regression weighs them. The threshold is chosen on 5-fold
out-of-fold probabilities of the training data only: the lowest probability at which precision
stays at or above ``MIN_PRECISION``, the best F1 among those. Deterministic: fixed folds, sorted
output, rounded weights. ``--cv`` trains on all corpora but one and measures on that one, next to
the rule layer alone on the same corpus: the figures to quote, never figures on training data.
The sealed corpus and the self-written check file are refused by name (otklik/texts/corpora.py).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from otklik.texts import corpora
from otklik.texts.normalise_input import normalise

from . import off_topic, off_topic_model, redirect
from ._doc import Doc

ROOT = corpora.ROOT
CORPORA = corpora.ANSWERS
OUT = Path(__file__).resolve().parent / "data" / off_topic_model.FILE
C = 1.0
FOLDS = 5
SEED = 16
MIN_PRECISION = 0.9
DIGITS = 4

RULE = "_rule"
RULE_ERROR = "_rule_error"
Rows = tuple[list[dict[str, float]], list[int]]


def load(path: Path) -> Rows:
    if (why := corpora.refused(path)) is not None:
        raise SystemExit(f"{path}: {why}")
    feats: list[dict[str, float]] = []
    labels: list[int] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            question = normalise(row.get("question") or "").text
            if not question.strip():
                continue
            qa = off_topic._question(question)
            if qa.doc.word_count() < off_topic.MIN_QUESTION_WORDS:
                continue  # the check never runs on these
            doc = Doc(normalise(row["answer"]).text)
            if redirect.check(doc, question=question):
                continue  # check_answer does not look for off-topic in a redirect
            rule = off_topic.rule_check(doc, qa)
            signals = off_topic.signals(doc, qa)
            signals[RULE] = float(bool(rule))  # kept for the comparison, never a feature
            signals[RULE_ERROR] = float(any(f.severity == "error" and off_topic.NO_SUBJECT
                                            not in f.message for f in rule))
            feats.append(signals)
            labels.append(int("off_topic" in row["expected"]))
    return feats, labels


def _matrix(feats: list[dict[str, float]], names: list[str]) -> npt.NDArray[np.float64]:
    return np.array([[f.get(n, 0.0) for n in names] for f in feats], dtype=np.float64)


def _threshold(probs: npt.NDArray[np.float64], y: npt.NDArray[np.int_]) -> float:
    best, best_f1 = 0.5, -1.0
    for t in sorted(set(np.round(probs, 3))):
        pred = probs >= t
        tp = int((pred & (y == 1)).sum())
        fp = int((pred & (y == 0)).sum())
        fn = int((~pred & (y == 1)).sum())
        if tp == 0:
            continue
        precision, recall = tp / (tp + fp), tp / (tp + fn)
        f1 = 2 * precision * recall / (precision + recall)
        if precision >= MIN_PRECISION and f1 > best_f1:
            best, best_f1 = float(t), f1
    return best


def fit(feats: list[dict[str, float]], labels: list[int]) -> dict[str, Any]:
    names = sorted(n for n in feats[0] if not n.startswith("_"))
    x, y = _matrix(feats, names), np.array(labels)
    model = LogisticRegression(C=C, max_iter=2000, class_weight="balanced")
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    oof = cross_val_predict(model, x, y, cv=folds, method="predict_proba")[:, 1]
    model.fit(x, y)
    return {
        "format": off_topic_model.FORMAT,
        "version": 1,
        "weights": {n: round(float(w), DIGITS) for n, w in zip(names, model.coef_[0], strict=True)},
        "intercept": round(float(model.intercept_[0]), DIGITS),
        "threshold": round(_threshold(oof, y), 3),
        "trained_on": sorted(str(p.relative_to(ROOT)) for p in CORPORA),
    }


def _figures(pred: list[bool], labels: list[int]) -> str:
    tp = sum(p and y for p, y in zip(pred, labels, strict=True))
    fp = sum(p and not y for p, y in zip(pred, labels, strict=True))
    fn = sum(y and not p for p, y in zip(pred, labels, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return f"P {precision:.3f} R {recall:.3f} (tp {tp}, fp {fp}, fn {fn})"


def cross_validate() -> None:
    data = {p: load(p) for p in CORPORA}
    for held in CORPORA:
        feats = [f for p in CORPORA if p != held for f in data[p][0]]
        labels = [y for p in CORPORA if p != held for y in data[p][1]]
        params = off_topic_model.OffTopicModel.from_dict(fit(feats, labels))
        test_feats, test_labels = data[held]
        learned = [params.probability(f) >= params.threshold for f in test_feats]
        rules = [bool(f[RULE]) for f in test_feats]
        either = [a or bool(f[RULE_ERROR]) for a, f in zip(learned, test_feats, strict=True)]
        print(f"{held.relative_to(ROOT)}: learned {_figures(learned, test_labels)} | "
              f"rules {_figures(rules, test_labels)} | as check_answer (sure rule errors or learned) "
              f"{_figures(either, test_labels)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cv", action="store_true", help="leave one corpus out; write nothing")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if args.cv:
        cross_validate()
        return 0
    feats: list[dict[str, float]] = []
    labels: list[int] = []
    for path in CORPORA:
        f, y = load(path)
        feats += f
        labels += y
    data = fit(feats, labels)
    args.out.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                        encoding="utf-8")
    print(f"{args.out}: {len(labels)} answers, {sum(labels)} off topic, "
          f"threshold {data['threshold']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
