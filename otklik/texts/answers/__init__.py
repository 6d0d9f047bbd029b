"""Checks of an administration's answer before the regional curator sees it.

Pure engine: no Django, no other otklik packages; ``otklik.texts.morph`` does the morphology.
"""

from .check import check_answer
from .findings import ERROR, WARNING, Finding
from .lexicon import Lexicon

CODES = (
    "greeting",
    "spelling",
    "punctuation",
    "bureaucratese",
    "legal_refs",
    "redirect",
    "off_topic",
    "evidence",
)

__all__ = ["CODES", "ERROR", "WARNING", "Finding", "Lexicon", "check_answer"]
