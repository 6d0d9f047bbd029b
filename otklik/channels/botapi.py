"""The staff bot's side of a network: private chats with staff, buttons, presses (pure, no Django).

The page clients (`NetworkClient`) speak for an official page; the staff bot is another bot
that talks to the administration's own people in private chats. Each network's
`staffbot.py` implements `BotClient` over the same transport, error kinds and rate limits as
its page client, so one code path (`otklik.staffbot`) serves Telegram and MAX.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Protocol, cast

BOT_NETWORKS = ("telegram", "max")


@dataclass(frozen=True)
class Button:
    """A button under a message: `data` comes back when pressed, or `url` opens a link."""

    text: str
    data: str = ""
    url: str = ""


@dataclass(frozen=True)
class BotUpdate:
    """What a person did in the private chat: wrote `text`, or pressed a button (`data`)."""

    chat_id: str
    user_name: str = ""
    text: str = ""
    data: str = ""
    callback_id: str = ""  # set for a press: it must be answered
    message_id: str = ""  # the bot's message the pressed button is under

    @property
    def is_press(self) -> bool:
        return bool(self.callback_id)


@dataclass
class BotBatch:
    updates: list[BotUpdate] = field(default_factory=list)
    marker: str = ""  # pass back next time: nothing is read twice


class BotClient(Protocol):
    network: str
    max_text: int

    def send(self, chat_id: str, text: str, buttons: list[list[Button]] | None = None) -> str:
        """Send `text` (already in the network's markup: see `markup`) and return the message id."""
        ...

    def edit(self, chat_id: str, message_id: str, text: str, buttons: list[list[Button]] | None = None) -> None: ...

    def answer(self, callback_id: str, text: str = "") -> None:
        """Acknowledge a press (the person's spinner stops); `text` shows as a short notice."""
        ...

    def updates(self, marker: str = "") -> BotBatch: ...

    def markup(self, text: str, *, bold: bool = False) -> str:
        """Untrusted text made safe for the network's message format."""
        ...


def bot_client_for(network: str, token: str) -> BotClient:
    if network not in BOT_NETWORKS:
        raise ValueError(f"no staff bot for {network!r}")
    module = importlib.import_module(f"otklik.channels.{network}.staffbot")
    return cast(BotClient, module.BotClient(token))
