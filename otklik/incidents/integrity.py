"""The integrity of the history, checked daily and on request, shown to people.

The worker's daily job verifies every chain against the key and the anchors kept outside the
database, stores what it found (`HistoryCheck`), anchors the heads that verified, and e-mails
each deputy head the day's digest of their municipality. The incident page shows a red banner
for an incident whose history fails; the administrator's page lists them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from otklik.incidents.anchors import anchors_for, anchors_write
from otklik.incidents.history import ChainProblem, history_verify
from otklik.incidents.models import HistoryCheck, Incident
from otklik.incidents.selectors import people_with_role
from otklik.notifications.services import notify
from otklik.org.models import Municipality
from otklik.org.roles import Role


def _rows(problems: list[ChainProblem]) -> list[dict[str, object]]:
    return [{"incident": p.incident_id, "seq": p.seq, "problem": p.problem} for p in problems]


def integrity_check(*, municipality_id: int | None = None, now: datetime | None = None) -> HistoryCheck:
    """Verify the histories of one municipality (or all) with the anchors; store the result."""
    ids = (None if municipality_id is None
           else list(Incident.objects.filter(municipality_id=municipality_id).values_list("pk", flat=True)))
    checked, problems = history_verify(ids, anchors=anchors_for(municipality_id))
    return HistoryCheck.objects.create(ran_at=now or timezone.now(), municipality_id=municipality_id,
                                       events_checked=checked, problems=_rows(problems))


@dataclass(frozen=True)
class DailyResult:
    check: HistoryCheck
    anchored: int


def integrity_daily(*, now: datetime | None = None) -> DailyResult:
    """Verify everything, anchor what verified, tell deputies the digest and any breach."""
    now = now or timezone.now()
    check = integrity_check(now=now)
    broken = frozenset(int(str(p["incident"])) for p in check.problems)
    run = anchors_write(now=now, skip=broken)
    breaches: dict[int, list[dict[str, object]]] = {}
    if broken:
        owners = dict(Incident.objects.filter(pk__in=broken).values_list("pk", "municipality_id"))
        for p in check.problems:
            breaches.setdefault(owners.get(int(str(p["incident"])), 0), []).append(p)
    for municipality in Municipality.objects.all():
        count, digest = run.digests.get(municipality.pk, (0, ""))
        deputies = list(people_with_role(municipality_id=municipality.pk, role=Role.DEPUTY_HEAD))
        if count:
            notify(municipality=municipality, recipients=deputies, key=f"anchor:{now:%Y-%m-%d}:{municipality.pk}",
                   subject=f"Заверение истории сообщений на {now:%d.%m.%Y}",
                   body=(f"История {count} сообщений проверена и заверена.\nКонтрольная сумма: {digest}\n\n"
                         "Сохраните это письмо: по нему можно проверить, что историю не переписали задним числом."))
        found = breaches.get(municipality.pk)
        if found:
            admins = list(people_with_role(municipality_id=municipality.pk, role=Role.ADMINISTRATOR))
            lines = "\n".join(f"№ {p['incident']}, запись {p['seq']}: {p['problem']}" for p in found[:50])
            notify(municipality=municipality, recipients=deputies + admins,
                   key=f"integrity:{now:%Y-%m-%d}:{municipality.pk}",
                   subject="История сообщений не прошла проверку целостности",
                   body=f"Нарушений: {len(found)}.\n{lines}")
    return DailyResult(check=check, anchored=run.written)


def incident_integrity_problems(incident: Incident) -> list[str]:
    """What is wrong with this incident's history: its chain now, and the last daily check."""
    _, problems = history_verify([incident.pk])
    found = [f"запись {p.seq}: {p.problem}" for p in problems]
    last = HistoryCheck.objects.filter(municipality__isnull=True).first()
    for p in (last.problems if last else []):
        if p.get("incident") == incident.pk:
            text = f"запись {p['seq']}: {p['problem']}"
            if text not in found:
                found.append(text)
    return found


def integrity_problems_for(*, municipality_id: int) -> tuple[HistoryCheck | None, list[dict[str, object]]]:
    """The latest check that covered the municipality, and its problems there."""
    last = HistoryCheck.objects.filter(municipality_id__in=[municipality_id]).first()
    overall = HistoryCheck.objects.filter(municipality__isnull=True).first()
    if overall is not None and (last is None or overall.ran_at > last.ran_at):
        ids = set(Incident.objects.filter(municipality_id=municipality_id).values_list("pk", flat=True))
        anchored = set(anchors_for(municipality_id))
        return overall, [p for p in overall.problems
                         if int(str(p["incident"])) in ids or int(str(p["incident"])) in anchored]
    return last, list(last.problems) if last else []
