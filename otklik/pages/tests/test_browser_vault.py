"""In a real browser: the head of the general department shows a page's password with a reason
and sees it; the pages run under the strict CSP, with no inline script."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from otklik.core.tests.signin import browser_sign_in as sign_in
from otklik.org.demo import demo_load
from otklik.org.models import Person
from otklik.org.selectors import access_for
from otklik.pages.models import OfficialPage, PageEvent
from otklik.pages.vault import secret_change

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Pl@stun-browser-42"  # test data


def test_the_head_reveals_a_password_with_a_reason(live_server: Any, page: Any, settings: Any) -> None:
    settings.OTKLIK_REQUIRE_2FA = False
    demo_load()
    head = Person.objects.get(user__username="general")
    access = access_for(head.user)
    assert access is not None
    vk = OfficialPage.objects.get(municipality__slug="plastunovskoe", network="vk", unit=None)
    secret_change(access=access, page_id=vk.pk, kind="password", value=PASSWORD)
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)

    base = live_server.url
    sign_in(page, base, "general")
    page.goto(f"{base}/pages/")
    expect(page.locator(f"#page-{vk.pk}")).to_contain_text("ключ не проверен")
    with page.expect_navigation():
        page.locator(f"#page-{vk.pk} a", has_text="Доступ").click()
    assert PASSWORD not in page.content()
    box = page.locator("#secret-password")
    box.locator("textarea[name=reason]").fill("Вход для закрепления объявления о ремонте")
    with page.expect_navigation():
        box.locator("button", has_text="Показать").click()
    expect(page.locator("#revealed")).to_have_text(PASSWORD)
    expect(page.locator("#page-history")).to_contain_text("Вход для закрепления объявления о ремонте")
    assert PageEvent.objects.filter(page=vk, action="reveal", actor=head).count() == 1
    # CSP: no inline script or style anywhere on the page, and no violation reported.
    assert page.locator("script:not([src])").count() == 0
    assert page.locator("[style]").count() == 0 and page.locator("style").count() == 0
    assert violations == []
