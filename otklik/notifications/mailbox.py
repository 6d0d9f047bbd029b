"""An e-mail backend that keeps messages in the database for the in-app mailbox page."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

MUNICIPALITY_HEADER = "X-Otklik-Municipality"


class MailboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        from otklik.notifications.models import StoredMail
        from otklik.org.models import Municipality

        sent = 0
        for message in email_messages:
            slug = (message.extra_headers or {}).get(MUNICIPALITY_HEADER)
            municipality = Municipality.objects.filter(slug=slug).first() if slug else None
            StoredMail.objects.create(
                municipality=municipality,
                from_email=message.from_email,
                to=", ".join(message.recipients()),
                subject=str(message.subject),
                body=str(message.body),
            )
            sent += 1
        return sent
