"""The space inventory: venues, spaces (atomic or combined), closures and rate cards."""

from datetime import time

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from khuang.core.i18n import pick as _pick
from khuang.core.models import TimeStampedModel


class Venue(TimeStampedModel):
    """A site with bookable spaces, its address, coordinates and daily operating hours."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    address_th = models.TextField(_("address (Thai)"), blank=True)
    address_en = models.TextField(_("address (English)"), blank=True)
    province = models.CharField(_("province"), max_length=60, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    timezone = models.CharField(_("time zone"), max_length=40, default="Asia/Bangkok")
    opens_at = models.TimeField(_("opens at"), default=time(8, 0))
    closes_at = models.TimeField(_("closes at"), default=time(20, 0))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _pick(self.name_th, self.name_en)

    @property
    def address(self) -> str:
        return _pick(self.address_th, self.address_en)


class Layout(models.TextChoices):
    """Seating layouts a space can be set in; `booths` is an exhibition floor."""

    THEATRE = "theatre", _("Theatre")
    CLASSROOM = "classroom", _("Classroom")
    BANQUET = "banquet", _("Banquet")
    RECEPTION = "reception", _("Reception")
    BOOTHS = "booths", _("Exhibition booths")


class Space(TimeStampedModel):
    """A bookable place. With `parts` it is a combined space made of atomic spaces of the same venue."""

    class Kind(models.TextChoices):
        HALL = "hall", _("Hall")
        MEETING_ROOM = "meeting_room", _("Meeting room")
        EXHIBITION_GROUND = "exhibition_ground", _("Exhibition ground")
        OUTDOOR = "outdoor", _("Outdoor")
        OTHER = "other", _("Other")

    class Equipment(models.TextChoices):
        AV = "av", _("Audio-visual")
        POWER = "power", _("Power")
        WIFI = "wifi", _("Wi-Fi")
        AIR_CONDITIONING = "air_conditioning", _("Air-conditioning")
        RIGGING = "rigging", _("Rigging points")
        STAGE = "stage", _("Stage")
        KITCHEN = "kitchen", _("Kitchen")

    venue = models.ForeignKey(Venue, verbose_name=_("venue"), on_delete=models.PROTECT, related_name="spaces")
    code = models.CharField(_("code"), max_length=30)
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    area_sqm = models.DecimalField(
        _("floor area (m²)"), max_digits=9, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    capacity_theatre = models.PositiveIntegerField(_("theatre seats"), default=0)
    capacity_classroom = models.PositiveIntegerField(_("classroom seats"), default=0)
    capacity_banquet = models.PositiveIntegerField(_("banquet seats"), default=0)
    capacity_reception = models.PositiveIntegerField(_("reception (standing)"), default=0)
    booth_count = models.PositiveIntegerField(_("booths"), default=0)
    clear_height_m = models.DecimalField(
        _("clear height (m)"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    floor_load_t_sqm = models.DecimalField(
        _("floor load (t/m²)"), max_digits=6, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    equipment = models.JSONField(_("equipment"), default=list, blank=True)
    parts = models.ManyToManyField(
        "self", verbose_name=_("parts"), symmetrical=False, blank=True, related_name="combinations"
    )
    is_active = models.BooleanField(_("active"), default=True)
    illustrative = models.BooleanField(
        _("illustrative figures"), default=False, help_text=_("Figures are placeholders, not surveyed.")
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["venue__code", "code"]
        constraints = [models.UniqueConstraint(fields=["venue", "code"], name="space_code_unique_in_venue")]
        verbose_name = _("space")
        verbose_name_plural = _("spaces")

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    @property
    def name(self) -> str:
        return _pick(self.name_th, self.name_en)

    def capacity_for(self, layout: str | None) -> int:
        """Seats (or booths) in a layout; with no layout, the largest head count the space takes."""
        if not layout:
            return self.max_capacity
        if layout == Layout.BOOTHS:
            return self.booth_count
        return getattr(self, f"capacity_{layout}", 0)

    @property
    def max_capacity(self) -> int:
        return max(self.capacity_theatre, self.capacity_classroom, self.capacity_banquet, self.capacity_reception)

    @property
    def layouts(self) -> list[str]:
        """Layouts this space offers (capacity above zero)."""
        return [lay.value for lay in Layout if self.capacity_for(lay.value) > 0]

    @staticmethod
    def may_manage(user) -> bool:
        """Center staff keep the inventory: spaces, parts, closures, rate cards, and export a space's diary."""
        from khuang.accounts.roles import Ability, has

        return has(user, Ability.MANAGE_CENTER)

    def can_edit(self, user) -> bool:
        return self.may_manage(user)

    @property
    def is_combined(self) -> bool:
        return bool(self.pk) and self.parts.exists()

    def atomic_parts(self) -> list["Space"]:
        """The atomic spaces this space occupies: itself when atomic, else its parts' leaves, by pk."""
        seen: dict[int, Space] = {}
        stack: list[Space] = [self]
        visited: set[int] = set()
        while stack:
            space = stack.pop()
            if space.pk in visited:
                continue
            visited.add(space.pk)
            children = list(space.parts.all())
            if children:
                stack.extend(children)
            else:
                seen[space.pk] = space
        return [seen[k] for k in sorted(seen)]


class Closure(TimeStampedModel):
    """A period a space cannot be used (maintenance, national mourning, reserved by the center)."""

    space = models.ForeignKey(Space, verbose_name=_("space"), on_delete=models.CASCADE, related_name="closures")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="closure_end_after_start")
        ]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")

    def __str__(self) -> str:
        return f"{self.space.code}: {self.reason}"


class CustomerClass(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    PRIVATE = "private", _("Private")
    COMMUNITY = "community", _("Community / non-profit")


class RateCard(TimeStampedModel):
    """Rental prices of a space for one customer class over a validity period."""

    space = models.ForeignKey(Space, verbose_name=_("space"), on_delete=models.CASCADE, related_name="rates")
    customer_class = models.CharField(_("customer class"), max_length=20, choices=CustomerClass.choices)
    full_day_thb = models.DecimalField(_("full day (THB)"), max_digits=12, decimal_places=2,
                                       validators=[MinValueValidator(0)])
    half_day_thb = models.DecimalField(_("half day (THB)"), max_digits=12, decimal_places=2,
                                       validators=[MinValueValidator(0)])
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["space", "customer_class", "-valid_from"]
        verbose_name = _("rate card")
        verbose_name_plural = _("rate cards")

    def __str__(self) -> str:
        return f"{self.space.code} {self.customer_class} {self.full_day_thb}"
