"""The request body parser: strict UTF-8 JSON, and text the database can store.

A body that is not UTF-8 or not JSON is refused (400, in Russian, by api.errors). Inside
strings, NUL (PostgreSQL cannot store it) and lone surrogates (not encodable at all) become
U+FFFD, so a hostile string is kept visibly damaged instead of failing with a 500.
"""

from __future__ import annotations

import json
import re
from typing import Any, cast

from django.http import HttpRequest
from ninja.parser import Parser

_BAD = re.compile("[\x00\ud800-\udfff]")


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return _BAD.sub("\ufffd", value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    return value


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


class CleanJSONParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        text = request.body.decode("utf-8")  # UnicodeDecodeError → 400
        return cast(dict[str, Any], _clean(json.loads(text, parse_constant=_no_constants)))
