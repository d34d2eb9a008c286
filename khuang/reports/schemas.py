"""Schemas of the KPI endpoint: the same keys as `selectors.kpi_report`."""

from ninja import Field, Schema
from pydantic import ConfigDict


class KpiQuery(Schema):
    """`fiscal_year`: the Buddhist-Era year (2570) or the CE year it ends in (2027); `venue` and `space` by code."""

    model_config = ConfigDict(extra="forbid")

    fiscal_year: str
    venue: str | None = None
    space: str | None = None


class NamedOut(Schema):
    code: str
    name: str


class TileOut(Schema):
    """One KPI with its target (if set), progress towards it and the previous year's value."""

    key: str
    label: str
    unit: str = Field(description="the unit of value and target: pct, count, baht or score (out of 5)")
    value: float | None
    target: float | None
    progress_pct: float | None
    met: bool | None
    previous: float | None


class SpaceUtilOut(Schema):
    code: str
    name: str
    combined: bool
    months: list[float | None]
    pct: float | None


class UtilizationOut(Schema):
    """Utilization (%) = occupied ÷ available operating hours, area-weighted over atomic spaces."""

    pct: float | None
    occupied_hours: float
    available_hours: float
    by_month: list[float | None]
    spaces: list[SpaceUtilOut]


class TypeCountOut(Schema):
    type: str
    label: str
    events: int


class AgencyCountOut(Schema):
    agency: str | None
    name: str
    events: int


class TypeMonthsOut(Schema):
    type: str
    label: str
    months: list[int]


class ActivitiesOut(Schema):
    events: int
    attendees: int
    revenue_thb: float
    actuals_recorded: int
    satisfaction: float | None
    partner_agencies: int
    weeks_total: int
    weeks_without_event: int
    high_season_events: int
    high_season_pct: float | None
    by_type: list[TypeCountOut]
    by_agency: list[AgencyCountOut]
    by_month: list[int]
    by_month_type: list[TypeMonthsOut]


class RevenueMonthOut(Schema):
    label: str
    received_thb: float
    booked_thb: float


class RevenueOut(Schema):
    """Revenue before VAT: received (payments less credit notes), booked (accepted quotations), actuals of
    un-invoiced activities; `total_thb` is the KPI."""

    received_thb: float
    booked_thb: float
    actuals_thb: float
    total_thb: float
    by_month: list[RevenueMonthOut]


class BudgetLineOut(Schema):
    category: str
    planned_thb: float
    spent_thb: float
    spent_pct: float | None


class BudgetRequestOut(Schema):
    category: str
    requested_thb: float


class BudgetOut(Schema):
    lines: list[BudgetLineOut]
    planned_thb: float
    spent_thb: float
    spent_pct: float | None
    next_year: int
    requests: list[BudgetRequestOut]
    requested_thb: float


class ProjectOut(Schema):
    name: str
    indicator: str
    unit: str
    target: float
    actual: float
    budget_thb: float
    progress_pct: float | None
    on_track: bool


class MonthOut(Schema):
    index: int
    year: int
    month: int
    label: str


class KpiReportOut(Schema):
    """A venue's (or space's) KPIs for one fiscal year; `empty` with a `message` when nothing is recorded."""

    fiscal_year: int
    start: str
    end: str
    venue: NamedOut
    space: NamedOut | None
    empty: bool
    message: str
    months: list[MonthOut]
    tiles: list[TileOut]
    targets: dict[str, float]
    utilization: UtilizationOut
    activities: ActivitiesOut
    revenue: RevenueOut
    budget: BudgetOut
    projects: list[ProjectOut]
