"""The annual plan: agencies' activity proposals, plan versions made by the optimizer, and their items."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from khuang.accounts import roles
from khuang.accounts.models import Agency
from khuang.accounts.roles import Ability
from khuang.core.i18n import pick
from khuang.core.models import ActivityType, TimeStampedModel
from khuang.core.thaidates import fiscal_year_bounds
from khuang.venues.models import Layout, Space, Venue

from .optimizer import model as opt

# The planner's intent a new venue starts with (DESIGN.md, version 2); the daily limits depend on the venue's
# team, so they start empty (no limit) until staff set them.
DEFAULT_WEEK_BONUS = 3.0
DEFAULT_OVERSIZE_PENALTY = 0.5
MAX_WEEK_BONUS = 50
MAX_PER_DAY = 100
MAX_NOTES = 2000  # characters; a proposal's notes are a remark, not a document


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    PLANNED = "planned", _("Planned")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class ProposalQuerySet(models.QuerySet):
    """Proposals filtered by who asks: every list, page and export of proposals starts here."""

    def visible_to(self, user) -> "ProposalQuerySet":
        """Staff: every proposal; agency members (planners, agency viewers): their agency's; others: none."""
        if roles.has(user, Ability.SEE_ALL_AGENCIES):
            return self
        agency_id = roles.own_agency_id(user, Ability.SEE_OWN_AGENCY)
        return self.filter(agency_id=agency_id) if agency_id is not None else self.none()

    def editable_by(self, user) -> "ProposalQuerySet":
        """Staff: every proposal; planners: their agency's drafts and submitted ones; others: none."""
        if roles.has(user, Ability.MANAGE_CENTER):
            return self
        agency_id = roles.own_agency_id(user, Ability.PROPOSE_OWN_AGENCY)
        if agency_id is None:
            return self.none()
        return self.filter(agency_id=agency_id, status__in=(ProposalStatus.DRAFT, ProposalStatus.SUBMITTED))


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
    notes = models.TextField(_("notes"), blank=True, validators=[MaxLengthValidator(MAX_NOTES)])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["fiscal_year", "ref"]
        constraints = [models.UniqueConstraint(fields=["venue", "fiscal_year", "ref"], name="proposal_ref_unique")]
        verbose_name = _("activity proposal")
        verbose_name_plural = _("activity proposals")

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    @property
    def title(self) -> str:
        return pick(self.title_th, self.title_en)

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
        if roles.has(user, Ability.MANAGE_CENTER):
            return True
        agency_id = roles.own_agency_id(user, Ability.PROPOSE_OWN_AGENCY)
        return (agency_id is not None and agency_id == self.agency_id
                and self.status in (ProposalStatus.DRAFT, ProposalStatus.SUBMITTED))

    def can_view(self, user) -> bool:
        """Staff see every proposal; agency members (planners, agency viewers) only their agency's."""
        if roles.has(user, Ability.SEE_ALL_AGENCIES):
            return True
        agency_id = roles.own_agency_id(user, Ability.SEE_OWN_AGENCY)
        return agency_id is not None and agency_id == self.agency_id

    def can_decline(self, user) -> bool:
        return roles.has(user, Ability.MANAGE_CENTER)

    @staticmethod
    def may_create(user, agency=None) -> bool:
        """Staff propose for any agency; planners for their own (None: their own); others not at all."""
        if roles.has(user, Ability.MANAGE_CENTER):
            return True
        own = roles.own_agency_id(user, Ability.PROPOSE_OWN_AGENCY)
        return own is not None and (agency is None or getattr(agency, "pk", agency) == own)

    @staticmethod
    def may_propose_for_any_agency(user) -> bool:
        return roles.has(user, Ability.MANAGE_CENTER)

    def shows_title_to(self, user) -> bool:
        """A proposal is private to its agency until it is booked (even a future public event): other agencies
        see that something is planned, never what."""
        return self.can_view(user)


class PlanningSettings(TimeStampedModel):
    """How a venue plans its year: what its one operations team can run in a day, and the weights of the
    planner's intent beyond value (DESIGN.md, exchange format version 2). Staff edit them; planners read them."""

    venue = models.OneToOneField(Venue, verbose_name=_("venue"), on_delete=models.CASCADE,
                                 related_name="planning_settings")
    max_events_per_day = models.PositiveSmallIntegerField(
        _("most events per day"), null=True, blank=True,
        help_text=_("How many activities the operations team can run on one day. Empty: no limit."))
    max_moveins_per_day = models.PositiveSmallIntegerField(
        _("most move-ins per day"), null=True, blank=True,
        help_text=_("How many activities can start setting up (move in) on one day. Empty: no limit."))
    week_bonus = models.FloatField(
        _("week bonus (points)"), default=DEFAULT_WEEK_BONUS,
        help_text=_("Points for each week with at least one event, so the center is busy all year. 0: off."))
    oversize_penalty = models.FloatField(
        _("oversize penalty (points)"), default=DEFAULT_OVERSIZE_PENALTY,
        help_text=_("Points taken off for a room far larger than its audience (the whole penalty for an empty "
                    "room). Below 1. 0: off."))

    class Meta:
        verbose_name = _("planning settings")
        verbose_name_plural = _("planning settings")

    def __str__(self) -> str:
        return f"planning settings of {self.venue.code}"

    def clean(self) -> None:
        """Each value in its range, with a message that says why the range is what it is."""
        errors = {}
        if self.week_bonus is None or not 0 <= self.week_bonus <= MAX_WEEK_BONUS:
            errors["week_bonus"] = _(
                "Use 0 to %(max)s points (0 turns the week bonus off); more would move events out of their "
                "preferred months just to fill a week.") % {"max": MAX_WEEK_BONUS}
        if self.oversize_penalty is None or not 0 <= self.oversize_penalty < 1:
            errors["oversize_penalty"] = _(
                "Use 0 or more and less than 1 (0 turns it off): from 1 up, leaving an event out could score "
                "better than putting it in a large room.")
        for name in ("max_events_per_day", "max_moveins_per_day"):
            value = getattr(self, name)
            if value is not None and not 1 <= value <= MAX_PER_DAY:
                errors[name] = _("Use 1 to %(max)s, or leave it empty for no limit.") % {"max": MAX_PER_DAY}
        if errors:
            raise ValidationError(errors)

    def can_view(self, user) -> bool:
        """Whoever may browse the planning pages reads the settings a plan is made with."""
        return Plan.may_browse(user)

    def can_edit(self, user) -> bool:
        """Only center staff change them."""
        return roles.has(user, Ability.MANAGE_CENTER)

    @property
    def objective(self) -> opt.Objective:
        return opt.Objective(week_bonus=self.week_bonus, oversize_penalty=self.oversize_penalty)

    @property
    def limits(self) -> opt.Limits:
        return opt.Limits(max_events_per_day=self.max_events_per_day, max_moveins_per_day=self.max_moveins_per_day)


class PlanStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SOLVED = "solved", _("Solved")
    STOPPED = "stopped", _("Stopped (best plan kept)")
    FAILED = "failed", _("Failed")
    APPROVED = "approved", _("Approved")
    LOST = "lost", _("Worker lost")  # the worker died mid-run: restart it, or stop it for good


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PlanQuerySet":
        """Every version for those who may browse the plan (their items are filtered separately); else none."""
        return self if Plan.may_browse(user) else self.none()


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
    # What the run was solved with: the venue's planning settings and the horizon (a PlanningSettings snapshot
    # plus "horizon_start", "horizon_end", "today", "lead_days"); empty on runs made before the settings existed.
    solved_with = models.JSONField(_("settings used"), default=dict, blank=True)
    parts = models.JSONField(default=dict, blank=True)  # objective v2 and its parts (see optimizer.ObjectiveParts)
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

    objects = PlanQuerySet.as_manager()

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

    @property
    def objective_weights(self) -> opt.Objective:
        """The weights this version was solved with (version 1 for runs older than the settings)."""
        s = self.solved_with or {}
        return opt.Objective(week_bonus=s.get("week_bonus") or 0.0, oversize_penalty=s.get("oversize_penalty") or 0.0)

    @property
    def limits(self) -> opt.Limits:
        s = self.solved_with or {}
        return opt.Limits(max_events_per_day=s.get("max_events_per_day"),
                          max_moveins_per_day=s.get("max_moveins_per_day"))

    @property
    def horizon(self) -> opt.Horizon:
        """The days this version plans: from the snapshot, else the whole fiscal year."""
        first, last = fiscal_year_bounds(self.fiscal_year)
        s = self.solved_with or {}
        start = date.fromisoformat(s["horizon_start"]) if s.get("horizon_start") else first
        end = date.fromisoformat(s["horizon_end"]) if s.get("horizon_end") else last
        return opt.Horizon(start=start, end=end)

    @staticmethod
    def may_browse(user) -> bool:
        """The planning pages and API (board, proposals, plan versions and their figures) are for center staff and
        members of an agency (planners, agency viewers), who see only their agency's items and proposals.
        Executives and people without an agency are refused, on the pages and over the API alike."""
        return roles.has(user, Ability.SEE_ALL_AGENCIES) or roles.own_agency_id(user) is not None

    def can_view(self, user) -> bool:
        return self.may_browse(user)

    @staticmethod
    def may_run(user) -> bool:
        """Running the optimizer, stopping it, pinning, re-solving and approving plans is for center staff."""
        return roles.has(user, Ability.MANAGE_CENTER)

    def can_change(self, user) -> bool:
        """Stop, pin, re-solve, approve: whoever may run the optimizer."""
        return self.may_run(user)


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

    def skip_reason(self) -> str:
        """Why approving the plan makes no hold for this scheduled item ("" when it does): its proposal was
        withdrawn (back to draft), declined, or approved in another version since the run."""
        return {ProposalStatus.DRAFT: "withdrawn", ProposalStatus.DECLINED: "declined",
                ProposalStatus.APPROVED: "approved_elsewhere"}.get(self.proposal.status, "")
