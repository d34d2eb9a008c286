"""Reads of operations: equipment availability, event-order snapshots and their differences, the daily
operations sheet, people's availability against the day's demand, schedules, and personnel figures."""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from khuang.bookings.models import Booking, BookingStatus
from khuang.core.errors import NotFoundError
from khuang.core.thaidates import (
    MONTHS_EN_SHORT,
    MONTHS_TH_SHORT,
    fiscal_year_bounds,
    format_date,
)
from khuang.venues.models import Layout, Venue

from . import errors
from .models import (
    SKILL_TEAM,
    Assignment,
    EquipmentItem,
    EquipmentRequest,
    EventOrder,
    ItemDay,
    ItemRepair,
    MealKind,
    Skill,
    StaffLeave,
    StaffMember,
    StaffNeed,
    Team,
    TimelineKind,
    booking_days,
)

# Bookings that happen (and so need equipment and people): confirmed or completed, or a first-option hold.
HAPPENING = Q(status__in=[BookingStatus.CONFIRMED, BookingStatus.COMPLETED]) | Q(status=BookingStatus.HOLD,
                                                                                option_rank=1)
# A move-in needs this many setup-crew people; used to suggest the venue's most move-ins per day.
CREW_PER_MOVE_IN = 3


def _lang() -> str:
    return get_language() or "th"


def _tz():
    return timezone.get_current_timezone()


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    tz = _tz()
    start = datetime.combine(day, time.min, tzinfo=tz)
    return start, start + timedelta(days=1)


def _days(first: date, count: int) -> list[date]:
    return [first + timedelta(days=i) for i in range(count)]


def _when(value: datetime | str | None) -> str:
    """A moment for people: `3 ก.พ. 2570 09:00` (Buddhist Era in Thai)."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    local = timezone.localtime(value, _tz()) if timezone.is_aware(value) else value
    return f"{format_date(local, _lang())} {local:%H:%M}"


def _span(start: datetime | str, end: datetime | str) -> str:
    """`3 ก.พ. 2570 09:00–12:00`, or both ends in full when they fall on different days."""
    s = datetime.fromisoformat(start) if isinstance(start, str) else start
    e = datetime.fromisoformat(end) if isinstance(end, str) else end
    s, e = timezone.localtime(s, _tz()), timezone.localtime(e, _tz())
    if s.date() == e.date():
        return f"{format_date(s, _lang())} {s:%H:%M}–{e:%H:%M}"
    return f"{_when(s)} – {_when(e)}"


# ---------------------------------------------------------------- equipment

def venue_get(code: str | None) -> Venue:
    """The venue by code (the default venue when none is given); unknown → 404 naming `venue`."""
    from khuang.venues.selectors import default_venue

    venue = Venue.objects.filter(code=code).first() if code else default_venue()
    if venue is None:
        raise NotFoundError(_("No venue with code %(code)s.") % {"code": code or "-"}, field="venue")
    return venue


def equipment_list(*, viewer, venue: Venue | None = None, active_only: bool = False) -> QuerySet[EquipmentItem]:
    """Equipment items the viewer may see, by venue, category and code."""
    qs = EquipmentItem.objects.visible_to(viewer).select_related("venue")
    if venue is not None:
        qs = qs.filter(venue=venue)
    if active_only:
        qs = qs.filter(is_active=True)
    return qs


def equipment_get(code: str, *, viewer, venue: Venue | None = None) -> EquipmentItem:
    """One item by code (within the venue when given); unknown or hidden → 404 naming `item`."""
    qs = equipment_list(viewer=viewer, venue=venue).filter(code=code)
    item = qs.first()
    if item is None:
        raise NotFoundError(str(errors.NO_ITEM) % {"code": code}, field="item")
    return item


def item_capacities(item: EquipmentItem, days: list[date]) -> dict[date, int]:
    """Usable units of an item on each day: stock minus units out for repair (never below zero)."""
    if not days:
        return {}
    out = {d: item.stock for d in days}
    for repair in ItemRepair.objects.filter(item=item, first_day__lte=max(days), last_day__gte=min(days)):
        for d in days:
            if repair.first_day <= d <= repair.last_day:
                out[d] -= repair.quantity
    return {d: max(0, n) for d, n in out.items()}


def item_availability(item: EquipmentItem, days: list[date]) -> list[dict[str, Any]]:
    """Per day: usable units, units reserved by occupying bookings, and units free."""
    rows = {r.day: r for r in ItemDay.objects.filter(item=item, day__in=days)}
    caps = item_capacities(item, [d for d in days if d not in rows])
    out = []
    for d in days:
        cap, res = (rows[d].capacity, rows[d].reserved) if d in rows else (caps[d], 0)
        out.append({"day": d, "capacity": cap, "reserved": res, "free": cap - res, "stock": item.stock})
    return out


def _level(cell: dict[str, Any]) -> str:
    """How scarce a day is, for colouring: none free, under a fifth of the stock free, or plenty."""
    if cell["free"] <= 0:
        return "0"
    return "low" if cell["free"] * 5 < cell["stock"] else ""


def _with_levels(cells: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for c in cells:
        out.append({**c, "level": _level(c)})
    return out


def equipment_grid(venue: Venue, first: date, count: int, *, viewer) -> dict[str, Any]:
    """Items (rows) × days (columns) with the units free each day; repairs listed per item."""
    days = _days(first, count)
    items = list(equipment_list(viewer=viewer, venue=venue).prefetch_related(
        Prefetch("repairs", queryset=ItemRepair.objects.filter(last_day__gte=first).order_by("first_day"))))
    return {"days": days, "rows": [{"item": i, "cells": _with_levels(item_availability(i, days)),
                                    "repairs": list(i.repairs.all())}
                                   for i in items]}


def booking_equipment(booking: Booking) -> list[dict[str, Any]]:
    """The booking's equipment lines, each with the fewest units free on its days besides its own claim."""
    days = booking_days(booking)
    out = []
    for line in EquipmentRequest.objects.select_related("item").filter(booking=booking):
        cells = item_availability(line.item, days)
        free = min(c["free"] for c in cells) + line.claimed_quantity if cells else 0
        out.append({"line": line, "item": line.item, "quantity": line.quantity, "reserved": line.is_reserved,
                    "free": free, "fits": free >= line.quantity})
    return out


def bookings_visible_to(*, viewer) -> QuerySet[Booking]:
    """Bookings the viewer may see: the diary's own rule (`Booking.objects.visible_to`)."""
    return Booking.objects.visible_to(viewer).select_related("space", "space__venue", "agency")


def booking_get(booking_id: int, *, viewer) -> Booking:
    """A booking the viewer may see; otherwise 404 (other agencies' bookings are not revealed)."""
    booking = bookings_visible_to(viewer=viewer).filter(pk=booking_id).first()
    if booking is None:
        raise NotFoundError(str(errors.NO_BOOKING) % {"id": booking_id}, field="booking")
    return booking


# ---------------------------------------------------------------- event orders

def event_order_list(*, viewer, venue: Venue | None = None, first: date | None = None,
                     last: date | None = None) -> QuerySet[EventOrder]:
    """Event orders the viewer may see, optionally those whose booking occupies a day in [first, last]."""
    qs = EventOrder.objects.visible_to(viewer).select_related("booking", "booking__space", "booking__agency")
    if venue is not None:
        qs = qs.filter(booking__space__venue=venue)
    if first is not None:
        qs = qs.filter(booking__occupied_end__gt=_day_bounds(first)[0])
    if last is not None:
        qs = qs.filter(booking__occupied_start__lt=_day_bounds(last)[1])
    return qs.order_by("booking__occupied_start", "pk")


def event_order_get(eo_id: int, *, viewer) -> EventOrder:
    """An event order the viewer may see; otherwise 404."""
    eo = event_order_list(viewer=viewer).filter(pk=eo_id).first()
    if eo is None:
        raise NotFoundError(str(errors.NO_EVENT_ORDER) % {"id": eo_id}, field="event_order")
    return eo


def bookings_without_event_order(venue: Venue, first: date, last: date, *, viewer) -> list[Booking]:
    """Happening bookings (confirmed or first option) occupying a day in [first, last] with no event order."""
    start, end = _day_bounds(first)[0], _day_bounds(last)[1]
    return list(bookings_visible_to(viewer=viewer).filter(
        HAPPENING, space__venue=venue, occupied_end__gt=start, occupied_start__lt=end, event_order__isnull=True,
    ).order_by("occupied_start", "pk")[:100])


def _iso(value: datetime) -> str:
    return timezone.localtime(value, _tz()).isoformat()


EO_SNAPSHOT_FIELDS = ("layout", "capacity", "layout_notes", "catering_headcount", "parking_spaces",
                      "day_contact_name", "day_contact_phone", *(f"notes_{t}" for t in Team.values))


def event_order_snapshot(eo: EventOrder) -> dict[str, Any]:
    """Everything a revision freezes, as plain JSON: the booking's times, the order's fields, and each
    timeline step, meal, need, equipment line and assignment keyed by a stable id."""
    b = eo.booking
    lines = EquipmentRequest.objects.select_related("item").filter(booking=b)
    return {
        "booking": {"title": b.title, "space": b.space.code, "start": _iso(b.start), "end": _iso(b.end),
                    "occupied_start": _iso(b.occupied_start), "occupied_end": _iso(b.occupied_end),
                    "attendees": b.attendees, "status": b.status},
        "fields": {f: getattr(eo, f) for f in EO_SNAPSHOT_FIELDS},
        "timeline": {str(t.pk): {"kind": t.kind, "start": _iso(t.start), "end": _iso(t.end), "title": t.title,
                                 "team": t.team} for t in eo.timeline.all()},
        "catering": {str(c.pk): {"kind": c.kind, "served_at": _iso(c.served_at), "headcount": c.headcount,
                                 "notes": c.notes} for c in eo.catering.all()},
        "needs": {str(n.pk): {"skill": n.skill, "count": n.count, "start": _iso(n.start), "end": _iso(n.end)}
                  for n in eo.needs.all()},
        "equipment": {x.item.code: x.quantity for x in lines},
        "staff": {str(a.pk): {"member": a.member.name, "member_en": a.member.name_en, "role": a.role,
                              "start": _iso(a.start), "end": _iso(a.end)}
                  for a in eo.assignments.select_related("member")},
        "names": {x.item.code: {"th": x.item.name_th, "en": x.item.name_en, "unit_th": x.item.unit_th,
                                "unit_en": x.item.unit_en} for x in lines},
    }


DIFF_SECTIONS = ("booking", "fields", "timeline", "catering", "needs", "equipment", "staff")
BOOKING_KEYS = ("title", "space", "start", "end", "occupied_start", "occupied_end", "attendees", "status")


def _key_order(section: str, keys: set[str]) -> list[str]:
    """A fixed order for a section's keys: stored snapshots come back from PostgreSQL's jsonb in its own
    key order, so the order of the differences must not depend on it."""
    fixed = {"booking": BOOKING_KEYS, "fields": EO_SNAPSHOT_FIELDS}.get(section)
    if fixed is not None:
        return [k for k in fixed if k in keys] + sorted(k for k in keys if k not in fixed)
    return sorted(keys, key=lambda k: (0, int(k), "") if k.isdigit() else (1, 0, k))


def snapshot_diff(old: dict[str, Any] | None, new: dict[str, Any]) -> list[dict[str, Any]]:
    """What changed between two snapshots, entry by entry: added, removed or changed, with before/after.
    The first revision has nothing to compare with, so its list is empty."""
    if old is None:
        return []
    out = []
    for section in DIFF_SECTIONS:
        a, b = old.get(section, {}), new.get(section, {})
        for key in _key_order(section, set(a) | set(b)):
            if key not in b:
                out.append({"section": section, "key": key, "change": "removed", "before": a[key], "after": None})
            elif key not in a:
                out.append({"section": section, "key": key, "change": "added", "before": None, "after": b[key]})
            elif a[key] != b[key]:
                out.append({"section": section, "key": key, "change": "changed", "before": a[key], "after": b[key]})
    return out


SECTION_LABELS = {
    "booking": lambda: _("Booking"), "fields": lambda: _("Event order"), "timeline": lambda: _("Timeline"),
    "catering": lambda: _("Catering"), "needs": lambda: _("Staff needed"), "equipment": lambda: _("Equipment"),
    "staff": lambda: _("People assigned"),
}
BOOKING_LABELS = {
    "title": lambda: _("Title"), "space": lambda: _("Space"), "start": lambda: _("Event start"),
    "end": lambda: _("Event end"), "occupied_start": lambda: _("Move-in from"),
    "occupied_end": lambda: _("Move-out until"), "attendees": lambda: _("Expected attendance"),
    "status": lambda: _("State"),
}


def _field_text(key: str, value: Any) -> str:
    if value in (None, ""):
        return "–"
    if key == "layout":
        return str(dict(Layout.choices).get(value, value))
    if key in ("start", "end", "occupied_start", "occupied_end"):
        return _when(value)
    if key == "status":
        return str(dict(BookingStatus.choices).get(value, value))
    return str(value)


def _entry_text(section: str, value: Any, names: dict[str, Any], key: str) -> tuple[str, str]:
    """(what, value) of one keyed entry, in the page's language."""
    en = _lang().startswith("en")
    if section == "timeline":
        kind = str(dict(TimelineKind.choices).get(value["kind"], value["kind"]))
        return kind, f"{_span(value['start'], value['end'])} {value['title']}".strip()
    if section == "catering":
        meal = str(dict(MealKind.choices).get(value["kind"], value["kind"]))
        text = _("%(when)s for %(n)s people") % {"when": _when(value["served_at"]), "n": value["headcount"]}
        return meal, f"{text} {value['notes']}".strip()
    if section == "needs":
        skill = str(dict(Skill.choices).get(value["skill"], value["skill"]))
        return skill, f"{value['count']} · {_span(value['start'], value['end'])}"
    if section == "equipment":
        n = names.get(key, {})
        return (n.get("en") if en and n.get("en") else n.get("th", key)) or key, \
            f"{value} {(n.get('unit_en') if en else n.get('unit_th')) or ''}".strip()
    if section == "staff":
        who = value["member_en"] if en and value.get("member_en") else value["member"]
        role = str(dict(Skill.choices).get(value["role"], value["role"]))
        return who, f"{role} · {_span(value['start'], value['end'])}"
    return key, str(value)


def describe_changes(changes: list[dict[str, Any]], names: dict[str, Any] | None = None) -> list[dict[str, str]]:
    """Changes as people read them: section, what, before and after, in the active language."""
    from .models import EventOrder as EO

    names = names or {}
    kinds = {"added": _("added"), "removed": _("removed"), "changed": _("changed")}
    out = []
    for c in changes:
        section = c["section"]
        if section == "booking":
            what = BOOKING_LABELS.get(c["key"], lambda k=c["key"]: k)()
            before, after = _field_text(c["key"], c["before"]), _field_text(c["key"], c["after"])
        elif section == "fields":
            what = str(EO._meta.get_field(c["key"]).verbose_name)
            before, after = _field_text(c["key"], c["before"]), _field_text(c["key"], c["after"])
        else:
            value = c["after"] if c["after"] is not None else c["before"]
            what, _text = _entry_text(section, value, names, c["key"])
            before = _entry_text(section, c["before"], names, c["key"])[1] if c["before"] is not None else "–"
            after = _entry_text(section, c["after"], names, c["key"])[1] if c["after"] is not None else "–"
        out.append({"section": SECTION_LABELS[section](), "what": str(what), "change": kinds[c["change"]],
                    "kind": c["change"], "before": before, "after": after})
    return out


# Sections of a snapshot that say who works the event: shown only where `EventOrder.can_see_staffing` allows.
STAFFING_SECTIONS = frozenset({"needs", "staff"})


def shown_changes(changes: list[dict[str, Any]], *, staffing: bool) -> list[dict[str, Any]]:
    """Raw changes a reader may see: without the staffing sections unless `staffing` (see `STAFFING_SECTIONS`)."""
    return changes if staffing else [c for c in changes if c["section"] not in STAFFING_SECTIONS]


def event_order_changes(eo: EventOrder, *, staffing: bool) -> dict[str, Any]:
    """What changed since the last revision sent (its number), described; nothing sent yet → None.
    `staffing`: whether the reader may see who works the event (`EventOrder.can_see_staffing`)."""
    last = eo.revisions.order_by("-number").first()
    if last is None:
        return {"last": None, "changes": []}
    current = event_order_snapshot(eo)
    names = {**last.snapshot.get("names", {}), **current["names"]}
    changes = shown_changes(snapshot_diff(last.snapshot, current), staffing=staffing)
    return {"last": last, "changes": describe_changes(changes, names)}


def revision_changes(revision, *, staffing: bool) -> list[dict[str, str]]:
    """A sent revision's own list of what changed since the one before, described.
    `staffing`: whether the reader may see who works the event (`EventOrder.can_see_staffing`)."""
    prev = revision.event_order.revisions.filter(number__lt=revision.number).order_by("-number").first()
    names = {**(prev.snapshot.get("names", {}) if prev else {}), **revision.snapshot.get("names", {})}
    return describe_changes(shown_changes(revision.changes, staffing=staffing), names)


def event_order_detail(eo: EventOrder, *, viewer) -> dict[str, Any]:
    """Everything the event order page and its PDF show."""
    b = eo.booking
    staffing = eo.can_see_staffing(viewer)
    revisions = list(eo.revisions.order_by("-number"))
    for r in revisions:
        r.shown_count = len(shown_changes(r.changes, staffing=staffing))
    return {
        "eo": eo, "booking": b, "space": b.space,
        "timeline": list(eo.timeline.all()), "catering": list(eo.catering.all()),
        "needs": list(eo.needs.all()) if staffing else [],
        "equipment": booking_equipment(b),
        "assignments": list(eo.assignments.select_related("member")) if staffing else [],
        "teams": [{"key": t.value, "label": t.label, "notes": eo.team_notes(t.value)} for t in Team],
        "revisions": revisions,
        "since": event_order_changes(eo, staffing=staffing),
        "staffing": staffing,
    }


# ---------------------------------------------------------------- the daily operations sheet

def _happening_on(venue: Venue, day: date) -> QuerySet[Booking]:
    start, end = _day_bounds(day)
    return (Booking.objects.select_related("space", "agency")
            .filter(HAPPENING, space__venue=venue, occupied_start__lt=end, occupied_end__gt=start)
            .order_by("occupied_start", "pk"))


def daily_sheet(venue: Venue, day: date) -> dict[str, Any]:
    """All events of a day at a venue, and for each team what it does for each of them that day: steps,
    notes, equipment (setup), meals (catering), parking, and the people assigned."""
    start, end = _day_bounds(day)

    def today(s: datetime, e: datetime) -> bool:
        return s < end and e > start
    bookings = list(_happening_on(venue, day))
    eos = {eo.booking_id: eo for eo in EventOrder.objects.filter(booking__in=bookings).prefetch_related(
        "timeline", "catering", Prefetch("assignments", queryset=Assignment.objects.select_related("member")))}
    events = []
    for b in bookings:
        eo = eos.get(b.pk)
        lines = list(EquipmentRequest.objects.select_related("item").filter(booking=b))
        events.append({
            "booking": b, "eo": eo, "equipment": lines,
            "moving_in": start <= b.occupied_start < end, "moving_out": start < b.occupied_end <= end,
            "event_day": b.start < end and b.end > start,
            "timeline": [t for t in eo.timeline.all() if today(t.start, t.end)] if eo else [],
            "catering": [c for c in eo.catering.all() if start <= c.served_at < end] if eo else [],
            "people": [a for a in eo.assignments.all() if today(a.start, a.end)] if eo else [],
        })
    teams = []
    for team in Team:
        rows = []
        for ev in events:
            eo = ev["eo"]
            steps = [t for t in ev["timeline"] if t.team == team.value or (not t.team and team == Team.COORDINATION)]
            people = [a for a in ev["people"] if SKILL_TEAM.get(a.role) == team.value]
            row = {"event": ev, "steps": steps, "people": people, "notes": eo.team_notes(team.value) if eo else ""}
            if team == Team.SETUP:
                row["equipment"] = ev["equipment"] if (ev["moving_in"] or ev["moving_out"]) else []
            if team == Team.CATERING:
                row["catering"] = ev["catering"]
            if team == Team.PARKING:
                row["parking"] = eo.parking_spaces if eo else 0
            if team == Team.COORDINATION:
                row["contact"] = (eo.day_contact_name, eo.day_contact_phone) if eo else (b.contact_name, "")
            if any(row.get(k) for k in ("steps", "people", "notes", "equipment", "catering", "parking")) or (
                    team == Team.COORDINATION):
                rows.append(row)
        teams.append({"key": team.value, "label": team.label, "rows": rows})
    return {"venue": venue, "day": day, "events": events, "teams": teams,
            "without_event_order": [ev["booking"] for ev in events if ev["eo"] is None],
            "staffing": staff_day(venue, day)}


# ---------------------------------------------------------------- people: availability and demand

def staff_list(*, viewer, venue: Venue | None = None, active_only: bool = False) -> QuerySet[StaffMember]:
    """Staff members the viewer may see (staff: everyone; a member: themself)."""
    qs = StaffMember.objects.visible_to(viewer).select_related("venue", "user")
    if venue is not None:
        qs = qs.filter(venue=venue)
    if active_only:
        qs = qs.filter(is_active=True)
    return qs


def staff_get(member_id: int, *, viewer) -> StaffMember:
    member = staff_list(viewer=viewer).filter(pk=member_id).first()
    if member is None:
        raise NotFoundError(str(errors.NO_MEMBER) % {"id": member_id}, field="member")
    return member


def _on_leave(leaves: list[StaffLeave], day: date) -> bool:
    return any(lv.first_day <= day <= lv.last_day for lv in leaves)


def _peak(intervals: list[tuple[datetime, datetime, int]]) -> int:
    """The most people needed at any one moment, given (start, end, count) periods (half-open)."""
    points = sorted([(s, 1, n) for s, _e, n in intervals] + [(e, 0, -n) for _s, e, n in intervals])
    best = current = 0
    for _t, _kind, delta in points:  # at equal times ends (kind 0) come before starts
        current += delta
        best = max(best, current)
    return best


def staff_days(venue: Venue, first: date, last: date) -> list[dict[str, Any]]:
    """Per day: people available (working that weekday, not on leave) against the day's demand, the peak
    number needed at once by the needs of happening events, in total and by skill; `short` when demand
    exceeds the people available (in total, or for a skill)."""
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    range_start, range_end = _day_bounds(first)[0], _day_bounds(last)[1]
    members = list(StaffMember.objects.filter(venue=venue, is_active=True))
    leaves = defaultdict(list)
    for lv in StaffLeave.objects.filter(member__in=members, first_day__lte=last, last_day__gte=first):
        leaves[lv.member_id].append(lv)
    needs = list(StaffNeed.objects.filter(
        event_order__booking__in=Booking.objects.filter(HAPPENING, space__venue=venue),
        start__lt=range_end, end__gt=range_start).select_related("event_order__booking"))
    out = []
    for day in days:
        s, e = _day_bounds(day)
        present = [m for m in members if m.works_on(day) and not _on_leave(leaves[m.pk], day)]
        todays = [(max(n.start, s), min(n.end, e), n.count, n.skill) for n in needs if n.start < e and n.end > s]
        by_skill = []
        for skill in Skill:
            demand = _peak([(a, b, c) for a, b, c, k in todays if k == skill.value])
            available = sum(1 for m in present if m.has_skill(skill.value))
            if demand or available:
                by_skill.append({"skill": skill.value, "label": skill.label, "demand": demand, "available": available,
                                 "short": demand > available})
        demand = _peak([(a, b, c) for a, b, c, _k in todays])
        out.append({"day": day, "demand": demand, "available": len(present), "by_skill": by_skill,
                    "events": len({n.event_order_id for n in needs if n.start < e and n.end > s}),
                    "short": demand > len(present) or any(x["short"] for x in by_skill)})
    return out


def staff_day(venue: Venue, day: date) -> dict[str, Any]:
    """One day of `staff_days`."""
    return staff_days(venue, day, day)[0]


def staff_shortages(venue: Venue, first: date, last: date) -> list[dict[str, Any]]:
    """Only the days on which the demand exceeds the people available."""
    return [d for d in staff_days(venue, first, last) if d["short"]]


def daily_limits_suggestion(venue: Venue) -> dict[str, Any]:
    """The venue's "most events per day" and "most move-ins per day" suggested from its people: on the
    weakest regular working weekday, one event per coordinator at work and one move-in per
    CREW_PER_MOVE_IN setup-crew people at work."""
    members = list(StaffMember.objects.filter(venue=venue, is_active=True))
    weekdays = sorted({d for m in members for d in (m.working_days or [])})
    regular = [d for d in weekdays if sum(1 for m in members if d in (m.working_days or [])) * 2 >= len(members)]
    per_day = []
    for wd in regular or weekdays:
        at_work = [m for m in members if wd in (m.working_days or [])]
        per_day.append((sum(1 for m in at_work if m.has_skill(Skill.COORDINATOR)),
                        sum(1 for m in at_work if m.has_skill(Skill.SETUP_CREW))))
    coordinators = min((c for c, _s in per_day), default=0)
    crew = min((s for _c, s in per_day), default=0)
    events, moveins = coordinators, crew // CREW_PER_MOVE_IN
    return {
        "events_per_day": events, "moveins_per_day": moveins, "coordinators": coordinators, "setup_crew": crew,
        "crew_per_move_in": CREW_PER_MOVE_IN,
        "current_events_per_day": getattr(venue, "max_events_per_day", None),
        "current_moveins_per_day": getattr(venue, "max_moveins_per_day", None),
        "explanation": _("On the thinnest regular working day %(c)s coordinators and %(s)s setup-crew people are "
                         "at work: one coordinator runs one event, and a move-in takes %(k)s crew, so at most "
                         "%(e)s events and %(m)s move-ins a day.") % {
            "c": coordinators, "s": crew, "k": CREW_PER_MOVE_IN, "e": events, "m": moveins},
    }


# ---------------------------------------------------------------- a person's schedule and hours

def member_schedule(member: StaffMember, first: date, days: int = 14) -> dict[str, Any]:
    """A person's days from `first`: assignments (event, space, role, times, contact) and leave."""
    last = first + timedelta(days=days - 1)
    start, end = _day_bounds(first)[0], _day_bounds(last)[1]
    assignments = list(member.assignments.select_related("event_order__booking__space").filter(
        start__lt=end, end__gt=start).order_by("start"))
    leaves = list(member.leaves.filter(first_day__lte=last, last_day__gte=first))
    out = []
    for day in _days(first, days):
        s, e = _day_bounds(day)
        todays = [a for a in assignments if a.start < e and a.end > s]
        away = next((lv for lv in leaves if lv.first_day <= day <= lv.last_day), None)
        if todays or away:
            out.append({"day": day, "assignments": todays, "leave": away, "works": member.works_on(day)})
    return {"member": member, "first": first, "last": last, "days": out}


def _split_hours(a: Assignment, member: StaffMember, leaves: list[StaffLeave]) -> list[tuple[date, float, float]]:
    """(day, regular hours, overtime hours) of an assignment: hours inside the person's working window on a
    working day (not on leave) are regular, all others overtime."""
    out = []
    tz = _tz()
    cursor = a.start
    while cursor < a.end:
        day = timezone.localtime(cursor, tz).date()
        day_end = _day_bounds(day)[1]
        piece_end = min(a.end, day_end)
        total = (piece_end - cursor).total_seconds() / 3600
        window = None if _on_leave(leaves, day) else member.working_window(day)
        regular = 0.0
        if window:
            lo, hi = max(cursor, window[0]), min(piece_end, window[1])
            regular = max(0.0, (hi - lo).total_seconds() / 3600)
        out.append((day, regular, total - regular))
        cursor = piece_end
    return out


def personnel_summary(venue: Venue, fy: int, *, viewer) -> dict[str, Any]:
    """Personnel for a fiscal year: headcount by unit and skill, hours assigned to events by month and in
    total, overtime (hours outside a person's working days and hours), and hours per person, the last only for
    the people the viewer may see (`StaffMember.objects.visible_to`: the center's staff see everyone)."""
    first, last = fiscal_year_bounds(fy)
    named = set(StaffMember.objects.visible_to(viewer).filter(venue=venue).values_list("pk", flat=True))
    start, end = _day_bounds(first)[0], _day_bounds(last)[1]
    members = list(StaffMember.objects.filter(venue=venue))
    active = [m for m in members if m.is_active]
    by_unit: dict[str, int] = defaultdict(int)
    for m in active:
        by_unit[m.unit] += 1
    by_skill = [{"skill": s.value, "label": s.label, "count": sum(1 for m in active if m.has_skill(s.value))}
                for s in Skill]
    months = []
    for i in range(12):
        month = (first.month - 1 + i) % 12 + 1
        year = first.year + (1 if month < 10 else 0)
        label = (f"{MONTHS_EN_SHORT[month - 1]} {str(year)[-2:]}" if _lang().startswith("en")
                 else f"{MONTHS_TH_SHORT[month - 1]} {str(year + 543)[-2:]}")
        months.append({"year": year, "month": month, "label": label, "hours": 0.0, "overtime": 0.0})
    index = {(m["year"], m["month"]): m for m in months}
    leaves = defaultdict(list)
    for lv in StaffLeave.objects.filter(member__venue=venue, first_day__lte=last, last_day__gte=first):
        leaves[lv.member_id].append(lv)
    people: dict[int, dict[str, Any]] = {}
    assignments = Assignment.objects.select_related("member").filter(
        member__venue=venue, start__lt=end, end__gt=start, event_order__booking__status__in=[
            BookingStatus.CONFIRMED, BookingStatus.COMPLETED, BookingStatus.HOLD])
    for a in assignments:
        row = people.setdefault(a.member_id, {"name": a.member.display_name, "unit": a.member.unit, "hours": 0.0,
                                              "overtime": 0.0, "events": set()})
        for day, regular, overtime in _split_hours(a, a.member, leaves[a.member_id]):
            if not first <= day <= last:
                continue
            cell = index[(day.year, day.month)]
            cell["hours"] += regular + overtime
            cell["overtime"] += overtime
            row["hours"] += regular + overtime
            row["overtime"] += overtime
        row["events"].add(a.event_order_id)
    for m in months:
        m["hours"], m["overtime"] = round(m["hours"], 1), round(m["overtime"], 1)
    per_person = sorted(({**p, "events": len(p["events"]), "hours": round(p["hours"], 1),
                          "overtime": round(p["overtime"], 1)} for pk, p in people.items() if pk in named),
                        key=lambda p: (-p["hours"], p["name"]))
    return {
        "fiscal_year": fy, "headcount": len(active),
        "by_unit": [{"unit": u, "count": n} for u, n in sorted(by_unit.items())],
        "by_skill": by_skill, "months": months,
        "hours": round(sum(m["hours"] for m in months), 1), "overtime": round(sum(m["overtime"] for m in months), 1),
        "people": per_person,
    }
