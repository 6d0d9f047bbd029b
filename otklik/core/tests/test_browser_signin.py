"""In a real browser: a curator signs in with TOTP and sees their navigation; an executor
of another unit cannot open the curator's pages."""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from otklik.core.tests.signin import browser_sign_in
from otklik.org.demo import demo_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_curator_signs_in_with_totp_and_sees_navigation(live_server: Any, page: Any, settings: Any) -> None:
    settings.OTKLIK_REQUIRE_2FA = True
    demo_load()
    from django.contrib.auth import get_user_model

    device = TOTPDevice.objects.create(
        user=get_user_model().objects.get(username="curator"), name="телефон", confirmed=True
    )
    browser_sign_in(page, live_server.url, "curator")
    page.wait_for_url("**/2fa/verify/**")
    assert "Подтвердите вход" in page.content()
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    page.fill("#id_token", code)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/incidents/")
    nav = page.locator("nav.nav").inner_text()
    assert "Очередь" in nav and "Организация" in nav and "Профиль" in nav
    assert "Почта" not in nav  # the mailbox is the administrator's
    page.click("nav.nav >> text=Организация")
    assert page.locator("h1").inner_text() == "Организация"
    assert "Отдел ЖКХ и благоустройства" in page.content()


def test_executor_cannot_open_curator_pages(live_server: Any, page: Any, settings: Any) -> None:
    settings.OTKLIK_REQUIRE_2FA = True
    demo_load()
    browser_sign_in(page, live_server.url, "kdc")  # executor of the culture centre
    page.wait_for_url(f"{live_server.url}/incidents/")
    nav = page.locator("nav.nav").inner_text()
    assert "Почта" not in nav
    response = page.goto(f"{live_server.url}/mail/")
    assert response is not None and response.status == 403
    assert "Нет доступа" in page.content()
