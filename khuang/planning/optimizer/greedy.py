"""A first-fit greedy baseline: the plan a careful person would make by hand, and the solver's warm start."""

import time

from .model import Assignment, Instance, Solution, objective_of
from .prep import Occupancy, Prepared, prepare


def lp_rounding(prep: Prepared, columns: list[tuple[int, str, int, float]]) -> list[tuple[int, str, int]]:
    """Round an LP plan: take its columns from the most to the least certain, keep each that still fits, then
    place what is left first-fit."""
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


def trivial_bound(prep: Prepared) -> float:
    """Every activity that has any option, at its best value: a valid but loose upper bound."""
    best: dict[int, int] = {}
    for o in prep.options:
        a = prep.activities[o.activity]
        v = max(prep.value4(a, int(d)) for d in o.starts) if a.preferred_months else prep.value4(a, int(o.starts[0]))
        best[o.activity] = max(best.get(o.activity, 0), v)
    return sum(best.values()) / 4


def solve_greedy(instance: Instance) -> Solution:
    """The first-fit baseline as a full Solution (its bound is the sum of all activities' best values)."""
    t0 = time.monotonic()
    prep = prepare(instance)
    placed = greedy_assign(prep)
    assignments = [Assignment(activity=prep.activities[i].id, space=s, start=prep.date_of(d)) for i, s, d in placed]
    done = {a.activity for a in assignments}
    objective = objective_of(instance, assignments)
    return Solution(assignments=assignments, unscheduled=[a.id for a in instance.activities if a.id not in done],
                    objective=objective, bound=trivial_bound(prep), status="GREEDY",
                    wall_seconds=time.monotonic() - t0, greedy_objective=objective)
