"""Erasure on request and by the retention policy (152-ФЗ ст. 21): the person's data goes
everywhere it was copied, the facts and the reports stay, the history still verifies."""

from __future__ import annotations

import json
from datetime import date, datetime
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Q

from otklik.incidents import services as svc
from otklik.incidents.anchors import anchors_for, anchors_write
from otklik.incidents.history import history_verify
from otklik.incidents.models import Assignment, Attachment, Draft, Incident, IncidentEvent, Status
from otklik.incidents.tests.test_services import acc
from otklik.moderation.models import PageComment
from otklik.notifications.models import Notification, StoredMail
from otklik.org.models import Municipality
from otklik.privacy.erasure import ERASED_ACTION, ERASED_TEXT, author_erase, retention_sweep
from otklik.privacy.errors import PrivacyError
from otklik.privacy.models import AccessLog, Erasure
from otklik.privacy.notice import erasure_notice
from otklik.privacy.policy import policy_set
from otklik.privacy.tests.story import ANNA, ANNA_TEXT, Story, build, when
from otklik.reports.selectors import monthly_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dirs(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OTKLIK_HISTORY_ANCHORS = str(tmp_path / "anchors.jsonl")
    settings.OTKLIK_REQUIRE_2FA = False


@pytest.fixture
def story(demo: dict[str, Any]) -> Story:
    return build(demo)


def mun() -> Municipality:
    return Municipality.objects.get(slug="plastunovskoe")


def erase_anna(now: datetime | None = None) -> Erasure:
    return author_erase(municipality=mun(), author_url="https://VK.com/id1?from=search", reason="Заявление вх. № 15",
                        requested_on=date(2026, 12, 10), now=now or when(10))


def _dump(incident: Incident) -> str:
    """Everything stored about one message, as one string to search for the person's traces."""
    rows: list[Any] = [list(Incident.objects.filter(pk=incident.pk).values())]
    rows.append(list(Draft.objects.filter(incident=incident).values()))
    rows.append(list(Assignment.objects.filter(incident=incident).values()))
    rows.append(list(Attachment.objects.filter(incident=incident).values()))
    rows.append(list(IncidentEvent.objects.filter(incident=incident).values("payload")))
    rows.append(list(Notification.objects.filter(incident_id=incident.pk).values("subject", "body")))
    rows.append(list(PageComment.objects.filter(incident=incident).values()))
    return json.dumps(rows, ensure_ascii=False, default=str)


def test_request_erases_the_person_everywhere_and_keeps_others(story: Story, django_capture_on_commit_callbacks: Any
                                                                ) -> None:
    photo = Attachment.objects.get(incident=story.a)
    stored = Path(photo.file.path)
    assert stored.exists() and "Анн" in _dump(story.a) and "id1" in _dump(story.a)
    boris_before = _dump(story.d)
    with django_capture_on_commit_callbacks(execute=True):  # the files go after the commit
        erasure = erase_anna()
    for incident in (story.a, story.b):
        dump = _dump(incident)
        assert "Анн" not in dump and "vk.com/id1" not in dump and "Красн" not in dump, dump
        assert IncidentEvent.objects.filter(incident=incident, action=ERASED_ACTION).count() == 1
    a = Incident.objects.get(pk=story.a.pk)
    assert (a.text, a.author_name, a.author_url, a.url, a.attachments) == (ERASED_TEXT, "", "", "", [])
    # The facts stay: status, dates, the published answer's link, units, return reason codes.
    assert a.status == Status.PUBLISHED and a.published_url and a.detected_at == story.a.detected_at
    assert a.assignments.count() == 1 and a.drafts.count() == 2
    assert [r["code"] for d in a.drafts.all() for r in d.return_reasons] == ["greeting"]
    assert not stored.exists(), "the photo's file must leave the disk"
    assert Attachment.objects.filter(incident=story.a, kind="photo").count() == 1  # counted, not kept
    # The open message waits; the other author is untouched; the lone page comment is blanked.
    c = Incident.objects.get(pk=story.c.pk)
    assert c.text == story.c.text and erasure.pending == [story.c.pk]
    assert _dump(story.d) == boris_before
    lone = PageComment.objects.get(pk=story.lone_comment.pk)
    assert (lone.text, lone.author_name, lone.author_id, lone.findings) == ("", "", "", [])
    assert erasure.report["incidents"] == [story.a.pk, story.b.pk]
    assert erasure.report["counts"]["files"] == 1 and erasure.report["counts"]["history_entries"] >= 4


def test_request_erasure_keeps_every_history_verifying_with_its_anchors(story: Story) -> None:
    anchors_write(now=when(9, 18))
    erase_anna()
    checked, problems = history_verify(anchors=anchors_for())
    assert problems == [] and checked > 20
    out = StringIO()
    call_command("history", "verify", stdout=out)  # exits 1 on any problem
    assert f"проверено записей: {checked}, заверенных сообщений: 4, нарушений: 0" in out.getvalue()


def test_reports_give_the_same_numbers_after_erasure(story: Story) -> None:
    now = when(28)
    before = monthly_report(municipality=mun(), month=date(2026, 12, 1), now=now)
    erase_anna()
    after = monthly_report(municipality=mun(), month=date(2026, 12, 1), now=now)
    assert after == before
    figures = {f.key: f.value for f in before.headline}
    assert figures and min(figures.values()) >= 0 and sum(figures.values()) >= 4  # the story is in the report


def test_erasure_notice_for_the_person(story: Story) -> None:
    text = erasure_notice(erase_anna())
    assert "Заявление вх. № 15" in text and "10.12.2026" in text
    assert f"№ {story.a.pk}" in text and f"№ {story.c.pk}" in text and "после закрытия" in text
    assert "Анна" not in text and "id1" not in text


def test_open_message_is_erased_by_the_worker_when_it_closes(story: Story, demo: dict[str, Any]) -> None:
    erasure = erase_anna()
    retention_sweep(now=when(10, 13))
    assert Incident.objects.get(pk=story.c.pk).text != ERASED_TEXT  # still in work
    svc.incident_close_no_answer(access=acc(demo, "curator"), incident_id=story.c.pk, reason="insult",
                                 comment="закрыто")
    retention_sweep(now=when(11))
    erasure.refresh_from_db()
    c = Incident.objects.get(pk=story.c.pk)
    assert c.text == ERASED_TEXT and c.author_url == "" and erasure.pending == []
    assert story.c.pk in erasure.report["incidents"]
    assert PageComment.objects.get(pk=story.c_comment.pk).text == ""
    assert history_verify()[1] == []


def test_a_second_request_finds_nothing_more_and_says_so(story: Story) -> None:
    erase_anna()
    again = erase_anna(now=when(11))
    assert again.report["counts"] == {} and "не найдено" in erasure_notice(again)
    assert IncidentEvent.objects.filter(incident=story.a, action=ERASED_ACTION).count() == 1
    assert Erasure.objects.filter(author_digest=again.author_digest).count() == 2


@pytest.mark.parametrize(("url", "reason", "requested", "message"), [
    ("", "Заявление", None, "Укажите ссылку"),
    ("vk.com", "Заявление", None, "нет профиля"),
    ("ftp://vk.com/id1", "Заявление", None, "https://"),
    (ANNA, "   ", None, "Укажите основание"),
    (ANNA, "Заявление", date(2027, 1, 1), "позже сегодняшней"),
])
def test_bad_requests_are_refused_in_russian(story: Story, url: str, reason: str, requested: date | None,
                                             message: str) -> None:
    with pytest.raises(PrivacyError, match=message):
        author_erase(municipality=mun(), author_url=url, reason=reason, requested_on=requested, now=when(10))
    assert not Erasure.objects.exists() and Incident.objects.get(pk=story.a.pk).text == ANNA_TEXT


def test_retention_erases_only_what_expired_and_trims_the_access_log(story: Story, demo: dict[str, Any]) -> None:
    policy_set(municipality=mun(), keep_years=3, access_log_years=1)
    AccessLog.objects.create(municipality=mun(), incident=story.a, person=demo["curator"], person_label="К",
                             at=when(9))
    AccessLog.objects.create(municipality=mun(), incident=story.a, person=demo["curator"], person_label="К",
                             at=when(9).replace(year=2028, month=3))
    # Two years later nothing of the messages has expired; the first log row has.
    result = retention_sweep(now=when(9).replace(year=2028))
    assert result.erasures == [] and result.access_log_removed == 1
    assert Incident.objects.get(pk=story.a.pk).text == ANNA_TEXT
    # Three years and a day after the first closings: A, B, D (closed 7–9 Dec 2026) expire; C is open.
    result = retention_sweep(now=when(10).replace(year=2029))
    [erasure] = result.erasures
    assert erasure.basis == Erasure.Basis.RETENTION and "3 г." in erasure.reason
    assert sorted(erasure.report["incidents"]) == sorted([story.a.pk, story.b.pk, story.d.pk])
    assert Incident.objects.get(pk=story.c.pk).text == story.c.text
    assert PageComment.objects.get(pk=story.lone_comment.pk).text == ""  # a comment past the term
    assert history_verify()[1] == []
    # Run again: nothing new.
    assert retention_sweep(now=when(11).replace(year=2029)).erasures == []


def test_policy_refuses_a_term_shorter_than_the_reports_need(story: Story) -> None:
    with pytest.raises(PrivacyError, match="от 1 до 75 лет"):
        policy_set(municipality=mun(), keep_years=0, access_log_years=3)


def test_letters_quoting_the_message_are_blanked(story: Story) -> None:
    StoredMail.objects.create(municipality=mun(), from_email="otklik@example.org", to="c@example.org",
                              subject=f"Новое сообщение № {story.a.pk}", body=f"Текст: {ANNA_TEXT}")
    StoredMail.objects.create(municipality=mun(), from_email="otklik@example.org", to="c@example.org",
                              subject="Другое", body="Письмо о другом")
    assert Notification.objects.filter(incident_id=story.a.pk, body__contains="Анн").exists()
    erase_anna()
    assert not Notification.objects.filter(Q(incident_id=story.a.pk) | Q(incident_id=story.b.pk),
                                           body__contains="Анн").exists()
    assert list(StoredMail.objects.order_by("pk").values_list("body", flat=True)) == [ERASED_TEXT, "Письмо о другом"]
