"""Turns database rows into the optimizer's input (and the exchange format), and results back.

The optimizer package never sees Django; this module is the only bridge.
"""

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from khuang.bookings.errors import HIDDEN_TITLE
from khuang.bookings.models import Booking, BookingRule, BookingStatus
from khuang.core.thaidates import fiscal_year_bounds
from khuang.venues.models import Closure, Layout, Space, Venue

from .models import PlanItem, Proposal, ProposalStatus
from .optimizer import model as opt

PLANNABLE = (ProposalStatus.SUBMITTED, ProposalStatus.PLANNED)
LEAD_TIME_REASON = "booking lead time"


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


def current_day() -> date:
    """Today in the venue's time zone: where a plan of the running year starts. Tests replace it."""
    return timezone.localdate()


def run_settings(venue: Venue, fiscal_year: int, *, today: date | None = None) -> dict[str, Any]:
    """What a run of this venue and fiscal year is solved with, as the plan row keeps it (`Plan.solved_with`).

    The venue's planning settings (weights and daily limits), and the horizon: from the later of the fiscal year's
    start and today plus the booking lead time, to the year's end. Past days are neither planned nor counted. The
    lead time is the shortest `min_lead_days` of the booking rules of the venue's spaces (0 if a space has none);
    spaces whose rule asks for more get their extra days as a closure (`space_leads`), so no planned hold breaks a
    booking rule.
    """
    from .selectors import planning_settings

    first, last = fiscal_year_bounds(fiscal_year)
    today = today or current_day()
    spaces = list(Space.objects.filter(venue=venue, is_active=True).values_list("pk", "code"))
    rules = dict(BookingRule.objects.filter(space_id__in=[pk for pk, _ in spaces])
                 .values_list("space_id", "min_lead_days"))
    leads = {code: rules.get(pk) or 0 for pk, code in spaces}
    lead = min(leads.values(), default=0)
    start = max(first, today + timedelta(days=lead))
    ps = planning_settings(venue)
    return {
        "week_bonus": ps.week_bonus, "oversize_penalty": ps.oversize_penalty,
        "max_events_per_day": ps.max_events_per_day, "max_moveins_per_day": ps.max_moveins_per_day,
        "today": today.isoformat(), "lead_days": lead, "horizon_start": start.isoformat(),
        "horizon_end": last.isoformat(),
        "space_leads": {code: days for code, days in sorted(leads.items()) if days > lead},
    }


def window_passed(p: Proposal, horizon: opt.Horizon) -> bool:
    """The proposal can no longer happen in this horizon: its fixed date or its whole window lies before it."""
    if p.fixed_start is not None:
        return p.fixed_start < horizon.start
    earliest = max(horizon.start, p.earliest) if p.earliest else horizon.start
    latest_end = min(horizon.end, p.latest_end) if p.latest_end else horizon.end
    return (latest_end - earliest).days + 1 < p.days


def build_instance(venue: Venue, fiscal_year: int, *, pins: list[opt.Pin] | None = None,
                   proposals=None, solved_with: dict[str, Any] | None = None) -> opt.Instance:
    """The horizon (from today, see `run_settings`), the venue's spaces and closures, the diary's occupying
    bookings as busy spans (with the booking id and agency, so explanations can be shown per viewer), the
    plannable proposals that can still happen as activities, and the venue's weights and daily limits."""
    cfg = solved_with or run_settings(venue, fiscal_year)
    first, last = date.fromisoformat(cfg["horizon_start"]), date.fromisoformat(cfg["horizon_end"])
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
    today = date.fromisoformat(cfg.get("today") or first.isoformat())
    for code, days in (cfg.get("space_leads") or {}).items():  # a longer lead time than the venue's
        end = min(last, today + timedelta(days=days - 1))
        if code in codes.values() and end >= first:
            closures.append(opt.Closure(space=code, start=first, end=end, reason=LEAD_TIME_REASON))
    busy = [
        opt.Busy(space=codes[b.space_id], start=max(first, _local_day(b.occupied_start)),
                 end=min(last, _last_day(b.occupied_end)), label=b.title, ref=str(b.pk),
                 agency=b.agency.code if b.agency_id else "", event_start=_local_day(b.start),
                 event_end=_last_day(b.end))
        for b in Booking.objects.filter(space__in=spaces, occupied_start__lt=span_end, occupied_end__gt=span_start)
        .select_related("agency")
        if b.occupies or b.status == BookingStatus.COMPLETED
    ]
    horizon = opt.Horizon(start=first, end=last)
    activities = []
    for p in proposals if proposals is not None else plannable_proposals(venue, fiscal_year):
        if window_passed(p, horizon):
            continue
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
        horizon=horizon,
        spaces=tuple(opt.Space(code=s.code, name=s.name_en or s.name_th, capacity=s.max_capacity,
                               area_sqm=float(s.area_sqm) if s.area_sqm is not None else None,
                               parts=tuple(sorted(p.code for p in s.parts.all()))) for s in spaces),
        closures=tuple(closures), activities=tuple(activities), busy=tuple(busy), pins=tuple(pins or ()),
        objective=opt.Objective(week_bonus=cfg.get("week_bonus") or 0.0,
                                oversize_penalty=cfg.get("oversize_penalty") or 0.0),
        limits=opt.Limits(max_events_per_day=cfg.get("max_events_per_day"),
                          max_moveins_per_day=cfg.get("max_moveins_per_day")),
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


def instance_to_json(instance: opt.Instance, *, busy_label: Callable[[opt.Busy], str] | None = None) -> dict:
    """The exchange format (DESIGN.md) of an instance: what `khuang plan solve` reads. The diary's busy spans
    become closures named by `busy_label` (default: the booking's title)."""
    def iso(d):
        return d.isoformat() if d else None

    def label(b: opt.Busy) -> str:
        return busy_label(b) if busy_label is not None else b.label

    return {
        "horizon": {"start": iso(instance.horizon.start), "end": iso(instance.horizon.end)},
        "spaces": [{"code": s.code, "name": s.name, "capacity": s.capacity, "area_sqm": s.area_sqm,
                    "parts": list(s.parts)} for s in instance.spaces],
        "closures": [{"space": c.space, "start": iso(c.start), "end": iso(c.end), "reason": c.reason}
                     for c in instance.closures]
        + [{"space": b.space, "start": iso(b.start), "end": iso(b.end), "reason": f"booked: {label(b)}"}
           for b in instance.busy],
        "activities": [{"id": a.id, "title": a.title, "agency": a.agency, "type": a.type, "days": a.days,
                        "setup_days": a.setup_days, "teardown_days": a.teardown_days, "attendees": a.attendees,
                        "allowed_spaces": list(a.allowed_spaces) if a.allowed_spaces is not None else None,
                        "earliest": iso(a.earliest), "latest_end": iso(a.latest_end),
                        "fixed_start": iso(a.fixed_start), "preferred_months": list(a.preferred_months),
                        "priority": a.priority} for a in instance.activities],
        **({} if instance.objective.is_v1 else {"objective": {
            "week_bonus": instance.objective.week_bonus, "oversize_penalty": instance.objective.oversize_penalty}}),
        **({} if instance.limits.is_v1 else {"limits": {
            "max_events_per_day": instance.limits.max_events_per_day,
            "max_moveins_per_day": instance.limits.max_moveins_per_day}}),
    }


def exchange_export(venue: Venue, fiscal_year: int) -> dict:
    """The fiscal year's plannable proposals (those that can still happen) in the exchange format, with the extra
    keys (`title_en`, `layout`, `is_public`, `notes`) that other tools ignore and `khuang plan import` reads back."""
    proposals = list(plannable_proposals(venue, fiscal_year))
    instance = build_instance(venue, fiscal_year, proposals=proposals)
    # The file leaves Khuang: private bookings are named as the diary names them to someone outside the agency.
    bookings = {str(b.pk): b for b in Booking.objects.filter(pk__in=[int(x.ref) for x in instance.busy if x.ref])}
    hidden = str(HIDDEN_TITLE)

    def busy_label(b: opt.Busy) -> str:
        booking = bookings.get(b.ref)
        return b.label if booking is not None and booking.shows_title_to(None) else f"{hidden} #{b.ref}"

    data = instance_to_json(instance, busy_label=busy_label)
    by_ref = {p.ref: p for p in proposals}
    for activity in data["activities"]:
        p = by_ref[activity["id"]]
        activity.update(title_en=p.title_en, layout=p.layout, is_public=p.is_public, notes=p.notes)
    return data
