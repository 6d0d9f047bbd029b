"""Every API error in Russian, as UTF-8 JSON: validation errors translated by type, the
framework's English messages replaced, domain errors mapped by their type."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

UNPARSABLE = "Тело запроса не разобрано: нужен JSON-объект в кодировке UTF-8."

# pydantic error type → Russian; {…} are filled from the error's context.
MESSAGES: dict[str, str] = {
    "missing": "Обязательное поле.",
    "string_type": "Нужна строка.",
    "string_too_short": "Слишком коротко: не меньше {min_length} симв.",
    "string_too_long": "Слишком длинно: не больше {max_length} симв.",
    "string_pattern_mismatch": "Неверный формат.",
    "literal_error": "Допустимые значения: {expected}.",
    "enum": "Допустимые значения: {expected}.",
    "int_type": "Нужно целое число.",
    "int_parsing": "Нужно целое число.",
    "int_from_float": "Нужно целое число.",
    "int_parsing_size": "Слишком большое число.",
    "greater_than": "Должно быть больше {gt}.",
    "greater_than_equal": "Должно быть не меньше {ge}.",
    "less_than": "Должно быть меньше {lt}.",
    "less_than_equal": "Должно быть не больше {le}.",
    "bool_type": "Нужно true или false.",
    "bool_parsing": "Нужно true или false.",
    "datetime_type": "Нужны дата и время в формате ISO 8601 с часовым поясом, например 2026-12-01T10:00:00+03:00.",
    "datetime_parsing": "Нужны дата и время в формате ISO 8601 с часовым поясом, например 2026-12-01T10:00:00+03:00.",
    "datetime_from_date_parsing": "Нужны дата и время в формате ISO 8601 с часовым поясом, например 2026-12-01T10:00:00+03:00.",
    "datetime_object_invalid": "Такой даты не бывает.",
    "timezone_aware": "Укажите часовой пояс, например +03:00.",
    "list_type": "Нужен список.",
    "dict_type": "Нужен объект.",
    "model_type": "Нужен объект.",
    "model_attributes_type": "Нужен объект.",
    "too_short": "Слишком мало элементов: нужно не меньше {min_length}.",
    "too_long": "Слишком много элементов: не больше {max_length}.",
    "extra_forbidden": "Лишнее поле.",
    "json_invalid": UNPARSABLE,
    "json_type": UNPARSABLE,
    "string_unicode": "Строка не в кодировке UTF-8.",
}
# The framework's own English messages, as ninja raises them.
HTTP_MESSAGES: dict[str, str] = {
    "Cannot parse request body": UNPARSABLE,
    "Unauthorized": "Нужен действующий ключ API: заголовок Authorization: Bearer <ключ>.",
    "Not Found": "Не найдено.",
    "Method not allowed": "Метод не поддерживается.",
}


class DetailError(HttpError):
    """An error whose `detail` is structured (a list of field errors), not one message."""

    def __init__(self, status_code: int, detail: Any) -> None:
        super().__init__(status_code, "")
        self.detail = detail


def _ctx_text(value: Any) -> str:
    return str(value).replace("'", "«", 1).replace("'", "»", 1) if isinstance(value, str) else str(value)


def error_ru(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = {k: _ctx_text(v) for k, v in (error.get("ctx") or {}).items()}
    if kind == "value_error":  # our validators speak Russian already; pydantic prefixes English
        return str(error.get("msg", "")).removeprefix("Value error, ")
    template = MESSAGES.get(kind)
    if template is None:
        return "Неверное значение."
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template.split(":")[0] + "."


def _clean_loc(loc: Any) -> list[str | int]:
    return [part if isinstance(part, int) else str(part) for part in (loc or [])]


class RussianJSONRenderer(JSONRenderer):
    """UTF-8 JSON without \\u escapes."""

    media_type = "application/json"
    charset = "utf-8"
    json_dumps_params = {"ensure_ascii": False}
    encoder_class = NinjaJSONEncoder


def json_response(data: Any, status: int) -> HttpResponse:
    return HttpResponse(json.dumps(data, ensure_ascii=False, cls=NinjaJSONEncoder), status=status,
                        content_type="application/json; charset=utf-8")


def install_handlers(api: NinjaAPI) -> None:
    def validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        detail = [{"loc": _clean_loc(e.get("loc")), "msg": error_ru(e), "type": str(e.get("type", ""))}
                  for e in exc.errors]
        return api.create_response(request, {"detail": detail}, status=422)

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc, DetailError):
            return api.create_response(request, {"detail": exc.detail}, status=exc.status_code)
        message = str(exc)
        for english, russian in HTTP_MESSAGES.items():
            if message.startswith(english):
                message = russian
        return api.create_response(request, {"detail": message}, status=exc.status_code)

    def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(request, {"detail": HTTP_MESSAGES["Unauthorized"]}, status=401)

    api.add_exception_handler(ValidationError, validation)  # type: ignore[arg-type]
    api.add_exception_handler(AuthenticationError, unauthorized)  # type: ignore[arg-type]
    api.add_exception_handler(HttpError, http_error)  # type: ignore[arg-type]
