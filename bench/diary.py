"""Diary speed at scale: ~50,000 bookings over 5 years across 40 spaces.

Prints p50/p95 of an availability query and of a month diary view, on SQLite and (with --postgres, or
when a server answers on 127.0.0.1:5432) on PostgreSQL. Target: availability p95 < 50 ms.

    .venv/bin/python bench/diary.py [--bookings 50000] [--sqlite-only]
"""

import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import main  # noqa: E402


def percentiles(samples: list[float]) -> str:
    samples = sorted(samples)
    p50 = statistics.median(samples)
    p95 = samples[int(len(samples) * 0.95) - 1]
    return f"p50 {p50 * 1000:6.1f} ms   p95 {p95 * 1000:6.1f} ms"


def child(bookings: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from khuang.accounts.models import User
    from khuang.bookings.models import Booking, Occupancy
    from khuang.bookings.selectors import diary, leaves_by_space, space_availability
    from khuang.venues.models import Space, Venue

    call_command("migrate", verbosity=0)
    tz = timezone.get_current_timezone()
    rng = random.Random(7)
    Occupancy.objects.all().delete()
    Booking.objects.all().delete()
    Space.objects.filter(venue__code__startswith="BENCH").delete()
    venues = [Venue.objects.get_or_create(code=f"BENCH-{i}", defaults={"name_th": f"ศูนย์ {i}",
                                                                       "name_en": f"Center {i}"})[0]
              for i in range(4)]
    atomic: list[Space] = []
    combined: list[Space] = []
    for v in venues:  # per venue: 3 hall parts + 2 combinations + 5 rooms = 10 spaces
        parts = [Space.objects.create(venue=v, code=f"H{j}", name_th=f"ห้องโถง {j}", name_en=f"Hall {j}",
                                      kind="hall", capacity_theatre=800) for j in range(3)]
        ab = Space.objects.create(venue=v, code="H01", name_th="H0+1", name_en="H0+1", kind="hall",
                                  capacity_theatre=1600)
        ab.parts.set(parts[:2])
        abc = Space.objects.create(venue=v, code="H012", name_th="เต็ม", name_en="Full", kind="hall",
                                   capacity_theatre=2400)
        abc.parts.set(parts)
        rooms = [Space.objects.create(venue=v, code=f"R{j}", name_th=f"ห้อง {j}", name_en=f"Room {j}",
                                      kind="meeting_room", capacity_theatre=20 * (j + 1)) for j in range(5)]
        atomic += parts + rooms
        combined += [ab, abc]
    leaves = leaves_by_space()
    start_day = date(2024, 1, 1)
    days = 5 * 365
    per_space = bookings // len(atomic)
    rows, occ = [], []
    booking_id = 0
    for space in atomic:  # non-overlapping by construction: sorted distinct half-days per atomic space
        slots = sorted(rng.sample(range(days * 2), per_space))
        for slot in slots:
            day = start_day + timedelta(days=slot // 2)
            hour = 8 if slot % 2 == 0 else 13
            s = datetime(day.year, day.month, day.day, hour, tzinfo=tz)
            e = s + timedelta(hours=4)
            booking_id += 1
            rows.append(Booking(id=booking_id, space=space, title=f"Bench {booking_id}", start=s, end=e,
                                occupied_start=s, occupied_end=e, status="confirmed", attendees=10))
            occ.append(Occupancy(booking_id=booking_id, space=space, start=s, end=e))
    t0 = time.perf_counter()
    Booking.objects.bulk_create(rows, batch_size=2000)
    Occupancy.objects.bulk_create(occ, batch_size=2000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    load = time.perf_counter() - t0
    print(f"[{connection.vendor}] loaded {len(rows)} bookings on {len(atomic)} atomic + {len(combined)} "
          f"combined spaces in {load:.1f} s")

    samples = []
    for _ in range(200):
        day = start_day + timedelta(days=rng.randrange(days))
        s = datetime(day.year, day.month, day.day, rng.choice([9, 14]), tzinfo=tz)
        t = time.perf_counter()
        free = space_availability(start=s, end=s + timedelta(hours=3), setup_minutes=60, min_capacity=50)
        samples.append(time.perf_counter() - t)
        assert all(not (leaves[f.pk] & set()) for f in free)
    print(f"[{connection.vendor}] availability (one span, all venues)   {percentiles(samples)}")

    samples = []
    for _ in range(60):
        first = start_day + timedelta(days=rng.randrange(days - 31))
        t = time.perf_counter()
        spaces, found, closures, *_ = diary(venue_code="BENCH-1", first_day=first, days=31)
        len(found)
        samples.append(time.perf_counter() - t)
    print(f"[{connection.vendor}] month diary query (one venue)         {percentiles(samples)}")

    staff = User.objects.filter(username="bench-staff").first() or User.objects.create_user(
        "bench-staff", password="x", role="center_staff", is_staff=True)
    client = Client()
    client.force_login(staff)
    from django.urls import NoReverseMatch, reverse

    try:
        url = reverse("bookings:diary")
    except NoReverseMatch:
        return
    samples = []
    for _ in range(30):
        first = start_day + timedelta(days=rng.randrange(days - 31))
        t = time.perf_counter()
        res = client.get(url, {"view": "month", "date": first.isoformat(), "venue": "BENCH-1"})
        samples.append(time.perf_counter() - t)
        assert res.status_code == 200, res.status_code
    print(f"[{connection.vendor}] month diary page, rendered (HTTP)      {percentiles(samples)}")


if __name__ == "__main__":
    main(__file__, __doc__, child, "khuang_bench")
