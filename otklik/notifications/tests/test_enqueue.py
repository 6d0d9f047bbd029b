"""The delivery task is written in the transaction that writes the letters: it commits with them
or not at all, so no letter waits for the sweep because a process died between a commit and an
after-commit enqueue, and a rolled-back event leaves no task behind."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from otklik.notifications.models import Notification
from otklik.notifications.services import notify

pytestmark = pytest.mark.django_db(transaction=True)


def _delivery_tasks() -> list[list[str]]:
    return [t.args_kwargs["args"][0] for t in DBTaskResult.objects.filter(
        task_path__endswith="deliver_notifications")]


def test_the_task_is_written_with_the_letters(demo: dict[str, Any]) -> None:
    curator = demo["curator"]
    with transaction.atomic():
        notify(municipality=curator.municipality, recipients=[curator], key="k1", subject="Тема", body="Текст")
        assert _delivery_tasks() == [[f"k1:email:{curator.pk}"]]  # already in this transaction
    assert _delivery_tasks() == [[f"k1:email:{curator.pk}"]]
    assert Notification.objects.filter(key__startswith="k1:").count() == 2  # in-app and e-mail


def test_a_rolled_back_event_leaves_neither_letter_nor_task(demo: dict[str, Any]) -> None:
    curator = demo["curator"]

    def event_that_fails() -> None:
        with transaction.atomic():
            notify(municipality=curator.municipality, recipients=[curator], key="k2", subject="Тема",
                   body="Текст")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        event_that_fails()
    assert _delivery_tasks() == []
    assert not Notification.objects.filter(key__startswith="k2:").exists()


def test_in_app_only_writes_no_task(demo: dict[str, Any]) -> None:
    curator = demo["curator"]
    notify(municipality=curator.municipality, recipients=[curator], key="k3", subject="Тема", body="Текст",
           email=False)
    assert _delivery_tasks() == []
