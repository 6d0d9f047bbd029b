"""The real MAX client against the sandbox's MAX over loopback HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest

from otklik.channels.base import ErrorKind, Media, NetworkError, PageAccess, Poll, Target
from otklik.channels.max.client import Client
from otklik.channels.max.standin import number, set_closed
from otklik.channels.sandbox.server import api_urls, running
from otklik.channels.sandbox.world import Failure, SbPage, World

CHAT = "-70000000000005"


@pytest.fixture
def sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[World, Client]]:
    monkeypatch.setenv("OTKLIK_NETWORK_TIMEOUT", "1")
    monkeypatch.setattr(Client, "per_chat_per_second", 1000.0)  # MAX's 2/s would only slow the test
    token = f"tok-{uuid.uuid4().hex}"
    with running() as (world, base):
        for name, value in api_urls(base).items():
            monkeypatch.setenv(name, value)
        world.timeout_delay = 1.5
        world.add_page(SbPage(network="max", external_id=CHAT, name="Администрация", token=token,
                              screen_name="gorod"))
        yield world, Client(PageAccess(external_id=CHAT, token=token, public_url="https://max.ru/gorod"))


def _post(world: World, client: Client) -> tuple[str, int]:
    published = client.publish_post("Ремонт дороги")
    return published.post_id, number(published.post_id)


def test_publish_reply_find_and_comments(sandbox: tuple[World, Client]) -> None:
    world, client = sandbox
    assert client.check().ok
    published = client.publish_post("Ремонт дороги", [Media(name="road.jpg", content=b"jpeg")])
    assert published.url.startswith("https://max.ru/gorod/")
    page = world.page("max", CHAT)
    assert page is not None and page.posts[number(published.post_id)].attachments == ["photo:road.jpg"]
    asked = world.citizen_comment("max", CHAT, number(published.post_id), "Когда починят?")
    first = client.comments(published.post_id)
    assert [(c.text, c.author_id, c.from_page) for c in first.comments] == [("Когда починят?", "7001", False)]
    target = Target(published.post_id, first.comments[0].id)
    reply = client.reply(target, "В мае.")
    assert page.comments[number(reply.comment_id)].author_id == "page"
    assert page.comments[number(reply.comment_id)].reply_to == asked.id
    assert client.find_reply(target, "В мае.") == reply
    assert client.find_reply(target, "Иначе") is None
    second = client.comments(published.post_id, first.marker)
    assert [(c.text, c.from_page, c.reply_to) for c in second.comments] == [("В мае.", True, target.comment_id)]
    assert client.comments(published.post_id, second.marker).comments == []  # nothing read twice
    updates = client.new_comments()
    assert [c.text for c in updates.comments] == ["Когда починят?", "В мае."]
    assert client.new_comments(updates.marker).comments == []
    assert client.resolve_url(published.url) == Target(published.post_id)


def test_fetch_delete_ban(sandbox: tuple[World, Client]) -> None:
    world, client = sandbox
    post_id, n = _post(world, client)
    asked = world.citizen_comment("max", CHAT, n, "Спам", author_id="7002")
    target = Target(post_id, f"mid.{asked.id:032x}")
    assert client.fetch_post(post_id).text == "Ремонт дороги"
    comment = client.fetch_comment(target)
    assert (comment.text, comment.author_id) == ("Спам", "7002")
    client.delete_comment(target)
    with pytest.raises(NetworkError) as gone:
        client.fetch_comment(target)
    assert gone.value.kind is ErrorKind.NOT_FOUND
    assert world.updates[-1].type == "comment_delete"
    with pytest.raises(NetworkError) as restore:
        client.restore_comment(target)
    assert restore.value.kind is ErrorKind.UNSUPPORTED
    client.ban("7002", "спам")
    page = world.page("max", CHAT)
    assert page is not None and "7002" in page.banned
    with pytest.raises(NetworkError) as unban:
        client.unban("7002")
    assert unban.value.kind is ErrorKind.UNSUPPORTED
    client.delete_comment(Target(post_id))
    assert client.fetch_post(post_id).exists is False


@pytest.mark.parametrize(("kind", "expected"), [
    ("rate_limit", ErrorKind.RATE_LIMITED), ("server_error", ErrorKind.RETRY),
    ("token_invalid", ErrorKind.TOKEN_INVALID), ("timeout", ErrorKind.TIMEOUT),
])
def test_injected_failures(sandbox: tuple[World, Client], kind: str, expected: ErrorKind) -> None:
    world, client = sandbox
    post_id, _ = _post(world, client)
    world.fail(Failure(network="max", method="sendComment", kind=kind))
    with pytest.raises(NetworkError) as caught:
        client.reply(Target(post_id), "Ответ")
    assert caught.value.kind is expected
    if expected is ErrorKind.RATE_LIMITED:
        assert caught.value.retry_after == 1.0
    assert client.reply(Target(post_id), "Ответ").comment_id  # the next call goes through


def test_timeout_after_accept_is_found_not_repeated(sandbox: tuple[World, Client]) -> None:
    world, client = sandbox
    post_id, n = _post(world, client)
    asked = world.citizen_comment("max", CHAT, n, "Вопрос")
    target = Target(post_id, f"mid.{asked.id:032x}")
    world.fail(Failure(network="max", method="sendComment", kind="timeout", after_accept=True))
    with pytest.raises(NetworkError) as caught:
        client.reply(target, "Ответ на вопрос")
    assert caught.value.kind is ErrorKind.TIMEOUT
    found = client.find_reply(target, "Ответ на вопрос")  # look before any retry
    assert found is not None
    page = world.page("max", CHAT)
    assert page is not None
    ours = [c for c in page.comments.values() if c.author_id == "page"]
    assert len(ours) == 1 and found.comment_id == f"mid.{ours[0].id:032x}"


def test_wrong_token(sandbox: tuple[World, Client]) -> None:
    _, client = sandbox
    stranger = Client(PageAccess(external_id=CHAT, token="not-the-token"))
    result = stranger.check()
    assert not result.ok and "Ключ доступа" in result.problem
    assert client.check().ok


# ---------------------------------------------------------------- official posts
def test_poll_edit_delete(sandbox: tuple[World, Client]) -> None:
    world, client = sandbox
    page = world.page("max", CHAT)
    assert page is not None
    with pytest.raises(NetworkError) as caught:
        client.publish_post("Субботник", poll=Poll("Придёте?", ("Да", "Нет")))
    assert caught.value.kind is ErrorKind.UNSUPPORTED and page.posts == {}
    published = client.publish_post("Ремонт дороги", [Media(name="road.jpg", content=b"jpeg")])
    client.edit_post(published.post_id, "Ремонт дороги перенесён")
    post = page.posts[number(published.post_id)]
    assert (post.text, post.attachments) == ("Ремонт дороги перенесён", ["photo:road.jpg"])
    client.delete_post(published.post_id)
    assert post.deleted
    actions: list[Callable[[], object]] = [lambda: client.delete_post(published.post_id),
                                           lambda: client.edit_post(published.post_id, "Ещё раз")]
    for action in actions:
        with pytest.raises(NetworkError) as gone:
            action()
        assert gone.value.kind is ErrorKind.NOT_FOUND


def test_find_post_after_timeout_after_accept(sandbox: tuple[World, Client]) -> None:
    world, client = sandbox
    client.publish_post("Другая запись")
    world.fail(Failure(network="max", method="sendMessage", kind="timeout", after_accept=True))
    with pytest.raises(NetworkError) as caught:
        client.publish_post("Собрание жителей в четверг")
    assert caught.value.kind is ErrorKind.TIMEOUT
    found = client.find_post("Собрание жителей в четверг")  # look before any retry
    page = world.page("max", CHAT)
    assert page is not None and found is not None
    made = [p for p in page.posts.values() if p.text == "Собрание жителей в четверг"]
    assert len(made) == 1 and found.post_id == f"mid.{made[0].id:032x}"
    assert found.url.startswith("https://max.ru/gorod/")
    assert client.find_post("Такой записи нет") is None


def test_injected_failures_on_new_methods(sandbox: tuple[World, Client]) -> None:
    world, client = sandbox
    post_id, n = _post(world, client)
    world.fail(Failure(network="max", method="editMessage", kind="rate_limit"))
    with pytest.raises(NetworkError) as caught:
        client.edit_post(post_id, "Новый текст")
    assert caught.value.kind is ErrorKind.RATE_LIMITED
    world.fail(Failure(network="max", method="deleteMessage", kind="server_error"))
    with pytest.raises(NetworkError) as caught:
        client.delete_post(post_id)
    assert caught.value.kind is ErrorKind.RETRY
    world.fail(Failure(network="max", method="getMessages", kind="token_invalid"))
    with pytest.raises(NetworkError) as caught:
        client.find_post("Ремонт дороги")
    assert caught.value.kind is ErrorKind.TOKEN_INVALID
    world.fail(Failure(network="max", method="getChat", kind="timeout"))
    with pytest.raises(NetworkError) as caught:
        client.page_status()
    assert caught.value.kind is ErrorKind.TIMEOUT
    page = world.page("max", CHAT)
    assert page is not None and page.posts[n].text == "Ремонт дороги" and not page.posts[n].deleted


def test_page_status_open_and_closed(sandbox: tuple[World, Client]) -> None:
    world, client = sandbox
    page = world.page("max", CHAT)
    assert page is not None
    status = client.page_status()
    assert (status.name, status.open, status.comments_open) == ("Администрация", True, True)
    assert "не сообщает" in status.detail  # comments cannot be told through the Bot API
    set_closed(world, page, private=True)
    status = client.page_status()
    assert status.open is False and "не публичный" in status.detail
    set_closed(world, page, closed=True)
    status = client.page_status()
    assert status.open is False and "закрыт" in status.detail
    set_closed(world, page)
    assert client.page_status().open is True
