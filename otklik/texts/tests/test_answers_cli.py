"""The JSON-lines command line, in process and as ``python -m``."""

import io
import json
import subprocess
import sys
from pathlib import Path

from otklik.texts.answers_cli import main

ROOT = Path(__file__).resolve().parents[3]


def run(text: str, **kw: object) -> tuple[int, list[dict[str, object]]]:
    out = io.StringIO()
    code = main(io.StringIO(text), out, **kw)  # type: ignore[arg-type]
    return code, [json.loads(line) for line in out.getvalue().splitlines()]


def test_good_line() -> None:
    line = json.dumps({"question": "Когда починят фонарь на Красной, 15?",
                       "answer": "Фонарь на Красной, 15 заменим завтра.", "author": "Анна",
                       "attachments": 0}, ensure_ascii=False)
    code, [result] = run(line + "\n")
    assert code == 0
    findings = result["findings"]
    assert isinstance(findings, list)
    assert findings[0] == {
        "code": "greeting", "severity": "error", "start": 0, "end": 6,
        "message": findings[0]["message"], "suggestion": "Здравствуйте, Анна! Фонарь",
    }


def test_malformed_lines_reported_and_rest_go_on() -> None:
    lines = [
        "не json",
        "[1, 2]",
        json.dumps({"question": "?"}),
        json.dumps({"answer": 5}),
        json.dumps({"answer": "Здравствуйте!", "attachments": -1}),
        json.dumps({"answer": "Здравствуйте!", "attachments": "2"}),
        "",
        json.dumps({"answer": "Здравствуйте! Фонарь заменим.", "informal": True}),
    ]
    code, results = run("\n".join(lines) + "\n")
    assert code == 1
    assert len(results) == 7
    assert all("error" in r for r in results[:6])
    assert results[6] == {"findings": []}


def test_known_words() -> None:
    line = json.dumps({"answer": "Здравствуйте! Мы почистили ливнесточник."}, ensure_ascii=False)
    _, [plain] = run(line)
    _, [known] = run(line, known_words=["ливнесточник"])
    assert plain != known


def test_subprocess() -> None:
    lines = json.dumps({"answer": "Здравствуйте! Сдесь всё хорошо."}, ensure_ascii=False) + "\n{\n"
    proc = subprocess.run(
        [sys.executable, "-m", "otklik.texts.answers_cli"], input=lines, capture_output=True,
        text=True, cwd=ROOT, timeout=60, check=False,
    )
    assert proc.returncode == 1, proc.stderr
    first, second = (json.loads(x) for x in proc.stdout.splitlines())
    assert first["findings"][0]["code"] == "spelling"
    assert first["findings"][0]["suggestion"] == "Здесь"
    assert "error" in second


def test_subprocess_bad_bytes_and_deep_json() -> None:
    """Bytes that are not UTF-8, JSON nested too deeply, a number too long: an error line each,
    no traceback; the good lines around them are answered."""
    good = json.dumps({"answer": "Здравствуйте! Сдесь всё хорошо."}, ensure_ascii=False).encode()
    lines = [good, b"\xff\xfe\x00 \xc3(", b"[" * 50_000,
             b'{"answer": "a", "attachments": ' + b"9" * 5000 + b"}", good]
    proc = subprocess.run(
        [sys.executable, "-m", "otklik.texts.answers_cli"], input=b"\n".join(lines) + b"\n",
        capture_output=True, cwd=ROOT, timeout=60, check=False,
    )
    assert proc.returncode == 1 and not proc.stderr, proc.stderr
    out = [json.loads(x) for x in proc.stdout.decode().splitlines()]
    assert len(out) == 5
    assert out[0] == out[4] and out[0]["findings"][0]["suggestion"] == "Здесь"
    assert out[1]["error"].startswith("строка не в кодировке UTF-8")
    assert out[2]["error"].startswith("не JSON")
    assert out[3]["error"].startswith("не JSON")


def test_fields_of_the_wrong_type_are_errors_even_when_falsy() -> None:
    wrong: list[object] = [0, False, [], {}]
    lines = [json.dumps({"answer": "Здравствуйте!", "question": q}) for q in wrong]
    lines.append(json.dumps({"answer": "Здравствуйте!", "question": None, "author": None}))
    code, results = run("\n".join(lines) + "\n")
    assert code == 1
    assert [r.get("error") for r in results[:4]] == ["поле «question» должно быть строкой"] * 4
    assert results[4] == {"findings": []}
