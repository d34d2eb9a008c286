"""A proven upper bound from the LP relaxation of the group model, solved with GLOP.

Columns: x[e, group] ∈ [0, 1] for every candidate group; rows: each exhibitor at most once, each booth at most
once, prime booths held outside the community within the allowance. Dropping the competitor rule only loosens the
relaxation, so its optimum (plus the pinned exhibitors' value) bounds every valid assignment from above.
"""

import math
from collections import defaultdict

from ortools.linear_solver import pywraplp

from .prep import Prepared


def lp_bound(prep: Prepared, *, time_limit: float = 20.0) -> float | None:
    """The LP optimum rounded down to a whole number (pins included), or None when not solved in time."""
    if not any(prep.candidates.values()):
        return float(prep.pinned_value)
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:
        return None
    solver.SetTimeLimit(int(max(1.0, time_limit) * 1000))
    objective = solver.Objective()
    per_booth: dict[int, list] = defaultdict(list)
    prime_terms = []
    for e, cands in prep.candidates.items():
        row = solver.Constraint(-solver.infinity(), 1.0)
        community = prep.exhibitors[e].community
        for c in cands:
            x = solver.NumVar(0.0, 1.0, "")
            objective.SetCoefficient(x, float(c.value))
            row.SetCoefficient(x, 1.0)
            for b in c.booths:
                per_booth[b].append(x)
            if c.prime and not community:
                prime_terms.append((x, float(c.prime)))
    for xs in per_booth.values():
        if len(xs) > 1:
            row = solver.Constraint(-solver.infinity(), 1.0)
            for x in xs:
                row.SetCoefficient(x, 1.0)
    if prime_terms:
        row = solver.Constraint(-solver.infinity(), float(max(0, prep.allowance - prep.pinned_prime_outside)))
        for x, k in prime_terms:
            row.SetCoefficient(x, k)
    objective.SetMaximization()
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    # Every objective value is a whole number, so the bound rounds down to one (with room for LP round-off).
    return float(math.floor(objective.Value() + 1e-6) + prep.pinned_value)
