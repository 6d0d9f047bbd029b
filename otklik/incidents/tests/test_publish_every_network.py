"""The demo as a visitor runs it: an approved answer to a message on each network's page goes
out through that network's real client to the sandbox and appears under the citizen's comment."""

from __future__ import annotations

from typing import Any

import pytest

from otklik.channels.sandbox.demo_world import (
    PAGES,
    comment_id,
    message_url,
    page_of,
    post_id,
)
from otklik.channels.sandbox.world import World
from otklik.incidents import publishing
from otklik.incidents import services as svc
from otklik.incidents.models import Incident, Publication, Status
from otklik.incidents.tests.test_services import acc, at, draft_to_approval, route
from otklik.org.models import Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(sandbox_world: World) -> World:
    return sandbox_world


@pytest.mark.parametrize("i", range(len(PAGES)), ids=[p.network for p in PAGES])
def test_an_approved_answer_appears_under_the_comment_on_every_network(demo: dict[str, Any], world: World,
                                                                        i: int, caplog: Any) -> None:
    import logging

    caplog.set_level(logging.DEBUG)
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
    # The page's token is never logged (Telegram's is part of every URL it calls).
    assert spec.token not in caplog.text and spec.token.split(":")[-1] not in caplog.text


def _approved_on(demo: dict[str, Any], i: int) -> Incident:
    incident, _ = svc.incident_intake(
        municipality=Municipality.objects.get(slug="plastunovskoe"), kind="incident", importance="normal",
        network=page_of(i).network, url=message_url(i), author_name="Анна", author_url="https://vk.com/id1",
        text="Яма на ул. Красной, 15", detected_at=at(7, 9), handed_over_at=at(7, 9), by=demo["region"],
        now=at(7, 9))
    route(demo, incident)
    draft = draft_to_approval(demo, incident, text="Здравствуйте, Анна! Яму засыплем до 10 декабря.")
    svc.incident_approve(access=acc(demo, "region"), incident_id=incident.pk, text_hash_seen=draft.text_hash,
                         at=at(7, 10, 20))
    return incident


TELEGRAM = next(i for i in range(len(PAGES)) if page_of(i).network == "telegram")


def _tg_replies(world: World) -> list[Any]:
    spec = page_of(TELEGRAM)
    return [c for c in world.pages[(spec.network, spec.external_id)].comments.values() if c.author_id == "page"]


def test_where_the_network_cannot_be_asked_a_person_looks_before_anything_is_sent_again(
        demo: dict[str, Any], world: World) -> None:
    """Telegram's Bot API cannot list a chat: after a timeout the curator checks the discussion."""
    from otklik.channels.sandbox.world import Failure

    incident = _approved_on(demo, TELEGRAM)
    pub = publishing.publication_request(access=acc(demo, "curator"), incident_id=incident.pk, at=at(7, 10, 30))
    world.fail(Failure(network="telegram", method="sendMessage", kind="timeout"))
    assert publishing.publication_attempt(pub.pk, at=at(7, 10, 31)) == Publication.State.UNKNOWN
    assert publishing.publication_attempt(pub.pk, at=at(7, 10, 32)) == Publication.State.CHECK
    # Nothing more goes out on its own, however often the worker looks.
    publishing.publications_sweep(at=at(7, 12))
    assert _tg_replies(world) == []
    pub.refresh_from_db()
    assert pub.state == Publication.State.CHECK and "Откройте обсуждение" in pub.last_error
    # The curator looked: no reply there. Sent once.
    publishing.publication_not_found(access=acc(demo, "curator"), incident_id=incident.pk, at=at(7, 12, 1))
    assert publishing.publication_attempt(pub.pk, at=at(7, 12, 2)) == Publication.State.DONE
    assert len(_tg_replies(world)) == 1
    assert Incident.objects.get(pk=incident.pk).status == Status.PUBLISHED


def test_in_check_the_curator_may_record_the_link_found_by_hand(demo: dict[str, Any], world: World) -> None:
    from otklik.channels.sandbox.world import Failure

    incident = _approved_on(demo, TELEGRAM)
    pub = publishing.publication_request(access=acc(demo, "curator"), incident_id=incident.pk, at=at(7, 10, 30))
    world.fail(Failure(network="telegram", method="sendMessage", kind="timeout", after_accept=True))
    publishing.publication_attempt(pub.pk, at=at(7, 10, 31))
    publishing.publication_attempt(pub.pk, at=at(7, 10, 32))
    [reply] = _tg_replies(world)
    link = f"https://t.me/plastunovskoe_adm/{post_id(TELEGRAM)}?comment={reply.id}"
    svc.incident_publish(access=acc(demo, "curator"), incident_id=incident.pk, published_url=link, at=at(7, 11))
    pub.refresh_from_db()
    assert pub.state == Publication.State.CANCELLED
    incident = Incident.objects.get(pk=incident.pk)
    assert incident.status == Status.PUBLISHED and incident.published_url == link
    publishing.publications_sweep(at=at(7, 12))
    assert len(_tg_replies(world)) == 1


def test_a_max_link_is_resolved_by_the_network_and_a_missing_post_is_said_in_russian(
        demo: dict[str, Any], world: World) -> None:
    i = next(i for i in range(len(PAGES)) if page_of(i).network == "max")
    incident = _approved_on(demo, i)
    spec = page_of(i)
    del world.pages[(spec.network, spec.external_id)].posts[post_id(i)]  # the post was removed meanwhile
    pub = publishing.publication_request(access=acc(demo, "curator"), incident_id=incident.pk, at=at(7, 10, 30))
    assert publishing.publication_attempt(pub.pk, at=at(7, 10, 31)) == Publication.State.FAILED
    pub.refresh_from_db()
    assert "не найдена" in pub.last_error
    assert Incident.objects.get(pk=incident.pk).status == Status.APPROVED
