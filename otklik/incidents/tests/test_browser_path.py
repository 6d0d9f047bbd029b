"""In a real browser, the whole path of an incident through two units, a return and approval."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from otklik.core.tests.signin import browser_sign_in as sign_in
from otklik.incidents.models import Incident, Status
from otklik.incidents.transitions import ACTION_LABELS
from otklik.org.demo import demo_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def act(page: Any, action: str) -> None:
    with page.expect_navigation():
        page.click(f"#action-{action} button[name=go]")


def act_refused(page: Any, action: str) -> str:
    """An action refused: the page stays, with what was typed; the reason shows above the form."""
    page.click(f"#action-{action} button[name=go]")
    errors = page.locator(f"#action-errors-{action} .msg.error").first
    errors.wait_for()
    return str(page.locator(f"#action-errors-{action}").inner_text())


def status_text(page: Any) -> str:
    return str(page.locator("#status").inner_text())


def test_incident_path_in_browser(live_server: Any, page: Any, settings: Any) -> None:
    settings.OTKLIK_REQUIRE_2FA = False
    demo_load()
    base = live_server.url

    # The regional curator hands the incident in.
    sign_in(page, base, "region")
    page.goto(f"{base}/incidents/new/")
    page.select_option("#id_municipality", label="Пластуновское сельское поселение Динского района")
    page.select_option("#id_network", "vk")
    page.fill("#id_url", "https://vk.com/wall-100_200")
    page.fill("#id_author_name", "Анна Петрова")
    page.fill("#id_author_url", "https://vk.com/id1")
    page.fill("#id_text", "На ул. Красной, 15 яма на дороге и не убран мусор у остановки.")
    detected = (timezone.now() - timedelta(minutes=5)).astimezone(ZoneInfo("Europe/Moscow"))
    page.fill("#id_detected_at", detected.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_topic", "дороги")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    incident = Incident.objects.get(url="https://vk.com/wall-100_200")
    detail = f"{base}/incidents/{incident.pk}/"
    assert page.url == detail
    assert "рабочего времени" in page.locator("#steps").inner_text()

    # The municipal curator sees it in the queue and routes it to two units.
    sign_in(page, base, "curator")
    page.goto(f"{base}/incidents/")
    assert f"№ {incident.pk}" in page.locator("#countdowns").inner_text()
    assert "рабочего времени" in page.locator("#countdowns").inner_text()
    page.click(f"#countdowns >> text=№ {incident.pk}")
    page.wait_for_url(detail)
    page.check("#action-route label:has-text('Отдел ЖКХ и благоустройства') input")
    page.check("#action-route label:has-text('МБУ «Благоустройство»') input")
    act(page, "route")
    assert status_text(page) == Status.ROUTED.label
    assert "Сообщение направлено." in page.locator(".msg.success").inner_text()

    # Both executors send their parts.
    for login, part in [("executor", "Яму на ул. Красной засыплем щебнем до пятницы."),
                        ("mbu", "Мусор у остановки вывезем завтра утром.")]:
        sign_in(page, base, login)
        page.goto(detail)
        page.fill("#action-submit_part textarea", part)
        act(page, "submit_part")
        assert part in page.locator("#assignments").text_content()

    # The curator names the consolidator.
    sign_in(page, base, "curator")
    page.goto(detail)
    page.select_option("#action-name_consolidator select", label="Коваленко Виктор Николаевич — МБУ «Благоустройство»")
    act(page, "name_consolidator")
    assert status_text(page) == Status.CONSOLIDATING.label

    # The consolidated draft, without a greeting: the checks stop it until confirmed.
    sign_in(page, base, "mbu")
    page.goto(detail)
    draft = "Яму на ул. Красной засыплем щебнем до пятницы, мусор у остановки вывезем завтра утром."
    page.fill("#action-submit_draft textarea[name=text]", draft)
    refused = act_refused(page, "submit_draft")
    assert "Нет приветствия" in refused and "В проекте есть ошибки проверки" in refused
    assert page.locator("#action-submit_draft textarea[name=text]").input_value() == draft  # nothing lost
    page.check("#action-submit_draft input[name=confirm_errors]")
    act(page, "submit_draft")
    assert status_text(page) == Status.DRAFT_SUBMITTED.label

    sign_in(page, base, "curator")
    page.goto(detail)
    act(page, "forward")
    assert status_text(page) == Status.AWAITING_APPROVAL.label

    # The regional curator returns it: no greeting.
    sign_in(page, base, "region")
    page.goto(f"{base}/incidents/")
    assert f"№ {incident.pk}" in page.locator("#countdowns").inner_text()
    page.goto(detail)
    page.check("#action-return input[name=reason_greeting]")
    page.fill("#action-return input[name=comment_greeting]", "Поздоровайтесь с автором по имени")
    act(page, "return")
    assert page.dialogs[-1] == "Вернуть проект на доработку?"
    assert status_text(page) == Status.RETURNED.label

    # The consolidator reworks it.
    sign_in(page, base, "mbu")
    page.goto(detail)
    # Rework starts from the returned text, with the reasons beside it.
    assert "Поздоровайтесь с автором по имени" in page.locator("#returned-reasons").inner_text()
    assert page.locator("#action-submit_draft textarea[name=text]").input_value() == draft
    answer = "Здравствуйте, Анна! Бригада МБУ «Благоустройство» заделает яму до пятницы."
    page.fill("#action-submit_draft textarea[name=text]", answer)
    act(page, "submit_draft")
    assert status_text(page) == Status.DRAFT_SUBMITTED.label

    sign_in(page, base, "curator")
    page.goto(detail)
    act(page, "forward")

    sign_in(page, base, "region")
    page.goto(detail)
    assert answer in page.locator("#action-approve").inner_text()
    act(page, "approve")
    assert status_text(page) == Status.APPROVED.label

    sign_in(page, base, "curator")
    page.goto(detail)
    page.fill("#action-publish input[name=published_url]", "https://vk.com/wall-100_200?reply=7")
    act(page, "publish")
    assert status_text(page) == Status.PUBLISHED.label

    # The history is complete and in order, the e-mails that went out beside it.
    page.click("#history summary")
    rows = page.locator("#history tr.event:not(.mail)")
    assert rows.count() == incident.events.count()
    assert page.locator("#history tr.event.mail").count() >= 4
    actions = [rows.nth(i).locator(".event-action").inner_text() for i in range(rows.count())]
    codes = ["intake", "route", "dispatch", "dispatch", "submit_part", "submit_part",
             "name_consolidator", "submit_draft", "forward", "return", "submit_draft", "forward",
             "approve", "publish"]
    assert actions == [ACTION_LABELS[c] for c in codes]
    assert "Соколова Марина Викторовна" in page.locator("#history").inner_text()
    assert "Нет приветствия автора" in page.locator("#history").inner_text()
