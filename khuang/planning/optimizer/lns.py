"""Large-neighbourhood search: free a window of weeks on a group of spaces, solve that piece exactly, keep it if
it is no worse. Each piece is a small CP-SAT model solved on one worker with a deterministic limit, and the
neighbourhoods come from a seeded generator, so the same seed and instance give the same plan.

Version 2: a piece counts the week bonus only for the weeks no activity outside the piece already makes active
(a week's bonus depends on the whole plan), charges each room its oversize cost, and keeps every day within the
limits left over by the activities outside the piece (cumulative constraints). A piece's result is applied to the
whole plan's score (`PlanState`) and undone unless the plan is no worse, so pieces solved side by side can never
make the plan worse between them.
"""

import random
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from ortools.sat.python import cp_model

from .prep import Occupancy, Prepared
from .score import PlanState

STATS: dict = {}
WINDOWS = (21, 35, 56, 91)
LONG_WINDOWS = (120, 182, 366)
MAX_CURRENT = 70  # planned activities moved in one piece
MAX_OUTSIDE = 50  # unplanned activities offered a place in one piece
PIECE_DTIME = 1.0  # deterministic seconds per piece
# Work is counted in "seconds of this 2-core machine", from the solver's deterministic time and the piece's size
# (a least-squares fit of wall time over pieces of 300- and 1,500-proposal instances); it stands in for the wall
# clock so that a seed always gives the same plan.
WORK_PER_DTIME = 3.5
WORK_PER_OPTION = 3e-4
# A round of pieces solved side by side takes about as long as its longest piece, a little more with two
# (the threads share the interpreter while they build their models).
ROUND_OVERLAP = {1: 1.0, 2: 1.1}


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
            work: float = float("inf"), target: int | None = None, parallel: int = 1,
            on_better: Callable[[list[tuple[int, str, int]]], None] | None = None,
            stop: Callable[[], bool] | None = None) -> list[tuple[int, str, int]]:
    """Improve a valid plan; returns the best plan.

    Each round solves `parallel` pieces at once on disjoint windows of days (so they cannot collide) and applies
    them in order. Stops after `work` of piece solving (so a seed always gives the same plan), at the wall-clock
    `deadline` (time.monotonic()) as a safety net, when `stop()` says so, or on reaching `target` (the plan's
    integer objective in units, e.g. the bound's).
    """
    rng = random.Random(seed)
    spent = 0.0
    state = PlanState(prep, placed)
    hood = _Neighbourhoods(prep)
    pool = ThreadPoolExecutor(max_workers=parallel) if parallel > 1 else None
    try:
        while spent < work and time.monotonic() < deadline and not (stop and stop()):
            if target is not None and state.total >= target:
                break
            pieces, windows, offered = [], [], set()
            kinds = []
            for _ in range(parallel):
                piece = hood.draw(rng, state, windows, offered)
                if piece is not None:
                    pieces.append((*piece, rng.randrange(1 << 30)))
                    kinds.append(hood.last_kind)
            if not pieces:
                continue

            def run(piece):
                occ, movers, space_set, lo, hi, piece_seed = piece
                return _solve_piece(prep, occ, movers, state, hood.by_activity, space_set, lo, hi, piece_seed,
                                    deadline)

            results = list(pool.map(run, pieces)) if pool else [run(p) for p in pieces]
            improved = False
            spent += max(dtime for _, dtime in results) * ROUND_OVERLAP[min(len(pieces), 2)]
            for piece, (placement, _), kd in zip(pieces, results, kinds, strict=True):
                STATS[kd + "_n"] = STATS.get(kd + "_n", 0) + 1
                if placement is not None:
                    b = state.total
                    better = _apply(state, piece[1], placement)
                    improved = better or improved
                    if better:
                        STATS[kd] = STATS.get(kd, 0) + state.total - b
            if improved and on_better:
                on_better(state.placements())
    finally:
        if pool:
            pool.shutdown()
    return state.placements()


def _apply(state: PlanState, movers: list[int], placement: dict[int, tuple[str, int]]) -> bool:
    """Move `movers` to `placement` if the whole plan is no worse (else leave it); True when strictly better."""
    before = state.total
    order = list(state.where.items())  # kept so that an undone move leaves the plan exactly as it was
    old = {i: state.where[i] for i in movers if i in state.where}
    for i in old:
        state.remove(i)
    for i, (s, d) in placement.items():
        state.add(i, s, d)
    if state.total >= before:
        return state.total > before
    for i in placement:
        state.remove(i)
    for i, (s, d) in old.items():
        state.add(i, s, d)
    state.where = dict(order)
    return False


class _Neighbourhoods:
    """Draws pieces: a window of days on a group of spaces, its planned activities and some unplanned ones.

    Version 2 also draws two wider kinds, because a week or a preferred month can hang on moves across the year:
    pieces built around one activity that could do better (its whole window on every room it may use, with
    everything there), and one group of spaces (e.g. the hall and its combinations) over a long stretch.
    """

    def __init__(self, prep: Prepared):
        self.prep = prep
        self.by_activity: dict[int, list] = {}
        for opt in prep.options:
            self.by_activity.setdefault(opt.activity, []).append(opt)
        self.groups = _groups(prep)
        self.all_leaves = set(prep.blocked)
        self.wide = not prep.is_v1
        if self.wide:  # each activity's best possible units, its window of days and the parts of its rooms
            self.best_units: dict[int, int] = {}
            self.span: dict[int, tuple[int, int]] = {}
            self.reach: dict[int, set[str]] = {}
            for i, opts in self.by_activity.items():
                a = prep.activities[i]
                in_month = bool(a.preferred_months) and any(
                    np.isin(prep.months[o.starts], a.preferred_months).any() for o in opts)
                top = 4 * a.priority * a.days + (a.priority * a.days if in_month else 0)
                self.best_units[i] = top * prep.unit - min(prep.over_cost(i, o.space) for o in opts)
                self.span[i] = (min(int(o.starts[0]) - a.setup_days for o in opts),
                                max(int(o.starts[-1]) - a.setup_days + a.occupied_days for o in opts))
                self.reach[i] = {leaf for o in opts for leaf in prep.leaves[o.space]}

    def draw(self, rng: random.Random, state: PlanState, windows: list[tuple[int, int]], offered: set[int]):
        prep = self.prep
        kind = rng.random() if self.wide else 0.0
        target = None
        if kind >= 0.75:
            drawn = self._long(rng, windows)
        elif kind >= 0.5:
            drawn, target = self._around(rng, state, windows)
        else:
            drawn = None
        if drawn is None:
            drawn = self._window(rng, windows)
        if drawn is None:
            return None
        lo, hi, leaves = drawn
        self.last_kind = "long" if kind >= 0.75 and drawn is not None and target is None and kind >= 0.75 else (
            "around" if target is not None else "window")
        windows.append((lo, hi))  # other pieces of the round move only inside their own, disjoint windows
        space_set = {c for c, ls in prep.leaves.items() if set(ls) <= leaves}
        current = state.where
        occ = Occupancy(prep)
        movers: list[int] = []
        for i, (s, d) in current.items():
            a = prep.activities[i]
            o_lo, o_hi = d - a.setup_days, d - a.setup_days + a.occupied_days
            if s in space_set and o_lo >= lo and o_hi <= hi:
                movers.append(i)
            else:
                occ.take(s, a, d)
        if len(movers) > MAX_CURRENT:  # too many to move at once: move a random share, keep the rest in place
            keep = set(rng.sample(movers, len(movers) - MAX_CURRENT))
            keep.discard(target)
            for i in keep:
                s, d = current[i]
                occ.take(s, prep.activities[i], d)
            movers = [i for i in movers if i not in keep]
        if target is not None and target not in current and target not in offered:
            movers.append(target)
            offered.add(target)
        outside = [i for i in self.by_activity if i not in current and i not in offered]
        rng.shuffle(outside)
        for i in outside:
            if len(movers) >= MAX_CURRENT + MAX_OUTSIDE:
                break
            a = prep.activities[i]
            if any(o.space in space_set and len(o.starts) and
                   ((o.starts - a.setup_days >= lo) & (o.starts - a.setup_days + a.occupied_days <= hi)).any()
                   for o in self.by_activity[i]):
                movers.append(i)
                offered.add(i)
        if not movers:
            return None
        return occ, movers, space_set, lo, hi

    def _window(self, rng: random.Random, windows: list[tuple[int, int]]):
        H = self.prep.horizon_days
        for _ in range(8):  # a window clear of this round's other windows
            width = rng.choice(WINDOWS)
            lo = rng.randrange(0, max(1, H - width // 2))
            hi = min(H, lo + width)
            if all(hi <= a or lo >= b for a, b in windows):
                break
        else:
            return None
        if rng.random() < 0.4 or len(self.groups) == 1:
            leaves = self.all_leaves
        else:
            leaves = set().union(*rng.sample(self.groups, max(1, len(self.groups) // 3)))
        return lo, hi, leaves

    def _long(self, rng: random.Random, windows: list[tuple[int, int]]):
        H = self.prep.horizon_days
        width = min(H, rng.choice(LONG_WINDOWS))
        lo = rng.randrange(0, max(1, H - width + 1))
        hi = min(H, lo + width)
        if not all(hi <= a or lo >= b for a, b in windows):
            return None
        k = rng.choice([1, 1, max(1, len(self.groups) // 4)])
        return lo, hi, set().union(*rng.sample(self.groups, min(k, len(self.groups))))

    def _around(self, rng: random.Random, state: PlanState, windows: list[tuple[int, int]]):
        """A piece around an activity that is out of the plan or below its best (month, room)."""
        prep = self.prep
        could = [i for i in self.by_activity if i not in state.where
                 or prep.units(i, *state.where[i]) < self.best_units[i]]
        if not could:
            return None, None
        i = rng.choice(could)
        lo, hi = self.span[i]
        if not all(hi <= a or lo >= b for a, b in windows):
            return None, None
        return (lo, hi, set(self.reach[i])), i


def _solve_piece(prep, occ, movers, state: PlanState, by_activity, space_set, lo, hi, seed, deadline):
    """Re-place `movers` inside [lo, hi) on `space_set`, around everything else, as well as possible.

    Returns ({activity: (space, start)}, work) — the placement is None when the solver found nothing."""
    m = cp_model.CpModel()
    current = state.where
    per_leaf: dict[str, list] = {}
    chosen: list[tuple[int, str, cp_model.IntVar, cp_model.IntVar, int]] = []
    objective = []
    v2 = not prep.is_v1
    if v2:
        ctx = _Outside(prep, state, movers, lo, hi)
    events: list = []  # (interval, demand) of the movers' event days, for the daily limit
    moveins: list = []
    starts_of: dict[int, list] = {}
    for i in movers:
        a = prep.activities[i]
        mine = []
        here = current.get(i)
        for opt in by_activity[i]:
            if opt.space not in space_set:
                continue
            st = opt.starts[(opt.starts - a.setup_days >= lo) & (opt.starts - a.setup_days + a.occupied_days <= hi)]
            if not len(st):
                continue
            st = occ.free_starts(opt.space, a, st)
            if v2 and len(st):
                st = st[ctx.limit_ok(a, st)]
            if not len(st):
                continue
            pref = np.isin(prep.months[st], a.preferred_months) if a.preferred_months else np.zeros(len(st), bool)
            cost = prep.over_cost(i, opt.space)
            for is_pref in (True, False):
                part = st[pref] if is_pref else st[~pref]
                if not len(part):
                    continue
                x = m.new_bool_var("")
                s = m.new_int_var_from_domain(cp_model.Domain.from_values(part.tolist()), "")
                interval = m.new_optional_fixed_size_interval_var(s - a.setup_days, a.occupied_days, x, "")
                for leaf in prep.leaves[opt.space]:
                    per_leaf.setdefault(leaf, []).append(interval)
                chosen.append((i, opt.space, x, s, int(part[0])))
                mine.append(x)
                objective.append(((4 + int(is_pref)) * a.priority * a.days * prep.unit - cost) * x)
                hit = here is not None and here[0] == opt.space and here[1] in set(part.tolist())
                m.add_hint(x, hit)
                if hit:
                    m.add_hint(s, here[1])
                if v2:
                    starts_of.setdefault(i, []).append((x, s, part))
                    if prep.max_events is not None:
                        events.append(m.new_optional_fixed_size_interval_var(s, a.days, x, ""))
                    if prep.max_moveins is not None:
                        moveins.append(m.new_optional_fixed_size_interval_var(s - a.setup_days, 1, x, ""))
        if mine:
            if i in prep.pinned:
                m.add_exactly_one(mine)
            else:
                m.add_at_most_one(mine)
    for intervals in per_leaf.values():
        if len(intervals) > 1:
            m.add_no_overlap(intervals)
    if v2:
        ctx.add_limits(m, events, moveins)
        objective.extend(ctx.add_weeks(m, starts_of))
    m.maximize(sum(objective))
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = 1
    p.random_seed = seed
    p.max_deterministic_time = PIECE_DTIME
    p.max_time_in_seconds = max(0.05, min(10.0, deadline - time.monotonic()))
    status = solver.solve(m)
    dtime = WORK_PER_DTIME * solver.response_proto.deterministic_time + WORK_PER_OPTION * len(chosen)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, dtime
    placement = {i: (sp, int(solver.value(s))) for i, sp, x, s, _ in chosen if solver.boolean_value(x)}
    return placement, dtime


class _Outside:
    """What the activities outside a piece leave to it: events and move-ins per day, weeks already active."""

    def __init__(self, prep: Prepared, state: PlanState, movers: list[int], lo: int, hi: int):
        self.prep, self.lo, self.hi = prep, lo, hi
        self.events = state.events.copy()
        self.moveins = state.moveins.copy()
        self.cover = state.cover.copy()
        for i in movers:
            if i in state.where:
                a = prep.activities[i]
                _, d = state.where[i]
                self.events[d:d + a.days] -= 1
                self.moveins[d - a.setup_days] -= 1
                k0, k1 = prep.week_span(a, d)
                self.cover[k0:k1 + 1] -= 1
        self.full = None
        if prep.max_events is not None:
            self.full = np.concatenate([[0], np.cumsum(self.events >= prep.max_events, dtype=np.int32)])

    def limit_ok(self, a, starts: np.ndarray) -> np.ndarray:
        ok = np.ones(len(starts), dtype=bool)
        if self.full is not None:
            ok &= (self.full[starts + a.days] - self.full[starts]) == 0
        if self.prep.max_moveins is not None:
            ok &= self.moveins[starts - a.setup_days] < self.prep.max_moveins
        return ok

    def add_limits(self, m: cp_model.CpModel, events: list, moveins: list) -> None:
        """Cumulative rows for the days of the window, their capacity reduced by what is outside the piece."""
        for intervals, used, cap in ((events, self.events, self.prep.max_events),
                                     (moveins, self.moveins, self.prep.max_moveins)):
            if cap is None or len(intervals) + int(used[self.lo:self.hi].max(initial=0)) <= cap:
                continue  # the piece alone cannot fill any day
            fixed, demands = [], []
            d = self.lo
            while d < self.hi:  # runs of equal outside use become fixed intervals
                e = d
                while e + 1 < self.hi and used[e + 1] == used[d]:
                    e += 1
                if used[d] > 0:
                    fixed.append(m.new_fixed_size_interval_var(d, e - d + 1, ""))
                    demands.append(int(min(used[d], cap)))
                d = e + 1
            m.add_cumulative([*intervals, *fixed], [1] * len(intervals) + demands, cap)

    def add_weeks(self, m: cp_model.CpModel, starts_of: dict[int, list]) -> list:
        """Week-bonus terms for the weeks of the window no outside activity makes active."""
        prep = self.prep
        bonus = prep.week_bonus_units
        if not bonus:
            return []
        open_weeks = {k for k in range(int(prep.week_of[self.lo]), int(prep.week_of[self.hi - 1]) + 1)
                      if self.cover[k] == 0}
        if not open_weeks:
            return []
        touching: dict[int, list] = {}
        for i, opts in starts_of.items():
            a = prep.activities[i]
            reach: dict[int, list] = {}
            for x, s, part in opts:
                k0s, k1s = prep.week_of[part], prep.week_of[part + a.days - 1]
                for k in sorted(open_weeks):
                    if ((k0s <= k) & (k1s >= k)).any():
                        reach.setdefault(k, []).append((x, s))
            if not reach:
                continue
            bs = []
            for k, pairs in sorted(reach.items()):
                w_lo, w_hi = prep.week_days(k)
                for x, s in pairs:  # b: this option is present and its event days touch week k
                    b = m.new_bool_var("")
                    m.add_implication(b, x)
                    m.add(s >= w_lo - a.days + 1).only_enforce_if(b)
                    m.add(s <= w_hi - 1).only_enforce_if(b)
                    touching.setdefault(k, []).append(b)
                    bs.append(b)
            most = 1 + -(-(a.days - 1) // 7)  # the weeks one event can touch
            m.add(sum(bs) <= most * sum(x for x, _, _ in opts))
        terms = []
        for _, bs in sorted(touching.items()):
            w = m.new_bool_var("")
            m.add(w <= sum(bs))
            terms.append(bonus * w)
        return terms


def value(prep: Prepared, placed) -> float:
    return float(np.sum([prep.value4(prep.activities[i], d) for i, _, d in placed])) / 4
