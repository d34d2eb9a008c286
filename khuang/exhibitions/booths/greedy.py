"""First-fit baseline (and the CP-SAT warm start): exhibitors by priority, each to its best free group.

Higher priority first; among equal priority, larger requests first (they are the hardest to fit later). Each
takes the free candidate of highest value, breaking ties by the group others want least (booths in zones and of
types many exhibitors prefer are kept for them), then by the fewest free wall neighbours, so the floor fills from
its edges and long free runs stay whole for later multi-booth exhibitors.
"""

from collections import Counter

from .model import Assignment
from .prep import Prepared


class Floor:
    """Who holds which booth while building or checking an assignment."""

    def __init__(self, prep: Prepared):
        self.prep = prep
        self.owner: list[int | None] = [None] * len(prep.booths)
        self.prime_outside = prep.pinned_prime_outside
        for e, bs in prep.pinned.items():
            for b in bs:
                self.owner[b] = e

    def fits(self, e: int, group: tuple[int, ...], prime: int) -> bool:
        p = self.prep
        if any(self.owner[b] is not None for b in group):
            return False
        if not p.exhibitors[e].community and self.prime_outside + prime > p.allowance:
            return False
        rivals = p.rivals[e]
        if rivals:
            for b in group:
                for c in p.conflicts[b]:
                    o = self.owner[c]
                    if o is not None and o in rivals:
                        return False
        return True

    def take(self, e: int, group: tuple[int, ...], prime: int) -> None:
        for b in group:
            self.owner[b] = e
        if not self.prep.exhibitors[e].community:
            self.prime_outside += prime

    def free_neighbours(self, group: tuple[int, ...]) -> int:
        members = set(group)
        return sum(1 for b in group for c in self.prep.adj[b] if c not in members and self.owner[c] is None)


def pressure(prep: Prepared) -> list[float]:
    """How wanted each booth is: exhibitors preferring its zone per booth of the zone, plus the same for its type."""
    zone_supply = Counter(b.zone for b in prep.booths)
    type_supply = Counter(b.type for b in prep.booths)
    zone_demand: Counter[str] = Counter()
    type_demand: Counter[str] = Counter()
    for e in prep.candidates:
        ex = prep.exhibitors[e]
        for z in ex.zones:
            zone_demand[z] += prep.wanted[e]
        if ex.type:
            type_demand[ex.type] += 1
    return [zone_demand[b.zone] / zone_supply[b.zone] + type_demand[b.type] / type_supply[b.type]
            for b in prep.booths]


def greedy_assign(prep: Prepared, order: list[int] | None = None) -> dict[int, tuple[int, ...]]:
    """Exhibitor index → booth indices of the greedy plan (pins included)."""
    floor = Floor(prep)
    wanted = pressure(prep)
    chosen: dict[int, tuple[int, ...]] = dict(prep.pinned)
    if order is None:
        order = sorted(prep.candidates, key=lambda e: (-prep.exhibitors[e].priority, -prep.wanted[e],
                                                       len(prep.candidates[e]), e))
    for e in order:
        best = None
        for c in prep.candidates[e]:
            if best is not None and c.value < best[0]:
                continue
            if not floor.fits(e, c.booths, c.prime):
                continue
            key = (c.value, -round(sum(wanted[b] for b in c.booths), 6), -floor.free_neighbours(c.booths))
            if best is None or key > best[:3]:
                best = (*key, c)
        if best is not None:
            cand = best[3]
            floor.take(e, cand.booths, cand.prime)
            chosen[e] = cand.booths
    return chosen


def to_assignments(prep: Prepared, chosen: dict[int, tuple[int, ...]]) -> tuple[list[Assignment], list[str], int]:
    """Assignments, unassigned ids and the objective of an exhibitor → booths mapping."""
    out = [Assignment(exhibitor=prep.exhibitors[e].id, booths=tuple(sorted(prep.booths[b].code for b in bs)))
           for e, bs in chosen.items()]
    unassigned = [x.id for e, x in enumerate(prep.exhibitors) if e not in chosen]
    objective = sum(prep.value_of(e, bs) for e, bs in chosen.items())
    return out, unassigned, objective
