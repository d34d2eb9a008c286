"""The CP-SAT model of the annual plan.

Variables: for each activity, each space that fits it and each of {preferred month, other month}, an optional
fixed-size interval (setup + event + teardown) whose start domain holds only the days that are feasible on their own
(window, horizon, closures, diary). A no-overlap per atomic space keeps plans valid; at most one interval per
activity is present. The objective is the documented Σ priority × days × (1 + 0.25·[preferred month]), scaled by 4 to
stay integral.

For a strong proven bound the model also carries redundant "energy" rows: on each atomic space and each run of
consecutive months, the occupied days of the intervals that must lie inside the run cannot exceed its free days.
Their LP relaxation is a knapsack with windows, which is what limits a busy centre. A first-fit greedy plan is the
warm start, identical proposals are ordered to break symmetry, and the search is CP-SAT's portfolio (LNS included).
"""

import math
import threading
import time
from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
from ortools.sat.python import cp_model

from .bound import lp_bound
from .explain import explain_unscheduled, idle_weeks
from .greedy import greedy_plan, lp_rounding, polish, trivial_bound
from .lns import improve
from .model import Assignment, Instance, Progress, Solution, SolveOptions, objective_parts
from .prep import Prepared, prepare
from .score import PlanState

LP_SHARE = 0.25  # at most this share of the time limit goes to the LP bound
EXACT_MAX_STARTS = 300_000  # larger instances skip the exact phase: building it costs more than it finds
EXACT_SMALL_STARTS = 20_000  # up to this size the exact model usually proves optimality: give it most of the time
EXACT_SMALL_SHARE = 0.6
EXACT_SHARE = 0.15  # share of the remaining time for the exact model before the neighbourhood search
# Deterministic work per wall second, measured on a 2-core machine; budgets in work keep runs reproducible, and
# the wall-clock limit (× WALL_SAFETY for the exact phase) only cuts in on a much slower machine.
LNS_WORK_PER_SECOND = 0.75
EXACT_WORK_PER_SECOND = 0.10
WALL_SAFETY = 1.5
SCALE = 4  # objective values are 4 × the documented value, so the 0.25 bonus stays integral


def _runs(values: np.ndarray) -> list[list[int]]:
    """[[lo, hi], ...] of consecutive integers in a sorted array (a CP-SAT domain)."""
    if not len(values):
        return []
    breaks = np.nonzero(np.diff(values) > 1)[0]
    starts = np.concatenate([[0], breaks + 1])
    ends = np.concatenate([breaks, [len(values) - 1]])
    return [[int(values[s]), int(values[e])] for s, e in zip(starts, ends, strict=True)]


def _blocks(prep: Prepared) -> list[int]:
    """Day indices where the energy windows may begin: months, or quarters/years on long horizons."""
    h = prep.instance.horizon
    firsts = [0]
    d = date(h.start.year, h.start.month, 1)
    while True:
        d = (d.replace(day=28) + timedelta(days=4)).replace(day=1)
        if d > h.end:
            break
        firsts.append((d - h.start).days)
    if len(firsts) > 15:
        firsts = firsts[::3] if len(firsts) <= 48 else firsts[::12]
    return firsts


class _Model:
    """Builds the CP-SAT model from a prepared instance and reads plans back."""

    def __init__(self, prep: Prepared, options: SolveOptions, force_pins: bool = True):
        self.prep = prep
        self.m = cp_model.CpModel()
        self.vars: list[tuple[int, str, cp_model.IntVar, cp_model.IntVar, int]] = []  # (act, space, x, occ, setup)
        self.by_activity: dict[int, list[int]] = defaultdict(list)
        months = np.array([prep.date_of(d).month for d in range(prep.horizon_days)], dtype=np.int8)
        per_leaf: dict[str, list] = defaultdict(list)
        energy: list[tuple[cp_model.IntVar, int, int, int, tuple[str, ...]]] = []
        objective = []
        events: list = []  # optional intervals of the event days, for the daily limit (version 2)
        moveins: list = []  # one-day optional intervals on the first occupied day
        for opt in prep.options:
            a = prep.activities[opt.activity]
            pref = np.isin(months[opt.starts], list(a.preferred_months)) if a.preferred_months else \
                np.zeros(len(opt.starts), dtype=bool)
            for is_pref in (True, False):
                starts = opt.starts[pref] if is_pref else opt.starts[~pref]
                if not len(starts):
                    continue
                occ_starts = starts - a.setup_days
                L = a.occupied_days
                x = self.m.new_bool_var(f"x_{a.id}_{opt.space}_{int(is_pref)}")
                occ = self.m.new_int_var_from_domain(cp_model.Domain.from_intervals(_runs(occ_starts)),
                                                     f"o_{a.id}_{opt.space}_{int(is_pref)}")
                interval = self.m.new_optional_fixed_size_interval_var(occ, L, x, f"i_{a.id}_{opt.space}")
                for leaf in prep.leaves[opt.space]:
                    per_leaf[leaf].append(interval)
                energy.append((x, L, int(occ_starts[0]), int(occ_starts[-1]) + L - 1, prep.leaves[opt.space]))
                self.by_activity[opt.activity].append(len(self.vars))
                self.vars.append((opt.activity, opt.space, x, occ, a.setup_days))
                objective.append(((SCALE + (1 if is_pref else 0)) * a.priority * a.days * prep.unit
                                  - prep.over_cost(opt.activity, opt.space)) * x)
                if prep.max_events is not None:
                    events.append(self.m.new_optional_fixed_size_interval_var(occ + a.setup_days, a.days, x, ""))
                if prep.max_moveins is not None:
                    moveins.append(self.m.new_optional_fixed_size_interval_var(occ, 1, x, ""))
        for i, idx in self.by_activity.items():
            lits = [self.vars[k][2] for k in idx]
            if force_pins and i in prep.pinned:
                self.m.add_exactly_one(lits)
            else:
                self.m.add_at_most_one(lits)
        for intervals in per_leaf.values():
            if len(intervals) > 1:
                self.m.add_no_overlap(intervals)
        self._energy_rows(energy)
        self._break_symmetry()
        if prep.max_events is not None and len(events) > prep.max_events:
            self.m.add_cumulative(events, [1] * len(events), prep.max_events)
        if prep.max_moveins is not None and len(moveins) > prep.max_moveins:
            self.m.add_cumulative(moveins, [1] * len(moveins), prep.max_moveins)
        if prep.has_weeks:
            objective.extend(self._weeks())
        self.m.maximize(sum(objective))

    def _energy_rows(self, energy) -> None:
        prep = self.prep
        firsts = _blocks(prep)
        ends = [*firsts[1:], prep.horizon_days]
        free = {leaf: np.concatenate([[0], np.cumsum(~arr, dtype=np.int32)]) for leaf, arr in prep.blocked.items()}
        rows: dict[tuple[str, int, int], list] = defaultdict(list)
        for x, L, lo, hi, leaves in energy:
            # the windows [firsts[i], ends[j]) that contain [lo, hi]
            i_max = int(np.searchsorted(firsts, lo, side="right")) - 1
            j_min = int(np.searchsorted(ends, hi, side="right"))
            for i in range(0, i_max + 1):
                for j in range(j_min, len(ends)):
                    for leaf in leaves:
                        rows[(leaf, i, j)].append((x, L))
        for (leaf, i, j), terms in rows.items():
            capacity = int(free[leaf][ends[j]] - free[leaf][firsts[i]])
            if sum(L for _, L in terms) > capacity:
                self.m.add(sum(L * x for x, L in terms) <= capacity)

    def _break_symmetry(self) -> None:
        """Interchangeable proposals: the first in id order is planned whenever a later one is."""
        groups: dict[tuple, list[int]] = defaultdict(list)
        for i, a in enumerate(self.prep.activities):
            if i in self.prep.pinned or i not in self.by_activity:
                continue
            key = (a.days, a.setup_days, a.teardown_days, a.priority, a.earliest, a.latest_end, a.fixed_start,
                   a.preferred_months, tuple(self.prep.candidates[i]))
            if self.prep.over_costs:  # rooms cost by audience: only equal audiences are interchangeable
                key = (*key, a.attendees)
            groups[key].append(i)
        for members in groups.values():
            members.sort(key=lambda i: self.prep.activities[i].id)
            for first, second in zip(members, members[1:], strict=False):
                self.m.add(sum(self.vars[k][2] for k in self.by_activity[first])
                           >= sum(self.vars[k][2] for k in self.by_activity[second]))

    def _weeks(self) -> list:
        """Objective v2's week bonus: week k earns it when some planned event has a day in it.

        Per activity a start variable (equal to the chosen interval's event start) and, per week its events could
        touch, a literal that implies the activity is planned with an event day in that week.
        """
        prep = self.prep
        covering: dict[int, list] = defaultdict(list)
        for i, idx in self.by_activity.items():
            a = prep.activities[i]
            start = self.m.new_int_var(0, prep.horizon_days - 1, f"s_{i}")
            scheduled = sum(self.vars[k][2] for k in idx)
            weeks: set[int] = set()
            for k in idx:
                _, _, x, occ, setup = self.vars[k]
                self.m.add(occ + setup == start).only_enforce_if(x)
                dom = list(occ.proto.domain)
                for lo, hi in zip(dom[::2], dom[1::2], strict=True):
                    weeks.update(range(int(prep.week_of[lo + setup]), int(prep.week_of[hi + setup + a.days - 1]) + 1))
            mine = []
            for w in sorted(weeks):
                b = self.m.new_bool_var(f"w_{i}_{w}")
                lo, hi = prep.week_days(w)
                self.m.add(start >= lo - a.days + 1).only_enforce_if(b)
                self.m.add(start <= hi - 1).only_enforce_if(b)
                self.m.add(scheduled >= 1).only_enforce_if(b)
                covering[w].append(b)
                mine.append(b)
            most = 1 + -(-(a.days - 1) // 7)  # the weeks one event can touch
            self.m.add(sum(mine) <= most * scheduled)
        terms = []
        for w, bs in sorted(covering.items()):
            y = self.m.new_bool_var(f"week_{w}")
            self.m.add(y <= sum(bs))
            terms.append(prep.week_bonus_units * y)
        return terms

    def hint(self, placed: list[tuple[int, str, int]]) -> None:
        chosen = {(i, s): d for i, s, d in placed}
        for i, s, x, occ, setup in self.vars:
            d = chosen.get((i, s))
            ok = d is not None and _in_domain(list(occ.proto.domain), d - setup)
            self.m.add_hint(x, bool(ok))
            if ok:
                self.m.add_hint(occ, d - setup)

    def read(self, solver: cp_model.CpSolver) -> list[tuple[int, str, int]]:
        return [(i, s, int(solver.value(occ)) + setup) for i, s, x, occ, setup in self.vars if solver.boolean_value(x)]


def _in_domain(domain, value: int) -> bool:
    return any(lo <= value <= hi for lo, hi in zip(domain[::2], domain[1::2], strict=True))


class _Reporter:
    """Progress as the planner sees it: objective v2 of the best plan so far and the best proven bound.

    The objective reported never falls and the bound never rises; the plan behind the best objective is kept, so
    the final answer is at least as good as anything reported during the run.
    """

    def __init__(self, prep: Prepared, options: SolveOptions, t0: float):
        self.prep = prep
        self.options = options
        self.t0 = t0
        self.objective = float("-inf")
        self.plan: list[tuple[int, str, int]] | None = None
        self.bound = float("inf")
        self.lock = threading.Lock()

    def plan_found(self, placed: list[tuple[int, str, int]]) -> None:
        value = _objective(self.prep, placed)
        with self.lock:
            if value > self.objective + 1e-12:
                self.objective, self.plan = value, list(placed)
        self.emit()

    def bound_found(self, bound: float) -> None:
        with self.lock:
            self.bound = min(self.bound, bound)
        self.emit()

    def emit(self) -> None:
        if self.options.on_progress and self.plan is not None:
            self.options.on_progress(Progress(elapsed=time.monotonic() - self.t0, objective=self.objective,
                                              bound=max(self.bound, self.objective)))


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, model: "_Model", reporter: _Reporter):
        super().__init__()
        self.model = model
        self.reporter = reporter

    def on_solution_callback(self) -> None:
        placed = [(i, sp, int(self.value(occ)) + setup) for i, sp, x, occ, setup in self.model.vars
                  if self.boolean_value(x)]
        self.reporter.bound_found(self.best_objective_bound / self.model.prep.scale)
        self.reporter.plan_found(placed)
        options = self.reporter.options
        if options.stop and options.stop():
            self.stop_search()


def _effective(instance: Instance, options: SolveOptions) -> Instance:
    """The deprecated `continuity_weight` option is an alias of the week bonus (when the input sets none)."""
    if options.continuity_weight > 0 and not instance.objective.week_bonus:
        return replace(instance, objective=replace(instance.objective, week_bonus=options.continuity_weight))
    return instance


def solve(instance: Instance, options: SolveOptions | None = None) -> Solution:
    """Maximise objective v2 (DESIGN.md) within the time limit; report objective, proven bound and gap.

    1. a greedy plan and the LP relaxation (the proven bound), whose rounding is a second plan;
    2. the exact CP-SAT model, briefly, which settles small instances to proven optimality;
    3. large-neighbourhood search on the best plan for the rest of the time.
    Every phase is budgeted in deterministic work, so a seed gives the same plan unless the wall-clock limit
    cuts in first (a much slower or busy machine). Progress reports objective v2 and the bound on it; the
    objective reported never falls, the bound never rises, and the final figures are at least as good.
    """
    options = options or SolveOptions()
    t0 = time.monotonic()
    deadline = t0 + options.time_limit
    instance = _effective(instance, options)
    prep = prepare(instance)
    reporter = _Reporter(prep, options, t0)
    best = greedy_plan(prep)
    greedy_value = _objective(prep, best)
    lp = lp_bound(prep, time_limit=options.time_limit * LP_SHARE, seed_plan=best, target=greedy_value)
    reporter.bound_found(lp.bound if lp is not None else trivial_bound(prep))
    if lp is not None and lp.columns:
        rounded = lp_rounding(prep, lp.columns)
        if _units(prep, rounded) > _units(prep, best) or not _keeps_pins(prep, best):
            best = rounded
    reporter.plan_found(best)
    status = "FEASIBLE"
    if not _done(prep, reporter, best) and not _stopped(options):
        starts = sum(len(o.starts) for o in prep.options)
        small = starts <= EXACT_MAX_STARTS
        budget = 0.0
        if small:
            budget = _work_left(options, deadline, spent=0.0) * (
                EXACT_SMALL_SHARE if starts <= EXACT_SMALL_STARTS else EXACT_SHARE)
            status, found = _run(prep, options, best, reporter, budget=budget, force_pins=bool(prep.pinned),
                                 wall_cap=_remaining(deadline))
            if found is not None and _units(prep, found) >= _units(prep, best):
                best = found
        if status != "OPTIMAL" and not _stopped(options):
            lns_work = _work_left(options, deadline, spent=budget)
            if options.work_limit is None:
                lns_work *= LNS_WORK_PER_SECOND
            target = _target(prep, reporter.bound)
            best = improve(prep, best, deadline=time.monotonic() + _remaining(deadline), seed=options.seed,
                           work=lns_work, target=target, parallel=max(1, min(options.workers, 4)),
                           on_better=reporter.plan_found, stop=options.stop)
            if not prep.is_v1:  # whatever still fits after the search goes in
                state = PlanState(prep, best)
                polish(prep, state, rounds=1)
                best = state.placements()
            status = "FEASIBLE"
    reporter.plan_found(best)
    best = reporter.plan if reporter.plan is not None else best
    if status == "OPTIMAL" or _done(prep, reporter, best):
        status = "OPTIMAL"
        reporter.bound_found(max(_objective(prep, best), min(reporter.bound, _units(prep, best) / prep.scale)))
    assignments = _assignments(prep, best)
    parts = objective_parts(instance, assignments)
    done = {a.activity for a in assignments}
    unscheduled = [a.id for a in instance.activities if a.id not in done]
    explanations = explain_unscheduled(prep, assignments, unscheduled)
    return Solution(
        assignments=assignments, unscheduled=unscheduled, objective=parts.objective,
        bound=max(reporter.bound, parts.objective), status=status if not _stopped(options) else "STOPPED",
        greedy_objective=greedy_value, explanations=explanations, idle_weeks=idle_weeks(prep, assignments),
        wall_seconds=time.monotonic() - t0, parts=parts,
    )


def _objective(prep: Prepared, placed) -> float:
    """Objective v2 of a plan, exactly (floating point), as DESIGN.md defines it."""
    return objective_parts(prep.instance, _assignments(prep, placed)).objective


def _units(prep: Prepared, placed) -> int:
    return PlanState(prep, placed).total


def _tolerance(prep: Prepared, bound: float) -> float:
    """How far below the bound a plan still counts as optimal: the rounding of the weights to integer units
    (under one unit per activity) and the LP's floating point."""
    return max(1e-6 * max(1.0, abs(bound)), (len(prep.activities) + 1) / prep.scale)


def _target(prep: Prepared, bound: float) -> int:
    """The integer objective at which the search may stop: the bound reached."""
    if prep.is_v1:
        return int(bound * prep.scale - 0.5) + 1
    return math.floor((bound - _tolerance(prep, bound)) * prep.scale)


def _done(prep: Prepared, reporter: _Reporter, placed) -> bool:
    """The plan meets the proven bound (up to the integer rounding of the weights)."""
    if prep.is_v1:
        return _units(prep, placed) >= reporter.bound * prep.scale - 0.5
    return _objective(prep, placed) >= reporter.bound - _tolerance(prep, reporter.bound)


def _keeps_pins(prep: Prepared, placed) -> bool:
    return prep.pinned <= {i for i, _, _ in placed}


def _work_left(options: SolveOptions, deadline: float, *, spent: float) -> float:
    """Seconds of budget left: the explicit work limit (reproducible on any load) or the wall clock."""
    if options.work_limit is not None:
        return max(0.0, options.work_limit - spent)
    return _remaining(deadline)


def _remaining(deadline: float) -> float:
    return max(0.0, deadline - time.monotonic())


def _stopped(options: SolveOptions) -> bool:
    return bool(options.stop and options.stop())


def _assignments(prep: Prepared, placed) -> list[Assignment]:
    return [Assignment(activity=prep.activities[i].id, space=s, start=prep.date_of(d)) for i, s, d in placed]


def _run(prep: Prepared, options: SolveOptions, placed, reporter: _Reporter, *, budget: float, force_pins: bool,
         wall_cap: float):
    """The exact model for `budget` seconds (in deterministic work when options.deterministic)."""
    model = _Model(prep, options, force_pins=force_pins)
    model.hint(placed)
    solver = cp_model.CpSolver()
    p = solver.parameters
    wall = budget * (WALL_SAFETY if options.deterministic else 1.0) if options.work_limit is None else wall_cap
    p.max_time_in_seconds = max(0.5, min(wall, wall_cap + 0.5))
    p.num_workers = max(1, options.workers)
    p.random_seed = options.seed
    p.log_search_progress = options.log
    if options.deterministic:
        p.interleave_search = True
        p.max_deterministic_time = max(0.1, budget * EXACT_WORK_PER_SECOND)
    progress = _Progress(model, reporter)
    done = threading.Event()
    if options.stop:
        def watch() -> None:
            while not done.wait(0.2):
                if options.stop():
                    solver.stop_search()
                    return
        threading.Thread(target=watch, daemon=True).start()
    try:
        code = solver.solve(model.m, progress)
    finally:
        done.set()
    status = solver.status_name(code)
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        reporter.bound_found(solver.best_objective_bound / prep.scale)
        return status, model.read(solver)
    return status, None
