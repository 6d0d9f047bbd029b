"""The demo as a visitor runs it: an approved answer to a message on each network's page goes
out through that network's real client to the sandbox and appears under the citizen's comment."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from otklik.channels.sandbox.demo_world import (
    PAGES,
    comment_id,
    demo_world,
    message_url,
    page_of,
    post_id,
    sandbox_env,
)
from otklik.channels.sandbox.server import running
from otklik.channels.sandbox.world import World
from otklik.incidents import publishing
from otklik.incidents import services as svc
from otklik.incidents.models import Incident, Publication, Status
from otklik.incidents.tests.test_services import acc, at, draft_to_approval, route
from otklik.org.models import Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch, settings: Any) -> Iterator[World]:
    with running(demo_world()) as (w, base):
        env = sandbox_env(base.removeprefix("http://"))
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        settings.OTKLIK_OK_APP_KEY = env["OTKLIK_OK_APP_KEY"]
        settings.OTKLIK_OK_APP_SECRET = env["OTKLIK_OK_APP_SECRET"]
        yield w


@pytest.mark.parametrize("i", range(len(PAGES)), ids=[p.network for p in PAGES])
def test_an_approved_answer_appears_under_the_comment_on_every_network(demo: dict[str, Any], world: World,
                                                                        i: int) -> None:
    spec = page_of(i)
    incident, _ = svc.incident_intake(
        municipality=Municipality.objects.get(slug="plastunovskoe"), kind="incident", importance="normal",
        network=spec.network, url=message_url(i), author_name="Анна", author_url="https://vk.com/id1",
        text="Яма на ул. Красной, 15", detected_at=at(7, 9), handed_over_at=at(7, 9), by=demo["region"],
        now=at(7, 9))
    route(demo, incident)
    text = f"Здравствуйте, Анна! Яму засыплем до 10 декабря ({spec.network})."
    draft = draft_to_approval(demo, incident, text=text)
    svc.incident_approve(access=acc(demo, "region"), incident_id=incident.pk, text_hash_seen=draft.text_hash,
                         at=at(7, 10, 20))
    match = publishing.page_for(incident)
    assert match is not None and match.page.network == spec.network
    pub = publishing.publication_request(access=acc(demo, "curator"), incident_id=incident.pk, at=at(7, 10, 30))
    assert publishing.publication_attempt(pub.pk, at=at(7, 10, 31)) == Publication.State.DONE
    page = world.pages[(spec.network, spec.external_id)]
    [reply] = [c for c in page.comments.values() if c.author_id == "page"]
    assert reply.text == text and reply.post_id == post_id(i)
    if spec.network in ("vk", "telegram"):  # these links name the comment: the reply is under it
        assert reply.reply_to == comment_id(i)
    incident = Incident.objects.get(pk=incident.pk)
    assert incident.status == Status.PUBLISHED
    assert incident.published_url.startswith(("https://vk.com/", "https://ok.ru/", "https://t.me/", "https://max.ru/"))
