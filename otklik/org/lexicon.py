"""Words of a municipality the spelling check must never flag: units, people, local places."""

from __future__ import annotations

import re

from otklik.org.models import Municipality, Person, Unit

_WORD = re.compile(r"[А-Яа-яЁёA-Za-z-]{2,}")


def municipality_words(slug: str) -> frozenset[str]:
    municipality = Municipality.objects.filter(slug=slug).first()
    if municipality is None:
        return frozenset()
    texts = [municipality.name]
    texts += list(Unit.objects.filter(municipality=municipality).values_list("name", flat=True))
    texts += list(Person.objects.filter(municipality=municipality).values_list("full_name", flat=True))
    texts += list(municipality.incidents.exclude(location="").values_list("location", flat=True)[:5000])
    return frozenset(w for t in texts for w in _WORD.findall(t))
