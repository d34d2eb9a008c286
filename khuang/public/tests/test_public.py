"""Public pages, feeds, registration, check-in, privacy and the tourism data."""

import csv
import io
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from icalendar import Calendar

from khuang.bookings.models import Booking
from khuang.bookings.services import booking_cancel, booking_update
from khuang.public import errors, selectors
from khuang.public.models import Attraction, EventPage, Registration
from khuang.public.services import tourism_seed

CONTACT = {"contact_name": "Somchai Secret", "contact_email": "somchai.secret@agency.example",
           "contact_phone": "0899999999"}


@pytest.fixture
def event(create_booking, create_agency, soon, venue):
    venue.latitude, venue.longitude, venue.province = Decimal("18.193000"), Decimal("99.396000"), "Lampang"
    venue.save()
    agency = create_agency("LPG-IND", name_th="สำนักงานอุตสาหกรรมจังหวัดลำปาง", name_en="Lampang Industry Office")
    booking = create_booking(title="สัมมนาเซรามิก", title_en="Ceramics seminar", is_public=True, agency=agency,
                             event_type="seminar", hours=7, **CONTACT)
    EventPage.objects.create(booking=booking, capacity=2, waiting_list=True, summary_th="รายละเอียด",
                             summary_en="Details")
    return booking


def register(client, booking, email="a@example.org", **kw):
    data = {"name": "Anong Test", "email": email, "phone": "081 234 5678", "organisation": "Shop", **kw}
    return client.post(f"/events/{booking.pk}/register/", data)


# ---------------------------------------------------------------- pages

def test_event_list_shows_public_events_only(client, event, create_booking, soon):
    create_booking(title="Private board meeting", start=soon + timedelta(days=1))
    body = client.get("/events/").content.decode()
    assert "สัมมนาเซรามิก" in body and "Private board meeting" not in body


def test_event_list_filters_and_english(client, event, soon):
    month = f"{soon:%Y-%m}"
    url = f"/events/?lang=en&month={month}&type=seminar&agency=LPG-IND"
    assert "Ceramics seminar" in client.get(url).content.decode()
    assert "สัมมนาเซรามิก" not in client.get("/events/?type=esports").content.decode()
    # nonsense filters are ignored, not errors
    assert client.get("/events/?month=2027-13&type=<x>&agency=nope").status_code == 200


def test_calendar_month_view(client, event, soon):
    body = client.get(f"/events/calendar/?month={soon:%Y-%m}").content.decode()
    assert "สัมมนาเซรามิก" in body and str(soon.year + 543) in body
    assert client.get(f"/events/calendar/?month={soon:%Y-%m}&lang=en").content.decode().count(str(soon.year)) >= 1


def test_event_page_has_be_date_map_link_and_json_ld(client, event):
    body = client.get(f"/events/{event.pk}/").content.decode()
    assert str(event.start.year + 543) in body
    assert "https://www.google.com/maps/search/?api=1&amp;query=18.193000,99.396000" in body
    assert "วัดพระธาตุลำปางหลวง" not in body  # tourism data not seeded in this test
    start = body.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    data = json.loads(body[start:body.index("</script>", start)])
    assert data["@type"] == "Event" and data["name"] == "สัมมนาเซรามิก"
    assert data["startDate"].endswith("+07:00")


def test_unknown_event_is_404(client, event, create_booking, soon):
    private = create_booking(title="Private", start=soon + timedelta(days=2))
    assert client.get("/events/999999/").status_code == 404
    assert client.get(f"/events/{private.pk}/").status_code == 404


# ---------------------------------------------------------------- feeds

def _ics(client, url="/calendar.ics"):
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_ics_round_trips_times_with_vtimezone(client, event):
    cal = _ics(client)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Bangkok"]
    (vevent,) = cal.walk("VEVENT")
    assert vevent["DTSTART"].dt == event.start and vevent["DTEND"].dt == event.end
    assert str(vevent["DTSTART"].dt.tzinfo) == "Asia/Bangkok"
    assert vevent["STATUS"] == "CONFIRMED" and int(vevent["SEQUENCE"]) == event.sequence


def test_changed_event_raises_sequence_and_cancelled_stays(client, event, staff_user):
    before = int(_ics(client).walk("VEVENT")[0]["SEQUENCE"])
    booking_update(event, {"title": "สัมมนาเซรามิก (ย้ายเวลา)", "start": event.start + timedelta(hours=1),
                           "end": event.end + timedelta(hours=1)}, actor=staff_user)
    after = _ics(client).walk("VEVENT")[0]
    assert int(after["SEQUENCE"]) > before
    assert after["DTSTART"].dt == event.start + timedelta(hours=1)
    booking_cancel(Booking.objects.get(pk=event.pk), actor=staff_user, reason="rain")
    (cancelled,) = _ics(client).walk("VEVENT")
    assert cancelled["STATUS"] == "CANCELLED" and int(cancelled["SEQUENCE"]) > int(after["SEQUENCE"])


def test_feeds_per_type_and_agency(client, event):
    assert len(_ics(client, "/calendar/type/seminar.ics").walk("VEVENT")) == 1
    assert len(_ics(client, "/calendar/type/esports.ics").walk("VEVENT")) == 0
    assert len(_ics(client, "/calendar/agency/LPG-IND.ics").walk("VEVENT")) == 1
    assert len(_ics(client, "/calendar.ics?type=seminar&agency=LPG-IND").walk("VEVENT")) == 1
    assert client.get("/calendar/type/nonsense.ics").status_code == 404
    assert client.get("/calendar/agency/NOPE.ics").status_code == 404
    assert client.get("/calendar.json?agency=NOPE").status_code == 404


def test_json_feed(client, event):
    data = client.get("/calendar.json").json()
    (row,) = data["events"]
    assert row["id"] == event.pk and row["start"] == event.start.isoformat() and row["type"] == "seminar"


def test_public_pages_and_feeds_show_no_personal_data(client, event):
    register(client, event, email="visitor.private@example.org", name="Visitor Private")
    secrets = [*CONTACT.values(), "visitor.private@example.org", "Visitor Private", "081 234 5678"]
    for url in ("/events/", f"/events/{event.pk}/", "/events/calendar/", "/calendar.ics", "/calendar.json",
                "/calendar/type/seminar.ics", "/calendar/agency/LPG-IND.ics", "/events/?lang=en"):
        body = client.get(url).content.decode()
        for secret in secrets:
            assert secret not in body, f"{secret!r} leaks on {url}"


# ---------------------------------------------------------------- registration

def test_register_confirmation_page_qr_and_mail(client, event, django_capture_on_commit_callbacks, settings):
    # The mail is a task: run tasks at once here (the worker does it in production).
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client, event)
    assert response.status_code == 302
    reg = Registration.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert reg.code in page and "<svg" in page
    assert len(mail.outbox) == 1 and reg.code in mail.outbox[0].body
    assert mail.outbox[0].attachments[0][2] == "image/png"


def test_waiting_list_moves_up_on_cancel(client, event):
    for n in range(3):
        register(client, event, email=f"p{n}@example.org")
    statuses = list(Registration.objects.order_by("id").values_list("status", flat=True))
    assert statuses == ["registered", "registered", "waiting"]
    first = Registration.objects.order_by("id").first()
    client.post(f"/events/ticket/{first.code}/cancel/")
    assert list(Registration.objects.order_by("id").values_list("status", flat=True)) == [
        "cancelled", "registered", "registered"]


def test_full_without_waiting_list_refused(client, event):
    EventPage.objects.filter(booking=event).update(capacity=1, waiting_list=False)
    register(client, event, email="one@example.org")
    response = register(client, event, email="two@example.org")
    assert response.status_code == 409 and str(errors.EVENT_FULL) in response.content.decode()
    assert Registration.objects.count() == 1


@pytest.mark.parametrize("field,value,message", [
    ("email", "not-an-email", errors.BAD_EMAIL),
    ("phone", "12ab", errors.BAD_PHONE),
    ("phone", "1234", errors.BAD_PHONE),
    ("name", "   ", errors.NAME_REQUIRED),
])
def test_bad_input_is_422_and_writes_nothing(client, event, field, value, message):
    response = register(client, event, **{field: value})
    assert response.status_code == 422 and str(message) in response.content.decode("utf-8")
    assert Registration.objects.count() == 0


def test_same_email_twice_refused(client, event):
    register(client, event, email="Same@Example.org")
    response = register(client, event, email="same@example.org ")
    assert response.status_code == 409 and Registration.objects.count() == 1


def test_db_constraint_blocks_duplicate_email(event):
    from django.db import IntegrityError, transaction

    page = event.event_page
    Registration.objects.create(event=page, name="A", email="x@example.org", phone="0812345678")
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(event=page, name="B", email="x@example.org", phone="0812345678")


def test_past_event_and_no_capacity_refused(client, event, create_booking, bkk):
    Booking.objects.filter(pk=event.pk).update(start=bkk(2020, 1, 1, 9), end=bkk(2020, 1, 1, 17))
    assert register(client, event).status_code == 422
    EventPage.objects.filter(booking=event).update(capacity=None)
    assert register(client, event).status_code == 422
    assert client.get(f"/events/{event.pk}/register/").status_code == 302
    assert client.post("/events/999999/register/", {}).status_code == 404
    assert Registration.objects.count() == 0


# ---------------------------------------------------------------- check-in and export

def test_staff_check_in_and_csv(client, event, staff_user):
    register(client, event)
    reg = Registration.objects.get()
    client.force_login(staff_user)
    assert "Anong Test" in client.get(f"/events/{event.pk}/check-in/?q=anong").content.decode()
    assert client.post(f"/events/{event.pk}/check-in/", {"code": reg.code.lower()}).status_code == 200
    reg.refresh_from_db()
    assert reg.checked_in_at is not None
    assert client.post(f"/events/{event.pk}/check-in/", {"code": reg.code}).status_code == 409
    assert client.post(f"/events/{event.pk}/check-in/", {"code": "NOPE"}).status_code == 404
    export = client.get(f"/events/{event.pk}/registrations.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(export)))
    assert rows[0][:3] == ["code", "status", "name"] and rows[1][0] == reg.code


def test_planner_sees_only_own_agency_registrations(client, event, create_user, create_agency):
    register(client, event)
    own = create_user("own", agency=event.agency)
    other = create_user("other", agency=create_agency("LPN-IND"))
    client.force_login(other)
    assert client.get(f"/events/{event.pk}/check-in/").status_code == 404
    assert client.get(f"/events/{event.pk}/registrations.csv").status_code == 404
    assert "สัมมนาเซรามิก" not in client.get("/events/check-in/").content.decode()
    client.force_login(own)
    assert client.get(f"/events/{event.pk}/check-in/").status_code == 200


def test_check_in_needs_login(client, event):
    assert client.get(f"/events/{event.pk}/check-in/").status_code == 302


# ---------------------------------------------------------------- tourism

def test_event_page_lists_nearby_attractions_with_drive_time(client, event):
    tourism_seed()
    body = client.get(f"/events/{event.pk}/?lang=en").content.decode()
    assert "Wat Phra That Lampang Luang" in body and "about 3.7 km, 4 min by car" in body


def test_tourism_seed_is_idempotent_and_nearby(event):
    assert tourism_seed() == tourism_seed()
    assert Attraction.objects.count() == 16
    near = selectors.nearby_attractions(18.193, 99.396)
    assert near[0].attraction.key == "wat_phra_that_lampang_luang"
    assert near == sorted(near, key=lambda n: n.road_km)


def test_travel_estimate_is_documented_formula():
    straight = selectors.haversine_km(18.193, 99.396, 18.2175, 99.389)
    assert 2.6 < straight < 2.9
    road, minutes = selectors.travel_estimate(100)
    assert road == pytest.approx(100 * selectors.ROAD_FACTOR)
    assert minutes == round(road / selectors.AVERAGE_SPEED_KMH * 60)


def test_festivals_during_event(event):
    from datetime import date

    tourism_seed()
    names = [f.festival.key for f in selectors.festivals_during(date(2027, 4, 12), date(2027, 4, 14), "Lampang")]
    assert "songkran" in names and "lampang_hae_salung_luang" in names
    assert "lamphun_song_nam_phra_that" not in [f.festival.key for f in selectors.festivals_during(
        date(2027, 5, 20), date(2027, 5, 20), "Lampang")]


def test_demo_load_is_idempotent(db):
    from khuang.accounts import demo as accounts_demo
    from khuang.public import demo, demo_tourism
    from khuang.venues import demo as venues_demo

    accounts_demo.load()
    venues_demo.load()
    demo_tourism.load()
    assert demo.load() == 5
    assert demo.load() == 0
    assert selectors.event_list().count() == 5


def test_an_empty_calendar_month_points_to_the_next_event(client, event, soon):
    before = soon.replace(day=1) - timedelta(days=40)
    body = client.get(f"/events/calendar/?month={before:%Y-%m}").content.decode()
    assert 'class="next-hint"' in body and "ถัดไป:" in body and "สัมมนาเซรามิก" in body
    assert f'href="?month={soon:%Y-%m}"' in body and f"{soon.year + 543}" in body
    # The filters carry over: nothing of another type, so nothing later either.
    body = client.get(f"/events/calendar/?month={before:%Y-%m}&type=esports").content.decode()
    assert "สัมมนาเซรามิก" not in body and "ยังไม่มีกิจกรรมหลังจากนี้" in body
    english = client.get(f"/events/calendar/?month={before:%Y-%m}&lang=en").content.decode()
    assert "Next:" in english and "Ceramics seminar" in english
    assert 'class="next-hint"' not in client.get(f"/events/calendar/?month={soon:%Y-%m}").content.decode()


def test_registration_names_every_bad_field_at_once(client, event):
    res = register(client, event, name=" ", email="not-an-address", phone="12")
    html = res.content.decode()
    assert res.status_code == 422
    assert str(errors.NAME_REQUIRED) in html and str(errors.BAD_EMAIL) in html and str(errors.BAD_PHONE) in html
    assert html.count('aria-invalid="true"') == 3
    assert 'value="not-an-address"' in html  # what was typed stays
    assert not Registration.objects.exists()
    # One bad field: only that one is named.
    html = register(client, event, phone="12").content.decode()
    assert str(errors.BAD_PHONE) in html and str(errors.BAD_EMAIL) not in html


def test_add_to_calendar_gives_this_events_own_ics_with_the_feeds_uid(client, event, create_booking, soon):
    other = create_booking(title="งานอื่น", is_public=True, start=soon + timedelta(days=3))
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert f'href="/events/{event.pk}.ics"' in page
    cal = _ics(client, f"/events/{event.pk}.ics")
    (vevent,) = cal.walk("VEVENT")
    (feed_event,) = [e for e in _ics(client).walk("VEVENT") if str(e["SUMMARY"]) == "สัมมนาเซรามิก"]
    assert str(vevent["UID"]) == str(feed_event["UID"]) and str(vevent["SUMMARY"]) == "สัมมนาเซรามิก"
    assert vevent["DTSTART"].dt == event.start
    assert "attachment" in client.get(f"/events/{event.pk}.ics")["Content-Disposition"]
    assert str(_ics(client, f"/events/{other.pk}.ics?lang=en").walk("VEVENT")[0]["UID"]) == f"booking-{other.pk}@khuang"
    private = create_booking(title="Private board meeting", start=soon + timedelta(days=5))
    assert client.get(f"/events/{private.pk}.ics").status_code == 404
