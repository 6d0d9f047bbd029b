"""The in-app mailbox: what the application sent, for the administrator of the municipality."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from otklik.core.access import ALL_ROLES, requires
from otklik.notifications.models import Notification, StoredMail
from otklik.notifications.services import inbox_mark_read
from otklik.org.roles import Role
from otklik.org.selectors import Access


def mail_for(*, access: Access) -> QuerySet[StoredMail]:
    return StoredMail.objects.filter(municipality__in=access.municipalities())


@requires(Role.ADMINISTRATOR)
def mailbox(request: HttpRequest, access: Access) -> HttpResponse:
    return render(request, "notifications/mailbox.html", {"mails": mail_for(access=access)[:200]})


@requires(Role.ADMINISTRATOR)
def mail_detail(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    mail = mail_for(access=access).filter(pk=pk).first()
    if mail is None:
        raise Http404("Письмо не найдено")
    return render(request, "notifications/mail_detail.html", {"mail": mail})


def inbox_for(*, access: Access) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=access.person, channel=Notification.Channel.INAPP)


@requires(ALL_ROLES)
def inbox(request: HttpRequest, access: Access) -> HttpResponse:
    if request.method == "POST":
        inbox_mark_read(person=access.person)
        return redirect("notifications:inbox")
    items = list(inbox_for(access=access)[:100])
    return render(request, "notifications/inbox.html", {"items": items})


SENT_ROLES = (Role.MUNICIPAL_CURATOR, Role.GENERAL_HEAD, Role.ADMINISTRATOR, Role.DEPUTY_HEAD)


def sent_for(*, access: Access) -> QuerySet[Notification]:
    """The e-mails the municipality's Otklik sent (or is sending), for those answerable (п. 22)."""
    return (Notification.objects.filter(channel=Notification.Channel.EMAIL, municipality__in=access.municipalities())
            .select_related("recipient").order_by("-created_at", "-pk"))


@requires(*SENT_ROLES)
def sent(request: HttpRequest, access: Access) -> HttpResponse:
    from django.core.paginator import Paginator

    page = Paginator(sent_for(access=access), 100).get_page(request.GET.get("page"))
    return render(request, "notifications/sent.html", {"page": page})


@requires(*SENT_ROLES)
def sent_detail(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    mail = sent_for(access=access).filter(pk=pk).first()
    if mail is None:
        raise Http404("Письмо не найдено")
    return render(request, "notifications/sent_detail.html", {"mail": mail})
