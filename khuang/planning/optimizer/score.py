"""A plan under construction, scored incrementally in integer units (objective v2, see `prep`).

`PlanState` keeps the rooms' occupancy, the number of events and move-ins on each day, and how many planned events
touch each ISO week, so that greedy construction, local moves, the neighbourhood search and the explanations all
count the week bonus and respect the daily limits in one place.
"""

import numpy as np

from .prep import Occupancy, Option, Prepared

Placement = tuple[int, str, int]  # (activity index, space, event-start day index)


class PlanState:
    """Occupancy, daily counts and week cover of a set of placements, with its integer objective."""

    def __init__(self, prep: Prepared, placed: list[Placement] | tuple = ()):
        self.prep = prep
        self.occ = Occupancy(prep)
        H = prep.horizon_days
        self.events = np.zeros(H, dtype=np.int32)
        self.moveins = np.zeros(H, dtype=np.int32)
        self.cover = np.zeros(max(1, prep.n_weeks), dtype=np.int32)
        self.where: dict[int, tuple[str, int]] = {}
        self.total = 0
        for i, s, d in placed:
            self.add(i, s, d)

    # -- changes -------------------------------------------------------------------------------------------------
    def add(self, i: int, space: str, start: int) -> None:
        prep = self.prep
        a = prep.activities[i]
        self.occ.take(space, a, start)
        self.events[start:start + a.days] += 1
        self.moveins[start - a.setup_days] += 1
        k0, k1 = prep.week_span(a, start)
        newly = int((self.cover[k0:k1 + 1] == 0).sum())
        self.cover[k0:k1 + 1] += 1
        self.total += prep.units(i, space, start) + prep.week_bonus_units * newly
        self.where[i] = (space, start)

    def remove(self, i: int) -> tuple[str, int]:
        prep = self.prep
        space, start = self.where.pop(i)
        a = prep.activities[i]
        self.occ.release(space, a, start)
        self.events[start:start + a.days] -= 1
        self.moveins[start - a.setup_days] -= 1
        k0, k1 = prep.week_span(a, start)
        self.cover[k0:k1 + 1] -= 1
        lost = int((self.cover[k0:k1 + 1] == 0).sum())
        self.total -= prep.units(i, space, start) + prep.week_bonus_units * lost
        return space, start

    def placements(self) -> list[Placement]:
        return [(i, s, d) for i, (s, d) in self.where.items()]

    # -- questions -----------------------------------------------------------------------------------------------
    def limit_ok(self, i: int, starts: np.ndarray) -> np.ndarray:
        """Which of `starts` keep every day within the limits (the activity itself not yet counted)."""
        prep = self.prep
        a = prep.activities[i]
        ok = np.ones(len(starts), dtype=bool)
        if prep.max_events is not None:
            full = np.concatenate([[0], np.cumsum(self.events >= prep.max_events, dtype=np.int32)])
            ok &= (full[starts + a.days] - full[starts]) == 0
        if prep.max_moveins is not None:
            ok &= self.moveins[starts - a.setup_days] < prep.max_moveins
        return ok

    def feasible(self, i: int, opt: Option, starts: np.ndarray | None = None) -> np.ndarray:
        """The starts of `opt` (or of `starts`) free in every part of its space and within the daily limits."""
        a = self.prep.activities[i]
        st = self.occ.free_starts(opt.space, a, opt.starts if starts is None else starts)
        if len(st) and self.prep.has_limits:
            st = st[self.limit_ok(i, st)]
        return st

    def gains(self, i: int, space: str, starts: np.ndarray) -> np.ndarray:
        """Units gained by adding activity `i` in `space` at each of `starts` (value − oversize + new weeks)."""
        prep = self.prep
        a = prep.activities[i]
        base = 4 * a.priority * a.days
        if a.preferred_months:
            vals = base + a.priority * a.days * np.isin(prep.months[starts], a.preferred_months)
        else:
            vals = np.full(len(starts), base)
        out = vals.astype(np.int64) * prep.unit - prep.over_cost(i, space)
        if prep.week_bonus_units:
            out += prep.week_bonus_units * self.new_weeks(a.days, starts)
        return out

    def new_weeks(self, days: int, starts: np.ndarray) -> np.ndarray:
        """How many weeks with no event yet each event span (of `days` days from `starts`) would touch."""
        empty = np.concatenate([[0], np.cumsum(self.cover == 0, dtype=np.int32)])
        k0 = self.prep.week_of[starts]
        k1 = self.prep.week_of[starts + days - 1]
        return empty[k1 + 1] - empty[k0]
