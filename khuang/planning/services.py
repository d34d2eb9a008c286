"""Writes of the annual plan: proposals, optimizer runs, pins and versions, approval into the diary."""

import threading
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from khuang.bookings.selectors import occupancy_conflicts
from khuang.bookings.services import BookingDraft, booking_create, conflicts_for
from khuang.core.errors import ApplicationError, Conflict, ConflictError, PermissionDeniedError
from khuang.core.models import log_action
from khuang.venues.models import Space, Venue

from .instance import build_instance, pins_of, run_settings, window_passed
from .models import Plan, PlanItem, PlanningSettings, PlanStatus, Proposal, ProposalStatus
from .optimizer import model as opt
from .optimizer.io import InstanceError
from .selectors import parts_json, planning_settings, score_items

STOP_POLL_SECONDS = 0.5
HEARTBEAT_EVERY = 4  # polls: the running plan's heartbeat is written every 2 s
PROGRESS_KEEP = 200  # progress points kept on the row for the page's chart


def _refuse(action: str) -> None:
    raise PermissionDeniedError(_("Only center staff may %(action)s.") % {"action": action})


def solve_caps() -> tuple[float, int]:
    """The most seconds and solver threads one optimizer run may take on this server (settings
    `KHUANG_SOLVE_MAX_SECONDS`, `KHUANG_SOLVE_MAX_WORKERS`)."""
    return float(settings.KHUANG_SOLVE_MAX_SECONDS), int(settings.KHUANG_SOLVE_MAX_WORKERS)


def check_solve_limits(time_limit: float, workers: int) -> None:
    """Refuse a time limit or a thread count beyond this server's caps, naming the field."""
    max_seconds, max_workers = solve_caps()
    if not 1 <= time_limit <= max_seconds:
        raise ApplicationError(_("The time limit is 1 to %(n)s seconds on this server.") % {
            "n": f"{max_seconds:g}"}, field="time_limit")
    if not 1 <= workers <= max_workers:
        raise ApplicationError(_("Use 1 to %(n)s solver threads on this server.") % {"n": max_workers},
                               field="workers")


# ---------------------------------------------------------------- settings

SETTINGS_FIELDS = ("max_events_per_day", "max_moveins_per_day", "week_bonus", "oversize_penalty")


def planning_settings_save(venue: Venue, data: dict[str, Any], *, actor) -> PlanningSettings:
    """Set the venue's daily limits and weights (staff); every value checked, nothing saved on a refusal.
    Runs already made keep the settings they were solved with."""
    if not planning_settings(venue).can_edit(actor):
        _refuse(_("change the planning settings"))
    with transaction.atomic():
        ps, _created = PlanningSettings.objects.select_for_update().get_or_create(venue=venue)
        before = {k: getattr(ps, k) for k in SETTINGS_FIELDS}
        for key in SETTINGS_FIELDS:
            if key in data:
                setattr(ps, key, data[key])
        ps.full_clean(exclude=["venue"])  # a refusal rolls back, a row made just now included
        ps.save()
        log_action(ps, "update", actor=actor, data={"before": before,
                                                    "after": {k: getattr(ps, k) for k in SETTINGS_FIELDS}})
    return ps


# ---------------------------------------------------------------- proposals

def proposal_set_status(proposal: Proposal, status: str, *, actor, reason: str = "") -> Proposal:
    """Submit (planner or staff) or decline (staff) a proposal."""
    allowed = {
        ProposalStatus.SUBMITTED: proposal.can_edit(actor) and proposal.status == ProposalStatus.DRAFT,
        ProposalStatus.DRAFT: proposal.can_edit(actor) and proposal.status == ProposalStatus.SUBMITTED,
        ProposalStatus.DECLINED: proposal.can_decline(actor)
        and proposal.status in (ProposalStatus.SUBMITTED, ProposalStatus.PLANNED),
    }
    if not allowed.get(status, False):
        # Declining is center staff's; submitting and withdrawing the proposing agency's (or staff's). Anyone
        # else is refused; those who may, but not from this state, hear why not.
        may_act = (proposal.can_decline(actor) if status == ProposalStatus.DECLINED
                   else Proposal.may_create(actor, proposal.agency))
        if not may_act:
            raise PermissionDeniedError(_("You may not change this proposal."))
        raise ConflictError(_("A %(from)s proposal cannot become %(to)s.") % {
            "from": proposal.get_status_display(), "to": ProposalStatus(status).label}, field="status")
    with transaction.atomic():
        # Locked and read again: an approval running now either sees this change or makes it refused.
        current = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if current.status != proposal.status:
            raise ConflictError(_("The proposal changed meanwhile (now %(s)s); reload and try again.") % {
                "s": current.get_status_display()}, field="status")
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
                   seed: int = 0, parent: Plan | None = None, run_now: bool = False,
                   today: date | None = None) -> Plan:
    """Create a new plan version and hand the solve to the worker (or run it here when `run_now`).

    The version keeps what it is solved with: the venue's planning settings now, and the horizon from the later
    of the fiscal year's start and `today` (default: the real today) plus the booking lead time."""
    if not Plan.may_run(actor):
        _refuse(_("run the optimizer"))
    check_solve_limits(time_limit, workers)
    solved_with = run_settings(venue, fiscal_year, today=today)
    if solved_with["horizon_start"] > solved_with["horizon_end"]:
        raise ApplicationError(_("Fiscal year %(fy)s is over: nothing is left to plan.") % {"fy": fiscal_year},
                               field="fiscal_year")
    with transaction.atomic():
        plan = Plan.objects.create(
            venue=venue, fiscal_year=fiscal_year, version=_next_version(venue, fiscal_year), parent=parent,
            time_limit=time_limit, workers=workers, seed=seed, solved_with=solved_with,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        if parent is not None:  # carry the planner's pins into the new version
            PlanItem.objects.bulk_create(
                PlanItem(plan=plan, proposal_id=i.proposal_id, space_id=i.space_id, start=i.start,
                         pin_space=i.pin_space, pin_start=i.pin_start)
                for i in parent.items.filter(pin_space=True) | parent.items.filter(pin_start=True)
            )
        log_action(plan, "run", actor=actor, data={"time_limit": time_limit, "workers": workers, "seed": seed,
                                                   "solved_with": solved_with})
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
    if not plan.solved_with:  # queued before the settings existed: solve with today's
        plan.solved_with = run_settings(plan.venue, plan.fiscal_year)
        Plan.objects.filter(pk=plan.pk).update(solved_with=plan.solved_with)
    try:
        instance = build_instance(plan.venue, plan.fiscal_year, solved_with=plan.solved_with)
        refs = {a.id for a in instance.activities}
        h = instance.horizon  # a pinned date outside the horizon (the past) is not kept
        instance = replace(instance, pins=tuple(
            p if p.start is None or h.start <= p.start <= h.end else replace(p, start=None)
            for p in pins_of(plan) if p.activity in refs))
    except InstanceError as exc:
        Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.FAILED, error=str(exc))
        return Plan.objects.get(pk=plan.pk)
    # Inside an open transaction (a test, a management shell) no other connection can see this row, so the
    # monitor thread would only wait on locks: progress is then written once, at the end.
    monitor = _Monitor(plan.pk)
    watch = not connection.in_atomic_block
    # Caps lowered since the run was queued still hold.
    max_seconds, max_workers = solve_caps()
    options = opt.SolveOptions(time_limit=min(plan.time_limit, max_seconds), workers=min(plan.workers, max_workers),
                               seed=plan.seed, stop=monitor.event.is_set, on_progress=monitor.on_progress)
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
    _save_solution(plan, instance, solution, monitor.trace, stopped)
    return Plan.objects.get(pk=plan.pk)


def _final_figures(instance: opt.Instance, solution: opt.Solution, trace) -> tuple[opt.ObjectiveParts, float, float]:
    """The plan's objective v2 with its parts, and the tightest proven bound seen during the run.

    Every bound the solver reports is a proven upper bound on the same objective, so the smallest one holds: the
    gap shown when the run ends is never wider than the last one shown while it ran."""
    parts = solution.parts or opt.objective_parts(instance, solution.assignments)
    bounds = [solution.bound, *(p["bound"] for p in trace if p.get("bound") is not None)]
    bound = max(min(bounds), parts.objective)
    return parts, parts.objective, bound


def _save_solution(plan: Plan, instance: opt.Instance, solution: opt.Solution, trace, stopped: bool) -> None:
    proposals = {p.ref: p for p in Proposal.objects.filter(venue=plan.venue, fiscal_year=plan.fiscal_year)}
    spaces = {s.code: s for s in Space.objects.filter(venue=plan.venue)}
    parts, objective, bound = _final_figures(instance, solution, trace)
    # Plannable proposals whose dates passed before the horizon were not given to the solver: listed, explained.
    solved = {a.id for a in instance.activities}
    passed = {p.ref for p in proposals.values() if p.status in (ProposalStatus.SUBMITTED, ProposalStatus.PLANNED)
              and p.ref not in solved and window_passed(p, instance.horizon)}
    with transaction.atomic():
        existing = {i.proposal_id: i for i in PlanItem.objects.filter(plan=plan)}
        placed = {a.activity: a for a in solution.assignments}
        for ref, proposal in proposals.items():
            if ref not in placed and ref not in solution.unscheduled and ref not in passed:
                continue
            item = existing.get(proposal.pk) or PlanItem(plan=plan, proposal=proposal)
            a = placed.get(ref)
            item.space = spaces[a.space] if a else None
            item.start = a.start if a else None
            expl = solution.explanations.get(ref)
            item.explanation = (_explanation_json(expl) if expl else
                                {"reason": "window_passed"} if ref in passed else {})
            item.save()
        Proposal.objects.filter(pk__in=[proposals[r].pk for r in placed if r in proposals],
                                status=ProposalStatus.SUBMITTED).update(status=ProposalStatus.PLANNED)
        Plan.objects.filter(pk=plan.pk).update(
            status=PlanStatus.STOPPED if stopped else PlanStatus.SOLVED, objective=objective,
            bound=bound, gap=opt.relative_gap(objective, bound), solver_status=solution.status,
            wall_seconds=solution.wall_seconds, progress=trace[-PROGRESS_KEEP:],
            idle_weeks=[w.isoformat() for w in solution.idle_weeks], parts=parts_json(parts),
        )


def _explanation_json(expl: opt.Explanation) -> dict[str, Any]:
    """The explanation as stored: structured, with raw titles; pages and the API mask them per viewer
    (`selectors.explanations_for`)."""
    alt = expl.nearest_alternative
    return {
        "reason": expl.reason, "message_en": expl.message_en, "message_th": expl.message_th,
        "blocking": list(expl.blocking),
        "blockers": [{"kind": b.kind, "space": b.space, "start": b.start.isoformat(), "end": b.end.isoformat(),
                      "ref": b.ref, "label": b.label, "agency": b.agency} for b in expl.blockers],
        "full_days": [d.isoformat() for d in expl.full_days],
        "nearest_alternative": {"space": alt.space, "start": alt.start.isoformat()} if alt is not None else None,
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
    if not plan.can_change(actor):
        _refuse(_("restart the optimizer"))
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
    """Ask a running solve to stop; it keeps the best plan found so far."""
    if not plan.can_change(actor):
        _refuse(_("stop the optimizer"))
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
    if not item.plan.can_change(actor):
        _refuse(_("move or pin plan items"))
    if item.plan.status == PlanStatus.APPROVED:
        raise ConflictError(_("An approved plan cannot change; re-solve to make a new version."), field="plan")
    if item.plan.status not in (PlanStatus.SOLVED, PlanStatus.STOPPED):
        raise ConflictError(_("Wait until the run has finished before moving or pinning items."), field="plan")
    if space is not None:
        if space.venue_id != item.plan.venue_id:
            raise ApplicationError(_("That space is in another venue."), field="space")
        item.space = space
    if start is not None:
        h = item.plan.horizon  # the fiscal year from where this version started planning (not the past)
        if not h.start <= start <= h.end:
            raise ApplicationError(_("Choose a start within the plan, %(a)s to %(b)s (fiscal year %(fy)s).") % {
                "fy": item.plan.fiscal_year, "a": h.start.isoformat(), "b": h.end.isoformat()}, field="start")
        item.start = start
    if pin_space is not None:
        item.pin_space = pin_space
    if pin_start is not None:
        item.pin_start = pin_start
    if (item.pin_space and item.space is None) or (item.pin_start and item.start is None):
        raise ApplicationError(_("Choose a space and a start date before pinning them."), field="start")
    with transaction.atomic():
        item.save()
        _rescore(item.plan)
        log_action(item.plan, "pin", actor=actor, data={
            "proposal": item.proposal.ref, "space": item.space.code if item.space else None,
            "start": item.start.isoformat() if item.start else None, "pin_space": item.pin_space,
            "pin_start": item.pin_start})
    return item


def _rescore(plan: Plan) -> None:
    """After a planner moved an item: the version's figures follow its items (the bound stays a bound)."""
    parts = score_items(list(plan.items.select_related("proposal", "space")), plan.horizon, plan.objective_weights)
    bound = max(plan.bound, parts.objective) if plan.bound is not None else None
    Plan.objects.filter(pk=plan.pk).update(objective=parts.objective, parts=parts_json(parts), bound=bound,
                                           gap=opt.relative_gap(parts.objective, bound) if bound is not None else None)


def plan_resolve(plan: Plan, *, actor, time_limit: float | None = None, run_now: bool = False,
                 today: date | None = None) -> Plan:
    """A new version solved again with this version's pins kept, under today's settings and horizon."""
    max_seconds, max_workers = solve_caps()
    return plan_run_start(venue=plan.venue, fiscal_year=plan.fiscal_year, actor=actor,
                          time_limit=time_limit or min(plan.time_limit, max_seconds),
                          workers=min(plan.workers, max_workers), seed=plan.seed, parent=plan, run_now=run_now,
                          today=today)


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


@dataclass
class Approval:
    """What an approval did: the holds made and the items skipped (with the reason code)."""

    holds: list = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)


def plan_approve(plan: Plan, *, actor, confirm: list[str] | None = None) -> Approval:
    """Turn the plan's scheduled items into first-option holds in one transaction; any conflict with the diary
    aborts all. Items whose proposal was withdrawn, declined or approved elsewhere since the run are skipped and
    listed. `confirm` (the references the confirmation page listed) must match what would be made now, else
    nothing is made and the new list is returned: what a person confirms is exactly what happens."""
    if not plan.can_change(actor):
        _refuse(_("approve a plan"))
    conflicts: list[Conflict] = []
    created = []
    with transaction.atomic():
        plan = Plan.objects.select_for_update().select_related("venue").get(pk=plan.pk)  # one approval at a time
        if plan.status not in (PlanStatus.SOLVED, PlanStatus.STOPPED):
            raise ConflictError(_("Only a finished, not yet approved plan can be approved."), field="status")
        items = list(plan.items.select_related("proposal", "proposal__agency", "space")
                     .filter(space__isnull=False, start__isnull=False))
        # Lock the proposals so no decline or withdrawal slips in between this check and the holds.
        current = {p.pk: p for p in Proposal.objects.select_for_update().filter(pk__in=[i.proposal_id for i in items])}
        for item in items:
            item.proposal = current[item.proposal_id]
        skipped = [{"ref": i.proposal.ref, "reason": i.skip_reason()} for i in items if i.skip_reason()]
        items = [i for i in items if not i.skip_reason()]
        if confirm is not None and sorted(confirm) != sorted(i.proposal.ref for i in items):
            raise ConflictError(
                _("The plan changed since the confirmation was shown; check the list again."), field="confirm",
                extra={"holds": sorted(i.proposal.ref for i in items), "skipped": skipped})
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
                                            extra={"conflicts": conflicts_for(rivals, [], actor)})
            except ApplicationError as exc:
                met = exc.extra.get("conflicts") or [Conflict(kind="refused", field=exc.field, title=exc.message)]
                conflicts += [replace(c, proposal=p.ref, message=exc.message) for c in met]
                continue
            item.booking_id = booking.pk
            item.save(update_fields=["booking_id"])
            created.append(booking)
        if conflicts:
            transaction.set_rollback(True)
        else:
            Proposal.objects.filter(pk__in=[i.proposal_id for i in items]).update(status=ProposalStatus.APPROVED)
            Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.APPROVED, approved_at=timezone.now())
            log_action(plan, "approve", actor=actor, data={"holds": [b.pk for b in created], "skipped": skipped})
    if conflicts:
        raise ConflictError(_("The plan was not approved: %(n)s items collide with the diary.") % {
            "n": len({c.proposal for c in conflicts})}, field="plan", extra={"conflicts": conflicts})
    return Approval(holds=created, skipped=skipped)


PROPOSAL_FIELDS = ("ref", "title_th", "title_en", "activity_type", "days", "setup_days", "teardown_days",
                   "attendees", "layout", "equipment", "earliest", "latest_end", "preferred_months", "fixed_start",
                   "priority", "is_public", "notes")


def proposal_save(*, actor, venue: Venue, data: dict[str, Any], proposal: Proposal | None = None,
                  agency=None, allowed_spaces: list[str] | None = None) -> Proposal:
    """Create or edit a proposal; planners only for their own agency and while draft or submitted."""
    if proposal is not None and not proposal.can_edit(actor):
        raise PermissionDeniedError(_("You may not change this proposal."))
    if proposal is None:
        if not Proposal.may_create(actor):
            raise PermissionDeniedError(_("Only center staff and agency planners propose activities."))
        if not Proposal.may_create(actor, agency):
            raise PermissionDeniedError(_("Planners propose activities for their own agency only."),
                                        field="agency")
        if not Proposal.may_propose_for_any_agency(actor):
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
