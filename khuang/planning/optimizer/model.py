"""Dataclasses in and out of the optimizer. Dates are whole days; spans are inclusive like the exchange format."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

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
class Instance:
    horizon: Horizon
    spaces: tuple[Space, ...]
    closures: tuple[Closure, ...] = ()
    activities: tuple[Activity, ...] = ()
    busy: tuple[Busy, ...] = ()
    pins: tuple[Pin, ...] = ()


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
class Explanation:
    """Why an activity is unscheduled: `reason` is one of no_space, blocked, outcompeted, pin_blocked."""

    reason: str
    message_en: str
    message_th: str
    blocking: tuple[str, ...] = ()
    nearest_alternative: Alternative | None = None


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
