"""``check_post`` and the posts command accept any ``str``: property tests (Hypothesis) in the
house style of ``otklik/texts/tests/test_fuzz_texts.py`` (deterministic, ``fuzz`` mark,
``OTKLIK_FUZZ_EXAMPLES`` examples)."""

from __future__ import annotations

import io
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from otklik.texts.posts import CODES, ERROR, NETWORKS, WARNING, Finding, check_post
from otklik.texts.posts_cli import main

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("OTKLIK_FUZZ_EXAMPLES", 300))
FUZZ = settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.large_base_example])
SPECIAL = ["\u200b", "\u00ad", "\ufeff", "\u0301", "\u0306", "\x00", "\r\n", "\u2028",
           "\U00017b55", "\ud800", "İ", "😀", "\n", "\n\n", "\ufffd", "\u00a0"]
WORDS = [
    "Администрация", "поселения", "сообщает", "информирует", ",", "что", ":", "Главой",
    "администрацией", "было", "проведено", "совещание", "состоялось", "прошло", "заседание",
    "ОТКЛЮЧЕНИЕ", "ВОДЫ", "МКУ", "04.09.2023 г.", "12 марта", "Ст. Пластуновская,", "—",
    "Пресс-служба", "вы", "Приходите", "?", "!", ".", "«", "»", "в рамках", "131-ФЗ",
    "ст. 5", "Друзья", "сдесь", "https://vk.com/x", "#tag", "данный", "выполнены работы",
]
ANY_CHAR = st.characters(exclude_categories=())
PIECE = st.one_of(st.sampled_from(WORDS), st.sampled_from(SPECIAL), ANY_CHAR, st.just(" "))
TEXTS = st.one_of(
    st.text(ANY_CHAR, max_size=80),
    st.lists(PIECE, max_size=40).map("".join),
    st.lists(PIECE, max_size=40).map(" ".join),
)


def _check(text: str, findings: list[Finding]) -> None:
    previous = 0
    for f in findings:
        assert 0 <= f.start <= f.end <= len(text), f
        assert f.start >= previous
        previous = f.start
        assert f.code in CODES and f.severity in (ERROR, WARNING)
        assert isinstance(f.message, str) and f.message
        if f.suggestion is not None:
            assert isinstance(text[: f.start] + f.suggestion + text[f.end :], str)
        assert json.loads(json.dumps(f.as_dict())) == f.as_dict()


@FUZZ
@given(TEXTS, st.one_of(st.none(), st.sampled_from(sorted(NETWORKS))))
def test_check_post_any_text(text: str, network: str | None) -> None:
    _check(text, check_post(text, network=network, known_words=[text[:10]]))


@FUZZ
@given(st.lists(TEXTS, max_size=4))
def test_command_answers_every_line(texts: list[str]) -> None:
    lines = [json.dumps({"text": t}) for t in texts]
    stdout = io.StringIO()
    main(io.StringIO("\n".join(lines) + "\n"), stdout)
    out = [json.loads(line) for line in stdout.getvalue().splitlines()]
    assert len(out) == len(texts)
    assert all("findings" in o for o in out)


LONG_SECONDS = 30.0  # generous: a quadratic check takes minutes on 100 000 characters


@pytest.mark.parametrize("unit", [
    "администрация поселения ", "ОТКЛЮЧЕНИЕ ВОДЫ\n", "было проведено совещание ",
    "Администрация сообщает, что ", "Пресс-служба администрации\n", "Главой поселения ",
    "12 марта г ", "состоялось заседание ", "а" * 3000 + " ",
])
def test_long_inputs_finish(unit: str) -> None:
    """100 000 characters of one repeated piece: no post check may be quadratic."""
    import time

    text = (unit * (100_000 // len(unit) + 1))[:100_000]
    started = time.perf_counter()
    findings = check_post(text, network="vk")
    assert time.perf_counter() - started < LONG_SECONDS
    _check(text, findings)
