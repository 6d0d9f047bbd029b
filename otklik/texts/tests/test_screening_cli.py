"""The JSON-lines command line, in-process and as `python -m otklik.texts.screen_cli`."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from otklik.texts.screen_cli import main
from otklik.texts.screening import TopicModel

ROOT = Path(__file__).resolve().parents[3]
KEYS = ["no_answer", "no_answer_reason", "spam", "high_importance", "topic", "locations"]


def test_cli_subprocess() -> None:
    lines = [
        json.dumps({"text": "Нет воды на ул. Мира, 5 третий день"}, ensure_ascii=False),
        "",
        json.dumps({"text": "Заработок от 5000 в день, пиши в лс"}, ensure_ascii=False),
        json.dumps({"text": "х*й вам, а не дорога"}, ensure_ascii=False),
    ]
    proc = subprocess.run(
        [sys.executable, "-m", "otklik.texts.screen_cli"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(out) == 3
    assert list(out[0])[:6] == KEYS
    assert out[0]["high_importance"] is True
    assert out[0]["topic"] == "utilities"
    assert out[0]["locations"] == ["ул. Мира, 5"]
    assert "ул. Мира" in proc.stdout  # ensure_ascii=False
    assert out[1]["spam"] is True
    assert out[2]["no_answer"] is True
    assert out[2]["no_answer_reason"] == "obscenity"


def test_cli_malformed_lines_go_on() -> None:
    stdin = io.StringIO('not json\n[1, 2]\n{"text": 5}\n{"txt": "a"}\n{"text": "яма на дороге"}\n')
    stdout = io.StringIO()
    assert main(stdin, stdout) == 1
    out = [json.loads(line) for line in stdout.getvalue().splitlines()]
    assert [("error" in o) for o in out] == [True, True, True, True, False]
    assert out[4]["topic"] == "roads"


def test_cli_uses_topic_model() -> None:
    # A whole question: two bare words read as an advert to the learned spam model (issue 16).
    model = TopicModel.train([("Когда будет собрание ТОС на нашей улице?", "culture_sport")] * 60)
    stdout = io.StringIO()
    line = '{"text": "Когда будет собрание ТОС на нашей улице?"}\n'
    assert main(io.StringIO(line), stdout, topic_model=model) == 0
    assert json.loads(stdout.getvalue())["topic"] == "culture_sport"


def test_cli_subprocess_bad_bytes_and_lone_surrogates() -> None:
    """Bytes that are not UTF-8 get an error line; a lone surrogate (a JSON escape) in the text
    is screened, and the output stays valid UTF-8."""
    lines = [b"\xff\xfe", b'{"text": "\\ud800 \\u043d\\u0435\\u0442 \\u0432\\u043e\\u0434\\u044b"}',
             b"[" * 50_000]
    proc = subprocess.run(
        [sys.executable, "-m", "otklik.texts.screen_cli"], input=b"\n".join(lines) + b"\n",
        capture_output=True, cwd=ROOT, timeout=60, check=False,
    )
    assert proc.returncode == 1 and not proc.stderr, proc.stderr
    out = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    assert out[0]["error"].startswith("line 1: not UTF-8")
    assert out[1]["high_importance"] is True
    assert out[1]["high_importance_spans"][0]["start"] == 2
    assert out[2]["error"].startswith("line 3: not JSON")
