"""KPI speed at scale: one fiscal year's KPIs over ~50,000 bookings (5 years) on 40 spaces of one venue.

Prints the time of `kpi_report` (utilization heatmap, activities, targets, budget, projects and the previous
year) on SQLite and, when a server answers on 127.0.0.1:5432, on PostgreSQL. Target: < 2 s.

    .venv/bin/python bench/kpis.py [--bookings 50000] [--sqlite-only]
"""

import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import main  # noqa: E402


def child(bookings: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from khuang.bookings.models import Booking
    from khuang.reports.models import EventActual
    from khuang.reports.selectors import kpi_report
    from khuang.venues.models import Closure, Space, Venue

    call_command("migrate", verbosity=0)
    tz = timezone.get_current_timezone()
    rng = random.Random(11)
    venue = Venue.objects.create(code="BENCH-KPI", name_th="ศูนย์ทดสอบ", name_en="Bench center")
    atomic: list[Space] = []
    for g in range(4):  # per group: 3 hall parts + 2 combinations + 5 rooms = 10 spaces → 40
        parts = [Space.objects.create(venue=venue, code=f"G{g}H{j}", name_th=f"โถง {g}{j}", name_en=f"Hall {g}{j}",
                                      kind="hall", capacity_theatre=800, area_sqm=1000) for j in range(3)]
        for code, members in ((f"G{g}H01", parts[:2]), (f"G{g}H012", parts)):
            combo = Space.objects.create(venue=venue, code=code, name_th=code, name_en=code, kind="hall",
                                         capacity_theatre=2400, area_sqm=1000 * len(members))
            combo.parts.set(members)
        atomic += parts + [Space.objects.create(venue=venue, code=f"G{g}R{j}", name_th=f"ห้อง {g}{j}",
                                                name_en=f"Room {g}{j}", kind="meeting_room", capacity_theatre=60,
                                                area_sqm=80) for j in range(5)]
    start_day, days = date(2023, 10, 1), 5 * 365
    per_space = bookings // len(atomic)
    rows, actuals = [], []
    types = ["seminar", "training", "conference", "exhibition", "trade_fair", "other"]
    booking_id = 0
    for space in atomic:  # non-overlapping: distinct half-day slots per atomic space
        for slot in sorted(rng.sample(range(days * 2), per_space)):
            day = start_day + timedelta(days=slot // 2)
            s = datetime(day.year, day.month, day.day, 8 if slot % 2 == 0 else 13, tzinfo=tz)
            booking_id += 1
            rows.append(Booking(id=booking_id, space=space, title=f"Bench {booking_id}", start=s,
                                end=s + timedelta(hours=4), occupied_start=s, occupied_end=s + timedelta(hours=4),
                                status="completed", attendees=rng.randrange(10, 60), event_type=rng.choice(types)))
            if booking_id % 2:
                actuals.append(EventActual(booking_id=booking_id, attendance=30, revenue_thb=5000, satisfaction=4))
    t0 = time.perf_counter()
    Booking.objects.bulk_create(rows, batch_size=2000)
    EventActual.objects.bulk_create(actuals, batch_size=2000)
    Closure.objects.create(space=atomic[0], start=datetime(2025, 3, 1, tzinfo=tz), end=datetime(2025, 3, 8, tzinfo=tz),
                           reason="maintenance")
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    print(f"[{connection.vendor}] loaded {len(rows)} bookings on {len(atomic)} atomic + 8 combined spaces "
          f"in {time.perf_counter() - t0:.1f} s")
    samples = []
    for _ in range(3):
        t = time.perf_counter()
        report = kpi_report(2568, "BENCH-KPI")   # FY 2568 and, for comparison, FY 2567
        samples.append(time.perf_counter() - t)
    print(f"[{connection.vendor}] FY 2568 KPIs (+ previous year): {report['activities']['events']} activities, "
          f"utilization {report['utilization']['pct']} %  best {min(samples):.2f} s  worst {max(samples):.2f} s")


if __name__ == "__main__":
    main(__file__, __doc__, child, "khuang_bench_kpis")
