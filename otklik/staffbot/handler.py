"""What the bot does with an update: link by code, /stop, /help, and the quick decisions.

Every decision calls the same service the incident page calls, with the person's own access
(roles and municipality checked there, under the row lock) and inside `history_via(network)`,
so the history says it was done from the bot. The services' typed errors are shown to the
person as they are (they are written for people); nothing else is trusted from the chat —
a button's data names an incident and an action, and the service decides whether it is allowed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from django.utils import timezone

from otklik.channels.base import NetworkError
from otklik.channels.botapi import BotClient, BotUpdate
from otklik.incidents import services as incident_services
from otklik.incidents.history import history_via
from otklik.incidents.models import Incident, ReturnReason
from otklik.incidents.selectors import incident_get_for
from otklik.incidents.transitions import TRANSITIONS, Invalid, NotFound, TransitionError
from otklik.org.selectors import Access
from otklik.staffbot.cards import (
    REASONS,
    Card,
    comment_card,
    incident_card,
    latest_draft,
    reasons_card,
)
from otklik.staffbot.models import ChatLink
from otklik.staffbot.services import (
    LinkError,
    chat_link,
    chat_unlink_by_chat,
    link_access,
    update_allowed,
)

log = logging.getLogger(__name__)

HELP = ("Я присылаю новые поручения по сообщениям из соцсетей, напоминания о сроках и просрочки, "
        "а кнопки под сообщением позволяют сразу принять решение.\n\n"
        "Чтобы подключиться, откройте в «Отклике» Профиль → «Бот в Telegram и MAX», получите код "
        "и пришлите его сюда.\n/stop — отключить бота.")
NOT_LINKED = "Этот чат не привязан к «Отклику». Пришлите код из профиля (Профиль → «Бот в Telegram и MAX»)."
COMMENT_LIMIT = 2000


def update_handle(*, network: str, update: BotUpdate, client: BotClient, now: datetime | None = None) -> None:
    now = now or timezone.now()
    if not update.chat_id or not update_allowed(network=network, chat_id=update.chat_id, now=now):
        if update.is_press:
            _answer(client, update, "Слишком часто. Подождите минуту.")
        return
    link = ChatLink.objects.filter(network=network, chat_id=update.chat_id).first()
    access = link_access(link) if link is not None else None
    if update.is_press:
        if link is None or access is None:
            _answer(client, update, "Чат не привязан или доступ отключён.")
            _say(client, update.chat_id, NOT_LINKED)
            return
        _press(network=network, link=link, access=access, update=update, client=client, now=now)
        return
    text = update.text.strip()
    command, _, rest = text.partition(" ")
    command = command.split("@", 1)[0].lower()  # "/start@otklik_bot" in a group-style client
    if command == "/stop":
        if chat_unlink_by_chat(network=network, chat_id=update.chat_id):
            _say(client, update.chat_id, "Бот отключён: сообщений больше не будет. "
                                         "Подключить снова можно кодом из профиля «Отклика».")
        else:
            _say(client, update.chat_id, "Этот чат и так не привязан.")
        return
    if command in ("/help", "/start") and not rest.strip():
        _say(client, update.chat_id, HELP if link is None or access is None
             else f"Вы подключены как {access.person.full_name}.\n\n{HELP}")
        return
    if link is not None and access is not None and link.pending.get("stage") == "comment":
        _return_with_comment(network=network, link=link, access=access, comment=text, client=client, now=now)
        return
    code = rest if command == "/start" else text
    if any(ch.isdigit() for ch in code):
        try:
            made = chat_link(network=network, chat_id=update.chat_id, code=code, user_name=update.user_name, now=now)
        except LinkError as exc:
            _say(client, update.chat_id, str(exc))
            return
        _say(client, update.chat_id, f"Готово: чат привязан к «Отклику» ({made.person.full_name}). "
                                     "Сюда будут приходить новые поручения, напоминания о сроках и просрочки.")
        return
    _say(client, update.chat_id, NOT_LINKED if link is None or access is None else HELP)


# ---------------------------------------------------------------- presses

def _press(*, network: str, link: ChatLink, access: Access, update: BotUpdate, client: BotClient,
           now: datetime) -> None:
    parts = update.data.split(":")
    try:
        incident_id = int(parts[1])
    except (IndexError, ValueError):
        _answer(client, update, "Кнопка устарела.")
        return
    kind = parts[0]
    try:
        with history_via(network):
            done = _decide(kind=kind, parts=parts, incident_id=incident_id, network=network, link=link,
                           access=access, update=update, client=client, now=now)
    except TransitionError as exc:  # Forbidden, NotFound, Invalid and conflicts: said as the service says
        _answer(client, update, "Не выполнено")
        _say(client, update.chat_id, str(exc))
        return
    _answer(client, update, done or "")


def _decide(*, kind: str, parts: list[str], incident_id: int, network: str, link: ChatLink, access: Access,
            update: BotUpdate, client: BotClient, now: datetime) -> str:
    """Carry out one press; returns the short notice for the person ("" for a menu step)."""
    if kind == "r" and len(parts) == 3 and parts[2].isdigit():
        incident_services.incident_route(access=access, incident_id=incident_id, unit_ids=[int(parts[2])], at=now)
        return _after(access, incident_id, update, client, TRANSITIONS["route"].label)
    if kind == "f":
        incident_services.incident_forward(access=access, incident_id=incident_id, at=now)
        return _after(access, incident_id, update, client, "Направлено на согласование в регион")
    if kind == "a" and len(parts) == 3:
        incident = _visible(access, incident_id)
        draft = latest_draft(incident)
        # The button carries the start of the hash of the text the card showed: a newer draft
        # (or an edit) since then is refused, exactly as on the page.
        if draft is None or draft.text_hash[:16] != parts[2]:
            raise TransitionError("Текст проекта изменился после того, как бот его показал. "
                                  "Откройте новое сообщение бота или «Отклик» и прочитайте проект снова.")
        incident_services.incident_approve(access=access, incident_id=incident_id, text_hash_seen=draft.text_hash,
                                           at=now)
        return _after(access, incident_id, update, client, "Согласовано")
    if kind == "x":  # start a return: choose reasons
        incident = _visible(access, incident_id)
        _pending(link, {"incident": incident_id, "reasons": [], "stage": "reasons"})
        _show(client, update, reasons_card(incident=incident, chosen=[], client=client))
        return ""
    if kind == "xr" and len(parts) == 3 and parts[2].isdigit() and int(parts[2]) < len(REASONS):
        incident = _visible(access, incident_id)
        chosen = _chosen(link, incident_id)
        code = REASONS[int(parts[2])].value
        chosen = [c for c in chosen if c != code] if code in chosen else [*chosen, code]
        _pending(link, {"incident": incident_id, "reasons": chosen, "stage": "reasons"})
        _show(client, update, reasons_card(incident=incident, chosen=chosen, client=client))
        return ""
    if kind == "xd":
        incident = _visible(access, incident_id)
        chosen = _chosen(link, incident_id)
        if not chosen:
            raise TransitionError("Отметьте хотя бы одну причину возврата (п. 14).")
        _pending(link, {"incident": incident_id, "reasons": chosen, "stage": "comment",
                        "message_id": update.message_id})
        _show(client, update, comment_card(incident=incident, chosen=chosen, client=client))
        return ""
    if kind == "xs":
        chosen = _chosen(link, incident_id)
        _return(access=access, incident_id=incident_id, chosen=chosen, comment="", now=now)
        _pending(link, {})
        return _after(access, incident_id, update, client, "Возвращено на доработку")
    if kind == "xc":
        _pending(link, {})
        incident = _visible(access, incident_id)
        _show(client, update, incident_card(incident=incident, access=access, client=client))
        return "Отменено"
    return "Кнопка устарела."


def _return(*, access: Access, incident_id: int, chosen: list[str], comment: str, now: datetime) -> None:
    if not chosen:
        raise TransitionError("Отметьте хотя бы одну причину возврата (п. 14).")
    incident_services.incident_return(access=access, incident_id=incident_id,
                                      reasons=[{"code": c, "comment": comment} for c in chosen], at=now)


def _return_with_comment(*, network: str, link: ChatLink, access: Access, comment: str, client: BotClient,
                         now: datetime) -> None:
    incident_id = int(link.pending.get("incident") or 0)
    chosen = _chosen(link, incident_id)
    if len(comment) > COMMENT_LIMIT:
        _say(client, link.chat_id, f"Комментарий длиннее {COMMENT_LIMIT} символов — сократите его.")
        return
    try:
        with history_via(network):
            _return(access=access, incident_id=incident_id, chosen=chosen, comment=comment, now=now)
    except TransitionError as exc:
        _say(client, link.chat_id, str(exc))
        if not isinstance(exc, Invalid):
            _pending(link, {})
        return
    message_id = str(link.pending.get("message_id") or "")
    _pending(link, {})
    incident = incident_get_for(access=access, pk=incident_id)
    card = incident_card(incident=incident, access=access, client=client, done="Возвращено на доработку")
    if message_id:
        _edit(client, link.chat_id, message_id, card)
    else:
        _safe(lambda: client.send(link.chat_id, card.text, card.buttons))


# ---------------------------------------------------------------- helpers

def _visible(access: Access, incident_id: int) -> Incident:
    try:
        return incident_get_for(access=access, pk=incident_id)
    except Incident.DoesNotExist:
        raise NotFound("Сообщение не найдено или недоступно вам.") from None


def _chosen(link: ChatLink, incident_id: int) -> list[str]:
    pending = link.pending or {}
    if pending.get("incident") != incident_id:
        return []
    valid = {r.value for r in ReturnReason}
    return [c for c in pending.get("reasons") or [] if c in valid]


def _pending(link: ChatLink, value: dict[str, object]) -> None:
    link.pending = value
    ChatLink.objects.filter(pk=link.pk).update(pending=value)


def _after(access: Access, incident_id: int, update: BotUpdate, client: BotClient, done: str) -> str:
    """The card under the pressed button shows the new state (and its new buttons)."""
    incident = incident_get_for(access=access, pk=incident_id)
    _show(client, update, incident_card(incident=incident, access=access, client=client, done=done))
    return done


def _show(client: BotClient, update: BotUpdate, card: Card) -> None:
    if update.message_id:
        _edit(client, update.chat_id, update.message_id, card)
    else:
        _safe(lambda: client.send(update.chat_id, card.text, card.buttons))


def _edit(client: BotClient, chat_id: str, message_id: str, card: Card) -> None:
    _safe(lambda: client.edit(chat_id, message_id, card.text, card.buttons))


def _say(client: BotClient, chat_id: str, text: str) -> None:
    _safe(lambda: client.send(chat_id, client.markup(text)))


def _answer(client: BotClient, update: BotUpdate, text: str) -> None:
    if update.callback_id:
        _safe(lambda: client.answer(update.callback_id, text))


def _safe(call: Callable[[], object]) -> None:
    """A reply that fails is logged: the decision itself is already committed."""
    try:
        call()
    except NetworkError as exc:
        log.warning("staff bot reply failed: %s", exc.message_ru)
