"""API shapes of the annual plan."""

from datetime import date, datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, StrictBool, StrictInt, StrictStr

from khuang.bookings.schemas import ActivityTypeName
from khuang.core.api import choices_of
from khuang.planning.models import MAX_NOTES, ProposalStatus
from khuang.venues.schemas import LayoutName

ProposalStatusName = choices_of(ProposalStatus)


class ProposalIn(Schema):
    """A proposal for the annual plan. Dates are ISO; `allowed_spaces` empty = any space that fits."""

    model_config = ConfigDict(extra="forbid")

    fiscal_year: StrictInt = Field(ge=2500, le=2700)
    venue: StrictStr | None = Field(None, max_length=30)
    agency: StrictStr | None = Field(None, max_length=30)
    ref: StrictStr = Field(min_length=1, max_length=40)
    title_th: StrictStr = Field(min_length=1, max_length=200)
    title_en: StrictStr = Field("", max_length=200)
    activity_type: ActivityTypeName
    days: StrictInt = Field(ge=1, le=366)
    setup_days: StrictInt = Field(0, ge=0, le=60)
    teardown_days: StrictInt = Field(0, ge=0, le=60)
    attendees: StrictInt = Field(0, ge=0, le=1_000_000)
    layout: LayoutName | None = None
    equipment: list[StrictStr] = []
    allowed_spaces: list[StrictStr] = []
    earliest: date | None = None
    latest_end: date | None = None
    preferred_months: list[StrictInt] = []
    fixed_start: date | None = None
    priority: StrictInt = Field(3, ge=1, le=5)
    is_public: StrictBool = False
    notes: StrictStr = Field("", max_length=MAX_NOTES)


class ProposalPatch(Schema):
    """Fields to change; absent stay. `null` clears `layout` and the dates and is refused (422) anywhere else."""

    model_config = ConfigDict(extra="forbid")

    title_th: StrictStr = Field(None, min_length=1, max_length=200)
    title_en: StrictStr = Field(None, max_length=200)
    activity_type: ActivityTypeName = None
    days: StrictInt = Field(None, ge=1, le=366)
    setup_days: StrictInt = Field(None, ge=0, le=60)
    teardown_days: StrictInt = Field(None, ge=0, le=60)
    attendees: StrictInt = Field(None, ge=0, le=1_000_000)
    layout: LayoutName | None = None
    allowed_spaces: list[StrictStr] = None
    earliest: date | None = None
    latest_end: date | None = None
    preferred_months: list[StrictInt] = None
    fixed_start: date | None = None
    priority: StrictInt = Field(None, ge=1, le=5)
    is_public: StrictBool = None
    notes: StrictStr = Field(None, max_length=MAX_NOTES)


class ProposalOut(Schema):
    id: int
    ref: str
    fiscal_year: int
    venue: str
    agency: str
    title_th: str
    title_en: str
    activity_type: str
    days: int
    setup_days: int
    teardown_days: int
    attendees: int
    layout: str
    allowed_spaces: list[str]
    earliest: date | None
    latest_end: date | None
    preferred_months: list[int]
    fixed_start: date | None
    priority: int
    is_public: bool
    status: str

    @staticmethod
    def from_proposal(p) -> "ProposalOut":
        return ProposalOut(
            id=p.pk, ref=p.ref, fiscal_year=p.fiscal_year, venue=p.venue.code, agency=p.agency.code,
            title_th=p.title_th, title_en=p.title_en, activity_type=p.activity_type, days=p.days,
            setup_days=p.setup_days, teardown_days=p.teardown_days, attendees=p.attendees, layout=p.layout,
            allowed_spaces=sorted(s.code for s in p.allowed_spaces.all()), earliest=p.earliest,
            latest_end=p.latest_end, preferred_months=list(p.preferred_months or []), fixed_start=p.fixed_start,
            priority=p.priority, is_public=p.is_public, status=p.status,
        )


class ReasonIn(Schema):
    model_config = ConfigDict(extra="forbid")
    reason: StrictStr = Field("", max_length=2000)


class ImportErrorRow(Schema):
    row: int
    field: str
    message: str


class ImportErrorOut(Schema):
    detail: str
    field: str | None = None
    errors: list[ImportErrorRow] = []


class PlanRunIn(Schema):
    """Start an optimizer run for a fiscal year of a venue."""

    model_config = ConfigDict(extra="forbid")

    fiscal_year: StrictInt = Field(ge=2500, le=2700)
    venue: StrictStr | None = Field(None, max_length=30)
    time_limit: float = Field(30, ge=1, description="seconds; at most KHUANG_SOLVE_MAX_SECONDS")
    workers: StrictInt = Field(2, ge=1, description="solver threads; at most KHUANG_SOLVE_MAX_WORKERS")
    seed: StrictInt = Field(0, ge=0, le=2**31 - 1)


class PlanItemOut(Schema):
    ref: str
    title: str
    agency: str
    space: str | None
    start: date | None
    end: date | None
    pin_space: bool
    pin_start: bool
    explanation: dict[str, Any] = Field(description=(
        "Unscheduled items: `reason` (code), `message` (in words), `in_the_way` (kind, space, start, end, title; "
        "other agencies' private titles masked), `full_days`, `nearest_alternative`. Empty when scheduled."))
    booking: int | None


class PlanOut(Schema):
    id: int
    venue: str
    fiscal_year: int
    version: int
    parent: int | None
    status: str
    objective: float | None
    bound: float | None
    gap: float | None
    solver_status: str
    wall_seconds: float | None
    time_limit: float
    progress: list[dict[str, float]]
    idle_weeks: list[str]
    error: str
    created_at: datetime
    solved_with: dict[str, Any] = Field(description="the planning settings and horizon this version was solved with")
    parts: dict[str, Any] = Field(description=(
        "objective v2 and its parts: value, active_weeks, weeks_in_horizon, oversize_sum, objective, longest_idle, "
        "max_events_in_a_day, max_moveins_in_a_day"))
    better_by_pct: float | None = Field(description="a better plan could score at most this many % more")


class PlanDetailOut(PlanOut):
    items: list[PlanItemOut]


class PinIn(Schema):
    model_config = ConfigDict(extra="forbid")

    space: StrictStr | None = Field(None, max_length=30)
    start: date | None = None
    pin_space: StrictBool = None
    pin_start: StrictBool = None


class ResolveIn(Schema):
    model_config = ConfigDict(extra="forbid")

    time_limit: float | None = Field(None, ge=1)


class PlanCompareOut(Schema):
    a: dict[str, Any]
    b: dict[str, Any]
    counts: dict[str, int]
    rows: list[dict[str, Any]]
    scale: dict[str, Any] = Field(description=(
        "both versions re-scored with the venue's current settings over today's horizon (`basis`), and the "
        "differences in planner terms (`measures`)"))


class ApprovalIn(Schema):
    """Optionally, the references the person confirmed: if what would be made now differs, nothing is made (409)."""

    model_config = ConfigDict(extra="forbid")

    confirm: list[StrictStr] | None = None


class SkippedOut(Schema):
    ref: str
    reason: Literal["withdrawn", "declined", "approved_elsewhere"]
    message: str


class ApprovalOut(Schema):
    plan: int
    holds: list[int]
    skipped: list[SkippedOut] = []


class ApprovalPreviewOut(Schema):
    """What approving would do now."""

    plan: int
    holds: list[str]
    skipped: list[SkippedOut]


class SolveOut(Schema):
    """The exchange format's output plus the solver's figures."""

    assignments: list[dict[str, str]]
    unscheduled: list[str]
    objective: float
    bound: float
    gap: float
    status: str
    meta: dict[str, Any] | None = Field(None, description=(
        "exchange format version 2: the objective and its parts (value, active_weeks, longest_idle, oversize_sum, "
        "…), the proven bound and the gap"))
