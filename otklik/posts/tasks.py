"""The worker's jobs for posts: publishing, the weekly cadence reminders."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from otklik.core.periodic import periodic


@task()
def publish_post_targets(post_id: int) -> int:
    from otklik.posts.publishing import posts_sweep

    return posts_sweep(post_id=post_id)


@periodic("posts-sweep", every=timedelta(seconds=15))
def sweep() -> None:
    from otklik.posts.publishing import posts_sweep

    posts_sweep()


@periodic("posts-cadence", every=timedelta(minutes=30))
def cadence() -> None:
    from otklik.posts.cadence import cadence_reminders

    cadence_reminders()
