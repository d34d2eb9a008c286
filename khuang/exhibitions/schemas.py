"""API shapes of exhibitions: floor plans, exhibitions, booths, claims, applications, runs, the exhibitor page."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import ConfigDict, EmailStr, Field, StrictBool, StrictInt, StrictStr

from khuang.core.api import ApiDateTime, choices_of
from khuang.exhibitions.models import BoothState, BoothType, ExhibitorCategory, ProductCategory

BoothTypeName = choices_of(BoothType)
CategoryName = choices_of(ExhibitorCategory)
ProductName = choices_of(ProductCategory)
StateName = choices_of(BoothState)
Metres = Decimal
Id = Annotated[StrictInt, Field(ge=1, le=2**63 - 1)]  # a primary key (larger numbers would overflow the database)


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class FloorPlanIn(Strict):
    """A new, empty floor plan of a space; lengths in metres."""

    space: StrictStr = Field(min_length=1, max_length=30)
    venue: StrictStr | None = Field(None, max_length=30)
    name_th: StrictStr = Field(min_length=1, max_length=200)
    name_en: StrictStr = Field("", max_length=200)
    width_m: Decimal = Field(gt=0, le=10000)
    depth_m: Decimal = Field(gt=0, le=10000)
    grid_m: Decimal = Field(Decimal("1"), gt=0, le=100)


class FloorPlanOut(Schema):
    """A floor plan; `layout` (detail only) is the layout document of docs/FLOORPLANS.md."""

    id: int
    space: str
    name_th: str
    name_en: str
    width_m: float
    depth_m: float
    grid_m: float
    booths: int
    is_active: bool
    layout: dict[str, Any] | None = None


class LayoutIn(Strict):
    """The whole layout: booths, features (aisles, obstacles, entrances) and parts (combined spaces)."""

    width: Decimal | None = Field(None, gt=0, le=10000)
    depth: Decimal | None = Field(None, gt=0, le=10000)
    grid: Decimal | None = Field(None, gt=0, le=100)
    booths: list[dict[str, Any]] = Field(default_factory=list, max_length=5000)
    features: list[dict[str, Any]] = Field(default_factory=list, max_length=5000)
    parts: list[dict[str, Any]] = Field(default_factory=list, max_length=50)


class LayoutImportIn(Strict):
    """A layout file's text: JSON (the layout document) or CSV (one row per item)."""

    format: Literal["json", "csv"]
    text: StrictStr = Field(min_length=1, max_length=2_000_000)


class ExhibitionIn(Strict):
    """An exhibition on a booking, using a floor plan of the booked space."""

    booking: StrictInt
    floor_plan: StrictInt
    applications_open: StrictBool = True
    application_deadline: date | None = None
    public_map: StrictBool = True
    hold_days: StrictInt = Field(7, ge=1, le=90)
    deposit_pct: Decimal = Field(Decimal("50"), ge=0, le=100)
    competitor_distance_m: Decimal = Field(Decimal("0"), ge=0, le=1000)
    community_prime_quota: StrictInt = Field(0, ge=0, le=10000)
    manual_th: StrictStr = Field("", max_length=20000)
    manual_en: StrictStr = Field("", max_length=20000)


class PriceRow(Strict):
    price_class: StrictStr = Field(min_length=1, max_length=20)
    category: CategoryName
    price_thb: Decimal = Field(ge=0, le=Decimal("9999999999"))


class PricesIn(Strict):
    """The whole price table (replaces the old one): THB per booth for the whole fair."""

    prices: list[PriceRow] = Field(max_length=500)


class PriceOut(Schema):
    price_class: str
    category: str
    price_thb: float


class StateCount(Schema):
    state: StateName
    label: str
    count: int


class ExhibitionOut(Schema):
    """An exhibition with its booth counts by state and its prices."""

    id: int
    booking: int
    title: str
    space: str
    start: datetime
    end: datetime
    floor_plan: int
    applications_open: bool
    application_deadline: date | None
    public_map: bool
    hold_days: int
    deposit_pct: float
    competitor_distance_m: float
    community_prime_quota: int
    booths: list[StateCount]
    prices: list[PriceOut]
    can_manage: bool


class BoothOut(Schema):
    """One booth with its state at the exhibition; `exhibitor` is shown to the exhibition's managers only."""

    code: str
    x: float
    y: float
    width: float
    depth: float
    type: BoothTypeName
    power: bool
    water: bool
    zone: str
    price_class: str
    prime: bool
    state: StateName
    claim: int | None = None
    exhibitor: int | None = None
    exhibitor_name: str | None = None
    queued_holds: int = 0


class ClaimIn(Strict):
    """Hold, reserve or sell one booth for an accepted application."""

    booth: StrictStr = Field(min_length=1, max_length=20)
    application: StrictInt
    action: Literal["hold", "reserve", "sell"]
    expires_at: ApiDateTime | None = None
    reason: StrictStr = Field("", max_length=2000)


class ClaimOut(Schema):
    id: int
    booth: str
    application: int | None
    status: str
    active: bool
    option_rank: int | None
    hold_expires_at: datetime | None
    price_thb: float | None


class ReasonIn(Strict):
    reason: StrictStr = Field("", max_length=2000)


class ApplicationIn(Strict):
    """A public application to exhibit (documents go through the web form or the exhibitor's page)."""

    company_name: StrictStr = Field(min_length=1, max_length=200)
    company_name_en: StrictStr = Field("", max_length=200)
    contact_name: StrictStr = Field(min_length=1, max_length=120)
    email: EmailStr
    phone: StrictStr = Field(min_length=1, max_length=30)
    province: StrictStr = Field(min_length=1, max_length=40)
    category: CategoryName
    community_reg_no: StrictStr = Field("", max_length=40)
    otop_stars: StrictInt | None = Field(None, ge=1, le=5)
    product_category: ProductName
    products: StrictStr = Field("", max_length=2000)
    booths_wanted: StrictInt = Field(1, ge=1, le=8)
    booth_type: BoothTypeName | None = None
    needs_power: StrictBool = False
    needs_water: StrictBool = False
    preferred_zone: StrictStr = Field("", max_length=30)
    competitors_text: StrictStr = Field("", max_length=1000)
    public_listing: StrictBool = True


class ApplicationCreatedOut(Schema):
    """The new application and the private link of the exhibitor's page (keep it secret)."""

    id: int
    status: str
    token: str
    page: str


class ApplicationOut(Schema):
    id: int
    company_name: str
    company_name_en: str
    contact_name: str
    email: str
    phone: str
    province: str
    category: str
    community_reg_no: str
    otop_stars: int | None
    product_category: str
    products: str
    booths_wanted: int
    booth_type: str
    needs_power: bool
    needs_water: bool
    preferred_zone: str
    competitors_text: str
    avoid: list[int]
    public_listing: bool
    status: str
    decision_reason: str
    priority_points: int
    pinned: bool
    sales_thb: float | None
    booths: list[str]
    documents: int


class DecisionIn(Strict):
    """accept, waitlist (with a reason) or decline (with a reason)."""

    decision: Literal["accept", "waitlist", "decline"]
    reason: StrictStr = Field("", max_length=2000)


class ApplicationPatch(Strict):
    """What the optimizer sees of an application, as the managers adjust it."""

    priority_points: StrictInt | None = Field(None, ge=0, le=1000)
    pinned: StrictBool | None = None
    booths_wanted: StrictInt | None = Field(None, ge=1, le=8)
    booth_type: BoothTypeName | Literal[""] | None = None
    needs_power: StrictBool | None = None
    needs_water: StrictBool | None = None
    preferred_zone: StrictStr | None = Field(None, max_length=30)
    avoid: list[Id] | None = Field(None, max_length=200)


class RunIn(Strict):
    time_limit: float = Field(20, ge=1, le=600)
    workers: StrictInt = Field(2, ge=1, le=8)


class RunOut(Schema):
    """An optimizer run: figures, and once solved the assignment (application id → booth codes) and why."""

    id: int
    exhibition: int
    status: str
    time_limit: float
    objective: float | None
    bound: float | None
    gap: float | None
    solver_status: str
    wall_seconds: float | None
    assignments: dict[str, list[str]]
    unassigned: list[int]
    explanations: dict[str, dict[str, Any]]
    error: str


class FeeLine(Schema):
    booth: str
    price_class: str
    status: str
    size: str
    amount_thb: float


class FeesOut(Schema):
    """Booth fees: lines, total, deposit and balance with due dates (ISO)."""

    category: str
    lines: list[FeeLine]
    total_thb: float
    deposit_pct: float
    deposit_thb: float
    deposit_due: date | None
    balance_thb: float
    balance_due: date


class InstalmentOut(Schema):
    kind: str
    amount_thb: float
    due_date: date
    invoice: str | None
    invoice_id: int | None
    paid_thb: float
    outstanding_thb: float


class BoothBillOut(Schema):
    """The exhibitor's booth-fee quotation and its deposit and balance (with their invoices once issued)."""

    quotation: str
    total_thb: float
    instalments: list[InstalmentOut]
    owed_thb: float


class ExhibitorPageOut(Schema):
    """What the exhibitor's private link shows."""

    exhibition: int
    event: str
    company_name: str
    status: str
    decision_reason: str
    booths: list[str]
    fees: FeesOut
    public_listing: bool
    manual: str
    sales_thb: float | None
    can_record_sales: bool
    bill: BoothBillOut | None = None


class SalesIn(Strict):
    """Sales at the fair in baht (community enterprise and OTOP exhibitors)."""

    amount_thb: Decimal = Field(ge=0, le=Decimal("9999999999"))


class PublicExhibitorOut(Schema):
    name: str
    product_category: str
    product_label: str
    products: str
    province: str
    community: bool
    booths: list[str]


class InvoiceIn(Strict):
    kind: Literal["deposit", "balance"]
