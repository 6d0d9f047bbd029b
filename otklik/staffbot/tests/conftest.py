"""The staff bots against the sandbox's Telegram and MAX on a loopback port."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from otklik.channels.sandbox.bots import SbBot, register_bot, say
from otklik.channels.sandbox.server import running
from otklik.channels.sandbox.world import World

TOKENS = {"telegram": "7000000001:staff-bot-sandbox", "max": "staff-bot-max-sandbox"}
CHATS = {"telegram": "424242", "max": "535353"}


@dataclass
class Sandbox:
    world: World
    bots: dict[str, SbBot]

    def say(self, network: str, text: str, chat_id: str = "") -> None:
        say(self.world, self.bots[network], chat_id or CHATS[network], text)


@pytest.fixture
def sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    with running(World()) as (world, base):
        bots = {network: register_bot(world, network, token) for network, token in TOKENS.items()}
        monkeypatch.setenv("OTKLIK_TELEGRAM_API_URL", f"{base}/telegram")
        monkeypatch.setenv("OTKLIK_MAX_API_URL", f"{base}/max")
        monkeypatch.setenv("OTKLIK_STAFFBOT_TELEGRAM_TOKEN", TOKENS["telegram"])
        monkeypatch.setenv("OTKLIK_STAFFBOT_MAX_TOKEN", TOKENS["max"])
        monkeypatch.setenv("OTKLIK_NETWORK_TIMEOUT", "2")
        world.timeout_delay = 2.5
        yield Sandbox(world=world, bots=bots)


@pytest.fixture(params=["telegram", "max"])
def network(request: Any) -> str:
    return str(request.param)
