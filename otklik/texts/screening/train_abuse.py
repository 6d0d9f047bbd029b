"""Build the learned п. 21 model (``data/abuse.json``) from the development corpora.

    python -m otklik.texts.screening.train_abuse         # write the file
    python -m otklik.texts.screening.train_abuse --cv    # leave one corpus out, no file

Features are ``learned.features`` of the normalised text (no rule signs), weighed by tf-idf as the
screening model's; a logistic regression says п. 21 or not, a multinomial one which reason (on the
п. 21 messages only). ``--cv`` trains on all corpora but one and reports, on that one, the rule
layers alone and the rules with the model asked where they are silent — the figures that chose
``C`` and ``THRESHOLD`` (blind3, the only corpus the rules were not written against: rules
0.915 / 0.621, with the model at 0.7 0.884 / 0.874; 0.8 kept less recall for no precision).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.linear_model import LogisticRegression

from otklik.texts import corpora, normalise_input
from otklik.texts.screening import abuse, learned, no_answer, threats
from otklik.texts.screening import train as screening_train

OUT = Path(__file__).resolve().parent / "data" / abuse.FILE
C = 4.0
THRESHOLD = 0.7
DIGITS = 5
SEED = 16


@dataclass(frozen=True, slots=True)
class Example:
    text: str  # normalised
    reason: str | None  # the п. 21 reason, None when п. 21 does not apply


def load(path: Path) -> list[Example]:
    if (why := corpora.refused(path)) is not None:
        raise SystemExit(f"{path}: {why}")
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                reason = row.get("no_answer_reason") if row.get("no_answer") else None
                out.append(Example(normalise_input.normalise(str(row["text"])).text, reason))
    return out


def fit(examples: Sequence[Example], *, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    """The model file's contents (see abuse.AbuseModel)."""
    matrix = screening_train.tfidf_matrix([learned.features(e.text) for e in examples])
    x, names, idf = matrix.x, matrix.names, matrix.idf
    y = np.array([e.reason is not None for e in examples])
    binary = LogisticRegression(C=C, class_weight="balanced", max_iter=5000, solver="liblinear",
                                random_state=SEED).fit(x, y)
    positive = np.flatnonzero(y)
    reasons_y = np.array([examples[int(i)].reason for i in positive])
    which = LogisticRegression(C=C, max_iter=5000, random_state=SEED).fit(x[positive], reasons_y)
    reasons = [str(r) for r in which.classes_]
    if len(reasons) == 2:  # scikit-learn keeps one row for two classes: the second's against the first
        coef_r = np.vstack([-which.coef_[0], which.coef_[0]])
        icpt_r = np.array([-which.intercept_[0], which.intercept_[0]])
    else:
        coef_r, icpt_r = which.coef_, which.intercept_
    coef = np.vstack([binary.coef_[0], coef_r]).T  # features × (1 + reasons)
    rows = {n: [round(float(idf[i]), DIGITS), *(round(float(v), DIGITS) for v in coef[i])]
            for i, n in enumerate(names) if np.any(np.abs(coef[i]) >= 10 ** -DIGITS)}
    return {
        "format": abuse.FORMAT,
        "version": abuse.VERSION,
        "reasons": reasons,
        "threshold": THRESHOLD,
        "intercept": [round(float(binary.intercept_[0]), DIGITS), *(round(float(v), DIGITS) for v in icpt_r)],
        "meta": {"C": C, "examples": len(examples), **(meta or {})},
        "features": rows,
    }


def _figures(pred: npt.NDArray[np.bool_], y: npt.NDArray[np.bool_]) -> str:
    tp, fp, fn = int((pred & y).sum()), int((pred & ~y).sum()), int((~pred & y).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return f"P {precision:.3f} R {recall:.3f}"


def cross_validate(paths: Sequence[Path]) -> list[str]:
    sets = [load(p) for p in paths]
    out = []
    for i, path in enumerate(paths):
        model = abuse.AbuseModel(fit([e for j, s in enumerate(sets) if j != i for e in s]))
        y = np.array([e.reason is not None for e in sets[i]])
        rules = np.array([no_answer.check(e.text)[0] is not None for e in sets[i]])
        verdicts = [model.verdict(e.text) for e in sets[i]]
        # As screen() asks it: not where the rules found lawful pressure or reported words.
        asked = np.array([v.flagged and not threats.lawful_or_reported(e.text) for v, e in zip(verdicts, sets[i],
                                                                                               strict=True)])
        both = rules | asked
        added = [k for k in range(len(y)) if both[k] and not rules[k] and y[k]]
        right = sum(verdicts[k].reason == sets[i][k].reason for k in added)
        out.append(f"{corpora.shown(path):<40} rules {_figures(rules, y)} | rules + model {_figures(both, y)}"
                   f" | reason right on {right} of {len(added)} added")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Обучить модель п. 21 по корпусам разработки.")
    parser.add_argument("--cv", action="store_true", help="только проверка: обучение без одного корпуса")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    paths = list(corpora.MESSAGES_FOR_ABUSE)
    if args.cv:
        print("\n".join(cross_validate(paths)))
        return 0
    examples = [e for p in paths for e in load(p)]
    data = fit(examples, meta={"corpora": [corpora.shown(p) for p in paths]})
    args.out.write_text(abuse.dumps(data), encoding="utf-8")
    print(f"{args.out}: {len(examples)} сообщений, {len(data['features'])} признаков, порог {THRESHOLD}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
