"""In a real browser, the curator's and the executor's day: several units in any order, the
queue, live checks on every kind of input, nothing lost on a failed send, and the phone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from otklik.core.tests.signin import browser_sign_in as sign_in
from otklik.incidents import services as svc
from otklik.incidents.models import Incident, Status
from otklik.incidents.tests.test_attachments import PNG_BYTES as PNG
from otklik.org.demo import demo_load
from otklik.org.models import Municipality, Person, Unit
from otklik.org.selectors import access_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ZHKH, MBU = "Отдел ЖКХ и благоустройства", "МБУ «Благоустройство»"


def _acc(login: str) -> Any:
    return access_for(Person.objects.get(user__username=login).user)


def _incident(text: str = "Яма на ул. Красной, 15, и мусор у остановки") -> Incident:
    now = timezone.now()
    incident, _ = svc.incident_intake(
        municipality=Municipality.objects.get(slug="plastunovskoe"), kind="incident", importance="normal",
        network="vk", url="https://vk.com/wall-1_77", author_name="Анна Петрова", author_url="", text=text,
        detected_at=now, handed_over_at=now, by=Person.objects.get(user__username="region"))
    return incident


def _unit(name: str) -> Unit:
    return Unit.objects.get(municipality__slug="plastunovskoe", name=name)


@pytest.fixture
def ready(settings: Any) -> None:
    settings.OTKLIK_REQUIRE_2FA = False
    demo_load()


@pytest.mark.usefixtures("ready")
def test_several_units_answer_in_any_order(live_server: Any, page: Any) -> None:
    """The consolidator named at routing; a unit's part still lands after that (п. 19)."""
    incident = _incident()
    base = live_server.url
    sign_in(page, base, "curator")
    page.goto(f"{base}/incidents/{incident.pk}/")
    page.check(f"#action-route label:has-text('{ZHKH}') input")
    page.check(f"#action-route label:has-text('{MBU}') input")
    page.select_option("#action-route select[name=consolidator]", label=f"Коваленко Виктор Николаевич — {MBU}")
    with page.expect_navigation():
        page.click("#action-route button[name=go]")
    assert page.locator("#status").inner_text() == Status.CONSOLIDATING.label
    sign_in(page, base, "executor")
    page.goto(f"{base}/incidents/{incident.pk}/")
    page.fill("#action-submit_part textarea", "Яму засыплем щебнем до пятницы.")
    with page.expect_navigation():
        page.click("#action-submit_part button[name=go]")
    assert "Часть ответа направлена" in page.locator(".msg.success").inner_text()
    assert "Яму засыплем щебнем до пятницы." in (page.locator("#assignments").text_content() or "")


@pytest.mark.usefixtures("ready")
def test_the_queue_shows_mine_and_what_waits_for_others(live_server: Any, page: Any) -> None:
    incident = _incident()
    svc.incident_route(access=_acc("curator"), incident_id=incident.pk, unit_ids=[_unit(ZHKH).pk, _unit(MBU).pk])
    base = live_server.url
    sign_in(page, base, "executor")
    page.goto(f"{base}/incidents/")
    mine = page.locator("#mine").inner_text()
    assert f"№ {incident.pk}" in mine and f"Часть ответа от «{ZHKH}»" in mine and MBU not in mine
    sign_in(page, base, "curator")
    page.goto(f"{base}/incidents/")
    assert f"№ {incident.pk}" not in page.locator("#mine").inner_text()
    others = page.locator("#others").inner_text()
    assert f"№ {incident.pk}" in others and "Иванова Наталья Алексеевна" in others


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "yama.png"
    path.write_bytes(PNG)
    return path


def _routed_to_executor() -> Incident:
    incident = _incident("Яма на ул. Красной, 15")
    svc.incident_route(access=_acc("curator"), incident_id=incident.pk, unit_ids=[_unit(ZHKH).pk])
    return incident


@pytest.mark.usefixtures("ready")
def test_live_checks_on_input_and_paste_and_a_chosen_photo_counts(live_server: Any, page: Any, photo: Path) -> None:
    incident = _routed_to_executor()
    sign_in(page, live_server.url, "executor")
    page.goto(f"{live_server.url}/incidents/{incident.pk}/")
    area = page.locator("#action-submit_draft textarea[name=text]")
    findings = page.locator("#findings")
    area.fill("Яму на ул. Красной засыпали щебнем вчера.")  # an `input` event, no key pressed
    expect(findings).to_contain_text("приветств", timeout=5000)
    expect(findings.locator("li[data-code=evidence]")).to_have_count(1, timeout=5000)
    # A photo chosen but not sent yet is proof enough for the check.
    page.set_input_files("#action-submit_draft input[type=file]", str(photo))
    expect(page.locator("#action-submit_draft .file-count")).to_have_text("выбрано файлов: 1")
    expect(findings.locator("li[data-code=evidence]")).to_have_count(0, timeout=5000)
    # Text put in without typing (a paste, dictation, an IME) is checked too.
    area.fill("")
    area.focus()
    page.keyboard.insert_text("Здравствуйте, Анна! Яму на ул. Красной засыпали щебнем вчера.")
    expect(findings.locator("li[data-code=greeting]")).to_have_count(0, timeout=5000)
    assert findings.locator("li").count() >= 0


@pytest.mark.usefixtures("ready")
def test_a_failed_send_keeps_the_text_and_the_files(live_server: Any, page: Any, photo: Path) -> None:
    incident = _routed_to_executor()
    sign_in(page, live_server.url, "executor")
    page.goto(f"{live_server.url}/incidents/{incident.pk}/")
    text = "яму засыпем"
    page.fill("#action-submit_draft textarea[name=text]", text)
    page.set_input_files("#action-submit_draft input[type=file]", str(photo))
    page.click("#action-submit_draft button[name=go]")
    errors = page.locator("#action-errors-submit_draft")
    expect(errors).to_contain_text("ошибки проверки", timeout=5000)
    assert page.locator("#action-submit_draft textarea[name=text]").input_value() == text
    assert page.evaluate("document.querySelector('#action-submit_draft input[type=file]').files.length") == 1
    assert Incident.objects.get(pk=incident.pk).status == Status.ROUTED
    # Confirmed, the same form goes through with its photo.
    page.check("#action-submit_draft input[name=confirm_errors]")
    with page.expect_navigation():
        page.click("#action-submit_draft button[name=go]")
    assert page.locator("#status").inner_text() == Status.DRAFT_SUBMITTED.label
    assert Incident.objects.get(pk=incident.pk).files.count() == 1


@pytest.mark.usefixtures("ready")
def test_an_unsaved_draft_survives_a_reload(live_server: Any, page: Any) -> None:
    incident = _routed_to_executor()
    sign_in(page, live_server.url, "executor")
    url = f"{live_server.url}/incidents/{incident.pk}/"
    page.goto(url)
    page.fill("#action-submit_draft textarea[name=text]", "Здравствуйте, Анна! Черновик, который не хочется потерять.")
    page.reload()
    assert page.locator("#action-submit_draft textarea[name=text]").input_value().endswith("не хочется потерять.")
    expect(page.locator("#action-submit_draft .autosave-note")).to_be_visible()


@pytest.mark.usefixtures("ready")
def test_irreversible_actions_ask_first(live_server: Any, page: Any) -> None:
    incident = _routed_to_executor()
    sign_in(page, live_server.url, "executor")
    page.goto(f"{live_server.url}/incidents/{incident.pk}/")
    page.fill("#action-not_ours textarea", "Это вопрос дорожной службы района")
    page.on("dialog", lambda d: None)  # the fixture accepts; this test checks that it was asked
    with page.expect_navigation():
        page.click("#action-not_ours button[name=go]")
    assert page.dialogs == ["Сообщить, что вопрос не относится к вашему подразделению?"]
    assert Incident.objects.get(pk=incident.pk).status == Status.REROUTE


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="ru-RU", timezone_id="Europe/Moscow", viewport={"width": 412, "height": 915},
                                  device_scale_factor=2.625, is_mobile=True, has_touch=True)
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


def _box(locator: Any) -> dict[str, float]:
    box = locator.bounding_box()
    assert box is not None
    return box  # type: ignore[no-any-return]


@pytest.mark.usefixtures("ready")
def test_the_phone_layout(live_server: Any, phone: Any) -> None:
    incident = _routed_to_executor()
    sign_in(phone, live_server.url, "executor")
    phone.goto(f"{live_server.url}/incidents/{incident.pk}/")
    assert _box(phone.locator("header.topbar"))["height"] <= 60  # one line
    nav = phone.locator("nav.nav a")
    assert nav.count() >= 4
    for i in range(nav.count()):
        box = _box(nav.nth(i))
        assert box["x"] >= 0 and box["x"] + box["width"] <= 412, nav.nth(i).inner_text()  # all shown, no scrolling
        assert box["height"] >= 44, nav.nth(i).inner_text()
    targets = ["header .logout button", "#action-submit_draft button[name=go]", "#action-submit_draft .file-button",
               "#action-submit_draft button[name=check_action]", "#action-not_ours button[name=go]",
               "#action-submit_draft input[name=confirm_errors]"]
    for selector in targets:
        element = phone.locator(selector).first
        box = _box(element if not selector.endswith("confirm_errors]") else element.locator("xpath=.."))
        assert box["height"] >= 44 and box["width"] >= 44, (selector, box)
    body = phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    text = phone.evaluate("parseFloat(getComputedStyle(document.querySelector('.incident-text')).fontSize)")
    area = phone.evaluate("parseFloat(getComputedStyle(document.querySelector('textarea')).fontSize)")
    assert body >= 16 and text >= 16 and area >= 16
    # The action is on the first two screens.
    assert _box(phone.locator("#action-submit_draft"))["y"] < 2 * 915
    assert phone.evaluate("document.documentElement.scrollWidth") <= 412  # nothing wider than the phone
    phone.goto(f"{live_server.url}/incidents/")
    row = phone.locator(".queue-link").first
    assert _box(row)["height"] >= 44


@pytest.mark.usefixtures("ready")
def test_a_one_tap_fix_writes_correct_russian(live_server: Any, page: Any) -> None:
    incident = _routed_to_executor()
    sign_in(page, live_server.url, "executor")
    page.goto(f"{live_server.url}/incidents/{incident.pk}/")
    area = page.locator("#action-submit_draft textarea[name=text]")
    area.fill("Здравствуйте, Анна! В целях обеспечения надлежащего освещения территории осуществляется замена ламп.")
    fix = page.locator("#findings button.fix[data-original^='В целях']")
    expect(fix).to_have_count(1, timeout=5000)
    fix.click()
    assert area.input_value() == ("Здравствуйте, Анна! Чтобы обеспечить надлежащее освещение территории, "
                                  "осуществляется замена ламп.")
    # Checked again: nothing left to fix in the rewritten phrase.
    expect(page.locator("#findings button.fix[data-original^='В целях']")).to_have_count(0, timeout=5000)
    expect(page.locator("#findings")).not_to_contain_text("надлежащего", timeout=5000)
