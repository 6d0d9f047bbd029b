"""Sign-in, throttling (django-axes) and the TOTP second factor (django-otp)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from otklik.org.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def _login(client: Client, username: str, password: str = DEMO_PASSWORD) -> Any:
    return client.post("/login/", {"username": username, "password": password})


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _unthrottle(device: TOTPDevice) -> None:
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()


def test_signin_with_password_reaches_home(demo: dict[str, Any], settings: Any) -> None:
    settings.OTKLIK_REQUIRE_2FA = False
    client = Client()
    assert _login(client, "executor").status_code == 302
    home = client.get("/", follow=True)  # an executor starts at the queue
    assert home.redirect_chain == [("/incidents/", 302)]
    assert home.status_code == 200
    assert "Иванова Наталья Алексеевна" in home.content.decode()


def test_wrong_password_is_refused_in_russian(demo: dict[str, Any]) -> None:
    response = _login(Client(), "executor", "nope")
    assert response.status_code == 200
    assert "Пожалуйста, введите правильные" in response.content.decode()


def test_failed_signins_are_throttled(demo: dict[str, Any], settings: Any) -> None:
    settings.OTKLIK_REQUIRE_2FA = False
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "executor", "wrong")
    locked = _login(client, "executor")  # even the right password is refused now
    assert locked.status_code == 429
    assert "Слишком много неудачных попыток" in locked.content.decode()
    assert client.get("/").status_code == 302
    # Another login from the same address is not locked: the pair is username + address.
    assert _login(Client(), "land").status_code == 302


def test_second_factor_required_for_curator_when_configured(demo: dict[str, Any], settings: Any) -> None:
    settings.OTKLIK_REQUIRE_2FA = True
    client = Client()
    _login(client, "curator")
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/2fa/setup/"
    # An executor's role does not require it.
    other = Client()
    _login(other, "executor")
    assert other.get("/profile/").status_code == 200


def test_second_factor_not_required_in_demo_setting(demo: dict[str, Any], settings: Any) -> None:
    settings.OTKLIK_REQUIRE_2FA = False
    client = Client()
    _login(client, "curator")
    assert client.get("/profile/").status_code == 200


def test_totp_enrolment_then_verification_at_next_signin(demo: dict[str, Any], settings: Any) -> None:
    settings.OTKLIK_REQUIRE_2FA = True
    client = Client()
    _login(client, "curator")
    page = client.get("/2fa/setup/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user__username="curator", confirmed=False)
    assert client.post("/2fa/setup/", {"token": "000000" if _code(device) != "000000" else "111111"}).status_code == 200
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # django-otp slows down guessing
    _unthrottle(device)
    assert client.post("/2fa/setup/", {"token": _code(device)}).status_code == 302
    assert client.get("/profile/").status_code == 200

    fresh = Client()
    _login(fresh, "curator")
    assert fresh.get("/")["Location"].startswith("/2fa/verify/")
    bad = fresh.post("/2fa/verify/", {"token": "12345"})
    assert "Неверный код" in bad.content.decode()
    device.refresh_from_db()
    device.last_t = -1  # the same 30-second code was used at enrolment; allow it once more
    _unthrottle(device)
    assert fresh.post("/2fa/verify/?next=/org/", {"token": _code(device)})["Location"] == "/org/"
    assert fresh.get("/profile/").status_code == 200


def test_verify_ignores_foreign_next(demo: dict[str, Any], settings: Any) -> None:
    settings.OTKLIK_REQUIRE_2FA = True
    device = TOTPDevice.objects.create(user=demo["curator"].user, name="t", confirmed=True)
    client = Client()
    _login(client, "curator")
    response = client.post("/2fa/verify/?next=https://evil.example/", {"token": _code(device)})
    assert response["Location"] == "/"


def test_times_shown_in_municipality_time_zone(demo: dict[str, Any], settings: Any) -> None:
    from datetime import UTC, datetime

    from otklik.notifications.models import StoredMail

    settings.OTKLIK_REQUIRE_2FA = False
    municipality = demo["admin"].municipality
    municipality.time_zone = "Asia/Yekaterinburg"  # UTC+5
    municipality.save()
    mail = StoredMail.objects.create(municipality=municipality, from_email="a@b", to="c@d", subject="Проверка", body="x")
    StoredMail.objects.filter(pk=mail.pk).update(created_at=datetime(2026, 12, 4, 10, 0, tzinfo=UTC))
    client = Client()
    client.force_login(demo["admin"].user)
    page = client.get("/mail/").content.decode()
    assert "04.12.2026 15:00" in page  # 10:00 UTC shown as 15:00 in Yekaterinburg
