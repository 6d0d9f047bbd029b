"""Check posts from JSON lines: ``python -m otklik.texts.posts_cli < posts.jsonl``.

Each input line is ``{"text": ..., "network": "vk"}`` (``network`` optional: «vk», «ok»,
«telegram», «max»); each output line is ``{"findings": [...]}`` or ``{"error": "..."}`` for a
line that could not be read (not UTF-8, not JSON, not an object, a field of the wrong type, an
unknown network). Blank lines are skipped. The exit status is 1 when any line failed.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TextIO

from otklik.texts.answers.lexicon import Lexicon, as_lexicon
from otklik.texts.jsonlines import NotJSON, answer_lines, parse
from otklik.texts.posts import NETWORKS, check_post


def _check_line(line: str, known: Lexicon) -> dict[str, object]:
    try:
        item = parse(line)
    except NotJSON as exc:
        where = f" (позиция {exc.pos})" if exc.pos is not None else ""
        return {"error": f"не JSON: {exc.msg}{where}"}
    if not isinstance(item, dict):
        return {"error": "строка должна быть JSON-объектом"}
    text = item.get("text")
    if not isinstance(text, str):
        return {"error": "нет поля «text» со строкой поста"}
    network = item.get("network")
    if network is not None and (not isinstance(network, str) or network not in NETWORKS):
        return {"error": f"поле «network» должно быть одним из: {', '.join(NETWORKS)}"}
    findings = check_post(text, network=network, known_words=known)
    return {"findings": [f.as_dict() for f in findings]}


def main(stdin: TextIO, stdout: TextIO, *, known_words: Iterable[str] = ()) -> int:
    known = as_lexicon(known_words)  # normalised once for all lines
    return answer_lines(stdin, stdout, lambda text: _check_line(text, known))


if __name__ == "__main__":
    sys.exit(main(sys.stdin, sys.stdout))
