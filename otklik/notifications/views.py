"""The in-app mailbox: what the application sent, for the administrator of the municipality."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from otklik.core.access import requires
from otklik.notifications.models import StoredMail
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
