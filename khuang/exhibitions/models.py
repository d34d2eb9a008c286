"""Trade fairs and exhibitions: floor plans (booths, aisles, obstacles), exhibitions on bookings, booth claims the
database keeps from being sold twice, exhibitor applications with documents, optimizer runs and booth fees.

Lengths are metres; (x, y) is the top-left corner of a rectangle, x to the right and y down the plan.
"""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from khuang.accounts import roles
from khuang.accounts.roles import Ability
from khuang.bookings.models import Booking, BookingStatus
from khuang.core.i18n import pick as _pick
from khuang.core.models import TimeStampedModel
from khuang.finance.models import is_finance_officer, prepares_documents
from khuang.venues.models import Space

from .provinces import province_name

METRES = {"max_digits": 8, "decimal_places": 2}
NON_NEGATIVE = [MinValueValidator(Decimal("0"))]
# Booth codes are drawn inside the SVG plan; Latin letters keep them legible in every renderer (PDF included).
BOOTH_CODE = RegexValidator(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$",
                            _("1–20 Latin letters, digits, '.', '_' or '-', starting with a letter or digit."))


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


class BoothType(models.TextChoices):
    """How many sides of a booth face an aisle: inline 1, corner 2, peninsula 3, island 4."""

    INLINE = "inline", _("Inline")
    CORNER = "corner", _("Corner")
    PENINSULA = "peninsula", _("Peninsula")
    ISLAND = "island", _("Island")


class FeatureKind(models.TextChoices):
    AISLE = "aisle", _("Aisle")
    OBSTACLE = "obstacle", _("Obstacle")
    ENTRANCE = "entrance", _("Entrance")


class ExhibitorCategory(models.TextChoices):
    """Who exhibits; booth prices differ by category."""

    COMMUNITY = "community", _("Community enterprise / OTOP")
    SME = "sme", _("SME")
    CORPORATE = "corporate", _("Corporate")
    GOVERNMENT = "government", _("Government")


class ProductCategory(models.TextChoices):
    CERAMICS = "ceramics", _("Ceramics")
    TEXTILES = "textiles", _("Textiles and clothing")
    FOOD = "food", _("Food and drinks")
    HANDICRAFT = "handicraft", _("Handicrafts")
    WOOD = "wood", _("Wood and furniture")
    AGRICULTURE = "agriculture", _("Agricultural products")
    HERBAL = "herbal", _("Herbal and beauty products")
    INDUSTRIAL = "industrial", _("Industrial products and machinery")
    SERVICES = "services", _("Services")
    OTHER = "other", _("Other")


# ---------------------------------------------------------------- floor plans

class FloorPlanQuerySet(models.QuerySet):
    """Floor plans filtered by who asks."""

    def visible_to(self, user) -> "FloorPlanQuerySet":
        """Staff see every plan; anyone signed in sees the active ones; nobody else any."""
        if FloorPlan.may_create(user):
            return self
        return self.filter(is_active=True) if _signed_in(user) else self.none()

    def editable_by(self, user) -> "FloorPlanQuerySet":
        """Plans the user may change: every plan for center staff, none for anyone else."""
        return self if FloorPlan.may_create(user) else self.none()


class FloorPlan(TimeStampedModel):
    """A layout of booths in one space, reused by every exhibition there. A combined space's plan places each
    of its parts (`parts_layout`) and every booth lies inside one part."""

    space = models.ForeignKey(Space, verbose_name=_("space"), on_delete=models.PROTECT, related_name="floor_plans")
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    width_m = models.DecimalField(_("width (m)"), **METRES, validators=[MinValueValidator(Decimal("1"))])
    depth_m = models.DecimalField(_("depth (m)"), **METRES, validators=[MinValueValidator(Decimal("1"))])
    grid_m = models.DecimalField(_("grid (m)"), max_digits=4, decimal_places=2, default=Decimal("1"),
                                 validators=[MinValueValidator(Decimal("0.25"))],
                                 help_text=_("The editor snaps to this step."))
    parts_layout = models.JSONField(_("parts"), default=list, blank=True,
                                    help_text=_("Where each part of a combined space lies on the plan."))
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = FloorPlanQuerySet.as_manager()

    class Meta:
        ordering = ["space__code", "name_th", "id"]
        verbose_name = _("floor plan")
        verbose_name_plural = _("floor plans")

    def __str__(self) -> str:
        return f"{self.space.code} · {self.name}"

    @property
    def name(self) -> str:
        return _pick(self.name_th, self.name_en)

    def can_view(self, user) -> bool:
        """Staff see every plan, anyone signed in an active one."""
        return FloorPlan.may_create(user) or (self.is_active and _signed_in(user))

    def can_edit(self, user) -> bool:
        """Only center staff draw, import and copy floor plans."""
        return FloorPlan.may_create(user)

    @staticmethod
    def may_create(user) -> bool:
        """Floor plans are the venue's inventory: center staff make them."""
        return roles.has(user, Ability.MANAGE_CENTER)


class Booth(models.Model):
    """One booth of a floor plan."""

    plan = models.ForeignKey(FloorPlan, on_delete=models.CASCADE, related_name="booths")
    code = models.CharField(_("code"), max_length=20, validators=[BOOTH_CODE])
    x = models.DecimalField("x (m)", **METRES, validators=NON_NEGATIVE)
    y = models.DecimalField("y (m)", **METRES, validators=NON_NEGATIVE)
    width = models.DecimalField(_("width (m)"), **METRES, validators=[MinValueValidator(Decimal("0.5"))])
    depth = models.DecimalField(_("depth (m)"), **METRES, validators=[MinValueValidator(Decimal("0.5"))])
    kind = models.CharField(_("type"), max_length=12, choices=BoothType.choices, default=BoothType.INLINE)
    power = models.BooleanField(_("power"), default=False)
    water = models.BooleanField(_("water"), default=False)
    zone = models.CharField(_("zone"), max_length=30, blank=True)
    price_class = models.CharField(_("price class"), max_length=20, default="standard",
                                   validators=[RegexValidator(r"^[a-z0-9_-]{1,20}$",
                                                              _("Lower-case letters, digits, '_' or '-'."))])
    prime = models.BooleanField(_("good position"), default=False,
                                help_text=_("By the entrance or the main aisle; a quota is kept for community "
                                            "producers."))

    class Meta:
        ordering = ["plan", "code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="booth_code_unique_in_plan")]
        verbose_name = _("booth")
        verbose_name_plural = _("booths")

    def __str__(self) -> str:
        return self.code

    @property
    def corner(self) -> bool:
        """Open on two or more sides (the 'corner' feature exhibitors ask for)."""
        return self.kind != BoothType.INLINE

    @property
    def area(self) -> Decimal:
        return self.width * self.depth


class PlanFeature(models.Model):
    """An aisle, a fixed obstacle (pillar, stage, stairs) or an entrance drawn on the plan; booths keep clear."""

    plan = models.ForeignKey(FloorPlan, on_delete=models.CASCADE, related_name="features")
    kind = models.CharField(_("kind"), max_length=12, choices=FeatureKind.choices)
    x = models.DecimalField("x (m)", **METRES, validators=NON_NEGATIVE)
    y = models.DecimalField("y (m)", **METRES, validators=NON_NEGATIVE)
    width = models.DecimalField(_("width (m)"), **METRES, validators=[MinValueValidator(Decimal("0.1"))])
    depth = models.DecimalField(_("depth (m)"), **METRES, validators=[MinValueValidator(Decimal("0.1"))])
    label = models.CharField(_("label"), max_length=40, blank=True)

    class Meta:
        ordering = ["plan", "kind", "id"]
        verbose_name = _("plan feature")
        verbose_name_plural = _("plan features")


# ---------------------------------------------------------------- exhibitions

class ExhibitionQuerySet(models.QuerySet):
    """Exhibitions filtered by who asks: every list, page and export of exhibitions starts here."""

    def visible_to(self, user) -> "ExhibitionQuerySet":
        """Those who read every agency's bookings (staff; finance officers, who bill booth fees) see every
        exhibition; members of the organising agency (planners, viewers) see theirs; anyone else none."""
        if roles.has(user, Ability.SEE_ALL_AGENCIES):
            return self
        agency_id = roles.own_agency_id(user, Ability.SEE_OWN_AGENCY)
        return self.filter(booking__agency_id=agency_id) if agency_id is not None else self.none()

    def managed_by(self, user) -> "ExhibitionQuerySet":
        """Staff manage every exhibition; planners of the organising agency manage theirs."""
        if roles.has(user, Ability.MANAGE_CENTER):
            return self
        agency_id = roles.own_agency_id(user, Ability.BOOK_OWN_AGENCY)
        return self.filter(booking__agency_id=agency_id) if agency_id is not None else self.none()

    def titles_shown_to(self, user) -> "ExhibitionQuerySet":
        """Exhibitions whose event title the user may read: public events for everyone, private ones for who may
        see them (the diary's masking rule, `Booking.shows_title_to`)."""
        return self.filter(Q(booking__is_public=True) | Q(booking__in=Booking.objects.visible_to(user)))


class Exhibition(TimeStampedModel):
    """A trade fair or exhibition on a booking: its floor plan, booth prices, application and assignment rules."""

    booking = models.OneToOneField(Booking, verbose_name=_("booking"), on_delete=models.CASCADE,
                                   related_name="exhibition")
    floor_plan = models.ForeignKey(FloorPlan, verbose_name=_("floor plan"), on_delete=models.PROTECT,
                                   related_name="exhibitions")
    applications_open = models.BooleanField(_("applications open"), default=True)
    application_deadline = models.DateField(_("application deadline"), null=True, blank=True)
    public_map = models.BooleanField(_("public exhibitor list and map"), default=True,
                                     help_text=_("Exhibitors who agree are listed on the event page."))
    hold_days = models.PositiveIntegerField(_("booth hold lasts (days)"), default=7,
                                            validators=[MinValueValidator(1), MaxValueValidator(90)])
    deposit_pct = models.DecimalField(_("deposit (%)"), max_digits=5, decimal_places=2, default=Decimal("50"),
                                      validators=[MinValueValidator(0), MaxValueValidator(100)])
    deposit_due_days = models.PositiveIntegerField(_("deposit due (days after reservation)"), default=7)
    balance_due_days = models.PositiveIntegerField(_("balance due (days before move-in)"), default=14)
    competitor_distance_m = models.DecimalField(_("competitor distance (m)"), max_digits=6, decimal_places=2,
                                                default=Decimal("0"), validators=NON_NEGATIVE,
                                                help_text=_("0: competitors only may not be neighbours."))
    community_prime_quota = models.PositiveIntegerField(_("good positions kept for community producers"),
                                                        default=0)
    zone_weight = models.PositiveIntegerField(_("points per booth in a preferred zone"), default=1)
    type_weight = models.PositiveIntegerField(_("points for the wanted booth type"), default=1)
    manual_th = models.TextField(_("exhibitor manual (Thai)"), blank=True)
    manual_en = models.TextField(_("exhibitor manual (English)"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = ExhibitionQuerySet.as_manager()

    class Meta:
        ordering = ["booking__start", "id"]
        verbose_name = _("exhibition")
        verbose_name_plural = _("exhibitions")

    def __str__(self) -> str:
        return self.booking.title

    def title(self, lang: str | None = None) -> str:
        return self.booking.display_title(lang or get_language() or "th")

    @property
    def manual(self) -> str:
        return _pick(self.manual_th, self.manual_en)

    # Permission predicates: every caller asks the exhibition. They mirror the querysets above.
    def can_view(self, user) -> bool:
        """Staff and finance officers see every exhibition; the organising agency's members see theirs."""
        if roles.has(user, Ability.SEE_ALL_AGENCIES):
            return True
        agency_id = roles.own_agency_id(user, Ability.SEE_OWN_AGENCY)
        return agency_id is not None and agency_id == self.booking.agency_id

    def can_manage(self, user) -> bool:
        """Settings, prices, the booth desk, decisions and optimizer runs: staff, or a planner of the organising
        agency."""
        return Exhibition.may_create(user, self.booking)

    @staticmethod
    def may_create(user, booking: Booking) -> bool:
        """May `user` turn `booking` into an exhibition? Staff for any booking, planners for their agency's."""
        if roles.has(user, Ability.MANAGE_CENTER):
            return True
        agency_id = roles.own_agency_id(user, Ability.BOOK_OWN_AGENCY)
        return agency_id is not None and agency_id == booking.agency_id

    @staticmethod
    def bookings_to_set_up(user) -> "models.QuerySet[Booking]":
        """Live bookings without an exhibition yet that `user` may turn into one: staff see the fairs, exhibitions
        and festivals of every agency; planners every booking of their agency; anyone else none."""
        live = Booking.objects.filter(status__in=(BookingStatus.HOLD, BookingStatus.CONFIRMED),
                                      end__gt=timezone.now(), exhibition__isnull=True)
        if roles.has(user, Ability.MANAGE_CENTER):
            return live.filter(event_type__in=("trade_fair", "exhibition", "festival"))
        agency_id = roles.own_agency_id(user, Ability.BOOK_OWN_AGENCY)
        return live.filter(agency_id=agency_id) if agency_id is not None else Booking.objects.none()

    @property
    def accepts_applications(self) -> bool:
        """Open, public, not past the deadline, and the fair has not begun."""
        today = timezone.localdate()
        return (self.applications_open and self.booking.is_public and self.booking.status in ("hold", "confirmed")
                and (self.application_deadline is None or today <= self.application_deadline)
                and self.booking.start > timezone.now())

    @property
    def has_begun(self) -> bool:
        return self.booking.start <= timezone.now()


class BoothPrice(models.Model):
    """The price of one booth of a price class for one exhibitor category at one exhibition (THB, whole fair)."""

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="prices")
    price_class = models.CharField(_("price class"), max_length=20)
    category = models.CharField(_("exhibitor category"), max_length=20, choices=ExhibitorCategory.choices)
    price_thb = models.DecimalField(_("price (THB)"), max_digits=12, decimal_places=2, validators=NON_NEGATIVE)

    class Meta:
        ordering = ["exhibition", "price_class", "category"]
        constraints = [
            models.UniqueConstraint(fields=["exhibition", "price_class", "category"], name="booth_price_unique"),
            models.CheckConstraint(condition=Q(price_thb__gte=0), name="booth_price_non_negative"),
        ]
        verbose_name = _("booth price")
        verbose_name_plural = _("booth prices")


# ---------------------------------------------------------------- applications

class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    WAITLISTED = "waitlisted", _("Waiting list")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


def new_token() -> str:
    """The private link of an exhibitor's page: 256 random bits."""
    return secrets.token_urlsafe(32)


class ApplicationQuerySet(models.QuerySet):
    """Applications filtered by who asks: an exhibitor's data goes no further than its exhibition's readers."""

    def visible_to(self, user) -> "ApplicationQuerySet":
        """Applications of the exhibitions the person may see."""
        return self.filter(exhibition__in=Exhibition.objects.visible_to(user))

    def managed_by(self, user) -> "ApplicationQuerySet":
        """Applications of the exhibitions the person manages (decide, adjust, record sales)."""
        return self.filter(exhibition__in=Exhibition.objects.managed_by(user))

    def listed(self) -> "ApplicationQuerySet":
        """Accepted exhibitors who agreed to be listed in public."""
        return self.filter(status=ApplicationStatus.ACCEPTED, public_listing=True)


class ExhibitorApplication(TimeStampedModel):
    """A company's or community group's application to exhibit; its token opens the exhibitor's own page."""

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="applications")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    company_name = models.CharField(_("company or group name"), max_length=200)
    company_name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=120)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=30)
    province = models.CharField(_("province"), max_length=40)
    category = models.CharField(_("exhibitor category"), max_length=20, choices=ExhibitorCategory.choices)
    community_reg_no = models.CharField(_("community enterprise registration no."), max_length=40, blank=True)
    otop_stars = models.PositiveSmallIntegerField(_("OTOP stars"), null=True, blank=True,
                                                  validators=[MinValueValidator(1), MaxValueValidator(5)])
    product_category = models.CharField(_("product category"), max_length=20, choices=ProductCategory.choices)
    products = models.TextField(_("products"), blank=True)
    booths_wanted = models.PositiveSmallIntegerField(_("booths wanted"), default=1,
                                                     validators=[MinValueValidator(1), MaxValueValidator(8)])
    booth_type = models.CharField(_("wanted booth type"), max_length=12, choices=BoothType.choices, blank=True)
    needs_power = models.BooleanField(_("needs power"), default=False)
    needs_water = models.BooleanField(_("needs water"), default=False)
    preferred_zone = models.CharField(_("preferred zone"), max_length=30, blank=True)
    competitors_text = models.TextField(_("exhibitors not to be placed next to"), blank=True)
    avoid = models.ManyToManyField("self", verbose_name=_("competitors kept apart"), symmetrical=False, blank=True,
                                   related_name="avoided_by")
    public_listing = models.BooleanField(_("list us on the public exhibitor map"), default=True)
    language = models.CharField(max_length=5, default="th")
    status = models.CharField(_("status"), max_length=20, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.SUBMITTED, db_index=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    priority_points = models.PositiveIntegerField(_("priority points"), default=1,
                                                  validators=[MaxValueValidator(1000)])
    pinned = models.BooleanField(_("keep current booths when re-solving"), default=False)
    sales_thb = models.DecimalField(_("sales at the fair (THB)"), max_digits=12, decimal_places=2, null=True,
                                    blank=True, validators=NON_NEGATIVE)
    sales_recorded_at = models.DateTimeField(null=True, blank=True)
    sales_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="+")
    # The money chain: who is billed, and the booth-fee quotation (deposit and balance invoices hang off it).
    customer = models.ForeignKey("finance.Customer", verbose_name=_("customer"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="exhibitor_applications")
    quotation = models.ForeignKey("finance.Quotation", verbose_name=_("booth-fee quotation"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="exhibitor_applications")

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["exhibition", "created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(sales_thb__isnull=True) | Q(sales_thb__gte=0),
                                   name="application_sales_non_negative"),
            # One open application per e-mail address and exhibition (a declined or withdrawn one may re-apply).
            models.UniqueConstraint(fields=["exhibition", "email"],
                                    condition=Q(status__in=["submitted", "accepted", "waitlisted"]),
                                    name="application_one_open_per_email"),
        ]
        verbose_name = _("exhibitor application")
        verbose_name_plural = _("exhibitor applications")

    def __str__(self) -> str:
        return self.company_name

    @property
    def name(self) -> str:
        return _pick(self.company_name, self.company_name_en)

    @property
    def ref(self) -> str:
        """The id used in the booth exchange format."""
        return f"APP-{self.pk}"

    @property
    def is_community(self) -> bool:
        return self.category == ExhibitorCategory.COMMUNITY

    @property
    def province_name(self) -> str:
        return province_name(self.province)

    def can_view(self, user) -> bool:
        """Contacts, documents and booths: whoever may see the exhibition (never another agency)."""
        return self.exhibition.can_view(user)

    def can_manage(self, user) -> bool:
        """Decide, adjust what the optimizer sees, record sales: the exhibition's managers."""
        return self.exhibition.can_manage(user)

    def can_bill(self, user) -> bool:
        """Quote the booth fees: center staff and finance officers (the money chain's preparers)."""
        return prepares_documents(user) and self.can_view(user)

    def can_invoice(self, user) -> bool:
        """Issue the deposit or balance invoice: finance officers alone."""
        return is_finance_officer(user) and self.can_view(user)


class DocumentKind(models.TextChoices):
    REGISTRATION = "registration", _("Company or group registration")
    COMMUNITY = "community", _("Community enterprise certificate")
    OTOP = "otop", _("OTOP certificate")
    PRODUCT_PHOTO = "product_photo", _("Product photo")
    OTHER = "other", _("Other")


class ApplicationDocument(models.Model):
    """A file sent with an application; served only to those who may view the application (the exhibition's staff,
    finance officers and organising agency) and to the exhibitor through its private link."""

    application = models.ForeignKey(ExhibitorApplication, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.OTHER)
    file = models.FileField(_("file"), upload_to="exhibitors/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")

    def __str__(self) -> str:
        return self.name


# ---------------------------------------------------------------- booth claims

class ClaimStatus(models.TextChoices):
    HOLD = "hold", _("Held")
    RESERVED = "reserved", _("Reserved")
    SOLD = "sold", _("Sold")
    BLOCKED = "blocked", _("Blocked")
    RELEASED = "released", _("Released")


class BoothState(models.TextChoices):
    """What the plan shows for a booth at one exhibition."""

    AVAILABLE = "available", _("Available")
    HELD = "held", _("Held")
    RESERVED = "reserved", _("Reserved")
    SOLD = "sold", _("Sold")
    BLOCKED = "blocked", _("Blocked")


OCCUPYING = (ClaimStatus.RESERVED, ClaimStatus.SOLD, ClaimStatus.BLOCKED)


class BoothClaim(TimeStampedModel):
    """One exhibitor's (or the organiser's) claim on one booth at one exhibition.

    `active` claims own the booth: a first-option hold, a reservation, a sale, a block. The database allows one
    active claim per booth and exhibition (a partial unique index, on SQLite and PostgreSQL alike), so a booth can
    never be sold twice; later holds queue inactive with a higher option rank, as in the diary.
    """

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="claims")
    booth = models.ForeignKey(Booth, on_delete=models.PROTECT, related_name="claims")
    application = models.ForeignKey(ExhibitorApplication, null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="claims")
    status = models.CharField(_("status"), max_length=12, choices=ClaimStatus.choices, db_index=True)
    active = models.BooleanField(default=True)
    option_rank = models.PositiveSmallIntegerField(_("option rank"), null=True, blank=True)
    hold_expires_at = models.DateTimeField(_("hold expires at"), null=True, blank=True)
    price_thb = models.DecimalField(_("price (THB)"), max_digits=12, decimal_places=2, null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["exhibition", "booth__code", "option_rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["exhibition", "booth"], condition=Q(active=True),
                                    name="booth_one_active_claim"),
            # Reservations, sales and blocks always own the booth (so they fall under the index above).
            models.CheckConstraint(condition=~Q(status__in=list(OCCUPYING)) | Q(active=True),
                                   name="booth_claim_occupying_is_active"),
            models.CheckConstraint(condition=Q(application__isnull=False) | Q(status__in=["blocked", "released"]),
                                   name="booth_claim_has_exhibitor"),
        ]
        indexes = [models.Index(fields=["exhibition", "status"], name="booth_claim_exhibition_status")]
        verbose_name = _("booth claim")
        verbose_name_plural = _("booth claims")

    def __str__(self) -> str:
        return f"{self.booth.code} {self.status}"

    @property
    def is_expired_hold(self) -> bool:
        return (self.status == ClaimStatus.HOLD and self.hold_expires_at is not None
                and self.hold_expires_at <= timezone.now())


# ---------------------------------------------------------------- optimizer runs

class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SOLVED = "solved", _("Solved")
    FAILED = "failed", _("Failed")
    APPLIED = "applied", _("Applied")


class RunQuerySet(models.QuerySet):
    """Optimizer runs filtered by who asks."""

    def visible_to(self, user) -> "RunQuerySet":
        """Runs of the exhibitions the person may see."""
        return self.filter(exhibition__in=Exhibition.objects.visible_to(user))


class AssignmentRun(TimeStampedModel):
    """One optimizer run for an exhibition: its figures, live progress, the assignment and the explanations."""

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(_("status"), max_length=12, choices=RunStatus.choices, default=RunStatus.QUEUED)
    time_limit = models.FloatField(_("time limit (s)"), default=20)
    workers = models.PositiveSmallIntegerField(_("workers"), default=2)
    objective = models.FloatField(null=True, blank=True)
    bound = models.FloatField(null=True, blank=True)
    gap = models.FloatField(null=True, blank=True)
    solver_status = models.CharField(max_length=20, blank=True)
    wall_seconds = models.FloatField(null=True, blank=True)
    progress = models.JSONField(default=list, blank=True)
    result = models.JSONField(default=dict, blank=True)  # {"assignments": {app id: [codes]}, "unassigned": [ids]}
    explanations = models.JSONField(default=dict, blank=True)  # app id → explanation
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    applied_at = models.DateTimeField(null=True, blank=True)

    objects = RunQuerySet.as_manager()

    class Meta:
        ordering = ["exhibition", "-created_at", "-id"]
        verbose_name = _("booth assignment run")
        verbose_name_plural = _("booth assignment runs")

    def __str__(self) -> str:
        return f"run {self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.SOLVED, RunStatus.FAILED, RunStatus.APPLIED)
