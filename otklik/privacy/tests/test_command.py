"""`otklik data erase|export|sweep` — the command names are a contract."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from otklik.incidents.models import Incident
from otklik.privacy.erasure import ERASED_TEXT
from otklik.privacy.models import Erasure
from otklik.privacy.tests.story import ANNA, ANNA_TEXT, Story, build

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dirs(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OTKLIK_HISTORY_ANCHORS = str(tmp_path / "anchors.jsonl")


@pytest.fixture
def story(demo: dict[str, Any]) -> Story:
    return build(demo)


def run(*args: str) -> str:
    out = StringIO()
    call_command("data", *args, stdout=out)
    return out.getvalue()


def test_export_gives_everything_held_about_the_author(story: Story, tmp_path: Path) -> None:
    target = tmp_path / "anna.json"
    printed = run("export", "--municipality", "plastunovskoe", "--author-url", "vk.com/id1", "-o", str(target))
    assert "выгружено сообщений: 3" in printed
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert [m["number"] for m in doc["messages"]] == [story.a.pk, story.b.pk, story.c.pk]
    a, b = doc["messages"][0], doc["messages"][1]
    assert a["text"] == ANNA_TEXT and a["author_name"] == "Анна Петрова" and a["attachments"]
    assert [d["text"] for d in a["answers"]] == ["Здравствуйте, Анна Петровна! Яму засыпали.",
                                                 "Здравствуйте, Анна! Яму у дома 15 засыпали."]
    assert {"reply": "Красная, 15, кв. 3"}.items() <= next(t for t in b["history_texts"] if "reply" in t).items()
    assert sorted(c["text"] for c in doc["page_comments"]) == ["Анна Петрова: спасибо!",
                                                               "Когда починят фонарь у дома Анны?"]
    assert "Борис" not in target.read_text(encoding="utf-8")


def test_erase_prints_the_report_and_export_then_shows_it(story: Story, tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    printed = run("erase", "--municipality", "plastunovskoe", "--author-url", ANNA, "--reason",
                  "Заявление вх. № 15", "--requested-on", "2026-12-01", "-o", str(report))
    assert "Основание: запрос субъекта персональных данных от 01.12.2026 — Заявление вх. № 15" in printed
    assert report.read_text(encoding="utf-8").strip() == printed.strip()
    assert Incident.objects.get(pk=story.a.pk).text == ERASED_TEXT
    doc = json.loads(run("export", "--municipality", "plastunovskoe", "--author-url", ANNA, "-o", "-"))
    # Only the message still in work can still be found by the link; the erasure is listed.
    assert [m["number"] for m in doc["messages"]] == [story.c.pk]
    assert [e["reason"] for e in doc["erasures"]] == ["Заявление вх. № 15"]


@pytest.mark.parametrize(("args", "message"), [
    (["erase", "--municipality", "nope", "--author-url", ANNA, "--reason", "x"], "не найдено"),
    (["erase", "--author-url", ANNA, "--reason", "x"], "--municipality"),
    (["erase", "--municipality", "plastunovskoe", "--reason", "x"], "--author-url"),
    (["erase", "--municipality", "plastunovskoe", "--author-url", ANNA], "Укажите основание"),
    (["erase", "--municipality", "plastunovskoe", "--author-url", ANNA, "--reason", "x", "--requested-on", "1.12.26"],
     "ГГГГ-ММ-ДД"),
    (["export", "--municipality", "plastunovskoe", "--author-url", ANNA], "-o FILE.json"),
    (["export", "--municipality", "plastunovskoe", "--author-url", "javascript:alert(1)", "-o", "-"], "https://"),
])
def test_bad_input_is_refused_in_russian(story: Story, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not Erasure.objects.exists()


def test_sweep_runs_the_retention_policy_now(story: Story) -> None:
    assert "удалений по сроку: 0" in run("sweep")
