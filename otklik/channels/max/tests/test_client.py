"""The MAX client against recorded response shapes (respx): what it sends and how it reads.

Where the shapes come from (copied, ids kept):
* GO = github.com/max-messenger/max-bot-api-client-go (official): stabs/*.json, schema.yaml
  (OpenAPI 0.0.30), http/comments.http.
* DOCS = dev.max.ru/docs-api: objects/CommentMessage, methods …/comments, POST /uploads,
  DELETE /chats/{chatId}/members.
* TS = github.com/max-messenger/max-bot-api-client-ts (official): modules/comments/types.ts
  (GetCommentsResponse = {messages: CommentMessage[]}, SendCommentResponse = {message}).
* Official posts: GO schema.yaml — PUT /messages (editMessage: message_id query, NewMessageBody,
  200 SimpleQueryResult), DELETE /messages (deleteMessage, 403 Forbidden listed), GET /messages
  (getMessages: chat_id, count 1-100, MessageList newest first; 403 "user suspended bot or it
  doesn't have access to chat"), GET /chats/{chatId} (Chat: is_public, status active | removed |
  left | closed | suspended); DOCS PUT /messages (channel posts editable at any age, ≤ 2 edits a
  second per chat). The schema has no poll attachment (Attachment mapping: image, video, audio,
  file, sticker, contact, inline_keyboard, reply_keyboard, share, location, data).
"""

from __future__ import annotations

import copy
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

from otklik.channels.base import ErrorKind, Media, NetworkError, PageAccess, Poll, Published, Target
from otklik.channels.max import client as max_client
from otklik.channels.max.client import Client, parse_webhook, target_from_url

BASE = "https://platform-api2.max.ru"
CHAT = "-70000000000005"
POST = "mid.ffffbdb48e6c3775019d496b34394b84"
COMMENT = "mid.ffffbdb48e6c3775019d496b34394b99"
BOT = 229229229

# GO stabs/botInfo-like BotInfo (schema.yaml BotInfo; ids as in stabs/chats/get-membership.json)
ME: dict[str, Any] = {"user_id": BOT, "first_name": "bot firstname", "username": "test-bot", "is_bot": True,
      "last_activity_time": 1775626919577, "name": "bot firstname"}
# GO stabs/chats/get-chat-by-id.json (recorded for a group chat; "type" is "channel" for our pages)
CHAT_RAW: dict[str, Any] = {"chat_id": -70000000000005, "type": "chat", "status": "active", "title": "chat title",
            "last_event_time": 1775628268494, "participants_count": 3, "is_public": False,
            "description": "chat description", "owner_id": 123123123,
            "participants": {"123123123": 1775628268494, "201201201": 1775628268494, "229229229": 1775628268494},
            "link": "https://max.ru/join/hash-chat-link", "messages_count": 7}
CHANNEL: dict[str, Any] = {**CHAT_RAW, "type": "channel", "title": "Администрация города"}
# GO stabs/chats/get-membership.json (this bot lacks "delete")
MEMBERSHIP: dict[str, Any] = {"last_access_time": 1775626919577, "is_owner": False, "is_admin": True,
              "join_time": 1775626919577,
              "permissions": ["add_admins", "edit_link", "pin_message", "change_chat_info",
                              "add_remove_members", "can_call", "write", "read_all_messages"],
              "user_id": BOT, "first_name": "bot firstname", "username": "test-bot", "is_bot": True,
              "last_activity_time": 1775626919577, "description": "bot for unit-test",
              "avatar_url": "https://localhost/avatar.png", "full_avatar_url": "https://localhost/avatar.full.png",
              "name": "bot firstname"}
FULL_MEMBERSHIP: dict[str, Any] = {**MEMBERSHIP, "permissions": [*MEMBERSHIP["permissions"], "delete"]}
# GO stabs/webhook.message_created.json's message, as a channel post (schema Message: sender null
# "if posted on behalf of a channel", url "Message public URL")
POST_MESSAGE: dict[str, Any] = {"sender": None, "recipient": {"chat_id": -70000000000005, "chat_type": "channel"},
                "timestamp": 1775053255737,
                "body": {"mid": POST, "seq": 116327994376978687, "text": "Ремонт дороги на Лесной"},
                "url": "https://max.ru/gorod/AaApSIDNYGM"}
# GO stabs/update.comment_created.json's message + DOCS CommentMessage (sender, link reply)
CITIZEN_COMMENT: dict[str, Any] = {"recipient": {"chat_type": "channel", "chat_id": -70000000000005, "post_id": POST},
                   "timestamp": 1788528471428,
                   "body": {"mid": COMMENT, "seq": 116327994376978687, "text": "Когда починят?"},
                   "sender": {"user_id": 123456789, "first_name": "John", "last_name": "Doe", "is_bot": False,
                              "last_activity_time": 1775053249000, "name": "John Doe"}}
OUR_REPLY: dict[str, Any] = {"recipient": {"chat_type": "channel", "chat_id": -70000000000005, "post_id": POST},
             "timestamp": 1788528481428,
             "body": {"mid": "mid.ffffbdb48e6c3775019d496b34394baa", "seq": 116327994376978700,
                      "text": "Починят в мае."},
             "sender": {"user_id": BOT, "first_name": "bot firstname", "is_bot": True, "name": "bot firstname"},
             "link": {"type": "reply", "message": {"mid": COMMENT, "seq": 116327994376978687, "text": "Когда починят?"}}}
# GO schema.yaml SimpleQueryResult
OK: dict[str, Any] = {"success": True}


def _token() -> str:
    return f"tok-{uuid.uuid4().hex}"  # a fresh limiter per test: no waiting on another test's calls


@pytest.fixture
def token() -> str:
    return _token()


@pytest.fixture
def client(token: str) -> Client:
    page = PageAccess(external_id=CHAT, token=token, public_url="https://max.ru/gorod")
    return Client(page, base_url=BASE, http=httpx.Client())


@pytest.fixture
def api() -> Any:
    with respx.mock(base_url=BASE, assert_all_called=False) as mock:
        yield mock


def _sent(route: Any, n: int = 0) -> httpx.Request:
    request: httpx.Request = route.calls[n].request
    return request


def _auth_ok(request: httpx.Request, token: str) -> None:
    assert request.headers["Authorization"] == token  # the token as is, no "Bearer"
    assert "access_token" not in request.url.params  # MAX no longer takes it from the query


# ---------------------------------------------------------------- check
def test_check_ok(api: Any, client: Client, token: str) -> None:
    me = api.get("/me").respond(json=ME)
    chat = api.get(f"/chats/{CHAT}").respond(json=CHANNEL)
    member = api.get(f"/chats/{CHAT}/members/me").respond(json=FULL_MEMBERSHIP)
    result = client.check()
    assert result.ok and result.name == "Администрация города" and result.missing == ()
    for route in (me, chat, member):
        _auth_ok(_sent(route), token)


def test_check_names_missing_rights(api: Any, client: Client) -> None:
    api.get("/me").respond(json=ME)
    api.get(f"/chats/{CHAT}").respond(json=CHANNEL)
    api.get(f"/chats/{CHAT}/members/me").respond(json=MEMBERSHIP)
    result = client.check()
    assert not result.ok
    assert result.missing == ("удалять сообщения и комментарии (право «delete»)",)


def test_check_not_admin_and_not_channel(api: Any, client: Client) -> None:
    api.get("/me").respond(json=ME)
    api.get(f"/chats/{CHAT}").respond(json=CHANNEL)
    api.get(f"/chats/{CHAT}/members/me").respond(json={**MEMBERSHIP, "is_admin": False, "permissions": None})
    result = client.check()
    assert not result.ok and len(result.missing) == 4 and "не администратор" in result.problem
    api.get(f"/chats/{CHAT}").respond(json=CHAT_RAW)  # the recorded group chat
    result = client.check()
    assert not result.ok and "не канал" in result.problem


def test_check_token_invalid_is_a_result_but_outage_raises(api: Any, client: Client) -> None:
    api.get("/me").respond(401, json={"code": "verify.token", "message": "Invalid access_token"})
    result = client.check()
    assert not result.ok and "Ключ доступа" in result.problem
    api.get("/me").respond(503, json={"code": "service.unavailable", "message": "Service unavailable"})
    with pytest.raises(NetworkError) as caught:
        client.check()
    assert caught.value.kind is ErrorKind.RETRY


# ---------------------------------------------------------------- posts
def test_publish_text_post(api: Any, client: Client, token: str) -> None:
    route = api.post("/messages").respond(json={"message": POST_MESSAGE})  # schema SendMessageResult
    published = client.publish_post("Ремонт дороги на Лесной")
    assert published.post_id == POST and published.comment_id == ""
    assert published.url == "https://max.ru/gorod/AaApSIDNYGM"
    request = _sent(route)
    _auth_ok(request, token)
    assert request.url.params["chat_id"] == CHAT
    assert json.loads(request.content) == {"text": "Ремонт дороги на Лесной"}  # plain text: no "format"


def test_publish_post_with_photo(api: Any, client: Client, token: str) -> None:
    upload_url = "https://iu.oneme.ru/upload.do?sig=abc&expires=1"
    get_url = api.post("/uploads").respond(json={"url": upload_url})  # schema UploadEndpoint
    # DOCS POST /uploads + the official Python client: an image answers {"photos": {id: {"token"}}}
    photo_token = "9+eyCStTAIyomEW0h0PzC3/2FMn6jnei4sbeAHAHzEAQPw5R"
    upload = api.post(url="https://iu.oneme.ru/upload.do").respond(json={"photos": {"3JJvlQgoPpDg==": {"token": photo_token}}})
    send = api.post("/messages").respond(json={"message": POST_MESSAGE})
    client.publish_post("С фото", [Media(name="road.jpg", content=b"\xff\xd8jpeg")])
    assert _sent(get_url).url.params["type"] == "image"
    _auth_ok(_sent(get_url), token)
    sent_file = _sent(upload)
    assert b'name="data"; filename="road.jpg"' in sent_file.content
    assert json.loads(_sent(send).content) == {
        "text": "С фото", "attachments": [{"type": "image", "payload": {"token": photo_token}}]}


def test_publish_video_uses_the_url_token(api: Any, client: Client) -> None:
    upload_url = "https://vu.mycdn.me/upload.do?id=1"
    api.post("/uploads").respond(json={"url": upload_url, "token": "_3Rarhcf1PtlMXy8jpgie8Ai"})  # schema example
    api.post(url="https://vu.mycdn.me/upload.do").respond(text="<retval>1</retval>")  # GO stabs/upload.video.response.xml
    send = api.post("/messages").respond(json={"message": POST_MESSAGE})
    client.publish_post("Видео", [Media(name="v.mp4", content=b"mp4", kind="video")])
    assert json.loads(_sent(send).content)["attachments"] == [
        {"type": "video", "payload": {"token": "_3Rarhcf1PtlMXy8jpgie8Ai"}}]


def test_publish_waits_while_attachment_not_ready(api: Any, client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Client, "attachment_wait", 0.0)
    monkeypatch.setattr(Client, "per_chat_per_second", 1000.0)
    send = api.post("/messages").mock(side_effect=[
        httpx.Response(400, json={"code": "attachment.not.ready", "message": ""}),  # GO stabs/error.attachment.not.ready.json
        httpx.Response(200, json={"message": POST_MESSAGE})])
    assert client.publish_post("x").post_id == POST
    assert send.call_count == 2


def test_too_long_text_is_refused_before_sending(api: Any, client: Client) -> None:
    route = api.post("/messages").respond(json={"message": POST_MESSAGE})
    with pytest.raises(NetworkError) as caught:
        client.publish_post("я" * 4001)
    assert caught.value.kind is ErrorKind.BAD_REQUEST and route.call_count == 0
    assert max_client.MAX_TEXT == 4000


def test_fetch_post(api: Any, client: Client) -> None:
    api.get(f"/messages/{POST}").respond(json=POST_MESSAGE)
    state = client.fetch_post(POST)
    assert state.exists and state.text == "Ремонт дороги на Лесной"
    api.get(f"/messages/{POST}").respond(404, json={"code": "not.found", "message": "Message not found"})
    assert client.fetch_post(POST).exists is False


# ---------------------------------------------------------------- comments
def test_reply_to_a_comment(api: Any, client: Client, token: str) -> None:
    send = api.post(f"/messages/{POST}/comments").respond(json={"message": OUR_REPLY})  # TS SendCommentResponse
    api.get(f"/messages/{POST}").respond(json=POST_MESSAGE)
    published = client.reply(Target(POST, COMMENT), "Починят в мае.")
    assert published.comment_id == "mid.ffffbdb48e6c3775019d496b34394baa"
    assert published.url == "https://max.ru/gorod/AaApSIDNYGM"  # comments have no link: the post's
    request = _sent(send)
    _auth_ok(request, token)
    # GO http/comments.http "send new comment"
    assert json.loads(request.content) == {"text": "Починят в мае.", "link": {"type": "reply", "mid": COMMENT}}


def test_reply_to_the_post_itself(api: Any, client: Client) -> None:
    send = api.post(f"/messages/{POST}/comments").respond(json={"message": {**OUR_REPLY, "link": None}})
    api.get(f"/messages/{POST}").respond(500, json={"code": "internal.error", "message": "x"})
    published = client.reply(Target(POST), "Спасибо")
    assert json.loads(_sent(send).content) == {"text": "Спасибо"}
    assert published.url == "https://max.ru/gorod"  # the post link failed: the channel's, not an error


def test_find_reply(api: Any, client: Client) -> None:
    api.get("/me").respond(json=ME)
    listing = api.get(f"/messages/{POST}/comments").respond(json={"messages": [OUR_REPLY, CITIZEN_COMMENT]})
    api.get(f"/messages/{POST}").respond(json=POST_MESSAGE)
    found = client.find_reply(Target(POST, COMMENT), "Починят в мае.\r\n")
    assert found is not None and found.comment_id == "mid.ffffbdb48e6c3775019d496b34394baa"
    assert _sent(listing).url.params["count"] == "100"
    assert client.find_reply(Target(POST, COMMENT), "Другой ответ") is None
    assert client.find_reply(Target(POST, "mid.other"), "Починят в мае.") is None  # under another comment
    citizen_says_it = {**CITIZEN_COMMENT, "body": {**CITIZEN_COMMENT["body"], "text": "Починят в мае."}}
    api.get(f"/messages/{POST}/comments").respond(json={"messages": [citizen_says_it]})
    assert client.find_reply(Target(POST), "Починят в мае.") is None  # not the page's


def test_comments_with_marker(api: Any, client: Client) -> None:
    api.get("/me").respond(json=ME)
    listing = api.get(f"/messages/{POST}/comments").respond(json={"messages": [OUR_REPLY, CITIZEN_COMMENT]})
    batch = client.comments(POST)
    assert [c.id for c in batch.comments] == [COMMENT, "mid.ffffbdb48e6c3775019d496b34394baa"]
    citizen, ours = batch.comments
    assert (citizen.author_id, citizen.from_page, citizen.reply_to, citizen.date) == ("123456789", False, "", 1788528471)
    assert ours.from_page and ours.reply_to == COMMENT
    assert batch.marker == "1788528481428:116327994376978700"
    again = client.comments(POST, batch.marker)  # MAX may repeat the newest: it is not read twice
    assert again.comments == [] and again.marker == batch.marker
    assert _sent(listing, 1).url.params["after"] == "1788528481427"


def test_comments_page_through(api: Any, client: Client) -> None:
    def page_of(start: int) -> list[dict[str, Any]]:
        out = []
        for i in range(start, start - 100, -1):
            item = copy.deepcopy(CITIZEN_COMMENT)
            item["timestamp"], item["body"]["mid"], item["body"]["seq"] = 1_000_000 + i, f"mid.{i:04x}", i
            out.append(item)
        return out

    api.get("/me").respond(json=ME)
    listing = api.get(f"/messages/{POST}/comments").mock(side_effect=[
        httpx.Response(200, json={"messages": page_of(250)}),
        httpx.Response(200, json={"messages": page_of(150)}),
        httpx.Response(200, json={"messages": page_of(50)[:51]})])
    batch = client.comments(POST)
    assert len(batch.comments) == 251 and batch.comments[0].id == "mid.0000"
    assert _sent(listing, 1).url.params["before"] == str(1_000_000 + 151)


def test_fetch_and_delete_comment(api: Any, client: Client) -> None:
    api.get("/me").respond(json=ME)
    api.get(f"/messages/{POST}/comments/{COMMENT}").respond(json=CITIZEN_COMMENT)
    comment = client.fetch_comment(Target(POST, COMMENT))
    assert comment.text == "Когда починят?" and comment.author_id == "123456789"
    delete = api.delete(f"/messages/{POST}/comments").respond(json=OK)
    client.delete_comment(Target(POST, COMMENT))
    assert _sent(delete).url.params["comment_id"] == COMMENT  # DOCS DELETE …/comments?comment_id=
    delete_post = api.delete("/messages").respond(json=OK)
    client.delete_comment(Target(POST))
    assert _sent(delete_post).url.params["message_id"] == POST


def test_ban_and_what_max_lacks(api: Any, client: Client, token: str) -> None:
    route = api.delete(f"/chats/{CHAT}/members").respond(json=OK)
    client.ban("123456789", "спам")
    request = _sent(route)
    _auth_ok(request, token)
    assert dict(request.url.params) == {"user_id": "123456789", "block": "true"}
    with pytest.raises(NetworkError) as unban:
        client.unban("123456789")
    assert unban.value.kind is ErrorKind.UNSUPPORTED
    with pytest.raises(NetworkError) as restore:
        client.restore_comment(Target(POST, COMMENT))
    assert restore.value.kind is ErrorKind.UNSUPPORTED
    with pytest.raises(NetworkError) as bad:
        client.ban("12; drop")
    assert bad.value.kind is ErrorKind.BAD_REQUEST


def test_new_comments_and_subscribe(api: Any, client: Client) -> None:
    # GO stabs/update.comment_created.json (+ an update of another channel)
    other = copy.deepcopy(CITIZEN_COMMENT)
    other["recipient"]["chat_id"] = -1
    api.get("/me").respond(json=ME)
    updates = api.get("/updates").respond(json={"updates": [
        {"message": CITIZEN_COMMENT, "timestamp": 1788528471428, "update_type": "comment_created"},
        {"message": other, "timestamp": 1788528471428, "update_type": "comment_created"},
        {"message_id": "mid.fff", "chat_id": -70000000000005, "user_id": 123456789, "post_id": POST,
         "timestamp": 1788528471428, "update_type": "comment_removed"}], "marker": 40156})
    batch = client.new_comments("40100")
    assert [(c.id, c.deleted) for c in batch.comments] == [(COMMENT, False), ("mid.fff", True)]
    assert batch.marker == "40156"
    params = _sent(updates).url.params
    assert (params["marker"], params["timeout"], params["types"]) == (
        "40100", "0", "comment_created,comment_edited,comment_removed")
    sub = api.post("/subscriptions").respond(json=OK)
    client.subscribe("https://otklik.example/hooks/max/1", "s3cret-Value_1")
    assert json.loads(_sent(sub).content) == {
        "url": "https://otklik.example/hooks/max/1", "secret": "s3cret-Value_1",
        "update_types": ["comment_created", "comment_edited", "comment_removed"]}
    with pytest.raises(NetworkError):
        client.subscribe("https://otklik.example/hooks/max/1", "bad secret!")


def test_resolve_url(api: Any, client: Client) -> None:
    route = api.get("/messages").respond(json={"messages": [POST_MESSAGE]})  # schema MessageList
    assert client.resolve_url("https://www.max.ru/Gorod/AaApSIDNYGM?utm=1") == Target(POST)
    assert _sent(route).url.params["chat_id"] == CHAT
    assert client.resolve_url("https://max.ru/gorod/Other") is None
    assert client.resolve_url("https://max.ru.evil.ru/gorod/AaApSIDNYGM") is None


# ---------------------------------------------------------------- errors
@pytest.mark.parametrize(("status", "body", "headers", "kind", "retry_after"), [
    (429, {"code": "too.many.requests", "message": "Too many requests"}, {"Retry-After": "7"},
     ErrorKind.RATE_LIMITED, 7.0),
    (429, {"code": "too.many.requests", "message": "Too many requests"}, {}, ErrorKind.RATE_LIMITED, 1.0),
    (500, {"code": "internal.error", "message": "Internal error"}, {}, ErrorKind.RETRY, None),
    (503, {"code": "service.unavailable", "message": "Service unavailable"}, {}, ErrorKind.RETRY, None),
    (401, {"code": "verify.token", "message": "Invalid access_token"}, {}, ErrorKind.TOKEN_INVALID, None),
    (403, {"code": "verify.token", "message": "Invalid access_token"}, {}, ErrorKind.TOKEN_INVALID, None),
    (404, {"code": "not.found", "message": "Message not found"}, {}, ErrorKind.NOT_FOUND, None),
    (403, {"code": "chat.denied", "message": "Key: error.dialog.suspended, args: [228532008,]."}, {},
     ErrorKind.FORBIDDEN, None),
    (400, {"code": "proto.payload", "message": "text: size must be between 0 and 4000"}, {},
     ErrorKind.BAD_REQUEST, None),
    (405, {"code": "method.not.allowed", "message": "Method not allowed"}, {}, ErrorKind.BAD_REQUEST, None),
    (400, {"code": "attachment.not.ready", "message": ""}, {}, ErrorKind.RETRY, 2.0),
    (502, "<html>Bad Gateway</html>", {}, ErrorKind.RETRY, None),
    (200, {"success": False, "message": "Can't remove owner"}, {}, ErrorKind.BAD_REQUEST, None),
])
def test_error_kinds(api: Any, client: Client, status: int, body: Any, headers: dict[str, str],
                     kind: ErrorKind, retry_after: float | None) -> None:
    reply = {"json": body} if isinstance(body, dict) else {"text": body}
    api.delete(f"/chats/{CHAT}/members").respond(status, headers=headers, **reply)
    with pytest.raises(NetworkError) as caught:
        client.ban("123456789")
    assert caught.value.kind is kind
    assert caught.value.retry_after == retry_after


@pytest.mark.parametrize(("exc", "kind"), [
    (httpx.ReadTimeout("read timed out"), ErrorKind.TIMEOUT),
    (httpx.ConnectError("connection refused"), ErrorKind.RETRY),
    (httpx.ConnectTimeout("connect timed out"), ErrorKind.RETRY),
])
def test_transport_errors(api: Any, client: Client, exc: Exception, kind: ErrorKind) -> None:
    api.post(f"/messages/{POST}/comments").mock(side_effect=exc)
    with pytest.raises(NetworkError) as caught:
        client.reply(Target(POST, COMMENT), "ответ")
    assert caught.value.kind is kind


def test_token_never_in_the_message(api: Any, client: Client, token: str) -> None:
    api.get("/me").respond(403, json={"code": "verify.token", "message": f"Invalid access_token {token}"})
    with pytest.raises(NetworkError) as caught:
        client.bot_id()
    assert token not in str(caught.value) and token not in caught.value.detail


# ---------------------------------------------------------------- rate limits
def test_rate_limit_spaces_calls(api: Any, client: Client) -> None:
    api.get("/me").respond(json=ME)
    started = time.monotonic()
    for _ in range(7):
        client._call("GET", "me")
    assert time.monotonic() - started >= 6 / max_client.PER_SECOND - 0.01  # 30 a second


def test_two_messages_a_second_into_one_channel(api: Any, client: Client) -> None:
    api.post("/messages").respond(json={"message": POST_MESSAGE})
    started = time.monotonic()
    client.publish_post("раз")
    client.publish_post("два")
    assert time.monotonic() - started >= 0.5 - 0.02


# ---------------------------------------------------------------- links and webhooks
@pytest.mark.parametrize("url", [
    "https://max.ru/gorod/AaApSIDNYGM", "http://www.max.ru/gorod/AaApSIDNYGM?x=1&y=2", "https://m.max.ru/gorod/AaApSIDNYGM",
    "https://max.ru/join/hash-chat-link", "javascript:alert(1)//max.ru/gorod/AaA", "https://max.ru.evil.ru/gorod/AaA",
    "https://evilmax.ru/gorod/AaA", "https://vk.com/wall-1_2", "not a url", "", "https://max.ru/" + "9" * 5000,
    "https://[::1", "https://max.ru/gorod/AaA/../../x", "\x00\x01",
])
def test_target_from_url_resolves_nothing_offline(url: str) -> None:
    assert target_from_url(url) is None


def _webhook(update: dict[str, Any]) -> bytes:
    return json.dumps(update).encode()


WEBHOOK_COMMENT: dict[str, Any] = {"message": CITIZEN_COMMENT, "timestamp": 1788528471428, "update_type": "comment_created"}


def test_webhook_right_secret() -> None:
    push = parse_webhook({"x-max-bot-api-secret": "s3cret"}, _webhook(WEBHOOK_COMMENT), "s3cret")
    assert push.page_key == CHAT
    [comment] = push.comments
    assert (comment.id, comment.post_id, comment.author_id, comment.text) == (COMMENT, POST, "123456789", "Когда починят?")
    # GO stabs/webhook.comment_created.json carries no sender at all: still not the page's
    recorded = {"message": {"recipient": {"chat_type": "channel", "chat_id": -70801090403050, "post_id": "mid.fff"},
                            "timestamp": 1788528471428,
                            "body": {"mid": "mid.fff", "seq": 116327994376978687, "text": "Comment text here"}},
                "timestamp": 1788528471428, "update_type": "comment_created"}
    push = parse_webhook({"X-Max-Bot-Api-Secret": "s3cret"}, _webhook(recorded), "s3cret")
    assert push.page_key == "-70801090403050" and push.comments[0].from_page is False


def test_webhook_other_updates_are_acknowledged_empty() -> None:
    # GO stabs/webhook.message_created.json: the channel's own messages are not comments
    update = {"message": {**POST_MESSAGE}, "timestamp": 1775025604499, "update_type": "message_created"}
    push = parse_webhook({"X-Max-Bot-Api-Secret": "s3cret"}, _webhook(update), "s3cret")
    assert push.comments == [] and push.page_key == CHAT


@pytest.mark.parametrize(("headers", "secret"), [
    ({"X-Max-Bot-Api-Secret": "wrong"}, "s3cret"),
    ({}, "s3cret"),
    ({"X-Max-Bot-Api-Secret": ""}, ""),  # no secret configured: nothing is trusted
    ({"X-Max-Bot-Api-Secret": "s3cret-longer"}, "s3cret"),
])
def test_webhook_bad_secret(headers: dict[str, str], secret: str) -> None:
    with pytest.raises(NetworkError) as caught:
        parse_webhook(headers, _webhook(WEBHOOK_COMMENT), secret)
    assert caught.value.kind is ErrorKind.FORBIDDEN


@pytest.mark.parametrize("body", [b"{not json", b"[]", b'{"no_type": 1}', b"\xff\xfe", b""])
def test_webhook_malformed(body: bytes) -> None:
    with pytest.raises(NetworkError) as caught:
        parse_webhook({"X-Max-Bot-Api-Secret": "s3cret"}, body, "s3cret")
    assert caught.value.kind is ErrorKind.BAD_REQUEST


# ---------------------------------------------------------------- official posts
def test_polls_are_unsupported_before_anything_is_sent(api: Any, client: Client) -> None:
    route = api.post("/messages").respond(json={"message": POST_MESSAGE})
    with pytest.raises(NetworkError) as caught:
        client.publish_post("Субботник", poll=Poll("Придёте?", ("Да", "Нет")))
    assert caught.value.kind is ErrorKind.UNSUPPORTED and "опрос" in caught.value.message_ru
    assert route.call_count == 0


def test_edit_post(api: Any, client: Client, token: str) -> None:
    route = api.put("/messages").respond(json=OK)
    client.edit_post(POST, "Ремонт дороги на Лесной перенесён")
    request = _sent(route)
    _auth_ok(request, token)
    assert request.url.params["message_id"] == POST
    # text only: attachments absent (null) keeps the post's photo
    assert json.loads(request.content) == {"text": "Ремонт дороги на Лесной перенесён"}
    with pytest.raises(NetworkError) as caught:
        client.edit_post(POST, "я" * 4001)
    assert caught.value.kind is ErrorKind.BAD_REQUEST and route.call_count == 1


@pytest.mark.parametrize(("status", "body", "kind"), [
    (404, {"code": "not.found", "message": "Message not found"}, ErrorKind.NOT_FOUND),
    (403, {"code": "chat.denied", "message": "Key: error.dialog.suspended, args: [228532008,]."}, ErrorKind.FORBIDDEN),
    (401, {"code": "verify.token", "message": "Invalid access_token"}, ErrorKind.TOKEN_INVALID),
    (429, {"code": "too.many.requests", "message": "Too many requests"}, ErrorKind.RATE_LIMITED),
    (500, {"code": "internal.error", "message": "Internal error"}, ErrorKind.RETRY),
    (200, {"success": False, "message": "Can't edit message"}, ErrorKind.BAD_REQUEST),
])
def test_edit_and_delete_post_errors(api: Any, client: Client, status: int, body: dict[str, Any],
                                     kind: ErrorKind) -> None:
    api.put("/messages").respond(status, json=body)
    api.delete("/messages").respond(status, json=body)
    actions: list[Callable[[], object]] = [lambda: client.edit_post(POST, "Текст"), lambda: client.delete_post(POST)]
    for action in actions:
        with pytest.raises(NetworkError) as caught:
            action()
        assert caught.value.kind is kind


def test_delete_post(api: Any, client: Client) -> None:
    route = api.delete("/messages").respond(json=OK)
    client.delete_post(POST)
    assert dict(_sent(route).url.params) == {"message_id": POST}
    with pytest.raises(NetworkError) as caught:
        client.delete_post("mid.bad/../x")
    assert caught.value.kind is ErrorKind.BAD_REQUEST and route.call_count == 1


def test_find_post(api: Any, client: Client) -> None:
    older = {**POST_MESSAGE, "timestamp": 1775053155737, "url": "https://max.ru/gorod/AaApSIDNYGA",
             "body": {**POST_MESSAGE["body"], "mid": "mid.ffffbdb48e6c3775019d496b34394b00", "text": "Субботник"}}
    private = {**older, "url": None, "body": {**older["body"], "mid": "mid.ffffbdb48e6c3775019d496b34394b01",
                                              "text": "Без ссылки"}}
    route = api.get("/messages").respond(json={"messages": [POST_MESSAGE, older, private]})  # schema MessageList
    assert client.find_post("Субботник\r\n") == Published(
        "mid.ffffbdb48e6c3775019d496b34394b00", "", "https://max.ru/gorod/AaApSIDNYGA")
    params = _sent(route).url.params
    assert (params["chat_id"], params["count"]) == (CHAT, "100")
    assert client.find_post("Субботник завтра") is None
    assert client.find_post("Без ссылки") == Published(  # a non-public channel's post: the page's link
        "mid.ffffbdb48e6c3775019d496b34394b01", "", "https://max.ru/gorod")
    api.get("/messages").respond(403, json={"code": "chat.denied", "message": "Bot is not a member of this chat"})
    with pytest.raises(NetworkError) as caught:
        client.find_post("Субботник")
    assert caught.value.kind is ErrorKind.FORBIDDEN


def test_page_status(api: Any, client: Client) -> None:
    public = {**CHANNEL, "is_public": True, "link": "https://max.ru/gorod"}
    route = api.get(f"/chats/{CHAT}").respond(json=public)
    status = client.page_status()
    assert (status.name, status.open, status.comments_open) == ("Администрация города", True, True)
    assert "комментарии" in status.detail and "не сообщает" in status.detail  # unknown, and said
    assert _sent(route).headers["Authorization"]
    api.get(f"/chats/{CHAT}").respond(json=CHANNEL)  # the recorded chat is not public
    status = client.page_status()
    assert status.open is False and "не публичный" in status.detail
    api.get(f"/chats/{CHAT}").respond(json={**public, "status": "closed"})
    status = client.page_status()
    assert status.open is False and "закрыт" in status.detail
    api.get(f"/chats/{CHAT}").respond(json={**public, "status": "removed"})
    status = client.page_status()
    assert status.open is True and "не состоит" in status.detail
    api.get(f"/chats/{CHAT}").respond(503, json={"code": "service.unavailable", "message": "Service unavailable"})
    with pytest.raises(NetworkError) as caught:
        client.page_status()
    assert caught.value.kind is ErrorKind.RETRY
