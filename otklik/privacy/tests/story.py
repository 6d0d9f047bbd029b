"""One citizen's messages, built through the real services: the data every privacy test erases.

Anna (https://vk.com/id1) wrote three messages: A answered and published (a draft with a
photo, returned once with a comment, then approved), B closed without an answer (п. 21) after a
clarifying question and her reply, C still in work. Boris (https://vk.com/id2) wrote D, closed.
Anna also left two comments on the VK page: one that became nothing, one that became C.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from otklik.incidents import services as svc
from otklik.incidents.models import Incident
from otklik.incidents.tests.test_services import acc, at, route
from otklik.moderation.models import PageComment
from otklik.org.models import Municipality
from otklik.pages.models import OfficialPage

ANNA = "https://vk.com/id1"
BORIS = "https://vk.com/id2"
ANNA_TEXT = "Яма у дома Анны Петровой на ул. Красной, 15, телефон 8-900-000-00-00"
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200


@dataclass
class Story:
    a: Incident
    b: Incident
    c: Incident
    d: Incident
    lone_comment: PageComment
    c_comment: PageComment


def _intake(demo: dict[str, Any], *, author: str, name: str, text: str, day: int, ext: str) -> Incident:
    incident, _ = svc.incident_intake(
        municipality=Municipality.objects.get(slug="plastunovskoe"), kind="incident", importance="normal",
        network="vk", url=f"https://vk.com/wall-1_{ext}", author_name=name, author_url=author, text=text,
        detected_at=at(day, 9), handed_over_at=at(day, 9), external_id=ext, by=demo["region"], now=at(day, 9),
        attachments=["https://vk.com/photo1_1"])
    return incident


def _answered(demo: dict[str, Any], incident: Incident, day: int) -> None:
    route(demo, incident, when=at(day, 9, 10))
    photo = SimpleUploadedFile("фото ямы Анны.jpg", JPEG_BYTES, content_type="image/jpeg")
    svc.incident_submit_draft(access=acc(demo, "executor"), incident_id=incident.pk,
                              text="Здравствуйте, Анна Петровна! Яму засыпали.", confirmed_with_errors=True,
                              files=[photo], at=at(day, 10))
    svc.incident_forward(access=acc(demo, "curator"), incident_id=incident.pk, at=at(day, 10, 5))
    svc.incident_return(access=acc(demo, "region"), incident_id=incident.pk,
                        reasons=[{"code": "greeting", "comment": "Обратитесь к Анне Петровне по имени"}],
                        at=at(day, 10, 10))
    d = svc.incident_submit_draft(access=acc(demo, "executor"), incident_id=incident.pk,
                                  text="Здравствуйте, Анна! Яму у дома 15 засыпали.", confirmed_with_errors=True,
                                  at=at(day, 10, 30))
    svc.incident_forward(access=acc(demo, "curator"), incident_id=incident.pk, at=at(day, 10, 35))
    svc.incident_approve(access=acc(demo, "region"), incident_id=incident.pk, text_hash_seen=d.text_hash,
                         at=at(day, 10, 40))
    svc.incident_publish(access=acc(demo, "curator"), incident_id=incident.pk,
                         published_url=f"https://vk.com/wall-1_{incident.pk}9", at=at(day, 10, 50))


def build(demo: dict[str, Any]) -> Story:
    a = _intake(demo, author=ANNA, name="Анна Петрова", text=ANNA_TEXT, day=7, ext="a")
    _answered(demo, a, 7)
    b = _intake(demo, author="http://m.vk.com/id1/", name="Анна П.", text="Вы все там воры, Анна Петрова знает",
                day=8, ext="b")
    route(demo, b, when=at(8, 9, 10))
    svc.incident_ask_clarification(access=acc(demo, "executor"), incident_id=b.pk, confirmed_with_errors=True,
                                   question="Здравствуйте, Анна! Уточните, пожалуйста, адрес.", at=at(8, 9, 20))
    svc.incident_clarification_received(access=acc(demo, "curator"), incident_id=b.pk, reply="Красная, 15, кв. 3",
                                        at=at(8, 9, 40))
    svc.incident_close_no_answer(access=acc(demo, "curator"), incident_id=b.pk, reason="insult",
                                 comment="Анна Петрова оскорбляет сотрудников", at=at(8, 9, 50))
    c = _intake(demo, author=ANNA, name="Анна Петрова", text="Когда починят фонарь у дома Анны?", day=9, ext="c")
    d = _intake(demo, author=BORIS, name="Борис Сидоров", text="Яма у дома Бориса Сидорова на ул. Мира, 3", day=9,
                ext="d")
    _answered(demo, d, 9)
    page = OfficialPage.objects.get(municipality__slug="plastunovskoe", network="vk", unit__isnull=True)
    lone = PageComment.objects.create(page=page, network_id="9001", post_id="1000", author_id="1",
                                      author_name="Анна Петрова", text="Анна Петрова: спасибо!", received_at=at(7, 12),
                                      findings=[{"code": "spam", "start": 0, "end": 4}])
    c_comment = PageComment.objects.create(page=page, network_id="9002", post_id="1000", author_id="1",
                                           author_name="Анна Петрова", text="Когда починят фонарь у дома Анны?",
                                           received_at=at(9, 8), incident=c)
    for incident in (a, b, c, d):
        incident.refresh_from_db()
    return Story(a=a, b=b, c=c, d=d, lone_comment=lone, c_comment=c_comment)


def when(day: int, hour: int = 12) -> datetime:
    return at(day, hour)
