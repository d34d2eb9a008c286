"""Writes of the reports app: event actuals and KPI targets. Each checks permission and input, then writes
the row and its audit entry in one transaction."""

from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from khuang.bookings.models import Booking, BookingStatus
from khuang.core.errors import PermissionDeniedError
from khuang.core.errors import ValidationFailed as InvalidInput
from khuang.core.models import log_action
from khuang.venues.models import RateCard, Venue

from .models import EventActual, Kpi, KpiTarget

HALF_DAY_HOURS = 4
ONLY_STAFF = gettext_lazy("Only center staff may record actuals or set targets.")
NOT_OVER = gettext_lazy("Actuals can be recorded only for a confirmed or completed event that has ended.")
NEGATIVE = gettext_lazy("%(field)s must be a number of zero or more.")
BAD_SCORE = gettext_lazy("Satisfaction is a score from 1 to 5.")
BAD_DISCOUNT = gettext_lazy("A discount is between 0 and 100 per cent.")
BAD_KPI = gettext_lazy("Unknown KPI %(kpi)s.")
BAD_YEAR = gettext_lazy("%(year)s is not a fiscal year (use the Buddhist-Era year, e.g. 2570).")


def _decimal(value: Any, field: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InvalidInput(str(NEGATIVE) % {"field": field}, field=field) from None
    if not number.is_finite() or number < 0:
        raise InvalidInput(str(NEGATIVE) % {"field": field}, field=field)
    return number


def booking_list_price(booking: Booking) -> Decimal:
    """Rental at list price from the space's rate card for the booking's customer class: each event day
    with more than four event hours is a full day, a shorter one a half day; no rate card → 0."""
    tz = ZoneInfo(booking.space.venue.timezone)
    start, end = timezone.localtime(booking.start, tz), timezone.localtime(booking.end, tz)
    card = (RateCard.objects.filter(space=booking.space, customer_class=booking.customer_class,
                                    valid_from__lte=start.date())
            .exclude(valid_to__lt=start.date()).order_by("-valid_from").first())
    if card is None:
        return Decimal("0")
    total = Decimal("0")
    day = start.date()
    while day <= (end - timedelta(microseconds=1)).date():
        day_start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
        hours = (min(end, day_start + timedelta(days=1)) - max(start, day_start)).total_seconds() / 3600
        total += card.full_day_thb if hours > HALF_DAY_HOURS else card.half_day_thb
        day += timedelta(days=1)
    return total


def actual_record(booking: Booking, *, attendance: int, discount_pct: Any = 0, revenue_thb: Any = None,
                  satisfaction: Any = None, notes: str = "", actor=None) -> EventActual:
    """Record (or correct) what happened at an event; revenue defaults to the rate-card price less discount."""
    if not getattr(actor, "is_center_staff", False):
        raise PermissionDeniedError(str(ONLY_STAFF))
    if booking.status not in (BookingStatus.CONFIRMED, BookingStatus.COMPLETED) or booking.end > timezone.now():
        raise InvalidInput(str(NOT_OVER), field="booking")
    if not isinstance(attendance, int) or isinstance(attendance, bool) or attendance < 0:
        raise InvalidInput(str(NEGATIVE) % {"field": "attendance"}, field="attendance")
    discount = _decimal(discount_pct, "discount_pct")
    if discount > 100:
        raise InvalidInput(str(BAD_DISCOUNT), field="discount_pct")
    score = None
    if satisfaction is not None:
        score = _decimal(satisfaction, "satisfaction")
        if not (1 <= score <= 5):
            raise InvalidInput(str(BAD_SCORE), field="satisfaction")
    price = booking_list_price(booking)
    if revenue_thb is None:
        revenue = (price * (100 - discount) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    else:
        revenue = _decimal(revenue_thb, "revenue_thb")
    with transaction.atomic():
        actual, created = EventActual.objects.update_or_create(booking=booking, defaults={
            "attendance": attendance, "list_price_thb": price, "discount_pct": discount, "revenue_thb": revenue,
            "satisfaction": score, "notes": notes, "recorded_by": actor if getattr(actor, "pk", None) else None,
        })
        log_action(booking, "actual_record" if created else "actual_update", actor=actor,
                   data={"attendance": attendance, "revenue_thb": str(revenue), "discount_pct": str(discount),
                         "satisfaction": str(score) if score is not None else None})
    return actual


def target_set(venue: Venue, fiscal_year: int, kpi: str, target: Any, *, actor=None) -> KpiTarget:
    """Set a venue's target for one KPI in one fiscal year (BE); targets are non-negative numbers."""
    if not getattr(actor, "is_center_staff", False):
        raise PermissionDeniedError(str(ONLY_STAFF))
    if kpi not in Kpi.values:
        raise InvalidInput(str(BAD_KPI) % {"kpi": kpi}, field="kpi")
    if not isinstance(fiscal_year, int) or not (2400 <= fiscal_year <= 2800):
        raise InvalidInput(str(BAD_YEAR) % {"year": fiscal_year}, field="fiscal_year")
    value = _decimal(target, "target")
    with transaction.atomic():
        row, _created = KpiTarget.objects.update_or_create(venue=venue, fiscal_year=fiscal_year, kpi=kpi,
                                                           defaults={"target": value})
        log_action(row, "target_set", actor=actor, data={"target": str(value)})
    return row


