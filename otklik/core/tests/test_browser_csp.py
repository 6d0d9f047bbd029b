"""In a real browser: hostile values planted straight in the database (as a future slip or
another tool might leave them) cannot run anything on the incident page, and the pages run
under a Content-Security-Policy with no violation of their own."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from otklik.core.tests.signin import browser_sign_in
from otklik.incidents import services as svc
from otklik.incidents.models import Incident
from otklik.org.demo import demo_load
from otklik.org.models import Municipality, Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _collect(page: Any) -> tuple[list[str], list[str]]:
    violations: list[str] = []
    dialogs: list[str] = []
    def console(message: Any) -> None:
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    def dialog(box: Any) -> None:
        dialogs.append(box.message)
        box.dismiss()

    page.on("console", console)
    page.on("dialog", dialog)
    return violations, dialogs


def test_a_planted_hostile_link_and_text_run_nothing(live_server: Any, page: Any, settings: Any) -> None:
    settings.OTKLIK_REQUIRE_2FA = False
    demo_load()
    now = timezone.now()
    incident, _ = svc.incident_intake(
        municipality=Municipality.objects.get(slug="plastunovskoe"), kind="incident", importance="normal",
        network="vk", url="https://vk.com/wall-1_5", author_name="Автор", author_url="https://vk.com/id5",
        text="Яма", detected_at=now, handed_over_at=now, by=Person.objects.get(user__username="region"))
    # Past every check, straight into the row: what the page shows must still be inert.
    Incident.objects.filter(pk=incident.pk).update(
        author_url="javascript:window.__pwned=1;alert('author')",
        url="javascript:alert('url')",
        attachments=["javascript:alert('att')", "data:text/html,<script>alert(1)</script>"],
        author_name='<img src=x onerror="alert(\'name\')">',
        text='<script>alert("text")</script><a href="javascript:alert(2)">ссылка</a>',
        published_url="javascript:alert('published')",
    )
    violations, dialogs = _collect(page)
    browser_sign_in(page, live_server.url, "curator")
    page.goto(f"{live_server.url}/incidents/{incident.pk}/")
    message = page.locator("#message")
    # No link carries the hostile value; it shows as inert text.
    assert page.locator('a[href^="javascript:"], a[href^="data:"]').count() == 0
    assert message.locator(".unsafe-link").count() >= 3
    assert "<script>" in message.inner_text()  # the text is shown, escaped
    for a in message.locator("a").all():
        assert a.get_attribute("target") == "_blank"
        assert set((a.get_attribute("rel") or "").split()) >= {"noopener", "noreferrer"}
    for link in message.locator(".unsafe-link").all():
        link.click()
    page.wait_for_timeout(300)
    assert dialogs == [] and violations == []  # escaped: nothing even tried to run
    assert page.evaluate("() => window.__pwned === undefined")


def test_pages_carry_a_strict_policy_and_break_none_of_it(live_server: Any, page: Any, settings: Any) -> None:
    settings.OTKLIK_REQUIRE_2FA = False
    demo_load()
    violations, _ = _collect(page)
    response = page.goto(f"{live_server.url}/login/")
    assert response is not None
    policy = response.headers["content-security-policy"]
    for directive in ("default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'",
                      "object-src 'none'", "base-uri 'none'", "form-action 'self'"):
        assert directive in policy, policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    browser_sign_in(page, live_server.url, "curator")
    for path in ("/incidents/", "/incidents/new/", "/org/", "/profile/", "/mail/inbox/", "/api/v1/docs"):
        page.goto(f"{live_server.url}{path}")
    browser_sign_in(page, live_server.url, "admin")
    for path in ("/settings/keys/", "/settings/integrity/", "/mail/", "/admin/", "/admin/org/person/",
                 "/admin/org/person/add/", "/admin/org/unit/"):
        page.goto(f"{live_server.url}{path}")
    assert violations == []
