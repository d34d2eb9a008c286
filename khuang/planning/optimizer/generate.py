"""Realistic plan instances in the exchange format, for benchmarks and tests.

A venue is an exhibition hall in three parts with their combinations (A+B, B+C, A+B+C), meeting rooms from 20 to
300 seats and an outdoor ground; a network repeats it. Demand is mostly one-day seminars and short trainings, with
multi-day fairs and exhibitions that need setup and teardown days, conferences, e-sports, study visits and festivals
fixed on their dates; windows crowd into the cool high season (Nov–Feb), so there is more demand than space.
"""

import random
from datetime import date, timedelta
from typing import Any

ROOMS = [("MR-1", 20), ("MR-2", 30), ("MR-3", 40), ("MR-4", 60), ("MR-5", 80), ("MR-6", 120), ("MR-7", 200),
         ("MR-8", 300)]
HIGH_SEASON = (11, 12, 1, 2)


def _venue_spaces(prefix: str) -> list[dict[str, Any]]:
    p = f"{prefix}-" if prefix else ""
    spaces = [{"code": f"{p}HALL-{x}", "name": f"Hall {x}", "capacity": 800, "area_sqm": 1200, "parts": []}
              for x in "ABC"]
    spaces += [
        {"code": f"{p}HALL-AB", "name": "Hall A+B", "capacity": 1700, "area_sqm": 2400,
         "parts": [f"{p}HALL-A", f"{p}HALL-B"]},
        {"code": f"{p}HALL-BC", "name": "Hall B+C", "capacity": 1700, "area_sqm": 2400,
         "parts": [f"{p}HALL-B", f"{p}HALL-C"]},
        {"code": f"{p}HALL-ABC", "name": "Hall A+B+C", "capacity": 2600, "area_sqm": 3600,
         "parts": [f"{p}HALL-A", f"{p}HALL-B", f"{p}HALL-C"]},
    ]
    spaces += [{"code": f"{p}{code}", "name": f"Meeting room {code}", "capacity": cap, "area_sqm": cap * 2,
                "parts": []} for code, cap in ROOMS]
    spaces.append({"code": f"{p}GROUND", "name": "Outdoor ground", "capacity": 3000, "area_sqm": 5000, "parts": []})
    return spaces


def _window(rng: random.Random, start: date, end: date, days: int, *, seasonal: bool) -> tuple[date, date]:
    span = (end - start).days + 1
    if seasonal and rng.random() < 0.6:  # crowd into the high season
        months = [d for d in (start + timedelta(days=k) for k in range(0, span, 7)) if d.month in HIGH_SEASON]
        anchor = rng.choice(months) if months else start
    else:
        anchor = start + timedelta(days=rng.randrange(span))
    width = max(days + rng.choice([7, 14, 30, 45, 60, 90, 120]), days)
    lo = max(start, anchor - timedelta(days=width // 2))
    hi = min(end, lo + timedelta(days=width - 1))
    if (hi - lo).days + 1 < days:
        lo = hi - timedelta(days=days - 1)
    return lo, hi


def generate(n_activities: int = 300, n_venues: int = 1, *, start: date = date(2026, 10, 1),
             end: date = date(2027, 9, 30), seed: int = 0) -> dict[str, Any]:
    """An exchange-format instance with about `n_activities` proposals and 15 spaces per venue."""
    rng = random.Random(seed)
    prefixes = [""] if n_venues == 1 else [f"V{k + 1}" for k in range(n_venues)]
    spaces = [s for p in prefixes for s in _venue_spaces(p)]
    closures = []
    for p in prefixes:
        q = f"{p}-" if p else ""
        for part in "ABC":  # a maintenance week per hall part, in the rainy season
            d = date(start.year + 1, 6, 1) + timedelta(days=rng.randrange(90))
            if start <= d and d + timedelta(days=6) <= end:
                closures.append({"space": f"{q}HALL-{part}", "start": d.isoformat(),
                                 "end": (d + timedelta(days=6)).isoformat(), "reason": "maintenance"})
        songkran = date(start.year + 1, 4, 13)
        if start <= songkran <= end:
            for s in spaces:
                if s["code"].startswith(q) and not s["parts"]:
                    closures.append({"space": s["code"], "start": songkran.isoformat(),
                                     "end": (songkran + timedelta(days=2)).isoformat(), "reason": "Songkran"})
    kinds = [("seminar", 0.38), ("training", 0.22), ("conference", 0.08), ("exhibition", 0.08), ("trade_fair", 0.07),
             ("study_visit", 0.06), ("esports", 0.05), ("recreation", 0.03), ("festival", 0.03)]
    activities = []
    for k in range(n_activities):
        kind = rng.choices([t for t, _ in kinds], weights=[w for _, w in kinds])[0]
        v = rng.choice(prefixes)
        q = f"{v}-" if v else ""
        setup = teardown = 0
        allowed: list[str] | None = None
        if kind == "seminar":
            days, attendees = 1, rng.choice([15, 25, 35, 50, 70, 100, 150, 250])
        elif kind == "training":
            days, attendees = rng.choice([1, 2, 2, 3, 5]), rng.choice([15, 20, 30, 40, 60])
        elif kind == "conference":
            days, attendees, setup = rng.choice([1, 2, 3]), rng.choice([250, 400, 600, 900]), 1
        elif kind in ("exhibition", "trade_fair"):
            days = rng.choice([3, 4, 5, 7, 10])
            attendees = rng.choice([500, 800, 1200, 2000])
            setup, teardown = rng.choice([1, 2, 3]), rng.choice([1, 1, 2])
            allowed = [f"{q}HALL-A", f"{q}HALL-B", f"{q}HALL-C", f"{q}HALL-AB", f"{q}HALL-BC", f"{q}HALL-ABC"]
            if rng.random() < 0.3:
                allowed.append(f"{q}GROUND")
        elif kind == "esports":
            days, attendees, setup, teardown = rng.choice([2, 3]), rng.choice([200, 400, 700]), 1, 1
        elif kind == "study_visit":
            days, attendees = 1, rng.choice([20, 40, 60, 120])
        elif kind == "recreation":
            days, attendees = rng.choice([1, 2]), rng.choice([100, 300, 1000])
            allowed = [f"{q}GROUND"]
        else:  # festival: fixed on its date, outdoors
            days, attendees, setup, teardown = rng.choice([2, 3, 5]), rng.choice([1000, 2500]), 1, 1
            allowed = [f"{q}GROUND", f"{q}HALL-ABC"]
        if allowed is None and v:
            allowed = [s["code"] for s in spaces if s["code"].startswith(q) and s["capacity"] >= attendees]
            if rng.random() < 0.5:  # half the network's proposals accept any venue
                allowed = None
        seasonal = kind in ("exhibition", "trade_fair", "festival", "recreation") or rng.random() < 0.4
        lo, hi = _window(rng, start + timedelta(days=setup), end - timedelta(days=teardown), days, seasonal=seasonal)
        fixed = None
        if kind == "festival" or rng.random() < 0.04:
            fixed = lo + timedelta(days=rng.randrange(max(1, (hi - lo).days - days + 2)))
        preferred = sorted(rng.sample([11, 12, 1, 2, 3, 6, 7, 8, 9, 10], rng.choice([0, 1, 2, 3, 4])))
        if seasonal:
            preferred = sorted(set(preferred) | set(rng.sample(HIGH_SEASON, 2)))
        activities.append({
            "id": f"P-{k + 1:04d}", "title": f"{kind.replace('_', ' ').title()} {k + 1}",
            "agency": f"AG-{rng.randrange(12)}",
            "type": kind, "days": days, "setup_days": setup, "teardown_days": teardown, "attendees": attendees,
            "allowed_spaces": allowed, "earliest": lo.isoformat(), "latest_end": hi.isoformat(),
            "fixed_start": fixed.isoformat() if fixed else None, "preferred_months": preferred,
            "priority": rng.choices([1, 2, 3, 4, 5], weights=[1, 2, 3, 2, 1])[0],
        })
    return {"horizon": {"start": start.isoformat(), "end": end.isoformat()}, "spaces": spaces, "closures": closures,
            "activities": activities}
