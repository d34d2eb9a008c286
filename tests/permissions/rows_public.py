"""Public pages and feeds are everyone's; check-in lists are the organising agency's (planners act, viewers read)."""

from datetime import timedelta

from . import Row


def build(world: dict) -> None:
    from khuang.bookings.services import BookingDraft, booking_create
    from khuang.public.models import EventPage, Registration
    from khuang.venues.models import Space

    start = world["soon"] + timedelta(days=3)
    event = booking_create(BookingDraft(space=Space.objects.get(code="HALL-A"), title="Open day of A", start=start,
                                        end=start + timedelta(hours=6), status="confirmed", is_public=True,
                                        agency=world["agency_a"], event_type="exhibition"),
                           actor=world["users"]["staff"])
    page = EventPage.objects.create(booking=event, capacity=100)
    reg = Registration.objects.create(event=page, name="Anong", email="anong@example.org", phone="0812345678")
    world["event"], world["ticket"] = event.pk, reg.code


REGISTRANT = {"name": "Visitor", "email": "visitor@example.org", "phone": "081 234 5678"}

ROWS = [
    #   method  route                                         anon staff plan planB view viewB none exec
    Row("GET",  "",                                            "302  302   302  302   302  302   302  302", url="/"),
    Row("GET",  "events/",                                     "200  200   200  200   200  200   200  200",
        url="/events/"),
    Row("GET",  "events/calendar/",                            "200  200   200  200   200  200   200  200",
        url="/events/calendar/"),
    Row("GET",  "events/<int:pk>/",                            "200  200   200  200   200  200   200  200",
        url="/events/{event}/"),
    Row("GET",  "events/<int:pk>.ics",                         "200  200   200  200   200  200   200  200",
        url="/events/{event}.ics"),
    Row("GET",  "events/<int:pk>/register/",                   "302  302   302  302   302  302   302  302",
        url="/events/{event}/register/"),
    Row("POST", "events/<int:pk>/register/",                   "302  302   302  302   302  302   302  302",
        url="/events/{event}/register/", body=REGISTRANT),
    Row("GET",  "events/ticket/<str:code>/",                   "200  200   200  200   200  200   200  200",
        url="/events/ticket/{ticket}/"),
    Row("POST", "events/ticket/<str:code>/cancel/",            "302  302   302  302   302  302   302  302",
        url="/events/ticket/{ticket}/cancel/"),
    Row("GET",  "events/check-in/",                            "302  200   200  200   200  200   200  200",
        url="/events/check-in/"),
    Row("GET",  "events/<int:pk>/check-in/",                   "302  200   200  404   200  404   404  404",
        url="/events/{event}/check-in/"),
    Row("POST", "events/<int:pk>/check-in/",                   "302  200   200  404   403  404   404  404",
        url="/events/{event}/check-in/", body=lambda w: {"code": w["ticket"]}),
    Row("GET",  "events/<int:pk>/registrations.csv",           "302  200   200  404   200  404   404  404",
        url="/events/{event}/registrations.csv"),
    Row("GET",  "calendar.ics",                                "200  200   200  200   200  200   200  200",
        url="/calendar.ics"),
    Row("GET",  "calendar/type/<str:event_type>.ics",          "200  200   200  200   200  200   200  200",
        url="/calendar/type/exhibition.ics"),
    Row("GET",  "calendar/agency/<str:agency>.ics",            "200  200   200  200   200  200   200  200",
        url="/calendar/agency/AG-A.ics"),
    Row("GET",  "calendar.json",                               "200  200   200  200   200  200   200  200",
        url="/calendar.json"),
]
