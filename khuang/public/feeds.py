"""iCalendar (RFC 5545) and JSON renderings of public events. No personal data: no contacts, no attendees."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone
from icalendar import Calendar, Event, vGeo

from khuang.bookings.models import Booking, BookingStatus
from khuang.core.i18n import pick

from .models import EventPage

BANGKOK = ZoneInfo("Asia/Bangkok")
ICAL_STATUS = {
    BookingStatus.CONFIRMED: "CONFIRMED",
    BookingStatus.COMPLETED: "CONFIRMED",
    BookingStatus.HOLD: "TENTATIVE",
    BookingStatus.CANCELLED: "CANCELLED",
}


def _location(booking: Booking, lang: str) -> str:
    venue = booking.space.venue
    space = pick(booking.space.name_th, booking.space.name_en, lang)
    name = pick(venue.name_th, venue.name_en, lang)
    return f"{space}, {name}"


def ics_calendar(bookings, *, name: str, base_url: str, lang: str = "th") -> bytes:
    """A VCALENDAR with one VEVENT per booking, times in Asia/Bangkok and its VTIMEZONE."""
    cal = Calendar()
    cal.add("prodid", "-//Khuang//Public events//TH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Bangkok")
    stamp = timezone.now()
    for b in bookings:
        ev = Event()
        ev.add("uid", b.ical_uid)
        ev.add("dtstamp", stamp)
        ev.add("dtstart", b.start.astimezone(BANGKOK))
        ev.add("dtend", b.end.astimezone(BANGKOK))
        ev.add("sequence", b.sequence)
        ev.add("status", ICAL_STATUS.get(b.status, "TENTATIVE"))
        ev.add("summary", b.display_title(lang))
        ev.add("location", _location(b, lang))
        ev.add("categories", [b.event_type])
        ev.add("url", f"{base_url}/events/{b.pk}/")
        ev.add("last-modified", b.updated_at)
        ev.add("created", b.created_at)
        venue = b.space.venue
        if venue.latitude is not None and venue.longitude is not None:
            ev.add("geo", vGeo((float(venue.latitude), float(venue.longitude))))
        summary = public_summary(b, lang)
        if summary:
            ev.add("description", summary)
        cal.add_component(ev)
    cal.add_missing_timezones()
    return cal.to_ical()


def public_summary(b: Booking, lang: str) -> str:
    """The description staff wrote for the public (the booking's own notes stay internal)."""
    try:
        page = b.event_page
    except EventPage.DoesNotExist:
        return ""
    return pick(page.summary_th, page.summary_en, lang) if page else ""


def _iso(value: datetime) -> str:
    return value.astimezone(BANGKOK).isoformat()


def json_event(b: Booking, *, base_url: str) -> dict:
    """One public event as plain JSON (ISO times with +07:00)."""
    venue = b.space.venue
    return {
        "id": b.pk, "uid": b.ical_uid, "url": f"{base_url}/events/{b.pk}/",
        "title": b.title, "title_en": b.title_en, "type": b.event_type, "status": b.status,
        "start": _iso(b.start), "end": _iso(b.end), "sequence": b.sequence,
        "space": {"code": b.space.code, "name_th": b.space.name_th, "name_en": b.space.name_en},
        "venue": {"code": venue.code, "name_th": venue.name_th, "name_en": venue.name_en,
                  "latitude": float(venue.latitude) if venue.latitude is not None else None,
                  "longitude": float(venue.longitude) if venue.longitude is not None else None},
        "agency": ({"code": b.agency.code, "name_th": b.agency.name_th, "name_en": b.agency.name_en}
                   if b.agency else None),
        "description": public_summary(b, "th"), "description_en": public_summary(b, "en"),
        "updated_at": _iso(b.updated_at),
    }


def json_ld(b: Booking, *, url: str, lang: str) -> dict:
    """schema.org Event for the event page."""
    venue = b.space.venue
    place = {"@type": "Place", "name": _location(b, lang),
             "address": {"@type": "PostalAddress", "streetAddress": pick(venue.address_th, venue.address_en, lang),
                         "addressRegion": venue.province, "addressCountry": "TH"}}
    if venue.latitude is not None and venue.longitude is not None:
        place["geo"] = {"@type": "GeoCoordinates", "latitude": float(venue.latitude),
                        "longitude": float(venue.longitude)}
    data = {
        "@context": "https://schema.org", "@type": "Event", "name": b.display_title(lang),
        "startDate": _iso(b.start), "endDate": _iso(b.end), "url": url, "inLanguage": lang,
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "eventStatus": "https://schema.org/EventCancelled" if b.status == BookingStatus.CANCELLED
        else "https://schema.org/EventScheduled",
        "location": place,
    }
    summary = public_summary(b, lang)
    if summary:
        data["description"] = summary
    if b.agency:
        data["organizer"] = {"@type": "Organization", "name": pick(b.agency.name_th, b.agency.name_en, lang)}
    return data
