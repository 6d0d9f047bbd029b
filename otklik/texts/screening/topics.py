"""Topic of a message: shipped keyword rules, and a model learned from the curators' routing.

The rules weigh lemmas and lemma phrases from data/topics.toml. The model is a multinomial naive
Bayes over the same lemmas with Laplace smoothing, trained on (text, topic) pairs the curators
confirmed; it is pure Python and serialises to JSON so the Django side can store it.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources

from otklik.texts import morph
from otklik.texts.screening.result import TOPICS

_WORD_RE = re.compile(r"[а-яёА-ЯЁa-zA-Z]+(?:-[а-яёА-ЯЁ]+)?")

# Words too common to tell topics apart; skipped by the model (the rules never list them).
_STOPWORD_TEXT = """и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее
    мне было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был
    него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней
    для мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж тогда кто этот того
    потому этого какой совсем ним здесь этом один почти мой тем чтобы нее сейчас были куда зачем
    всех никогда можно при наконец два об другой хоть после над больше тот через эти нас про всего
    них какая много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя
    такой им более всегда конечно всю между это весь свой который наш ваш очень просить прошу
    здравствуйте добрый день пожалуйста спасибо уважаемый администрация"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


# A capitalised word after a place preposition or a street marker is a place name («на
# Набережной», «в переулке Школьном», «по Садовой»): it says where, not what about.
_PLACE_BEFORE_TEXT = """на по у возле около напротив в во из до от за ул улица улице улицу улицы
    пер переулок переулке переулка пл площадь площади пр просп проспект проспекте мкр микрорайон
    микрорайоне наб набережная набережной"""
_PLACE_BEFORE = frozenset(_PLACE_BEFORE_TEXT.split())
_TITLE_RE = re.compile(r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё][а-яё]+)?")


def lemmas(text: str) -> list[str]:
    """Lemmas of every word of the text, in order (short words kept for phrases).

    Place names (a capitalised adjective or weak clue after a place preposition) become "" so
    that a street called «Школьная» or «Набережная» does not vote for a topic.
    """
    out: list[str] = []
    prev = ""
    for m in _WORD_RE.finditer(text):
        word = m.group(0)
        low = word.lower()
        lem = morph.lemma(low)
        if prev in _PLACE_BEFORE and _TITLE_RE.fullmatch(word) and _place_name(low, lem):
            lem = ""
        out.append(lem)
        prev = low
    return out


@lru_cache(maxsize=50_000)
def _place_name(low: str, lem: str) -> bool:
    """Could this capitalised word be a street or settlement name rather than a topic clue?
    Adjectives («Школьной») always; nouns only when they are weak clues («Набережной»)."""
    if morph.pos(low) in ("ADJF", "PRTF"):
        return True
    weights = _rules()[0].get(lem, {})
    return not weights or max(weights.values()) < 3


@lru_cache(maxsize=100_000)
def _other_lemmas(lemma: str) -> tuple[str, ...]:
    """Other normal forms a word with this first lemma may have («ямы» → «ям», also «яма»).

    The most probable parse is sometimes a rare word; the rules look at the others when it misses.
    """
    out: list[str] = []
    for parse in morph.analyzer().parse(lemma):
        nf = parse.normal_form.replace("ё", "е")
        if nf != lemma and nf not in out:
            out.append(nf)
    return tuple(out)


@lru_cache(maxsize=1)
def _rules() -> tuple[dict[str, dict[str, float]], dict[tuple[str, ...], dict[str, float]]]:
    """Single-lemma weights and phrase weights, per lemma then per topic."""
    raw = resources.files("otklik.texts.screening").joinpath("data").joinpath("topics.toml")
    table = tomllib.loads(raw.read_text("utf-8"))
    words: dict[str, dict[str, float]] = {}
    phrases: dict[tuple[str, ...], dict[str, float]] = {}
    for topic, entries in table.items():
        for key, weight in entries.items():
            parts = tuple(morph.lemma(p) for p in key.split())
            if len(parts) == 1:
                for lem in {parts[0], key.replace("ё", "е")}:
                    words.setdefault(lem, {})[topic] = float(weight)
            else:
                phrases.setdefault(parts, {})[topic] = float(weight)
    return words, phrases


@lru_cache(maxsize=1)
def _phrase_starts() -> tuple[tuple[int, frozenset[str]], ...]:
    """Each phrase length, longest first, with the lemmas a phrase of that length begins with."""
    phrases = _rules()[1]
    lengths = sorted({len(p) for p in phrases}, reverse=True)
    return tuple((n, frozenset(p[0] for p in phrases if len(p) == n)) for n in lengths)


def rule_scores(
    text: str, lems: list[str] | None = None, extra: Mapping[str, float] | None = None
) -> dict[str, float]:
    """Normalised topic scores from the keyword rules; {"other": 1.0} when nothing matched.

    `extra` adds weights found by the other checks (an emergency points at a topic).
    """
    words, phrases = _rules()
    starts = _phrase_starts()
    seq = lems if lems is not None else lemmas(text)
    raw: dict[str, float] = {}
    used = [False] * len(seq)
    for n, first in starts:
        for i in range(len(seq) - n + 1):
            # Most lemmas begin no phrase of this length: skip them before slicing.
            if seq[i] not in first or any(used[i : i + n]):
                continue
            hit = phrases.get(tuple(seq[i : i + n]))
            if hit:
                for topic, weight in hit.items():
                    raw[topic] = raw.get(topic, 0.0) + weight
                for j in range(i, i + n):
                    used[j] = True
    seen: Counter[str] = Counter()
    for i, lem in enumerate(seq):
        if used[i]:
            continue
        hit = words.get(lem)
        if not hit:
            hit = next((words[o] for o in _other_lemmas(lem) if o in words), None)
        if not hit:
            continue
        # A word repeated many times should not outweigh several different clues.
        seen[lem] += 1
        if seen[lem] > 2:
            continue
        factor = 1.0 if seen[lem] == 1 else 0.5
        for topic, weight in hit.items():
            raw[topic] = raw.get(topic, 0.0) + weight * factor
    return _normalise(_with_emergency(raw, extra or {}))


# The topic an emergency points at: a supply failure at utilities, fire, flood, collapse and people
# in danger at safety.
EMERGENCY_TOPIC: dict[str, str] = {
    "water": "utilities",
    "heating": "utilities",
    "gas": "utilities",
    "power": "utilities",
    "power_line": "utilities",
    "fire": "safety",
    "flood": "safety",
    "collapse": "safety",
    "injury": "safety",
    "children": "safety",
}
EMERGENCY_WEIGHT = 4.0

# An emergency keeps the topic of its object: a burst pipe flooding a flat is utilities, an open
# manhole is utilities however urgent. The emergency's own topic counts in full only when the
# words say nothing else, or already point at it; next to another object it is a mere hint.
_EMERGENCY_HINT = 0.4


def _with_emergency(raw: Mapping[str, float], extra: Mapping[str, float]) -> dict[str, float]:
    out = dict(raw)
    for topic, weight in extra.items():
        other_objects = any(v > 0 for t, v in raw.items() if t != topic)
        factor = _EMERGENCY_HINT if other_objects and raw.get(topic, 0.0) <= 0 else 1.0
        out[topic] = out.get(topic, 0.0) + weight * factor
    return out


def _normalise(raw: Mapping[str, float]) -> dict[str, float]:
    total = sum(v for v in raw.values() if v > 0)
    if total <= 0:
        return {code: (1.0 if code == "other" else 0.0) for code in TOPICS}
    return {code: max(raw.get(code, 0.0), 0.0) / total for code in TOPICS}


def best(scores: Mapping[str, float]) -> str:
    return max(TOPICS, key=lambda code: (scores.get(code, 0.0), code == "other"))


def features(text: str) -> list[str]:
    """The lemmas the model learns from: content words of three letters or more."""
    return [lem for lem in lemmas(text) if len(lem) >= 3 and lem not in _STOPWORDS]


class TopicModel:
    """Multinomial naive Bayes over lemmas with Laplace smoothing, learned from routing decisions."""

    __slots__ = ("_class_docs", "_class_totals", "_counts", "_vocab")

    def __init__(
        self,
        class_docs: Mapping[str, int],
        counts: Mapping[str, Mapping[str, int]],
    ) -> None:
        self._class_docs: dict[str, int] = dict(class_docs)
        self._counts: dict[str, dict[str, int]] = {c: dict(v) for c, v in counts.items()}
        self._class_totals: dict[str, int] = {c: sum(v.values()) for c, v in self._counts.items()}
        self._vocab: int = len({w for v in self._counts.values() for w in v})

    @classmethod
    def train(cls, examples: Iterable[tuple[str, str]]) -> TopicModel:
        class_docs: Counter[str] = Counter()
        counts: dict[str, Counter[str]] = {}
        for text, topic in examples:
            class_docs[topic] += 1
            counts.setdefault(topic, Counter()).update(features(text))
        return cls(class_docs, {c: dict(v) for c, v in counts.items()})

    @property
    def size(self) -> int:
        """Number of training examples."""
        return sum(self._class_docs.values())

    def scores(self, text: str) -> dict[str, float]:
        """Posterior probability of every learned topic."""
        if not self._class_docs:
            return {}
        feats = features(text)
        total_docs = self.size
        vocab = self._vocab + 1  # one slot for words never seen in training
        logs: dict[str, float] = {}
        for topic, docs in self._class_docs.items():
            counts = self._counts.get(topic, {})
            denominator = self._class_totals.get(topic, 0) + vocab
            lp = math.log(docs / total_docs)
            for f in feats:
                lp += math.log((counts.get(f, 0) + 1) / denominator)
            logs[topic] = lp
        top = max(logs.values())
        exp = {t: math.exp(v - top) for t, v in logs.items()}
        norm = sum(exp.values())
        return {t: v / norm for t, v in exp.items()}

    def predict(self, text: str) -> tuple[str, float] | None:
        """The most probable topic and its posterior; None when untrained or nothing is known."""
        if not self._class_docs:
            return None
        known = [f for f in features(text) if any(f in c for c in self._counts.values())]
        if not known:
            return None
        scores = self.scores(text)
        topic = max(scores, key=lambda t: scores[t])
        return topic, scores[topic]

    def to_json(self) -> str:
        return json.dumps(
            {"version": 1, "class_docs": self._class_docs, "counts": self._counts},
            ensure_ascii=False,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, s: str) -> TopicModel:
        data = json.loads(s)
        if not isinstance(data, dict) or data.get("version") != 1:
            raise ValueError("not a TopicModel JSON (version 1)")
        class_docs = {str(k): int(v) for k, v in data["class_docs"].items()}
        counts = {
            str(c): {str(w): int(n) for w, n in words.items()}
            for c, words in data["counts"].items()
        }
        return cls(class_docs, counts)


# The model decides only when it is this sure; below it the learned topic (or the rules) decide.
MODEL_CONFIDENCE = 0.6


def choose(
    text: str,
    lems: list[str],
    model: TopicModel | None,
    min_examples: int,
    extra: Mapping[str, float] | None = None,
    learned: Mapping[str, float] | None = None,
) -> tuple[str, dict[str, float]]:
    """The topic and scores: a municipality's routing model when trained enough and confident,
    else the learned model's probabilities (`learned`) when given, else the keyword rules."""
    if model is not None and model.size >= min_examples:
        pred = model.predict(text)
        if pred is not None and pred[1] >= MODEL_CONFIDENCE and pred[0] in TOPICS:
            posterior = model.scores(text)
            return pred[0], {code: posterior.get(code, 0.0) for code in TOPICS}
    if learned:
        scores = {code: float(learned.get(code, 0.0)) for code in TOPICS}
        return best(scores), scores
    rules = rule_scores(text, lems, extra)
    return best(rules), rules
