"""The sandbox's staff bots: a Telegram and a MAX bot talking to people in private chats.

A bot is known by its token (`register_bot`); a person writes to it or presses a button under
one of its messages through `say` / `press` (or `POST /_sandbox/bot/say|press`), which queue
updates the bot reads with getUpdates (Telegram) or GET /updates (MAX). What the bot sent,
edited and answered is kept for tests and the view. Telegram's HTML parse mode is checked like
Telegram does: an unknown tag or a bare "<" or "&" is refused ("can't parse entities").
"""

from __future__ import annotations

import contextlib
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

from otklik.channels.sandbox.world import SbRequest, SbResponse, World

TELEGRAM_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "tg-spoiler",
                 "span", "blockquote", "tg-emoji"}
_TAG = re.compile(r"</?([a-z\-]+)(\s[^<>]*)?>")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


@dataclass
class SbBotMessage:
    id: int
    chat_id: str
    text: str
    buttons: list[list[dict[str, Any]]] = field(default_factory=list)
    from_bot: bool = True
    edited: bool = False
    date: int = 0


@dataclass
class SbBot:
    network: str
    token: str
    name: str = "Отклик — сотрудникам"
    user_id: int = 8000001
    messages: dict[int, SbBotMessage] = field(default_factory=dict)
    updates: list[dict[str, Any]] = field(default_factory=list)  # {"seq": n, **network shape}
    answers: list[tuple[str, str]] = field(default_factory=list)  # (callback id, notice)
    names: dict[str, str] = field(default_factory=dict)  # chat id -> the person's name
    next_id: int = 100

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def chat(self, chat_id: str) -> list[SbBotMessage]:
        return sorted((m for m in self.messages.values() if m.chat_id == str(chat_id)), key=lambda m: m.id)

    def last_from_bot(self, chat_id: str) -> SbBotMessage | None:
        found = [m for m in self.chat(chat_id) if m.from_bot]
        return found[-1] if found else None


def _bots(world: World) -> dict[tuple[str, str], SbBot]:
    found = getattr(world, "staff_bots", None)
    if found is None:
        found = {}
        world.staff_bots = found  # type: ignore[attr-defined]  # the World carries the bots of this module
    return found


def register_bot(world: World, network: str, token: str) -> SbBot:
    with world.lock:
        bot = SbBot(network=network, token=token)
        _bots(world)[(network, token)] = bot
        return bot


def bot_for(world: World, network: str, token: str) -> SbBot | None:
    return _bots(world).get((network, token)) if token else None


def bots_of(world: World) -> list[SbBot]:
    return list(_bots(world).values())


def _user(bot: SbBot, chat_id: str) -> dict[str, Any]:
    return {"id": int(chat_id), "is_bot": False, "first_name": bot.names.get(chat_id, "Сотрудник")}


def _tg_message(bot: SbBot, m: SbBotMessage) -> dict[str, Any]:
    data: dict[str, Any] = {"message_id": m.id, "date": m.date, "text": m.text,
                            "chat": {"id": int(m.chat_id), "type": "private",
                                     "first_name": bot.names.get(m.chat_id, "Сотрудник")}}
    data["from"] = ({"id": bot.user_id, "is_bot": True, "first_name": bot.name} if m.from_bot
                    else _user(bot, m.chat_id))
    if m.buttons:
        data["reply_markup"] = {"inline_keyboard": m.buttons}
    return data


def _max_message(bot: SbBot, m: SbBotMessage) -> dict[str, Any]:
    sender = ({"user_id": bot.user_id, "name": bot.name, "is_bot": True} if m.from_bot
              else {"user_id": int(m.chat_id), "name": bot.names.get(m.chat_id, "Сотрудник"), "is_bot": False})
    body: dict[str, Any] = {"mid": f"mid.{m.id:032x}", "seq": m.id, "text": m.text}
    if m.buttons:
        body["attachments"] = [{"type": "inline_keyboard", "payload": {"buttons": m.buttons}}]
    return {"sender": sender, "recipient": {"chat_id": 5_000_000 + int(m.chat_id), "chat_type": "dialog",
                                            "user_id": int(m.chat_id)},
            "timestamp": m.date * 1000, "body": body}


# -- a person acts
def say(world: World, bot: SbBot, chat_id: str, text: str, name: str = "Сотрудник") -> SbBotMessage:
    with world.lock:
        bot.names.setdefault(str(chat_id), name)
        m = SbBotMessage(id=bot.new_id(), chat_id=str(chat_id), text=text, from_bot=False, date=int(time.time()))
        bot.messages[m.id] = m
        seq = len(bot.updates) + 1
        if bot.network == "telegram":
            bot.updates.append({"seq": seq, "message": _tg_message(bot, m)})
        else:
            bot.updates.append({"seq": seq, "update_type": "message_created", "timestamp": m.date * 1000,
                                "message": _max_message(bot, m)})
        return m


def press(world: World, bot: SbBot, message_id: int, data: str) -> str:
    """Press the button with `data` under the bot's message; returns the callback id.
    A button that is not (or no longer) there cannot be pressed: ValueError."""
    with world.lock:
        m = bot.messages.get(message_id)
        key = "callback_data" if bot.network == "telegram" else "payload"
        if m is None or not any(b.get(key) == data for row in m.buttons for b in row):
            raise ValueError("no such button")
        callback_id = f"cb{bot.new_id()}"
        seq = len(bot.updates) + 1
        if bot.network == "telegram":
            bot.updates.append({"seq": seq, "callback_query": {
                "id": callback_id, "from": _user(bot, m.chat_id), "message": _tg_message(bot, m),
                "chat_instance": f"ci{m.chat_id}", "data": data}})
        else:
            bot.updates.append({"seq": seq, "update_type": "message_callback", "timestamp": int(time.time() * 1000),
                                "callback": {"timestamp": int(time.time() * 1000), "callback_id": callback_id,
                                             "payload": data, "user": _max_message(bot, SbBotMessage(
                                                 0, m.chat_id, "", from_bot=False))["sender"]},
                                "message": _max_message(bot, m)})
        return callback_id


def controls(world: World, req: SbRequest, action: str) -> SbResponse:
    """`POST /_sandbox/bot/say {"network","token","chat_id","text"}` and
    `/_sandbox/bot/press {"network","token","message_id","data"}`."""
    data = req.json() or {}
    bot = bot_for(world, str(data.get("network", "")), str(data.get("token", "")))
    if bot is None:
        return SbResponse.of({"error": "no such bot"}, status=404)
    if action == "say":
        m = say(world, bot, str(data["chat_id"]), str(data["text"]), str(data.get("name", "Сотрудник")))
        return SbResponse.of({"id": m.id})
    if action == "press":
        try:
            return SbResponse.of({"callback_id": press(world, bot, int(data["message_id"]), str(data["data"]))})
        except ValueError:
            return SbResponse.of({"error": "no such button"}, status=400)
    return SbResponse.of({"error": "not found"}, status=404)


# -- Telegram
def _tg_ok(result: Any) -> SbResponse:
    return SbResponse.of({"ok": True, "result": result})


def _tg_bad(description: str) -> SbResponse:
    return SbResponse.of({"ok": False, "error_code": 400, "description": f"Bad Request: {description}"}, status=400)


def html_problem(text: str) -> str:
    """Telegram's complaint about `text` in HTML parse mode, or ""."""
    position = 0
    while position < len(text):
        char = text[position]
        if char == "<":
            tag = _TAG.match(text, position)
            if tag is None or tag.group(1) not in TELEGRAM_TAGS:
                name = tag.group(1) if tag else text[position + 1:position + 10]
                return f'can\'t parse entities: Unsupported start tag "{name}" at byte offset {position}'
            position = tag.end()
            continue
        if char == ">":
            return f"can't parse entities: Unexpected end tag at byte offset {position}"
        if char == "&":
            entity = _ENTITY.match(text, position)
            if entity is None:
                return f"can't parse entities: Unsupported entity at byte offset {position}"
            position = entity.end()
            continue
        position += 1
    return ""


def _tg_keyboard(req: SbRequest) -> list[list[dict[str, Any]]] | SbResponse:
    raw = req.arg("reply_markup")
    if not raw:
        return []
    try:
        rows = json.loads(raw).get("inline_keyboard", [])
    except (ValueError, AttributeError):
        return _tg_bad("can't parse reply keyboard markup JSON object")
    for row in rows:
        for b in row:
            data = b.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= 64:
                return _tg_bad("BUTTON_DATA_INVALID")
            if data is None and not b.get("url"):
                return _tg_bad("can't find field \"text\"")
    return list(rows)


def _tg_text(req: SbRequest) -> str | SbResponse:
    text = req.arg("text")
    if not text.strip():
        return _tg_bad("message text is empty")
    if len(text.encode("utf-16-le")) // 2 > 4096:
        return _tg_bad("message is too long")
    if req.arg("parse_mode") == "HTML":
        problem = html_problem(text)
        if problem:
            return _tg_bad(problem)
    return text


def telegram_handle(world: World, bot: SbBot, method: str, req: SbRequest) -> SbResponse:
    failure = world.take_failure("telegram", method)
    if failure is not None:
        if failure.kind == "rate_limit":
            return SbResponse.of({"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 1",
                                  "parameters": {"retry_after": failure.retry_after}}, status=429)
        if failure.kind == "token_invalid":
            return SbResponse.of({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        if failure.kind == "timeout":
            return SbResponse(delay=world.timeout_delay, body=b"{}")
        return SbResponse.of({"ok": False, "error_code": 500, "description": "Internal Server Error"}, status=500)
    with world.lock:
        if method == "getMe":
            return _tg_ok({"id": bot.user_id, "is_bot": True, "first_name": bot.name, "username": "otklik_staff_bot"})
        if method in ("sendMessage", "editMessageText"):
            text = _tg_text(req)
            if isinstance(text, SbResponse):
                return text
            keyboard = _tg_keyboard(req)
            if isinstance(keyboard, SbResponse):
                return keyboard
            chat_id = req.arg("chat_id")
            if chat_id not in bot.names:
                return _tg_bad("chat not found")  # a bot may write only to who wrote to it first
            if method == "sendMessage":
                m = SbBotMessage(id=bot.new_id(), chat_id=chat_id, text=text, buttons=keyboard, date=int(time.time()))
                bot.messages[m.id] = m
                return _tg_ok(_tg_message(bot, m))
            found = bot.messages.get(int(req.arg("message_id") or 0))
            if found is None or found.chat_id != chat_id or not found.from_bot:
                return _tg_bad("message to edit not found")
            if found.text == text and found.buttons == keyboard:
                return _tg_bad("message is not modified: specified new message content and reply markup are "
                               "exactly the same as a current content and reply markup of the message")
            found.text, found.buttons, found.edited = text, keyboard, True
            return _tg_ok(_tg_message(bot, found))
        if method == "answerCallbackQuery":
            callback_id = req.arg("callback_query_id")
            if not callback_id:
                return _tg_bad("query is too old and response timeout expired or query ID is invalid")
            bot.answers.append((callback_id, req.arg("text")))
            return _tg_ok(True)
        if method == "getUpdates":
            offset = int(req.arg("offset") or 0)
            limit = min(max(int(req.arg("limit") or 100), 1), 100)
            result = [{"update_id": u["seq"], **{k: v for k, v in u.items() if k != "seq"}}
                      for u in bot.updates if u["seq"] >= offset]
            return _tg_ok(result[:limit])
        if method in ("deleteWebhook", "setWebhook"):
            return _tg_ok(True)
    return SbResponse.of({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)


# -- MAX
def _max_error(status: int, code: str, message: str) -> SbResponse:
    return SbResponse.of({"code": code, "message": message}, status=status)


def max_handle(world: World, bot: SbBot, req: SbRequest) -> SbResponse:
    path = req.path.strip("/")
    method = {("GET", "me"): "getMyInfo", ("POST", "messages"): "sendMessage", ("PUT", "messages"): "editMessage",
              ("POST", "answers"): "answerOnCallback", ("GET", "updates"): "getUpdates"}.get((req.method, path))
    if method is None:
        return _max_error(404, "not.found", f"Path /{path} not found")
    failure = world.take_failure("max", method)
    if failure is not None:
        if failure.kind == "rate_limit":
            return _max_error(429, "too.many.requests", "Too many requests")
        if failure.kind == "token_invalid":
            return _max_error(401, "verify.token", "Invalid access_token")
        if failure.kind == "timeout":
            return SbResponse(status=500, delay=world.timeout_delay)
        return _max_error(500, "internal.error", "Internal server error")
    with world.lock:
        if method == "getMyInfo":
            return SbResponse.of({"user_id": bot.user_id, "name": bot.name, "username": "otklik_staff_bot",
                                  "is_bot": True})
        if method in ("sendMessage", "editMessage"):
            body = req.json()
            if not isinstance(body, dict):
                return _max_error(400, "proto.payload", "Invalid request body")
            text = str(body.get("text") or "")
            if len(text) > 4000:
                return _max_error(400, "proto.payload", "text: size must be between 0 and 4000")
            buttons: list[list[dict[str, Any]]] = []
            for item in body.get("attachments") or []:
                if isinstance(item, dict) and item.get("type") == "inline_keyboard":
                    buttons = list((item.get("payload") or {}).get("buttons") or [])
            if any(b.get("type") == "callback" and not 1 <= len(str(b.get("payload") or "")) <= 1024
                   for row in buttons for b in row):
                return _max_error(400, "proto.payload", "Invalid button payload")
            if method == "sendMessage":
                user_id = req.arg("user_id")
                if user_id not in bot.names:
                    return _max_error(404, "chat.not.found", "Chat not found")
                m = SbBotMessage(id=bot.new_id(), chat_id=user_id, text=text, buttons=buttons, date=int(time.time()))
                bot.messages[m.id] = m
                return SbResponse.of({"message": _max_message(bot, m)})
            mid = req.arg("message_id")
            number = int(mid[4:], 16) if re.fullmatch(r"mid\.[0-9a-f]{1,32}", mid) else 0
            found = bot.messages.get(number)
            if found is None or not found.from_bot:
                return _max_error(404, "not.found", "Message not found")
            found.text, found.buttons, found.edited = text, buttons, True
            return SbResponse.of({"success": True})
        if method == "answerOnCallback":
            body = req.json() if isinstance(req.json(), dict) else {}
            callback_id = req.arg("callback_id")
            if not callback_id:
                return _max_error(400, "proto.payload", "callback_id is required")
            bot.answers.append((callback_id, str(body.get("notification") or "")))
            return SbResponse.of({"success": True})
        marker = int(req.arg("marker") or 0)
        wanted = set(filter(None, req.arg("types").split(",")))
        found_updates = [u for u in bot.updates if u["seq"] > marker]
        result = [{k: v for k, v in u.items() if k != "seq"} for u in found_updates
                  if not wanted or u["update_type"] in wanted]
        last = found_updates[-1]["seq"] if found_updates else marker
        return SbResponse.of({"updates": result, "marker": last})


# -- the view: a staff member's chat with the bot, for the demo
DEMO_CHAT = "1001"  # the one staff member who chats with the sandbox's bots in the view
_TAGS = re.compile(r"<[^>]+>")


def chat_view(world: World, req: SbRequest, bits: list[str]) -> SbResponse:
    """`/bot/<network>`: the chat, its buttons as forms, a box to write; POST …/say and …/press."""
    from html import escape, unescape
    from urllib.parse import parse_qs

    from otklik.channels.sandbox.view import _frame

    bot = next((b for b in bots_of(world) if b.network == (bits[1] if len(bits) > 1 else "")), None)
    if bot is None:
        return _frame("нет бота", "<p>Такого бота нет.</p>", refresh=False)
    here = f"/bot/{bot.network}"
    if req.method == "POST" and len(bits) == 3:
        form = {k: v[0] for k, v in parse_qs(req.body.decode("utf-8", "replace")).items()}
        if bits[2] == "say" and form.get("text", "").strip():
            say(world, bot, DEMO_CHAT, form["text"].strip()[:4000], "Сотрудник (песочница)")
        elif bits[2] == "press" and form.get("message_id", "").isdigit():
            with contextlib.suppress(ValueError):  # a button that is gone: nothing happens, as in the app
                press(world, bot, int(form["message_id"]), form.get("data", ""))
        return SbResponse(status=303, content_type="text/plain", headers={"Location": here})
    key = "callback_data" if bot.network == "telegram" else "payload"
    parts = []
    for m in bot.chat(DEMO_CHAT):
        # The bot's Telegram HTML is shown as text: tags dropped, entities read, all escaped again.
        text = unescape(_TAGS.sub("", m.text)) if bot.network == "telegram" and m.from_bot else m.text
        buttons = ""
        for row in m.buttons:
            for b in row:
                if b.get(key):
                    buttons += (f'<form method="post" action="{here}/press" style="display:inline">'
                                f'<input type="hidden" name="message_id" value="{m.id}">'
                                f'<input type="hidden" name="data" value="{escape(str(b[key]))}">'
                                f"<button>{escape(str(b.get('text', '')))}</button></form> ")
                elif b.get("url"):
                    buttons += f'<a href="{escape(str(b["url"]))}">{escape(str(b.get("text", "")))}</a> '
        who = bot.name if m.from_bot else bot.names.get(m.chat_id, "Сотрудник")
        parts.append(f'<div class="c{" page" if m.from_bot else ""}"><span class="who">{escape(who)}</span>'
                     f'<div>{escape(text).replace(chr(10), "<br>")}</div><div>{buttons}</div></div>')
    box = (f'<form method="post" action="{here}/say"><textarea name="text" rows="2" '
           'placeholder="Код из профиля «Отклика», /help или /stop"></textarea><button>Отправить</button></form>')
    title = f"бот для сотрудников — {'Telegram' if bot.network == 'telegram' else 'MAX'}"
    return _frame(title, f'<div class="card">{"".join(parts) or "<p class=muted>Чат пуст.</p>"}{box}</div>')
