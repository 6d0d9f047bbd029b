"""Every word a user sees is Russian: the admin's app and model names, the API's docs page,
the e-mails' sender, the file picker."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client

pytestmark = pytest.mark.django_db
LATIN = re.compile(r"[A-Za-z]")


def test_every_admin_app_and_model_is_named_in_russian() -> None:
    for model in admin.site._registry:
        meta = model._meta
        app = apps.get_app_config(meta.app_label)
        for name in (app.verbose_name, meta.verbose_name, meta.verbose_name_plural):
            assert not LATIN.search(str(name)), (meta.label, name)


def test_every_field_of_the_admin_forms_is_named_in_russian() -> None:
    from otklik.incidents.models import DeadlinePolicy, Incident, IncidentEvent, TopicRoute

    for model in (Incident, IncidentEvent, DeadlinePolicy, TopicRoute):
        for field in model._meta.concrete_fields:
            if not field.auto_created:
                assert not LATIN.search(str(field.verbose_name)), (model.__name__, field.name, field.verbose_name)
        for m2m in model._meta.many_to_many:
            assert not LATIN.search(str(m2m.verbose_name)), (model.__name__, m2m.name)


def test_the_admin_index_reads_russian_to_the_operator(db: None) -> None:
    from django.contrib.auth import get_user_model

    operator = get_user_model().objects.create_superuser("operator", "op@example.com", "x-operator-pass")
    client = Client()
    client.force_login(operator)
    html = client.get("/admin/").content.decode()
    captions = re.findall(r'<caption>\s*<a [^>]*>([^<]+)</a>', html)
    rows = re.findall(r'<th scope="row"[^>]*>\s*<a [^>]*>([^<]+)</a>', html)
    assert captions and rows
    for text in captions + rows:
        assert not LATIN.search(text), text


def test_the_api_docs_page_is_russian(db: None) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert not LATIN.search(schema["info"]["title"].replace("API", ""))
    for operation in (op for path in schema["paths"].values() for op in path.values()):
        for tag in operation.get("tags", []):
            assert not LATIN.search(tag), tag
        assert not LATIN.search(operation["summary"].split("(")[0].split(":")[0]), operation["summary"]


def test_the_sender_is_the_municipality(demo: dict[str, Any], settings: Any) -> None:
    from django.core import mail

    from otklik.notifications.models import Notification
    from otklik.notifications.services import notification_deliver, notify
    from otklik.org.models import Municipality

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mun = Municipality.objects.get(slug="plastunovskoe")
    notify(municipality=mun, recipients=[demo["curator"]], key="lang:1", subject="Проверка", body="Текст")
    key = Notification.objects.get(channel=Notification.Channel.EMAIL).key
    assert notification_deliver(key=key)
    from email.header import decode_header, make_header

    [message] = mail.outbox
    sender = str(make_header(decode_header(str(message.message()["From"]))))
    assert sender == f"{mun.name} <{settings.DEFAULT_FROM_EMAIL}>"


def test_one_person_with_two_roles_gets_one_letter(demo: dict[str, Any]) -> None:
    from otklik.notifications.models import Notification
    from otklik.notifications.services import notify
    from otklik.org.models import Municipality

    land = demo["land"]  # executor and head of her unit, and the unit's mailbox is hers too
    notify(municipality=Municipality.objects.get(slug="plastunovskoe"), recipients=[land, land], key="lang:2",
           subject="Поручение", body="Текст", extra_addresses=[land.email, land.email.upper()])
    assert Notification.objects.filter(channel=Notification.Channel.EMAIL).count() == 1
