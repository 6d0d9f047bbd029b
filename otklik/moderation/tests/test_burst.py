"""Load: 10 000 comments in a burst, each delivered twice (push and poll, interleaved, from
two threads): every one is stored once, screened, and acted on; none is lost."""

from __future__ import annotations

import os
import random
import threading
import time
from typing import Any

import pytest
from django.db import close_old_connections, connection

from otklik.channels.base import Comment
from otklik.moderation import services as svc
from otklik.moderation.models import ModerationAction, PageComment
from otklik.pages.models import OfficialPage

pytestmark = pytest.mark.django_db(transaction=True)
COUNT = int(os.environ.get("OTKLIK_BURST", "10000"))
TEXTS = ["Спасибо за новость!", "Когда починят дорогу на ул. Мира?", "Вы там совсем охренели, бл*дь?",
         "Заработок от 5000 в день, пиши в личку", "Отличный праздник получился, дети довольны.",
         "Уберите мусор у остановки, неделю лежит", "Фонарь на Школьном не горит третий день."]


def test_a_burst_of_comments_is_all_screened_and_none_lost(demo: dict[str, Any]) -> None:
    page = OfficialPage.objects.get(municipality__slug="plastunovskoe", network="vk", unit__isnull=True)
    svc.rule_set(page=page, delete=["obscenity", "spam"], ban=[])
    rng = random.Random(1)
    comments = [Comment(id=str(100_000 + i), post_id=str(1000 + i % 50), author_id=str(9000 + i % 700),
                        text=f"{rng.choice(TEXTS)} №{i}") for i in range(COUNT)]
    pushes, polls = comments[:], comments[:]
    rng.shuffle(polls)
    errors: list[BaseException] = []

    def deliver(items: list[Comment], via: str) -> None:
        try:
            for start in range(0, len(items), 200):
                svc.comments_ingest(page=page, comments=items[start:start + 200], via=via)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=deliver, args=(pushes, "push")),
               threading.Thread(target=deliver, args=(polls, "poll"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    assert errors == []
    stored = PageComment.objects.filter(page=page)
    assert stored.count() == COUNT  # none lost, none twice
    assert not stored.filter(state=PageComment.State.NEW).exists()  # every one screened and decided
    obscene = sum(1 for c in comments if "охренели" in c.text)
    spam = sum(1 for c in comments if "Заработок" in c.text)
    deleted = stored.filter(state=PageComment.State.DELETED).count()
    assert deleted == obscene + spam
    assert ModerationAction.objects.filter(page=page, kind="delete").count() == deleted
    print(f"\n{COUNT} comments × 2 deliveries in {elapsed:.1f} s ({2 * COUNT / elapsed:.0f} deliveries/s)")
