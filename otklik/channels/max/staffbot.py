"""The staff bot in MAX: dialogs with staff, inline keyboards, callbacks (MAX Bot API).

Messages go out as plain text: no `format` is sent, so MAX reads no markup in them (its
"markdown" and "html" formats are opt-in per message) and untrusted text needs no escaping —
`markup` returns it as is. A keyboard is an `inline_keyboard` attachment of `callback` and
`link` buttons; a press arrives as a `message_callback` update and is answered with
`POST /answers?callback_id=…`. Messages to a person go by `user_id` (the dialog's person),
which is what Otklik keeps as the chat id.
"""

from __future__ import annotations

from typing import Any

import httpx

from otklik.channels.base import (
    ErrorKind,
    NetworkError,
    api_url,
    limiter_for,
    timeout,
    transport_error,
)
from otklik.channels.botapi import BotBatch, BotUpdate, Button
from otklik.channels.max.client import (
    DEFAULT_API_URL,
    MAX_TEXT,
    NETWORK,
    PER_SECOND,
    _error_from,
    _make_http,
)

MAX_PAYLOAD = 1024  # CallbackButton.payload: "до 1024 символов"
UPDATE_TYPES = "message_created,message_callback,bot_started"


def _keyboard(buttons: list[list[Button]] | None) -> list[dict[str, Any]]:
    if not buttons:
        return []
    rows = []
    for row in buttons:
        out: list[dict[str, Any]] = []
        for b in row:
            if b.url:
                out.append({"type": "link", "text": b.text, "url": b.url})
            else:
                if not 1 <= len(b.data) <= MAX_PAYLOAD:
                    raise NetworkError(ErrorKind.BAD_REQUEST, "данные кнопки MAX — от 1 до 1024 символов")
                out.append({"type": "callback", "text": b.text, "payload": b.data})
        rows.append(out)
    return [{"type": "inline_keyboard", "payload": {"buttons": rows}}]


class BotClient:
    network = NETWORK
    max_text = MAX_TEXT
    per_chat_per_second = 2.0

    def __init__(self, token: str, *, base_url: str | None = None, http: httpx.Client | None = None) -> None:
        self.token = token
        self.base_url = (base_url or api_url("OTKLIK_MAX_API_URL", DEFAULT_API_URL)).rstrip("/")
        self.http = http or _make_http()
        self._limiter = limiter_for(NETWORK, token, PER_SECOND)

    def _call(self, method: str, path: str, *, params: dict[str, Any] | None = None, body: Any = None,
              chat: str = "") -> Any:
        self._limiter.wait()
        if chat:
            limiter_for(f"{NETWORK}-chat", f"{self.token}|{chat}", self.per_chat_per_second).wait()
        try:
            resp = self.http.request(method, f"{self.base_url}/{path}", params=params or {}, json=body,
                                     headers={"Authorization": self.token}, timeout=timeout())
        except httpx.HTTPError as exc:
            raise transport_error(exc) from None
        if not resp.is_success:
            raise _error_from(resp, self.token)
        try:
            data = resp.json()
        except ValueError:
            raise NetworkError(ErrorKind.RETRY, "ответ MAX не в формате JSON") from None
        if isinstance(data, dict) and data.get("success") is False:
            raise NetworkError(ErrorKind.BAD_REQUEST, str(data.get("message") or "success: false"))
        return data

    def markup(self, text: str, *, bold: bool = False) -> str:
        return text  # plain text: MAX reads no markup in it

    def send(self, chat_id: str, text: str, buttons: list[list[Button]] | None = None) -> str:
        if len(text) > MAX_TEXT:
            raise NetworkError(ErrorKind.BAD_REQUEST, f"текст длиннее {MAX_TEXT} символов")
        data = self._call("POST", "messages", params={"user_id": chat_id},
                          body={"text": text, "attachments": _keyboard(buttons), "notify": True}, chat=chat_id)
        message = data.get("message") if isinstance(data, dict) else None
        mid = (message.get("body") or {}).get("mid") if isinstance(message, dict) else None
        if not mid:
            raise NetworkError(ErrorKind.TIMEOUT, "MAX не вернул id сообщения")
        return str(mid)

    def edit(self, chat_id: str, message_id: str, text: str, buttons: list[list[Button]] | None = None) -> None:
        # attachments [] removes the keyboard (null would keep it: NewMessageBody)
        self._call("PUT", "messages", params={"message_id": message_id},
                   body={"text": text, "attachments": _keyboard(buttons)})

    def answer(self, callback_id: str, text: str = "") -> None:
        self._call("POST", "answers", params={"callback_id": callback_id},
                   body={"notification": text or None})

    def updates(self, marker: str = "") -> BotBatch:
        params: dict[str, Any] = {"types": UPDATE_TYPES, "timeout": 0, "limit": 100}
        if marker:
            params["marker"] = marker
        data = self._call("GET", "updates", params=params)
        data = data if isinstance(data, dict) else {}
        batch = BotBatch(marker=str(data.get("marker") or marker or ""))
        for update in data.get("updates") or []:
            found = _update(update) if isinstance(update, dict) else None
            if found is not None:
                batch.updates.append(found)
        return batch


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _user(value: Any) -> tuple[str, str]:
    user = _obj(value)
    name = str(user.get("name") or " ".join(str(user.get(k) or "") for k in ("first_name", "last_name")).strip())
    return str(user.get("user_id") or ""), name


def _update(update: dict[str, Any]) -> BotUpdate | None:
    kind = update.get("update_type")
    if kind == "message_created":
        message = _obj(update.get("message"))
        if _obj(message.get("recipient")).get("chat_type") != "dialog":
            return None
        user_id, name = _user(message.get("sender"))
        text = str(_obj(message.get("body")).get("text") or "")
        return BotUpdate(chat_id=user_id, user_name=name, text=text) if user_id else None
    if kind == "bot_started":
        user_id, name = _user(update.get("user"))
        payload = str(update.get("payload") or "")
        return BotUpdate(chat_id=user_id, user_name=name, text=f"/start {payload}".strip()) if user_id else None
    if kind == "message_callback":
        callback = _obj(update.get("callback"))
        user_id, name = _user(callback.get("user"))
        if not user_id or not callback.get("callback_id"):
            return None
        mid = _obj(_obj(update.get("message")).get("body")).get("mid")
        return BotUpdate(chat_id=user_id, user_name=name, data=str(callback.get("payload") or ""),
                         callback_id=str(callback["callback_id"]), message_id=str(mid or ""))
    return None
