"""API shapes of venues and spaces."""

from datetime import datetime

from ninja import Schema
from pydantic import ConfigDict, Field, StrictBool, StrictInt, StrictStr

from khuang.core.api import ApiDateTime, choices_of
from khuang.venues.models import Layout, Space

SpaceKind = choices_of(Space.Kind)
LayoutName = choices_of(Layout)
EquipmentTag = choices_of(Space.Equipment)


class CapacityOut(Schema):
    """Seats by layout and the booth count."""

    theatre: int
    classroom: int
    banquet: int
    reception: int
    booths: int


class SpaceOut(Schema):
    """A space as the API shows it; `parts` lists atomic codes of a combined space (empty when atomic)."""

    code: str
    venue: str
    name_th: str
    name_en: str
    kind: str
    area_sqm: float | None
    capacity: CapacityOut
    max_capacity: int
    clear_height_m: float | None
    floor_load_t_sqm: float | None
    equipment: list[str]
    parts: list[str]
    is_active: bool
    illustrative: bool

    @staticmethod
    def from_space(space) -> "SpaceOut":
        return SpaceOut(
            code=space.code, venue=space.venue.code, name_th=space.name_th, name_en=space.name_en,
            kind=space.kind, area_sqm=float(space.area_sqm) if space.area_sqm is not None else None,
            capacity=CapacityOut(
                theatre=space.capacity_theatre, classroom=space.capacity_classroom,
                banquet=space.capacity_banquet, reception=space.capacity_reception, booths=space.booth_count,
            ),
            max_capacity=space.max_capacity,
            clear_height_m=float(space.clear_height_m) if space.clear_height_m is not None else None,
            floor_load_t_sqm=float(space.floor_load_t_sqm) if space.floor_load_t_sqm is not None else None,
            equipment=list(space.equipment or []),
            parts=sorted(p.code for p in space.parts.all()),
            is_active=space.is_active, illustrative=space.illustrative,
        )


class SpacePatch(Schema):
    """Fields staff may change on a space; absent fields stay as they are. `null` clears the area, clear height
    and floor load and is refused (422 naming the field) anywhere else."""

    model_config = ConfigDict(extra="forbid")

    code: StrictStr = Field(None, min_length=1, max_length=30, pattern=r"^[A-Za-z0-9_.+-]+$")
    name_th: StrictStr = Field(None, min_length=1, max_length=200)
    name_en: StrictStr = Field(None, min_length=1, max_length=200)
    kind: SpaceKind = None
    area_sqm: float | None = Field(None, ge=0, le=10_000_000)
    capacity_theatre: StrictInt = Field(None, ge=0, le=1_000_000)
    capacity_classroom: StrictInt = Field(None, ge=0, le=1_000_000)
    capacity_banquet: StrictInt = Field(None, ge=0, le=1_000_000)
    capacity_reception: StrictInt = Field(None, ge=0, le=1_000_000)
    booth_count: StrictInt = Field(None, ge=0, le=1_000_000)
    clear_height_m: float | None = Field(None, ge=0, le=999)
    floor_load_t_sqm: float | None = Field(None, ge=0, le=9999)
    equipment: list[EquipmentTag] = None
    parts: list[StrictStr] = None
    is_active: StrictBool = None
    illustrative: StrictBool = None
    notes: StrictStr = Field(None, max_length=5000)


class SpaceIn(SpacePatch):
    """A new space: code, names and kind are required; `venue` defaults to the demo venue."""

    venue: StrictStr | None = Field(None, max_length=30)
    code: StrictStr = Field(min_length=1, max_length=30, pattern=r"^[A-Za-z0-9_.+-]+$")
    name_th: StrictStr = Field(min_length=1, max_length=200)
    name_en: StrictStr = Field(min_length=1, max_length=200)
    kind: SpaceKind


class ClosureIn(Schema):
    """A period the space cannot be used: ISO 8601 times with a UTC offset."""

    model_config = ConfigDict(extra="forbid")

    start: ApiDateTime
    end: ApiDateTime
    reason: StrictStr = Field(min_length=1, max_length=200)


class ClosureOut(Schema):
    id: int
    space: str
    start: datetime
    end: datetime
    reason: str

    @staticmethod
    def from_closure(c) -> "ClosureOut":
        return ClosureOut(id=c.pk, space=c.space.code, start=c.start, end=c.end, reason=c.reason)
