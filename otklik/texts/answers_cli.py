"""Check answers from JSON lines: ``python -m otklik.texts.answers_cli < answers.jsonl``.

Each input line is ``{"answer": ..., "question": ..., "author": ..., "attachments": 0,
"informal": false}``; each output line is ``{"findings": [...]}`` or ``{"error": "..."}`` for a
line that could not be read (not UTF-8, not JSON, not an object, a field of the wrong type).
Blank lines are skipped. The exit status is 1 when any line failed.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TextIO

from otklik.texts.answers import check_answer
from otklik.texts.answers.lexicon import Lexicon, as_lexicon
from otklik.texts.jsonlines import NotJSON, answer_lines, parse


def _check_line(line: str, known: Lexicon) -> dict[str, object]:
    try:
        item = parse(line)
    except NotJSON as exc:
        where = f" (позиция {exc.pos})" if exc.pos is not None else ""
        return {"error": f"не JSON: {exc.msg}{where}"}
    if not isinstance(item, dict):
        return {"error": "строка должна быть JSON-объектом"}
    answer = item.get("answer")
    if not isinstance(answer, str):
        return {"error": "нет поля «answer» со строкой ответа"}
    question = item.get("question")
    if question is None:
        question = ""
    elif not isinstance(question, str):  # also 0, false, [] — not silently an empty question
        return {"error": "поле «question» должно быть строкой"}
    author = item.get("author")
    if author is not None and not isinstance(author, str):
        return {"error": "поле «author» должно быть строкой"}
    attachments = item.get("attachments", 0)
    if attachments is None:
        attachments = 0
    if isinstance(attachments, bool) or not isinstance(attachments, int) or attachments < 0:
        return {"error": "поле «attachments» должно быть неотрицательным целым числом"}
    informal = item.get("informal", False)
    if not isinstance(informal, bool):
        return {"error": "поле «informal» должно быть true или false"}
    findings = check_answer(answer, question=question, author=author, attachments=attachments,
                            informal=informal, known_words=known)
    return {"findings": [f.as_dict() for f in findings]}


def main(stdin: TextIO, stdout: TextIO, *, known_words: Iterable[str] = ()) -> int:
    known = as_lexicon(known_words)  # normalised once for all lines
    return answer_lines(stdin, stdout, lambda text: _check_line(text, known))


if __name__ == "__main__":
    sys.exit(main(sys.stdin, sys.stdout))
