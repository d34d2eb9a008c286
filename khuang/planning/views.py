"""Pages of the annual plan, mounted at /plan/: the board, proposals and their import, optimizer runs, plans.

Views parse the request, call one selector or service, and render; refusals from the services come back as
form errors or a message on the page with a 4xx status, never a 500.
"""

from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from khuang.core import thaidates
from khuang.core.errors import ApplicationError
from khuang.venues.models import Venue
from khuang.venues.selectors import default_venue

from . import board, imports, selectors, services
from .forms import ImportForm, PinForm, PlanningSettingsForm, ProposalForm, RunForm
from .models import Plan, PlanItem, Proposal, ProposalStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 25
# A proposal field the model or service names → the form field that shows the message.
FORM_FIELDS = {"agency", "fiscal_year", "ref", "title_th", "title_en", "activity_type", "days", "setup_days",
               "teardown_days", "attendees", "layout", "allowed_spaces", "earliest", "latest_end",
               "preferred_months", "fixed_start", "priority", "is_public", "notes"}


def _lang() -> str:
    return translation.get_language() or "th"


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _is_staff(user) -> bool:
    return Plan.may_run(user)


def _require_member(user) -> None:
    """Center staff and agency members browse the plan (the same rule as the API: `Plan.may_browse`)."""
    if not Plan.may_browse(user):
        raise PermissionDenied(_("The annual plan is for center staff and agency planners."))


def _require_proposer(user) -> None:
    if not Proposal.may_create(user):
        raise PermissionDenied(_("The annual plan is for center staff and agency planners."))


def _require_runner(user) -> None:
    if not Plan.may_run(user):
        raise PermissionDenied(_("Only center staff may do this."))


def _venue(request: HttpRequest) -> Venue:
    code = request.GET.get("venue") or request.POST.get("venue")
    venue = Venue.objects.filter(code=code).first() if code else default_venue()
    if venue is None:
        raise Http404(_("No venue yet."))
    return venue


def _fiscal_year(request: HttpRequest) -> int:
    text = request.GET.get("fy") or ""
    try:
        fy = thaidates.parse_fiscal_year(text) if text else thaidates.fiscal_year(timezone.localdate())
    except ValueError:
        fy = thaidates.fiscal_year(timezone.localdate())
    return fy if 2500 <= fy <= 2700 else thaidates.fiscal_year(timezone.localdate())


# ---------------------------------------------------------------- board

@login_required
def board_page(request: HttpRequest) -> HttpResponse:
    """Spaces × days of one month (or × months of the year): the latest plan, the diary, the seasons."""
    _require_member(request.user)
    venue, fy, lang = _venue(request), _fiscal_year(request), _lang()
    months = board.fiscal_months(fy)
    view = "year" if request.GET.get("view") == "year" else "month"
    try:
        month = date.fromisoformat(request.GET.get("month", "") + "-01") if request.GET.get("month") else None
    except ValueError:
        month = None
    if month not in months:
        today = timezone.localdate().replace(day=1)
        month = today if today in months else months[0]
    if view == "year":
        data = board.board_year(venue=venue, fiscal_year=fy, viewer=request.user, lang=lang)
    else:
        data = board.board_month(venue=venue, fiscal_year=fy, month=month, viewer=request.user, lang=lang)

    def link(**changes) -> str:
        params = {"venue": venue.code, "fy": fy, "view": view, "month": month.strftime("%Y-%m"), **changes}
        return "?" + urlencode({k: v for k, v in params.items() if v})

    short = thaidates.MONTHS_TH_SHORT if lang.startswith("th") else thaidates.MONTHS_EN_SHORT
    tabs = [{"label": f"{short[m.month - 1]} {thaidates.be_year(m) if lang.startswith('th') else m.year}",
             "url": link(view="month", month=m.strftime("%Y-%m")), "active": view == "month" and m == month,
             "high": m.month in board.HIGH_SEASON_MONTHS} for m in months]
    first, last = thaidates.fiscal_year_bounds(fy)
    context = {
        **data, "venue": venue, "venues": Venue.objects.order_by("code"), "fy": fy, "fy_first": first,
        "fy_last": last, "view": view, "month": month, "tabs": tabs, "year_url": link(view="year"),
        "prev_fy_url": link(fy=fy - 1, month=""), "next_fy_url": link(fy=fy + 1, month=""),
        "plans": selectors.plan_list(fiscal_year=fy, venue=venue)[:10], "is_staff": _is_staff(request.user),
        "run_form": RunForm(), **_settings_context(venue),
    }
    if view == "month" and not any(c["bookings"] or c["plan"] for r in data["rows"] for c in r["cells"]):
        # An empty month points to the next booking or planned item and jumps to its month (and fiscal year).
        upcoming = board.next_on_board(venue=venue, fiscal_year=fy, after=data["last"] + timedelta(days=1),
                                       viewer=request.user, lang=lang)
        context["empty"] = True
        if upcoming is not None:
            day = upcoming["day"]
            context.update(next_day=day, next_title=upcoming["title"], next_url=link(
                view="month", fy=thaidates.fiscal_year(day), month=day.strftime("%Y-%m")))
    return render(request, "planning/board.html", context)


# ---------------------------------------------------------------- proposals

def _visible_proposal(request: HttpRequest, proposal_id: int) -> Proposal:
    p = Proposal.objects.select_related("agency", "venue").filter(pk=proposal_id).first()
    if p is None or not p.can_view(request.user):
        raise Http404(_("No proposal %(id)s.") % {"id": proposal_id})
    return p


@login_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    """The agency's own proposals (planners) or all (staff), filtered by fiscal year and status, paginated."""
    _require_member(request.user)
    fy = _fiscal_year(request)
    status = request.GET.get("status") if request.GET.get("status") in ProposalStatus.values else None
    found = selectors.proposal_list(viewer=request.user, fiscal_year=fy, status=status)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({"fy": fy, **({"status": status} if status else {})})
    return render(request, "planning/proposal_list.html", {
        "page": page, "fy": fy, "status": status, "statuses": ProposalStatus.choices, "query": query,
        "is_staff": _is_staff(request.user), "import_form": ImportForm(initial={"fiscal_year": fy}),
    })


def _proposal_form_page(request, form, proposal=None, status: int = 200) -> HttpResponse:
    context = {"form": form, "proposal": proposal,
               "can_edit": proposal is None or proposal.can_edit(request.user),
               "can_decline": proposal is not None and proposal.can_decline(request.user)}
    return render(request, "planning/proposal_form.html", context, status=status)


def _save_proposal(request: HttpRequest, form: ProposalForm, venue: Venue, proposal: Proposal | None):
    """Call the service; its refusals land on the form. Returns the proposal or None."""
    try:
        return services.proposal_save(
            actor=request.user, venue=venue, data=form.service_data(), proposal=proposal,
            agency=form.cleaned_data.get("agency"),
            allowed_spaces=[s.code for s in form.cleaned_data["allowed_spaces"]])
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            for error in errors:
                form.add_service_error(field if field in FORM_FIELDS else None, error)
    except ApplicationError as exc:
        if exc.status_code == 403:
            raise PermissionDenied(exc.message) from exc
        form.add_service_error(exc.field, exc.message)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def proposal_new(request: HttpRequest) -> HttpResponse:
    """A new draft proposal for the planner's agency (staff choose the agency)."""
    _require_proposer(request.user)
    venue = _venue(request)
    kw = {"user": request.user, "venue": venue, "lang": _lang()}
    if request.method == "GET":
        return _proposal_form_page(request, ProposalForm(initial={"fiscal_year": _fiscal_year(request)}, **kw))
    form = ProposalForm(request.POST, **kw)
    if form.is_valid():
        p = _save_proposal(request, form, venue, None)
        if p is not None:
            messages.success(request, _("Proposal %(ref)s saved as a draft.") % {"ref": p.ref})
            return redirect("planning:proposal_edit", proposal_id=p.pk)
    return _proposal_form_page(request, form, status=422)


def _initial(p: Proposal) -> dict:
    data = {name: getattr(p, name) for name in ("fiscal_year", "ref", "title_th", "title_en", "activity_type",
                                                 "days", "setup_days", "teardown_days", "attendees", "layout",
                                                 "earliest", "latest_end", "fixed_start", "priority", "is_public",
                                                 "notes")}
    data["agency"] = p.agency.code
    data["preferred_months"] = [str(m) for m in p.preferred_months or []]
    data["allowed_spaces"] = [s.code for s in p.allowed_spaces.all()]
    return data


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """Edit a proposal (planners: their agency's, while draft or submitted); shows it read-only otherwise."""
    p = _visible_proposal(request, proposal_id)
    kw = {"user": request.user, "venue": p.venue, "lang": _lang()}
    if request.method == "GET":
        form = ProposalForm(initial=_initial(p), **kw)
        if not p.can_edit(request.user):
            for field in form.fields.values():
                field.disabled = True
        return _proposal_form_page(request, form, p)
    if not p.can_edit(request.user):
        raise PermissionDenied(_("You may not change this proposal."))
    form = ProposalForm(request.POST, **kw)
    if form.is_valid() and _save_proposal(request, form, p.venue, p) is not None:
        messages.success(request, _("Proposal %(ref)s saved.") % {"ref": p.ref})
        return redirect("planning:proposal_edit", proposal_id=p.pk)
    return _proposal_form_page(request, form, p, status=422)


@login_required
@require_POST
def proposal_status(request: HttpRequest, proposal_id: int, status: str) -> HttpResponse:
    """Submit a draft, take it back to draft, or (staff) decline it."""
    p = _visible_proposal(request, proposal_id)
    if status not in (ProposalStatus.SUBMITTED, ProposalStatus.DRAFT, ProposalStatus.DECLINED):
        raise Http404(status)
    try:
        services.proposal_set_status(p, status, actor=request.user, reason=request.POST.get("reason", "")[:500])
    except ApplicationError as exc:
        if exc.status_code == 403:
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
        return redirect("planning:proposal_edit", proposal_id=p.pk)
    messages.success(request, _("Proposal %(ref)s is now %(status)s.") % {
        "ref": p.ref, "status": ProposalStatus(status).label})
    return redirect("planning:proposal_edit", proposal_id=p.pk)


@login_required
def proposal_template(request: HttpRequest) -> HttpResponse:
    """The Excel import template."""
    _require_proposer(request.user)
    response = HttpResponse(imports.template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="khuang-proposals-template.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def proposal_import(request: HttpRequest) -> HttpResponse:
    """Upload proposals: every row valid, or nothing saved and every bad row and field listed."""
    _require_proposer(request.user)
    venue = _venue(request)
    if request.method == "GET":
        form = ImportForm(initial={"fiscal_year": _fiscal_year(request)})
        return render(request, "planning/proposal_import.html", {"form": form})
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "planning/proposal_import.html", {"form": form}, status=422)
    upload = form.cleaned_data["file"]
    try:
        saved = imports.proposals_import(venue=venue, fiscal_year=form.cleaned_data["fiscal_year"],
                                         filename=upload.name, content=upload.read(), actor=request.user)
    except ApplicationError as exc:
        if exc.status_code == 403:
            raise PermissionDenied(exc.message) from exc
        return render(request, "planning/proposal_import.html", {
            "form": form, "error": exc.message, "errors": exc.extra.get("errors", [])}, status=exc.status_code)
    messages.success(request, _("%(n)s proposals imported.") % {"n": len(saved)})
    return redirect(reverse("planning:proposal_list") + f"?fy={form.cleaned_data['fiscal_year']}")


# ---------------------------------------------------------------- runs and plans

def _plan(plan_id: int) -> Plan:
    plan = Plan.objects.select_related("venue", "parent").filter(pk=plan_id).first()
    if plan is None:
        raise Http404(_("No plan %(id)s.") % {"id": plan_id})
    services.plans_mark_lost(plan)  # a run whose worker died shows as such at once
    return plan


@login_required
@require_POST
def run_start(request: HttpRequest) -> HttpResponse:
    """Start an optimizer run for the venue and fiscal year (queued to the worker)."""
    _require_runner(request.user)
    venue, fy = _venue(request), _fiscal_year(request)
    form = RunForm(request.POST)
    context = {"run_form": form, "venue": venue, "fy": fy, **_settings_context(venue)}
    if not form.is_valid():
        return render(request, "planning/run_form.html", context, status=422)
    try:
        plan = services.plan_run_start(venue=venue, fiscal_year=fy, actor=request.user, **form.cleaned_data)
    except ApplicationError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return render(request, "planning/run_form.html", context, status=exc.status_code)
    return redirect("planning:plan_detail", plan_id=plan.pk)


def _progress_context(plan: Plan) -> dict:
    trace = plan.progress or []
    elapsed = trace[-1].get("t") if trace else None
    if plan.is_finished and plan.wall_seconds is not None:
        elapsed = plan.wall_seconds
    return {"plan": plan, "spark": board.sparkline(trace), "elapsed": elapsed, "points": len(trace),
            "better_by": selectors.better_by_pct(plan.objective, plan.bound)}


@login_required
def plan_progress(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The live progress fragment the run page polls; once the run ends the page reloads to show the plan."""
    _require_member(request.user)
    plan = _plan(plan_id)
    response = render(request, "planning/plan_detail.html#progress", {**_progress_context(plan),
                                                                       "is_staff": _is_staff(request.user)})
    if plan.is_finished and request.GET.get("live"):
        response["HX-Refresh"] = "true"
    return response


def _conflict_row(row: dict) -> dict:
    """A conflict row with its ISO times as datetimes, for Buddhist-Era display."""
    out = dict(row)
    for key in ("start", "end"):
        try:
            out[f"{key}_dt"] = datetime.fromisoformat(row[key]) if isinstance(row.get(key), str) else None
        except ValueError:
            out[f"{key}_dt"] = None
    return out


def _plan_page(request: HttpRequest, plan: Plan, *, conflicts=(), error: str = "", status: int = 200):
    items = selectors.plan_items(plan, request.user)
    explained = selectors.explanations_for(items, request.user)
    for i in items:  # display dates: the last event day; the explanation as this viewer may read it
        i.end_day = i.start + timedelta(days=i.proposal.days - 1) if i.start else None
        i.why = explained.get(i.pk)
        i.too_big = selectors.far_too_big(i)
    lang = _lang()
    others = selectors.plan_list(fiscal_year=plan.fiscal_year, venue=plan.venue).exclude(pk=plan.pk)
    context = {
        **_progress_context(plan), "scheduled": [i for i in items if i.scheduled],
        "unscheduled": [i for i in items if not i.scheduled], "lang": lang,
        "results": selectors.plan_results(plan, request.user) if plan.is_finished else None,
        "words": selectors.settings_in_words(plan.objective_weights, plan.limits),
        "is_staff": _is_staff(request.user), "conflicts": [_conflict_row(c) for c in conflicts], "error": error,
        "others": others,
        "spaces": list(PinForm(venue=plan.venue).fields["space"].queryset),
        "can_change": plan.can_change(request.user) and plan.status in ("solved", "stopped"),
        "board_url": reverse("planning:board") + "?" + urlencode({"venue": plan.venue.code, "fy": plan.fiscal_year}),
    }
    return render(request, "planning/plan_detail.html", context, status=status)


@login_required
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    """A plan version: live progress while it runs; then its items, unscheduled ones explained, idle weeks."""
    _require_member(request.user)
    return _plan_page(request, _plan(plan_id))


@login_required
@require_POST
def plan_restart(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Queue again a run whose worker was lost."""
    plan = _plan(plan_id)
    try:
        services.plan_restart(plan, actor=request.user)
    except ApplicationError as exc:
        if exc.status_code == 403:
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The run is queued again."))
    return redirect("planning:plan_detail", plan_id=plan.pk)


@login_required
@require_POST
def plan_stop(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Stop a run; the best plan found so far is kept."""
    plan = _plan(plan_id)
    try:
        plan = services.plan_stop(plan, actor=request.user)
    except ApplicationError as exc:
        if exc.status_code == 403:
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The run is stopped.") if plan.is_finished
                         else _("Stop requested: the best plan so far is kept."))
    return redirect("planning:plan_detail", plan_id=plan.pk)


@login_required
@require_POST
def item_pin(request: HttpRequest, plan_id: int, item_id: int) -> HttpResponse:
    """Move and/or pin one item's space and dates."""
    plan = _plan(plan_id)
    item = PlanItem.objects.select_related("plan", "proposal", "space").filter(pk=item_id, plan=plan).first()
    if item is None:
        raise Http404(_("No such plan item."))
    form = PinForm(request.POST, venue=plan.venue)
    if not form.is_valid():
        errors = "; ".join(f"{form.fields[f].label}: {' '.join(e)}" if f in form.fields else " ".join(e)
                           for f, e in form.errors.items())
        return _plan_page(request, plan, error=errors, status=422)
    data = form.cleaned_data
    try:
        services.plan_item_pin(item, actor=request.user, space=data["space"], start=data["start"],
                               pin_space=data["pin_space"], pin_start=data["pin_start"])
    except ApplicationError as exc:
        if exc.status_code == 403:
            raise PermissionDenied(exc.message) from exc
        return _plan_page(request, plan, error=exc.message, status=exc.status_code)
    messages.success(request, _("%(ref)s updated.") % {"ref": item.proposal.ref})
    return redirect(reverse("planning:plan_detail", args=[plan.pk]) + f"#item-{item.pk}")


@login_required
@require_POST
def plan_resolve(request: HttpRequest, plan_id: int) -> HttpResponse:
    """A new version solved again, keeping this version's pins."""
    plan = _plan(plan_id)
    try:
        new = services.plan_resolve(plan, actor=request.user)
    except ApplicationError as exc:
        if exc.status_code == 403:
            raise PermissionDenied(exc.message) from exc
        return _plan_page(request, plan, error=exc.message, status=exc.status_code)
    return redirect("planning:plan_detail", plan_id=new.pk)


@login_required
@require_http_methods(["GET", "POST"])
def plan_approve(request: HttpRequest, plan_id: int) -> HttpResponse:
    """GET: the confirmation page (the holds to be made, the items skipped and why). POST: approve exactly what
    was confirmed; if the plan changed meanwhile nothing is made and the page shows the new list."""
    plan = _plan(plan_id)
    if not plan.can_change(request.user):
        raise PermissionDenied(_("Only center staff may approve a plan."))
    if request.method == "GET":
        return _approve_page(request, plan)
    confirm = request.POST.getlist("confirm") if request.POST.get("confirmed") else None
    try:
        result = services.plan_approve(plan, actor=request.user, confirm=confirm)
    except ApplicationError as exc:
        if exc.status_code == 403:
            raise PermissionDenied(exc.message) from exc
        plan.refresh_from_db()
        if exc.field == "confirm":
            return _approve_page(request, plan, error=exc.message, status=exc.status_code)
        return _plan_page(request, plan, conflicts=exc.extra.get("conflicts", []), error=exc.message,
                          status=exc.status_code)
    messages.success(request, _("Plan approved: %(n)s first-option holds made.") % {"n": len(result.holds)})
    if result.skipped:
        messages.warning(request, _("Skipped: %(items)s.") % {"items": "; ".join(
            f"{s['ref']} ({selectors.skip_text(s['reason'])})" for s in result.skipped)})
    return redirect("planning:plan_detail", plan_id=plan.pk)


def _approve_page(request: HttpRequest, plan: Plan, *, error: str = "", status: int = 200) -> HttpResponse:
    return render(request, "planning/plan_approve.html", {
        "plan": plan, "approval": selectors.plan_approval(plan), "error": error,
        "can_approve": plan.status in ("solved", "stopped")}, status=status)


@login_required
def plan_compare(request: HttpRequest) -> HttpResponse:
    """Two versions side by side on one scale: re-scored with today's settings, the differences in planner terms,
    then what moved, was added or dropped."""
    _require_member(request.user)
    try:
        a, b = _plan(int(request.GET.get("a", ""))), _plan(int(request.GET.get("b", "")))
    except ValueError as exc:
        raise Http404(_("Choose two plan versions.")) from exc
    data = selectors.plan_compare(a, b, request.user)
    for row in data["rows"]:
        for side in ("a", "b"):
            if row[side]:
                row[side]["day"] = date.fromisoformat(row[side]["start"])
    scale = data["scale"]
    scale["horizon_day"] = date.fromisoformat(scale["basis"]["horizon_start"])
    # What changed comes first; rows alike in both versions fold away, so a long year stays short on a phone.
    changed = [r for r in data["rows"] if r["change"] in {"moved", "added", "dropped"}]
    unchanged = [r for r in data["rows"] if r["change"] not in {"moved", "added", "dropped"}]
    return render(request, "planning/plan_compare.html", {"cmp": data, "a": a, "b": b, "scale": scale,
                                                          "changed": changed, "unchanged": unchanged})


# ---------------------------------------------------------------- settings

def _settings_context(venue: Venue) -> dict:
    ps = selectors.planning_settings(venue)
    return {"planning_settings": ps, "settings_words": selectors.settings_in_words(ps.objective, ps.limits)}


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    """The venue's planning settings: staff edit them, planners read them (in words)."""
    _require_member(request.user)
    venue = _venue(request)
    ps = selectors.planning_settings(venue)
    can_edit = ps.can_edit(request.user)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("Only center staff may change the planning settings."))
        form = PlanningSettingsForm(request.POST, instance=selectors.planning_settings(venue))
        if form.is_valid():
            try:
                services.planning_settings_save(venue, form.cleaned_data, actor=request.user)
            except ValidationError as exc:
                for name, errors in exc.message_dict.items():
                    for e in errors:
                        form.add_error(name if name in form.fields else None, e)
            else:
                messages.success(request, _("Planning settings saved; the next run uses them."))
                return redirect(reverse("planning:settings") + "?" + urlencode({"venue": venue.code}))
        return render(request, "planning/settings.html", {
            "form": form, "venue": venue, "can_edit": can_edit, **_settings_context(venue)}, status=422)
    form = PlanningSettingsForm(instance=ps)
    if not can_edit:
        for f in form.fields.values():
            f.disabled = True
    return render(request, "planning/settings.html", {"form": form, "venue": venue, "can_edit": can_edit,
                                                      **_settings_context(venue)})
