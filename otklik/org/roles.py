"""Roles of SPEC §1 and who may see what; the single place that names them."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    REGIONAL_CURATOR = "regional_curator", "Региональный куратор"
    MUNICIPAL_CURATOR = "municipal_curator", "Муниципальный куратор"
    EXECUTOR = "executor", "Исполнитель"
    UNIT_HEAD = "unit_head", "Начальник отдела / руководитель учреждения"
    DEPUTY_HEAD = "deputy_head", "Заместитель главы"
    GENERAL_HEAD = "general_head", "Начальник общего отдела"
    PAGE_EDITOR = "page_editor", "Редактор страниц"
    MODERATOR = "moderator", "Модератор"
    ADMINISTRATOR = "administrator", "Администратор"


# Roles whose sign-in needs a second factor when OTKLIK_REQUIRE_2FA is on.
SECOND_FACTOR_ROLES = frozenset(
    {Role.REGIONAL_CURATOR, Role.MUNICIPAL_CURATOR, Role.GENERAL_HEAD, Role.ADMINISTRATOR}
)

# Roles that see the whole municipality (not only their unit's work).
MUNICIPALITY_WIDE_ROLES = frozenset(
    {
        Role.MUNICIPAL_CURATOR,
        Role.DEPUTY_HEAD,
        Role.GENERAL_HEAD,
        Role.ADMINISTRATOR,
    }
)

# Everyone who takes part in the work on incidents (sees the queue and incident pages).
PARTICIPANT_ROLES: tuple[str, ...] = (
    Role.REGIONAL_CURATOR,
    Role.MUNICIPAL_CURATOR,
    Role.EXECUTOR,
    Role.UNIT_HEAD,
    Role.DEPUTY_HEAD,
    Role.GENERAL_HEAD,
    Role.ADMINISTRATOR,
)

# Who hands messages in: the region (incidents) and the administration (publications).
INTAKE_ROLES: tuple[str, ...] = (Role.REGIONAL_CURATOR, Role.MUNICIPAL_CURATOR, Role.GENERAL_HEAD)
