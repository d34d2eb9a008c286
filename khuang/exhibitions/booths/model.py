"""Dataclasses in and out of the booth optimizer. Lengths are metres; (x, y) is a booth's top-left corner with
x to the right and y down the plan (the SVG convention)."""

from collections.abc import Callable
from dataclasses import dataclass, field

BOOTH_TYPES = ("inline", "corner", "peninsula", "island")


@dataclass(frozen=True)
class Booth:
    code: str
    x: float
    y: float
    width: float
    depth: float
    type: str = "inline"
    power: bool = False
    water: bool = False
    zone: str = ""
    prime: bool = False  # a good position (main aisle, entrance); a quota of these is kept for community producers

    @property
    def x2(self) -> float:
        return self.x + self.width

    @property
    def y2(self) -> float:
        return self.y + self.depth


@dataclass(frozen=True)
class Exhibitor:
    id: str
    booths: int = 1  # how many booths it wants; placed means exactly this many, side by side
    name: str = ""
    type: str | None = None  # wanted booth type (a preference): at least one of its booths of this type
    power: bool = False  # needs power: at least one of its booths has it (hard)
    water: bool = False  # needs water: at least one of its booths has it (hard)
    zones: tuple[str, ...] = ()  # preferred zones (a preference), each booth inside one counts
    community: bool = False  # community enterprise / OTOP producer
    priority: int = 1  # priority points, worth that much per booth placed
    competitors: tuple[str, ...] = ()  # exhibitor ids to keep apart (either side declaring it is enough)


@dataclass(frozen=True)
class Pin:
    """Staff's pin: this exhibitor keeps exactly these booths when re-solving."""

    exhibitor: str
    booths: tuple[str, ...]


@dataclass(frozen=True)
class Rules:
    """Weights and limits of the fair. See docs/BOOTHS.md for the objective they define."""

    competitor_distance: float = 0.0  # metres; 0 = competitors only may not touch
    community_prime_quota: int = 0  # prime booths kept for community producers (capped by their demand)
    zone_weight: int = 1  # points per booth inside one of the exhibitor's preferred zones
    type_weight: int = 1  # points when some booth of the exhibitor has the wanted type


@dataclass(frozen=True)
class Instance:
    booths: tuple[Booth, ...]
    exhibitors: tuple[Exhibitor, ...]
    blocked: tuple[str, ...] = ()
    pins: tuple[Pin, ...] = ()
    rules: Rules = Rules()


@dataclass(frozen=True)
class Assignment:
    exhibitor: str
    booths: tuple[str, ...]  # sorted booth codes


@dataclass(frozen=True)
class Explanation:
    """Why an exhibitor sits where it sits, or why it has no booth.

    `reason` for placed exhibitors is `placed` or `pinned`; for the others one of `no_fit` (the plan has no group
    of that many adjacent free booths with the features it needs), `taken` (every such group overlaps booths given
    to others: `blocking` names them), `competitor` (the free groups touch or come too near a competitor),
    `quota` (only prime booths kept for community producers are free), `not_reached` (a group was free but the
    search stopped first).
    """

    reason: str
    message_en: str
    message_th: str
    blocking: tuple[str, ...] = ()
    zone_fit: bool | None = None  # placed: every booth in a preferred zone (None = no preference)
    type_fit: bool | None = None  # placed: some booth of the wanted type (None = no preference)


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
    target_gap: float = 0.0  # stop as soon as the proven gap is at most this (0 = only at optimality)
    stop: Callable[[], bool] | None = None
    on_progress: Callable[[Progress], None] | None = None
    log: bool = False


@dataclass
class Solution:
    assignments: list[Assignment]
    unassigned: list[str]
    objective: float
    bound: float
    status: str
    wall_seconds: float = 0.0
    greedy_objective: float | None = None
    explanations: dict[str, Explanation] = field(default_factory=dict)

    @property
    def gap(self) -> float:
        return relative_gap(self.objective, self.bound)


def relative_gap(objective: float, bound: float) -> float:
    """(bound − objective) ÷ bound, 0 when the bound is 0."""
    if bound <= 1e-9:
        return 0.0
    return max(0.0, (bound - objective) / bound)


def exhibitor_value(e: Exhibitor, booths: list[Booth], rules: Rules) -> int:
    """The documented objective term of exhibitor `e` holding `booths`."""
    value = e.priority * len(booths)
    if e.zones:
        value += rules.zone_weight * sum(1 for b in booths if b.zone in e.zones)
    if e.type and any(b.type == e.type for b in booths):
        value += rules.type_weight
    return value


def booths_wanted(instance: Instance) -> dict[str, int]:
    """How many booths each exhibitor takes when placed: its pin's size when pinned, else what it asked for."""
    pins = {p.exhibitor: len(p.booths) for p in instance.pins}
    return {e.id: pins.get(e.id, e.booths) for e in instance.exhibitors}


def prime_allowance(instance: Instance) -> int:
    """Prime booths that exhibitors outside the community may hold: all unblocked prime booths minus the quota,
    the quota capped by how many booths community exhibitors want in all (so unwanted reserves are not wasted)."""
    blocked = set(instance.blocked)
    prime = sum(1 for b in instance.booths if b.prime and b.code not in blocked)
    wanted = booths_wanted(instance)
    demand = sum(wanted[e.id] for e in instance.exhibitors if e.community)
    return max(0, prime - min(instance.rules.community_prime_quota, demand))
