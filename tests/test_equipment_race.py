"""Thirty clients race for the last chairs through a live server: exactly the stock is granted, every other
request is refused naming the item, on SQLite and PostgreSQL."""

import http.client
import json
import threading
import urllib.parse
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from khuang.accounts.models import ApiToken
from khuang.bookings.models import Booking

pytestmark = pytest.mark.django_db(transaction=True)
CLIENTS = 30
STOCK = 50
TAKEN = 40  # reserved beforehand, so 10 chairs are left


@pytest.fixture
def setting(create_space, create_booking, soon, staff_user):
    """A long confirmed booking holding 40 of 50 chairs, and 30 rooms for the racers."""
    from khuang.operations.models import EquipmentItem
    from khuang.operations.services import equipment_request_set

    hall = create_space("HALL")
    rooms = [create_space(f"R-{i:02d}") for i in range(CLIENTS)]
    chairs = EquipmentItem.objects.create(venue=hall.venue, code="CHAIR", name_th="เก้าอี้", name_en="Chair",
                                          category="seating", stock=STOCK)
    big = create_booking(hall, soon - timedelta(days=3), hours=24 * 8, title="Long fair")
    equipment_request_set(big, chairs, TAKEN, actor=staff_user)
    return rooms, chairs


def _day(i: int, soon):
    """Overlapping spans: every racer covers `soon`'s day, starting 0–2 days before it and lasting 1–3 days."""
    return soon - timedelta(days=i % 3), 8 + 24 * (i % 3) + (i % 2) * 24


def _race(url: str, token: str, calls: list[tuple[str, str, dict]]) -> list[tuple[int, dict]]:
    """Every client connects first, waits for the others, then all send at once."""
    parts = urllib.parse.urlsplit(url)
    barrier = threading.Barrier(len(calls))

    def send(call: tuple[str, str, dict]) -> tuple[int, dict]:
        method, path, body = call
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        conn.connect()  # connected before the barrier: the race is between transactions, not TCP handshakes
        barrier.wait()
        conn.request(method, path, body=json.dumps(body).encode(), headers={
            "Content-Type": "application/json", "Accept-Language": "en", "Authorization": f"Bearer {token}"})
        res = conn.getresponse()
        payload = json.loads(res.read() or b"{}")
        conn.close()
        return res.status, payload

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(send, calls))


def _granted_per_day(chairs) -> dict:
    """Units held by occupying bookings per day, recomputed from the requests (not from the counters)."""
    from khuang.operations.models import EquipmentRequest, booking_days

    per_day: dict = defaultdict(int)
    for line in EquipmentRequest.objects.select_related("booking").filter(item=chairs):
        if line.booking.occupies:
            assert line.claimed_quantity == line.quantity
            for d in booking_days(line.booking):
                per_day[d] += line.quantity
        else:
            assert line.claimed_quantity == 0
    return per_day


def _check_counters(chairs, per_day) -> None:
    from khuang.operations.models import ItemDay

    for row in ItemDay.objects.filter(item=chairs):
        assert row.reserved == per_day.get(row.day, 0) and row.reserved <= row.capacity


def test_thirty_confirmations_race_for_the_last_ten_chairs(live_server, setting, create_booking, staff_user, soon):
    """Each of 30 inquiries wants the last 10 chairs; confirming claims them inside the booking's transaction."""
    from khuang.operations.services import equipment_request_set

    rooms, chairs = setting
    inquiries = []
    for i, room in enumerate(rooms):
        start, hours = _day(i, soon)
        b = create_booking(room, start, hours=hours, status="inquiry", title=f"racer {i}")
        equipment_request_set(b, chairs, 10, actor=staff_user)
        inquiries.append(b)
    token = ApiToken.issue(staff_user)[1]
    results = _race(live_server.url, token, [("POST", f"/api/bookings/{b.pk}/confirm", {}) for b in inquiries])
    codes = sorted(code for code, _body in results)
    assert codes == [200] + [409] * (CLIENTS - 1), codes
    for code, body in results:
        if code == 409:
            assert "Chair (CHAIR)" in body["detail"] and "0 free on" in body["detail"], body
            assert body["shortages"][0]["item"] == "CHAIR"
    assert Booking.objects.filter(title__startswith="racer", status="confirmed").count() == 1
    per_day = _granted_per_day(chairs)
    assert per_day[soon.date()] == STOCK  # exactly the stock is granted on the day every racer wanted
    assert max(per_day.values()) <= STOCK
    _check_counters(chairs, per_day)


def test_thirty_requests_race_for_ten_chairs_one_each(live_server, setting, create_booking, staff_user, soon):
    """30 confirmed bookings each ask for one chair over the API while 10 are free: exactly 10 get one."""
    rooms, chairs = setting
    bookings = []
    for i, room in enumerate(rooms):
        start, hours = _day(i, soon)
        bookings.append(create_booking(room, start, hours=hours, title=f"racer {i}"))
    token = ApiToken.issue(staff_user)[1]
    results = _race(live_server.url, token, [("PUT", f"/api/bookings/{b.pk}/equipment/CHAIR", {"quantity": 1})
                                             for b in bookings])
    codes = [code for code, _body in results]
    assert codes.count(200) == STOCK - TAKEN and codes.count(409) == CLIENTS - (STOCK - TAKEN), codes
    assert all("CHAIR" in body["detail"] for code, body in results if code == 409)
    per_day = _granted_per_day(chairs)
    assert per_day[soon.date()] == STOCK and max(per_day.values()) <= STOCK
    _check_counters(chairs, per_day)
