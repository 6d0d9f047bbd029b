"""Issuing the monthly report of п. 23 (Прил. 2): prepare, comment, present, acknowledge, reissue.

On the 1st of the month (the municipality's local time, from 08:00) the worker prepares the
previous month's report for each municipality — once: version 1 of (municipality, month) is
unique — and tells its municipal curators. On the 3rd and 4th (from 09:00) the curators are
reminded while the current version is not presented. The curator adds a comment and presents
the report to the deputy head(s) of the municipality (п. 7.1), who get an e-mail and mark it
«Ознакомлен». The deadline is the 5th of the month after the report's month.

An issued report is frozen: its data (the MonthlyReport as JSON, with its SHA-256) and its HTML
are written once. A new version, with a reason, recomputes the month; the old version stays as
it was and its history records that it was superseded.

The history is append-only and HMAC-chained with the incidents' key (incidents/history.py), as
the pages' access history (pages/audit.py): each entry signs its content and the previous entry's
signature, the issue keeps the last signature (`history_head`), and the prepared entry signs the
data's hash, so a changed report, a changed step or a removed step all show in `history_verify`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import types
import typing
from dataclasses import asdict, dataclass, fields, is_dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from otklik.incidents.history import GENESIS, history_key
from otklik.incidents.selectors import people_with_role
from otklik.incidents.transitions import Forbidden, Invalid, NotFound
from otklik.notifications.services import notify
from otklik.org.models import Municipality, Person
from otklik.org.roles import Role
from otklik.org.selectors import Access
from otklik.reports.models import ReportEvent, ReportIssue
from otklik.reports.monthly import MonthlyReport

PREPARE_DAY, PREPARE_AT = 1, time(8, 0)
REMIND_DAYS, REMIND_AT = (3, 4), time(9, 0)
DUE_DAY = 5
MAX_TEXT = 5000
VIEW_ROLES: tuple[str, ...] = (Role.MUNICIPAL_CURATOR, Role.DEPUTY_HEAD, Role.GENERAL_HEAD, Role.ADMINISTRATOR,
                               Role.REGIONAL_CURATOR)
MONTHS = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
                   "ноябрь", "декабрь"]


# ---------------------------------------------------------------- the frozen data

def report_json(report: MonthlyReport) -> dict[str, Any]:
    """The report as plain JSON (dates and moments in ISO 8601)."""
    data: dict[str, Any] = json.loads(json.dumps(asdict(report), ensure_ascii=False, default=_iso))
    return data


def _iso(value: Any) -> str:
    if isinstance(value, date):  # datetime too
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def data_digest(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
                          .encode()).hexdigest()


def _decode(tp: Any, value: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin is tuple:
        (item, *_rest) = typing.get_args(tp)
        return tuple(_decode(item, v) for v in value)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        [real] = [a for a in typing.get_args(tp) if a is not type(None)]
        return _decode(real, value)
    if isinstance(tp, type) and is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        return tp(**{f.name: _decode(hints[f.name], value[f.name]) for f in fields(tp) if f.name in value})
    if tp is datetime:
        return datetime.fromisoformat(value)
    if tp is date:
        return date.fromisoformat(value)
    if tp is float:
        return float(value)
    return value


def report_from_json(data: dict[str, Any]) -> MonthlyReport:
    """The MonthlyReport exactly as it was issued (for the downloads)."""
    report: MonthlyReport = _decode(MonthlyReport, data)
    return report


def issued_report(issue: ReportIssue) -> MonthlyReport:
    return report_from_json(issue.data)


# ---------------------------------------------------------------- the signed history

def _body(*, prev_hash: str, issue_id: int, seq: int, at: datetime, actor_id: int | None, actor_label: str,
          action: str, text: str, payload: dict[str, Any]) -> bytes:
    return json.dumps(
        [prev_hash, "report", issue_id, seq, at.astimezone(UTC).isoformat(), actor_id, actor_label, action, text,
         payload],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str,
    ).encode()


def _digest(key: bytes, **parts: Any) -> str:
    return hmac.new(key, _body(**parts), hashlib.sha256).hexdigest()


def event_digest(e: ReportEvent, key: bytes | None = None) -> str:
    """The signature an entry must carry, recomputed from its stored fields."""
    return _digest(key if key is not None else history_key(), prev_hash=e.prev_hash, issue_id=e.issue_id, seq=e.seq,
                   at=e.at, actor_id=e.actor_id, actor_label=e.actor_label, action=e.action, text=e.text,
                   payload=e.payload)


def _append(*, issue: ReportIssue, at: datetime, actor: Person | None, action: str, text: str = "",
            payload: dict[str, Any] | None = None) -> ReportEvent:
    """Append one entry; the caller holds the issue's row lock (or has just created it)."""
    last = ReportEvent.objects.filter(issue=issue).order_by("-seq").first()
    seq = (last.seq + 1) if last else 1
    prev_hash = last.hash if last else GENESIS
    label = actor.full_name if actor else "Система"
    data = json.loads(json.dumps(payload or {}, ensure_ascii=False, default=str))
    digest = _digest(history_key(), prev_hash=prev_hash, issue_id=issue.pk, seq=seq, at=at,
                     actor_id=actor.pk if actor else None, actor_label=label, action=action, text=text, payload=data)
    event = ReportEvent.objects.create(issue=issue, seq=seq, at=at, actor=actor, actor_label=label, action=action,
                                       text=text, payload=data, prev_hash=prev_hash, hash=digest)
    ReportIssue.objects.filter(pk=issue.pk).update(history_head=digest)
    issue.history_head = digest
    return event


@dataclass(frozen=True)
class ChainProblem:
    issue_id: int
    seq: int
    problem: str


def history_verify(issue_ids: list[int] | None = None) -> tuple[int, list[ChainProblem]]:
    """Recompute every issue's chain and its data's hash; returns (entries checked, problems found)."""
    key = history_key()
    qs = ReportEvent.objects.order_by("issue_id", "seq")
    if issue_ids is not None:
        qs = qs.filter(issue_id__in=issue_ids)
    problems: list[ChainProblem] = []
    checked = 0
    current: int | None = None
    prev, expected_seq = GENESIS, 1
    last: dict[int, str] = {}
    last_seq: dict[int, int] = {}
    signed_data: dict[int, str] = {}
    for e in qs.iterator(chunk_size=2000):
        if e.issue_id != current:
            current, prev, expected_seq = e.issue_id, GENESIS, 1
        checked += 1
        if e.seq != expected_seq:
            problems.append(ChainProblem(e.issue_id, e.seq, f"пропущена запись перед № {e.seq}"))
        if e.prev_hash != prev:
            problems.append(ChainProblem(e.issue_id, e.seq, "ссылка на предыдущую запись не совпадает"))
        if not hmac.compare_digest(event_digest(e, key), e.hash):
            problems.append(ChainProblem(e.issue_id, e.seq, "запись изменена: подпись не совпадает"))
        if e.action == ReportEvent.Action.PREPARED:
            signed_data[e.issue_id] = str(e.payload.get("data_hash", ""))
        prev, expected_seq = e.hash, e.seq + 1
        last[e.issue_id], last_seq[e.issue_id] = e.hash, e.seq
    issues = ReportIssue.objects.all()
    if issue_ids is not None:
        issues = issues.filter(pk__in=issue_ids)
    for pk, head, data, stored_hash in issues.values_list("pk", "history_head", "data", "data_hash").iterator(
            chunk_size=500):
        if head != last.get(pk, ""):
            where = last_seq.get(pk, 0) + (1 if head else 0)
            problems.append(ChainProblem(pk, where, "последняя запись истории отсутствует или изменена"))
        actual = data_digest(data)
        if actual != stored_hash or signed_data.get(pk) != actual:
            problems.append(ChainProblem(pk, 1, "данные отчёта изменены после выпуска"))
    return checked, problems


# ---------------------------------------------------------------- who and where

def _zone(municipality: Municipality) -> ZoneInfo:
    try:
        return ZoneInfo(municipality.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Europe/Moscow")


def previous_month(day: date) -> date:
    first = day.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def month_label(month: date) -> str:
    return f"{MONTHS[month.month - 1]} {month.year} г."


def link(issue: ReportIssue) -> str:
    return f"{settings.OTKLIK_BASE_URL}/reports/{issue.pk}/"


def issues_for(access: Access) -> QuerySet[ReportIssue]:
    """The issued reports the person may see: their municipality's, the region's for a regional curator."""
    if not access.has(*VIEW_ROLES):
        return ReportIssue.objects.none()
    return ReportIssue.objects.filter(municipality__in=access.municipalities()).select_related("municipality")


def issue_get(access: Access, pk: int) -> ReportIssue:
    issue = issues_for(access).filter(pk=pk).first()
    if issue is None:
        raise NotFound("Отчёт не найден.")
    return issue


def current_version(issue: ReportIssue) -> ReportIssue:
    latest = ReportIssue.objects.filter(municipality_id=issue.municipality_id, month=issue.month).order_by(
        "-version").first()
    return latest or issue


def is_current(issue: ReportIssue) -> bool:
    return current_version(issue).pk == issue.pk


def _holds(access: Access, role: str, issue: ReportIssue) -> bool:
    """`role` in the issue's own municipality (a curator of another municipality is not one here)."""
    return role in access.roles and access.person.municipality_id == issue.municipality_id


def can_comment(access: Access, issue: ReportIssue) -> bool:
    return _holds(access, Role.MUNICIPAL_CURATOR, issue) and not issue.is_presented and is_current(issue)


can_present = can_comment


def can_acknowledge(access: Access, issue: ReportIssue) -> bool:
    return _holds(access, Role.DEPUTY_HEAD, issue) and issue.state == ReportIssue.State.PRESENTED and \
        is_current(issue)


def can_reissue(access: Access, issue: ReportIssue) -> bool:
    return _holds(access, Role.MUNICIPAL_CURATOR, issue) and is_current(issue)


def _curators(municipality: Municipality) -> list[Person]:
    return list(people_with_role(municipality_id=municipality.pk, role=Role.MUNICIPAL_CURATOR)
                .filter(user__is_active=True))


def _deputies(municipality: Municipality) -> list[Person]:
    return list(people_with_role(municipality_id=municipality.pk, role=Role.DEPUTY_HEAD)
                .filter(user__is_active=True))


# ---------------------------------------------------------------- the steps

def _issue(*, municipality: Municipality, month: date, version: int, now: datetime, by: Person | None,
           reason: str = "") -> ReportIssue:
    from otklik.reports.render.html import render_html_body
    from otklik.reports.selectors import monthly_report

    report = monthly_report(municipality=municipality, month=month, now=now)
    data = report_json(report)
    digest = data_digest(data)
    issue = ReportIssue.objects.create(municipality=municipality, month=month, version=version, data=data,
                                       data_hash=digest, html=render_html_body(report), prepared_at=now,
                                       prepared_by=by, reason=reason)
    _append(issue=issue, at=now, actor=by, action=ReportEvent.Action.PREPARED, text=reason,
            payload={"version": version, "data_hash": digest, "month": month.isoformat()})
    return issue


def report_prepare(*, municipality: Municipality, month: date, now: datetime | None = None) -> tuple[ReportIssue, bool]:
    """Version 1 of the month's report, once; (the issue, whether it was made now). Tells the curators."""
    now = now or timezone.now()
    month = month.replace(day=1)
    existing = ReportIssue.objects.filter(municipality=municipality, month=month).order_by("version").first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            issue = _issue(municipality=municipality, month=month, version=1, now=now, by=None)
    except IntegrityError:  # another worker made it a moment ago
        return ReportIssue.objects.get(municipality=municipality, month=month, version=1), False
    due = date(month.year + month.month // 12, month.month % 12 + 1, DUE_DAY)
    notify(municipality=municipality, recipients=_curators(municipality), key=f"report-prepared:{issue.pk}",
           subject=f"Ежемесячный отчёт за {month_label(month)} подготовлен",
           body=f"Сводная информация о работе с сообщениями в социальных сетях за {month_label(month)} "
                f"подготовлена (Прил. 2 п. 23). Проверьте её, добавьте комментарий и представьте заместителю "
                f"главы до {due:%d.%m.%Y}.\n\n{link(issue)}")
    return issue, True


def reports_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """The worker's pass: prepare on the 1st from 08:00 (catching up later in the month when the
    worker was down), remind on the 3rd and 4th from 09:00 while not presented."""
    now = now or timezone.now()
    done = {"prepared": 0, "reminded": 0}
    for municipality in Municipality.objects.all():
        local = now.astimezone(_zone(municipality))
        month = previous_month(local.date())
        if local.day > PREPARE_DAY or local.time() >= PREPARE_AT:
            _, made = report_prepare(municipality=municipality, month=month, now=now)
            done["prepared"] += made
        if local.day in REMIND_DAYS and local.time() >= REMIND_AT:
            issue = ReportIssue.objects.filter(municipality=municipality, month=month).order_by("-version").first()
            if issue is None or issue.is_presented:
                continue
            due = issue.due_date
            sent = notify(municipality=municipality, recipients=_curators(municipality),
                          key=f"report-remind:{issue.pk}:{local.date().isoformat()}",
                          subject=f"Напоминание: отчёт за {month_label(month)} не представлен",
                          body=f"Ежемесячный отчёт за {month_label(month)} ещё не представлен заместителю главы. "
                               f"Срок — до {due:%d.%m.%Y} (Прил. 2 п. 23).\n\n{link(issue)}")
            done["reminded"] += bool(sent)
    return done


def _locked(access: Access, pk: int) -> ReportIssue:
    issue_get(access, pk)
    return ReportIssue.objects.select_for_update().select_related("municipality").get(pk=pk)


def _text(text: str, what: str, *, required: bool) -> str:
    text = (text or "").strip()
    if required and not text:
        raise Invalid(f"{what}: заполните поле.", field="text")
    if len(text) > MAX_TEXT:
        raise Invalid(f"{what}: не длиннее {MAX_TEXT} знаков.", field="text")
    return text


def report_comment(*, access: Access, issue_id: int, text: str, now: datetime | None = None) -> ReportIssue:
    now = now or timezone.now()
    text = _text(text, "Комментарий", required=True)
    with transaction.atomic():
        issue = _locked(access, issue_id)
        if not can_comment(access, issue):
            raise Forbidden("Комментарий добавляет муниципальный куратор до представления отчёта.")
        issue.comment, issue.commented_at, issue.commented_by = text, now, access.person
        issue.state = ReportIssue.State.COMMENTED
        issue.save(update_fields=["comment", "commented_at", "commented_by", "state"])
        _append(issue=issue, at=now, actor=access.person, action=ReportEvent.Action.COMMENTED, text=text)
    return issue


def report_present(*, access: Access, issue_id: int, now: datetime | None = None) -> ReportIssue:
    now = now or timezone.now()
    with transaction.atomic():
        issue = _locked(access, issue_id)
        if not can_present(access, issue):
            raise Forbidden("Представляет отчёт муниципальный куратор; представить можно последнюю версию, один раз.")
        deputies = _deputies(issue.municipality)
        if not deputies:
            raise Invalid("В муниципальном образовании нет заместителя главы в Отклике: некому представить отчёт.")
        issue.state, issue.presented_at, issue.presented_by = ReportIssue.State.PRESENTED, now, access.person
        issue.save(update_fields=["state", "presented_at", "presented_by"])
        _append(issue=issue, at=now, actor=access.person, action=ReportEvent.Action.PRESENTED,
                payload={"to": [p.pk for p in deputies]})
        month = month_label(issue.month)
        notify(municipality=issue.municipality, recipients=deputies, key=f"report-presented:{issue.pk}",
               subject=f"Ежемесячный отчёт за {month} для ознакомления",
               body=f"{access.person.full_name}, муниципальный куратор, представляет сводную информацию о работе с "
                    f"сообщениями в социальных сетях за {month} (Прил. 2 п. 23)"
                    + (f", версия {issue.version}" if issue.version > 1 else "") + ".\n\n"
                    + (f"Комментарий куратора:\n{issue.comment}\n\n" if issue.comment else "")
                    + f"Отчёт и кнопка «Ознакомлен»: {link(issue)}")
    return issue


def report_acknowledge(*, access: Access, issue_id: int, now: datetime | None = None) -> ReportIssue:
    now = now or timezone.now()
    with transaction.atomic():
        issue = _locked(access, issue_id)
        if not can_acknowledge(access, issue):
            raise Forbidden("Отметку «Ознакомлен» ставит заместитель главы этого муниципального образования "
                            "после представления отчёта.")
        issue.state, issue.acknowledged_at, issue.acknowledged_by = ReportIssue.State.ACKNOWLEDGED, now, access.person
        issue.save(update_fields=["state", "acknowledged_at", "acknowledged_by"])
        _append(issue=issue, at=now, actor=access.person, action=ReportEvent.Action.ACKNOWLEDGED)
        if issue.presented_by is not None:
            notify(municipality=issue.municipality, recipients=[issue.presented_by], email=False,
                   key=f"report-acknowledged:{issue.pk}",
                   subject=f"Заместитель главы ознакомлен с отчётом за {month_label(issue.month)}",
                   body=f"{access.person.full_name} отметил(а): «Ознакомлен».\n\n{link(issue)}")
    return issue


def report_reissue(*, access: Access, issue_id: int, reason: str, now: datetime | None = None) -> ReportIssue:
    """A new version of the month's report, computed now; the old one stays exactly as issued."""
    now = now or timezone.now()
    reason = _text(reason, "Причина новой версии", required=True)
    with transaction.atomic():
        old = _locked(access, issue_id)
        if not can_reissue(access, old):
            raise Forbidden("Новую версию выпускает муниципальный куратор, из последней версии отчёта.")
        issue = _issue(municipality=old.municipality, month=old.month, version=old.version + 1, now=now,
                       by=access.person, reason=reason)
        _append(issue=old, at=now, actor=access.person, action=ReportEvent.Action.SUPERSEDED, text=reason,
                payload={"version": issue.version, "issue": issue.pk})
    return issue
