"""The worker's moderation jobs: decisions into the networks, comments polled in, bans that end."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from otklik.core.periodic import periodic


@task()
def moderation_execute(action_id: int) -> str:
    from otklik.moderation.worker import action_execute

    return action_execute(action_id)


@periodic("moderation-actions", every=timedelta(seconds=10))
def actions() -> None:
    from otklik.moderation.services import bans_expire
    from otklik.moderation.worker import actions_sweep

    bans_expire()
    actions_sweep()


@periodic("comments-poll", every=timedelta(minutes=1))
def poll() -> None:
    from otklik.moderation.worker import pages_poll

    pages_poll()
