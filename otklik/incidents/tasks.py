"""Periodic work of the workflow, run by the worker."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from otklik.core.abandon import abandoned_on_stop
from otklik.core.periodic import periodic
from otklik.incidents.monitor import deadlines_monitor


@periodic("deadline-monitor", every=timedelta(seconds=30))
def monitor() -> None:
    deadlines_monitor()


@periodic("topic-models-refresh", every=timedelta(minutes=5))
def topic_models() -> None:
    from otklik.incidents.screening import topic_models_refresh

    topic_models_refresh()


@task()
def screening_model_retrain_run() -> None:
    from otklik.incidents.screening_learned import screening_model_retrain

    # Minutes of a core: a worker asked to stop drops it (the model file is replaced atomically,
    # the next periodic run trains again) instead of keeping a deployment waiting.
    with abandoned_on_stop("переобучение модели разбора"):
        screening_model_retrain()


@periodic("screening-model-retrain", every=timedelta(hours=6))
def screening_model() -> None:
    # Spam, importance and topic learned again with the curators' corrections: a minute or two of
    # one core, so a task — the tick that also runs the deadline monitor only enqueues it.
    screening_model_retrain_run.enqueue()


@periodic("history-integrity", every=timedelta(hours=24))
def history_integrity() -> None:
    from otklik.incidents.integrity import integrity_daily

    integrity_daily()


@task()
def publish_answer(publication_id: int) -> str:
    """One attempt to publish an approved answer through its network (incidents/publishing.py)."""
    from otklik.incidents.publishing import publication_attempt

    return publication_attempt(publication_id)


@periodic("publications-sweep", every=timedelta(seconds=15))
def publications() -> None:
    from otklik.incidents.publishing import publications_sweep

    publications_sweep()
