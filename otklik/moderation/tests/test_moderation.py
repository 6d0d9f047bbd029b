"""Moderation on official pages through the real clients, the webhooks and the sandbox."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import Client

from otklik.channels.sandbox.demo_world import PAGES
from otklik.channels.sandbox.world import Failure, World
from otklik.incidents.models import Incident
from otklik.incidents.transitions import NotFound, TransitionError
from otklik.moderation import services as svc
from otklik.moderation.models import Ban, ModerationAction, PageComment
from otklik.moderation.worker import actions_sweep, page_poll
from otklik.org.selectors import access_for
from otklik.pages.audit import page_history_verify
from otklik.pages.models import OfficialPage

pytestmark = pytest.mark.django_db
MSK = ZoneInfo("Europe/Moscow")
OBSCENE = "Да вы там все охренели, бл*дь, дорогу не чистите!"
QUESTION = "Подскажите, когда на ул. Мира починят фонарь? Третью неделю темно."
CLEAN = "Спасибо за новость, придём всей семьёй!"
SECRET = "vk-callback-secret-42"


def acc(demo: dict[str, Any], login: str) -> Any:
    return access_for(demo[login].user)


def page(network: str) -> OfficialPage:
    return OfficialPage.objects.get(municipality__slug="plastunovskoe", network=network, unit__isnull=True)


@pytest.fixture
def world(sandbox_world: World) -> World:
    return sandbox_world


def _vk_push(world: World, text: str, *, secret: str = SECRET, author: str = "7301") -> Any:
    """A citizen writes on the sandbox VK page, and VK's Callback API tells us."""
    made = world.citizen_comment("vk", "100", 1000, text, author_id=author)
    body = {"type": "wall_reply_new", "group_id": 100, "secret": secret, "event_id": f"e{made.id}", "v": "5.199",
            "object": {"id": made.id, "from_id": int(author), "date": made.date, "text": text, "post_id": 1000,
                       "post_owner_id": -100}}
    return Client().post(f"/api/v1/channels/vk/callback/{page('vk').pk}", json.dumps(body),
                         content_type="application/json"), made


def _setup_vk(demo: dict[str, Any], *, delete: str = "obscenity,insult,spam,law", ban: str = "obscenity") -> None:
    call_command("pages", "moderation", str(page("vk").pk), "--delete", delete, "--ban", ban, stdout=io.StringIO())
    svc.callback_set(page=page("vk"), secret=SECRET, confirmation="c0nf1rm")


def test_vk_callback_confirms_checks_the_secret_and_answers_ok(demo: dict[str, Any], world: World) -> None:
    _setup_vk(demo)
    url = f"/api/v1/channels/vk/callback/{page('vk').pk}"
    confirm = Client().post(url, json.dumps({"type": "confirmation", "group_id": 100, "secret": SECRET}),
                            content_type="application/json")
    assert confirm.status_code == 200 and confirm.content == b"c0nf1rm"
    wrong, _ = _vk_push(world, CLEAN, secret="guess")
    assert wrong.status_code == 403 and not PageComment.objects.exists()
    other_group = Client().post(url, json.dumps({"type": "wall_reply_new", "group_id": 999, "secret": SECRET,
                                                 "object": {"id": 5, "from_id": 1, "text": "x", "post_id": 1}}),
                                content_type="application/json")
    assert other_group.status_code == 403
    ok, _ = _vk_push(world, CLEAN)
    assert ok.status_code == 200 and ok.content == b"ok"
    assert PageComment.objects.get().state == PageComment.State.CLEAN
    assert Client().post(url, b"not json", content_type="application/json").status_code == 400


def test_obscenity_is_deleted_and_its_author_banned_within_one_worker_tick(demo: dict[str, Any],
                                                                           world: World) -> None:
    _setup_vk(demo)
    response, made = _vk_push(world, OBSCENE)
    assert response.content == b"ok"
    comment = PageComment.objects.get()
    assert comment.state == PageComment.State.DELETED and "obscenity" in comment.codes
    assert text_of(comment, "obscenity")
    world.calls.clear()
    actions_sweep()  # one tick
    called = [m for n, m in world.calls if n == "vk"]
    assert "wall.deleteComment" in called and "groups.ban" in called
    vk = world.pages[("vk", "100")]
    assert vk.comments[made.id].deleted and "7301" in vk.banned
    ban = Ban.objects.get()
    assert ban.until is not None and ban.reason == "нецензурная брань"
    assert all(a.state == ModerationAction.State.DONE and a.auto for a in ModerationAction.objects.all())
    assert page_history_verify([page("vk").pk])[1] == []


def text_of(comment: PageComment, code: str) -> str:
    f = next(f for f in comment.findings if f["code"] == code)
    return comment.text[f["start"]:f["end"]]


def test_undo_restores_the_comment_and_unbans(demo: dict[str, Any], world: World) -> None:
    _setup_vk(demo)
    _, made = _vk_push(world, OBSCENE)
    actions_sweep()
    moderator = acc(demo, "moderator")
    for action in ModerationAction.objects.filter(kind__in=["delete", "ban"]):
        svc.action_undo(access=moderator, action_id=action.pk)
    actions_sweep()
    vk = world.pages[("vk", "100")]
    assert not vk.comments[made.id].deleted and "7301" not in vk.banned
    assert Ban.objects.get().lifted_at is not None
    with pytest.raises(TransitionError, match="уже отменено"):
        svc.action_undo(access=moderator, action_id=ModerationAction.objects.get(kind="delete").pk)


def test_the_moderator_decides_what_the_rule_left_and_bans_for_a_term(demo: dict[str, Any], world: World) -> None:
    _setup_vk(demo, delete="spam", ban="")
    _vk_push(world, OBSCENE)
    comment = PageComment.objects.get()
    assert comment.state == PageComment.State.QUEUED  # found, not deleted on its own: a person decides
    at = datetime(2026, 12, 7, 10, tzinfo=MSK)
    svc.comment_decide(access=acc(demo, "moderator"), comment_id=comment.pk, decision="ban", term="month",
                       reason="мат", at=at)
    ban = Ban.objects.get()
    assert ban.until == at + timedelta(days=30) and ban.reason == "мат"
    with pytest.raises(NotFound):  # an editor sees no comments to moderate
        svc.comment_decide(access=acc(demo, "editor"), comment_id=comment.pk, decision="delete")
    # The term ends: unbanned in the network too.
    actions_sweep()
    assert svc.bans_expire(at=at + timedelta(days=31)) == 1
    actions_sweep()
    assert "7301" not in world.pages[("vk", "100")].banned


def test_a_question_becomes_a_publication_and_the_answer_goes_under_the_comment(demo: dict[str, Any],
                                                                                world: World) -> None:
    _setup_vk(demo)
    _, made = _vk_push(world, QUESTION)
    comment = PageComment.objects.get()
    assert comment.needs_answer and comment.state == PageComment.State.QUEUED
    svc.comment_decide(access=acc(demo, "moderator"), comment_id=comment.pk, decision="publication")
    incident = Incident.objects.get(external_id=f"comment:{page('vk').pk}:{made.id}")
    assert incident.kind == "publication" and incident.text == QUESTION
    assert incident.url == f"https://vk.com/wall-100_1000?reply={made.id}"
    from otklik.incidents.publishing import page_for

    match = page_for(incident)
    assert match is not None and match.target.comment_id == str(made.id)  # the answer will reply to it


def test_auto_publication_when_the_page_is_set_so(demo: dict[str, Any], world: World) -> None:
    _setup_vk(demo)
    call_command("pages", "moderation", str(page("vk").pk), "--delete", "obscenity", "--auto-publication", "yes",
                 stdout=io.StringIO())
    _vk_push(world, QUESTION)
    assert PageComment.objects.get().incident is not None


def test_a_lost_push_is_recovered_by_the_poll_and_nothing_is_read_twice(demo: dict[str, Any], world: World) -> None:
    _setup_vk(demo)
    _vk_push(world, CLEAN)  # pushed
    lost = world.citizen_comment("vk", "100", 1000, OBSCENE, author_id="7302")  # the push never came
    page_poll(page("vk"))
    page_poll(page("vk"))
    stored = {c.network_id: c for c in PageComment.objects.all()}
    assert set(stored) == {str(c.id) for c in world.pages[("vk", "100")].comments.values()
                           if c.post_id == 1000 and c.author_id != "page"}
    assert stored[str(lost.id)].state == PageComment.State.DELETED
    assert ModerationAction.objects.filter(kind="delete", comment__network_id=str(lost.id)).count() == 1


@pytest.mark.parametrize("network", ["telegram", "max", "ok"])
def test_every_network_polls_comments_in(demo: dict[str, Any], world: World, network: str) -> None:
    spec = next(p for p in PAGES if p.network == network)
    sb = world.pages[(network, spec.external_id)]
    post = min(sb.posts)
    made = world.citizen_comment(network, spec.external_id, post, OBSCENE, author_id="7401")
    svc.rule_set(page=page(network), delete=["obscenity"], ban=[])
    if network in ("vk", "ok"):  # post by post: the post must be known
        from otklik.moderation.models import IntakeMarker

        IntakeMarker.objects.create(page=page(network), scope=str(post), polled_at=None)
    page_poll(page(network))
    page_poll(page(network))
    if network == "ok":  # OK polls post by post; the marker row above names the post
        pass
    comment = PageComment.objects.filter(page=page(network)).first()
    assert comment is not None, network
    assert comment.state == PageComment.State.DELETED
    assert PageComment.objects.filter(page=page(network)).count() == len(
        [c for c in sb.comments.values() if c.author_id != "page" and c.post_id == post]) or network in PAGE_WIDE
    actions_sweep()
    assert sb.comments[made.id].deleted


PAGE_WIDE = ("telegram", "max")


def test_webhooks_of_telegram_and_max_check_their_secrets(demo: dict[str, Any], world: World) -> None:
    for network, header in (("telegram", "X-Telegram-Bot-Api-Secret-Token"), ("max", "X-Max-Bot-Api-Secret")):
        svc.callback_set(page=page(network), secret="s3cret")
        url = f"/api/v1/channels/{network}/webhook/{page(network).pk}"
        assert Client().post(url, "{}", content_type="application/json").status_code == 403
        wrong = Client().post(url, "{}", content_type="application/json", headers={header: "nope"})
        assert wrong.status_code == 403
        right = Client().post(url, "{}", content_type="application/json", headers={header: "s3cret"})
        assert right.status_code in (200, 400), network  # an empty update: accepted or refused as malformed


def test_a_failed_network_call_is_retried_then_reported(demo: dict[str, Any], world: World) -> None:
    _setup_vk(demo)
    world.fail(Failure(network="vk", method="wall.deleteComment", kind="rate_limit"))
    _vk_push(world, OBSCENE)
    actions_sweep()
    delete = ModerationAction.objects.get(kind="delete")
    assert delete.state == ModerationAction.State.PENDING and delete.error
    actions_sweep(at=delete.next_attempt_at)
    delete.refresh_from_db()
    assert delete.state == ModerationAction.State.DONE


def test_api_lists_decisions_with_reasons(demo: dict[str, Any], world: World) -> None:
    from otklik.api.tests.conftest import ApiClient, make_key

    _setup_vk(demo)
    _vk_push(world, OBSCENE)
    api = ApiClient(make_key(name="system")[1])
    rows = api.get("/moderation", page=page("vk").pk).json()
    assert {r["action"] for r in rows} == {"delete", "ban"}
    assert all(r["automatic"] and r["reason"] for r in rows)
    assert api.get("/moderation", page=page("ok").pk).json() == []
    assert api.get("/moderation", limit=0).status_code == 422


def test_counts_for_the_monthly_report(demo: dict[str, Any], world: World) -> None:
    _setup_vk(demo)
    _vk_push(world, OBSCENE)
    _vk_push(world, QUESTION, author="7305")
    comment = PageComment.objects.get(needs_answer=True)
    svc.comment_decide(access=acc(demo, "moderator"), comment_id=comment.pk, decision="publication")
    now = datetime.now(tz=MSK)
    counts = svc.moderation_counts(municipality_id=page("vk").municipality_id, start=now - timedelta(days=1),
                                   end=now + timedelta(days=1))
    assert counts["deleted"] == 1 and counts["banned"] == 1 and counts["to_publication"] == 1
    assert counts["deleted_by_reason"] == {"нецензурная брань": 1}


def test_pages_add_stores_the_callback_secret_sealed(demo: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from otklik.moderation.models import ModerationRule

    monkeypatch.setattr(sys, "stdin", io.StringIO("vk1.a.token\n"))
    out = io.StringIO()
    call_command("pages", "add", "--municipality", "plastunovskoe", "--network", "vk", "--url", "https://vk.com/club55",
                 "--external-id", "55", "--token-stdin", "--callback-secret", "S3cr3t-cb", "--callback-confirmation",
                 "abc123", stdout=out, stderr=io.StringIO())
    new = OfficialPage.objects.get(pk=int(out.getvalue().strip()))
    rule = ModerationRule.objects.get(page=new)
    assert rule.callback_confirmation == "abc123" and "S3cr3t-cb" not in rule.callback_secret_sealed
    assert svc.callback_secret(new) == "S3cr3t-cb"
    with pytest.raises(Exception, match="только за то, что удаляем"):
        call_command("pages", "moderation", str(new.pk), "--delete", "spam", "--ban", "insult", stdout=io.StringIO())
