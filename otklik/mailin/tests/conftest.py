"""Mail in switched on for these tests, and a routed incident with its dispatch letter."""

from __future__ import annotations

from typing import Any

import pytest

from otklik.incidents.models import Incident
from otklik.incidents.tests.test_services import intake, route
from otklik.notifications.models import Notification

MAILIN_ADDRESS = "otvet@plastunovskoe.example"


@pytest.fixture
def mail_in(settings: Any) -> Any:
    settings.EMAIL_IN_URL = "smtp://127.0.0.1:2525"
    settings.OTKLIK_MAIL_IN_ADDRESS = MAILIN_ADDRESS
    return settings


@pytest.fixture
def routed(demo: dict[str, Any], mail_in: Any) -> Incident:
    incident = intake(demo)
    return route(demo, incident)


def dispatch_to(incident: Incident, person: Any) -> Notification:
    return Notification.objects.get(key__startswith=f"inc:{incident.pk}:dispatch:", recipient=person,
                                    channel=Notification.Channel.EMAIL)
