"""State changes of a booking: confirm, release, cancel, expire, complete."""


from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khuang.core.errors import ConflictError, PermissionDeniedError
from khuang.core.models import log_action
from khuang.core.thaidates import format_date

from .. import errors
from ..checks import run_confirm_checks
from ..models import Booking, BookingStatus
from .base import _notify, _spaces_sharing, _stamp, logger
from .claim import _claim, _lapse
from .rules import ValidationFailed


def _transition(booking: Booking, *, allowed: bool, action: str, actor) -> Booking:
    if not allowed:
        # Someone who may act on this booking in another state hears why not now; anyone else is refused.
        if booking.is_managed_by(actor):
            raise ConflictError(str(errors.BAD_TRANSITION) % {"status": booking.get_status_display(),
                                                               "action": action}, field="status")
        raise PermissionDeniedError(str(errors.NOT_ALLOWED) % {"action": action})
    return Booking.objects.select_for_update().select_related("space").get(pk=booking.pk)


def booking_confirm(booking: Booking, *, actor=None, reason: str = "") -> Booking:
    """Confirm an inquiry or hold (center staff); rival holds on the same dates are declined."""
    if not Booking.may_confirm(actor) and booking.can_view(actor):
        raise PermissionDeniedError(str(errors.ONLY_STAFF_CONFIRM) % {"code": booking.space.code})
    if booking.is_expired_hold:
        raise ConflictError(str(errors.HOLD_EXPIRED) % {"when": format_date(booking.hold_expires_at)},
                            field="status")
    with transaction.atomic():
        locked = _transition(booking, allowed=booking.can_confirm(actor), action=_("confirmed"), actor=actor)
        was = locked.status
        run_confirm_checks(locked, actor)  # checks other apps register (e.g. a signed agreement first)
        if not locked.occupies:
            _claim(locked, actor=actor)
        locked.status, locked.option_rank, locked.hold_expires_at = BookingStatus.CONFIRMED, None, None
        _stamp(locked, actor, reason)
        locked.save()
        log_action(locked, "confirm", actor=actor, from_state=was, to_state=locked.status, reason=reason)
        declined = _decline_waiting_rivals(locked, actor)
    for rival in declined:
        _notify(rival, "declined")
    return locked


def _decline_waiting_rivals(confirmed: Booking, actor) -> list[Booking]:
    rivals = Booking.objects.select_related("space").filter(
        status=BookingStatus.HOLD, option_rank__gt=1, space_id__in=_spaces_sharing(confirmed.space),
        occupied_start__lt=confirmed.occupied_end, occupied_end__gt=confirmed.occupied_start,
    ).exclude(pk=confirmed.pk)
    out = []
    for rival in rivals:
        was = rival.status
        rival.status, rival.option_rank = BookingStatus.CANCELLED, None
        reason = _("The space was confirmed for another booking.")
        _stamp(rival, actor, reason)
        rival.save()
        log_action(rival, "decline", actor=actor, from_state=was, to_state=rival.status, reason=reason)
        out.append(rival)
    return out


def hold_release(booking: Booking, *, actor=None, reason: str = "") -> Booking:
    """Give a hold up; the next option on those dates is offered the space."""
    return _end_booking(booking, actor=actor, reason=reason, action="release",
                        allowed=booking.can_release(actor))


def booking_cancel(booking: Booking, *, actor=None, reason: str = "") -> Booking:
    """Cancel an inquiry, hold or confirmed booking; if it occupied the space, the next option moves up."""
    if not booking.is_managed_by(actor):
        raise PermissionDeniedError(str(errors.NOT_ALLOWED) % {"action": _("cancel")})
    if not reason.strip():
        raise ValidationFailed(_("Say why the booking is cancelled."), field="reason")
    return _end_booking(booking, actor=actor, reason=reason, action="cancel", allowed=booking.can_cancel(actor))


def hold_expire(booking_id: int) -> Booking | None:
    """Lapse a hold whose expiry has passed (run by the worker); anything else is left alone."""
    booking = Booking.objects.select_related("space").filter(pk=booking_id).first()
    if booking is None or not booking.is_expired_hold:
        return None
    return _end_booking(booking, actor=None, reason=_("The hold expired."), action="expire", allowed=True)


def holds_sweep() -> int:
    """Lapse every hold already past its expiry (the periodic safety net behind each hold's own expiry task);
    one hold that fails does not stop the others. Returns how many lapsed."""
    from ..selectors import expired_holds

    count = 0
    for booking_id in expired_holds().values_list("pk", flat=True):
        try:
            if hold_expire(booking_id):
                count += 1
        except Exception:  # keep going past one bad hold; the next sweep tries it again
            logger.exception("Could not lapse expired hold %s", booking_id)
    return count


def _end_booking(booking: Booking, *, actor, reason: str, action: str, allowed: bool) -> Booking:
    with transaction.atomic():
        locked = _transition(booking, allowed=allowed, action=action, actor=actor)
        if action == "expire" and not locked.is_expired_hold:
            return locked
        _lapse(locked, actor=actor, reason=reason, action=action)
    return locked


def booking_complete(booking: Booking, *, actor=None, reason: str = "") -> Booking:
    """Mark a confirmed booking whose event is over as completed (center staff)."""
    with transaction.atomic():
        locked = _transition(booking, allowed=booking.can_complete(actor), action=_("completed"), actor=actor)
        if locked.end > timezone.now():
            raise ConflictError(_("The event has not ended yet."), field="status")
        locked.status = BookingStatus.COMPLETED
        _stamp(locked, actor, reason)
        locked.save()
        log_action(locked, "complete", actor=actor, from_state=BookingStatus.CONFIRMED, to_state=locked.status,
                   reason=reason)
    return locked
