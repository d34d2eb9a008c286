"""The diary pages through the Django test client: grid, booking form, booking page, iCalendar export."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from khuang.bookings.models import Booking, BookingRule, BookingStatus, Occupancy
from khuang.core.models import AuditEntry

pytestmark = pytest.mark.django_db
BKK = ZoneInfo("Asia/Bangkok")


@pytest.fixture
def room(create_space):
    return create_space("MR-1", name_th="ห้องประชุมหนึ่ง", name_en="Meeting Room One")


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def form_data(space, day, **kw):
    data = {"space": space.code, "title": "สัมมนาเซรามิก", "title_en": "Ceramics seminar", "day": day.isoformat(),
            "start_time": "09:00", "end_time": "12:00", "setup_minutes": "60", "teardown_minutes": "30",
            "status": "hold", "event_type": "seminar", "attendees": "40", "layout": "",
            "customer_class": "government", "contact_name": "", "contact_email": "", "contact_phone": "",
            "description": "", "reason": ""}
    data.update(kw)
    return data


def test_anonymous_is_sent_to_login(client):
    for url in ("/diary/", "/diary/new/", "/diary/bookings/1/", "/diary/spaces/MR-1.ics"):
        res = client.get(url)
        assert res.status_code == 302 and res["Location"].startswith("/accounts/login/"), url


def test_month_grid_in_thai_with_buddhist_era_and_states(staff_client, room, create_booking, soon):
    confirmed = create_booking(room, soon, title="งานยืนยัน", status="confirmed")
    create_booking(room, soon + timedelta(days=1), title="งานจองชั่วคราว", status="hold")
    cancelled = create_booking(room, soon + timedelta(days=2), title="งานยกเลิก", status="inquiry")
    cancelled.status = BookingStatus.CANCELLED
    cancelled.save()
    res = staff_client.get(f"/diary/?view=month&date={soon.date().isoformat()}")
    assert res.status_code == 200
    html = res.content.decode()
    assert f"{soon.year + 543}" in html  # Buddhist-Era year in the period title
    assert "ตารางการใช้พื้นที่" in html
    assert 'class="chip st-confirmed' in html and "งานยืนยัน" in html
    assert 'class="chip st-hold' in html and "งานจองชั่วคราว" in html
    assert "งานยกเลิก" not in html  # cancelled bookings are hidden
    assert f'href="/diary/bookings/{confirmed.pk}/"' in html
    assert f'data-space="MR-1" data-day="{soon.date().isoformat()}"' in html


def test_week_view_in_english_has_seven_days_and_navigation(staff_client, room):
    res = staff_client.get("/diary/?view=week&date=2027-02-03&lang=en")
    html = res.content.decode()
    assert res.status_code == 200
    assert "1 Feb 2027 – 7 Feb 2027" in html
    assert html.count('class="day-col') == 7
    assert "date=2027-01-25" in html and "date=2027-02-08" in html  # previous and next week


def test_venue_filter_only_with_several_venues(staff_client, room, create_venue, create_space):
    assert 'name="venue"' not in staff_client.get("/diary/").content.decode()
    other = create_venue("OTHER", name_th="ศูนย์อื่น", name_en="Other venue")
    create_space("FAR-1", venue=other)
    html = staff_client.get("/diary/?venue=OTHER").content.decode()
    assert 'name="venue"' in html and "FAR-1" in html and 'data-space="MR-1"' not in html


def test_form_is_prefilled_from_the_cell(staff_client, room):
    res = staff_client.get("/diary/new/?space=MR-1&day=2027-02-03", HTTP_HX_REQUEST="true")
    html = res.content.decode()
    assert res.status_code == 200 and "<html" not in html  # an htmx partial
    assert 'value="3/2/2570"' in html and '<option value="MR-1" selected>' in html
    assert "3 กุมภาพันธ์ 2570" in html


def test_create_from_the_form(staff_client, room, soon):
    day = soon.date()
    res = staff_client.post("/diary/new/", form_data(room, day))
    booking = Booking.objects.get()
    assert res.status_code == 302 and res["Location"] == f"/diary/bookings/{booking.pk}/"
    assert booking.status == "hold" and booking.option_rank == 1
    assert booking.start == datetime(day.year, day.month, day.day, 9, tzinfo=BKK)
    assert booking.occupied_start == booking.start - timedelta(minutes=60)
    # Through htmx the page is told where to go instead.
    res = staff_client.post("/diary/new/", form_data(room, day + timedelta(days=1)), HTTP_HX_REQUEST="true")
    assert res.status_code == 204 and res["HX-Redirect"].startswith("/diary/bookings/")


def test_conflict_is_a_form_error_and_nothing_is_written(staff_client, room, create_booking, soon):
    create_booking(room, soon, title="Existing fair", status="confirmed", hours=3)
    before = (Booking.objects.count(), Occupancy.objects.count(), AuditEntry.objects.count())
    res = staff_client.post("/diary/new/", form_data(room, soon.date(), status="confirmed", title="Rival"),
                            HTTP_HX_REQUEST="true")
    assert res.status_code == 409
    form = res.context["form"]
    assert "start_time" in form.errors
    html = res.content.decode()
    assert "พื้นที่นี้มีการจองในช่วงเวลาดังกล่าวแล้ว" in html  # errors.SLOT_TAKEN, in Thai
    assert "Existing fair" in html and 'id="id_start_time_errors"' in html
    assert (Booking.objects.count(), Occupancy.objects.count(), AuditEntry.objects.count()) == before


def test_rule_and_validation_errors_name_the_field(staff_client, room, soon):
    BookingRule.objects.create(space=room, max_attendees=10)
    res = staff_client.post("/diary/new/", form_data(room, soon.date(), attendees="40"))
    assert res.status_code == 422 and "attendees" in res.context["form"].errors
    res = staff_client.post("/diary/new/", form_data(room, soon.date(), attendees="5", end_time="08:00"))
    assert res.status_code == 422 and "end_time" in res.context["form"].errors
    res = staff_client.post("/diary/new/", form_data(room, soon.date(), attendees="5", layout="booths"))
    assert res.status_code == 422 and "layout" in res.context["form"].errors
    res = staff_client.post("/diary/new/", {**form_data(room, soon.date(), attendees="5"), "space": "NOPE"})
    assert res.status_code == 422 and "space" in res.context["form"].errors
    assert not Booking.objects.exists()


def test_confirm_and_cancel_through_the_booking_page(staff_client, room, create_booking, soon):
    booking = create_booking(room, soon, status="hold", title="Lanna craft fair")
    page = staff_client.get(f"/diary/bookings/{booking.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and "Lanna craft fair" in html and "/confirm/" in html
    res = staff_client.post(f"/diary/bookings/{booking.pk}/confirm/", {"reason": "deposit paid"})
    assert res.status_code == 302
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    html = staff_client.get(f"/diary/bookings/{booking.pk}/").content.decode()
    assert "deposit paid" in html and "staff" in html  # the audit trail: who and why
    # Cancelling needs a reason: a form error, nothing changes.
    res = staff_client.post(f"/diary/bookings/{booking.pk}/cancel/", {"reason": ""})
    assert res.status_code == 422
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    res = staff_client.post(f"/diary/bookings/{booking.pk}/cancel/", {"reason": "organiser withdrew"})
    booking.refresh_from_db()
    assert res.status_code == 302 and booking.status == "cancelled"
    assert not Occupancy.objects.filter(booking=booking, active=True).exists()


def test_planner_cannot_confirm_and_sees_only_own_agency(client, room, create_user, create_agency,
                                                          create_booking, soon):
    agency = create_agency("LPG-IND")
    planner = create_user("planner", agency=agency)
    mine = create_booking(room, soon, status="hold", title="Our seminar", agency=agency)
    theirs = create_booking(room, soon + timedelta(days=1), status="confirmed", title="Their secret",
                            agency=create_agency("OTHER"))
    client.force_login(planner)
    html = client.get(f"/diary/bookings/{mine.pk}/").content.decode()
    assert "/confirm/" not in html and "/release/" in html
    res = client.post(f"/diary/bookings/{mine.pk}/confirm/", {"reason": ""})
    assert res.status_code == 403
    mine.refresh_from_db()
    assert mine.status == "hold"
    assert client.get(f"/diary/bookings/{theirs.pk}/").status_code == 404
    grid = client.get(f"/diary/?view=week&date={soon.date().isoformat()}").content.decode()
    assert "Our seminar" in grid and "Their secret" not in grid
    # Planners cannot pick "confirmed" in the form, and a forged post is refused on the field.
    form = client.get("/diary/new/?space=MR-1").content.decode()
    assert 'value="confirmed"' not in form
    res = client.post("/diary/new/", form_data(room, (soon + timedelta(days=5)).date(), status="confirmed"))
    assert res.status_code == 422 and "status" in res.context["form"].errors
    assert client.get("/diary/spaces/MR-1.ics").status_code == 403


def test_ics_export_of_one_space(staff_client, room, create_booking, soon):
    booking = create_booking(room, soon, hours=3, status="confirmed", title="งานแสดงสินค้า",
                             title_en="Trade fair")
    res = staff_client.get("/diary/spaces/MR-1.ics")
    assert res.status_code == 200 and res["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(res.content)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Bangkok"]
    (event,) = cal.walk("VEVENT")
    assert event["UID"] == booking.ical_uid == f"booking-{booking.pk}@khuang"  # the public feed's UID too
    assert event.decoded("DTSTART") == soon and event.decoded("DTEND") == soon + timedelta(hours=3)
    assert event["DTSTART"].params["TZID"] == "Asia/Bangkok"
    assert str(event["SUMMARY"]) == "งานแสดงสินค้า" and event["STATUS"] == "CONFIRMED"
    # The UID is the same on the next export.
    again = icalendar.Calendar.from_ical(staff_client.get("/diary/spaces/MR-1.ics").content)
    assert again.walk("VEVENT")[0]["UID"] == event["UID"]
    assert staff_client.get("/diary/spaces/NOPE.ics").status_code == 404


def test_staff_set_booking_rules_in_the_admin_and_a_bad_range_is_refused(client, create_space, db):
    from khuang.accounts.models import User
    from khuang.bookings.models import BookingRule

    space = create_space("RULED")
    admin_user = User.objects.create_superuser("boss", "boss@example.org", "pass-1234", role="center_staff")
    client.force_login(admin_user)
    url = "/admin/bookings/bookingrule/add/"
    base = {"space": space.pk, "default_hold_days": 7, "max_hold_days": 30, "max_span_days": 31,
            "hold_roles": ["agency_planner"],
            "confirm_roles": ["center_staff"]}
    bad = client.post(url, {**base, "min_attendees": 50, "max_attendees": 10}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 200 and not BookingRule.objects.exists()
    good = client.post(url, {**base, "min_attendees": 10, "max_attendees": 50, "min_lead_days": 3})
    assert good.status_code == 302
    rule = BookingRule.objects.get(space=space)
    assert (rule.min_attendees, rule.hold_roles, rule.confirm_roles) == (10, ["agency_planner"], ["center_staff"])


def _cell(html: str, space: str, day) -> str:
    """The HTML of one diary cell."""
    start = html.index(f'data-space="{space}" data-day="{day.isoformat()}"')
    return html[start:html.index("</td>", start)]


def test_month_blocked_by_a_combined_space_is_one_band_and_full_days_offer_no_add(staff_client, create_halls,
                                                                                 create_booking, bkk):
    hall_a, hall_b, hall_ab = create_halls()
    start = bkk(2027, 3, 9, 0)
    create_booking(hall_ab, start, hours=72, status="confirmed", title="มหกรรมเซรามิก", title_en="Ceramics fair")
    create_booking(hall_a, bkk(2027, 3, 20, 9), hours=3, status="confirmed", title="สัมมนาเช้า")
    html = staff_client.get("/diary/?view=month&date=2027-03-01").content.decode()
    first_day = start.date()
    # One band over the three days of HALL-A and of HALL-B, no per-cell markers; it names the booking on hover.
    band = _cell(html, "HALL-A", first_day)
    assert html.count('class="band"') == 3 and "--span:3" in band and "HALL-AB" in band  # + HALL-AB on the 20th
    assert "มหกรรมเซรามิก" in band
    for i in range(3):
        day = first_day + timedelta(days=i)
        for code in ("HALL-A", "HALL-B", "HALL-AB"):
            assert 'class="add' not in _cell(html, code, day), (code, day)
        assert 'class="band"' not in _cell(html, "HALL-A", day) or i == 0
    # A morning booking leaves the afternoon: the cell still offers "+"; so does the combination's own cell.
    assert 'class="add' in _cell(html, "HALL-A", bkk(2027, 3, 20, 0).date())
    assert 'class="add' in _cell(html, "HALL-AB", bkk(2027, 3, 20, 0).date())
    assert 'class="add' in _cell(html, "HALL-A", bkk(2027, 3, 21, 0).date())


def test_month_chip_has_its_details_in_a_tooltip(staff_client, room, create_booking, bkk):
    b = create_booking(room, bkk(2027, 3, 9, 9), hours=50, status="hold", title="อบรมการออกแบบบรรจุภัณฑ์",
                       setup_minutes=60)
    html = staff_client.get("/diary/?view=month&date=2027-03-01").content.decode()
    cell = _cell(html, "MR-1", bkk(2027, 3, 9, 0).date())
    assert f'aria-describedby="tip-{room.pk}-' in cell and 'role="tooltip"' in cell
    assert "--span:3" in cell and "อบรมการออกแบบบรรจุภัณฑ์" in cell and "2570" in cell
    assert f"/diary/bookings/{b.pk}/" in cell


def test_a_refused_confirmation_names_the_booking_in_the_way(staff_client, room, create_booking, soon):
    rival = create_booking(room, soon, status="confirmed", title="ประชุมใหญ่ประจำปี")
    waiting = create_booking(room, soon, status="inquiry", title="Second asker")
    res = staff_client.post(f"/diary/bookings/{waiting.pk}/confirm/", {"reason": "they paid"})
    html = res.content.decode()
    assert res.status_code == 409
    assert 'id="refusal"' in html and 'role="alert"' in html
    assert "ประชุมใหญ่ประจำปี" in html and f'href="/diary/bookings/{rival.pk}/"' in html
    assert 'value="they paid"' in html  # the reason typed is kept
    assert "#refusal" in html  # the forms come back to the refusal after a submit
    waiting.refresh_from_db()
    assert waiting.status == "inquiry"


def test_an_empty_diary_month_points_to_the_next_booking(staff_client, room, create_booking, bkk):
    create_booking(room, bkk(2027, 3, 9, 9), title="สัมมนาเครื่องปั้นดินเผา", title_en="Pottery seminar")
    html = staff_client.get("/diary/?view=month&date=2027-01-05").content.decode()
    assert 'class="next-hint"' in html and "ถัดไป: 9 มี.ค. 2570 · สัมมนาเครื่องปั้นดินเผา" in html
    assert "date=2027-03-09" in html
    english = staff_client.get("/diary/?view=month&date=2027-01-05&lang=en").content.decode()
    assert "Next: 9 Mar 2027 · Pottery seminar" in english
    assert 'class="next-hint"' not in staff_client.get("/diary/?view=month&date=2027-03-01").content.decode()
