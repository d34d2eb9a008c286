"""Diary pages for center staff and agency planners: the grid, a booking form, a booking page, an export.

Views parse the request, call one selector or service, and render; refusals from the services come back
as form errors (or a message on the booking page) with a 4xx status, never a 500.
"""

import calendar
from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from icalendar import Calendar, Event, Timezone

from khuang.core import thaidates
from khuang.core.errors import ApplicationError, NotFoundError
from khuang.core.i18n import current_lang as _lang
from khuang.core.models import audit_trail
from khuang.core.web import is_htmx as _is_htmx
from khuang.venues.models import Space
from khuang.venues.selectors import default_venue, space_get, space_list

from . import selectors, services
from .forms import BookingForm, ReasonForm
from .models import Booking, BookingStatus

VIEWS = ("week", "month")


def _parse_day(text: str | None) -> date:
    try:
        return date.fromisoformat(text) if text else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def _period(view: str, anchor: date) -> tuple[date, int, date, date]:
    """First day, length, and the anchors of the previous and next period."""
    if view == "month":
        first = anchor.replace(day=1)
        days = calendar.monthrange(first.year, first.month)[1]
        prev_anchor = (first - timedelta(days=1)).replace(day=1)
        return first, days, prev_anchor, first + timedelta(days=days)
    first = anchor - timedelta(days=anchor.weekday())
    return first, 7, first - timedelta(days=7), first + timedelta(days=7)


def _period_title(view: str, first: date, days: int, lang: str) -> str:
    if view == "month":
        return thaidates.format_month(first.year, first.month, lang)
    last = first + timedelta(days=days - 1)
    return f"{thaidates.format_date(first, lang)} – {thaidates.format_date(last, lang)}"


@login_required
def diary_page(request: HttpRequest) -> HttpResponse:
    """Spaces (rows) × days (columns) for a week or a month, coloured by booking state."""
    view = request.GET.get("view") if request.GET.get("view") in VIEWS else "month"
    anchor = _parse_day(request.GET.get("date"))
    venues = list(selectors.diary_venues())
    chosen = request.GET.get("venue")
    if chosen not in {v.code for v in venues}:
        fallback = default_venue()
        chosen = fallback.code if fallback else None
    first, days, prev_anchor, next_anchor = _period(view, anchor)
    grid = selectors.diary_grid(venue_code=chosen, first_day=first, days=days, viewer=request.user)
    lang = _lang()
    weekdays = thaidates.WEEKDAYS_TH_SHORT if lang.startswith("th") else thaidates.WEEKDAYS_EN_SHORT

    def link(**changes) -> str:
        params = {"view": view, "date": anchor.isoformat(), "venue": chosen or "", **changes}
        return "?" + urlencode({k: v for k, v in params.items() if v})

    context = {
        "view": view, "grid": grid, "venues": venues, "venue": chosen, "anchor": anchor,
        "title": _period_title(view, first, days, lang),
        "columns": [{"day": d, "weekday": weekdays[d.weekday()], "weekend": d.weekday() >= 5,
                     "today": d == timezone.localdate()} for d in grid["days"]],
        "prev_url": link(date=prev_anchor.isoformat()), "next_url": link(date=next_anchor.isoformat()),
        "today_url": link(date=timezone.localdate().isoformat()),
        "week_url": link(view="week"), "month_url": link(view="month"),
        "can_book": Booking.may_create(request.user), "is_staff": Space.may_manage(request.user),
        # Reversed once here rather than twice in each of the grid's cells (most of a week view's render time).
        "new_url": reverse("bookings:booking_new"),
    }
    if not any(c["bookings"] for r in grid["rows"] for c in r["cells"]):
        # An empty period points to the next booking the viewer may see, and jumps to its week or month.
        upcoming = selectors.next_booking(viewer=request.user, venue_code=chosen, after=grid["end"])
        context["empty"] = True
        if upcoming is not None:
            context.update(next_day=upcoming.start, next_title=upcoming.display_title(lang),
                           next_url=link(date=timezone.localdate(upcoming.start).isoformat()))
    return render(request, "bookings/diary.html", context)


def _form_page(request: HttpRequest, form: BookingForm, *, conflicts=(), status: int = 200) -> HttpResponse:
    template = "bookings/booking_form.html#form" if _is_htmx(request) else "bookings/booking_form.html"
    day = form["day"].value()
    day = day if isinstance(day, date) else _parse_day(str(day or ""))
    code = form["space"].value()
    space = form.fields["space"].queryset.filter(code=code).first() if isinstance(code, str) and code else None
    context = {"form": form, "conflicts": conflicts, "day": day, "space": space}
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def booking_new(request: HttpRequest) -> HttpResponse:
    """The booking form, pre-filled with the space and day of the clicked cell; POST creates the booking."""
    if not Booking.may_create(request.user):
        raise PermissionDenied(_("Only center staff and agency planners make bookings."))
    spaces = space_list()
    if request.method == "GET":
        day = _parse_day(request.GET.get("day"))
        initial = {"day": day, "space": request.GET.get("space") or None}
        return _form_page(request, BookingForm(initial=initial, user=request.user, spaces=spaces))
    form = BookingForm(request.POST, user=request.user, spaces=spaces)
    if not form.is_valid():
        return _form_page(request, form, status=422)
    try:
        booking = services.booking_create(form.draft(), actor=request.user,
                                          override_rules=form.cleaned_data.get("override_rules", False),
                                          reason=form.cleaned_data["reason"])
    except ApplicationError as exc:
        form.add_service_error(exc.field, exc.message)
        for rule in exc.extra.get("rules", [])[1:]:
            form.add_error(None, rule)
        return _form_page(request, form, conflicts=exc.extra.get("conflicts", []), status=exc.status_code)
    messages.success(request, _("Booking created."))
    url = reverse("bookings:booking_detail", args=[booking.pk])
    if _is_htmx(request):
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)


def _visible_booking(request: HttpRequest, booking_id: int) -> Booking:
    booking = Booking.objects.select_related("space", "space__venue", "agency", "created_by").filter(
        pk=booking_id).first()
    if booking is None or not booking.can_view(request.user):
        raise Http404(_("No booking %(id)s.") % {"id": booking_id})
    return booking


def _detail_page(request: HttpRequest, booking: Booking, *, error: str = "", conflicts=(), action: str = "",
                 status: int = 200) -> HttpResponse:
    user = request.user
    context = {
        "booking": booking, "audit": _audit_rows(booking), "error": error, "refused_action": action,
        "conflicts": list(conflicts), "reason": request.POST.get("reason", "")[:2000] if error else "",
        "reason_form": ReasonForm(), "title": booking.display_title(_lang()),
        "can_confirm": booking.can_confirm(user) and not booking.is_expired_hold,
        "can_release": booking.can_release(user), "can_cancel": booking.can_cancel(user),
        "diary_url": reverse("bookings:diary") + "?" + urlencode({
            "view": "week", "date": timezone.localdate(booking.start).isoformat(),
            "venue": booking.space.venue.code}),
    }
    return render(request, "bookings/booking_detail.html", context, status=status)


AUDIT_ACTIONS = {
    "create": gettext_lazy("created"), "confirm": gettext_lazy("confirmed"), "release": gettext_lazy("released"),
    "cancel": gettext_lazy("cancelled"), "expire": gettext_lazy("expired"), "decline": gettext_lazy("declined"),
    "promote": gettext_lazy("promoted to first option"), "complete": gettext_lazy("completed"),
    "update": gettext_lazy("changed"), "actual_record": gettext_lazy("actuals recorded"),
    "actual_update": gettext_lazy("actuals changed"),
}


def _audit_rows(booking: Booking) -> list[dict]:
    """The audit trail with state and action names in the page's language."""
    states = dict(BookingStatus.choices)
    return [{"at": e.at, "actor": e.actor.get_username() if e.actor else "", "action": AUDIT_ACTIONS.get(
        e.action, e.action), "from_state": states.get(e.from_state, e.from_state),
        "to_state": states.get(e.to_state, e.to_state), "reason": e.reason} for e in audit_trail(booking)]


@login_required
def booking_detail(request: HttpRequest, booking_id: int) -> HttpResponse:
    """Details, option rank, state, the audit trail and the actions the viewer may take."""
    return _detail_page(request, _visible_booking(request, booking_id))


ACTIONS = {"confirm": services.booking_confirm, "release": services.hold_release, "cancel": services.booking_cancel}
DONE = {"confirm": gettext_lazy("Booking confirmed."), "release": gettext_lazy("Hold released."),
        "cancel": gettext_lazy("Booking cancelled.")}


@login_required
@require_POST
def booking_action(request: HttpRequest, booking_id: int, action: str) -> HttpResponse:
    """Confirm, release or cancel through the service; a refusal is shown on the booking page."""
    booking = _visible_booking(request, booking_id)
    if action not in ACTIONS:
        raise Http404(action)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, booking, error="; ".join(form.errors.get("reason", [])), status=422)
    service = ACTIONS[action]
    try:
        service(booking, actor=request.user, reason=form.cleaned_data["reason"])
    except ApplicationError as exc:
        booking.refresh_from_db()
        # The refusal names what is in the way (the service's conflict rows) and stays beside the button.
        return _detail_page(request, booking, error=exc.message, conflicts=exc.extra.get("conflicts", []),
                            action=action, status=exc.status_code)
    messages.success(request, DONE[action])
    return redirect("bookings:booking_detail", booking_id=booking.pk)


@login_required
def space_ics(request: HttpRequest, code: str) -> HttpResponse:
    """One space's diary as iCalendar (center staff): times in Asia/Bangkok, one stable UID per booking."""
    if not Space.may_manage(request.user):
        raise PermissionDenied(_("Only center staff may export a space's diary."))
    try:
        space: Space = space_get(code, venue=request.GET.get("venue") or None)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    since = timezone.now() - timedelta(days=365)
    body = _space_calendar(space, selectors.space_diary_bookings(space, since=since), lang=_lang())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{space.code}.ics"'
    return response


ICAL_STATUS = {BookingStatus.CONFIRMED: "CONFIRMED", BookingStatus.COMPLETED: "CONFIRMED",
               BookingStatus.HOLD: "TENTATIVE", BookingStatus.INQUIRY: "TENTATIVE"}


def _space_calendar(space: Space, bookings, *, lang: str) -> bytes:
    """An iCalendar of a space's bookings; event times carry TZID=Asia/Bangkok with its VTIMEZONE."""
    tz = timezone.get_current_timezone()
    cal = Calendar()
    cal.add("prodid", "-//Khuang//diary//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{space.code} · {space.name}")
    cal.add("x-wr-timezone", str(tz))
    cal.add_component(Timezone.from_tzid(str(tz)))
    stamp = timezone.now()
    for b in bookings:
        event = Event()
        event.add("uid", b.ical_uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", timezone.localtime(b.start, tz))
        event.add("dtend", timezone.localtime(b.end, tz))
        event.add("summary", b.display_title(lang))
        event.add("location", f"{space.code} · {space.name}")
        event.add("status", ICAL_STATUS.get(b.status, "TENTATIVE"))
        event.add("sequence", b.sequence)
        lines = [f"{_('State')}: {b.get_status_display()}"]
        if b.option_rank:
            lines.append(f"{_('Option rank')}: {b.option_rank}")
        if b.setup_minutes or b.teardown_minutes:
            lines.append(_("Setup %(setup)s min, teardown %(teardown)s min") % {
                "setup": b.setup_minutes, "teardown": b.teardown_minutes})
        if b.agency_id:
            lines.append(f"{_('Agency')}: {b.agency.name}")
        event.add("description", "\n".join(lines))
        cal.add_component(event)
    return cal.to_ical()
