"""Navigation for the base layout, by role."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from otklik.core.access import request_access
from otklik.org.roles import INTAKE_ROLES, PARTICIPANT_ROLES, Role


def navigation(request: HttpRequest) -> dict[str, Any]:
    access = request_access(request) if request.user.is_authenticated else None
    if access is None:
        return {"nav": [], "access": None}
    # For those who work on incidents the queue is home (the brand links there too).
    items: list[tuple[str, str]] = [] if access.has(*PARTICIPANT_ROLES) else [("Главная", reverse("home"))]
    for entry in NAV_ENTRIES:
        url_name, label, roles = entry
        if access.has(*roles):
            items.append((label, reverse(url_name)))
    from otklik.notifications.models import Notification

    unread = Notification.objects.filter(
        recipient=access.person, channel=Notification.Channel.INAPP, read_at__isnull=True
    ).count()
    items.append((f"Уведомления ({unread})" if unread else "Уведомления", reverse("notifications:inbox")))
    items.append(("Профиль", reverse("profile")))
    return {"nav": items, "access": access, "unread": unread}


# (url name, label, roles that see it); apps add their screens here.
NAV_ENTRIES: list[tuple[str, str, tuple[str, ...]]] = [
    ("incidents:queue", "Очередь", PARTICIPANT_ROLES),
    ("incidents:all", "Все сообщения", PARTICIPANT_ROLES),
    ("incidents:new", "Новое сообщение", INTAKE_ROLES),
    ("boards:board", "Обзор", (Role.DEPUTY_HEAD, Role.MUNICIPAL_CURATOR, Role.REGIONAL_CURATOR, Role.GENERAL_HEAD)),
    ("incidents:templates", "Шаблоны ответов", (Role.MUNICIPAL_CURATOR, Role.GENERAL_HEAD)),
    ("notifications:sent", "Отправленные письма", (Role.MUNICIPAL_CURATOR, Role.GENERAL_HEAD, Role.DEPUTY_HEAD)),
    (
        "org:directory",
        "Организация",
        (
            Role.MUNICIPAL_CURATOR,
            Role.GENERAL_HEAD,
            Role.DEPUTY_HEAD,
            Role.ADMINISTRATOR,
            Role.REGIONAL_CURATOR,
            Role.UNIT_HEAD,
        ),
    ),
    ("pages:list", "Страницы", (Role.GENERAL_HEAD, Role.PAGE_EDITOR, Role.ADMINISTRATOR)),
    ("posts:list", "Публикации", (Role.GENERAL_HEAD, Role.PAGE_EDITOR, Role.ADMINISTRATOR, Role.UNIT_HEAD)),
    ("moderation:queue", "Модерация", (Role.MODERATOR, Role.GENERAL_HEAD, Role.ADMINISTRATOR)),
    (
        "reports:list",
        "Отчёты",
        (Role.MUNICIPAL_CURATOR, Role.DEPUTY_HEAD, Role.GENERAL_HEAD, Role.ADMINISTRATOR, Role.REGIONAL_CURATOR),
    ),
    ("notifications:mailbox", "Почта", (Role.ADMINISTRATOR,)),
    ("api-keys", "Ключи API", (Role.ADMINISTRATOR,)),
    ("integrity", "Целостность истории", (Role.ADMINISTRATOR,)),
    ("privacy:home", "Персональные данные", (Role.ADMINISTRATOR,)),
]
