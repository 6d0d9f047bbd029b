"""The learned screening retrained by the worker from the curators' corrections."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from io import StringIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from otklik.incidents import screening_learned as sl
from otklik.incidents import services as svc
from otklik.org.models import Municipality
from otklik.texts.screening import learned
from otklik.texts.screening import train as learned_train

pytestmark = pytest.mark.django_db
MSK = ZoneInfo("Europe/Moscow")
TUE_10 = datetime(2026, 12, 1, 10, 0, tzinfo=MSK)
HELDOUT = learned_train.ROOT / "tests" / "data" / "heldout" / "messages.jsonl"


@pytest.fixture
def var(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    settings.VAR_DIR = tmp_path
    # One corpus instead of three: the same training, a test's minute instead of several.
    monkeypatch.setattr(learned_train, "CORPORA", (HELDOUT,))
    yield tmp_path
    learned.set_model_path(None)


def intake(demo: dict[str, Any], text: str, topic: str, importance: str = "normal", n: int = 0) -> None:
    svc.incident_intake(
        municipality=Municipality.objects.get(slug="plastunovskoe"), kind="incident", importance=importance,
        network="vk", url=f"https://vk.com/wall-1_{n}", author_name="Анна Петрова", author_url="",
        text=text, detected_at=TUE_10, handed_over_at=TUE_10, topic=topic, by=demo["region"])


@pytest.mark.parametrize(("written", "code"), [
    ("Дороги", "roads"), ("roads", "roads"), ("  дороги ", "roads"), ("ЖКХ", "utilities"),
    ("ЖКХ: вода, тепло, газ, электричество", "utilities"), ("Разное про всё", None), ("", None),
])
def test_curators_topic_names_a_screening_topic(written: str, code: str | None) -> None:
    assert sl.topic_code(written) == code


def test_corrections_are_the_curators_topics_and_importance(demo: dict[str, Any]) -> None:
    intake(demo, "Продаю мёд с пасеки, но у нас на Садовой нет воды третий день", "ЖКХ", "high", n=1)
    intake(demo, "Как записаться на приём к главе?", "приём граждан", n=2)
    rows = {r["text"]: r for r in sl.corrections()}
    honey = rows["Продаю мёд с пасеки, но у нас на Садовой нет воды третий день"]
    assert honey == {"text": honey["text"], "spam": False, "high_importance": True, "topic": "utilities"}
    reception = rows["Как записаться на приём к главе?"]
    assert reception["topic"] is None
    assert reception["high_importance"] is False


def test_worker_retrains_into_var_and_the_engine_uses_it(
        demo: dict[str, Any], var: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for n in range(3):
        intake(demo, f"Продаю мёд с пасеки, на Садовой {n} нет воды третий день", "ЖКХ", "high", n=n)
    monkeypatch.setattr(sl, "MIN_CORRECTIONS", 4)
    assert len(sl.corrections()) == 3
    assert sl.screening_model_retrain() is None  # too few to be worth a training
    assert not (var / "screening" / "learned.json").exists()
    monkeypatch.setattr(sl, "MIN_CORRECTIONS", 3)
    used = sl.screening_model_retrain()
    assert used is not None
    assert used >= 3
    path = var / "screening" / "learned.json"
    data = json.loads(path.read_text("utf-8"))
    assert data["meta"]["extra"] == used
    assert data["meta"]["examples"] == 150 + used
    assert data["meta"]["corpora"] == ["tests/data/heldout/messages.jsonl"]
    # Nothing new: the worker's next run does not train again.
    assert sl.screening_model_retrain() is None
    learned.set_model_path(sl.model_path())
    assert learned.current().meta["extra"] == used


def test_command_train_retrains_even_without_new_corrections(demo: dict[str, Any], var: Path) -> None:
    out = StringIO()
    call_command("screening", "train", stdout=out)
    if sl.corrections():
        assert "обучено с" in out.getvalue()
        assert (var / "screening" / "learned.json").exists()
    else:
        assert "модель из поставки" in out.getvalue()
    intake(demo, "Яма на дороге по ул. Красной", "Дороги", n=9)
    out = StringIO()
    call_command("screening", "train", stdout=out)
    assert "обучено с" in out.getvalue()
    assert json.loads((var / "screening" / "learned.json").read_text("utf-8"))["meta"]["extra"] >= 1
