"""Operations pages, mounted at /ops/: equipment, a booking's equipment and event order, the event order
with its revisions and PDF, the daily operations sheet, the center's people and each person's schedule.

Views parse the request, call one selector or service, and render; refusals from the services come back
as form errors (with the service's 4xx status), never a 500.
"""

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuang.core import thaidates
from khuang.core.errors import ApplicationError, NotFoundError, PermissionDeniedError

from . import selectors, services
from .forms import (
    AssignmentForm,
    CateringForm,
    EventOrderForm,
    ItemForm,
    LeaveForm,
    MemberForm,
    NeedForm,
    RepairForm,
    RequestForm,
    SendForm,
    StockForm,
    TimelineForm,
)
from .models import (
    Assignment,
    CateringItem,
    EquipmentItem,
    EquipmentRequest,
    EventOrder,
    ItemRepair,
    Skill,
    StaffLeave,
    StaffNeed,
    TimelineEntry,
    may_manage_operations,
)

GRID_DAYS = 14
SCHEDULE_DAYS = 42  # a person's schedule lists only days with work or leave, so six weeks stay short
LOOKAHEAD_DAYS = 30


def _lang() -> str:
    return translation.get_language() or "th"


def _staff_only(request: HttpRequest) -> None:
    if not may_manage_operations(request.user):
        raise PermissionDenied(_("Only center staff may do this."))


def _parse_day(text: str | None) -> date:
    try:
        return thaidates.parse_date(text) if text else timezone.localdate()  # ISO, or d/m/yyyy (BE) typed
    except ValueError:
        raise Http404(text) from None


def _found(fn, *args, **kwargs):
    """Call a selector; its NotFoundError is a 404 page."""
    try:
        return fn(*args, **kwargs)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


def _venue(request: HttpRequest):
    return _found(selectors.venue_get, request.GET.get("venue") or None)


def _run(form, fn, *args, **kwargs) -> tuple[Any, int]:
    """Call a service; a refusal lands on the form. Returns (result, status)."""
    try:
        return fn(*args, **kwargs), 200
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    except ApplicationError as exc:
        form.add_service_error(exc.field, exc.message)
        return None, exc.status_code
    except ValidationError as exc:
        for field, problems in exc.message_dict.items():
            for problem in problems:
                form.add_service_error(field, problem)
        return None, 422


# ---------------------------------------------------------------- home

@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The operations desk: upcoming event orders, bookings still without one, staff shortages."""
    _staff_only(request)
    venue = _venue(request)
    today = timezone.localdate()
    last = today + timedelta(days=LOOKAHEAD_DAYS)
    orders = list(selectors.event_order_list(viewer=request.user, venue=venue, first=today, last=last))
    bookings = selectors.bookings_without_event_order(venue, today, last, viewer=request.user)
    context = {"venue": venue, "today": today, "orders": orders, "bookings": bookings[:50],
               "shortages": selectors.staff_shortages(venue, today, last), "last": last}
    return render(request, "operations/home.html", context)


# ---------------------------------------------------------------- equipment

def _equipment_page(request: HttpRequest, *, forms: dict | None = None, status: int = 200) -> HttpResponse:
    venue = _venue(request)
    first = _parse_day(request.GET.get("date"))
    grid = selectors.equipment_grid(venue, first, GRID_DAYS, viewer=request.user)
    forms = forms or {}
    context = {"venue": venue, "grid": grid, "first": first, "item_form": forms.get("new") or ItemForm(),
               "repair_form": forms.get("repair") or RepairForm(initial={"first_day": first, "last_day": first}),
               "failed": forms, "prev": first - timedelta(days=GRID_DAYS), "next": first + timedelta(days=GRID_DAYS)}
    return render(request, "operations/equipment.html", context, status=status)


@login_required
def equipment_page(request: HttpRequest) -> HttpResponse:
    """Items × the next two weeks, with the units free each day; stock, repairs and new items (staff)."""
    _staff_only(request)
    return _equipment_page(request)


@login_required
@require_POST
def equipment_new(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    form = ItemForm(request.POST)
    if not form.is_valid():
        return _equipment_page(request, forms={"new": form}, status=422)
    item, status = _run(form, services.equipment_item_create, _venue(request), form.cleaned_data, actor=request.user)
    if item is None:
        return _equipment_page(request, forms={"new": form}, status=status)
    messages.success(request, _("Item %(code)s added.") % {"code": item.code})
    return redirect("operations:equipment")


def _item(request: HttpRequest, item_id: int) -> EquipmentItem:
    item = selectors.equipment_list(viewer=request.user).filter(pk=item_id).first()
    if item is None:
        raise Http404(_("No equipment item %(code)s.") % {"code": item_id})
    return item


@login_required
@require_POST
def equipment_stock(request: HttpRequest, item_id: int) -> HttpResponse:
    _staff_only(request)
    item = _item(request, item_id)
    form = StockForm(request.POST, prefix=f"s{item.pk}")
    if form.is_valid():
        done, status = _run(form, services.equipment_item_update, item, {"stock": form.cleaned_data["stock"]},
                            actor=request.user)
        if done is not None:
            messages.success(request, _("Stock of %(code)s is now %(n)s.") % {"code": item.code, "n": done.stock})
            return redirect("operations:equipment")
    else:
        status = 422
    return _equipment_page(request, forms={"stock": form, "stock_item": item.pk}, status=status)


@login_required
@require_POST
def equipment_repair(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    form = RepairForm(request.POST)
    item = _item(request, _int(request.POST.get("item")))
    if form.is_valid():
        done, status = _run(form, services.repair_add, item, actor=request.user, **form.cleaned_data)
        if done is not None:
            messages.success(request, _("Repair recorded."))
            return redirect("operations:equipment")
    else:
        status = 422
    return _equipment_page(request, forms={"repair": form}, status=status)


def _int(text: str | None) -> int:
    try:
        return int(text or "")
    except ValueError:
        raise Http404(text) from None


@login_required
@require_POST
def equipment_repair_end(request: HttpRequest, repair_id: int) -> HttpResponse:
    _staff_only(request)
    repair = ItemRepair.objects.select_related("item").filter(pk=repair_id).first()
    if repair is None:
        raise Http404(repair_id)
    services.repair_remove(repair, actor=request.user)
    messages.success(request, _("Units back from repair."))
    return redirect("operations:equipment")


# ---------------------------------------------------------------- a booking's equipment and event order

def _booking_page(request: HttpRequest, booking, *, form: RequestForm | None = None, status: int = 200):
    user = request.user
    items = selectors.equipment_list(viewer=user, venue=booking.space.venue, active_only=True)
    eo = EventOrder.objects.filter(booking=booking).first()
    context = {
        "booking": booking, "lines": selectors.booking_equipment(booking),
        "can_change": EquipmentRequest.can_change(user, booking),
        "form": form or RequestForm(items=items), "eo": eo if eo and eo.can_view(user) else None,
        "can_make_eo": eo is None and may_manage_operations(user) and booking.status != "cancelled",
        "title": booking.display_title(_lang()),
    }
    return render(request, "operations/booking.html", context, status=status)


@login_required
def booking_page(request: HttpRequest, booking_id: int) -> HttpResponse:
    """A booking's equipment (ask for units; reserved while it holds its space) and its event order."""
    return _booking_page(request, _found(selectors.booking_get, booking_id, viewer=request.user))


@login_required
@require_POST
def booking_equipment(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = _found(selectors.booking_get, booking_id, viewer=request.user)
    items = selectors.equipment_list(viewer=request.user, venue=booking.space.venue)
    form = RequestForm(request.POST, items=items)
    if not form.is_valid():
        return _booking_page(request, booking, form=form, status=422)
    item, quantity = form.cleaned_data["item"], form.cleaned_data["quantity"]
    done, status = _run(form, services.equipment_request_set, booking, item, quantity, actor=request.user)
    if status != 200:
        return _booking_page(request, booking, form=form, status=status)
    messages.success(request, _("%(item)s: %(n)s %(unit)s.") % {"item": item.name, "n": quantity, "unit": item.unit})
    return redirect("operations:booking", booking_id=booking.pk)


@login_required
@require_POST
def event_order_new(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = _found(selectors.booking_get, booking_id, viewer=request.user)
    _staff_only(request)
    try:
        eo = services.event_order_create(booking, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("operations:booking", booking_id=booking.pk)
    messages.success(request, _("Event order %(number)s created.") % {"number": eo.number})
    return redirect("operations:event_order", eo_id=eo.pk)


# ---------------------------------------------------------------- event orders

ADD_FORMS = {"timeline": TimelineForm, "catering": CateringForm, "needs": NeedForm, "assignments": AssignmentForm}
CHILDREN = {"timeline": (TimelineEntry, services.timeline_remove), "catering": (CateringItem, services.catering_remove),
            "needs": (StaffNeed, services.need_remove), "assignments": (Assignment, services.assignment_remove)}


def _members(eo: EventOrder, user):
    return selectors.staff_list(viewer=user, venue=eo.booking.space.venue, active_only=True)


def _eo_initial(eo: EventOrder) -> dict[str, dict]:
    b = eo.booking
    local = {k: timezone.localtime(v) for k, v in (("s", b.start), ("e", b.end), ("os", b.occupied_start),
                                                   ("oe", b.occupied_end))}
    fields = {f: getattr(eo, f) for f in services.EO_FIELDS}
    return {
        "edit": fields,
        "timeline": {"kind": "session", "start": local["s"], "end": local["e"]},
        "catering": {"kind": "lunch", "served_at": local["s"].replace(hour=12, minute=0),
                     "headcount": eo.catering_headcount},
        "needs": {"skill": Skill.SETUP_CREW, "count": 2, "start": local["os"], "end": local["oe"]},
        "assignments": {"role": Skill.COORDINATOR, "start": local["os"], "end": local["oe"]},
    }


def _eo_page(request: HttpRequest, eo: EventOrder, *, failed: dict | None = None, status: int = 200) -> HttpResponse:
    user = request.user
    detail = selectors.event_order_detail(eo, viewer=user)
    initial = _eo_initial(eo)
    failed = failed or {}
    forms = {
        "edit": failed.get("edit") or EventOrderForm(initial=initial["edit"]),
        "send": failed.get("send") or SendForm(),
        **{k: failed.get(k) or (cls(initial=initial[k], members=_members(eo, user)) if k == "assignments"
                                else cls(initial=initial[k])) for k, cls in ADD_FORMS.items()},
    }
    b = eo.booking
    days = [d for d in (timezone.localtime(b.occupied_start).date() + timedelta(days=i)
                        for i in range((timezone.localtime(b.occupied_end).date()
                                        - timezone.localtime(b.occupied_start).date()).days + 1))]
    staffing = selectors.staff_days(b.space.venue, days[0], days[-1]) if detail["staffing"] else []
    context = {**detail, "forms": forms, "can_edit": eo.can_edit(user), "staff_days": staffing,
               "first_day": days[0], "failed": failed, "title": b.display_title(_lang())}
    return render(request, "operations/event_order.html", context, status=status)


def _visible_eo(request: HttpRequest, eo_id: int) -> EventOrder:
    return _found(selectors.event_order_get, eo_id, viewer=request.user)


@login_required
def event_order_page(request: HttpRequest, eo_id: int) -> HttpResponse:
    """The event order: timeline, layout, equipment, catering, teams' notes, people, revisions."""
    return _eo_page(request, _visible_eo(request, eo_id))


@login_required
@require_POST
def event_order_edit(request: HttpRequest, eo_id: int) -> HttpResponse:
    eo = _visible_eo(request, eo_id)
    _staff_only(request)
    form = EventOrderForm(request.POST)
    if not form.is_valid():
        return _eo_page(request, eo, failed={"edit": form}, status=422)
    done, status = _run(form, services.event_order_update, eo, form.cleaned_data, actor=request.user)
    if done is None:
        return _eo_page(request, eo, failed={"edit": form}, status=status)
    messages.success(request, _("Event order saved."))
    return redirect("operations:event_order", eo_id=eo.pk)


@login_required
@require_POST
def event_order_add(request: HttpRequest, eo_id: int, kind: str) -> HttpResponse:
    """Add a timeline step, a meal, a staff need or an assignment."""
    eo = _visible_eo(request, eo_id)
    if kind not in ADD_FORMS:
        raise Http404(kind)
    _staff_only(request)
    cls = ADD_FORMS[kind]
    form = cls(request.POST, members=_members(eo, request.user)) if kind == "assignments" else cls(request.POST)
    if not form.is_valid():
        return _eo_page(request, eo, failed={kind: form}, status=422)
    data = dict(form.cleaned_data)
    if kind == "timeline":
        result, status = _run(form, services.timeline_add, eo, actor=request.user, **data)
    elif kind == "catering":
        result, status = _run(form, services.catering_add, eo, actor=request.user, **data)
    elif kind == "needs":
        result, status = _run(form, services.need_add, eo, actor=request.user, **data)
    else:
        member = data.pop("member")
        result, status = _run(form, services.assignment_create, eo, member, actor=request.user, **data)
    if result is None:
        return _eo_page(request, eo, failed={kind: form}, status=status)
    messages.success(request, _("Added."))
    return redirect(reverse("operations:event_order", args=[eo.pk]) + f"#{kind}")


@login_required
@require_POST
def event_order_remove(request: HttpRequest, eo_id: int, kind: str, child_id: int) -> HttpResponse:
    eo = _visible_eo(request, eo_id)
    if kind not in CHILDREN:
        raise Http404(kind)
    _staff_only(request)
    model, remove = CHILDREN[kind]
    child = model.objects.filter(event_order=eo, pk=child_id).first()
    if child is None:
        raise Http404(child_id)
    remove(child, actor=request.user)
    messages.success(request, _("Removed."))
    return redirect(reverse("operations:event_order", args=[eo.pk]) + f"#{kind}")


@login_required
@require_POST
def event_order_send(request: HttpRequest, eo_id: int) -> HttpResponse:
    """Send the next revision to the teams."""
    eo = _visible_eo(request, eo_id)
    _staff_only(request)
    form = SendForm(request.POST)
    if not form.is_valid():
        return _eo_page(request, eo, failed={"send": form}, status=422)
    try:
        revision = services.event_order_send(eo, actor=request.user, note=form.cleaned_data["note"])
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return _eo_page(request, eo, failed={"send": form}, status=exc.status_code)
    messages.success(request, _("Revision %(n)s sent.") % {"n": revision.number})
    return redirect("operations:event_order", eo_id=eo.pk)


def _pdf(template: str, context: dict, filename: str) -> HttpResponse:
    from weasyprint import HTML

    html = render_to_string(template, context)
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
def event_order_pdf(request: HttpRequest, eo_id: int) -> HttpResponse:
    """The event order in Thai as PDF (always Thai, whatever the page language)."""
    eo = _visible_eo(request, eo_id)
    with translation.override("th"):
        detail = selectors.event_order_detail(eo, viewer=request.user)
        last = detail["revisions"][0] if detail["revisions"] else None
        changes = selectors.revision_changes(last, staffing=detail["staffing"]) if last else []
        context = {**detail, "revision": last, "revision_changes": changes, "printed": timezone.localtime()}
        return _pdf("operations/event_order_pdf.html", context, f"{eo.number}.pdf")


# ---------------------------------------------------------------- the daily operations sheet

@login_required
def daily_sheet(request: HttpRequest, day: str | None = None) -> HttpResponse:
    """Every event of a day, grouped by team, with the day's staffing against demand (staff)."""
    _staff_only(request)
    the_day = _parse_day(day or request.GET.get("date"))
    venue = _venue(request)
    sheet = selectors.daily_sheet(venue, the_day)
    context = {"sheet": sheet, "prev": the_day - timedelta(days=1), "next": the_day + timedelta(days=1)}
    return render(request, "operations/daily_sheet.html", context)


@login_required
def daily_sheet_pdf(request: HttpRequest, day: str) -> HttpResponse:
    """The daily operations sheet in Thai as PDF."""
    _staff_only(request)
    the_day = _parse_day(day)
    venue = _venue(request)
    with translation.override("th"):
        context = {"sheet": selectors.daily_sheet(venue, the_day), "printed": timezone.localtime()}
        return _pdf("operations/daily_sheet_pdf.html", context, f"operations-{the_day.isoformat()}.pdf")


# ---------------------------------------------------------------- people

def _people_page(request: HttpRequest, *, form: MemberForm | None = None, status: int = 200) -> HttpResponse:
    venue = _venue(request)
    today = timezone.localdate()
    context = {"venue": venue, "members": selectors.staff_list(viewer=request.user, venue=venue),
               "form": form or MemberForm(), "days": selectors.staff_days(venue, today, today + timedelta(days=13)),
               "limits": selectors.daily_limits_suggestion(venue)}
    return render(request, "operations/people.html", context, status=status)


@login_required
def people_page(request: HttpRequest) -> HttpResponse:
    """The center's people, the next two weeks' demand against people available, and the daily limits they
    allow (staff)."""
    _staff_only(request)
    return _people_page(request)


@login_required
@require_POST
def member_new(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    form = MemberForm(request.POST)
    if not form.is_valid():
        return _people_page(request, form=form, status=422)
    member, status = _run(form, services.staff_member_create, _venue(request), form.cleaned_data, actor=request.user)
    if member is None:
        return _people_page(request, form=form, status=status)
    messages.success(request, _("%(name)s added.") % {"name": member.display_name})
    return redirect("operations:people")


def _member_page(request: HttpRequest, member, *, form=None, leave_form=None, status: int = 200) -> HttpResponse:
    initial = {f: getattr(member, f) for f in ("name", "name_en", "unit", "skills", "phone", "email", "working_days",
                                               "day_starts", "day_ends", "is_active")}
    today = timezone.localdate()
    context = {"member": member, "form": form or MemberForm(initial=initial),
               "leave_form": leave_form or LeaveForm(initial={"first_day": today, "last_day": today}),
               "leaves": member.leaves.filter(last_day__gte=today - timedelta(days=90)),
               "plan": selectors.member_schedule(member, today, LOOKAHEAD_DAYS)}
    return render(request, "operations/member.html", context, status=status)


@login_required
def member_page(request: HttpRequest, member_id: int) -> HttpResponse:
    _staff_only(request)
    return _member_page(request, _found(selectors.staff_get, member_id, viewer=request.user))


@login_required
@require_POST
def member_edit(request: HttpRequest, member_id: int) -> HttpResponse:
    _staff_only(request)
    member = _found(selectors.staff_get, member_id, viewer=request.user)
    form = MemberForm(request.POST)
    if not form.is_valid():
        return _member_page(request, member, form=form, status=422)
    done, status = _run(form, services.staff_member_update, member, form.cleaned_data, actor=request.user)
    if done is None:
        return _member_page(request, member, form=form, status=status)
    messages.success(request, _("Saved."))
    return redirect("operations:member", member_id=member.pk)


@login_required
@require_POST
def member_leave(request: HttpRequest, member_id: int) -> HttpResponse:
    _staff_only(request)
    member = _found(selectors.staff_get, member_id, viewer=request.user)
    form = LeaveForm(request.POST)
    if not form.is_valid():
        return _member_page(request, member, leave_form=form, status=422)
    done, status = _run(form, services.leave_add, member, actor=request.user, **form.cleaned_data)
    if done is None:
        return _member_page(request, member, leave_form=form, status=status)
    messages.success(request, _("Leave recorded."))
    return redirect("operations:member", member_id=member.pk)


@login_required
@require_POST
def member_leave_remove(request: HttpRequest, member_id: int, leave_id: int) -> HttpResponse:
    _staff_only(request)
    member = _found(selectors.staff_get, member_id, viewer=request.user)
    leave = StaffLeave.objects.filter(member=member, pk=leave_id).first()
    if leave is None:
        raise Http404(leave_id)
    services.leave_remove(leave, actor=request.user)
    messages.success(request, _("Removed."))
    return redirect("operations:member", member_id=member.pk)


@login_required
def schedule(request: HttpRequest, member_id: int) -> HttpResponse:
    """A person's own schedule, made for a phone: the next six weeks' assignments and leave."""
    member = _found(selectors.staff_get, member_id, viewer=request.user)
    if not member.can_view_schedule(request.user):
        raise Http404(member_id)
    first = _parse_day(request.GET.get("date"))
    plan = selectors.member_schedule(member, first, SCHEDULE_DAYS)
    return render(request, "operations/schedule.html", {"plan": plan, "member": member,
                                                         "prev": first - timedelta(days=SCHEDULE_DAYS),
                                                         "next": first + timedelta(days=SCHEDULE_DAYS)})


@login_required
def my_schedule(request: HttpRequest) -> HttpResponse:
    """The signed-in person's schedule, if their login is linked to a staff member."""
    member = selectors.staff_list(viewer=request.user).filter(user=request.user).first()
    if member is None:
        return render(request, "operations/no_schedule.html", status=404)
    return redirect("operations:schedule", member_id=member.pk)
