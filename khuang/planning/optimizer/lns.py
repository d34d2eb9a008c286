"""Large-neighbourhood search: free a window of weeks on a group of spaces, solve that piece exactly, keep it if
it is no worse. Each piece is a small time-indexed CP-SAT model solved on one worker with a deterministic limit, and
the neighbourhoods come from a seeded generator, so the same seed and instance give the same plan.
"""

import random
import time
from collections.abc import Callable

import numpy as np
from ortools.sat.python import cp_model

from .prep import Occupancy, Prepared

WINDOWS = (21, 35, 56, 91)
MAX_MOVERS = 120
PIECE_DTIME = 1.0  # deterministic seconds per piece
PIECE_OVERHEAD = 0.01  # work charged per piece for building it, so empty pieces still count


def _groups(prep: Prepared) -> list[set[str]]:
    """Atomic spaces that combinations tie together (the hall parts), and each remaining space alone."""
    parent = {leaf: leaf for leaf in prep.blocked}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for leaves in prep.leaves.values():
        for other in leaves[1:]:
            parent[find(other)] = find(leaves[0])
    out: dict[str, set[str]] = {}
    for leaf in prep.blocked:
        out.setdefault(find(leaf), set()).add(leaf)
    return sorted(out.values(), key=lambda g: sorted(g))


def improve(prep: Prepared, placed: list[tuple[int, str, int]], *, deadline: float, seed: int,
            work: float = float("inf"), target: int | None = None,
            on_better: Callable[[list[tuple[int, str, int]]], None] | None = None,
            stop: Callable[[], bool] | None = None) -> list[tuple[int, str, int]]:
    """Improve a valid plan; returns the best plan.

    Stops after `work` deterministic seconds of piece solving (so a seed always gives the same plan), at the
    wall-clock `deadline` (time.monotonic()) as a safety net, when `stop()` says so, or on reaching `target`
    (4 × objective; e.g. the LP bound).
    """
    rng = random.Random(seed)
    spent = 0.0
    total = sum(prep.value4(prep.activities[i], d) for i, _, d in placed)
    current = {i: (s, d) for i, s, d in placed}
    by_activity: dict[int, list] = {}
    for opt in prep.options:
        by_activity.setdefault(opt.activity, []).append(opt)
    groups = _groups(prep)
    all_leaves = set(prep.blocked)
    H = prep.horizon_days
    while spent < work and time.monotonic() < deadline and not (stop and stop()):
        if target is not None and total >= target:
            break
        width = rng.choice(WINDOWS)
        lo = rng.randrange(0, max(1, H - width // 2))
        hi = min(H, lo + width)
        r = rng.random()
        if r < 0.4 or len(groups) == 1:
            leaves = all_leaves
        else:
            leaves = set().union(*rng.sample(groups, max(1, len(groups) // 3)))
        spaces = [c for c, ls in prep.leaves.items() if set(ls) <= leaves]
        space_set = set(spaces)
        occ = Occupancy(prep)
        movers: list[int] = []
        for i, (s, d) in current.items():
            a = prep.activities[i]
            o_lo, o_hi = d - a.setup_days, d - a.setup_days + a.occupied_days
            if s in space_set and o_lo >= lo and o_hi <= hi:
                movers.append(i)
            else:
                occ.take(s, a, d)
        outside = [i for i in by_activity if i not in current]
        rng.shuffle(outside)
        for i in outside:
            if len(movers) >= MAX_MOVERS:
                break
            a = prep.activities[i]
            if any(o.space in space_set and len(o.starts) and
                   ((o.starts - a.setup_days >= lo) & (o.starts - a.setup_days + a.occupied_days <= hi)).any()
                   for o in by_activity[i]):
                movers.append(i)
        if not movers:
            continue
        result = _solve_piece(prep, occ, movers, current, by_activity, space_set, lo, hi, rng.randrange(1 << 30),
                              deadline)
        spent += PIECE_OVERHEAD
        if result is None:
            continue
        gain, placement, dtime = result
        spent += dtime
        total += max(gain, 0)
        if gain >= 0:
            for i in movers:
                current.pop(i, None)
            current.update(placement)
            if gain > 0 and on_better:
                on_better([(i, s, d) for i, (s, d) in current.items()])
    return [(i, s, d) for i, (s, d) in current.items()]


def _solve_piece(prep, occ, movers, current, by_activity, space_set, lo, hi, seed, deadline):
    m = cp_model.CpModel()
    cover: dict[tuple[str, int], list] = {}
    xs: list[tuple[int, str, int, cp_model.IntVar]] = []
    old = 0
    for i in movers:
        a = prep.activities[i]
        mine = []
        for opt in by_activity[i]:
            if opt.space not in space_set:
                continue
            st = opt.starts[(opt.starts - a.setup_days >= lo) & (opt.starts - a.setup_days + a.occupied_days <= hi)]
            if not len(st):
                continue
            st = occ.free_starts(opt.space, a, st)
            for d in st.tolist():
                x = m.new_bool_var("")
                xs.append((i, opt.space, d, x))
                mine.append(x)
                for leaf in prep.leaves[opt.space]:
                    for day in range(d - a.setup_days, d - a.setup_days + a.occupied_days):
                        cover.setdefault((leaf, day), []).append(x)
                if current.get(i) == (opt.space, d):
                    m.add_hint(x, True)
                else:
                    m.add_hint(x, False)
        if i in current:
            old += prep.value4(a, current[i][1])
        if mine:
            if i in prep.pinned:
                m.add_exactly_one(mine)
            else:
                m.add_at_most_one(mine)
    for lits in cover.values():
        if len(lits) > 1:
            m.add_at_most_one(lits)
    m.maximize(sum(prep.value4(prep.activities[i], d) * x for i, _, d, x in xs))
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = 1
    p.random_seed = seed
    p.max_deterministic_time = PIECE_DTIME
    p.max_time_in_seconds = max(0.05, min(10.0, deadline - time.monotonic()))
    status = solver.solve(m)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    new = int(round(solver.objective_value))
    placement = {i: (s, d) for i, s, d, x in xs if solver.boolean_value(x)}
    return new - old, placement, solver.response_proto.deterministic_time


def value(prep: Prepared, placed) -> float:
    return float(np.sum([prep.value4(prep.activities[i], d) for i, _, d in placed])) / 4
