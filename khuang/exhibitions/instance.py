"""An exhibition as a booth-optimizer instance (the exchange format of docs/BOOTHS.md).

Exhibitors are the accepted applications (id `APP-<pk>`). Booths already sold to an exhibitor, billed to it (its
booth fees are on a quotation), or held and reserved for one that staff pinned, are that exhibitor's pins. Booths
blocked by the organiser, or claimed by anyone the run does not place, are blocked. A pin the optimizer's rules
would refuse (booths sold apart, beside a competitor) is kept as it is: its booths become blocked and that
exhibitor sits out of the run.
"""

from typing import Any

from .booths.io import InstanceError, parse_instance
from .models import ApplicationStatus, BoothClaim, ClaimStatus, Exhibition

MAX_RETRIES = 50


def build_instance(exhibition: Exhibition) -> tuple[dict[str, Any], dict[str, int]]:
    """(exchange-format document, exhibitor id → application pk)."""
    plan = exhibition.floor_plan
    booths = list(plan.booths.all())
    apps = list(exhibition.applications.filter(status=ApplicationStatus.ACCEPTED).prefetch_related("avoid"))
    ids = {a.pk: a.ref for a in apps}
    refs = {a.ref: a.pk for a in apps}
    claims = list(BoothClaim.objects.filter(exhibition=exhibition, active=True).select_related("booth"))
    blocked: set[str] = set()
    held: dict[int, list[BoothClaim]] = {}
    for c in claims:
        if c.status == ClaimStatus.BLOCKED or c.application_id not in ids:
            blocked.add(c.booth.code)
        else:
            held.setdefault(c.application_id, []).append(c)
    pins = []
    for a in apps:
        mine = held.get(a.pk, [])
        sold = [c.booth.code for c in mine if c.status == ClaimStatus.SOLD]
        billed = [c.booth.code for c in mine if c.status in (ClaimStatus.RESERVED, ClaimStatus.SOLD)]
        if a.pinned and mine:
            pins.append({"exhibitor": a.ref, "booths": sorted(c.booth.code for c in mine)})
        elif a.quotation_id and billed:  # booth fees are on a quotation: the booths stay as billed
            pins.append({"exhibitor": a.ref, "booths": sorted(billed)})
        elif sold:
            pins.append({"exhibitor": a.ref, "booths": sorted(sold)})
            # Any further hold or reservation of a buyer is free for the run to reuse.
    exhibitors = []
    for a in apps:
        exhibitors.append({
            "id": a.ref, "name": a.company_name, "booths": a.booths_wanted, "type": a.booth_type or None,
            "power": a.needs_power, "water": a.needs_water, "zones": [a.preferred_zone] if a.preferred_zone else [],
            "community": a.is_community, "priority": a.priority_points,
            "competitors": sorted(ids[o.pk] for o in a.avoid.all() if o.pk in ids),
        })
    data = {
        "booths": [{"code": b.code, "x": float(b.x), "y": float(b.y), "width": float(b.width),
                    "depth": float(b.depth), "type": b.kind, "power": b.power, "water": b.water, "zone": b.zone,
                    "prime": b.prime} for b in booths],
        "exhibitors": exhibitors,
        "blocked": sorted(blocked),
        "pins": pins,
        "rules": {"competitor_distance": float(exhibition.competitor_distance_m),
                  "community_prime_quota": exhibition.community_prime_quota,
                  "zone_weight": exhibition.zone_weight, "type_weight": exhibition.type_weight},
    }
    for _ in range(MAX_RETRIES):
        try:
            parse_instance(data)
            break
        except InstanceError as exc:
            pin = next((p for p in data["pins"] if p["exhibitor"] == exc.exhibitor), None)
            if pin is None:
                raise
            _sit_out(data, pin)
    return data, refs


def _sit_out(data: dict[str, Any], pin: dict[str, Any]) -> None:
    """Keep a pin the rules refuse exactly as it is: its booths blocked, its exhibitor out of the run."""
    data["pins"].remove(pin)
    data["blocked"] = sorted(set(data["blocked"]) | set(pin["booths"]))
    data["exhibitors"] = [e for e in data["exhibitors"] if e["id"] != pin["exhibitor"]]
    for e in data["exhibitors"]:
        e["competitors"] = [c for c in e["competitors"] if c != pin["exhibitor"]]
