"""Schemathesis hooks for fuzzing Otklik's API (loaded with SCHEMATHESIS_HOOKS=otklik.api.fuzz.hooks).

- Authentication: each operation gets the key of the role that may take it (the keys come in
  OTKLIK_FUZZ_KEYS as JSON), so generated requests reach the workflow rather than stopping
  at 403; schemathesis still probes every operation without and with a wrong key.
- Steering: two hand-ins out of three get a detection time just before now and the demo
  municipality, half of the incident ids name incidents that exist (the demo's, in every
  state), and some routings get real unit ids, so that requests reach the workflow and the
  stateful phase follows the OpenAPI links from a real incident through its actions.
  Everything else stays generated.
- The acceptance check: a schema-valid request must not be refused, except by a rule of the
  regulation a schema cannot state, which the API names in the error's `type` ("moment": a
  detection time in the future; "draft_check": the answer checks found errors; "network": a
  network's own limit, such as its longest text or no polls). Any other
  422 for schema-valid data is a failure.
"""

from __future__ import annotations

import json
import os
import zlib
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import schemathesis
from schemathesis import Case, CheckContext, Response
from schemathesis.auths import AuthContext

RULES = frozenset({"moment", "draft_check", "network"})
# Which demo role acts on each operation.
ROLE_OF: dict[str, str] = {
    "incident_list": "system", "incident_detail": "system",
    "action_route": "curator", "action_name_consolidator": "curator", "action_forward": "curator",
    "action_publish": "curator", "action_edit_approved": "curator", "action_close_no_answer": "curator",
    "action_raise_importance": "curator", "action_clarification_received": "curator",
    "action_not_ours": "executor", "action_ask_clarification": "executor", "action_submit_part": "executor",
    "action_submit_draft": "executor",
    "action_approve": "region", "action_return": "region", "action_set_final_timings": "region",
}


def _env(name: str) -> Any:
    return json.loads(os.environ.get(name, "{}"))


def _crc(value: Any) -> int:
    return zlib.crc32(json.dumps(value, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8", "replace"))


@schemathesis.auth(refresh_interval=None)
class RoleKeys:
    def get(self, case: Case[Any], ctx: AuthContext) -> str | None:
        keys = _env("OTKLIK_FUZZ_KEYS")
        operation = case.operation.definition.raw.get("operationId", "")
        if operation == "incident_create":
            body = case.body if isinstance(case.body, dict) else {}
            return str(keys["curator" if body.get("kind") == "publication" else "system"])
        return str(keys[ROLE_OF.get(operation, "system")])

    def set(self, case: Case[Any], data: str, ctx: AuthContext) -> None:
        if case.headers is None:
            case.headers = {}
        case.headers["Authorization"] = f"Bearer {data}"


def _steer_body(operation: str, body: Any) -> Any:
    if not isinstance(body, dict):
        return body
    choice = _crc(body) % 3
    if operation == "incident_create" and choice:
        moment = datetime.now(ZoneInfo("Europe/Moscow")) - timedelta(minutes=30 + choice)
        return {**body, "municipality": os.environ.get("OTKLIK_FUZZ_MUNICIPALITY", "plastunovskoe"),
                "detected_at": moment.isoformat(), "handed_over_at": None}
    if operation == "action_route" and choice:
        units = _env("OTKLIK_FUZZ_UNITS") or []
        if units:
            return {**body, "unit_ids": units[: 1 + choice % 2]}
    if operation == "action_name_consolidator" and choice:
        people = _env("OTKLIK_FUZZ_PEOPLE") or []
        if people:
            return {**body, "person_id": people[choice % len(people)]}
    return body


@schemathesis.hook
def map_case(context: Any, case: Case[Any]) -> Case[Any]:
    """Steer valid requests only: a request generated to break the schema must stay broken,
    or the check that such requests are refused would be fooled by the steering."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return case
    operation = case.operation.definition.raw.get("operationId", "")
    case.body = _steer_body(operation, case.body)
    incidents = _env("OTKLIK_FUZZ_INCIDENTS") or []
    params = case.path_parameters
    if incidents and isinstance(params, dict) and isinstance(params.get("incident_id"), int) and _crc(params) % 2:
        case.path_parameters = {**params, "incident_id": incidents[_crc(params) % len(incidents)]}
    return case


@schemathesis.check
def schema_valid_data_accepted(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """Positive data: 2xx, or a refusal that is about who or what (401/403/404/409), or a 422
    that names a rule of the regulation only. Never a plain validation error."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return None
    if response.status_code in (401, 403, 404, 409) or 200 <= response.status_code < 300:
        return None
    if response.status_code == 422:
        try:
            detail = json.loads(response.content)["detail"]
            if isinstance(detail, list) and detail and all(d.get("type") in RULES for d in detail):
                return None
        except (ValueError, KeyError, TypeError, AttributeError):
            pass
    raise AssertionError(f"A schema-valid request was refused: {response.status_code} {response.content[:500]!r}")
