"""The real Telegram client against the sandbox's stand-in over loopback HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest

from otklik.channels.base import ErrorKind, Media, NetworkError, PageAccess, Poll, Target
from otklik.channels.sandbox.server import running
from otklik.channels.sandbox.world import Failure, SbPage, World
from otklik.channels.telegram import client as tg
from otklik.channels.telegram.client import Client
from otklik.channels.telegram.standin import set_closed

CHANNEL = "@gorod"
GROUP = "-1009876543210"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[tuple[World, str]]:
    # One server for the file: leaving `running()` takes ~0.5 s (serve_forever's poll interval).
    with running() as found:
        yield found


@pytest.fixture
def env(sandbox: tuple[World, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[World, Client, SbPage]]:
    world, base = sandbox
    with world.lock:  # a clean world for every test
        world.pages.clear()
        world.updates.clear()
        world.failures.clear()
        world.calls.clear()
    monkeypatch.setenv("OTKLIK_NETWORK_TIMEOUT", "1")
    # Real per-chat spacing (3 s a group message) would make this file slow; the limiter has
    # its own test in test_client.py. A fresh token per test gives fresh limiters.
    monkeypatch.setattr(tg, "GROUP_PER_SECOND", 1000.0)
    monkeypatch.setattr(tg, "CHANNEL_PER_SECOND", 1000.0)
    token = f"{uuid.uuid4().int % 10**9}:AAH{uuid.uuid4().hex}"
    world.timeout_delay = 1.5
    page = world.add_page(SbPage(network="telegram", external_id=CHANNEL, name="Город", token=token,
                                 discussion_chat_id=GROUP, screen_name="gorod"))
    set_closed(world, page)  # public, comments open (the state outlives `world.pages.clear()`)
    client = Client(PageAccess(external_id=CHANNEL, token=token, discussion_chat_id=GROUP),
                    base_url=f"{base}/telegram")
    yield world, client, page
    client.close()


def page_replies(page: SbPage) -> list[str]:
    return [c.text for c in page.comments.values() if c.author_id == "page"]


def test_check_reports_the_bot_rights(env: tuple[World, Client, SbPage]) -> None:
    _, client, _ = env
    result = client.check()
    assert result.ok, result
    assert result.name == "Город"
    assert result.missing == ()


def test_publish_text_photo_and_album(env: tuple[World, Client, SbPage]) -> None:
    _, client, page = env
    text = client.publish_post("Отключение воды 5 мая")
    assert text.url == f"https://t.me/gorod/{text.post_id}"
    assert page.posts[int(text.post_id)].text == "Отключение воды 5 мая"

    photo = client.publish_post("Ремонт дороги", [Media("road.jpg", b"\xff\xd8jpeg")])
    post = page.posts[int(photo.post_id)]
    assert (post.text, post.attachments) == ("Ремонт дороги", ["photo:road.jpg"])

    album = client.publish_post("Субботник", [Media("a.jpg", b"1"), Media("b.mp4", b"2", kind="video")])
    assert page.posts[int(album.post_id)].attachments == ["photo:a.jpg", "video:b.mp4"]
    assert page.posts[int(album.post_id)].text == "Субботник"


def test_comments_replies_and_marker(env: tuple[World, Client, SbPage]) -> None:
    world, client, page = env
    published = client.publish_post("Запись о ремонте")
    batch = client.comments("")
    assert batch.comments == []
    assert client.thread_ids[published.post_id]  # learned from the automatic forward

    citizen = world.citizen_comment("telegram", CHANNEL, int(published.post_id), "Когда починят?")
    batch = client.comments("", batch.marker)
    assert [(c.id, c.post_id, c.text, c.author_id, c.from_page) for c in batch.comments] == [
        (str(citizen.id), published.post_id, "Когда починят?", "7001", False)]
    assert client.comments("", batch.marker).comments == []  # nothing is read twice

    answer = client.reply(Target(published.post_id, str(citizen.id)), "Завтра к 18:00")
    stored = page.comments[int(answer.comment_id)]
    assert (stored.author_id, stored.reply_to, stored.text) == ("page", citizen.id, "Завтра к 18:00")
    assert answer.url == f"https://t.me/gorod/{published.post_id}?comment={answer.comment_id}"

    to_post = client.reply(Target(published.post_id), "Подробности на сайте")
    assert page.comments[int(to_post.comment_id)].reply_to == 0
    # Like the real Bot API, the bot never sees its own messages in updates.
    follow = world.citizen_comment("telegram", CHANNEL, int(published.post_id), "Спасибо",
                                   author_id="7002", reply_to=stored.id)
    later = client.comments("", batch.marker)
    assert [(c.id, c.reply_to, c.post_id) for c in later.comments] == [
        (str(follow.id), str(stored.id), published.post_id)]


def test_comment_on_a_post_the_client_never_saw(env: tuple[World, Client, SbPage]) -> None:
    world, client, page = env
    post = page.add_post("Старая запись")
    with pytest.raises(NetworkError) as caught:
        client.reply(Target(str(post.id)), "Ответ")
    assert caught.value.kind is ErrorKind.NOT_FOUND
    world.citizen_comment("telegram", CHANNEL, post.id, "Вопрос")
    batch = client.comments("")
    assert batch.comments[0].post_id == str(post.id)  # from reply_to_message's forward_origin
    client.reply(Target(str(post.id)), "Ответ")  # the copy's id is known now
    assert page_replies(page) == ["Ответ"]


def test_find_reply_is_unsupported(env: tuple[World, Client, SbPage]) -> None:
    world, client, _ = env
    post = client.publish_post("Запись")
    citizen = world.citizen_comment("telegram", CHANNEL, int(post.post_id), "Вопрос")
    client.reply(Target(post.post_id, str(citizen.id)), "Ответ")
    for text in ("Ответ", "Другой текст"):
        with pytest.raises(NetworkError) as caught:
            client.find_reply(Target(post.post_id, str(citizen.id)), text)
        assert caught.value.kind is ErrorKind.UNSUPPORTED


def test_delete_restore_ban_unban(env: tuple[World, Client, SbPage]) -> None:
    world, client, page = env
    post = client.publish_post("Запись")
    spam = world.citizen_comment("telegram", CHANNEL, int(post.post_id), "Спам", author_id="7005")
    client.delete_comment(Target(post.post_id, str(spam.id)))
    assert page.comments[spam.id].deleted
    with pytest.raises(NetworkError) as caught:
        client.delete_comment(Target(post.post_id, str(spam.id)))
    assert caught.value.kind is ErrorKind.NOT_FOUND
    with pytest.raises(NetworkError) as caught:
        client.restore_comment(Target(post.post_id, str(spam.id)))
    assert caught.value.kind is ErrorKind.UNSUPPORTED

    client.ban("7005", "спам")
    assert "7005" in page.banned
    client.ban("-1001111111111")  # a citizen who wrote as their own channel
    assert "-1001111111111" in page.banned
    client.unban("7005")
    client.unban("-1001111111111")
    assert page.banned == {}


def test_fetch_post_and_comment(env: tuple[World, Client, SbPage]) -> None:
    _, client, _ = env
    post = client.publish_post("Текст записи")
    state = client.fetch_post(post.post_id)
    assert (state.id, state.text, state.exists, state.comments_open) == (post.post_id, "Текст записи", True, True)
    with pytest.raises(NetworkError) as caught:
        client.fetch_comment(Target(post.post_id, "5"))
    assert caught.value.kind is ErrorKind.UNSUPPORTED


@pytest.mark.parametrize(("kind", "expected"), [
    ("rate_limit", ErrorKind.RATE_LIMITED),
    ("server_error", ErrorKind.RETRY),
    ("token_invalid", ErrorKind.TOKEN_INVALID),
])
def test_injected_failures(env: tuple[World, Client, SbPage], kind: str, expected: ErrorKind) -> None:
    world, client, page = env
    world.fail(Failure(network="telegram", method="sendMessage", kind=kind, retry_after=7))
    with pytest.raises(NetworkError) as caught:
        client.publish_post("Запись")
    assert caught.value.kind is expected
    if kind == "rate_limit":
        assert caught.value.retry_after == 7
    assert page.posts == {}
    client.publish_post("Запись")  # the failure was used up
    assert len(page.posts) == 1


def test_wrong_token(env: tuple[World, Client, SbPage]) -> None:
    _, client, _ = env
    other = Client(PageAccess(external_id=CHANNEL, token="1:wrong", discussion_chat_id=GROUP),
                   base_url=client.base_url)
    result = other.check()  # a bad token is check()'s answer, not an exception
    assert not result.ok
    assert "Ключ доступа" in result.problem and "Unauthorized" in result.problem
    with pytest.raises(NetworkError) as caught:
        other.publish_post("Запись")
    assert caught.value.kind is ErrorKind.TOKEN_INVALID
    assert "wrong" not in str(caught.value)


def test_timeout_before_the_action(env: tuple[World, Client, SbPage]) -> None:
    world, client, page = env
    post = client.publish_post("Запись")
    citizen = world.citizen_comment("telegram", CHANNEL, int(post.post_id), "Вопрос")
    world.fail(Failure(network="telegram", method="sendMessage", kind="timeout"))
    with pytest.raises(NetworkError) as caught:
        client.reply(Target(post.post_id, str(citizen.id)), "Ответ")
    assert caught.value.kind is ErrorKind.TIMEOUT
    assert page_replies(page) == []


def test_timeout_after_accept_is_never_retried_blindly(env: tuple[World, Client, SbPage]) -> None:
    world, client, page = env
    post = client.publish_post("Запись")
    citizen = world.citizen_comment("telegram", CHANNEL, int(post.post_id), "Вопрос")
    target = Target(post.post_id, str(citizen.id))
    world.fail(Failure(network="telegram", method="sendMessage", kind="timeout", after_accept=True))
    with pytest.raises(NetworkError) as caught:
        client.reply(target, "Ответ")
    assert caught.value.kind is ErrorKind.TIMEOUT
    assert page_replies(page) == ["Ответ"]  # it went out
    # The system looks before it retries; Telegram cannot show it, so it must stop and ask a
    # person — and the reply stays single.
    with pytest.raises(NetworkError) as looked:
        client.find_reply(target, "Ответ")
    assert looked.value.kind is ErrorKind.UNSUPPORTED
    assert page_replies(page) == ["Ответ"]


# -- official posts -------------------------------------------------------------------------
def test_publish_with_a_poll(env: tuple[World, Client, SbPage]) -> None:
    _, client, page = env
    published = client.publish_post("Субботник 20 апреля", poll=Poll("Придёте?", ("Да", "Нет"), multiple=True))
    post = page.posts[int(published.post_id)]
    assert (post.text, post.attachments) == ("Субботник 20 апреля", [])
    poll = page.posts[int(client.poll_ids[published.post_id])]
    assert poll.text == "" and poll.attachments[0].startswith("poll:")
    assert '"question": "Придёте?"' in poll.attachments[0] and '"multiple": true' in poll.attachments[0]
    alone = client.publish_post("", poll=Poll("Нужна ли парковка?", ("Да", "Нет")))
    assert page.posts[int(alone.post_id)].attachments[0].startswith("poll:")


def test_edit_and_delete_posts(env: tuple[World, Client, SbPage]) -> None:
    _, client, page = env
    text = client.publish_post("Отключение воды 5 мая")
    client.edit_post(text.post_id, "Отключение воды 6 мая")
    assert page.posts[int(text.post_id)].text == "Отключение воды 6 мая"
    client.edit_post(text.post_id, "Отключение воды 6 мая")  # "not modified" is success

    photo = client.publish_post("Ремонт", [Media("road.jpg", b"jpeg")])
    fresh = Client(client.page, base_url=client.base_url)  # does not know it is a photo post
    fresh.edit_post(photo.post_id, "Ремонт дороги")
    assert page.posts[int(photo.post_id)].text == "Ремонт дороги"

    with_poll = client.publish_post("Опрос жителей", poll=Poll("Да или нет?", ("Да", "Нет")))
    poll_id = int(client.poll_ids[with_poll.post_id])
    client.delete_post(with_poll.post_id)
    assert page.posts[int(with_poll.post_id)].deleted and page.posts[poll_id].deleted
    gone: list[Callable[[], object]] = [lambda: client.delete_post(with_poll.post_id),
                                        lambda: client.edit_post(with_poll.post_id, "Новый текст")]
    for action in gone:
        with pytest.raises(NetworkError) as caught:
            action()
        assert caught.value.kind is ErrorKind.NOT_FOUND


def test_find_post_after_a_timeout_after_accept(env: tuple[World, Client, SbPage]) -> None:
    world, client, page = env
    world.fail(Failure(network="telegram", method="sendMessage", kind="timeout", after_accept=True))
    with pytest.raises(NetworkError) as caught:
        client.publish_post("Объявление о собрании")
    assert caught.value.kind is ErrorKind.TIMEOUT
    assert [p.text for p in page.posts.values()] == ["Объявление о собрании"]  # it went out
    # Telegram cannot show the channel's history to a bot: the system must stop and ask a person.
    with pytest.raises(NetworkError) as looked:
        client.find_post("Объявление о собрании")
    assert looked.value.kind is ErrorKind.UNSUPPORTED
    assert len(page.posts) == 1


def test_injected_failures_on_new_methods(env: tuple[World, Client, SbPage]) -> None:
    world, client, page = env
    post = client.publish_post("Запись")
    world.fail(Failure(network="telegram", method="editMessageText", kind="server_error"))
    with pytest.raises(NetworkError) as caught:
        client.edit_post(post.post_id, "Другая")
    assert caught.value.kind is ErrorKind.RETRY and page.posts[int(post.post_id)].text == "Запись"
    world.fail(Failure(network="telegram", method="deleteMessage", kind="rate_limit", retry_after=4))
    with pytest.raises(NetworkError) as caught:
        client.delete_post(post.post_id)
    assert caught.value.kind is ErrorKind.RATE_LIMITED and caught.value.retry_after == 4
    assert not page.posts[int(post.post_id)].deleted
    world.fail(Failure(network="telegram", method="sendPoll", kind="server_error"))
    with pytest.raises(NetworkError) as caught:
        client.publish_post("С опросом", poll=Poll("?", ("а", "б")))
    assert caught.value.kind is ErrorKind.TIMEOUT  # the text went out, the poll did not
    assert [p.text for p in page.posts.values() if not p.deleted][-1] == "С опросом"


def test_page_status_open_and_closed(env: tuple[World, Client, SbPage]) -> None:
    world, client, page = env
    status = client.page_status()
    assert (status.name, status.open, status.comments_open, status.detail) == ("Город", True, True, "")
    set_closed(world, page, comments=True)
    status = client.page_status()
    assert (status.open, status.comments_open) == (True, False) and "запрещено писать" in status.detail
    set_closed(world, page, private=True)
    status = client.page_status()
    assert (status.open, status.comments_open) == (False, True) and "частный" in status.detail
    set_closed(world, page)
    assert client.page_status().detail == ""
