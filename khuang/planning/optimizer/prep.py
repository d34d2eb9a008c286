"""What every solver needs from an instance: day indices, atomic parts, blocked days and each activity's options.

An option is (activity, space, feasible event-start days): the days on which the activity could start in that
space if nothing else were planned — inside its window and the horizon, clear of closures and of the diary's busy
spans on every atomic part of the space.

Solvers compare plans in integer "units": `scale` units per point of objective v2. The value of a start is
`value4 × unit` (exact); a week with an event is worth `week_bonus_units` (rounded up) and an oversized room costs
`over_cost` (rounded down), so the integer objective of a plan is never below `scale` × its true objective and a
bound proven on the integers is a bound on objective v2. Version-1 instances keep scale 4 (exact, as before).
"""

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from khuang.core import weeks

from .io import InstanceError
from .model import Activity, Instance, Space


@dataclass
class Option:
    activity: int  # index into Prepared.activities
    space: str
    starts: np.ndarray  # sorted event-start day indices that are feasible on their own


@dataclass
class Prepared:
    instance: Instance
    horizon_days: int
    activities: list[Activity]
    spaces: dict[str, Space]
    leaves: dict[str, tuple[str, ...]]  # space → its atomic parts (itself when atomic)
    blocked: dict[str, np.ndarray]  # atomic space → bool per day
    candidates: dict[int, list[str]]  # activity index → spaces that fit (capacity, allowed, pin)
    options: list[Option] = field(default_factory=list)
    pinned: set[int] = field(default_factory=set)
    months: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))  # month of each day index
    # Version 2 (see the module docstring); defaults are version 1.
    unit: int = 1  # integer units per value4 point
    week_bonus_units: int = 0
    over_costs: dict[tuple[int, str], int] = field(default_factory=dict)  # (activity, space) → units, when > 0
    week_of: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))  # ISO week index of each day
    n_weeks: int = 0
    max_events: int | None = None
    max_moveins: int | None = None

    @property
    def scale(self) -> int:
        """Integer units per point of objective v2."""
        return 4 * self.unit

    @property
    def is_v1(self) -> bool:
        """No week bonus, no oversize penalty and no limits: the documented version-1 objective alone."""
        return not self.week_bonus_units and not self.over_costs and self.max_events is None \
            and self.max_moveins is None

    @property
    def has_weeks(self) -> bool:
        return self.week_bonus_units > 0

    @property
    def has_limits(self) -> bool:
        return self.max_events is not None or self.max_moveins is not None

    def over_cost(self, i: int, space: str) -> int:
        return self.over_costs.get((i, space), 0)

    def units(self, i: int, space: str, start_index: int) -> int:
        """Integer units of one placement, without the week bonus (value − oversize)."""
        return self.value4(self.activities[i], start_index) * self.unit - self.over_costs.get((i, space), 0)

    def week_span(self, a: Activity, start_index: int) -> tuple[int, int]:
        """First and last ISO-week index touched by the event days of `a` starting at `start_index`."""
        return int(self.week_of[start_index]), int(self.week_of[start_index + a.days - 1])

    def week_days(self, k: int) -> tuple[int, int]:
        """Day indices [lo, hi) of ISO week `k` inside the horizon (`khuang.core.weeks`)."""
        start = self.instance.horizon.start
        lo = (weeks.week_monday(start) - start).days + 7 * k
        return max(0, lo), min(self.horizon_days, lo + 7)

    def day(self, d: date) -> int:
        return (d - self.instance.horizon.start).days

    def date_of(self, index: int) -> date:
        return self.instance.horizon.start + timedelta(days=int(index))

    def value4(self, a: Activity, start_index: int) -> int:
        """Four times the documented value, as an integer: 4·p·d, plus p·d in a preferred month."""
        base = 4 * a.priority * a.days
        return base + (a.priority * a.days if self.date_of(start_index).month in a.preferred_months else 0)


def atomic_parts(spaces: dict[str, Space]) -> dict[str, tuple[str, ...]]:
    """Each space's atomic parts, following nested combinations."""
    out: dict[str, tuple[str, ...]] = {}

    def leaves(code: str, depth: int = 0) -> tuple[str, ...]:
        if code in out:
            return out[code]
        if depth > len(spaces):
            raise InstanceError(f"parts of {code!r} form a cycle", field="spaces.parts")
        s = spaces[code]
        res = tuple(sorted({leaf for p in s.parts for leaf in leaves(p, depth + 1)})) if s.parts else (code,)
        out[code] = res
        return res

    for code in spaces:
        leaves(code)
    return out


def prepare(instance: Instance) -> Prepared:
    """Index the instance and compute every activity's standalone-feasible options."""
    H = instance.horizon.days
    spaces = {s.code: s for s in instance.spaces}
    leaves = atomic_parts(spaces)
    atoms = sorted({leaf for ls in leaves.values() for leaf in ls})
    blocked = {a: np.zeros(H, dtype=bool) for a in atoms}
    start = instance.horizon.start
    for span in [*instance.closures, *instance.busy]:
        if span.space not in leaves:
            continue
        lo, hi = max(0, (span.start - start).days), min(H - 1, (span.end - start).days)
        if lo > hi:
            continue
        for leaf in leaves[span.space]:
            blocked[leaf][lo:hi + 1] = True
    prep = Prepared(instance=instance, horizon_days=H, activities=list(instance.activities), spaces=spaces,
                    leaves=leaves, blocked=blocked, candidates={})
    prep.months = np.array([(start + timedelta(days=d)).month for d in range(H)], dtype=np.int8)
    prep.week_of = np.array([weeks.week_index(start, start + timedelta(days=d)) for d in range(H)], dtype=np.int32)
    prep.n_weeks = weeks.week_count(start, instance.horizon.end)
    pins = {p.activity: p for p in instance.pins}
    # Prefix sums of blocked days per space (over all its parts), for O(1) "is this span clear?" tests.
    clear_cache: dict[tuple[str, int], np.ndarray] = {}
    cumsum: dict[str, np.ndarray] = {}

    def clear_starts(code: str, length: int) -> np.ndarray:
        key = (code, length)
        if key not in clear_cache:
            if code not in cumsum:
                any_blocked = np.zeros(H, dtype=bool)
                for leaf in leaves[code]:
                    any_blocked |= blocked[leaf]
                cumsum[code] = np.concatenate([[0], np.cumsum(any_blocked, dtype=np.int32)])
            cs = cumsum[code]
            n = H - length + 1
            clear_cache[key] = (cs[length:length + n] - cs[:n]) == 0 if n > 0 else np.zeros(0, dtype=bool)
        return clear_cache[key]

    for i, a in enumerate(prep.activities):
        pin = pins.get(a.id)
        allowed = list(a.allowed_spaces) if a.allowed_spaces is not None else list(spaces)
        cands = [c for c in allowed if spaces[c].capacity >= a.attendees]
        if pin is not None and pin.space is not None:
            cands = [c for c in cands if c == pin.space] if pin.space in cands else [pin.space]
        prep.candidates[i] = cands
        if pin is not None:
            prep.pinned.add(i)
        L = a.occupied_days
        lo = max(prep.day(a.earliest or start), a.setup_days)
        hi = min(prep.day(a.latest_end or instance.horizon.end) - a.days + 1, H - L + a.setup_days)
        fixed = pin.start if pin is not None and pin.start is not None else a.fixed_start
        if fixed is not None:
            f = prep.day(fixed)
            lo, hi = max(lo, f), min(hi, f)
            if pin is not None and pin.start is not None:  # a pinned date may lie outside the proposal's window
                lo, hi = f, f
                if f - a.setup_days < 0 or f - a.setup_days + L > H:
                    continue
        if lo > hi:
            continue
        for code in cands:
            mask = clear_starts(code, L)[lo - a.setup_days:hi - a.setup_days + 1]
            starts = np.nonzero(mask)[0] + lo
            if len(starts):
                prep.options.append(Option(activity=i, space=code, starts=starts.astype(np.int64)))
    _version2(prep)
    return prep


V2_UNIT = 100_000  # units per value4 point when the objective has weights: 1/400,000 of a point


def _version2(prep: Prepared) -> None:
    """Integer weights of objective v2 and the limits; nothing changes for a version-1 instance."""
    inst = prep.instance
    w, lim = inst.objective, inst.limits
    prep.max_events, prep.max_moveins = lim.max_events_per_day, lim.max_moveins_per_day
    if w.is_v1:
        return
    prep.unit = V2_UNIT
    scale = prep.scale
    # Rounded so that the integer objective is never below scale × the true one (bounds stay proven).
    prep.week_bonus_units = math.ceil(w.week_bonus * scale - 1e-9) if w.week_bonus > 0 else 0
    if w.oversize_penalty > 0:
        for i, cands in prep.candidates.items():
            a = prep.activities[i]
            for code in cands:
                cap = prep.spaces[code].capacity
                if cap > 0:
                    cost = math.floor(w.oversize_penalty * (1 - a.attendees / cap) * scale + 1e-9)
                    if cost:  # negative only for a pin into a room too small: a bonus, kept exact
                        prep.over_costs[(i, code)] = cost


class Occupancy:
    """Days taken per atomic space while building or checking a plan."""

    def __init__(self, prep: Prepared):
        self.prep = prep
        self.taken = {leaf: arr.copy() for leaf, arr in prep.blocked.items()}
        self.planned = {leaf: np.zeros(prep.horizon_days, dtype=bool) for leaf in prep.blocked}

    def span(self, a: Activity, start_index: int) -> tuple[int, int]:
        lo = start_index - a.setup_days
        return lo, lo + a.occupied_days

    def is_free(self, space: str, a: Activity, start_index: int) -> bool:
        lo, hi = self.span(a, start_index)
        return lo >= 0 and hi <= self.prep.horizon_days and not any(
            self.taken[leaf][lo:hi].any() for leaf in self.prep.leaves[space])

    def take(self, space: str, a: Activity, start_index: int) -> None:
        lo, hi = self.span(a, start_index)
        for leaf in self.prep.leaves[space]:
            self.taken[leaf][lo:hi] = True
            self.planned[leaf][lo:hi] = True

    def release(self, space: str, a: Activity, start_index: int) -> None:
        """Undo `take` (the diary and closures stay)."""
        lo, hi = self.span(a, start_index)
        for leaf in self.prep.leaves[space]:
            self.taken[leaf][lo:hi] = self.prep.blocked[leaf][lo:hi]
            self.planned[leaf][lo:hi] = False

    def free_starts(self, space: str, a: Activity, starts: np.ndarray) -> np.ndarray:
        """The subset of `starts` whose whole occupied span is free on every part of `space`."""
        taken = np.zeros(self.prep.horizon_days, dtype=bool)
        for leaf in self.prep.leaves[space]:
            taken |= self.taken[leaf]
        cs = np.concatenate([[0], np.cumsum(taken, dtype=np.int32)])
        lo = starts - a.setup_days
        return starts[(cs[lo + a.occupied_days] - cs[lo]) == 0]
