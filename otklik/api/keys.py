"""Issuing and revoking API keys from the interface: the municipality's administrator only."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils import timezone

from otklik.api.models import ApiKey
from otklik.incidents.transitions import Forbidden, Invalid, NotFound
from otklik.org.models import Person
from otklik.org.roles import Role
from otklik.org.selectors import Access


def _municipality_id(access: Access) -> int:
    if not access.has(Role.ADMINISTRATOR) or access.person.municipality_id is None:
        raise Forbidden("Ключами API управляет администратор МО.")
    return access.person.municipality_id


def apikeys_for(*, access: Access) -> QuerySet[ApiKey]:
    return (ApiKey.objects.filter(municipality_id=_municipality_id(access))
            .select_related("person", "created_by").order_by("-pk"))


def apikey_issue(*, access: Access, name: str, person_id: int | None = None,
                 expires_on: date | None = None) -> tuple[ApiKey, str]:
    """A key of the administrator's municipality; the token is returned once, stored hashed."""
    municipality_id = _municipality_id(access)
    if not name.strip():
        raise Invalid("Назовите ключ: для какой интеграции он.", field="name")
    person = None
    if person_id is not None:
        person = Person.objects.filter(pk=person_id, municipality_id=municipality_id).first()
        if person is None:
            raise Invalid("Сотрудник не найден в вашем МО.", field="person")
    expires_at = None
    if expires_on is not None:
        tz = ZoneInfo(access.person.municipality.time_zone) if access.person.municipality else timezone.get_current_timezone()
        expires_at = datetime.combine(expires_on, time(23, 59, 59), tz)
        if expires_at <= timezone.now():
            raise Invalid("Срок действия должен быть в будущем.", field="expires_on")
    try:
        return ApiKey.issue(municipality=access.person.municipality, name=name.strip(), person=person,
                            expires_at=expires_at, by=access.person)
    except ValueError as exc:
        raise Invalid(str(exc), field="person") from None


def apikey_revoke(*, access: Access, key_id: int) -> ApiKey:
    key = apikeys_for(access=access).filter(pk=key_id).first()
    if key is None:
        raise NotFound("Ключ не найден.")
    key.revoke()
    return key
