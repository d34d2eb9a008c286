"""Writes of the annual plan: proposals, optimizer runs, pins and versions, approval into the diary."""

import threading
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from khuang.bookings.selectors import occupancy_conflicts
from khuang.bookings.services import BookingDraft, booking_create, conflict_rows
from khuang.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from khuang.core.models import log_action
from khuang.core.thaidates import fiscal_year_bounds
from khuang.venues.models import Space, Venue

from .instance import build_instance, pins_of
from .models import Plan, PlanItem, PlanStatus, Proposal, ProposalStatus
from .optimizer import model as opt
from .optimizer.io import InstanceError

STOP_POLL_SECONDS = 0.5
HEARTBEAT_EVERY = 4  # polls: the running plan's heartbeat is written every 2 s
PROGRESS_KEEP = 200  # progress points kept on the row for the page's chart


def _require_staff(actor, action: str) -> None:
    if not getattr(actor, "is_center_staff", False):
        raise PermissionDeniedError(_("Only center staff may %(action)s.") % {"action": action})


# ---------------------------------------------------------------- proposals

def proposal_set_status(proposal: Proposal, status: str, *, actor, reason: str = "") -> Proposal:
    """Submit (planner or staff) or decline (staff) a proposal."""
    allowed = {
        ProposalStatus.SUBMITTED: proposal.can_edit(actor) and proposal.status == ProposalStatus.DRAFT,
        ProposalStatus.DRAFT: proposal.can_edit(actor) and proposal.status == ProposalStatus.SUBMITTED,
        ProposalStatus.DECLINED: getattr(actor, "is_center_staff", False)
        and proposal.status in (ProposalStatus.SUBMITTED, ProposalStatus.PLANNED),
    }
    if not allowed.get(status, False):
        raise ConflictError(_("A %(from)s proposal cannot become %(to)s.") % {
            "from": proposal.get_status_display(), "to": ProposalStatus(status).label}, field="status")
    with transaction.atomic():
        was = proposal.status
        proposal.status = status
        proposal.save(update_fields=["status", "updated_at"])
        log_action(proposal, "status", actor=actor, from_state=was, to_state=status, reason=reason)
    return proposal


# ---------------------------------------------------------------- runs

def _next_version(venue: Venue, fiscal_year: int) -> int:
    top = Plan.objects.filter(venue=venue, fiscal_year=fiscal_year).aggregate(v=Max("version"))["v"]
    return (top or 0) + 1


def plan_run_start(*, venue: Venue, fiscal_year: int, actor, time_limit: float = 30, workers: int = 2,
                   seed: int = 0, continuity_weight: float = 0.0, parent: Plan | None = None,
                   run_now: bool = False) -> Plan:
    """Create a new plan version and hand the solve to the worker (or run it here when `run_now`)."""
    _require_staff(actor, _("run the optimizer"))
    if not 1 <= time_limit <= 3600:
        raise ApplicationError(_("The time limit is 1 to 3600 seconds."), field="time_limit")
    if not 1 <= workers <= 16:
        raise ApplicationError(_("Use 1 to 16 workers."), field="workers")
    if continuity_weight < 0:
        raise ApplicationError(_("The continuity weight cannot be negative."), field="continuity_weight")
    with transaction.atomic():
        plan = Plan.objects.create(
            venue=venue, fiscal_year=fiscal_year, version=_next_version(venue, fiscal_year), parent=parent,
            time_limit=time_limit, workers=workers, seed=seed, continuity_weight=continuity_weight,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        if parent is not None:  # carry the planner's pins into the new version
            PlanItem.objects.bulk_create(
                PlanItem(plan=plan, proposal_id=i.proposal_id, space_id=i.space_id, start=i.start,
                         pin_space=i.pin_space, pin_start=i.pin_start)
                for i in parent.items.filter(pin_space=True) | parent.items.filter(pin_start=True)
            )
        log_action(plan, "run", actor=actor, data={"time_limit": time_limit, "workers": workers, "seed": seed})
        if not run_now:
            from .tasks import run_plan

            transaction.on_commit(partial(run_plan.enqueue, plan.pk))
    if run_now:
        plan_run_execute(plan.pk)
        plan.refresh_from_db()
    return plan


class _Monitor:
    """Beside a solve: writes the newest progress to the plan row and notices a stop pressed on the page.

    The solver reports from its own threads; they only append to a list, and this one thread talks to the
    database, so a page polling the row sees progress within a second and a stop within half a second.
    """

    def __init__(self, plan_id: int):
        self.plan_id = plan_id
        self.event = threading.Event()
        self.done = threading.Event()
        self.trace: list[dict[str, float]] = []
        self.written = 0
        self.thread = threading.Thread(target=self._poll, daemon=True)

    def on_progress(self, p: opt.Progress) -> None:
        self.trace.append({"t": round(p.elapsed, 2), "objective": p.objective, "bound": p.bound, "gap": p.gap})

    def _poll(self) -> None:
        from django.db import DatabaseError, connection

        try:
            polls = 0
            while not self.done.wait(STOP_POLL_SECONDS):
                polls += 1
                if polls % HEARTBEAT_EVERY == 0:
                    Plan.objects.filter(pk=self.plan_id).update(heartbeat_at=timezone.now())
                if Plan.objects.filter(pk=self.plan_id, stop_requested=True).exists():
                    self.event.set()
                if len(self.trace) > self.written:
                    self.written = len(self.trace)
                    last = self.trace[-1]
                    Plan.objects.filter(pk=self.plan_id).update(
                        progress=self.trace[-PROGRESS_KEEP:], objective=last["objective"], bound=last["bound"],
                        gap=last["gap"])
        except DatabaseError:  # progress is a courtesy; the result is written by the solving thread
            pass
        finally:
            connection.close()

    def __enter__(self) -> "_Monitor":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.done.set()
        self.thread.join(timeout=5)


def plan_run_execute(plan_id: int) -> Plan:
    """Solve one queued plan: live progress on the row, stoppable, best plan kept, items written.

    Called by the worker; a plan already taken by another worker (or stopped while queued) is left alone.
    """
    from django.db import connection

    from .optimizer.cpsat import solve

    taken = Plan.objects.filter(pk=plan_id, status=PlanStatus.QUEUED, stop_requested=False).update(
        status=PlanStatus.RUNNING, heartbeat_at=timezone.now())
    plan = Plan.objects.select_related("venue").get(pk=plan_id)
    if not taken:
        return plan
    try:
        instance = build_instance(plan.venue, plan.fiscal_year)
        refs = {a.id for a in instance.activities}
        instance = replace(instance, pins=tuple(p for p in pins_of(plan) if p.activity in refs))
    except InstanceError as exc:
        Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.FAILED, error=str(exc))
        return Plan.objects.get(pk=plan.pk)
    # Inside an open transaction (a test, a management shell) no other connection can see this row, so the
    # monitor thread would only wait on locks: progress is then written once, at the end.
    monitor = _Monitor(plan.pk)
    watch = not connection.in_atomic_block
    options = opt.SolveOptions(time_limit=plan.time_limit, workers=plan.workers, seed=plan.seed,
                               continuity_weight=plan.continuity_weight, stop=monitor.event.is_set,
                               on_progress=monitor.on_progress)
    try:
        if watch:
            with monitor:
                solution = solve(instance, options)
        else:
            solution = solve(instance, options)
    except InstanceError as exc:
        Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.FAILED, error=str(exc))
        return Plan.objects.get(pk=plan.pk)
    except Exception as exc:  # the row must not stay "running" forever; the worker logs the traceback
        Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.FAILED, error=repr(exc)[:2000])
        raise
    stopped = monitor.event.is_set() or Plan.objects.filter(pk=plan.pk, stop_requested=True).exists()
    _save_solution(plan, solution, monitor.trace, stopped)
    return Plan.objects.get(pk=plan.pk)


def _save_solution(plan: Plan, solution: opt.Solution, trace, stopped: bool) -> None:
    proposals = {p.ref: p for p in Proposal.objects.filter(venue=plan.venue, fiscal_year=plan.fiscal_year)}
    spaces = {s.code: s for s in Space.objects.filter(venue=plan.venue)}
    with transaction.atomic():
        existing = {i.proposal_id: i for i in PlanItem.objects.filter(plan=plan)}
        placed = {a.activity: a for a in solution.assignments}
        for ref, proposal in proposals.items():
            if ref not in placed and ref not in solution.unscheduled:
                continue
            item = existing.get(proposal.pk) or PlanItem(plan=plan, proposal=proposal)
            a = placed.get(ref)
            item.space = spaces[a.space] if a else None
            item.start = a.start if a else None
            expl = solution.explanations.get(ref)
            item.explanation = _explanation_json(expl) if expl else {}
            item.save()
        Proposal.objects.filter(pk__in=[proposals[r].pk for r in placed if r in proposals],
                                status=ProposalStatus.SUBMITTED).update(status=ProposalStatus.PLANNED)
        Plan.objects.filter(pk=plan.pk).update(
            status=PlanStatus.STOPPED if stopped else PlanStatus.SOLVED, objective=solution.objective,
            bound=solution.bound, gap=solution.gap, solver_status=solution.status,
            wall_seconds=solution.wall_seconds, progress=trace[-PROGRESS_KEEP:],
            idle_weeks=[w.isoformat() for w in solution.idle_weeks],
        )


def _explanation_json(expl) -> dict[str, Any]:
    alt = getattr(expl, "nearest_alternative", None)
    return {
        "reason": expl.reason, "message_en": expl.message_en, "message_th": expl.message_th,
        "blocking": list(expl.blocking),
        "nearest_alternative": (
            {"space": alt.space, "start": alt.start.isoformat()} if alt is not None and hasattr(alt, "space")
            else alt
        ),
    }


def plans_mark_lost(plan: Plan | None = None) -> int:
    """Runs whose worker stopped beating for KHUANG_WORKER_LOST_AFTER seconds become "worker lost"."""
    from khuang.system.services import lost_cutoff

    cutoff = lost_cutoff()
    stale = Plan.objects.filter(status=PlanStatus.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, updated_at__lt=cutoff))
    if plan is not None:
        stale = stale.filter(pk=plan.pk)
    count = 0
    for pk in stale.values_list("pk", flat=True):
        with transaction.atomic():
            # A stop already asked for is honoured: the run ends; otherwise it waits to be restarted or stopped.
            if Plan.objects.filter(pk=pk, status=PlanStatus.RUNNING, stop_requested=True).update(
                    status=PlanStatus.FAILED, error=_("Stopped after its worker was lost; no plan was kept.")):
                log_action(Plan(pk=pk), "lost", from_state=PlanStatus.RUNNING, to_state=PlanStatus.FAILED)
                count += 1
            elif Plan.objects.filter(pk=pk, status=PlanStatus.RUNNING).update(
                    status=PlanStatus.LOST, error=_("The worker running this plan stopped before it finished.")):
                log_action(Plan(pk=pk), "lost", from_state=PlanStatus.RUNNING, to_state=PlanStatus.LOST)
                count += 1
    if plan is not None and count:
        plan.refresh_from_db()
    return count


def plan_restart(plan: Plan, *, actor) -> Plan:
    """Queue again a run whose worker was lost; it starts from scratch with the same settings and pins."""
    _require_staff(actor, _("restart the optimizer"))
    plans_mark_lost(plan)
    if plan.status != PlanStatus.LOST:
        raise ConflictError(_("Only a run whose worker was lost can be restarted."), field="status")
    from .tasks import run_plan

    with transaction.atomic():
        Plan.objects.filter(pk=plan.pk, status=PlanStatus.LOST).update(
            status=PlanStatus.QUEUED, stop_requested=False, heartbeat_at=None, progress=[], objective=None,
            bound=None, gap=None, error="")
        log_action(plan, "restart", actor=actor, from_state=PlanStatus.LOST, to_state=PlanStatus.QUEUED)
        transaction.on_commit(partial(run_plan.enqueue, plan.pk))
    plan.refresh_from_db()
    return plan


def plan_stop(plan: Plan, *, actor) -> Plan:
    """Ask a running solve to stop; it keeps the best plan found so far. A run whose worker was lost ends at once."""
    _require_staff(actor, _("stop the optimizer"))
    plans_mark_lost(plan)
    if plan.is_finished:
        raise ConflictError(_("This run has already finished."), field="status")
    if plan.status == PlanStatus.LOST:
        with transaction.atomic():
            Plan.objects.filter(pk=plan.pk, status=PlanStatus.LOST).update(
                status=PlanStatus.FAILED, stop_requested=True,
                error=_("Stopped after its worker was lost; no plan was kept."))
            log_action(plan, "stop", actor=actor, from_state=PlanStatus.LOST, to_state=PlanStatus.FAILED)
        plan.refresh_from_db()
        return plan
    with transaction.atomic():
        Plan.objects.filter(pk=plan.pk).update(stop_requested=True)
        # A run still waiting for the worker simply never starts.
        Plan.objects.filter(pk=plan.pk, status=PlanStatus.QUEUED).update(
            status=PlanStatus.STOPPED, error=_("Stopped before the solver started."))
        log_action(plan, "stop", actor=actor)
    plan.refresh_from_db()
    return plan


def plan_item_pin(item: PlanItem, *, actor, space: Space | None = None, start: date | None = None,
                  pin_space: bool | None = None, pin_start: bool | None = None) -> PlanItem:
    """Pin a plan item's space and/or dates (optionally moving it); the next re-solve keeps the pins."""
    _require_staff(actor, _("move or pin plan items"))
    if item.plan.status == PlanStatus.APPROVED:
        raise ConflictError(_("An approved plan cannot change; re-solve to make a new version."), field="plan")
    if item.plan.status not in (PlanStatus.SOLVED, PlanStatus.STOPPED):
        raise ConflictError(_("Wait until the run has finished before moving or pinning items."), field="plan")
    if space is not None:
        if space.venue_id != item.plan.venue_id:
            raise ApplicationError(_("That space is in another venue."), field="space")
        item.space = space
    if start is not None:
        first, last = fiscal_year_bounds(item.plan.fiscal_year)
        if not first <= start <= last:
            raise ApplicationError(_("Choose a start within fiscal year %(fy)s (%(a)s to %(b)s).") % {
                "fy": item.plan.fiscal_year, "a": first.isoformat(), "b": last.isoformat()}, field="start")
        item.start = start
    if pin_space is not None:
        item.pin_space = pin_space
    if pin_start is not None:
        item.pin_start = pin_start
    if (item.pin_space and item.space is None) or (item.pin_start and item.start is None):
        raise ApplicationError(_("Choose a space and a start date before pinning them."), field="start")
    with transaction.atomic():
        item.save()
        log_action(item.plan, "pin", actor=actor, data={
            "proposal": item.proposal.ref, "space": item.space.code if item.space else None,
            "start": item.start.isoformat() if item.start else None, "pin_space": item.pin_space,
            "pin_start": item.pin_start})
    return item


def plan_resolve(plan: Plan, *, actor, time_limit: float | None = None, run_now: bool = False) -> Plan:
    """A new version solved again with this version's pins kept."""
    return plan_run_start(venue=plan.venue, fiscal_year=plan.fiscal_year, actor=actor,
                          time_limit=time_limit or plan.time_limit, workers=plan.workers, seed=plan.seed,
                          continuity_weight=plan.continuity_weight, parent=plan, run_now=run_now)


# ---------------------------------------------------------------- approval

def _hold_times(item: PlanItem, venue: Venue) -> tuple[datetime, datetime, int, int]:
    """Event from opening time of the first day to closing time of the last; setup and teardown days
    become whole days of occupation before and after."""
    tz = timezone.get_current_timezone()
    p = item.proposal
    start = datetime.combine(item.start, venue.opens_at, tzinfo=tz)
    end = datetime.combine(item.start + timedelta(days=p.days - 1), venue.closes_at, tzinfo=tz)
    setup = 0
    if p.setup_days:
        setup = int((start - datetime.combine(item.start - timedelta(days=p.setup_days), time.min, tzinfo=tz))
                    .total_seconds() // 60)
    teardown = 0
    if p.teardown_days:
        last = item.start + timedelta(days=p.days - 1 + p.teardown_days + 1)
        teardown = int((datetime.combine(last, time.min, tzinfo=tz) - end).total_seconds() // 60)
    return start, end, setup, teardown


def plan_approve(plan: Plan, *, actor) -> list:
    """Turn every scheduled item into a first-option hold in one transaction; any conflict aborts all."""
    _require_staff(actor, _("approve a plan"))
    conflicts: list[dict[str, Any]] = []
    created = []
    with transaction.atomic():
        plan = Plan.objects.select_for_update().select_related("venue").get(pk=plan.pk)  # one approval at a time
        if plan.status not in (PlanStatus.SOLVED, PlanStatus.STOPPED):
            raise ConflictError(_("Only a finished, not yet approved plan can be approved."), field="status")
        items = list(plan.items.select_related("proposal", "proposal__agency", "space")
                     .filter(space__isnull=False, start__isnull=False))
        for item in items:
            p = item.proposal
            start, end, setup, teardown = _hold_times(item, plan.venue)
            draft = BookingDraft(
                space=item.space, title=p.title_th, title_en=p.title_en, start=start, end=end,
                setup_minutes=setup, teardown_minutes=teardown, status="hold", attendees=p.attendees,
                layout=p.layout if p.layout and p.layout in item.space.layouts else "", agency=p.agency,
                event_type=p.activity_type, is_public=p.is_public,
                hold_expires_at=max(timezone.now() + timedelta(days=30), start - timedelta(days=14)),
            )
            try:
                with transaction.atomic():
                    booking = booking_create(draft, actor=actor, override_rules=True,
                                             reason=_("Approved annual plan FY%(fy)s v%(v)s") % {
                                                 "fy": plan.fiscal_year, "v": plan.version})
                    if booking.option_rank != 1:
                        rivals = [b for b in occupancy_conflicts(item.space, booking.occupied_start,
                                                                 booking.occupied_end) if b.pk != booking.pk]
                        raise ConflictError(_("The dates are held by another booking."),
                                            extra={"conflicts": conflict_rows(rivals, [], actor)})
            except ApplicationError as exc:
                rows = exc.extra.get("conflicts") or [{"kind": "refused", "field": exc.field, "title": exc.message}]
                for row in rows:
                    conflicts.append({"proposal": p.ref, "message": exc.message, **row})
                continue
            item.booking_id = booking.pk
            item.save(update_fields=["booking_id"])
            created.append(booking)
        if conflicts:
            transaction.set_rollback(True)
        else:
            Proposal.objects.filter(pk__in=[i.proposal_id for i in items]).update(status=ProposalStatus.APPROVED)
            Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.APPROVED, approved_at=timezone.now())
            log_action(plan, "approve", actor=actor, data={"holds": [b.pk for b in created]})
    if conflicts:
        raise ConflictError(_("The plan was not approved: %(n)s items collide with the diary.") % {
            "n": len({c["proposal"] for c in conflicts})}, field="plan", extra={"conflicts": conflicts})
    return created


PROPOSAL_FIELDS = ("ref", "title_th", "title_en", "activity_type", "days", "setup_days", "teardown_days",
                   "attendees", "layout", "equipment", "earliest", "latest_end", "preferred_months", "fixed_start",
                   "priority", "is_public", "notes")


def proposal_save(*, actor, venue: Venue, data: dict[str, Any], proposal: Proposal | None = None,
                  agency=None, allowed_spaces: list[str] | None = None) -> Proposal:
    """Create or edit a proposal; planners only for their own agency and while draft or submitted."""
    if proposal is not None and not proposal.can_edit(actor):
        raise PermissionDeniedError(_("You may not change this proposal."))
    if proposal is None:
        if not (getattr(actor, "is_center_staff", False) or getattr(actor, "is_planner", False)):
            raise PermissionDeniedError(_("Only center staff and agency planners propose activities."))
        if getattr(actor, "is_planner", False):
            if agency is not None and agency.pk != actor.agency_id:
                raise PermissionDeniedError(_("Planners propose activities for their own agency only."),
                                            field="agency")
            agency = actor.agency
        if agency is None:
            raise ApplicationError(_("Choose the proposing agency."), field="agency")
        proposal = Proposal(venue=venue, agency=agency, created_by=actor, status=ProposalStatus.DRAFT)
    for key in PROPOSAL_FIELDS:
        if key in data:
            setattr(proposal, key, data[key] if data[key] is not None or key in (
                "earliest", "latest_end", "fixed_start") else getattr(proposal, key))
    if "fiscal_year" in data and data["fiscal_year"]:
        proposal.fiscal_year = data["fiscal_year"]
    spaces: list[Space] = []
    if allowed_spaces is not None:
        found = {s.code: s for s in Space.objects.filter(venue=venue, code__in=allowed_spaces)}
        unknown = [c for c in allowed_spaces if c not in found]
        if unknown:
            raise ApplicationError(_("Unknown space: %(codes)s") % {"codes": ", ".join(unknown)},
                                   field="allowed_spaces")
        spaces = [found[c] for c in allowed_spaces]
    clash = Proposal.objects.filter(venue=venue, fiscal_year=proposal.fiscal_year, ref=proposal.ref)
    if clash.exclude(pk=proposal.pk).exists():
        raise ApplicationError(_("Reference %(r)s is already used this fiscal year.") % {"r": proposal.ref},
                               field="ref")
    proposal.full_clean(exclude=["created_by"])
    with transaction.atomic():
        created = proposal.pk is None
        proposal.save()
        if allowed_spaces is not None:
            proposal.allowed_spaces.set(spaces)
        log_action(proposal, "create" if created else "update", actor=actor)
    return proposal
