"""In a real browser: the editor writes a post with live voice checks and previews, the head
approves it, it goes out through the sandbox; the calendar and the cadence board show it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from otklik.channels.sandbox.demo_world import demo_world, sandbox_env
from otklik.channels.sandbox.server import running
from otklik.channels.sandbox.world import World
from otklik.core.tests.signin import browser_sign_in as sign_in
from otklik.org.demo import demo_load
from otklik.posts import publishing
from otklik.posts.models import Post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PRESS = "Администрация поселения информирует о том, что в рамках реализации программы осуществляется ремонт дорог."
GOOD = "Друзья, в субботу в 11:00 ждём вас на субботнике у Дома культуры! Перчатки и мешки выдадим. Приходите!"


@pytest.fixture
def world(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    settings.OTKLIK_REQUIRE_2FA = False
    demo_load()
    with running(demo_world()) as (w, base):
        for name, value in sandbox_env(base.removeprefix("http://")).items():
            monkeypatch.setenv(name, value)
        yield w


def test_compose_check_approve_publish(live_server: Any, page: Any, world: World) -> None:
    base = live_server.url
    sign_in(page, base, "editor")
    page.goto(f"{base}/posts/new/")
    page.check("#post-form label:has-text('ВКонтакте') input >> nth=0")
    page.check("#post-form label:has-text('Telegram') input")
    area = page.locator("#id_text")
    area.fill(PRESS)
    expect(page.locator("#findings")).to_contain_text("пресс-релиз", timeout=10_000)
    expect(page.locator("#previews")).to_contain_text("Telegram")
    area.fill(GOOD)
    expect(page.locator("#findings")).to_contain_text("замечаний не нашла", timeout=10_000)
    with page.expect_navigation():
        page.click("#post-form button[type=submit]")
    expect(page.locator("#post-state")).to_have_text("На согласовании")
    post = Post.objects.get()
    page.context.clear_cookies()
    sign_in(page, base, "general")
    page.goto(f"{base}/posts/{post.pk}/")
    with page.expect_navigation():
        page.click("#approve-button")
    publishing.posts_sweep()  # the worker's turn
    page.goto(f"{base}/posts/{post.pk}/")
    expect(page.locator("#post-state")).to_have_text("Опубликован")
    links = page.locator("#targets a", has_text="открыть в сети")
    expect(links).to_have_count(2)
    assert all(links.nth(i).get_attribute("rel") == "noopener noreferrer nofollow" for i in range(2))
    page.goto(f"{base}/posts/calendar/")
    expect(page.locator("#calendar .cal-published")).to_have_count(2)
    page.goto(f"{base}/posts/cadence/")
    expect(page.locator("#cadence")).to_be_visible()
    assert page.dialogs == [] or all("Опубликовать" not in d for d in page.dialogs)
