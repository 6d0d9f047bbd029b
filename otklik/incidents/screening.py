"""Screening of an incident for its page, and the unit suggestion learned from routing.

The text engine (otklik.texts.screening) is pure; this module joins it to the incidents: the
topic's configured unit (TopicRoute), and a TopicModel per municipality trained on the curators'
own routing decisions — (incident text, id of a unit it was first sent to) — stored as JSON and
retrained by the worker when the number of routed incidents grew by RETRAIN_STEP (or on demand).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from otklik.incidents.models import (
    Incident,
    IncidentEvent,
    NoAnswerReason,
    TopicModelStore,
    TopicRoute,
)
from otklik.org.models import Municipality, Unit
from otklik.texts.screening import TOPICS, Screening, TopicModel, screen

MIN_EXAMPLES = 50
RETRAIN_STEP = 10
CONFIDENCE = 0.6

# п. 21 reasons of the screening → the close form's reasons.
CLOSE_REASONS: dict[str, str] = {
    "threat": NoAnswerReason.THREAT,
    "obscenity": NoAnswerReason.OBSCENITY,
    "insult": NoAnswerReason.INSULT,
}
NO_ANSWER_LABELS: dict[str, str] = {
    "threat": "угрозы",
    "obscenity": "нецензурные выражения",
    "insult": "оскорбления",
    "harm": "намерение причинить вред",
}
IMPORTANCE_LABELS: dict[str, str] = {
    "water": "нет воды",
    "heating": "нет отопления",
    "gas": "газ",
    "power": "нет электричества",
    "power_line": "оборванные провода",
    "fire": "пожар или дым",
    "flood": "подтопление",
    "collapse": "обрушение",
    "injury": "пострадавшие",
    "children": "опасность для детей",
}


@dataclass(frozen=True)
class UnitSuggestion:
    unit: Unit
    source: str  # "model": learned from routing; "rules": TopicRoute of a topic

    @property
    def label(self) -> str:
        return "предложено по решениям кураторов" if self.source == "model" else "предложено по теме"


@dataclass(frozen=True)
class IncidentScreening:
    result: Screening
    topic_name: str
    suggestion: UnitSuggestion | None
    close_reason: str  # the preselected п. 21 reason, "" when none maps
    no_answer_label: str
    importance_labels: tuple[str, ...]


# ---------------------------------------------------------------- the model

def routed_examples(*, municipality: Municipality) -> tuple[list[tuple[str, str]], int]:
    """(text, unit id) of the first «route» of each routed incident, and the number of incidents."""
    events = (IncidentEvent.objects.filter(incident__municipality=municipality, action="route")
              .order_by("incident_id", "seq").values_list("incident_id", "incident__text", "payload"))
    seen: set[int] = set()
    examples: list[tuple[str, str]] = []
    for incident_id, text, payload in events:
        if incident_id in seen:
            continue
        seen.add(incident_id)
        units = payload.get("units") if isinstance(payload, dict) else None
        for unit_id in units or []:
            examples.append((text, str(unit_id)))
    return examples, len(seen)


def _routed_count(municipality: Municipality) -> int:
    return (IncidentEvent.objects.filter(incident__municipality=municipality, action="route")
            .values("incident_id").distinct().count())


def topic_model_train(*, municipality: Municipality) -> TopicModel:
    examples, routed = routed_examples(municipality=municipality)
    model = TopicModel.train(examples)
    TopicModelStore.objects.update_or_create(municipality=municipality, defaults={
        "model_json": model.to_json(), "examples": model.size, "routed": routed, "trained_at": timezone.now()})
    return model


def topic_model_for(*, municipality: Municipality) -> TopicModel | None:
    """The stored model, never trained here: training is the worker's (topic_models_refresh),
    so a page view stays fast however long the municipality's history is."""
    stored = TopicModelStore.objects.filter(municipality=municipality).first()
    if stored is None:
        return None
    try:
        return TopicModel.from_json(stored.model_json)
    except (ValueError, KeyError):
        return None


def topic_models_refresh() -> list[tuple[Municipality, int]]:
    """Retrain the models of municipalities that routed RETRAIN_STEP more incidents since."""
    out = []
    ids = IncidentEvent.objects.filter(action="route").values("incident__municipality_id").distinct()
    for mun in Municipality.objects.filter(pk__in=ids).order_by("name"):
        stored = TopicModelStore.objects.filter(municipality=mun).first()
        if stored is None or _routed_count(mun) - stored.routed >= RETRAIN_STEP:
            out.append((mun, topic_model_train(municipality=mun).size))
    return out


def topic_models_retrain() -> list[tuple[Municipality, int]]:
    """Retrain every municipality that has routed incidents: (municipality, examples)."""
    out = []
    ids = IncidentEvent.objects.filter(action="route").values("incident__municipality_id").distinct()
    for mun in Municipality.objects.filter(pk__in=ids).order_by("name"):
        out.append((mun, topic_model_train(municipality=mun).size))
    return out


# ---------------------------------------------------------------- suggestions

def unit_suggest(*, incident: Incident, result: Screening | None = None,
                 model: TopicModel | None = None) -> UnitSuggestion | None:
    """The unit learned from routing when the model knows ≥ MIN_EXAMPLES and is sure; else the
    configured unit of the incident's topic, else of the topic the rules found."""
    mun = incident.municipality
    model = model if model is not None else topic_model_for(municipality=mun)
    if model is not None and model.size >= MIN_EXAMPLES:
        predicted = model.predict(incident.text)
        if predicted is not None and predicted[1] >= CONFIDENCE and predicted[0].isdigit():
            unit = Unit.objects.filter(pk=int(predicted[0]), municipality=mun).first()
            if unit is not None:
                return UnitSuggestion(unit=unit, source="model")
    result = result or screen(incident.text)
    topics = [t for t in (incident.topic, result.topic) if t]
    for topic in topics:
        names = [topic, TOPICS[topic]] if topic in TOPICS else [topic]
        route = (TopicRoute.objects.filter(Q(topic__in=names) | Q(topic__iexact=topic), municipality=mun)
                 .select_related("unit").first())
        if route is not None:
            return UnitSuggestion(unit=route.unit, source="rules")
    return None


def incident_screening(*, incident: Incident, with_suggestion: bool = True) -> IncidentScreening:
    result = screen(incident.text)
    reason = result.no_answer_reason or ""
    return IncidentScreening(
        result=result,
        topic_name=TOPICS.get(result.topic or "", ""),
        suggestion=unit_suggest(incident=incident, result=result) if with_suggestion else None,
        close_reason=CLOSE_REASONS.get(reason, ""),
        no_answer_label=NO_ANSWER_LABELS.get(reason, reason),
        importance_labels=tuple(dict.fromkeys(IMPORTANCE_LABELS.get(r, r) for r in result.high_importance_reasons)),
    )
