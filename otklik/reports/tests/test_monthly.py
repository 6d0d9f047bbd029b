"""The monthly report of п. 23 over a month computed by hand.

November 2026 in «plastunovskoe» (Europe/Moscow, 09–13 and 14–18; Tue 3 Nov is shortened to
17:00, Wed 4 Nov is the Day of National Unity). Every message goes through the real services
with fixed moments. The standard «fast» path: detected 10:00, handed over 10:10, routed 10:20,
draft 11:00, forwarded 11:10, approved 11:20, published 11:30 — every step in time. The
messages (22 handed over in November):

  F1 Mon 02  fast (ЖКХ)                       vk        Дороги     ул. Красная
  H  Mon 02  intermediate 11:30, final Fri 13 10:30 — п. 18 due Thu 12 18:00: 90 min late
                                              vk        Дороги     ул. Красная
  I  Tue 03 15:00 answered Thu 05 11:30; the total runs over the holiday: due Thu 05 16:00
                                              ok        Освещение  ул. Ленина
  J  Tue 03 16:40, handed 16:50, routed Thu 05 09:50 — route due Thu 05 09:20: 30 min late
                                              vk        Освещение  ул. Ленина
  F2 Fri 06  fast                             telegram  Мусор      ул. Красная
  B  Mon 09  draft Tue 10 10:30, published 11:00 — total due Tue 10 10:00: 60 min late,
             the draft (within the total) 30 min late
                                              vk        Дороги     —
  R  Tue 10  «не наша» 10:40 (in time), re-routed 11:30 — re-route due 11:10: 20 min late
                                              ok        Земля      ул. Садовая
  F5 Wed 11  fast (КДЦ)                       telegram  Культура   ДК
  F6 Wed 11  fast (Финансовый отдел)          ok        Налоги     —
  C  Thu 12  high importance, halved steps, all in time
                                              vk        Дороги     ул. Красная
  A  Fri 13  published 12:30 — publication due 11:50: 40 min late
                                              vk        Мусор      ул. Садовая
  D  Mon 16  returned 11:20 (greeting, spelling), reworked 12:00, approved (Земельный отдел)
                                              ok        Земля      ул. Садовая
  E  Tue 17  returned 11:20 (substance), reworked 14:30 — due 12:20: 70 min late;
             returned 14:50 (substance, voice), reworked 15:30, approved 15:40
                                              vk        Дороги     ул. Ленина
  X  Wed 18  closed without answer 10:30 (insult, п. 21)
                                              vk        Дороги     —
  G  Thu 19  intermediate 11:30, final Tue 24 10:30 — due Mon 30 18:00: in time
                                              telegram  Освещение  ул. Ленина
  F3 Fri 20  fast                             vk        Мусор      ул. Красная
  O  Mon 23  two units (п. 19): ЖКХ's part 11:00, МБУ's 13:30 — due 12:20: 40 min late
             (13:00–13:30 is lunch); consolidated by ЖКХ, published 15:30
                                              vk        Дороги     ул. Красная
  K  Tue 24  a publication: approved by the general department's head
                                              vk        Культура   —
  M  Wed 25  handed over 11:00 — п. 9 due 10:30: 30 min late
                                              ok        Мусор      ул. Садовая
  N  Thu 26  approved 14:20 — due 11:40: 100 min late (80 before lunch, 20 after)
                                              vk        Дороги     ул. Красная
  L  Fri 27  routed, then nothing: the total and the draft due Mon 30 10:00, open at the
             month's end: 420 working minutes late (Mon 30 has 7 working hours)
                                              vk        Освещение  ул. Красная
  F4 Mon 30  fast                             telegram  Мусор      ул. Ленина

October 2026 (the previous month): two fast answers and a high-importance message closed
without answer. November 2025 (a year before): one fast answer and one late (like B). The
neighbour «novotitarovskoe» has one message in November 2026, never answered: it must not count.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from otklik.incidents import services as svc
from otklik.incidents.models import Draft, Incident
from otklik.moderation.models import ModerationAction
from otklik.org.models import Municipality, Unit
from otklik.org.selectors import access_for
from otklik.pages.models import OfficialPage
from otklik.posts.models import Post, PostTarget
from otklik.reports.monthly import MonthlyReport, Share
from otklik.reports.selectors import monthly_report

pytestmark = pytest.mark.django_db
MSK = ZoneInfo("Europe/Moscow")
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=MSK)  # the report is made on 2 December
NOV = date(2026, 11, 1)
ZHKH = "Отдел ЖКХ и благоустройства"
LAND = "Отдел земельных и имущественных отношений"
KDC = "МКУК «Культурно-досуговый центр»"
FIN = "Финансовый отдел"
MBU = "МБУ «Благоустройство»"
IVANOVA = "Иванова Наталья Алексеевна"


def at(day: int, hm: str, month: int = 11, year: int = 2026) -> datetime:
    hour, minute = (int(x) for x in hm.split(":"))
    return datetime(year, month, day, hour, minute, tzinfo=MSK)


class Flow:
    """The real services, driven with the moments the test names."""

    def __init__(self, demo: dict[str, Any]) -> None:
        self.demo = demo
        self.mun = Municipality.objects.get(slug="plastunovskoe")

    def acc(self, login: str) -> Any:
        return access_for(self.demo[login].user)

    def intake(self, detected: datetime, handed: datetime | None = None, *, network: str = "vk", topic: str = "",
               location: str = "", high: bool = False, kind: str = "incident",
               municipality: Municipality | None = None) -> Incident:
        incident, _ = svc.incident_intake(
            municipality=municipality or self.mun, kind=kind, importance="high" if high else "normal",
            network=network, url="https://vk.com/wall-1_2", author_name="Анна Петрова", author_url="https://vk.com/id1",
            text="Яма на ул. Красной, 15", detected_at=detected, handed_over_at=handed or detected,
            by=self.demo["region"], topic=topic, location=location, now=handed or detected)
        return incident

    def route(self, incident: Incident, when: datetime, *units: str) -> None:
        ids = [Unit.objects.get(name=u, municipality=self.mun).pk for u in units or (ZHKH,)]
        svc.incident_route(access=self.acc("curator"), incident_id=incident.pk, unit_ids=ids, at=when)

    def draft(self, incident: Incident, when: datetime, login: str = "executor", intermediate: bool = False) -> Draft:
        return svc.incident_submit_draft(access=self.acc(login), incident_id=incident.pk,
                                         text="Здравствуйте, Анна! Яму засыпем до 10 декабря.",
                                         confirmed_with_errors=True, intermediate=intermediate, at=when)

    def forward(self, incident: Incident, when: datetime) -> None:
        svc.incident_forward(access=self.acc("curator"), incident_id=incident.pk, at=when)

    def approve(self, incident: Incident, draft: Draft, when: datetime, login: str = "region") -> None:
        svc.incident_approve(access=self.acc(login), incident_id=incident.pk, text_hash_seen=draft.text_hash, at=when)

    def give_back(self, incident: Incident, when: datetime, *codes: str) -> None:
        svc.incident_return(access=self.acc("region"), incident_id=incident.pk,
                            reasons=[{"code": c, "comment": "исправьте"} for c in codes], at=when)

    def publish(self, incident: Incident, when: datetime) -> None:
        svc.incident_publish(access=self.acc("curator"), incident_id=incident.pk, at=when)

    def through(self, incident: Incident, day: int, times: tuple[str, str, str, str], *, month: int = 11,
                year: int = 2026, login: str = "executor", intermediate: bool = False) -> None:
        """Draft, forward, approve, publish at the four moments of that day."""
        d = self.draft(incident, at(day, times[0], month, year), login=login, intermediate=intermediate)
        self.forward(incident, at(day, times[1], month, year))
        self.approve(incident, d, at(day, times[2], month, year))
        self.publish(incident, at(day, times[3], month, year))

    def fast(self, day: int, *, month: int = 11, year: int = 2026, unit: str = ZHKH, login: str = "executor",
             **kw: Any) -> Incident:
        incident = self.intake(at(day, "10:00", month, year), at(day, "10:10", month, year), **kw)
        self.route(incident, at(day, "10:20", month, year), unit)
        self.through(incident, day, ("11:00", "11:10", "11:20", "11:30"), month=month, year=year, login=login)
        return incident


def build_november(f: Flow) -> dict[str, Incident]:
    m: dict[str, Incident] = {}
    m["F1"] = f.fast(2, topic="Дороги", location="ул. Красная")

    m["H"] = h = f.intake(at(2, "10:00"), at(2, "10:10"), topic="Дороги", location="ул. Красная")
    f.route(h, at(2, "10:20"))
    f.through(h, 2, ("11:00", "11:10", "11:20", "11:30"), intermediate=True)
    f.through(h, 13, ("10:00", "10:10", "10:20", "10:30"))

    m["I"] = i = f.intake(at(3, "15:00"), at(3, "15:10"), network="ok", topic="Освещение", location="ул. Ленина")
    f.route(i, at(3, "15:20"))
    f.through(i, 5, ("11:00", "11:10", "11:20", "11:30"))

    m["J"] = j = f.intake(at(3, "16:40"), at(3, "16:50"), topic="Освещение", location="ул. Ленина")
    f.route(j, at(5, "09:50"))
    f.through(j, 5, ("10:30", "10:40", "10:50", "11:00"))

    m["F2"] = f.fast(6, network="telegram", topic="Мусор", location="ул. Красная")

    m["B"] = b = f.intake(at(9, "10:00"), at(9, "10:10"), topic="Дороги")
    f.route(b, at(9, "10:20"))
    f.through(b, 10, ("10:30", "10:40", "10:50", "11:00"))

    m["R"] = r = f.intake(at(10, "10:00"), at(10, "10:10"), network="ok", topic="Земля", location="ул. Садовая")
    f.route(r, at(10, "10:20"))
    svc.incident_not_ours(access=f.acc("executor"), incident_id=r.pk, comment="Это вопрос земельного отдела",
                          at=at(10, "10:40"))
    f.route(r, at(10, "11:30"), LAND)
    f.through(r, 10, ("12:00", "12:10", "12:20", "12:30"), login="land")

    m["F5"] = f.fast(11, unit=KDC, login="kdc", network="telegram", topic="Культура", location="ДК")
    m["F6"] = f.fast(11, unit=FIN, login="finance", network="ok", topic="Налоги")

    m["C"] = c = f.intake(at(12, "10:00"), at(12, "10:05"), high=True, topic="Дороги", location="ул. Красная")
    f.route(c, at(12, "10:10"))
    f.through(c, 12, ("10:40", "10:45", "10:50", "11:00"))

    m["A"] = a = f.intake(at(13, "10:00"), at(13, "10:10"), topic="Мусор", location="ул. Садовая")
    f.route(a, at(13, "10:20"))
    f.through(a, 13, ("11:00", "11:10", "11:20", "12:30"))

    m["D"] = d = f.intake(at(16, "10:00"), at(16, "10:10"), network="ok", topic="Земля", location="ул. Садовая")
    f.route(d, at(16, "10:20"), LAND)
    f.draft(d, at(16, "11:00"), login="land")
    f.forward(d, at(16, "11:10"))
    f.give_back(d, at(16, "11:20"), "greeting", "spelling")
    f.through(d, 16, ("12:00", "12:10", "12:20", "12:30"), login="land")

    m["E"] = e = f.intake(at(17, "10:00"), at(17, "10:10"), topic="Дороги", location="ул. Ленина")
    f.route(e, at(17, "10:20"))
    f.draft(e, at(17, "11:00"))
    f.forward(e, at(17, "11:10"))
    f.give_back(e, at(17, "11:20"), "substance")
    f.draft(e, at(17, "14:30"))
    f.forward(e, at(17, "14:40"))
    f.give_back(e, at(17, "14:50"), "substance", "voice")
    f.through(e, 17, ("15:30", "15:35", "15:40", "15:50"))

    m["X"] = x = f.intake(at(18, "10:00"), at(18, "10:10"), topic="Дороги")
    svc.incident_close_no_answer(access=f.acc("curator"), incident_id=x.pk, reason="insult", at=at(18, "10:30"))

    m["G"] = g = f.intake(at(19, "10:00"), at(19, "10:10"), network="telegram", topic="Освещение",
                          location="ул. Ленина")
    f.route(g, at(19, "10:20"))
    f.through(g, 19, ("11:00", "11:10", "11:20", "11:30"), intermediate=True)
    f.through(g, 24, ("10:00", "10:10", "10:20", "10:30"))

    m["F3"] = f.fast(20, topic="Мусор", location="ул. Красная")

    m["O"] = o = f.intake(at(23, "10:00"), at(23, "10:10"), topic="Дороги", location="ул. Красная")
    f.route(o, at(23, "10:20"), ZHKH, MBU)
    svc.incident_submit_part(access=f.acc("executor"), incident_id=o.pk, text="Засыплем 24-го", at=at(23, "11:00"))
    svc.incident_submit_part(access=f.acc("mbu"), incident_id=o.pk, text="Щебень завезём", at=at(23, "13:30"))
    svc.incident_name_consolidator(access=f.acc("curator"), incident_id=o.pk, person_id=f.demo["executor"].pk,
                                   at=at(23, "14:00"))
    f.through(o, 23, ("15:00", "15:10", "15:20", "15:30"))

    m["K"] = k = f.intake(at(24, "10:00"), kind="publication", topic="Культура")
    f.route(k, at(24, "10:10"))
    kd = f.draft(k, at(24, "10:30"))
    f.approve(k, kd, at(24, "10:40"), login="general")
    f.publish(k, at(24, "10:50"))

    m["M"] = mm = f.intake(at(25, "10:00"), at(25, "11:00"), network="ok", topic="Мусор", location="ул. Садовая")
    f.route(mm, at(25, "11:10"))
    f.through(mm, 25, ("12:00", "12:10", "12:20", "12:30"))

    m["N"] = n = f.intake(at(26, "10:00"), at(26, "10:10"), topic="Дороги", location="ул. Красная")
    f.route(n, at(26, "10:20"))
    f.through(n, 26, ("11:00", "11:10", "14:20", "14:30"))

    m["L"] = lo = f.intake(at(27, "10:00"), at(27, "10:10"), topic="Освещение", location="ул. Красная")
    f.route(lo, at(27, "10:20"))

    m["F4"] = f.fast(30, network="telegram", topic="Мусор", location="ул. Ленина")
    return m


def build_other_months(f: Flow) -> None:
    # October 2026: two answers in time, one high-importance message closed without answer (п. 21).
    f.fast(14, month=10, topic="Дороги")
    f.fast(15, month=10, topic="Дороги")
    o3 = f.intake(at(16, "10:00", 10), at(16, "10:05", 10), high=True)
    svc.incident_close_no_answer(access=f.acc("curator"), incident_id=o3.pk, reason="obscenity",
                                 at=at(16, "10:10", 10))
    # November 2025: one answer in time, one late (total due Tue 11.11.2025 10:00, published 11:00).
    f.fast(12, month=11, year=2025)
    y2 = f.intake(at(10, "10:00", 11, 2025), at(10, "10:10", 11, 2025))
    f.route(y2, at(10, "10:20", 11, 2025))
    f.through(y2, 11, ("10:30", "10:40", "10:50", "11:00"), month=11, year=2025)
    # The neighbour: handed over in November 2026, never routed — late steps that must not count here.
    f.intake(at(20, "10:00"), at(20, "10:10"), municipality=Municipality.objects.get(slug="novotitarovskoe"))


def add_posts_and_moderation(f: Flow) -> None:
    vk = OfficialPage.objects.get(municipality=f.mun, network="vk", unit__isnull=True)
    # Weeks of November 2026: 02–08, 09–15, 16–22, 23–29 (30.11 is in December's week, 31.10 in October's).
    for moment in (at(31, "12:00", 10), at(2, "12:00"), at(4, "12:00"), at(10, "12:00"), at(16, "12:00"),
                   at(17, "12:00"), at(18, "12:00"), at(30, "12:00")):
        post = Post.objects.create(municipality=f.mun, author=f.demo["editor"], text="Новости", text_hash="h",
                                   state="published")
        PostTarget.objects.create(post=post, page=vk, state=PostTarget.State.DONE, published_at=moment)
    for kind, reason, moment in (("delete", "спам", at(10, "12:00")),
                                 ("delete", "нецензурная брань, оскорбление", at(12, "12:00")),
                                 ("ban", "нецензурная брань (7 дн.)", at(12, "12:00")),
                                 ("delete", "спам", at(20, "12:00", 10))):  # October: not counted
        ModerationAction.objects.create(page=vk, kind=kind, reason=reason, at=moment)


def figures(report: MonthlyReport) -> dict[str, tuple[int, int | None, int | None]]:
    return {f.key: (f.value, f.previous, f.year_ago) for f in report.headline}


def steps(report: MonthlyReport) -> dict[str, tuple[int, int, int, int]]:
    return {s.kind: (s.total, s.on_time, s.late, s.worst_late_minutes) for s in report.steps}


def shares(items: tuple[Share, ...]) -> list[tuple[str, int]]:
    return [(s.label, s.count) for s in items]


def test_a_hand_computed_month(demo: dict[str, Any], settings: Any) -> None:
    settings.OTKLIK_BASE_URL = "https://otklik.example"
    f = Flow(demo)
    m = build_november(f)
    build_other_months(f)
    add_posts_and_moderation(f)

    report = monthly_report(municipality=f.mun, month=date(2026, 11, 17), now=NOW)

    assert report.month == NOV and report.slug == "plastunovskoe" and report.time_zone == "Europe/Moscow"
    assert report.generated_at == NOW and report.notes == ()
    assert figures(report) == {
        # 22 handed over in November | October: O1, O2, O3 | November 2025: Y1, Y2
        "received": (22, 3, 2),
        "high": (1, 1, 0),  # C | O3
        "publications": (1, 0, 0),  # K
        # all but X (closed) and L (open) | O1, O2 | Y1, Y2
        "answered": (20, 2, 2),
        # minus B (total late) and H (final late) | both | Y2 late
        "answered_on_time": (18, 2, 1),
        # B, H (final), L (open at the end) | none | Y2
        "overdue": (3, 0, 1),
        "closed_no_answer": (1, 1, 0),  # X | O3
        "intermediate": (2, 0, 0),  # G, H
        "final_on_time": (1, 0, 0),  # G
    }
    assert report.intermediate == 2 and report.final_on_time == 1

    assert steps(report) == {
        # 22 totals: L open at the end (420 min: Mon 30 10:00 → 18:00 less lunch), B 60 min late
        "answer": (22, 20, 2, 420),
        # every incident but the publication K; M handed over 30 min late
        "handover": (21, 20, 1, 30),
        # every message; J routed 30 working minutes late (over the 4 November holiday, not two days)
        "route": (22, 21, 1, 30),
        # R's «не наша» 10:40, 20 min after the dispatch: in the 30-min window (history flag)
        "not_ours": (1, 1, 0, 0),
        "reroute": (1, 0, 1, 20),  # R re-routed 11:30, due 11:10
        "clarify": (0, 0, 0, 0),
        "clarify_post": (0, 0, 0, 0),
        # one per message routed to one unit (R has two: ЖКХ's closed by «не наша», the land's);
        # none for X (never routed); O's consolidated one; B 30 min late, L open (420)
        "draft": (22, 20, 2, 420),
        # one per draft of an incident: fast 6, H 2, G 2, I, J, B, R, C, A, D 2, E 3, O, M, N
        "forward": (24, 24, 0, 0),
        # the same plus K's (general department); N approved 100 min late
        "approve": (25, 24, 1, 100),
        "rework": (3, 2, 1, 70),  # D's, E's first (70 min late), E's second
        # fast 6, H 2, G 2, I, J, B, R, C, A, D, E, O, K, M, N; A published 40 min late
        "publish": (22, 21, 1, 40),
        "final_answer": (2, 1, 1, 90),  # G in time; H due Thu 12 18:00, published Fri 13 10:30
        "part": (2, 1, 1, 40),  # O: ЖКХ 11:00 in time; МБУ 13:30, due 12:20 (13:00–13:30 is lunch)
    }

    # п. 21: X only.
    assert shares(report.no_answer_by_reason) == [
        ("Намерение причинить вред", 0), ("Нецензурные выражения", 0), ("Оскорбления", 1),
        ("Угрозы жизни, здоровью, имуществу должностного лица или его семьи", 0)]
    # п. 14: D (greeting, spelling), E (substance), E again (substance, voice).
    assert [s.count for s in report.returns_by_reason] == [2, 1, 0, 1, 1]  # substance, voice, redirect, greeting, spelling

    # Answers decided first in November: 22 (fast 6, H and G two each — intermediate and final —,
    # I, J, B, C, A, M, N, R, D, E, O, K); all but D and E passed the first time.
    assert report.first_pass_rate == pytest.approx(20 / 22)
    units = {u.unit: (u.drafts, u.first_pass, shares(u.returns)) for u in report.units}
    assert units == {
        # F1–F4, H 2, G 2, I, J, B, C, A, M, N, E, O, K = 18; E returned twice
        ZHKH: (18, 17, [("Не отвечает на суть вопроса", 2),
                        ("Не в стиле соцсетей: канцелярит, больше двух ссылок на законы, нет фактов", 1)]),
        LAND: (2, 1, [("Нет приветствия автора", 1), ("Орфографические или пунктуационные ошибки", 1)]),  # R, D
        KDC: (1, 1, []),  # F5
        FIN: (1, 1, []),  # F6
    }
    assert [u.unit for u in report.units] == [KDC, ZHKH, LAND, FIN]

    assert shares(report.by_topic) == [("Дороги", 8), ("Мусор", 5), ("Освещение", 4), ("Земля", 2),
                                       ("Культура", 2), ("Налоги", 1)]
    assert shares(report.by_location) == [("ул. Красная", 8), ("ул. Ленина", 5), ("Место не указано", 4),
                                          ("ул. Садовая", 4), ("ДК", 1)]
    assert shares(report.by_network) == [("ВКонтакте", 13), ("Одноклассники", 5), ("Telegram", 4)]

    late = [(i.incident_id, i.step, i.who, i.late_minutes, i.done) for i in report.overdue]
    curator = "Муниципальный куратор"
    assert late == [
        (m["J"].pk, "Направление в подразделение (п. 10)", curator, 30, True),
        (m["B"].pk, "Ответ опубликован (общий срок, п. 8)", curator, 60, True),
        (m["B"].pk, "Проект ответа исполнителя (в пределах общего срока, п. 12)", f"{IVANOVA} («{ZHKH}»)", 30, True),
        (m["R"].pk, "Перенаправление (п. 11)", curator, 20, True),
        (m["H"].pk, "Итоговый ответ после промежуточного (п. 18)", IVANOVA, 90, True),
        (m["A"].pk, "Публикация ответа (п. 16)", curator, 40, True),
        (m["E"].pk, "Доработка проекта (п. 15)", IVANOVA, 70, True),
        (m["O"].pk, f"Часть ответа от «{MBU}» (п. 19)", f"Коваленко Виктор Николаевич («{MBU}»)", 40, True),
        (m["M"].pk, "Передача региональным куратором (п. 9)", "Соколова Марина Викторовна", 30, True),
        (m["N"].pk, "Согласование региональным куратором (п. 14)", "Региональный куратор", 100, True),
        (m["L"].pk, "Ответ опубликован (общий срок, п. 8)", curator, 420, False),
        (m["L"].pk, "Проект ответа исполнителя (в пределах общего срока, п. 12)", f"{IVANOVA} («{ZHKH}»)", 420, False),
    ]
    assert report.overdue[0].link == f"https://otklik.example/incidents/{m['J'].pk}/"
    assert report.overdue[0].due_at == at(5, "09:20")

    # Cadence: 4 weeks; the VK page had 2, 1, 3, 0 posts (31.10 and 30.11 are other months' weeks).
    cadence = {(c.page, c.network): (c.weeks, c.weeks_below, c.posts) for c in report.cadence}
    assert cadence == {
        ("Администрация Пластуновского сельского поселения", "ВКонтакте"): (4, 2, 6),
        ("Администрация Пластуновского СП", "Одноклассники"): (4, 4, 0),
        ("Пластуновское СП — официально", "Telegram"): (4, 4, 0),
        ("Пластуновское СП в MAX", "MAX"): (4, 4, 0),
        ("КДЦ станицы Пластуновской", "ВКонтакте"): (4, 4, 0),
    }
    assert shares(report.moderation) == [("Удалено: нецензурная брань", 1), ("Удалено: оскорбление", 1),
                                         ("Удалено: спам", 1), ("В чёрный список", 1)]

    # The neighbour counts only its own message.
    neighbour = monthly_report(municipality=Municipality.objects.get(slug="novotitarovskoe"), month=NOV, now=NOW)
    assert figures(neighbour)["received"] == (1, None, None)
    assert steps(neighbour)["answer"] == (1, 0, 1, steps(neighbour)["answer"][3])
    assert {i.incident_id for i in neighbour.overdue}.isdisjoint({i.pk for i in m.values()})

    # October: the month before (September 2026) had data (from November 2025) — zeros;
    # October 2025 was before the first message — None.
    october = monthly_report(municipality=f.mun, month=date(2026, 10, 1), now=NOW)
    assert figures(october)["received"] == (3, 0, None)
    assert figures(october)["closed_no_answer"] == (1, 0, None)


def test_the_number_of_queries_does_not_grow_with_the_messages(demo: dict[str, Any]) -> None:
    f = Flow(demo)
    f.fast(2, topic="Дороги")
    monthly_report(municipality=f.mun, month=NOV, now=NOW)  # warms the calendar cache
    with CaptureQueriesContext(connection) as few:
        monthly_report(municipality=f.mun, month=NOV, now=NOW)
    for day, topic in ((3, "Мусор"), (5, "Освещение"), (6, "Дороги"), (9, "Земля")):
        f.fast(day, topic=topic, location=topic)
    b = f.intake(at(10, "10:00"), at(10, "10:10"))  # late, to have overdue rows
    f.route(b, at(10, "10:20"))
    with CaptureQueriesContext(connection) as many:
        report = monthly_report(municipality=f.mun, month=NOV, now=NOW)
    assert figures(report)["received"][0] == 6
    assert len(many.captured_queries) == len(few.captured_queries) <= 40


def test_an_empty_month_gives_zeros(demo: dict[str, Any]) -> None:
    mun = Municipality.objects.get(slug="plastunovskoe")
    report = monthly_report(municipality=mun, month=date(2026, 11, 1), now=NOW)
    assert all(f.value == 0 and f.previous is None and f.year_ago is None for f in report.headline)
    assert all((s.total, s.on_time, s.late, s.worst_late_minutes) == (0, 0, 0, 0) for s in report.steps)
    assert len(report.steps) == 14
    assert [s.count for s in report.no_answer_by_reason] == [0, 0, 0, 0]
    assert [s.count for s in report.returns_by_reason] == [0, 0, 0, 0, 0]
    assert report.first_pass_rate == 0.0
    assert report.by_topic == report.by_location == report.by_network == report.moderation == ()
    assert report.units == ()
    assert report.overdue == ()
    assert (report.intermediate, report.final_on_time) == (0, 0)
    assert {(c.weeks, c.weeks_below, c.posts) for c in report.cadence} == {(4, 4, 0)}


def test_the_month_still_running_counts_to_now(demo: dict[str, Any]) -> None:
    f = Flow(demo)
    late = f.intake(at(1, "10:00", 12), at(1, "10:10", 12))  # the total due Wed 02.12 10:00
    report = monthly_report(municipality=f.mun, month=date(2026, 12, 1), now=at(2, "11:00", 12))
    assert figures(report)["received"] == (1, None, None)  # nothing before December: no comparison
    assert steps(report)["answer"] == (1, 0, 1, 60)  # open, 60 working minutes late at 11:00
    assert report.overdue[0].incident_id == late.pk and report.overdue[0].done is False
    assert report.notes == ("Месяц не закончился: данные на 02.12.2026 11:00.",)
    assert all(c.weeks == 0 for c in report.cadence)  # the first week of December has not ended
