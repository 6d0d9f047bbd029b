"""Is each official page working (Прил. 1 п. 8)? The token, the page open, comments open.

The network is asked on the «проверить» button and daily by the worker; the answer is kept on
the page, so the registry shows the last known state without calling four networks per view.
"""

from __future__ import annotations

import logging

from django.utils import timezone

from otklik.channels import clients
from otklik.channels.base import ErrorKind, NetworkError, PageStatus
from otklik.pages.models import OfficialPage
from otklik.pages.services import page_access_for, page_check

log = logging.getLogger(__name__)


def page_status_fetch(page: OfficialPage) -> PageStatus:
    """The network's word on the page itself."""
    client = clients.client_for(page.network, page_access_for(page))
    return client.page_status()


def page_health_check(*, page: OfficialPage) -> OfficialPage:
    """Check the token (page_check) and the page's openness; store both; return the page re-read."""
    result = page_check(page)
    page_open: bool | None = None
    comments_open: bool | None = None
    if not page.has_token:
        detail = "Не проверено: ключ доступа не задан."
    elif not result.ok:
        detail = "Не проверено: ключ не работает."
    else:
        try:
            status = page_status_fetch(page)
        except NetworkError as exc:
            detail = ("Сеть не сообщает, открыты ли страница и комментарии — проверьте вручную."
                      if exc.kind == ErrorKind.UNSUPPORTED else f"Не удалось узнать состояние: {exc.message_ru}")
        except (AttributeError, NotImplementedError):  # a client without page_status() yet
            detail = "Сеть не сообщает, открыты ли страница и комментарии — проверьте вручную."
        else:
            page_open, comments_open, detail = status.open, status.comments_open, status.detail
    OfficialPage.objects.filter(pk=page.pk).update(page_open=page_open, comments_open=comments_open,
                                                   status_detail=detail[:2000], status_checked_at=timezone.now())
    return OfficialPage.objects.get(pk=page.pk)


def pages_health_daily() -> int:
    """Every page with a token, once (the worker's daily job). Returns how many were checked."""
    count = 0
    for page in OfficialPage.objects.exclude(token_sealed="").iterator():
        try:
            page_health_check(page=page)
        except Exception:  # one broken page must not stop the others; shown on its row next time
            log.exception("page %s health check failed", page.pk)
            continue
        count += 1
    return count
