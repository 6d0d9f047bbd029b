"""Request and response bodies. Enumerations are Literal types, so the schema refuses unknown
values with a 422 naming the field, and the OpenAPI document lists the allowed values."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from annotated_types import Ge, Le
from django.conf import settings
from ninja import Schema
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    Field,
    StrictBool,
    WithJsonSchema,
)

from otklik.core.links import LinkError, link_clean

MAX_TEXT: int = settings.OTKLIK_MAX_TEXT


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("Текст пуст: одни пробелы не принимаются.")
    return value


def _link(value: str) -> str:
    try:
        return link_clean(value)
    except LinkError as exc:
        raise ValueError(str(exc)) from None


def _link_or_empty(value: str) -> str:
    return _link(value) if value.strip() else ""


# A message, answer or comment: at least one non-space character, at most MAX_TEXT. The pattern
# says in OpenAPI what `str.strip()` leaves, spelled out (no \s: JSON Schema's, Rust's and
# Python's \s differ on U+0085, U+FEFF and \x1c–\x1f).
NOT_BLANK = r"[^\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
Text = Annotated[str, Field(min_length=1, max_length=MAX_TEXT, pattern=NOT_BLANK), AfterValidator(_not_blank)]
OptionalText = Annotated[str, Field(max_length=MAX_TEXT)]
# The pattern documents in OpenAPI exactly what `link_clean` accepts (a host, then a path).
LINK_BODY = r"[hH][tT][tT][pP][sS]?://[A-Za-z0-9][A-Za-z0-9.-]*(?::[0-9]{1,5})?(?:[/?#][^\x00-\x20\x7f-\x9f\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff\[\]\\]*)?"
Link = Annotated[str, Field(min_length=1, max_length=1000, pattern=f"^{LINK_BODY}$"), AfterValidator(_link)]
OptionalLink = Annotated[str, Field(max_length=1000, pattern=f"^(?:{LINK_BODY})?$"), AfterValidator(_link_or_empty)]
StatusName = Literal["new", "routed", "reroute", "clarifying", "consolidating", "draft_submitted",
                     "awaiting_approval", "returned", "approved", "intermediate", "published",
                     "closed_no_answer"]

NetworkName = Literal["vk", "ok", "telegram", "max"]
KindName = Literal["incident", "publication"]
ImportanceName = Literal["normal", "high"]
ReturnCode = Literal["substance", "voice", "redirect", "greeting", "spelling"]
NoAnswerCode = Literal["harm", "obscenity", "insult", "threat"]


class AuthorIn(Schema):
    name: str = Field("", max_length=300)
    url: OptionalLink = ""


class AuthorOut(Schema):
    name: str
    url: str


class IncidentIn(Schema):
    external_id: str | None = Field(None, max_length=200)
    municipality: str = Field(..., min_length=1, max_length=50, pattern=r"^[-a-zA-Z0-9_]+$")
    kind: KindName = "incident"
    importance: ImportanceName = "normal"
    network: NetworkName
    url: Link
    author: AuthorIn = Field(default_factory=lambda: AuthorIn(name="", url=""))
    text: Text
    detected_at: AwareDatetime
    handed_over_at: AwareDatetime | None = None
    topic: str = Field("", max_length=200)
    location: str = Field("", max_length=300)
    attachments: list[Link] = Field(default_factory=list, max_length=50)


class StepOut(Schema):
    kind: str
    label: str
    actor_role: str
    actor: str | None
    unit: str | None
    started_at: datetime
    due_at: datetime
    done_at: datetime | None
    overdue: bool


class IncidentCreatedOut(Schema):
    id: int
    status: str
    external_id: str | None
    importance: str
    deadlines: dict[str, datetime]
    steps: list[StepOut]


class ActorOut(Schema):
    role: str
    role_label: str
    person: str | None
    unit: str | None
    step: str
    due_at: datetime


class EventOut(Schema):
    seq: int
    at: datetime
    actor: str
    action: str
    from_status: str = Field(..., alias="from")
    to_status: str = Field(..., alias="to")
    payload: dict[str, Any]


class DraftOut(Schema):
    round: int
    kind: str
    text: str
    text_hash: str
    author: str
    submitted_at: datetime
    decision: str
    return_reasons: list[dict[str, Any]]


class AssignmentOut(Schema):
    unit_id: int
    unit: str
    executor: str | None
    state: str
    substitution_note: str


class PublicationOut(Schema):
    """The answer's publication through the network (п. 16), when one was asked for."""

    state: str = Field(..., description="pending | sending | unknown | check | done | failed | cancelled")
    state_label: str
    network: str
    page: str
    url: str
    error: str
    attempts: int


class IncidentOut(Schema):
    id: int
    municipality: str
    external_id: str | None
    kind: str
    importance: str
    status: str
    status_label: str
    network: str
    url: str
    author: AuthorOut
    text: str
    topic: str
    location: str
    attachments: list[Any]
    detected_at: datetime
    handed_over_at: datetime
    published_url: str
    publication: PublicationOut | None
    current_steps: list[StepOut]
    must_act: list[ActorOut]
    actions_available: list[str]
    deadlines: dict[str, datetime]
    steps: list[StepOut]
    assignments: list[AssignmentOut]
    drafts: list[DraftOut]
    history: list[EventOut]


class IncidentBriefOut(Schema):
    id: int
    municipality: str
    status: str
    importance: str
    kind: str
    network: str
    detected_at: datetime
    url: str
    author: str
    text: str
    topic: str
    next_due_at: datetime | None
    overdue: bool


def _json_int(value: Any) -> Any:
    """A JSON integer: 5 or 5.0 (JSON Schema counts both), never "5" nor true."""
    if isinstance(value, bool | str):
        raise ValueError("Нужно целое число.")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# A database id in a body: 1 … 2**62 (the OpenAPI says so, and larger cannot exist).
DbId = Annotated[int, Ge(1), Le(2**62), BeforeValidator(_json_int)]  # bounds first: they reach the OpenAPI


def _iso_date(value: Any) -> Any:
    """Only YYYY-MM-DD: pydantic would read «0» as 1970-01-01 (a Unix time)."""
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("Нужна дата в формате ГГГГ-ММ-ДД.")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]


def _query_bool(value: Any) -> Any:
    """true/false only: pydantic would also take «1», «yes», «on»."""
    if isinstance(value, str) and value not in ("true", "false"):
        raise ValueError("Нужно true или false.")
    return value


QueryBool = Annotated[bool, BeforeValidator(_query_bool)]


class ListFilters(Schema):
    """The filters of «Все сообщения»; sorted by the nearest deadline, then the newest."""

    status: StatusName | None = None
    unit: int | None = Field(None, ge=1, le=2**62, description="id подразделения")
    network: NetworkName | None = None
    topic: str = Field("", max_length=200, pattern=r"^[^\x00]*$")
    importance: ImportanceName | None = None
    overdue: QueryBool = False
    date_from: IsoDate | None = Field(None, description="обнаружено не раньше (дата МО)")
    date_to: IsoDate | None = Field(None, description="обнаружено не позже (дата МО)")
    q: str = Field("", max_length=200, pattern=r"^[^\x00]*$", description="поиск в тексте и имени автора")
    municipality: str = Field("", max_length=50, pattern=r"^[-a-zA-Z0-9_]*$",
                              description="код МО (slug): для ключа на весь регион — одно его МО")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


class ErrorOut(Schema):
    detail: Any


# ---------------------------------------------------------------- action bodies

class Empty(Schema):
    pass


ExecutorMap = Annotated[
    dict[Annotated[str, Field(pattern=r"^[1-9][0-9]{0,17}$")], DbId],
    WithJsonSchema({"type": "object", "additionalProperties": False, "maxProperties": 50,
                    "patternProperties": {r"^[1-9][0-9]{0,17}$": {"type": "integer", "minimum": 1, "maximum": 2**62}}}),
]


class RouteIn(Schema):
    unit_ids: list[DbId] = Field(..., min_length=1, max_length=50)
    # unit id → executor id; JSON keys are strings: digits only, as the schema says.
    executor_ids: ExecutorMap | None = None
    # п. 19: the consolidating executor may be named at routing (or later).
    consolidator_id: DbId | None = None


class CommentIn(Schema):
    comment: Text


class QuestionIn(Schema):
    question: Text
    # The question passes the answer checks; with errors it is refused unless confirmed.
    confirmed_with_errors: StrictBool = False


class ReplyIn(Schema):
    reply: OptionalText = ""


class TextIn(Schema):
    text: Text


class EditIn(Schema):
    text: Text
    # The answer checks run on the server; with errors the edit is refused unless confirmed.
    confirmed_with_errors: StrictBool = False


class PersonIn(Schema):
    person_id: DbId


class DraftIn(Schema):
    text: Text
    intermediate: StrictBool = False
    attachments: list[Link] = Field(default_factory=list, max_length=50)
    # The answer checks run on the server; with errors the draft is refused unless confirmed.
    confirmed_with_errors: StrictBool = False


class ApproveIn(Schema):
    text_hash_seen: str = Field(..., min_length=64, max_length=64)


class ReturnReasonIn(Schema):
    code: ReturnCode
    comment: OptionalText = ""


class ReturnIn(Schema):
    reasons: list[ReturnReasonIn] = Field(..., min_length=1, max_length=5)


class PublishIn(Schema):
    published_url: OptionalLink = ""


class FinalTimingsIn(Schema):
    days: Annotated[int, Ge(1), Le(60), BeforeValidator(_json_int)]


class CloseNoAnswerIn(Schema):
    reason: NoAnswerCode
    comment: OptionalText = ""
