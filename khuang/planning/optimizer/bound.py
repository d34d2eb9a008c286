"""A proven upper bound from the time-indexed LP relaxation, solved with GLOP.

Columns: y[activity, space, start] ∈ [0, 1] for every standalone-feasible start; rows: each activity at most once,
and on each atomic space each free day is covered at most once. The LP optimum bounds every plan from above and,
for calendars of many short events, lies within a fraction of a percent of the best plan. Long horizons or many
proposals fall back to weekly rows of the same kind (each day's coverage summed over the week), still valid.
"""

import time
from collections import defaultdict

import numpy as np
from ortools.linear_solver import pywraplp

from .prep import Prepared

MAX_COLUMNS = 400_000


class LPResult:
    """The LP optimum and its fractional plan: (activity index, space, start index, value) with value > 0."""

    def __init__(self, bound: float, columns: list[tuple[int, str, int, float]]):
        self.bound = bound
        self.columns = columns


def lp_bound(prep: Prepared, *, time_limit: float = 30.0) -> LPResult | None:
    """The LP relaxation's optimum (documented objective units), or None when it could not be solved in time."""
    t0 = time.monotonic()
    total = sum(len(o.starts) for o in prep.options)
    if total == 0:
        return LPResult(0.0, [])
    step = 1 if total <= MAX_COLUMNS else 7  # day rows, or week rows on very large instances
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
