"""Who may do what with bookings: viewers read, planners act for their own agency, staff for all (findings 1, 2)."""

from datetime import timedelta

import pytest

from khuang.bookings.models import Booking
from khuang.public.models import EventPage, Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def cimrd(create_agency):
    return create_agency("CIMRD")


@pytest.fixture
def confirmed(create_booking, cimrd):
    return create_booking(title="Private board meeting", agency=cimrd, status="confirmed")


def _body(start, **kw):
    return {"space": "ROOM-1", "title": "Inquiry", "start": start.isoformat(),
            "end": (start + timedelta(hours=1)).isoformat(), **kw}


def test_finding_1_viewer_of_the_agency_cannot_change_cancel_or_publish(api, client, confirmed, cimrd, create_user):
    viewer = create_user("cimrd-viewer", role="viewer", agency=cimrd)
    assert api("get", f"/api/bookings/{confirmed.pk}", user=viewer).status_code == 200  # reading is fine
    res = api("patch", f"/api/bookings/{confirmed.pk}", {"title": "Hijacked"}, user=viewer)
    assert res.status_code == 403, res.content
    assert api("post", f"/api/bookings/{confirmed.pk}/cancel", {"reason": "because"}, user=viewer).status_code == 403
    assert api("patch", f"/api/bookings/{confirmed.pk}", {"is_public": True}, user=viewer).status_code == 403
    confirmed.refresh_from_db()
    assert (confirmed.title, confirmed.status, confirmed.is_public) == ("Private board meeting", "confirmed", False)
    assert "Private board meeting" not in client.get("/events/").content.decode()
    # The pages refuse too: no cancel through the diary's booking page.
    client.force_login(viewer)
    assert client.post(f"/diary/bookings/{confirmed.pk}/cancel/", {"reason": "x"}).status_code == 403
    confirmed.refresh_from_db()
    assert confirmed.status == "confirmed"


def test_finding_1_viewer_cannot_check_registrants_in(client, confirmed, cimrd, create_user):
    confirmed.is_public = True
    confirmed.save()
    page = EventPage.objects.create(booking=confirmed, capacity=10)
    reg = Registration.objects.create(event=page, name="Anong", email="a@example.org", phone="0812345678",
                                      status="registered")
    viewer = create_user("cimrd-viewer", role="viewer", agency=cimrd)
    client.force_login(viewer)
    page_html = client.get(f"/events/{confirmed.pk}/check-in/")
    assert page_html.status_code == 200 and "Anong" in page_html.content.decode()  # may read
    assert 'name="code" autofocus' not in page_html.content.decode()  # no check-in form offered
    assert client.post(f"/events/{confirmed.pk}/check-in/", {"code": reg.code}).status_code == 403
    reg.refresh_from_db()
    assert reg.checked_in_at is None
    planner = create_user("cimrd-planner", role="agency_planner", agency=cimrd)
    client.force_login(planner)
    assert client.post(f"/events/{confirmed.pk}/check-in/", {"code": reg.code}).status_code == 200
    reg.refresh_from_db()
    assert reg.checked_in_at is not None


def test_planner_of_the_agency_may_change_and_cancel(api, confirmed, cimrd, create_user):
    planner = create_user("cimrd-planner", role="agency_planner", agency=cimrd)
    assert api("patch", f"/api/bookings/{confirmed.pk}", {"title": "Renamed"}, user=planner).status_code == 200
    assert api("post", f"/api/bookings/{confirmed.pk}/cancel", {"reason": "moved online"},
               user=planner).status_code == 200


def test_other_agency_cannot_even_see_it(api, confirmed, create_agency, create_user):
    other = create_user("other-planner", role="agency_planner", agency=create_agency("LPG-IND"))
    assert api("get", f"/api/bookings/{confirmed.pk}", user=other).status_code == 404
    assert api("patch", f"/api/bookings/{confirmed.pk}", {"title": "x"}, user=other).status_code == 404
    assert api("get", "/api/bookings", user=other).json()["count"] == 0


def test_finding_2_viewers_book_nothing_and_nobody_books_for_another_agency(api, create_space, create_agency,
                                                                           create_user, staff_user, soon):
    create_space()
    lpg = create_agency("LPG-IND")
    cimrd = create_agency("CIMRD")
    viewer = create_user("viewer", role="viewer", agency=cimrd)
    loner = create_user("loner", role="viewer")
    planner = create_user("planner", role="agency_planner", agency=cimrd)
    for user in (viewer, loner):
        res = api("post", "/api/bookings", _body(soon, agency="LPG-IND"), user=user)
        assert res.status_code == 403, res.content
        assert api("post", "/api/bookings", _body(soon), user=user).status_code == 403
    res = api("post", "/api/bookings", _body(soon, agency="LPG-IND"), user=planner)
    assert res.status_code == 403 and res.json()["field"] == "agency"
    assert not Booking.objects.filter(agency=lpg).exists()
    assert api("get", "/api/bookings?agency=LPG-IND", user=staff_user).json()["count"] == 0
    # A planner's own booking is their agency's, whether or not they name it.
    mine = api("post", "/api/bookings", _body(soon), user=planner)
    assert mine.status_code == 201 and mine.json()["agency"] == "CIMRD"
    named = api("post", "/api/bookings", _body(soon.replace(hour=13), agency="CIMRD"), user=planner)
    assert named.status_code == 201
    # Staff book for anyone.
    assert api("post", "/api/bookings", _body(soon.replace(hour=15), agency="LPG-IND"),
               user=staff_user).status_code == 201


def test_finding_2_the_booking_form_is_not_for_viewers(client, create_space, create_agency, create_user, soon):
    create_space()
    viewer = create_user("viewer", role="viewer", agency=create_agency("CIMRD"))
    client.force_login(viewer)
    assert client.get("/diary/new/").status_code == 403
    res = client.post("/diary/new/", {"space": "ROOM-1", "title": "x", "day": soon.date().isoformat(),
                                      "start_time": "09:00", "end_time": "10:00", "setup_minutes": 0,
                                      "teardown_minutes": 0, "status": "inquiry", "event_type": "other",
                                      "attendees": 0, "customer_class": "government"})
    assert res.status_code == 403
    assert not Booking.objects.exists()
