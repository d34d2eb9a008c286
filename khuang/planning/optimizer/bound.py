"""A proven upper bound on objective v2 from the time-indexed LP relaxation, by column generation with GLOP.

The LP: a column y[activity, space, start] ∈ [0, 1] for every standalone-feasible start, worth its value minus
`oversize_penalty × oversize`; each activity at most once; on each atomic space each day covered at most once;
(version 2) a week variable w[k] ∈ [0, 1] worth `week_bonus`, with w[k] ≤ Σ of the columns whose event days touch
week k; at most `max_events_per_day` columns with an event on each day and `max_moveins_per_day` with their first
occupied day on it. Every plan is a 0/1 point of this LP, so its optimum bounds objective v2 from above.

Large instances have millions of columns, so the LP is solved by column generation: a restricted LP over a few
columns; its row prices (duals) price every column at once with prefix sums; the best columns join; repeat.
Whatever the stopping point, Lagrangian duality gives a valid bound from any prices λ, μ, ν, ρ ≥ 0:

    z ≤ Σ λ + E·Σ μ + M·Σ ν + Σ_k max(0, B − ρ_k)
        + Σ_activities max(0, max over its columns (c + Σ_{weeks touched} ρ − Σ_{days occupied} λ
                                                     − Σ_{event days} μ − ν_{move-in day})),

so the bound returned is proven even when time runs out before the LP optimum. Prices are smoothed towards the
best ones seen (Wentges). On very large instances (over a million columns) the restricted LP itself becomes slow,
and the prices are found by subgradient steps on the same Lagrangian instead (Polyak steps towards the best known
plan); its optimum is the LP's, and the bound is again proven at every step. The columns the steps choose, counted
over the later steps, stand in for the LP's fractional plan.
"""

import time
from collections import defaultdict

import numpy as np
from ortools.linear_solver import pywraplp

from .prep import Prepared

TOLERANCE = 1e-7
COLGEN_MAX_COLUMNS = 400_000  # above this the restricted LP converges too slowly: subgradient steps instead
SUBGRADIENT_ITERATIONS = 900  # a deterministic budget (the time limit only cuts in on a slow machine)
SUBGRADIENT_PATIENCE = 5  # iterations without a better bound before the step shrinks
NEW_PER_ACTIVITY = 2  # columns that join the restricted LP per activity and round
SMOOTHING = 0.5  # weight of the best prices so far when pricing (0 = the restricted LP's own prices)


class LPResult:
    """The bound and the LP's fractional plan: (activity index, space, start index, value) with value > 0."""

    def __init__(self, bound: float, columns: list[tuple[int, str, int, float]], *, optimal: bool = True,
                 lp_value: float | None = None):
        self.bound = bound
        self.columns = columns
        self.optimal = optimal  # the LP optimum was reached (the bound is the LP's value)
        self.lp_value = lp_value if lp_value is not None else bound


class _Columns:
    """Every candidate column as flat arrays (grouped by activity, as `prep.options` is)."""

    def __init__(self, prep: Prepared):
        self.prep = prep
        w = prep.instance.objective
        self.space_codes = sorted(prep.spaces)
        index = {c: k for k, c in enumerate(self.space_codes)}
        acts, spaces, starts, values = [], [], [], []
        for opt in prep.options:
            a = prep.activities[opt.activity]
            n = len(opt.starts)
            base = a.priority * a.days
            if a.preferred_months:
                v = base * (1.0 + 0.25 * np.isin(prep.months[opt.starts], a.preferred_months))
            else:
                v = np.full(n, float(base))
            cap = prep.spaces[opt.space].capacity
            if w.oversize_penalty and cap > 0:
                v = v - w.oversize_penalty * (1 - a.attendees / cap)
            acts.append(np.full(n, opt.activity, dtype=np.int64))
            spaces.append(np.full(n, index[opt.space], dtype=np.int64))
            starts.append(opt.starts.astype(np.int64))
            values.append(v)
        self.act = np.concatenate(acts)
        self.space = np.concatenate(spaces)
        self.start = np.concatenate(starts)
        self.value = np.concatenate(values)
        setup = np.array([a.setup_days for a in prep.activities], dtype=np.int64)
        length = np.array([a.occupied_days for a in prep.activities], dtype=np.int64)
        days = np.array([a.days for a in prep.activities], dtype=np.int64)
        self.lo = self.start - setup[self.act]
        self.hi = self.lo + length[self.act]  # occupied [lo, hi)
        self.end = self.start + days[self.act]  # event days [start, end)
        self.w0 = prep.week_of[self.start].astype(np.int64)
        self.w1 = prep.week_of[self.end - 1].astype(np.int64)
        # activity segments (options are appended activity by activity)
        change = np.nonzero(np.diff(self.act))[0] + 1
        self.seg_start = np.concatenate([[0], change])
        self.seg_act = self.act[self.seg_start]

    def __len__(self) -> int:
        return len(self.act)


class _Master:
    """The restricted LP, grown column by column; rows appear with the first column that needs them."""

    def __init__(self, prep: Prepared, cols: _Columns):
        self.prep = prep
        self.cols = cols
        s = self.solver = pywraplp.Solver.CreateSolver("GLOP")
        if s is None:
            return
        self.objective = s.Objective()
        self.objective.SetMaximization()
        self.activity_rows: dict[int, pywraplp.Constraint] = {}
        self.day_rows: dict[tuple[str, int], pywraplp.Constraint] = {}
        self.event_rows: dict[int, pywraplp.Constraint] = {}
        self.movein_rows: dict[int, pywraplp.Constraint] = {}
        self.week_rows: list[pywraplp.Constraint] = []
        self.week_vars: list[pywraplp.Variable] = []
        self.members: list[int] = []  # column indices in the master
        self.vars: list[pywraplp.Variable] = []
        self.seen: set[int] = set()
        bonus = prep.instance.objective.week_bonus
        if bonus > 0:
            for _ in range(prep.n_weeks):
                w = s.NumVar(0.0, 1.0, "")
                self.objective.SetCoefficient(w, bonus)
                row = s.Constraint(-s.infinity(), 0.0)
                row.SetCoefficient(w, 1.0)
                self.week_vars.append(w)
                self.week_rows.append(row)

    def add(self, j: int) -> None:
        if j in self.seen:
            return
        self.seen.add(j)
        prep, c, s = self.prep, self.cols, self.solver
        y = s.NumVar(0.0, 1.0, "")
        self.objective.SetCoefficient(y, float(c.value[j]))
        i = int(c.act[j])
        row = self.activity_rows.get(i)
        if row is None:
            row = self.activity_rows[i] = s.Constraint(-s.infinity(), 1.0)
        row.SetCoefficient(y, 1.0)
        for leaf in prep.leaves[c.space_codes[c.space[j]]]:
            for d in range(int(c.lo[j]), int(c.hi[j])):
                r = self.day_rows.get((leaf, d))
                if r is None:
                    r = self.day_rows[(leaf, d)] = s.Constraint(-s.infinity(), 1.0)
                r.SetCoefficient(y, 1.0)
        if prep.max_events is not None:
            for d in range(int(c.start[j]), int(c.end[j])):
                r = self.event_rows.get(d)
                if r is None:
                    r = self.event_rows[d] = s.Constraint(-s.infinity(), float(prep.max_events))
                r.SetCoefficient(y, 1.0)
        if prep.max_moveins is not None:
            d = int(c.lo[j])
            r = self.movein_rows.get(d)
            if r is None:
                r = self.movein_rows[d] = s.Constraint(-s.infinity(), float(prep.max_moveins))
            r.SetCoefficient(y, 1.0)
        for k in range(int(c.w0[j]), int(c.w1[j]) + 1) if self.week_rows else ():
            self.week_rows[k].SetCoefficient(y, -1.0)
        self.members.append(j)
        self.vars.append(y)

    def prices(self) -> dict[str, np.ndarray]:
        """Row prices (duals, clamped at 0) as arrays: day per atomic space, events, move-ins, weeks."""
        prep = self.prep
        H = prep.horizon_days
        out = {"leaf": {leaf: np.zeros(H) for leaf in prep.blocked}, "events": np.zeros(H),
               "moveins": np.zeros(H), "weeks": np.zeros(max(1, prep.n_weeks)),
               "acts": np.zeros(len(prep.activities))}
        for i, r in self.activity_rows.items():
            out["acts"][i] = max(0.0, r.dual_value())
        for (leaf, d), r in self.day_rows.items():
            out["leaf"][leaf][d] = max(0.0, r.dual_value())
        for d, r in self.event_rows.items():
            out["events"][d] = max(0.0, r.dual_value())
        for d, r in self.movein_rows.items():
            out["moveins"][d] = max(0.0, r.dual_value())
        for k, r in enumerate(self.week_rows):
            out["weeks"][k] = max(0.0, r.dual_value())
        return out


def _blend(a: dict, b: dict, alpha: float) -> dict:
    """alpha·a + (1 − alpha)·b, row by row."""
    return {"leaf": {k: alpha * a["leaf"][k] + (1 - alpha) * b["leaf"][k] for k in a["leaf"]},
            **{k: alpha * a[k] + (1 - alpha) * b[k] for k in ("events", "moveins", "weeks", "acts")}}


def _reduced(prep: Prepared, cols: _Columns, prices: dict) -> np.ndarray:
    """Every column's profit at these prices (before the activity's own price)."""
    H = prep.horizon_days
    per_space = np.zeros((len(cols.space_codes), H + 1))
    for k, code in enumerate(cols.space_codes):
        total = np.zeros(H)
        for leaf in prep.leaves[code]:
            total += prices["leaf"][leaf]
        per_space[k, 1:] = np.cumsum(total)
    red = cols.value - (per_space[cols.space, cols.hi] - per_space[cols.space, cols.lo])
    if prep.max_events is not None:
        ev = np.concatenate([[0.0], np.cumsum(prices["events"])])
        red -= ev[cols.end] - ev[cols.start]
    if prep.max_moveins is not None:
        red -= prices["moveins"][cols.lo]
    if prep.instance.objective.week_bonus > 0:
        wk = np.concatenate([[0.0], np.cumsum(prices["weeks"])])
        red += wk[cols.w1 + 1] - wk[cols.w0]
    return red


def _lagrangian(prep: Prepared, cols: _Columns, prices: dict, red: np.ndarray) -> tuple[float, np.ndarray]:
    """The bound these prices prove, and each activity's best column profit (per activity segment)."""
    best = np.maximum.reduceat(red, cols.seg_start)
    bound = float(np.maximum(best, 0.0).sum())
    bound += sum(float(p.sum()) for p in prices["leaf"].values())
    if prep.max_events is not None:
        bound += prep.max_events * float(prices["events"].sum())
    if prep.max_moveins is not None:
        bound += prep.max_moveins * float(prices["moveins"].sum())
    bonus = prep.instance.objective.week_bonus
    if bonus > 0:
        bound += float(np.maximum(bonus - prices["weeks"][:prep.n_weeks], 0.0).sum())
    return bound, best


def _entering(cols: _Columns, red: np.ndarray, activity_price: np.ndarray, seen: set[int]) -> list[int]:
    """Up to NEW_PER_ACTIVITY columns per activity with a positive reduced profit, best first."""
    gain = red - activity_price[cols.act]
    cand = np.nonzero(gain > TOLERANCE)[0]
    if not len(cand):
        return []
    order = cand[np.lexsort((-gain[cand], cols.act[cand]))]
    acts = cols.act[order]
    first = np.concatenate([[True], acts[1:] != acts[:-1]])
    group_start = np.maximum.accumulate(np.where(first, np.arange(len(order)), 0))
    rank = np.arange(len(order)) - group_start
    return [int(j) for j in order[rank < NEW_PER_ACTIVITY] if int(j) not in seen]


def lp_bound(prep: Prepared, *, time_limit: float = 30.0, seed_plan: list[tuple[int, str, int]] | None = None,
             target: float | None = None) -> LPResult | None:
    """The LP relaxation's bound on objective v2 and its fractional plan; None if GLOP is missing.

    `seed_plan` (a valid plan) starts the restricted LP, so its first value is already that plan's; `target`
    (that plan's objective) steers the subgradient steps on very large instances.
    """
    if not prep.options:
        return LPResult(0.0, [], optimal=True)
    total = sum(len(o.starts) for o in prep.options)
    if prep.is_v1 and total <= COLGEN_MAX_COLUMNS:
        return _full_lp_v1(prep, time_limit=time_limit)
    cols = _Columns(prep)
    if len(cols) > COLGEN_MAX_COLUMNS:
        return _subgradient(prep, cols, time_limit=time_limit, target=target or 0.0)
    return _column_generation(prep, cols, time_limit=time_limit, seed_plan=seed_plan)


def _column_generation(prep: Prepared, cols: _Columns, *, time_limit: float,
                       seed_plan: list[tuple[int, str, int]] | None) -> LPResult | None:
    t0 = time.monotonic()
    master = _Master(prep, cols)
    if master.solver is None:
        return None
    # start: the seed plan's columns and each activity's most valuable column
    if seed_plan:
        where = {(i, s, d) for i, s, d in seed_plan}
        space_index = {c: k for k, c in enumerate(cols.space_codes)}
        keys = cols.act * 10_000_000 + cols.space * 100_000 + cols.start
        wanted = np.array([i * 10_000_000 + space_index[s] * 100_000 + d for i, s, d in where], dtype=np.int64)
        for j in np.nonzero(np.isin(keys, wanted))[0]:
            master.add(int(j))
    for s0, s1 in zip(cols.seg_start, [*cols.seg_start[1:], len(cols)], strict=True):
        master.add(int(s0 + np.argmax(cols.value[s0:s1])))
    best_bound, best_prices = float("inf"), None
    lp_value = None
    optimal = False
    while True:
        remaining = time_limit - (time.monotonic() - t0)
        master.solver.SetTimeLimit(int(max(1.0, remaining) * 1000))
        if master.solver.Solve() != pywraplp.Solver.OPTIMAL:
            break
        lp_value = master.objective.Value()
        own = master.prices()
        red = _reduced(prep, cols, own)
        bound, _ = _lagrangian(prep, cols, own, red)
        entering = _entering(cols, red, own["acts"], master.seen)
        if best_prices is not None and SMOOTHING > 0:  # also price between the best prices and the LP's own
            mid = _blend(best_prices, own, SMOOTHING)
            red_mid = _reduced(prep, cols, mid)
            bound_mid, _ = _lagrangian(prep, cols, mid, red_mid)
            if bound_mid < best_bound:
                best_bound, best_prices = bound_mid, mid
            entering = sorted(set(entering) | set(_entering(cols, red_mid, mid["acts"], master.seen)))
        if bound < best_bound:
            best_bound, best_prices = bound, own
        if best_bound - lp_value <= 1e-7 * max(1.0, abs(lp_value)):
            optimal = True
            break
        if not entering or time.monotonic() - t0 > time_limit:
            optimal = not entering
            break
        for j in entering:
            master.add(j)
    if best_bound == float("inf"):
        return None
    if optimal and lp_value is not None:
        best_bound = min(best_bound, lp_value)
    columns = [(int(cols.act[j]), cols.space_codes[cols.space[j]], int(cols.start[j]), y.solution_value())
               for j, y in zip(master.members, master.vars, strict=True)]
    return LPResult(best_bound * (1 + 1e-9) + 1e-9, [c for c in columns if c[3] > 1e-6], optimal=optimal,
                    lp_value=lp_value)


def _subgradient(prep: Prepared, cols: _Columns, *, time_limit: float, target: float) -> LPResult:
    """The Lagrangian bound by projected subgradient steps (see the module docstring)."""
    t0 = time.monotonic()
    H = prep.horizon_days
    leaves = sorted(prep.blocked)
    leaf_index = {leaf: k for k, leaf in enumerate(leaves)}
    space_leaves = [np.array([leaf_index[x] for x in prep.leaves[c]]) for c in cols.space_codes]
    lam = np.zeros((len(leaves), H))
    mu, nu, rho = np.zeros(H), np.zeros(H), np.zeros(max(1, prep.n_weeks))
    bonus = prep.instance.objective.week_bonus
    E, M = prep.max_events, prep.max_moveins
    seg_end = np.concatenate([cols.seg_start[1:], [len(cols)]])
    best_bound, theta, since = float("inf"), 1.0, 0
    counts: dict[int, int] = {}
    kept = 0
    for it in range(SUBGRADIENT_ITERATIONS):
        if it and time.monotonic() - t0 > time_limit:
            break
        prices = {"leaf": {leaf: lam[k] for leaf, k in leaf_index.items()}, "events": mu, "moveins": nu,
                  "weeks": rho}
        red = _reduced(prep, cols, prices)
        bound, best = _lagrangian(prep, cols, prices, red)
        if bound < best_bound - 1e-9:
            best_bound, since = bound, 0
        else:
            since += 1
            if since >= SUBGRADIENT_PATIENCE:
                theta, since = theta * 0.7, 0
        chosen = [int(s0 + np.argmax(red[s0:s1])) for s0, s1, b in zip(cols.seg_start, seg_end, best, strict=True)
                  if b > 0]
        if it >= SUBGRADIENT_ITERATIONS // 2:  # the later choices approximate the LP's fractional plan
            kept += 1
            for j in chosen:
                counts[j] = counts.get(j, 0) + 1
        g_lam = np.ones_like(lam)
        g_mu = np.full(H, float(E or 0))
        g_nu = np.full(H, float(M or 0))
        g_rho = np.zeros_like(rho)
        if bonus > 0:  # the week rows read w − Σ y ≤ 0: their slack is Σ y − w
            g_rho[:prep.n_weeks] = -(rho[:prep.n_weeks] < bonus).astype(float)
        for j in chosen:
            g_lam[space_leaves[cols.space[j]], cols.lo[j]:cols.hi[j]] -= 1
            g_mu[cols.start[j]:cols.end[j]] -= 1
            g_nu[cols.lo[j]] -= 1
            g_rho[cols.w0[j]:cols.w1[j] + 1] += 1
        # a price already at 0 with slack cannot move: leave it out of the step's norm
        g_lam[(lam <= 0) & (g_lam > 0)] = 0.0
        norm = float((g_lam ** 2).sum())
        if E is not None:
            g_mu[(mu <= 0) & (g_mu > 0)] = 0.0
            norm += float((g_mu ** 2).sum())
        if M is not None:
            g_nu[(nu <= 0) & (g_nu > 0)] = 0.0
            norm += float((g_nu ** 2).sum())
        if bonus > 0:
            g_rho[(rho <= 0) & (g_rho > 0)] = 0.0
            norm += float((g_rho ** 2).sum())
        if norm <= 1e-12:
            break  # the chosen columns fit every row: the bound is the LP's
        step = theta * max(bound - target, 1e-6 * max(1.0, abs(bound))) / norm
        lam = np.maximum(0.0, lam - step * g_lam)
        if E is not None:
            mu = np.maximum(0.0, mu - step * g_mu)
        if M is not None:
            nu = np.maximum(0.0, nu - step * g_nu)
        if bonus > 0:
            rho = np.maximum(0.0, rho - step * g_rho)
    columns = [(int(cols.act[j]), cols.space_codes[cols.space[j]], int(cols.start[j]), c / kept)
               for j, c in sorted(counts.items())] if kept else []
    return LPResult(best_bound * (1 + 1e-9) + 1e-9, columns, optimal=False, lp_value=None)


def _full_lp_v1(prep: Prepared, *, time_limit: float) -> LPResult | None:
    """Version 1 on moderate sizes: the whole LP at once (the plans of version-1 inputs stay as they were)."""
    t0 = time.monotonic()
    total = sum(len(o.starts) for o in prep.options)
    if total == 0:
        return LPResult(0.0, [])
    step = 1
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:
        return None
    solver.SetTimeLimit(int(max(1.0, time_limit) * 1000))
    months = np.array([prep.date_of(d).month for d in range(prep.horizon_days)], dtype=np.int8)
    per_activity: dict[int, list] = defaultdict(list)
    rows: dict[tuple[str, int], list] = defaultdict(list)
    objective = solver.Objective()
    columns: list = []
    for opt in prep.options:
        a = prep.activities[opt.activity]
        base = a.priority * a.days
        pref = np.isin(months[opt.starts], list(a.preferred_months)) if a.preferred_months else \
            np.zeros(len(opt.starts), dtype=bool)
        leaves = prep.leaves[opt.space]
        L = a.occupied_days
        for start, is_pref in zip(opt.starts.tolist(), pref.tolist(), strict=True):
            y = solver.NumVar(0.0, 1.0, "")
            objective.SetCoefficient(y, base * (1.25 if is_pref else 1.0))
            per_activity[opt.activity].append(y)
            columns.append((opt.activity, opt.space, start, y))
            lo = start - a.setup_days
            if step == 1:
                for leaf in leaves:
                    for d in range(lo, lo + L):
                        rows[(leaf, d)].append((y, 1.0))
            else:
                counts: dict[int, int] = defaultdict(int)
                for d in range(lo, lo + L):
                    counts[d // step] += 1
                for leaf in leaves:
                    for w, c in counts.items():
                        rows[(leaf, w)].append((y, float(c)))
        if time.monotonic() - t0 > time_limit:
            return None
    for ys in per_activity.values():
        c = solver.Constraint(-solver.infinity(), 1.0)
        for y in ys:
            c.SetCoefficient(y, 1.0)
    for (leaf, g), terms in rows.items():
        free = prep.horizon_days and int((~prep.blocked[leaf][g * step:(g + 1) * step]).sum())
        if sum(c for _, c in terms) <= free:
            continue
        c = solver.Constraint(-solver.infinity(), float(free))
        for y, coef in terms:
            c.SetCoefficient(y, coef)
    objective.SetMaximization()
    status = solver.Solve()
    if status != pywraplp.Solver.OPTIMAL:
        return None
    values = [(i, space, start, y.solution_value()) for i, space, start, y in columns]
    return LPResult(objective.Value() * (1 + 1e-9), [c for c in values if c[3] > 1e-6])
