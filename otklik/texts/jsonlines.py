"""Reading and writing the JSON lines of the command-line tools (answers_cli, screen_cli).

Input lines are read as bytes when the stream has them and decoded one by one, so that a line
that is not UTF-8 is reported and the others go on; a text stream (``io.StringIO`` in the tests)
is read as it is. JSON is parsed with every error it can raise turned into a message: not only
``JSONDecodeError`` but also the ``ValueError`` of an integer of more than 4 300 digits and the
``RecursionError`` of arrays nested a hundred thousand deep. Output lines keep UTF-8 text as it
is but escape what would split them (see ``dumps``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO, TextIO, cast


@dataclass(frozen=True, slots=True)
class Line:
    """One input line: its number (from 1), its text, or why it could not be decoded."""

    number: int
    text: str | None
    error: UnicodeDecodeError | None = None


def read_lines(stdin: TextIO) -> Iterator[Line]:
    """The lines of ``stdin``; a UTF-8 byte order mark before the first one is skipped."""
    buffer = cast("BinaryIO | None", getattr(stdin, "buffer", None))
    if buffer is None:
        for number, text in enumerate(stdin, start=1):
            yield Line(number, text.removeprefix("\ufeff") if number == 1 else text)
        return
    for number, raw in enumerate(buffer, start=1):
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        try:
            yield Line(number, raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            yield Line(number, None, exc)


class NotJSON(ValueError):
    """A line that is not JSON: ``msg`` says why, ``pos`` where (when known)."""

    def __init__(self, msg: str, pos: int | None = None) -> None:
        super().__init__(msg)
        self.msg = msg
        self.pos = pos


def parse(text: str) -> object:
    """The JSON value of a line; NotJSON for anything ``json.loads`` raises."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotJSON(exc.msg, exc.pos) from None
    except ValueError as exc:  # an integer too long to convert
        raise NotJSON(str(exc)) from None
    except RecursionError:
        raise NotJSON("nested too deeply") from None


# Line breaks to Python's str.splitlines() (and to JavaScript before ES2019) that JSON may leave
# raw inside strings: escaped, so that a reader splitting the output into lines any way gets one
# JSON document per line.
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def dumps(value: object) -> str:
    """One output line: UTF-8 as it is (``ensure_ascii=False``) when it can be written so, with
    \\u escapes when the value holds a lone surrogate, which no UTF-8 stream accepts; NEL, U+2028
    and U+2029 always escaped."""
    line = json.dumps(value, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value)
    return line.translate(_LINE_BREAKS)


def answer_lines(stdin: TextIO, stdout: TextIO, check_line: Callable[[str], dict[str, object]]) -> int:
    """The loop every JSON-lines command shares: one result line per input line (blank lines
    skipped, a line not in UTF-8 an error line); the exit status is 1 when any line failed."""
    status = 0
    for line in read_lines(stdin):
        if line.text is None:
            result: dict[str, object] = {"error": f"строка не в кодировке UTF-8: {line.error}"}
        elif not line.text.strip():
            continue
        else:
            result = check_line(line.text)
        if "error" in result:
            status = 1
        stdout.write(dumps(result) + "\n")
        stdout.flush()
    return status
