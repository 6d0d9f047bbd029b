"""`otklik apikey create|list|revoke`: API keys for integrations (the token is printed once)."""

from __future__ import annotations

from typing import Any

from django.core.management import BaseCommand, CommandError, CommandParser

from otklik.api.models import ApiKey
from otklik.org.models import Municipality, Person, Region
from otklik.org.roles import Role


class Command(BaseCommand):
    help = "Ключи API: create — выпустить (токен показывается один раз), list — список, revoke ID — отозвать."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="выпустить ключ")
        scope = create.add_mutually_exclusive_group(required=True)
        scope.add_argument("--municipality", help="код МО (slug)")
        scope.add_argument("--region", help="код региона (slug): один ключ системы мониторинга на все его МО")
        create.add_argument("--name", required=True, help="название интеграции")
        create.add_argument("--person", default=None,
                            help="логин сотрудника: ключ действует от его имени и с его ролями")
        sub.add_parser("list", help="список ключей")
        revoke = sub.add_parser("revoke", help="отозвать ключ")
        revoke.add_argument("id", help="номер ключа или его идентификатор (префикс)")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            if options["region"]:
                self._create_region(options["region"], options["name"], options["person"])
            else:
                self._create(options["municipality"], options["name"], options["person"])
        elif action == "list":
            self._list()
        else:
            self._revoke(options["id"])

    def _create(self, slug: str, name: str, login: str | None) -> None:
        municipality = Municipality.objects.filter(slug=slug).first()
        if municipality is None:
            raise CommandError(f"МО «{slug}» не найдено.")
        person = None
        if login:
            person = Person.objects.filter(user__username=login).first()
            if person is None:
                raise CommandError(f"Сотрудник с логином «{login}» не найден.")
            regional = person.role_grants.filter(role=Role.REGIONAL_CURATOR).exists()
            if person.municipality_id != municipality.pk and not (
                regional and person.region_id == municipality.region_id
            ):
                raise CommandError(f"Сотрудник «{login}» не работает в МО «{slug}».")
        key, token = ApiKey.issue(municipality=municipality, name=name, person=person)
        self.stdout.write(f"Ключ № {key.pk} ({key.prefix}) для «{name}», МО {slug}"
                          + (f", от имени {person.full_name}" if person else ", системная интеграция") + ".")
        self.stdout.write("Токен (показывается один раз, сохраните его):")
        self.stdout.write(token)

    def _create_region(self, slug: str, name: str, login: str | None) -> None:
        if login:
            raise CommandError("Ключ на весь регион выпускается без сотрудника: он только передаёт и читает "
                               "сообщения. Для действий выпустите ключ сотрудника на его МО.")
        region = Region.objects.filter(slug=slug).first()
        if region is None:
            raise CommandError(f"Регион «{slug}» не найден.")
        key, token = ApiKey.issue(region=region, name=name)
        count = Municipality.objects.filter(region=region).count()
        self.stdout.write(f"Ключ № {key.pk} ({key.prefix}) для «{name}», регион {slug} — все его МО "
                          f"(сейчас {count}), системная интеграция.")
        self.stdout.write("Токен (показывается один раз, сохраните его):")
        self.stdout.write(token)

    def _list(self) -> None:
        keys = ApiKey.objects.select_related("municipality", "region", "person").order_by("pk")
        if not keys:
            self.stdout.write("Ключей нет.")
        for k in keys:
            state = f"отозван {k.revoked_at:%Y-%m-%d %H:%M}" if k.revoked_at else "действует"
            who = k.person.full_name if k.person else "системная интеграция"
            used = f", использован {k.last_used_at:%Y-%m-%d %H:%M}" if k.last_used_at else ""
            self.stdout.write(f"{k.pk}\t{k.prefix}\t{k.scope_label}\t{k.name}\t{who}\t{state}{used}")

    def _revoke(self, ident: str) -> None:
        key = ApiKey.objects.filter(pk=int(ident)).first() if ident.isdigit() else None
        key = key or ApiKey.objects.filter(prefix=ident).first()
        if key is None:
            raise CommandError(f"Ключ «{ident}» не найден.")
        key.revoke()
        self.stdout.write(f"Ключ № {key.pk} ({key.prefix}) отозван.")
