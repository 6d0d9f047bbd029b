"""Профиль → «Бот в Telegram и MAX»: a one-time code to link a chat, the linked chats, unlinking."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from otklik.core.access import ALL_ROLES, requires
from otklik.org.selectors import Access
from otklik.staffbot import services
from otklik.staffbot.config import networks_on
from otklik.staffbot.models import BotNetwork

NETWORK_NAMES = dict(BotNetwork.choices)


@requires(ALL_ROLES)
@require_http_methods(["GET", "POST"])
def bot_settings(request: HttpRequest, access: Access) -> HttpResponse:
    """Each person manages only their own links: the person comes from the session, never the form."""
    person = access.person
    code = ""
    error = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        network = request.POST.get("network", "")
        if action == "code":
            try:
                code = services.code_issue(person=person)
            except services.LinkError as exc:
                error = str(exc)
        elif action == "unlink" and network in NETWORK_NAMES:
            services.chat_unlink(person=person, network=network)
            return redirect("staffbot:settings")
        else:
            error = "Неизвестное действие."
    links = [(NETWORK_NAMES.get(link.network, link.network), link) for link in services.links_of(person=person)]
    networks = [NETWORK_NAMES[n] for n in networks_on()]
    return render(request, "staffbot/settings.html", {
        "access": access, "links": links, "networks": networks, "code": code, "error": error,
    }, status=422 if error else 200)
