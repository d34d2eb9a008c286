"""Annual-plan endpoints: proposals, import, optimizer runs, pins, versions, approval, and a pure solve."""

import json
from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import Field

from khuang.accounts.auth import api_auth
from khuang.accounts.models import Agency
from khuang.bookings.schemas import ConflictErrorOut
from khuang.core.api import ErrorOut
from khuang.core.errors import ApplicationError, NotFoundError
from khuang.venues.models import Space, Venue
from khuang.venues.selectors import default_venue

from . import imports, selectors, services
from .models import Plan, PlanItem, Proposal
from .optimizer.io import InstanceError, parse_instance, solution_to_json
from .schemas import (
    ApprovalOut,
    ImportErrorOut,
    PinIn,
    PlanCompareOut,
    PlanDetailOut,
    PlanItemOut,
    PlanOut,
    PlanRunIn,
    ProposalIn,
    ProposalOut,
    ProposalPatch,
    ProposalStatusName,
    ReasonIn,
    ResolveIn,
    SolveOut,
)

router = Router(tags=["planning"], auth=api_auth)
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictErrorOut, 422: ErrorOut}
MAX_API_SOLVE_SECONDS = 60
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _venue(code: str | None) -> Venue:
    venue = Venue.objects.filter(code=code).first() if code else default_venue()
    if venue is None:
        raise NotFoundError(_("No venue with code %(code)s.") % {"code": code}, field="venue")
    return venue


def _proposal(request: HttpRequest, proposal_id: int) -> Proposal:
    p = Proposal.objects.select_related("agency", "venue").filter(pk=proposal_id).first()
    if p is None or not p.can_view(request.auth):
        raise NotFoundError(_("No proposal %(id)s.") % {"id": proposal_id})
    return p


def _plan(plan_id: int) -> Plan:
    plan = Plan.objects.select_related("venue").filter(pk=plan_id).first()
    if plan is None:
        raise NotFoundError(_("No plan %(id)s.") % {"id": plan_id})
    services.plans_mark_lost(plan)  # a run whose worker died shows as such at once
    return plan


def _plan_out(plan: Plan, items: bool = False, viewer=None):
    base = dict(id=plan.pk, venue=plan.venue.code, fiscal_year=plan.fiscal_year, version=plan.version,
                parent=plan.parent_id, status=plan.status, objective=plan.objective, bound=plan.bound, gap=plan.gap,
                solver_status=plan.solver_status, wall_seconds=plan.wall_seconds, time_limit=plan.time_limit,
                progress=plan.progress, idle_weeks=plan.idle_weeks, error=plan.error, created_at=plan.created_at)
    if not items:
        return PlanOut(**base)
    return PlanDetailOut(**base, items=[_item_out(i) for i in selectors.plan_items(plan, viewer)])


def _item_out(i: PlanItem) -> PlanItemOut:
    end = i.start + timedelta(days=i.proposal.days - 1) if i.start else None
    return PlanItemOut(ref=i.proposal.ref, title=i.proposal.title, agency=i.proposal.agency.code,
                       space=i.space.code if i.space else None, start=i.start, end=end, pin_space=i.pin_space,
                       pin_start=i.pin_start, explanation=i.explanation, booking=i.booking_id)


class ProposalFilters(Schema):
    """Narrow the list: fiscal year (BE), venue code, status, agency code."""

    fiscal_year: int | None = Field(None, ge=2500, le=2700)
    venue: str | None = Field(None, max_length=30)
    status: ProposalStatusName | None = None
    agency: str | None = Field(None, max_length=30)


@router.get("/proposals", response={200: list[ProposalOut], **ERRORS})
@paginate(LimitOffsetPagination)
def list_proposals(request: HttpRequest, filters: Query[ProposalFilters]):
    """Proposals you may see (staff: all; planners: their agency's)."""
    venue = _venue(filters.venue) if filters.venue else None
    found = selectors.proposal_list(viewer=request.auth, venue=venue, fiscal_year=filters.fiscal_year,
                                    status=filters.status, agency=filters.agency)
    return [ProposalOut.from_proposal(p) for p in found]


@router.get("/proposals/template.xlsx", response={200: None, 401: ErrorOut})
def proposal_template(request: HttpRequest):
    """The Excel import template: Thai and English headers, an example row and a help sheet."""
    response = HttpResponse(imports.template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="khuang-proposals-template.xlsx"'
    return response


@router.post("/proposals", response={201: ProposalOut, **ERRORS})
def create_proposal(request: HttpRequest, payload: ProposalIn):
    """Propose an activity (draft)."""
    data = payload.dict()
    agency = None
    if data.get("agency"):
        agency = Agency.objects.filter(code=data["agency"]).first()
        if agency is None:
            raise NotFoundError(_("No agency with code %(code)s.") % {"code": data["agency"]}, field="agency")
    data["layout"] = data["layout"] or ""
    p = services.proposal_save(actor=request.auth, venue=_venue(data.pop("venue")), data=data, agency=agency,
                               allowed_spaces=data.pop("allowed_spaces"))
    return Status(201, ProposalOut.from_proposal(p))


@router.get("/proposals/{int:proposal_id}", response={200: ProposalOut, **ERRORS})
def get_proposal(request: HttpRequest, proposal_id: int):
    """One proposal you may see."""
    return ProposalOut.from_proposal(_proposal(request, proposal_id))


@router.patch("/proposals/{int:proposal_id}", response={200: ProposalOut, **ERRORS})
def update_proposal(request: HttpRequest, proposal_id: int, payload: ProposalPatch):
    """Change a proposal (planners: while draft or submitted)."""
    p = _proposal(request, proposal_id)
    data = payload.dict(exclude_unset=True)
    if "layout" in data:
        data["layout"] = data["layout"] or ""
    p = services.proposal_save(actor=request.auth, venue=p.venue, data=data, proposal=p,
                               allowed_spaces=data.pop("allowed_spaces", None))
    return ProposalOut.from_proposal(p)


@router.post("/proposals/{int:proposal_id}/submit", response={200: ProposalOut, **ERRORS})
def submit_proposal(request: HttpRequest, proposal_id: int, payload: ReasonIn):
    """Hand a draft in for the annual plan."""
    return ProposalOut.from_proposal(services.proposal_set_status(
        _proposal(request, proposal_id), "submitted", actor=request.auth, reason=payload.reason))


@router.post("/proposals/{int:proposal_id}/withdraw", response={200: ProposalOut, **ERRORS})
def withdraw_proposal(request: HttpRequest, proposal_id: int, payload: ReasonIn):
    """Take a submitted proposal back to draft to change it."""
    return ProposalOut.from_proposal(services.proposal_set_status(
        _proposal(request, proposal_id), "draft", actor=request.auth, reason=payload.reason))


@router.post("/proposals/{int:proposal_id}/decline", response={200: ProposalOut, **ERRORS})
def decline_proposal(request: HttpRequest, proposal_id: int, payload: ReasonIn):
    """Decline a submitted or planned proposal (center staff)."""
    return ProposalOut.from_proposal(services.proposal_set_status(
        _proposal(request, proposal_id), "declined", actor=request.auth, reason=payload.reason))


@router.post("/proposals/import", response={201: list[ProposalOut], 422: ImportErrorOut,
                                            **{k: v for k, v in ERRORS.items() if k != 422}})
def import_proposals(request: HttpRequest, fiscal_year: Form[int], file: File[UploadedFile],
                     venue: Form[str] = ""):
    """Import .xlsx, .csv or exchange .json; one bad row imports nothing and every bad row is named."""
    if not 2500 <= fiscal_year <= 2700:
        raise ApplicationError(_("Give the fiscal year in Buddhist Era, e.g. 2570."), field="fiscal_year")
    if (file.size or 0) > imports.MAX_IMPORT_BYTES:
        raise ApplicationError(_("The file is larger than %(n)s MB.") % {"n": imports.MAX_IMPORT_BYTES // 2**20},
                               field="file")
    created = imports.proposals_import(venue=_venue(venue or None), fiscal_year=fiscal_year,
                                       filename=file.name or "", content=file.read(), actor=request.auth)
    return Status(201, [ProposalOut.from_proposal(p) for p in created])


@router.post("/plans", response={201: PlanOut, **ERRORS})
def start_plan(request: HttpRequest, payload: PlanRunIn):
    """Queue an optimizer run; poll GET /api/plans/{id} for progress."""
    plan = services.plan_run_start(venue=_venue(payload.venue), fiscal_year=payload.fiscal_year,
                                   actor=request.auth, time_limit=payload.time_limit, workers=payload.workers,
                                   seed=payload.seed, continuity_weight=payload.continuity_weight)
    return Status(201, _plan_out(plan))


@router.get("/plans", response={200: list[PlanOut], **ERRORS})
@paginate(LimitOffsetPagination)
def list_plans(request: HttpRequest, fiscal_year: Query[int | None] = None, venue: Query[str | None] = None):
    """Plan versions, newest first."""
    target = _venue(venue) if venue else None
    return [_plan_out(p) for p in selectors.plan_list(fiscal_year=fiscal_year, venue=target)]


@router.get("/plans/{int:plan_id}", response={200: PlanDetailOut, **ERRORS})
def get_plan(request: HttpRequest, plan_id: int):
    """A plan version with its items (planners: their agency's), figures and progress."""
    return _plan_out(_plan(plan_id), items=True, viewer=request.auth)


@router.post("/plans/{int:plan_id}/stop", response={200: PlanOut, **ERRORS})
def stop_plan(request: HttpRequest, plan_id: int):
    """Stop a run; the best plan found so far is kept."""
    return _plan_out(services.plan_stop(_plan(plan_id), actor=request.auth))


@router.post("/plans/{int:plan_id}/restart", response={200: PlanOut, **ERRORS})
def restart_plan(request: HttpRequest, plan_id: int):
    """Queue again a run whose worker was lost (status "lost")."""
    return _plan_out(services.plan_restart(_plan(plan_id), actor=request.auth))


@router.post("/plans/{int:plan_id}/resolve", response={201: PlanOut, **ERRORS})
def resolve_plan(request: HttpRequest, plan_id: int, payload: ResolveIn):
    """A new version solved again, keeping this version's pins."""
    return Status(201, _plan_out(services.plan_resolve(_plan(plan_id), actor=request.auth,
                                                       time_limit=payload.time_limit)))


@router.patch("/plans/{int:plan_id}/items/{ref}", response={200: PlanItemOut, **ERRORS})
def pin_item(request: HttpRequest, plan_id: int, ref: str, payload: PinIn):
    """Move and/or pin an item's space and dates."""
    item = PlanItem.objects.select_related("plan", "proposal", "space").filter(plan_id=plan_id,
                                                                                proposal__ref=ref).first()
    if item is None:
        raise NotFoundError(_("Plan %(id)s has no item %(ref)s.") % {"id": plan_id, "ref": ref})
    space = None
    if payload.space:
        space = Space.objects.filter(venue=item.plan.venue, code=payload.space).first()
        if space is None:
            raise NotFoundError(_("No space with code %(code)s.") % {"code": payload.space}, field="space")
    item = services.plan_item_pin(item, actor=request.auth, space=space, start=payload.start,
                                  pin_space=payload.pin_space, pin_start=payload.pin_start)
    return _item_out(item)


@router.get("/plans/{int:plan_id}/compare/{int:other_id}", response={200: PlanCompareOut, **ERRORS})
def compare_plans(request: HttpRequest, plan_id: int, other_id: int):
    """What moved, was added or dropped from one version to another, and the objective of each."""
    return selectors.plan_compare(_plan(plan_id), _plan(other_id), viewer=request.auth)


@router.post("/plans/{int:plan_id}/approve", response={200: ApprovalOut, **ERRORS})
def approve_plan(request: HttpRequest, plan_id: int):
    """Turn the plan into first-option holds, all or nothing."""
    holds = services.plan_approve(_plan(plan_id), actor=request.auth)
    return ApprovalOut(plan=plan_id, holds=[b.pk for b in holds])


@router.post("/plan/solve", response={200: SolveOut, **ERRORS})
def solve_exchange(request: HttpRequest, time_limit: float = 10, workers: int = 2, seed: int = 0):
    """Solve an exchange-format instance sent as the body; nothing is stored."""
    from .optimizer.cpsat import solve
    from .optimizer.model import SolveOptions

    if not 1 <= time_limit <= MAX_API_SOLVE_SECONDS or not 1 <= workers <= 8:
        raise ApplicationError(_("Use a time limit of 1 to %(n)s seconds and 1 to 8 workers.") % {
            "n": MAX_API_SOLVE_SECONDS}, field="time_limit")
    try:
        data = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApplicationError(_("The body is not valid JSON: %(e)s") % {"e": exc}, field="body") from exc
    try:
        instance = parse_instance(data)
    except InstanceError as exc:
        raise ApplicationError(str(exc), field=exc.field or "body",
                               extra={"activity": exc.activity_id}) from exc
    solution = solve(instance, SolveOptions(time_limit=time_limit, workers=workers, seed=seed))
    return SolveOut(**solution_to_json(solution), objective=solution.objective, bound=solution.bound,
                    gap=solution.gap, status=solution.status)
