"""The real OK client against the sandbox's OK over loopback HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest

from otklik.channels.base import (
    ErrorKind,
    Media,
    NetworkError,
    PageAccess,
    Poll,
    RateLimiter,
    Target,
)
from otklik.channels.ok import standin
from otklik.channels.ok.client import Client
from otklik.channels.sandbox.server import api_urls, running
from otklik.channels.sandbox.world import Failure, SbPage, World

GID = "54116239147097"


@pytest.fixture
def sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[World, Client]]:
    monkeypatch.setenv("OTKLIK_NETWORK_TIMEOUT", "1")
    token = "tkn1" + uuid.uuid4().hex
    with running() as (world, base):
        world.timeout_delay = 1.5
        world.add_page(SbPage(network="ok", external_id=GID, name="Администрация города", token=token))
        monkeypatch.setenv("OTKLIK_OK_API_URL", api_urls(base)["OTKLIK_OK_API_URL"])
        client = Client(PageAccess(external_id=GID, token=token, app_key=standin.APP_KEY,
                                   app_secret=standin.APP_SECRET))
        client._limiter = RateLimiter(10_000)  # the per-token limiter is tested in test_client
        yield world, client
        client.http.close()


def test_publish_reply_find_and_poll(sandbox: tuple[World, Client]) -> None:
    world, client = sandbox
    published = client.publish_post("Плановое отключение воды", [Media("plan.jpg", b"\xff\xd8data")])
    page = world.page("ok", GID)
    assert page is not None
    post = page.posts[int(published.post_id)]
    assert post.text == "Плановое отключение воды" and post.attachments == ["photo:plan.jpg"]
    assert published.url == f"https://ok.ru/group/{GID}/topic/{published.post_id}"

    asked = world.citizen_comment("ok", GID, post.id, "Когда дадут воду?")
    target = Target(published.post_id, str(asked.id))
    first = client.comments(published.post_id)
    assert [(c.id, c.text, c.from_page) for c in first.comments] == [(str(asked.id), "Когда дадут воду?", False)]

    reply = client.reply(target, "Завтра к 18:00.")
    stored = page.comments[int(reply.comment_id)]
    assert (stored.author_id, stored.reply_to, stored.text) == ("page", asked.id, "Завтра к 18:00.")
    assert client.find_reply(target, "Завтра к 18:00.\n") == reply
    assert client.find_reply(target, "Послезавтра.") is None

    again = client.comments(published.post_id, first.marker)
    assert [(c.id, c.from_page, c.reply_to) for c in again.comments] == [
        (reply.comment_id, True, str(asked.id))]
    assert client.comments(published.post_id, again.marker).comments == []

    fetched = client.fetch_comment(target)
    assert (fetched.text, fetched.author_id) == ("Когда дадут воду?", "7001")
    state = client.fetch_post(published.post_id)
    assert (state.exists, state.text) == (True, "Плановое отключение воды")
    assert client.fetch_post("999999").exists is False


def test_paging_reads_every_comment_once(sandbox: tuple[World, Client]) -> None:
    world, client = sandbox
    post = client.publish_post("Опрос")
    for n in range(230):
        world.citizen_comment("ok", GID, int(post.post_id), f"Комментарий {n}")
    batch = client.comments(post.post_id)
    assert [c.text for c in batch.comments] == [f"Комментарий {n}" for n in range(230)]
    world.citizen_comment("ok", GID, int(post.post_id), "Последний")
    assert [c.text for c in client.comments(post.post_id, batch.marker).comments] == ["Последний"]


def test_delete_restore_ban_unban(sandbox: tuple[World, Client]) -> None:
    world, client = sandbox
    post = client.publish_post("Новость")
    bad = world.citizen_comment("ok", GID, int(post.post_id), "спам", author_id="8002")
    client.delete_comment(Target(post.post_id, str(bad.id)), block_author=True)
    page = world.page("ok", GID)
    assert page is not None and page.comments[bad.id].deleted and "8002" in page.banned
    assert [u.type for u in world.updates_after("ok", 0)][-1] == "comment_delete"
    with pytest.raises(NetworkError) as caught:
        client.fetch_comment(Target(post.post_id, str(bad.id)))
    assert caught.value.kind is ErrorKind.NOT_FOUND
    calls: list[Callable[[], None]] = [
        lambda: client.restore_comment(Target(post.post_id, str(bad.id))),
        lambda: client.ban("8002"), lambda: client.unban("8002")]
    for call in calls:
        with pytest.raises(NetworkError) as caught:
            call()
        assert caught.value.kind is ErrorKind.UNSUPPORTED


def test_check(sandbox: tuple[World, Client]) -> None:
    _, client = sandbox
    result = client.check()
    assert result.ok and result.name == "Администрация города"


def test_wrong_secret_and_token_are_refused_like_ok(sandbox: tuple[World, Client]) -> None:
    _, client = sandbox
    wrong_secret = Client(PageAccess(external_id=GID, token=client.page.token,
                                     app_key=standin.APP_KEY, app_secret="other"))
    with pytest.raises(NetworkError) as caught:
        wrong_secret.fetch_post("1")
    assert (caught.value.kind, caught.value.code) == (ErrorKind.TOKEN_INVALID, 104)
    wrong_key = Client(PageAccess(external_id=GID, token=client.page.token, app_key="OTHER",
                                  app_secret=standin.APP_SECRET))
    with pytest.raises(NetworkError) as caught:
        wrong_key.fetch_post("1")
    assert caught.value.code == 101
    result = Client(PageAccess(external_id=GID, token="revoked", app_key=standin.APP_KEY,
                               app_secret=standin.APP_SECRET)).check()
    assert not result.ok and "Ключ доступа" in result.problem


@pytest.mark.parametrize(("kind", "expected"), [
    ("rate_limit", ErrorKind.RATE_LIMITED),
    ("server_error", ErrorKind.RETRY),
    ("token_invalid", ErrorKind.TOKEN_INVALID),
    ("timeout", ErrorKind.TIMEOUT),
])
def test_injected_failures(sandbox: tuple[World, Client], kind: str, expected: ErrorKind) -> None:
    world, client = sandbox
    post = client.publish_post("Новость")
    world.fail(Failure(network="ok", method="discussions.addDiscussionComment", kind=kind))
    with pytest.raises(NetworkError) as caught:
        client.reply(Target(post.post_id), "Ответ")
    assert caught.value.kind is expected
    page = world.page("ok", GID)
    assert page is not None and page.thread(int(post.post_id)) == []  # nothing was carried out
    assert client.reply(Target(post.post_id), "Ответ").comment_id  # the failure was used up


def test_timeout_after_accept_is_found_not_repeated(sandbox: tuple[World, Client]) -> None:
    world, client = sandbox
    post = client.publish_post("Новость")
    asked = world.citizen_comment("ok", GID, int(post.post_id), "Вопрос")
    target = Target(post.post_id, str(asked.id))
    world.fail(Failure(network="ok", method="discussions.addDiscussionComment", kind="timeout",
                       after_accept=True))
    with pytest.raises(NetworkError) as caught:
        client.reply(target, "Ответ на вопрос")
    assert caught.value.kind is ErrorKind.TIMEOUT
    found = client.find_reply(target, "Ответ на вопрос")  # the worker looks before any retry
    assert found is not None
    page = world.page("ok", GID)
    assert page is not None
    assert [c.text for c in page.thread(int(post.post_id)) if c.author_id == "page"] == ["Ответ на вопрос"]


# -- the official-pages methods
def test_publish_with_poll_edit_and_delete(sandbox: tuple[World, Client]) -> None:
    world, client = sandbox
    page = world.page("ok", GID)
    assert page is not None
    voted = client.publish_post("Выберите место для сквера", poll=Poll("Где сквер?", ("У школы", "У реки")))
    post = page.posts[int(voted.post_id)]
    assert (post.text, post.attachments) == ("Выберите место для сквера", ["poll:Где сквер?"])
    assert standin.poll_of(world, post.id) == {"question": "Где сквер?", "answers": ["У школы", "У реки"],
                                               "options": "SingleChoice"}
    with pytest.raises(NetworkError) as refused:  # editing would strip the poll: refused, untouched
        client.edit_post(voted.post_id, "Другой текст")
    assert refused.value.kind is ErrorKind.UNSUPPORTED
    assert post.attachments == ["poll:Где сквер?"] and post.text == "Выберите место для сквера"

    plain = client.publish_post("Отключение воды 5 мая")
    client.edit_post(plain.post_id, "Отключение воды 6 мая")
    assert page.posts[int(plain.post_id)].text == "Отключение воды 6 мая"
    assert client.fetch_post(plain.post_id).text == "Отключение воды 6 мая"

    client.delete_post(plain.post_id)
    assert page.posts[int(plain.post_id)].deleted and client.fetch_post(plain.post_id).exists is False
    with pytest.raises(NetworkError) as gone:
        client.delete_post(plain.post_id)
    assert gone.value.kind is ErrorKind.NOT_FOUND
    with pytest.raises(NetworkError) as edit_gone:
        client.edit_post(plain.post_id, "ещё")
    assert edit_gone.value.kind is ErrorKind.NOT_FOUND


def test_timeout_after_accept_then_find_post_never_twice(sandbox: tuple[World, Client]) -> None:
    world, client = sandbox
    client.publish_post("Старое объявление", [Media("old.jpg", b"\xff\xd8")])
    world.fail(Failure(network="ok", method="mediatopic.post", kind="timeout", after_accept=True))
    with pytest.raises(NetworkError) as caught:
        client.publish_post("Отключение воды 5 мая")
    assert caught.value.kind is ErrorKind.TIMEOUT

    found = client.find_post(" Отключение воды 5 мая ")  # the worker looks before any retry
    assert found is not None
    page = world.page("ok", GID)
    assert page is not None
    assert [p.id for p in page.posts.values() if p.text == "Отключение воды 5 мая"] == [int(found.post_id)]
    assert found.url == f"https://ok.ru/group/{GID}/topic/{found.post_id}"
    assert client.find_post("Отключение газа") is None
    client.delete_post(found.post_id)
    assert client.find_post("Отключение воды 5 мая") is None


def test_page_status_open_and_closed(sandbox: tuple[World, Client]) -> None:
    world, client = sandbox
    status = client.page_status()
    assert (status.name, status.open, status.comments_open) == ("Администрация города", True, True)
    assert "комментарии" in status.detail  # OK cannot tell: said, not guessed
    standin.set_group(world, GID, access_type="CLOSED")
    closed = client.page_status()
    assert (closed.open, closed.comments_open) == (False, True) and "закрытая" in closed.detail
    assert client.check().ok  # check() asks group.getInfo for uid,name only: unaffected


@pytest.mark.parametrize(("method", "kind", "expected"), [
    ("mediatopic.edit", "rate_limit", ErrorKind.RATE_LIMITED),
    ("mediatopic.deleteTopic", "server_error", ErrorKind.RETRY),
    ("mediatopic.getTopics", "token_invalid", ErrorKind.TOKEN_INVALID),
    ("group.getInfo", "timeout", ErrorKind.TIMEOUT),
])
def test_injected_failures_on_page_methods(sandbox: tuple[World, Client], method: str, kind: str,
                                           expected: ErrorKind) -> None:
    world, client = sandbox
    topic = client.publish_post("Новость")
    page = world.page("ok", GID)
    assert page is not None
    post = page.posts[int(topic.post_id)]
    calls: dict[str, Callable[[], object]] = {
        "mediatopic.edit": lambda: client.edit_post(topic.post_id, "Правка"),
        "mediatopic.deleteTopic": lambda: client.delete_post(topic.post_id),
        "mediatopic.getTopics": lambda: client.find_post("Новость"),
        "group.getInfo": lambda: client.page_status()}
    world.fail(Failure(network="ok", method=method, kind=kind))
    with pytest.raises(NetworkError) as caught:
        calls[method]()
    assert caught.value.kind is expected
    assert post.text == "Новость" and not post.deleted  # nothing was carried out
    calls[method]()  # used up: the next call goes through
