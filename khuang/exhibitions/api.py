"""Exhibition endpoints: handlers parse, call one service or selector, and render.

Who may call what: floor plans are read by anyone signed in and written by center staff; an exhibition is seen
by staff and its organising agency and managed by staff and the agency's planners; applying, the public
exhibitor list and the exhibitor's own page (its private token) need no account.
"""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from khuang.accounts.auth import OptionalAuth, api_auth
from khuang.bookings.models import Booking
from khuang.bookings.schemas import ConflictErrorOut
from khuang.core.api import ApiId, ErrorOut
from khuang.core.errors import NotFoundError, PermissionDeniedError
from khuang.venues.models import Space
from khuang.venues.selectors import default_venue

from . import billing, errors, layout, selectors, services
from .models import AssignmentRun, BoothClaim, Exhibition, ExhibitorApplication, FloorPlan
from .schemas import (
    ApplicationCreatedOut,
    ApplicationIn,
    ApplicationOut,
    ApplicationPatch,
    BoothBillOut,
    BoothOut,
    ClaimIn,
    ClaimOut,
    DecisionIn,
    ExhibitionIn,
    ExhibitionOut,
    ExhibitorPageOut,
    FeesOut,
    FloorPlanIn,
    FloorPlanOut,
    InvoiceIn,
    LayoutImportIn,
    LayoutIn,
    PricesIn,
    PublicExhibitorOut,
    ReasonIn,
    RunIn,
    RunOut,
    SalesIn,
)

router = Router(tags=["exhibitions"], auth=api_auth)
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictErrorOut, 422: ErrorOut}
OPEN = [OptionalAuth()]


# ---------------------------------------------------------------- helpers

def _plan(request: HttpRequest, plan_id: int) -> FloorPlan:
    return selectors.floorplan_get(request.auth, plan_id)


def _plan_out(plan: FloorPlan, detail: bool = False) -> FloorPlanOut:
    return FloorPlanOut(id=plan.pk, space=plan.space.code, name_th=plan.name_th, name_en=plan.name_en,
                        width_m=float(plan.width_m), depth_m=float(plan.depth_m), grid_m=float(plan.grid_m),
                        booths=plan.booths.count(), is_active=plan.is_active,
                        layout=layout.to_json(plan) if detail else None)


def _exhibition(request: HttpRequest, exhibition_id: int) -> Exhibition:
    return selectors.exhibition_get(request.auth, exhibition_id)


def _managed(request: HttpRequest, exhibition_id: int) -> Exhibition:
    """A visible exhibition the caller manages (403 when seen but not managed, 404 when not seen)."""
    exhibition = _exhibition(request, exhibition_id)
    if not exhibition.can_manage(request.auth):
        raise PermissionDeniedError(str(errors.NOT_MANAGER))
    return exhibition


def _exhibition_out(request: HttpRequest, ex: Exhibition) -> ExhibitionOut:
    b = ex.booking
    return ExhibitionOut(
        id=ex.pk, booking=b.pk, title=ex.title(), space=b.space.code, start=b.start, end=b.end,
        floor_plan=ex.floor_plan_id, applications_open=ex.applications_open,
        application_deadline=ex.application_deadline, public_map=ex.public_map, hold_days=ex.hold_days,
        deposit_pct=float(ex.deposit_pct), competitor_distance_m=float(ex.competitor_distance_m),
        community_prime_quota=ex.community_prime_quota,
        booths=selectors.state_counts(selectors.booth_states(ex)),
        prices=[{"price_class": p.price_class, "category": p.category, "price_thb": float(p.price_thb)}
                for p in ex.prices.all()],
        can_manage=ex.can_manage(request.auth))


def _application(request: HttpRequest, application_id: int) -> ExhibitorApplication:
    app = ExhibitorApplication.objects.visible_to(request.auth).select_related("exhibition__booking").filter(
        pk=application_id).first()
    if app is None:
        raise NotFoundError(_("No application %(id)s.") % {"id": application_id})
    return app


def _application_out(app: ExhibitorApplication) -> ApplicationOut:
    return ApplicationOut(
        id=app.pk, company_name=app.company_name, company_name_en=app.company_name_en,
        contact_name=app.contact_name, email=app.email, phone=app.phone, province=app.province,
        category=app.category, community_reg_no=app.community_reg_no, otop_stars=app.otop_stars,
        product_category=app.product_category, products=app.products, booths_wanted=app.booths_wanted,
        booth_type=app.booth_type, needs_power=app.needs_power, needs_water=app.needs_water,
        preferred_zone=app.preferred_zone, competitors_text=app.competitors_text,
        avoid=sorted(o.pk for o in app.avoid.all()), public_listing=app.public_listing, status=app.status,
        decision_reason=app.decision_reason, priority_points=app.priority_points, pinned=app.pinned,
        sales_thb=float(app.sales_thb) if app.sales_thb is not None else None,
        booths=[c.booth.code for c in selectors.application_booths(app)], documents=app.documents.count())


def _claim_out(c: BoothClaim) -> ClaimOut:
    return ClaimOut(id=c.pk, booth=c.booth.code, application=c.application_id, status=c.status, active=c.active,
                    option_rank=c.option_rank, hold_expires_at=c.hold_expires_at,
                    price_thb=float(c.price_thb) if c.price_thb is not None else None)


def _run_out(run: AssignmentRun) -> RunOut:
    return RunOut(id=run.pk, exhibition=run.exhibition_id, status=run.status, time_limit=run.time_limit,
                  objective=run.objective, bound=run.bound, gap=run.gap, solver_status=run.solver_status,
                  wall_seconds=run.wall_seconds, assignments=run.result.get("assignments", {}),
                  unassigned=run.result.get("unassigned", []), explanations=run.explanations, error=run.error)


def _fees_out(app: ExhibitorApplication) -> FeesOut:
    fees = selectors.exhibitor_fees(app)
    return FeesOut(category=fees["category"], lines=[{**line, "amount_thb": float(line["amount_thb"])}
                                                     for line in fees["lines"]],
                   total_thb=float(fees["total_thb"]), deposit_pct=float(fees["deposit_pct"]),
                   deposit_thb=float(fees["deposit_thb"]), deposit_due=fees["deposit_due"],
                   balance_thb=float(fees["balance_thb"]), balance_due=fees["balance_due"])


def _bill_out(app: ExhibitorApplication) -> BoothBillOut | None:
    money = billing.exhibitor_money(app)
    if money is None:
        return None
    return BoothBillOut(
        quotation=money["quotation"].label, total_thb=float(money["quotation"].total),
        owed_thb=float(money["balance"]["balance"]),
        instalments=[{"kind": i["kind"], "amount_thb": float(i["amount"]), "due_date": i["due_date"],
                      "invoice": i["invoice"].number if i["invoice"] else None,
                      "invoice_id": i["invoice"].pk if i["invoice"] else None, "paid_thb": float(i["paid"]),
                      "outstanding_thb": float(i["outstanding"])} for i in money["instalments"]])


def _by_token(token: str) -> ExhibitorApplication:
    return selectors.application_by_token(token)


# ---------------------------------------------------------------- floor plans

@router.get("/floorplans", response={200: list[FloorPlanOut], **ERRORS})
def list_floorplans(request: HttpRequest):
    """Floor plans (anyone signed in sees the active ones; staff all)."""
    return [_plan_out(p) for p in selectors.floorplan_list(request.auth).prefetch_related("booths")]


@router.post("/floorplans", response={201: FloorPlanOut, **ERRORS})
def create_floorplan(request: HttpRequest, payload: FloorPlanIn):
    """A new empty floor plan of a space (center staff)."""
    venue = default_venue() if not payload.venue else None
    space = Space.objects.filter(code=payload.space, venue__code=payload.venue).first() if payload.venue else \
        Space.objects.filter(code=payload.space, venue=venue).first()
    if space is None:
        raise NotFoundError(_("No space with code %(code)s.") % {"code": payload.space}, field="space")
    plan = services.floorplan_create(space=space, name_th=payload.name_th, name_en=payload.name_en,
                                     width_m=payload.width_m, depth_m=payload.depth_m, grid_m=payload.grid_m,
                                     actor=request.auth)
    return Status(201, _plan_out(plan, detail=True))


@router.get("/floorplans/{plan_id}", response={200: FloorPlanOut, **ERRORS})
def get_floorplan(request: HttpRequest, plan_id: int):
    """One floor plan with its layout document."""
    return _plan_out(_plan(request, plan_id), detail=True)


@router.put("/floorplans/{plan_id}/layout", response={200: FloorPlanOut, **ERRORS})
def save_layout(request: HttpRequest, plan_id: int, payload: LayoutIn):
    """Replace the layout (what the grid editor saves); all or nothing, the bad item named."""
    plan = _plan(request, plan_id)
    data = layout.parse_json(payload.dict(exclude_none=True), width=plan.width_m, depth=plan.depth_m,
                             grid=plan.grid_m)
    return _plan_out(services.floorplan_save_layout(plan, data, actor=request.auth), detail=True)


@router.post("/floorplans/{plan_id}/import", response={200: FloorPlanOut, **ERRORS})
def import_layout(request: HttpRequest, plan_id: int, payload: LayoutImportIn):
    """Import a layout file (JSON or CSV); one bad row and nothing changes."""
    plan = _plan(request, plan_id)
    return _plan_out(services.floorplan_import(plan, payload.text, payload.format, actor=request.auth), detail=True)


# ---------------------------------------------------------------- exhibitions

@router.get("/exhibitions", response={200: list[ExhibitionOut], **ERRORS})
def list_exhibitions(request: HttpRequest):
    """Exhibitions you may see: staff all, an agency's members their own."""
    return [_exhibition_out(request, e) for e in selectors.exhibition_list(request.auth)]


@router.post("/exhibitions", response={201: ExhibitionOut, **ERRORS})
def create_exhibition(request: HttpRequest, payload: ExhibitionIn):
    """Set up an exhibition on a booking (staff, or a planner of the booking's agency)."""
    booking = Booking.objects.select_related("space").filter(pk=payload.booking).first()
    if booking is None or not booking.can_view(request.auth):
        raise NotFoundError(_("No booking %(id)s.") % {"id": payload.booking}, field="booking")
    plan = FloorPlan.objects.visible_to(request.auth).filter(pk=payload.floor_plan).first()
    if plan is None:
        raise NotFoundError(_("No floor plan %(id)s.") % {"id": payload.floor_plan}, field="floor_plan")
    settings = payload.dict(exclude={"booking", "floor_plan"})
    exhibition = services.exhibition_create(booking, plan, actor=request.auth, **settings)
    return Status(201, _exhibition_out(request, exhibition))


@router.get("/exhibitions/{exhibition_id}", response={200: ExhibitionOut, **ERRORS})
def get_exhibition(request: HttpRequest, exhibition_id: int):
    """One exhibition with booth counts by state and prices."""
    return _exhibition_out(request, _exhibition(request, exhibition_id))


@router.put("/exhibitions/{exhibition_id}/prices", response={200: ExhibitionOut, **ERRORS})
def set_prices(request: HttpRequest, exhibition_id: int, payload: PricesIn):
    """Replace the price table (price class × exhibitor category)."""
    ex = _managed(request, exhibition_id)
    services.prices_set(ex, [p.dict() for p in payload.prices], actor=request.auth)
    return _exhibition_out(request, ex)


@router.get("/exhibitions/{exhibition_id}/booths", response={200: list[BoothOut], **ERRORS})
def list_booths(request: HttpRequest, exhibition_id: int):
    """Every booth with its state; who holds it is shown to the managers."""
    ex = _exhibition(request, exhibition_id)
    manager = ex.can_manage(request.auth)
    out = []
    for code, row in selectors.booth_states(ex).items():
        b, app = row["booth"], row["application"]
        out.append(BoothOut(code=code, x=float(b.x), y=float(b.y), width=float(b.width), depth=float(b.depth),
                            type=b.kind, power=b.power, water=b.water, zone=b.zone, price_class=b.price_class,
                            prime=b.prime, state=row["state"], queued_holds=row["queued"],
                            claim=row["claim"].pk if manager and row["claim"] else None,
                            exhibitor=app.pk if manager and app else None,
                            exhibitor_name=app.company_name if manager and app else None))
    return out


@router.post("/exhibitions/{exhibition_id}/claims", response={201: ClaimOut, **ERRORS})
def create_claim(request: HttpRequest, exhibition_id: int, payload: ClaimIn):
    """Hold (queued behind earlier holds), reserve or sell a booth for an accepted application; a booth already
    taken is refused with 409."""
    ex = _managed(request, exhibition_id)
    app = ExhibitorApplication.objects.filter(pk=payload.application, exhibition=ex).first()
    if app is None:
        raise NotFoundError(_("No application %(id)s.") % {"id": payload.application}, field="application")
    if payload.action == "hold":
        claim = services.claim_hold(ex, payload.booth, app, actor=request.auth, expires_at=payload.expires_at)
    elif payload.action == "reserve":
        claim = services.claim_reserve(ex, payload.booth, app, actor=request.auth, reason=payload.reason)
    else:
        claim = services.claim_sell(ex, payload.booth, app, actor=request.auth, reason=payload.reason)
    return Status(201, _claim_out(claim))


@router.post("/exhibitions/{exhibition_id}/claims/{claim_id}/release", response={200: ClaimOut, **ERRORS})
def release_claim(request: HttpRequest, exhibition_id: int, claim_id: int, payload: ReasonIn):
    """End a hold, reservation, sale (with a reason) or block; the next queued hold moves up."""
    ex = _managed(request, exhibition_id)
    claim = BoothClaim.objects.select_related("booth", "exhibition").filter(pk=claim_id, exhibition=ex).first()
    if claim is None:
        raise NotFoundError(_("No claim %(id)s.") % {"id": claim_id})
    return _claim_out(services.claim_release(claim, actor=request.auth, reason=payload.reason))


@router.post("/exhibitions/{exhibition_id}/booths/{code}/block", response={201: ClaimOut, **ERRORS})
def block_booth(request: HttpRequest, exhibition_id: int, code: str, payload: ReasonIn):
    """Keep a free booth off sale."""
    ex = _managed(request, exhibition_id)
    return Status(201, _claim_out(services.booth_block(ex, code, actor=request.auth, reason=payload.reason)))


@router.post("/exhibitions/{exhibition_id}/booths/{code}/unblock", response={200: ClaimOut, **ERRORS})
def unblock_booth(request: HttpRequest, exhibition_id: int, code: str):
    """Put a blocked booth back on sale."""
    ex = _managed(request, exhibition_id)
    return _claim_out(services.booth_unblock(ex, code, actor=request.auth))


# ---------------------------------------------------------------- applications

class ApplicationFilters(Schema):
    status: str | None = None
    category: str | None = None
    q: str | None = None


@router.get("/exhibitions/{exhibition_id}/applications", response={200: list[ApplicationOut], **ERRORS})
def list_applications(request: HttpRequest, exhibition_id: int, filters: Query[ApplicationFilters]):
    """An exhibition's applications (its managers and the organising agency)."""
    ex = _exhibition(request, exhibition_id)
    f = filters.dict()
    return [_application_out(a) for a in selectors.application_list(ex, status=f["status"] or None,
                                                                     category=f["category"] or None, q=f["q"])]


@router.post("/exhibitions/{exhibition_id}/applications", response={201: ApplicationCreatedOut, **ERRORS},
             auth=OPEN)
def apply(request: HttpRequest, exhibition_id: int, payload: ApplicationIn):
    """Apply to exhibit (no account needed); the answer holds the private token of the exhibitor's page."""
    ex = Exhibition.objects.select_related("booking").filter(pk=exhibition_id, booking__is_public=True).first()
    if ex is None:
        raise NotFoundError(_("No exhibition %(id)s.") % {"id": exhibition_id})
    data = payload.dict()
    data["booth_type"] = data["booth_type"] or ""
    app = services.application_submit(ex, services.ApplicationDraft(**data),
                                      base_url=request.build_absolute_uri("/"))
    return Status(201, ApplicationCreatedOut(id=app.pk, status=app.status, token=app.token,
                                             page=request.build_absolute_uri(
                                                 reverse("exhibitions:exhibitor_page", args=[app.token]))))


@router.get("/applications/{application_id}", response={200: ApplicationOut, **ERRORS})
def get_application(request: HttpRequest, application_id: int):
    """One application."""
    return _application_out(_application(request, application_id))


@router.patch("/applications/{application_id}", response={200: ApplicationOut, **ERRORS})
def update_application(request: HttpRequest, application_id: int, payload: ApplicationPatch):
    """Adjust priority points, pin, booth wishes and the competitors kept apart (managers)."""
    app = _application(request, application_id)
    changes = payload.dict(exclude_unset=True)
    avoid = changes.pop("avoid", None)
    for key in ("booth_type", "preferred_zone"):
        if key in changes and changes[key] is None:
            changes[key] = ""
    return _application_out(services.application_update(app, changes, actor=request.auth, avoid=avoid))


@router.post("/applications/{application_id}/decision", response={200: ApplicationOut, **ERRORS})
def decide(request: HttpRequest, application_id: int, payload: DecisionIn):
    """Accept, waitlist or decline, with the reason the applicant reads."""
    app = _application(request, application_id)
    return _application_out(services.application_decide(app, payload.decision, actor=request.auth,
                                                        reason=payload.reason,
                                                        base_url=request.build_absolute_uri("/")))


@router.post("/applications/{application_id}/sales", response={200: ApplicationOut, **ERRORS})
def record_sales_staff(request: HttpRequest, application_id: int, payload: SalesIn):
    """Record a community or OTOP exhibitor's sales at the fair (managers)."""
    app = _application(request, application_id)
    return _application_out(services.sales_record(app, payload.amount_thb, actor=request.auth))


@router.post("/applications/{application_id}/bill", response={201: BoothBillOut, **ERRORS})
def bill_booth_fees(request: HttpRequest, application_id: int):
    """Quote the exhibitor's booth fees with deposit and balance (center staff and finance officers)."""
    app = _application_for_money(request, application_id)
    billing.booth_fees_bill(app, actor=request.auth)
    app.refresh_from_db()
    return Status(201, _bill_out(app))


@router.post("/applications/{application_id}/invoices", response={201: BoothBillOut, **ERRORS})
def issue_booth_invoice(request: HttpRequest, application_id: int, payload: InvoiceIn):
    """Issue the deposit or balance invoice of the exhibitor's booth fees (finance officers)."""
    app = _application_for_money(request, application_id)
    billing.booth_invoice_issue(app, payload.kind, actor=request.auth)
    return Status(201, _bill_out(app))


def _application_for_money(request: HttpRequest, application_id: int) -> ExhibitorApplication:
    """An application the caller may see (staff and finance officers see every one); billing decides who bills."""
    app = ExhibitorApplication.objects.visible_to(request.auth).select_related(
        "exhibition__booking__space__venue", "quotation").filter(pk=application_id).first()
    if app is None:
        raise NotFoundError(_("No application %(id)s.") % {"id": application_id})
    return app


# ---------------------------------------------------------------- optimizer runs

@router.post("/exhibitions/{exhibition_id}/assignment-runs", response={201: RunOut, **ERRORS})
def start_run(request: HttpRequest, exhibition_id: int, payload: RunIn):
    """Queue a booth-assignment run for the accepted exhibitors (the worker solves it)."""
    ex = _managed(request, exhibition_id)
    run = services.run_start(ex, actor=request.auth, time_limit=payload.time_limit, workers=payload.workers)
    return Status(201, _run_out(run))


def _run(request: HttpRequest, run_id: int) -> AssignmentRun:
    run = AssignmentRun.objects.visible_to(request.auth).filter(pk=run_id).select_related(
        "exhibition__booking").first()
    if run is None:
        raise NotFoundError(_("No run %(id)s.") % {"id": run_id})
    return run


@router.get("/assignment-runs/{run_id}", response={200: RunOut, **ERRORS})
def get_run(request: HttpRequest, run_id: int):
    """A run's figures, progress and (once solved) the assignment with explanations."""
    return _run_out(_run(request, run_id))


@router.post("/assignment-runs/{run_id}/apply", response={200: RunOut, **ERRORS})
def apply_run(request: HttpRequest, run_id: int):
    """Reserve the run's booths for its exhibitors, all or nothing."""
    run = _run(request, run_id)
    services.run_apply(run, actor=request.auth)
    run.refresh_from_db()
    return _run_out(run)


# ---------------------------------------------------------------- exhibitor's page (token) and the public

@router.get("/exhibitor/{token}", response={200: ExhibitorPageOut, **ERRORS}, auth=OPEN)
def exhibitor_page(request: HttpRequest, token: str):
    """The exhibitor's status, booths, fees and manual (the private token is the key)."""
    app = _by_token(token)
    ex = app.exhibition
    return ExhibitorPageOut(exhibition=ex.pk, event=ex.title(), company_name=app.company_name, status=app.status,
                            decision_reason=app.decision_reason,
                            booths=[c.booth.code for c in selectors.application_booths(app)],
                            fees=_fees_out(app), public_listing=app.public_listing, manual=ex.manual,
                            sales_thb=float(app.sales_thb) if app.sales_thb is not None else None,
                            can_record_sales=app.is_community and app.status == "accepted" and ex.has_begun,
                            bill=_bill_out(app))


@router.post("/exhibitor/{token}/sales", response={200: ExhibitorPageOut, **ERRORS}, auth=OPEN)
def record_sales_exhibitor(request: HttpRequest, token: str, payload: SalesIn):
    """The exhibitor records its sales at the fair (community enterprise and OTOP exhibitors)."""
    services.sales_record(_by_token(token), payload.amount_thb, by_exhibitor=True)
    return exhibitor_page(request, token)


class PublicFilters(Schema):
    category: str | None = None
    q: str | None = None


@router.get("/events/{booking_id}/exhibitors", response={200: list[PublicExhibitorOut], **ERRORS}, auth=OPEN)
def public_exhibitors(request: HttpRequest, booking_id: ApiId, filters: Query[PublicFilters]):
    """Who exhibits where at a public event (exhibitors who agreed to be listed), by product category."""
    ex = selectors.public_exhibition(booking_id)
    f = filters.dict()
    return [PublicExhibitorOut(**{k: v for k, v in r.items() if k in PublicExhibitorOut.model_fields})
            for r in selectors.public_exhibitors(ex, product_category=f["category"] or None, q=f["q"] or None)]
