"""Registering official pages with their network access, and checking that access works."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from otklik.channels import clients
from otklik.channels.base import CheckResult, NetworkError, PageAccess
from otklik.channels.networks import Network
from otklik.core.links import LinkError, link_clean
from otklik.core.vault import reseal, seal, unseal
from otklik.org.models import Municipality, Unit
from otklik.pages.models import OfficialPage

_EXTERNAL_ID = re.compile(r"@?[A-Za-z0-9_]{1,64}|-?[0-9]{1,20}")


class PageError(Exception):
    """Wrong input for a page, in Russian."""


@dataclass(frozen=True)
class Registered:
    page: OfficialPage
    created: bool


def page_register(*, municipality_slug: str, network: str, url: str, external_id: str, token: str,
                  discussion_chat_id: str = "", unit_name: str = "", name: str = "") -> Registered:
    """Register a page (or update the one with the same network id) with its token, encrypted."""
    municipality = Municipality.objects.filter(slug=municipality_slug).first()
    if municipality is None:
        raise PageError(f"МО с кодом «{municipality_slug}» не найдено.")
    if network not in Network.values:
        raise PageError(f"Неизвестная сеть «{network}»: vk, ok, telegram или max.")
    try:
        url = link_clean(url, field="Ссылка на страницу")
    except LinkError as exc:
        raise PageError(str(exc)) from exc
    external_id = external_id.strip()
    if not _EXTERNAL_ID.fullmatch(external_id):
        raise PageError("Идентификатор страницы в сети: цифры (можно с минусом) или @имя латиницей.")
    discussion_chat_id = discussion_chat_id.strip()
    if discussion_chat_id and not re.fullmatch(r"-?[0-9]{1,20}|@[A-Za-z0-9_]{1,64}", discussion_chat_id):
        raise PageError("Идентификатор группы обсуждения: число (обычно −100…) или @имя.")
    token = token.strip()
    if not token or len(token) > 4000 or any(ch.isspace() for ch in token):
        raise PageError("Ключ доступа пуст или содержит пробелы: передайте его одной строкой на стандартный вход.")
    unit = None
    if unit_name:
        unit = Unit.objects.filter(municipality=municipality, name=unit_name).first()
        if unit is None:
            raise PageError(f"Учреждение «{unit_name}» в МО «{municipality.name}» не найдено.")
    key = clients.page_key(network, external_id)
    with transaction.atomic():
        existing = next((p for p in OfficialPage.objects.select_for_update().filter(network=network)
                         .exclude(external_id="") if clients.page_key(network, p.external_id) == key), None)
        if existing is not None and existing.municipality_id != municipality.pk:
            raise PageError("Эта страница уже зарегистрирована в другом МО.")
        page = existing or OfficialPage(municipality=municipality, network=network)
        page.url = url
        page.external_id = external_id
        page.discussion_chat_id = discussion_chat_id
        page.unit = unit
        page.name = name.strip()[:300] or page.name or f"{Network(network).label}: {url}"
        page.token_sealed = seal(token)
        page.token_set_at = timezone.now()
        page.check_ok = None
        page.check_message = ""
        clash = OfficialPage.objects.filter(network=network, url=url).exclude(pk=page.pk).first()
        if clash is not None:
            raise PageError(f"Страница с этой ссылкой уже зарегистрирована (№ {clash.pk}).")
        page.save()
    return Registered(page=page, created=existing is None)


def page_access_for(page: OfficialPage) -> PageAccess:
    return PageAccess(external_id=page.external_id, token=unseal(page.token_sealed),
                      discussion_chat_id=page.discussion_chat_id, public_url=page.url,
                      app_key=settings.OTKLIK_OK_APP_KEY, app_secret=settings.OTKLIK_OK_APP_SECRET)


def page_check(page: OfficialPage) -> CheckResult:
    """Ask the network whether the token works and what it may do; keep the answer on the page."""
    if not page.has_token:
        result = CheckResult(ok=False, problem="Ключ доступа не задан.")
    else:
        try:
            result = clients.client_for(page.network, page_access_for(page)).check()
        except NetworkError as exc:
            result = CheckResult(ok=False, problem=exc.message_ru)
    OfficialPage.objects.filter(pk=page.pk).update(checked_at=timezone.now(), check_ok=result.ok and not result.missing,
                                                   check_message=check_text(result))
    return result


def check_text(result: CheckResult) -> str:
    if not result.ok:
        return f"Ключ не работает: {result.problem or 'сеть отказала'}"
    text = f"Ключ работает{': «' + result.name + '»' if result.name else ''}."
    if result.missing:
        text += " Не хватает прав: " + "; ".join(result.missing) + "."
    else:
        text += " Прав достаточно."
    return text


def pages_reseal() -> int:
    """Re-encrypt every page's token, and every value of the access vault, under the first key
    of OTKLIK_SECRETS_KEY (rotation)."""
    from otklik.pages.vault import secrets_reseal  # the vault builds on this module

    count = 0
    with transaction.atomic():
        for page in OfficialPage.objects.select_for_update().exclude(token_sealed=""):
            OfficialPage.objects.filter(pk=page.pk).update(token_sealed=reseal(page.token_sealed))
            count += 1
        count += secrets_reseal()
    return count
