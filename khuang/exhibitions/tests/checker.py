"""An independent checker of booth assignments in the exchange format, written from docs/BOOTHS.md alone.

It shares no code with the optimizer (its own rectangle geometry, its own reading of the rules), so a bug there
cannot hide here.
"""

import math
from typing import Any

TOL = 1e-6


def _rect(b: dict) -> tuple[float, float, float, float]:
    return b["x"], b["y"], b["x"] + b["width"], b["y"] + b["depth"]


def _side_by_side(a: dict, b: dict) -> bool:
    """They share a stretch of wall longer than TOL."""
    ax1, ay1, ax2, ay2 = _rect(a)
    bx1, by1, bx2, by2 = _rect(b)
    vertical_touch = abs(ax2 - bx1) <= TOL or abs(bx2 - ax1) <= TOL
    horizontal_touch = abs(ay2 - by1) <= TOL or abs(by2 - ay1) <= TOL
    y_shared = min(ay2, by2) - max(ay1, by1)
    x_shared = min(ax2, bx2) - max(ax1, bx1)
    return (vertical_touch and y_shared > TOL) or (horizontal_touch and x_shared > TOL)


def _distance(a: dict, b: dict) -> float:
    ax1, ay1, ax2, ay2 = _rect(a)
    bx1, by1, bx2, by2 = _rect(b)
    dx = max(bx1 - ax2, ax1 - bx2, 0.0)
    dy = max(by1 - ay2, ay1 - by2, 0.0)
    return math.sqrt(dx * dx + dy * dy)


def _connected(codes: list[str], booths: dict[str, dict]) -> bool:
    todo, seen = [codes[0]], {codes[0]}
    while todo:
        here = todo.pop()
        for other in codes:
            if other not in seen and _side_by_side(booths[here], booths[other]):
                seen.add(other)
                todo.append(other)
    return len(seen) == len(codes)


def check_assignment(instance: dict[str, Any], result: dict[str, Any]) -> tuple[list[str], float]:
    """(violations, objective) of `result` for `instance`; no violations means the assignment is valid."""
    problems: list[str] = []
    booths = {b["code"]: b for b in instance["booths"]}
    people = {e["id"]: e for e in instance["exhibitors"]}
    blocked = set(instance.get("blocked") or [])
    pins = {p["exhibitor"]: sorted(p["booths"]) for p in instance.get("pins") or []}
    rules = instance.get("rules") or {}
    distance = rules.get("competitor_distance") or 0
    zone_weight = rules.get("zone_weight", 1) if rules.get("zone_weight") is not None else 1
    type_weight = rules.get("type_weight", 1) if rules.get("type_weight") is not None else 1
    holder: dict[str, str] = {}
    placed: dict[str, list[str]] = {}
    objective = 0.0
    for a in result["assignments"]:
        who, codes = a["exhibitor"], list(a["booths"])
        e = people.get(who)
        if e is None:
            problems.append(f"{who}: not an exhibitor")
            continue
        if who in placed:
            problems.append(f"{who}: assigned twice")
        placed[who] = codes
        if any(c not in booths for c in codes):
            problems.append(f"{who}: unknown booth in {codes}")
            continue
        for c in codes:
            if c in blocked:
                problems.append(f"{who}: booth {c} is blocked")
            if c in holder:
                problems.append(f"{who}: booth {c} already given to {holder[c]}")
            holder[c] = who
        wanted = len(pins[who]) if who in pins else (e.get("booths") or 1)
        if len(set(codes)) != wanted:
            problems.append(f"{who}: {len(set(codes))} booths, wants {wanted}")
        if who in pins and sorted(codes) != pins[who]:
            problems.append(f"{who}: pinned to {pins[who]}, got {sorted(codes)}")
        if codes and not _connected(codes, booths):
            problems.append(f"{who}: booths {codes} are not side by side")
        mine = [booths[c] for c in codes]
        if e.get("power") and not any(b.get("power") for b in mine):
            problems.append(f"{who}: needs power")
        if e.get("water") and not any(b.get("water") for b in mine):
            problems.append(f"{who}: needs water")
        objective += (e.get("priority") if e.get("priority") is not None else 1) * len(codes)
        if e.get("zones"):
            objective += zone_weight * sum(1 for b in mine if (b.get("zone") or "") in e["zones"])
        if e.get("type") and any((b.get("type") or "inline") == e["type"] for b in mine):
            objective += type_weight
    for who, e in people.items():
        for rival in e.get("competitors") or []:
            if who not in placed or rival not in placed:
                continue
            for c in placed[who]:
                for d in placed[rival]:
                    gap = _distance(booths[c], booths[d])
                    if gap <= TOL or gap < distance - TOL:
                        problems.append(f"competitors {who} ({c}) and {rival} ({d}) only {gap:.2f} m apart")
    # The community quota: prime booths held outside the community stay within what the quota leaves.
    prime_total = sum(1 for c, b in booths.items() if b.get("prime") and c not in blocked)
    demand = sum(len(pins[w]) if w in pins else (e.get("booths") or 1) for w, e in people.items() if e.get("community"))
    left = prime_total - min(rules.get("community_prime_quota") or 0, demand)
    outside = sum(1 for c, w in holder.items() if booths[c].get("prime") and not people[w].get("community"))
    if outside > max(left, 0):
        problems.append(f"{outside} prime booths held outside the community, at most {max(left, 0)} allowed")
    for who in pins:
        if who not in placed:
            problems.append(f"{who}: pinned but not placed")
    unassigned = set(result.get("unassigned") or [])
    if unassigned & set(placed):
        problems.append(f"both placed and unassigned: {sorted(unassigned & set(placed))}")
    missing = set(people) - set(placed) - unassigned
    if missing:
        problems.append(f"neither placed nor unassigned: {sorted(missing)}")
    return problems, objective
