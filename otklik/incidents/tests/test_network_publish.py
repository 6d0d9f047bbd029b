"""п. 16 through the network: the approved text goes out from the page, exactly, once.

Every test runs the real VK (or Telegram) client against the sandbox over loopback HTTP: the
sandbox speaks the networks' documented shapes and can be told to fail.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection

from otklik.channels.sandbox.server import api_urls, running
from otklik.channels.sandbox.world import Failure, SbPage, World
from otklik.incidents import publishing
from otklik.incidents import services as svc
from otklik.incidents.history import history_verify
from otklik.incidents.models import Draft, Incident, IncidentEvent, Publication, Status
from otklik.incidents.tests.test_services import acc, at, draft_to_approval, route
from otklik.incidents.transitions import Invalid, TransitionError
from otklik.notifications.models import Notification
from otklik.org.models import Municipality
from otklik.pages.services import page_register

pytestmark = pytest.mark.django_db
P = Publication.State
ANSWER = "Здравствуйте, Анна! Яму на ул. Красной, 15 засыплем до 10 декабря.\nСпасибо, что написали."
VK_TOKEN = "vk1.a.page-token-321"
T0 = at(7, 10, 30)


@pytest.fixture
def sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    with running() as (world, base):
        for name, value in api_urls(base).items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("OTKLIK_NETWORK_TIMEOUT", "1")
        world.timeout_delay = 1.5
        page = world.add_page(SbPage(network="vk", external_id="321", name="Администрация (песочница)",
                                     token=VK_TOKEN, screen_name="adm321"))
        page.add_post("Новости поселения", post_id=45)
        world.citizen_comment("vk", "321", 45, "Яма на ул. Красной, 15", author_id="501", author_name="Анна")
        yield world


def _comment_id(world: World) -> int:
    return next(c.id for c in world.pages[("vk", "321")].comments.values() if c.author_id == "501")


def _replies(world: World) -> list[Any]:
    return [c for c in world.pages[("vk", "321")].comments.values() if c.author_id == "page"]


def approved(demo: dict[str, Any], world: World, *, url: str | None = None, text: str = ANSWER,
             register: bool = True) -> tuple[Incident, Draft]:
    if register:
        page_register(municipality_slug="plastunovskoe", network="vk", url="https://vk.com/adm321",
                      external_id="321", token=VK_TOKEN, name="Администрация (песочница)")
    incident, _ = svc.incident_intake(
        municipality=Municipality.objects.get(slug="plastunovskoe"), kind="incident", importance="normal",
        network="vk", url=url or f"https://vk.com/wall-321_45?reply={_comment_id(world)}", author_name="Анна",
        author_url="https://vk.com/id501", text="Яма на ул. Красной, 15, когда засыплют?",
        detected_at=at(7, 9), handed_over_at=at(7, 9), by=demo["region"], now=at(7, 9))
    route(demo, incident)
    draft = draft_to_approval(demo, incident, text=text)
    svc.incident_approve(access=acc(demo, "region"), incident_id=incident.pk, text_hash_seen=draft.text_hash,
                         at=at(7, 10, 20))
    return incident, draft


def request(demo: dict[str, Any], incident: Incident) -> Publication:
    return publishing.publication_request(access=acc(demo, "curator"), incident_id=incident.pk, at=T0)


def test_the_approved_text_goes_out_under_the_citizens_comment_byte_for_byte(demo: dict[str, Any],
                                                                               sandbox: World) -> None:
    incident, draft = approved(demo, sandbox)
    pub = request(demo, incident)
    incident.refresh_from_db()
    assert incident.status == Status.APPROVED and pub.state == P.PENDING  # «публикуется…» until the worker
    assert publishing.publication_attempt(pub.pk, at=T0 + timedelta(seconds=1)) == P.DONE
    [reply] = _replies(sandbox)
    assert reply.text == draft.text  # exactly the approved text
    assert reply.reply_to == _comment_id(sandbox)
    incident.refresh_from_db()
    pub.refresh_from_db()
    assert incident.status == Status.PUBLISHED and incident.published_url == pub.url
    assert pub.url == f"https://vk.com/wall-321_45?reply={reply.id}&thread={_comment_id(sandbox)}"
    actions = list(IncidentEvent.objects.filter(incident=incident).values_list("action", "actor_label"))
    assert ("publish_network", demo["curator"].full_name) in actions
    assert ("publish", demo["curator"].full_name) in actions  # the requester published, through the page
    assert history_verify([incident.pk])[1] == []
    assert not incident.steps.filter(done_at__isnull=True).exists()


def test_a_reply_to_the_post_itself(demo: dict[str, Any], sandbox: World) -> None:
    incident, _ = approved(demo, sandbox, url="https://vk.com/wall-321_45")
    pub = request(demo, incident)
    assert publishing.publication_attempt(pub.pk, at=T0) == P.DONE
    [reply] = _replies(sandbox)
    assert reply.post_id == 45 and reply.reply_to == 0


def test_never_twice_a_timeout_after_the_network_accepted_is_looked_up_before_any_retry(
        demo: dict[str, Any], sandbox: World) -> None:
    incident, _ = approved(demo, sandbox)
    pub = request(demo, incident)
    sandbox.fail(Failure(network="vk", method="wall.createComment", kind="timeout", after_accept=True))
    assert publishing.publication_attempt(pub.pk, at=T0) == P.UNKNOWN
    assert len(_replies(sandbox)) == 1  # the network did take it
    pub.refresh_from_db()
    assert pub.maybe_sent and "неизвестно" in pub.last_error.lower()
    # Not before its time, then: the reply is found, not sent again.
    assert publishing.publication_attempt(pub.pk, at=T0 + timedelta(seconds=5)) == P.UNKNOWN
    assert publishing.publications_sweep(at=T0 + timedelta(seconds=31)) == 1
    pub.refresh_from_db()
    assert pub.state == P.DONE
    assert len(_replies(sandbox)) == 1
    incident.refresh_from_db()
    assert incident.status == Status.PUBLISHED and f"reply={_replies(sandbox)[0].id}" in incident.published_url
    assert [m for _, m in sandbox.calls].count("wall.createComment") == 1


def test_a_timeout_before_the_network_accepted_is_looked_up_then_sent_once(demo: dict[str, Any],
                                                                           sandbox: World) -> None:
    incident, _ = approved(demo, sandbox)
    pub = request(demo, incident)
    sandbox.fail(Failure(network="vk", method="wall.createComment", kind="timeout"))
    assert publishing.publication_attempt(pub.pk, at=T0) == P.UNKNOWN
    assert _replies(sandbox) == []
    assert publishing.publication_attempt(pub.pk, at=T0 + timedelta(seconds=31)) == P.DONE
    assert len(_replies(sandbox)) == 1


def test_a_worker_that_died_mid_call_leaves_a_row_that_is_looked_up(demo: dict[str, Any], sandbox: World) -> None:
    incident, draft = approved(demo, sandbox)
    pub = request(demo, incident)
    # The worker claimed the row and the network replied, then the process died before saving.
    Publication.objects.filter(pk=pub.pk).update(state=P.SENDING, sending_since=T0, maybe_sent=True)
    sandbox.pages[("vk", "321")].add_comment(45, "page", "Администрация", draft.text, reply_to=_comment_id(sandbox))
    assert publishing.publications_sweep(at=T0 + timedelta(minutes=1)) == 0  # a live worker may still be at it
    publishing.publications_sweep(at=T0 + timedelta(minutes=4))
    pub.refresh_from_db()
    assert pub.state == P.DONE and len(_replies(sandbox)) == 1


def test_rate_limit_waits_as_the_network_asks(demo: dict[str, Any], sandbox: World) -> None:
    incident, _ = approved(demo, sandbox)
    pub = request(demo, incident)
    sandbox.fail(Failure(network="vk", method="wall.createComment", kind="rate_limit"))
    state = publishing.publication_attempt(pub.pk, at=T0)
    pub.refresh_from_db()
    assert state == P.PENDING and pub.error_kind == "rate_limited"
    assert pub.next_attempt_at is not None and pub.next_attempt_at > T0
    assert "подождать" in pub.last_error
    assert publishing.publication_attempt(pub.pk, at=pub.next_attempt_at - timedelta(milliseconds=1)) == P.PENDING
    assert _replies(sandbox) == []
    assert publishing.publication_attempt(pub.pk, at=pub.next_attempt_at) == P.DONE
    assert len(_replies(sandbox)) == 1


def test_server_errors_are_retried_with_a_growing_wait_then_given_up(demo: dict[str, Any], sandbox: World) -> None:
    incident, _ = approved(demo, sandbox)
    pub = request(demo, incident)
    sandbox.fail(Failure(network="vk", method="wall.createComment", kind="server_error", count=100))
    now, waits = T0, []
    for _ in range(publishing.MAX_RETRIES - 1):
        assert publishing.publication_attempt(pub.pk, at=now) == P.PENDING
        pub.refresh_from_db()
        assert pub.next_attempt_at is not None
        waits.append((pub.next_attempt_at - now).total_seconds())
        now = pub.next_attempt_at
    assert waits == [30 * 2 ** i for i in range(publishing.MAX_RETRIES - 1)]
    assert publishing.publication_attempt(pub.pk, at=now) == P.FAILED
    incident.refresh_from_db()
    assert incident.status == Status.APPROVED and _replies(sandbox) == []


def test_an_invalid_token_tells_the_curator_and_the_answer_stays_approved(demo: dict[str, Any],
                                                                         sandbox: World) -> None:
    incident, _ = approved(demo, sandbox)
    sandbox.pages[("vk", "321")].token = "revoked-and-reissued"
    pub = request(demo, incident)
    assert publishing.publication_attempt(pub.pk, at=T0) == P.FAILED
    pub.refresh_from_db()
    incident.refresh_from_db()
    assert incident.status == Status.APPROVED
    assert pub.error_kind == "token_invalid" and "Ключ доступа страницы больше не действует" in pub.last_error
    assert VK_TOKEN not in pub.last_error
    mail = Notification.objects.filter(incident_id=incident.pk, subject__contains="не опубликован")
    assert {n.recipient for n in mail} >= {demo["curator"]}
    assert IncidentEvent.objects.filter(incident=incident, action="publish_network_failed").exists()
    # A new token, then «Повторить»: out once.
    page_register(municipality_slug="plastunovskoe", network="vk", url="https://vk.com/adm321", external_id="321",
                  token="revoked-and-reissued")
    again = request(demo, incident)
    assert publishing.publication_attempt(again.pk, at=T0 + timedelta(minutes=1)) == P.DONE
    assert len(_replies(sandbox)) == 1


def test_the_text_must_still_be_the_approved_one_at_send_time(demo: dict[str, Any], sandbox: World) -> None:
    incident, draft = approved(demo, sandbox)
    pub = request(demo, incident)
    # Someone with database access edits the approved text after approval.
    Draft.objects.filter(pk=draft.pk).update(text=draft.text + " Подпись: Иванов")
    assert publishing.publication_attempt(pub.pk, at=T0) == P.FAILED
    pub.refresh_from_db()
    assert "не совпадает с согласованным" in pub.last_error
    assert _replies(sandbox) == []


@pytest.mark.parametrize("field", ["draft_text_hash", "publication_text_hash"])
def test_each_hash_guards_the_send(demo: dict[str, Any], sandbox: World, field: str) -> None:
    incident, draft = approved(demo, sandbox)
    pub = request(demo, incident)
    if field == "draft_text_hash":
        Draft.objects.filter(pk=draft.pk).update(text_hash="0" * 64)
    else:
        Publication.objects.filter(pk=pub.pk).update(text_hash="0" * 64)
    assert publishing.publication_attempt(pub.pk, at=T0) == P.FAILED
    assert _replies(sandbox) == []


def test_one_live_publication_and_no_manual_mark_while_it_runs(demo: dict[str, Any], sandbox: World) -> None:
    incident, _ = approved(demo, sandbox)
    request(demo, incident)
    with pytest.raises(TransitionError, match="уже публикуется"):
        request(demo, incident)
    with pytest.raises(TransitionError, match="публикуется через сеть"):
        svc.incident_publish(access=acc(demo, "curator"), incident_id=incident.pk,
                             published_url="https://vk.com/wall-321_45?reply=9")


def test_not_registered_or_no_token_means_by_hand(demo: dict[str, Any], sandbox: World) -> None:
    incident, _ = approved(demo, sandbox, url="https://vk.com/wall-999_1?reply=2")
    assert publishing.page_for(incident) is None
    with pytest.raises(Invalid, match="не зарегистрирована"):
        request(demo, incident)
    svc.incident_publish(access=acc(demo, "curator"), incident_id=incident.pk,
                         published_url="https://vk.com/wall-999_1?reply=3")


def test_another_municipalitys_page_is_never_used(demo: dict[str, Any], sandbox: World) -> None:
    from otklik.org.models import Region

    other = Municipality.objects.create(region=Region.objects.get(), name="Соседнее СП", slug="sosednee")
    page_register(municipality_slug="sosednee", network="vk", url="https://vk.com/adm321", external_id="321",
                  token=VK_TOKEN)
    incident, _ = approved(demo, sandbox, register=False)
    assert other.pk and publishing.page_for(incident) is None


def test_only_a_curator_of_the_municipality_may_ask(demo: dict[str, Any], sandbox: World) -> None:
    incident, _ = approved(demo, sandbox)
    for login in ("executor", "region"):
        with pytest.raises(TransitionError):
            publishing.publication_request(access=acc(demo, login), incident_id=incident.pk, at=T0)
    assert not Publication.objects.exists()


def test_too_long_for_the_network_is_refused_before_anything_goes(demo: dict[str, Any], sandbox: World,
                                                                  settings: Any) -> None:
    from otklik.channels import clients

    settings.OTKLIK_MAX_TEXT = 40000
    incident, _ = approved(demo, sandbox, text="Здравствуйте, Анна! " + "Яму засыплем. " * 1200)
    assert len(incident.drafts.last().text) > clients.max_text("vk")  # type: ignore[union-attr]
    with pytest.raises(Invalid, match="не больше"):
        request(demo, incident)


def test_the_token_never_reaches_the_database_or_history_in_the_clear(demo: dict[str, Any], sandbox: World) -> None:
    incident, _ = approved(demo, sandbox)
    pub = request(demo, incident)
    publishing.publication_attempt(pub.pk, at=T0)
    with connection.cursor() as cur:
        for table in ("pages_officialpage", "incidents_publication", "incidents_incidentevent",
                      "notifications_notification"):
            cur.execute(f"SELECT * FROM {table}")  # noqa: S608  (a fixed list of our tables)
            assert VK_TOKEN not in repr(cur.fetchall()), table
