"""The word lists of ``data/post_words.txt``, by section (lemmas, «ё» as «е»)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def _sections() -> dict[str, frozenset[str]]:
    text = resources.files(__package__).joinpath("data", "post_words.txt").read_text(
        encoding="utf-8")
    out: dict[str, set[str]] = {}
    current: set[str] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = out.setdefault(line[1:-1], set())
            continue
        if current is None:
            raise ValueError(f"post_words.txt: «{line}» before any [section]")
        current.add(line.lower().replace("ё", "е"))
    return {name: frozenset(words) for name, words in out.items()}


def words(section: str) -> frozenset[str]:
    """The lemmas of one section; KeyError for a section the file does not have."""
    return _sections()[section]
