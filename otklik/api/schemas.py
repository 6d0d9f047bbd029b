"""Request and response bodies. Enumerations are Literal types, so the schema refuses unknown
values with a 422 naming the field, and the OpenAPI document lists the allowed values."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import AwareDatetime, Field

NetworkName = Literal["vk", "ok", "telegram", "max"]
KindName = Literal["incident", "publication"]
ImportanceName = Literal["normal", "high"]
ReturnCode = Literal["substance", "voice", "redirect", "greeting", "spelling"]
NoAnswerCode = Literal["harm", "obscenity", "insult", "threat"]


class AuthorIn(Schema):
    name: str = Field("", max_length=300)
    url: str = Field("", max_length=1000)


class IncidentIn(Schema):
    external_id: str | None = Field(None, max_length=200)
    municipality: str = Field(..., min_length=1, max_length=50)
    kind: KindName = "incident"
    importance: ImportanceName = "normal"
    network: NetworkName
    url: str = Field(..., min_length=1, max_length=1000, pattern=r"^https?://")
    author: AuthorIn = Field(default_factory=lambda: AuthorIn(name="", url=""))
    text: str = Field(..., min_length=1)
    detected_at: AwareDatetime
    handed_over_at: AwareDatetime | None = None
    topic: str = Field("", max_length=200)
    location: str = Field("", max_length=300)
    attachments: list[str] = Field(default_factory=list)


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
    author: AuthorIn
    text: str
    topic: str
    location: str
    attachments: list[Any]
    detected_at: datetime
    handed_over_at: datetime
    published_url: str
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
    status: str
    importance: str
    kind: str
    network: str
    detected_at: datetime
    url: str


class ErrorOut(Schema):
    detail: Any


# ---------------------------------------------------------------- action bodies

class Empty(Schema):
    pass


class RouteIn(Schema):
    unit_ids: list[int] = Field(..., min_length=1)
    executor_ids: dict[int, int] | None = None


class CommentIn(Schema):
    comment: str = Field(..., min_length=1)


class QuestionIn(Schema):
    question: str = Field(..., min_length=1)


class ReplyIn(Schema):
    reply: str = ""


class TextIn(Schema):
    text: str = Field(..., min_length=1)


class PersonIn(Schema):
    person_id: int


class DraftIn(Schema):
    text: str = Field(..., min_length=1)
    intermediate: bool = False
    attachments: list[str] = Field(default_factory=list)
    # The answer checks run on the server; with errors the draft is refused unless confirmed.
    confirmed_with_errors: bool = False


class ApproveIn(Schema):
    text_hash_seen: str = Field(..., min_length=64, max_length=64)


class ReturnReasonIn(Schema):
    code: ReturnCode
    comment: str = ""


class ReturnIn(Schema):
    reasons: list[ReturnReasonIn] = Field(..., min_length=1)


class PublishIn(Schema):
    published_url: str = Field("", max_length=1000)


class FinalTimingsIn(Schema):
    days: int = Field(..., ge=1, le=60)


class CloseNoAnswerIn(Schema):
    reason: NoAnswerCode
    comment: str = ""
