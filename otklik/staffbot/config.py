"""The bots' tokens: from the environment only, never stored (OTKLIK_STAFFBOT_<NETWORK>_TOKEN)."""

from __future__ import annotations

import os

from otklik.channels.botapi import BOT_NETWORKS, BotClient, bot_client_for

TOKEN_VARIABLES = {"telegram": "OTKLIK_STAFFBOT_TELEGRAM_TOKEN", "max": "OTKLIK_STAFFBOT_MAX_TOKEN"}


def bot_token(network: str) -> str:
    return os.environ.get(TOKEN_VARIABLES.get(network, ""), "").strip()


def networks_on() -> list[str]:
    """The networks whose bot has a token in this installation."""
    return [n for n in BOT_NETWORKS if bot_token(n)]


def bot_client(network: str) -> BotClient:
    return bot_client_for(network, bot_token(network))
