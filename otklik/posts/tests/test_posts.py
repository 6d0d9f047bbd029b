"""Posts on official pages (Прил. 1 п. 3, 5–7) through the real services, the real clients and the sandbox."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from otklik.channels.sandbox.demo_world import PAGES
from otklik.channels.sandbox.world import Failure, World
from otklik.incidents.transitions import Forbidden, Invalid, TransitionError
from otklik.notifications.models import Notification
from otklik.org.models import Unit
from otklik.org.selectors import access_for
from otklik.pages.models import OfficialPage
from otklik.posts import publishing
from otklik.posts import services as svc
from otklik.posts.cadence import board, cadence_reminders
from otklik.posts.models import Post, PostTarget

pytestmark = pytest.mark.django_db
MSK = ZoneInfo("Europe/Moscow")
T0 = datetime(2026, 12, 7, 10, 0, tzinfo=MSK)  # a Monday
GOOD = ("Друзья, в субботу в 11:00 приглашаем вас на открытие нового катка у Дома культуры! "
        "Коньки можно взять напрокат бесплатно. Приходите всей семьёй!")


def acc(demo: dict[str, Any], login: str) -> Any:
    return access_for(demo[login].user)


def page(network: str) -> OfficialPage:
    return OfficialPage.objects.get(municipality__slug="plastunovskoe", network=network, unit__isnull=True)


@pytest.fixture
def world(sandbox_world: World) -> World:
    return sandbox_world


def _posts_on(world: World, network: str) -> list[Any]:
    spec = next(p for p in PAGES if p.network == network)
    return [p for p in world.pages[(network, spec.external_id)].posts.values() if p.id < 1000 or p.id > 1011]


def test_an_administration_post_waits_for_the_head_then_goes_to_every_network(demo: dict[str, Any],
                                                                            world: World) -> None:
    ids = [page(n).pk for n in ("vk", "ok", "telegram", "max")]
    post = svc.post_create(access=acc(demo, "editor"), page_ids=ids, text=GOOD, at=T0)
    assert post.state == Post.State.AWAITING and post.needs_approval
    assert publishing.posts_sweep(at=T0) == 0  # nothing goes out before the approval (п. 3)
    assert Notification.objects.filter(recipient=demo["general"], subject__contains="ждёт согласования").exists()
    with pytest.raises(Forbidden):
        svc.post_approve(access=acc(demo, "editor"), post_id=post.pk, at=T0)
    with pytest.raises(TransitionError, match="Текст изменился"):
        svc.post_approve(access=acc(demo, "general"), post_id=post.pk, text_hash_seen="0" * 64, at=T0)
    svc.post_approve(access=acc(demo, "general"), post_id=post.pk, text_hash_seen=post.text_hash, at=T0)
    assert publishing.posts_sweep(at=T0 + timedelta(seconds=1)) == 4
    post.refresh_from_db()
    assert post.state == Post.State.PUBLISHED
    for network in ("vk", "ok", "telegram", "max"):
        [made] = _posts_on(world, network)
        assert made.text == GOOD, network
    for target in post.targets.all():
        assert target.state == PostTarget.State.DONE and target.network_post_id and target.url.startswith("https://")


def test_any_change_voids_the_approval(demo: dict[str, Any], world: World) -> None:
    post = svc.post_create(access=acc(demo, "editor"), page_ids=[page("vk").pk], text=GOOD,
                           publish_at=T0 + timedelta(days=1), at=T0)
    svc.post_approve(access=acc(demo, "general"), post_id=post.pk, at=T0)
    post = svc.post_edit(access=acc(demo, "editor"), post_id=post.pk, text=GOOD + " Ждём!", at=T0)
    assert post.state == Post.State.AWAITING and post.approved_hash == ""
    assert publishing.posts_sweep(at=T0 + timedelta(days=2)) == 0
    # A text changed behind the service's back never goes out either.
    svc.post_approve(access=acc(demo, "general"), post_id=post.pk, at=T0)
    Post.objects.filter(pk=post.pk).update(text=GOOD + " Подпись")
    publishing.posts_sweep(at=T0 + timedelta(days=2))
    assert _posts_on(world, "vk") == []
    assert PostTarget.objects.get(post=post).state == PostTarget.State.FAILED


def test_scheduled_posts_go_out_at_their_time(demo: dict[str, Any], world: World) -> None:
    kdc = OfficialPage.objects.get(unit__isnull=False)
    vk = page("vk")
    OfficialPage.objects.filter(pk=vk.pk).update(external_id="")  # one page per network id
    kdc.token_sealed, kdc.external_id = vk.token_sealed, "100"
    kdc.save()
    post = svc.post_create(access=acc(demo, "kdc"), page_ids=[kdc.pk], text=GOOD,
                           publish_at=T0 + timedelta(hours=3), at=T0)
    assert post.state == Post.State.APPROVED and not post.needs_approval  # an institution's own page
    assert svc.scheduled_text(post, T0).startswith("Запланирован на 07.12.2026 13:00")
    assert publishing.posts_sweep(at=T0 + timedelta(hours=2, minutes=59)) == 0
    assert publishing.posts_sweep(at=T0 + timedelta(hours=3)) == 1
    assert [p.text for p in _posts_on(world, "vk")] == [GOOD]


def test_only_own_pages_for_an_institution_and_no_past_times(demo: dict[str, Any], world: World) -> None:
    with pytest.raises(Forbidden):
        svc.post_create(access=acc(demo, "kdc"), page_ids=[page("vk").pk], text=GOOD, at=T0)
    with pytest.raises(Invalid, match="уже прошло"):
        svc.post_create(access=acc(demo, "editor"), page_ids=[page("vk").pk], text=GOOD,
                        publish_at=T0 - timedelta(hours=1), at=T0)
    with pytest.raises(Invalid, match="нет опросов"):
        svc.post_create(access=acc(demo, "editor"), page_ids=[page("max").pk], text=GOOD,
                        poll={"question": "Когда удобнее?", "options": ["утром", "вечером"]}, at=T0)
    with pytest.raises(Invalid, match="Telegram"):
        svc.post_create(access=acc(demo, "editor"), page_ids=[page("telegram").pk], text="Друзья! " * 600, at=T0)
    assert not Post.objects.exists()


def test_never_twice_after_a_timeout_the_page_is_looked_at_first(demo: dict[str, Any], world: World) -> None:
    post = svc.post_create(access=acc(demo, "editor"), page_ids=[page("vk").pk], text=GOOD, at=T0)
    svc.post_approve(access=acc(demo, "general"), post_id=post.pk, at=T0)
    world.fail(Failure(network="vk", method="wall.post", kind="timeout", after_accept=True))
    publishing.posts_sweep(at=T0)
    target = PostTarget.objects.get(post=post)
    assert target.state == PostTarget.State.UNKNOWN and target.maybe_sent
    publishing.posts_sweep(at=T0 + timedelta(seconds=31))
    target.refresh_from_db()
    assert target.state == PostTarget.State.DONE
    assert len(_posts_on(world, "vk")) == 1


def test_telegram_cannot_be_asked_so_a_person_checks(demo: dict[str, Any], world: World) -> None:
    post = svc.post_create(access=acc(demo, "editor"), page_ids=[page("telegram").pk], text=GOOD, at=T0)
    svc.post_approve(access=acc(demo, "general"), post_id=post.pk, at=T0)
    world.fail(Failure(network="telegram", method="sendMessage", kind="timeout"))
    publishing.posts_sweep(at=T0)
    publishing.posts_sweep(at=T0 + timedelta(seconds=31))
    target = PostTarget.objects.get(post=post)
    assert target.state == PostTarget.State.CHECK
    publishing.posts_sweep(at=T0 + timedelta(hours=1))
    assert _posts_on(world, "telegram") == []
    publishing.target_check_done(target=target, found=False, at=T0 + timedelta(hours=1))
    publishing.posts_sweep(at=T0 + timedelta(hours=1))
    assert len(_posts_on(world, "telegram")) == 1


def test_a_failed_page_is_said_and_retried_others_stay_published(demo: dict[str, Any], world: World) -> None:
    world.pages[("ok", "5100")].token = "revoked"
    post = svc.post_create(access=acc(demo, "editor"), page_ids=[page("vk").pk, page("ok").pk], text=GOOD, at=T0)
    svc.post_approve(access=acc(demo, "general"), post_id=post.pk, at=T0)
    publishing.posts_sweep(at=T0)
    post.refresh_from_db()
    assert post.state == Post.State.PARTIAL
    failed = post.targets.get(page__network="ok")
    assert failed.state == PostTarget.State.FAILED and "Ключ доступа страницы" in failed.last_error
    assert Notification.objects.filter(recipient=demo["editor"], subject__contains="не вышла").exists()
    world.pages[("ok", "5100")].token = next(p.token for p in PAGES if p.network == "ok")
    svc.post_publish(access=acc(demo, "editor"), post_id=post.pk, at=T0 + timedelta(minutes=5))
    publishing.posts_sweep(at=T0 + timedelta(minutes=5))
    post.refresh_from_db()
    assert post.state == Post.State.PUBLISHED
    assert len(_posts_on(world, "vk")) == 1 and len(_posts_on(world, "ok")) == 1


def test_edit_and_delete_a_published_post_through_the_network(demo: dict[str, Any], world: World) -> None:
    post = svc.post_create(access=acc(demo, "editor"), page_ids=[page("vk").pk, page("max").pk], text=GOOD, at=T0)
    svc.post_approve(access=acc(demo, "general"), post_id=post.pk, at=T0)
    publishing.posts_sweep(at=T0)
    new = GOOD.replace("11:00", "12:00")
    svc.post_edit(access=acc(demo, "editor"), post_id=post.pk, text=new, at=T0)
    assert publishing.posts_sweep(at=T0) == 0  # a changed text is approved again first
    svc.post_approve(access=acc(demo, "general"), post_id=post.pk, at=T0)
    publishing.posts_sweep(at=T0)
    assert [p.text for p in _posts_on(world, "vk")] == [new] and [p.text for p in _posts_on(world, "max")] == [new]
    svc.post_delete(access=acc(demo, "editor"), post_id=post.pk, at=T0)
    publishing.posts_sweep(at=T0)
    post.refresh_from_db()
    assert post.state == Post.State.DELETED
    assert all(p.deleted for p in _posts_on(world, "vk") + _posts_on(world, "max"))


def test_cadence_reminds_on_thursday_morning_and_sums_up_on_monday(demo: dict[str, Any], world: World) -> None:
    vk, ok = page("vk"), page("ok")
    for day in (0, 1):  # two posts on VK this week, none on OK
        post = Post.objects.create(municipality=vk.municipality, author=demo["editor"], text=GOOD, text_hash="x",
                                   state=Post.State.PUBLISHED)
        PostTarget.objects.create(post=post, page=vk, state=PostTarget.State.DONE,
                                  published_at=T0 + timedelta(days=day))
    rows = {r.page.pk: r for r in board(vk.municipality, now=T0 + timedelta(days=3))}
    assert rows[vk.pk].this_week == 2 and rows[ok.pk].this_week == 0 and len(rows[vk.pk].counts) == 9
    wednesday = T0 + timedelta(days=2)
    assert cadence_reminders(now=wednesday) == 0
    thursday_early = datetime(2026, 12, 10, 8, 59, tzinfo=MSK)
    assert cadence_reminders(now=thursday_early) == 0
    thursday = datetime(2026, 12, 10, 9, 0, tzinfo=MSK)
    cadence_reminders(now=thursday)
    cadence_reminders(now=thursday + timedelta(hours=1))  # idempotent: one letter per page and week
    short = Notification.objects.filter(subject__contains="мало публикаций", channel="email")
    pages_told = {n.subject for n in short}
    assert any(ok.name in s for s in pages_told) and not any(f"«{vk.name}»" in s for s in pages_told)
    assert short.filter(recipient=demo["editor"], subject__contains=ok.name).count() == 1
    monday = datetime(2026, 12, 14, 9, 30, tzinfo=MSK)
    cadence_reminders(now=monday)
    [summary] = Notification.objects.filter(recipient=demo["general"], subject__startswith="Публикации за прошлую",
                                            channel="email")
    assert f"✔ {vk.name}" in summary.body and f"✘ {ok.name}" in summary.body
    assert Unit.objects.exists()


def test_voice_findings_are_stored_in_the_check_answer_shape(demo: dict[str, Any], world: World) -> None:
    text = ("Администрация Пластуновского сельского поселения информирует о том, что в рамках реализации "
            "мероприятий была проведена работа по осуществлению ремонта дорожного покрытия.")
    post = svc.post_create(access=acc(demo, "editor"), page_ids=[page("vk").pk], text=text, at=T0)
    assert post.findings and {"code", "severity", "start", "end", "message", "suggestion"} <= set(post.findings[0])
    assert all(text[f["start"]:f["end"]] for f in post.findings)


def test_api_pages_posts_and_actions(demo: dict[str, Any], world: World) -> None:
    """The interface contract: GET /pages, POST /posts → 201 with findings, actions, GET /posts/{id}."""
    from otklik.api.tests.conftest import ApiClient, make_key

    editor = ApiClient(make_key(person=demo["editor"], name="editor")[1])
    head = ApiClient(make_key(person=demo["general"], name="head")[1])
    system = ApiClient(make_key(name="system")[1])
    pages = editor.get("/pages").json()
    assert {p["network"] for p in pages} >= {"vk", "ok", "telegram", "max"}
    assert all("token" not in k or k in ("token_set", "token_ok") for p in pages for k in p)
    vk = next(p["id"] for p in pages if p["network"] == "vk" and p["unit"] is None)
    r = editor.post("/posts", {"pages": [vk], "text": "Администрация поселения информирует о том, что в рамках "
                                                       "реализации программы осуществляется ремонт дорог."})
    assert r.status_code == 201, r.content
    created = r.json()
    assert created["state"] == "awaiting" and created["findings"]
    assert {"code", "severity", "message", "start", "end"} <= set(created["findings"][0])
    pid = created["id"]
    assert system.post("/posts", {"pages": [vk], "text": GOOD}).status_code == 403  # a person's key only
    assert editor.post(f"/posts/{pid}/actions/approve").status_code == 403
    assert head.post(f"/posts/{pid}/actions/approve", {"text_hash_seen": "0" * 64}).status_code == 409
    r = head.post(f"/posts/{pid}/actions/approve", {"text_hash_seen": created["text_hash"]})
    assert r.status_code == 200 and r.json()["state"] in ("approved", "publishing")
    publishing.posts_sweep()
    detail = editor.get(f"/posts/{pid}").json()
    [target] = detail["pages"]
    assert detail["state"] == "published" and target["state"] == "done"
    assert target["network_post_id"] and target["url"].startswith("https://vk.com/wall-100_")
    assert editor.post(f"/posts/{pid}/actions/delete").status_code == 200
    publishing.posts_sweep()
    assert editor.get(f"/posts/{pid}").json()["state"] == "deleted"
    # Bad input: 422 in Russian, never 500.
    for body in ({"pages": [], "text": GOOD}, {"pages": [vk], "text": "   "},
                 {"pages": [vk], "text": GOOD, "publish_at": "2020-01-01T10:00:00+03:00"},
                 {"pages": [vk], "text": GOOD, "publish_at": "2027-01-01T10:00:00"}):
        assert editor.post("/posts", body).status_code == 422, body
    assert editor.post("/posts", {"pages": [2**62], "text": GOOD}).status_code == 403
    assert editor.get("/posts/999999").status_code == 404


def test_a_photo_and_a_poll_go_out_with_the_text(demo: dict[str, Any], world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from otklik.incidents.attachments import AttachmentError
    from otklik.incidents.tests.test_attachments import PNG_BYTES

    photo = SimpleUploadedFile("каток.png", PNG_BYTES, content_type="image/png")
    post = svc.post_create(access=acc(demo, "editor"), page_ids=[page("vk").pk, page("telegram").pk], text=GOOD,
                           files=[photo], poll={"question": "Когда удобнее?", "options": ["утром", "вечером"]}, at=T0)
    assert [m.name for m in post.media.all()] == ["каток.png"]
    svc.post_approve(access=acc(demo, "general"), post_id=post.pk, at=T0)
    publishing.posts_sweep(at=T0)
    post.refresh_from_db()
    assert post.state == Post.State.PUBLISHED, [t.last_error for t in post.targets.all()]
    [vk_post] = _posts_on(world, "vk")
    assert any(a.startswith("photo") for a in vk_post.attachments) and any("poll" in a for a in vk_post.attachments)
    tg = _posts_on(world, "telegram")
    assert any(any(a.startswith("photo") for a in p.attachments) for p in tg)
    assert any(any("poll" in a for a in p.attachments) for p in tg)
    fake = SimpleUploadedFile("virus.png", b"MZ\x90\x00 not a picture", content_type="image/png")
    with pytest.raises(AttachmentError, match="не фото"):
        svc.post_create(access=acc(demo, "editor"), page_ids=[page("vk").pk], text=GOOD, files=[fake], at=T0)
