"""New bookings: an inquiry, a hold (queued as a lower option on taken dates) or a confirmed booking."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khuang.core.models import log_action

from .. import errors
from ..models import NEW_STATUSES, Booking, BookingSeries, BookingStatus
from ..selectors import occupancy_conflicts
from .base import _schedule_expiry, _spaces_sharing, _user
from .claim import SlotConflict, _claim, _refuse, _refuse_if_closed, release_expired_in_way
from .rules import (
    BookingDraft,
    ValidationFailed,
    _check_claim_limits,
    _check_may_create,
    _check_role,
    _check_rules,
    _default_hold_expiry,
    _validate_space_fit,
    validate_times,
)


def booking_create(draft: BookingDraft, *, actor=None, override_rules: bool = False, reason: str = "",
                   series: BookingSeries | None = None) -> Booking:
    """Create an inquiry, hold or confirmed booking; a hold on taken dates queues as a lower option.

    Staff book for any agency; planners for their own (filled in when not given); viewers and executives not.
    """
    _check_may_create(draft, actor)
    validate_times(draft.start, draft.end, draft.setup_minutes, draft.teardown_minutes)
    _validate_space_fit(draft.space, draft.layout, draft.attendees)
    if draft.status not in NEW_STATUSES:
        raise ValidationFailed(_("New bookings start as inquiry, hold or confirmed."), field="status")
    _check_role(draft.space, draft.status, actor)
    overridden = _check_rules(draft.space, draft.start, draft.end, draft.attendees, actor, override_rules, reason)
    if draft.status == BookingStatus.HOLD and draft.hold_expires_at is None:
        draft.hold_expires_at = _default_hold_expiry(draft.space, actor)
    if draft.hold_expires_at is not None and draft.hold_expires_at <= timezone.now():
        raise ValidationFailed(str(errors.HOLD_IN_PAST), field="hold_expires_at")
    _check_claim_limits(draft.space, status=draft.status,
                        occupied_start=draft.start - timedelta(minutes=draft.setup_minutes),
                        occupied_end=draft.end + timedelta(minutes=draft.teardown_minutes),
                        hold_expires_at=draft.hold_expires_at, actor=actor)
    for attempt in range(2):
        try:
            return _create_in_transaction(draft, actor, overridden, reason, series)
        except SlotConflict as exc:
            # A rival committed first (PostgreSQL). A hold retries once and queues behind it.
            if not exc.raced or draft.status != BookingStatus.HOLD or attempt == 1:
                raise
    raise AssertionError("unreachable")


def _create_in_transaction(draft, actor, overridden, reason, series) -> Booking:
    with transaction.atomic():
        booking = Booking(
            space=draft.space, title=draft.title, title_en=draft.title_en, description=draft.description,
            agency=draft.agency, contact_name=draft.contact_name, contact_email=draft.contact_email,
            contact_phone=draft.contact_phone, event_type=draft.event_type, start=draft.start, end=draft.end,
            setup_minutes=draft.setup_minutes, teardown_minutes=draft.teardown_minutes, status=draft.status,
            layout=draft.layout, attendees=draft.attendees, customer_class=draft.customer_class,
            is_public=draft.is_public, series=series, created_by=_user(actor), status_changed_by=_user(actor),
            status_changed_at=timezone.now(), status_reason=reason, rules_overridden=overridden,
            hold_expires_at=draft.hold_expires_at if draft.status == BookingStatus.HOLD else None,
        )
        booking.compute_occupied()
        _refuse_if_closed(booking, actor)
        if draft.status == BookingStatus.HOLD:
            release_expired_in_way(booking.space, booking.occupied_start, booking.occupied_end)
            rivals = occupancy_conflicts(booking.space, booking.occupied_start, booking.occupied_end)
            if any(r.status == BookingStatus.CONFIRMED for r in rivals):
                _refuse(rivals, [], actor)
            booking.option_rank = 1 + _highest_rank(booking, rivals)
        booking.save()
        if booking.occupies:  # confirmed, or a first option
            try:
                _claim(booking, actor=actor, lapse_expired=booking.status != BookingStatus.HOLD)
            except SlotConflict as exc:
                # A first option found the dates free a moment ago: whatever is in the way now committed since,
                # and booking_create queues this hold behind it.
                exc.raced = exc.raced or booking.status == BookingStatus.HOLD
                raise
        log_action(booking, "create", actor=actor, to_state=booking.status, reason=reason,
                   data={"option_rank": booking.option_rank, "rules_overridden": overridden})
        if booking.status == BookingStatus.HOLD:
            _schedule_expiry(booking)
    return booking


def _highest_rank(booking: Booking, rivals) -> int:
    """The last option rank already queued on these dates (0 when the space is free)."""
    if not rivals:
        return 0
    waiting = Booking.objects.filter(
        status=BookingStatus.HOLD, space_id__in=_spaces_sharing(booking.space),
        occupied_start__lt=booking.occupied_end, occupied_end__gt=booking.occupied_start,
    ).exclude(pk=booking.pk).values_list("option_rank", flat=True)
    return max([r or 1 for r in waiting] + [1])
