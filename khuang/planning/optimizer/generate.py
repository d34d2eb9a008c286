"""Realistic plan instances in the exchange format, for benchmarks and tests.

`generate`: a venue is an exhibition hall in three parts with their combinations (A+B, B+C, A+B+C), meeting rooms
from 20 to 300 seats and an outdoor ground; a network repeats it. Demand is mostly one-day seminars and short
trainings, with multi-day fairs and exhibitions that need setup and teardown days, conferences, e-sports, study
visits and festivals fixed on their dates; windows crowd into the cool high season (Nov–Feb), so there is more
demand than space.

`generate_center`: one fiscal year of the real center's scale — 14 spaces (halls A, B, C with A+B and A+B+C, an
outdoor ground, eight meeting rooms of 30 to 300 seats), 60–90 proposals from a dozen agencies whose audiences
range from a 20-person class to a 5,000-visitor festival; the three Lanna seasons (cool Nov–Feb, hot Mar–May,
rainy Jun–Oct) shape windows and preferred months; some proposals name only a few rooms (not always the smallest),
some have fixed dates; rooms close for maintenance and the whole center for Songkran. Demand leaves rooms free
but, unspread, crowds the season's peaks: the week bonus and the daily limits decide what a planner sees.

Both take `version2=True` for the `objective` and `limits` blocks (the demo venue's weights: week bonus 3,
oversize 0.5; limits scaled to the number of venues).
"""

import random
from datetime import date, timedelta
from typing import Any

from khuang.core.thaidates import HIGH_SEASON_MONTHS as HIGH_SEASON  # pure Python, no Django

ROOMS = [("MR-1", 20), ("MR-2", 30), ("MR-3", 40), ("MR-4", 60), ("MR-5", 80), ("MR-6", 120), ("MR-7", 200),
         ("MR-8", 300)]


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


WEEK_BONUS = 3.0
OVERSIZE_PENALTY = 0.5
EVENTS_PER_VENUE_DAY = 6  # one operations team per venue, limits for the whole input scale with the venues
MOVEINS_PER_VENUE_DAY = 4


def version2_blocks(n_venues: int = 1, *, events: int | None = None, moveins: int | None = None) -> dict[str, Any]:
    """The `objective` and `limits` blocks used by the generated version-2 instances."""
    return {"objective": {"week_bonus": WEEK_BONUS, "oversize_penalty": OVERSIZE_PENALTY},
            "limits": {"max_events_per_day": events or EVENTS_PER_VENUE_DAY * n_venues,
                       "max_moveins_per_day": moveins or MOVEINS_PER_VENUE_DAY * n_venues}}


def generate(n_activities: int = 300, n_venues: int = 1, *, start: date = date(2026, 10, 1),
             end: date = date(2027, 9, 30), seed: int = 0, version2: bool = False) -> dict[str, Any]:
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
    out = {"horizon": {"start": start.isoformat(), "end": end.isoformat()}, "spaces": spaces, "closures": closures,
           "activities": activities}
    if version2:
        out.update(version2_blocks(n_venues))
    return out


CENTER_SPACES = [("HALL-A", "Hall A", 1200, ()), ("HALL-B", "Hall B", 1000, ()), ("HALL-C", "Hall C", 800, ()),
                 ("HALL-AB", "Hall A+B", 2200, ("HALL-A", "HALL-B")),
                 ("HALL-ABC", "Hall A+B+C", 3000, ("HALL-A", "HALL-B", "HALL-C")),
                 ("GROUND", "Outdoor exhibition ground", 6000, ()),
                 ("MR-1", "Meeting room 1", 300, ()), ("MR-2", "Meeting room 2", 200, ()),
                 ("MR-3", "Meeting room 3", 150, ()), ("MR-4", "Meeting room 4", 100, ()),
                 ("MR-5", "Meeting room 5", 80, ()), ("MR-6", "Meeting room 6", 60, ()),
                 ("MR-7", "Meeting room 7", 40, ()), ("MR-8", "Meeting room 8", 30, ())]
SEASONS = {"cool": (11, 12, 1, 2), "hot": (3, 4, 5), "rainy": (6, 7, 8, 9, 10)}
AGENCIES = ("LPG-IND", "LPN-IND", "CMI-IND", "IPC1", "RD-CENTER", "LPG-CHAMBER", "SMEDB", "NIA", "CDD-OTOP",
            "LPG-CDD", "TAT-LPG", "PRIVATE")
# type: (share, days, audiences, setup, teardown, rooms: "meeting" | "hall" | "big" | "outdoor", priority weights)
CENTER_KINDS = {
    "training": (0.30, (1, 2, 2, 3, 4, 5), (20, 20, 30, 40, 50, 60, 70), (0, 0, 1), (0,), "meeting"),
    "seminar": (0.25, (1, 1, 2), (30, 50, 80, 110, 120, 160, 180, 220, 260, 280), (0,), (0,), "meeting"),
    "study_visit": (0.16, (1,), (20, 30, 40, 50), (0,), (0,), "meeting"),
    "conference": (0.12, (1, 2, 2, 3), (200, 300, 400, 600, 700, 800, 1000, 1200), (1,), (0, 1), "hall"),
    "exhibition": (0.06, (3, 4, 5, 6), (800, 1200, 2000), (1, 2), (1,), "big"),
    "esports": (0.04, (2, 3), (500, 800, 900), (1,), (1,), "hall"),
    "festival": (0.04, (3, 5), (2400, 3000, 4700), (2,), (2,), "outdoor"),
    "trade_fair": (0.03, (5, 6, 7), (1500, 3100), (2,), (1, 2), "outdoor"),
}


def _center_rooms(rng: random.Random, kind: str, attendees: int) -> list[str] | None:
    """The rooms a proposal names: none (any that fits), the fitting rooms of its kind, or a few it knows."""
    fits = [c for c, _, cap, _ in CENTER_SPACES if cap >= attendees]
    meeting = [c for c in fits if c.startswith("MR-")]
    halls = [c for c in fits if c.startswith("HALL-")]
    if kind in ("training", "seminar", "study_visit"):
        if rng.random() < 0.4 or not meeting:
            return None
        # a few rooms the organiser has used: not always the smallest that fits
        return sorted(rng.sample(meeting, min(len(meeting), rng.choice([1, 2, 2, 3, 4]))))
    if kind in ("conference", "esports"):
        return sorted(halls) if halls else None
    if kind == "exhibition":
        return sorted(halls + ["GROUND"])
    return ["GROUND"] if rng.random() < 0.6 or "HALL-ABC" not in fits else ["GROUND", "HALL-ABC"]


def generate_center(n_activities: int = 80, *, fiscal_year_start: date = date(2027, 10, 1), seed: int = 0,
                    version2: bool = True) -> dict[str, Any]:
    """One fiscal year of the real center: 14 spaces, `n_activities` proposals (see the module docstring)."""
    rng = random.Random(seed)
    start = fiscal_year_start
    end = date(start.year + 1, start.month, start.day) - timedelta(days=1)
    spaces = [{"code": c, "name": name, "capacity": cap, "area_sqm": cap * 1.5, "parts": list(parts)}
              for c, name, cap, parts in CENTER_SPACES]
    closures = []
    for code in rng.sample([c for c, _, _, parts in CENTER_SPACES if not parts], 5):  # a maintenance week or so
        d = start + timedelta(days=rng.randrange(200, 350))
        length = rng.choice([5, 7, 7, 11])
        if d + timedelta(days=length - 1) <= end:
            closures.append({"space": code, "start": d.isoformat(),
                             "end": (d + timedelta(days=length - 1)).isoformat(), "reason": "maintenance"})
    songkran = date(start.year + 1, 4, 13)
    closures += [{"space": c, "start": songkran.isoformat(), "end": (songkran + timedelta(days=2)).isoformat(),
                  "reason": "Songkran"} for c, _, _, parts in CENTER_SPACES if not parts]
    kinds = list(CENTER_KINDS)
    activities = []
    for k in range(n_activities):
        kind = rng.choices(kinds, weights=[CENTER_KINDS[x][0] for x in kinds])[0]
        _, days_c, aud_c, setup_c, teardown_c, _ = CENTER_KINDS[kind]
        days, attendees = rng.choice(days_c), rng.choice(aud_c)
        setup, teardown = rng.choice(setup_c), rng.choice(teardown_c)
        season = rng.choices(list(SEASONS), weights=[0.7, 0.15, 0.15] if kind in (
            "exhibition", "festival", "trade_fair") else [0.55, 0.2, 0.25])[0]
        months = list(SEASONS[season])
        preferred = sorted(set(months) | ({3} if season == "cool" and rng.random() < 0.5 else set())) \
            if rng.random() < 0.8 else []
        fixed = None
        roll = rng.random()
        if kind == "festival" or roll < 0.05:  # a date set by the calendar (a fair, a ceremony)
            month = rng.choice(months)
            year = start.year if month >= start.month else start.year + 1
            fixed = date(year, month, rng.randint(1, 25))
            if fixed - timedelta(days=setup) < start or fixed + timedelta(days=days - 1 + teardown) > end:
                fixed = None
        if fixed is not None:
            lo, hi = fixed, fixed + timedelta(days=days - 1)
        elif roll < 0.2:  # any time in the year
            lo, hi = start + timedelta(days=setup), end - timedelta(days=teardown)
        else:  # a window in the proposal's season: one to six months
            month = rng.choice(months)
            year = start.year if month >= start.month else start.year + 1
            lo = max(start + timedelta(days=setup), date(year, month, rng.choice([1, 1, 2, 16, 17])))
            hi = min(end - timedelta(days=teardown), lo + timedelta(days=rng.choice([21, 30, 30, 45, 60, 90, 120])))
            if (hi - lo).days + 1 < days:
                lo = hi - timedelta(days=days - 1)
        activities.append({
            "id": f"P-{k + 1:04d}", "title": f"{kind.replace('_', ' ').title()} {k + 1}",
            "agency": rng.choice(AGENCIES), "type": kind, "days": days, "setup_days": setup,
            "teardown_days": teardown, "attendees": attendees, "allowed_spaces": _center_rooms(rng, kind, attendees),
            "earliest": lo.isoformat(), "latest_end": hi.isoformat(),
            "fixed_start": fixed.isoformat() if fixed else None, "preferred_months": preferred,
            "priority": rng.choices([1, 2, 3, 4, 5], weights=[2, 3, 3, 2, 1])[0],
        })
    out = {"horizon": {"start": start.isoformat(), "end": end.isoformat()}, "spaces": spaces, "closures": closures,
           "activities": activities}
    if version2:
        out.update(version2_blocks(1, events=3, moveins=2))
    return out
