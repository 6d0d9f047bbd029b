"""The access vault of Прил. 1 п. 2: sealed values, the audited reveal, the signed history, reminders."""

from __future__ import annotations

import io
import logging
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.utils import timezone

from otklik.core.tests.signin import client_for
from otklik.core.vault import unseal
from otklik.incidents.history_guard import history_purge_allowed
from otklik.notifications.models import Notification
from otklik.org.models import Municipality, Person, PersonRole, Unit
from otklik.org.roles import Role
from otklik.org.selectors import Access, access_for
from otklik.pages.audit import page_history_verify
from otklik.pages.models import OfficialPage, PageEvent, PageHolder, PageSecret, SecretKind
from otklik.pages.selectors import PageForbidden
from otklik.pages.services import PageError
from otklik.pages.vault import departures_sweep, secret_change, secret_reveal, secret_rotate

PASSWORD = "Pl@stun-2024-secret"  # test data
REASON = "Нужно войти и закрепить объявление о ремонте дороги"


def acc(demo: dict[str, Any], login: str) -> Access:
    access = access_for(demo[login].user)
    assert access is not None
    return access


@pytest.fixture
def vk(demo: dict[str, Any]) -> OfficialPage:
    page = OfficialPage.objects.filter(municipality__slug="plastunovskoe", network="vk").exclude(token_sealed="").first()
    assert page is not None
    secret_change(access=acc(demo, "general"), page_id=page.pk, kind=SecretKind.PASSWORD, value=PASSWORD)
    secret_change(access=acc(demo, "general"), page_id=page.pk, kind=SecretKind.LOGIN, value="plastun.admin")
    return page


def _reveal(client: Client, page: OfficialPage, reason: str = REASON, kind: str = "password") -> Any:
    return client.post(f"/pages/{page.pk}/reveal/", {"kind": kind, "reason": reason})


def _stranger_head() -> Person:
    from django.contrib.auth import get_user_model

    mun = Municipality.objects.get(slug="novotitarovskoe")
    user = get_user_model().objects.create_user(username="far-head", password="x-far-pass")
    person = Person.objects.create(user=user, full_name="Чужой начальник", region=mun.region, municipality=mun,
                                   unit=Unit.objects.get(municipality=mun, name="Общий отдел"))
    PersonRole.objects.create(person=person, role=Role.GENERAL_HEAD)
    return person


def test_p2_values_are_only_sealed_in_the_database(vk: OfficialPage) -> None:
    row = PageSecret.objects.get(page=vk, kind=SecretKind.PASSWORD)
    assert unseal(row.value_sealed) == PASSWORD
    with connection.cursor() as cur:
        cur.execute("SELECT * FROM pages_pagesecret")
        dump = repr(cur.fetchall())
        cur.execute("SELECT * FROM pages_pageevent")
        dump += repr(cur.fetchall())
    assert PASSWORD not in dump and "plastun.admin" not in dump


def test_p2_reveal_is_refused_to_an_editor(demo: dict[str, Any], vk: OfficialPage) -> None:
    client = client_for(demo, "editor")
    response = _reveal(client, vk)
    assert response.status_code == 403
    assert PASSWORD not in response.content.decode()
    assert client.get(f"/pages/{vk.pk}/").status_code == 403
    assert client.post(f"/pages/{vk.pk}/change/", {"kind": "password", "value": "x"}).status_code == 403
    assert client.post(f"/pages/{vk.pk}/rotate/", {"kind": "password"}).status_code == 403
    # The service refuses on its own too (the API or a bot calls it without the view).
    with pytest.raises(PageForbidden):
        secret_reveal(access=acc(demo, "editor"), page_id=vk.pk, kind="password", reason=REASON)
    assert not PageEvent.objects.filter(page=vk, action=PageEvent.Action.REVEAL).exists()


@pytest.mark.parametrize("login", ["executor", "moderator", "deputy", "curator"])
def test_p2_reveal_is_refused_to_everyone_else(demo: dict[str, Any], vk: OfficialPage, login: str) -> None:
    assert _reveal(client_for(demo, login), vk).status_code == 403
    with pytest.raises(PageForbidden):
        secret_reveal(access=acc(demo, login), page_id=vk.pk, kind="password", reason=REASON)


def test_p2_reveal_is_refused_to_the_head_of_another_municipality(demo: dict[str, Any], vk: OfficialPage) -> None:
    stranger = _stranger_head()
    client = Client()
    client.force_login(stranger.user)
    response = _reveal(client, vk)
    assert response.status_code == 404
    assert PASSWORD not in response.content.decode()
    assert client.get(f"/pages/{vk.pk}/").status_code == 404
    assert client.post(f"/pages/{vk.pk}/check/").status_code == 404
    with pytest.raises(OfficialPage.DoesNotExist):
        secret_reveal(access=acc({"far": stranger}, "far"), page_id=vk.pk, kind="password", reason=REASON)
    assert vk.name not in client.get("/pages/").content.decode()
    assert not PageEvent.objects.filter(page=vk, action=PageEvent.Action.REVEAL).exists()


def test_p2_reveal_by_the_head_is_audited_and_not_cached(demo: dict[str, Any], vk: OfficialPage,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    response = _reveal(client_for(demo, "general"), vk)
    assert response.status_code == 200
    assert PASSWORD in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert PASSWORD not in caplog.text  # never logged (SQL included: only the sealed value goes there)
    event = PageEvent.objects.get(page=vk, action=PageEvent.Action.REVEAL)
    assert event.actor == demo["general"] and event.reason == REASON and event.secret == SecretKind.PASSWORD
    assert PASSWORD not in repr(event.payload)
    checked, problems = page_history_verify([vk.pk])
    assert checked == 3 and problems == []
    # The head revealed it: no letter to herself.
    assert not Notification.objects.filter(key__startswith="pages:reveal:").exists()
    # The vault page itself shows nothing until asked, and is never cached.
    plain = client_for(demo, "general").get(f"/pages/{vk.pk}/")
    assert PASSWORD not in plain.content.decode() and "no-store" in plain["Cache-Control"]
    assert REASON in plain.content.decode()


def test_p2_reveal_needs_a_reason_of_ten_characters(demo: dict[str, Any], vk: OfficialPage) -> None:
    response = _reveal(client_for(demo, "general"), vk, reason="  надо   ")
    assert response.status_code == 400
    assert PASSWORD not in response.content.decode()
    assert "не короче 10 знаков" in response.content.decode()
    with pytest.raises(PageError, match="не короче"):
        secret_reveal(access=acc(demo, "general"), page_id=vk.pk, kind="password", reason="коротко")
    assert not PageEvent.objects.filter(page=vk, action=PageEvent.Action.REVEAL).exists()


def test_p2_the_head_gets_a_letter_when_the_admin_reveals(demo: dict[str, Any], vk: OfficialPage) -> None:
    assert _reveal(client_for(demo, "admin"), vk).status_code == 200
    [mail] = Notification.objects.filter(key__startswith="pages:reveal:", channel=Notification.Channel.EMAIL)
    assert mail.recipient == demo["general"] and mail.address == demo["general"].email
    assert demo["admin"].full_name in mail.body and vk.name in mail.subject + mail.body
    assert "пароль" in mail.subject.lower() and REASON in mail.body
    assert PASSWORD not in mail.subject + mail.body


def test_p2_a_token_is_revealed_from_the_page_itself(demo: dict[str, Any], vk: OfficialPage) -> None:
    plain = secret_reveal(access=acc(demo, "admin"), page_id=vk.pk, kind="token", reason=REASON)
    assert plain == unseal(OfficialPage.objects.get(pk=vk.pk).token_sealed)


def test_p2_change_and_rotation_are_recorded(demo: dict[str, Any], vk: OfficialPage) -> None:
    client = client_for(demo, "admin")
    response = client.post(f"/pages/{vk.pk}/change/", {"kind": "phone", "value": "+7 918 000-00-01"})
    assert response.status_code == 302
    assert unseal(PageSecret.objects.get(page=vk, kind="phone").value_sealed) == "+7 918 000-00-01"
    response = client.post(f"/pages/{vk.pk}/rotate/", {"kind": "password"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    row = PageSecret.objects.get(page=vk, kind="password")
    new = unseal(row.value_sealed)
    assert new != PASSWORD and len(new) == 20 and new in response.content.decode()
    assert unseal(row.previous_sealed) == PASSWORD
    actions = list(PageEvent.objects.filter(page=vk).order_by("seq").values_list("action", "secret"))
    assert actions[-2:] == [("change", "phone"), ("rotate", "password")]
    assert page_history_verify([vk.pk]) == (4, [])
    with pytest.raises(PageError, match="выдаёт сама сеть"):
        secret_rotate(access=acc(demo, "admin"), page_id=vk.pk, kind="token")


def _drop_triggers() -> None:
    """An attacker with the database owner's rights (the test transaction puts them back)."""
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("DROP TRIGGER pages_event_no_update")
            cur.execute("DROP TRIGGER pages_event_no_delete")
        else:
            cur.execute("DROP TRIGGER pages_event_append_only ON pages_pageevent")


def test_p2_update_and_delete_of_the_history_are_refused(demo: dict[str, Any], vk: OfficialPage) -> None:
    event = PageEvent.objects.filter(page=vk).first()
    assert event is not None
    with pytest.raises(DatabaseError), transaction.atomic():
        PageEvent.objects.filter(pk=event.pk).update(reason="ничего не было")
    with pytest.raises(DatabaseError), transaction.atomic():
        PageEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(PermissionError):
        event.save()
    assert PageEvent.objects.filter(page=vk).count() == 2


def test_p2_a_changed_reason_is_found_by_verify(demo: dict[str, Any], vk: OfficialPage) -> None:
    secret_reveal(access=acc(demo, "admin"), page_id=vk.pk, kind="password", reason=REASON)
    _drop_triggers()
    PageEvent.objects.filter(page=vk, action="reveal").update(reason="Плановая проверка, всё законно")
    _, problems = page_history_verify()
    assert [(p.page_id, p.seq, p.problem) for p in problems] == [(vk.pk, 3, "запись изменена: подпись не совпадает")]
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("history", "verify", stdout=out)
    assert exit_.value.code == 1
    assert f"страница № {vk.pk}, запись 3: запись изменена" in out.getvalue()


def test_p2_the_signature_binds_each_entry_to_the_one_before(demo: dict[str, Any], vk: OfficialPage) -> None:
    """Re-linking an entry to another predecessor breaks its own signature, not only the link."""
    _drop_triggers()
    second = PageEvent.objects.get(page=vk, seq=2)
    PageEvent.objects.filter(pk=second.pk).update(prev_hash="f" * 64)
    problems = {p.problem for p in page_history_verify([vk.pk])[1]}
    assert "запись изменена: подпись не совпадает" in problems


def test_p2_a_removed_last_entry_is_found(demo: dict[str, Any], vk: OfficialPage) -> None:
    from django.db import connection, transaction

    # What someone with the database owner's rights can do: on PostgreSQL skip the triggers.
    with transaction.atomic(), history_purge_allowed():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        PageEvent.objects.filter(page=vk, seq=2).delete()
    _, problems = page_history_verify([vk.pk])
    assert [p.problem for p in problems] == ["последняя запись истории доступа отсутствует или изменена"]


def test_history_verify_command_checks_the_pages_too(demo: dict[str, Any], vk: OfficialPage) -> None:
    out = io.StringIO()
    call_command("history", "verify", stdout=out)
    assert "история доступа к страницам: проверено записей: 2, нарушений: 0" in out.getvalue()


def _reminders() -> list[Notification]:
    return list(Notification.objects.filter(key__startswith="pages:password-change:",
                                            channel=Notification.Channel.EMAIL))


def test_p2_a_departed_responsible_person_means_a_password_change(demo: dict[str, Any], vk: OfficialPage) -> None:
    now = timezone.now()
    assert departures_sweep(now=now) == 0  # everyone in place: silence
    editor = demo["editor"]
    editor.user.is_active = False
    editor.user.save(update_fields=["is_active"])
    departures_sweep(now=now + timedelta(minutes=5))
    mails = [m for m in _reminders() if vk.name in m.subject]
    assert len(mails) == 1 and mails[0].recipient == demo["general"]
    assert mails[0].subject == f"Смените пароль страницы «{vk.name}»" and editor.full_name in mails[0].body
    assert PageEvent.objects.filter(page=vk, action=PageEvent.Action.LEFT, payload__person_id=editor.pk).exists()
    # Idempotent within the day, again the next day while nothing changes.
    before = len(_reminders())
    departures_sweep(now=now + timedelta(minutes=30))
    assert len(_reminders()) == before
    departures_sweep(now=now + timedelta(days=1))
    assert len([m for m in _reminders() if vk.name in m.subject]) == 2
    # The password is changed: silence for this page, and the departure is closed.
    secret_change(access=acc(demo, "general"), page_id=vk.pk, kind="password", value="N3w-Pl@stun-pass",
                  now=now + timedelta(days=1, hours=1))
    departures_sweep(now=now + timedelta(days=2))
    assert len([m for m in _reminders() if vk.name in m.subject]) == 2
    assert PageHolder.objects.get(page=vk, person=editor).resolved_at is not None
    assert page_history_verify()[1] == []


def test_p2_removal_from_the_page_or_a_move_counts_as_leaving(demo: dict[str, Any], vk: OfficialPage) -> None:
    now = timezone.now()
    departures_sweep(now=now)
    vk.responsible.remove(demo["general"])
    departures_sweep(now=now + timedelta(minutes=1))
    assert [m.subject for m in _reminders()] == [f"Смените пароль страницы «{vk.name}»"]
    kdc = OfficialPage.objects.get(name="КДЦ станицы Пластуновской")
    Person.objects.filter(pk=demo["kdc"].pk).update(municipality=Municipality.objects.get(slug="novotitarovskoe"),
                                                    unit=None)
    departures_sweep(now=now + timedelta(minutes=2))
    assert f"Смените пароль страницы «{kdc.name}»" in [m.subject for m in _reminders()]
