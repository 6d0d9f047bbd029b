"""A worker killed with SIGKILL in the middle of a delivery and of a publication: after a
restart nothing is lost and nothing is sent twice (issue 14).

«Time passes» is written into the rows the recovery looks at (how long a row has been
«sending»), instead of waiting the minutes a real outage takes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from otklik.channels.sandbox.demo_world import demo_world, sandbox_env
from otklik.channels.sandbox.server import running
from otklik.channels.sandbox.world import Failure, World
from otklik.core.models import Ticker
from otklik.incidents import publishing
from otklik.incidents.models import Incident, Publication, Status
from otklik.notifications.models import Notification
from otklik.notifications.services import notify
from otklik.org.demo import demo_load
from otklik.org.models import Municipality, Person
from otklik.org.selectors import access_for
from tests.faults.conftest import WORKER, Proc, SmtpPeer, wait_for

pytestmark = [pytest.mark.faults, pytest.mark.postgres]


def test_a_delivery_cut_by_sigkill_goes_out_once_after_the_restart(
        pg_env: dict[str, str], smtp: SmtpPeer, procs: Callable[..., Proc]) -> None:
    demo_load()
    env = {**pg_env, "EMAIL_URL": smtp.url}
    smtp.recorder.hold = "Прерванное"
    first = procs(*WORKER, env=env, name="worker-killed")
    notify(municipality=Municipality.objects.get(slug="plastunovskoe"), recipients=[], key="kill:1",
           subject="Прерванное письмо", body="Письмо, на котором обработчик умрёт.",
           extra_addresses=["zhkh@example.test"])
    assert smtp.recorder.held.wait(60), first.output()[-3000:]
    first.kill()  # in the middle of DATA: the peer has the letter but has not said 250
    smtp.recorder.hold = ""
    smtp.recorder.release.set()
    wait_for(lambda: smtp.recorder.dropped, 10, "почтовый сервер увидел обрыв")
    letter = Notification.objects.get(key="kill:1:email:zhkh@example.test")
    assert letter.state == Notification.State.SENDING
    assert "Прерванное письмо" not in smtp.recorder.subjects

    # The row stays «sending» until it is clearly a dead worker's; then the sweep retries it.
    Notification.objects.filter(pk=letter.pk).update(sending_since=timezone.now() - timedelta(hours=1))
    procs(*WORKER, env=env, name="worker-restarted")
    wait_for(lambda: Notification.objects.get(pk=letter.pk).state == Notification.State.SENT, 60,
             "письмо отправлено после перезапуска")
    assert smtp.recorder.subjects.count("Прерванное письмо") == 1


@pytest.fixture
def world() -> Iterator[tuple[World, dict[str, str]]]:
    with running(demo_world()) as (world, base):
        yield world, sandbox_env(base.removeprefix("http://"))


def _replies(world: World, incident: Incident) -> list[Any]:
    pub = Publication.objects.filter(incident=incident).select_related("page").first()
    assert pub is not None
    page = world.pages[(pub.page.network, pub.page.external_id)]
    return [c for c in page.comments.values() if c.author_id == "page"]


def test_a_publication_cut_by_sigkill_is_found_not_sent_again(
        pg_env: dict[str, str], world: tuple[World, dict[str, str]], procs: Callable[..., Proc]) -> None:
    from otklik.incidents.demo import demo_incidents_load

    sandbox, urls = world
    demo_load()
    demo_incidents_load()
    env = {**pg_env, **urls}
    incident = Incident.objects.get(municipality__slug="plastunovskoe", status=Status.APPROVED, network="vk")
    # VK takes the reply and then holds its answer: the worker dies waiting for it.
    sandbox.timeout_delay = 60
    sandbox.fail(Failure(network="vk", method="wall.createComment", kind="timeout", after_accept=True))
    first = procs(*WORKER, env=env, name="worker-killed")
    curator = access_for(Person.objects.get(user__username="curator").user)
    pub = publishing.publication_request(access=curator, incident_id=incident.pk)
    wait_for(lambda: _replies(sandbox, incident), 60, "ответ появился в сети")
    first.kill()
    pub.refresh_from_db()
    assert pub.state == Publication.State.SENDING and pub.maybe_sent
    assert Incident.objects.get(pk=incident.pk).status == Status.APPROVED

    # Later than any network call could last: the sweep takes the row as a dead worker's.
    Publication.objects.filter(pk=pub.pk).update(sending_since=timezone.now() - timedelta(hours=1))
    Ticker.objects.filter(name="publications-sweep").update(last_run=None)
    procs(*WORKER, env=env, name="worker-restarted")
    wait_for(lambda: Publication.objects.get(pk=pub.pk).state == Publication.State.DONE, 60,
             "публикация завершена после перезапуска")
    assert len(_replies(sandbox, incident)) == 1  # found in the network, not posted again
    incident.refresh_from_db()
    assert incident.status == Status.PUBLISHED and incident.published_url.startswith("https://vk.com/")
    assert [name for network, name in sandbox.calls if network == "vk"].count("wall.createComment") == 1
