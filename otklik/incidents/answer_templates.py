"""Answer templates (per municipality and topic): reusable texts with placeholders that the
editor fills for the incident — {имя} (how to address the author), {адрес} (the place from
the message), {дата} (today). A template is saved only if its text, filled with sample
values, passes the answer checks without errors (§5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from otklik.incidents.models import AnswerTemplate, Incident
from otklik.incidents.transitions import Forbidden, Invalid, NotFound
from otklik.org.roles import Role
from otklik.org.selectors import Access

PLACEHOLDERS = ("{имя}", "{адрес}", "{дата}")
EDITOR_ROLES = (Role.MUNICIPAL_CURATOR, Role.GENERAL_HEAD, Role.ADMINISTRATOR)
# What a template is checked with when saved: an author with a name, a place, a date.
SAMPLE = {"{имя}": "Анна", "{адрес}": "ул. Красная, 15", "{дата}": "01.12.2026"}
SAMPLE_AUTHOR = "Анна Петрова"


def fill(text: str, *, name: str, place: str, day: date) -> str:
    """The template's text for one incident. A missing name leaves a greeting without one."""
    out = text.replace("{дата}", f"{day:%d.%m.%Y}").replace("{адрес}", place or "указанному адресу")
    if name:
        return out.replace("{имя}", name)
    return out.replace(", {имя}", "").replace(" {имя}", "").replace("{имя}", "")


def incident_values(incident: Incident) -> dict[str, Any]:
    from otklik.texts.answers.greeting import author_names

    _, name = author_names(incident.author_name or None)
    return {"name": name or "", "place": incident.location, "day": timezone.localdate()}


@dataclass(frozen=True)
class Choice:
    template: AnswerTemplate
    text: str


def templates_for_incident(incident: Incident) -> list[Choice]:
    """Templates of the incident's municipality for its topic (and those for any topic)."""
    values = incident_values(incident)
    qs = AnswerTemplate.objects.filter(municipality_id=incident.municipality_id)
    qs = qs.filter(Q(topic="") | Q(topic__iexact=incident.topic)) if incident.topic else qs
    return [Choice(t, fill(t.text, **values)) for t in qs.order_by("topic", "title")]


def _municipality_id(access: Access) -> int:
    if not access.has(*EDITOR_ROLES) or access.person.municipality_id is None:
        raise Forbidden("Шаблоны ответов ведут куратор, начальник общего отдела и администратор МО.")
    return access.person.municipality_id


def templates_for(*, access: Access) -> QuerySet[AnswerTemplate]:
    return AnswerTemplate.objects.filter(municipality_id=_municipality_id(access)).order_by("topic", "title")


def template_findings(text: str) -> list[dict[str, Any]]:
    from otklik.texts.answers import check_answer

    sample = text
    for key, value in SAMPLE.items():
        sample = sample.replace(key, value)
    return [f.as_dict() for f in check_answer(sample, question="", author=SAMPLE_AUTHOR, attachments=1)
            if f.code != "off_topic"]  # a template answers no one question yet


def template_save(*, access: Access, title: str, topic: str, text: str, pk: int | None = None) -> AnswerTemplate:
    municipality_id = _municipality_id(access)
    title, topic, text = title.strip(), topic.strip(), text.strip()
    if not title:
        raise Invalid("Назовите шаблон.", field="title")
    if not text:
        raise Invalid("Текст шаблона пуст.", field="text")
    errors = [f for f in template_findings(text) if f["severity"] == "error"]
    if errors:
        raise Invalid("Шаблон не проходит проверку ответа: " + "; ".join(str(f["message"]) for f in errors),
                      field="text")
    same = AnswerTemplate.objects.filter(municipality_id=municipality_id, title=title)
    if (same.exclude(pk=pk) if pk is not None else same).exists():
        raise Invalid("Шаблон с таким названием уже есть.", field="title")
    if pk is None:
        return AnswerTemplate.objects.create(municipality_id=municipality_id, title=title, topic=topic, text=text)
    template = templates_for(access=access).filter(pk=pk).first()
    if template is None:
        raise NotFound("Шаблон не найден.")
    template.title, template.topic, template.text = title, topic, text
    template.save()
    return template


def template_delete(*, access: Access, pk: int) -> None:
    deleted, _ = templates_for(access=access).filter(pk=pk).delete()
    if not deleted:
        raise NotFound("Шаблон не найден.")
