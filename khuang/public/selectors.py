"""Reads for the public side: upcoming public events, feeds' events, nearby attractions, festivals, registrations.

Travel estimates: the straight-line (haversine) distance times ROAD_FACTOR gives a road distance; divided by
AVERAGE_SPEED_KMH it gives the driving time. 1.3 is the usual detour ratio of rural road networks; 50 km/h is a
car on Lampang's provincial roads including village stretches. Both are estimates, shown as such.
"""

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from khuang.bookings.models import Booking, BookingStatus
from khuang.bookings.selectors import public_bookings
from khuang.core.errors import NotFoundError

from .models import Attraction, EventPage, FestivalDate, Registration, RegistrationStatus

EARTH_RADIUS_KM = 6371.0
ROAD_FACTOR = 1.3
AVERAGE_SPEED_KMH = 50.0
NEARBY_LIMIT_KM = 80.0
FEED_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.HOLD, BookingStatus.COMPLETED, BookingStatus.CANCELLED)


def _events(statuses) -> QuerySet[Booking]:
    return public_bookings(statuses=statuses).select_related("event_page").order_by("start", "id")


def event_list(*, month: date | None = None, event_type: str | None = None, agency: str | None = None,
               now: datetime | None = None) -> QuerySet[Booking]:
    """Upcoming public events (first-option holds and confirmed), filtered by month, type and agency."""
    qs = _events((BookingStatus.CONFIRMED, BookingStatus.HOLD))
    if month is not None:
        tz = timezone.get_current_timezone()
        first = datetime(month.year, month.month, 1, tzinfo=tz)
        after = datetime(month.year + (month.month == 12), month.month % 12 + 1, 1, tzinfo=tz)
        qs = qs.filter(start__lt=after, end__gt=first)
    else:
        qs = qs.filter(end__gt=now or timezone.now())
    if event_type:
        qs = qs.filter(event_type=event_type)
    if agency:
        qs = qs.filter(agency__code=agency)
    return qs


def next_event(*, after: datetime, event_type: str | None = None, agency: str | None = None) -> Booking | None:
    """The first public event starting at or after `after` (same filters as the list), for "next: …"."""
    qs = _events((BookingStatus.CONFIRMED, BookingStatus.HOLD)).filter(start__gte=after)
    if event_type:
        qs = qs.filter(event_type=event_type)
    if agency:
        qs = qs.filter(agency__code=agency)
    return qs.first()


def feed_events(*, event_type: str | None = None, agency: str | None = None) -> QuerySet[Booking]:
    """Every public event for the feeds, cancelled ones included so subscribers see the cancellation."""
    qs = _events(FEED_STATUSES)
    if event_type:
        qs = qs.filter(event_type=event_type)
    if agency:
        qs = qs.filter(agency__code=agency)
    return qs


def event_get(pk: int) -> Booking:
    """One public event (cancelled ones too, so old links explain what happened) or NotFoundError."""
    booking = _events(FEED_STATUSES).filter(pk=pk).first()
    if booking is None:
        raise NotFoundError("event")
    return booking


def event_page(booking: Booking) -> EventPage | None:
    """The public extras of an event, if staff made them."""
    try:
        return booking.event_page
    except EventPage.DoesNotExist:
        return None


def month_grid(first: date, events: list[Booking]) -> list[list[dict]]:
    """Weeks (Mon–Sun) of a month, each day with the events running on it (local dates)."""
    start = first - timedelta(days=first.weekday())
    after = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    weeks, day = [], start
    spans = [(timezone.localtime(b.start).date(), timezone.localtime(b.end - timedelta(seconds=1)).date(), b)
             for b in events]
    while day < after or day.weekday() != 0:
        if day.weekday() == 0:
            weeks.append([])
        weeks[-1].append({"date": day, "in_month": day.month == first.month,
                          "events": [b for s, e, b in spans if s <= day <= e]})
        day += timedelta(days=1)
    return weeks


@dataclass(frozen=True)
class Nearby:
    """An attraction with its distance from the venue and the estimated drive."""

    attraction: Attraction
    straight_km: float
    road_km: float
    drive_minutes: int


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def travel_estimate(straight_km: float) -> tuple[float, int]:
    """(road km, minutes by car) from a straight-line distance, by the documented factor and speed."""
    road = straight_km * ROAD_FACTOR
    return road, max(1, round(road / AVERAGE_SPEED_KMH * 60))


def nearby_attractions(lat: Decimal | float | None, lon: Decimal | float | None, *,
                       limit_km: float = NEARBY_LIMIT_KM, count: int = 8) -> list[Nearby]:
    """Active attractions within `limit_km` (road) of a point, nearest first."""
    if lat is None or lon is None:
        return []
    out = []
    for a in Attraction.objects.filter(is_active=True, latitude__isnull=False, longitude__isnull=False):
        straight = haversine_km(float(lat), float(lon), float(a.latitude), float(a.longitude))
        road, minutes = travel_estimate(straight)
        if road <= limit_km:
            out.append(Nearby(a, round(straight, 1), round(road, 1), minutes))
    out.sort(key=lambda n: n.road_km)
    return out[:count]


def festivals_during(first: date, last: date, province: str = "") -> list[FestivalDate]:
    """Festival, fair, market and holiday dates overlapping [first, last] in the venue's province (or all)."""
    qs = (FestivalDate.objects.select_related("festival").filter(start__lte=last, end__gte=first)
          .exclude(festival__kind="season"))
    if province:
        qs = qs.filter(Q(festival__province="ALL") | Q(festival__province__icontains=province))
    return list(qs.order_by("start", "festival__key"))


def registration_counts(page: EventPage) -> dict[str, int]:
    """How many are registered and waiting for one event."""
    rows = dict(page.registrations.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return {"registered": rows.get(RegistrationStatus.REGISTERED, 0),
            "waiting": rows.get(RegistrationStatus.WAITING, 0)}


def registration_by_code(code: str) -> Registration:
    """A registration by its check-in code, or NotFoundError."""
    reg = (Registration.objects.select_related("event__booking__space__venue")
           .filter(code=(code or "").strip().upper()).first())
    if reg is None:
        raise NotFoundError("registration")
    return reg


def registrations_for(viewer, booking: Booking, query: str = "") -> QuerySet[Registration]:
    """Registrations of an event the viewer may see (staff: any; planners: their agency's events only)."""
    if not booking.shows_registrants_to(viewer):
        return Registration.objects.none()
    qs = Registration.objects.filter(event__booking=booking).exclude(status=RegistrationStatus.CANCELLED)
    query = query.strip()
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(email__icontains=query) | Q(code__iexact=query)
                       | Q(phone__icontains=query))
    return qs.order_by("status", "name", "id")


def managed_events(viewer) -> QuerySet[Booking]:
    """Events with registration the viewer may see (staff: all; agency members: their agency's). Checking people
    in is for those the booking says may manage them (`Booking.can_manage_registrations`)."""
    return Booking.objects.with_registrants_visible_to(viewer).select_related("space", "agency", "event_page").filter(
        event_page__capacity__isnull=False).order_by("-start")
