"""The annual plan: agencies' activity proposals, plan versions made by the optimizer, and their items."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from khuang.accounts.models import Agency
from khuang.core.models import ActivityType, TimeStampedModel
from khuang.core.thaidates import fiscal_year_bounds
from khuang.venues.models import Layout, Space, Venue


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    PLANNED = "planned", _("Planned")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class Proposal(TimeStampedModel):
    """An agency's wish for the annual plan: what, how long, how many, where, and when it may happen."""

    fiscal_year = models.PositiveIntegerField(_("fiscal year (BE)"), validators=[MinValueValidator(2500),
                                                                                MaxValueValidator(2700)])
    venue = models.ForeignKey(Venue, verbose_name=_("venue"), on_delete=models.PROTECT, related_name="proposals")
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="proposals")
    ref = models.CharField(_("reference"), max_length=40, help_text=_("The id used in plan files, e.g. P-001."))
    title_th = models.CharField(_("title (Thai)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    activity_type = models.CharField(_("activity type"), max_length=20, choices=ActivityType.choices)
    days = models.PositiveIntegerField(_("event days"), validators=[MinValueValidator(1), MaxValueValidator(366)])
    setup_days = models.PositiveIntegerField(_("setup days"), default=0, validators=[MaxValueValidator(60)])
    teardown_days = models.PositiveIntegerField(_("teardown days"), default=0, validators=[MaxValueValidator(60)])
    attendees = models.PositiveIntegerField(_("expected attendance"), default=0)
    layout = models.CharField(_("layout"), max_length=20, choices=Layout.choices, blank=True)
    equipment = models.JSONField(_("equipment needs"), default=list, blank=True)
    allowed_spaces = models.ManyToManyField(Space, verbose_name=_("allowed spaces"), blank=True,
                                            help_text=_("Empty: any space that fits."))
    earliest = models.DateField(_("earliest start"), null=True, blank=True)
    latest_end = models.DateField(_("latest end"), null=True, blank=True)
    preferred_months = models.JSONField(_("preferred months"), default=list, blank=True)
    fixed_start = models.DateField(_("fixed start"), null=True, blank=True)
    priority = models.PositiveSmallIntegerField(_("priority"), default=3,
                                                validators=[MinValueValidator(1), MaxValueValidator(5)])
    is_public = models.BooleanField(_("public event"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=ProposalStatus.choices,
                              default=ProposalStatus.DRAFT, db_index=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["fiscal_year", "ref"]
        constraints = [models.UniqueConstraint(fields=["venue", "fiscal_year", "ref"], name="proposal_ref_unique")]
        verbose_name = _("activity proposal")
        verbose_name_plural = _("activity proposals")

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    @property
    def title(self) -> str:
        return self.title_en if (get_language() or "th").startswith("en") and self.title_en else self.title_th

    def clean(self) -> None:
        """The window fits the event, the fixed start lies in the window, dates lie in the fiscal year."""
        errors = {}
        if self.fiscal_year and 2500 <= self.fiscal_year <= 2700:
            first, last = fiscal_year_bounds(self.fiscal_year)
            for name in ("earliest", "latest_end", "fixed_start"):
                value = getattr(self, name)
                if value and not first <= value <= last:
                    errors[name] = _("%(d)s is outside fiscal year %(fy)s (%(a)s to %(b)s).") % {
                        "d": value.isoformat(), "fy": self.fiscal_year, "a": first.isoformat(),
                        "b": last.isoformat()}
        if self.earliest and self.latest_end:
            window = (self.latest_end - self.earliest).days + 1
            if window < (self.days or 1) and "latest_end" not in errors:
                errors["latest_end"] = _("The window (%(w)s days) is shorter than the event (%(d)s days).") % {
                    "w": window, "d": self.days}
        if self.fixed_start and "fixed_start" not in errors:
            if self.earliest and self.fixed_start < self.earliest:
                errors["fixed_start"] = _("The fixed start is before the earliest date.")
            if self.latest_end and self.days and (self.fixed_start.toordinal() + self.days - 1
                                                  > self.latest_end.toordinal()):
                errors["fixed_start"] = _("An event starting on the fixed date would end after the latest end.")
        bad_months = [m for m in (self.preferred_months or []) if not isinstance(m, int) or not 1 <= m <= 12]
        if bad_months:
            errors["preferred_months"] = _("Months are numbers 1 to 12.")
        if errors:
            raise ValidationError(errors)

    def can_edit(self, user) -> bool:
        """Staff edit any proposal; a planner edits their agency's while it is a draft or submitted."""
        if getattr(user, "is_center_staff", False):
            return True
        return (getattr(user, "is_planner", False) and user.agency_id == self.agency_id
                and self.status in (ProposalStatus.DRAFT, ProposalStatus.SUBMITTED))

    def can_view(self, user) -> bool:
        """Staff see every proposal; anyone else only their agency's."""
        return getattr(user, "is_center_staff", False) or (
            getattr(user, "agency_id", None) is not None and user.agency_id == self.agency_id)


class PlanStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SOLVED = "solved", _("Solved")
    STOPPED = "stopped", _("Stopped (best plan kept)")
    FAILED = "failed", _("Failed")
    APPROVED = "approved", _("Approved")
    LOST = "lost", _("Worker lost")  # the worker died mid-run: restart it, or stop it for good


class Plan(TimeStampedModel):
    """One version of a fiscal year's plan for a venue, with the optimizer's figures and live progress."""

    venue = models.ForeignKey(Venue, verbose_name=_("venue"), on_delete=models.PROTECT, related_name="plans")
    fiscal_year = models.PositiveIntegerField(_("fiscal year (BE)"))
    version = models.PositiveIntegerField(_("version"))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children")
    status = models.CharField(_("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.QUEUED)
    time_limit = models.FloatField(_("time limit (s)"), default=30)
    workers = models.PositiveSmallIntegerField(_("workers"), default=2)
    seed = models.PositiveIntegerField(_("seed"), default=0)
    continuity_weight = models.FloatField(_("continuity weight"), default=0)
    objective = models.FloatField(null=True, blank=True)
    bound = models.FloatField(null=True, blank=True)
    gap = models.FloatField(null=True, blank=True)
    solver_status = models.CharField(max_length=40, blank=True)
    wall_seconds = models.FloatField(null=True, blank=True)
    progress = models.JSONField(default=list, blank=True)  # [{"t", "objective", "bound"}], newest last
    idle_weeks = models.JSONField(default=list, blank=True)
    stop_requested = models.BooleanField(default=False)
    heartbeat_at = models.DateTimeField(null=True, blank=True)  # the solving worker's last sign of life
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["venue", "fiscal_year", "-version"]
        constraints = [models.UniqueConstraint(fields=["venue", "fiscal_year", "version"],
                                               name="plan_version_unique")]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return f"FY{self.fiscal_year} v{self.version}"

    @property
    def is_finished(self) -> bool:
        return self.status in (PlanStatus.SOLVED, PlanStatus.STOPPED, PlanStatus.FAILED, PlanStatus.APPROVED)


class PlanItem(models.Model):
    """Where and when the plan puts one proposal (or why it could not), and what the planner pinned."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="plan_items")
    space = models.ForeignKey(Space, null=True, blank=True, on_delete=models.PROTECT)
    start = models.DateField(null=True, blank=True)
    pin_space = models.BooleanField(_("space pinned"), default=False)
    pin_start = models.BooleanField(_("dates pinned"), default=False)
    explanation = models.JSONField(default=dict, blank=True)
    booking_id = models.BigIntegerField(null=True, blank=True)  # the hold made on approval

    class Meta:
        ordering = ["start", "proposal__ref"]
        constraints = [models.UniqueConstraint(fields=["plan", "proposal"], name="plan_item_unique")]

    @property
    def scheduled(self) -> bool:
        return self.space_id is not None and self.start is not None
