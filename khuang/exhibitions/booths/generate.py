"""Generated fairs in the exchange format, for tests and benchmarks (seeded, so the same seed gives the same fair).

The floor is a row of halls (zones A, B, C, …). Each hall holds blocks of booths back to back (two rows of
3 × 3 m booths, corner booths at the row ends) separated by 3 m aisles, and a row of free-standing island booths
by the entrance. The block nearest the entrance and the islands are prime positions.
"""

import random
from typing import Any

BOOTH = 3.0
AISLE = 3.0


def floor(halls: int = 3, blocks: int = 4, per_row: int = 12, islands: int = 4, *, seed: int = 0,
          power_share: float = 0.85, water_share: float = 0.1) -> list[dict[str, Any]]:
    """Booths of a generated floor: halls × (blocks × 2 × per_row + islands)."""
    rng = random.Random(seed)
    booths = []
    hall_width = per_row * BOOTH + 2 * AISLE
    for h in range(halls):
        zone = chr(ord("A") + h)
        x0 = h * (hall_width + AISLE) + AISLE
        n = 0
        for k in range(islands):
            n += 1
            booths.append({"code": f"{zone}{n:03d}", "x": x0 + k * (per_row * BOOTH / islands), "y": AISLE,
                           "width": BOOTH, "depth": BOOTH, "type": "island", "power": True,
                           "water": rng.random() < water_share * 2, "zone": zone, "prime": True})
        for blk in range(blocks):
            y0 = AISLE + BOOTH + AISLE + blk * (2 * BOOTH + AISLE)
            for row in range(2):
                for col in range(per_row):
                    n += 1
                    end = col in (0, per_row - 1)
                    booths.append({
                        "code": f"{zone}{n:03d}", "x": x0 + col * BOOTH, "y": y0 + row * BOOTH, "width": BOOTH,
                        "depth": BOOTH, "type": "corner" if end else "inline",
                        "power": rng.random() < power_share, "water": end and rng.random() < water_share * 3,
                        "zone": zone, "prime": blk == 0,
                    })
    return booths


def generate(booths: int = 300, exhibitors: int = 250, *, seed: int = 0, competitor_distance: float = 0.0,
             quota: int | None = None) -> dict[str, Any]:
    """A fair with about `booths` booths (whole halls of 100) and `exhibitors` exhibitors wanting 1–4 booths."""
    rng = random.Random(seed)
    halls = max(1, round(booths / 100))
    plan = floor(halls=halls, seed=seed)
    zones = sorted({b["zone"] for b in plan})
    out = []
    categories = [f"cat{k}" for k in range(12)]
    by_category: dict[str, list[str]] = {}
    for i in range(exhibitors):
        eid = f"EX-{i + 1:03d}"
        size = rng.choices([1, 2, 3, 4], weights=[65, 22, 9, 4])[0]
        category = rng.choice(categories)
        by_category.setdefault(category, []).append(eid)
        out.append({
            "id": eid, "name": f"Exhibitor {i + 1}", "booths": size,
            "type": rng.choices([None, "corner", "island"], weights=[65, 30, 5])[0],
            "power": rng.random() < 0.6, "water": rng.random() < 0.05,
            "zones": [rng.choices(zones, weights=[3] + [1] * (len(zones) - 1))[0]] if rng.random() < 0.6 else [],
            "community": rng.random() < 0.4, "priority": rng.randint(1, 10), "competitors": [],
            "_category": category,
        })
    for e in out:
        if rng.random() < 0.15:
            rivals = [x for x in by_category[e["_category"]] if x != e["id"]]
            e["competitors"] = rng.sample(rivals, min(len(rivals), rng.randint(1, 2)))
    for e in out:
        del e["_category"]
    return {"booths": plan, "exhibitors": out, "blocked": [], "pins": [],
            "rules": {"competitor_distance": competitor_distance,
                      "community_prime_quota": quota if quota is not None else 8 * halls,
                      "zone_weight": 1, "type_weight": 1}}
