"""The CP-SAT model of booth assignment.

Variables: x[e, g] for every exhibitor e and candidate group g (exactly the booths e would take, side by side,
with its features). Rows: each exhibitor at most one group; each booth at most one holder; prime booths held
outside the community within the allowance; for each pair of competitors, a booth held by one forbids the other
every booth too close to it (occupancy literals o[e, b] tie the groups to booths). The objective is the
documented value of each group. The greedy plan is the warm start; the LP relaxation gives a second proven bound
(the smaller of the two is reported). Small fairs are solved by this exact model (usually to proven optimality);
larger ones, whose full model takes most of a minute just to presolve, go from the greedy plan to the
large-neighbourhood search of `lns`, judged against the LP bound.
"""

import math
import time
from collections import defaultdict

from ortools.sat.python import cp_model

from .bound import lp_bound
from .explain import explain
from .greedy import greedy_assign, to_assignments
from .lns import improve
from .model import Instance, Progress, Solution, SolveOptions, relative_gap
from .prep import Prepared, prepare

LP_SHARE = 0.3  # at most this share of the time limit goes to the LP bound
EXACT_MAX_VARS = 25_000  # larger fairs skip the exact model: presolving it alone costs most of a minute
EXACT_SMALL_VARS = 4_000  # up to this size the exact model usually proves optimality: give it most of the time
EXACT_SMALL_SHARE = 0.8
EXACT_SHARE = 0.3
EXPLAIN_RESERVE = 0.5  # seconds kept for the explanations after the search


class _Callback(cp_model.CpSolverSolutionCallback):
    """Reports each better solution (and the bound then) and stops the search when asked or good enough."""

    def __init__(self, options: SolveOptions, offset: int, started: float, outside_bound: list[float]):
        super().__init__()
        self.options = options
        self.offset = offset
        self.started = started
        self.outside_bound = outside_bound

    def on_solution_callback(self) -> None:
        objective = self.objective_value + self.offset
        bound = min(self.best_objective_bound + self.offset, *self.outside_bound)
        if self.options.on_progress:
            self.options.on_progress(Progress(time.monotonic() - self.started, objective, bound))
        if self.options.stop and self.options.stop():
            self.stop_search()
        elif self.options.target_gap and relative_gap(objective, bound) <= self.options.target_gap:
            self.stop_search()


def build(prep: Prepared, hint: dict[int, tuple[int, ...]] | None = None
          ) -> tuple[cp_model.CpModel, dict[int, list[tuple[cp_model.IntVar, int]]]]:
    """The model and, per exhibitor, its (variable, candidate index) pairs; `hint` (exhibitor → booths) is the
    warm start, given for every variable so CP-SAT starts from a complete solution."""
    hint = hint or {}
    m = cp_model.CpModel()
    xs: dict[int, list[tuple[cp_model.IntVar, int]]] = {}
    per_booth: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    holds: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    prime_terms = []
    objective = []
    with_rivals = {e for e in prep.candidates if prep.rivals[e]}
    for e, cands in prep.candidates.items():
        row = []
        community = prep.exhibitors[e].community
        for k, c in enumerate(cands):
            x = m.new_bool_var(f"x{e}_{k}")
            m.add_hint(x, hint.get(e) == c.booths)
            row.append((x, k))
            objective.append(c.value * x)
            for b in c.booths:
                per_booth[b].append(x)
                if e in with_rivals:
                    holds[(e, b)].append(x)
            if c.prime and not community:
                prime_terms.append(c.prime * x)
        if row:
            m.add_at_most_one(x for x, _ in row)
        xs[e] = row
    for lits in per_booth.values():
        if len(lits) > 1:
            m.add_at_most_one(lits)
    if prime_terms:
        m.add(sum(prime_terms) <= max(0, prep.allowance - prep.pinned_prime_outside))
    # Competitors: o[e, b] ⇔ e holds b; then o[e, b] ⇒ ¬o[f, b'] for every booth b' too close to b.
    occ: dict[int, dict[int, cp_model.IntVar]] = defaultdict(dict)
    for (e, b), lits in holds.items():
        o = m.new_bool_var(f"o{e}_{b}")
        m.add(sum(lits) == o)
        m.add_hint(o, b in hint.get(e, ()))
        occ[e][b] = o
    for e in with_rivals:
        for f in prep.rivals[e]:
            if f not in with_rivals or f < e:
                continue
            theirs = occ[f]
            for b, o in occ[e].items():
                near = [theirs[c] for c in (b, *prep.conflicts[b]) if c in theirs]
                if near:
                    m.add_bool_and([n.Not() for n in near]).only_enforce_if(o)
    m.maximize(sum(objective))
    return m, xs


def _exact(prep: Prepared, hint: dict[int, tuple[int, ...]], options: SolveOptions, time_limit: float,
           started: float, outside: list[float]) -> tuple[dict[int, tuple[int, ...]] | None, float, bool]:
    """The full model: (assignment or None, proven bound, proven optimal)."""
    model, xs = build(prep, hint)
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.max_time_in_seconds = max(0.1, time_limit)
    p.num_workers = max(1, options.workers)
    p.random_seed = options.seed
    p.log_search_progress = options.log
    if options.target_gap:
        p.relative_gap_limit = options.target_gap
    code = solver.solve(model, _Callback(options, prep.pinned_value, started, outside))
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, float("inf"), False
    chosen = dict(prep.pinned)
    for e, row in xs.items():
        for x, k in row:
            if solver.boolean_value(x):
                chosen[e] = prep.candidates[e][k].booths
    return chosen, math.floor(solver.best_objective_bound + 1e-6) + prep.pinned_value, code == cp_model.OPTIMAL


def solve(instance: Instance, options: SolveOptions | None = None) -> Solution:
    """Assign booths: greedy start, LP bound, the exact model on small fairs, then large-neighbourhood search;
    explanations for every exhibitor."""
    options = options or SolveOptions()
    started = time.monotonic()
    deadline = started + options.time_limit
    prep = prepare(instance)
    greedy = greedy_assign(prep)
    g_objective = to_assignments(prep, greedy)[2]
    best, best_objective = greedy, g_objective
    lp = lp_bound(prep, time_limit=max(1.0, options.time_limit * LP_SHARE))
    bound = lp if lp is not None else float("inf")
    proven = False

    def report(objective: float) -> None:
        if options.on_progress:
            options.on_progress(Progress(time.monotonic() - started, objective, max(bound, objective)))

    report(g_objective)
    size = sum(len(c) for c in prep.candidates.values())
    if size and size <= EXACT_MAX_VARS and relative_gap(best_objective, bound) > options.target_gap:
        share = EXACT_SMALL_SHARE if size <= EXACT_SMALL_VARS else EXACT_SHARE
        chosen, cp_bound, proven = _exact(prep, best, options, (deadline - time.monotonic()) * share, started,
                                          [bound] if bound != float("inf") else [])
        bound = min(bound, cp_bound)
        if chosen is not None:
            objective = to_assignments(prep, chosen)[2]
            if objective >= best_objective:
                best, best_objective = chosen, objective
        report(best_objective)
    if not proven and relative_gap(best_objective, bound) > options.target_gap and time.monotonic() < deadline:
        target = bound * (1 - options.target_gap) if bound != float("inf") else None
        best = improve(prep, best, deadline=deadline - EXPLAIN_RESERVE, seed=options.seed,
                       parallel=min(2, max(1, options.workers)), target=target, on_better=report, stop=options.stop)
    if bound == float("inf"):
        bound = float(best_objective)
    assignments, unassigned, objective = to_assignments(prep, best)
    bound = max(bound, float(objective))
    status = "OPTIMAL" if proven or relative_gap(objective, bound) <= 1e-9 else "FEASIBLE"
    solution = Solution(assignments=assignments, unassigned=unassigned, objective=float(objective), bound=bound,
                        status=status, greedy_objective=float(g_objective))
    solution.explanations = explain(prep, best)
    solution.wall_seconds = time.monotonic() - started
    report(solution.objective)
    return solution


def solve_greedy(instance: Instance) -> Solution:
    """The first-fit baseline as a solution (bound from the LP relaxation), with explanations."""
    started = time.monotonic()
    prep = prepare(instance)
    chosen = greedy_assign(prep)
    assignments, unassigned, objective = to_assignments(prep, chosen)
    lp = lp_bound(prep)
    solution = Solution(assignments=assignments, unassigned=unassigned, objective=float(objective),
                        bound=max(float(objective), lp if lp is not None else float(objective)), status="GREEDY",
                        greedy_objective=float(objective))
    solution.explanations = explain(prep, chosen)
    solution.wall_seconds = time.monotonic() - started
    return solution
