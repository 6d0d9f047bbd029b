"""The real VK client against the sandbox's VK stand-in over loopback HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
import pytest

from otklik.channels.base import ErrorKind, Media, NetworkError, PageAccess, Poll, Target
from otklik.channels.sandbox.server import api_urls, running
from otklik.channels.sandbox.world import Failure, SbPage, World
from otklik.channels.vk import client as vk
from otklik.channels.vk import standin
from otklik.channels.vk.client import Client

GROUP = "123"


@dataclass
class Sandbox:
    world: World
    page: SbPage
    client: Client
    base: str


@pytest.fixture
def sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    monkeypatch.setenv("OTKLIK_NETWORK_TIMEOUT", "1")
    monkeypatch.setattr(vk, "PER_SECOND", 1000.0)  # the limiter is tested in test_client; no sleeping here
    token = f"vk1.a.{uuid.uuid4().hex}"
    world = World()
    world.timeout_delay = 1.5
    page = world.add_page(SbPage(network="vk", external_id=GROUP, name="Администрация города", token=token))
    with running(world) as (_, base), httpx.Client() as http:
        monkeypatch.setenv("OTKLIK_VK_API_URL", api_urls(base)["OTKLIK_VK_API_URL"])
        yield Sandbox(world, page, Client(PageAccess(external_id=GROUP, token=token), http=http), base)


def test_publish_with_photo_then_conversation(sandbox: Sandbox) -> None:
    sb = sandbox
    published = sb.client.publish_post("Плановое отключение воды", [Media("schema.jpg", b"\xff\xd8jpeg")])
    post = sb.page.posts[int(published.post_id)]
    assert post.text == "Плановое отключение воды" and post.attachments == ["photo:schema.jpg"]
    assert published.url == f"https://vk.com/wall-{GROUP}_{published.post_id}"

    first = sb.client.comments(published.post_id)
    assert first.comments == []

    question = sb.world.citizen_comment("vk", GROUP, post.id, "А горячая вода будет?")
    batch = sb.client.comments(published.post_id, first.marker)
    assert [(c.id, c.text, c.author_id, c.from_page) for c in batch.comments] == \
        [(str(question.id), "А горячая вода будет?", "7001", False)]
    assert sb.client.comments(published.post_id, batch.marker).comments == []  # only once

    target = Target(published.post_id, str(question.id))
    answer = sb.client.reply(target, "Будет с 18:00.")
    stored = sb.page.comments[int(answer.comment_id)]
    assert (stored.author_id, stored.text, stored.reply_to) == ("page", "Будет с 18:00.", question.id)
    assert answer.url == f"https://vk.com/wall-{GROUP}_{published.post_id}?reply={answer.comment_id}&thread={question.id}"

    assert sb.client.find_reply(target, "Будет с 18:00.") == answer
    assert sb.client.find_reply(target, "Будет завтра.") is None
    assert sb.client.find_reply(Target(published.post_id), "Будет с 18:00.") is None  # not a top-level one

    # a reply inside the thread, to the citizen's second message
    follow = sb.world.citizen_comment("vk", GROUP, post.id, "Спасибо!", reply_to=int(answer.comment_id))
    nested = sb.client.reply(Target(published.post_id, str(follow.id)), "Пожалуйста.")
    assert nested.url.endswith(f"?reply={nested.comment_id}&thread={question.id}")
    assert sb.client.find_reply(Target(published.post_id, str(follow.id)), "Пожалуйста.") == nested

    listed = sb.client.comments(published.post_id)  # a fresh listing sees the whole thread
    assert [c.id for c in listed.comments] == [str(question.id), answer.comment_id, str(follow.id), nested.comment_id]


def test_top_level_reply_and_fetches(sandbox: Sandbox) -> None:
    sb = sandbox
    post = sb.page.add_post("Опрос о благоустройстве")
    reply = sb.client.reply(Target(str(post.id)), "Итоги опроса — в пятницу.")
    assert reply.url == f"https://vk.com/wall-{GROUP}_{post.id}?reply={reply.comment_id}"
    assert sb.client.find_reply(Target(str(post.id)), "  Итоги опроса — в пятницу.\n") == reply

    state = sb.client.fetch_post(str(post.id))
    assert (state.text, state.exists, state.comments_open) == ("Опрос о благоустройстве", True, True)
    post.comments_open = False
    assert sb.client.fetch_post(str(post.id)).comments_open is False
    with pytest.raises(NetworkError) as caught:
        sb.client.reply(Target(str(post.id)), "Ещё")
    assert caught.value.kind is ErrorKind.FORBIDDEN
    assert sb.client.fetch_post("999999").exists is False

    comment = sb.client.fetch_comment(Target(str(post.id), reply.comment_id))
    assert (comment.from_page, comment.text, comment.author_id) == (True, "Итоги опроса — в пятницу.", f"-{GROUP}")
    with pytest.raises(NetworkError) as missing:
        sb.client.fetch_comment(Target(str(post.id), "999999"))
    assert missing.value.kind is ErrorKind.NOT_FOUND


def test_delete_restore_ban_unban(sandbox: Sandbox) -> None:
    sb = sandbox
    post = sb.page.add_post("Новость")
    rude = sb.world.citizen_comment("vk", GROUP, post.id, "Грубость", author_id="7002")
    target = Target(str(post.id), str(rude.id))
    marker = sb.client.comments(str(post.id)).marker

    sb.client.delete_comment(target)
    assert sb.page.comments[rude.id].deleted
    assert sb.client.fetch_comment(target).deleted
    sb.client.restore_comment(target)
    assert not sb.page.comments[rude.id].deleted
    sb.client.restore_comment(target)  # already restored: quietly nothing
    restored = sb.client.comments(str(post.id), marker)
    assert [(c.id, c.text) for c in restored.comments] == [(str(rude.id), "Грубость")]  # the restore event

    sb.client.ban("7002", "Оскорбления")
    assert sb.page.banned == {"7002": "Оскорбления"}
    sb.client.unban("7002")
    assert sb.page.banned == {}


def test_check(sandbox: Sandbox) -> None:
    result = sandbox.client.check()
    assert result.ok and result.name == "Администрация города" and result.missing == ()


def test_video_post(sandbox: Sandbox) -> None:
    published = sandbox.client.publish_post("Видео с субботника", [Media("day.mp4", b"mp4", kind="video")])
    assert sandbox.page.posts[int(published.post_id)].attachments == ["video:day.mp4"]


def test_wrong_token(sandbox: Sandbox) -> None:
    stranger = Client(PageAccess(external_id=GROUP, token="vk1.a.stolen"))
    with pytest.raises(NetworkError) as caught:
        stranger.publish_post("x")
    assert caught.value.kind is ErrorKind.TOKEN_INVALID
    assert not stranger.check().ok


@pytest.mark.parametrize(("kind", "expected"), [
    ("rate_limit", ErrorKind.RATE_LIMITED),
    ("server_error", ErrorKind.RETRY),
    ("token_invalid", ErrorKind.TOKEN_INVALID),
    ("timeout", ErrorKind.TIMEOUT),
])
def test_injected_failures(sandbox: Sandbox, kind: str, expected: ErrorKind) -> None:
    sandbox.world.fail(Failure(network="vk", method="wall.post", kind=kind))
    with pytest.raises(NetworkError) as caught:
        sandbox.client.publish_post("Текст")
    assert caught.value.kind is expected
    if kind == "rate_limit":
        assert caught.value.retry_after == 1.0
    assert sandbox.page.posts == {}  # the failure came before the action
    assert sandbox.client.publish_post("Текст").post_id  # used up: the next call goes through


def test_timeout_after_accept_then_find_reply_never_twice(sandbox: Sandbox) -> None:
    sb = sandbox
    post = sb.page.add_post("Новость")
    question = sb.world.citizen_comment("vk", GROUP, post.id, "Где подать заявление?")
    target = Target(str(post.id), str(question.id))
    sb.world.fail(Failure(network="vk", method="wall.createComment", kind="timeout", after_accept=True))
    with pytest.raises(NetworkError) as caught:
        sb.client.reply(target, "В МФЦ на Ленина, 1.")
    assert caught.value.kind is ErrorKind.TIMEOUT

    # The worker looks before it retries: the reply is there, so it is not sent again.
    found = sb.client.find_reply(target, "В МФЦ на Ленина, 1.")
    assert found is not None
    ours = [c for c in sb.page.comments.values() if c.author_id == "page"]
    assert [str(c.id) for c in ours] == [found.comment_id]


# -- the official-pages methods
def test_publish_with_poll_edit_and_delete(sandbox: Sandbox) -> None:
    sb = sandbox
    published = sb.client.publish_post("Выберите место для сквера", [Media("map.jpg", b"\xff\xd8jpeg")],
                                       poll=Poll("Где сквер?", ("У школы", "У реки"), multiple=True))
    post = sb.page.posts[int(published.post_id)]
    assert post.attachments == ["photo:map.jpg", "poll:Где сквер?"]
    [poll_id] = [pid for pid, v in standin._media[sb.world].items() if v.startswith("poll:")]
    assert standin.poll_of(sb.world, poll_id) == {"question": "Где сквер?", "answers": ["У школы", "У реки"],
                                                  "multiple": True}

    sb.client.edit_post(published.post_id, "Выберите место для сквера (до пятницы)")
    assert post.text == "Выберите место для сквера (до пятницы)"
    assert post.attachments == ["photo:map.jpg", "poll:Где сквер?"]  # wall.edit got them back
    assert sb.client.fetch_post(published.post_id).text == "Выберите место для сквера (до пятницы)"

    sb.client.delete_post(published.post_id)
    assert post.deleted and sb.client.fetch_post(published.post_id).exists is False
    with pytest.raises(NetworkError) as gone:
        sb.client.delete_post(published.post_id)
    assert gone.value.kind is ErrorKind.NOT_FOUND
    with pytest.raises(NetworkError) as edit_gone:
        sb.client.edit_post(published.post_id, "ещё")
    assert edit_gone.value.kind is ErrorKind.NOT_FOUND


def test_timeout_after_accept_then_find_post_never_twice(sandbox: Sandbox) -> None:
    sb = sandbox
    sb.page.add_post("Старое объявление")
    sb.world.fail(Failure(network="vk", method="wall.post", kind="timeout", after_accept=True))
    with pytest.raises(NetworkError) as caught:
        sb.client.publish_post("Отключение воды 5 мая")
    assert caught.value.kind is ErrorKind.TIMEOUT

    found = sb.client.find_post("Отключение воды 5 мая\n")  # the worker looks before any retry
    assert found is not None
    assert [p.id for p in sb.page.posts.values() if p.text == "Отключение воды 5 мая"] == [int(found.post_id)]
    assert found.url == f"https://vk.com/wall-{GROUP}_{found.post_id}"
    assert sb.client.find_post("Отключение газа") is None
    sb.client.delete_post(found.post_id)
    assert sb.client.find_post("Отключение воды 5 мая") is None  # a deleted post is not "already there"


def test_page_status_open_closed_and_comments(sandbox: Sandbox) -> None:
    sb = sandbox
    status = sb.client.page_status()
    assert (status.name, status.open, status.comments_open, status.detail) == ("Администрация города", True, True, "")
    standin.set_community(sb.world, GROUP, is_closed=1)
    closed = sb.client.page_status()
    assert (closed.open, closed.comments_open) == (False, True) and "закрытое" in closed.detail
    standin.set_community(sb.world, GROUP, is_closed=0, wall=3)
    no_comments = sb.client.page_status()
    assert (no_comments.open, no_comments.comments_open) == (True, False) and "закрыта" in no_comments.detail


@pytest.mark.parametrize(("method", "kind", "expected"), [
    ("wall.edit", "rate_limit", ErrorKind.RATE_LIMITED),
    ("wall.delete", "server_error", ErrorKind.RETRY),
    ("wall.get", "token_invalid", ErrorKind.TOKEN_INVALID),
    ("polls.create", "timeout", ErrorKind.TIMEOUT),
    ("groups.getById", "server_error", ErrorKind.RETRY),
])
def test_injected_failures_on_page_methods(sandbox: Sandbox, method: str, kind: str, expected: ErrorKind) -> None:
    sb = sandbox
    post = sb.page.add_post("Новость")
    calls: dict[str, Callable[[], object]] = {"wall.edit": lambda: sb.client.edit_post(str(post.id), "Правка"),
             "wall.delete": lambda: sb.client.delete_post(str(post.id)),
             "wall.get": lambda: sb.client.find_post("Новость"),
             "polls.create": lambda: sb.client.publish_post("Опрос", poll=Poll("Да?", ("да", "нет"))),
             "groups.getById": lambda: sb.client.page_status()}
    sb.world.fail(Failure(network="vk", method=method, kind=kind))
    with pytest.raises(NetworkError) as caught:
        calls[method]()
    assert caught.value.kind is expected
    assert post.text == "Новость" and not post.deleted and len(sb.page.posts) == 1  # nothing was carried out
    calls[method]()  # used up: the next call goes through
