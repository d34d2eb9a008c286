"""Turns database rows into the optimizer's input (and the exchange format), and results back.

The optimizer package never sees Django; this module is the only bridge.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from khuang.bookings.models import Booking, BookingStatus
from khuang.core.thaidates import fiscal_year_bounds
from khuang.venues.models import Closure, Layout, Space, Venue

from .models import PlanItem, Proposal, ProposalStatus
from .optimizer import model as opt

PLANNABLE = (ProposalStatus.SUBMITTED, ProposalStatus.PLANNED)


def _local_day(value: datetime) -> date:
    return timezone.localtime(value).date()


def _last_day(end: datetime) -> date:
    """The last calendar day touched by a half-open span ending at `end`."""
    return _local_day(end - timedelta(microseconds=1))


def space_capacity(space: Space, layout: str = "") -> int:
    """Head count a space takes in a layout (booth floors count visitors by reception capacity)."""
    if layout and layout != Layout.BOOTHS:
        return space.capacity_for(layout)
    return space.max_capacity


def plannable_proposals(venue: Venue, fiscal_year: int):
    return (Proposal.objects.filter(venue=venue, fiscal_year=fiscal_year, status__in=PLANNABLE)
            .select_related("agency").prefetch_related("allowed_spaces").order_by("ref"))


def build_instance(venue: Venue, fiscal_year: int, *, pins: list[opt.Pin] | None = None,
                   proposals=None) -> opt.Instance:
    """The fiscal year's horizon, the venue's spaces and closures, the diary's occupying bookings as busy
    spans, and the plannable proposals as activities."""
    first, last = fiscal_year_bounds(fiscal_year)
    spaces = list(Space.objects.filter(venue=venue, is_active=True).prefetch_related("parts").order_by("code"))
    codes = {s.pk: s.code for s in spaces}
    tz = timezone.get_current_timezone()
    span_start = datetime.combine(first, time.min, tzinfo=tz)
    span_end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz)
    closures = [
        opt.Closure(space=codes[c.space_id], start=max(first, _local_day(c.start)),
                    end=min(last, _last_day(c.end)), reason=c.reason)
        for c in Closure.objects.filter(space__in=spaces, start__lt=span_end, end__gt=span_start)
    ]
    busy = [
        opt.Busy(space=codes[b.space_id], start=max(first, _local_day(b.occupied_start)),
                 end=min(last, _last_day(b.occupied_end)), label=b.title)
        for b in Booking.objects.filter(space__in=spaces, occupied_start__lt=span_end,
                                        occupied_end__gt=span_start)
        if b.occupies or b.status == BookingStatus.COMPLETED
    ]
    activities = []
    for p in proposals if proposals is not None else plannable_proposals(venue, fiscal_year):
        allowed = [s.code for s in p.allowed_spaces.all()] or [s.code for s in spaces]
        allowed = [c for c in allowed if any(s.code == c and space_capacity(s, p.layout) >= p.attendees
                                             for s in spaces)]
        activities.append(opt.Activity(
            id=p.ref, title=p.title_th, agency=p.agency.code, type=p.activity_type, days=p.days,
            setup_days=p.setup_days, teardown_days=p.teardown_days, attendees=p.attendees,
            allowed_spaces=tuple(allowed), earliest=max(first, p.earliest) if p.earliest else first,
            latest_end=min(last, p.latest_end) if p.latest_end else last, fixed_start=p.fixed_start,
            preferred_months=tuple(p.preferred_months or ()), priority=p.priority,
        ))
    return opt.Instance(
        horizon=opt.Horizon(start=first, end=last),
        spaces=tuple(opt.Space(code=s.code, name=s.name_en or s.name_th, capacity=s.max_capacity,
                               area_sqm=float(s.area_sqm) if s.area_sqm is not None else None,
                               parts=tuple(sorted(p.code for p in s.parts.all()))) for s in spaces),
        closures=tuple(closures), activities=tuple(activities), busy=tuple(busy), pins=tuple(pins or ()),
    )


def pins_of(plan) -> list[opt.Pin]:
    """The pins a planner set on a plan's items, for re-solving."""
    out = []
    for item in PlanItem.objects.filter(plan=plan).select_related("proposal", "space"):
        if item.pin_space or item.pin_start:
            out.append(opt.Pin(activity=item.proposal.ref,
                               space=item.space.code if item.pin_space and item.space else None,
                               start=item.start if item.pin_start else None))
    return out


def instance_to_json(instance: opt.Instance) -> dict:
    """The exchange format (DESIGN.md) of an instance: what `khuang plan solve` reads."""
    def iso(d):
        return d.isoformat() if d else None

    return {
        "horizon": {"start": iso(instance.horizon.start), "end": iso(instance.horizon.end)},
        "spaces": [{"code": s.code, "name": s.name, "capacity": s.capacity, "area_sqm": s.area_sqm,
                    "parts": list(s.parts)} for s in instance.spaces],
        "closures": [{"space": c.space, "start": iso(c.start), "end": iso(c.end), "reason": c.reason}
                     for c in instance.closures]
        + [{"space": b.space, "start": iso(b.start), "end": iso(b.end), "reason": f"booked: {b.label}"}
           for b in instance.busy],
        "activities": [{"id": a.id, "title": a.title, "agency": a.agency, "type": a.type, "days": a.days,
                        "setup_days": a.setup_days, "teardown_days": a.teardown_days, "attendees": a.attendees,
                        "allowed_spaces": list(a.allowed_spaces) if a.allowed_spaces is not None else None,
                        "earliest": iso(a.earliest), "latest_end": iso(a.latest_end),
                        "fixed_start": iso(a.fixed_start), "preferred_months": list(a.preferred_months),
                        "priority": a.priority} for a in instance.activities],
    }


def exchange_export(venue: Venue, fiscal_year: int) -> dict:
    """The fiscal year's plannable proposals in the exchange format, with the extra keys (`title_en`, `layout`,
    `is_public`, `notes`) that other tools ignore and `khuang plan import` reads back."""
    proposals = list(plannable_proposals(venue, fiscal_year))
    data = instance_to_json(build_instance(venue, fiscal_year, proposals=proposals))
    by_ref = {p.ref: p for p in proposals}
    for activity in data["activities"]:
        p = by_ref[activity["id"]]
        activity.update(title_en=p.title_en, layout=p.layout, is_public=p.is_public, notes=p.notes)
    return data
