from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction

from khuang.bookings.models import Booking, Occupancy

pytestmark = pytest.mark.django_db


@pytest.fixture
def rooms(create_halls):
    return create_halls()


def body(space="HALL-A", start=None, hours=2, **kw):
    return {"space": space, "title": kw.pop("title", "Seminar"), "start": start.isoformat(),
            "end": (start + timedelta(hours=hours)).isoformat(), **kw}


def test_create_get_and_audit(api, rooms, staff_user, soon):
    res = api("post", "/api/bookings", body(start=soon, status="hold", setup_minutes=30), user=staff_user)
    assert res.status_code == 201, res.content
    data = res.json()
    assert data["option_rank"] == 1 and data["occupies"] is True
    assert data["occupied_start"].startswith((soon - timedelta(minutes=30)).isoformat()[:16])
    res = api("post", f"/api/bookings/{data['id']}/confirm", {"reason": "paid"}, user=staff_user)
    assert res.status_code == 200 and res.json()["status"] == "confirmed"
    audit = api("get", f"/api/bookings/{data['id']}", user=staff_user).json()["audit"]
    assert [(a["action"], a["to_state"]) for a in audit] == [("create", "hold"), ("confirm", "confirmed")]
    assert audit[1]["reason"] == "paid" and audit[1]["actor"] == "staff"


def test_conflict_is_409_naming_what_is_in_the_way_hiding_private_titles(
        api, rooms, staff_user, create_user, create_agency, soon):
    api("post", "/api/bookings", body(start=soon, status="confirmed", title="Secret board meeting"),
        user=staff_user)
    planner = create_user("p", agency=create_agency("AG-2"))
    res = api("post", "/api/bookings", body("HALL-AB", soon, status="hold"), user=planner)
    assert res.status_code == 409
    conflict = res.json()["conflicts"][0]
    assert set(conflict) >= {"id", "space", "start", "end", "title"}
    assert conflict["space"] == "HALL-A" and conflict["title"] != "Secret board meeting"
    res = api("post", "/api/bookings", body("HALL-AB", soon, status="confirmed"), user=staff_user)
    assert res.json()["conflicts"][0]["title"] == "Secret board meeting"


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"start": "2027-02-03T09:00:00"}, "start"),
        ({"hours": -2}, "end"),
        ({"space": "NOPE"}, "code"),
        ({"layout": "booths"}, "layout"),
        ({"attendees": 99999, "layout": "theatre"}, "attendees"),
        ({"status": "completed"}, "status"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_bad_input_4xx_with_field_and_nothing_written(api, rooms, staff_user, soon, override, field):
    payload = body(start=soon, hours=override.pop("hours", 2), status="confirmed")
    payload.update(override)
    if payload["start"].endswith(":00:00") and "+" not in payload["start"]:
        payload["end"] = "2027-02-03T11:00:00"
    res = api("post", "/api/bookings", payload, user=staff_user)
    assert 400 <= res.status_code < 500, res.content
    assert res.json()["field"] == field, res.json()
    assert Booking.objects.count() == 0


def test_error_messages_follow_accept_language(api, rooms, staff_user, soon):
    payload = body(start=soon, hours=-1)
    assert "end" in api("post", "/api/bookings", payload, user=staff_user, lang="en").json()["detail"]
    thai = api("post", "/api/bookings", payload, user=staff_user, lang="th").json()["detail"]
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in thai), thai


def test_planner_sees_only_own_agency_bookings(api, rooms, create_user, create_agency, staff_user, soon):
    mine = create_user("mine", agency=create_agency("AG-1"))
    other = create_user("other", agency=create_agency("AG-2"))
    own = api("post", "/api/bookings", body(start=soon, status="inquiry"), user=mine).json()
    api("post", "/api/bookings", body("HALL-B", soon, status="inquiry"), user=other)
    listed = api("get", "/api/bookings", user=mine).json()
    assert [b["id"] for b in listed["items"]] == [own["id"]]
    theirs = Booking.objects.exclude(pk=own["id"]).get()
    assert api("get", f"/api/bookings/{theirs.pk}", user=mine).status_code == 404
    assert api("get", "/api/bookings", user=staff_user).json()["count"] == 2


def test_availability_accounts_for_setup_teardown_and_parts(api, rooms, staff_user, soon):
    api("post", "/api/bookings", body(start=soon, status="confirmed", teardown_minutes=120), user=staff_user)
    after = soon + timedelta(hours=3)  # inside HALL-A's teardown
    res = api("get", f"/api/availability?start={after.isoformat().replace('+', '%2B')}"
                     f"&end={(after + timedelta(hours=1)).isoformat().replace('+', '%2B')}", user=staff_user)
    assert res.status_code == 200, res.content
    assert {s["code"] for s in res.json()} == {"HALL-B"}
    later = soon + timedelta(hours=5)
    res = api("get", f"/api/availability?start={later.isoformat().replace('+', '%2B')}"
                     f"&end={(later + timedelta(hours=1)).isoformat().replace('+', '%2B')}&min_capacity=600",
              user=staff_user)
    assert {s["code"] for s in res.json()} == {"HALL-AB"}


def test_release_promotes_and_cancel_requires_reason(api, rooms, staff_user, soon):
    first = api("post", "/api/bookings", body(start=soon, status="hold"), user=staff_user).json()
    second = api("post", "/api/bookings", body(start=soon, status="hold"), user=staff_user).json()
    assert second["option_rank"] == 2
    assert api("post", f"/api/bookings/{first['id']}/release", {"reason": ""}, user=staff_user).status_code == 200
    assert api("get", f"/api/bookings/{second['id']}", user=staff_user).json()["option_rank"] == 1
    res = api("post", f"/api/bookings/{second['id']}/cancel", {"reason": ""}, user=staff_user)
    assert res.status_code == 422 and res.json()["field"] == "reason"
    res = api("post", f"/api/bookings/{first['id']}/confirm", {}, user=staff_user)
    assert res.status_code == 409  # a cancelled booking cannot be confirmed


def test_series_preview_and_skip(api, rooms, staff_user, soon):
    api("post", "/api/bookings", body(start=soon + timedelta(days=7), status="confirmed"), user=staff_user)
    payload = body(start=soon, status="confirmed", title="Weekly") | {"every_days": 7, "count": 3}
    preview = api("post", "/api/bookings/series/preview", payload, user=staff_user).json()
    assert [len(o["conflicts"]) for o in preview] == [0, 1, 0]
    assert api("post", "/api/bookings/series", payload, user=staff_user).status_code == 409
    res = api("post", "/api/bookings/series", payload | {"skip_conflicts": True}, user=staff_user)
    assert res.status_code == 201 and len(res.json()["created"]) == 2 and len(res.json()["skipped"]) == 1


def test_database_itself_refuses_overlapping_occupancy_on_postgresql(rooms, create_booking, soon):
    if connection.vendor != "postgresql":
        pytest.skip("exclusion constraints exist on PostgreSQL; SQLite relies on IMMEDIATE transactions")
    a, _, _ = rooms
    booking = create_booking(space=a, start=soon)
    with pytest.raises(IntegrityError) as exc, transaction.atomic():
        Occupancy.objects.create(booking=booking, space=a, start=soon + timedelta(minutes=30),
                                 end=soon + timedelta(hours=5))
    assert exc.value.__cause__.sqlstate == "23P01"


@pytest.mark.parametrize("path", ["/api/availability?start=2027-06-17T21:23:56-21:01&end=2027-06-18T10:00:00%2B07:00",
                                  "/api/bookings?start=2027-06-17T21:23:56-21:01"])
def test_an_impossible_utc_offset_is_refused_naming_the_field(api, staff_user, path):
    res = api("get", path, user=staff_user)
    assert res.status_code == 422
    assert res.json()["field"] == "start"
    assert "-14:00" in res.json()["detail"]
