"""Spam, high importance and topic from linear models learned on the labelled corpora.

One feature extractor feeds three sparse linear models: lemmas (from the shared cached
pymorphy3 analyser), lemma bigrams, character 3–4-grams inside each lemma (new word forms and
compounds share them with known words), every noun's lemma once more as the object of the
message (what the topic is read from), a few shape signs (link, phone, sum, emoji) and the
verdicts of the rule layers (a spam sign, an emergency reason) as features. Every feature is
present or absent, weighted by its idf and the vector L2-normalised, as scikit-learn's
``TfidfTransformer(sublinear_tf=True)`` over a ``DictVectorizer`` does at training time.

The model is a JSON file written by ``otklik.texts.screening.train`` (no pickle: loading runs
no code, and a retrained file diffs line by line, one feature a line). Probabilities are the
models' decision values put through the sigmoid calibration fitted on cross-validated
predictions; the spam and importance thresholds were chosen by cross-validation and are stored
in the file. scikit-learn is needed only to train; predicting needs numpy.

``set_model_path(path)`` points the engine at a retrained file (the worker writes one into the
var directory); the file is re-read when its modification time changes, and the shipped model
in ``data/learned.json`` is used when no path is set or the file is missing or unreadable.
"""

from __future__ import annotations

import json
import math
import os
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from otklik.texts import morph
from otklik.texts.screening import importance, spam, topics

__all__ = [
    "FORMAT_VERSION",
    "LearnedModel",
    "Prediction",
    "current",
    "features",
    "mix",
    "rule_signs",
    "rules_fired",
    "set_model_path",
    "shape_features",
    "word_features",
    "words",
]

FORMAT_VERSION = 1
_WORD_CACHE = 200_000  # words whose model indices are kept, per model

_WORD_RE = re.compile(r"[а-яёa-z]+(?:-[а-яёa-z]+)?")  # on lower-case text
_URL_RE = re.compile(r"https?://|www\.|\b[\w-]{1,63}\.(?:ru|рф|com|me|ly|cc|site|online|xyz|top|club|shop|pro)\b")
_PHONE_RE = re.compile(r"(?:\+7|\b8)[\s(-]*9\d{2}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}")
_MONEY_RE = re.compile(r"\d[\d\s]{0,12}\s*(?:р\b|руб|₽|\$|тыс|к\b)", re.IGNORECASE)
_NUMBER_RE = re.compile(r"\d+")
_EMOJI_RE = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")


@lru_cache(maxsize=100_000)
def _word_features(low: str) -> tuple[str, tuple[str, ...]]:
    """The lemma of a lower-case word and its other features (cached: words repeat): character
    3–4-grams of the lemma, and for a noun the lemma again as an object («n:»): the topic is what
    the message is about, and that is named by nouns (their n-grams twice only added noise)."""
    lem = morph.lemma(low)
    padded = f"<{lem}>"
    grams = {f"c:{padded[i:i + n]}" for n in (3, 4) for i in range(len(padded) - n + 1)}
    if morph.pos(low) == "NOUN":
        grams.add(f"n:{lem}")
    return lem, tuple(sorted(grams))


def _words(text: str) -> list[str]:
    """The lower-case words of ``text`` (the text is lowered once: a case-insensitive pattern
    costs the regex engine more)."""
    return _WORD_RE.findall(text.lower())


def _other_features(text: str, rule_signs: Iterable[str]) -> list[str]:
    """The features that are not words: the rule signs and the shape of the text."""
    out = [f"r:{s}" for s in rule_signs]
    # A link needs «.» or «://», a phone or a sum a digit: most messages skip those patterns.
    if ("." in text or "://" in text) and _URL_RE.search(text):
        out.append("s:url")
    digits = _NUMBER_RE.findall(text)
    if digits:
        out.append(f"s:num{min(max(len(d) for d in digits), 6)}")
        if _PHONE_RE.search(text):
            out.append("s:phone")
        if _MONEY_RE.search(text):
            out.append("s:money")
    if _EMOJI_RE.search(text):
        out.append("s:emoji")
    if "!!" in text:
        out.append("s:exclaim")
    return out


# The feature extractor's parts, for the other models over the same features (abuse.py).
words = _words
word_features = _word_features


def shape_features(text: str) -> list[str]:
    """The features of the text's shape (link, phone, sum, emoji), without rule signs."""
    return _other_features(text, ())


def features(text: str, rule_signs: Iterable[str] = ()) -> set[str]:
    """The names of the features present in ``text``; ``rule_signs`` are the rule layers' verdicts
    («spam», «hi:water», …), added as «r:…» features."""
    out = set(_other_features(text, rule_signs))
    prev = ""
    for low in _words(text):
        lem, grams = _word_features(low)
        out.add(f"w:{lem}")
        out.update(grams)
        if prev:
            out.add(f"b:{prev} {lem}")
        prev = lem
    return out


def rule_signs(is_spam: bool, reasons: Iterable[str], rule_topic: str | None) -> list[str]:
    """The rule layers' verdicts as feature names: the spam rules fired, each emergency reason,
    the topic the keyword rules found (none when they found nothing)."""
    out = (["spam"] if is_spam else []) + [f"hi:{r}" for r in reasons]
    return [*out, f"topic:{rule_topic}"] if rule_topic and rule_topic != "other" else out


def text_rule_signs(text: str) -> list[str]:
    """``rule_signs`` of a text, running the rule layers (for training; screen() has them)."""
    reasons = importance.check(text)[0]
    extra = {topics.EMERGENCY_TOPIC[r]: topics.EMERGENCY_WEIGHT
             for r in reasons if r in topics.EMERGENCY_TOPIC}
    rule_topic = topics.best(topics.rule_scores(text, None, extra))
    return rule_signs(spam.check(text)[0], reasons, rule_topic)


@dataclass(frozen=True, slots=True)
class Prediction:
    """``spam`` and ``high`` are the calibrated models' probabilities; ``spam_score`` and
    ``high_score`` mix them with the rule layers' verdicts, ``(1 − w)·p + w·[the rules fired]``
    (w per output, chosen by cross-validation and stored in the file), and decide."""

    spam: float
    high: float
    topics: Mapping[str, float]
    is_spam: bool
    is_high: bool
    spam_score: float = 0.0
    high_score: float = 0.0

    @property
    def topic(self) -> str:
        return max(self.topics, key=lambda t: (self.topics[t], t == "other"))

    def topics_with_rules(self, rules: Mapping[str, float], weight: float) -> dict[str, float]:
        """The topic probabilities mixed with the keyword rules' normalised scores:
        ``(1 − weight)·p + weight·rules`` (weight from the model file, chosen by cross-validation:
        on unseen text the mix beats either alone)."""
        return {t: (1.0 - weight) * p + weight * float(rules.get(t, 0.0))
                for t, p in self.topics.items()}


def mix(p: float, fired: bool, weight: float) -> float:
    """A model's probability mixed with a rule layer's verdict: ``(1 − weight)·p + weight·fired``."""
    return (1.0 - weight) * p + weight * float(fired)


def rules_fired(names: Iterable[str]) -> tuple[bool, bool]:
    """Whether the spam rules and the emergency rules fired, from the «r:…» feature names."""
    spam = high = False
    for n in names:
        spam = spam or n == "r:spam"
        high = high or n.startswith("r:hi:")
    return spam, high


def _sigmoid_calibrated(values: npt.NDArray[np.float64], a: npt.NDArray[np.float64],
                        b: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    # scikit-learn's _SigmoidCalibration: p = 1 / (1 + exp(a·f + b)).
    z = np.minimum(np.maximum(a * values + b, -500.0), 500.0)
    return np.asarray(1.0 / (1.0 + np.exp(z)), dtype=np.float64)


class LearnedModel:
    """The three calibrated linear models over one vocabulary. Build with ``from_dict``."""

    __slots__ = ("_a", "_b", "_bigrams", "_coef", "_idf", "_index", "_intercept", "_packed", "_vocab",
                 "_word_idx", "meta", "topics")

    def __init__(self, *, vocabulary: list[str], idf: list[float], outputs: list[str],
                 coef: list[list[float]], intercept: list[float], calibration: list[list[float]],
                 topics: list[str], meta: Mapping[str, Any]) -> None:
        if len(vocabulary) != len(idf) or len(coef) != len(vocabulary):
            raise ValueError("vocabulary, idf and coefficients differ in length")
        if len(outputs) != 2 + len(topics) or outputs[:2] != ["spam", "high"]:
            raise ValueError("outputs must be spam, high, then the topics")
        self._index: dict[str, int] = {f: i for i, f in enumerate(vocabulary)}
        self._vocab = frozenset(vocabulary)
        self._word_idx: dict[str, tuple[str, frozenset[int]]] = {}
        # «b:лемма лемма» by its pair of lemmas (a lemma has no space).
        self._bigrams: dict[tuple[str, str], int] = {
            (a, b): i for f, i in self._index.items() if f.startswith("b:")
            for a, _sp, b in [f[2:].partition(" ")]}
        self._idf = np.asarray(idf, dtype=np.float64)
        self._coef = np.asarray(coef, dtype=np.float64).reshape(len(vocabulary), len(outputs))
        self._intercept = np.asarray(intercept, dtype=np.float64)
        # One row a feature: idf·coef of every output, then idf² (for the norm): one gather and
        # one sum per message.
        self._packed = np.column_stack([self._idf[:, None] * self._coef, self._idf * self._idf])
        cal = np.asarray(calibration, dtype=np.float64).reshape(len(outputs), 2)
        self._a = cal[:, 0]
        self._b = cal[:, 1]
        self.topics: tuple[str, ...] = tuple(topics)
        self.meta: dict[str, Any] = dict(meta)

    @property
    def spam_threshold(self) -> float:
        return float(self.meta.get("spam_threshold", 0.5))

    @property
    def high_threshold(self) -> float:
        return float(self.meta.get("high_threshold", 0.5))

    @property
    def topic_rule_weight(self) -> float:
        return float(self.meta.get("topic_rule_weight", 0.0))

    @property
    def spam_rule_weight(self) -> float:
        return float(self.meta.get("spam_rule_weight", 0.0))

    @property
    def high_rule_weight(self) -> float:
        return float(self.meta.get("high_rule_weight", 0.0))

    def predict_text(self, text: str, rule_signs: Iterable[str] = ()) -> Prediction:
        """``predict(features(text, rule_signs))``, faster: each word's lemma and model indices
        are cached on the model (they are the same in every message), and a bigram is looked up
        as a pair of lemmas, without building its name."""
        index = self._index
        signs = list(rule_signs)
        found = {i for f in _other_features(text, signs) if (i := index.get(f)) is not None}
        cache = self._word_idx
        bigrams = self._bigrams
        prev = ""
        for low in _words(text):
            got = cache.get(low)
            if got is None:
                lem, grams = _word_features(low)
                got = (lem, frozenset(index[f] for f in {f"w:{lem}", *grams} & self._vocab))
                if len(cache) < _WORD_CACHE:
                    cache[low] = got
            lem, ids = got
            found.update(ids)
            if prev:
                j = bigrams.get((prev, lem))
                if j is not None:
                    found.add(j)
            prev = lem
        return self._predict_idx(np.fromiter(found, dtype=np.intp, count=len(found)),
                                 *rules_fired(f"r:{s}" for s in signs))

    def _indices(self, feats: set[str]) -> npt.NDArray[np.intp]:
        index = self._index
        return np.array([index[f] for f in feats & self._vocab], dtype=np.intp)

    def predict(self, feats: Iterable[str]) -> Prediction:
        names = set(feats)
        return self._predict_idx(self._indices(names), *rules_fired(names))

    def _predict_idx(self, idx: npt.NDArray[np.intp], rule_spam: bool = False,
                     rule_high: bool = False) -> Prediction:
        if idx.size:
            # x = idf[idx] / ‖idf[idx]‖, so x·coef = Σ (idf·coef)[idx] / ‖idf[idx]‖.
            sums = self._packed[idx].sum(axis=0)
            values = sums[:-1] / math.sqrt(float(sums[-1])) + self._intercept
        else:
            values = self._intercept.copy()
        p = _sigmoid_calibrated(values, self._a, self._b)
        topic_p = p[2:]
        total = float(topic_p.sum())
        if total > 0:
            topic_p = topic_p / total
        else:
            topic_p = np.full(len(self.topics), 1.0 / len(self.topics))
        spam, high = float(p[0]), float(p[1])
        spam_score = mix(spam, rule_spam, self.spam_rule_weight)
        high_score = mix(high, rule_high, self.high_rule_weight)
        return Prediction(
            spam=spam,
            high=high,
            topics=dict(zip(self.topics, topic_p.tolist(), strict=True)),
            is_spam=spam_score >= self.spam_threshold,
            is_high=high_score >= self.high_threshold,
            spam_score=spam_score,
            high_score=high_score,
        )

    # ------------------------------------------------------------------ the file
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LearnedModel:
        if data.get("format") != "otklik-screening-learned" or data.get("version") != FORMAT_VERSION:
            raise ValueError(f"not an Otklik screening model (format version {FORMAT_VERSION})")
        rows: Mapping[str, list[float]] = data["features"]
        vocabulary = list(rows)
        return cls(
            vocabulary=vocabulary,
            idf=[float(rows[f][0]) for f in vocabulary],
            coef=[[float(v) for v in rows[f][1:]] for f in vocabulary],
            outputs=list(data["outputs"]),
            intercept=[float(v) for v in data["intercept"]],
            calibration=[[float(a), float(b)] for a, b in data["calibration"]],
            topics=list(data["topics"]),
            meta=data.get("meta", {}),
        )

    @classmethod
    def from_json(cls, text: str) -> LearnedModel:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("not an Otklik screening model")
        return cls.from_dict(data)


def dumps(data: Mapping[str, Any]) -> str:
    """The model file's text: the header fields, then one feature a line (diffable), sorted."""
    head = {k: v for k, v in data.items() if k != "features"}
    lines = ["{"]
    for key, value in head.items():
        lines.append(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False, sort_keys=True)},")
    lines.append('"features": {')
    rows = sorted(data["features"].items())
    for i, (name, row) in enumerate(rows):
        comma = "," if i < len(rows) - 1 else ""
        lines.append(f"{json.dumps(name, ensure_ascii=False)}: {json.dumps(row)}{comma}")
    lines.append("}")
    lines.append("}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------- which model is used
_lock = threading.Lock()
_override: Path | None = None
_loaded: dict[tuple[str, float], LearnedModel] = {}


def set_model_path(path: str | os.PathLike[str] | None) -> None:
    """Use the retrained model at ``path`` when it exists (None: only the shipped one)."""
    global _override
    with _lock:
        _override = Path(path) if path is not None else None


@lru_cache(maxsize=1)
def shipped() -> LearnedModel:
    raw = resources.files("otklik.texts.screening").joinpath("data").joinpath("learned.json")
    return LearnedModel.from_json(raw.read_text("utf-8"))


def current() -> LearnedModel:
    """The retrained model when one is set and readable, else the shipped one."""
    path = _override
    if path is None:
        return shipped()
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return shipped()
    key = (str(path), mtime)
    model = _loaded.get(key)
    if model is not None:
        return model
    with _lock:
        try:
            model = LearnedModel.from_json(path.read_text("utf-8"))
        except (OSError, ValueError, KeyError, TypeError):
            # A broken retrained file must not stop the screening: the shipped model answers.
            return shipped()
        _loaded.clear()
        _loaded[key] = model
    return model
