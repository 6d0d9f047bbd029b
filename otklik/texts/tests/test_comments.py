"""Moderation of comments (Прил. 1 п. 8): per-code precision and recall on a labelled dev set,
spans, the law check's kinds, asks/complains/needs_answer, and any ``str`` (Hypothesis).

The dev set (data/comments_dev.jsonl) holds comments under municipal posts, one JSON object a
line: ``text``; ``labels`` — the codes expected («obscenity», «insult», «threat», «spam») and law
kinds as «law:unrest», «law:extremism», «law:personal_data»; ``asks``, ``complains``; ``marks`` —
[label, substring] pairs that a finding must cover exactly. The floors below are what the engine
reaches on it, a little under, so a regression fails; the set was also used to tune the rules,
so they are no estimate of precision on unseen comments.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from otklik.texts.screening.comments import (
    CODES,
    CommentFinding,
    CommentScreen,
    screen_comment,
)
from otklik.texts.screening.law import KINDS

DEV = Path(__file__).parent / "data" / "comments_dev.jsonl"

# label -> (precision floor, recall floor)
FLOORS: dict[str, tuple[float, float]] = {
    "obscenity": (0.95, 0.95),
    "insult": (0.95, 0.95),
    "threat": (0.95, 0.85),
    "spam": (0.9, 0.95),
    "law": (0.95, 0.95),
    "law:unrest": (0.95, 0.95),
    "law:extremism": (0.95, 0.95),
    "law:personal_data": (0.95, 0.95),
    "asks": (0.9, 0.95),
    "complains": (0.95, 0.9),
}


def _rows() -> list[dict[str, object]]:
    with DEV.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _labels(result: CommentScreen) -> set[str]:
    got = {f.code for f in result.findings}
    got |= {f"law:{f.kind}" for f in result.findings if f.code == "law"}
    if result.asks:
        got.add("asks")
    if result.complains:
        got.add("complains")
    return got


def _expected(row: dict[str, object]) -> set[str]:
    labels = row["labels"]
    assert isinstance(labels, list)
    exp = {str(x) for x in labels}
    if any(x.startswith("law:") for x in exp):
        exp.add("law")
    if row["asks"]:
        exp.add("asks")
    if row["complains"]:
        exp.add("complains")
    return exp


def test_dev_set_is_big_and_covers_every_label() -> None:
    rows = _rows()
    assert len(rows) >= 120
    counts: Counter[str] = Counter()
    for row in rows:
        counts.update(_expected(row))
    clean = sum(1 for row in rows if not _expected(row))
    assert clean >= 20
    for label in FLOORS:
        assert counts[label] >= 8, label


def test_dev_precision_and_recall() -> None:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for row in _rows():
        got, exp = _labels(screen_comment(str(row["text"]))), _expected(row)
        for label in got | exp:
            if label in got and label in exp:
                tp[label] += 1
            elif label in got:
                fp[label] += 1
            else:
                fn[label] += 1
    report = []
    for label, (p_floor, r_floor) in FLOORS.items():
        precision = tp[label] / (tp[label] + fp[label]) if tp[label] + fp[label] else 1.0
        recall = tp[label] / (tp[label] + fn[label]) if tp[label] + fn[label] else 1.0
        report.append(f"{label}: P={precision:.2f} R={recall:.2f}")
        assert precision >= p_floor and recall >= r_floor, "; ".join(report)


def test_dev_spans() -> None:
    checked = 0
    for row in _rows():
        text = str(row["text"])
        result = screen_comment(text)
        marks = row["marks"]
        assert isinstance(marks, list)
        for label, piece in marks:
            start = text.lower().index(piece.lower())
            end = start + len(piece)
            found = [f for f in result.findings if label in (f.code, f.kind)]
            if label in CODES and label != "law":
                # The п. 21 detectors mark the word; it must lie inside the expected stretch.
                assert any(start <= f.start < f.end <= end for f in found), (text, piece, found)
            else:
                assert any((f.start, f.end) == (start, end) for f in found), (text, piece, found)
            checked += 1
    assert checked >= 15


@pytest.mark.parametrize(
    ("text", "kind", "piece"),
    [
        ("Давайте выйдем и перекроем трассу!", "unrest", "перекроем трассу"),
        ("Громите администрацию, народ!", "unrest", "Громите"),
        ("Надо бить чиновников", "unrest", "бить чиновников"),
        ("Митинг без согласования, все на площадь в субботу", "unrest", "Митинг"),
        ("Террористы — герои!", "extremism", "Террористы — герои"),
        ("Надо свергнуть эту власть", "extremism", "свергнуть эту власть"),
        ("Бей хачей", "extremism", "Бей хачей"),
        ("Зиг хайль", "extremism", "Зиг хайль"),
        ("Вот номер соседа 8 918 123-45-67, звоните ему", "personal_data", "8 918 123-45-67"),
        ("СНИЛС 112-233-445 95", "personal_data", "112-233-445 95"),
        ("паспорт 03 12 345678", "personal_data", "03 12 345678"),
        ("Сосед Петров ставит машину А123ВС 93 на газон", "personal_data", "А123ВС 93"),
        ("Иванова Ольга живёт на Садовой 12, кв. 5", "personal_data", "Садовой 12, кв. 5"),
    ],
)
def test_law_kinds(text: str, kind: str, piece: str) -> None:
    found = [f for f in screen_comment(text).findings if f.code == "law" and f.kind == kind]
    assert found, text
    assert any(text[f.start : f.end] == piece for f in found), [text[f.start : f.end] for f in found]
    assert all(f.severity == "high" and f.reason for f in found)


@pytest.mark.parametrize(
    "text",
    [
        "Телефон дежурной службы администрации 8 (86162) 5-12-34, звоните круглосуточно",
        "Аварийная служба водоканала: 8 918 000-11-22, приехали быстро, спасибо",
        "Мой номер для связи 8 918 222-33-44, перезвоните по поводу заявки",
        "Горячая линия 8-800-100-12-34",
        "Машина А001АА 93 стоит на тротуаре у школы",  # a plate tied to nobody
        "Митинг в честь Дня Победы пройдёт на площади в 10:00",
        "Перекройте дорогу на время ремонта трубы",  # a request to the administration
        "Надо сжечь сухую траву на пустыре",
        "Надо взять справку в администрации",
        "Против терроризма — все вместе!",
        "Не надо громить, давайте решать вопрос через суд",
        "Номер заявления 1234567890, когда ответ?",
        "ИНН администрации 2330032145",  # an organisation's INN is public
        "Дорога М-4 перекрыта из-за аварии",
        "Мария Ивановна живёт на нашей улице давно и всем помогает",
    ],
)
def test_law_leaves_alone(text: str) -> None:
    found = [f for f in screen_comment(text).findings if f.code == "law"]
    assert not found, [(f.kind, text[f.start : f.end]) for f in found]


def test_result_shape_and_needs_answer() -> None:
    r = screen_comment("Когда уберут мусор на Садовой? Третью неделю лежит.")
    assert r.asks and r.complains and r.needs_answer and not r.findings and not r.delete
    r = screen_comment("Дорогу так и не сделали, бл@ть")
    assert r.complains and not r.needs_answer  # п. 21: no answer to obscenity
    assert [(f.code, f.kind, f.severity) for f in r.findings] == [("obscenity", "obscenity", "high")]
    r = screen_comment("Дебилы в администрации, кто так строит?")
    assert r.findings[0].severity == "medium" and not r.asks and not r.needs_answer
    r = screen_comment("Заработок от 5000 в день! Пиши в лс")
    assert not r.asks and not r.needs_answer
    assert all(f.code == "spam" and f.severity == "medium" for f in r.findings)
    # Someone's data is deleted, but the question next to it still goes on.
    r = screen_comment("Сосед Петров 8 918 765-43-21 жжёт мусор, когда это прекратится?")
    assert r.delete and r.asks and r.needs_answer
    assert json.loads(json.dumps(r.as_dict(), ensure_ascii=False))["needs_answer"] is True
    assert not screen_comment("Спасibo за праздник!").needs_answer


def test_spans_map_back_through_normalisation() -> None:
    text = "Вот\u200b номер соседа 8\u00ad918 123-45-67, звоните ему. Ду\u0301ра ты"
    r = screen_comment(text)
    phone = [f for f in r.findings if f.kind == "personal_data"]
    assert phone and text[phone[0].start : phone[0].end] == "8\u00ad918 123-45-67"
    insult = [f for f in r.findings if f.code == "insult"]
    assert insult and text[insult[0].start : insult[0].end] == "Ду\u0301ра"


# ---------------------------------------------------------------- any str (Hypothesis)

ANY_CHAR = st.characters(exclude_categories=())
PIECES = [
    "Громите", "давайте", "выйдем", "перекроем трассу", "митинг без согласования", "бить",
    "чиновников", "хачей", "террористы", "герои", "свергнуть", "власть", "к оружию", "зиг хайль",
    "8 918 123-45-67", "+7 (928) 111-22-33", "паспорт 03 12 345678", "СНИЛС 112-233-445 95",
    "ИНН 500100732259", "А123ВС 93", "живёт на Садовой 12, кв. 5", "Иванов", "сосед", "х*й",
    "бл@ть", "дебилы", "убью", "заработок от 5000 в день", "когда", "почему", "?", "!", ".",
    "\n", " ", ",", "\u200b", "\u0301", "\ud800", "İ", "\U00017b55", "😀", "\u00ad",
]
TEXTS = st.one_of(
    st.text(ANY_CHAR, max_size=80),
    st.lists(st.one_of(st.sampled_from(PIECES), ANY_CHAR), max_size=30).map("".join),
    st.lists(st.sampled_from(PIECES), max_size=30).map(" ".join),
)


def _check(text: str) -> None:
    r = screen_comment(text)
    assert isinstance(r, CommentScreen)
    previous = 0
    for f in r.findings:
        assert isinstance(f, CommentFinding)
        assert 0 <= f.start <= f.end <= len(text), f
        assert f.start >= previous
        previous = f.start
        assert f.code in CODES and f.severity in ("high", "medium") and f.reason
        assert f.kind in (KINDS if f.code == "law" else (f.code,))
        f.reason.encode("utf-8")
    assert r.needs_answer <= (r.asks or r.complains)


@settings(max_examples=60, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_any_str_quick(text: str) -> None:
    _check(text)


@pytest.mark.fuzz
@settings(max_examples=int(os.environ.get("OTKLIK_FUZZ_EXAMPLES", 300)), derandomize=True,
          database=None, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.large_base_example])
@given(TEXTS)
def test_any_str(text: str) -> None:
    _check(text)


@pytest.mark.fuzz
def test_long_comment_is_not_quadratic() -> None:
    import time

    text = ("Давайте выйдем, 8 918 123-45-67, Иванов живёт на Садовой 12 " * 2000)[:100_000]
    started = time.perf_counter()
    _check(text)
    _check("1" * 100_000)
    _check("А" * 100_000)
    assert time.perf_counter() - started < 30.0
