"""API shapes of the diary."""

from datetime import datetime

from ninja import Schema
from pydantic import ConfigDict, EmailStr, Field, StrictBool, StrictInt, StrictStr

from khuang.bookings.models import NEW_STATUSES, BookingStatus
from khuang.core.api import ApiDateTime, ConflictErrorOut, ConflictOut, choices_of  # noqa: F401 (re-exported)
from khuang.core.models import ActivityType
from khuang.venues.models import CustomerClass
from khuang.venues.schemas import LayoutName

ActivityTypeName = choices_of(ActivityType)
StatusName = choices_of(BookingStatus)
NewStatusName = choices_of(BookingStatus, only=NEW_STATUSES)
CustomerClassName = choices_of(CustomerClass)


class BookingIn(Schema):
    """A new booking: times are ISO 8601 with a UTC offset; setup and teardown in minutes."""

    model_config = ConfigDict(extra="forbid")

    space: StrictStr = Field(min_length=1, max_length=30)
    title: StrictStr = Field(min_length=1, max_length=200)
    title_en: StrictStr = Field("", max_length=200)
    description: StrictStr = Field("", max_length=5000)
    start: ApiDateTime
    end: ApiDateTime
    setup_minutes: StrictInt = Field(0, ge=0, le=60 * 24 * 14)
    teardown_minutes: StrictInt = Field(0, ge=0, le=60 * 24 * 14)
    status: NewStatusName = "inquiry"
    attendees: StrictInt = Field(0, ge=0, le=1_000_000)
    layout: LayoutName | None = None
    event_type: ActivityTypeName = "other"
    customer_class: CustomerClassName = "government"
    is_public: StrictBool = False
    agency: StrictStr | None = Field(None, max_length=30)
    contact_name: StrictStr = Field("", max_length=120)
    contact_email: EmailStr | None = None
    contact_phone: StrictStr = Field("", max_length=40)
    hold_expires_at: ApiDateTime | None = None
    override_rules: StrictBool = False
    reason: StrictStr = Field("", max_length=2000)


class BookingPatch(Schema):
    """Fields to change on a booking; absent fields stay as they are. `null` clears `layout` and
    `contact_email` and is refused (422 naming the field) anywhere else."""

    model_config = ConfigDict(extra="forbid")

    space: StrictStr = Field(None, min_length=1, max_length=30)
    title: StrictStr = Field(None, min_length=1, max_length=200)
    title_en: StrictStr = Field(None, max_length=200)
    description: StrictStr = Field(None, max_length=5000)
    start: ApiDateTime = None
    end: ApiDateTime = None
    setup_minutes: StrictInt = Field(None, ge=0, le=60 * 24 * 14)
    teardown_minutes: StrictInt = Field(None, ge=0, le=60 * 24 * 14)
    attendees: StrictInt = Field(None, ge=0, le=1_000_000)
    layout: LayoutName | None = None
    event_type: ActivityTypeName = None
    customer_class: CustomerClassName = None
    is_public: StrictBool = None
    contact_name: StrictStr = Field(None, max_length=120)
    contact_email: EmailStr | None = None
    contact_phone: StrictStr = Field(None, max_length=40)
    hold_expires_at: ApiDateTime = None
    override_rules: StrictBool = False
    reason: StrictStr = Field("", max_length=2000)


class ReasonIn(Schema):
    """Why a state changes (kept in the audit trail)."""

    model_config = ConfigDict(extra="forbid")

    reason: StrictStr = Field("", max_length=2000)


class AuditOut(Schema):
    at: datetime
    actor: str | None
    action: str
    from_state: str
    to_state: str
    reason: str
    data: dict


class BookingOut(Schema):
    """A booking as the API shows it to someone allowed to see it."""

    id: int
    space: str
    title: str
    title_en: str
    description: str
    agency: str | None
    event_type: str
    start: datetime
    end: datetime
    setup_minutes: int
    teardown_minutes: int
    occupied_start: datetime
    occupied_end: datetime
    status: str
    option_rank: int | None
    hold_expires_at: datetime | None
    occupies: bool
    layout: str
    attendees: int
    customer_class: str
    is_public: bool
    contact_name: str
    contact_email: str
    contact_phone: str
    series: int | None
    rules_overridden: bool

    @staticmethod
    def from_booking(b) -> "BookingOut":
        return BookingOut(
            id=b.pk, space=b.space.code, title=b.title, title_en=b.title_en, description=b.description,
            agency=b.agency.code if b.agency_id else None, event_type=b.event_type, start=b.start, end=b.end,
            setup_minutes=b.setup_minutes, teardown_minutes=b.teardown_minutes,
            occupied_start=b.occupied_start, occupied_end=b.occupied_end, status=b.status,
            option_rank=b.option_rank, hold_expires_at=b.hold_expires_at, occupies=b.occupies, layout=b.layout,
            attendees=b.attendees, customer_class=b.customer_class, is_public=b.is_public,
            contact_name=b.contact_name, contact_email=b.contact_email, contact_phone=b.contact_phone,
            series=b.series_id, rules_overridden=b.rules_overridden,
        )


class BookingDetailOut(BookingOut):
    audit: list[AuditOut]


class SeriesIn(BookingIn):
    """A repeating booking: the first occurrence plus a repeat every N days, `count` times."""

    every_days: StrictInt = Field(7, ge=1, le=366)
    count: StrictInt = Field(ge=1, le=200)
    skip_conflicts: StrictBool = False


class OccurrenceOut(Schema):
    start: str
    end: str
    conflicts: list[ConflictOut]


class SeriesOut(Schema):
    series: int
    created: list[BookingOut]
    skipped: list[str]


class AvailabilityOut(Schema):
    code: str
    name_th: str
    name_en: str
    kind: str
    max_capacity: int
    parts: list[str]
