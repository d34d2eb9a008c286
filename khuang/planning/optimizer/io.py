"""The plan exchange format (DESIGN.md): strict parsing with errors that name the activity and the field."""

from datetime import date
from typing import Any

from .model import (
    ACTIVITY_TYPES,
    Activity,
    Closure,
    Horizon,
    Instance,
    Limits,
    Objective,
    ObjectiveParts,
    Pin,
    Solution,
    Space,
    objective_parts,
    relative_gap,
)


class InstanceError(ValueError):
    """An exchange-format instance that cannot be solved as written."""

    def __init__(self, message: str, *, field: str = "", activity_id: str | None = None):
        self.message = message
        self.field = field
        self.activity_id = activity_id
        where = []
        if activity_id is not None:
            where.append(f"activity {activity_id}")
        if field:
            where.append(f"field {field}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


def _date(value: Any, field: str, activity: str | None = None, *, required: bool = True) -> date | None:
    if value is None:
        if required:
            raise InstanceError("a date YYYY-MM-DD is required", field=field, activity_id=activity)
        return None
    if not isinstance(value, str):
        raise InstanceError(f"expected a date YYYY-MM-DD, got {value!r}", field=field, activity_id=activity)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InstanceError(f"{value!r} is not a date YYYY-MM-DD", field=field, activity_id=activity) from None


def _int(value: Any, field: str, activity: str | None = None, *, minimum: int | None = None,
         maximum: int | None = None, default: int | None = None) -> int:
    if value is None and default is not None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise InstanceError(f"expected a whole number, got {value!r}", field=field, activity_id=activity)
    if minimum is not None and value < minimum:
        raise InstanceError(f"must be at least {minimum}, got {value}", field=field, activity_id=activity)
    if maximum is not None and value > maximum:
        raise InstanceError(f"must be at most {maximum}, got {value}", field=field, activity_id=activity)
    return value


def _list(value: Any, field: str, activity: str | None = None) -> list:
    if not isinstance(value, list):
        raise InstanceError(f"expected a list, got {value!r}", field=field, activity_id=activity)
    return value


def _obj(value: Any, field: str) -> dict:
    if not isinstance(value, dict):
        raise InstanceError(f"expected an object, got {type(value).__name__}", field=field)
    return value


def _spaces(raw: list) -> tuple[Space, ...]:
    spaces: dict[str, Space] = {}
    for i, s in enumerate(raw):
        s = _obj(s, f"spaces[{i}]")
        code = s.get("code")
        if not isinstance(code, str) or not code.strip():
            raise InstanceError("every space needs a non-empty code", field=f"spaces[{i}].code")
        if code in spaces:
            raise InstanceError(f"duplicate space code {code!r}", field=f"spaces[{i}].code")
        parts = s.get("parts") or []
        parts = _list(parts, f"spaces[{i}].parts")
        if any(not isinstance(p, str) for p in parts):
            raise InstanceError("parts are space codes", field=f"spaces[{i}].parts")
        if len(set(parts)) == 1 or code in parts:
            raise InstanceError(f"combined space {code!r} needs at least two other spaces as parts",
                                field=f"spaces[{i}].parts")
        area = s.get("area_sqm")
        if area is not None and (isinstance(area, bool) or not isinstance(area, int | float) or area < 0):
            raise InstanceError(f"area_sqm must be a non-negative number, got {area!r}", field=f"spaces[{i}].area_sqm")
        spaces[code] = Space(code=code, name=str(s.get("name") or code),
                             capacity=_int(s.get("capacity"), f"spaces[{i}].capacity", minimum=0, default=0),
                             area_sqm=float(area) if area is not None else None, parts=tuple(dict.fromkeys(parts)))
    for code, space in spaces.items():
        for p in space.parts:
            if p not in spaces:
                raise InstanceError(f"space {code!r} has unknown part {p!r}", field="spaces.parts")
    _check_no_cycles(spaces)
    return tuple(spaces.values())


def _check_no_cycles(spaces: dict[str, Space]) -> None:
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(code: str, path: list[str]) -> None:
        if state.get(code) == 2:
            return
        if state.get(code) == 1:
            cycle = " → ".join([*path[path.index(code):], code])
            raise InstanceError(f"parts form a cycle: {cycle}", field="spaces.parts")
        state[code] = 1
        for p in spaces[code].parts:
            visit(p, [*path, code])
        state[code] = 2

    for code in spaces:
        visit(code, [])


def _activity(i: int, a: dict, spaces: set[str], horizon: Horizon) -> Activity:
    aid = a.get("id")
    if not isinstance(aid, str) or not aid.strip():
        raise InstanceError("every activity needs a non-empty id", field=f"activities[{i}].id")
    days = _int(a.get("days"), "days", aid, minimum=1, maximum=horizon.days)
    setup = _int(a.get("setup_days"), "setup_days", aid, minimum=0, default=0)
    teardown = _int(a.get("teardown_days"), "teardown_days", aid, minimum=0, default=0)
    attendees = _int(a.get("attendees"), "attendees", aid, minimum=0, default=0)
    priority = _int(a.get("priority"), "priority", aid, minimum=1, maximum=5, default=3)
    kind = a.get("type") or "other"
    if kind not in ACTIVITY_TYPES:
        raise InstanceError(f"unknown type {kind!r}; use one of {', '.join(ACTIVITY_TYPES)}", field="type",
                            activity_id=aid)
    allowed = a.get("allowed_spaces")
    if allowed is not None:
        allowed = _list(allowed, "allowed_spaces", aid)
        unknown = [c for c in allowed if c not in spaces]
        if unknown:
            raise InstanceError(f"unknown space {', '.join(map(str, unknown))}", field="allowed_spaces",
                                activity_id=aid)
        allowed = tuple(dict.fromkeys(allowed))
    earliest = _date(a.get("earliest"), "earliest", aid, required=False) or horizon.start
    latest_end = _date(a.get("latest_end"), "latest_end", aid, required=False) or horizon.end
    if earliest < horizon.start or earliest > horizon.end:
        raise InstanceError(f"earliest {earliest} is outside the horizon", field="earliest", activity_id=aid)
    if latest_end < horizon.start or latest_end > horizon.end:
        raise InstanceError(f"latest_end {latest_end} is outside the horizon", field="latest_end", activity_id=aid)
    if (latest_end - earliest).days + 1 < days:
        raise InstanceError(f"the window {earliest} … {latest_end} is shorter than the event's {days} days",
                            field="latest_end", activity_id=aid)
    fixed = _date(a.get("fixed_start"), "fixed_start", aid, required=False)
    if fixed is not None:
        if fixed < earliest or (fixed - earliest).days + days - 1 > (latest_end - earliest).days:
            raise InstanceError(f"fixed_start {fixed} does not fit the window {earliest} … {latest_end}",
                                field="fixed_start", activity_id=aid)
        if (fixed - horizon.start).days < setup or (horizon.end - fixed).days < days - 1 + teardown:
            raise InstanceError(f"fixed_start {fixed} leaves no room for setup/teardown inside the horizon",
                                field="fixed_start", activity_id=aid)
    months = a.get("preferred_months") or []
    months = _list(months, "preferred_months", aid)
    for m in months:
        _int(m, "preferred_months", aid, minimum=1, maximum=12)
    return Activity(
        id=aid, title=str(a.get("title") or ""), agency=str(a.get("agency") or ""), type=kind, days=days,
        setup_days=setup, teardown_days=teardown, attendees=attendees, allowed_spaces=allowed, earliest=earliest,
        latest_end=latest_end, fixed_start=fixed, preferred_months=tuple(sorted(set(months))), priority=priority,
    )


def parse_instance(data: Any) -> Instance:
    """An `Instance` from exchange-format JSON data, or `InstanceError` naming what is wrong."""
    data = _obj(data, "instance")
    horizon_raw = _obj(data.get("horizon"), "horizon")
    horizon = Horizon(start=_date(horizon_raw.get("start"), "horizon.start"),
                      end=_date(horizon_raw.get("end"), "horizon.end"))
    if horizon.end < horizon.start:
        raise InstanceError("the horizon ends before it starts", field="horizon.end")
    if horizon.days > 366 * 6:
        raise InstanceError("the horizon is longer than six years", field="horizon.end")
    spaces = _spaces(_list(data.get("spaces"), "spaces"))
    codes = {s.code for s in spaces}
    closures = []
    for i, c in enumerate(_list(data.get("closures") or [], "closures")):
        c = _obj(c, f"closures[{i}]")
        if c.get("space") not in codes:
            raise InstanceError(f"unknown space {c.get('space')!r}", field=f"closures[{i}].space")
        start, end = _date(c.get("start"), f"closures[{i}].start"), _date(c.get("end"), f"closures[{i}].end")
        if end < start:
            raise InstanceError("the closure ends before it starts", field=f"closures[{i}].end")
        closures.append(Closure(space=c["space"], start=start, end=end, reason=str(c.get("reason") or "")))
    activities = []
    seen: set[str] = set()
    for i, a in enumerate(_list(data.get("activities"), "activities")):
        act = _activity(i, _obj(a, f"activities[{i}]"), codes, horizon)
        if act.id in seen:
            raise InstanceError("duplicate activity id", field="id", activity_id=act.id)
        seen.add(act.id)
        activities.append(act)
    pins = []
    for i, p in enumerate(_list(data.get("pins") or [], "pins")):
        p = _obj(p, f"pins[{i}]")
        if p.get("activity") not in seen:
            raise InstanceError(f"pin of unknown activity {p.get('activity')!r}", field=f"pins[{i}].activity")
        if p.get("space") is not None and p.get("space") not in codes:
            raise InstanceError(f"unknown space {p.get('space')!r}", field=f"pins[{i}].space")
        pins.append(Pin(activity=p["activity"], space=p.get("space"),
                        start=_date(p.get("start"), f"pins[{i}].start", required=False)))
    return Instance(horizon=horizon, spaces=spaces, closures=tuple(closures), activities=tuple(activities),
                    pins=tuple(pins), objective=parse_objective(data.get("objective")),
                    limits=parse_limits(data.get("limits")))


def _weight(value: Any, field: str) -> float:
    if value is None:
        return 0.0
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value or value in (
            float("inf"), float("-inf")):
        raise InstanceError(f"expected a number, got {value!r}", field=field)
    if value < 0:
        raise InstanceError(f"must not be negative, got {value}", field=field)
    return float(value)


def parse_objective(raw: Any) -> Objective:
    """Version 2's `objective` block (absent or null = version 1: zero weights)."""
    if raw is None:
        return Objective()
    raw = _obj(raw, "objective")
    return Objective(week_bonus=_weight(raw.get("week_bonus"), "objective.week_bonus"),
                     oversize_penalty=_weight(raw.get("oversize_penalty"), "objective.oversize_penalty"))


def _limit(value: Any, field: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or (
            isinstance(value, float) and not value.is_integer()):
        raise InstanceError(f"expected a whole number, got {value!r}", field=field)
    if value < 1:
        raise InstanceError(f"must be at least 1, got {value}", field=field)
    return int(value)


def parse_limits(raw: Any) -> Limits:
    """Version 2's `limits` block (absent or null = no limits)."""
    if raw is None:
        return Limits()
    raw = _obj(raw, "limits")
    return Limits(max_events_per_day=_limit(raw.get("max_events_per_day"), "limits.max_events_per_day"),
                  max_moveins_per_day=_limit(raw.get("max_moveins_per_day"), "limits.max_moveins_per_day"))


def objective_to_json(objective: Objective) -> dict[str, float]:
    """The `objective` block as written in the exchange format."""
    return {"week_bonus": objective.week_bonus, "oversize_penalty": objective.oversize_penalty}


def limits_to_json(limits: Limits) -> dict[str, int | None]:
    """The `limits` block as written in the exchange format."""
    return {"max_events_per_day": limits.max_events_per_day, "max_moveins_per_day": limits.max_moveins_per_day}


def instance_to_json(instance: Instance) -> dict[str, Any]:
    """An instance in the exchange format (the inverse of `parse_instance`; diary spans become closures).

    The version-2 blocks are written only when they say something (absent blocks = version 1).
    """
    def day(d: date | None) -> str | None:
        return d.isoformat() if d is not None else None

    out: dict[str, Any] = {
        "horizon": {"start": day(instance.horizon.start), "end": day(instance.horizon.end)},
        "spaces": [{"code": s.code, "name": s.name, "capacity": s.capacity, "area_sqm": s.area_sqm,
                    "parts": list(s.parts)} for s in instance.spaces],
        "closures": [{"space": c.space, "start": day(c.start), "end": day(c.end), "reason": c.reason}
                     for c in instance.closures]
        + [{"space": b.space, "start": day(b.start), "end": day(b.end), "reason": b.label or "booked"}
           for b in instance.busy],
        "activities": [{
            "id": a.id, "title": a.title, "agency": a.agency, "type": a.type, "days": a.days,
            "setup_days": a.setup_days, "teardown_days": a.teardown_days, "attendees": a.attendees,
            "allowed_spaces": list(a.allowed_spaces) if a.allowed_spaces is not None else None,
            "earliest": day(a.earliest), "latest_end": day(a.latest_end), "fixed_start": day(a.fixed_start),
            "preferred_months": list(a.preferred_months), "priority": a.priority,
        } for a in instance.activities],
    }
    if instance.pins:
        out["pins"] = [{"activity": p.activity, "space": p.space, "start": day(p.start)} for p in instance.pins]
    if not instance.objective.is_v1:
        out["objective"] = objective_to_json(instance.objective)
    if not instance.limits.is_v1:
        out["limits"] = limits_to_json(instance.limits)
    return out


def meta_to_json(solution: Solution, parts: ObjectiveParts, objective: Objective | None = None) -> dict[str, Any]:
    """The output's `meta` block: objective v2 and its parts, the proven bound, the gap and the solver status."""
    idle = parts.longest_idle
    bound = max(solution.bound, parts.objective)
    out = {
        "objective": round(parts.objective, 6),
        "value": round(parts.value, 6),
        "active_weeks": parts.active_weeks,
        "weeks_in_horizon": parts.weeks_in_horizon,
        "longest_idle": ({"start": idle.start.isoformat(), "end": idle.end.isoformat(), "days": idle.days}
                         if idle is not None else None),
        "oversize_sum": round(parts.oversize_sum, 6),
        "max_events_in_a_day": parts.max_events_in_a_day,
        "max_moveins_in_a_day": parts.max_moveins_in_a_day,
        "bound": round(bound, 6),
        "gap": round(relative_gap(parts.objective, bound), 6),
        "status": solution.status,
    }
    if objective is not None:
        out["weights"] = objective_to_json(objective)
    return out


def solution_to_json(solution: Solution, instance: Instance | None = None, *, meta: bool = True) -> dict[str, Any]:
    """The exchange-format output: assignments, unscheduled ids and (version 2) the `meta` block.

    `meta` needs the objective's parts: `solution.parts` (set by every solver) or, given `instance`, recomputed.
    """
    out: dict[str, Any] = {
        "assignments": [{"activity": a.activity, "space": a.space, "start": a.start.isoformat()}
                        for a in sorted(solution.assignments, key=lambda x: (x.start, x.space, x.activity))],
        "unscheduled": sorted(solution.unscheduled),
    }
    parts = objective_parts(instance, solution.assignments) if instance is not None else solution.parts
    if meta and parts is not None:
        out["meta"] = meta_to_json(solution, parts, instance.objective if instance is not None else None)
    return out
