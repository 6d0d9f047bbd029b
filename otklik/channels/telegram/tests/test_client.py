"""The Telegram client against recorded Bot API response shapes (respx, no network).

Where the shapes come from:
- SPEC: the machine-readable Bot API 7.2 spec, PaulSonOfLars/telegram-bot-api-spec `api.json`
  (objects User, Chat, Message, MessageOriginChannel, ChatMemberAdministrator, PhotoSize,
  ResponseParameters; the methods' fields). Success is always {"ok": true, "result": …}.
- 429: tdlib/telegram-bot-api issue #184 (the official server's answer, verbatim shape):
  {"ok":false,"error_code":429,"description":"Too Many Requests: retry after 2282",
   "parameters":{"retry_after":2282}}.
- 401 "Unauthorized", 500 "Internal Server Error", 400 "Bad Request: chat not found",
  "… message is too long", "… message to delete not found": tucnak/telebot errors.go
  (its table of the server's descriptions); 403 "Forbidden: bot was kicked from the channel
  chat": tucnak/telebot PR #659; "message to delete not found" also telegramdesktop/tdesktop #5978.
- 400 "Bad Request: message to be replied not found": the current wording, quoted in several
  clients' code that matches on it (the older one was "reply message not found").
- 409 "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to
  delete the webhook first": inCaller/prometheus_bot #41, reo7sp/tgbot-cpp #158.
- 502: the Bot API's front proxy answers an HTML "502 Bad Gateway" page (no JSON).
- Official posts: SPEC sendPoll (question 1-300, options "2-12" InputPollOption {text}),
  Message.poll (Poll: id, question, options[PollOption text/voter_count], total_voter_count,
  is_closed, is_anonymous, type, allows_multiple_answers), editMessageText / editMessageCaption
  (Message on success), getChat -> ChatFullInfo (username, active_usernames, linked_chat_id,
  permissions: ChatPermissions, accent_color_id, max_reaction_count). "Non-anonymous polls can't
  be sent or forwarded to channels": TDLib inputMessagePoll.is_anonymous.
- Edit errors, verbatim from pengrad/java-telegram-bot-api TelegramBotTest.java (run against the
  live Bot API): "Bad Request: message can't be edited" and "Bad Request: message is not
  modified: specified new message content and reply markup are exactly the same as a current
  content and reply markup of the message". "Bad Request: there is no text in the message to
  edit" and "Bad Request: message to edit not found": the wordings aiogram-based and Go clients
  match on (found by find_string across several repositories).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import respx

from otklik.channels.base import ErrorKind, Media, NetworkError, PageAccess, Poll, Published, Target
from otklik.channels.telegram import client as tg
from otklik.channels.telegram.client import (
    MAX_TEXT,
    Client,
    page_key,
    page_matches,
    parse_webhook,
    target_from_url,
    thread_links,
)

API = "https://api.telegram.org"
TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"  # the Bot API docs' example token form
CHANNEL = "@gorod"
GROUP = "-1009876543210"
CHANNEL_ID = -1001234567890
BOT = {"id": 123456789, "is_bot": True, "first_name": "Отклик", "username": "otklik_bot",
       "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}
CHANNEL_CHAT = {"id": CHANNEL_ID, "title": "Город", "username": "gorod", "type": "channel"}
GROUP_CHAT = {"id": int(GROUP), "title": "Город — обсуждение", "type": "supergroup"}

_counter = 0


def fresh_page(**extra: str) -> PageAccess:
    """A new token per test: limiters are per token and process-wide."""
    global _counter
    _counter += 1
    return PageAccess(external_id=extra.get("external_id", CHANNEL), token=f"{_counter}{TOKEN}",
                      discussion_chat_id=extra.get("discussion_chat_id", GROUP),
                      public_url=extra.get("public_url", ""))


def ok(result: Any) -> httpx.Response:
    return httpx.Response(200, json={"ok": True, "result": result})


def err(code: int, description: str, **parameters: Any) -> httpx.Response:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return httpx.Response(code, json=body)


def url(page: PageAccess, method: str) -> str:
    return f"{API}/bot{page.token}/{method}"


def sent(route: respx.Route) -> dict[str, Any]:
    request = route.calls.last.request
    assert request.method == "POST"
    assert request.headers["content-type"] == "application/json"
    data: dict[str, Any] = json.loads(request.content)
    return data


# SPEC Message: a channel post as sendMessage returns it.
def channel_post(message_id: int, text: str) -> dict[str, Any]:
    return {"message_id": message_id, "sender_chat": CHANNEL_CHAT, "chat": CHANNEL_CHAT,
            "date": 1714900000, "text": text}


# SPEC Message with is_automatic_forward and forward_origin (MessageOriginChannel).
def automatic_forward(copy_id: int, post_id: int) -> dict[str, Any]:
    return {"message_id": copy_id, "from": {"id": 777000, "is_bot": False, "first_name": "Telegram"},
            "sender_chat": CHANNEL_CHAT, "chat": GROUP_CHAT, "date": 1714900001, "is_automatic_forward": True,
            "forward_origin": {"type": "channel", "chat": CHANNEL_CHAT, "message_id": post_id, "date": 1714900000},
            "text": "Запись"}


def citizen(message_id: int, text: str, reply_to: dict[str, Any], thread: int, user: int = 555) -> dict[str, Any]:
    return {"message_id": message_id, "message_thread_id": thread,
            "from": {"id": user, "is_bot": False, "first_name": "Иван", "language_code": "ru"},
            "chat": GROUP_CHAT, "date": 1714900100, "reply_to_message": reply_to, "text": text}


@pytest.fixture(autouse=True)
def quick_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Per-chat spacing off, except where a test measures it (each test has fresh limiters)."""
    monkeypatch.setattr(tg, "GROUP_PER_SECOND", 1000.0)
    monkeypatch.setattr(tg, "CHANNEL_PER_SECOND", 1000.0)


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=API, assert_all_called=False) as router:
        yield router


# -- success of every method ---------------------------------------------------------------
def test_check_reads_rights(api: respx.MockRouter) -> None:
    page = fresh_page()
    api.post(url(page, "getMe")).mock(return_value=ok(BOT))
    api.post(url(page, "getChat")).mock(return_value=ok({**CHANNEL_CHAT, "linked_chat_id": int(GROUP)}))
    admin = {"status": "administrator", "user": BOT, "can_be_edited": False, "is_anonymous": False,
             "can_manage_chat": True, "can_delete_messages": False, "can_manage_video_chats": False,
             "can_restrict_members": False, "can_promote_members": False, "can_change_info": False,
             "can_invite_users": True, "can_post_stories": False, "can_edit_stories": False,
             "can_delete_stories": False}
    member = api.post(url(page, "getChatMember")).mock(side_effect=[
        ok({**admin, "can_post_messages": True, "can_edit_messages": False}),
        ok({**admin, "can_delete_messages": True}),
    ])
    result = Client(page).check()
    assert not result.ok
    assert result.name == "Город"
    assert result.missing == ("блокировать участников группы обсуждения",)
    assert [json.loads(c.request.content) for c in member.calls] == [
        {"chat_id": CHANNEL, "user_id": BOT["id"]}, {"chat_id": int(GROUP), "user_id": BOT["id"]}]


def test_check_not_admin_and_wrong_group(api: respx.MockRouter) -> None:
    page = fresh_page()
    api.post(url(page, "getMe")).mock(return_value=ok(BOT))
    api.post(url(page, "getChat")).mock(return_value=ok({**CHANNEL_CHAT, "linked_chat_id": -1005555}))
    api.post(url(page, "getChatMember")).mock(side_effect=[
        ok({"status": "creator", "user": BOT, "is_anonymous": False}),
        ok({"status": "member", "user": BOT}),
    ])
    result = Client(page).check()
    assert not result.ok
    assert result.missing == ("быть администратором в группе обсуждения",)
    assert "другая группа обсуждения" in result.problem


def test_publish_text(api: respx.MockRouter) -> None:
    page = fresh_page()
    route = api.post(url(page, "sendMessage")).mock(return_value=ok(channel_post(45, "Отключение воды")))
    published = Client(page).publish_post("Отключение воды")
    assert sent(route) == {"chat_id": CHANNEL, "text": "Отключение воды"}
    assert (published.post_id, published.comment_id, published.url) == ("45", "", "https://t.me/gorod/45")


def test_publish_photo_multipart(api: respx.MockRouter) -> None:
    page = fresh_page()
    photo = [{"file_id": "AgACAgIAAx0C", "file_unique_id": "AQADy", "file_size": 1204, "width": 90, "height": 67}]
    route = api.post(url(page, "sendPhoto")).mock(return_value=ok(
        {"message_id": 46, "sender_chat": CHANNEL_CHAT, "chat": CHANNEL_CHAT, "date": 1714900000,
         "photo": photo, "caption": "Ремонт"}))
    published = Client(page).publish_post("Ремонт", [Media("road.jpg", b"\xff\xd8JPEG")])
    body = route.calls.last.request.content
    assert route.calls.last.request.headers["content-type"].startswith("multipart/form-data")
    assert b'name="chat_id"\r\n\r\n@gorod' in body
    assert 'name="caption"\r\n\r\nРемонт'.encode() in body
    assert b'name="photo"; filename="road.jpg"' in body and b"\xff\xd8JPEG" in body
    assert published.post_id == "46"


def test_publish_album_and_video(api: respx.MockRouter) -> None:
    page = fresh_page()
    route = api.post(url(page, "sendMediaGroup")).mock(return_value=ok([
        {**channel_post(47, ""), "media_group_id": "1349", "photo": []},
        {**channel_post(48, ""), "media_group_id": "1349", "video": {}},
    ]))
    published = Client(page).publish_post("Субботник", [Media("a.jpg", b"A"), Media("b.mp4", b"B", kind="video")])
    body = route.calls.last.request.content.decode("utf-8", "replace")
    media = json.dumps([{"type": "photo", "media": "attach://file0", "caption": "Субботник"},
                        {"type": "video", "media": "attach://file1"}], ensure_ascii=False)
    assert f'name="media"\r\n\r\n{media}' in body
    assert 'name="file0"; filename="a.jpg"' in body and 'name="file1"; filename="b.mp4"' in body
    assert published.post_id == "47"
    video = api.post(url(page, "sendVideo")).mock(return_value=ok(channel_post(49, "")))
    Client(page).publish_post("", [Media("c.mp4", b"C", kind="video")])
    assert b'name="video"; filename="c.mp4"' in video.calls.last.request.content


def test_reply_to_comment_and_post(api: respx.MockRouter) -> None:
    page = fresh_page()
    route = api.post(url(page, "sendMessage")).mock(return_value=ok(
        {"message_id": 68, "from": BOT, "chat": GROUP_CHAT, "date": 1714900200, "message_thread_id": 60,
         "reply_to_message": citizen(67, "Вопрос", automatic_forward(60, 45), 60), "text": "Ответ"}))
    client = Client(page)
    published = client.reply(Target("45", "67"), "Ответ")
    assert sent(route) == {"chat_id": int(GROUP), "text": "Ответ", "reply_parameters": {"message_id": 67}}
    assert published == Published("45", "68", "https://t.me/gorod/45?comment=68")

    with pytest.raises(NetworkError) as caught:
        client.reply(Target("45"), "Ответ на запись")
    assert caught.value.kind is ErrorKind.NOT_FOUND
    assert "копия записи 45" in caught.value.message_ru
    client.learn_thread("45", "60")
    client.reply(Target("45"), "Ответ на запись")
    assert sent(route)["reply_parameters"] == {"message_id": 60}


def test_private_channel_links(api: respx.MockRouter) -> None:
    page = fresh_page(external_id="-1001234567890")
    route = api.post(url(page, "sendMessage")).mock(return_value=ok(channel_post(45, "x")))
    published = Client(page).publish_post("x")
    assert sent(route)["chat_id"] == -1001234567890
    assert published.url == "https://t.me/c/1234567890/45"
    public = fresh_page(external_id="-1001234567890", public_url="https://t.me/Gorod")
    api.post(url(public, "sendMessage")).mock(return_value=ok(channel_post(45, "x")))
    assert Client(public).publish_post("x").url == "https://t.me/Gorod/45"


def test_delete_ban_unban(api: respx.MockRouter) -> None:
    page = fresh_page()
    delete = api.post(url(page, "deleteMessage")).mock(return_value=ok(True))
    ban = api.post(url(page, "banChatMember")).mock(return_value=ok(True))
    unban = api.post(url(page, "unbanChatMember")).mock(return_value=ok(True))
    sender_ban = api.post(url(page, "banChatSenderChat")).mock(return_value=ok(True))
    client = Client(page)
    client.delete_comment(Target("45", "67"))
    client.ban("555", "оскорбления")
    client.unban("555")
    client.ban("-1002222")
    assert sent(delete) == {"chat_id": int(GROUP), "message_id": 67}
    assert sent(ban) == {"chat_id": int(GROUP), "user_id": 555}
    assert sent(unban) == {"chat_id": int(GROUP), "user_id": 555, "only_if_banned": True}
    assert sent(sender_ban) == {"chat_id": int(GROUP), "sender_chat_id": -1002222}
    bad_calls: list[Callable[[], object]] = [lambda: client.delete_comment(Target("45")),
                                             lambda: client.ban("ivan")]
    for action in bad_calls:
        with pytest.raises(NetworkError) as caught:
            action()
        assert caught.value.kind is ErrorKind.BAD_REQUEST


def test_comments_from_updates(api: respx.MockRouter) -> None:
    page = fresh_page()
    copy = automatic_forward(60, 45)
    first = citizen(67, "Когда дадут воду?", copy, 60)
    updates = [
        {"update_id": 900001, "channel_post": channel_post(45, "Отключение воды")},
        {"update_id": 900002, "message": copy},
        {"update_id": 900003, "message": first},
        {"update_id": 900004, "message": {**citizen(69, "Ответ жителю", {**first, "reply_to_message": None}, 60,
                                                    user=556)}},
        {"update_id": 900005, "edited_message": {**first, "text": "Когда дадут горячую воду?", "edit_date": 1714900300}},
        {"update_id": 900006, "message": {"message_id": 70, "from": {"id": 557, "is_bot": False, "first_name": "Олег"},
                                          "chat": GROUP_CHAT, "date": 1714900400, "text": "Не под записью"}},
        {"update_id": 900007, "message": {"message_id": 3, "from": {"id": 557, "is_bot": False, "first_name": "Олег"},
                                          "chat": {"id": 557, "type": "private", "first_name": "Олег"},
                                          "date": 1714900400, "text": "/start"}},
        {"update_id": 900008, "message": {**citizen(71, "Пишет канал", copy, 60), "sender_chat": CHANNEL_CHAT}},
    ]
    route = api.post(url(page, "getUpdates")).mock(side_effect=[ok(updates), ok([])])
    client = Client(page)
    batch = client.comments("")
    assert sent(route) == {"timeout": 0, "limit": 100, "allowed_updates": tg.ALLOWED_UPDATES}
    assert client.thread_ids == {"45": "60"}
    assert client.post_texts["45"] == "Отключение воды"
    assert [(c.id, c.post_id, c.author_id, c.text, c.reply_to, c.from_page) for c in batch.comments] == [
        ("67", "45", "555", "Когда дадут воду?", "", False),
        ("69", "45", "556", "Ответ жителю", "67", False),
        ("67", "45", "555", "Когда дадут горячую воду?", "", False),
        ("71", "45", str(CHANNEL_ID), "Пишет канал", "", True),
    ]
    assert batch.comments[2].date == 1714900300
    assert batch.marker == "900009"
    again = client.comments("", batch.marker)
    assert sent(route)["offset"] == 900009
    assert (again.comments, again.marker) == ([], "900009")


def test_fetch_post_and_unsupported(api: respx.MockRouter) -> None:
    page = fresh_page()
    api.post(url(page, "getChat")).mock(return_value=ok({**CHANNEL_CHAT, "linked_chat_id": int(GROUP)}))
    client = Client(page)
    state = client.fetch_post("45")
    assert (state.id, state.text, state.exists, state.comments_open) == ("45", "", True, True)
    missing: list[Callable[[], object]] = [lambda: client.find_reply(Target("45", "67"), "Ответ"),
                                           lambda: client.fetch_comment(Target("45", "67")),
                                           lambda: client.restore_comment(Target("45", "67"))]
    for action in missing:
        with pytest.raises(NetworkError) as caught:
            action()
        assert caught.value.kind is ErrorKind.UNSUPPORTED


def test_text_limits_checked_before_sending(api: respx.MockRouter) -> None:
    page = fresh_page()
    route = api.post(url(page, "sendMessage")).mock(return_value=ok(channel_post(45, "x")))
    client = Client(page)
    client.publish_post("я" * MAX_TEXT)
    for text, media in (("я" * (MAX_TEXT + 1), None), ("😀" * 2049, None), ("  ", None),
                        ("я" * 1025, [Media("a.jpg", b"A")])):
        with pytest.raises(NetworkError) as caught:
            client.publish_post(text, media)
        assert caught.value.kind is ErrorKind.BAD_REQUEST
    assert route.call_count == 1


# -- errors ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("response", "kind", "retry_after"), [
    (err(429, "Too Many Requests: retry after 2282", retry_after=2282), ErrorKind.RATE_LIMITED, 2282.0),
    (httpx.Response(429, headers={"Retry-After": "5"}, text="Too Many Requests"), ErrorKind.RATE_LIMITED, 5.0),
    (err(500, "Internal Server Error"), ErrorKind.RETRY, None),
    (httpx.Response(502, text="<html><head><title>502 Bad Gateway</title></head></html>"), ErrorKind.RETRY, None),
    (err(401, "Unauthorized"), ErrorKind.TOKEN_INVALID, None),
    (err(404, "Not Found"), ErrorKind.TOKEN_INVALID, None),
    (err(403, "Forbidden: bot was kicked from the channel chat"), ErrorKind.FORBIDDEN, None),
    (err(400, "Bad Request: not enough rights to send text messages to the chat"), ErrorKind.FORBIDDEN, None),
    (err(400, "Bad Request: message to be replied not found"), ErrorKind.NOT_FOUND, None),
    (err(400, "Bad Request: chat not found"), ErrorKind.NOT_FOUND, None),
    (err(400, "Bad Request: MESSAGE_ID_INVALID"), ErrorKind.NOT_FOUND, None),
    (err(400, "Bad Request: message is too long"), ErrorKind.BAD_REQUEST, None),
    (err(400, "Bad Request: group chat was upgraded to a supergroup chat", migrate_to_chat_id=-1003),
     ErrorKind.BAD_REQUEST, None),
    (httpx.Response(200, text="<html>captive portal</html>"), ErrorKind.TIMEOUT, None),
])
def test_error_kinds(api: respx.MockRouter, response: httpx.Response, kind: ErrorKind,
                     retry_after: float | None) -> None:
    page = fresh_page()
    api.post(url(page, "sendMessage")).mock(return_value=response)
    with pytest.raises(NetworkError) as caught:
        Client(page).reply(Target("45", "67"), "Ответ")
    assert caught.value.kind is kind
    assert caught.value.retry_after == retry_after
    assert page.token not in str(caught.value) and page.token not in caught.value.detail


def test_delete_not_found_and_conflict(api: respx.MockRouter) -> None:
    page = fresh_page()
    api.post(url(page, "deleteMessage")).mock(return_value=err(400, "Bad Request: message to delete not found"))
    api.post(url(page, "getUpdates")).mock(return_value=err(
        409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"))
    client = Client(page)
    with pytest.raises(NetworkError) as caught:
        client.delete_comment(Target("45", "67"))
    assert caught.value.kind is ErrorKind.NOT_FOUND
    with pytest.raises(NetworkError) as caught:
        client.comments("")
    assert caught.value.kind is ErrorKind.BAD_REQUEST
    assert "webhook" in caught.value.message_ru and "getUpdates" in caught.value.message_ru


def test_check_turns_a_bad_token_into_its_answer(api: respx.MockRouter) -> None:
    page = fresh_page()
    api.post(url(page, "getMe")).mock(return_value=err(401, "Unauthorized"))
    result = Client(page).check()
    assert not result.ok and "Unauthorized" in result.problem
    api.post(url(page, "getMe")).mock(return_value=err(500, "Internal Server Error"))
    with pytest.raises(NetworkError) as caught:
        Client(page).check()  # a passing failure is not an answer about the page
    assert caught.value.kind is ErrorKind.RETRY


@pytest.mark.parametrize(("exc", "kind"), [
    (httpx.ReadTimeout("timed out"), ErrorKind.TIMEOUT),
    (httpx.ConnectError("refused"), ErrorKind.RETRY),
    (httpx.ConnectTimeout("timed out"), ErrorKind.RETRY),
])
def test_transport_errors(api: respx.MockRouter, exc: Exception, kind: ErrorKind) -> None:
    page = fresh_page()
    api.post(url(page, "sendMessage")).mock(side_effect=exc)
    with pytest.raises(NetworkError) as caught:
        Client(page).reply(Target("45", "67"), "Ответ")
    assert caught.value.kind is kind
    assert caught.value.__cause__ is None  # the URL (with the token) is not chained in
    assert page.token not in str(caught.value)


def test_base_url_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTKLIK_TELEGRAM_API_URL", "http://127.0.0.1:9/telegram/")
    assert Client(fresh_page()).base_url == "http://127.0.0.1:9/telegram"
    monkeypatch.delenv("OTKLIK_TELEGRAM_API_URL")
    assert Client(fresh_page()).base_url == API


# -- rate limits ----------------------------------------------------------------------------
def test_group_replies_are_spaced_three_seconds(api: respx.MockRouter, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tg, "GROUP_PER_SECOND", 20 / 60)  # the published limit
    page = fresh_page()
    api.post(url(page, "sendMessage")).mock(return_value=ok(channel_post(68, "x")))
    api.post(url(page, "deleteMessage")).mock(return_value=ok(True))
    slept: list[float] = []
    monkeypatch.setattr("otklik.channels.base.time.sleep", slept.append)
    client = Client(page)
    client.reply(Target("45", "67"), "Первый")
    client.delete_comment(Target("45", "1"))  # not a message: only the overall limit applies
    client.reply(Target("45", "67"), "Второй")
    group_waits = [s for s in slept if s > 0.5]
    assert len(group_waits) == 1 and 2.8 < group_waits[0] <= 3.0  # 20 messages a minute to a group


def test_channel_posts_are_spaced_in_real_time(api: respx.MockRouter, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tg, "CHANNEL_PER_SECOND", 4.0)  # the real 1/s would cost a second here
    page = fresh_page()
    api.post(url(page, "sendMessage")).mock(return_value=ok(channel_post(45, "x")))
    client = Client(page)
    started = time.monotonic()
    for _ in range(3):
        client.publish_post("x")
    assert time.monotonic() - started >= 0.45  # two gaps of 0.25 s, small margin


# -- URLs -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("link", "expected"), [
    ("https://t.me/gorod/45", ("gorod", Target("45"))),
    ("http://t.me/Gorod/45?comment=67", ("gorod", Target("45", "67"))),
    ("t.me/gorod/45?single&comment=67&t=10", ("gorod", Target("45", "67"))),
    ("https://www.t.me/gorod/45/?comment=67", ("gorod", Target("45", "67"))),
    ("https://telegram.me/gorod/45", ("gorod", Target("45"))),
    ("https://telegram.dog/gorod/45", ("gorod", Target("45"))),
    ("https://t.me/s/gorod/45", ("gorod", Target("45"))),
    ("https://gorod.t.me/45?comment=67", ("gorod", Target("45", "67"))),
    ("https://t.me/c/1234567890/45?comment=67", ("-1001234567890", Target("45", "67"))),
    ("https://t.me/c/1234567890/45", ("-1001234567890", Target("45"))),
    ("https://t.me/gorod_chat/67?thread=60", ("gorod_chat", Target("60", "67"))),
    ("  https://T.ME/gorod/45#top  ", ("gorod", Target("45"))),
])
def test_target_from_url_good(link: str, expected: tuple[str, Target]) -> None:
    assert target_from_url(link) == expected


@pytest.mark.parametrize("link", [
    "javascript:alert(1)//t.me/gorod/45",
    "https://t.me.evil.ru/gorod/45",
    "https://evil.ru/t.me/gorod/45",
    "https://t.me@evil.ru/gorod/45",
    "https://user:pw@t.me/gorod/45",
    "https://xt.me/gorod/45",
    "https://t.me:8443/gorod/45",
    "ftp://t.me/gorod/45",
    "https://vk.com/wall-1_2",
    "https://t.me/gorod",
    "https://t.me/gorod/abc",
    "https://t.me/gorod/0",
    "https://t.me/gorod/99999999999999999999",
    "https://t.me/gorod/45?comment=99999999999999",
    "https://t.me/gorod/45?comment=-1",
    "https://t.me/joinchat/45",
    "https://t.me/c/abc/45",
    "https://t.me/c/12345678901234567890/45",
    "https://t.me/+AbCdEf/45",
    "https://t.me/go/45",
    "https://www.t.me/45",
    "https://a.t.me/45",
    "t.me/gorod/45\x00",
    "",
    "https://" + "a" * 5000,
    "\udcff",
])
def test_target_from_url_hostile(link: str) -> None:
    assert target_from_url(link) is None


def test_target_from_url_never_raises_on_non_strings() -> None:
    assert target_from_url(None) is None  # type: ignore[arg-type]
    assert target_from_url(b"https://t.me/gorod/45") is None  # type: ignore[arg-type]


def test_page_keys() -> None:
    assert page_key("@Gorod") == "gorod"
    assert page_key("-1001234567890") == "-1001234567890"
    page = PageAccess(external_id="@Gorod", token="t", discussion_chat_id=GROUP)
    assert page_matches(page, "gorod") and page_matches(page, GROUP)
    assert not page_matches(page, "other") and not page_matches(page, "")


# -- webhook --------------------------------------------------------------------------------
SECRET = "s3cr3t-Token_1"
COPY = automatic_forward(60, 45)


def body(update: dict[str, Any]) -> bytes:
    return json.dumps(update, ensure_ascii=False).encode()


def test_webhook_comment() -> None:
    update = {"update_id": 10, "message": citizen(67, "Вопрос", COPY, 60)}
    push = parse_webhook({"X-Telegram-Bot-Api-Secret-Token": SECRET}, body(update), SECRET)
    assert push.page_key == "gorod"
    assert [(c.id, c.post_id, c.author_id, c.text) for c in push.comments] == [("67", "45", "555", "Вопрос")]
    assert push.reply == ""


def test_webhook_deeper_reply_edit_and_copies() -> None:
    deeper = citizen(69, "Согласен", citizen(67, "Вопрос", COPY, 60) | {"reply_to_message": None}, 60)
    push = parse_webhook({"x-telegram-bot-api-secret-token": SECRET}, body({"update_id": 11, "message": deeper}),
                         SECRET, thread_ids={"45": "60"})
    assert [(c.post_id, c.reply_to) for c in push.comments] == [("45", "67")]
    assert push.page_key == GROUP  # the update does not show the channel: the group's id

    edited = {"update_id": 12, "edited_message": {**citizen(67, "Исправил", COPY, 60), "edit_date": 1714900999}}
    push = parse_webhook({"X-Telegram-Bot-Api-Secret-Token": SECRET}, body(edited), SECRET)
    assert [(c.text, c.date) for c in push.comments] == [("Исправил", 1714900999)]

    copy = body({"update_id": 13, "message": COPY})
    push = parse_webhook({"X-Telegram-Bot-Api-Secret-Token": SECRET}, copy, SECRET)
    assert push.comments == [] and push.page_key == "gorod"
    assert thread_links(copy) == {"45": "60"}

    post = body({"update_id": 14, "channel_post": channel_post(45, "Запись")})
    push = parse_webhook({"X-Telegram-Bot-Api-Secret-Token": SECRET}, post, SECRET)
    assert (push.page_key, push.comments) == ("gorod", [])


@pytest.mark.parametrize("headers", [
    {"X-Telegram-Bot-Api-Secret-Token": "wrong"},
    {"X-Telegram-Bot-Api-Secret-Token": SECRET + "x"},
    {"X-Telegram-Bot-Api-Secret-Token": ""},
    {},
])
def test_webhook_secret_checked(headers: dict[str, str]) -> None:
    with pytest.raises(NetworkError) as caught:
        parse_webhook(headers, body({"update_id": 1, "message": citizen(67, "x", COPY, 60)}), SECRET)
    assert caught.value.kind is ErrorKind.FORBIDDEN


def test_webhook_without_a_configured_secret_is_refused() -> None:
    with pytest.raises(NetworkError) as caught:
        parse_webhook({"X-Telegram-Bot-Api-Secret-Token": ""}, body({"update_id": 1}), "")
    assert caught.value.kind is ErrorKind.FORBIDDEN


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b'{"message": {}}', b"", b"\xff\xfe"])
def test_webhook_malformed(raw: bytes) -> None:
    with pytest.raises(NetworkError) as caught:
        parse_webhook({"X-Telegram-Bot-Api-Secret-Token": SECRET}, raw, SECRET)
    assert caught.value.kind is ErrorKind.BAD_REQUEST


# -- official posts: polls, edit, delete, find, page status ---------------------------------
# SPEC Message with a Poll, as sendPoll returns it in a channel.
def poll_post(message_id: int, question: str, options: tuple[str, ...], multiple: bool = False) -> dict[str, Any]:
    return {"message_id": message_id, "sender_chat": CHANNEL_CHAT, "chat": CHANNEL_CHAT, "date": 1714900000,
            "poll": {"id": "5368783392291815425", "question": question,
                     "options": [{"text": o, "voter_count": 0} for o in options], "total_voter_count": 0,
                     "is_closed": False, "is_anonymous": True, "type": "regular",
                     "allows_multiple_answers": multiple}}


# SPEC ChatFullInfo (getChat since Bot API 7.3) of a public channel and of its discussion group.
CHANNEL_FULL: dict[str, Any] = {**CHANNEL_CHAT, "active_usernames": ["gorod"], "accent_color_id": 3, "max_reaction_count": 11,
                "linked_chat_id": int(GROUP), "description": "Администрация города"}
GROUP_FULL: dict[str, Any] = {**GROUP_CHAT, "accent_color_id": 1, "max_reaction_count": 11, "linked_chat_id": CHANNEL_ID,
              "permissions": {"can_send_messages": True, "can_send_audios": True, "can_send_documents": True,
                              "can_send_photos": True, "can_send_videos": True, "can_send_video_notes": True,
                              "can_send_voice_notes": True, "can_send_polls": True,
                              "can_send_other_messages": True, "can_add_web_page_previews": True,
                              "can_change_info": False, "can_invite_users": True, "can_pin_messages": False,
                              "can_manage_topics": False}}
POLL = Poll("Когда удобнее субботник?", ("Суббота", "Воскресенье"))


def test_publish_with_poll_sends_it_as_a_reply(api: respx.MockRouter) -> None:
    page = fresh_page()
    text = api.post(url(page, "sendMessage")).mock(return_value=ok(channel_post(45, "Субботник")))
    poll = api.post(url(page, "sendPoll")).mock(return_value=ok(poll_post(46, POLL.question, POLL.options)))
    client = Client(page)
    published = client.publish_post("Субботник", poll=POLL)
    assert published == Published("45", "", "https://t.me/gorod/45")
    assert sent(text) == {"chat_id": CHANNEL, "text": "Субботник"}
    assert sent(poll) == {"chat_id": CHANNEL, "question": "Когда удобнее субботник?",
                          "options": [{"text": "Суббота"}, {"text": "Воскресенье"}],
                          "reply_parameters": {"message_id": 45}}  # no is_anonymous: channels refuse False
    assert client.poll_ids == {"45": "46"}

    multiple = Poll("Что починить?", ("Дорогу", "Свет", "Лавочки"), multiple=True)
    poll.mock(return_value=ok(poll_post(47, multiple.question, multiple.options, multiple=True)))
    alone = client.publish_post("", poll=multiple)  # no text, no media: the poll is the post
    assert alone.post_id == "47" and text.call_count == 1
    assert sent(poll)["allows_multiple_answers"] is True and "reply_parameters" not in sent(poll)


def test_poll_limits_are_checked_before_anything_is_sent(api: respx.MockRouter) -> None:
    page = fresh_page()
    text = api.post(url(page, "sendMessage")).mock(return_value=ok(channel_post(45, "x")))
    poll = api.post(url(page, "sendPoll")).mock(return_value=ok(poll_post(46, "?", ("a", "b"))))
    client = Client(page)
    for bad_poll in (Poll("", ("a", "b")), Poll("?" * 301, ("a", "b")), Poll("?", ("a",)),
                     Poll("?", tuple(str(i) for i in range(13))), Poll("?", ("a", "я" * 101)), Poll("?", ("a", " "))):
        with pytest.raises(NetworkError) as caught:
            client.publish_post("Запись", poll=bad_poll)
        assert caught.value.kind is ErrorKind.BAD_REQUEST
    assert text.call_count == 0 and poll.call_count == 0


def test_a_failed_poll_after_the_post_is_never_a_reason_to_publish_again(api: respx.MockRouter) -> None:
    page = fresh_page()
    api.post(url(page, "sendMessage")).mock(return_value=ok(channel_post(45, "Субботник")))
    api.post(url(page, "sendPoll")).mock(return_value=err(429, "Too Many Requests: retry after 5", retry_after=5))
    with pytest.raises(NetworkError) as caught:
        Client(page).publish_post("Субботник", poll=POLL)
    assert caught.value.kind is ErrorKind.TIMEOUT  # "may have been done": the caller must not repeat
    assert "https://t.me/gorod/45" in caught.value.message_ru and "опрос" in caught.value.message_ru


def test_edit_post_text_caption_and_not_modified(api: respx.MockRouter) -> None:
    page = fresh_page()
    edit = api.post(url(page, "editMessageText")).mock(return_value=ok(
        {**channel_post(45, "Новый текст"), "edit_date": 1714900500}))
    client = Client(page)
    client.edit_post("45", "Новый текст")
    assert sent(edit) == {"chat_id": CHANNEL, "message_id": 45, "text": "Новый текст"}
    assert client.post_texts["45"] == "Новый текст"

    edit.mock(return_value=err(400, "Bad Request: message is not modified: specified new message content and "
                                    "reply markup are exactly the same as a current content and reply markup of "
                                    "the message"))
    client.edit_post("45", "Новый текст")  # repeated after a timeout: already so, not an error

    edit.mock(return_value=err(400, "Bad Request: there is no text in the message to edit"))
    caption = api.post(url(page, "editMessageCaption")).mock(return_value=ok(
        {**channel_post(46, ""), "caption": "Подпись", "photo": [], "edit_date": 1714900500}))
    client.edit_post("46", "Подпись")  # a photo post: its caption is its text
    assert sent(caption) == {"chat_id": CHANNEL, "message_id": 46, "caption": "Подпись"}
    client.edit_post("46", "Ещё подпись")  # known now: straight to the caption
    assert edit.call_count == 3 and caption.call_count == 2
    with pytest.raises(NetworkError) as caught:
        client.edit_post("46", "я" * 1025)
    assert caught.value.kind is ErrorKind.BAD_REQUEST and caption.call_count == 2


@pytest.mark.parametrize(("response", "kind"), [
    (err(400, "Bad Request: message to edit not found"), ErrorKind.NOT_FOUND),
    (err(400, "Bad Request: message can't be edited"), ErrorKind.FORBIDDEN),
    (err(403, "Forbidden: bot is not a member of the channel chat"), ErrorKind.FORBIDDEN),
    (err(429, "Too Many Requests: retry after 3", retry_after=3), ErrorKind.RATE_LIMITED),
    (err(500, "Internal Server Error"), ErrorKind.RETRY),
    (err(400, "Bad Request: message is too long"), ErrorKind.BAD_REQUEST),
])
def test_edit_post_errors(api: respx.MockRouter, response: httpx.Response, kind: ErrorKind) -> None:
    page = fresh_page()
    api.post(url(page, "editMessageText")).mock(return_value=response)
    with pytest.raises(NetworkError) as caught:
        Client(page).edit_post("45", "Текст")
    assert caught.value.kind is kind


def test_delete_post_and_its_poll(api: respx.MockRouter) -> None:
    page = fresh_page()
    delete = api.post(url(page, "deleteMessage")).mock(return_value=ok(True))
    client = Client(page, poll_ids={"45": "46"})
    client.delete_post("45")
    assert [json.loads(c.request.content) for c in delete.calls] == [
        {"chat_id": CHANNEL, "message_id": 45}, {"chat_id": CHANNEL, "message_id": 46}]
    assert client.poll_ids == {}
    delete.mock(return_value=err(400, "Bad Request: message to delete not found"))
    with pytest.raises(NetworkError) as caught:
        client.delete_post("45")
    assert caught.value.kind is ErrorKind.NOT_FOUND
    delete.mock(return_value=err(400, "Bad Request: message can't be deleted"))
    with pytest.raises(NetworkError) as caught:
        client.delete_post("45")
    assert caught.value.kind is ErrorKind.FORBIDDEN and "48 часов" in caught.value.message_ru
    with pytest.raises(NetworkError) as caught:
        client.delete_post("abc")
    assert caught.value.kind is ErrorKind.BAD_REQUEST


def test_find_post_is_unsupported(api: respx.MockRouter) -> None:
    with pytest.raises(NetworkError) as caught:
        Client(fresh_page()).find_post("Субботник")
    assert caught.value.kind is ErrorKind.UNSUPPORTED
    assert "историю канала" in caught.value.message_ru


def test_page_status_public_with_comments(api: respx.MockRouter) -> None:
    page = fresh_page()
    chat = api.post(url(page, "getChat")).mock(side_effect=[ok(CHANNEL_FULL), ok(GROUP_FULL)])
    status = Client(page).page_status()
    assert (status.name, status.open, status.comments_open, status.detail) == ("Город", True, True, "")
    assert [json.loads(c.request.content) for c in chat.calls] == [{"chat_id": CHANNEL}, {"chat_id": int(GROUP)}]


def test_page_status_private_without_discussion(api: respx.MockRouter) -> None:
    page = fresh_page(external_id="-1001234567890")
    private = {k: v for k, v in CHANNEL_FULL.items() if k not in ("username", "active_usernames", "linked_chat_id")}
    api.post(url(page, "getChat")).mock(return_value=ok(private))
    status = Client(page).page_status()
    assert (status.open, status.comments_open) == (False, False)
    assert "частный" in status.detail and "группа обсуждения" in status.detail


def test_page_status_group_members_may_not_write(api: respx.MockRouter) -> None:
    page = fresh_page()
    muted = {**GROUP_FULL, "permissions": {**GROUP_FULL["permissions"], "can_send_messages": False}}
    api.post(url(page, "getChat")).mock(side_effect=[ok(CHANNEL_FULL), ok(muted)])
    status = Client(page).page_status()
    assert (status.open, status.comments_open) == (True, False)
    assert "запрещено писать" in status.detail


def test_page_status_when_the_group_cannot_be_read(api: respx.MockRouter) -> None:
    page = fresh_page()
    api.post(url(page, "getChat")).mock(side_effect=[
        ok(CHANNEL_FULL), err(403, "Forbidden: bot is not a member of the supergroup chat")])
    status = Client(page).page_status()
    assert (status.open, status.comments_open) == (True, True)  # unknown stays True, and is said
    assert "не удалось" in status.detail
    api.post(url(page, "getChat")).mock(return_value=err(500, "Internal Server Error"))
    with pytest.raises(NetworkError) as caught:
        Client(page).page_status()
    assert caught.value.kind is ErrorKind.RETRY
    api.post(url(page, "getChat")).mock(return_value=err(400, "Bad Request: chat not found"))
    with pytest.raises(NetworkError) as caught:
        Client(page).page_status()
    assert caught.value.kind is ErrorKind.NOT_FOUND
