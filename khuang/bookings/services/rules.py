"""What a booking must satisfy before the diary looks at the calendar: times, space fit, booking rules,
roles and the caps that bind everyone but center staff."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from khuang.core.errors import PermissionDeniedError, ValidationFailed
from khuang.venues.models import Layout, Space

from .. import errors
from ..models import Booking, BookingRule, BookingStatus


@dataclass
class BookingDraft:
    """What a caller asks for; the service decides rank, occupancy and who may do it."""

    space: Space
    title: str
    start: datetime
    end: datetime
    setup_minutes: int = 0
    teardown_minutes: int = 0
    status: str = BookingStatus.INQUIRY
    attendees: int = 0
    layout: str = ""
    agency: Any = None
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    event_type: str = "other"
    title_en: str = ""
    description: str = ""
    customer_class: str = "government"
    is_public: bool = False
    hold_expires_at: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def validate_times(start: datetime, end: datetime, setup: int, teardown: int) -> None:
    for name, value in (("start", start), ("end", end)):
        if not timezone.is_aware(value):
            raise ValidationFailed(str(errors.NAIVE_DATETIME), field=name)
    if end <= start:
        raise ValidationFailed(str(errors.END_BEFORE_START), field="end")
    for name, value in (("setup_minutes", setup), ("teardown_minutes", teardown)):
        if value < 0:
            raise ValidationFailed(_("Minutes cannot be negative."), field=name)


def _validate_space_fit(space: Space, layout: str, attendees: int) -> None:
    if not space.is_active:
        raise ValidationFailed(str(errors.SPACE_INACTIVE) % {"code": space.code}, field="space")
    if layout and layout not in space.layouts:
        labels = ", ".join(space.layouts) or "-"
        raise ValidationFailed(
            str(errors.LAYOUT_MISSING) % {"code": space.code, "layout": layout, "layouts": labels}, field="layout"
        )
    if attendees < 0:
        raise ValidationFailed(_("Attendance cannot be negative."), field="attendees")
    capacity = space.capacity_for(layout or None)
    if layout != Layout.BOOTHS and attendees > capacity:
        raise ValidationFailed(
            str(errors.OVER_CAPACITY) % {"attendees": attendees, "capacity": capacity, "code": space.code},
            field="attendees",
        )


def _rule_breaches(space: Space, start: datetime, end: datetime, attendees: int) -> list[tuple[str, str]]:
    rule = BookingRule.objects.filter(space=space).first()
    if rule is None:
        return []
    code, out = space.code, []
    minutes = (end - start).total_seconds() / 60
    lead = start - timezone.now()
    checks = [
        (rule.min_attendees is not None and attendees < rule.min_attendees, "attendees",
         errors.RULE_MIN_ATTENDEES, rule.min_attendees),
        (rule.max_attendees is not None and attendees > rule.max_attendees, "attendees",
         errors.RULE_MAX_ATTENDEES, rule.max_attendees),
        (rule.min_duration_minutes is not None and minutes < rule.min_duration_minutes, "end",
         errors.RULE_MIN_DURATION, rule.min_duration_minutes),
        (rule.max_duration_minutes is not None and minutes > rule.max_duration_minutes, "end",
         errors.RULE_MAX_DURATION, rule.max_duration_minutes),
        (rule.min_lead_days is not None and lead < timedelta(days=rule.min_lead_days), "start",
         errors.RULE_MIN_LEAD, rule.min_lead_days),
        (rule.max_lead_months is not None and lead > timedelta(days=31 * rule.max_lead_months), "start",
         errors.RULE_MAX_LEAD, rule.max_lead_months),
    ]
    for breached, field_name, message, limit in checks:
        if breached:
            out.append((field_name, str(message) % {"code": code, "limit": limit}))
    return out


def _check_rules(space, start, end, attendees, actor, override: bool, reason: str) -> bool:
    """Refuse a breach naming the rule; staff may override with a reason. Returns True if overridden."""
    breaches = _rule_breaches(space, start, end, attendees)
    if not breaches:
        return False
    if override and Booking.may_override_rules(actor):
        if not reason.strip():
            raise ValidationFailed(str(errors.OVERRIDE_NEEDS_REASON), field="reason")
        return True
    field_name, message = breaches[0]
    raise ValidationFailed(message, field=field_name, extra={"rules": [m for _, m in breaches]})


def _check_role(space: Space, status: str, actor) -> None:
    rule = BookingRule.for_space(space)
    if status == BookingStatus.CONFIRMED and not rule.allows_confirm(actor):
        raise PermissionDeniedError(str(errors.ONLY_STAFF_CONFIRM) % {"code": space.code}, field="status")
    if status == BookingStatus.HOLD and not rule.allows_hold(actor):
        raise PermissionDeniedError(str(errors.ROLE_MAY_NOT_HOLD) % {"code": space.code}, field="status")


def _check_claim_limits(space: Space, *, status: str, occupied_start: datetime, occupied_end: datetime,
                        hold_expires_at: datetime | None, actor) -> None:
    """Caps that bind everyone but center staff: how long a booking spans and how far ahead a hold expires."""
    if Booking.may_override_rules(actor):
        return
    rule = BookingRule.for_space(space)
    if occupied_end - occupied_start > timedelta(days=rule.max_span_days):
        raise ValidationFailed(str(errors.RULE_MAX_SPAN) % {"code": space.code, "limit": rule.max_span_days},
                               field="end")
    if (status == BookingStatus.HOLD and hold_expires_at is not None
            and hold_expires_at > timezone.now() + timedelta(days=rule.max_hold_days)):
        raise ValidationFailed(str(errors.RULE_MAX_HOLD) % {"code": space.code, "limit": rule.max_hold_days},
                               field="hold_expires_at")


def _check_may_create(draft: "BookingDraft", actor) -> None:
    """Staff book for anyone; planners for their own agency only (filled in when not given); others not at all."""
    if not Booking.may_create(actor):
        raise PermissionDeniedError(str(errors.MAY_NOT_BOOK), field="status")
    if not Booking.may_create(actor, draft.agency):
        raise PermissionDeniedError(str(errors.OWN_AGENCY_ONLY), field="agency")
    if draft.agency is None and not Booking.may_book_for_any_agency(actor):
        draft.agency = actor.agency  # a planner's booking is always their agency's


def _default_hold_expiry(space: Space, actor) -> datetime:
    rule = BookingRule.for_space(space)
    days = rule.default_hold_days if Booking.may_override_rules(actor) else min(rule.default_hold_days,
                                                                                  rule.max_hold_days)
    return timezone.now() + timedelta(days=days)
