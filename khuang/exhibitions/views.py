"""Pages of exhibitions: floor plans and their grid editor (staff), exhibitions with booth states, applications
and their review, optimizer runs (managers); the public application form, exhibitor list and map, and the
exhibitor's own page reached by its private link.

Views parse the request, call one selector or service, and render; refusals come back as a message on the page
with a 4xx status, never a 500. Who may see what is asked of the models (`visible_to`, `can_manage`).
"""

import json
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from khuang.bookings.models import Booking
from khuang.core import thaidates
from khuang.core.errors import ApplicationError, NotFoundError
from khuang.finance.models import is_finance_officer, prepares_documents
from khuang.venues.models import Space

from . import billing, errors, layout, selectors, services
from .models import (
    ApplicationDocument,
    ApplicationStatus,
    AssignmentRun,
    BoothClaim,
    BoothState,
    BoothType,
    DocumentKind,
    Exhibition,
    ExhibitorApplication,
    ExhibitorCategory,
    FloorPlan,
    ProductCategory,
)
from .provinces import province_choices
from .selectors import metres
from .svg import plan_svg

APPLICATION_FIELDS = ("company_name", "company_name_en", "contact_name", "email", "phone", "province", "category",
                      "community_reg_no", "otop_stars", "product_category", "products", "booths_wanted",
                      "booth_type", "needs_power", "needs_water", "preferred_zone", "competitors_text",
                      "public_listing")


def _lang() -> str:
    return "en" if (translation.get_language() or "th").startswith("en") else "th"


def _refuse(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return render(request, "exhibitions/message.html", {"message": exc.message}, status=exc.status_code)


def _exhibition(request: HttpRequest, exhibition_id: int) -> Exhibition:
    try:
        return selectors.exhibition_get(request.user, exhibition_id)
    except NotFoundError:
        raise Http404(_("No exhibition %(id)s.") % {"id": exhibition_id}) from None


def _managed(request: HttpRequest, exhibition_id: int) -> Exhibition:
    exhibition = _exhibition(request, exhibition_id)
    if not exhibition.can_manage(request.user):
        raise PermissionDenied(str(errors.NOT_MANAGER))
    return exhibition


def _plan(request: HttpRequest, plan_id: int) -> FloorPlan:
    try:
        return selectors.floorplan_get(request.user, plan_id)
    except NotFoundError:
        raise Http404(_("No floor plan %(id)s.") % {"id": plan_id}) from None


def _state_titles(states: dict, manager: bool) -> dict[str, str]:
    out = {}
    for code, row in states.items():
        label = str(BoothState(row["state"]).label)
        who = f" · {row['application'].company_name}" if manager and row["application"] else ""
        queued = f" · +{row['queued']}" if row["queued"] else ""
        b = row["booth"]
        out[code] = f"{code} · {label}{who}{queued} · {metres(b.width)}×{metres(b.depth)} m · {b.price_class}"
    return out


# ---------------------------------------------------------------- floor plans (staff edit, members read)

@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    """Floor plans of the venue's spaces."""
    plans = selectors.floorplan_list(request.user).prefetch_related("booths")
    if not plans and not getattr(request.user, "is_center_staff", False):
        raise PermissionDenied(_("No floor plans to show."))
    return render(request, "exhibitions/plan_list.html", {
        "plans": plans, "is_staff": getattr(request.user, "is_center_staff", False),
        "spaces": Space.objects.filter(is_active=True).order_by("venue__code", "code"),
    })


@login_required
@require_POST
def plan_new(request: HttpRequest) -> HttpResponse:
    """Create an empty plan (staff) and open its editor."""
    space = Space.objects.filter(pk=request.POST.get("space") or 0).first()
    if space is None:
        return render(request, "exhibitions/message.html", {"message": _("Choose a space.")}, status=422)
    try:
        plan = services.floorplan_create(space=space, name_th=request.POST.get("name_th", ""),
                                         name_en=request.POST.get("name_en", ""),
                                         width_m=request.POST.get("width_m"), depth_m=request.POST.get("depth_m"),
                                         grid_m=request.POST.get("grid_m") or 1, actor=request.user)
    except ApplicationError as exc:
        return _refuse(request, exc)
    return redirect("exhibitions:plan_detail", plan_id=plan.pk)


@login_required
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The plan drawn from its data; staff get the grid editor and the import form."""
    plan = _plan(request, plan_id)
    return render(request, "exhibitions/plan_detail.html", {
        "plan": plan, "svg": plan_svg(plan), "can_edit": plan.can_edit(request.user),
        "layout": layout.to_json(plan),
        "booth_types": BoothType.choices, "booths": plan.booths.all(),
        "exhibitions": plan.exhibitions.select_related("booking").order_by("-booking__start")[:10],
    })


@login_required
@require_POST
def plan_import(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Import a JSON or CSV layout file into the plan (staff); one bad row and nothing changes."""
    plan = _plan(request, plan_id)
    upload = request.FILES.get("file")
    if upload is None or upload.size > 2_000_000:
        return render(request, "exhibitions/message.html", {"message": _("Choose a JSON or CSV file under 2 MB.")},
                      status=422)
    fmt = "json" if upload.name.lower().endswith(".json") else "csv"
    try:
        text = upload.read().decode("utf-8-sig")
        services.floorplan_import(plan, text, fmt, actor=request.user)
    except UnicodeDecodeError:
        return render(request, "exhibitions/message.html", {"message": _("The file is not UTF-8 text.")},
                      status=422)
    except ApplicationError as exc:
        return _refuse(request, exc)
    messages.success(request, _("Layout imported: %(n)s booths.") % {"n": plan.booths.count()})
    return redirect("exhibitions:plan_detail", plan_id=plan.pk)


@login_required
@require_POST
def plan_copy(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Copy a plan (staff), to change a layout past exhibitions still show."""
    plan = _plan(request, plan_id)
    try:
        copy = services.floorplan_copy(plan, actor=request.user)
    except ApplicationError as exc:
        return _refuse(request, exc)
    return redirect("exhibitions:plan_detail", plan_id=copy.pk)


@login_required
def plan_export(request: HttpRequest, plan_id: int, fmt: str) -> HttpResponse:
    """The layout as JSON or CSV (the import formats)."""
    plan = _plan(request, plan_id)
    if fmt == "json":
        body, kind = json.dumps(layout.to_json(plan), ensure_ascii=False, indent=1), "application/json"
    elif fmt == "csv":
        body, kind = layout.to_csv(plan), "text/csv; charset=utf-8"
    else:
        raise Http404(_("Use layout.json or layout.csv."))
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="floorplan-{plan.pk}.{fmt}"'
    return response


# ---------------------------------------------------------------- exhibitions

@login_required
def exhibition_list(request: HttpRequest) -> HttpResponse:
    """Exhibitions you may see, and bookings you could turn into one."""
    exhibitions = selectors.exhibition_list(request.user)
    manageable = Booking.objects.none()
    if getattr(request.user, "is_center_staff", False):
        manageable = Booking.objects.filter(event_type__in=("trade_fair", "exhibition", "festival"),
                                            status__in=("hold", "confirmed"), end__gt=timezone.now())
    elif getattr(request.user, "is_planner", False):
        manageable = Booking.objects.filter(agency_id=request.user.agency_id, status__in=("hold", "confirmed"),
                                            end__gt=timezone.now())
    manageable = manageable.filter(exhibition__isnull=True).select_related("space").order_by("start")[:30]
    if not exhibitions and not manageable:
        raise PermissionDenied(_("No exhibitions to show."))
    return render(request, "exhibitions/exhibition_list.html", {"exhibitions": exhibitions, "bookings": manageable})


@login_required
@require_http_methods(["GET", "POST"])
def exhibition_new(request: HttpRequest) -> HttpResponse:
    """Set up an exhibition on a booking: choose a floor plan of its space."""
    booking = Booking.objects.select_related("space").filter(
        pk=request.GET.get("booking") or request.POST.get("booking") or 0).first()
    if booking is None or not booking.can_view(request.user):
        raise Http404(_("No such booking."))
    plans = FloorPlan.objects.visible_to(request.user).filter(space=booking.space)
    if request.method == "POST":
        plan = plans.filter(pk=request.POST.get("floor_plan") or 0).first()
        if plan is None:
            return render(request, "exhibitions/exhibition_new.html",
                          {"booking": booking, "plans": plans, "error": _("Choose a floor plan.")}, status=422)
        try:
            exhibition = services.exhibition_create(booking, plan, actor=request.user)
        except ApplicationError as exc:
            return render(request, "exhibitions/exhibition_new.html",
                          {"booking": booking, "plans": plans, "error": exc.message}, status=exc.status_code)
        return redirect("exhibitions:detail", exhibition_id=exhibition.pk)
    if not (getattr(request.user, "is_center_staff", False) or (
            getattr(request.user, "is_planner", False) and request.user.agency_id == booking.agency_id)):
        raise PermissionDenied(str(errors.BOOKING_NOT_YOURS))
    return render(request, "exhibitions/exhibition_new.html", {"booking": booking, "plans": plans})


def _detail_context(request: HttpRequest, ex: Exhibition) -> dict:
    manager = ex.can_manage(request.user)
    states = selectors.booth_states(ex)
    return {
        "ex": ex, "manager": manager, "booking": ex.booking,
        "svg": plan_svg(ex.floor_plan, states={c: r["state"] for c, r in states.items()},
                        titles=_state_titles(states, manager)),
        "counts": selectors.state_counts(states), "prices": selectors.price_table(ex),
        "apps": selectors.application_counts(ex),
        "accepted": ex.applications.filter(status=ApplicationStatus.ACCEPTED).order_by("company_name"),
        "claims": [r for r in states.values() if r["claim"] is not None],
        "runs": ex.runs.all()[:5], "sales": selectors.sales_summary(ex),
        "categories": ExhibitorCategory.choices, "states": BoothState.choices,
    }


@login_required
def exhibition_detail(request: HttpRequest, exhibition_id: int) -> HttpResponse:
    """The floor plan in booth states, prices, applications at a glance, the booth desk and optimizer runs."""
    ex = _exhibition(request, exhibition_id)
    return render(request, "exhibitions/exhibition_detail.html", _detail_context(request, ex))


@login_required
@require_POST
def exhibition_settings(request: HttpRequest, exhibition_id: int) -> HttpResponse:
    """Save the settings and the price table (managers)."""
    ex = _managed(request, exhibition_id)
    p = request.POST
    try:
        rows = []
        for key, value in p.items():
            if key.startswith("price__") and value.strip():
                _prefix, cls, category = key.split("__", 2)
                rows.append({"price_class": cls, "category": category, "price_thb": value.strip()})
        changes = {
            "applications_open": p.get("applications_open") == "on", "public_map": p.get("public_map") == "on",
            "application_deadline": _day(p.get("application_deadline")),
            "hold_days": _int(p.get("hold_days"), "hold_days"), "deposit_pct": p.get("deposit_pct") or "0",
            "competitor_distance_m": p.get("competitor_distance_m") or "0",
            "community_prime_quota": _int(p.get("community_prime_quota"), "community_prime_quota"),
            "manual_th": p.get("manual_th", ""), "manual_en": p.get("manual_en", ""),
        }
        services.exhibition_update(ex, changes, actor=request.user)
        services.prices_set(ex, rows, actor=request.user)
    except ApplicationError as exc:
        return _refuse(request, exc)
    messages.success(request, _("Settings and prices saved."))
    return redirect("exhibitions:detail", exhibition_id=ex.pk)


def _day(text: str | None) -> date | str | None:
    """A typed date (ISO, or d/m/yyyy in Buddhist Era); what is no date goes on to the service, which names it."""
    if not (text or "").strip():
        return None
    try:
        return thaidates.parse_date(text)
    except ValueError:
        return text


def _int(text: str | None, field: str) -> int:
    try:
        return int(text or 0)
    except ValueError:
        raise services.Invalid(_("A whole number, please."), field=field) from None


@login_required
@require_POST
def booth_action(request: HttpRequest, exhibition_id: int) -> HttpResponse:
    """The booth desk: hold, reserve, sell, release, block or unblock one booth (managers)."""
    ex = _managed(request, exhibition_id)
    action = request.POST.get("action", "")
    code = (request.POST.get("booth") or "").strip()
    reason = request.POST.get("reason", "")
    try:
        if action in ("hold", "reserve", "sell"):
            app = ExhibitorApplication.objects.filter(exhibition=ex, pk=request.POST.get("application") or 0).first()
            if app is None:
                raise services.Invalid(_("Choose an accepted exhibitor."), field="application")
            {"hold": services.claim_hold, "reserve": services.claim_reserve, "sell": services.claim_sell}[action](
                ex, code, app, actor=request.user, **({} if action == "hold" else {"reason": reason}))
        elif action == "release":
            claim = BoothClaim.objects.filter(exhibition=ex, booth__code=code, active=True).select_related(
                "booth", "exhibition").first()
            if claim is None:
                raise services.Invalid(_("Booth %(code)s is not held, reserved or sold.") % {"code": code},
                                       field="booth")
            services.claim_release(claim, actor=request.user, reason=reason)
        elif action == "block":
            services.booth_block(ex, code, actor=request.user, reason=reason)
        elif action == "unblock":
            services.booth_unblock(ex, code, actor=request.user)
        else:
            raise services.Invalid(_("Unknown action."), field="action")
    except ApplicationError as exc:
        return _refuse(request, exc)
    messages.success(request, _("Booth %(code)s: done.") % {"code": code})
    return redirect("exhibitions:detail", exhibition_id=ex.pk)


@login_required
def instance_download(request: HttpRequest, exhibition_id: int) -> HttpResponse:
    """The exhibition in the booth exchange format, for `khuang booths solve` (managers)."""
    ex = _managed(request, exhibition_id)
    response = HttpResponse(services.instance_json(ex, actor=request.user), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="booths-{ex.pk}.json"'
    return response


# ---------------------------------------------------------------- applications (review)

@login_required
def application_list(request: HttpRequest, exhibition_id: int) -> HttpResponse:
    """An exhibition's applications, filtered by status and category."""
    ex = _exhibition(request, exhibition_id)
    status = request.GET.get("status") if request.GET.get("status") in ApplicationStatus.values else None
    category = request.GET.get("category") if request.GET.get("category") in ExhibitorCategory.values else None
    q = (request.GET.get("q") or "").strip()[:100]
    apps = selectors.application_list(ex, status=status, category=category, q=q)
    booths = {}
    for app_id, code in BoothClaim.objects.filter(exhibition=ex, active=True, application__isnull=False
                                                  ).values_list("application_id", "booth__code"):
        booths.setdefault(app_id, []).append(code)
    return render(request, "exhibitions/application_list.html", {
        "ex": ex, "apps": apps, "booths": booths, "status": status, "category": category, "q": q,
        "statuses": ApplicationStatus.choices, "categories": ExhibitorCategory.choices,
        "counts": selectors.application_counts(ex), "manager": ex.can_manage(request.user),
    })


def _application(ex: Exhibition, app_id: int) -> ExhibitorApplication:
    app = ex.applications.filter(pk=app_id).prefetch_related("avoid", "documents").first()
    if app is None:
        raise Http404(_("No application %(id)s.") % {"id": app_id})
    return app


@login_required
@require_http_methods(["GET", "POST"])
def application_detail(request: HttpRequest, exhibition_id: int, app_id: int) -> HttpResponse:
    """Review one application: documents, booths, fees; decide, adjust what the optimizer sees, record sales."""
    ex = _exhibition(request, exhibition_id)
    app = _application(ex, app_id)
    if request.method == "POST":
        form = request.POST.get("form")
        money_form = form in ("bill", "invoice")  # the money chain's own roles decide (checked by the service)
        if not money_form and not ex.can_manage(request.user):
            raise PermissionDenied(str(errors.NOT_MANAGER))
        try:
            if form == "decision":
                services.application_decide(app, request.POST.get("decision", ""), actor=request.user,
                                             reason=request.POST.get("reason", ""),
                                             base_url=request.build_absolute_uri("/"))
                messages.success(request, _("Decision saved; the applicant is told by e-mail."))
            elif form == "optimizer":
                changes = {"priority_points": _int(request.POST.get("priority_points"), "priority_points"),
                           "pinned": request.POST.get("pinned") == "on"}
                avoid = [int(x) for x in request.POST.getlist("avoid") if x.isdigit()]
                services.application_update(app, changes, actor=request.user, avoid=avoid)
                messages.success(request, _("Saved."))
            elif form == "sales":
                services.sales_record(app, request.POST.get("sales_thb", ""), actor=request.user)
                messages.success(request, _("Sales recorded."))
            elif form == "bill":
                quotation = billing.booth_fees_bill(app, actor=request.user)
                messages.success(request, _("Booth fees billed on quotation %(number)s.") % {
                    "number": quotation.label})
            elif form == "invoice":
                invoice = billing.booth_invoice_issue(app, request.POST.get("kind", ""), actor=request.user)
                messages.success(request, _("Invoice %(number)s issued.") % {"number": invoice.number})
            else:
                raise services.Invalid(_("Unknown form."), field="form")
        except ApplicationError as exc:
            return _refuse(request, exc)
        return redirect("exhibitions:application", exhibition_id=ex.pk, app_id=app.pk)
    mine = {c.booth.code for c in selectors.application_booths(app)}
    states = selectors.booth_states(ex)
    return render(request, "exhibitions/application_detail.html", {
        "ex": ex, "app": app, "manager": ex.can_manage(request.user), "fees": selectors.exhibitor_fees(app),
        "svg": plan_svg(ex.floor_plan, states={c: r["state"] for c, r in states.items()}, highlight=mine,
                        titles=_state_titles(states, ex.can_manage(request.user))),
        "others": ex.applications.exclude(pk=app.pk).order_by("company_name"),
        "avoid": {o.pk for o in app.avoid.all()}, "booths": sorted(mine),
        "latest_run": ex.runs.filter(status__in=("solved", "applied")).first(),
        "money": billing.exhibitor_money(app), "can_bill": prepares_documents(request.user),
        "can_invoice": is_finance_officer(request.user),
    })


@login_required
def document_staff(request: HttpRequest, exhibition_id: int, app_id: int, doc_id: int) -> HttpResponse:
    """An application's document, for those who may see the exhibition."""
    ex = _exhibition(request, exhibition_id)
    app = _application(ex, app_id)
    return _document(app, doc_id)


def _document(app: ExhibitorApplication, doc_id: int) -> FileResponse:
    doc = ApplicationDocument.objects.filter(application=app, pk=doc_id).first()
    if doc is None or not doc.file:
        raise Http404(_("No such document."))
    response = FileResponse(doc.file.open("rb"), content_type=doc.content_type or "application/octet-stream")
    response["Content-Disposition"] = f'inline; filename="document-{doc.pk}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------- optimizer runs

@login_required
@require_POST
def run_start(request: HttpRequest, exhibition_id: int) -> HttpResponse:
    """Queue an optimizer run (managers); the run page follows its progress."""
    ex = _managed(request, exhibition_id)
    try:
        limit = float(request.POST.get("time_limit") or 20)
        workers = _int(request.POST.get("workers") or "2", "workers")
        run = services.run_start(ex, actor=request.user, time_limit=limit, workers=workers)
    except ValueError:
        return render(request, "exhibitions/message.html", {"message": str(errors.RUN_LIMITS)}, status=422)
    except ApplicationError as exc:
        return _refuse(request, exc)
    return redirect("exhibitions:run", exhibition_id=ex.pk, run_id=run.pk)


def _run(ex: Exhibition, run_id: int) -> AssignmentRun:
    run = ex.runs.filter(pk=run_id).first()
    if run is None:
        raise Http404(_("No run %(id)s.") % {"id": run_id})
    return run


def _run_context(request: HttpRequest, ex: Exhibition, run: AssignmentRun) -> dict:
    apps = {a.pk: a for a in ex.applications.all()}
    lang = _lang()
    placed, unplaced = [], []
    for key, expl in sorted(run.explanations.items(), key=lambda kv: kv[0]):
        app = apps.get(int(key))
        if app is None:
            continue
        row = {"app": app, "booths": run.result.get("assignments", {}).get(key, []), "reason": expl["reason"],
               "message": expl["message_th"] if lang == "th" else expl["message_en"],
               "blocking": [apps[b] for b in expl.get("blocking", []) if isinstance(b, int) and b in apps]}
        (placed if row["booths"] else unplaced).append(row)
    placed.sort(key=lambda r: r["booths"][0])
    trace = run.progress or []
    titles = {}
    states = {}
    for row in placed:
        for code in row["booths"]:
            states[code] = "reserved"
            titles[code] = f"{code} · {row['app'].company_name}"
    return {"ex": ex, "run": run, "placed": placed, "unplaced": unplaced,
            "gap_pct": None if run.gap is None else run.gap * 100, "points": len(trace),
            "manager": ex.can_manage(request.user),
            "svg": plan_svg(ex.floor_plan, states=states, titles=titles) if run.result else None}


@login_required
def run_detail(request: HttpRequest, exhibition_id: int, run_id: int) -> HttpResponse:
    """A run: live figures while it solves, then each exhibitor's booths or why not, and the plan."""
    ex = _exhibition(request, exhibition_id)
    return render(request, "exhibitions/run_detail.html", _run_context(request, ex, _run(ex, run_id)))


@login_required
def run_progress(request: HttpRequest, exhibition_id: int, run_id: int) -> HttpResponse:
    """The progress fragment the run page polls; when the run ends the page reloads."""
    ex = _exhibition(request, exhibition_id)
    run = _run(ex, run_id)
    response = render(request, "exhibitions/run_detail.html#progress", _run_context(request, ex, run))
    if run.is_finished:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def run_apply(request: HttpRequest, exhibition_id: int, run_id: int) -> HttpResponse:
    """Reserve the run's booths (managers), all or nothing."""
    ex = _managed(request, exhibition_id)
    try:
        services.run_apply(_run(ex, run_id), actor=request.user)
    except ApplicationError as exc:
        return _refuse(request, exc)
    messages.success(request, _("The booths are reserved for their exhibitors."))
    return redirect("exhibitions:detail", exhibition_id=ex.pk)


# ---------------------------------------------------------------- public: apply, exhibitor list and map

def _public(pk: int) -> Exhibition:
    try:
        return selectors.public_exhibition(pk)
    except NotFoundError:
        raise Http404(_("This event has no exhibitor list.")) from None


def public_exhibitors(request: HttpRequest, pk: int) -> HttpResponse:
    """Who exhibits where: the map and the list (exhibitors who agreed), searchable by product category."""
    ex = _public(pk)
    category = request.GET.get("category") if request.GET.get("category") in ProductCategory.values else None
    q = (request.GET.get("q") or "").strip()[:100]
    everyone = selectors.public_exhibitors(ex)
    shown = selectors.public_exhibitors(ex, product_category=category, q=q or None) if (category or q) else everyone
    where = {code: r for r in everyone for code in r["booths"]}
    chosen = {code for r in shown for code in r["booths"]}
    states = {code: ("sold" if code in chosen else "held") for code in where}
    titles = {code: f"{code} · {r['name']}" for code, r in where.items()}
    links = {code: f"#exhibitor-{r['id']}" for code, r in where.items()}
    present = sorted({r["product_category"] for r in everyone})
    return render(request, "exhibitions/public_exhibitors.html", {
        "ex": ex, "event": ex.booking, "title": ex.title(_lang()), "exhibitors": shown, "total": len(everyone),
        "categories": [(c, ProductCategory(c).label) for c in present], "category": category, "q": q,
        "svg": plan_svg(ex.floor_plan, states=states, titles=titles, links=links, css_class="floorplan public",
                        label=_("Floor plan of the exhibitors")),
        "open": ex.accepts_applications,
    })


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    """The public application form (Thai or English); on success the applicant lands on their own page."""
    ex = _public(pk)
    context = {"ex": ex, "event": ex.booking, "title": ex.title(_lang()), "provinces": province_choices(),
               "categories": ExhibitorCategory.choices, "products": ProductCategory.choices,
               "types": BoothType.choices, "zones": services.plan_zones(ex), "kinds": DocumentKind.choices,
               "open": ex.accepts_applications, "form": {"booths_wanted": "1", "public_listing": "on",
                                                          "province": "Lampang"}, "errors": {}}
    if request.method == "GET":
        return render(request, "exhibitions/apply.html", context)
    form = {k: (request.POST.get(k) or "")[:2000] for k in APPLICATION_FIELDS}
    context["form"] = form
    files = request.FILES.getlist("documents")
    kinds = request.POST.getlist("document_kind")
    try:
        draft = services.ApplicationDraft(
            **{k: form[k] for k in ("company_name", "company_name_en", "contact_name", "email", "phone", "province",
                                    "category", "community_reg_no", "product_category", "products", "booth_type",
                                    "preferred_zone", "competitors_text")},
            otop_stars=int(form["otop_stars"]) if form["otop_stars"].isdigit() else None,
            booths_wanted=int(form["booths_wanted"]) if form["booths_wanted"].isdigit() else 0,
            needs_power=form["needs_power"] == "on", needs_water=form["needs_water"] == "on",
            public_listing=form["public_listing"] == "on",
            documents=[(kinds[i] if i < len(kinds) else "other", f) for i, f in enumerate(files)])
        app = services.application_submit(ex, draft, base_url=request.build_absolute_uri("/"))
    except ApplicationError as exc:
        context["errors"] = {exc.field or "form": exc.message}
        return render(request, "exhibitions/apply.html", context, status=exc.status_code)
    return redirect("exhibitions:exhibitor_page", token=app.token)


# ---------------------------------------------------------------- the exhibitor's own page (private link)

def _by_token(token: str) -> ExhibitorApplication:
    try:
        return selectors.application_by_token(token)
    except NotFoundError:
        raise Http404(_("No such exhibitor page.")) from None


@require_http_methods(["GET", "POST"])
def exhibitor_page(request: HttpRequest, token: str) -> HttpResponse:
    """Status, booths on the map, fees (deposit and balance), the exhibitor manual; the exhibitor chooses to be
    listed, adds documents, records its sales after the fair, or withdraws."""
    app = _by_token(token)
    ex = app.exhibition
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "listing":
                services.application_set_listing(app, request.POST.get("public_listing") == "on")
            elif action == "sales":
                services.sales_record(app, request.POST.get("sales_thb", ""), by_exhibitor=True)
                messages.success(request, _("Thank you: your sales are recorded."))
            elif action == "document" and request.FILES.get("file"):
                services.document_add(app, request.POST.get("kind", "other"), request.FILES["file"])
            elif action == "withdraw":
                services.application_withdraw(app)
            else:
                raise services.Invalid(_("Unknown action."), field="action")
        except ApplicationError as exc:
            return _refuse(request, exc)
        return redirect("exhibitions:exhibitor_page", token=app.token)
    mine = {c.booth.code for c in selectors.application_booths(app)}
    states = {c: ("sold" if c in mine else "available") for c in mine}
    return render(request, "exhibitions/exhibitor_page.html", {
        "app": app, "ex": ex, "event": ex.booking, "title": ex.title(_lang()), "booths": sorted(mine),
        "claims": selectors.application_booths(app), "fees": selectors.exhibitor_fees(app),
        "svg": plan_svg(ex.floor_plan, states=states, highlight=mine, label=_("Your booth on the floor plan")),
        "can_record_sales": app.is_community and app.status == ApplicationStatus.ACCEPTED and ex.has_begun,
        "kinds": DocumentKind.choices, "documents": app.documents.all(),
        "public_url": reverse("exhibitions:public_exhibitors", args=[ex.booking_id]),
        "money": billing.exhibitor_money(app),
        "closed": app.status in (ApplicationStatus.WITHDRAWN, ApplicationStatus.DECLINED),
    })


def invoice_exhibitor(request: HttpRequest, token: str, invoice_id: int) -> HttpResponse:
    """An issued booth-fee invoice (Thai PDF with the amount in words and PromptPay QR), by the private link."""
    from khuang.finance.documents import invoice_pdf

    invoice = billing.exhibitor_invoice(_by_token(token), invoice_id)
    if invoice is None:
        raise Http404(_("No such invoice."))
    with translation.override("th"):
        body = invoice_pdf(invoice)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{invoice.number}.pdf"'
    return response


def document_exhibitor(request: HttpRequest, token: str, doc_id: int) -> HttpResponse:
    """The exhibitor's own document, through their private link."""
    return _document(_by_token(token), doc_id)
