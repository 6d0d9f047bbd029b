"""The moderator's screens: the queue, the decisions, «Решения», the black list and the rules."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from otklik.channels.base import Comment
from otklik.channels.sandbox.world import World
from otklik.core.tests.signin import client_for
from otklik.incidents.models import Incident
from otklik.moderation import services as svc
from otklik.moderation.models import Ban, ModerationAction, ModerationRule, PageComment
from otklik.moderation.worker import actions_sweep
from otklik.org.models import Municipality, Person, PersonRole, Region, Unit
from otklik.org.roles import Role
from otklik.pages.models import OfficialPage

pytestmark = pytest.mark.django_db
RUDE = "Вы все идиоты <script>alert('x')</script> & дороги не чистите"
QUESTION = "Подскажите, когда на ул. Мира починят фонарь? Третью неделю темно."


@pytest.fixture(autouse=True)
def _no_second_factor(settings: Any) -> None:
    settings.OTKLIK_REQUIRE_2FA = False


@pytest.fixture
def world(sandbox_world: World) -> World:
    return sandbox_world


def vk() -> OfficialPage:
    return OfficialPage.objects.get(municipality__slug="plastunovskoe", network="vk", unit__isnull=True)


def comment(text: str = RUDE, *, cid: str = "501", author: str = "7301", reply_to: str = "") -> PageComment:
    [stored] = svc.comments_ingest(page=vk(), comments=[Comment(id=cid, post_id="1000", author_id=author, text=text,
                                                                reply_to=reply_to)], via="push")
    return stored


def stranger(role: str = Role.MODERATOR) -> Client:
    """The same role in another municipality."""
    region = Region.objects.get_or_create(slug="far", defaults={"name": "Дальний край"})[0]
    mun = Municipality.objects.get_or_create(slug="far-mo", defaults={"region": region, "name": "Дальнее МО"})[0]
    unit = Unit.objects.get_or_create(municipality=mun, name="Дальний отдел")[0]
    user = get_user_model().objects.create_user(username=f"far-{role}", password="x-far-pass")
    person = Person.objects.create(user=user, full_name="Чужой модератор", region=region, municipality=mun, unit=unit)
    PersonRole.objects.create(person=person, role=role)
    client = Client()
    client.force_login(user)
    return client


def test_the_queue_shows_a_queued_comment_escaped_with_its_reasons(demo: dict[str, Any]) -> None:
    parent = comment("Когда уберут снег у школы?", cid="500", author="7300")
    c = comment(reply_to=parent.network_id)
    assert c.state == PageComment.State.QUEUED
    response = client_for(demo, "moderator").get("/moderation/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="comment-{c.pk}"' in html
    assert "<script>alert" not in html and "&lt;script&gt;alert(" in html  # the citizen's text is only text
    assert '<mark class="mod-finding mod-insult"' in html and "оскорбление" in html
    assert "id 7301" in html and "под постом 1000" in html
    assert "Когда уберут снег у школы?" in html  # the comment it answers
    assert "Удалить и в чёрный список" in html and "навсегда" in html and "Нецензурная брань" in html
    assert 'data-confirm="Удалить комментарий и внести автора' in html
    # Filters: by page and by what was found.
    assert f'id="comment-{c.pk}"' in client_for(demo, "moderator").get(f"/moderation/?page={vk().pk}").content.decode()
    assert f'id="comment-{c.pk}"' not in client_for(demo, "moderator").get("/moderation/?code=spam").content.decode()
    assert f'id="comment-{c.pk}"' in client_for(demo, "moderator").get("/moderation/?code=insult").content.decode()
    assert client_for(demo, "moderator").get("/moderation/?page=99999999999999999999&code=<x>").status_code == 200
    # The navigation leads there for the moderator, not for the editor.
    assert 'href="/moderation/"' in html
    assert 'href="/moderation/"' not in client_for(demo, "editor").get("/posts/").content.decode()


def test_the_roles_and_the_municipality_are_checked(demo: dict[str, Any]) -> None:
    c = comment()
    for url in ("/moderation/", "/moderation/log/", "/moderation/bans/", "/moderation/pages/",
                f"/moderation/pages/{vk().pk}/rules/"):
        assert client_for(demo, "editor").get(url).status_code == 403, url
        assert client_for(demo, "general").get(url).status_code == 200, url
    refused = client_for(demo, "editor").post(f"/moderation/comments/{c.pk}/decide/", {"decision": "delete"})
    assert refused.status_code == 403
    far = stranger()
    assert far.post(f"/moderation/comments/{c.pk}/decide/", {"decision": "delete"}).status_code == 404
    assert far.get(f"/moderation/pages/{vk().pk}/rules/").status_code == 404
    assert f"comment-{c.pk}" not in far.get("/moderation/").content.decode()
    c.refresh_from_db()
    assert c.state == PageComment.State.QUEUED and not ModerationAction.objects.exists()


def test_delete_keep_and_ban_from_the_queue(demo: dict[str, Any], world: World) -> None:
    moderator = client_for(demo, "moderator")
    a, b, c = comment(cid="601"), comment(cid="602", author="7302"), comment(cid="603", author="7303")
    response = moderator.post(f"/moderation/comments/{a.pk}/decide/", {"decision": "delete", "back": "code=insult"},
                              follow=True)
    assert response.redirect_chain[-1][0] == "/moderation/?code=insult"
    assert "Комментарий удаляется в сети." in response.content.decode()
    moderator.post(f"/moderation/comments/{b.pk}/decide/", {"decision": "keep"})
    response = moderator.post(f"/moderation/comments/{c.pk}/decide/",
                              {"decision": "ban", "term": "week", "reason": "оскорбления"}, follow=True)
    assert "в чёрный список на неделю" in response.content.decode()
    states = dict(PageComment.objects.values_list("network_id", "state"))
    assert states == {"601": "deleted", "602": "kept", "603": "deleted"}
    ban = Ban.objects.get()
    assert ban.author_id == "7303" and ban.reason == "оскорбления" and ban.until is not None
    assert (ban.until - ban.at).days == 7 and ban.by == demo["moderator"]
    actions_sweep()  # the worker's turn
    assert set(ModerationAction.objects.exclude(kind="keep").values_list("state", flat=True)) == {"done"}
    sandbox = world.pages[("vk", "100")]
    assert "7303" in sandbox.banned
    # Nothing left; a second decision on a deleted comment is a message, not an error page.
    html = moderator.get("/moderation/").content.decode()
    assert "Очередь пуста" in html
    again = moderator.post(f"/moderation/comments/{a.pk}/decide/", {"decision": "keep"}, follow=True)
    assert again.status_code == 200 and "отмените удаление" in again.content.decode()
    bad = moderator.post(f"/moderation/comments/{b.pk}/decide/", {"decision": "ban", "term": "year"}, follow=True)
    assert bad.status_code == 200 and "Срок: сутки, неделя, месяц или навсегда." in bad.content.decode()
    assert moderator.get(f"/moderation/comments/{b.pk}/decide/").status_code == 302


def test_a_question_goes_into_the_workflow_with_a_link(demo: dict[str, Any]) -> None:
    c = comment(QUESTION, cid="700")
    assert c.needs_answer and c.state == PageComment.State.QUEUED
    moderator = client_for(demo, "moderator")
    assert "В работу</button>" in moderator.get("/moderation/?code=question").content.decode()
    response = moderator.post(f"/moderation/comments/{c.pk}/decide/", {"decision": "publication"}, follow=True)
    incident = Incident.objects.get()
    assert incident.kind == "publication"
    assert f'<a href="/incidents/{incident.pk}/">сообщение № {incident.pk}</a>' in response.content.decode()
    again = moderator.post(f"/moderation/comments/{c.pk}/decide/", {"decision": "publication"}, follow=True)
    assert "уже передан в работу" in again.content.decode()
    log = moderator.get("/moderation/log/").content.decode()
    assert f"/incidents/{incident.pk}/" in log


def test_the_log_shows_decisions_and_undo_works(demo: dict[str, Any], world: World) -> None:
    moderator = client_for(demo, "moderator")
    c = comment()
    moderator.post(f"/moderation/comments/{c.pk}/decide/", {"decision": "ban", "term": "forever", "reason": "спам"})
    delete = ModerationAction.objects.get(kind="delete")
    ban = ModerationAction.objects.get(kind="ban")
    ModerationAction.objects.filter(pk=delete.pk).update(state="failed", error="ВКонтакте: нет прав <b>")
    html = moderator.get("/moderation/log/").content.decode()
    assert f'id="action-{delete.pk}"' in html and f'id="action-{ban.pk}"' in html
    assert "Лысенко Павел Игоревич" in html and "Сеть: ВКонтакте: нет прав &lt;b&gt;" in html
    assert html.count(">Отменить</button>") == 2
    assert "&lt;script&gt;" in html and "<script>alert" not in html
    response = moderator.post(f"/moderation/log/{ban.pk}/undo/", follow=True)
    assert "исключается из чёрного списка" in response.content.decode()
    assert Ban.objects.get().lifted_at is not None
    moderator.post(f"/moderation/log/{delete.pk}/undo/")
    c.refresh_from_db()
    assert c.state == PageComment.State.KEPT
    again = moderator.post(f"/moderation/log/{delete.pk}/undo/", follow=True)
    assert again.status_code == 200 and "уже отменено" in again.content.decode()
    keep = ModerationAction.objects.filter(kind="restore").first()
    assert keep is not None
    not_undoable = moderator.post(f"/moderation/log/{keep.pk}/undo/", follow=True)
    assert "Отменить можно удаление" in not_undoable.content.decode()
    assert stranger().post(f"/moderation/log/{delete.pk}/undo/").status_code == 404
    assert client_for(demo, "editor").post(f"/moderation/log/{delete.pk}/undo/").status_code == 403


def test_the_black_list_and_lifting_a_ban(demo: dict[str, Any]) -> None:
    moderator = client_for(demo, "moderator")
    c = comment()
    moderator.post(f"/moderation/comments/{c.pk}/decide/", {"decision": "ban", "term": "forever",
                                                             "reason": "нецензурная брань"})
    ban = Ban.objects.get()
    html = moderator.get("/moderation/bans/").content.decode()
    assert f'id="ban-{ban.pk}"' in html and "навсегда" in html and "нецензурная брань" in html
    assert "Лысенко Павел Игоревич" in html and 'data-confirm="Исключить автора' in html
    assert stranger().post(f"/moderation/bans/{ban.pk}/lift/").status_code == 404
    assert client_for(demo, "editor").post(f"/moderation/bans/{ban.pk}/lift/").status_code == 403
    response = moderator.post(f"/moderation/bans/{ban.pk}/lift/", follow=True)
    assert "Автор id 7301 исключается из чёрного списка." in response.content.decode()
    ban.refresh_from_db()
    assert ban.lifted_at is not None and ban.lifted_by == demo["moderator"]
    assert "В чёрном списке никого нет." in response.content.decode()
    twice = moderator.post(f"/moderation/bans/{ban.pk}/lift/", follow=True)
    assert twice.status_code == 200 and "уже снята" in twice.content.decode()
    assert ModerationAction.objects.filter(kind="unban").count() == 1


def test_the_rules_form(demo: dict[str, Any], settings: Any) -> None:
    settings.OTKLIK_BASE_URL = "https://otklik.example.ru/"
    moderator = client_for(demo, "moderator")
    url = f"/moderation/pages/{vk().pk}/rules/"
    html = moderator.get(url).content.decode()
    assert f"https://otklik.example.ru/api/v1/channels/vk/callback/{vk().pk}" in html
    assert "не задан" in html
    bad = moderator.post(url, {"delete_codes": ["spam"], "ban_codes": ["spam", "obscenity"], "ban_days": "7"})
    assert bad.status_code == 400
    assert "В чёрный список вносим только за то, что удаляем" in bad.content.decode()
    unchanged = ModerationRule.objects.filter(page=vk()).first()
    assert unchanged is None or unchanged.ban_codes == []
    assert moderator.post(url, {"delete_codes": ["magic"], "ban_days": "7"}).status_code == 400
    assert moderator.post(url, {"ban_days": "99999"}).status_code == 400
    ok = moderator.post(url, {"delete_codes": ["spam", "obscenity"], "ban_codes": ["obscenity"], "ban_days": "30",
                              "auto_publication": "on"}, follow=True)
    assert "сохранены" in ok.content.decode()
    rule = ModerationRule.objects.get(page=vk())
    assert rule.delete_codes == ["obscenity", "spam"] and rule.ban_codes == ["obscenity"]
    assert rule.ban_days == 30 and rule.auto_publication
    svc.callback_set(page=vk(), secret="very-secret-value-1")
    html = moderator.get(url).content.decode()
    assert 'id="secret-state">задан<' in html and "very-secret-value-1" not in html
    pages = moderator.get("/moderation/pages/").content.decode()
    assert "Удалять сразу: нецензурная брань, спам; в чёрный список: нецензурная брань (30 дн.)" in pages
    telegram = OfficialPage.objects.get(municipality__slug="plastunovskoe", network="telegram", unit__isnull=True)
    assert f"/api/v1/channels/telegram/webhook/{telegram.pk}" in moderator.get(
        f"/moderation/pages/{telegram.pk}/rules/").content.decode()
