"""Annual-plan endpoints: proposals, import, optimizer runs, pins, versions, approval, and a pure solve."""

import json
from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate
from pydantic import Field
from pydantic import ValidationError as PydanticValidationError

from khuang.accounts.auth import api_auth
from khuang.accounts.models import Agency
from khuang.core.api import ConflictErrorOut, ErrorOut, Pagination
from khuang.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from khuang.venues.models import Space
from khuang.venues.selectors import venue_get

from . import imports, selectors, services
from .models import Plan, PlanItem, Proposal
from .optimizer.io import InstanceError, parse_instance, solution_to_json
from .schemas import (
    ApprovalIn,
    ApprovalOut,
    ApprovalPreviewOut,
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
    SkippedOut,
    SolveOut,
)

router = Router(tags=["planning"], auth=api_auth)
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictErrorOut, 422: ErrorOut}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _proposal(request: HttpRequest, proposal_id: int) -> Proposal:
    p = Proposal.objects.select_related("agency", "venue").filter(pk=proposal_id).first()
    if p is None or not p.can_view(request.auth):
        raise NotFoundError(_("No proposal %(id)s.") % {"id": proposal_id})
    return p


def _require_browse(request: HttpRequest) -> None:
    if not Plan.may_browse(request.auth):
        raise PermissionDeniedError(_("The annual plan is for center staff and agency planners."))


def _plan(request: HttpRequest, plan_id: int) -> Plan:
    _require_browse(request)
    plan = Plan.objects.visible_to(request.auth).select_related("venue").filter(pk=plan_id).first()
    if plan is None:
        raise NotFoundError(_("No plan %(id)s.") % {"id": plan_id})
    services.plans_mark_lost(plan)  # a run whose worker died shows as such at once
    return plan


def _plan_out(plan: Plan, items: bool = False, viewer=None):
    base = dict(id=plan.pk, venue=plan.venue.code, fiscal_year=plan.fiscal_year, version=plan.version,
                parent=plan.parent_id, status=plan.status, objective=plan.objective, bound=plan.bound, gap=plan.gap,
                solver_status=plan.solver_status, wall_seconds=plan.wall_seconds, time_limit=plan.time_limit,
                progress=plan.progress, idle_weeks=plan.idle_weeks, error=plan.error, created_at=plan.created_at,
                solved_with=plan.solved_with, parts=plan.parts,
                better_by_pct=selectors.better_by_pct(plan.objective, plan.bound))
    if not items:
        return PlanOut(**base)
    found = selectors.plan_items(plan, viewer)
    explained = selectors.explanations_for(found, viewer)
    return PlanDetailOut(**base, items=[_item_out(i, explained.get(i.pk)) for i in found])


def _explanation_out(e: dict | None) -> dict:
    """An explanation as the API gives it: words and ISO dates, titles already masked for the viewer."""
    if not e:
        return {}
    alt = e["nearest_alternative"]
    return {
        "reason": e["reason"], "message": e["message"],
        "in_the_way": [{**r, "start": r["start"].isoformat() if r["start"] else None,
                        "end": r["end"].isoformat() if r["end"] else None} for r in e["in_the_way"]],
        "full_days": [d.isoformat() for d in e["full_days"]],
        "nearest_alternative": {**alt, "start": alt["start"].isoformat()} if alt else None,
    }


def _item_out(i: PlanItem, explanation: dict | None = None) -> PlanItemOut:
    end = i.start + timedelta(days=i.proposal.days - 1) if i.start else None
    return PlanItemOut(ref=i.proposal.ref, title=i.proposal.title, agency=i.proposal.agency.code,
                       space=i.space.code if i.space else None, start=i.start, end=end, pin_space=i.pin_space,
                       pin_start=i.pin_start, explanation=_explanation_out(explanation), booking=i.booking_id)


class PlanFilters(Schema):
    """Narrow the list: fiscal year (BE), venue code."""

    fiscal_year: int | None = Field(None, ge=2500, le=2700)
    venue: str | None = Field(None, max_length=30)


class SolveParams(Schema):
    """A solve over the API: seconds and threads (capped further by the server's settings), seed."""

    time_limit: float = Field(10, ge=1, le=3600)
    workers: int = Field(2, ge=1, le=64)
    seed: int = Field(0, ge=0, le=2**31 - 1)


class ProposalFilters(Schema):
    """Narrow the list: fiscal year (BE), venue code, status, agency code."""

    fiscal_year: int | None = Field(None, ge=2500, le=2700)
    venue: str | None = Field(None, max_length=30)
    status: ProposalStatusName | None = None
    agency: str | None = Field(None, max_length=30)


@router.get("/proposals", response={200: list[ProposalOut], **ERRORS})
@paginate(Pagination)
def list_proposals(request: HttpRequest, filters: Query[ProposalFilters]):
    """Proposals you may see (staff: all; agency members: their agency's)."""
    _require_browse(request)
    venue = venue_get(filters.venue) if filters.venue else None
    found = selectors.proposal_list(viewer=request.auth, venue=venue, fiscal_year=filters.fiscal_year,
                                    status=filters.status, agency=filters.agency)
    return [ProposalOut.from_proposal(p) for p in found]


@router.get("/proposals/template.xlsx", response={200: None, 401: ErrorOut})
def proposal_template(request: HttpRequest):
    """The Excel import template: Thai and English headers, an example row and a help sheet."""
    if not Proposal.may_create(request.auth):
        raise PermissionDeniedError(_("The annual plan is for center staff and agency planners."))
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
    p = services.proposal_save(actor=request.auth, venue=venue_get(data.pop("venue")), data=data, agency=agency,
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


@router.post("/proposals/import", response={201: list[ProposalOut], 413: ErrorOut, 422: ImportErrorOut,
                                            **{k: v for k, v in ERRORS.items() if k != 422}})
def import_proposals(request: HttpRequest, fiscal_year: Form[int], file: File[UploadedFile],
                     venue: Form[str] = ""):
    """Import .xlsx, .csv or exchange .json; one bad row imports nothing and every bad row is named.

    At most 5 MB, 25 MB unpacked and 5,000 proposals (413 naming the limit); titles 200 characters, notes 2,000
    (422 naming the row, the field and the limit)."""
    if not 2500 <= fiscal_year <= 2700:
        raise ApplicationError(_("Give the fiscal year in Buddhist Era, e.g. 2570."), field="fiscal_year")
    imports.check_size(file.size or 0)
    created = imports.proposals_import(venue=venue_get(venue or None), fiscal_year=fiscal_year,
                                       filename=file.name or "", content=file.read(), actor=request.auth)
    return Status(201, [ProposalOut.from_proposal(p) for p in created])


@router.post("/plans", response={201: PlanOut, **ERRORS})
def start_plan(request: HttpRequest, payload: PlanRunIn):
    """Queue an optimizer run; poll GET /api/plans/{id} for progress."""
    plan = services.plan_run_start(venue=venue_get(payload.venue), fiscal_year=payload.fiscal_year,
                                   actor=request.auth, time_limit=payload.time_limit, workers=payload.workers,
                                   seed=payload.seed)
    return Status(201, _plan_out(plan))


@router.get("/plans", response={200: list[PlanOut], **ERRORS})
@paginate(Pagination)
def list_plans(request: HttpRequest, filters: Query[PlanFilters]):
    """Plan versions, newest first."""
    _require_browse(request)
    target = venue_get(filters.venue) if filters.venue else None
    return [_plan_out(p) for p in selectors.plan_list(fiscal_year=filters.fiscal_year, venue=target,
                                                      viewer=request.auth)]


@router.get("/plans/{int:plan_id}", response={200: PlanDetailOut, **ERRORS})
def get_plan(request: HttpRequest, plan_id: int):
    """A plan version with its items (planners: their agency's), figures and progress; explanations name other
    agencies' private bookings and proposals only as the diary does."""
    return _plan_out(_plan(request, plan_id), items=True, viewer=request.auth)


@router.post("/plans/{int:plan_id}/stop", response={200: PlanOut, **ERRORS})
def stop_plan(request: HttpRequest, plan_id: int):
    """Stop a run; the best plan found so far is kept."""
    return _plan_out(services.plan_stop(_plan(request, plan_id), actor=request.auth))


@router.post("/plans/{int:plan_id}/restart", response={200: PlanOut, **ERRORS})
def restart_plan(request: HttpRequest, plan_id: int):
    """Queue again a run whose worker was lost (status "lost")."""
    return _plan_out(services.plan_restart(_plan(request, plan_id), actor=request.auth))


@router.post("/plans/{int:plan_id}/resolve", response={201: PlanOut, **ERRORS})
def resolve_plan(request: HttpRequest, plan_id: int, payload: ResolveIn):
    """A new version solved again, keeping this version's pins."""
    return Status(201, _plan_out(services.plan_resolve(_plan(request, plan_id), actor=request.auth,
                                                       time_limit=payload.time_limit)))


@router.patch("/plans/{int:plan_id}/items/{ref}", response={200: PlanItemOut, **ERRORS})
def pin_item(request: HttpRequest, plan_id: int, ref: str, payload: PinIn):
    """Move and/or pin an item's space and dates (center staff)."""
    _plan(request, plan_id)
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
    """What moved, was added or dropped from one version to another, the objective of each as solved, and both
    re-scored on one scale (today's settings) with the differences in planner terms."""
    return selectors.plan_compare(_plan(request, plan_id), _plan(request, other_id), viewer=request.auth)


def _skipped_out(skipped: list[dict]) -> list[SkippedOut]:
    return [SkippedOut(ref=s["ref"], reason=s["reason"], message=selectors.skip_text(s["reason"])) for s in skipped]


@router.get("/plans/{int:plan_id}/approval", response={200: ApprovalPreviewOut, **ERRORS})
def approval_preview(request: HttpRequest, plan_id: int):
    """What approving would do now: the references that would become holds and the items skipped, with why."""
    plan = _plan(request, plan_id)
    if not plan.can_change(request.auth):
        raise PermissionDeniedError(_("Only center staff may approve a plan."))
    found = selectors.plan_approval(plan)
    return ApprovalPreviewOut(plan=plan.pk, holds=found["refs"], skipped=_skipped_out(
        [{"ref": s["item"].proposal.ref, "reason": s["reason"]} for s in found["skipped"]]))


@router.post("/plans/{int:plan_id}/approve", response={200: ApprovalOut, **ERRORS}, openapi_extra={
    "requestBody": {"required": False, "content": {"application/json": {"schema": ApprovalIn.json_schema()}}}})
def approve_plan(request: HttpRequest, plan_id: int):
    """Turn the plan into first-option holds, all or nothing; items whose proposal was withdrawn, declined or
    approved elsewhere since the run are skipped and listed. The body is optional: with `confirm` (the references
    from GET …/approval) a plan that changed meanwhile is refused (409) and nothing is made."""
    confirm = None
    if request.content_type == "application/json" and request.body.strip():
        try:
            confirm = ApprovalIn.model_validate_json(request.body).confirm
        except PydanticValidationError as exc:
            raise ApplicationError(_("Send {\"confirm\": [references]} or no body."), field="confirm") from exc
    result = services.plan_approve(_plan(request, plan_id), actor=request.auth, confirm=confirm)
    return ApprovalOut(plan=plan_id, holds=[b.pk for b in result.holds], skipped=_skipped_out(result.skipped))


@router.post("/plan/solve", response={200: SolveOut, **ERRORS})
def solve_exchange(request: HttpRequest, params: Query[SolveParams]):
    """Solve an exchange-format instance sent as the body; nothing is stored. Center staff only; the time limit
    and threads are capped by the server's settings."""
    from .optimizer.cpsat import solve
    from .optimizer.model import SolveOptions

    if not Plan.may_run(request.auth):
        raise PermissionDeniedError(_("Only center staff may run the optimizer."))
    time_limit, workers, seed = params.time_limit, params.workers, params.seed
    services.check_solve_limits(time_limit, workers)
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
    return SolveOut(**solution_to_json(solution, instance), objective=solution.objective, bound=solution.bound,
                    gap=solution.gap, status=solution.status)
