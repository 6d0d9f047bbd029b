"""How fast the monthly report of a whole region builds on PostgreSQL (issue 13's goal: < 5 s).

Run: ``.venv/bin/python bench/report_region.py`` — generates once, into its own database
(``OTKLIK_BENCH_DATABASE_URL``, default ``postgres://postgres@127.0.0.1:5432/otklik_bench``), a
region of 40 municipalities with 125 000 incidents in November 2026 (steps, drafts, returns,
late answers, п. 21 closures, topics, places, networks), then times the region's roll-up and
one municipality's report in every format. Prints seconds per step.
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DATABASE_URL"] = os.environ.get("OTKLIK_BENCH_DATABASE_URL",
                                            "postgres://postgres@127.0.0.1:5432/otklik_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

MSK = ZoneInfo("Europe/Moscow")
MONTH = date(2026, 11, 1)
MUNICIPALITIES, INCIDENTS = 40, 125_000
TOPICS = ["Дороги", "Освещение", "Мусор", "ЖКХ", "Транспорт", "Благоустройство", "Социальная защита"]
STREETS = ["ул. Красная", "ул. Мира", "ул. Ленина", "пер. Школьный", "ул. Садовая", "ул. Советская"]


def ensure_database() -> None:
    import psycopg

    name = connection.settings_dict["NAME"]
    admin = psycopg.connect(host=connection.settings_dict["HOST"] or "127.0.0.1",
                            port=connection.settings_dict["PORT"] or 5432,
                            user=connection.settings_dict["USER"] or "postgres", dbname="postgres", autocommit=True)
    with admin.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def generate() -> None:
    from otklik.incidents.models import Draft, Incident, IncidentStep
    from otklik.org.models import Municipality, Person, Region, Unit

    if Region.objects.filter(slug="bench").exists():
        return
    rng = random.Random(20261101)
    region = Region.objects.create(name="Бенчмарк-край", slug="bench")
    user_model = get_user_model()
    start = datetime(2026, 11, 2, 9, tzinfo=MSK)
    per = INCIDENTS // MUNICIPALITIES
    for m in range(MUNICIPALITIES):
        mun = Municipality.objects.create(region=region, name=f"Поселение № {m + 1:02d}", slug=f"bench-{m:02d}")
        units = [Unit.objects.create(municipality=mun, name=f"Отдел {k}") for k in range(4)]
        user = user_model.objects.create(username=f"bench-exec-{m}")
        author = Person.objects.create(user=user, full_name=f"Исполнитель {m}", region=region, municipality=mun,
                                       unit=units[0])
        incidents, steps, drafts = [], [], []
        for i in range(per):
            handed = start + timedelta(minutes=rng.randrange(0, 27 * 24 * 60))
            late = rng.random() < 0.12
            answered = handed + timedelta(hours=rng.uniform(1, 7.5) if not late else rng.uniform(9, 40))
            closed_no = rng.random() < 0.04
            incidents.append(Incident(
                municipality=mun, kind="publication" if rng.random() < 0.1 else "incident",
                importance="high" if rng.random() < 0.05 else "normal",
                status="closed_no_answer" if closed_no else "published",
                network=rng.choice(["vk", "ok", "telegram", "max"]), url=f"https://vk.com/wall-1_{m}{i}",
                author_name="Житель", text="Сообщение для отчёта", topic=rng.choice(TOPICS),
                location=rng.choice(STREETS), detected_at=handed - timedelta(minutes=10), handed_over_at=handed,
                published_at=None if closed_no else answered, closed_at=answered,
                no_answer_reason="insult" if closed_no else ""))
        Incident.objects.bulk_create(incidents, batch_size=2000)
        for inc in Incident.objects.filter(municipality=mun).only("pk", "handed_over_at", "published_at",
                                                                  "closed_at"):
            h, done = inc.handed_over_at, inc.closed_at
            steps.append(IncidentStep(incident=inc, kind="answer", actor_role="municipal_curator", started_at=h,
                                      seconds=8 * 3600, due_at=h + timedelta(hours=8), done_at=done))
            steps.append(IncidentStep(incident=inc, kind="route", actor_role="municipal_curator", started_at=h,
                                      seconds=1800, due_at=h + timedelta(minutes=30),
                                      done_at=h + timedelta(minutes=rng.choice([10, 20, 45]))))
            if inc.published_at:
                returned = rng.random() < 0.15
                drafts.append(Draft(incident=inc, round=1, text="Ответ", text_hash="x", author=author,
                                    submitted_at=h + timedelta(hours=1), decided_at=h + timedelta(hours=2),
                                    decision="returned" if returned else "approved",
                                    return_reasons=[{"code": "voice", "comment": ""}] if returned else []))
                if returned:
                    drafts.append(Draft(incident=inc, round=2, text="Ответ 2", text_hash="y", author=author,
                                        submitted_at=h + timedelta(hours=3), decided_at=h + timedelta(hours=4),
                                        decision="approved"))
                steps.append(IncidentStep(incident=inc, kind="approve", actor_role="regional_curator",
                                          started_at=h + timedelta(hours=1), seconds=3600,
                                          due_at=h + timedelta(hours=2), done_at=h + timedelta(hours=2)))
        IncidentStep.objects.bulk_create(steps, batch_size=5000)
        Draft.objects.bulk_create(drafts, batch_size=5000)
        print(f"  generated {m + 1}/{MUNICIPALITIES}", end="\r", flush=True)
    print()


def timed(label: str, fn: object) -> object:
    """Wall time, and this process's CPU time (the database's work is in the wall time only): on a
    machine shared with other jobs the CPU figure shows what the code costs."""
    began, cpu = time.perf_counter(), time.process_time()
    result = fn()  # type: ignore[operator]
    print(f"{label:<44} {time.perf_counter() - began:6.2f} s wall  {time.process_time() - cpu:6.2f} s cpu")
    return result


def main() -> None:
    ensure_database()
    call_command("migrate", verbosity=0)
    from otklik.incidents.models import Incident
    from otklik.org.models import Municipality, Region

    began = time.perf_counter()
    generate()
    print(f"data: {Incident.objects.filter(municipality__region__slug='bench').count()} incidents in "
          f"{Municipality.objects.filter(region__slug='bench').count()} municipalities "
          f"(ready in {time.perf_counter() - began:.0f} s)")
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    from otklik.reports.region import region_report
    from otklik.reports.render import region_docx, region_html, region_pdf, region_xlsx
    from otklik.reports.render.docx import render_docx
    from otklik.reports.render.html import render_html
    from otklik.reports.render.pdf import render_pdf
    from otklik.reports.render.xlsx import render_xlsx
    from otklik.reports.selectors import monthly_report

    timed("import WeasyPrint (once per process)", lambda: __import__("weasyprint"))
    region = Region.objects.get(slug="bench")
    now = datetime(2026, 12, 1, 9, tzinfo=MSK)
    report = timed("region roll-up (40 municipalities), data", lambda: region_report(region=region, month=MONTH,
                                                                                      now=now))
    for name, fn in (("html", region_html.render_region_html), ("xlsx", region_xlsx.render_region_xlsx),
                     ("docx", region_docx.render_region_docx), ("pdf", region_pdf.render_region_pdf)):
        timed(f"region roll-up, data + {name}", lambda fn=fn: fn(region_report(region=region, month=MONTH, now=now)))
    one = Municipality.objects.get(slug="bench-00")
    timed("one municipality (3 125 incidents), data", lambda: monthly_report(municipality=one, month=MONTH, now=now))
    for name, fn2 in (("html", render_html), ("xlsx", render_xlsx), ("docx", render_docx), ("pdf", render_pdf)):
        timed(f"one municipality, data + {name}",
              lambda fn2=fn2: fn2(monthly_report(municipality=one, month=MONTH, now=now)))
    assert report is not None


if __name__ == "__main__":
    main()
