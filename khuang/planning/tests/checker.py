"""An independent checker of plans in the exchange format, written from DESIGN.md's rules alone.

It shares no code with the optimizer, so a bug there cannot hide here.
"""

from datetime import date, timedelta
from typing import Any


def _d(text: str) -> date:
    return date.fromisoformat(text)


def atomic_parts(spaces: dict[str, dict]) -> dict[str, set[str]]:
    def leaves(code: str, seen: frozenset) -> set[str]:
        parts = spaces[code].get("parts") or []
        if not parts:
            return {code}
        assert code not in seen, f"cycle at {code}"
        return set().union(*(leaves(p, seen | {code}) for p in parts))

    return {code: leaves(code, frozenset()) for code in spaces}


def check_plan(instance: dict[str, Any], plan: dict[str, Any]) -> tuple[list[str], float]:
    """(violations, objective) of `plan` for `instance`; no violations means the plan is valid."""
    problems: list[str] = []
    h0, h1 = _d(instance["horizon"]["start"]), _d(instance["horizon"]["end"])
    spaces = {s["code"]: s for s in instance["spaces"]}
    leaves = atomic_parts(spaces)
    acts = {a["id"]: a for a in instance["activities"]}
    taken: dict[tuple[str, date], str] = {}
    for c in instance.get("closures") or []:
        day = _d(c["start"])
        while day <= _d(c["end"]):
            for leaf in leaves[c["space"]]:
                taken[(leaf, day)] = f"closure of {c['space']}"
            day += timedelta(days=1)
    seen: set[str] = set()
    objective = 0.0
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
        if spaces[code].get("capacity", 0) < a.get("attendees", 0):
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
        day = occ_first
        while day <= occ_last:
            for leaf in leaves[code]:
                if (leaf, day) in taken:
                    problems.append(f"{aid}: {leaf} on {day} already taken by {taken[(leaf, day)]}")
                taken[(leaf, day)] = aid
            day += timedelta(days=1)
        bonus = 0.25 if start.month in (a.get("preferred_months") or []) else 0.0
        objective += a.get("priority", 3) * days * (1 + bonus)
    unscheduled = set(plan.get("unscheduled", []))
    if seen & unscheduled:
        problems.append(f"both assigned and unscheduled: {sorted(seen & unscheduled)}")
    missing = set(acts) - seen - unscheduled
    if missing:
        problems.append(f"neither assigned nor unscheduled: {sorted(missing)}")
    return problems, objective
