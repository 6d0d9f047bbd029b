"""Benchmark and cross-check of otklik.worktime against businesstimedelta and pandas.

Run: .venv/bin/python bench/worktime_bench.py [--n 100000] [--pandas-n 5000] [--seed 2024]

The same seeded random starts (2024-01-01..2026-12-01, Moscow, whole seconds) get
``add(start, 8 h)`` from:

* otklik.worktime — the real production calendar (shortened days, working Saturdays,
  automatic ст. 112 moves), schedule Mon–Fri 09–13, 14–18;
* businesstimedelta — WorkDayRule 09–18 + LunchTimeRule 13–14 + HolidayRule with the
  days off of the ``holidays`` package (it knows holidays and decreed transfers only);
* pandas CustomBusinessHour 09–18 with the same holidays: it cannot model a lunch break,
  so it is compared with otklik.worktime on a 09–18 schedule without lunch, on a
  subsample (it is slow).

Each third-party model is also rebuilt in otklik.worktime (same days off, no working
Saturdays, no shortened days) to show that the engines agree where the models agree;
the disagreements with the real calendar are classified by the rule that explains them.
"""

from __future__ import annotations

import argparse
import random
import time
import warnings
from collections import Counter
from datetime import datetime, timedelta
from datetime import time as clock

import businesstimedelta as btd
import holidays
import pandas as pd

from otklik.worktime import (
    DayKind,
    ProductionCalendar,
    WeeklySchedule,
    WorkCalendar,
    YearCalendar,
    federal_calendar,
)

YEARS = range(2023, 2028)
EIGHT_HOURS = timedelta(hours=8)


def their_calendar() -> ProductionCalendar:
    """The `holidays` package's model in our format: its days off, nothing else."""
    days_off = holidays.country_holidays("RU", years=YEARS)
    return ProductionCalendar(
        YearCalendar(
            y, "holidays package", False, {d: DayKind.NON_WORKING for d in days_off if d.year == y}
        )
        for y in YEARS
    )


def classify(real: WorkCalendar, start: datetime, a: datetime, b: datetime) -> str:
    """Name the calendar rule that explains why two deadlines differ."""
    lo, hi = start.date(), max(a, b).date()
    cal = real.calendar
    reasons = []
    d = lo
    while d <= hi:
        kind = cal.kind_of(d)
        if kind.is_working and d.weekday() >= 5:
            reasons.append("working Saturday unknown to them")
        elif kind is DayKind.SHORTENED:
            reasons.append("shortened pre-holiday day")
        elif kind is DayKind.NON_WORKING and d.weekday() < 5 and d in cal.year(d.year).transfers:
            frm = cal.year(d.year).transfers[d]
            if (
                frm.month != 1
                and frm.weekday() >= 5
                and d not in holidays.country_holidays("RU", years=d.year)
            ):
                reasons.append("automatic ст. 112 move unknown to them")
        d += timedelta(days=1)
    return reasons[0] if reasons else "unexplained"


def per_call(seconds: float, n: int) -> str:
    return f"{seconds / n * 1e6:9.2f} µs"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--pandas-n", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()

    real = WorkCalendar(federal_calendar())
    tz = real.tz
    rng = random.Random(args.seed)
    lo = int(datetime(2024, 1, 1, tzinfo=tz).timestamp())
    hi = int(datetime(2026, 12, 1, tzinfo=tz).timestamp())
    starts = [datetime.fromtimestamp(rng.randrange(lo, hi), tz) for _ in range(args.n)]
    print(f"{args.n} random starts 2024-01-01..2026-12-01 (seed {args.seed}), add(start, 8 h)\n")

    # -- otklik.worktime ----------------------------------------------------------------
    t0 = time.perf_counter()
    WorkCalendar(federal_calendar())
    build = time.perf_counter() - t0
    best_batch = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        ours = real.add_many(starts, EIGHT_HOURS)
        best_batch = min(best_batch, time.perf_counter() - t0)
    t0 = time.perf_counter()
    ours_single = [real.add(s, EIGHT_HOURS) for s in starts]
    single = time.perf_counter() - t0
    assert ours_single == ours
    print("otklik.worktime (real calendar, lunch 13–14)")
    print(f"  build WorkCalendar 2023–2027     {build * 1e3:9.2f} ms")
    print(f"  add_many (best of 5)             {per_call(best_batch, args.n)} per add")
    print(f"  add() in a loop                  {per_call(single, args.n)} per add")

    # -- businesstimedelta --------------------------------------------------------------
    days_off = holidays.country_holidays("RU", years=YEARS)
    workdays = [0, 1, 2, 3, 4]
    rules = btd.Rules(
        [
            btd.WorkDayRule(start_time=clock(9), end_time=clock(18), working_days=workdays),
            btd.LunchTimeRule(start_time=clock(13), end_time=clock(14), working_days=workdays),
            btd.HolidayRule(days_off),
        ]
    )
    delta = btd.BusinessTimeDelta(rules, hours=8)
    naive = [s.replace(tzinfo=None) for s in starts]  # it works in naive wall-clock time
    t0 = time.perf_counter()
    theirs = [(s + delta).replace(tzinfo=None) for s in naive]
    btd_time = time.perf_counter() - t0
    print("\nbusinesstimedelta (09–18, lunch 13–14, `holidays` days off)")
    print(f"  per add                          {per_call(btd_time, args.n)}")
    print(f"  ratio vs add_many                {btd_time / best_batch:9.0f}×")
    print(f"  ratio vs add() loop              {btd_time / single:9.0f}×")

    same_model = WorkCalendar(their_calendar())
    modelled = [d.replace(tzinfo=None) for d in same_model.add_many(starts, EIGHT_HOURS)]
    agree_model = sum(a == b for a, b in zip(modelled, theirs, strict=True))
    print(f"  agreement, same model in ours    {agree_model}/{args.n}")
    reasons: Counter[str] = Counter()
    for s, a, b in zip(starts, ours, theirs, strict=True):
        if a.replace(tzinfo=None) != b:
            reasons[classify(real, s, a, b.replace(tzinfo=tz))] += 1
    print(
        f"  agreement with the real calendar {args.n - sum(reasons.values())}/{args.n}; differences:"
    )
    for reason, count in reasons.most_common():
        print(f"    {count:7d}  {reason}")

    # -- pandas -------------------------------------------------------------------------
    sample = starts[: args.pandas_n]
    offset = pd.offsets.CustomBusinessHour(
        n=8, start="09:00", end="18:00", holidays=sorted(days_off), weekmask="Mon Tue Wed Thu Fri"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        pd_results = [
            (pd.Timestamp(s.replace(tzinfo=None)) + offset).to_pydatetime() for s in sample
        ]
        pd_time = time.perf_counter() - t0
    no_lunch = WeeklySchedule(days=dict.fromkeys(range(5), ((clock(9), clock(18)),)))
    ours_nl = WorkCalendar(federal_calendar(), no_lunch)
    ours_nl_model = WorkCalendar(their_calendar(), no_lunch)
    t0 = time.perf_counter()
    ours_nl_results = ours_nl.add_many(sample, EIGHT_HOURS)
    nl_time = time.perf_counter() - t0
    model_nl = ours_nl_model.add_many(sample, EIGHT_HOURS)
    print(
        f"\npandas CustomBusinessHour (09–18 WITHOUT lunch: it cannot model one), subsample {len(sample)}"
    )
    print(f"  per add                          {per_call(pd_time, len(sample))}")
    print(f"  ours on the same 09–18 schedule  {per_call(nl_time, len(sample))}")
    print(f"  ratio                            {pd_time / nl_time:9.0f}×")
    agree = sum(a.replace(tzinfo=None) == b for a, b in zip(model_nl, pd_results, strict=True))
    print(f"  agreement, same model in ours    {agree}/{len(sample)}")
    mismatch: Counter[str] = Counter()
    for _s, a, b in zip(sample, model_nl, pd_results, strict=True):
        if a.replace(tzinfo=None) != b:
            # pandas rolls a deadline at closing time to the next opening.
            at_close = b.time() == clock(9) and a.time() == clock(18)
            mismatch[
                "pandas gives next 09:00 for a deadline at 18:00" if at_close else "other"
            ] += 1
    for reason, count in mismatch.most_common():
        print(f"    {count:7d}  {reason}")
    reasons = Counter()
    for s, a, b in zip(sample, ours_nl_results, model_nl, strict=True):
        if a != b:
            reasons[classify(ours_nl, s, a, b)] += 1
    print("  the real calendar vs the `holidays` model on this schedule:")
    for reason, count in reasons.most_common():
        print(f"    {count:7d}  {reason}")

    print(
        f"\nSummary: {per_call(best_batch, args.n).strip()} per add in a batch; "
        f"{btd_time / best_batch:.0f}× faster than businesstimedelta "
        f"(goal: ≥ 200× and < 2 µs)."
    )


if __name__ == "__main__":
    main()
