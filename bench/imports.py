"""Proposal imports at the row limit: 5,000 valid rows through the HTTP API, as .xlsx and as .csv.

Prints, on SQLite and (when a server answers on 127.0.0.1:5432) PostgreSQL: the time of each import (target: under
10 s), how long a booking made during the import waited (the write lock is held only for the short bulk write),
and how fast a file over the limits is refused.

    .venv/bin/python bench/imports.py [--rows 5000] [--sqlite-only]
"""

import csv
import io
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import main  # noqa: E402

FY = 2570


def _rows(n: int, salt: str) -> list[list]:
    from khuang.planning.imports import COLUMNS

    out = []
    for i in range(n):
        values = {"ref": f"{salt}-{i:05d}", "agency": "LPG-IND", "title_th": f"กิจกรรมทดสอบ {i}",
                  "title_en": f"Bench activity {i}", "activity_type": "seminar", "days": 1 + i % 3,
                  "setup_days": i % 2, "teardown_days": i % 2, "attendees": 50 + i % 400, "layout": "",
                  "allowed_spaces": "HALL-A HALL-B" if i % 3 else "", "earliest": "2026-11-01",
                  "latest_end": "2027-08-31", "preferred_months": "11 12 1", "fixed_start": "",
                  "priority": 1 + i % 5, "is_public": "yes" if i % 4 == 0 else "", "notes": "หมายเหตุ " * (i % 5)}
        out.append([values[field] for field, *_ in COLUMNS])
    return out


def _xlsx(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    from khuang.planning.imports import COLUMNS

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("proposals")
    ws.append([f"{th} / {en}" for _, th, en, _ in COLUMNS])
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _csv(rows: list[list]) -> bytes:
    from khuang.planning.imports import COLUMNS

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([en for _, _, en, _ in COLUMNS])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def child(rows: int) -> None:
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from khuang.accounts import demo as agencies
    from khuang.accounts.models import ApiToken, User
    from khuang.bookings.models import Booking
    from khuang.bookings.services import BookingDraft, booking_create
    from khuang.planning.models import Proposal
    from khuang.venues import demo as venues
    from khuang.venues.models import Space

    call_command("migrate", verbosity=0)
    agencies.load()
    venue = venues.load()
    Proposal.objects.filter(venue=venue, fiscal_year=FY).delete()
    staff, _ = User.objects.get_or_create(username="bench-staff", defaults={"role": "center_staff"})
    token = ApiToken.issue(staff)[1]
    client = Client()
    print(f"{connection.vendor}: {rows:,} rows per file")

    def upload(name: str, content: bytes):
        return client.post("/api/proposals/import", {"fiscal_year": FY, "venue": venue.code,
                                                     "file": SimpleUploadedFile(name, content)},
                           HTTP_AUTHORIZATION=f"Bearer {token}")

    client.get("/api/spaces", HTTP_AUTHORIZATION=f"Bearer {token}")  # warm up: the first request loads every app
    room = Space.objects.filter(venue=venue, parts__isnull=True).order_by("code").first()
    for n, (kind, make) in enumerate((("xlsx", _xlsx), ("csv", _csv))):
        content = make(_rows(rows, kind.upper()))
        waits: list[float] = []

        def book_meanwhile(n: int = n, waits: list[float] = waits) -> None:
            # Another person books while the import runs: how long does the write lock keep them waiting?
            time.sleep(0.3)
            start = timezone.localtime() + timedelta(days=40 + n)
            start = start.replace(hour=9, minute=0, second=0, microsecond=0)
            t = time.perf_counter()
            booking_create(BookingDraft(space=room, title="during import", start=start,
                                        end=start + timedelta(hours=1), status="confirmed"), actor=staff)
            waits.append(time.perf_counter() - t)
            connection.close()

        other = threading.Thread(target=book_meanwhile)
        t = time.perf_counter()
        other.start()
        res = upload(f"bench.{kind}", content)
        took = time.perf_counter() - t
        other.join()
        assert res.status_code == 201, res.content[:300]
        print(f"  .{kind} {len(content) / 2**20:5.2f} MB: imported {len(res.json()):,} in {took:5.2f} s "
              f"({rows / took:,.0f} rows/s; target < 10 s); a booking made meanwhile took {waits[0] * 1000:.0f} ms")
    too_many = _csv(_rows(rows + 1, "OVER"))
    t = time.perf_counter()
    res = upload("over.csv", too_many)
    print(f"  {rows + 1:,} rows refused with {res.status_code} in {(time.perf_counter() - t) * 1000:.0f} ms")
    Booking.objects.filter(title="during import").delete()
    Proposal.objects.filter(venue=venue, fiscal_year=FY).delete()
    print(f"  (measured {datetime.now():%Y-%m-%d %H:%M})")


if __name__ == "__main__":
    main(__file__, __doc__, child, "khuang_bench_imports", count_flag=("--rows", 5000))
