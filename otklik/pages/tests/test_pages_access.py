"""Pages with network access: registration from the command line, tokens sealed at rest, checks."""

from __future__ import annotations

import io
import sys
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from otklik.channels.sandbox.server import api_urls, running
from otklik.channels.sandbox.world import SbPage, World
from otklik.core.vault import VaultError, reseal, seal, unseal
from otklik.pages.models import OfficialPage
from otklik.pages.services import PageError, page_check, page_register

TOKEN = "vk1.a.Sup3rSecretT0ken-ABCdef_0123456789"


def _add(monkeypatch: pytest.MonkeyPatch, token: str, *extra: str) -> str:
    monkeypatch.setattr(sys, "stdin", io.StringIO(token + "\n"))
    out = io.StringIO()
    call_command("pages", "add", "--municipality", "plastunovskoe", "--network", "vk",
                 "--url", "https://vk.com/club777", "--external-id", "777", "--token-stdin", *extra, stdout=out,
                 stderr=io.StringIO())
    return out.getvalue().strip()


def test_pages_add_reads_the_token_from_stdin_prints_the_id_and_seals_it(demo: dict[str, Any],
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    printed = _add(monkeypatch, TOKEN, "--name", "Клуб")
    page = OfficialPage.objects.get(external_id="777")
    assert printed == str(page.pk)
    assert page.token_sealed and TOKEN not in page.token_sealed
    assert unseal(page.token_sealed) == TOKEN
    # Nowhere in the database in the clear (a dump of the table shows no token).
    with connection.cursor() as cur:
        cur.execute("SELECT * FROM pages_officialpage")
        assert TOKEN not in repr(cur.fetchall())
    # Again with a new token: the same page, renewed (idempotent for scripts).
    assert _add(monkeypatch, TOKEN + "2") == printed
    assert unseal(OfficialPage.objects.get(pk=page.pk).token_sealed) == TOKEN + "2"


@pytest.mark.parametrize(("change", "message"), [
    ({"municipality_slug": "nowhere"}, "не найдено"),
    ({"network": "facebook"}, "Неизвестная сеть"),
    ({"url": "javascript:alert(1)//vk.com"}, "http"),
    ({"external_id": "12 34"}, "Идентификатор"),
    ({"token": "  "}, "Ключ доступа пуст"),
    ({"token": "two words"}, "пробел"),
    ({"discussion_chat_id": "чат"}, "группы обсуждения"),
    ({"unit_name": "Нет такого"}, "не найдено"),
])
def test_pages_add_refuses_bad_input_in_russian(demo: dict[str, Any], change: dict[str, str], message: str) -> None:
    args = {"municipality_slug": "plastunovskoe", "network": "vk", "url": "https://vk.com/club9",
            "external_id": "9", "token": TOKEN, **change}
    with pytest.raises(PageError, match=message):
        page_register(**args)
    assert not OfficialPage.objects.filter(external_id="9").exists()


def test_pages_add_command_error_is_russian(demo: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n"))
    with pytest.raises(CommandError, match="Ключ доступа пуст"):
        call_command("pages", "add", "--municipality", "plastunovskoe", "--network", "vk", "--url",
                     "https://vk.com/club1", "--external-id", "1", "--token-stdin", stdout=io.StringIO())


def test_vault_rotation_keeps_every_token_readable(settings: Any) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.OTKLIK_SECRETS_KEYS = [old]
    sealed = seal("token-1")
    settings.OTKLIK_SECRETS_KEYS = [new, old]  # the new key first: it encrypts, both decrypt
    assert unseal(sealed) == "token-1"
    rotated = reseal(sealed)
    settings.OTKLIK_SECRETS_KEYS = [new]  # the old key dropped: only rotated values open
    assert unseal(rotated) == "token-1"
    with pytest.raises(VaultError):
        unseal(sealed)


def test_secrets_rotate_command_reseals_pages(demo: dict[str, Any], settings: Any,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from otklik.core import vault

    demo_key = vault._keys()[0].decode()  # the demo pages were sealed with the generated key file
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.OTKLIK_SECRETS_KEYS = [old, demo_key]
    _add(monkeypatch, TOKEN)
    settings.OTKLIK_SECRETS_KEYS = [new, old, demo_key]
    out = io.StringIO()
    call_command("secrets", "rotate", stdout=out)
    assert f"перешифровано ключей страниц: {OfficialPage.objects.exclude(token_sealed='').count()}" in out.getvalue()
    settings.OTKLIK_SECRETS_KEYS = [new]
    for page in OfficialPage.objects.exclude(token_sealed=""):
        unseal(page.token_sealed)  # every page opens with the new key alone
    assert unseal(OfficialPage.objects.get(external_id="777").token_sealed) == TOKEN


def test_rotation_is_all_or_nothing(demo: dict[str, Any], settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A value sealed by a key no longer listed stops the rotation before anything changes."""
    before = dict(OfficialPage.objects.values_list("pk", "token_sealed"))
    settings.OTKLIK_SECRETS_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(CommandError, match="неизвестным ключом"):
        call_command("secrets", "rotate", stdout=io.StringIO())
    assert dict(OfficialPage.objects.values_list("pk", "token_sealed")) == before


def _sandbox_page(world: World, token: str) -> None:
    world.add_page(SbPage(network="vk", external_id="777", name="Клуб «Родник»", token=token, screen_name="club777"))


def test_pages_check_says_in_russian_whether_the_token_works(demo: dict[str, Any],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    with running() as (world, base):
        for name, value in api_urls(base).items():
            monkeypatch.setenv(name, value)
        _sandbox_page(world, TOKEN)
        pk = int(_add(monkeypatch, TOKEN))
        out = io.StringIO()
        call_command("pages", "check", str(pk), stdout=out)
        assert "Ключ работает" in out.getvalue()
        assert OfficialPage.objects.get(pk=pk).check_ok is True
        # The page's token revoked in the network: the check says so and exits 1.
        world.pages[("vk", "777")].token = "another"
        out = io.StringIO()
        with pytest.raises(SystemExit) as exit_:
            call_command("pages", "check", str(pk), stdout=out)
        assert exit_.value.code == 1
        assert "Ключ не работает" in out.getvalue()
        assert TOKEN not in out.getvalue()
        page = OfficialPage.objects.get(pk=pk)
        assert page.check_ok is False and "не действует" in page.check_message


def test_check_of_a_page_without_token(demo: dict[str, Any]) -> None:
    page = OfficialPage.objects.filter(token_sealed="").first()
    assert page is not None
    assert page_check(page).problem == "Ключ доступа не задан."
