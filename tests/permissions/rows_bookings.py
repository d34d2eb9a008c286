"""The diary: staff book for anyone, planners for their own agency, agency viewers read, executives see no bookings."""

from datetime import timedelta
from urllib.parse import quote

from . import Row


def build(world: dict) -> None:
    from khuang.bookings.services import BookingDraft, booking_create
    from khuang.venues.models import Space

    room = Space.objects.get(code="ROOM-1")
    staff, soon, a = world["users"]["staff"], world["soon"], world["agency_a"]

    def book(status: str, day: int) -> int:
        start = soon + timedelta(days=day)
        draft = BookingDraft(space=room, title=f"{status} of A", start=start, end=start + timedelta(hours=2),
                             status=status, agency=a)
        return booking_create(draft, actor=staff).pk

    world["booking"], world["hold"], world["inquiry"] = book("confirmed", 0), book("hold", 1), book("inquiry", 2)
    world["span_q"] = (f"start={quote((soon + timedelta(days=30)).isoformat())}"
                       f"&end={quote((soon + timedelta(days=30, hours=2)).isoformat())}")


def _new(world: dict, **extra) -> dict:
    start = world["soon"] + timedelta(days=5)
    return {"space": "ROOM-2", "title": "New inquiry", "start": start.isoformat(),
            "end": (start + timedelta(hours=2)).isoformat(), **extra}


def _form(world: dict) -> dict:
    day = (world["soon"] + timedelta(days=6)).date().isoformat()
    return {"space": "ROOM-2", "title": "From the form", "day": day, "start_time": "09:00", "end_time": "11:00",
            "setup_minutes": 0, "teardown_minutes": 0, "status": "inquiry", "event_type": "seminar",
            "attendees": 10, "customer_class": "government"}


ROWS = [
    #   method   path / route                                         anon staff plan planB view viewB none exec
    Row("POST",  "/api/bookings",                                     "401  201   201  201   403  403   403  403",
        body=_new, note="for their own agency"),
    Row("POST",  "/api/bookings",                                     "401  201   201  403   403  403   403  403",
        body=lambda w: _new(w, agency="AG-A"), note="for agency A"),
    Row("GET",   "/api/bookings",                                     "401  200   200  200   200  200   200  200"),
    Row("POST",  "/api/bookings/series/preview",                      "401  200   200  200   403  403   403  403",
        body=lambda w: _new(w, count=2)),
    Row("POST",  "/api/bookings/series",                              "401  201   201  201   403  403   403  403",
        body=lambda w: _new(w, count=2)),
    Row("GET",   "/api/bookings/{booking_id}",                        "401  200   200  404   200  404   404  404",
        url="/api/bookings/{booking}", also={"finance": 200}),
    Row("PATCH", "/api/bookings/{booking_id}",                        "401  200   200  404   403  404   404  404",
        url="/api/bookings/{booking}", body={"title": "Renamed"}, also={"finance": 403}),
    Row("PATCH", "/api/bookings/{booking_id}",                        "401  200   200  404   403  404   404  404",
        url="/api/bookings/{booking}", body={"is_public": True}, note="publish", also={"finance": 403}),
    Row("POST",  "/api/bookings/{booking_id}/confirm",                "401  200   403  404   403  404   404  404",
        url="/api/bookings/{hold}/confirm", body={}, also={"finance": 403}),
    Row("POST",  "/api/bookings/{booking_id}/release",                "401  200   200  404   403  404   404  404",
        url="/api/bookings/{hold}/release", body={}, also={"finance": 403}),
    Row("POST",  "/api/bookings/{booking_id}/cancel",                 "401  200   200  404   403  404   404  404",
        url="/api/bookings/{booking}/cancel", body={"reason": "called off"}, also={"finance": 403}),
    Row("GET",   "/api/availability",                                 "401  200   200  200   200  200   200  200",
        url="/api/availability?{span_q}"),
    Row("GET",   "diary/",                                            "302  200   200  200   200  200   200  200",
        url="/diary/"),
    Row("GET",   "diary/new/",                                        "302  200   200  200   403  403   403  403",
        url="/diary/new/"),
    Row("POST",  "diary/new/",                                        "302  302   302  302   403  403   403  403",
        url="/diary/new/", body=_form),
    Row("GET",   "diary/bookings/<int:booking_id>/",                  "302  200   200  404   200  404   404  404",
        url="/diary/bookings/{booking}/", also={"finance": 200}),
    Row("POST",  "diary/bookings/<int:booking_id>/<slug:action>/",    "302  302   302  404   403  404   404  404",
        url="/diary/bookings/{booking}/cancel/", body={"reason": "called off"}, also={"finance": 403}),
    Row("POST",  "diary/bookings/<int:booking_id>/<slug:action>/",    "302  302   403  404   403  404   404  404",
        url="/diary/bookings/{inquiry}/confirm/", body={}, note="confirm", also={"finance": 403}),
    Row("GET",   "diary/spaces/<str:code>.ics",                       "302  200   403  403   403  403   403  403",
        url="/diary/spaces/ROOM-1.ics"),
]
