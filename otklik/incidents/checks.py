"""The answer checks of a draft, run on the server for every way a draft arrives (the page,
the API): their findings are stored with the draft for the approver."""

from __future__ import annotations

from typing import Any

from otklik.incidents.models import Incident
from otklik.org.lexicon import municipality_words


def draft_findings(*, incident: Incident, text: str, attachments: int,
                   known_words: frozenset[str] | None = None) -> list[dict[str, Any]]:
    from otklik.texts.answers import check_answer

    words = known_words if known_words is not None else municipality_words(incident.municipality.slug)
    return [f.as_dict() for f in check_answer(
        text, question=incident.text, author=incident.author_name or None, attachments=attachments,
        known_words=words)]
