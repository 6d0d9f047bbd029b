"""Reading the word lists shipped in screening/data/ (kept as data so curators can review them)."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def lines(name: str) -> tuple[str, ...]:
    """Non-blank, non-comment lines of data/<name>, stripped."""
    text = resources.files("otklik.texts.screening").joinpath("data").joinpath(name).read_text("utf-8")
    out: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return tuple(out)
