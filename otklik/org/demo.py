"""The demo municipality of `otklik demo load`: idempotent, for trying the product only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from otklik.channels.networks import Network
from otklik.channels.sandbox import demo_world as sandbox_pages
from otklik.core.vault import seal
from otklik.org.models import Absence, Municipality, Person, PersonRole, Region, Unit
from otklik.org.roles import Role
from otklik.pages.models import OfficialPage

DEMO_SLUG = "plastunovskoe"
# Printed by `make run`; never valid outside the demo database it creates.
DEMO_PASSWORD = "otklik-demo"  # noqa: S105  (the demo only, printed on purpose)


@dataclass(frozen=True)
class DemoUser:
    login: str
    full_name: str
    position: str
    unit: str | None
    roles: tuple[Role, ...]


UNITS: list[tuple[str, Unit.Kind, bool, str]] = [
    ("Общий отдел", Unit.Kind.DEPARTMENT, True, "obshiy@plastunovskoe.example"),
    ("Отдел ЖКХ и благоустройства", Unit.Kind.DEPARTMENT, False, "zhkh@plastunovskoe.example"),
    (
        "Отдел земельных и имущественных отношений",
        Unit.Kind.DEPARTMENT,
        False,
        "zemlya@plastunovskoe.example",
    ),
    ("Финансовый отдел", Unit.Kind.DEPARTMENT, False, "finance@plastunovskoe.example"),
    ('МКУК «Культурно-досуговый центр»', Unit.Kind.INSTITUTION, False, "kdc@plastunovskoe.example"),
    ('МБУ «Благоустройство»', Unit.Kind.INSTITUTION, False, "mbu@plastunovskoe.example"),
]

USERS: list[DemoUser] = [
    DemoUser("region", "Соколова Марина Викторовна", "Куратор ЦУР Краснодарского края", None, (Role.REGIONAL_CURATOR,)),
    DemoUser("curator", "Кравченко Ольга Николаевна", "Ведущий специалист общего отдела", "Общий отдел", (Role.MUNICIPAL_CURATOR,)),
    DemoUser("general", "Бондаренко Елена Сергеевна", "Начальник общего отдела", "Общий отдел", (Role.GENERAL_HEAD, Role.UNIT_HEAD)),
    DemoUser("deputy", "Шевченко Андрей Петрович", "Заместитель главы поселения", None, (Role.DEPUTY_HEAD,)),
    DemoUser("zhkh_head", "Литвиненко Сергей Иванович", "Начальник отдела ЖКХ и благоустройства", "Отдел ЖКХ и благоустройства", (Role.UNIT_HEAD,)),
    DemoUser("executor", "Иванова Наталья Алексеевна", "Специалист отдела ЖКХ", "Отдел ЖКХ и благоустройства", (Role.EXECUTOR,)),
    DemoUser("executor2", "Петренко Дмитрий Олегович", "Специалист отдела ЖКХ", "Отдел ЖКХ и благоустройства", (Role.EXECUTOR,)),
    DemoUser("land", "Гончаренко Ирина Викторовна", "Специалист по земельным вопросам", "Отдел земельных и имущественных отношений", (Role.EXECUTOR, Role.UNIT_HEAD)),
    DemoUser("finance", "Ткаченко Светлана Юрьевна", "Начальник финансового отдела", "Финансовый отдел", (Role.EXECUTOR, Role.UNIT_HEAD)),
    DemoUser("kdc", "Мельник Анна Сергеевна", "Директор МКУК «КДЦ»", 'МКУК «Культурно-досуговый центр»', (Role.EXECUTOR, Role.UNIT_HEAD)),
    DemoUser("mbu", "Коваленко Виктор Николаевич", "Директор МБУ «Благоустройство»", 'МБУ «Благоустройство»', (Role.EXECUTOR, Role.UNIT_HEAD)),
    DemoUser("editor", "Захарченко Юлия Андреевна", "Редактор официальных страниц", "Общий отдел", (Role.PAGE_EDITOR,)),
    DemoUser("moderator", "Лысенко Павел Игоревич", "Модератор официальных страниц", "Общий отдел", (Role.MODERATOR,)),
    DemoUser("admin", "Савченко Роман Александрович", "Системный администратор", "Общий отдел", (Role.ADMINISTRATOR,)),
]


def demo_logins() -> list[tuple[str, str]]:
    return [(u.login, ", ".join(r.label for r in u.roles)) for u in USERS]


@transaction.atomic
def demo_load() -> bool:
    """Create the demo municipality if absent. Returns False when it already exists."""
    if Municipality.objects.filter(slug=DEMO_SLUG).exists():
        # Demos loaded before administrators were scoped made `admin` a superuser.
        get_user_model().objects.filter(username="admin", person__municipality__slug=DEMO_SLUG).update(
            is_superuser=False, is_staff=True)
        return False
    region, _ = Region.objects.get_or_create(
        slug="krasnodarskiy-kray", defaults={"name": "Краснодарский край"}
    )
    municipality = Municipality.objects.create(
        region=region,
        slug=DEMO_SLUG,
        name="Пластуновское сельское поселение Динского района",
        time_zone="Europe/Moscow",
    )
    # A neighbour, so the regional curator sees more than one municipality.
    neighbour, _ = Municipality.objects.get_or_create(
        slug="novotitarovskoe",
        defaults={"region": region, "name": "Новотитаровское сельское поселение Динского района"},
    )
    Unit.objects.get_or_create(municipality=neighbour, name="Общий отдел", defaults={"is_general_department": True})

    units = {
        name: Unit.objects.create(
            municipality=municipality, name=name, kind=kind, is_general_department=general, email=email
        )
        for name, kind, general, email in UNITS
    }
    User = get_user_model()
    people: dict[str, Person] = {}
    hashed = make_password(DEMO_PASSWORD)  # once: hashing is deliberately slow
    for demo in USERS:
        user = User.objects.create(
            username=demo.login,
            password=hashed,
            email=f"{demo.login}@plastunovskoe.example",
            # The municipality's administrator is staff (the admin site), never a superuser:
            # it administers this municipality only (core/admin_scope.py).
            is_staff=Role.ADMINISTRATOR in demo.roles,
            is_superuser=False,
        )
        person = Person.objects.create(
            user=user,
            full_name=demo.full_name,
            position=demo.position,
            region=region,
            municipality=None if Role.REGIONAL_CURATOR in demo.roles else municipality,
            unit=units[demo.unit] if demo.unit else None,
            email=user.email,
        )
        PersonRole.objects.bulk_create([PersonRole(person=person, role=r) for r in demo.roles])
        people[demo.login] = person

    heads = {
        "Общий отдел": "general",
        "Отдел ЖКХ и благоустройства": "zhkh_head",
        "Отдел земельных и имущественных отношений": "land",
        "Финансовый отдел": "finance",
        'МКУК «Культурно-досуговый центр»': "kdc",
        'МБУ «Благоустройство»': "mbu",
    }
    for unit_name, login in heads.items():
        Unit.objects.filter(pk=units[unit_name].pk).update(head=people[login])

    # The substitute pair of п. 7.2, with a current absence.
    Person.objects.filter(pk=people["executor"].pk).update(substitute=people["executor2"])
    Person.objects.filter(pk=people["executor2"].pk).update(substitute=people["executor"])
    today = timezone.localdate()
    Absence.objects.create(
        person=people["executor2"],
        kind=Absence.Kind.LEAVE,
        starts_on=today - timedelta(days=2),
        ends_on=today + timedelta(days=12),
        substitute=people["executor"],
        note="Ежегодный оплачиваемый отпуск",
    )

    # The pages live in the sandbox network (`otklik sandbox`, started by `make run`): the demo
    # publishes answers there. Their tokens are the sandbox's, sealed like real ones.
    for spec in sandbox_pages.PAGES:
        page = OfficialPage.objects.create(
            municipality=municipality, network=spec.network, name=spec.name, url=spec.url, phone="+7 861 620-00-00",
            external_id=spec.external_id, discussion_chat_id=spec.discussion_chat_id, token_sealed=seal(spec.token),
            token_set_at=timezone.now(),
        )
        page.responsible.add(people["editor"], people["general"])
    kdc_page = OfficialPage.objects.create(
        municipality=municipality,
        unit=units['МКУК «Культурно-досуговый центр»'],
        network=Network.VK,
        name="КДЦ станицы Пластуновской",
        url="https://vk.com/kdc_plastunovskaya",
    )
    kdc_page.responsible.add(people["kdc"])
    return True
