"""Diary endpoints: handlers parse, call one service or selector, and render."""


from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from khuang.accounts.auth import api_auth
from khuang.accounts.models import Agency
from khuang.core.api import ApiDateTime, ApiId, ErrorOut, Pagination
from khuang.core.errors import NotFoundError
from khuang.core.models import audit_trail
from khuang.venues.schemas import LayoutName
from khuang.venues.selectors import space_get

from . import selectors, services
from .forms import MAX_SETUP_MINUTES
from .models import Booking
from .schemas import (
    AuditOut,
    AvailabilityOut,
    BookingDetailOut,
    BookingIn,
    BookingOut,
    BookingPatch,
    ConflictErrorOut,
    OccurrenceOut,
    ReasonIn,
    SeriesIn,
    SeriesOut,
    StatusName,
)

router = Router(tags=["bookings"], auth=api_auth)
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictErrorOut, 422: ErrorOut}


def _draft(payload: BookingIn, request: HttpRequest) -> services.BookingDraft:
    data = payload.dict()
    agency = None
    if data["agency"]:
        agency = Agency.objects.filter(code=data["agency"]).first()
        if agency is None:
            raise NotFoundError(_("No agency with code %(code)s.") % {"code": data["agency"]}, field="agency")
    return services.BookingDraft(
        space=space_get(data["space"]), title=data["title"], title_en=data["title_en"],
        description=data["description"], start=data["start"], end=data["end"],
        setup_minutes=data["setup_minutes"], teardown_minutes=data["teardown_minutes"], status=data["status"],
        attendees=data["attendees"], layout=data["layout"] or "", event_type=data["event_type"],
        customer_class=data["customer_class"], is_public=data["is_public"], agency=agency,
        contact_name=data["contact_name"], contact_email=data["contact_email"] or "",
        contact_phone=data["contact_phone"], hold_expires_at=data["hold_expires_at"],
    )


def _visible(request: HttpRequest, booking_id: int) -> Booking:
    booking = Booking.objects.select_related("space", "agency").filter(pk=booking_id).first()
    if booking is None or not booking.can_view(request.auth):
        raise NotFoundError(_("No booking %(id)s.") % {"id": booking_id})
    return booking


def _detail(booking: Booking) -> BookingDetailOut:
    audit = [AuditOut(at=e.at, actor=e.actor.username if e.actor else None, action=e.action,
                      from_state=e.from_state, to_state=e.to_state, reason=e.reason, data=e.data)
             for e in audit_trail(booking)]
    return BookingDetailOut(**BookingOut.from_booking(booking).dict(), audit=audit)


class BookingFilters(Schema):
    space: str | None = Field(None, max_length=30)
    venue: str | None = Field(None, max_length=30)
    start: ApiDateTime | None = None
    end: ApiDateTime | None = None
    status: StatusName | None = None
    agency: str | None = Field(None, max_length=30)


@router.post("/bookings", response={201: BookingDetailOut, **ERRORS})
def create_booking(request: HttpRequest, payload: BookingIn):
    """Create an inquiry, hold (queued as a lower option if the dates are held) or confirmed booking."""
    booking = services.booking_create(_draft(payload, request), actor=request.auth,
                                      override_rules=payload.override_rules, reason=payload.reason)
    return Status(201, _detail(booking))


@router.post("/bookings/series/preview", response={200: list[OccurrenceOut], **ERRORS})
def preview_series(request: HttpRequest, payload: SeriesIn):
    """Each occurrence of a repeating booking with its conflicts; nothing is saved."""
    return services.series_preview(_draft(payload, request), every_days=payload.every_days,
                                   count=payload.count, viewer=request.auth)


@router.post("/bookings/series", response={201: SeriesOut, **ERRORS})
def create_series(request: HttpRequest, payload: SeriesIn):
    """Book every occurrence: all-or-nothing, or `skip_conflicts` to leave taken dates out."""
    series, created, skipped = services.series_create(
        _draft(payload, request), every_days=payload.every_days, count=payload.count,
        skip_conflicts=payload.skip_conflicts, actor=request.auth, reason=payload.reason,
        override_rules=payload.override_rules,
    )
    return Status(201, SeriesOut(series=series.pk, created=[BookingOut.from_booking(b) for b in created],
                                 skipped=skipped))


@router.get("/bookings", response={200: list[BookingOut], **ERRORS})
@paginate(Pagination)
def list_bookings(request: HttpRequest, filters: Query[BookingFilters]):
    """Bookings you may see: staff see all, planners their agency's."""
    return [BookingOut.from_booking(b) for b in selectors.booking_list(viewer=request.auth, **filters.dict())]


@router.get("/bookings/{booking_id}", response={200: BookingDetailOut, **ERRORS})
def get_booking(request: HttpRequest, booking_id: ApiId):
    """One booking with its audit trail."""
    return _detail(_visible(request, booking_id))


@router.patch("/bookings/{booking_id}", response={200: BookingDetailOut, **ERRORS})
def update_booking(request: HttpRequest, booking_id: ApiId, payload: BookingPatch):
    """Change a booking; moving it re-checks the diary."""
    booking = _visible(request, booking_id)
    changes = payload.dict(exclude_unset=True)
    override, reason = changes.pop("override_rules", False), changes.pop("reason", "")
    if "space" in changes:
        changes["space"] = space_get(changes["space"])
    for key in ("layout", "contact_email"):
        if key in changes and changes[key] is None:
            changes[key] = ""
    booking = services.booking_update(booking, changes, actor=request.auth, reason=reason,
                                      override_rules=override)
    return _detail(booking)


@router.post("/bookings/{booking_id}/confirm", response={200: BookingDetailOut, **ERRORS})
def confirm_booking(request: HttpRequest, booking_id: ApiId, payload: ReasonIn):
    """Confirm (center staff)."""
    return _detail(services.booking_confirm(_visible(request, booking_id), actor=request.auth,
                                            reason=payload.reason))


@router.post("/bookings/{booking_id}/release", response={200: BookingDetailOut, **ERRORS})
def release_hold(request: HttpRequest, booking_id: ApiId, payload: ReasonIn):
    """Release a hold; the next option moves up."""
    return _detail(services.hold_release(_visible(request, booking_id), actor=request.auth,
                                         reason=payload.reason))


@router.post("/bookings/{booking_id}/cancel", response={200: BookingDetailOut, **ERRORS})
def cancel_booking(request: HttpRequest, booking_id: ApiId, payload: ReasonIn):
    """Cancel with a reason."""
    return _detail(services.booking_cancel(_visible(request, booking_id), actor=request.auth,
                                           reason=payload.reason))


class AvailabilityQuery(Schema):
    """The span to find free spaces for: event times plus setup and teardown (at most 14 days each)."""

    start: ApiDateTime
    end: ApiDateTime
    setup_minutes: int = Field(0, ge=0, le=MAX_SETUP_MINUTES)
    teardown_minutes: int = Field(0, ge=0, le=MAX_SETUP_MINUTES)
    min_capacity: int | None = Field(None, ge=0, le=1_000_000)
    layout: LayoutName | None = None
    venue: str | None = Field(None, max_length=30)


@router.get("/availability", response={200: list[AvailabilityOut], **ERRORS})
def availability(request: HttpRequest, query: Query[AvailabilityQuery]):
    """Spaces free for the whole span including setup and teardown."""
    q = query.dict()
    services.validate_times(q["start"], q["end"], q["setup_minutes"], q["teardown_minutes"])
    spaces = selectors.space_availability(**q)
    return [AvailabilityOut(code=s.code, name_th=s.name_th, name_en=s.name_en, kind=s.kind,
                            max_capacity=s.max_capacity, parts=sorted(p.code for p in s.parts.all()))
            for s in spaces]
