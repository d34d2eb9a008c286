"""The diary: bookings, holds with option ranks, and occupancy rows the database keeps from overlapping."""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khuang.accounts import roles
from khuang.accounts.models import Agency
from khuang.accounts.roles import Ability
from khuang.core.models import ActivityType, TimeStampedModel
from khuang.venues.models import CustomerClass, Layout, Space

DEFAULT_MAX_HOLD_DAYS = 30
DEFAULT_MAX_SPAN_DAYS = 31


class BookingStatus(models.TextChoices):
    INQUIRY = "inquiry", _("Inquiry")
    HOLD = "hold", _("Hold")
    CONFIRMED = "confirmed", _("Confirmed")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class BookingSeries(TimeStampedModel):
    """Occurrences of one recurring booking (e.g. a weekly training for eight weeks)."""

    title = models.CharField(_("title"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = _("booking series")
        verbose_name_plural = _("booking series")

    def __str__(self) -> str:
        return self.title


class BookingQuerySet(models.QuerySet):
    """Bookings filtered by who asks: every list, page and export of bookings starts here."""

    def visible_to(self, user) -> "BookingQuerySet":
        """Staff: every booking; agency members: their agency's; anyone else: none."""
        if roles.has(user, Ability.SEE_ALL_AGENCIES):
            return self
        agency_id = roles.own_agency_id(user, Ability.SEE_OWN_AGENCY)
        return self.filter(agency_id=agency_id) if agency_id is not None else self.none()

    def with_registrants_visible_to(self, user) -> "BookingQuerySet":
        """Events whose registrants (names, e-mails, phones) the user may read: the center's staff for every event,
        agency members for their agency's. Roles that read bookings for other duties (finance) see none."""
        if roles.has(user, Ability.MANAGE_CENTER):
            return self
        agency_id = roles.own_agency_id(user, Ability.SEE_OWN_AGENCY)
        return self.filter(agency_id=agency_id) if agency_id is not None else self.none()

    def editable_by(self, user) -> "BookingQuerySet":
        """Bookings the user may change: staff any; planners their agency's; never a cancelled or completed one."""
        live = self.exclude(status__in=(BookingStatus.CANCELLED, BookingStatus.COMPLETED))
        if roles.has(user, Ability.BOOK_ANY_AGENCY):
            return live
        agency_id = roles.own_agency_id(user, Ability.BOOK_OWN_AGENCY)
        return live.filter(agency_id=agency_id) if agency_id is not None else self.none()


class Booking(TimeStampedModel):
    """A claim on one space for an event, with setup before and teardown after it."""

    space = models.ForeignKey(Space, verbose_name=_("space"), on_delete=models.PROTECT, related_name="bookings")
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), null=True, blank=True, on_delete=models.PROTECT, related_name="bookings"
    )
    contact_name = models.CharField(_("contact name"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    event_type = models.CharField(_("activity type"), max_length=20, choices=ActivityType.choices,
                                  default=ActivityType.OTHER)
    start = models.DateTimeField(_("event start"))
    end = models.DateTimeField(_("event end"))
    setup_minutes = models.PositiveIntegerField(_("setup (minutes)"), default=0)
    teardown_minutes = models.PositiveIntegerField(_("teardown (minutes)"), default=0)
    # The occupied span (setup + event + teardown), stored so diary queries need no arithmetic.
    occupied_start = models.DateTimeField(editable=False, db_index=True)
    occupied_end = models.DateTimeField(editable=False, db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=BookingStatus.choices,
                              default=BookingStatus.INQUIRY, db_index=True)
    option_rank = models.PositiveSmallIntegerField(_("option rank"), null=True, blank=True)
    hold_expires_at = models.DateTimeField(_("hold expires at"), null=True, blank=True)
    layout = models.CharField(_("layout"), max_length=20, choices=Layout.choices, blank=True)
    attendees = models.PositiveIntegerField(_("expected attendance"), default=0,
                                            validators=[MinValueValidator(0)])
    customer_class = models.CharField(_("customer class"), max_length=20, choices=CustomerClass.choices,
                                      default=CustomerClass.GOVERNMENT)
    is_public = models.BooleanField(_("public event"), default=False)
    series = models.ForeignKey(BookingSeries, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="bookings")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="bookings_created")
    status_changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="+")
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_reason = models.TextField(_("reason"), blank=True)
    rules_overridden = models.BooleanField(default=False)
    # Raised on every change the public may see (iCalendar SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["start", "id"]
        indexes = [models.Index(fields=["space", "occupied_start", "occupied_end"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="booking_end_after_start"),
        ]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")

    def __str__(self) -> str:
        return f"{self.title} ({self.space.code}, {self.start:%Y-%m-%d})"

    def compute_occupied(self) -> None:
        self.occupied_start = self.start - timedelta(minutes=self.setup_minutes)
        self.occupied_end = self.end + timedelta(minutes=self.teardown_minutes)

    def save(self, *args, **kwargs):
        self.compute_occupied()
        super().save(*args, **kwargs)

    @property
    def occupies(self) -> bool:
        """Only a first-option hold or a confirmed booking keeps others out of the space."""
        return self.status == BookingStatus.CONFIRMED or (
            self.status == BookingStatus.HOLD and self.option_rank == 1
        )

    @property
    def is_expired_hold(self) -> bool:
        return (
            self.status == BookingStatus.HOLD and self.hold_expires_at is not None
            and self.hold_expires_at <= timezone.now()
        )

    def display_title(self, lang: str = "th") -> str:
        return self.title_en if lang.startswith("en") and self.title_en else self.title

    # Permission predicates: every caller asks the booking, not its own rules. They mirror the querysets above.
    def can_view(self, user) -> bool:
        """Staff see every booking; members of an agency (planners, agency viewers) see their agency's."""
        if roles.has(user, Ability.SEE_ALL_AGENCIES):
            return True
        agency_id = roles.own_agency_id(user, Ability.SEE_OWN_AGENCY)
        return agency_id is not None and agency_id == self.agency_id

    def is_managed_by(self, user) -> bool:
        """Staff, or a planner of the booking's agency (whatever its state)."""
        if roles.has(user, Ability.BOOK_ANY_AGENCY):
            return True
        agency_id = roles.own_agency_id(user, Ability.BOOK_OWN_AGENCY)
        return agency_id is not None and agency_id == self.agency_id

    def shows_title_to(self, user) -> bool:
        """The one masking rule: a public event's title is for everyone, a private one only for who may view it
        (the diary, conflicts, plan explanations and exports all ask this)."""
        return self.is_public or (user is not None and self.can_view(user))

    def can_edit(self, user) -> bool:
        """Staff, or a planner of the booking's agency, while it is neither cancelled nor completed."""
        return self.is_managed_by(user) and self.status not in (BookingStatus.CANCELLED, BookingStatus.COMPLETED)

    def can_confirm(self, user) -> bool:
        return self.may_confirm(user) and self.status in (
            BookingStatus.INQUIRY, BookingStatus.HOLD,
        )

    def can_release(self, user) -> bool:
        return self.is_managed_by(user) and self.status == BookingStatus.HOLD

    def can_cancel(self, user) -> bool:
        return self.is_managed_by(user) and self.status in (
            BookingStatus.INQUIRY, BookingStatus.HOLD, BookingStatus.CONFIRMED,
        )

    def can_complete(self, user) -> bool:
        return roles.has(user, Ability.BOOK_ANY_AGENCY) and self.status == BookingStatus.CONFIRMED

    def shows_registrants_to(self, user) -> bool:
        """May `user` read this event's registrants? Mirrors `with_registrants_visible_to`."""
        if roles.has(user, Ability.MANAGE_CENTER):
            return True
        agency_id = roles.own_agency_id(user, Ability.SEE_OWN_AGENCY)
        return agency_id is not None and agency_id == self.agency_id

    def can_manage_registrations(self, user) -> bool:
        """Check people in at the event: staff, or a planner of the organising agency."""
        return self.is_managed_by(user)

    @staticmethod
    def may_create(user, agency=None) -> bool:
        """May `user` make a booking for `agency` (None: for their own)? Staff for anyone, planners for their own
        agency only; agency viewers and executives make none."""
        if Booking.may_book_for_any_agency(user):
            return True
        own = roles.own_agency_id(user, Ability.BOOK_OWN_AGENCY)
        return own is not None and (agency is None or getattr(agency, "pk", agency) == own)

    @staticmethod
    def may_book_for_any_agency(user) -> bool:
        return roles.has(user, Ability.BOOK_ANY_AGENCY)

    @staticmethod
    def may_confirm(user) -> bool:
        """Confirming an inquiry or hold is for center staff."""
        return roles.has(user, Ability.BOOK_ANY_AGENCY)

    @staticmethod
    def may_override_rules(user) -> bool:
        """Only staff may set a space's booking rules aside (and the hold and span caps never bind them)."""
        return roles.has(user, Ability.BOOK_ANY_AGENCY)


class Occupancy(models.Model):
    """One atomic space taken by one occupying booking over its occupied span, half-open [start, end).

    On PostgreSQL an exclusion constraint (see migration 0002) forbids two active rows of one space from
    overlapping; on SQLite the booking services write these rows inside one IMMEDIATE transaction.
    """

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="occupancies")
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="occupancies")
    start = models.DateTimeField()
    end = models.DateTimeField()
    active = models.BooleanField(default=True)

    class Meta:
        indexes = [models.Index(fields=["space", "start", "end"], name="occupancy_space_span")]
        verbose_name = _("occupancy")
        verbose_name_plural = _("occupancies")


class BookingRule(TimeStampedModel):
    """Limits staff set on a space; a breach is refused naming the rule unless staff override it."""

    space = models.OneToOneField(Space, on_delete=models.CASCADE, related_name="booking_rule")
    min_attendees = models.PositiveIntegerField(_("minimum attendance"), null=True, blank=True)
    max_attendees = models.PositiveIntegerField(_("maximum attendance"), null=True, blank=True)
    min_duration_minutes = models.PositiveIntegerField(_("minimum duration (minutes)"), null=True, blank=True)
    max_duration_minutes = models.PositiveIntegerField(_("maximum duration (minutes)"), null=True, blank=True)
    min_lead_days = models.PositiveIntegerField(_("book at least N days ahead"), null=True, blank=True)
    max_lead_months = models.PositiveIntegerField(_("book at most N months ahead"), null=True, blank=True)
    hold_roles = models.JSONField(_("roles that may hold directly"), default=list, blank=True,
                                  help_text=_("Empty: center staff and agency planners."))
    confirm_roles = models.JSONField(_("roles that may confirm directly"), default=list, blank=True,
                                     help_text=_("Empty: center staff only."))
    default_hold_days = models.PositiveIntegerField(_("hold lasts (days)"), default=7)
    # Caps on what people other than center staff may claim: a hold cannot be kept for a year, nor a hall for months.
    max_hold_days = models.PositiveIntegerField(
        _("holds by non-staff expire within (days)"), default=DEFAULT_MAX_HOLD_DAYS,
        validators=[MinValueValidator(1)])
    max_span_days = models.PositiveIntegerField(
        _("bookings by non-staff span at most (days)"), default=DEFAULT_MAX_SPAN_DAYS,
        validators=[MinValueValidator(1)], help_text=_("Setup and teardown included."))

    class Meta:
        verbose_name = _("booking rule")
        verbose_name_plural = _("booking rules")

    def __str__(self) -> str:
        return f"rules for {self.space.code}"

    @classmethod
    def for_space(cls, space: Space) -> "BookingRule":
        """The space's rule, or an unsaved one holding the defaults when staff set none."""
        return cls.objects.filter(space=space).first() or cls(space=space)

    def allows_hold(self, user) -> bool:
        """May `user` place a hold directly? Staff always; others if their role is listed (default: planners)."""
        if Booking.may_override_rules(user):
            return True
        listed = self.hold_roles or ["agency_planner"]
        return getattr(user, "role", None) in listed

    def allows_confirm(self, user) -> bool:
        """May `user` make a confirmed booking directly? Staff always; others only if their role is listed."""
        return Booking.may_override_rules(user) or getattr(user, "role", None) in (self.confirm_roles or [])
