"""What every solver needs: booth indices, neighbours, and each exhibitor's candidate groups with their values.

A candidate of exhibitor e is a group of exactly `booths_wanted(e)` free booths connected by shared walls that
holds the features e needs (some booth with power, some with water), is clear of the booths of e's pinned
competitors, and — for exhibitors outside the community — does not alone exceed the prime allowance.
"""

from dataclasses import dataclass, field

from .geometry import conflict_neighbours, connected_groups, wall_neighbours
from .io import InstanceError
from .model import Booth, Exhibitor, Instance, booths_wanted, exhibitor_value, prime_allowance

MAX_GROUPS_PER_SIZE = 250_000


@dataclass
class Candidate:
    booths: tuple[int, ...]  # booth indices, sorted
    value: int
    prime: int  # how many of its booths are prime


@dataclass
class Prepared:
    instance: Instance
    booths: list[Booth]
    index: dict[str, int]
    exhibitors: list[Exhibitor]
    eindex: dict[str, int]
    wanted: list[int]
    adj: list[list[int]]  # shared-wall neighbours
    conflicts: list[list[int]]  # booths a competitor may not hold beside each booth
    rivals: list[set[int]]  # competitor exhibitor indices (symmetric)
    pinned: dict[int, tuple[int, ...]]  # exhibitor index → its pinned booth indices
    free: list[bool]  # booth neither blocked nor pinned
    candidates: dict[int, list[Candidate]] = field(default_factory=dict)  # unpinned exhibitor → candidates
    allowance: int = 0  # prime booths non-community exhibitors may hold (pins included)
    pinned_value: int = 0
    pinned_prime_outside: int = 0  # prime booths pinned to exhibitors outside the community
    open_groups: dict[int, list[tuple[int, ...]]] = field(default_factory=dict)  # size → groups (explanations)

    def value_of(self, e: int, booths: tuple[int, ...]) -> int:
        return exhibitor_value(self.exhibitors[e], [self.booths[b] for b in booths], self.instance.rules)


def prepare(instance: Instance) -> Prepared:
    """Index the instance and list every unpinned exhibitor's candidate groups."""
    booths = list(instance.booths)
    index = {b.code: i for i, b in enumerate(booths)}
    exhibitors = list(instance.exhibitors)
    eindex = {e.id: i for i, e in enumerate(exhibitors)}
    wanted_by_id = booths_wanted(instance)
    rivals: list[set[int]] = [set() for _ in exhibitors]
    for i, e in enumerate(exhibitors):
        for c in e.competitors:
            j = eindex[c]
            rivals[i].add(j)
            rivals[j].add(i)
    pinned = {eindex[p.exhibitor]: tuple(sorted(index[c] for c in p.booths)) for p in instance.pins}
    blocked = {index[c] for c in instance.blocked}
    taken = {b for bs in pinned.values() for b in bs}
    free = [i not in blocked and i not in taken for i in range(len(booths))]
    prep = Prepared(
        instance=instance, booths=booths, index=index, exhibitors=exhibitors, eindex=eindex,
        wanted=[wanted_by_id[e.id] for e in exhibitors], adj=wall_neighbours(booths),
        conflicts=conflict_neighbours(booths, instance.rules.competitor_distance), rivals=rivals, pinned=pinned,
        free=free, allowance=prime_allowance(instance),
    )
    for e, bs in pinned.items():
        prep.pinned_value += prep.value_of(e, bs)
        if not exhibitors[e].community:
            prep.pinned_prime_outside += sum(1 for b in bs if booths[b].prime)
    groups: dict[int, list[tuple[int, ...]]] = {}
    for e, ex in enumerate(exhibitors):
        if e in pinned:
            continue
        n = prep.wanted[e]
        if n not in groups:
            groups[n] = connected_groups(prep.adj, n, free, MAX_GROUPS_PER_SIZE + 1)
            if len(groups[n]) > MAX_GROUPS_PER_SIZE:
                raise InstanceError(f"more than {MAX_GROUPS_PER_SIZE} groups of {n} adjacent booths; ask for fewer "
                                    "booths per exhibitor or split the plan", field="booths", exhibitor=ex.id)
        # Booths next to a pinned competitor are out for this exhibitor.
        banned: set[int] = set()
        for r in rivals[e]:
            for b in pinned.get(r, ()):
                banned.add(b)
                banned.update(prep.conflicts[b])
        room = prep.allowance - prep.pinned_prime_outside if not ex.community else len(booths)
        out = []
        for g in groups[n]:
            if ex.power and not any(booths[b].power for b in g):
                continue
            if ex.water and not any(booths[b].water for b in g):
                continue
            if banned and any(b in banned for b in g):
                continue
            prime = sum(1 for b in g if booths[b].prime)
            if prime > room:
                continue
            out.append(Candidate(booths=g, value=prep.value_of(e, g), prime=prime))
        prep.candidates[e] = out
    return prep


def candidate_groups_ignoring_others(prep: Prepared, e: int) -> list[tuple[int, ...]]:
    """Groups that would fit exhibitor e on a floor with only the blocked booths out (pinned booths count as
    someone's), for explanations."""
    n = prep.wanted[e]
    ex = prep.exhibitors[e]
    if n not in prep.open_groups:
        blocked = {prep.index[c] for c in prep.instance.blocked}
        allowed = [i not in blocked for i in range(len(prep.booths))]
        prep.open_groups[n] = connected_groups(prep.adj, n, allowed, MAX_GROUPS_PER_SIZE)
    return [g for g in prep.open_groups[n]
            if (not ex.power or any(prep.booths[b].power for b in g))
            and (not ex.water or any(prep.booths[b].water for b in g))]
