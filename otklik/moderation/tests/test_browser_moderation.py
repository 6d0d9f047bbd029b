"""In a real browser, on a phone: the moderator deletes a rude comment from the queue and
black-lists its author for a week; «Решения» shows both and the black list shows the author."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from otklik.channels.base import Comment
from otklik.channels.sandbox.demo_world import demo_world, sandbox_env
from otklik.channels.sandbox.server import running
from otklik.channels.sandbox.world import World
from otklik.core.tests.signin import browser_sign_in as sign_in
from otklik.moderation.models import Ban, ModerationAction, PageComment
from otklik.moderation.services import comments_ingest
from otklik.moderation.worker import actions_sweep
from otklik.org.demo import demo_load
from otklik.pages.models import OfficialPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
RUDE = "Вы все идиоты <script>window.__pwned=1</script>, дороги не чистите"


@pytest.fixture
def world(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    settings.OTKLIK_REQUIRE_2FA = False
    demo_load()
    with running(demo_world()) as (w, base):
        for name, value in sandbox_env(base.removeprefix("http://")).items():
            monkeypatch.setenv(name, value)
        yield w


def test_delete_and_black_list_for_a_week_on_a_phone(live_server: Any, page: Any, world: World) -> None:
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.set_viewport_size({"width": 412, "height": 915})
    vk = OfficialPage.objects.get(municipality__slug="plastunovskoe", network="vk", unit__isnull=True)
    [comment] = comments_ingest(page=vk, comments=[Comment(id="901", post_id="1000", author_id="7301", text=RUDE)],
                                via="push")
    assert comment.state == PageComment.State.QUEUED
    base = live_server.url
    sign_in(page, base, "moderator")
    page.get_by_role("link", name="Модерация").click()
    card = page.locator(f"#comment-{comment.pk}")
    expect(card).to_be_visible()
    expect(card.locator(".mod-text")).to_contain_text("<script>window.__pwned=1</script>")  # shown as text
    expect(card.locator("mark.mod-finding")).to_have_text("идиоты")
    expect(card.locator(".mod-reasons")).to_contain_text("оскорбление")
    # Nothing sticks out sideways on the phone.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 412
    card.locator("summary", has_text="Удалить и в чёрный список").click()
    card.locator("select[name=term]").select_option("week")
    expect(card.locator("select[name=reason]")).to_have_value("оскорбления")  # preselected from what was found
    with page.expect_navigation():
        card.get_by_role("button", name="Удалить и в чёрный список").click()
    assert page.dialogs and "чёрный список" in page.dialogs[-1]
    expect(page.locator(".messages")).to_contain_text("в чёрный список на неделю")
    expect(page.locator(f"#comment-{comment.pk}")).to_have_count(0)
    actions_sweep()  # the worker's turn: into the network
    assert "7301" in world.pages[("vk", "100")].banned
    page.get_by_role("link", name="Решения").click()
    delete = ModerationAction.objects.get(kind="delete")
    ban = ModerationAction.objects.get(kind="ban")
    expect(page.locator(f"#action-{delete.pk}")).to_contain_text("Выполнено")
    expect(page.locator(f"#action-{ban.pk}")).to_contain_text("Лысенко Павел Игоревич")
    expect(page.locator(f"#action-{ban.pk}")).to_contain_text("оскорбления")
    page.get_by_role("link", name="Чёрный список").click()
    row = page.locator(f"#ban-{Ban.objects.get().pk}")
    expect(row).to_contain_text("id 7301")
    expect(row).to_contain_text("оскорбления")
    expect(row).to_contain_text("до ")
    page.get_by_role("link", name="Правила страниц").click()
    with page.expect_navigation():
        page.locator(f"#rules-page-{vk.pk} a").click()
    expect(page.locator("#webhook-url")).to_contain_text(f"/api/v1/channels/vk/callback/{vk.pk}")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 412
    assert page.evaluate("() => window.__pwned === undefined")
    assert violations == []
