"""Reading official pages with the scope rules built in: role AND municipality."""

from __future__ import annotations

from django.db.models import QuerySet

from otklik.org.roles import Role
from otklik.org.selectors import Access
from otklik.pages.models import OfficialPage

# Who sees the registry of pages (п. 1–3, 8): the head of the general department, the editors
# of the official pages, the municipality's administrator.
REGISTRY_ROLES: tuple[str, ...] = (Role.GENERAL_HEAD, Role.PAGE_EDITOR, Role.ADMINISTRATOR)
# Who opens the access vault (п. 2: logins, passwords and phones go to the head of the general
# department) and keeps it: the head and the administrator of the same municipality.
VAULT_ROLES: tuple[str, ...] = (Role.GENERAL_HEAD, Role.ADMINISTRATOR)


class PageForbidden(Exception):
    """The person's role does not allow this on pages."""


def pages_for(*, access: Access, roles: tuple[str, ...] = REGISTRY_ROLES) -> QuerySet[OfficialPage]:
    """The pages of the person's own municipality, if a role allows; nothing otherwise."""
    if not access.has(*roles) or access.person.municipality_id is None:
        return OfficialPage.objects.none()
    return OfficialPage.objects.filter(municipality_id=access.person.municipality_id)


def page_get_for(*, access: Access, pk: int, roles: tuple[str, ...] = REGISTRY_ROLES,
                 for_update: bool = False) -> OfficialPage:
    """The page, or OfficialPage.DoesNotExist outside the person's municipality; PageForbidden
    when the role does not allow (checked first: a stranger learns nothing either way)."""
    if not access.has(*roles):
        raise PageForbidden("Это доступно только начальнику общего отдела и администратору.")
    qs = pages_for(access=access, roles=roles).select_related("municipality", "unit")
    if for_update:
        qs = qs.select_for_update(of=("self",))  # PostgreSQL: not the nullable side of the unit join
    return qs.get(pk=pk)
