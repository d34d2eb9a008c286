"""What happened and what was aimed for: event actuals, KPI targets, budget lines and projects."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from khuang.bookings.models import Booking
from khuang.core.models import TimeStampedModel
from khuang.venues.models import Venue, _pick

NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


class EventActual(TimeStampedModel):
    """Recorded after an event: real attendance, revenue after discount, and an optional satisfaction score."""

    booking = models.OneToOneField(Booking, verbose_name=_("booking"), on_delete=models.CASCADE,
                                   related_name="actual")
    attendance = models.PositiveIntegerField(_("attendance"))
    list_price_thb = models.DecimalField(_("list price (THB)"), max_digits=12, decimal_places=2, default=0,
                                         validators=NON_NEGATIVE)
    discount_pct = models.DecimalField(_("discount (%)"), max_digits=5, decimal_places=2, default=0,
                                       validators=[MinValueValidator(0), MaxValueValidator(100)])
    revenue_thb = models.DecimalField(_("revenue (THB)"), max_digits=12, decimal_places=2, validators=NON_NEGATIVE)
    satisfaction = models.DecimalField(_("satisfaction (1–5)"), max_digits=3, decimal_places=2, null=True,
                                       blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)])
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        verbose_name = _("event actual")
        verbose_name_plural = _("event actuals")
        constraints = [
            models.CheckConstraint(condition=models.Q(revenue_thb__gte=0), name="actual_revenue_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.booking_id}: {self.attendance} / {self.revenue_thb}"


class Kpi(models.TextChoices):
    """The KPIs a target can be set for (the same keys as the API)."""

    UTILIZATION = "utilization_pct", _("Utilization (%)")
    EVENTS = "events", _("Activities")
    ATTENDEES = "attendees", _("Attendees")
    REVENUE = "revenue_thb", _("Revenue (THB)")
    PARTNERS = "partner_agencies", _("Partner agencies active")
    HIGH_SEASON = "high_season_pct", _("Activities in high season (%)")
    SATISFACTION = "satisfaction", _("Satisfaction (1–5)")


# The unit each KPI is measured in (`khuang.core.numformat` units): its value and its target are shown in it.
KPI_UNITS: dict[str, str] = {
    Kpi.UTILIZATION: "pct", Kpi.EVENTS: "count", Kpi.ATTENDEES: "count", Kpi.REVENUE: "baht",
    Kpi.PARTNERS: "count", Kpi.HIGH_SEASON: "pct", Kpi.SATISFACTION: "score",
}


class KpiTarget(TimeStampedModel):
    """Staff's target for one KPI of one venue in one fiscal year (BE)."""

    venue = models.ForeignKey(Venue, verbose_name=_("venue"), on_delete=models.CASCADE, related_name="kpi_targets")
    fiscal_year = models.PositiveIntegerField(_("fiscal year (BE)"),
                                              validators=[MinValueValidator(2400), MaxValueValidator(2800)])
    kpi = models.CharField(_("KPI"), max_length=30, choices=Kpi.choices)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2, validators=NON_NEGATIVE)

    class Meta:
        ordering = ["venue", "-fiscal_year", "kpi"]
        verbose_name = _("KPI target")
        verbose_name_plural = _("KPI targets")
        constraints = [
            models.UniqueConstraint(fields=["venue", "fiscal_year", "kpi"], name="kpi_target_unique"),
            models.CheckConstraint(condition=models.Q(target__gte=0), name="kpi_target_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.venue.code} FY{self.fiscal_year} {self.kpi} = {self.target}"


class BudgetLine(TimeStampedModel):
    """One line of a fiscal year's budget: planned and spent, or (kind=request) the amount asked for."""

    class Kind(models.TextChoices):
        ALLOCATED = "allocated", _("Allocated")
        REQUEST = "request", _("Request")

    venue = models.ForeignKey(Venue, verbose_name=_("venue"), on_delete=models.CASCADE, related_name="budget_lines")
    fiscal_year = models.PositiveIntegerField(_("fiscal year (BE)"),
                                              validators=[MinValueValidator(2400), MaxValueValidator(2800)])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ALLOCATED)
    category_th = models.CharField(_("category (Thai)"), max_length=200)
    category_en = models.CharField(_("category (English)"), max_length=200, blank=True)
    planned_thb = models.DecimalField(_("planned (THB)"), max_digits=14, decimal_places=2, validators=NON_NEGATIVE)
    spent_thb = models.DecimalField(_("spent (THB)"), max_digits=14, decimal_places=2, default=0,
                                    validators=NON_NEGATIVE)

    class Meta:
        ordering = ["venue", "fiscal_year", "kind", "id"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(condition=models.Q(planned_thb__gte=0, spent_thb__gte=0),
                                   name="budget_non_negative"),
        ]

    def __str__(self) -> str:
        return f"FY{self.fiscal_year} {self.category_th}"

    @property
    def category(self) -> str:
        return _pick(self.category_th, self.category_en)


class Project(TimeStampedModel):
    """A project with a measurable target in a fiscal year (e.g. community supplementary income)."""

    venue = models.ForeignKey(Venue, verbose_name=_("venue"), on_delete=models.CASCADE, related_name="projects")
    fiscal_year = models.PositiveIntegerField(_("fiscal year (BE)"),
                                              validators=[MinValueValidator(2400), MaxValueValidator(2800)])
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    indicator_th = models.CharField(_("indicator (Thai)"), max_length=200)
    indicator_en = models.CharField(_("indicator (English)"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2, validators=NON_NEGATIVE)
    actual = models.DecimalField(_("actual"), max_digits=14, decimal_places=2, default=0, validators=NON_NEGATIVE)
    budget_thb = models.DecimalField(_("budget (THB)"), max_digits=14, decimal_places=2, default=0,
                                     validators=NON_NEGATIVE)

    class Feed(models.TextChoices):
        """Where the project's actual also comes from, besides what staff record by hand."""

        NONE = "", _("Recorded by hand only")
        COMMUNITY_FAIR_SALES = "community_fair_sales", _("+ community and OTOP sales at the venue's fairs")

    feed = models.CharField(_("actual also counts"), max_length=30, choices=Feed.choices, blank=True, default="",
                            help_text=_("Community sales recorded at fairs starting in the fiscal year are added "
                                        "to the actual."))

    class Meta:
        ordering = ["venue", "fiscal_year", "id"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(condition=models.Q(target__gte=0, actual__gte=0),
                                   name="project_non_negative"),
        ]

    def __str__(self) -> str:
        return f"FY{self.fiscal_year} {self.name_th}"

    @property
    def name(self) -> str:
        return _pick(self.name_th, self.name_en)

    @property
    def indicator(self) -> str:
        return _pick(self.indicator_th, self.indicator_en)
