"""Issuing the monthly report (Прил. 2 п. 23): the worker prepares it on the 1st, reminds on the
3rd and 4th, the curator comments and presents it, the deputy head acknowledges; an issued report
is frozen, new versions carry a reason, and the steps are a signed chain."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import docx
import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction
from django.test import Client

from otklik.incidents.transitions import Forbidden, Invalid, NotFound
from otklik.notifications.models import Notification
from otklik.org.models import Municipality, Person, PersonRole, Region, Unit
from otklik.org.roles import Role
from otklik.org.selectors import access_for
from otklik.reports import issuing
from otklik.reports.models import ReportEvent, ReportIssue
from otklik.reports.selectors import monthly_report

pytestmark = pytest.mark.django_db
MSK = ZoneInfo("Europe/Moscow")
NOVEMBER = date(2026, 11, 1)
FIRST = datetime(2026, 12, 1, 8, 0, tzinfo=MSK)
SLUG = "plastunovskoe"


def acc(demo: dict[str, Any], login: str) -> Any:
    return access_for(demo[login].user)


def mine() -> Municipality:
    return Municipality.objects.get(slug=SLUG)


def issues() -> list[ReportIssue]:
    return list(ReportIssue.objects.filter(municipality__slug=SLUG).order_by("month", "version"))


def prepared(demo: dict[str, Any]) -> ReportIssue:
    issue, made = issuing.report_prepare(municipality=mine(), month=NOVEMBER, now=FIRST)
    assert made
    return issue


def reminders(person: Person) -> int:
    return Notification.objects.filter(recipient=person, channel=Notification.Channel.INAPP,
                                       subject__startswith="Напоминание: отчёт").count()


def stranger(role: str) -> Person:
    region = Region.objects.get_or_create(slug="far", defaults={"name": "Дальний край"})[0]
    mun = Municipality.objects.get_or_create(slug="far-mo", defaults={"region": region, "name": "Дальнее МО"})[0]
    unit = Unit.objects.get_or_create(municipality=mun, name="Дальний отдел")[0]
    user = get_user_model().objects.create_user(username=f"far-{role}", password="x-far-pass")
    person = Person.objects.create(user=user, full_name=f"Чужой {role}", region=region,
                                   municipality=None if role == Role.REGIONAL_CURATOR else mun, unit=unit)
    PersonRole.objects.create(person=person, role=role)
    return person


def client_for(person: Person, settings: Any) -> Client:
    settings.OTKLIK_REQUIRE_2FA = False
    client = Client()
    client.force_login(person.user)
    return client


# ---------------------------------------------------------------- the worker

def test_prepared_on_the_first_from_0800_once_and_the_curator_is_told(demo: dict[str, Any]) -> None:
    issuing.reports_sweep(now=datetime(2026, 12, 1, 7, 59, tzinfo=MSK))
    assert issues() == []
    issuing.reports_sweep(now=FIRST)
    [issue] = issues()
    assert (issue.month, issue.version, issue.state) == (NOVEMBER, 1, ReportIssue.State.PREPARED)
    assert issue.prepared_by is None and issue.data["month"] == "2026-11-01" and issue.html.startswith("<article")
    told = Notification.objects.filter(recipient=demo["curator"], subject__contains="за ноябрь 2026 г. подготовлен")
    assert told.filter(channel=Notification.Channel.INAPP).count() == 1
    assert told.filter(channel=Notification.Channel.EMAIL).count() == 1
    assert f"/reports/{issue.pk}/" in told.first().body  # type: ignore[union-attr]
    # Again the same day, and later in the month: nothing new.
    issuing.reports_sweep(now=datetime(2026, 12, 1, 12, 0, tzinfo=MSK))
    issuing.reports_sweep(now=datetime(2026, 12, 2, 9, 0, tzinfo=MSK))
    assert len(issues()) == 1 and told.count() == 2
    assert ReportEvent.objects.filter(issue=issue).count() == 1


def test_the_first_is_local_time(demo: dict[str, Any]) -> None:
    """08:00 in Krasnodar is 05:00 UTC: at 05:30 UTC it is due, at 04:59 UTC not."""
    issuing.reports_sweep(now=datetime(2026, 12, 1, 4, 59, tzinfo=ZoneInfo("UTC")))
    assert issues() == []
    issuing.reports_sweep(now=datetime(2026, 12, 1, 5, 30, tzinfo=ZoneInfo("UTC")))
    assert len(issues()) == 1


def test_reminders_on_the_3rd_and_4th_from_0900(demo: dict[str, Any]) -> None:
    issuing.reports_sweep(now=FIRST)
    curator = demo["curator"]
    issuing.reports_sweep(now=datetime(2026, 12, 2, 9, 0, tzinfo=MSK))
    issuing.reports_sweep(now=datetime(2026, 12, 3, 8, 59, tzinfo=MSK))
    assert reminders(curator) == 0
    issuing.reports_sweep(now=datetime(2026, 12, 3, 9, 0, tzinfo=MSK))
    issuing.reports_sweep(now=datetime(2026, 12, 3, 15, 0, tzinfo=MSK))
    assert reminders(curator) == 1
    reminder = Notification.objects.filter(recipient=curator, subject__startswith="Напоминание").first()
    assert reminder is not None and "до 05.12.2026" in reminder.body
    issuing.reports_sweep(now=datetime(2026, 12, 4, 9, 0, tzinfo=MSK))
    assert reminders(curator) == 2
    issuing.reports_sweep(now=datetime(2026, 12, 5, 9, 0, tzinfo=MSK))
    assert reminders(curator) == 2


def test_no_reminder_after_presenting(demo: dict[str, Any]) -> None:
    issue = prepared(demo)
    issuing.reports_sweep(now=datetime(2026, 12, 3, 9, 0, tzinfo=MSK))
    assert reminders(demo["curator"]) == 1
    issuing.report_present(access=acc(demo, "curator"), issue_id=issue.pk, now=datetime(2026, 12, 3, 11, 0, tzinfo=MSK))
    issuing.reports_sweep(now=datetime(2026, 12, 4, 9, 0, tzinfo=MSK))
    assert reminders(demo["curator"]) == 1


# ---------------------------------------------------------------- the steps

def test_comment_present_and_the_deputy_is_told(demo: dict[str, Any]) -> None:
    issue = prepared(demo)
    at = datetime(2026, 12, 2, 10, 0, tzinfo=MSK)
    with pytest.raises(Forbidden):
        issuing.report_comment(access=acc(demo, "deputy"), issue_id=issue.pk, text="Замечание", now=at)
    with pytest.raises(Invalid):
        issuing.report_comment(access=acc(demo, "curator"), issue_id=issue.pk, text="   ", now=at)
    issue = issuing.report_comment(access=acc(demo, "curator"), issue_id=issue.pk,
                                   text="Рост просрочек из-за праздников.", now=at)
    assert issue.state == ReportIssue.State.COMMENTED
    with pytest.raises(Forbidden):
        issuing.report_present(access=acc(demo, "general"), issue_id=issue.pk, now=at)
    with pytest.raises(Forbidden):
        issuing.report_acknowledge(access=acc(demo, "deputy"), issue_id=issue.pk, now=at)  # not presented yet
    issue = issuing.report_present(access=acc(demo, "curator"), issue_id=issue.pk, now=at)
    assert (issue.state, issue.presented_by, issue.presented_at) == (ReportIssue.State.PRESENTED, demo["curator"], at)
    mail = Notification.objects.get(recipient=demo["deputy"], channel=Notification.Channel.EMAIL,
                                    subject__contains="для ознакомления")
    assert mail.address == demo["deputy"].email and "Рост просрочек" in mail.body
    assert f"/reports/{issue.pk}/" in mail.body
    with pytest.raises(Forbidden):  # once
        issuing.report_present(access=acc(demo, "curator"), issue_id=issue.pk, now=at)
    with pytest.raises(Forbidden):  # no comments after presenting
        issuing.report_comment(access=acc(demo, "curator"), issue_id=issue.pk, text="ещё", now=at)


def test_acknowledge_only_by_the_deputy_head_of_that_municipality(demo: dict[str, Any]) -> None:
    issue = prepared(demo)
    at = datetime(2026, 12, 4, 16, 0, tzinfo=MSK)
    issuing.report_present(access=acc(demo, "curator"), issue_id=issue.pk, now=at)
    for login in ("curator", "general", "admin", "region"):
        with pytest.raises(Forbidden):
            issuing.report_acknowledge(access=acc(demo, login), issue_id=issue.pk, now=at)
    far = access_for(stranger(Role.DEPUTY_HEAD).user)
    assert far is not None
    with pytest.raises(NotFound):
        issuing.report_acknowledge(access=far, issue_id=issue.pk, now=at)
    issue = issuing.report_acknowledge(access=acc(demo, "deputy"), issue_id=issue.pk, now=at)
    assert (issue.state, issue.acknowledged_by, issue.acknowledged_at) == (
        ReportIssue.State.ACKNOWLEDGED, demo["deputy"], at)
    with pytest.raises(Forbidden):
        issuing.report_acknowledge(access=acc(demo, "deputy"), issue_id=issue.pk, now=at)
    actions = list(issue.events.values_list("action", "actor_label"))
    assert actions == [("prepared", "Система"), ("presented", demo["curator"].full_name),
                       ("acknowledged", demo["deputy"].full_name)]


# ---------------------------------------------------------------- frozen, versions

def _add_november_incident() -> None:
    from otklik.incidents.services import incident_intake

    incident_intake(municipality=mine(), kind="incident", importance="normal", network="vk",
                    url="https://vk.com/wall-1_777", author_name="Автор", author_url="", text="Яма у школы",
                    detected_at=datetime(2026, 11, 16, 10, 0, tzinfo=MSK),
                    handed_over_at=datetime(2026, 11, 16, 10, 10, tzinfo=MSK),
                    now=datetime(2026, 12, 2, 10, 0, tzinfo=MSK))


def _received(data: dict[str, Any]) -> int:
    return next(int(f["value"]) for f in data["headline"] if f["key"] == "received")


def test_an_issued_report_does_not_change_when_the_month_is_recomputed(demo: dict[str, Any]) -> None:
    issue = prepared(demo)
    data, html, digest = issue.data, issue.html, issue.data_hash
    _add_november_incident()
    later = datetime(2026, 12, 2, 11, 0, tzinfo=MSK)
    fresh = issuing.report_json(monthly_report(municipality=mine(), month=NOVEMBER, now=later))
    assert _received(fresh) == _received(data) + 1
    issue.refresh_from_db()
    assert (issue.data, issue.html, issue.data_hash) == (data, html, digest)
    assert issuing.issued_report(issue) == issuing.report_from_json(data)
    # The database refuses to change an issued report's data.
    with pytest.raises(DatabaseError), transaction.atomic():
        ReportIssue.objects.filter(pk=issue.pk).update(data=fresh)


def test_a_new_version_with_a_reason_leaves_the_old_one(demo: dict[str, Any]) -> None:
    issue = prepared(demo)
    at = datetime(2026, 12, 2, 9, 0, tzinfo=MSK)
    issuing.report_present(access=acc(demo, "curator"), issue_id=issue.pk, now=at)
    _add_november_incident()
    later = datetime(2026, 12, 2, 12, 0, tzinfo=MSK)
    with pytest.raises(Invalid):
        issuing.report_reissue(access=acc(demo, "curator"), issue_id=issue.pk, reason=" ", now=later)
    with pytest.raises(Forbidden):
        issuing.report_reissue(access=acc(demo, "deputy"), issue_id=issue.pk, reason="Другое", now=later)
    v2 = issuing.report_reissue(access=acc(demo, "curator"), issue_id=issue.pk,
                                reason="Зарегистрировано пропущенное сообщение от 16.11", now=later)
    old = ReportIssue.objects.get(pk=issue.pk)
    assert (v2.version, v2.state, v2.reason, v2.prepared_by) == (
        2, ReportIssue.State.PREPARED, "Зарегистрировано пропущенное сообщение от 16.11", demo["curator"])
    assert _received(v2.data) == _received(old.data) + 1
    assert (old.state, old.data_hash) == (ReportIssue.State.PRESENTED, issue.data_hash)
    assert list(old.events.values_list("action", flat=True)) == ["prepared", "presented", "superseded"]
    assert not issuing.is_current(old) and issuing.is_current(v2)
    with pytest.raises(Forbidden):  # the old version takes no more steps
        issuing.report_reissue(access=acc(demo, "curator"), issue_id=old.pk, reason="ещё", now=later)
    # v2 is not presented: the reminders of the 3rd speak of it.
    issuing.reports_sweep(now=datetime(2026, 12, 3, 9, 0, tzinfo=MSK))
    assert reminders(demo["curator"]) == 1
    issuing.report_present(access=acc(demo, "curator"), issue_id=v2.pk, now=later)
    assert issuing.report_acknowledge(access=acc(demo, "deputy"), issue_id=v2.pk, now=later).state == "acknowledged"


# ---------------------------------------------------------------- the signed history

def _drop_triggers() -> None:
    """An attacker with the database owner's rights (the test transaction puts them back)."""
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            for name in ("reports_event_no_update", "reports_event_no_delete", "reports_issue_frozen"):
                cur.execute(f"DROP TRIGGER {name}")
        else:
            cur.execute("DROP TRIGGER reports_event_append_only ON reports_reportevent")
            cur.execute("DROP TRIGGER reports_issue_frozen ON reports_reportissue")


def _walk(demo: dict[str, Any]) -> ReportIssue:
    issue = prepared(demo)
    at = datetime(2026, 12, 2, 9, 0, tzinfo=MSK)
    issuing.report_comment(access=acc(demo, "curator"), issue_id=issue.pk, text="Всё в срок.", now=at)
    issuing.report_present(access=acc(demo, "curator"), issue_id=issue.pk, now=at)
    return issuing.report_acknowledge(access=acc(demo, "deputy"), issue_id=issue.pk, now=at)


def test_the_history_verifies_and_refuses_changes(demo: dict[str, Any]) -> None:
    issue = _walk(demo)
    assert issuing.history_verify([issue.pk]) == (4, [])
    event = issue.events.get(seq=2)
    with pytest.raises(DatabaseError), transaction.atomic():
        ReportEvent.objects.filter(pk=event.pk).update(text="Много просрочек.")
    with pytest.raises(DatabaseError), transaction.atomic():
        ReportEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(PermissionError):
        event.save()


def test_a_tampered_entry_is_detected(demo: dict[str, Any]) -> None:
    issue = _walk(demo)
    _drop_triggers()
    ReportEvent.objects.filter(issue=issue, seq=2).update(text="Много просрочек.")
    _, problems = issuing.history_verify()
    assert [(p.issue_id, p.seq, p.problem) for p in problems] == [
        (issue.pk, 2, "запись изменена: подпись не совпадает")]


def test_a_removed_last_entry_and_changed_data_are_detected(demo: dict[str, Any]) -> None:
    issue = _walk(demo)
    _drop_triggers()
    ReportEvent.objects.filter(issue=issue, seq=4).delete()
    data = dict(issue.data, intermediate=issue.data["intermediate"] + 5)
    ReportIssue.objects.filter(pk=issue.pk).update(data=data, data_hash=issuing.data_digest(data))
    _, problems = issuing.history_verify([issue.pk])
    assert {p.problem for p in problems} == {"последняя запись истории отсутствует или изменена",
                                             "данные отчёта изменены после выпуска"}


def test_the_json_round_trip_is_exact(demo: dict[str, Any]) -> None:
    from otklik.reports.tests.test_render import sample_report

    report = sample_report()
    assert issuing.report_from_json(issuing.report_json(report)) == report


# ---------------------------------------------------------------- the views

def test_the_pages_and_the_buttons_by_role(demo: dict[str, Any], settings: Any) -> None:
    issue = prepared(demo)
    curator = client_for(demo["curator"], settings)
    listing = curator.get("/reports/").content.decode()
    assert f"/reports/{issue.pk}/" in listing and "ноябрь 2026 г." in listing
    page = curator.get(f"/reports/{issue.pk}/").content.decode()
    assert "/static/reports/monthly.css" in page and "<style" not in page
    assert 'id="present"' in page and 'id="comment-text"' in page and 'id="acknowledge"' not in page
    assert '<article class="report">' in page and "до 05.12.2026" in page
    response = curator.post(f"/reports/{issue.pk}/act/comment/", {"text": "Комментарий <b>куратора</b>"})
    assert response.status_code == 302
    assert "Комментарий &lt;b&gt;куратора&lt;/b&gt;" in curator.get(f"/reports/{issue.pk}/").content.decode()
    deputy = client_for(demo["deputy"], settings)
    assert deputy.post(f"/reports/{issue.pk}/act/present/").status_code == 403
    assert curator.post(f"/reports/{issue.pk}/act/present/").status_code == 302
    page = deputy.get(f"/reports/{issue.pk}/").content.decode()
    assert 'id="acknowledge"' in page and 'id="present"' not in page
    assert deputy.post(f"/reports/{issue.pk}/act/acknowledge/").status_code == 302
    issue.refresh_from_db()
    assert issue.state == ReportIssue.State.ACKNOWLEDGED
    steps = deputy.get(f"/reports/{issue.pk}/").content.decode()
    assert "Заместитель главы ознакомлен" in steps
    region = client_for(demo["region"], settings).get("/reports/").content.decode()
    assert f"/reports/{issue.pk}/" in region
    assert client_for(demo["executor"], settings).get("/reports/").status_code == 403


def test_downloads_open_from_the_frozen_data(demo: dict[str, Any], settings: Any) -> None:
    issue = prepared(demo)
    _add_november_incident()
    client = client_for(demo["deputy"], settings)
    title = issuing.issued_report(issue).title
    html = client.get(f"/reports/{issue.pk}/download/html/")
    assert html.status_code == 200 and title in html.content.decode()
    assert "attachment" in html["Content-Disposition"] and "2026-11-v1.html" in html["Content-Disposition"]
    word = client.get(f"/reports/{issue.pk}/download/docx/")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    assert title in text
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/reports/{issue.pk}/download/xlsx/").content))
    cells = [str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    received = str(_received(issue.data))
    assert received in cells
    pdf = client.get(f"/reports/{issue.pk}/download/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(f"/reports/{issue.pk}/download/exe/").status_code == 404


def test_another_municipality_gets_404(demo: dict[str, Any], settings: Any) -> None:
    issue = prepared(demo)
    for role in (Role.MUNICIPAL_CURATOR, Role.DEPUTY_HEAD, Role.REGIONAL_CURATOR):
        client = client_for(stranger(role), settings)
        assert f"/reports/{issue.pk}/" not in client.get("/reports/").content.decode()
        assert client.get(f"/reports/{issue.pk}/").status_code == 404
        assert client.get(f"/reports/{issue.pk}/download/pdf/").status_code == 404
        assert client.post(f"/reports/{issue.pk}/act/acknowledge/").status_code == 404
    assert ReportIssue.objects.get(pk=issue.pk).state == ReportIssue.State.PREPARED


def test_the_standalone_report_and_the_page_share_one_stylesheet() -> None:
    """The page links static reports/monthly.css (strict CSP: no inline style); the standalone
    report and its PDF include that same file, so the two cannot drift apart."""
    from pathlib import Path

    from otklik.reports.render.html import render_html
    from otklik.reports.tests.test_render import sample_report

    css = (Path(__file__).resolve().parent.parent / "static/reports/monthly.css").read_text()
    assert css.strip() and css.strip()[:200] in render_html(sample_report())
    assert not (Path(__file__).resolve().parent.parent / "templates/reports/_monthly.css").exists()
