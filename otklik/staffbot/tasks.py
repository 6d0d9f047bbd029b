"""The worker's part: read the bots' updates (long polling without the wait) and deliver the outbox."""

from __future__ import annotations

import logging
from datetime import timedelta

from django_tasks import task

from otklik.core.periodic import periodic
from otklik.staffbot.outbox import bot_message_deliver, bot_messages_sweep
from otklik.staffbot.polling import updates_poll

log = logging.getLogger(__name__)


@task()
def deliver_bot_messages(keys: list[str]) -> int:
    return sum(bot_message_deliver(key=k) for k in keys)


@periodic("staffbot-poll", every=timedelta(seconds=2))
def poll() -> None:
    updates_poll()


@periodic("staffbot-sweep", every=timedelta(seconds=20))
def sweep() -> None:
    bot_messages_sweep()
