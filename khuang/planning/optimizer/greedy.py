"""A greedy baseline: the plan a careful person would make by hand, and the solver's warm start.

Version 1 (no weights, no limits) keeps the first-fit plan: by value per occupied day, earliest free start, smallest
room. Version 2 places each activity where it adds most to objective v2 (value, a week with no event yet, the
smallest room that fits) within the daily limits; among equal choices it takes the empty week that fewest other
proposals could fill, then the quietest week; a few rounds of single moves polish the plan.
"""

import time

import numpy as np

from .model import Assignment, Instance, Solution, objective_parts
from .prep import Occupancy, Option, Prepared, prepare
from .score import Placement, PlanState

POLISH_ROUNDS = 4


def lp_rounding(prep: Prepared, columns: list[tuple[int, str, int, float]]) -> list[tuple[int, str, int]]:
    """Round an LP plan: take its columns from the most to the least certain, keep each that still fits, then
    place what is left first-fit (version 2: within the limits, then greedily and polished)."""
    if not prep.is_v1:
        return _lp_rounding_v2(prep, columns)
    occ = Occupancy(prep)
    placed: list[tuple[int, str, int]] = []
    done: set[int] = set()
    order = sorted(columns, key=lambda c: (-c[3], -prep.value4(prep.activities[c[0]], c[2]), c[0], c[1], c[2]))
    for i, space, start, _ in order:
        if i in done:
            continue
        a = prep.activities[i]
        if occ.is_free(space, a, start):
            occ.take(space, a, start)
            placed.append((i, space, start))
            done.add(i)
    placed.extend(greedy_assign(prep, occupancy=occ, skip=done))
    return placed


def greedy_assign(prep: Prepared, *, occupancy: Occupancy | None = None,
                  skip: set[int] | None = None) -> list[tuple[int, str, int]]:
    """(activity index, space, event-start index) for each placed activity.

    Pinned activities first, then by value per occupied day (priority, preferred month), fewest options first;
    each goes to the earliest free start — a preferred-month start when one is free — in the smallest space
    that fits.
    """
    by_activity: dict[int, list] = {}
    for opt in prep.options:
        by_activity.setdefault(opt.activity, []).append(opt)

    def density(i: int) -> tuple:
        a = prep.activities[i]
        n = sum(len(o.starts) for o in by_activity.get(i, []))
        return (i not in prep.pinned, -a.priority * a.days / a.occupied_days, n, a.id)

    occ = occupancy or Occupancy(prep)
    placed: list[tuple[int, str, int]] = []
    for i in sorted(by_activity, key=density):
        if skip and i in skip:
            continue
        a = prep.activities[i]
        opts = sorted(by_activity[i], key=lambda o: (prep.spaces[o.space].capacity, o.space))
        best: tuple[int, str, int] | None = None
        for opt in opts:
            free = occ.free_starts(opt.space, a, opt.starts)
            if not len(free):
                continue
            preferred = [s for s in free.tolist() if prep.date_of(s).month in a.preferred_months]
            start = preferred[0] if preferred else int(free[0])
            key = (-prep.value4(a, start), start)
            if best is None or key < best[0]:
                best = (key, opt.space, start)
            if preferred:
                break
        if best is not None:
            occ.take(best[1], a, best[2])
            placed.append((i, best[1], best[2]))
    return placed


def _options_by_activity(prep: Prepared) -> dict[int, list[Option]]:
    by_activity: dict[int, list[Option]] = {}
    for opt in prep.options:
        by_activity.setdefault(opt.activity, []).append(opt)
    return by_activity


def _week_demand(prep: Prepared, opts: list[Option]) -> np.ndarray:
    """How one activity's possible starts spread over the weeks (sums to 1): its claim on each week."""
    out = np.zeros(max(1, prep.n_weeks))
    for o in opts:
        np.add.at(out, prep.week_of[o.starts], 1.0)
    total = out.sum()
    return out / total if total else out


def best_placement(prep: Prepared, state: PlanState, i: int, opts: list[Option],
                   demand: np.ndarray | None = None) -> tuple[int, str, int] | None:
    """(gain in units, space, start) of the best feasible placement of activity `i` in `state`, or None.

    Ties go to the start touching the weeks other proposals need least (`demand`), then the quietest week, the
    smallest room and the earliest day.
    """
    a = prep.activities[i]
    found = []
    for opt in opts:
        st = state.feasible(i, opt)
        if len(st):
            found.append((opt, st, state.gains(i, opt.space, st)))
    if not found:
        return None
    top = max(int(g.max()) for _, _, g in found)
    week_load = np.bincount(prep.week_of, weights=state.events, minlength=len(state.cover)) \
        if prep.has_weeks or prep.has_limits else None
    best_key, best = None, None
    for opt, st, g in found:
        sel = st[g == top]
        if not len(sel):
            continue
        k0, k1 = prep.week_of[sel], prep.week_of[sel + a.days - 1]
        zero = np.zeros(len(sel))
        need = demand[k0] + np.where(k1 != k0, demand[k1], 0.0) if demand is not None else zero
        load = week_load[k0] + np.where(k1 != k0, week_load[k1], 0.0) if week_load is not None else zero
        day_load = state.events[sel] if prep.has_limits else zero
        j = int(np.lexsort((sel, day_load, load, need))[0])
        key = (round(float(need[j]), 9), prep.spaces[opt.space].capacity, float(load[j]), int(day_load[j]),
               int(sel[j]), opt.space)
        if best_key is None or key < best_key:
            best_key, best = key, (top, opt.space, int(sel[j]))
    return best


def greedy_v2(prep: Prepared, *, state: PlanState | None = None, skip: set[int] | None = None,
              polish_rounds: int = POLISH_ROUNDS) -> PlanState:
    """Version-2 greedy: pinned first, then by value per occupied day; each to its best placement; polished."""
    by_activity = _options_by_activity(prep)
    state = state or PlanState(prep)

    def density(i: int) -> tuple:
        a = prep.activities[i]
        n = sum(len(o.starts) for o in by_activity.get(i, []))
        return (i not in prep.pinned, -a.priority * a.days / a.occupied_days, n, a.id)

    order = [i for i in sorted(by_activity, key=density) if not (skip and i in skip) and i not in state.where]
    demand_of = {i: _week_demand(prep, by_activity[i]) for i in order} if prep.has_weeks else {}
    demand = sum(demand_of.values()) if demand_of else None
    for i in order:
        if demand is not None:
            demand = demand - demand_of[i]
        best = best_placement(prep, state, i, by_activity[i], demand)
        if best is not None and (best[0] > 0 or i in prep.pinned):
            state.add(i, best[1], best[2])
    polish(prep, state, rounds=polish_rounds, by_activity=by_activity)
    return state


def polish(prep: Prepared, state: PlanState, *, rounds: int = POLISH_ROUNDS,
           by_activity: dict[int, list[Option]] | None = None) -> PlanState:
    """Single moves that raise objective v2: each planned activity to its best place, each unplanned one in."""
    by_activity = by_activity or _options_by_activity(prep)
    for _ in range(rounds):
        before = state.total
        for i in sorted(state.where):
            old = state.where[i]
            was = state.total
            state.remove(i)
            best = best_placement(prep, state, i, by_activity[i])
            if best is not None and state.total + best[0] > was:
                state.add(i, best[1], best[2])
            else:
                state.add(i, *old)
        for i in sorted(by_activity):
            if i not in state.where:
                best = best_placement(prep, state, i, by_activity[i])
                if best is not None and best[0] > 0:
                    state.add(i, best[1], best[2])
        if state.total <= before:
            break
    return state


def _lp_rounding_v2(prep: Prepared, columns: list[tuple[int, str, int, float]]) -> list[Placement]:
    state = PlanState(prep)
    done: set[int] = set()
    order = sorted(columns, key=lambda c: (-c[3], -prep.units(c[0], c[1], c[2]), c[0], c[1], c[2]))
    for i, space, start, _ in order:
        if i in done:
            continue
        one = np.array([start])
        opt = Option(activity=i, space=space, starts=one)
        if len(state.feasible(i, opt)):
            state.add(i, space, start)
            done.add(i)
    greedy_v2(prep, state=state)
    return state.placements()


def plan_units(prep: Prepared, placed: list[Placement]) -> int:
    """The integer objective (units) of a plan: value − oversize + week bonus, as every solver counts it."""
    return PlanState(prep, placed).total


def trivial_bound(prep: Prepared) -> float:
    """Every activity that has any option at its best value and room, every week active: valid but loose."""
    best: dict[int, float] = {}
    w = prep.instance.objective
    for o in prep.options:
        a = prep.activities[o.activity]
        v = max(prep.value4(a, int(d)) for d in o.starts) if a.preferred_months else prep.value4(a, int(o.starts[0]))
        cap = prep.spaces[o.space].capacity
        v = v / 4 - (w.oversize_penalty * (1 - a.attendees / cap) if cap > 0 else 0.0)
        best[o.activity] = max(best.get(o.activity, 0.0), v)
    weeks = 0
    if w.week_bonus > 0 and prep.options:
        covered = np.zeros(max(1, prep.n_weeks), dtype=bool)
        for o in prep.options:
            a = prep.activities[o.activity]
            covered[prep.week_of[o.starts]] = True
            covered[prep.week_of[o.starts + a.days - 1]] = True
            if a.days > 7:  # long events also touch the weeks in between
                for d in o.starts.tolist():
                    covered[prep.week_of[d]:prep.week_of[d + a.days - 1] + 1] = True
        weeks = int(covered.sum())
    return sum(best.values()) + w.week_bonus * weeks


def greedy_plan(prep: Prepared) -> list[Placement]:
    """The baseline plan of either version."""
    return greedy_assign(prep) if prep.is_v1 else greedy_v2(prep).placements()


def solve_greedy(instance: Instance) -> Solution:
    """The greedy baseline as a full Solution (its bound: every activity at its best, every week active)."""
    from .explain import explain_unscheduled, idle_weeks

    t0 = time.monotonic()
    prep = prepare(instance)
    placed = greedy_plan(prep)
    assignments = [Assignment(activity=prep.activities[i].id, space=s, start=prep.date_of(d)) for i, s, d in placed]
    done = {a.activity for a in assignments}
    parts = objective_parts(instance, assignments)
    unscheduled = [a.id for a in instance.activities if a.id not in done]
    return Solution(assignments=assignments, unscheduled=unscheduled, objective=parts.objective,
                    bound=max(trivial_bound(prep), parts.objective), status="GREEDY",
                    wall_seconds=time.monotonic() - t0, greedy_objective=parts.objective, parts=parts,
                    explanations=explain_unscheduled(prep, assignments, unscheduled),
                    idle_weeks=idle_weeks(prep, assignments))
