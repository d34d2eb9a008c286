"""Reads of the annual plan: proposals a user may see, plan versions, comparisons, the season overlay."""

from datetime import date, timedelta
from typing import Any

import holidays
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuang.accounts import roles
from khuang.accounts.roles import Ability
from khuang.bookings.errors import HIDDEN_TITLE
from khuang.bookings.models import Booking
from khuang.core import thaidates
from khuang.core.i18n import current_lang

from .models import Plan, PlanItem, PlanningSettings, Proposal
from .optimizer import model as opt


def proposal_list(*, viewer, venue=None, fiscal_year: int | None = None, status: str | None = None,
                  agency: str | None = None) -> QuerySet[Proposal]:
    """Proposals the viewer may see: staff all, agency members their agency's."""
    qs = Proposal.objects.visible_to(viewer).select_related("agency", "venue").prefetch_related("allowed_spaces")
    if venue is not None:
        qs = qs.filter(venue=venue)
    if fiscal_year:
        qs = qs.filter(fiscal_year=fiscal_year)
    if status:
        qs = qs.filter(status=status)
    if agency:
        qs = qs.filter(agency__code=agency)
    return qs.order_by("ref")


def plan_items(plan: Plan, viewer=None) -> list[PlanItem]:
    """A plan's items in date order; a viewer who is not center staff sees only their agency's (`viewer=None`:
    every item, for internal callers)."""
    qs = plan.items.select_related("proposal", "proposal__agency", "space").order_by("start", "proposal__ref")
    if viewer is not None:
        qs = qs.filter(proposal__in=Proposal.objects.visible_to(viewer))
    return list(qs)


def plan_list(*, fiscal_year: int | None = None, venue=None, viewer=None) -> QuerySet[Plan]:
    """Plan versions, newest first (`viewer`: only if they may browse the plan)."""
    qs = (Plan.objects.visible_to(viewer) if viewer is not None else Plan.objects.all()).select_related("venue")
    if fiscal_year:
        qs = qs.filter(fiscal_year=fiscal_year)
    if venue is not None:
        qs = qs.filter(venue=venue)
    return qs.order_by("-created_at", "-pk")


def plan_compare(a: Plan, b: Plan, viewer=None) -> dict[str, Any]:
    """Side by side: what moved, what was added or dropped between two versions, each objective as solved, and
    both on one scale (`plan_scale`)."""
    before = {i.proposal.ref: i for i in plan_items(a, viewer)}
    after = {i.proposal.ref: i for i in plan_items(b, viewer)}
    rows = []
    for ref in sorted(set(before) | set(after)):
        x, y = before.get(ref), after.get(ref)
        xs = (x.space.code, x.start) if x and x.scheduled else None
        ys = (y.space.code, y.start) if y and y.scheduled else None
        if xs == ys:
            change = "same" if xs else "unscheduled"
        elif xs is None:
            change = "added"
        elif ys is None:
            change = "dropped"
        else:
            change = "moved"
        title = (y or x).proposal.title
        rows.append({"ref": ref, "title": title, "change": change,
                     "a": {"space": xs[0], "start": xs[1].isoformat()} if xs else None,
                     "b": {"space": ys[0], "start": ys[1].isoformat()} if ys else None})
    counts = {k: sum(1 for r in rows if r["change"] == k) for k in ("moved", "added", "dropped", "same", "unscheduled")}
    return {"a": {"id": a.pk, "version": a.version, "objective": a.objective, "bound": a.bound, "gap": a.gap},
            "b": {"id": b.pk, "version": b.version, "objective": b.objective, "bound": b.bound, "gap": b.gap},
            "counts": counts, "rows": rows, "scale": plan_scale(a, b)}


def thai_holidays(first: date, last: date, lang: str = "th") -> dict[date, str]:
    """Thai public holidays between two dates, named in Thai (or English)."""
    years = range(first.year, last.year + 1)
    found = holidays.country_holidays("TH", years=years, language="th" if lang.startswith("th") else "en_US")
    return {d: name for d, name in sorted(found.items()) if first <= d <= last}


# ---------------------------------------------------------------- settings, figures and explanations

def planning_settings(venue) -> PlanningSettings:
    """The venue's planning settings; the defaults (unsaved) while staff have not set them."""
    return PlanningSettings.objects.filter(venue=venue).first() or PlanningSettings(venue=venue)


def _num(x: float) -> str:
    """2 → "2", 0.5 → "0.5", 1.25 → "1.25": figures as a person writes them."""
    return f"{x:.2f}".rstrip("0").rstrip(".") if x is not None else ""


def settings_in_words(weights: opt.Objective, limits: opt.Limits) -> list[str]:
    """The settings as sentences a planner understands: what each weight is worth in events and rooms."""
    out = []
    wb, op = weights.week_bonus, weights.oversize_penalty
    if wb > 0:
        if float(wb).is_integer() and 1 <= wb <= 5:
            out.append(_("One more week with an event is worth %(wb)s points: as much as a priority-%(p)s "
                         "one-day event.") % {"wb": _num(wb), "p": int(wb)})
        else:
            out.append(_("One more week with an event is worth %(wb)s points (a one-day event of priority p earns "
                         "p points).") % {"wb": _num(wb)})
    else:
        out.append(_("Weeks with an event earn nothing extra: the plan may bunch events together."))
    if op > 0:
        example = op * (1 - 25 / 3000)
        out.append(_("A room far larger than its audience costs up to %(op)s points: a 25-person class in a "
                     "3,000-seat hall loses %(ex)s points, so a smaller free room is chosen when there is one. "
                     "Leaving an event out always costs more.") % {"op": _num(op), "ex": _num(round(example, 2))})
    else:
        out.append(_("Room size is not weighed: a small class may land in a large hall."))
    if limits.max_events_per_day:
        out.append(_("At most %(n)s events run on the same day.") % {"n": limits.max_events_per_day})
    else:
        out.append(_("No limit on events per day."))
    if limits.max_moveins_per_day:
        out.append(_("At most %(n)s events move in (start setting up) on the same day.") % {
            "n": limits.max_moveins_per_day})
    else:
        out.append(_("No limit on move-ins per day."))
    return out


def score_items(items: list[PlanItem], horizon: opt.Horizon, weights: opt.Objective) -> opt.ObjectiveParts:
    """Objective v2 and its parts of a plan's scheduled items, under any weights and horizon (one scale)."""
    scheduled = [i for i in items if i.scheduled]
    acts = {i.proposal.ref: opt.Activity(
        id=i.proposal.ref, days=i.proposal.days, setup_days=i.proposal.setup_days,
        teardown_days=i.proposal.teardown_days, attendees=i.proposal.attendees,
        preferred_months=tuple(i.proposal.preferred_months or ()), priority=i.proposal.priority)
        for i in scheduled}
    spaces = {i.space.code: opt.Space(code=i.space.code, capacity=i.space.max_capacity) for i in scheduled}
    instance = opt.Instance(horizon=horizon, spaces=tuple(spaces.values()), activities=tuple(acts.values()),
                            objective=weights)
    return opt.objective_parts(instance, [opt.Assignment(i.proposal.ref, i.space.code, i.start) for i in scheduled])


def parts_json(parts: opt.ObjectiveParts) -> dict[str, Any]:
    """The parts as the plan row and the API keep them (ISO dates)."""
    idle = parts.longest_idle
    return {"value": parts.value, "active_weeks": parts.active_weeks, "weeks_in_horizon": parts.weeks_in_horizon,
            "oversize_sum": round(parts.oversize_sum, 4), "objective": parts.objective,
            "longest_idle": {"start": idle.start.isoformat(), "end": idle.end.isoformat(), "days": idle.days}
            if idle else None,
            "max_events_in_a_day": parts.max_events_in_a_day, "max_moveins_in_a_day": parts.max_moveins_in_a_day}


def _all_items(plan: Plan) -> list[PlanItem]:
    return list(plan.items.select_related("proposal", "proposal__agency", "space").order_by("start", "proposal__ref"))


def far_too_big(item: PlanItem) -> bool:
    """The audience fills under a quarter of the room (the issue a planner would raise at once)."""
    return bool(item.scheduled and item.space.max_capacity and item.proposal.attendees * 4 < item.space.max_capacity)


def better_by_pct(objective: float | None, bound: float | None) -> float | None:
    """How much more a better plan could score at most, in % of this plan's score (None when unknown)."""
    if objective is None or bound is None or objective <= 1e-9:
        return None
    return max(0.0, (bound - objective) / objective * 100)


def plan_results(plan: Plan, viewer=None) -> dict[str, Any]:
    """What a planner reads at a glance: events planned, weeks with an event, the longest stretch with nothing on,
    events per month, the high-season share, rooms far too big, and the score in its units.

    Counts cover the whole plan; named items only those the viewer may see."""
    items = _all_items(plan)
    horizon, weights = plan.horizon, plan.objective_weights
    parts = score_items(items, horizon, weights)
    scheduled = [i for i in items if i.scheduled]
    visible = {i.pk for i in plan_items(plan, viewer)}
    lang = current_lang()
    short = thaidates.MONTHS_TH_SHORT if lang.startswith("th") else thaidates.MONTHS_EN_SHORT
    months: list[dict[str, Any]] = []
    month = horizon.start.replace(day=1)
    while month <= horizon.end:
        n = sum(1 for i in scheduled if (i.start.year, i.start.month) == (month.year, month.month))
        months.append({"month": month, "count": n, "high": month.month in thaidates.HIGH_SEASON_MONTHS,
                       "label": short[month.month - 1], "title": thaidates.format_month(month.year, month.month, lang)})
        month = (month + timedelta(days=32)).replace(day=1)
    top = max((m["count"] for m in months), default=0) or 1
    for m in months:
        m["pct"] = round(m["count"] / top * 100)
    high = sum(1 for i in scheduled if i.start.month in thaidates.HIGH_SEASON_MONTHS)
    oversized = [i for i in scheduled if far_too_big(i)]
    idle = parts.longest_idle
    better_by = better_by_pct(plan.objective, plan.bound)
    return {
        "planned": len(scheduled), "total": len(items), "parts": parts,
        "active_weeks": parts.active_weeks, "weeks_left": parts.weeks_in_horizon,
        "idle": {"start": idle.start, "end": idle.end, "days": idle.days} if idle else None,
        "months": months, "high_share": round(high / len(scheduled) * 100) if scheduled else None,
        "high_count": high, "oversized": [i for i in oversized if i.pk in visible],
        "oversized_count": len(oversized),
        "value": parts.value, "week_points": weights.week_bonus * parts.active_weeks,
        "oversize_points": weights.oversize_penalty * parts.oversize_sum, "weights": weights,
        "week_bonus_text": _num(weights.week_bonus), "oversize_penalty_text": _num(weights.oversize_penalty),
        "limits": plan.limits, "horizon": horizon,
        "better_by": better_by, "proven_best": better_by is not None and better_by < 0.005,
    }


REASONS = {
    "no_space": gettext_lazy("No allowed space is large enough for its audience in the requested layout."),
    "blocked": gettext_lazy("Every date in its window is taken by the diary or closed."),
    "pin_blocked": gettext_lazy("The pinned space and dates are taken by the diary or closed."),
    "outcompeted": gettext_lazy("Its dates are taken by other planned activities worth as much or more."),
    "day_limit": gettext_lazy("The days it could go already have as many events or move-ins as the team can run."),
    "window_passed": gettext_lazy("Its dates have already passed."),
}
OTHER_REASON = gettext_lazy("It could not be placed.")
HIDDEN_PROPOSAL = gettext_lazy("Another agency's planned activity")


def reason_text(code: str) -> str:
    """An unscheduled proposal's reason in words (never the code)."""
    return str(REASONS.get(code, OTHER_REASON))


def explanations_for(items: list[PlanItem], viewer) -> dict[int, dict[str, Any]]:
    """Each unscheduled item's explanation as this viewer may read it: the reason in words, what is in the way with
    other agencies' private titles masked by the diary's rule (bookings) or the proposal's (rival activities), the
    full days, and the nearest alternative with its distance from the window."""
    out: dict[int, dict[str, Any]] = {}
    todo = [i for i in items if not i.scheduled]
    if not todo:
        return out
    booking_ids, refs = set(), set()
    for i in todo:
        for b in (i.explanation or {}).get("blockers") or []:
            if b.get("kind") == "busy" and str(b.get("ref", "")).isdigit():
                booking_ids.add(int(b["ref"]))
            elif b.get("kind") == "activity" and b.get("ref"):
                refs.add(b["ref"])
    bookings = {str(b.pk): b for b in Booking.objects.filter(pk__in=booking_ids).select_related("agency")}
    plan = todo[0].plan
    proposals = {p.ref: p for p in Proposal.objects.filter(venue_id=plan.venue_id, fiscal_year=plan.fiscal_year,
                                                           ref__in=refs).select_related("agency")}
    staff = viewer is None or roles.has(viewer, Ability.SEE_ALL_AGENCIES)
    for i in todo:
        e = i.explanation or {}
        rows = []
        for b in e.get("blockers") or []:
            kind, label = b.get("kind", ""), b.get("label", "")
            if kind == "busy":
                booking = bookings.get(str(b.get("ref", "")))
                # The booking's title in the page's language (its English title where it has one).
                title = (booking.display_title(current_lang())
                         if booking is not None and booking.shows_title_to(viewer) else str(HIDDEN_TITLE))
            elif kind == "activity":
                p = proposals.get(b.get("ref", ""))
                title = f"{p.ref} {p.title}" if p is not None and p.shows_title_to(viewer) else str(HIDDEN_PROPOSAL)
            elif kind == "closure":
                title = _("Closed: %(reason)s") % {"reason": label} if label else _("Closed")
            else:
                continue  # full days are listed on their own
            rows.append({"kind": kind, "space": b.get("space", ""), "start": _day(b.get("start")),
                         "end": _day(b.get("end")), "title": title})
        legacy = [] if e.get("blockers") else list(e.get("blocking") or [])
        alt = e.get("nearest_alternative")
        alt_out = None
        if isinstance(alt, dict) and alt.get("space") and _day(alt.get("start")):
            start = _day(alt["start"])
            alt_out = {"space": alt["space"], "start": start, "days_from_window": _days_from_window(i.proposal, start)}
        out[i.pk] = {
            "reason": e.get("reason", ""), "message": reason_text(e.get("reason", "")), "in_the_way": rows,
            # Older runs kept only prose with titles in it: shown to staff, counted for everyone else.
            "in_the_way_text": legacy if staff else [], "hidden_count": 0 if staff else len(legacy),
            "full_days": [d for d in (_day(x) for x in e.get("full_days") or []) if d],
            "nearest_alternative": alt_out,
        }
    return out


def _day(text) -> date | None:
    try:
        return date.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None


def _days_from_window(p: Proposal, start: date) -> int:
    """0 inside the proposal's window (or on its fixed date), else the days between the start and the window."""
    lo = p.fixed_start or p.earliest
    hi = p.fixed_start or (p.latest_end - timedelta(days=p.days - 1) if p.latest_end else None)
    if lo is not None and start < lo:
        return (lo - start).days
    if hi is not None and start > hi:
        return (start - hi).days
    return 0


def plan_scale(a: Plan, b: Plan, *, today: date | None = None) -> dict[str, Any]:
    """Two versions on one scale: both re-scored with the venue's current settings over today's horizon, and the
    differences in planner terms (events, weeks with an event, longest idle stretch, oversize), not only points."""
    from .instance import run_settings

    now = run_settings(b.venue, b.fiscal_year, today=today)
    horizon = opt.Horizon(date.fromisoformat(now["horizon_start"]), date.fromisoformat(now["horizon_end"]))
    weights = opt.Objective(week_bonus=now["week_bonus"], oversize_penalty=now["oversize_penalty"])
    sides = {}
    for key, plan in (("a", a), ("b", b)):
        items = _all_items(plan)
        parts = score_items(items, horizon, weights)
        sides[key] = {"version": plan.version, "planned": sum(1 for i in items if i.scheduled), "total": len(items),
                      "oversized": sum(1 for i in items if far_too_big(i)), **parts_json(parts)}
    measures = []
    for key, label, better in (
        ("objective", _("Points (today's settings)"), "more"),
        ("planned", _("Events planned"), "more"),
        ("active_weeks", _("Weeks with an event"), "more"),
        ("idle_days", _("Longest stretch with nothing on (days)"), "less"),
        ("oversized", _("Rooms far too big"), "less"),
        ("oversize_sum", _("Oversize (sum)"), "less"),
        ("max_events_in_a_day", _("Most events on one day"), "less"),
        ("max_moveins_in_a_day", _("Most move-ins on one day"), "less"),
    ):
        va, vb = (_measure(sides[s], key) for s in ("a", "b"))
        diff = round(vb - va, 2)
        verdict = "same" if abs(diff) < 1e-9 else ("better" if (diff > 0) == (better == "more") else "worse")
        measures.append({"key": key, "label": str(label), "a": va, "b": vb, "diff": diff, "verdict": verdict})
    return {"basis": {"week_bonus": weights.week_bonus, "oversize_penalty": weights.oversize_penalty,
                      "week_bonus_text": _num(weights.week_bonus),
                      "oversize_penalty_text": _num(weights.oversize_penalty),
                      "horizon_start": horizon.start.isoformat(), "horizon_end": horizon.end.isoformat()},
            "a": sides["a"], "b": sides["b"], "measures": measures}


def _measure(side: dict[str, Any], key: str) -> float:
    if key == "idle_days":
        return (side.get("longest_idle") or {}).get("days", 0)
    value = side.get(key, 0) or 0
    return round(value, 2) if isinstance(value, float) else value


SKIP_REASONS = {
    "withdrawn": gettext_lazy("withdrawn by its agency since the run"),
    "declined": gettext_lazy("declined since the run"),
    "approved_elsewhere": gettext_lazy("already approved in another version"),
}


def skip_text(code: str) -> str:
    """Why an approval skips an item, in words."""
    return str(SKIP_REASONS.get(code, code))


def plan_approval(plan: Plan) -> dict[str, Any]:
    """What approving would do now: the first-option holds it would make, and the items it would skip (their
    proposal withdrawn, declined or approved elsewhere since the run), for the confirmation page."""
    items = [i for i in _all_items(plan) if i.scheduled]
    holds = [i for i in items if not i.skip_reason()]
    for i in holds:
        i.end_day = i.start + timedelta(days=i.proposal.days - 1)
    skipped = [{"item": i, "reason": i.skip_reason(), "message": skip_text(i.skip_reason())}
               for i in items if i.skip_reason()]
    return {"holds": holds, "skipped": skipped, "refs": [i.proposal.ref for i in holds]}
