"""Who opened a message's personal data, and when (152-ФЗ ст. 18.1, 19): for the administrator.

Written by the incident page, the draft-file view and the export; trimmed to the municipality's
term by the retention sweep.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from otklik.incidents.models import Incident
from otklik.org.selectors import Access
from otklik.privacy.models import AccessLog

PAGE_SIZE = 100


def access_log_record(*, access: Access, incident: Incident, what: str = AccessLog.What.PAGE,
                      at: datetime | None = None) -> AccessLog:
    """The caller has already checked that `access` may see `incident`."""
    return AccessLog.objects.create(municipality_id=incident.municipality_id, incident=incident,
                                    person=access.person, person_label=access.person.full_name[:300], what=what,
                                    at=at or timezone.now())


def access_log_for(*, access: Access, incident_id: int | None = None) -> QuerySet[AccessLog]:
    """The administrator's municipality's log, newest first (one incident's if asked)."""
    if access.person.municipality_id is None:
        return AccessLog.objects.none()
    qs = AccessLog.objects.filter(municipality_id=access.person.municipality_id).select_related("person")
    if incident_id is not None:
        qs = qs.filter(incident_id=incident_id)
    return qs.order_by("-at", "-pk")
