"""In a real browser: the curator publishes the approved answer through the network and a
visitor sees it under the citizen's comment in the sandbox's view of the page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from otklik.channels.sandbox.demo_world import (
    comment_id,
    demo_world,
    message_url,
    page_of,
    sandbox_env,
)
from otklik.channels.sandbox.server import running
from otklik.channels.sandbox.world import World
from otklik.core.tests.signin import browser_sign_in as sign_in
from otklik.incidents import publishing
from otklik.incidents import services as svc
from otklik.incidents.models import Incident, Publication, Status
from otklik.org.demo import demo_load
from otklik.org.models import Municipality, Person, Unit
from otklik.org.selectors import access_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ANSWER = "Здравствуйте, Анна! Яму на ул. Красной, 15 засыплем щебнем до пятницы. Спасибо, что написали."


def _acc(login: str) -> Any:
    return access_for(Person.objects.get(user__username=login).user)


@pytest.fixture
def world(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    settings.OTKLIK_REQUIRE_2FA = False
    demo_load()
    with running(demo_world()) as (w, base):
        for name, value in sandbox_env(base.removeprefix("http://")).items():
            monkeypatch.setenv(name, value)
        w.base = base  # type: ignore[attr-defined]  # for the test to open the view
        yield w


def _approved() -> Incident:
    now = timezone.now()
    incident, _ = svc.incident_intake(
        municipality=Municipality.objects.get(slug="plastunovskoe"), kind="incident", importance="normal",
        network=page_of(0).network, url=message_url(0), author_name="Анна Петренко", author_url="",
        text="На ул. Красной возле дома 15 огромная яма", detected_at=now, handed_over_at=now,
        by=Person.objects.get(user__username="region"))
    unit = Unit.objects.get(municipality__slug="plastunovskoe", name="Отдел ЖКХ и благоустройства")
    svc.incident_route(access=_acc("curator"), incident_id=incident.pk, unit_ids=[unit.pk])
    draft = svc.incident_submit_draft(access=_acc("executor"), incident_id=incident.pk, text=ANSWER,
                                      confirmed_with_errors=True)
    svc.incident_forward(access=_acc("curator"), incident_id=incident.pk)
    svc.incident_approve(access=_acc("region"), incident_id=incident.pk, text_hash_seen=draft.text_hash)
    return incident


def test_publish_through_the_network_and_see_it_under_the_comment(live_server: Any, page: Any,
                                                                   world: World) -> None:
    incident = _approved()
    base = live_server.url
    sign_in(page, base, "curator")
    page.goto(f"{base}/incidents/{incident.pk}/")
    button = page.locator("#publish-network")
    expect(button).to_contain_text("ВКонтакте")
    with page.expect_navigation():
        button.click()
    assert page.dialogs and "Опубликовать согласованный текст" in page.dialogs[-1]
    expect(page.locator("#publication")).to_contain_text("Публикуется")
    # The worker's turn (the test plays it): the page, polling, changes on its own.
    pub = Publication.objects.get(incident=incident)
    assert publishing.publication_attempt(pub.pk) == Publication.State.DONE
    expect(page.locator("#status")).to_have_text(Status.PUBLISHED.label, timeout=15_000)
    link = page.locator("#publication a", has_text="ответ в сети")
    expect(link).to_have_attribute("rel", "noopener noreferrer nofollow")
    assert link.get_attribute("href") == Incident.objects.get(pk=incident.pk).published_url
    # The visitor's side: the reply under Anna's comment, from the page.
    spec = page_of(0)
    page.goto(f"{world.base}/page/{spec.network}/{spec.external_id}")  # type: ignore[attr-defined]
    reply = page.locator(f"#c{comment_id(0)} .c.page")
    expect(reply).to_contain_text(ANSWER)
    expect(reply).to_contain_text(spec.name)


def test_a_failed_publication_is_said_in_russian_and_can_be_repeated(live_server: Any, page: Any,
                                                                     world: World) -> None:
    incident = _approved()
    spec = page_of(0)
    world.pages[(spec.network, spec.external_id)].token = "revoked"
    base = live_server.url
    sign_in(page, base, "curator")
    page.goto(f"{base}/incidents/{incident.pk}/")
    with page.expect_navigation():
        page.click("#publish-network")
    publishing.publication_attempt(Publication.objects.get(incident=incident).pk)
    expect(page.locator("#pub-error")).to_contain_text("Ключ доступа страницы больше не действует", timeout=15_000)
    expect(page.locator("#status")).to_have_text(Status.APPROVED.label)
    expect(page.locator("#publish-network")).to_contain_text("Повторить публикацию")


def test_the_sandbox_view_shows_hostile_comments_as_text(page: Any, world: World) -> None:
    spec = page_of(0)
    hostile = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    world.citizen_comment(spec.network, spec.external_id, 1000, hostile, author_name="<b>Злоумышленник</b>")
    page.goto(f"{world.base}/page/{spec.network}/{spec.external_id}")  # type: ignore[attr-defined]
    expect(page.locator("body")).to_contain_text(hostile)
    expect(page.locator("body")).to_contain_text("<b>Злоумышленник</b>")
    assert page.locator("main img").count() == 0 and page.locator("main script").count() == 0
    assert page.dialogs == []
