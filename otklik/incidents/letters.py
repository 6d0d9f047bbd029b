"""The texts of the workflow's e-mails: what is asked, by when in local time, the message,
and a link into Otklik; the regulation's markers stay in the subject (п. 10, 12).

The dispatch letter asks for a reply by e-mail only when mail in is on (EMAIL_IN_URL, see
otklik/mailin): then the reply, marked as п. 12 says, becomes the draft or the part.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.urls import reverse

from otklik.incidents.deadlines import WEEKDAYS
from otklik.incidents.models import Incident
from otklik.notifications.services import MARKER_DRAFT
from otklik.org.models import Unit


def incident_url(incident: Incident) -> str:
    return settings.OTKLIK_BASE_URL.rstrip("/") + reverse("incidents:detail", args=[incident.pk])


def local_time(incident: Incident, moment: datetime) -> str:
    from zoneinfo import ZoneInfo

    local = moment.astimezone(ZoneInfo(incident.municipality.time_zone))
    return f"{local:%H:%M}, {WEEKDAYS[local.weekday()]} {local:%d.%m.%Y}"


def message_block(incident: Incident) -> str:
    author = incident.author_name or "автор не указан"
    detected = local_time(incident, incident.detected_at)
    return (f"Сообщение № {incident.pk} ({incident.get_network_display()}, {author}, обнаружено {detected}):\n"
            f"{incident.text}\n\nСообщение в соцсети: {incident.url}")


def dispatch_letter(*, incident: Incident, unit: Unit, part: bool, due_at: datetime, note: str,
                    consolidator: str | None) -> str:
    """п. 10: the unit is told what it must send and by when."""
    if part:
        what = ("подготовить часть ответа для сводного ответа"
                + (f" (сводный ответ готовит {consolidator})" if consolidator else "")
                + " — сведения вашего подразделения по вопросу автора")
    else:
        what = "подготовить проект ответа автору от имени администрации"
    lines = [f"Подразделению «{unit.name}» поручено {what}.",
             f"Срок: до {local_time(incident, due_at)} (время МО).",
             *([note] if note else []), "", message_block(incident), "",
             f"Открыть в «Отклике» и отправить {'часть ответа' if part else 'проект'}: {incident_url(incident)}"]
    if settings.EMAIL_IN_URL:
        lines += ["", f"Или ответьте на это письмо: напишите {'часть ответа' if part else 'проект'} над цитатой, "
                      f"приложите фото или видео и допишите в тему «{MARKER_DRAFT}» (п. 12)."]
    return "\n".join(lines)


def link_line(incident: Incident) -> str:
    return f"Открыть в «Отклике»: {incident_url(incident)}"
