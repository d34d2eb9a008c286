"""Public pages (no login): events, month calendar, event page with registration and Lanna tie-ins; feeds;
and the staff check-in and CSV export of registrations."""

import csv
import json
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from khuang.accounts.models import Agency
from khuang.core.errors import ApplicationError, NotFoundError
from khuang.core.exports import safe_row
from khuang.core.i18n import current_lang as _lang
from khuang.core.models import ActivityType
from khuang.core.thaidates import format_month
from khuang.core.web import client_address

from . import feeds, selectors, services
from .models import Registration


def _month(text: str | None) -> date | None:
    """`2027-02` → date(2027, 2, 1); anything else → None."""
    try:
        year, month = (int(x) for x in (text or "").split("-"))
        return date(year, month, 1) if 1900 <= year <= 2300 and 1 <= month <= 12 else None
    except ValueError:
        return None


def _shift(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _filters(request: HttpRequest) -> dict:
    event_type = request.GET.get("type") or ""
    agency = request.GET.get("agency") or ""
    return {
        "type": event_type if event_type in ActivityType.values else "",
        "agency": agency if Agency.objects.filter(code=agency).exists() else "",
    }


def _filter_choices() -> dict:
    return {"types": ActivityType.choices, "agencies": Agency.objects.filter(bookings__is_public=True).distinct()}


def event_list(request: HttpRequest) -> HttpResponse:
    """Upcoming public events, filterable by month, type and organising agency."""
    month = _month(request.GET.get("month"))
    f = _filters(request)
    events = list(selectors.event_list(month=month, event_type=f["type"] or None, agency=f["agency"] or None))
    today = timezone.localdate()
    months = [_shift(date(today.year, today.month, 1), i) for i in range(12)]
    return render(request, "public/event_list.html", {
        "events": events, "month": month, "filters": f, **_filter_choices(),
        "months": [(m.strftime("%Y-%m"), format_month(m.year, m.month, _lang())) for m in months],
        "month_value": month.strftime("%Y-%m") if month else "",
    })


def event_calendar(request: HttpRequest) -> HttpResponse:
    """A month grid of public events (Monday first)."""
    today = timezone.localdate()
    first = _month(request.GET.get("month")) or date(today.year, today.month, 1)
    f = _filters(request)
    events = list(selectors.event_list(month=first, event_type=f["type"] or None, agency=f["agency"] or None))
    upcoming = None
    if not events:  # an empty month points to the next event (same filters) and jumps to its month
        after = datetime.combine(_shift(first, 1), datetime.min.time(), tzinfo=timezone.get_current_timezone())
        upcoming = selectors.next_event(after=after, event_type=f["type"] or None, agency=f["agency"] or None)
    next_hint = {"empty": not events}
    if upcoming is not None:
        query = {"month": timezone.localtime(upcoming.start).strftime("%Y-%m"), "type": f["type"],
                 "agency": f["agency"]}
        next_hint.update(next_day=upcoming.start, next_title=upcoming.display_title(_lang()),
                         next_url="?" + urlencode({k: v for k, v in query.items() if v}))
    return render(request, "public/event_calendar.html", {
        **next_hint,
        "weeks": selectors.month_grid(first, events), "first": first, "today": today, "filters": f,
        "title": format_month(first.year, first.month, _lang()), **_filter_choices(),
        "prev": _shift(first, -1).strftime("%Y-%m"), "next": _shift(first, 1).strftime("%Y-%m"),
        "weekdays": ["จ.", "อ.", "พ.", "พฤ.", "ศ.", "ส.", "อา."] if _lang() == "th"
        else ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    })


def _event_or_404(pk: int):
    try:
        return selectors.event_get(pk)
    except NotFoundError:
        raise Http404(_("No such public event.")) from None


def _detail_context(request: HttpRequest, booking) -> dict:
    page = selectors.event_page(booking)
    venue = booking.space.venue
    lang = _lang()
    start, end = timezone.localtime(booking.start), timezone.localtime(booking.end)
    url = request.build_absolute_uri(reverse("public:event_detail", args=[booking.pk]))
    ld = json.dumps(feeds.json_ld(booking, url=url, lang=lang), ensure_ascii=False).replace("<", "\\u003c")
    counts = selectors.registration_counts(page) if page and page.capacity is not None else None
    return {
        "event": booking, "page": page, "venue": venue, "start": start, "end": end,
        "multi_day": start.date() != (end - timedelta(seconds=1)).date(),
        "title": booking.display_title(lang), "summary": feeds.public_summary(booking, lang),
        "json_ld": mark_safe(ld),  # noqa: S308 - json.dumps output with "<" escaped
        "nearby": selectors.nearby_attractions(venue.latitude, venue.longitude),
        "festivals": selectors.festivals_during(start.date(), (end - timedelta(seconds=1)).date(), venue.province),
        "packages": list(page.packages.all()) if page else [],
        "counts": counts,
        "full": counts is not None and counts["registered"] >= page.capacity,
        "can_register": page is not None and page.capacity is not None and page.registration_open
        and booking.status != "cancelled" and booking.start > timezone.now(),
        "road_factor": selectors.ROAD_FACTOR, "speed": int(selectors.AVERAGE_SPEED_KMH),
        "form": {}, "errors": {},
    }


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One public event: when, where, who organises, how to get there, what is nearby, how to register."""
    return render(request, "public/event_detail.html", _detail_context(request, _event_or_404(pk)))


@require_http_methods(["GET", "POST"])
def event_register(request: HttpRequest, pk: int) -> HttpResponse:
    """Register for an event; errors re-show the event page with the form and a 4xx status."""
    booking = _event_or_404(pk)
    if request.method == "GET":
        return redirect(f"{reverse('public:event_detail', args=[pk])}#register")
    form = {k: (request.POST.get(k) or "")[:300] for k in ("name", "email", "phone", "organisation")}
    try:
        reg = services.registration_create(booking, services.RegistrationDraft(**form),
                                           client=client_address(request))
    except ApplicationError as exc:
        ctx = _detail_context(request, booking)
        ctx.update(form=form, errors=exc.extra.get("errors") or {exc.field or "form": exc.message})
        return render(request, "public/event_detail.html", ctx, status=exc.status_code)
    return redirect("public:ticket", code=reg.code)


def ticket(request: HttpRequest, code: str) -> HttpResponse:
    """The registration confirmation: status, event, and the QR code to show at check-in."""
    try:
        reg = selectors.registration_by_code(code)
    except NotFoundError:
        raise Http404(_("No such registration.")) from None
    return render(request, "public/ticket.html", {
        "reg": reg, "event": reg.event.booking, "title": reg.event.booking.display_title(_lang()),
        "qr": mark_safe(services.qr_svg(reg.code)),  # noqa: S308 - SVG made by the qrcode library
    })


@require_POST
def ticket_cancel(request: HttpRequest, code: str) -> HttpResponse:
    """The person gives up their place; the first on the waiting list moves up."""
    try:
        reg = selectors.registration_by_code(code)
        services.registration_cancel(reg)
    except NotFoundError:
        raise Http404(_("No such registration.")) from None
    except ApplicationError as exc:
        return render(request, "public/message.html", {"message": exc.message}, status=exc.status_code)
    return redirect("public:ticket", code=reg.code)


# ---------------------------------------------------------------- feeds

def _feed_filters(event_type: str | None, agency: str | None) -> None:
    if event_type is not None and event_type not in ActivityType.values:
        raise Http404(_("Unknown activity type."))
    if agency is not None and not Agency.objects.filter(code=agency).exists():
        raise Http404(_("Unknown agency."))


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def calendar_ics(request: HttpRequest, event_type: str | None = None, agency: str | None = None) -> HttpResponse:
    """iCalendar feed of public events: all, or one activity type, or one organising agency."""
    event_type = event_type or request.GET.get("type") or None
    agency = agency or request.GET.get("agency") or None
    _feed_filters(event_type, agency)
    events = selectors.feed_events(event_type=event_type, agency=agency)
    name = _("Khuang public events")
    body = feeds.ics_calendar(events, name=name, base_url=_base_url(request), lang=_lang())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="khuang.ics"'
    return response


def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """One public event as an iCalendar file ("add to calendar"), with the feed's UID so the two never duplicate."""
    booking = _event_or_404(pk)
    lang = _lang()
    body = feeds.ics_calendar([booking], name=booking.display_title(lang), base_url=_base_url(request), lang=lang)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{booking.pk}.ics"'
    return response


def calendar_json(request: HttpRequest) -> HttpResponse:
    """The same events as calendar.ics, as JSON."""
    event_type = request.GET.get("type") or None
    agency = request.GET.get("agency") or None
    try:
        _feed_filters(event_type, agency)
    except Http404 as exc:
        return JsonResponse({"detail": str(exc)}, status=404)
    base = _base_url(request)
    events = [feeds.json_event(b, base_url=base) for b in selectors.feed_events(event_type=event_type, agency=agency)]
    return JsonResponse({"version": 1, "timezone": "Asia/Bangkok", "events": events},
                        json_dumps_params={"ensure_ascii": False})


# ---------------------------------------------------------------- staff: check-in and export

def _managed_or_404(request: HttpRequest, pk: int):
    booking = selectors.managed_events(request.user).filter(pk=pk).first()
    if booking is None:
        raise Http404(_("No such event among those you manage."))
    return booking


@login_required
def checkin_events(request: HttpRequest) -> HttpResponse:
    """Events with registration the signed-in person manages."""
    return render(request, "public/checkin_events.html", {"events": selectors.managed_events(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest, pk: int) -> HttpResponse:
    """Search registrations by name, e-mail or code and check people in."""
    booking = _managed_or_404(request, pk)
    status, message, error = 200, "", ""
    if request.method == "POST":
        code = (request.POST.get("code") or "").strip().upper()
        reg = Registration.objects.filter(event__booking=booking, code=code).first()
        if reg is None:
            status, error = 404, _("No registration with code %(code)s for this event.") % {"code": code or "-"}
        else:
            try:
                services.registration_check_in(reg, actor=request.user)
                message = _("%(name)s checked in.") % {"name": reg.name}
            except ApplicationError as exc:
                status, error = exc.status_code, exc.message
    query = request.GET.get("q") or ""
    regs = selectors.registrations_for(request.user, booking, query)
    return render(request, "public/checkin.html", {
        "event": booking, "regs": regs, "q": query, "message": message, "error": error,
        "counts": selectors.registration_counts(booking.event_page),
        "checked_in": regs.filter(checked_in_at__isnull=False).count() if not query else None,
        "can_check_in": booking.can_manage_registrations(request.user),
    }, status=status)


@login_required
def registrations_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """CSV of an event's registrations (UTF-8 with BOM so spreadsheet programs read Thai)."""
    booking = _managed_or_404(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="registrations-{booking.pk}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(["code", "status", "name", "email", "phone", "organisation", "registered_at", "checked_in_at"])
    for r in selectors.registrations_for(request.user, booking).order_by("created_at", "id"):
        writer.writerow(safe_row([
            r.code, r.status, r.name, r.email, r.phone, r.organisation,
            timezone.localtime(r.created_at).isoformat(timespec="seconds"),
            timezone.localtime(r.checked_in_at).isoformat(timespec="seconds") if r.checked_in_at else ""]))
    return response


