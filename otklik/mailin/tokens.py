"""The reply token: which incident, which person, which dispatch a reply belongs to.

An HMAC (Django's SECRET_KEY, a salt of its own) over (incident, person, assignment) so that
nobody can make one up. It travels three ways, because mail clients keep different things in
a reply: in the Reply-To address (`otvet+<token>@domain`, plus-addressing), in the Message-ID
of our letter (every client puts it in In-Reply-To/References; Outlook keeps nothing else),
and in the `X-Otklik-Token` header. A subject alone never matches anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.crypto import constant_time_compare, salted_hmac

from otklik.mailin.config import mail_in_address, mail_in_config

if TYPE_CHECKING:
    from otklik.notifications.models import Notification

TOKEN_HEADER = "X-Otklik-Token"  # noqa: S105  (a header name, not a secret)
SALT = "otklik.mailin.reply-token"
SIG_LEN = 20
TOKEN_RE = re.compile(rf"(?<![0-9a-z])(\d{{1,19}})-(\d{{1,19}})-(\d{{1,19}})-([0-9a-f]{{{SIG_LEN}}})(?![0-9a-f])",
                      re.IGNORECASE)
# The letters a person may answer by e-mail: the dispatch (п. 10), the return for rework
# (п. 15), the consolidator's task (п. 19), the author's reply to a question (п. 13), and our
# own answers to their mail. Key forms are those of incidents/services.py.
REPLYABLE_KEY = re.compile(r"^inc:(?P<incident>\d+):(?:dispatch:(?P<assignment>\d+)|returned:\d+|consolidator:\d+"
                           r"|clarified:[\d.]+):email:\d+$")
ANSWER_KEY = re.compile(r"^mailin:(?P<mail>\d+):")


@dataclass(frozen=True)
class ReplyToken:
    incident_id: int
    person_id: int
    assignment_id: int  # 0: not bound to one dispatch

    def __str__(self) -> str:
        return f"{self.incident_id}-{self.person_id}-{self.assignment_id}-{_sig(self)}"


def _sig(t: ReplyToken) -> str:
    return salted_hmac(SALT, f"{t.incident_id}:{t.person_id}:{t.assignment_id}", algorithm="sha256").hexdigest()[:SIG_LEN]


def token_make(*, incident_id: int, person_id: int, assignment_id: int = 0) -> str:
    return str(ReplyToken(incident_id, person_id, assignment_id))


def token_find(values: Iterable[str]) -> ReplyToken | None:
    """The first genuine token in any of `values` (addresses, header values); forged ones are skipped."""
    for value in values:
        for m in TOKEN_RE.finditer(value or ""):
            token = ReplyToken(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if constant_time_compare(_sig(token), m.group(4).lower()):
                return token
    return None


def reply_address(token: str) -> str:
    local, _, domain = mail_in_address().rpartition("@")
    return f"{local.split('+')[0]}+{token}@{domain}" if local else f"{token}@{domain}"


def reply_headers(notification: Notification) -> dict[str, str]:
    """Headers for one outgoing letter (a HEADER_HOOKS entry); empty when mail in is off."""
    if not mail_in_config():
        return {}
    headers: dict[str, str] = {}
    answer = ANSWER_KEY.match(notification.key)
    if answer:
        from otklik.mailin.models import InboundMail

        # Our answer to a mail: threaded under it, and marked so that nobody's robot answers it.
        headers["Auto-Submitted"] = "auto-replied"
        original = InboundMail.objects.filter(pk=int(answer.group("mail"))).values_list("message_id", flat=True).first()
        if original and original.startswith("<"):
            headers["In-Reply-To"] = original
            headers["References"] = original
        return headers
    m = REPLYABLE_KEY.match(notification.key)
    if m is None or notification.recipient_id is None:
        return headers
    token = token_make(incident_id=int(m.group("incident")), person_id=notification.recipient_id,
                       assignment_id=int(m.group("assignment") or 0))
    domain = mail_in_address().rpartition("@")[2] or "otklik.local"
    headers.update({"Reply-To": reply_address(token), TOKEN_HEADER: token,
                    # Stable across attempts (notifications.services.message_id_for), with the token in it.
                    "Message-ID": f"<otklik.{token}.n{notification.pk}@{domain}>"})
    return headers
