"""Operations endpoints: handlers parse, call one service or selector, and render."""

from datetime import date, timedelta

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from khuang.accounts.auth import api_auth
from khuang.core.api import ErrorOut
from khuang.core.errors import NotFoundError, PermissionDeniedError

from . import errors, selectors, services
from .models import (
    Assignment,
    CateringItem,
    EquipmentItem,
    EquipmentRequest,
    EventOrder,
    ItemRepair,
    StaffLeave,
    StaffMember,
    StaffNeed,
    TimelineEntry,
    may_manage_operations,
)
from .schemas import (
    AssignmentIn,
    AssignmentOut,
    CateringIn,
    CateringOut,
    ChangesOut,
    DayOut,
    EquipmentConflictOut,
    EventOrderDetailOut,
    EventOrderIn,
    EventOrderOut,
    EventOrderPatch,
    ItemIn,
    ItemOut,
    ItemPatch,
    LeaveIn,
    LeaveOut,
    LimitsOut,
    MemberIn,
    MemberOut,
    MemberPatch,
    NeedIn,
    NeedOut,
    RepairIn,
    RepairOut,
    RequestIn,
    RequestOut,
    RevisionIn,
    RevisionOut,
    ScheduleDayOut,
    StaffDayOut,
    TimelineIn,
    TimelineOut,
)

router = Router(tags=["operations"], auth=api_auth)
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: EquipmentConflictOut, 422: ErrorOut}
MAX_DAYS = 92


def _staff_only(request: HttpRequest) -> None:
    if not may_manage_operations(request.auth):
        raise PermissionDeniedError(str(errors.STAFF_ONLY))


class VenueQuery(Schema):
    venue: str | None = Field(None, max_length=30)


class RangeQuery(Schema):
    venue: str | None = Field(None, max_length=30)
    first: date | None = None
    days: int = Field(14, ge=1, le=MAX_DAYS)


# ---------------------------------------------------------------- serialisers

def _item(i: EquipmentItem) -> ItemOut:
    return ItemOut(code=i.code, venue=i.venue.code, name_th=i.name_th, name_en=i.name_en, category=i.category,
                   unit_th=i.unit_th, unit_en=i.unit_en, stock=i.stock, is_active=i.is_active, notes=i.notes)


def _line(x: EquipmentRequest) -> RequestOut:
    return RequestOut(item=x.item.code, name=x.item.name, unit=x.item.unit, quantity=x.quantity,
                      reserved=x.is_reserved, reserved_quantity=x.claimed_quantity, first_day=x.claimed_first,
                      last_day=x.claimed_last, note=x.note)


def _lines(booking) -> list[RequestOut]:
    return [_line(x) for x in EquipmentRequest.objects.select_related("item").filter(booking=booking)]


def _assignment(a: Assignment) -> AssignmentOut:
    return AssignmentOut(id=a.pk, event_order=a.event_order_id, member=a.member_id, member_name=a.member.display_name,
                         role=a.role, start=a.start, end=a.end, note=a.note)


def _eo(eo: EventOrder) -> dict:
    b = eo.booking
    last = eo.revisions.order_by("-number").values_list("number", flat=True).first()
    return dict(id=eo.pk, number=eo.number, booking=b.pk, title=b.title, space=b.space.code, start=b.start, end=b.end,
                occupied_start=b.occupied_start, occupied_end=b.occupied_end, layout=eo.layout, capacity=eo.capacity,
                catering_headcount=eo.catering_headcount, parking_spaces=eo.parking_spaces,
                day_contact_name=eo.day_contact_name, day_contact_phone=eo.day_contact_phone, last_revision=last)


def _eo_detail(eo: EventOrder, viewer) -> EventOrderDetailOut:
    staffing = eo.can_see_staffing(viewer)
    return EventOrderDetailOut(
        **_eo(eo), layout_notes=eo.layout_notes,
        notes={t: eo.team_notes(t) for t in ("coordination", "setup", "av_it", "catering", "cleaning", "security",
                                              "parking")},
        timeline=[TimelineOut(id=t.pk, kind=t.kind, start=t.start, end=t.end, title=t.title, team=t.team)
                  for t in eo.timeline.all()],
        catering=[CateringOut(id=c.pk, kind=c.kind, served_at=c.served_at, headcount=c.headcount, notes=c.notes)
                  for c in eo.catering.all()],
        equipment=_lines(eo.booking),
        needs=[NeedOut(id=n.pk, skill=n.skill, count=n.count, start=n.start, end=n.end)
               for n in eo.needs.all()] if staffing else [],
        assignments=[_assignment(a) for a in eo.assignments.select_related("member")] if staffing else [],
    )


def _member(m: StaffMember) -> MemberOut:
    return MemberOut(id=m.pk, venue=m.venue.code, name=m.name, name_en=m.name_en, unit=m.unit, skills=m.skills,
                     phone=m.phone, email=m.email, working_days=m.working_days, day_starts=m.day_starts,
                     day_ends=m.day_ends, is_active=m.is_active)


# ---------------------------------------------------------------- equipment

@router.get("/equipment", response={200: list[ItemOut], **ERRORS})
def list_equipment(request: HttpRequest, query: Query[VenueQuery]):
    """A venue's equipment with its stock (anyone signed in)."""
    venue = selectors.venue_get(query.venue)
    return [_item(i) for i in selectors.equipment_list(viewer=request.auth, venue=venue)]


@router.post("/equipment", response={201: ItemOut, **ERRORS})
def create_item(request: HttpRequest, payload: ItemIn):
    """Add an item to a venue's equipment (center staff)."""
    data = payload.dict()
    venue = selectors.venue_get(data.pop("venue"))
    return Status(201, _item(services.equipment_item_create(venue, data, actor=request.auth)))


@router.patch("/equipment/{code}", response={200: ItemOut, **ERRORS})
def update_item(request: HttpRequest, code: str, payload: ItemPatch, query: Query[VenueQuery]):
    """Change an item; lowering the stock below what bookings reserve on some day is refused (409)."""
    item = selectors.equipment_get(code, viewer=request.auth, venue=selectors.venue_get(query.venue))
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items()}
    for key in ("name_th", "unit_th", "unit_en", "stock", "is_active", "category"):
        if key in changes and changes[key] is None:
            raise services.ValidationFailed(str(errors.NOT_NULL) % {"field": key}, field=key)
    for key in ("name_en", "notes"):
        if key in changes and changes[key] is None:
            changes[key] = ""
    return _item(services.equipment_item_update(item, changes, actor=request.auth))


@router.get("/equipment/{code}/availability", response={200: list[DayOut], **ERRORS})
def item_availability(request: HttpRequest, code: str, query: Query[RangeQuery]):
    """Per day: usable units, reserved and free."""
    item = selectors.equipment_get(code, viewer=request.auth, venue=selectors.venue_get(query.venue))
    first = query.first or timezone.localdate()
    return selectors.item_availability(item, [first + timedelta(days=i) for i in range(query.days)])


@router.post("/equipment/{code}/repairs", response={201: RepairOut, **ERRORS})
def add_repair(request: HttpRequest, code: str, payload: RepairIn, query: Query[VenueQuery]):
    """Take units out for repair over some days (refused if bookings reserve them then)."""
    item = selectors.equipment_get(code, viewer=request.auth, venue=selectors.venue_get(query.venue))
    r = services.repair_add(item, actor=request.auth, **payload.dict())
    return Status(201, RepairOut(id=r.pk, item=item.code, quantity=r.quantity, first_day=r.first_day,
                                 last_day=r.last_day, reason=r.reason))


@router.delete("/equipment/repairs/{repair_id}", response={204: None, **ERRORS})
def end_repair(request: HttpRequest, repair_id: int):
    """Units back from repair (center staff)."""
    _staff_only(request)
    repair = ItemRepair.objects.select_related("item").filter(pk=repair_id).first()
    if repair is None:
        raise NotFoundError(str(errors.NO_REPAIR) % {"id": repair_id}, field="repair")
    services.repair_remove(repair, actor=request.auth)
    return Status(204, None)


@router.get("/bookings/{booking_id}/equipment", response={200: list[RequestOut], **ERRORS})
def booking_equipment(request: HttpRequest, booking_id: int):
    """The booking's equipment lines and whether each is reserved yet."""
    return _lines(selectors.booking_get(booking_id, viewer=request.auth))


@router.put("/bookings/{booking_id}/equipment/{code}", response={200: list[RequestOut], **ERRORS})
def set_booking_equipment(request: HttpRequest, booking_id: int, code: str, payload: RequestIn):
    """Ask for units of an item over the booking's occupied span (0 removes it); while the booking occupies
    its space they are reserved at once or refused (409) naming the item, the days and how many are free."""
    booking = selectors.booking_get(booking_id, viewer=request.auth)
    item = selectors.equipment_get(code, viewer=request.auth, venue=booking.space.venue)
    services.equipment_request_set(booking, item, payload.quantity, actor=request.auth, note=payload.note)
    return _lines(booking)


# ---------------------------------------------------------------- event orders

class EventOrderFilters(Schema):
    venue: str | None = Field(None, max_length=30)
    first: date | None = None
    last: date | None = None


@router.get("/event-orders", response={200: list[EventOrderOut], **ERRORS})
def list_event_orders(request: HttpRequest, filters: Query[EventOrderFilters]):
    """Event orders you may see (staff: all; agency members: their agency's), optionally by days."""
    venue = selectors.venue_get(filters.venue) if filters.venue else None
    qs = selectors.event_order_list(viewer=request.auth, venue=venue, first=filters.first, last=filters.last)
    return [EventOrderOut(**_eo(eo)) for eo in qs[:500]]


@router.post("/event-orders", response={201: EventOrderDetailOut, **ERRORS})
def create_event_order(request: HttpRequest, payload: EventOrderIn):
    """Start the event order of a booking, pre-filled from it (center staff)."""
    booking = selectors.booking_get(payload.booking, viewer=request.auth)
    eo = services.event_order_create(booking, actor=request.auth)
    return Status(201, _eo_detail(eo, request.auth))


def _visible_eo(request: HttpRequest, eo_id: int) -> EventOrder:
    return selectors.event_order_get(eo_id, viewer=request.auth)


@router.get("/event-orders/{eo_id}", response={200: EventOrderDetailOut, **ERRORS})
def get_event_order(request: HttpRequest, eo_id: int):
    """One event order; the people and staff needs only for center staff."""
    return _eo_detail(_visible_eo(request, eo_id), request.auth)


@router.patch("/event-orders/{eo_id}", response={200: EventOrderDetailOut, **ERRORS})
def update_event_order(request: HttpRequest, eo_id: int, payload: EventOrderPatch):
    """Change layout, headcounts, the day's contact or a team's notes (center staff)."""
    eo = services.event_order_update(_visible_eo(request, eo_id), payload.dict(exclude_unset=True),
                                     actor=request.auth)
    return _eo_detail(eo, request.auth)


@router.post("/event-orders/{eo_id}/timeline", response={201: TimelineOut, **ERRORS})
def add_timeline(request: HttpRequest, eo_id: int, payload: TimelineIn):
    t = services.timeline_add(_visible_eo(request, eo_id), actor=request.auth, **payload.dict())
    return Status(201, TimelineOut(id=t.pk, kind=t.kind, start=t.start, end=t.end, title=t.title, team=t.team))


def _child(model, eo: EventOrder, child_id: int):
    obj = model.objects.filter(event_order=eo, pk=child_id).first()
    if obj is None:
        raise NotFoundError(str(errors.NO_ENTRY) % {"id": child_id, "number": eo.number})
    return obj


@router.delete("/event-orders/{eo_id}/timeline/{entry_id}", response={204: None, **ERRORS})
def remove_timeline(request: HttpRequest, eo_id: int, entry_id: int):
    eo = _visible_eo(request, eo_id)
    services.timeline_remove(_child(TimelineEntry, eo, entry_id), actor=request.auth)
    return Status(204, None)


@router.post("/event-orders/{eo_id}/catering", response={201: CateringOut, **ERRORS})
def add_catering(request: HttpRequest, eo_id: int, payload: CateringIn):
    c = services.catering_add(_visible_eo(request, eo_id), actor=request.auth, **payload.dict())
    return Status(201, CateringOut(id=c.pk, kind=c.kind, served_at=c.served_at, headcount=c.headcount, notes=c.notes))


@router.delete("/event-orders/{eo_id}/catering/{item_id}", response={204: None, **ERRORS})
def remove_catering(request: HttpRequest, eo_id: int, item_id: int):
    eo = _visible_eo(request, eo_id)
    services.catering_remove(_child(CateringItem, eo, item_id), actor=request.auth)
    return Status(204, None)


@router.post("/event-orders/{eo_id}/needs", response={201: NeedOut, **ERRORS})
def add_need(request: HttpRequest, eo_id: int, payload: NeedIn):
    n = services.need_add(_visible_eo(request, eo_id), actor=request.auth, **payload.dict())
    return Status(201, NeedOut(id=n.pk, skill=n.skill, count=n.count, start=n.start, end=n.end))


@router.delete("/event-orders/{eo_id}/needs/{need_id}", response={204: None, **ERRORS})
def remove_need(request: HttpRequest, eo_id: int, need_id: int):
    eo = _visible_eo(request, eo_id)
    services.need_remove(_child(StaffNeed, eo, need_id), actor=request.auth)
    return Status(204, None)


@router.post("/event-orders/{eo_id}/assignments", response={201: AssignmentOut, **ERRORS})
def add_assignment(request: HttpRequest, eo_id: int, payload: AssignmentIn):
    """Put a person on the event order in a role (center staff); leave and double work are refused."""
    eo = _visible_eo(request, eo_id)
    _staff_only(request)
    member = selectors.staff_get(payload.member, viewer=request.auth)
    data = payload.dict()
    data.pop("member")
    a = services.assignment_create(eo, member, actor=request.auth, **data)
    return Status(201, _assignment(a))


@router.delete("/event-orders/{eo_id}/assignments/{assignment_id}", response={204: None, **ERRORS})
def remove_assignment(request: HttpRequest, eo_id: int, assignment_id: int):
    eo = _visible_eo(request, eo_id)
    services.assignment_remove(_child(Assignment, eo, assignment_id), actor=request.auth)
    return Status(204, None)


@router.post("/event-orders/{eo_id}/revisions", response={201: RevisionOut, **ERRORS})
def send_revision(request: HttpRequest, eo_id: int, payload: RevisionIn):
    """Send the next numbered revision, with what changed since the last one (center staff)."""
    eo = _visible_eo(request, eo_id)
    r = services.event_order_send(eo, actor=request.auth, note=payload.note)
    return Status(201, RevisionOut(number=r.number, sent_at=r.sent_at, note=r.note,
                                   changes=selectors.revision_changes(r, staffing=eo.can_see_staffing(request.auth))))


@router.get("/event-orders/{eo_id}/revisions", response={200: list[RevisionOut], **ERRORS})
def list_revisions(request: HttpRequest, eo_id: int):
    """Every revision sent, with what each changed (who works the event: center staff only)."""
    eo = _visible_eo(request, eo_id)
    staffing = eo.can_see_staffing(request.auth)
    return [RevisionOut(number=r.number, sent_at=r.sent_at, note=r.note,
                        changes=selectors.revision_changes(r, staffing=staffing))
            for r in eo.revisions.order_by("number")]


@router.get("/event-orders/{eo_id}/changes", response={200: ChangesOut, **ERRORS})
def pending_changes(request: HttpRequest, eo_id: int):
    """What changed since the last revision sent (who works the event: center staff only)."""
    eo = _visible_eo(request, eo_id)
    since = selectors.event_order_changes(eo, staffing=eo.can_see_staffing(request.auth))
    return ChangesOut(since=since["last"].number if since["last"] else None, changes=since["changes"])


# ---------------------------------------------------------------- people

@router.get("/staff", response={200: list[MemberOut], **ERRORS})
def list_staff(request: HttpRequest, query: Query[VenueQuery]):
    """The center's people (staff see everyone; a member sees themself)."""
    venue = selectors.venue_get(query.venue)
    return [_member(m) for m in selectors.staff_list(viewer=request.auth, venue=venue)]


@router.post("/staff", response={201: MemberOut, **ERRORS})
def create_member(request: HttpRequest, payload: MemberIn):
    data = payload.dict()
    venue = selectors.venue_get(data.pop("venue"))
    data["email"] = data["email"] or ""
    return Status(201, _member(services.staff_member_create(venue, data, actor=request.auth)))


@router.patch("/staff/{member_id}", response={200: MemberOut, **ERRORS})
def update_member(request: HttpRequest, member_id: int, payload: MemberPatch):
    member = selectors.staff_get(member_id, viewer=request.auth)
    changes = payload.dict(exclude_unset=True)
    for key in ("name_en", "phone", "email"):
        if key in changes and changes[key] is None:
            changes[key] = ""
    for key in ("name", "unit", "skills", "working_days", "day_starts", "day_ends", "is_active"):
        if key in changes and changes[key] is None:
            raise services.ValidationFailed(str(errors.NOT_NULL) % {"field": key}, field=key)
    return _member(services.staff_member_update(member, changes, actor=request.auth))


@router.post("/staff/{member_id}/leave", response={201: LeaveOut, **ERRORS})
def add_leave(request: HttpRequest, member_id: int, payload: LeaveIn):
    member = selectors.staff_get(member_id, viewer=request.auth)
    lv = services.leave_add(member, actor=request.auth, **payload.dict())
    return Status(201, LeaveOut(id=lv.pk, member=member.pk, first_day=lv.first_day, last_day=lv.last_day,
                                kind=lv.kind, note=lv.note))


@router.delete("/staff/{member_id}/leave/{leave_id}", response={204: None, **ERRORS})
def remove_leave(request: HttpRequest, member_id: int, leave_id: int):
    member = selectors.staff_get(member_id, viewer=request.auth)
    leave = StaffLeave.objects.filter(member=member, pk=leave_id).first()
    if leave is None:
        raise NotFoundError(str(errors.NO_LEAVE) % {"id": leave_id})
    services.leave_remove(leave, actor=request.auth)
    return Status(204, None)


@router.get("/staff/{member_id}/schedule", response={200: list[ScheduleDayOut], **ERRORS})
def member_schedule(request: HttpRequest, member_id: int, query: Query[RangeQuery]):
    """A person's assignments and leave, day by day (staff, or the person themself)."""
    member = selectors.staff_get(member_id, viewer=request.auth)
    plan = selectors.member_schedule(member, query.first or timezone.localdate(), query.days)
    return [ScheduleDayOut(day=d["day"], leave=d["leave"].get_kind_display() if d["leave"] else None, assignments=[
        dict(event_order=a.event_order_id, title=a.event_order.booking.title, space=a.event_order.booking.space.code,
             role=a.role, start=a.start, end=a.end, day_contact_name=a.event_order.day_contact_name,
             day_contact_phone=a.event_order.day_contact_phone) for a in d["assignments"]]) for d in plan["days"]]


@router.get("/operations/staffing", response={200: list[StaffDayOut], **ERRORS})
def staffing(request: HttpRequest, query: Query[RangeQuery]):
    """Per day: the most people needed at once against the people available, by skill (center staff)."""
    _staff_only(request)
    venue = selectors.venue_get(query.venue)
    first = query.first or timezone.localdate()
    return selectors.staff_days(venue, first, first + timedelta(days=query.days - 1))


@router.get("/operations/daily-limits", response={200: LimitsOut, **ERRORS})
def daily_limits(request: HttpRequest, query: Query[VenueQuery]):
    """The most events and move-ins per day the venue's people can run (center staff)."""
    _staff_only(request)
    return selectors.daily_limits_suggestion(selectors.venue_get(query.venue))
