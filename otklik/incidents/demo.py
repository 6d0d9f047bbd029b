"""Demo incidents in every state, made through the real services (so history and deadlines
are genuine), and the `otklik demo feed` source of new ones."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.utils import timezone

from otklik.channels.sandbox.demo_world import MESSAGES, message_url, page_of
from otklik.incidents import services as svc
from otklik.incidents.models import Incident
from otklik.org.demo import DEMO_SLUG
from otklik.org.models import Municipality, Person, Unit
from otklik.org.selectors import Access, access_for


def _person(login: str) -> Person:
    return Person.objects.get(user__username=login)


def _acc(login: str) -> Access:
    access = access_for(_person(login).user)
    if access is None:
        raise LookupError(login)
    return access


def _unit(name: str) -> Unit:
    return Unit.objects.get(municipality__slug=DEMO_SLUG, name=name)


def _intake(i: int, detected: datetime, *, high: bool = False, kind: str = "incident") -> Incident:
    name, text, topic, location = MESSAGES[i % len(MESSAGES)]
    handed = min(detected + timedelta(minutes=10), timezone.now())  # never in the future
    incident, _ = svc.incident_intake(
        municipality=Municipality.objects.get(slug=DEMO_SLUG), kind=kind,
        importance="high" if high else "normal", network=page_of(i).network,
        url=message_url(i), author_name=name,
        author_url=f"https://vk.com/id{5000 + i}", text=text, detected_at=detected,
        handed_over_at=handed, topic=topic, location=location,
        external_id=f"demo-{i}", by=_person("region"),
    )
    return incident


TEMPLATES = [
    ("Яма на дороге", "дороги",
     "Здравствуйте, {имя}! Спасибо, что сообщили. Яму по адресу {адрес} засыплем щебнем до {дата}, "
     "после этого пришлём фото."),
    ("Вывоз мусора", "мусор",
     "Здравствуйте, {имя}! Мусор по адресу {адрес} вывезут до {дата}. Если контейнеры снова переполнятся, "
     "напишите нам."),
    ("Уличное освещение", "освещение",
     "Здравствуйте, {имя}! Электрик заменит лампу по адресу {адрес} до {дата}. Спасибо за сигнал."),
]


def demo_templates_load() -> int:
    """Answer templates of the demo municipality (idempotent on the title)."""
    from otklik.incidents.models import AnswerTemplate

    municipality = Municipality.objects.get(slug=DEMO_SLUG)
    created = 0
    for title, topic, text in TEMPLATES:
        _, made = AnswerTemplate.objects.get_or_create(municipality=municipality, title=title,
                                                       defaults={"topic": topic, "text": text})
        created += made
    return created


def demo_incidents_load() -> int:
    """Create the demo incidents once (idempotent on their external ids)."""
    demo_templates_load()
    if Incident.objects.filter(municipality__slug=DEMO_SLUG, external_id="demo-0").exists():
        return 0
    now = timezone.now()
    zhkh, mbu = _unit("Отдел ЖКХ и благоустройства"), _unit('МБУ «Благоустройство»')
    curator, region = _acc("curator"), _acc("region")
    # Each answer is about its own message: the answer checks run on every draft, demo included.
    answers = {
        2: "Здравствуйте, Ирина! Контейнеры на ул. Мира вывезут завтра до 12:00, площадку вокруг уберут в тот же "
           "день. Спасибо, что написали.",
        5: "Здравствуйте, Максим! Мы связались с перевозчиком: с понедельника автобус на Краснодар в 7:10 будет "
           "отправляться по расписанию. Спасибо, что сообщили.",
    }

    _intake(0, now - timedelta(minutes=5))  # new
    routed = _intake(1, now - timedelta(minutes=40))
    svc.incident_route(access=curator, incident_id=routed.pk, unit_ids=[zhkh.pk])  # routed
    awaiting = _intake(2, now - timedelta(hours=1))
    svc.incident_route(access=curator, incident_id=awaiting.pk, unit_ids=[zhkh.pk])
    svc.incident_submit_draft(access=_acc("executor"), incident_id=awaiting.pk, text=answers[2])
    svc.incident_forward(access=curator, incident_id=awaiting.pk)  # awaiting approval
    returned = _intake(3, now - timedelta(hours=2))
    svc.incident_route(access=curator, incident_id=returned.pk, unit_ids=[mbu.pk])
    # A draft in press-release voice, sent despite the checks' errors: the region returns it.
    svc.incident_submit_draft(access=_acc("mbu"), incident_id=returned.pk, confirmed_with_errors=True,
                              text="В целях обеспечения благоустройства территории осуществляется покос.")
    svc.incident_forward(access=curator, incident_id=returned.pk)
    svc.incident_return(access=region, incident_id=returned.pk, reasons=[
        {"code": "greeting", "comment": "Поздоровайтесь с Виктором"},
        {"code": "voice", "comment": "Без канцелярита: когда именно покосят?"}])  # returned
    approved = _intake(4, now - timedelta(hours=1, minutes=30))
    svc.incident_route(access=curator, incident_id=approved.pk, unit_ids=[zhkh.pk])
    d = svc.incident_submit_draft(access=_acc("executor"), incident_id=approved.pk,
                                  text="Здравствуйте, Ольга! Справку выдаёт МФЦ в станице, ул. Красная, 10, с 8 до 17.")
    svc.incident_forward(access=curator, incident_id=approved.pk)
    svc.incident_approve(access=region, incident_id=approved.pk, text_hash_seen=d.text_hash)  # approved
    published = _intake(5, now - timedelta(hours=3))
    svc.incident_route(access=curator, incident_id=published.pk, unit_ids=[zhkh.pk])
    d = svc.incident_submit_draft(access=_acc("executor"), incident_id=published.pk, text=answers[5])
    svc.incident_forward(access=curator, incident_id=published.pk)
    svc.incident_approve(access=region, incident_id=published.pk, text_hash_seen=d.text_hash)
    svc.incident_publish(access=curator, incident_id=published.pk,
                         published_url=message_url(5))  # marked published by hand, with its link
    _intake(6, now - timedelta(minutes=3), high=True)  # high importance, new
    asking = _intake(10, now - timedelta(minutes=50))
    asking_text = "Здравствуйте, Ирина! Уточните, пожалуйста, номер дома, возле которого стоят контейнеры."
    svc.incident_route(access=curator, incident_id=asking.pk, unit_ids=[zhkh.pk])
    svc.incident_ask_clarification(access=_acc("executor"), incident_id=asking.pk, question=asking_text)
    svc.incident_clarification_posted(access=curator, incident_id=asking.pk)  # waiting for the author
    _intake(7, now - timedelta(days=4))  # late: every step past due
    closed, _ = svc.incident_intake(
        municipality=Municipality.objects.get(slug=DEMO_SLUG), kind="incident", importance="normal",
        network="vk", url="https://vk.com/wall-100_2000", author_name="Аноним",
        author_url="https://vk.com/id1", text="Глава, ходи оглядывайся, найдём где живёшь",
        detected_at=now - timedelta(minutes=20), external_id="demo-closed", by=_person("region"))
    svc.incident_close_no_answer(access=curator, incident_id=closed.pk, reason="threat",
                                 comment="Угроза должностному лицу (п. 21)")
    return Incident.objects.filter(municipality__slug=DEMO_SLUG).count()


def demo_feed_one(seq: int) -> Incident:
    """One realistic new incident (used by `otklik demo feed` every minute)."""
    i = random.randrange(len(MESSAGES))  # noqa: S311  (demo content, not security)
    name, text, topic, location = MESSAGES[i]
    incident, _ = svc.incident_intake(
        municipality=Municipality.objects.get(slug=DEMO_SLUG), kind="incident",
        importance="high" if random.random() < 0.15 else "normal",  # noqa: S311
        network=random.choice(["vk", "ok", "telegram"]),  # noqa: S311
        url=f"https://vk.com/wall-100_{int(timezone.now().timestamp())}", author_name=name,
        author_url="https://vk.com/id777", text=text, detected_at=timezone.now() - timedelta(minutes=2),
        topic=topic, location=location, external_id=f"feed-{timezone.now().timestamp():.0f}-{seq}",
        by=_person("region"))
    return incident
