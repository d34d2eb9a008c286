"""Writes of operations: equipment by quantity, event orders and their revisions, people and assignments.

How equipment can never be over-booked
--------------------------------------
A booking's `EquipmentRequest` lines count against stock only while the booking occupies its space
(confirmed, or a first-option hold). The diary calls `equipment_sync_booking` (a claim hook registered in
`OperationsConfig.ready`) inside its own transaction whenever a booking starts or stops occupying, or moves
while occupying; line edits call it too. It

1. locks every equipment item of the venue, in primary-key order (`SELECT … FOR UPDATE` on PostgreSQL; on
   SQLite the transaction is IMMEDIATE, so writers are serialised already). One lock set per venue, always
   taken in the same order, means claims never deadlock each other;
2. releases what the booking's lines had reserved (`claimed_*` says which units on which days);
3. if the booking occupies, adds each line's units to the `ItemDay` counter of every occupied day (setup and
   teardown days included). A day that would exceed its capacity is refused *before* writing, naming the
   item, the days and how many are free; and the `reserved <= capacity` CHECK constraint refuses it again at
   commit time should any writer ever skip the lock. The refusal rolls back the booking's state change too.
"""

from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from khuang.accounts import roles
from khuang.accounts.roles import Ability
from khuang.bookings.models import Booking, BookingStatus
from khuang.core.errors import ConflictError, PermissionDeniedError, ValidationFailed
from khuang.core.i18n import current_lang as _lang
from khuang.core.models import log_action
from khuang.core.thaidates import format_date
from khuang.venues.models import Layout, Venue

from . import errors
from .models import (
    Assignment,
    CateringItem,
    EquipmentItem,
    EquipmentRequest,
    EventOrder,
    EventOrderRevision,
    ItemDay,
    ItemRepair,
    Skill,
    StaffLeave,
    StaffMember,
    StaffNeed,
    Team,
    TimelineEntry,
    TimelineKind,
    booking_days,
)
from .selectors import item_capacities

MAX_REPAIR_DAYS = 366


def _require_staff(actor) -> None:
    if not roles.has(actor, Ability.MANAGE_CENTER):
        raise PermissionDeniedError(str(errors.STAFF_ONLY))


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# ---------------------------------------------------------------- equipment: locks, counters, messages

def _lock_venue_items(venue_ids) -> None:
    """Lock every equipment item of these venues in one stable order (venue, then primary key)."""
    list(EquipmentItem.objects.select_for_update().filter(venue_id__in=sorted(set(venue_ids)))
         .order_by("venue_id", "pk").values_list("pk", flat=True))


def _rows(items: list[EquipmentItem], days: list[date]) -> dict[tuple[int, date], ItemDay]:
    """The counter rows of these items on these days, made (with today's capacity) where missing."""
    ids = [i.pk for i in items]
    existing = set(ItemDay.objects.filter(item_id__in=ids, day__in=days).values_list("item_id", "day"))
    missing = []
    for item in items:
        caps = item_capacities(item, days)
        missing += [ItemDay(item=item, day=d, capacity=caps[d]) for d in days if (item.pk, d) not in existing]
    if missing:
        ItemDay.objects.bulk_create(missing, ignore_conflicts=True)
    return {(r.item_id, r.day): r for r in ItemDay.objects.filter(item_id__in=ids, day__in=days)}


def _day_groups(pairs: list[tuple[date, int]]) -> list[tuple[date, date, int]]:
    """Consecutive days with the same number, merged: [(first, last, n), …]."""
    out: list[tuple[date, date, int]] = []
    for day, n in pairs:
        if out and out[-1][2] == n and out[-1][1] + timedelta(days=1) == day:
            out[-1] = (out[-1][0], day, n)
        else:
            out.append((day, day, n))
    return out


def _days_text(first: date, last: date) -> str:
    lang = _lang()
    if first == last:
        return format_date(first, lang)
    return f"{format_date(first, lang)} – {format_date(last, lang)}"


def _shortage(item: EquipmentItem, requested: int, short: list[tuple[date, int]]) -> dict[str, Any]:
    groups = _day_groups(short)
    free = "; ".join(str(errors.FREE_ON) % {"free": n, "days": _days_text(a, b)} for a, b, n in groups)
    message = str(errors.NOT_ENOUGH) % {"item": item.name, "code": item.code, "requested": requested,
                                        "unit": item.unit, "free": free}
    return {"item": item.code, "name": item.name, "requested": requested, "message": message,
            "days": [{"day": d.isoformat(), "free": n} for d, n in short]}


def _refuse_shortages(shortages: list[dict[str, Any]]) -> None:
    raise ConflictError(" ".join(s["message"] for s in shortages), field="equipment",
                        extra={"shortages": [{k: v for k, v in s.items() if k != "message"} for s in shortages],
                               "conflicts": []})


def _release(lines: list[EquipmentRequest]) -> None:
    for line in lines:
        if not line.claimed_quantity:
            continue
        ItemDay.objects.filter(item_id=line.item_id, day__gte=line.claimed_first, day__lte=line.claimed_last
                               ).update(reserved=F("reserved") - line.claimed_quantity)
        line.claimed_quantity, line.claimed_first, line.claimed_last = 0, None, None
        line.save(update_fields=["claimed_quantity", "claimed_first", "claimed_last", "updated_at"])


def _claim(booking: Booking, lines: list[EquipmentRequest]) -> None:
    days = booking_days(booking)
    venue_id = booking.space.venue_id
    for line in lines:
        item = line.item
        if item.venue_id != venue_id:
            raise ConflictError(str(errors.ITEM_OTHER_VENUE) % {"item": item.name, "code": item.code},
                                field="equipment")
        if not item.is_active:
            raise ConflictError(str(errors.ITEM_INACTIVE) % {"item": item.name, "code": item.code},
                                field="equipment")
    rows = _rows([line.item for line in lines], days)
    shortages = []
    for line in lines:
        short = [(d, rows[(line.item_id, d)].free) for d in days if rows[(line.item_id, d)].free < line.quantity]
        if short:
            shortages.append(_shortage(line.item, line.quantity, short))
    if shortages:
        _refuse_shortages(shortages)
    try:
        with transaction.atomic():
            for line in lines:
                ItemDay.objects.filter(item_id=line.item_id, day__gte=days[0], day__lte=days[-1]).update(
                    reserved=F("reserved") + line.quantity)
                line.claimed_quantity, line.claimed_first, line.claimed_last = line.quantity, days[0], days[-1]
                line.save(update_fields=["claimed_quantity", "claimed_first", "claimed_last", "updated_at"])
    except IntegrityError:
        # Only reachable if some writer bypassed the lock: the CHECK constraint had the last word.
        rows = {(r.item_id, r.day): r for r in ItemDay.objects.filter(item_id__in=[x.item_id for x in lines],
                                                                       day__in=days)}
        shortages = [_shortage(x.item, x.quantity, [(d, rows[(x.item_id, d)].free) for d in days])
                     for x in lines]
        _refuse_shortages(shortages)


def equipment_sync_booking(booking: Booking, occupying: bool) -> None:
    """Claim hook: make the booking's reserved units match whether (and when) it occupies its space.

    Runs inside the caller's transaction; refuses with a 409 naming the item, the days and how many are
    free, which rolls the caller's change back.
    """
    if booking.pk is None:
        return
    lines = list(EquipmentRequest.objects.select_related("item").filter(booking_id=booking.pk).order_by("item_id"))
    if not lines or (not occupying and not any(line.claimed_quantity for line in lines)):
        return
    _lock_venue_items({line.item.venue_id for line in lines} | {booking.space.venue_id})
    lines = list(EquipmentRequest.objects.select_related("item").filter(booking_id=booking.pk).order_by("item_id"))
    _release(lines)
    if occupying:
        _claim(booking, lines)


def equipment_request_deleted(sender, instance: EquipmentRequest, **kwargs) -> None:
    """A request deleted while it holds units (e.g. its booking deleted in the admin) gives them back."""
    if instance.claimed_quantity:
        _lock_venue_items([instance.item.venue_id])
        _release([instance])


def _locked_booking(booking: Booking) -> Booking:
    return Booking.objects.select_for_update().select_related("space", "space__venue").get(pk=booking.pk)


def equipment_request_set(booking: Booking, item: EquipmentItem, quantity: int, *, actor=None,
                          note: str | None = None) -> EquipmentRequest | None:
    """Ask for `quantity` units of an item for the booking's whole occupied span (0 removes the line).

    While the booking occupies its space the units are reserved at once, or refused naming the days and
    how many are free; otherwise they are kept and reserved when the booking starts occupying.
    """
    if not EquipmentRequest.can_change(actor, booking):
        raise PermissionDeniedError(str(errors.MAY_NOT_REQUEST))
    if not isinstance(quantity, int) or quantity < 0 or quantity > 1_000_000:
        raise ValidationFailed(_("Give a number of units from 0 up."), field="quantity")
    if item.venue_id != booking.space.venue_id:
        raise ValidationFailed(str(errors.ITEM_OTHER_VENUE) % {"item": item.name, "code": item.code}, field="item")
    if quantity and not item.is_active:
        raise ValidationFailed(str(errors.ITEM_INACTIVE) % {"item": item.name, "code": item.code}, field="item")
    with transaction.atomic():
        locked = _locked_booking(booking)
        if not EquipmentRequest.can_change(actor, locked):
            raise PermissionDeniedError(str(errors.MAY_NOT_REQUEST))
        _lock_venue_items([locked.space.venue_id])
        # Free the booking's current claim, change the line, then claim everything again if it occupies.
        equipment_sync_booking(locked, False)
        line = EquipmentRequest.objects.filter(booking=locked, item=item).first()  # read after the release
        before = line.quantity if line else 0
        if line is None and quantity == 0:
            if locked.occupies:
                equipment_sync_booking(locked, True)
            return None
        if quantity == 0:
            line.delete()
            line = None
        else:
            if line is None:
                line = EquipmentRequest(booking=locked, item=item, quantity=quantity)
            line.quantity = quantity
            if note is not None:
                line.note = note[:200]
            line.save()
        if locked.occupies:
            equipment_sync_booking(locked, True)
        log_action(locked, "equipment", actor=actor, data={"item": item.code, "from": before, "to": quantity})
    if line is not None:
        line.refresh_from_db()
    return line


def _check_days(first: date, last: date) -> None:
    if last < first:
        raise ValidationFailed(str(errors.END_AFTER_START), field="last_day")
    if (last - first).days >= MAX_REPAIR_DAYS:
        raise ValidationFailed(str(errors.SPAN_TOO_LONG) % {"days": MAX_REPAIR_DAYS}, field="last_day")


def _holders(item: EquipmentItem, days: list[date]) -> str:
    """Titles of the bookings holding units of the item on these days."""
    lines = EquipmentRequest.objects.select_related("booking").filter(
        item=item, claimed_quantity__gt=0, claimed_first__lte=days[-1], claimed_last__gte=days[0])
    return ", ".join(f"{x.booking.title} ×{x.claimed_quantity}" for x in lines) or "-"


def _applyitem_capacities(item: EquipmentItem, first: date, last: date) -> list[tuple[date, int, int]]:
    """Recompute the capacity of the item's existing counter rows in [first, last]; return the days whose
    reservations would not fit (day, reserved, capacity) without writing anything if there are any."""
    rows = list(ItemDay.objects.filter(item=item, day__gte=first, day__lte=last).order_by("day"))
    caps = item_capacities(item, [r.day for r in rows])
    over = [(r.day, r.reserved, caps[r.day]) for r in rows if r.reserved > caps[r.day]]
    if over:
        return over
    changed = [r for r in rows if r.capacity != caps[r.day]]
    for r in changed:
        r.capacity = caps[r.day]
    ItemDay.objects.bulk_update(changed, ["capacity"])
    return []


ITEM_FIELDS = {"code", "name_th", "name_en", "category", "unit_th", "unit_en", "stock", "is_active", "notes"}


def equipment_item_create(venue: Venue, data: dict[str, Any], *, actor=None) -> EquipmentItem:
    """Add an item to a venue's equipment (center staff)."""
    _require_staff(actor)
    unknown = set(data) - ITEM_FIELDS
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))}, field=min(unknown))
    item = EquipmentItem(venue=venue, **data)
    item.full_clean(validate_unique=False)
    if EquipmentItem.objects.filter(venue=venue, code=item.code).exists():
        raise ConflictError(str(errors.ITEM_CODE_TAKEN) % {"code": item.code}, field="code")
    with transaction.atomic():
        item.save()
        log_action(item, "create", actor=actor, data={"stock": item.stock})
    return item


def equipment_item_update(item: EquipmentItem, changes: dict[str, Any], *, actor=None) -> EquipmentItem:
    """Change an item; a new stock figure re-sets every future day's capacity or is refused naming the
    days on which more units are already reserved."""
    _require_staff(actor)
    unknown = set(changes) - (ITEM_FIELDS - {"code"})
    if unknown:
        raise ValidationFailed(_("These fields cannot be changed: %(f)s") % {"f": ", ".join(sorted(unknown))},
                               field=min(unknown))
    with transaction.atomic():
        _lock_venue_items([item.venue_id])
        locked = EquipmentItem.objects.get(pk=item.pk)
        before = {k: getattr(locked, k) for k in changes}
        for key, value in changes.items():
            setattr(locked, key, value)
        locked.full_clean(validate_unique=False)
        locked.save()
        if "stock" in changes and before["stock"] != locked.stock:
            today = timezone.localdate()
            over = _applyitem_capacities(locked, today, date.max)
            if over:
                groups = _day_groups([(d, r) for d, r, _c in over])
                raise ConflictError(str(errors.STOCK_BELOW_RESERVED) % {
                    "item": locked.name, "reserved": max(r for _d, r, _c in over),
                    "days": ", ".join(_days_text(a, b) for a, b, _n in groups)}, field="stock",
                    extra={"days": [{"day": d.isoformat(), "reserved": r} for d, r, _c in over]})
        log_action(locked, "update", actor=actor, data={"from": before, "to": {k: getattr(locked, k) for k in changes}})
    return locked


def repair_add(item: EquipmentItem, *, quantity: int, first_day: date, last_day: date, reason: str = "",
               actor=None) -> ItemRepair:
    """Take units out for repair over some days; refused if those units are reserved by bookings then."""
    _require_staff(actor)
    if not isinstance(quantity, int) or quantity < 1:
        raise ValidationFailed(_("Give a number of units from 1 up."), field="quantity")
    _check_days(first_day, last_day)
    with transaction.atomic():
        _lock_venue_items([item.venue_id])
        locked = EquipmentItem.objects.get(pk=item.pk)
        days = [first_day + timedelta(days=i) for i in range((last_day - first_day).days + 1)]
        usable = item_capacities(locked, days)
        too_many = [(d, n) for d, n in usable.items() if n < quantity]
        if too_many:
            groups = _day_groups(sorted(too_many))
            raise ConflictError(str(errors.REPAIR_OVER_STOCK) % {
                "item": locked.name, "usable": min(n for _d, n in too_many),
                "days": ", ".join(_days_text(a, b) for a, b, _n in groups)}, field="quantity")
        repair = ItemRepair.objects.create(item=locked, quantity=quantity, first_day=first_day, last_day=last_day,
                                           reason=reason[:200], created_by=_user(actor))
        over = _applyitem_capacities(locked, first_day, last_day)
        if over:
            groups = _day_groups([(d, c) for d, _r, c in over])
            spare = min(c + quantity - r for _d, r, c in over)
            raise ConflictError(str(errors.REPAIR_OVER_RESERVED) % {
                "item": locked.name, "spare": max(0, spare),
                "days": ", ".join(_days_text(a, b) for a, b, _n in groups),
                "holders": _holders(locked, [d for d, _r, _c in over])}, field="quantity",
                extra={"days": [{"day": d.isoformat(), "reserved": r, "usable": c} for d, r, c in over]})
        log_action(locked, "repair", actor=actor, data={"quantity": quantity, "first_day": first_day.isoformat(),
                                                        "last_day": last_day.isoformat(), "reason": reason})
    return repair


def repair_remove(repair: ItemRepair, *, actor=None) -> None:
    """Units are back from repair: the days regain them."""
    _require_staff(actor)
    with transaction.atomic():
        item = repair.item
        _lock_venue_items([item.venue_id])
        first, last = repair.first_day, repair.last_day
        repair.delete()
        _applyitem_capacities(item, first, last)
        log_action(item, "repair_end", actor=actor, data={"first_day": first.isoformat(), "last_day": last.isoformat()})


# ---------------------------------------------------------------- event orders

EO_FIELDS = {"layout", "capacity", "layout_notes", "catering_headcount", "parking_spaces", "day_contact_name",
             "day_contact_phone", *(f"notes_{t}" for t in Team.values)}


def _crew_size(attendees: int) -> int:
    """Setup crew a move-in needs by default: two people, one more per 150 guests (rounded up)."""
    return max(2, -(-attendees // 150))


def event_order_create(booking: Booking, *, actor=None) -> EventOrder:
    """Start the event order of a booking (center staff), pre-filled from the booking: layout, headcount,
    contact, a timeline of move-in, sessions and move-out, and default staff needs."""
    _require_staff(actor)
    if booking.status == BookingStatus.CANCELLED:
        raise ConflictError(str(errors.BOOKING_ENDED), field="booking")
    with transaction.atomic():
        locked = _locked_booking(booking)
        if EventOrder.objects.filter(booking=locked).exists():
            raise ConflictError(str(errors.EVENT_ORDER_EXISTS) % {"id": locked.pk}, field="booking")
        eo = EventOrder.objects.create(
            booking=locked, layout=locked.layout if locked.layout in Layout.values else "",
            capacity=locked.attendees, catering_headcount=locked.attendees,
            day_contact_name=locked.contact_name, day_contact_phone=locked.contact_phone, created_by=_user(actor),
        )
        _default_plan(eo, locked)
        log_action(eo, "create", actor=actor, data={"booking": locked.pk})
    return eo


def _default_plan(eo: EventOrder, b: Booking) -> None:
    """Timeline and needs implied by the booking's times: move-in/setup, a session per event day, teardown."""
    tz = timezone.get_current_timezone()
    crew = _crew_size(b.attendees)
    entries, needs = [], []
    if b.occupied_start < b.start:
        entries.append(TimelineEntry(event_order=eo, kind=TimelineKind.MOVE_IN, start=b.occupied_start,
                                     end=b.start, title=_("Move-in and setup"), team=Team.SETUP))
        needs.append(StaffNeed(event_order=eo, skill=Skill.SETUP_CREW, count=crew, start=b.occupied_start, end=b.start))
    start_local, end_local = timezone.localtime(b.start, tz), timezone.localtime(b.end, tz)
    days = (end_local.date() - start_local.date()).days + 1
    for i in range(days):
        day = start_local.date() + timedelta(days=i)
        s = start_local if i == 0 else datetime.combine(day, start_local.time(), tzinfo=tz)
        e = end_local if i == days - 1 else datetime.combine(day, end_local.time(), tzinfo=tz)
        if e <= s:  # an evening start on a multi-day event: the session runs to midnight
            e = datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)
        entries.append(TimelineEntry(event_order=eo, kind=TimelineKind.SESSION, start=s, end=e, title=b.title[:200],
                                     team=Team.COORDINATION))
        needs.append(StaffNeed(event_order=eo, skill=Skill.COORDINATOR, count=1, start=s, end=e))
        if "av" in (b.space.equipment or []):
            needs.append(StaffNeed(event_order=eo, skill=Skill.AV, count=1, start=s, end=e))
    if b.occupied_end > b.end:
        entries.append(TimelineEntry(event_order=eo, kind=TimelineKind.MOVE_OUT, start=b.end, end=b.occupied_end,
                                     title=_("Teardown and move-out"), team=Team.SETUP))
        needs.append(StaffNeed(event_order=eo, skill=Skill.SETUP_CREW, count=crew, start=b.end, end=b.occupied_end))
    TimelineEntry.objects.bulk_create(entries)
    StaffNeed.objects.bulk_create(needs)


def _editable(eo: EventOrder, actor) -> EventOrder:
    if not eo.can_edit(actor):
        raise PermissionDeniedError(str(errors.STAFF_ONLY))
    return EventOrder.objects.select_for_update().select_related("booking", "booking__space").get(pk=eo.pk)


def event_order_update(eo: EventOrder, changes: dict[str, Any], *, actor=None) -> EventOrder:
    """Change the event order's own fields (layout, headcounts, contact, team notes)."""
    unknown = set(changes) - EO_FIELDS
    if unknown:
        raise ValidationFailed(_("These fields cannot be changed: %(f)s") % {"f": ", ".join(sorted(unknown))},
                               field=min(unknown))
    with transaction.atomic():
        locked = _editable(eo, actor)
        before = {k: getattr(locked, k) for k in changes}
        for key, value in changes.items():
            setattr(locked, key, "" if value is None and key not in ("capacity", "catering_headcount",
                                                                     "parking_spaces") else value)
        locked.full_clean(exclude=["booking", "created_by"])
        locked.save()
        log_action(locked, "update", actor=actor, data={"from": before, "to": {k: getattr(locked, k) for k in changes}})
    return locked


def _period(start: datetime, end: datetime, field: str = "end") -> None:
    for name, value in (("start", start), ("end", end)):
        if not isinstance(value, datetime) or not timezone.is_aware(value):
            raise ValidationFailed(_("Give times with a UTC offset, e.g. 2027-02-03T09:00:00+07:00."), field=name)
    if end <= start:
        raise ValidationFailed(str(errors.END_AFTER_START), field=field)
    if end - start > timedelta(days=62):
        raise ValidationFailed(str(errors.SPAN_TOO_LONG) % {"days": 62}, field=field)


def timeline_add(eo: EventOrder, *, kind: str, start: datetime, end: datetime, title: str = "", team: str = "",
                 actor=None) -> TimelineEntry:
    """Add a step to the event's timeline."""
    _period(start, end)
    with transaction.atomic():
        locked = _editable(eo, actor)
        entry = TimelineEntry(event_order=locked, kind=kind, start=start, end=end, title=title, team=team)
        entry.full_clean(exclude=["event_order"])
        entry.save()
        log_action(locked, "timeline_add", actor=actor, data={"kind": kind, "title": title})
    return entry


def timeline_remove(entry: TimelineEntry, *, actor=None) -> None:
    """Take a step off the timeline."""
    with transaction.atomic():
        locked = _editable(entry.event_order, actor)
        entry.delete()
        log_action(locked, "timeline_remove", actor=actor, data={"kind": entry.kind, "title": entry.title})


def catering_add(eo: EventOrder, *, kind: str, served_at: datetime, headcount: int, notes: str = "",
                 actor=None) -> CateringItem:
    """Add a meal or break for a headcount."""
    if not isinstance(served_at, datetime) or not timezone.is_aware(served_at):
        raise ValidationFailed(_("Give times with a UTC offset, e.g. 2027-02-03T09:00:00+07:00."), field="served_at")
    with transaction.atomic():
        locked = _editable(eo, actor)
        item = CateringItem(event_order=locked, kind=kind, served_at=served_at, headcount=headcount, notes=notes)
        item.full_clean(exclude=["event_order"])
        item.save()
        log_action(locked, "catering_add", actor=actor, data={"kind": kind, "headcount": headcount})
    return item


def catering_remove(item: CateringItem, *, actor=None) -> None:
    with transaction.atomic():
        locked = _editable(item.event_order, actor)
        item.delete()
        log_action(locked, "catering_remove", actor=actor, data={"kind": item.kind})


def need_add(eo: EventOrder, *, skill: str, count: int, start: datetime, end: datetime, actor=None) -> StaffNeed:
    """Say how many people of a skill the event needs over a period."""
    _period(start, end)
    with transaction.atomic():
        locked = _editable(eo, actor)
        need = StaffNeed(event_order=locked, skill=skill, count=count, start=start, end=end)
        need.full_clean(exclude=["event_order"])
        need.save()
        log_action(locked, "need_add", actor=actor, data={"skill": skill, "count": count})
    return need


def need_remove(need: StaffNeed, *, actor=None) -> None:
    with transaction.atomic():
        locked = _editable(need.event_order, actor)
        need.delete()
        log_action(locked, "need_remove", actor=actor, data={"skill": need.skill})


def event_order_send(eo: EventOrder, *, actor=None, note: str = "") -> EventOrderRevision:
    """Freeze the event order as the next numbered revision, recording what changed since the last one sent;
    the assigned people are told after commit. Sending with no change is refused."""
    from .selectors import event_order_snapshot, snapshot_diff

    with transaction.atomic():
        locked = _editable(eo, actor)
        last = locked.revisions.order_by("-number").first()
        snapshot = event_order_snapshot(locked)
        changes = snapshot_diff(last.snapshot if last else None, snapshot)
        if last is not None and not changes:
            raise ConflictError(str(errors.NOTHING_CHANGED) % {"number": last.number}, field="event_order")
        revision = EventOrderRevision.objects.create(
            event_order=locked, number=(last.number if last else 0) + 1, sent_by=_user(actor), note=note[:300],
            snapshot=snapshot, changes=changes)
        log_action(locked, "send", actor=actor, data={"revision": revision.number, "changes": len(changes)})
        from .tasks import notify_revision

        transaction.on_commit(partial(notify_revision.enqueue, revision.pk))
    return revision


# ---------------------------------------------------------------- people

MEMBER_FIELDS = {"name", "name_en", "unit", "skills", "phone", "email", "working_days", "day_starts", "day_ends",
                 "is_active", "user"}


def _check_member(member: StaffMember) -> None:
    skills = member.skills or []
    if not isinstance(skills, list) or any(s not in Skill.values for s in skills):
        bad = next((s for s in (skills if isinstance(skills, list) else [skills]) if s not in Skill.values), skills)
        raise ValidationFailed(str(errors.UNKNOWN_SKILL) % {"skill": bad, "skills": ", ".join(Skill.values)},
                               field="skills")
    member.skills = sorted(set(skills), key=Skill.values.index)
    days = member.working_days or []
    if not isinstance(days, list) or any(not isinstance(d, int) or isinstance(d, bool) or not 0 <= d <= 6
                                         for d in days):
        raise ValidationFailed(str(errors.BAD_WEEKDAYS), field="working_days")
    member.working_days = sorted(set(days))
    if member.day_ends <= member.day_starts:
        raise ValidationFailed(str(errors.DAY_ENDS_BEFORE), field="day_ends")
    member.full_clean(exclude=["venue", "user", "skills", "working_days"])


def staff_member_create(venue: Venue, data: dict[str, Any], *, actor=None) -> StaffMember:
    """Add a person to the center's staff (center staff)."""
    _require_staff(actor)
    unknown = set(data) - MEMBER_FIELDS
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))}, field=min(unknown))
    member = StaffMember(venue=venue, **data)
    _check_member(member)
    with transaction.atomic():
        member.save()
        log_action(member, "create", actor=actor, data={"skills": member.skills})
    return member


def staff_member_update(member: StaffMember, changes: dict[str, Any], *, actor=None) -> StaffMember:
    """Change a person's unit, skills, working days or hours."""
    _require_staff(actor)
    unknown = set(changes) - MEMBER_FIELDS
    if unknown:
        raise ValidationFailed(_("These fields cannot be changed: %(f)s") % {"f": ", ".join(sorted(unknown))},
                               field=min(unknown))
    with transaction.atomic():
        locked = StaffMember.objects.select_for_update().get(pk=member.pk)
        for key, value in changes.items():
            setattr(locked, key, value)
        _check_member(locked)
        locked.save()
        log_action(locked, "update", actor=actor, data={"fields": sorted(changes)})
    return locked


def leave_add(member: StaffMember, *, first_day: date, last_day: date, kind: str = "annual", note: str = "",
              actor=None) -> StaffLeave:
    """Record days a person is away; their assignments on those days are listed in the answer's warnings."""
    _require_staff(actor)
    _check_days(first_day, last_day)
    leave = StaffLeave(member=member, first_day=first_day, last_day=last_day, kind=kind, note=note[:200])
    leave.full_clean(exclude=["member"])
    with transaction.atomic():
        leave.save()
        log_action(member, "leave", actor=actor, data={"first_day": first_day.isoformat(),
                                                       "last_day": last_day.isoformat(), "kind": kind})
    return leave


def leave_remove(leave: StaffLeave, *, actor=None) -> None:
    _require_staff(actor)
    with transaction.atomic():
        leave.delete()
        log_action(leave.member, "leave_remove", actor=actor, data={"first_day": leave.first_day.isoformat()})


def _local_days(start: datetime, end: datetime) -> list[date]:
    tz = timezone.get_current_timezone()
    first = timezone.localtime(start, tz).date()
    last = timezone.localtime(end - timedelta(microseconds=1), tz).date()
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def assignment_create(eo: EventOrder, member: StaffMember, *, role: str, start: datetime, end: datetime,
                      note: str = "", actor=None) -> Assignment:
    """Put a person on an event order in a role for a period: they must have the skill, not be on leave, and
    not work another event at the same time (hours outside their working day count as overtime)."""
    _period(start, end)
    if role not in Skill.values:
        raise ValidationFailed(str(errors.UNKNOWN_SKILL) % {"skill": role, "skills": ", ".join(Skill.values)},
                               field="role")
    with transaction.atomic():
        locked_eo = _editable(eo, actor)
        person = StaffMember.objects.select_for_update().get(pk=member.pk)  # one assignment at a time per person
        name = person.display_name
        if not person.is_active:
            raise ValidationFailed(str(errors.MEMBER_INACTIVE) % {"name": name}, field="member")
        if person.venue_id != locked_eo.booking.space.venue_id:
            raise ValidationFailed(str(errors.MEMBER_OTHER_VENUE) % {"name": name}, field="member")
        if not person.has_skill(role):
            raise ValidationFailed(str(errors.LACKS_SKILL) % {"name": name, "skill": Skill(role).label}, field="role")
        days = _local_days(start, end)
        leave = person.leaves.filter(first_day__lte=days[-1], last_day__gte=days[0]).first()
        if leave is not None:
            away = [d for d in days if leave.first_day <= d <= leave.last_day]
            raise ConflictError(str(errors.ON_LEAVE) % {"name": name, "days": _days_text(away[0], away[-1])},
                                field="member")
        clash = person.assignments.select_related("event_order__booking").filter(start__lt=end, end__gt=start).first()
        if clash is not None:
            lang = _lang()
            raise ConflictError(str(errors.DOUBLE_ASSIGNED) % {
                "name": name, "event": clash.event_order.booking.display_title(lang),
                "start": f"{format_date(timezone.localtime(clash.start), lang)} "
                         f"{timezone.localtime(clash.start):%H:%M}",
                "end": f"{format_date(timezone.localtime(clash.end), lang)} {timezone.localtime(clash.end):%H:%M}"},
                field="member")
        assignment = Assignment.objects.create(event_order=locked_eo, member=person, role=role, start=start, end=end,
                                               note=note[:200])
        log_action(locked_eo, "assign", actor=actor, data={"member": person.pk, "role": role,
                                                           "start": start.isoformat(), "end": end.isoformat()})
    return assignment


def assignment_remove(assignment: Assignment, *, actor=None) -> None:
    """Take a person off an event order."""
    with transaction.atomic():
        locked = _editable(assignment.event_order, actor)
        assignment.delete()
        log_action(locked, "unassign", actor=actor, data={"member": assignment.member_id, "role": assignment.role})

