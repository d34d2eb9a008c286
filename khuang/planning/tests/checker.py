"""An independent checker of plans in the exchange format, written from DESIGN.md's rules alone.

It shares no code with the optimizer, so a bug there cannot hide here. Version 2: the daily limits, the active
ISO weeks (counted with `date.isocalendar`, day by day), the oversize sum and objective v2 are recomputed from the
definitions, and a plan's `meta` block (when present) is checked against them: the same figures, a bound no lower
than the objective, and a gap that agrees with both.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

TOLERANCE = 1e-6


def _d(text: str) -> date:
    return date.fromisoformat(text)


def _days(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def atomic_parts(spaces: dict[str, dict]) -> dict[str, set[str]]:
    def leaves(code: str, seen: frozenset) -> set[str]:
        parts = spaces[code].get("parts") or []
        if not parts:
            return {code}
        assert code not in seen, f"cycle at {code}"
        return set().union(*(leaves(p, seen | {code}) for p in parts))

    return {code: leaves(code, frozenset()) for code in spaces}


@dataclass
class Check:
    """Everything the checker recomputed about one plan."""

    problems: list[str] = field(default_factory=list)
    value: float = 0.0
    active_weeks: int = 0
    weeks_in_horizon: int = 0
    oversize_sum: float = 0.0
    objective: float = 0.0
    max_events_in_a_day: int = 0
    max_moveins_in_a_day: int = 0
    longest_idle_days: int = 0


def check(instance: dict[str, Any], plan: dict[str, Any]) -> Check:
    """Validate `plan` for `instance` and recompute objective v2 and its parts."""
    out = Check()
    problems = out.problems
    h0, h1 = _d(instance["horizon"]["start"]), _d(instance["horizon"]["end"])
    spaces = {s["code"]: s for s in instance["spaces"]}
    leaves = atomic_parts(spaces)
    acts = {a["id"]: a for a in instance["activities"]}
    weights = instance.get("objective") or {}
    week_bonus = weights.get("week_bonus") or 0.0
    oversize_penalty = weights.get("oversize_penalty") or 0.0
    limits = instance.get("limits") or {}
    taken: dict[tuple[str, date], str] = {}
    for c in instance.get("closures") or []:
        for day in _days(_d(c["start"]), _d(c["end"])):
            for leaf in leaves[c["space"]]:
                taken[(leaf, day)] = f"closure of {c['space']}"
    seen: set[str] = set()
    events: Counter = Counter()
    moveins: Counter = Counter()
    event_days: set[date] = set()
    for x in plan["assignments"]:
        aid, code, start = x["activity"], x["space"], _d(x["start"])
        a = acts.get(aid)
        if a is None:
            problems.append(f"{aid}: unknown activity")
            continue
        if aid in seen:
            problems.append(f"{aid}: assigned twice")
        seen.add(aid)
        if code not in spaces:
            problems.append(f"{aid}: unknown space {code}")
            continue
        allowed = a.get("allowed_spaces")
        if allowed is not None and code not in allowed:
            problems.append(f"{aid}: space {code} not allowed")
        capacity = spaces[code].get("capacity") or 0
        if capacity < (a.get("attendees") or 0):
            problems.append(f"{aid}: {code} too small")
        days = a["days"]
        last = start + timedelta(days=days - 1)
        if a.get("earliest") and start < _d(a["earliest"]):
            problems.append(f"{aid}: starts before earliest")
        if a.get("latest_end") and last > _d(a["latest_end"]):
            problems.append(f"{aid}: ends after latest_end")
        if a.get("fixed_start") and start != _d(a["fixed_start"]):
            problems.append(f"{aid}: not on its fixed start")
        occ_first = start - timedelta(days=a.get("setup_days") or 0)
        occ_last = last + timedelta(days=a.get("teardown_days") or 0)
        if occ_first < h0 or occ_last > h1:
            problems.append(f"{aid}: occupied span leaves the horizon")
        for day in _days(occ_first, occ_last):
            for leaf in leaves[code]:
                if (leaf, day) in taken:
                    problems.append(f"{aid}: {leaf} on {day} already taken by {taken[(leaf, day)]}")
                taken[(leaf, day)] = aid
        for day in _days(start, last):
            events[day] += 1
            event_days.add(day)
        moveins[occ_first] += 1
        bonus = 0.25 if start.month in (a.get("preferred_months") or []) else 0.0
        out.value += (a.get("priority") or 3) * days * (1 + bonus)
        out.oversize_sum += (1 - (a.get("attendees") or 0) / capacity) if capacity > 0 else 0.0
    unscheduled = set(plan.get("unscheduled", []))
    if seen & unscheduled:
        problems.append(f"both assigned and unscheduled: {sorted(seen & unscheduled)}")
    missing = set(acts) - seen - unscheduled
    if missing:
        problems.append(f"neither assigned nor unscheduled: {sorted(missing)}")
    for what, counts, key in (("events", events, "max_events_per_day"), ("move-ins", moveins, "max_moveins_per_day")):
        limit = limits.get(key)
        if limit is not None:
            for day, n in sorted(counts.items()):
                if n > limit:
                    problems.append(f"{day}: {n} {what}, more than the limit of {limit}")
    horizon_weeks = {d.isocalendar()[:2] for d in _days(h0, h1)}
    out.weeks_in_horizon = len(horizon_weeks)
    out.active_weeks = len({d.isocalendar()[:2] for d in event_days if h0 <= d <= h1})
    out.max_events_in_a_day = max(events.values(), default=0)
    out.max_moveins_in_a_day = max(moveins.values(), default=0)
    run = 0
    for day in _days(h0, h1):
        run = 0 if day in event_days else run + 1
        out.longest_idle_days = max(out.longest_idle_days, run)
    out.objective = out.value + week_bonus * out.active_weeks - oversize_penalty * out.oversize_sum
    meta = plan.get("meta")
    if meta is not None:
        _check_meta(out, meta)
    return out


def _check_meta(out: Check, meta: dict[str, Any]) -> None:
    """The `meta` block says what the checker found, and its bound and gap are consistent."""
    close = abs(meta["objective"] - out.objective) <= 1e-4 * max(1.0, abs(out.objective))
    if not close:
        out.problems.append(f"meta.objective {meta['objective']} is not the plan's objective {out.objective:.6f}")
    for key in ("active_weeks", "weeks_in_horizon", "max_events_in_a_day", "max_moveins_in_a_day"):
        if meta.get(key) != getattr(out, key):
            out.problems.append(f"meta.{key} {meta.get(key)} is not {getattr(out, key)}")
    if abs(meta["value"] - out.value) > 1e-4 * max(1.0, out.value):
        out.problems.append(f"meta.value {meta['value']} is not {out.value}")
    if abs(meta["oversize_sum"] - out.oversize_sum) > 1e-4 * max(1.0, out.oversize_sum):
        out.problems.append(f"meta.oversize_sum {meta['oversize_sum']} is not {out.oversize_sum:.6f}")
    idle = meta.get("longest_idle")
    if (idle["days"] if idle else 0) != out.longest_idle_days:
        out.problems.append(f"meta.longest_idle {idle} is not {out.longest_idle_days} days")
    if meta["bound"] < out.objective - 1e-4 * max(1.0, abs(out.objective)):
        out.problems.append(f"meta.bound {meta['bound']} is below the objective {out.objective:.6f}")
    bound = meta["bound"]
    gap = (bound - out.objective) / bound if bound > 1e-9 else 0.0
    if abs(max(0.0, gap) - meta["gap"]) > 1e-5:
        out.problems.append(f"meta.gap {meta['gap']} is not {gap:.6f}")


def check_plan(instance: dict[str, Any], plan: dict[str, Any]) -> tuple[list[str], float]:
    """(violations, objective v2) of `plan` for `instance`; no violations means the plan is valid."""
    result = check(instance, plan)
    return result.problems, result.objective
