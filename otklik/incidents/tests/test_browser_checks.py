"""In a real browser: the executor types a draft, the findings appear live, one click fixes one."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from otklik.core.tests.signin import browser_sign_in as sign_in
from otklik.incidents import services as svc
from otklik.org.demo import demo_load
from otklik.org.models import Municipality, Person, Unit
from otklik.org.selectors import access_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_live_findings_and_one_click_fix(live_server: Any, page: Any, settings: Any) -> None:
    settings.OTKLIK_REQUIRE_2FA = False
    demo_load()
    mun = Municipality.objects.get(slug="plastunovskoe")
    now = timezone.now()
    incident, _ = svc.incident_intake(
        municipality=mun, kind="incident", importance="normal", network="vk", url="https://vk.com/wall-1_77",
        author_name="Анна Петрова", author_url="", text="Яма на ул. Красной, 15", detected_at=now,
        handed_over_at=now, by=Person.objects.get(user__username="region"))
    curator = access_for(Person.objects.get(user__username="curator").user)
    assert curator is not None
    zhkh = Unit.objects.get(municipality=mun, name="Отдел ЖКХ и благоустройства")
    svc.incident_route(access=curator, incident_id=incident.pk, unit_ids=[zhkh.pk])

    base = live_server.url
    sign_in(page, base, "executor")
    page.goto(f"{base}/incidents/{incident.pk}/")
    area = page.locator("#action-submit_draft textarea[name=text]")
    area.click()
    area.press_sequentially("Яму на ул. Красной, 15 заделаем до пятницы.", delay=10)
    findings = page.locator("#findings")
    # Playwright's expect() polls from Python: the page's CSP forbids evaluating strings.
    expect(findings).to_contain_text("приветств", timeout=5000)

    page.locator("#findings li[data-code=greeting] button.fix").click()
    assert area.input_value().startswith("Здравствуйте, Анна! Яму")
    expect(findings).not_to_contain_text("приветств", timeout=5000)
    expect(findings).not_to_be_empty()
    assert page.locator("#findings li[data-code=greeting]").count() == 0


def test_curator_ticks_a_return_reason_from_a_finding(live_server: Any, page: Any, settings: Any) -> None:

    settings.OTKLIK_REQUIRE_2FA = False
    demo_load()
    mun = Municipality.objects.get(slug="plastunovskoe")
    now = timezone.now()
    incident, _ = svc.incident_intake(
        municipality=mun, kind="incident", importance="normal", network="vk", url="https://vk.com/wall-1_78",
        author_name="Анна Петрова", author_url="", text="Яма на ул. Красной, 15", detected_at=now,
        handed_over_at=now, by=Person.objects.get(user__username="region"))
    curator, executor = (access_for(Person.objects.get(user__username=x).user) for x in ("curator", "executor"))
    assert curator is not None and executor is not None
    zhkh = Unit.objects.get(municipality=mun, name="Отдел ЖКХ и благоустройства")
    svc.incident_route(access=curator, incident_id=incident.pk, unit_ids=[zhkh.pk])
    text = "Яму на ул. Красной, 15 заделаем до пятницы."
    svc.incident_submit_draft(access=executor, incident_id=incident.pk, text=text, confirmed_with_errors=True)
    svc.incident_forward(access=curator, incident_id=incident.pk)

    base = live_server.url
    sign_in(page, base, "region")
    page.goto(f"{base}/incidents/{incident.pk}/")
    box = page.locator("#action-return input[name=reason_greeting]")
    assert not box.is_checked()
    page.click("#action-return button.tick-reason[data-reason=greeting]")
    assert box.is_checked()
    assert "Нет приветствия автора" in page.locator("#action-return input[name=comment_greeting]").input_value()
    with page.expect_navigation():
        page.click("#action-return button[name=go]")
    assert "Возвращён" in page.locator("#status").inner_text()
