"""Large-neighbourhood search: free a few patches of the floor, re-solve who stands there exactly, keep it if no
worse.

A piece frees the booths of one to three patches (booths within a short walk of a seed booth) together with every
exhibitor holding a booth there, and offers the patches to exhibitors still without a booth. Seeds lean towards
exhibitors who did not get their zone or type and towards booths in the zones they want, so swaps across halls
happen. Each piece is a small CP-SAT model (the full model's rows restricted to the patch) solved on one worker with
a deterministic limit; with two workers, two pieces on disjoint patches are solved side by side and the second is
re-checked before it is applied.
"""

import random
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .geometry import near_pairs
from .greedy import Floor
from .prep import Candidate, Prepared

PATCH_REACH = 3.5  # metres: booths this close (across one aisle) join a patch
PATCH_SIZES = (12, 18, 28)
MAX_OUTSIDE = 40  # exhibitors without a booth offered a place in one piece
PIECE_DTIME = 0.6  # deterministic seconds per piece


@dataclass
class Piece:
    booths: set[int]
    movers: list[int]  # exhibitors re-placed in this piece (current holders first, then outsiders)


class State:
    """The current assignment with its owners and prime count, kept in step as pieces are applied."""

    def __init__(self, prep: Prepared, chosen: dict[int, tuple[int, ...]]):
        self.prep = prep
        self.chosen = dict(chosen)
        self.floor = Floor(prep)
        for e, bs in chosen.items():
            if e not in prep.pinned:
                self.floor.take(e, bs, sum(1 for b in bs if prep.booths[b].prime))
        self.value = {e: prep.value_of(e, bs) for e, bs in chosen.items()}

    @property
    def objective(self) -> int:
        return sum(self.value.values())

    def apply(self, movers: list[int], result: dict[int, Candidate]) -> bool:
        """Replace the movers' booths by `result` if the whole floor stays valid; False (nothing changed) if not."""
        prep, floor = self.prep, self.floor
        old = {e: self.chosen[e] for e in movers if e in self.chosen}
        for e, bs in old.items():
            self._release(e, bs)
        ok = True
        done = []
        for e, cand in result.items():
            if not floor.fits(e, cand.booths, cand.prime):
                ok = False
                break
            floor.take(e, cand.booths, cand.prime)
            done.append(e)
        if not ok:
            for e in done:
                self._release(e, result[e].booths)
            for e, bs in old.items():
                floor.take(e, bs, sum(1 for b in bs if prep.booths[b].prime))
            return False
        for e in movers:
            self.chosen.pop(e, None)
            self.value.pop(e, None)
        for e, cand in result.items():
            self.chosen[e] = cand.booths
            self.value[e] = cand.value
        return True

    def _release(self, e: int, bs: tuple[int, ...]) -> None:
        for b in bs:
            self.floor.owner[b] = None
        if not self.prep.exhibitors[e].community:
            self.floor.prime_outside -= sum(1 for b in bs if self.prep.booths[b].prime)


class Neighbourhoods:
    """Draws pieces: patches around seed booths, unhappy exhibitors' booths and the booths they would like."""

    def __init__(self, prep: Prepared):
        self.prep = prep
        near: list[list[tuple[float, int]]] = [[] for _ in prep.booths]
        for i, j in near_pairs(prep.booths, PATCH_REACH):
            d = _centre_distance(prep, i, j)
            near[i].append((d, j))
            near[j].append((d, i))
        self.near = [[j for _, j in sorted(row)] for row in near]
        self.by_zone: dict[str, list[int]] = {}
        self.by_type: dict[str, list[int]] = {}
        for i, b in enumerate(prep.booths):
            if prep.free[i]:
                self.by_zone.setdefault(b.zone, []).append(i)
                self.by_type.setdefault(b.type, []).append(i)

    def patch(self, seed: int, size: int, taken: set[int]) -> set[int]:
        """Booths reached from `seed` by short steps, nearest first, up to `size` (none of `taken`)."""
        out = {seed}
        frontier = [seed]
        while frontier and len(out) < size:
            nxt = []
            for b in frontier:
                for c in self.near[b]:
                    if c not in out and c not in taken and self.prep.free[c]:
                        out.add(c)
                        nxt.append(c)
                        if len(out) >= size:
                            return out
            frontier = nxt
        return out

    def draw(self, rng: random.Random, state: State, taken: set[int], offered: set[int]) -> Piece | None:
        prep = self.prep
        free = [i for i, ok in enumerate(prep.free) if ok and i not in taken]
        if not free:
            return None
        seeds: list[int] = []
        unhappy = [e for e, bs in state.chosen.items() if e not in prep.pinned and _unhappy(prep, e, bs)]
        if unhappy and rng.random() < 0.6:
            e = rng.choice(unhappy)
            seeds.append(state.chosen[e][0])
            ex = prep.exhibitors[e]
            pool = [b for z in ex.zones for b in self.by_zone.get(z, [])] if ex.zones else []
            if ex.type:
                typed = self.by_type.get(ex.type, [])
                pool = [b for b in pool if prep.booths[b].type == ex.type] or pool or typed
            if pool:
                seeds.append(rng.choice(pool))
        while len(seeds) < rng.choice((1, 2, 3)):
            seeds.append(rng.choice(free))
        size = rng.choice(PATCH_SIZES)
        booths: set[int] = set()
        for s in seeds:
            if s not in taken and prep.free[s]:
                booths |= self.patch(s, max(4, size // len(seeds)), taken | booths)
        # Whole groups only: a holder of any booth in the patch brings all its booths along.
        holders: list[int] = []
        changed = True
        while changed:
            changed = False
            for b in list(booths):
                e = state.floor.owner[b]
                if e is not None and e not in prep.pinned and e not in holders:
                    holders.append(e)
                    for c in state.chosen[e]:
                        if c not in booths:
                            if c in taken:
                                return None
                            booths.add(c)
                            changed = True
        outsiders = [e for e in prep.candidates if e not in state.chosen and e not in offered]
        rng.shuffle(outsiders)
        outsiders.sort(key=lambda e: -prep.exhibitors[e].priority)
        outsiders = outsiders[:MAX_OUTSIDE]
        return Piece(booths=booths, movers=holders + outsiders)


def _centre_distance(prep: Prepared, i: int, j: int) -> float:
    a, b = prep.booths[i], prep.booths[j]
    return abs(a.x + a.width / 2 - b.x - b.width / 2) + abs(a.y + a.depth / 2 - b.y - b.depth / 2)


def _unhappy(prep: Prepared, e: int, bs: tuple[int, ...]) -> bool:
    ex = prep.exhibitors[e]
    if ex.zones and not all(prep.booths[b].zone in ex.zones for b in bs):
        return True
    return bool(ex.type) and not any(prep.booths[b].type == ex.type for b in bs)


def solve_piece(prep: Prepared, state: State, piece: Piece, seed: int) -> tuple[int, dict[int, Candidate]] | None:
    """Best placement of the piece's movers inside its booths, the rest of the floor fixed; None if not solved."""
    m = cp_model.CpModel()
    inside = piece.booths
    floor = state.floor
    movers = set(piece.movers)
    fixed_prime = floor.prime_outside - sum(
        sum(1 for b in state.chosen[e] if prep.booths[b].prime) for e in movers
        if e in state.chosen and not prep.exhibitors[e].community)
    fixed_owner = {b: floor.owner[b] for b in range(len(prep.booths))
                   if floor.owner[b] is not None and floor.owner[b] not in movers}
    xs: dict[int, list[tuple[cp_model.IntVar, Candidate]]] = {}
    per_booth: dict[int, list] = {}
    holds: dict[int, dict[int, list]] = {}
    prime_terms, objective = [], []
    for e in piece.movers:
        rivals = prep.rivals[e]
        banned: set[int] = set()
        for b, o in fixed_owner.items():
            if o in rivals:
                banned.add(b)
                banned.update(prep.conflicts[b])
        current = state.chosen.get(e)
        row = []
        for c in prep.candidates[e]:
            if not all(b in inside for b in c.booths) or (banned and any(b in banned for b in c.booths)):
                continue
            x = m.new_bool_var("")
            m.add_hint(x, c.booths == current)
            row.append((x, c))
            objective.append(c.value * x)
            for b in c.booths:
                per_booth.setdefault(b, []).append(x)
                if rivals:
                    holds.setdefault(e, {}).setdefault(b, []).append(x)
            if c.prime and not prep.exhibitors[e].community:
                prime_terms.append(c.prime * x)
        if row:
            m.add_at_most_one(x for x, _ in row)
            xs[e] = row
    if not xs:
        return None
    for lits in per_booth.values():
        if len(lits) > 1:
            m.add_at_most_one(lits)
    if prime_terms:
        m.add(sum(prime_terms) <= max(0, prep.allowance - fixed_prime))
    occ: dict[int, dict[int, cp_model.IntVar]] = {}
    for e, by_booth in holds.items():
        occ[e] = {}
        for b, lits in by_booth.items():
            o = m.new_bool_var("")
            m.add(sum(lits) == o)
            m.add_hint(o, b in state.chosen.get(e, ()))
            occ[e][b] = o
    for e in occ:
        for f in prep.rivals[e]:
            if f in occ and f > e:
                theirs = occ[f]
                for b, o in occ[e].items():
                    near = [theirs[c] for c in (b, *prep.conflicts[b]) if c in theirs]
                    if near:
                        m.add_bool_and([n.Not() for n in near]).only_enforce_if(o)
    before = sum(state.value.get(e, 0) for e in piece.movers)
    m.add(sum(objective) >= before)
    m.maximize(sum(objective))
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = 1
    p.random_seed = seed
    p.max_deterministic_time = PIECE_DTIME
    p.max_time_in_seconds = 10 * PIECE_DTIME
    code = solver.solve(m)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    result = {e: c for e, row in xs.items() for x, c in row if solver.boolean_value(x)}
    return sum(c.value for c in result.values()) - before, result


def improve(prep: Prepared, chosen: dict[int, tuple[int, ...]], *, deadline: float, seed: int, parallel: int = 1,
            target: float | None = None, on_better: Callable[[int], None] | None = None,
            stop: Callable[[], bool] | None = None) -> dict[int, tuple[int, ...]]:
    """Improve a valid assignment until the deadline (time.monotonic()), `stop()`, or reaching `target`."""
    if not any(prep.candidates.values()):
        return chosen
    rng = random.Random(seed)
    state = State(prep, chosen)
    hoods = Neighbourhoods(prep)
    pool = ThreadPoolExecutor(max_workers=parallel) if parallel > 1 else None
    try:
        while time.monotonic() < deadline and not (stop and stop()):
            if target is not None and state.objective >= target - 1e-9:
                break
            pieces: list[tuple[Piece, int]] = []
            taken: set[int] = set()
            offered: set[int] = set()
            for _ in range(parallel):
                piece = hoods.draw(rng, state, taken, offered)
                if piece is None:
                    continue
                taken |= piece.booths
                offered.update(piece.movers)
                pieces.append((piece, rng.randrange(1 << 30)))
            if not pieces:
                continue
            if pool is not None and len(pieces) > 1:
                results = list(pool.map(lambda pc: solve_piece(prep, state, pc[0], pc[1]), pieces))
            else:
                results = [solve_piece(prep, state, pc[0], pc[1]) for pc in pieces]
            improved = False
            for (piece, _), res in zip(pieces, results, strict=True):
                if res is None:
                    continue
                delta, result = res
                if delta < 0:
                    continue
                if state.apply(piece.movers, result) and delta > 0:
                    improved = True
            if improved and on_better:
                on_better(state.objective)
    finally:
        if pool is not None:
            pool.shutdown()
    return state.chosen
