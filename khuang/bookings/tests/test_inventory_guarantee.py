"""The no-double-booking guarantee survives inventory edits (finding 3): parts, deactivation, closures.

Run on SQLite and on PostgreSQL (scripts/test.sh runs both); on PostgreSQL the exclusion constraint also sees
the recomputed occupancy rows.
"""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction

from khuang.bookings.models import Booking, Occupancy
from khuang.venues.models import Closure, Space

pytestmark = pytest.mark.django_db


@pytest.fixture
def halls(create_space, create_halls):
    a, b, ab = create_halls()
    c = create_space("HALL-C", kind="hall", capacity_theatre=500)
    return a, b, c, ab


def _book(api, user, space, start, status="confirmed", **kw):
    body = {"space": space, "title": f"{status} {space}", "start": start.isoformat(),
            "end": (start + timedelta(hours=8)).isoformat(), "status": status, **kw}
    return api("post", "/api/bookings", body, user=user)


def _occupied(space_code: str) -> set[str]:
    return set(Occupancy.objects.filter(booking__space__code=space_code, active=True)
               .values_list("space__code", flat=True))


def test_finding_3_new_part_takes_its_share_then_the_part_cannot_be_double_booked(api, halls, staff_user, soon):
    assert _book(api, staff_user, "HALL-AB", soon).status_code == 201
    res = api("patch", "/api/spaces/HALL-AB", {"parts": ["HALL-A", "HALL-B", "HALL-C"]}, user=staff_user)
    assert res.status_code == 200, res.content
    assert _occupied("HALL-AB") == {"HALL-A", "HALL-B", "HALL-C"}  # recomputed in the same transaction
    clash = _book(api, staff_user, "HALL-C", soon)
    assert clash.status_code == 409, clash.content
    assert [c["space"] for c in clash.json()["conflicts"]] == ["HALL-AB"]
    assert Booking.objects.filter(space__code="HALL-C").count() == 0


def test_finding_3_reversed_a_part_already_booked_refuses_the_parts_change(api, halls, staff_user, soon):
    ab = _book(api, staff_user, "HALL-AB", soon).json()["id"]
    c = _book(api, staff_user, "HALL-C", soon + timedelta(hours=2)).json()["id"]
    res = api("patch", "/api/spaces/HALL-AB", {"parts": ["HALL-A", "HALL-B", "HALL-C"]}, user=staff_user)
    assert res.status_code == 409, res.content
    assert res.json()["field"] == "parts"
    assert {row["id"] for row in res.json()["conflicts"]} == {ab, c}
    # Nothing changed: the parts, and the occupancy rows.
    assert sorted(Space.objects.get(code="HALL-AB").parts.values_list("code", flat=True)) == ["HALL-A", "HALL-B"]
    assert _occupied("HALL-AB") == {"HALL-A", "HALL-B"}
    # A later day is no problem.
    Booking.objects.filter(pk=c).delete()
    assert api("patch", "/api/spaces/HALL-AB", {"parts": ["HALL-A", "HALL-B", "HALL-C"]},
               user=staff_user).status_code == 200


def test_removing_a_part_frees_it(api, halls, staff_user, soon):
    _book(api, staff_user, "HALL-AB", soon)
    assert _book(api, staff_user, "HALL-B", soon).status_code == 409
    a, b, c, ab = halls
    ab.parts.set([a, c])  # any path (here the ORM, as the admin does) goes through the same check
    assert _occupied("HALL-AB") == {"HALL-A", "HALL-C"}
    assert _book(api, staff_user, "HALL-B", soon).status_code == 201


def test_a_combination_of_combinations_follows_its_parts(api, halls, create_space, staff_user, soon):
    a, b, c, ab = halls
    abc = create_space("HALL-ABC", kind="hall", capacity_theatre=1500, parts=[ab, c])
    _book(api, staff_user, "HALL-ABC", soon)
    d = create_space("HALL-D", kind="hall", capacity_theatre=500)
    res = api("patch", "/api/spaces/HALL-AB", {"parts": ["HALL-A", "HALL-B", "HALL-D"]}, user=staff_user)
    assert res.status_code == 200, res.content
    assert _occupied("HALL-ABC") == {"HALL-A", "HALL-B", "HALL-C", "HALL-D"}
    assert _book(api, staff_user, "HALL-D", soon).status_code == 409
    assert abc.pk and d.pk


def test_deactivating_a_space_with_live_bookings_is_refused_listing_them(api, halls, staff_user, soon):
    held = _book(api, staff_user, "HALL-C", soon, status="hold").json()["id"]
    res = api("patch", "/api/spaces/HALL-C", {"is_active": False}, user=staff_user)
    assert res.status_code == 409 and res.json()["field"] == "is_active"
    assert [row["id"] for row in res.json()["conflicts"]] == [held]
    assert Space.objects.get(code="HALL-C").is_active
    api("post", f"/api/bookings/{held}/release", {"reason": "no longer needed"}, user=staff_user)
    assert api("patch", "/api/spaces/HALL-C", {"is_active": False}, user=staff_user).status_code == 200


def test_closure_over_occupying_bookings_is_refused_listing_them(api, halls, staff_user, soon):
    on_ab = _book(api, staff_user, "HALL-AB", soon).json()["id"]
    body = {"start": (soon - timedelta(days=1)).isoformat(), "end": (soon + timedelta(days=1)).isoformat(),
            "reason": "roof repair"}
    res = api("post", "/api/spaces/HALL-A/closures", body, user=staff_user)  # a part of the booked combination
    assert res.status_code == 409, res.content
    assert [row["id"] for row in res.json()["conflicts"]] == [on_ab]
    assert not Closure.objects.exists()
    later = {**body, "start": (soon + timedelta(days=2)).isoformat(), "end": (soon + timedelta(days=3)).isoformat()}
    made = api("post", "/api/spaces/HALL-A/closures", later, user=staff_user)
    assert made.status_code == 201
    assert _book(api, staff_user, "HALL-AB", soon + timedelta(days=2)).status_code == 409
    assert api("delete", f"/api/closures/{made.json()['id']}", user=staff_user).status_code == 204
    assert _book(api, staff_user, "HALL-AB", soon + timedelta(days=2)).status_code == 201


def test_admin_closure_over_a_booking_shows_the_refusal(client, halls, create_booking, soon, db):
    from khuang.accounts.models import User

    a, b, c, ab = halls
    booking = create_booking(space=ab, start=soon, title="Ceramics fair")
    boss = User.objects.create_superuser("boss", "boss@example.org", "pass-1234", role="center_staff")
    client.force_login(boss)
    res = client.post("/admin/venues/closure/add/", {
        "space": a.pk, "start_0": soon.date().isoformat(), "start_1": "00:00", "end_0":
        (soon + timedelta(days=1)).date().isoformat(), "end_1": "00:00", "reason": "repair"}, follow=True)
    assert res.status_code == 200
    assert "Ceramics fair" in res.content.decode()
    assert not Closure.objects.exists() and booking.pk


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint is PostgreSQL's")
def test_postgresql_constraint_sees_recomputed_rows(halls, create_booking, soon):
    a, b, c, ab = halls
    create_booking(space=ab, start=soon)
    ab.parts.set([a, b, c])
    taken = Occupancy.objects.get(space=c, active=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Occupancy.objects.create(booking=create_booking(space=a, start=soon + timedelta(days=30)), space=c,
                                 start=taken.start, end=taken.end)
