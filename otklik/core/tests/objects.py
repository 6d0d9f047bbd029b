"""For the URL-map test: ids of demo-municipality objects each parametrised view shows.

A new view with a <pk> in its route adds its line here; the test fails until it does.
"""

from __future__ import annotations

from collections.abc import Callable

from otklik.notifications.models import StoredMail
from otklik.org.models import Unit


def _mail() -> list[int]:
    from django.core.mail import EmailMessage

    from otklik.notifications.mailbox import MUNICIPALITY_HEADER, MailboxBackend

    MailboxBackend().send_messages(
        [EmailMessage("Проверка", "текст", to=["a@b.example"], headers={MUNICIPALITY_HEADER: "plastunovskoe"})]
    )
    return [StoredMail.objects.latest("pk").pk]


def _incident() -> list[int]:
    from django.utils import timezone

    from otklik.incidents.services import incident_intake
    from otklik.org.models import Municipality

    incident, _ = incident_intake(
        municipality=Municipality.objects.get(slug="plastunovskoe"), kind="incident", importance="normal",
        network="vk", url="https://vk.com/wall-1_1", author_name="Автор", author_url="", text="Яма у школы",
        detected_at=timezone.now(),
    )
    return [incident.pk]


def _attachment() -> list[int]:
    """An incident and its file under the same id: the route's <pk> and <aid> get one number."""
    from django.utils import timezone

    from otklik.incidents.models import Attachment, Incident
    from otklik.org.models import Person

    [pk] = _incident()
    Attachment.objects.create(pk=pk, incident=Incident.objects.get(pk=pk), file="attachments/x.jpg", name="x.jpg",
                              kind="photo", content_type="image/jpeg", size=1, uploaded_at=timezone.now(),
                              uploaded_by=Person.objects.filter(municipality__slug="plastunovskoe").earliest("pk"))
    return [pk]


def _apikey() -> list[int]:
    from otklik.api.models import ApiKey
    from otklik.org.models import Municipality

    key, _ = ApiKey.issue(municipality=Municipality.objects.get(slug="plastunovskoe"), name="проверка")
    return [key.pk]


def _template() -> list[int]:
    from otklik.incidents.models import AnswerTemplate
    from otklik.org.models import Municipality

    return [AnswerTemplate.objects.create(municipality=Municipality.objects.get(slug="plastunovskoe"),
                                          title="Проверка", text="Здравствуйте, {имя}!").pk]


def _sent() -> list[int]:
    from otklik.notifications.models import Notification
    from otklik.org.models import Municipality

    return [Notification.objects.create(key="test:sent", municipality=Municipality.objects.get(slug="plastunovskoe"),
                                        channel=Notification.Channel.EMAIL, address="a@b.example",
                                        subject="Проверка", body="текст").pk]


def _pages() -> list[int]:
    from otklik.pages.models import OfficialPage

    return list(OfficialPage.objects.filter(municipality__slug="plastunovskoe").values_list("pk", flat=True)[:2])


def _post() -> list[int]:
    from otklik.org.models import Municipality, Person
    from otklik.posts.models import Post

    return [Post.objects.create(municipality=Municipality.objects.get(slug="plastunovskoe"), text="Проверка",
                                author=Person.objects.get(user__username="editor"), text_hash="x").pk]


def _comment() -> list[int]:
    """A queued comment on a demo page, its deletion and the author's black-listing."""
    from django.utils import timezone

    from otklik.moderation.models import Ban, ModerationAction, PageComment
    from otklik.pages.models import OfficialPage

    page = OfficialPage.objects.filter(municipality__slug="plastunovskoe").earliest("pk")
    now = timezone.now()
    number = PageComment.objects.count() + 1
    comment = PageComment.objects.create(page=page, network_id=f"objects-{number}", post_id="1", author_id="77",
                                         text="Проверка", received_at=now, state=PageComment.State.QUEUED,
                                         findings=[{"code": "spam", "start": 0, "end": 8, "reason": "спам"}])
    ModerationAction.objects.create(pk=comment.pk, comment=comment, page=page, kind=ModerationAction.Kind.DELETE,
                                    at=now, author_id="77")
    Ban.objects.create(pk=comment.pk, page=page, author_id="77", reason="спам", at=now)
    return [comment.pk]


def _report() -> list[int]:
    """The demo municipality's issued monthly report (computed over an empty month)."""
    from datetime import date

    from otklik.org.models import Municipality
    from otklik.reports.issuing import report_prepare

    issue, _ = report_prepare(municipality=Municipality.objects.get(slug="plastunovskoe"), month=date(2026, 1, 1))
    return [issue.pk]


def _erasure() -> list[int]:
    from otklik.org.models import Municipality
    from otklik.privacy.erasure import author_erase

    return [author_erase(municipality=Municipality.objects.get(slug="plastunovskoe"),
                         author_url="https://vk.com/id999", reason="проверка").pk]


def _held_mail() -> list[int]:
    """A reply by e-mail waiting for its sender's confirmation (mail in)."""
    from django.utils import timezone

    from otklik.incidents.models import Incident
    from otklik.mailin.models import InboundMail
    from otklik.org.models import Person

    [pk] = _incident()
    incident = Incident.objects.get(pk=pk)
    return [InboundMail.objects.create(
        message_id=f"<objects-{pk}@client.example>", raw_sha256="0" * 64, received_at=timezone.now(),
        sender="executor@plastunovskoe.example", subject="ответ на сообщение из социальных сетей",
        municipality=incident.municipality, incident=incident, person=Person.objects.get(user__username="executor"),
        action=InboundMail.Action.DRAFT, outcome=InboundMail.Outcome.HELD, text="Проверка").pk]


OBJECTS: dict[str, Callable[[], list[int]]] = {
    "mailin:held": _held_mail,
    "reports:detail": _report,
    "reports:act": _report,
    "reports:download": _report,
    "moderation:decide": _comment,
    "moderation:undo": _comment,
    "moderation:lift": _comment,
    "moderation:rules": _pages,
    "posts:detail": _post,
    "posts:act": _post,
    "pages:check": _pages,
    "pages:vault": _pages,
    "pages:reveal": _pages,
    "pages:change": _pages,
    "pages:rotate": _pages,
    "notifications:sent-detail": _sent,
    "incidents:template": _template,
    "api-key-revoke": _apikey,
    "org:unit": lambda: list(Unit.objects.filter(municipality__slug="plastunovskoe").values_list("pk", flat=True)[:2]),
    "notifications:mail": _mail,
    "incidents:detail": _incident,
    "incidents:act": _incident,
    "incidents:check": _incident,
    "incidents:publication": _incident,
    "incidents:attachment": _attachment,
    "privacy:erasure": _erasure,
}


def objects_for_route(name: str) -> list[int]:
    if name not in OBJECTS:
        raise AssertionError(f"add demo objects for {name} to otklik/core/tests/objects.py")
    ids = OBJECTS[name]()
    assert ids, f"no demo objects for {name}"
    return ids
