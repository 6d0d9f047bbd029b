"""The OK client against recorded response shapes (respx): what it sends and how it reads.

Where each shape comes from:
* errors — https://apiok.ru/dev/errors: HTTP 200 with {"error_code", "error_msg", "error_data"};
  the code table there (the same as in OK's SDK enums).
* mediatopic.post — https://apiok.ru/dev/methods/rest/mediatopic/mediatopic.post ("Ответ в
  случае успеха содержит идентификатор созданного медиатопика"); the id as a bare JSON string,
  as in https://apiok.ru/en/dev/sdk/js/ui.postMediatopic ("70102413183763").
* photosV2.getUploadUrl — the example answer on https://apiok.ru/dev/examples/moment_upload;
  the upload host's {"photos": {photo_id: {"token": …}}} — https://apiok.ru/en/dev/examples/photo_upload.
* discussions.getComments / getComment — the comment recorded in
  github.com/Diagon/django-odnoklassniki-discussions (odnoklassniki_discussions/tests.py,
  test_parse_comment); the page fields has_more/discussionId/discussionType/anchor as modelled
  by the C# client Odnoklassniki.Rest (Discussions/Responses/CommentResponse).
* mediatopic.getByIds — {"media_topics": [{"id", "media": [{"type": "text", "text"}],
  "discussion_summary": {"comments_count"}}], "entities": …} as read by published OK tools.
* group.getInfo — https://apiok.ru/dev/methods/rest/group/group.getInfo ({"groups": [...]};
  older answers are a bare array, both are read); group.getUserGroupsByIds — its page's type.
* Poll media of mediatopic.post — https://apiok.ru/en/dev/sdk/js/ui.postMediatopic (the same
  attachment format as mediatopic.post): {"type": "poll", "question", "answers": [{"text"}],
  "options": "SingleChoice,AnonymousVoting"}.
* mediatopic.edit / mediatopic.deleteTopic — no page in apiok/documentation; the names,
  parameters (topic_id, gid, attachment) and the {"success": true} answer as called by the C#
  client Oland.Odnoklassniki.Rest (ApiClients/MediaTopics/MediaTopicsApiClient.cs: edit →
  CompletionStatusResponse.Success, deleteTopic → DeleteTopicResponse.Success) and by published
  Python posters (topic_id + gid; `result is True or result.get("success")`); the deleteTopic
  answer {"restore_id", "success"} as recorded in tonyyang0504/platform-mcp
  (catalog/social/odnoklassniki.json and its wire test).
* mediatopic.getTopics — gid + count, answer {"media_topics": [{"id", "owner_ref",
  "author_ref", "created_ms", "media": [{"type": "text", "text"}]}]} as read by
  Unbewohnte/SNGCNOTIFIERbot (internal ok client, getGroupFeed).
* group.getInfo access_type — https://apiok.ru/dev/methods/rest/group/group.getInfo ("access_type":
  CLOSED | OPEN | SECRET); `private` (boolean) and the bare-array answer as parsed by a client
  mimicking OK's Android app (social_media/mimic/ok/requests/group/info.py, GroupInfoItem).
* Bot API webhook — apiok/documentation docs/method/ru/graph.user/graph.user.subscribe/post.md.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Callable
from urllib.parse import parse_qs

import httpx
import pytest
import respx

from otklik.channels.base import (
    ErrorKind,
    Media,
    NetworkError,
    PageAccess,
    Poll,
    RateLimiter,
    Target,
)
from otklik.channels.ok import client as ok
from otklik.channels.ok.client import Client, parse_webhook, target_from_url

API = "https://api.ok.ru/fb.do"
GID = "54116239147097"
TOPIC = "67761823446361"
APP_KEY = "CBAFJIICABABABABA"
APP_SECRET = "0123456789ABCDEF0123456789ABCDEF"

RECORDED_COMMENT: dict[str, object] = {  # Diagon/django-odnoklassniki-discussions, test_parse_comment
    "attrs": {"flags": "l,s"},
    "author_id": "538901295641",
    "date": "2014-04-11 12:53:02",
    "id": "MTM5NzIwNjM4MjQ3MTotMTU5NDE6MTM5NzIwNjM4MjQ3MTo2MjUwMzkyOTY2MjMyMDox",
    "like_count": 123,
    "liked_it": False,
    "reply_to_comment_id": "MTM5NzIwNjMzNjI2MTotODE0MzoxMzk3MjA2MzM2MjYxOjYyNTAzOTI5NjYyMzIwOjE=",
    "reply_to_id": "134519031824",
    "text": "наверное и я так буду делать!",
    "type": "ACTIVE_MESSAGE",
}
GROUP_COMMENT: dict[str, object] = {  # a comment written by the group: author_type GROUP, author_id the gid
    "attrs": {"flags": "l,s"}, "author_id": GID, "author_type": "GROUP", "author_name": "Администрация",
    "date": "2014-04-11 12:55:40", "id": "MTM5NzIwNjU0MDAwMDotMTox", "like_count": 0,
    "liked_it": False, "reply_to_comment_id": RECORDED_COMMENT["id"], "reply_to_id": "538901295641",
    "text": "Спасибо, передали в службу.", "type": "ACTIVE_MESSAGE",
}
CITIZEN_ID = str(RECORDED_COMMENT["id"])


def error(code: int, msg: str) -> httpx.Response:
    return httpx.Response(200, json={"error_code": code, "error_msg": msg, "error_data": None})


@pytest.fixture
def token() -> str:
    return "tkn1" + uuid.uuid4().hex  # a token of its own: the per-token limiter is shared


@pytest.fixture
def client(token: str) -> Client:
    made = Client(PageAccess(external_id=GID, token=token, app_key=APP_KEY, app_secret=APP_SECRET),
                  base_url=API)
    made._limiter = RateLimiter(10_000)  # spacing is tested on its own below
    return made


def sent(route: respx.Route, index: int = -1) -> dict[str, str]:
    request = route.calls[index].request
    assert request.method == "POST"
    assert request.headers["content-type"].startswith("application/x-www-form-urlencoded")
    return {k: v[0] for k, v in parse_qs(request.content.decode()).items()}


def assert_signed(params: dict[str, str], token: str) -> None:
    """Recompute OK's sig by hand (https://apiok.ru/dev/methods), not with the client's helper."""
    secret = hashlib.md5((token + APP_SECRET).encode(), usedforsecurity=False).hexdigest()
    joined = "".join(f"{k}={params[k]}" for k in sorted(params) if k not in ("sig", "access_token"))
    assert params["sig"] == hashlib.md5((joined + secret).encode(), usedforsecurity=False).hexdigest()
    assert params["access_token"] == token
    assert params["application_key"] == APP_KEY
    assert params["format"] == "json"


def test_signature_matches_a_hand_computed_example() -> None:
    params = {"application_key": "A", "method": "users.getCurrentUser", "format": "json"}
    secret = hashlib.md5(b"tokS", usedforsecurity=False).hexdigest()
    expected = hashlib.md5(f"application_key=Aformat=jsonmethod=users.getCurrentUser{secret}".encode(),
                           usedforsecurity=False).hexdigest()
    assert ok.signature({**params, "access_token": "tok", "sig": "x"}, "tok", "S") == expected


# -- success of every method, and what was sent
@respx.mock
def test_publish_post_with_photo(client: Client, token: str) -> None:
    upload = "https://pu.mycdn.me/uploadImage?apiToken=abc&photoIds=GuL9zIvR8Ymnw"
    api = respx.post(API).mock(side_effect=[
        httpx.Response(200, json={"photo_ids": ["GuL9zIvR8Ymnw"], "upload_url": upload,
                                  "expires_ms": 1618928701461, "ttl_ms": 86399988}),
        httpx.Response(200, json="70102413183763"),
    ])
    host = respx.post(upload).mock(return_value=httpx.Response(
        200, json={"photos": {"GuL9zIvR8Ymnw": {"token": "photoTokenXYZ=="}}}))

    published = client.publish_post("Объявление о ремонте", [Media("plan.jpg", b"\xff\xd8jpeg")])

    assert published.post_id == "70102413183763"
    assert published.url == f"https://ok.ru/group/{GID}/topic/70102413183763"
    first = sent(api, 0)
    assert_signed(first, token)
    assert (first["method"], first["gid"], first["count"]) == ("photosV2.getUploadUrl", GID, "1")
    body = host.calls[0].request.content
    assert b'name="pic1"; filename="plan.jpg"' in body and b"\xff\xd8jpeg" in body
    assert b"access_token" not in body  # the upload URL carries its own credentials
    second = sent(api, 1)
    assert_signed(second, token)
    assert (second["method"], second["gid"], second["type"]) == ("mediatopic.post", GID, "GROUP_THEME")
    assert json.loads(second["attachment"]) == {
        "media": [{"type": "text", "text": "Объявление о ремонте"},
                  {"type": "photo", "list": [{"id": "photoTokenXYZ=="}]}],
        "onBehalfOfGroup": "true"}


@respx.mock
def test_publish_post_with_poll(client: Client, token: str) -> None:
    route = respx.post(API).mock(return_value=httpx.Response(200, json="70102413183763"))
    client.publish_post("Голосование", poll=Poll("Где сквер?", ("У школы", "У реки")))
    client.publish_post("", poll=Poll("Какие дни?", ("Сб", "Вс"), multiple=True))
    single, multiple = sent(route, 0), sent(route, 1)
    assert_signed(single, token)
    assert json.loads(single["attachment"])["media"] == [
        {"type": "text", "text": "Голосование"},
        {"type": "poll", "question": "Где сквер?", "answers": [{"text": "У школы"}, {"text": "У реки"}],
         "options": "SingleChoice"}]
    assert json.loads(multiple["attachment"])["media"] == [
        {"type": "poll", "question": "Какие дни?", "answers": [{"text": "Сб"}, {"text": "Вс"}]}]


@pytest.mark.parametrize("poll", [Poll(" ", ("да",)), Poll("Вопрос?", ()), Poll("Вопрос?", ("да", ""))])
def test_bad_poll_never_reaches_ok(client: Client, poll: Poll) -> None:
    with respx.mock, pytest.raises(NetworkError) as caught:  # no route: a request would fail
        client.publish_post("Текст", poll=poll)
    assert caught.value.kind is ErrorKind.BAD_REQUEST


TEXT_TOPIC = {"id": TOPIC, "created_ms": 1397206382000, "owner_ref": f"group:{GID}", "author_ref": f"group:{GID}",
              "media": [{"type": "text", "text": "Текст темы"}], "discussion_summary": {"comments_count": 2}}


@respx.mock
def test_edit_post(client: Client, token: str) -> None:
    route = respx.post(API).mock(side_effect=[
        httpx.Response(200, json={"media_topics": [TEXT_TOPIC], "entities": {}}),
        httpx.Response(200, json={"success": True}),
    ])
    client.edit_post(TOPIC, "Текст темы (исправлено)")
    assert sent(route, 0)["method"] == "mediatopic.getByIds"
    params = sent(route, 1)
    assert_signed(params, token)
    assert (params["method"], params["topic_id"], params["gid"]) == ("mediatopic.edit", TOPIC, GID)
    assert json.loads(params["attachment"]) == {"media": [{"type": "text", "text": "Текст темы (исправлено)"}]}


@respx.mock
def test_edit_post_with_attachments_is_refused(client: Client) -> None:
    route = respx.post(API).mock(return_value=httpx.Response(200, json={"media_topics": [
        {**TEXT_TOPIC, "media": [{"type": "text", "text": "Опрос"}, {"type": "poll", "poll_ref": "poll:1"}]}]}))
    with pytest.raises(NetworkError) as caught:
        client.edit_post(TOPIC, "Новый текст")
    assert caught.value.kind is ErrorKind.UNSUPPORTED and "poll" in caught.value.detail
    assert route.call_count == 1  # mediatopic.edit was never called
    route.mock(return_value=httpx.Response(200, json={"media_topics": [], "entities": {}}))
    with pytest.raises(NetworkError) as gone:
        client.edit_post(TOPIC, "Новый текст")
    assert gone.value.kind is ErrorKind.NOT_FOUND


@respx.mock
def test_delete_post(client: Client, token: str) -> None:
    route = respx.post(API).mock(side_effect=[
        httpx.Response(200, json={"restore_id": "R1", "success": True}),
        httpx.Response(200, json=True),
        httpx.Response(200, json={"success": False}),
        error(300, "NOT_FOUND : Topic not found"),
    ])
    client.delete_post(TOPIC)
    params = sent(route, 0)
    assert_signed(params, token)
    assert (params["method"], params["topic_id"], params["gid"]) == ("mediatopic.deleteTopic", TOPIC, GID)
    client.delete_post(TOPIC)  # a bare true is success too
    with pytest.raises(NetworkError) as refused:
        client.delete_post(TOPIC)
    assert refused.value.kind is ErrorKind.BAD_REQUEST
    with pytest.raises(NetworkError) as gone:
        client.delete_post(TOPIC)
    assert gone.value.kind is ErrorKind.NOT_FOUND


@respx.mock
def test_find_post(client: Client, token: str) -> None:
    foreign = {**TEXT_TOPIC, "id": "111", "owner_ref": "group:999", "media": [{"type": "text", "text": "Вода"}]}
    route = respx.post(API).mock(return_value=httpx.Response(200, json={"media_topics": [
        foreign, {**TEXT_TOPIC, "id": "222", "media": [{"type": "text", "text": "Вода\r\n"},
                                                      {"type": "photo", "photo_refs": ["x"]}]}]}))
    found = client.find_post("Вода")
    assert found is not None and (found.post_id, found.url) == ("222", f"https://ok.ru/group/{GID}/topic/222")
    params = sent(route)
    assert_signed(params, token)
    assert (params["method"], params["gid"], params["count"]) == ("mediatopic.getTopics", GID, "50")
    assert client.find_post("Газ") is None


@respx.mock
def test_find_post_where_the_method_is_closed(client: Client) -> None:
    respx.post(API).mock(return_value=error(3, "METHOD : Method mediatopic.getTopics does not exist"))
    with pytest.raises(NetworkError) as caught:
        client.find_post("Вода")
    assert caught.value.kind is ErrorKind.UNSUPPORTED and "ok.ru" in caught.value.detail


@pytest.mark.parametrize(("group", "is_open", "words"), [
    ({"access_type": "OPEN", "private": False}, True, []),
    ({"access_type": "CLOSED", "private": False}, False, ["закрытая"]),
    ({"access_type": "SECRET", "private": True}, False, ["секретная"]),
    ({"access_type": "OPEN", "private": True}, False, ["частная"]),
    ({}, True, ["не сообщил"]),
])
def test_page_status(client: Client, token: str, group: dict[str, object], is_open: bool, words: list[str]) -> None:
    with respx.mock:
        route = respx.post(API).mock(return_value=httpx.Response(200, json=[
            {"uid": GID, "name": "Администрация города", **group}]))
        status = client.page_status()
    params = sent(route)
    assert_signed(params, token)
    assert (params["method"], params["uids"], params["fields"]) == ("group.getInfo", GID, "uid,name,access_type,private")
    assert (status.name, status.open, status.comments_open) == ("Администрация города", is_open, True)
    assert all(w in status.detail for w in words) and "комментарии" in status.detail  # OK cannot tell


@pytest.mark.parametrize(("call", "answer", "kind"), [
    (lambda c: c.delete_post(TOPIC), error(10, "PERMISSION_DENIED : Not allowed"), ErrorKind.FORBIDDEN),
    (lambda c: c.delete_post(TOPIC), error(102, "PARAM_SESSION_EXPIRED : Session expired"), ErrorKind.TOKEN_INVALID),
    (lambda c: c.edit_post(TOPIC, "x"), error(8, "FLOOD_BLOCKED : Method execution is blocked due to flood"),
     ErrorKind.RATE_LIMITED),
    (lambda c: c.find_post("x"), error(2, "SERVICE : Service temporarily unavailable"), ErrorKind.RETRY),
    (lambda c: c.page_status(), error(160, "PARAM_GROUP_ID : Invalid group id"), ErrorKind.NOT_FOUND),
    (lambda c: c.page_status(), httpx.Response(200, json=[]), ErrorKind.NOT_FOUND),
    (lambda c: c.publish_post("x", poll=Poll("Да?", ("да", "нет"))), error(100, "PARAM : poll is not valid"),
     ErrorKind.BAD_REQUEST),
])
def test_errors_of_the_page_methods(client: Client, call: Callable[[Client], object], answer: httpx.Response,
                                    kind: ErrorKind) -> None:
    with respx.mock:
        respx.post(API).mock(return_value=answer)
        with pytest.raises(NetworkError) as caught:
            call(client)
    assert caught.value.kind is kind


def test_bad_topic_ids_never_reach_ok(client: Client) -> None:
    calls: list[Callable[[], None]] = [lambda: client.delete_post("1 OR 1"), lambda: client.edit_post("../2", "x"),
                                       lambda: client.edit_post(TOPIC, "я" * (ok.MAX_TEXT + 1))]
    with respx.mock:
        for call in calls:
            with pytest.raises(NetworkError) as caught:
                call()
            assert caught.value.kind is ErrorKind.BAD_REQUEST


@respx.mock
def test_reply_to_a_comment_as_the_group(client: Client, token: str) -> None:
    route = respx.post(API).mock(return_value=httpx.Response(200, json="MTM5NzIwNjU0MDAwMDotMTox"))
    published = client.reply(Target(TOPIC, CITIZEN_ID), "Ответ")
    params = sent(route)
    assert_signed(params, token)
    assert params["method"] == "discussions.addDiscussionComment"
    assert (params["entityId"], params["entityType"], params["comment"]) == (TOPIC, "GROUP_TOPIC", "Ответ")
    assert params["reply_to_comment_id"] == RECORDED_COMMENT["id"]
    assert params["as_admin"] == "true"
    assert published.comment_id == "MTM5NzIwNjU0MDAwMDotMTox"
    assert published.url == f"https://ok.ru/group/{GID}/topic/{TOPIC}"


@respx.mock
def test_find_reply_and_comments_with_marker(client: Client, token: str) -> None:
    page = {"discussionId": TOPIC, "discussionType": "GROUP_TOPIC", "anchor": "QU5DSE9S",
            "has_more": False, "comments": [RECORDED_COMMENT, GROUP_COMMENT]}
    route = respx.post(API).mock(return_value=httpx.Response(200, json=page))

    found = client.find_reply(Target(TOPIC, CITIZEN_ID), " Спасибо, передали в службу.\r\n")
    assert found is not None and found.comment_id == GROUP_COMMENT["id"]
    assert client.find_reply(Target(TOPIC, CITIZEN_ID), "Другой текст") is None
    assert client.find_reply(Target(TOPIC, "другой-комментарий"), str(GROUP_COMMENT["text"])) is None
    params = sent(route)
    assert_signed(params, token)
    assert (params["method"], params["discussionId"], params["discussionType"]) == (
        "discussions.getComments", TOPIC, "GROUP_TOPIC")
    assert (params["anchor"], params["direction"], params["count"]) == ("LAST", "BACKWARD", "100")

    batch = client.comments(TOPIC)
    assert [c.id for c in batch.comments] == [RECORDED_COMMENT["id"], GROUP_COMMENT["id"]]
    citizen, ours = batch.comments
    assert (citizen.author_id, citizen.from_page, citizen.reply_to) == (
        "538901295641", False, RECORDED_COMMENT["reply_to_comment_id"])
    assert citizen.date == 1397209982  # 2014-04-11 12:53:02 Moscow time
    assert ours.from_page and ours.author_id == GID
    assert client.comments(TOPIC, batch.marker).comments == []


@respx.mock
def test_comments_pages_backward_until_the_marker(client: Client) -> None:
    older = {**RECORDED_COMMENT, "id": "old", "date": "2014-04-11 12:00:00"}
    route = respx.post(API).mock(side_effect=[
        httpx.Response(200, json={"anchor": "A1", "has_more": True, "comments": [GROUP_COMMENT]}),
        httpx.Response(200, json={"anchor": "A0", "has_more": False, "comments": [older, RECORDED_COMMENT]}),
    ])
    batch = client.comments(TOPIC)
    assert [c.id for c in batch.comments] == ["old", RECORDED_COMMENT["id"], GROUP_COMMENT["id"]]
    assert sent(route, 1)["anchor"] == "A1"


@respx.mock
def test_delete_comment(client: Client, token: str) -> None:
    route = respx.post(API).mock(return_value=httpx.Response(200, json=True))
    client.delete_comment(Target(TOPIC, "c1"))
    client.delete_comment(Target(TOPIC, "c2"), block_author=True)
    first, second = sent(route, 0), sent(route, 1)
    assert_signed(first, token)
    assert (first["method"], first["discussionId"], first["discussionType"], first["comment_id"]) == (
        "discussions.deleteDiscussionComment", TOPIC, "GROUP_TOPIC", "c1")
    assert "block_author" not in first and second["block_author"] == "true"


def test_what_ok_lacks_is_unsupported(client: Client) -> None:
    calls: list[Callable[[], None]] = [lambda: client.restore_comment(Target(TOPIC, "c1")),
                                       lambda: client.ban("1"), lambda: client.unban("1")]
    for call in calls:
        with pytest.raises(NetworkError) as caught:
            call()
        assert caught.value.kind is ErrorKind.UNSUPPORTED
        assert "Одноклассник" in caught.value.detail


@respx.mock
def test_fetch_post_and_comment(client: Client, token: str) -> None:
    route = respx.post(API).mock(side_effect=[
        httpx.Response(200, json={"media_topics": [{
            "id": TOPIC, "created_ms": 1397206382000, "owner_ref": f"group:{GID}",
            "media": [{"type": "text", "text": "Текст темы"}, {"type": "photo", "photo_refs": ["x"]}],
            "discussion_summary": {"comments_count": 2}}], "entities": {"groups": []}}),
        httpx.Response(200, json={"media_topics": [], "entities": {}}),
        httpx.Response(200, json=RECORDED_COMMENT),
    ])
    state = client.fetch_post(TOPIC)
    assert (state.id, state.text, state.exists) == (TOPIC, "Текст темы", True)
    assert sent(route, 0)["topic_ids"] == TOPIC and sent(route, 0)["method"] == "mediatopic.getByIds"
    assert client.fetch_post("1").exists is False
    comment = client.fetch_comment(Target(TOPIC, CITIZEN_ID))
    assert comment.text == "наверное и я так буду делать!" and comment.post_id == TOPIC
    params = sent(route, 2)
    assert_signed(params, token)
    assert (params["method"], params["comment_id"]) == ("discussions.getComment", RECORDED_COMMENT["id"])


@respx.mock
def test_check_ok_and_missing_rights(client: Client, token: str) -> None:
    route = respx.post(API).mock(side_effect=[
        httpx.Response(200, json={"uid": "577000000001", "name": "Иван Петров"}),
        httpx.Response(200, json={"groups": [{"uid": GID, "name": "Администрация города"}]}),
        httpx.Response(200, json=[{"groupId": GID, "userId": "577000000001", "status": "ADMIN"}]),
        httpx.Response(200, json=True),
        httpx.Response(200, json=True),
        httpx.Response(200, json={"uid": "577000000001", "name": "Иван Петров"}),
        httpx.Response(200, json=[{"uid": GID, "name": "Администрация города"}]),
        httpx.Response(200, json=[{"groupId": GID, "userId": "577000000001", "status": "ACTIVE"}]),
        httpx.Response(200, json=True),
        httpx.Response(200, json=False),
    ])
    result = client.check()
    assert result.ok and result.name == "Администрация города"
    methods = [sent(route, i)["method"] for i in range(5)]
    assert methods == ["users.getCurrentUser", "group.getInfo", "group.getUserGroupsByIds",
                       "users.hasAppPermission", "users.hasAppPermission"]
    assert sent(route, 2)["uids"] == "577000000001" and sent(route, 2)["group_id"] == GID
    worse = client.check()
    assert not worse.ok and len(worse.missing) == 2


@respx.mock
def test_check_reports_a_dead_token(client: Client) -> None:
    respx.post(API).mock(return_value=error(102, "PARAM_SESSION_EXPIRED : Session expired"))
    result = client.check()
    assert not result.ok and "Ключ доступа" in result.problem


# -- every error kind
@pytest.mark.parametrize(("answer", "kind"), [
    (error(8, "FLOOD_BLOCKED : Method execution is blocked due to flood"), ErrorKind.RATE_LIMITED),
    (error(11, "LIMIT_REACHED : Request call limit is reached"), ErrorKind.RATE_LIMITED),
    (error(2, "SERVICE : Service temporarily unavailable"), ErrorKind.RETRY),
    (error(9999, "SYSTEM : Critical system error"), ErrorKind.RETRY),
    (httpx.Response(502, text="<html>Bad Gateway</html>"), ErrorKind.RETRY),
    (error(102, "PARAM_SESSION_EXPIRED : Session expired"), ErrorKind.TOKEN_INVALID),
    (error(103, "PARAM_SESSION_KEY : Invalid session key"), ErrorKind.TOKEN_INVALID),
    (error(104, "PARAM_SIGNATURE : Invalid signature"), ErrorKind.TOKEN_INVALID),
    (error(300, "NOT_FOUND : Discussion not found"), ErrorKind.NOT_FOUND),
    (error(700, "COMMENT_NOT_FOUND : Comment not found"), ErrorKind.NOT_FOUND),
    (error(10, "PERMISSION_DENIED : Not allowed"), ErrorKind.FORBIDDEN),
    (error(455, "FRIEND_RESTRICTION : Black list"), ErrorKind.FORBIDDEN),
    (error(100, "PARAM : Missing required parameter comment"), ErrorKind.BAD_REQUEST),
    (error(454, "CENSOR_MATCH : Censored"), ErrorKind.BAD_REQUEST),
])
@respx.mock
def test_error_kinds(client: Client, token: str, answer: httpx.Response, kind: ErrorKind) -> None:
    respx.post(API).mock(return_value=answer)
    with pytest.raises(NetworkError) as caught:
        client.reply(Target(TOPIC, "c1"), "Ответ")
    assert caught.value.kind is kind
    assert token not in str(caught.value) and token not in caught.value.detail


@respx.mock
def test_retry_after_header_is_kept(client: Client) -> None:
    respx.post(API).mock(return_value=httpx.Response(429, headers={"Retry-After": "7"}))
    with pytest.raises(NetworkError) as caught:
        client.fetch_post(TOPIC)
    assert (caught.value.kind, caught.value.retry_after) == (ErrorKind.RATE_LIMITED, 7.0)


@respx.mock
def test_read_timeout_is_timeout_and_connect_error_is_retry(client: Client, token: str) -> None:
    respx.post(API).mock(side_effect=httpx.ReadTimeout("timed out"))
    with pytest.raises(NetworkError) as caught:
        client.reply(Target(TOPIC), "Ответ")
    assert caught.value.kind is ErrorKind.TIMEOUT
    respx.post(API).mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(NetworkError) as caught:
        client.reply(Target(TOPIC), "Ответ")
    assert caught.value.kind is ErrorKind.RETRY
    assert token not in repr(caught.value) and token not in repr(client)


def test_too_long_text_and_video_are_refused_before_sending(client: Client) -> None:
    with pytest.raises(NetworkError) as caught:
        client.reply(Target(TOPIC), "я" * (ok.MAX_TEXT + 1))
    assert caught.value.kind is ErrorKind.BAD_REQUEST
    with pytest.raises(NetworkError) as caught, respx.mock:
        client.publish_post("Видео", [Media("a.mp4", b"x", kind="video")])
    assert caught.value.kind is ErrorKind.UNSUPPORTED


def test_missing_application_keys_is_token_invalid(token: str) -> None:
    bare = Client(PageAccess(external_id=GID, token=token), base_url=API)
    with pytest.raises(NetworkError) as caught:
        bare.fetch_post(TOPIC)
    assert caught.value.kind is ErrorKind.TOKEN_INVALID


def test_base_url_from_environment(monkeypatch: pytest.MonkeyPatch, token: str) -> None:
    page = PageAccess(external_id=GID, token=token, app_key=APP_KEY, app_secret=APP_SECRET)
    assert Client(page).base_url == API
    monkeypatch.setenv("OTKLIK_OK_API_URL", "http://127.0.0.1:9/ok/fb.do/")
    assert Client(page).base_url == "http://127.0.0.1:9/ok/fb.do"


@respx.mock
def test_rate_limiter_spaces_calls(token: str) -> None:
    respx.post(API).mock(return_value=httpx.Response(200, json=True))
    limited = Client(PageAccess(external_id=GID, token=token, app_key=APP_KEY, app_secret=APP_SECRET),
                     base_url=API)
    started = time.monotonic()
    for _ in range(4):
        limited.delete_comment(Target(TOPIC, "c1"))
    elapsed = time.monotonic() - started
    assert elapsed >= 3 / ok.PER_SECOND - 0.05  # four calls: three full intervals


# -- target_from_url
@pytest.mark.parametrize("url", [
    f"https://ok.ru/group/{GID}/topic/{TOPIC}",
    f"http://ok.ru/group/{GID}/topic/{TOPIC}/",
    f"https://www.ok.ru/group/{GID}/topic/{TOPIC}?utm_source=vk&st.cmd=x",
    f"https://m.ok.ru/group/{GID}/topic/{TOPIC}",
    f"https://m.ok.ru/dk/group/{GID}/topic/{TOPIC}",
    f"https://ok.ru/group{GID}/topic/{TOPIC}",
    f"https://odnoklassniki.ru/group/{GID}/topic/{TOPIC}",
    f"https://www.odnoklassniki.ru/group/{GID}/topic/{TOPIC}#comments",
    f"https://m.ok.ru/dk?st.themeId={TOPIC}&st.cmd=altGroupForumTopic&st.groupId={GID}",
    f"  HTTPS://OK.RU/group/{GID}/topic/{TOPIC}  ",
])
def test_target_from_url_good(url: str) -> None:
    assert target_from_url(url) == (GID, Target(TOPIC))


@pytest.mark.parametrize("url", [
    "javascript:alert(1)//ok.ru/group/1/topic/2",
    f"https://ok.ru.evil.ru/group/{GID}/topic/{TOPIC}",
    f"https://evil-ok.ru/group/{GID}/topic/{TOPIC}",
    f"https://ok.ru@evil.ru/group/{GID}/topic/{TOPIC}",
    f"https://user:pw@ok.ru/group/{GID}/topic/{TOPIC}",
    f"https://vk.com/group/{GID}/topic/{TOPIC}",
    f"ftp://ok.ru/group/{GID}/topic/{TOPIC}",
    f"https://ok.ru:8443/group/{GID}/topic/{TOPIC}",
    f"https://ok.ru/mygroup/topic/{TOPIC}",  # a short name: not resolvable offline
    f"https://ok.ru/group/{GID}",
    f"https://ok.ru/group/{GID}/topic/{TOPIC}/extra",
    f"https://ok.ru/group/{'9' * 40}/topic/{TOPIC}",
    f"https://ok.ru/group/{GID}/topic/{'1' * 25}",
    f"https://ok.ru/group/-{GID}/topic/{TOPIC}",
    "https://[::1/group/1/topic/2",
    "not a url at all",
    "",
    "https://ok.ru/" + "a" * 5000,
])
def test_target_from_url_hostile(url: str) -> None:
    assert target_from_url(url) is None


# -- parse_webhook
BOT_MESSAGE = json.dumps({  # graph.user.subscribe/post.md, "Новое сообщение (без приложения)"
    "sender": {"user_id": "user:123456789012"}, "recipient": {"chat_id": "chat:C3ecb9d02a600"},
    "message": {"text": "text", "seq": 98211023614189660, "mid": "mid:C3ecb9d02a600.15cea67d78d2059"},
    "timestamp": 1498581292941}).encode()


def test_webhook_right_secret_acknowledges_without_comments() -> None:
    push = parse_webhook({"X-Otklik-Webhook-Secret": "s3cret"}, BOT_MESSAGE, "s3cret")
    assert push.comments == [] and push.reply == "ok"


@pytest.mark.parametrize("headers", [{"X-Otklik-Webhook-Secret": "wrong"}, {}, {"x-otklik-webhook-secret": ""}])
def test_webhook_wrong_or_missing_secret(headers: dict[str, str]) -> None:
    with pytest.raises(NetworkError) as caught:
        parse_webhook(headers, BOT_MESSAGE, "s3cret")
    assert caught.value.kind is ErrorKind.FORBIDDEN


def test_webhook_without_configured_secret_is_refused() -> None:
    with pytest.raises(NetworkError) as caught:
        parse_webhook({"X-Otklik-Webhook-Secret": ""}, BOT_MESSAGE, "")
    assert caught.value.kind is ErrorKind.FORBIDDEN


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b"\xff\xfe", b'{"message": "x"}'])
def test_webhook_malformed(body: bytes) -> None:
    with pytest.raises(NetworkError) as caught:
        parse_webhook({"x-otklik-webhook-secret": "s3cret"}, body, "s3cret")
    assert caught.value.kind is ErrorKind.BAD_REQUEST
