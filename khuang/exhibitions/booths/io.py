"""The booth exchange format (docs/BOOTHS.md): strict parsing with errors that name the booth or exhibitor and
the field, and the output document."""

import math
import re
from typing import Any

from .geometry import conflict_neighbours, is_connected, overlapping_pair, wall_neighbours
from .model import BOOTH_TYPES, Booth, Exhibitor, Instance, Pin, Rules, Solution, prime_allowance

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$")
MAX_BOOTHS_PER_EXHIBITOR = 8
MAX_PRIORITY = 1000


class InstanceError(ValueError):
    """An exchange-format instance that cannot be solved as written."""

    def __init__(self, message: str, *, field: str = "", exhibitor: str | None = None, booth: str | None = None):
        self.message = message
        self.field = field
        self.exhibitor = exhibitor
        self.booth = booth
        where = []
        if exhibitor is not None:
            where.append(f"exhibitor {exhibitor}")
        if booth is not None:
            where.append(f"booth {booth}")
        if field:
            where.append(f"field {field}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


def _obj(value: Any, field: str) -> dict:
    if not isinstance(value, dict):
        raise InstanceError(f"expected an object, got {type(value).__name__}", field=field)
    return value


def _list(value: Any, field: str, **who) -> list:
    if not isinstance(value, list):
        raise InstanceError(f"expected a list, got {value!r}", field=field, **who)
    return value


def _number(value: Any, field: str, *, minimum: float = 0.0, positive: bool = False, default: float | None = None,
            **who) -> float:
    if value is None and default is not None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InstanceError(f"expected a number, got {value!r}", field=field, **who)
    if positive and value <= 0:
        raise InstanceError(f"must be more than 0, got {value}", field=field, **who)
    if value < minimum:
        raise InstanceError(f"must be at least {minimum:g}, got {value}", field=field, **who)
    if value > 100_000:
        raise InstanceError(f"must be at most 100000 metres, got {value}", field=field, **who)
    return float(value)


def _int(value: Any, field: str, *, minimum: int, maximum: int, default: int, **who) -> int:
    if value is None:
        return default
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InstanceError(f"expected a whole number, got {value!r}", field=field, **who)
    if not minimum <= value <= maximum:
        raise InstanceError(f"must be {minimum} to {maximum}, got {value}", field=field, **who)
    return value


def _bool(value: Any, field: str, **who) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise InstanceError(f"expected true or false, got {value!r}", field=field, **who)
    return value


def _text(value: Any, field: str, **who) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InstanceError(f"expected text, got {value!r}", field=field, **who)
    return value.strip()


def _booth(i: int, raw: Any) -> Booth:
    b = _obj(raw, f"booths[{i}]")
    code = b.get("code")
    if not isinstance(code, str) or not CODE_RE.match(code):
        raise InstanceError("a booth code is 1–20 Latin letters, digits, '.', '_' or '-', starting with a letter "
                            f"or digit; got {code!r}", field=f"booths[{i}].code")
    who = {"booth": code}
    kind = b.get("type") or "inline"
    if kind not in BOOTH_TYPES:
        raise InstanceError(f"unknown type {kind!r}; use one of {', '.join(BOOTH_TYPES)}", field="type", **who)
    return Booth(code=code, x=_number(b.get("x"), "x", **who), y=_number(b.get("y"), "y", **who),
                 width=_number(b.get("width"), "width", positive=True, **who),
                 depth=_number(b.get("depth"), "depth", positive=True, **who), type=kind,
                 power=_bool(b.get("power"), "power", **who), water=_bool(b.get("water"), "water", **who),
                 zone=_text(b.get("zone"), "zone", **who), prime=_bool(b.get("prime"), "prime", **who))


def _exhibitor(i: int, raw: Any) -> Exhibitor:
    e = _obj(raw, f"exhibitors[{i}]")
    eid = e.get("id")
    if not isinstance(eid, str) or not eid.strip():
        raise InstanceError("every exhibitor needs a non-empty id", field=f"exhibitors[{i}].id")
    who = {"exhibitor": eid}
    kind = e.get("type")
    if kind is not None and kind not in BOOTH_TYPES:
        raise InstanceError(f"unknown type {kind!r}; use one of {', '.join(BOOTH_TYPES)} or null", field="type",
                            **who)
    zones = _list(e.get("zones") or [], "zones", **who)
    if any(not isinstance(z, str) for z in zones):
        raise InstanceError("zones are names (text)", field="zones", **who)
    competitors = _list(e.get("competitors") or [], "competitors", **who)
    if any(not isinstance(c, str) for c in competitors):
        raise InstanceError("competitors are exhibitor ids", field="competitors", **who)
    return Exhibitor(
        id=eid, name=_text(e.get("name"), "name", **who),
        booths=_int(e.get("booths"), "booths", minimum=1, maximum=MAX_BOOTHS_PER_EXHIBITOR, default=1, **who),
        type=kind, power=_bool(e.get("power"), "power", **who), water=_bool(e.get("water"), "water", **who),
        zones=tuple(dict.fromkeys(z.strip() for z in zones if z.strip())),
        community=_bool(e.get("community"), "community", **who),
        priority=_int(e.get("priority"), "priority", minimum=0, maximum=MAX_PRIORITY, default=1, **who),
        competitors=tuple(dict.fromkeys(competitors)),
    )


def _rules(raw: Any) -> Rules:
    r = _obj(raw or {}, "rules")
    return Rules(
        competitor_distance=_number(r.get("competitor_distance"), "rules.competitor_distance", default=0.0),
        community_prime_quota=_int(r.get("community_prime_quota"), "rules.community_prime_quota", minimum=0,
                                   maximum=100_000, default=0),
        zone_weight=_int(r.get("zone_weight"), "rules.zone_weight", minimum=0, maximum=MAX_PRIORITY, default=1),
        type_weight=_int(r.get("type_weight"), "rules.type_weight", minimum=0, maximum=MAX_PRIORITY, default=1),
    )


def parse_instance(data: Any) -> Instance:
    """An `Instance` from exchange-format JSON data, or `InstanceError` naming what is wrong."""
    data = _obj(data, "instance")
    booths = [_booth(i, b) for i, b in enumerate(_list(data.get("booths"), "booths"))]
    codes: dict[str, int] = {}
    for i, b in enumerate(booths):
        if b.code in codes:
            raise InstanceError("duplicate booth code", field=f"booths[{i}].code", booth=b.code)
        codes[b.code] = i
    clash = overlapping_pair(booths)
    if clash:
        a, b = booths[clash[0]], booths[clash[1]]
        raise InstanceError(f"overlaps booth {b.code}", field="x", booth=a.code)
    exhibitors = [_exhibitor(i, e) for i, e in enumerate(_list(data.get("exhibitors"), "exhibitors"))]
    ids: set[str] = set()
    for e in exhibitors:
        if e.id in ids:
            raise InstanceError("duplicate exhibitor id", field="id", exhibitor=e.id)
        ids.add(e.id)
    for e in exhibitors:
        for c in e.competitors:
            if c not in ids:
                raise InstanceError(f"unknown competitor {c!r}", field="competitors", exhibitor=e.id)
            if c == e.id:
                raise InstanceError("an exhibitor cannot be its own competitor", field="competitors",
                                    exhibitor=e.id)
    blocked = _list(data.get("blocked") or [], "blocked")
    for i, code in enumerate(blocked):
        if code not in codes:
            raise InstanceError(f"unknown booth {code!r}", field=f"blocked[{i}]")
    rules = _rules(data.get("rules"))
    instance = Instance(booths=tuple(booths), exhibitors=tuple(exhibitors), blocked=tuple(dict.fromkeys(blocked)),
                        rules=rules)
    pins = _pins(_list(data.get("pins") or [], "pins"), instance, codes)
    return Instance(booths=instance.booths, exhibitors=instance.exhibitors, blocked=instance.blocked,
                    pins=tuple(pins), rules=rules)


def _pins(raw: list, instance: Instance, codes: dict[str, int]) -> list[Pin]:
    """Pins must themselves obey the rules: free booths, side by side, features, competitors, the quota."""
    by_id = {e.id: e for e in instance.exhibitors}
    adj = wall_neighbours(instance.booths)
    used: dict[str, str] = {}
    pins: list[Pin] = []
    blocked = set(instance.blocked)
    for i, p in enumerate(raw):
        p = _obj(p, f"pins[{i}]")
        eid = p.get("exhibitor")
        if eid not in by_id:
            raise InstanceError(f"pin of unknown exhibitor {eid!r}", field=f"pins[{i}].exhibitor")
        if any(q.exhibitor == eid for q in pins):
            raise InstanceError("pinned twice", field=f"pins[{i}].exhibitor", exhibitor=eid)
        booths = _list(p.get("booths"), f"pins[{i}].booths", exhibitor=eid)
        if not booths or len(booths) > MAX_BOOTHS_PER_EXHIBITOR:
            raise InstanceError(f"a pin holds 1 to {MAX_BOOTHS_PER_EXHIBITOR} booths", field=f"pins[{i}].booths",
                                exhibitor=eid)
        for code in booths:
            if code not in codes:
                raise InstanceError(f"unknown booth {code!r}", field=f"pins[{i}].booths", exhibitor=eid)
            if code in blocked:
                raise InstanceError(f"booth {code} is blocked", field=f"pins[{i}].booths", exhibitor=eid)
            if code in used:
                raise InstanceError(f"booth {code} is also pinned to {used[code]}", field=f"pins[{i}].booths",
                                    exhibitor=eid)
            used[code] = eid
        e = by_id[eid]
        idx = sorted({codes[c] for c in booths})
        members = [instance.booths[k] for k in idx]
        if not is_connected(idx, adj):
            raise InstanceError("the pinned booths are not side by side", field=f"pins[{i}].booths", exhibitor=eid)
        if e.power and not any(b.power for b in members):
            raise InstanceError("none of the pinned booths has power", field=f"pins[{i}].booths", exhibitor=eid)
        if e.water and not any(b.water for b in members):
            raise InstanceError("none of the pinned booths has water", field=f"pins[{i}].booths", exhibitor=eid)
        pins.append(Pin(exhibitor=eid, booths=tuple(sorted(instance.booths[k].code for k in idx))))
    conflicts = conflict_neighbours(instance.booths, instance.rules.competitor_distance)
    owner = {codes[c]: eid for c, eid in used.items()}
    for k, eid in owner.items():
        for j in conflicts[k]:
            other = owner.get(j)
            if other and other != eid and _rivals(by_id[eid], by_id[other]):
                raise InstanceError(f"pinned next to its competitor {other}", field="pins", exhibitor=eid)
    allowance = prime_allowance(Instance(booths=instance.booths, exhibitors=instance.exhibitors,
                                         blocked=instance.blocked, pins=tuple(pins), rules=instance.rules))
    pinned_prime = sum(1 for k, eid in owner.items()
                       if instance.booths[k].prime and not by_id[eid].community)
    if pinned_prime > allowance:
        raise InstanceError(f"pins give {pinned_prime} prime booths to exhibitors outside the community quota; at "
                            f"most {allowance} may go to them", field="pins")
    return pins


def _rivals(a: Exhibitor, b: Exhibitor) -> bool:
    return b.id in a.competitors or a.id in b.competitors


def solution_to_json(solution: Solution, *, explanations: bool = True) -> dict[str, Any]:
    """The output document: assignments, unassigned ids, the figures and (optionally) the explanations."""
    out: dict[str, Any] = {
        "assignments": [{"exhibitor": a.exhibitor, "booths": list(a.booths)}
                        for a in sorted(solution.assignments, key=lambda a: (a.booths[0], a.exhibitor))],
        "unassigned": sorted(solution.unassigned),
        "objective": solution.objective,
        "bound": round(solution.bound, 6),
        "gap": round(solution.gap, 6),
        "status": solution.status,
    }
    if explanations:
        out["explanations"] = {
            k: {"reason": x.reason, "message_en": x.message_en, "message_th": x.message_th,
                "blocking": list(x.blocking), "zone_fit": x.zone_fit, "type_fit": x.type_fit}
            for k, x in sorted(solution.explanations.items())
        }
    return out
