"""The staff bot in Telegram: private chats, inline keyboards, callback queries (Bot API).

Text goes out with `parse_mode=HTML`; every untrusted part passes `markup`, which escapes the
three characters Telegram's HTML parser reads (<, >, &: Bot API «HTML style»). A button's
`callback_data` is 1-64 bytes (InlineKeyboardButton). Updates are read with getUpdates
(`timeout=0`: the worker's tick must not hang) and `allowed_updates` of the two kinds used.
"""

from __future__ import annotations

import html
from typing import Any

import httpx

from otklik.channels.base import (
    ErrorKind,
    NetworkError,
    api_url,
    limiter_for,
    timeout,
)
from otklik.channels.botapi import BotBatch, BotUpdate, Button
from otklik.channels.telegram.client import (
    CHANNEL_PER_SECOND,
    DEFAULT_API_URL,
    MAX_TEXT,
    NETWORK,
    OVERALL_PER_SECOND,
    bot_api_post,
)

MAX_CALLBACK_DATA = 64  # bytes
MAX_CALLBACK_ANSWER = 200  # answerCallbackQuery.text: 0-200 characters
ALLOWED_UPDATES = ["message", "callback_query"]


def _keyboard(buttons: list[list[Button]] | None) -> dict[str, Any] | None:
    if not buttons:
        return None
    rows = []
    for row in buttons:
        out = []
        for b in row:
            if b.url:
                out.append({"text": b.text, "url": b.url})
            else:
                if not 1 <= len(b.data.encode()) <= MAX_CALLBACK_DATA:
                    raise NetworkError(ErrorKind.BAD_REQUEST, "данные кнопки Telegram — от 1 до 64 байт")
                out.append({"text": b.text, "callback_data": b.data})
        rows.append(out)
    return {"inline_keyboard": rows}


class BotClient:
    network = NETWORK
    max_text = MAX_TEXT

    def __init__(self, token: str, *, base_url: str | None = None, http: httpx.Client | None = None) -> None:
        self.token = token
        self.base_url = (base_url or api_url("OTKLIK_TELEGRAM_API_URL", DEFAULT_API_URL)).rstrip("/")
        self.http = http or httpx.Client(timeout=timeout())
        self._overall = limiter_for(NETWORK, token, OVERALL_PER_SECOND)

    def _call(self, method: str, params: dict[str, Any], *, chat: str = "") -> Any:
        self._overall.wait()
        if chat:  # Telegram: about one message a second into one chat
            limiter_for(NETWORK, f"{self.token}|{chat}", CHANNEL_PER_SECOND).wait()
        return bot_api_post(self.http, f"{self.base_url}/bot{self.token}/{method}", json=params)

    def markup(self, text: str, *, bold: bool = False) -> str:
        safe = html.escape(text, quote=False)
        return f"<b>{safe}</b>" if bold else safe

    def send(self, chat_id: str, text: str, buttons: list[list[Button]] | None = None) -> str:
        params: dict[str, Any] = {"chat_id": int(chat_id), "text": text, "parse_mode": "HTML",
                                  "link_preview_options": {"is_disabled": True}}
        keyboard = _keyboard(buttons)
        if keyboard:
            params["reply_markup"] = keyboard
        result = self._call("sendMessage", params, chat=chat_id)
        if not isinstance(result, dict) or not isinstance(result.get("message_id"), int):
            raise NetworkError(ErrorKind.TIMEOUT, "Telegram не вернул id сообщения")
        return str(result["message_id"])

    def edit(self, chat_id: str, message_id: str, text: str, buttons: list[list[Button]] | None = None) -> None:
        params: dict[str, Any] = {"chat_id": int(chat_id), "message_id": int(message_id), "text": text,
                                  "parse_mode": "HTML", "reply_markup": _keyboard(buttons) or {"inline_keyboard": []}}
        try:
            self._call("editMessageText", params)
        except NetworkError as exc:
            if "message is not modified" not in exc.detail.lower():
                raise

    def answer(self, callback_id: str, text: str = "") -> None:
        params: dict[str, Any] = {"callback_query_id": callback_id}
        if text:
            params["text"] = text[:MAX_CALLBACK_ANSWER]
        self._call("answerCallbackQuery", params)

    def updates(self, marker: str = "") -> BotBatch:
        params: dict[str, Any] = {"timeout": 0, "limit": 100, "allowed_updates": ALLOWED_UPDATES}
        if marker:
            params["offset"] = int(marker)
        result = self._call("getUpdates", params)
        batch = BotBatch(marker=marker)
        next_offset = int(marker) if marker else 0
        for update in result if isinstance(result, list) else []:
            if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
                continue
            next_offset = max(next_offset, update["update_id"] + 1)
            found = _update(update)
            if found is not None:
                batch.updates.append(found)
        if next_offset:
            batch.marker = str(next_offset)
        return batch


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _name(user: Any) -> str:
    data = _obj(user)
    return " ".join(str(data.get(k) or "") for k in ("first_name", "last_name")).strip()


def _update(update: dict[str, Any]) -> BotUpdate | None:
    """Only private chats count: the bot is never a group's member on purpose."""
    message = _obj(update.get("message"))
    if message:
        chat = _obj(message.get("chat"))
        if chat.get("type") != "private" or not isinstance(message.get("text"), str):
            return None
        return BotUpdate(chat_id=str(chat.get("id")), user_name=_name(message.get("from")), text=message["text"])
    query = _obj(update.get("callback_query"))
    sender = _obj(query.get("from"))
    if not sender:
        return None
    sent = _obj(query.get("message"))
    # The chat of a private conversation is the person's own id.
    chat_id = str(_obj(sent.get("chat")).get("id") or sender.get("id"))
    return BotUpdate(chat_id=chat_id, user_name=_name(sender), data=str(query.get("data") or ""),
                     callback_id=str(query.get("id") or ""), message_id=str(sent.get("message_id") or ""))
