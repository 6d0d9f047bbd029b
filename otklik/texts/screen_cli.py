"""Screen messages from JSON lines: one {"text": ...} per line in, one verdict per line out.

    python -m otklik.texts.screen_cli < messages.jsonl

Each output line starts with no_answer, no_answer_reason, spam, high_importance, topic and
locations, then the details (reasons, spans, topic scores). A malformed line (not UTF-8, not JSON,
not an object, no string "text") gets {"error": "line N: ..."} and the rest go on; blank lines
are skipped; the exit code is 1 when any line was malformed.
"""

from __future__ import annotations

import sys
from typing import TextIO

from otklik.texts.jsonlines import NotJSON, dumps, parse, read_lines
from otklik.texts.screening import TopicModel, screen


def _error(stdout: TextIO, reason: str) -> None:
    stdout.write(dumps({"error": reason}) + "\n")


def main(stdin: TextIO, stdout: TextIO, *, topic_model: TopicModel | None = None) -> int:
    ok = True
    for line in read_lines(stdin):
        number = line.number
        if line.text is None:
            ok = False
            _error(stdout, f"line {number}: not UTF-8 ({line.error})")
            continue
        if not line.text.strip():
            continue
        try:
            item = parse(line.text)
        except NotJSON as exc:
            ok = False
            _error(stdout, f"line {number}: not JSON ({exc.msg})")
            continue
        if not isinstance(item, dict):
            ok = False
            _error(stdout, f"line {number}: not a JSON object")
            continue
        text = item.get("text")
        if not isinstance(text, str):
            ok = False
            _error(stdout, f'line {number}: no string "text"')
            continue
        result = screen(text, topic_model=topic_model)
        stdout.write(dumps(result.as_dict()) + "\n")
    stdout.flush()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.stdin, sys.stdout))
