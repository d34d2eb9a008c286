"""API shapes of operations: equipment, event orders, people. Inputs are strict (unknown keys refused)."""

from datetime import date, datetime, time
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AfterValidator, ConfigDict, EmailStr, Field, StrictBool, StrictInt, StrictStr

from khuang.core.api import ApiDateTime, choices_of
from khuang.operations.models import EquipmentCategory, LeaveKind, MealKind, Skill, Team, TimelineKind
from khuang.venues.schemas import LayoutName

CategoryName = choices_of(EquipmentCategory)
SkillName = choices_of(Skill)
TeamName = choices_of(Team)
TimelineKindName = choices_of(TimelineKind)
MealName = choices_of(MealKind)
LeaveName = choices_of(LeaveKind)


def _local_time(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError("give a local time of day without a UTC offset, e.g. 08:30")
    return value


# A time of day at the venue (working hours), never with an offset.
LocalTime = Annotated[time, AfterValidator(_local_time)]


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------- equipment

class ItemIn(Strict):
    """A new equipment item of a venue (the default venue when `venue` is absent)."""

    venue: StrictStr | None = Field(None, max_length=30)
    code: StrictStr = Field(min_length=1, max_length=30, pattern=r"^[-a-zA-Z0-9_]+$")
    name_th: StrictStr = Field(min_length=1, max_length=120)
    name_en: StrictStr = Field("", max_length=120)
    category: CategoryName = "other"
    unit_th: StrictStr = Field("ชิ้น", min_length=1, max_length=20)
    unit_en: StrictStr = Field("pcs", min_length=1, max_length=20)
    stock: StrictInt = Field(ge=0, le=1_000_000)
    notes: StrictStr = Field("", max_length=2000)


class ItemPatch(Strict):
    """Fields to change on an item; a new stock is refused if bookings already reserve more on a day."""

    name_th: StrictStr | None = Field(None, min_length=1, max_length=120)
    name_en: StrictStr | None = Field(None, max_length=120)
    category: CategoryName | None = None
    unit_th: StrictStr | None = Field(None, min_length=1, max_length=20)
    unit_en: StrictStr | None = Field(None, min_length=1, max_length=20)
    stock: StrictInt | None = Field(None, ge=0, le=1_000_000)
    is_active: StrictBool | None = None
    notes: StrictStr | None = Field(None, max_length=2000)


class ItemOut(Schema):
    """An equipment item with its stock."""

    code: str
    venue: str
    name_th: str
    name_en: str
    category: str
    unit_th: str
    unit_en: str
    stock: int
    is_active: bool
    notes: str


class DayOut(Schema):
    """One day of an item: usable units (stock minus repairs), reserved by occupying bookings, free."""

    day: date
    stock: int
    capacity: int
    reserved: int
    free: int


class RepairIn(Strict):
    """Units out for repair from `first_day` to `last_day` (inclusive)."""

    quantity: StrictInt = Field(ge=1, le=1_000_000)
    first_day: date
    last_day: date
    reason: StrictStr = Field("", max_length=200)


class RepairOut(Schema):
    id: int
    item: str
    quantity: int
    first_day: date
    last_day: date
    reason: str


class RequestIn(Strict):
    """Units of an item for the booking's whole occupied span; 0 removes the line."""

    quantity: StrictInt = Field(ge=0, le=1_000_000)
    note: StrictStr | None = Field(None, max_length=200)


class RequestOut(Schema):
    """A booking's equipment line: `reserved` once the booking occupies its space."""

    item: str
    name: str
    unit: str
    quantity: int
    reserved: bool
    reserved_quantity: int
    first_day: date | None
    last_day: date | None
    note: str


class ShortageDayOut(Schema):
    day: date
    free: int


class ShortageOut(Schema):
    item: str
    name: str
    requested: int
    days: list[ShortageDayOut]


class EquipmentConflictOut(Schema):
    """A refusal for lack of equipment: the item, the days and how many are free each day."""

    detail: str
    field: str | None = None
    shortages: list[ShortageOut] | None = None
    conflicts: list[dict] | None = None


# ---------------------------------------------------------------- event orders

class EventOrderIn(Strict):
    """Start the event order of a booking."""

    booking: StrictInt = Field(ge=1)


class EventOrderPatch(Strict):
    """Fields of the event order to change; absent fields stay."""

    layout: LayoutName | Literal[""] | None = None
    capacity: StrictInt | None = Field(None, ge=0, le=1_000_000)
    layout_notes: StrictStr | None = Field(None, max_length=2000)
    catering_headcount: StrictInt | None = Field(None, ge=0, le=1_000_000)
    parking_spaces: StrictInt | None = Field(None, ge=0, le=100_000)
    day_contact_name: StrictStr | None = Field(None, max_length=120)
    day_contact_phone: StrictStr | None = Field(None, max_length=40)
    notes_coordination: StrictStr | None = Field(None, max_length=2000)
    notes_setup: StrictStr | None = Field(None, max_length=2000)
    notes_av_it: StrictStr | None = Field(None, max_length=2000)
    notes_catering: StrictStr | None = Field(None, max_length=2000)
    notes_cleaning: StrictStr | None = Field(None, max_length=2000)
    notes_security: StrictStr | None = Field(None, max_length=2000)
    notes_parking: StrictStr | None = Field(None, max_length=2000)


class TimelineIn(Strict):
    kind: TimelineKindName
    start: ApiDateTime
    end: ApiDateTime
    title: StrictStr = Field("", max_length=200)
    team: TeamName | Literal[""] = ""


class TimelineOut(Schema):
    id: int
    kind: str
    start: datetime
    end: datetime
    title: str
    team: str


class CateringIn(Strict):
    kind: MealName
    served_at: ApiDateTime
    headcount: StrictInt = Field(ge=0, le=1_000_000)
    notes: StrictStr = Field("", max_length=300)


class CateringOut(Schema):
    id: int
    kind: str
    served_at: datetime
    headcount: int
    notes: str


class NeedIn(Strict):
    skill: SkillName
    count: StrictInt = Field(ge=1, le=1000)
    start: ApiDateTime
    end: ApiDateTime


class NeedOut(Schema):
    id: int
    skill: str
    count: int
    start: datetime
    end: datetime


class AssignmentIn(Strict):
    """A person on the event order in one role over a period."""

    member: StrictInt = Field(ge=1)
    role: SkillName
    start: ApiDateTime
    end: ApiDateTime
    note: StrictStr = Field("", max_length=200)


class AssignmentOut(Schema):
    id: int
    event_order: int
    member: int
    member_name: str
    role: str
    start: datetime
    end: datetime
    note: str


class ChangeOut(Schema):
    """One change since the previous revision, as people read it."""

    section: str
    what: str
    change: str
    kind: Literal["added", "removed", "changed"]
    before: str
    after: str


class RevisionIn(Strict):
    note: StrictStr = Field("", max_length=300)


class RevisionOut(Schema):
    number: int
    sent_at: datetime
    note: str
    changes: list[ChangeOut]


class ChangesOut(Schema):
    """What changed since the last revision sent (`since` null: nothing sent yet)."""

    since: int | None
    changes: list[ChangeOut]


class EventOrderOut(Schema):
    id: int
    number: str
    booking: int
    title: str
    space: str
    start: datetime
    end: datetime
    occupied_start: datetime
    occupied_end: datetime
    layout: str
    capacity: int
    catering_headcount: int
    parking_spaces: int
    day_contact_name: str
    day_contact_phone: str
    last_revision: int | None


class EventOrderDetailOut(EventOrderOut):
    layout_notes: str
    notes: dict[str, str]
    timeline: list[TimelineOut]
    catering: list[CateringOut]
    equipment: list[RequestOut]
    needs: list[NeedOut]
    assignments: list[AssignmentOut]


# ---------------------------------------------------------------- people

class MemberIn(Strict):
    """A person of the center's staff."""

    venue: StrictStr | None = Field(None, max_length=30)
    name: StrictStr = Field(min_length=1, max_length=120)
    name_en: StrictStr = Field("", max_length=120)
    unit: StrictStr = Field(min_length=1, max_length=120)
    skills: list[SkillName] = Field(default_factory=list, max_length=6)
    phone: StrictStr = Field("", max_length=40)
    email: EmailStr | None = None
    working_days: list[StrictInt] = Field(default_factory=lambda: [0, 1, 2, 3, 4], max_length=7)
    day_starts: LocalTime = time(8, 30)
    day_ends: LocalTime = time(16, 30)


class MemberPatch(Strict):
    name: StrictStr | None = Field(None, min_length=1, max_length=120)
    name_en: StrictStr | None = Field(None, max_length=120)
    unit: StrictStr | None = Field(None, min_length=1, max_length=120)
    skills: list[SkillName] | None = Field(None, max_length=6)
    phone: StrictStr | None = Field(None, max_length=40)
    email: EmailStr | None = None
    working_days: list[StrictInt] | None = Field(None, max_length=7)
    day_starts: LocalTime | None = None
    day_ends: LocalTime | None = None
    is_active: StrictBool | None = None


class MemberOut(Schema):
    id: int
    venue: str
    name: str
    name_en: str
    unit: str
    skills: list[str]
    phone: str
    email: str
    working_days: list[int]
    day_starts: time
    day_ends: time
    is_active: bool


class LeaveIn(Strict):
    first_day: date
    last_day: date
    kind: LeaveName = "annual"
    note: StrictStr = Field("", max_length=200)


class LeaveOut(Schema):
    id: int
    member: int
    first_day: date
    last_day: date
    kind: str
    note: str


class ScheduleItemOut(Schema):
    event_order: int
    title: str
    space: str
    role: str
    start: datetime
    end: datetime
    day_contact_name: str
    day_contact_phone: str


class ScheduleDayOut(Schema):
    day: date
    leave: str | None
    assignments: list[ScheduleItemOut]


class SkillDayOut(Schema):
    skill: str
    demand: int
    available: int
    short: bool


class StaffDayOut(Schema):
    """A day's demand (most people needed at once) against the people available."""

    day: date
    demand: int
    available: int
    short: bool
    by_skill: list[SkillDayOut]


class LimitsOut(Schema):
    """Most events and move-ins per day the venue's people can run, and why."""

    events_per_day: int
    moveins_per_day: int
    coordinators: int
    setup_crew: int
    crew_per_move_in: int
    current_events_per_day: int | None
    current_moveins_per_day: int | None
    explanation: str
