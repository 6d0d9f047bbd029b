"""The REST API under /api/v1/: intake, reading, and every workflow action (SPEC §3).

No `from __future__ import annotations` here: the action endpoints are built in a loop and
django-ninja reads their body type from the real annotation object.
"""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import NinjaAPI, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.params.functions import Path as path_param

from otklik.api import schemas as s
from otklik.api.auth import ApiKeyAuth, ScopedAccess, access_of, key_of
from otklik.api.channel_routes import router as channel_router
from otklik.api.docs import LocalSwagger, docs_static_urls
from otklik.api.errors import DetailError, RussianJSONRenderer, install_handlers
from otklik.api.models import ApiKey
from otklik.api.parser import CleanJSONParser
from otklik.api.post_routes import router as post_router
from otklik.api.serializers import incident_brief_dict, incident_created_dict, incident_dict
from otklik.incidents import publishing, services
from otklik.incidents.models import Incident
from otklik.incidents.selectors import (
    IncidentFilter,
    incident_get_for,
    incidents_filtered,
    incidents_for,
)
from otklik.incidents.transitions import TRANSITIONS, Forbidden, Invalid, NotFound, TransitionError
from otklik.org.models import Municipality
from otklik.org.roles import Role

NOT_FOUND = "Сообщение не найдено или недоступно вам."
# Who registers a publication (found by the administration itself, SPEC §2): its own staff.
ADMINISTRATION_ROLES = frozenset({Role.MUNICIPAL_CURATOR, Role.GENERAL_HEAD})


class OtklikAPI(NinjaAPI):
    def _get_urls(self) -> list[Any]:
        return [*super()._get_urls(), *docs_static_urls()]


api = OtklikAPI(
    title="Отклик — программный интерфейс",
    version="1",
    description=(
        "Передача сообщений и все действия регламента. Авторизация: `Authorization: Bearer <ключ>` "
        "(ключ выдаёт `otklik apikey create`)."
    ),
    urls_namespace="api",
    auth=ApiKeyAuth(),
    docs=LocalSwagger(),
    renderer=RussianJSONRenderer(),
    parser=CleanJSONParser(),
)
install_handlers(api)
router = Router(tags=["Сообщения"])

# The workflow's actions, each at /incidents/{id}/actions/<name> (publications' local approval
# is reached through approve/return: the service picks it by the incident's kind).
# The network publication is `publish` without a link; the other two are the page's buttons.
ACTION_NAMES = [a for a in TRANSITIONS if not a.endswith("_local") and not a.startswith("publish_network")]

# Every answer the API can give besides success, on every operation.
ERRORS: dict[int, type[Schema]] = {400: s.ErrorOut, 401: s.ErrorOut, 403: s.ErrorOut, 404: s.ErrorOut,
                                   409: s.ErrorOut, 413: s.ErrorOut, 422: s.ErrorOut}


# A database id: larger values cannot exist and would overflow the database's integer.
IncidentId: Any = path_param(..., ge=1, le=2**63 - 1, description="Номер сообщения в «Отклике»")


def _links(actions: list[str]) -> dict[str, Any]:
    """OpenAPI links: from any answer that carries an incident's id to what can be done with it."""
    targets = {f"action_{a}": f"action_{a}" for a in actions}
    targets["incident_detail"] = "incident_detail"
    return {name: {"operationId": op, "parameters": {"incident_id": "$response.body#/id"}}
            for name, op in targets.items()}


def _invalid(exc: Invalid) -> DetailError:
    """422 in the shape of a validation error: the field and the Russian message."""
    loc: list[str] = ["body", *exc.field.split(".")] if exc.field else ["body"]
    # The type names the rule: a field's own format, or a rule of the regulation (moments,
    # answer checks) that a schema cannot state; clients and the fuzz tests tell them apart.
    item: dict[str, Any] = {"loc": loc, "msg": str(exc), "type": exc.rule}
    findings = getattr(exc, "findings", None)
    if findings is not None:
        item["findings"] = findings
    return DetailError(422, [item])


def _visible(key: ApiKey, access: ScopedAccess | None) -> QuerySet[Incident]:
    qs = incidents_for(access=access) if access is not None else Incident.objects.all()
    return qs.filter(key.municipality_q())


def _get(key: ApiKey, access: ScopedAccess | None, incident_id: int) -> Incident:
    incident = _visible(key, access).select_related("municipality").filter(pk=incident_id).first()
    if incident is None:
        raise HttpError(404, NOT_FOUND)
    return incident


# ---------------------------------------------------------------- intake and reading

@router.post("/incidents", response={200: s.IncidentCreatedOut, 201: s.IncidentCreatedOut, **ERRORS},
             summary="Передать сообщение (идемпотентно по external_id)", operation_id="incident_create",
             openapi_extra={"responses": {"200": {"links": _links(ACTION_NAMES)},
                                          "201": {"links": _links(ACTION_NAMES)}}})
def incident_create(request: HttpRequest, payload: s.IncidentIn) -> Status[dict[str, Any]]:
    key = key_of(request)
    # A municipality's key names its own municipality: the key's row already holds it.
    municipality = (key.municipality if key.municipality and key.municipality.slug == payload.municipality
                    else Municipality.objects.filter(slug=payload.municipality).first())
    if municipality is None:
        raise HttpError(404, f"МО «{payload.municipality}» не найдено.")
    if not key.covers(municipality):
        raise HttpError(403, "Ключ выдан для другого региона." if key.region_id else "Ключ выдан для другого МО.")
    if payload.kind == "publication" and not (key.person and key.held_roles() & ADMINISTRATION_ROLES):
        raise HttpError(403, "Публикацию (найденную самой администрацией) регистрирует ключ сотрудника "
                             "администрации: муниципального куратора или начальника общего отдела.")
    try:
        incident, created = services.incident_intake(
            municipality=municipality, kind=payload.kind, importance=payload.importance,
            network=payload.network, url=payload.url, author_name=payload.author.name,
            author_url=payload.author.url, text=payload.text, detected_at=payload.detected_at,
            handed_over_at=payload.handed_over_at, topic=payload.topic, location=payload.location,
            attachments=payload.attachments, external_id=payload.external_id or None,
            by=key.person, by_label=None if key.person else f"API: {key.name}",
        )
    except services.IncidentConflict:
        raise HttpError(409, "Сообщение с этим external_id уже передано с другим содержанием; "
                             "ничего не изменено.") from None
    except Invalid as exc:
        raise _invalid(exc) from None
    return Status(201 if created else 200, incident_created_dict(incident, fresh=created))


@router.get("/incidents", response={200: list[s.IncidentBriefOut], **ERRORS},
            summary="Сообщения МО ключа: фильтры и поиск, как в «Все сообщения»", operation_id="incident_list")
def incident_list(request: HttpRequest, filters: Query[s.ListFilters]) -> list[dict[str, Any]]:
    key = key_of(request)
    qs = _visible(key, access_of(key))
    if filters.municipality:  # a region-wide key reads one municipality of its region
        qs = qs.filter(municipality__slug=filters.municipality)
    qs = incidents_filtered(qs, filters=IncidentFilter(
        status=filters.status or "", unit=filters.unit, network=filters.network or "", topic=filters.topic.strip(),
        importance=filters.importance or "", overdue=filters.overdue, date_from=filters.date_from,
        date_to=filters.date_to, q=filters.q.strip()))
    rows = qs.select_related("municipality")[filters.offset:filters.offset + filters.limit]
    return [incident_brief_dict(i) for i in rows]


@router.get("/incidents/{incident_id}", response={200: s.IncidentOut, **ERRORS}, by_alias=True,
            operation_id="incident_detail", openapi_extra={"responses": {"200": {"links": _links(ACTION_NAMES)}}},
            summary="Сообщение: состояние, сроки, кто должен действовать, история")
def incident_detail(request: HttpRequest, incident_id: int = IncidentId) -> dict[str, Any]:
    key = key_of(request)
    access = access_of(key)
    return incident_dict(_get(key, access, incident_id), access)


# ---------------------------------------------------------------- actions

Call = Callable[[ScopedAccess, int, Any], object]


def _act(request: HttpRequest, incident_id: int, action: str,
         call: Callable[[ScopedAccess], object]) -> dict[str, Any]:
    key = key_of(request)
    if _key_role_lost(key, action):
        raise HttpError(401, "Ключ больше не действует для этого действия: у сотрудника уже нет роли, "
                             "с которой ключ выпущен.")
    access = access_of(key)
    if access is None:
        raise HttpError(403, "Ключ без сотрудника не выполняет действия: выпустите ключ с --person.")
    incident = _get(key, access, incident_id)
    try:
        call(access)
    except Incident.DoesNotExist:
        raise HttpError(404, NOT_FOUND) from None
    except NotFound as exc:
        raise HttpError(404, str(exc)) from None
    except Forbidden as exc:
        raise HttpError(403, str(exc)) from None
    except Invalid as exc:
        raise _invalid(exc) from None
    except TransitionError as exc:
        raise HttpError(409, str(exc)) from None
    return incident_dict(incident, access)


def _key_role_lost(key: ApiKey, action: str) -> bool:
    """The key was issued with a role this action needs, and its person no longer holds it:
    the key is dead for the action (401), not merely refused (403)."""
    needs = TRANSITIONS[action].roles if action in TRANSITIONS else frozenset()
    if action in ("approve", "return"):  # a publication's approval is the local one
        needs = needs | TRANSITIONS[f"{action}_local"].roles
    return bool(needs & set(key.roles)) and not needs & key.held_roles()


ACTIONS: dict[str, tuple[type[Schema] | None, Call, str]] = {
    "route": (s.RouteIn, lambda a, i, p: services.incident_route(
        access=a, incident_id=i, unit_ids=p.unit_ids, consolidator_id=p.consolidator_id,
        executor_ids={int(k): v for k, v in (p.executor_ids or {}).items()}),
        "Направить в подразделения (п. 10, 19)"),
    "not_ours": (s.CommentIn, lambda a, i, p: services.incident_not_ours(
        access=a, incident_id=i, comment=p.comment), "Не наша компетенция (п. 11)"),
    "ask_clarification": (s.QuestionIn, lambda a, i, p: services.incident_ask_clarification(
        access=a, incident_id=i, question=p.question, confirmed_with_errors=p.confirmed_with_errors),
        "Уточняющий вопрос автору (п. 13): проверяется как проект ответа"),
    "clarification_posted": (None, lambda a, i, p: services.incident_clarification_posted(
        access=a, incident_id=i), "Уточняющий вопрос опубликован: срок ответа ждёт автора (п. 13)"),
    "close_unclarified": (s.CommentIn, lambda a, i, p: services.incident_close_unclarified(
        access=a, incident_id=i, comment=p.comment),
        "Закрыть: автор не ответил на уточнение в отведённое время (п. 13)"),
    "clarification_received": (s.ReplyIn, lambda a, i, p: services.incident_clarification_received(
        access=a, incident_id=i, reply=p.reply), "Ответ автора на уточнение получен"),
    "submit_part": (s.TextIn, lambda a, i, p: services.incident_submit_part(
        access=a, incident_id=i, text=p.text), "Часть ответа для сводного (п. 19)"),
    "name_consolidator": (s.PersonIn, lambda a, i, p: services.incident_name_consolidator(
        access=a, incident_id=i, person_id=p.person_id), "Назначить ответственного за сводный ответ"),
    "submit_draft": (s.DraftIn, lambda a, i, p: services.incident_submit_draft(
        access=a, incident_id=i, text=p.text, intermediate=p.intermediate, attachments=p.attachments,
        confirmed_with_errors=p.confirmed_with_errors),
        "Проект ответа (п. 12): проверки ответа выполняются на сервере; при ошибках нужен confirmed_with_errors"),
    "forward": (None, lambda a, i, p: services.incident_forward(access=a, incident_id=i),
                "Направить проект на согласование в регион (п. 12)"),
    "approve": (s.ApproveIn, lambda a, i, p: services.incident_approve(
        access=a, incident_id=i, text_hash_seen=p.text_hash_seen),
        "Согласовать (п. 14): text_hash_seen — хеш текста, который видел согласующий"),
    "return": (s.ReturnIn, lambda a, i, p: services.incident_return(
        access=a, incident_id=i, reasons=[r.dict() for r in p.reasons]), "Вернуть на доработку (п. 14)"),
    "edit_approved": (s.EditIn, lambda a, i, p: services.incident_edit_approved(
        access=a, incident_id=i, text=p.text, confirmed_with_errors=p.confirmed_with_errors),
        "Изменить согласованный текст (согласование снимается)"),
    "publish": (s.PublishIn, lambda a, i, p: _publish(a, i, p.published_url),
                "Опубликовать ответ (п. 16): без published_url — через сеть, если страница сообщения "
                "зарегистрирована (состояние — в publication); с published_url — отметить опубликованным вручную"),
    "set_final_timings": (s.FinalTimingsIn, lambda a, i, p: services.incident_set_final_timings(
        access=a, incident_id=i, days=p.days), "Срок итогового ответа (п. 18)"),
    "close_no_answer": (s.CloseNoAnswerIn, lambda a, i, p: services.incident_close_no_answer(
        access=a, incident_id=i, reason=p.reason, comment=p.comment), "Закрыть без ответа (п. 21)"),
    "raise_importance": (None, lambda a, i, p: services.incident_raise_importance(
        access=a, incident_id=i), "Повышенная важность (п. 17, 24)"),
}


def _publish(access: ScopedAccess, incident_id: int, published_url: str) -> object:
    """Without a link, through the network where the message's page is registered (п. 16)."""
    if not published_url:
        incident = incident_get_for(access=access, pk=incident_id)
        if publishing.page_for(incident) is not None:
            return publishing.publication_request(access=access, incident_id=incident_id)
    return services.incident_publish(access=access, incident_id=incident_id, published_url=published_url)


def _register(action: str, schema: type[Schema] | None, call: Call, summary: str) -> None:
    view: Callable[..., dict[str, Any]]
    if schema is None:
        def view(request: HttpRequest, incident_id: int = IncidentId) -> dict[str, Any]:
            return _act(request, incident_id, action, lambda a: call(a, incident_id, None))
    else:
        def view(request: HttpRequest, payload: schema, incident_id: int = IncidentId) -> dict[str, Any]:  # type: ignore[valid-type]
            return _act(request, incident_id, action, lambda a: call(a, incident_id, payload))
    view.__name__ = f"action_{action}"
    router.post(f"/incidents/{{incident_id}}/actions/{action}", response={200: s.IncidentOut, **ERRORS},
                by_alias=True, summary=summary, operation_id=f"action_{action}",
                tags=["Действия"], openapi_extra={"responses": {"200": {"links": _links(ACTION_NAMES)}}})(view)


assert set(ACTIONS) == set(ACTION_NAMES)  # noqa: S101  (an import-time wiring check)
for _action, (_schema, _call, _summary) in ACTIONS.items():
    _register(_action, _schema, _call, _summary)

api.add_router("/", router)
api.add_router("/", post_router)
api.add_router("/", channel_router)
