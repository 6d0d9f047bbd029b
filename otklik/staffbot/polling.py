"""Reading the bots' updates with getUpdates (Telegram) and GET /updates (MAX).

Polling was chosen over webhooks: it needs no public address for Otklik (a municipal server is
often not reachable from the internet) and the periodic runner already elects one worker per
tick, so updates are read by exactly one process. The marker is saved after the batch: a worker
that dies mid-batch reads the batch again, and a repeated press is harmless (the state machine
refuses a decision already taken; a used code does not link twice).
"""

from __future__ import annotations

import logging

from otklik.channels.base import NetworkError
from otklik.staffbot.config import bot_client, networks_on
from otklik.staffbot.handler import update_handle
from otklik.staffbot.models import Cursor

log = logging.getLogger(__name__)


def updates_poll(*, network: str | None = None) -> int:
    """Handle every new update of each configured bot; returns how many were handled."""
    handled = 0
    for name in [network] if network else networks_on():
        cursor, _ = Cursor.objects.get_or_create(network=name)
        client = bot_client(name)
        try:
            batch = client.updates(cursor.marker)
        except NetworkError as exc:
            log.warning("staff bot %s: updates not read: %s", name, exc.message_ru)
            continue
        for update in batch.updates:
            try:
                update_handle(network=name, update=update, client=client)
            except Exception:  # one bad update must not stop the bot: logged, skipped
                log.exception("staff bot %s: update not handled", name)
            handled += 1
        if batch.marker != cursor.marker:
            Cursor.objects.filter(pk=cursor.pk).update(marker=batch.marker)
    return handled
