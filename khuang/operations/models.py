"""Operations: equipment booked by quantity, event orders (function sheets) and the center's people.

Equipment follows the diary's guarantee: only occupying bookings (confirmed, or a first-option hold) count
against stock, and the database refuses any day on which they would exceed it. `ItemDay` keeps one counter
row per item and day with the day's capacity (stock minus units out for repair) beside the units reserved,
and a CHECK constraint (`reserved <= capacity`) that no writer can get past, on PostgreSQL and SQLite alike.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from khuang.accounts import roles
from khuang.accounts.roles import Ability
from khuang.bookings.models import Booking
from khuang.core.models import TimeStampedModel
from khuang.venues.models import Layout, Venue


def _en() -> bool:
    return (get_language() or "th").startswith("en")


def _is_staff(user) -> bool:
    return roles.has(user, Ability.MANAGE_CENTER)


def _agency_of(user) -> int | None:
    """The agency whose bookings' operations the user reads: the role table decides (`SEE_OWN_AGENCY`), as for the
    bookings themselves; belonging to an agency on a role that does not read its business is not enough."""
    return roles.own_agency_id(user, Ability.SEE_OWN_AGENCY)


def may_manage_operations(user) -> bool:
    """Center staff run operations: equipment stock and repairs, event orders, people, daily sheets."""
    return _is_staff(user)


# ---------------------------------------------------------------- words shared by the app

class Skill(models.TextChoices):
    """What a member of the center's staff can do; also the role of an assignment."""

    COORDINATOR = "coordinator", _("Coordinator")
    AV = "av", _("Audio-visual")
    SETUP_CREW = "setup_crew", _("Setup crew")
    CLEANING = "cleaning", _("Cleaning")
    SECURITY = "security", _("Security")
    IT = "it", _("IT")


class Team(models.TextChoices):
    """The teams an event order speaks to; the daily operations sheet is grouped by them."""

    COORDINATION = "coordination", _("Coordination")
    SETUP = "setup", _("Setup and equipment")
    AV_IT = "av_it", _("AV and IT")
    CATERING = "catering", _("Catering")
    CLEANING = "cleaning", _("Cleaning")
    SECURITY = "security", _("Security")
    PARKING = "parking", _("Parking")


# Which team a skill works for (people appear under their team on the daily sheet).
SKILL_TEAM = {
    Skill.COORDINATOR: Team.COORDINATION, Skill.AV: Team.AV_IT, Skill.IT: Team.AV_IT,
    Skill.SETUP_CREW: Team.SETUP, Skill.CLEANING: Team.CLEANING, Skill.SECURITY: Team.SECURITY,
}


# ---------------------------------------------------------------- equipment

class EquipmentCategory(models.TextChoices):
    SEATING = "seating", _("Seating")
    TABLES = "tables", _("Tables")
    BOOTHS = "booths", _("Booth panels")
    STAGING = "staging", _("Stage sets")
    AV = "av", _("Audio-visual")
    POWER = "power", _("Power")
    OTHER = "other", _("Other")


class EquipmentItemQuerySet(models.QuerySet):
    def visible_to(self, user) -> "EquipmentItemQuerySet":
        """Everyone signed in sees the venue's equipment (planners ask for it); nobody else does."""
        return self if getattr(user, "is_authenticated", False) else self.none()

    def editable_by(self, user) -> "EquipmentItemQuerySet":
        return self if _is_staff(user) else self.none()


class EquipmentItem(TimeStampedModel):
    """Something a venue lends to events by the unit: chairs, tables, booth panels, projectors, generators…"""

    venue = models.ForeignKey(Venue, verbose_name=_("venue"), on_delete=models.PROTECT,
                              related_name="equipment_items")
    code = models.SlugField(_("code"), max_length=30)
    name_th = models.CharField(_("name (Thai)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=EquipmentCategory.choices,
                                default=EquipmentCategory.OTHER)
    unit_th = models.CharField(_("unit (Thai)"), max_length=20, default="ชิ้น")
    unit_en = models.CharField(_("unit (English)"), max_length=20, default="pcs")
    stock = models.PositiveIntegerField(_("units in stock"))
    is_active = models.BooleanField(_("in use"), default=True)
    notes = models.TextField(_("notes"), blank=True, max_length=2000)

    objects = EquipmentItemQuerySet.as_manager()

    class Meta:
        ordering = ["venue__code", "category", "code"]
        constraints = [models.UniqueConstraint(fields=["venue", "code"], name="equipment_code_unique_in_venue")]
        verbose_name = _("equipment item")
        verbose_name_plural = _("equipment items")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def name(self) -> str:
        return self.name_en if _en() and self.name_en else self.name_th

    @property
    def unit(self) -> str:
        return self.unit_en if _en() and self.unit_en else self.unit_th

    def can_edit(self, user) -> bool:
        return _is_staff(user)


class ItemRepair(TimeStampedModel):
    """Units of an item out for repair (or otherwise unusable) from the first to the last day, inclusive."""

    item = models.ForeignKey(EquipmentItem, verbose_name=_("item"), on_delete=models.CASCADE,
                             related_name="repairs")
    quantity = models.PositiveIntegerField(_("units"), validators=[MinValueValidator(1)])
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["first_day", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(last_day__gte=models.F("first_day")), name="repair_days_ordered"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="repair_quantity_positive"),
        ]
        verbose_name = _("repair")
        verbose_name_plural = _("repairs")

    def __str__(self) -> str:
        return f"{self.item.code} ×{self.quantity} {self.first_day}–{self.last_day}"


class ItemDay(models.Model):
    """The counter of one item on one day: units usable that day and units reserved by occupying bookings.

    `reserved <= capacity` is a CHECK constraint, so no transaction can commit a day that exceeds the
    stock, however it got there. Rows are made on first use; capacity = stock − units out for repair.
    """

    item = models.ForeignKey(EquipmentItem, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()
    capacity = models.IntegerField()
    reserved = models.IntegerField(default=0)

    class Meta:
        ordering = ["item_id", "day"]
        constraints = [
            models.UniqueConstraint(fields=["item", "day"], name="itemday_one_row_per_day"),
            models.CheckConstraint(condition=Q(reserved__lte=models.F("capacity")), name="itemday_within_stock"),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="itemday_reserved_not_negative"),
            models.CheckConstraint(condition=Q(capacity__gte=0), name="itemday_capacity_not_negative"),
        ]
        verbose_name = _("equipment day")
        verbose_name_plural = _("equipment days")

    @property
    def free(self) -> int:
        return self.capacity - self.reserved


class EquipmentRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> "EquipmentRequestQuerySet":
        """Staff see every request; agency members see their agency's bookings' requests."""
        if _is_staff(user):
            return self
        agency = _agency_of(user)
        return self.filter(booking__agency_id=agency) if agency else self.none()


class EquipmentRequest(TimeStampedModel):
    """Units of one item a booking asks for over its whole occupied span (setup and teardown included).

    The request counts against stock only while its booking occupies its space; `claimed_*` records what
    is reserved now (units and days), so releasing never depends on the booking's times at that moment.
    """

    booking = models.ForeignKey(Booking, verbose_name=_("booking"), on_delete=models.CASCADE,
                                related_name="equipment_requests")
    item = models.ForeignKey(EquipmentItem, verbose_name=_("item"), on_delete=models.PROTECT,
                             related_name="requests")
    quantity = models.PositiveIntegerField(_("units"), validators=[MinValueValidator(1)])
    note = models.CharField(_("note"), max_length=200, blank=True)
    claimed_quantity = models.PositiveIntegerField(default=0, editable=False)
    claimed_first = models.DateField(null=True, blank=True, editable=False)
    claimed_last = models.DateField(null=True, blank=True, editable=False)

    objects = EquipmentRequestQuerySet.as_manager()

    class Meta:
        ordering = ["item__category", "item__code"]
        constraints = [models.UniqueConstraint(fields=["booking", "item"], name="one_request_per_item")]
        verbose_name = _("equipment request")
        verbose_name_plural = _("equipment requests")

    def __str__(self) -> str:
        return f"{self.item.code} ×{self.quantity} for booking {self.booking_id}"

    @property
    def is_reserved(self) -> bool:
        return self.claimed_quantity > 0

    @staticmethod
    def can_change(user, booking: Booking) -> bool:
        """Whoever may change the booking (staff, or a planner of its agency) while it can still change."""
        return booking.can_edit(user)


def booking_days(booking: Booking) -> list[date]:
    """The local days a booking occupies (setup and teardown included); its span is half-open [start, end)."""
    tz = timezone.get_current_timezone()
    first = timezone.localtime(booking.occupied_start, tz).date()
    last = timezone.localtime(booking.occupied_end - timedelta(microseconds=1), tz).date()
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


# ---------------------------------------------------------------- event orders

class EventOrderQuerySet(models.QuerySet):
    def visible_to(self, user) -> "EventOrderQuerySet":
        """Staff see every event order; agency members see those of their agency's bookings."""
        if _is_staff(user):
            return self
        agency = _agency_of(user)
        return self.filter(booking__agency_id=agency) if agency else self.none()

    def editable_by(self, user) -> "EventOrderQuerySet":
        return self if _is_staff(user) else self.none()


class EventOrder(TimeStampedModel):
    """The function sheet of one booking: what every team does, when, with what, for how many."""

    booking = models.OneToOneField(Booking, verbose_name=_("booking"), on_delete=models.CASCADE,
                                   related_name="event_order")
    layout = models.CharField(_("room layout"), max_length=20, choices=Layout.choices, blank=True)
    capacity = models.PositiveIntegerField(_("seats / places set"), default=0)
    layout_notes = models.TextField(_("layout details"), blank=True, max_length=2000)
    catering_headcount = models.PositiveIntegerField(_("catering headcount"), default=0)
    parking_spaces = models.PositiveIntegerField(_("parking spaces"), default=0)
    day_contact_name = models.CharField(_("customer's contact on the day"), max_length=120, blank=True)
    day_contact_phone = models.CharField(_("contact phone on the day"), max_length=40, blank=True)
    notes_coordination = models.TextField(_("notes: coordination"), blank=True, max_length=2000)
    notes_setup = models.TextField(_("notes: setup and equipment"), blank=True, max_length=2000)
    notes_av_it = models.TextField(_("notes: AV and IT"), blank=True, max_length=2000)
    notes_catering = models.TextField(_("notes: catering"), blank=True, max_length=2000)
    notes_cleaning = models.TextField(_("notes: cleaning"), blank=True, max_length=2000)
    notes_security = models.TextField(_("notes: security"), blank=True, max_length=2000)
    notes_parking = models.TextField(_("notes: parking"), blank=True, max_length=2000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = EventOrderQuerySet.as_manager()

    class Meta:
        ordering = ["booking__start", "id"]
        verbose_name = _("event order")
        verbose_name_plural = _("event orders")

    def __str__(self) -> str:
        return f"{self.number} {self.booking.title}"

    @property
    def number(self) -> str:
        return f"EO-{self.pk:05d}" if self.pk else "EO-new"

    def team_notes(self, team: str) -> str:
        return getattr(self, f"notes_{team}", "")

    def can_view(self, user) -> bool:
        return _is_staff(user) or (self.booking.agency_id is not None and _agency_of(user) == self.booking.agency_id)

    def can_edit(self, user) -> bool:
        return _is_staff(user)

    def can_see_staffing(self, user) -> bool:
        """Who works the event (names, phones, staff needs) is the center's business, in the order itself and in
        every revision's or pending list of changes."""
        return _is_staff(user)


class TimelineKind(models.TextChoices):
    MOVE_IN = "move_in", _("Move-in")
    SETUP = "setup", _("Setup")
    SESSION = "session", _("Session")
    BREAK = "break", _("Break")
    MEAL = "meal", _("Meal")
    TEARDOWN = "teardown", _("Teardown")
    MOVE_OUT = "move_out", _("Move-out")
    OTHER = "other", _("Other")


class TimelineEntry(models.Model):
    """One step of the event's day(s): move-in, setup, sessions, breaks, teardown, move-out."""

    event_order = models.ForeignKey(EventOrder, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(_("kind"), max_length=20, choices=TimelineKind.choices)
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    title = models.CharField(_("what"), max_length=200, blank=True)
    team = models.CharField(_("team"), max_length=20, choices=Team.choices, blank=True)

    class Meta:
        ordering = ["start", "end", "id"]
        constraints = [models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="timeline_end_after_start")]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")


class MealKind(models.TextChoices):
    BREAKFAST = "breakfast", _("Breakfast")
    COFFEE_BREAK = "coffee_break", _("Coffee break")
    LUNCH = "lunch", _("Lunch")
    DINNER = "dinner", _("Dinner")
    RECEPTION = "reception", _("Cocktail reception")
    DRINKS = "drinks", _("Drinking water")
    OTHER = "other", _("Other")


class CateringItem(models.Model):
    """A meal or break served at a time for a headcount."""

    event_order = models.ForeignKey(EventOrder, on_delete=models.CASCADE, related_name="catering")
    kind = models.CharField(_("meal"), max_length=20, choices=MealKind.choices)
    served_at = models.DateTimeField(_("served at"))
    headcount = models.PositiveIntegerField(_("headcount"))
    notes = models.CharField(_("menu and notes"), max_length=300, blank=True)

    class Meta:
        ordering = ["served_at", "id"]
        verbose_name = _("catering item")
        verbose_name_plural = _("catering items")


class StaffNeed(models.Model):
    """How many people of one skill the event needs over a period (the day's demand is built from these)."""

    event_order = models.ForeignKey(EventOrder, on_delete=models.CASCADE, related_name="needs")
    skill = models.CharField(_("skill"), max_length=20, choices=Skill.choices)
    count = models.PositiveIntegerField(_("people"), validators=[MinValueValidator(1)])
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))

    class Meta:
        ordering = ["start", "skill", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="need_end_after_start"),
            models.CheckConstraint(condition=Q(count__gte=1), name="need_count_positive"),
        ]
        verbose_name = _("staff need")
        verbose_name_plural = _("staff needs")


class EventOrderRevision(models.Model):
    """A numbered version of an event order as sent to the teams, with what changed since the one before."""

    event_order = models.ForeignKey(EventOrder, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)
    snapshot = models.JSONField(default=dict)
    changes = models.JSONField(default=list)

    class Meta:
        ordering = ["event_order_id", "number"]
        constraints = [models.UniqueConstraint(fields=["event_order", "number"], name="revision_number_unique")]
        verbose_name = _("event order revision")
        verbose_name_plural = _("event order revisions")


# ---------------------------------------------------------------- people

class StaffMemberQuerySet(models.QuerySet):
    def visible_to(self, user) -> "StaffMemberQuerySet":
        """Staff see everyone; a member with a login sees only themself."""
        if _is_staff(user):
            return self
        if getattr(user, "is_authenticated", False):
            return self.filter(user_id=user.pk)
        return self.none()

    def editable_by(self, user) -> "StaffMemberQuerySet":
        return self if _is_staff(user) else self.none()


WEEKDAYS_DEFAULT = [0, 1, 2, 3, 4]


def _weekdays_default() -> list[int]:
    return list(WEEKDAYS_DEFAULT)


class StaffMember(TimeStampedModel):
    """A person of the center who works events: unit, skills, working days and hours."""

    venue = models.ForeignKey(Venue, verbose_name=_("venue"), on_delete=models.PROTECT, related_name="staff")
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    unit = models.CharField(_("work unit"), max_length=120)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("login"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="staff_member")
    working_days = models.JSONField(_("working days"), default=_weekdays_default, blank=True,
                                    help_text=_("0 = Monday … 6 = Sunday"))
    day_starts = models.TimeField(_("working day starts"), default=time(8, 30))
    day_ends = models.TimeField(_("working day ends"), default=time(16, 30))
    is_active = models.BooleanField(_("active"), default=True)

    objects = StaffMemberQuerySet.as_manager()

    class Meta:
        ordering = ["venue__code", "unit", "name"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name_en if _en() and self.name_en else self.name

    @property
    def skill_labels(self) -> list[str]:
        return [str(Skill(s).label) for s in (self.skills or []) if s in Skill.values]

    def has_skill(self, skill: str) -> bool:
        return skill in (self.skills or [])

    def works_on(self, day: date) -> bool:
        return day.weekday() in (self.working_days or [])

    def working_window(self, day: date) -> tuple[datetime, datetime] | None:
        """The member's regular hours on a day as aware datetimes, or None on a day off."""
        if not self.works_on(day):
            return None
        tz = timezone.get_current_timezone()
        return (datetime.combine(day, self.day_starts, tzinfo=tz), datetime.combine(day, self.day_ends, tzinfo=tz))

    def can_view_schedule(self, user) -> bool:
        return _is_staff(user) or (getattr(user, "is_authenticated", False) and self.user_id == user.pk)

    def can_edit(self, user) -> bool:
        return _is_staff(user)


class LeaveKind(models.TextChoices):
    ANNUAL = "annual", _("Annual leave")
    SICK = "sick", _("Sick leave")
    TRAINING = "training", _("Training")
    OTHER = "other", _("Other")


class StaffLeave(TimeStampedModel):
    """Days a member is away (inclusive)."""

    member = models.ForeignKey(StaffMember, verbose_name=_("staff member"), on_delete=models.CASCADE,
                               related_name="leaves")
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("until"))
    kind = models.CharField(_("kind"), max_length=20, choices=LeaveKind.choices, default=LeaveKind.ANNUAL)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["first_day", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(last_day__gte=models.F("first_day")), name="leave_days_ordered"),
        ]
        verbose_name = _("leave")
        verbose_name_plural = _("leave")


class AssignmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AssignmentQuerySet":
        """Staff see every assignment; a member with a login sees their own."""
        if _is_staff(user):
            return self
        if getattr(user, "is_authenticated", False):
            return self.filter(member__user_id=user.pk)
        return self.none()


class Assignment(TimeStampedModel):
    """A person working an event order in one role over a period."""

    event_order = models.ForeignKey(EventOrder, verbose_name=_("event order"), on_delete=models.CASCADE,
                                    related_name="assignments")
    member = models.ForeignKey(StaffMember, verbose_name=_("staff member"), on_delete=models.PROTECT,
                               related_name="assignments")
    role = models.CharField(_("role"), max_length=20, choices=Skill.choices)
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["start", "id"]
        constraints = [models.CheckConstraint(condition=Q(end__gt=models.F("start")),
                                              name="assignment_end_after_start")]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600
