"""Operations pages and API as people meet them: refusals in Thai or English naming what is wrong, with a 4xx
status and nothing changed."""

from datetime import timedelta

import pytest

from khuang.operations import services
from khuang.operations.models import EquipmentRequest, ItemDay, ItemRepair

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(create_space, create_booking, create_item, staff_user, soon):
    """Two bookings on the same day in two rooms; the first holds 8 of 10 chairs."""
    chairs = create_item("CHAIR", stock=10, name_th="เก้าอี้", name_en="Chair", unit_th="ตัว", unit_en="chairs")
    first = create_booking(create_space("ROOM-A"), soon, hours=3, title="First")
    services.equipment_request_set(first, chairs, 8, actor=staff_user)
    second = create_booking(create_space("ROOM-B"), soon, hours=3, title="Second")
    return chairs, first, second


def test_a_refused_request_is_a_form_error_in_thai_and_english(busy, client, staff_user, soon):
    chairs, _first, second = busy
    client.force_login(staff_user)
    day = soon.date()
    res = client.post(f"/ops/bookings/{second.pk}/equipment/", {"item": "CHAIR", "quantity": 5})
    assert res.status_code == 409
    html = res.content.decode()
    assert f"เก้าอี้ (CHAIR) ไม่พอ: ขอ 5 ตัว แต่ ว่าง 2 ในวันที่ {day.day} " in html and str(day.year + 543) in html
    res = client.post(f"/ops/bookings/{second.pk}/equipment/?lang=en", {"item": "CHAIR", "quantity": 5})
    assert res.status_code == 409
    assert f"Not enough Chair (CHAIR): 5 chairs asked for, 2 free on {day.day} " in res.content.decode()
    assert not EquipmentRequest.objects.filter(booking=second).exists()
    assert ItemDay.objects.get(item=chairs, day=day).reserved == 8


def test_the_api_refusal_names_item_days_and_free_units(busy, api, staff_user, soon):
    _chairs, _first, second = busy
    res = api("put", f"/api/bookings/{second.pk}/equipment/CHAIR", {"quantity": 3}, user=staff_user, lang="th")
    assert res.status_code == 409
    body = res.json()
    assert body["field"] == "equipment" and "เก้าอี้ (CHAIR) ไม่พอ" in body["detail"]
    assert body["shortages"] == [{"item": "CHAIR", "name": "เก้าอี้", "requested": 3,
                                  "days": [{"day": soon.date().isoformat(), "free": 2}]}]
    ok = api("put", f"/api/bookings/{second.pk}/equipment/CHAIR", {"quantity": 2}, user=staff_user)
    assert ok.status_code == 200 and ok.json()[0]["reserved"] is True
    # Bad input is a 422 naming the field, never a 500.
    for body in ({"quantity": -1}, {"quantity": "2"}, {"quantity": 2, "extra": 1}, {}):
        res = api("put", f"/api/bookings/{second.pk}/equipment/CHAIR", body, user=staff_user)
        assert res.status_code == 422, body
    assert api("put", f"/api/bookings/{second.pk}/equipment/NOPE", {"quantity": 1}, user=staff_user).status_code == 404


def test_stock_and_repairs_refused_on_the_equipment_page(busy, client, staff_user, soon):
    chairs, _first, _second = busy
    client.force_login(staff_user)
    res = client.post(f"/ops/equipment/{chairs.pk}/stock/", {f"s{chairs.pk}-stock": 5})
    assert res.status_code == 409 and "เก้าอี้: มีการจองไว้ 8 หน่วยในวันที่" in res.content.decode()
    chairs.refresh_from_db()
    assert chairs.stock == 10
    day = soon.date().isoformat()
    res = client.post("/ops/equipment/repairs/", {"item": chairs.pk, "quantity": 3, "first_day": day, "last_day": day})
    assert res.status_code == 409 and "First ×8" in res.content.decode()
    assert not ItemRepair.objects.exists()
    res = client.post("/ops/equipment/repairs/", {"item": chairs.pk, "quantity": 2, "first_day": day,
                                                  "last_day": (soon.date() - timedelta(days=1)).isoformat()})
    assert res.status_code == 422


def test_event_order_form_errors(busy, client, staff_user):
    _chairs, first, _second = busy
    client.force_login(staff_user)
    res = client.post(f"/ops/bookings/{first.pk}/event-order/")
    assert res.status_code == 302
    eo = first.event_order
    res = client.post(f"/ops/event-orders/{eo.pk}/timeline/add/", {"kind": "setup", "start": "2027-02-03T10:00",
                                                                  "end": "2027-02-03T09:00"})
    assert res.status_code == 422 and "เวลาสิ้นสุดต้องอยู่หลังเวลาเริ่ม" in res.content.decode()
    assert client.post(f"/ops/event-orders/{eo.pk}/send/", {"note": ""}).status_code == 302
    res = client.post(f"/ops/event-orders/{eo.pk}/send/", {"note": ""})
    assert res.status_code == 409 and "ไม่มีการเปลี่ยนแปลงตั้งแต่ส่งฉบับแก้ไขที่ 1" in res.content.decode()
    assert client.post(f"/ops/event-orders/{eo.pk}/nonsense/add/", {}).status_code == 404
    assert client.get("/ops/day/2027-13-45/").status_code == 404
    typed = client.get("/ops/day/?date=3/2/2570")  # the day typed in the Buddhist Era
    assert typed.status_code == 200 and typed.context["sheet"]["day"].isoformat() == "2027-02-03"


def test_desk_lists_bookings_without_event_order_and_shortages(busy, client, staff_user, create_member, soon):
    _chairs, first, second = busy
    client.force_login(staff_user)
    eo = services.event_order_create(first, actor=staff_user)
    services.need_add(eo, skill="security", count=2, start=first.start, end=first.end, actor=staff_user)
    html = client.get("/ops/").content.decode()
    assert eo.number in html and f"/ops/bookings/{second.pk}/" in html
    assert "บุคลากรไม่พอ" in html and "รักษาความปลอดภัย 2/0" in html
