"""Checks of a post on an official page (Приложение 1, п. 7) before it is published.

The «publication» profile of the answer checks: the post is written in the conversational
style of a social network, not as a press release, without bureaucratese, with at most two
citations of legal acts and without mistakes. Pure engine: no Django; it reuses the answer
checks (``otklik.texts.answers``) for bureaucratese, legal citations, spelling and punctuation.
"""

from otklik.texts.answers.findings import ERROR, WARNING, Finding

from .check import CODES, NETWORKS, check_post

__all__ = ["CODES", "ERROR", "NETWORKS", "WARNING", "Finding", "check_post"]
