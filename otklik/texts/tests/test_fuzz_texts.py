"""The text engines accept any ``str``: property tests (Hypothesis) over all of Unicode.

``check_answer``, ``screen``, ``locations.extract``, ``normalise_input.normalise`` and the two
JSON-lines commands never raise; every span lies inside the caller's text and covers what it is
about, also when the normalisation dropped, joined or replaced characters; a fix applied to the
caller's text gives a ``str``.

The tests are deterministic (``derandomize=True``, no example database). Each property runs
``OTKLIK_FUZZ_EXAMPLES`` examples (an integer; CI_EXAMPLES when unset), so ``make fuzz`` can run
many more than CI does (the tests carry the ``fuzz`` mark); the long-input test runs one example
in 100 of that (at least two).
"""

from __future__ import annotations

import io
import json
import os
import re
import time
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from otklik.texts.answers import CODES, ERROR, WARNING, Finding, check_answer
from otklik.texts.answers_cli import main as answers_main
from otklik.texts.normalise_input import normalise
from otklik.texts.screen_cli import main as screen_main
from otklik.texts.screening import TOPICS, Screening, screen
from otklik.texts.screening.locations import extract

pytestmark = pytest.mark.fuzz  # `make fuzz` runs these with OTKLIK_FUZZ_EXAMPLES set higher

CI_EXAMPLES = 300
EXAMPLES = int(os.environ.get("OTKLIK_FUZZ_EXAMPLES", CI_EXAMPLES))
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.large_base_example],
)
# A generous bound: a quadratic check takes minutes on 100 000 characters, not seconds.
LONG_SECONDS = 30.0

QUESTION = "Когда починят фонарь на Красной, 15? Почему так долго? Какие документы нужны?"

# Characters that broke or could break something: format characters, combining marks, line
# breaks and controls, letters Python cannot name (Tangut), unassigned, private-use and
# noncharacters, lone surrogates, case oddities, right-to-left text, emoji sequences, digits
# that int() refuses.
SPECIAL = [
    "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u00ad", "\ufeff", "\u2060", "\u202e",
    "\u2066", "\u2069", "\U000e0041", "\u0301", "\u0306", "\u0308", "\u0336", "\u20dd", "\ufe0f",
    "\u0489", "\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9f", "\r", "\r\n", "\x0b", "\x0c",
    "\u2028", "\u2029", "\U00017b55", "\U00018d00", "\u0378", "\U000e01f0", "\U0010ffff",
    "\uffff", "\ufffe", "\ue000", "\U000f0000", "\ud800", "\udfff", "İ", "ß", "ﬁ", "\u212b",
    "\u2126", "\u0390", "Σ", "שלום", "مرحبا", "\u0627\u0644\u0652", "😀", "👨\u200d👩\u200d👧",
    "🇷🇺", "\u1100\u1161\u11a8", "中文", "²", "½", "٣", "𝟙", "Ⅻ", "\u00a0", "\u3000", "\t",
    "\n", "\n\n", "\ufffd",
]
# Words and marks the checks react to, so that the special characters land next to them.
WORDS = [
    "Здравствуйте", "Анна", "ул.", "Мира", "15", "сдесь", "что", "который", "но", "в рамках",
    "осуществляется", "ремонт", "ст. 5", "131-ФЗ", "обратитесь в", "прорвало трубу", "нет воды",
    "х*й", "бл@ть", "заработок от 5000 в день", "https://vk.com/x", "#tag", "@user", "«", "»",
    "(", ")", '"', ",", ".", "!", "?", "...", "—", "a", "b", "Z", "я", "Ё", "д.", "№", "5а",
    "1/2", "+7 900 123 45 67", "25°", "+12", "когда", "почему", "Спасибо", "данный",
    "к сожалению", "на Красной", "в станице Пластуновской", "улица Ленина, 15",
    "проведены работы", "заменили", "Да", "однако", "а", "т.е.", "1)", ":)", "))", "Привет",
    "Уважаемая", "Петровна", "Федеральный закон от 06.10.2003 № 131-ФЗ", "п. 3",
    "ч. 2 ст. 5 ЖК РФ", "gosuslugi-x.ru", "1.1.1.1",
]
ANY_CHAR = st.characters(exclude_categories=())  # every code point, surrogates included
PIECE = st.one_of(st.sampled_from(WORDS), st.sampled_from(SPECIAL), ANY_CHAR, st.just(" "))
# A word, a long run of separators, a word: a pattern with «\s*X?\s*» gives such a run many ways
# to be split (a word before 1 500 spaces once took half a minute).
SEPARATORS = [" ", "\n", ", ", " ,", "\t", " \n", "-", ".", " - ", "\u00a0"]
RUN = st.builds(lambda a, sep, k, b: a + sep * k + b, st.sampled_from(WORDS),
                st.sampled_from(SEPARATORS), st.integers(0, 1500), st.sampled_from(WORDS))
TEXTS = st.one_of(
    st.text(ANY_CHAR, max_size=80),
    st.lists(PIECE, max_size=40).map("".join),
    st.lists(PIECE, max_size=40).map(" ".join),
    st.lists(st.one_of(PIECE, RUN), max_size=6).map("".join),
)


def _bad_char(ch: str) -> str | None:
    """Why a character must not reach the engines (None when it may)."""
    category = unicodedata.category(ch)
    if category in ("Cs", "Co", "Cn", "Cf") or category[0] == "M":
        return category
    if category == "Cc" and ch not in "\t\n":
        return "control"
    if ch.isalpha() and not unicodedata.name(ch, ""):
        return "no name"
    if len(ch.lower()) != 1:
        return "lower() changes the length"
    return None


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_findings(answer: str, findings: list[Finding]) -> None:
    assert isinstance(findings, list)
    previous = 0
    for f in findings:
        assert isinstance(f, Finding)
        assert 0 <= f.start <= f.end <= len(answer), f
        assert f.start >= previous, "not sorted by position"
        previous = f.start
        assert f.code in CODES and f.severity in (ERROR, WARNING)
        assert isinstance(f.message, str) and f.message
        assert _encodable(f.message)
        if f.suggestion is not None:
            assert isinstance(f.suggestion, str)
            fixed = answer[: f.start] + f.suggestion + answer[f.end :]
            assert isinstance(fixed, str)
        line = json.dumps(f.as_dict(), ensure_ascii=False)
        assert json.loads(line) == f.as_dict()


def _check_screening(text: str, result: Screening) -> None:
    assert isinstance(result, Screening)
    for span in result.no_answer_spans + result.spam_spans + result.high_importance_spans:
        assert 0 <= span.start <= span.end <= len(text), span
    assert result.topic in TOPICS
    assert all(isinstance(p, str) and p and _encodable(p) for p in result.locations)
    assert json.loads(json.dumps(result.as_dict(), ensure_ascii=False))["topic"] == result.topic


# ---------------------------------------------------------------- the issue, reproduced


@pytest.mark.parametrize("answer", [
    "a\U00017b55",  # the issue: pymorphy3 asked unicodedata.name() of a Tangut ideograph
    "Tкогда\ud800\u0489 ",  # a lone surrogate: pymorphy3's dictionary encodes words as UTF-8
    "+12½ Ω\ud800 Z",
    "\U00018d00a b\U00017000",
])
def test_the_crashes_of_the_issue(answer: str) -> None:
    _check_findings(answer, check_answer(answer, question=answer, author=answer))
    _check_screening(answer, screen(answer))


# ---------------------------------------------------------------- the normalisation


def test_fast_path_characters_need_no_look() -> None:
    """Every character the normalisation lets through unlooked is safe, and no character
    composes with one before it (it would then need the slow path to be composed)."""
    from otklik.texts.normalise_input import _NEEDS_LOOK_RE

    second: set[str] = set()
    for cp in range(0x110000):
        if 0xD800 <= cp < 0xE000:
            continue
        decomposition = unicodedata.decomposition(chr(cp))
        if decomposition and not decomposition.startswith("<"):
            second.update(chr(int(x, 16)) for x in decomposition.split()[1:])
    for cp in range(0x110000):
        ch = chr(cp)
        if _NEEDS_LOOK_RE.match(ch):
            continue
        assert _bad_char(ch) is None, hex(cp)
        assert unicodedata.is_normalized("NFC", ch) and ch not in second, hex(cp)


def test_what_the_normalisation_does() -> None:
    cases = {
        "чаи\u0306ник": "чайник",  # NFC
        "замо\u0301к": "замок",  # a stress mark dropped
        "при\u200bв\u00adет\ufeff": "привет",  # zero-width characters dropped
        "\u0301начало": "начало",  # a mark on nothing
        "a\r\nb\rc\u2028d\x85e": "a\nb\nc\nd\ne",
        "x\x00y\x07z": "x y z",
        "a\U00017b55\ud800\ue000\u0378": "a\ufffd\ufffd\ufffd\ufffd",
        "İstanbul": "Istanbul",
        "\u1100\u1161\u11a8": "\uac01",  # conjoining jamo composed
        "😀\ufe0f": "😀",
        "Ёж, ёлка — «ок» №5 ‰": "Ёж, ёлка — «ок» №5 ‰",
    }
    for raw, expected in cases.items():
        n = normalise(raw)
        assert n.text == expected, raw
        assert n.original == raw
    assert normalise("Обычный текст.").unchanged


@FUZZ
@given(TEXTS, st.data())
def test_normalisation_properties(text: str, data: st.DataObject) -> None:
    n = normalise(text)
    bad = {ch: _bad_char(ch) for ch in n.text if _bad_char(ch)}
    assert not bad
    assert len(n.text.lower()) == len(n.text)
    again = normalise(n.text)
    assert again.text == n.text and again.unchanged  # idempotent
    start = data.draw(st.integers(0, len(n.text)))
    end = data.draw(st.integers(start, len(n.text)))
    a, b = n.span(start, end)
    assert 0 <= a <= b <= len(text)
    # The span of the original normalises to (at least) the normalised span.
    assert n.text[start:end] in normalise(text[a:b]).text
    if start < end:
        assert n.span(start, start + 1)[0] == a and n.span(end - 1, end)[1] == b


# ---------------------------------------------------------------- the engines, any text


@FUZZ
@given(TEXTS, TEXTS, st.one_of(st.none(), TEXTS), st.integers(0, 3), st.booleans())
def test_check_answer_any_text(answer: str, question: str, author: str | None,
                               attachments: int, informal: bool) -> None:
    findings = check_answer(answer, question=question, author=author, attachments=attachments,
                            informal=informal, known_words=[question[:20], "ливнёвка"])
    _check_findings(answer, findings)


@FUZZ
@given(TEXTS)
def test_screen_any_text(text: str) -> None:
    _check_screening(text, screen(text))


@FUZZ
@given(TEXTS)
def test_locations_any_text(text: str) -> None:
    places = extract(text)
    assert isinstance(places, tuple) and all(isinstance(p, str) and p for p in places)


# ---------------------------------------------------------------- spans after normalisation

# Characters the normalisation drops: invisible ones anywhere, marks after a letter that do
# not compose with it (NFC leaves them, then they are dropped).
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u00ad", "\ufeff", "\u2060", "\u200e", "\u202c"]
MARKS = ["\u0336", "\u20dd", "\ufe0f", "\u0489", "\u0301"]
ANSWERS = [
    "Здравствуйте! Сдесь всё хорошо, фонарь заменили.",
    "здравствуйте Анна. Мы приедем в ближайшии дни,извените за ожидание.",
    "Добрый день! В рамках программы осуществляется ремонт дороги. Данный вопрос на контроле.",
    "Согласно ст. 16 Федерального закона от 06.10.2003 № 131-ФЗ, ст. 5 ЖК РФ и п. 3 Правил "
    "благоустройства вопрос решает поселение. Обратитесь в управляющую компанию.",
]
SCREEN_TEXTS = [
    "Третий день нет воды на ул. Мира, 5! Дети сидят без воды, х*й вам а не ремонт.",
    "Заработок от 5000 в день без вложений, пиши в лс. На Красной 15 прорвало трубу.",
]


def _junk(clean: str) -> st.SearchStrategy[str]:
    """``clean`` with invisible characters and marks put in at drawn places."""

    def build(cuts: list[tuple[int, str]]) -> str:
        by_place: dict[int, list[str]] = {}
        for place, junk in cuts:
            by_place.setdefault(place, []).append(junk)
        out: list[str] = []
        for i in range(len(clean) + 1):
            for junk in by_place.get(i, []):
                if junk in MARKS and not (i and clean[i - 1].isalpha()):
                    junk = "\u200b"  # a mark only after a letter, where it belongs to it
                if junk in MARKS and unicodedata.normalize("NFC", clean[i - 1] + junk) != \
                        clean[i - 1] + junk:
                    junk = "\u0336"  # «г» + U+0301 is «ѓ»: a different letter, not junk
                out.append(junk)
            out.append(clean[i : i + 1])
        return "".join(out)

    cut = st.tuples(st.integers(0, len(clean)), st.sampled_from(INVISIBLE + MARKS))
    return st.lists(cut, min_size=1, max_size=12).map(build)


def _strip(text: str) -> str:
    return "".join(ch for ch in text if ch not in INVISIBLE and ch not in MARKS)


@FUZZ
@given(st.sampled_from(ANSWERS).flatmap(lambda a: st.tuples(st.just(a), _junk(a))))
def test_findings_point_at_the_same_words_through_junk(case: tuple[str, str]) -> None:
    clean, junked = case
    assert normalise(junked).text == clean
    expected = check_answer(clean, question=QUESTION, author="Анна Петрова")
    got = check_answer(junked, question=QUESTION, author="Анна Петрова")
    assert len(got) == len(expected) and expected
    for e, g in zip(expected, got, strict=True):
        assert (g.code, g.severity, g.message) == (e.code, e.severity, e.message)
        assert _strip(junked[g.start : g.end]) == clean[e.start : e.end]
        if g.start < g.end:
            assert junked[g.start] not in INVISIBLE + MARKS  # starts at the word itself
        if e.suggestion is not None:
            assert g.suggestion is not None and _strip(g.suggestion) == e.suggestion


@FUZZ
@given(st.sampled_from(SCREEN_TEXTS).flatmap(lambda t: st.tuples(st.just(t), _junk(t))))
def test_screening_spans_point_at_the_same_words_through_junk(case: tuple[str, str]) -> None:
    clean, junked = case
    expected, got = screen(clean), screen(junked)
    assert (got.no_answer_reason, got.spam, got.high_importance_reasons, got.topic,
            got.locations) == (expected.no_answer_reason, expected.spam,
                               expected.high_importance_reasons, expected.topic,
                               expected.locations)
    for kind in ("no_answer_spans", "spam_spans", "high_importance_spans"):
        pairs = zip(getattr(expected, kind), getattr(got, kind), strict=True)
        for e, g in pairs:
            assert _strip(junked[g.start : g.end]) == clean[e.start : e.end]


def test_a_misspelt_word_after_junk_is_found_where_it_stands() -> None:
    cases = [
        # (answer, the word as it stands in the answer, the suggestion)
        ("Здравствуйте! \u200bСдесь всё хорошо.", "Сдесь", "Здесь"),
        ("Здравствуйте! Сд\u200bесь всё хорошо.", "Сд\u200bесь", "Здесь"),
        ("Здравствуйте!\r\nСдесь всё хорошо.", "Сдесь", "Здесь"),
        ("Здравствуйте! Сде\u0301сь всё хорошо.", "Сде\u0301сь", "Зде\u0301сь"),
        ("Здравствуйте! Приедем в ближаи\u0306шии дни.", "ближаи\u0306шии", "ближаи\u0306шие"),
        ("\U00017b55\U00017b55 Здравствуйте! Сдесь всё хорошо.", "Сдесь", "Здесь"),
        ("\ud800 Здравствуйте! Сдесь всё хорошо.", "Сдесь", "Здесь"),
        ("İİİ Здравствуйте! Сдесь всё хорошо.", "Сдесь", "Здесь"),
    ]
    for answer, word, suggestion in cases:
        spelling = [f for f in check_answer(answer) if f.code == "spelling"]
        assert [(answer[f.start : f.end], f.suggestion) for f in spelling] == [(word, suggestion)]


def test_a_fix_keeps_the_characters_it_copies() -> None:
    answer = "Замо\u0301к на воротах \U00017b55 заменили."
    [greeting] = [f for f in check_answer(answer) if f.code == "greeting"]
    assert answer[greeting.start : greeting.end] == "Замо\u0301к"
    assert greeting.suggestion == "Здравствуйте! Замо\u0301к"


def test_screening_offsets_survive_a_changing_lower_case() -> None:
    text = "İİİ нет воды третий день, х*й"  # «İ».lower() is two characters
    result = screen(text)
    assert [text[s.start : s.end] for s in result.high_importance_spans] == ["нет воды"]
    assert [text[s.start : s.end] for s in result.no_answer_spans] == ["х*й"]


# ---------------------------------------------------------------- long inputs

LONG_PIECES = [
    "Здравствуйте, Анна! Фонарь у дома 15 на улице Красной заменим до пятницы. ",
    "Нет воды на ул. Мира, 5 третий день, дети без воды, прорвало трубу! ",
    "а.Б", "1 ", "a.b.c.", "#a ", ")", "\u200b", "а", "ст. 5 ", "п. 1, ", "www.a.ru ", "@",
    "козлы ", "висит ", "информация ", "не только но ", "а-а-а-", "\U00017b55a", "x\u0301",
    "на Мира" + " " * 3000, "15" + " " * 2000, "закон от 1.1.2000" + "\n" * 2000, "1" * 3000 + " ",
    "уличн", "по графику ", "лучше ", "п. 1 ", "сведени ",
]


@settings(FUZZ, max_examples=max(2, EXAMPLES // 100))
@given(st.lists(st.sampled_from(LONG_PIECES), min_size=1, max_size=3), st.data())
def test_long_inputs_finish(pieces: list[str], data: st.DataObject) -> None:
    """100 000 characters of repeated pieces: no check may be quadratic."""
    unit = "".join(pieces)
    text = (unit * (100_000 // len(unit) + 1))[:100_000]
    started = time.perf_counter()
    findings = check_answer(text, question=QUESTION, author="Анна Петрова")
    result = screen(text)
    elapsed = time.perf_counter() - started
    assert elapsed < LONG_SECONDS, f"{elapsed:.1f} s for {pieces!r}"
    assert all(0 <= f.start <= f.end <= len(text) for f in findings)
    _check_screening(text, result)


# ---------------------------------------------------------------- the JSON-lines commands

LINES = st.one_of(
    TEXTS.map(lambda t: json.dumps({"answer": t, "question": t, "text": t})),
    TEXTS.map(lambda t: json.dumps({"answer": t, "text": t}, ensure_ascii=False)),
    st.sampled_from(["не json", "[1, 2]", "{", "null", '{"answer": 5, "text": 5}', "[" * 5000,
                     '{"answer": "a", "attachments": ' + "1" * 5000 + "}", '"\\ud800"',
                     '{"answer": "\\udfff", "text": "\\ud800", "question": null}']),
    TEXTS,
)


def _run(main_fn: object, raw: bytes) -> tuple[int, list[dict[str, object]]]:
    stdin = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8")
    stdout = io.StringIO()
    code = main_fn(stdin, stdout)  # type: ignore[operator]
    out = stdout.getvalue()
    assert _encodable(out)
    return code, [json.loads(line) for line in out.splitlines()]


@FUZZ
@given(st.lists(st.one_of(LINES.map(lambda s: s.encode("utf-8", "surrogatepass")),
                          st.binary(max_size=40)), max_size=6))
def test_commands_answer_every_line(lines: list[bytes]) -> None:
    lines = [line.replace(b"\n", b" ") for line in lines]
    raw = b"\n".join(lines) + b"\n"
    # A byte order mark opening the stream is no content (the commands skip it).
    expected = sum(1 for k, line in enumerate(lines)
                   if not _is_blank(line.removeprefix(b"\xef\xbb\xbf") if k == 0 else line))
    for main_fn in (answers_main, screen_main):
        code, out = _run(main_fn, raw)
        assert len(out) == expected
        assert code == (1 if any("error" in o for o in out) else 0)


def _is_blank(line: bytes) -> bool:
    try:
        return not line.decode("utf-8").strip()
    except UnicodeDecodeError:
        return False


def test_command_output_is_one_line_whatever_the_text() -> None:
    """A fix copies U+2028 from the answer: the output line escapes it (a reader splitting on
    every line break, as str.splitlines() does, still gets one document per line)."""
    answer = "Здравствуйте! Мы приедем\u2028однако позже\x85завтра."
    raw = json.dumps({"answer": answer, "text": answer}).encode() + b"\n"
    for main_fn in (answers_main, screen_main):
        _, [out] = _run(main_fn, raw)
        assert "error" not in out
    _, [out] = _run(answers_main, raw)
    findings = out["findings"]
    assert isinstance(findings, list)
    assert any("\u2028" in (f["suggestion"] or "") for f in findings)


def test_commands_report_bad_lines_clearly() -> None:
    raw = (b'\xef\xbb\xbf{"answer": "\xd0\x97\xd0\xb4\xd1\x80\xd0\xb0\xd0\xb2\xd1\x81\xd1\x82'
           b'\xd0\xb2\xd1\x83\xd0\xb9\xd1\x82\xd0\xb5!", "text": "x"}\n'
           b"\xff\xfe{}\n" + b"[" * 100_000 + b"\n"
           b'{"answer": "a", "text": "a", "attachments": ' + b"1" * 5000 + b"}\n"
           b'{"answer": "\\ud800", "text": "\\ud800 \xd1\x83\xd0\xbb. \xd0\x9c\xd0\xb8\xd1\x80\xd0'
           b'\xb0, 5"}\n')
    code, out = _run(answers_main, raw)
    assert code == 1
    assert "findings" in out[0] and "findings" in out[4]
    assert re.match(r"строка не в кодировке UTF-8: .*0xff", str(out[1]["error"]))
    assert str(out[2]["error"]).startswith("не JSON: ")
    assert str(out[3]["error"]).startswith("не JSON: ")
    code, out = _run(screen_main, raw)
    assert code == 1
    assert out[1] == {"error": out[1]["error"]} and str(out[1]["error"]).startswith("line 2: not UTF-8")
    assert str(out[2]["error"]).startswith("line 3: not JSON")
    assert out[4]["locations"] == ["ул. Мира, 5"]
