"""Dataclasses in and out of the optimizer. Dates are whole days; spans are inclusive like the exchange format."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from khuang.core import weeks

ACTIVITY_TYPES = ("seminar", "training", "conference", "exhibition", "trade_fair", "study_visit", "recreation",
                  "esports", "festival", "other")
PREFERRED_MONTH_BONUS = 0.25


@dataclass(frozen=True)
class Horizon:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class Space:
    code: str
    name: str = ""
    capacity: int = 0
    area_sqm: float | None = None
    parts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Closure:
    """A space cannot be used from `start` to `end` (inclusive)."""

    space: str
    start: date
    end: date
    reason: str = ""


@dataclass(frozen=True)
class Busy:
    """A span the diary already holds (a confirmed booking or a first-option hold), inclusive days."""

    space: str
    start: date
    end: date
    label: str = ""
    ref: str = ""  # the caller's key for the span (e.g. a booking id), so it can be shown per viewer
    agency: str = ""  # whose booking it is; explanations name other agencies' spans only through the caller
    event_start: date | None = None  # its event days (setup and teardown excluded); None = the whole span
    event_end: date | None = None

    @property
    def event_days(self) -> tuple[date, date]:
        """First and last event day (for weeks with an event: `khuang.core.weeks`)."""
        return self.event_start or self.start, self.event_end or self.end


@dataclass(frozen=True)
class Activity:
    id: str
    days: int
    title: str = ""
    agency: str = ""
    type: str = "other"
    setup_days: int = 0
    teardown_days: int = 0
    attendees: int = 0
    allowed_spaces: tuple[str, ...] | None = None  # None = any space that fits
    earliest: date | None = None
    latest_end: date | None = None
    fixed_start: date | None = None
    preferred_months: tuple[int, ...] = ()
    priority: int = 3

    @property
    def occupied_days(self) -> int:
        return self.setup_days + self.days + self.teardown_days

    def value(self, start: date) -> float:
        """The documented objective term of this activity when it starts on `start`."""
        bonus = PREFERRED_MONTH_BONUS if start.month in self.preferred_months else 0.0
        return self.priority * self.days * (1 + bonus)


@dataclass(frozen=True)
class Pin:
    """A planner's pin: keep this activity in `space` and/or on `start` when re-solving."""

    activity: str
    space: str | None = None
    start: date | None = None


@dataclass(frozen=True)
class Objective:
    """Version 2 of the exchange format: the planner's intent beyond value (zero weights = version 1)."""

    week_bonus: float = 0.0  # points per ISO week with at least one event day
    oversize_penalty: float = 0.0  # points per unit of oversize, 1 − attendees / capacity

    @property
    def is_v1(self) -> bool:
        return not self.week_bonus and not self.oversize_penalty


@dataclass(frozen=True)
class Limits:
    """One operations team: most activities with an event day, and most first occupied days, per calendar day."""

    max_events_per_day: int | None = None
    max_moveins_per_day: int | None = None

    @property
    def is_v1(self) -> bool:
        return self.max_events_per_day is None and self.max_moveins_per_day is None


@dataclass(frozen=True)
class Instance:
    horizon: Horizon
    spaces: tuple[Space, ...]
    closures: tuple[Closure, ...] = ()
    activities: tuple[Activity, ...] = ()
    busy: tuple[Busy, ...] = ()
    pins: tuple[Pin, ...] = ()
    objective: Objective = Objective()
    limits: Limits = Limits()


@dataclass(frozen=True)
class Assignment:
    activity: str
    space: str
    start: date


@dataclass(frozen=True)
class Alternative:
    """The nearest placement that would work: another space, or the closest free dates."""

    space: str
    start: date
    note: str = ""


@dataclass(frozen=True)
class Blocker:
    """Something in an unscheduled activity's way: a diary span, a closure, a planned activity or a full day.

    `kind` is busy | closure | activity | day_limit. `ref` is Busy.ref, the activity id, or "" (closure, day).
    `label` is the raw title: callers that show it to people mask it by `agency` (DESIGN: private titles never
    reach another agency).
    """

    kind: str
    space: str
    start: date
    end: date
    ref: str = ""
    label: str = ""
    agency: str = ""


@dataclass(frozen=True)
class Explanation:
    """Why an activity is unscheduled.

    `reason` is one of no_space, blocked, outcompeted, pin_blocked, day_limit (the days it could go already have
    the most events or move-ins the team can run; `full_days` names them).
    """

    reason: str
    message_en: str
    message_th: str
    blocking: tuple[str, ...] = ()
    nearest_alternative: Alternative | None = None
    blockers: tuple[Blocker, ...] = ()
    full_days: tuple[date, ...] = ()


@dataclass(frozen=True)
class Progress:
    elapsed: float
    objective: float
    bound: float

    @property
    def gap(self) -> float:
        return relative_gap(self.objective, self.bound)


@dataclass
class SolveOptions:
    time_limit: float = 30.0
    workers: int = 2
    seed: int = 0
    continuity_weight: float = 0.0  # objective points per week in which at least one planned event starts
    deterministic: bool = True  # same seed, same instance → same plan (interleaved parallel search)
    # Search effort in "seconds of an idle 2-core machine"; set it for plans that must not depend on the machine's
    # load (time_limit then only caps the wall clock). None = derived from time_limit.
    work_limit: float | None = None
    stop: Callable[[], bool] | None = None
    on_progress: Callable[[Progress], None] | None = None
    log: bool = False


@dataclass(frozen=True)
class IdleStretch:
    """The longest run of horizon days with no event day of any scheduled activity (inclusive)."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class ObjectiveParts:
    """Objective v2 and its parts: value + week_bonus × active_weeks − oversize_penalty × oversize_sum."""

    value: float
    active_weeks: int
    weeks_in_horizon: int
    oversize_sum: float
    objective: float
    longest_idle: IdleStretch | None = None
    max_events_in_a_day: int = 0
    max_moveins_in_a_day: int = 0


@dataclass
class Solution:
    assignments: list[Assignment]
    unscheduled: list[str]
    objective: float
    bound: float
    status: str
    wall_seconds: float = 0.0
    greedy_objective: float | None = None
    explanations: dict[str, Explanation] = field(default_factory=dict)
    idle_weeks: list[date] = field(default_factory=list)
    parts: ObjectiveParts | None = None  # objective v2 and its parts (set by every solver)

    @property
    def gap(self) -> float:
        return relative_gap(self.objective, self.bound)


def relative_gap(objective: float, bound: float) -> float:
    """(bound − objective) ÷ bound, 0 when both are 0."""
    if bound <= 1e-9:
        return 0.0
    return max(0.0, (bound - objective) / bound)


def objective_of(instance: Instance, assignments: list[Assignment]) -> float:
    """The documented objective (without the continuity term) of a set of assignments."""
    acts = {a.id: a for a in instance.activities}
    return sum(acts[x.activity].value(x.start) for x in assignments)


def event_days(activity: Activity, start: date) -> tuple[date, date]:
    return start, start + timedelta(days=activity.days - 1)


def objective_parts(instance: Instance, assignments: list[Assignment]) -> ObjectiveParts:
    """Objective v2 of a plan, computed directly from the definitions in DESIGN.md (the checker's reference)."""
    acts = {a.id: a for a in instance.activities}
    h = instance.horizon
    value = sum(acts[x.activity].value(x.start) for x in assignments)
    event_day: set[date] = set()
    events: dict[date, int] = {}
    moveins: dict[date, int] = {}
    oversize = 0.0
    caps = {s.code: s.capacity for s in instance.spaces}
    for x in assignments:
        a = acts[x.activity]
        for k in range(a.days):
            d = x.start + timedelta(days=k)
            event_day.add(d)
            events[d] = events.get(d, 0) + 1
        first = x.start - timedelta(days=a.setup_days)
        moveins[first] = moveins.get(first, 0) + 1
        cap = caps.get(x.space, 0)
        oversize += (1 - a.attendees / cap) if cap > 0 else 0.0
    active = weeks.active_weeks(h.start, h.end, ((d, d) for d in event_day))
    weeks_in_horizon = weeks.week_count(h.start, h.end)
    longest: IdleStretch | None = None
    run_start: date | None = None
    d = h.start
    while d <= h.end + timedelta(days=1):
        idle = d <= h.end and d not in event_day
        if idle and run_start is None:
            run_start = d
        elif not idle and run_start is not None:
            stretch = IdleStretch(run_start, d - timedelta(days=1))
            if longest is None or stretch.days > longest.days:
                longest = stretch
            run_start = None
        d += timedelta(days=1)
    w = instance.objective
    return ObjectiveParts(
        value=value, active_weeks=len(active), weeks_in_horizon=weeks_in_horizon, oversize_sum=oversize,
        objective=value + w.week_bonus * len(active) - w.oversize_penalty * oversize, longest_idle=longest,
        max_events_in_a_day=max(events.values(), default=0), max_moveins_in_a_day=max(moveins.values(), default=0),
    )
