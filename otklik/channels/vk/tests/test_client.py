"""The VK client against recorded VK response shapes (respx): what it sends, what it makes of answers.

Where the shapes come from (VK API 5.199):
* S = github.com/VKCOM/vk-api-schema — wall/responses.json, wall/objects.json (wall_wall_comment,
  wall_wallpost_full), groups/responses.json (groups_getById_object_response,
  groups_getTokenPermissions_response, groups_getLongPollServer_response), photos/responses.json,
  callback/objects.json (callback_base: type, group_id, event_id, v, secret), errors.json (codes
  and error_msg texts; the {"error": {"error_code", "error_msg", "request_params"}} envelope).
* S, for the official-pages methods: polls/methods.json + objects.json (polls.create takes
  question, add_answers as a JSON array of 1–10 strings, is_multiple, owner_id; answers a
  polls_poll: id, owner_id, question, answers[{id, rate, text, votes}], multiple, …),
  wall/methods.json + responses.json (wall.edit → wall_edit_response {"post_id"}; wall.delete →
  base_ok_response 1, errors 210/703/104; wall.get owner_id/count/filter → {"count", "items":
  [wall_wallpost_full]}), groups/objects.json (groups_group_is_closed 0 open/1 closed/2 private;
  groups_group_wall 0 disabled/1 open/2 limited/3 closed); dev.vk.com/reference/objects/group
  (`deactivated`: "deleted" | "banned"; optional field `wall`).
* D = dev.vk.com: Bots Long Poll answers ({"ts", "updates"}, {"failed": 1|2|3}), the upload server
  answers ({"server", "photo", "hash"} for photos; {"video_hash", "size", "owner_id", "video_id"}
  for video), account.getAppPermissions (a bit mask).
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from urllib.parse import parse_qs

import httpx
import pytest
import respx

from otklik.channels.base import ErrorKind, Media, NetworkError, PageAccess, Poll, Target
from otklik.channels.vk import client as vk
from otklik.channels.vk.client import Client, parse_webhook, target_from_url

BASE = "https://api.vk.com/method"
LP = "https://lp.vk.com/whp/123"


@pytest.fixture
def token() -> str:
    return f"vk1.a.{uuid.uuid4().hex}"  # one limiter per token: tests do not slow each other


@pytest.fixture
def client(token: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Client]:
    monkeypatch.delenv("OTKLIK_VK_API_URL", raising=False)
    monkeypatch.setattr(vk, "PER_SECOND", 1000.0)
    with httpx.Client() as http:
        yield Client(PageAccess(external_id="123", token=token), http=http)


def ok(response: object) -> httpx.Response:
    return httpx.Response(200, json={"response": response})


def vk_error(code: int, message: str, method: str = "wall.post") -> httpx.Response:
    # S errors.json; envelope as VK sends it (HTTP 200, request_params without the token)
    return httpx.Response(200, json={"error": {"error_code": code, "error_msg": message, "request_params": [
        {"key": "method", "value": method}, {"key": "v", "value": "5.199"}]}})


def form(request: httpx.Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.content.decode(), keep_blank_values=True).items()}


def sent(route: respx.Route, token: str) -> dict[str, str]:
    """The form of the route's last call, after asserting what VK judges: POST, token, version."""
    request = route.calls.last.request
    assert request.method == "POST"
    assert token not in str(request.url)  # the token goes in the body, never the URL
    body = form(request)
    assert body.pop("access_token") == token
    assert body.pop("v") == "5.199"
    return body


# S wall/objects.json wall_wall_comment
CITIZEN = {"id": 789, "from_id": 7001, "date": 1700000000, "text": "Когда починят фонарь?", "post_id": 456,
           "owner_id": -123, "parents_stack": [], "likes": {"count": 0, "user_likes": 0, "can_like": 1}}
OUR_TOP = {"id": 800, "from_id": -123, "date": 1700000300, "text": "Объявление  ", "post_id": 456,
           "owner_id": -123, "parents_stack": []}
OUR_REPLY = {"id": 790, "from_id": -123, "date": 1700000100, "text": "Завтра.\r\n", "post_id": 456,
             "owner_id": -123, "parents_stack": [789], "reply_to_user": 7001, "reply_to_comment": 789}


# -- success of every method
@respx.mock
def test_publish_post_with_photo_and_video(client: Client, token: str) -> None:
    upload_server = respx.post(f"{BASE}/photos.getWallUploadServer").mock(return_value=ok(
        {"album_id": -14, "upload_url": "https://pu.vk.com/c850036/ss2/upload.php?act=do_add&mid=1",
         "user_id": 1}))  # S photos_photo_upload
    photo_upload = respx.post("https://pu.vk.com/c850036/ss2/upload.php").mock(return_value=httpx.Response(
        200, json={"server": 850036, "photo": '[{"photo":"a1b2:w","sizes":[]}]', "hash": "4e9f"}))  # D
    save = respx.post(f"{BASE}/photos.saveWallPhoto").mock(return_value=ok(
        [{"album_id": -14, "date": 1700000000, "id": 457239017, "owner_id": -123, "sizes": [], "text": "",
          "has_tags": False}]))  # S photos_saveWallPhoto_response
    video = respx.post(f"{BASE}/video.save").mock(return_value=ok(
        {"access_key": "2c7f", "description": "", "owner_id": -123, "title": "clip.mp4",
         "upload_url": "https://vu.vk.com/upload.php?id=1", "video_id": 456239017}))  # S video_save_result
    video_upload = respx.post("https://vu.vk.com/upload.php").mock(return_value=httpx.Response(
        200, json={"video_hash": "2609", "size": 3, "owner_id": -123, "video_id": 456239017}))  # D
    post = respx.post(f"{BASE}/wall.post").mock(return_value=ok({"post_id": 456}))  # S wall_post_response

    published = client.publish_post("Отключение воды 5 мая", [Media("a.jpg", b"jpg"),
                                                                Media("clip.mp4", b"mp4", kind="video")])

    assert published.post_id == "456" and published.comment_id == ""
    assert published.url == "https://vk.com/wall-123_456"
    assert sent(upload_server, token) == {"group_id": "123"}
    assert b'name="photo"; filename="a.jpg"' in photo_upload.calls.last.request.content
    assert token.encode() not in photo_upload.calls.last.request.content  # the upload URL is signed
    assert sent(save, token) == {"group_id": "123", "photo": '[{"photo":"a1b2:w","sizes":[]}]',
                                 "server": "850036", "hash": "4e9f"}
    assert sent(video, token) == {"group_id": "123", "name": "clip.mp4", "wallpost": "0"}
    assert b'name="video_file"; filename="clip.mp4"' in video_upload.calls.last.request.content
    assert sent(post, token) == {"owner_id": "-123", "from_group": "1", "message": "Отключение воды 5 мая",
                                 "attachments": "photo-123_457239017,video-123_456239017"}


# S polls/objects.json polls_poll, as polls.create answers it
POLL = {"id": 700123, "owner_id": -123, "created": 1700000000, "question": "Где поставить лавочки?", "votes": 0,
        "answers": [{"id": 1, "rate": 0, "text": "У школы", "votes": 0}, {"id": 2, "rate": 0, "text": "В парке", "votes": 0}],
        "multiple": True, "anonymous": False, "end_date": 0, "closed": False, "is_board": False, "can_edit": True,
        "can_vote": True, "can_report": False, "can_share": True, "disable_unvote": False, "author_id": 9001}
# S wall_wallpost_full, with a photo and a poll attached (wall_wallpost_attachment)
WALL_POST = {"id": 456, "owner_id": -123, "from_id": -123, "date": 1700000000, "text": "Опрос о благоустройстве",
             "post_type": "post", "attachments": [
                 {"type": "photo", "photo": {"id": 457239017, "owner_id": -123, "album_id": -7, "date": 1700000000,
                                             "sizes": [], "text": "", "access_key": "9f1e2d"}},
                 {"type": "poll", "poll": POLL},
                 {"type": "link", "link": {"url": "https://adm.example.ru/plan", "title": "План"}}],
             "comments": {"count": 0, "can_post": 1, "groups_can_post": True}}


@respx.mock
def test_publish_post_with_poll(client: Client, token: str) -> None:
    create = respx.post(f"{BASE}/polls.create").mock(return_value=ok(POLL))
    post = respx.post(f"{BASE}/wall.post").mock(return_value=ok({"post_id": 457}))
    published = client.publish_post("Голосуем до пятницы", poll=Poll("Где поставить лавочки?", ("У школы", "В парке"),
                                                                     multiple=True))
    assert published.url == "https://vk.com/wall-123_457"
    assert sent(create, token) == {"owner_id": "-123", "question": "Где поставить лавочки?",
                                   "add_answers": '["У школы", "В парке"]', "is_multiple": "1", "is_anonymous": "0"}
    assert sent(post, token)["attachments"] == "poll-123_700123"


@pytest.mark.parametrize("poll", [Poll("  ", ("да", "нет")), Poll("Вопрос?", ()), Poll("Вопрос?", ("да", " ")),
                                  Poll("Вопрос?", tuple(str(n) for n in range(11)))])
def test_bad_poll_never_reaches_vk(client: Client, poll: Poll) -> None:
    with respx.mock, pytest.raises(NetworkError) as caught:  # no route: any request would fail the test
        client.publish_post("Текст", poll=poll)
    assert caught.value.kind is ErrorKind.BAD_REQUEST


@respx.mock
def test_edit_post_keeps_its_attachments(client: Client, token: str) -> None:
    by_id = respx.post(f"{BASE}/wall.getById").mock(return_value=ok({"items": [WALL_POST]}))
    edit = respx.post(f"{BASE}/wall.edit").mock(return_value=ok({"post_id": 456}))  # S wall_edit_response
    client.edit_post("456", "Опрос о благоустройстве (продлён)")
    assert sent(by_id, token) == {"posts": "-123_456"}
    assert sent(edit, token) == {"owner_id": "-123", "post_id": "456", "message": "Опрос о благоустройстве (продлён)",
                                 "attachments": "photo-123_457239017_9f1e2d,poll-123_700123,https://adm.example.ru/plan"}


@respx.mock
def test_edit_post_that_is_gone(client: Client) -> None:
    respx.post(f"{BASE}/wall.getById").mock(return_value=ok({"items": []}))
    edit = respx.post(f"{BASE}/wall.edit")
    with pytest.raises(NetworkError) as caught:
        client.edit_post("456", "Новый текст")
    assert caught.value.kind is ErrorKind.NOT_FOUND and not edit.called


@respx.mock
def test_delete_post(client: Client, token: str) -> None:
    route = respx.post(f"{BASE}/wall.delete").mock(side_effect=[ok(1), vk_error(104, "Not found", "wall.delete")])
    client.delete_post("456")
    assert sent(route, token) == {"owner_id": "-123", "post_id": "456"}
    with pytest.raises(NetworkError) as caught:
        client.delete_post("456")
    assert caught.value.kind is ErrorKind.NOT_FOUND


@respx.mock
def test_find_post(client: Client, token: str) -> None:
    other = {**WALL_POST, "id": 455, "text": "Другое объявление", "attachments": []}
    deleted = {**WALL_POST, "id": 454, "text": "Отключение воды", "is_deleted": True}
    route = respx.post(f"{BASE}/wall.get").mock(return_value=ok(
        {"count": 3, "items": [{**WALL_POST, "id": 457, "text": "Отключение воды\r\n"}, other, deleted]}))
    found = client.find_post("Отключение воды")
    assert found is not None and (found.post_id, found.url) == ("457", "https://vk.com/wall-123_457")
    assert sent(route, token) == {"owner_id": "-123", "count": "100", "filter": "owner"}
    assert client.find_post("Отключение газа") is None


@pytest.mark.parametrize(("group", "is_open", "comments_open", "words"), [
    ({"is_closed": 0, "wall": 1}, True, True, []),
    ({"is_closed": 0, "wall": 2}, True, True, []),  # limited: only the community posts, everyone comments
    ({"is_closed": 1, "wall": 1}, False, True, ["закрытое"]),
    ({"is_closed": 2, "wall": 3}, False, False, ["частное", "стена сообщества закрыта"]),
    ({"is_closed": 0, "wall": 0}, True, False, ["выключена"]),
    ({"is_closed": 0, "deactivated": "banned"}, False, True, ["заблокировано", "неизвестно"]),
])
def test_page_status(client: Client, token: str, group: dict[str, object], is_open: bool, comments_open: bool,
                     words: list[str]) -> None:
    with respx.mock:
        route = respx.post(f"{BASE}/groups.getById").mock(return_value=ok(  # S groups_getById_object_response
            {"groups": [{"id": 123, "name": "Администрация", "screen_name": "adm", "type": "page", **group}],
             "profiles": []}))
        status = client.page_status()
    assert sent(route, token) == {"group_id": "123", "fields": "wall"}
    assert (status.name, status.open, status.comments_open) == ("Администрация", is_open, comments_open)
    assert all(word in status.detail for word in words) and bool(status.detail) == bool(words)


@pytest.mark.parametrize(("method", "call", "answer", "kind"), [
    ("polls.create", lambda c: c.publish_post("x", poll=Poll("Вопрос?", ("да", "нет"))),
     vk_error(100, "One of the parameters specified was missing or invalid: add_answers is invalid", "polls.create"),
     ErrorKind.BAD_REQUEST),
    ("wall.getById", lambda c: c.edit_post("456", "x"), vk_error(6, "Too many requests per second"),
     ErrorKind.RATE_LIMITED),
    ("wall.delete", lambda c: c.delete_post("456"), vk_error(210, "Access to wall's post denied"), ErrorKind.FORBIDDEN),
    ("wall.delete", lambda c: c.delete_post("456"), vk_error(703, "You need to enable 2FA for this action"),
     ErrorKind.FORBIDDEN),
    ("wall.get", lambda c: c.find_post("x"), vk_error(5, "User authorization failed: invalid access_token (4)."),
     ErrorKind.TOKEN_INVALID),
    ("wall.get", lambda c: c.find_post("x"), httpx.Response(502, text="Bad Gateway"), ErrorKind.RETRY),
    ("groups.getById", lambda c: c.page_status(), vk_error(10, "Internal server error"), ErrorKind.RETRY),
    ("groups.getById", lambda c: c.page_status(), vk_error(100, "One of the parameters specified was missing or "
                                                               "invalid: group_ids is undefined"), ErrorKind.BAD_REQUEST),
])
def test_errors_of_the_page_methods(client: Client, method: str, call: Callable[[Client], object],
                                    answer: httpx.Response, kind: ErrorKind) -> None:
    with respx.mock:
        respx.post(f"{BASE}/{method}").mock(return_value=answer)
        with pytest.raises(NetworkError) as caught:
            call(client)
    assert caught.value.kind is kind


def test_edit_timeout_and_bad_ids(client: Client) -> None:
    with respx.mock:
        respx.post(f"{BASE}/wall.getById").mock(return_value=ok({"items": [WALL_POST]}))
        respx.post(f"{BASE}/wall.edit").mock(side_effect=httpx.ReadTimeout("read timed out"))
        with pytest.raises(NetworkError) as caught:
            client.edit_post("456", "x")
        assert caught.value.kind is ErrorKind.TIMEOUT
    calls: list[Callable[[], None]] = [lambda: client.edit_post("456; drop", "x"), lambda: client.delete_post("../1"),
                                       lambda: client.edit_post("456", "я" * (vk.MAX_TEXT + 1))]
    with respx.mock:  # no route: nothing is sent
        for call in calls:
            with pytest.raises(NetworkError) as bad:
                call()
            assert bad.value.kind is ErrorKind.BAD_REQUEST


@respx.mock
def test_reply_to_a_comment_and_to_the_post(client: Client, token: str) -> None:
    route = respx.post(f"{BASE}/wall.createComment").mock(side_effect=[
        ok({"comment_id": 790, "parents_stack": [789]}),  # S wall_createComment_response
        ok({"comment_id": 801, "parents_stack": []}),
    ])
    nested = client.reply(Target("456", "789"), "Завтра.")
    assert sent(route, token) == {"owner_id": "-123", "post_id": "456", "from_group": "123",
                                  "message": "Завтра.", "reply_to_comment": "789"}
    assert nested.url == "https://vk.com/wall-123_456?reply=790&thread=789"
    top = client.reply(Target("456"), "Спасибо")
    assert "reply_to_comment" not in sent(route, token)
    assert (top.comment_id, top.url) == ("801", "https://vk.com/wall-123_456?reply=801")


@respx.mock
def test_find_reply_in_a_thread(client: Client, token: str) -> None:
    get_one = respx.post(f"{BASE}/wall.getComment").mock(return_value=ok(
        {"items": [CITIZEN], "can_post": True, "groups_can_post": True}))  # S wall_getComment_response
    listing = respx.post(f"{BASE}/wall.getComments").mock(return_value=ok(
        {"count": 2, "current_level_count": 1, "can_post": True, "show_reply_button": True,
         "groups_can_post": True, "items": [OUR_REPLY]}))  # S wall_getComments_response
    found = client.find_reply(Target("456", "789"), "Завтра.")
    assert found is not None and found.comment_id == "790"
    assert found.url == "https://vk.com/wall-123_456?reply=790&thread=789"
    assert sent(get_one, token) == {"owner_id": "-123", "comment_id": "789"}
    assert sent(listing, token) == {"owner_id": "-123", "post_id": "456", "need_likes": "0", "count": "100",
                                    "offset": "0", "sort": "desc", "preview_length": "0", "comment_id": "789"}
    assert client.find_reply(Target("456", "789"), "Послезавтра.") is None


@respx.mock
def test_find_reply_on_the_post(client: Client, token: str) -> None:
    listing = respx.post(f"{BASE}/wall.getComments").mock(return_value=ok(
        {"count": 2, "current_level_count": 2, "items": [OUR_TOP, CITIZEN]}))
    found = client.find_reply(Target("456"), "Объявление")
    assert found is not None and found.url == "https://vk.com/wall-123_456?reply=800"
    assert sent(listing, token)["thread_items_count"] == "10"
    assert client.find_reply(Target("456"), "Когда починят фонарь?") is None  # a citizen's, not ours


@respx.mock
def test_comments_first_call_lists_then_long_poll_gives_only_new(client: Client, token: str) -> None:
    server = respx.post(f"{BASE}/groups.getLongPollServer").mock(return_value=ok(
        {"key": "f00d", "server": LP, "ts": "10"}))  # S groups_long_poll_server
    respx.post(f"{BASE}/wall.getComments").mock(return_value=ok(
        {"count": 2, "current_level_count": 1, "items": [
            {**CITIZEN, "thread": {"count": 1, "items": [OUR_REPLY], "can_post": True}}]}))
    first = client.comments("456")
    assert sent(server, token) == {"group_id": "123"}
    assert [(c.id, c.from_page, c.reply_to) for c in first.comments] == [("789", False, ""), ("790", True, "789")]
    assert first.marker == "10:790"

    new = {**CITIZEN, "id": 791, "text": "Спасибо", "post_owner_id": -123}
    poll = respx.get(LP).mock(return_value=httpx.Response(200, json={"ts": "13", "updates": [  # D
        {"group_id": 123, "type": "wall_reply_new", "event_id": "e1", "v": "5.199",
         "object": {**OUR_REPLY, "post_owner_id": -123}},  # already listed: not twice
        {"group_id": 123, "type": "wall_reply_new", "event_id": "e2", "v": "5.199", "object": new},
        {"group_id": 123, "type": "wall_reply_new", "event_id": "e3", "v": "5.199",
         "object": {**new, "id": 900, "post_id": 999}},  # another post
        {"group_id": 123, "type": "wall_reply_delete", "event_id": "e4", "v": "5.199",
         "object": {"owner_id": -123, "id": 789, "user_id": 7001, "post_id": 456}},
    ]}))
    second = client.comments("456", first.marker)
    assert [c.id for c in second.comments] == ["791"]
    assert second.marker == "13:791"
    assert dict(poll.calls.last.request.url.params) == {"act": "a_check", "key": "f00d", "ts": "10", "wait": "0"}


@respx.mock
def test_comments_when_long_poll_history_is_lost(client: Client) -> None:
    respx.post(f"{BASE}/groups.getLongPollServer").mock(return_value=ok({"key": "k", "server": LP, "ts": "50"}))
    respx.get(LP).mock(return_value=httpx.Response(200, json={"failed": 1, "ts": "48"}))  # D
    respx.post(f"{BASE}/wall.getComments").mock(return_value=ok(
        {"count": 2, "current_level_count": 2, "items": [CITIZEN, {**CITIZEN, "id": 795}]}))
    batch = client.comments("456", "5:789")
    assert [c.id for c in batch.comments] == ["795"] and batch.marker == "48:795"


@respx.mock
def test_comments_when_the_key_expired(client: Client) -> None:
    server = respx.post(f"{BASE}/groups.getLongPollServer").mock(side_effect=[
        ok({"key": "old", "server": LP, "ts": "7"}), ok({"key": "new", "server": LP, "ts": "7"})])
    poll = respx.get(LP).mock(side_effect=[httpx.Response(200, json={"failed": 2}),  # D
                                           httpx.Response(200, json={"ts": "8", "updates": []})])
    batch = client.comments("456", "7:0")
    assert batch.comments == [] and batch.marker == "8:0"
    assert server.call_count == 2 and poll.calls.last.request.url.params["key"] == "new"


def test_comments_bad_marker(client: Client) -> None:
    with respx.mock:
        respx.post(f"{BASE}/groups.getLongPollServer").mock(return_value=ok({"key": "k", "server": LP, "ts": "1"}))
        with pytest.raises(NetworkError) as caught:
            client.comments("456", "garbage")
    assert caught.value.kind is ErrorKind.BAD_REQUEST


@respx.mock
def test_delete_restore_ban_unban(client: Client, token: str) -> None:
    delete = respx.post(f"{BASE}/wall.deleteComment").mock(return_value=ok(1))  # S base_ok_response
    restore = respx.post(f"{BASE}/wall.restoreComment").mock(side_effect=[
        ok(1), vk_error(243, "Comment has not been deleted", "wall.restoreComment")])
    ban = respx.post(f"{BASE}/groups.ban").mock(return_value=ok(1))
    unban = respx.post(f"{BASE}/groups.unban").mock(return_value=ok(1))
    client.delete_comment(Target("456", "789"))
    assert sent(delete, token) == {"owner_id": "-123", "comment_id": "789"}
    client.restore_comment(Target("456", "789"))
    assert sent(restore, token) == {"owner_id": "-123", "comment_id": "789"}
    client.restore_comment(Target("456", "789"))  # 243: already in place, not an error
    client.ban("7001", "Оскорбления")
    assert sent(ban, token) == {"group_id": "123", "owner_id": "7001", "reason": "0", "comment": "Оскорбления",
                                "comment_visible": "1"}
    client.unban("7001")
    assert sent(unban, token) == {"group_id": "123", "owner_id": "7001"}
    with pytest.raises(NetworkError) as caught:
        client.ban("7001; drop", "")
    assert caught.value.kind is ErrorKind.BAD_REQUEST


@respx.mock
def test_fetch_post_and_comment(client: Client, token: str) -> None:
    by_id = respx.post(f"{BASE}/wall.getById").mock(side_effect=[
        ok({"items": [{"id": 456, "owner_id": -123, "from_id": -123, "date": 1700000000, "text": "Вода",
                       "post_type": "post", "comments": {"count": 3, "can_post": 0, "groups_can_post": True}}]}),
        ok({"items": []}),  # S wall_getById_response: a deleted post is simply absent
    ])
    state = client.fetch_post("456")
    assert sent(by_id, token) == {"posts": "-123_456"}
    assert (state.text, state.exists, state.comments_open) == ("Вода", True, False)
    assert client.fetch_post("456").exists is False
    respx.post(f"{BASE}/wall.getComment").mock(return_value=ok({"items": [OUR_REPLY]}))
    comment = client.fetch_comment(Target("456", "790"))
    assert (comment.author_id, comment.from_page, comment.reply_to, comment.date) == ("-123", True, "789", 1700000100)


@respx.mock
def test_check_user_token(client: Client, token: str) -> None:
    group = respx.post(f"{BASE}/groups.getById").mock(return_value=ok(
        {"groups": [{"id": 123, "name": "Администрация", "screen_name": "adm", "is_closed": 0, "type": "page",
                     "is_admin": 1, "admin_level": 3}], "profiles": []}))  # S groups_getById_object_response
    respx.post(f"{BASE}/account.getAppPermissions").mock(side_effect=[ok(8192 | 4 | 16 | 262144 | 65536),
                                                                      ok(8192 | 262144)])
    result = client.check()
    assert sent(group, token) == {"group_id": "123"}
    assert result.ok and result.name == "Администрация"
    lacking = client.check()
    assert not lacking.ok and any("photos" in m for m in lacking.missing) and any("offline" in m for m in lacking.missing)


@respx.mock
def test_check_community_token_says_what_is_missing(client: Client) -> None:
    respx.post(f"{BASE}/groups.getById").mock(return_value=ok({"groups": [{"id": 123, "name": "Адм"}]}))
    respx.post(f"{BASE}/account.getAppPermissions").mock(return_value=vk_error(
        27, "Group authorization failed: method is unavailable with group auth.", "account.getAppPermissions"))
    respx.post(f"{BASE}/groups.getTokenPermissions").mock(return_value=ok(
        {"mask": 4096, "permissions": [{"setting": 4096, "name": "messages"}]}))  # S
    result = client.check()
    assert not result.ok and "ключ сообщества" in result.problem
    assert any("manage" in m for m in result.missing) and any("photos" in m for m in result.missing)


@respx.mock
def test_check_revoked_token(client: Client) -> None:
    respx.post(f"{BASE}/groups.getById").mock(return_value=vk_error(
        5, "User authorization failed: invalid access_token (4).", "groups.getById"))
    result = client.check()
    assert not result.ok and "Ключ доступа" in result.problem


# -- every error kind
@pytest.mark.parametrize(("answer", "kind", "retry_after"), [
    (vk_error(6, "Too many requests per second"), ErrorKind.RATE_LIMITED, 1.0),
    (vk_error(9, "Flood control"), ErrorKind.RATE_LIMITED, 60.0),
    (vk_error(29, "Rate limit reached"), ErrorKind.RATE_LIMITED, 3600.0),
    (vk_error(10, "Internal server error"), ErrorKind.RETRY, None),
    (vk_error(1, "Unknown error occurred"), ErrorKind.RETRY, None),
    (vk_error(5, "User authorization failed: invalid access_token (4)."), ErrorKind.TOKEN_INVALID, None),
    (vk_error(1117, "Access token has expired"), ErrorKind.TOKEN_INVALID, None),
    (vk_error(104, "Not found"), ErrorKind.NOT_FOUND, None),
    (vk_error(18, "User was deleted or banned"), ErrorKind.NOT_FOUND, None),
    (vk_error(15, "Access denied"), ErrorKind.FORBIDDEN, None),
    (vk_error(214, "Access to adding post denied"), ErrorKind.FORBIDDEN, None),
    (vk_error(27, "Group authorization failed: method is unavailable with group auth."), ErrorKind.FORBIDDEN, None),
    (vk_error(100, "One of the parameters specified was missing or invalid"), ErrorKind.BAD_REQUEST, None),
    (vk_error(36, "Method execution was interrupted due to timeout"), ErrorKind.TIMEOUT, None),
    (httpx.Response(502, text="<html>Bad Gateway</html>"), ErrorKind.RETRY, None),
    (httpx.Response(429, headers={"Retry-After": "7"}), ErrorKind.RATE_LIMITED, 7.0),
    (httpx.Response(200, text="not json"), ErrorKind.RETRY, None),
])
def test_error_kinds(client: Client, token: str, answer: httpx.Response, kind: ErrorKind,
                     retry_after: float | None) -> None:
    with respx.mock:
        respx.post(f"{BASE}/wall.post").mock(return_value=answer)
        with pytest.raises(NetworkError) as caught:
            client.publish_post("Текст")
    assert caught.value.kind is kind
    assert caught.value.retry_after == retry_after
    assert token not in str(caught.value) and token not in caught.value.detail


@pytest.mark.parametrize(("exc", "kind"), [
    (httpx.ReadTimeout("read timed out"), ErrorKind.TIMEOUT),
    (httpx.ConnectError("connection refused"), ErrorKind.RETRY),
    (httpx.ConnectTimeout("connect timed out"), ErrorKind.RETRY),
])
def test_transport_errors(client: Client, exc: Exception, kind: ErrorKind) -> None:
    with respx.mock:
        respx.post(f"{BASE}/wall.createComment").mock(side_effect=exc)
        with pytest.raises(NetworkError) as caught:
            client.reply(Target("456", "789"), "Ответ")
    assert caught.value.kind is kind


def test_bad_ids_never_reach_vk(client: Client) -> None:
    with respx.mock:  # no route: any request would fail the test
        for call in (lambda: client.reply(Target("456 OR 1", ""), "x"),
                     lambda: client.fetch_comment(Target("456", "../789")),
                     lambda: client.delete_comment(Target("456", ""))):
            with pytest.raises(NetworkError) as caught:
                call()
            assert caught.value.kind is ErrorKind.BAD_REQUEST


def test_base_url_from_environment(monkeypatch: pytest.MonkeyPatch, token: str) -> None:
    monkeypatch.setenv("OTKLIK_VK_API_URL", "http://127.0.0.1:9/vk/method/")
    assert Client(PageAccess(external_id="1", token=token)).base_url == "http://127.0.0.1:9/vk/method"
    monkeypatch.delenv("OTKLIK_VK_API_URL")
    assert Client(PageAccess(external_id="1", token=token)).base_url == "https://api.vk.com/method"


# -- the rate limiter
def test_page_key_with_minus_is_accepted(token: str) -> None:
    assert Client(PageAccess(external_id="-123", token=token)).owner == "-123"
    with pytest.raises(NetworkError):
        Client(PageAccess(external_id="club123", token=token))


def test_client_uses_vk_user_token_limit(token: str) -> None:
    client = Client(PageAccess(external_id="123", token=token))
    assert client._limiter.interval == pytest.approx(1 / 3)  # VK: 3 requests a second per user token


def test_rate_limiter_spaces_calls(token: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vk, "PER_SECOND", 20.0)
    with respx.mock, httpx.Client() as http:
        respx.post(f"{BASE}/wall.deleteComment").mock(return_value=ok(1))
        client = Client(PageAccess(external_id="123", token=token), base_url=BASE, http=http)
        start = time.monotonic()
        for _ in range(6):
            client.delete_comment(Target("1", "2"))
        elapsed = time.monotonic() - start
    assert elapsed >= 5 / 20 - 0.02  # five gaps of 50 ms


# -- target_from_url
@pytest.mark.parametrize(("url", "expected"), [
    ("https://vk.com/wall-123_456", ("123", Target("456"))),
    ("https://vk.com/wall-123_456?reply=789", ("123", Target("456", "789"))),
    ("https://vk.com/wall-123_456?reply=790&thread=789", ("123", Target("456", "790"))),
    ("https://vk.com/wall-123_456?thread=789&reply=790", ("123", Target("456", "790"))),
    ("http://www.vk.com/wall-123_456/", ("123", Target("456"))),
    ("https://m.vk.com/wall-123_456?reply=789&utm_source=x", ("123", Target("456", "789"))),
    ("https://vk.ru/wall-123_456?reply=789", ("123", Target("456", "789"))),
    ("https://m.vk.ru/wall-123_456", ("123", Target("456"))),
    ("vk.com/wall-123_456", ("123", Target("456"))),
    ("https://vk.com/club123?w=wall-123_456", ("123", Target("456"))),
    ("https://vk.com/public123?w=wall-123_456_r789", ("123", Target("456", "789"))),
    ("https://VK.COM/adm_city?z=1&w=wall-123_456", ("123", Target("456"))),
    ("  https://vk.com/wall-123_456  ", ("123", Target("456"))),
])
def test_target_from_url(url: str, expected: tuple[str, Target]) -> None:
    assert target_from_url(url) == expected


@pytest.mark.parametrize("url", [
    "javascript:alert(1)//vk.com/wall-123_456",
    "javascript://vk.com/wall-123_456",
    "data:text/html,https://vk.com/wall-123_456",
    "https://vk.com.evil.ru/wall-123_456",
    "https://evilvk.com/wall-123_456",
    "https://vk.com@evil.ru/wall-123_456",
    "https://user@vk.com/wall-123_456",
    "https://vk.com:8443/wall-123_456",
    "ftp://vk.com/wall-123_456",
    "https://ok.ru/group/123/topic/456",
    "https://vk.com/wall123_456",  # a person's wall, not a community's
    "https://vk.com/wall-0_456",
    "https://vk.com/wall-123_456?reply=abc",
    "https://vk.com/wall-123_456?reply=-5",
    "https://vk.com/wall-1234567890123456789_456",
    "https://vk.com/wall-123_99999999999999999999",
    "https://vk.com/wall-123_456/../../evil",
    "https://vk.com/club123",
    "https://vk.com/club123?w=photo-123_456",
    "https://vk.com/" + "a" * 5000,
    "",
    "не ссылка",
    "https://[::1/wall-123_456",
])
def test_target_from_url_rejects(url: str) -> None:
    assert target_from_url(url) is None


def test_target_from_url_never_raises_on_non_strings() -> None:
    assert target_from_url(None) is None  # type: ignore[arg-type]
    assert target_from_url(b"https://vk.com/wall-1_2") is None  # type: ignore[arg-type]


# -- parse_webhook (S callback/objects.json; D wall_reply_new = wall_comment + post_id, post_owner_id)
SECRET = "s3cr3t-key"


def event(kind: str, obj: dict[str, object] | None = None, **extra: object) -> bytes:
    body: dict[str, object] = {"type": kind, "group_id": 123, "event_id": "0f4e", "v": "5.199", "secret": SECRET}
    if obj is not None:
        body["object"] = obj
    body.update(extra)
    return json.dumps(body).encode()


def test_webhook_new_comment() -> None:
    push = parse_webhook({}, event("wall_reply_new", {**OUR_REPLY, "post_owner_id": -123}), SECRET)
    assert push.page_key == "123" and push.reply == "ok"
    [comment] = push.comments
    assert (comment.id, comment.post_id, comment.reply_to, comment.from_page) == ("790", "456", "789", True)


def test_webhook_edit_and_delete() -> None:
    edited = parse_webhook({}, event("wall_reply_edit", {**CITIZEN, "text": "Новый текст", "post_owner_id": -123}),
                           SECRET)
    assert [c.text for c in edited.comments] == ["Новый текст"]
    deleted = parse_webhook({}, event("wall_reply_delete", {"owner_id": -123, "id": 789, "user_id": 7001,
                                                            "deleter_id": 7001, "post_id": 456}), SECRET)
    assert deleted.comments == [] and deleted.reply == "ok"
    other = parse_webhook({}, event("group_join", {"user_id": 1, "join_type": "join"}), SECRET)
    assert other.comments == [] and other.reply == "ok"


def test_webhook_confirmation() -> None:
    push = parse_webhook({}, event("confirmation"), SECRET, confirmation="a1b2c3")
    assert (push.page_key, push.reply, push.comments) == ("123", "a1b2c3", [])


@pytest.mark.parametrize(("body", "secret", "kind"), [
    (event("wall_reply_new", CITIZEN, secret="wrong"), SECRET, ErrorKind.FORBIDDEN),
    (json.dumps({"type": "wall_reply_new", "group_id": 123, "object": CITIZEN}).encode(), SECRET,
     ErrorKind.FORBIDDEN),
    (event("wall_reply_new", CITIZEN, secret=None), SECRET, ErrorKind.FORBIDDEN),
    (event("confirmation", secret="wrong"), SECRET, ErrorKind.FORBIDDEN),
    (event("wall_reply_new", CITIZEN), "", ErrorKind.FORBIDDEN),  # no secret configured: refuse
    (b"{not json", SECRET, ErrorKind.BAD_REQUEST),
    (b"\xff\xfe", SECRET, ErrorKind.BAD_REQUEST),
    (b"[1, 2]", SECRET, ErrorKind.BAD_REQUEST),
    (event("wall_reply_new", CITIZEN, group_id="123; drop"), SECRET, ErrorKind.BAD_REQUEST),
    (event("wall_reply_new", None), SECRET, ErrorKind.BAD_REQUEST),
    (event("wall_reply_new", {"text": "без id"}), SECRET, ErrorKind.BAD_REQUEST),
    (event("confirmation"), SECRET, ErrorKind.BAD_REQUEST),  # no confirmation string configured
])
def test_webhook_refusals(body: bytes, secret: str, kind: ErrorKind) -> None:
    with pytest.raises(NetworkError) as caught:
        parse_webhook({}, body, secret)
    assert caught.value.kind is kind
