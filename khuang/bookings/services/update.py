"""Changing a booking: new times or space are re-checked and its occupancy moved in one transaction."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khuang.core.errors import ConflictError, PermissionDeniedError
from khuang.core.models import log_action
from khuang.venues.models import Space

from .. import errors
from ..models import Booking, BookingStatus
from .base import _schedule_expiry
from .claim import _claim, _refuse_if_closed, _vacate, promote_next_options
from .rules import ValidationFailed, _check_claim_limits, _check_rules, _validate_space_fit, validate_times

UPDATABLE = {"title", "title_en", "description", "contact_name", "contact_email", "contact_phone",
             "event_type", "customer_class", "is_public", "attendees", "layout", "start", "end", "setup_minutes",
             "teardown_minutes", "space", "hold_expires_at"}


def booking_update(booking: Booking, changes: dict[str, Any], *, actor=None, reason: str = "",
                   override_rules: bool = False) -> Booking:
    """Change a booking; new times or space are re-checked and its occupancy moved in one transaction."""
    if not booking.can_edit(actor):
        if booking.is_managed_by(actor):
            raise ConflictError(str(errors.BAD_TRANSITION) % {"status": booking.get_status_display(),
                                                               "action": _("changed")}, field="status")
        raise PermissionDeniedError(str(errors.NOT_ALLOWED) % {"action": _("change")})
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise ValidationFailed(_("These fields cannot be changed: %(f)s") % {"f": ", ".join(sorted(unknown))},
                               field=sorted(unknown)[0])
    for key, value in changes.items():
        if value is None:  # every updatable field has a value; "" clears a text field
            raise ValidationFailed(str(errors.NOT_EMPTY), field=key)
    with transaction.atomic():
        locked = Booking.objects.select_for_update().select_related("space").get(pk=booking.pk)
        before = {k: _plain(getattr(locked, k)) for k in changes}
        old_space, old_start, old_end, was_occupying = (
            locked.space, locked.occupied_start, locked.occupied_end, locked.occupies,
        )
        for key, value in changes.items():
            setattr(locked, key, value)
        validate_times(locked.start, locked.end, locked.setup_minutes, locked.teardown_minutes)
        _validate_space_fit(locked.space, locked.layout, locked.attendees)
        moved = bool({"start", "end", "setup_minutes", "teardown_minutes", "space"} & set(changes))
        overridden = False
        if moved or "attendees" in changes:
            overridden = _check_rules(locked.space, locked.start, locked.end, locked.attendees, actor,
                                      override_rules, reason)
        if "hold_expires_at" in changes and locked.hold_expires_at <= timezone.now():
            raise ValidationFailed(str(errors.HOLD_IN_PAST), field="hold_expires_at")
        locked.compute_occupied()
        if moved or "hold_expires_at" in changes:
            _check_claim_limits(locked.space, status=locked.status, occupied_start=locked.occupied_start,
                                occupied_end=locked.occupied_end,
                                hold_expires_at=locked.hold_expires_at if "hold_expires_at" in changes else None,
                                actor=actor)
        if moved and locked.status != BookingStatus.INQUIRY:
            _refuse_if_closed(locked, actor)
        locked.sequence += 1
        locked.rules_overridden = locked.rules_overridden or overridden
        if moved and locked.occupies:
            _vacate(locked)
            _claim(locked, actor=actor)
        locked.save()
        log_action(locked, "update", actor=actor, reason=reason,
                   data={"from": before, "to": {k: _plain(getattr(locked, k)) for k in changes}})
        if "hold_expires_at" in changes and locked.status == BookingStatus.HOLD:
            _schedule_expiry(locked)
        if moved and was_occupying:
            promote_next_options(old_space, old_start, old_end)
    return locked


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Space):
        return value.code
    return value
