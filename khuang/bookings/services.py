"""Writes to the diary. Every state change: check state and permission, then one transaction that
mutates, writes occupancy rows and the audit entry; notifications are enqueued after commit.

No double booking: occupying bookings (confirmed, or a first-option hold) own one `Occupancy` row per
atomic space. PostgreSQL's exclusion constraint rejects overlaps outright; on SQLite the transaction is
IMMEDIATE, so the overlap check and the insert below run while no other writer can interleave.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from khuang.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from khuang.core.models import log_action
from khuang.core.thaidates import format_date
from khuang.venues.models import Layout, Space

from . import errors
from .checks import run_confirm_checks
from .hooks import run_claim_hooks
from .models import Booking, BookingRule, BookingSeries, BookingStatus, Occupancy
from .selectors import closures_overlapping, leaf_ids, occupancy_conflicts

EXCLUSION_VIOLATION = "23P01"
logger = logging.getLogger(__name__)


class ValidationFailed(ApplicationError):
    status_code = 422


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


# ---------------------------------------------------------------- validation

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


# ---------------------------------------------------------------- conflicts

def conflict_rows(bookings, closures, viewer, *, reveal: bool = False) -> list[dict[str, Any]]:
    """What is in the way, as the API shows it; other agencies' private titles are hidden from planners
    (`reveal`: shown, for refusals only center staff can meet)."""
    rows = []
    lang = get_language() or "th"  # the English title where the booking has one
    for b in bookings:
        visible = reveal or b.shows_title_to(viewer)
        rows.append({"id": b.pk, "kind": "booking", "space": b.space.code, "start": b.occupied_start.isoformat(),
                     "end": b.occupied_end.isoformat(),
                     "title": b.display_title(lang) if visible else str(errors.HIDDEN_TITLE),
                     "status": b.status})
    for c in closures:
        rows.append({"id": c.pk, "kind": "closure", "space": c.space.code, "start": c.start.isoformat(),
                     "end": c.end.isoformat(), "title": _("Closed: %(reason)s") % {"reason": c.reason},
                     "status": "closed"})
    return rows


def _raise_conflict(message: str, bookings, closures, viewer) -> None:
    raise ConflictError(message, field="start", extra={"conflicts": conflict_rows(bookings, closures, viewer)})


def _occupy(booking: Booking) -> None:
    """Insert one occupancy row per atomic space, in primary-key order (a stable lock order)."""
    Occupancy.objects.bulk_create(
        Occupancy(booking=booking, space_id=pk, start=booking.occupied_start, end=booking.occupied_end)
        for pk in sorted(leaf_ids(booking.space))
    )
    run_claim_hooks(booking, True)  # e.g. equipment quantities, in this same transaction


def _vacate(booking: Booking) -> None:
    Occupancy.objects.filter(booking=booking, active=True).update(active=False)
    run_claim_hooks(booking, False)


def _is_exclusion_violation(exc: IntegrityError) -> bool:
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) == EXCLUSION_VIOLATION or "booking_no_overlap" in str(exc)


def _default_hold_expiry(space: Space, actor) -> datetime:
    rule = BookingRule.for_space(space)
    days = rule.default_hold_days if Booking.may_override_rules(actor) else min(rule.default_hold_days,
                                                                                  rule.max_hold_days)
    return timezone.now() + timedelta(days=days)


def release_expired_in_way(space: Space, start: datetime, end: datetime, *, exclude: int | None = None) -> int:
    """Lapse every hold past its expiry that overlaps [start, end) on a part of `space`; each freed span is
    offered to the next option. Runs inside the caller's transaction, so an expired hold never blocks anyone:
    the conflict check that meets it releases it first. Returns how many holds lapsed."""
    expired = (Booking.objects.select_for_update().select_related("space")
               .filter(status=BookingStatus.HOLD, hold_expires_at__lte=timezone.now(),
                       space_id__in=_spaces_sharing(space), occupied_start__lt=end, occupied_end__gt=start)
               .exclude(pk=exclude).order_by("pk"))
    count = 0
    for hold in expired:
        _lapse(hold, actor=None, reason=_("The hold expired."), action="expire")
        count += 1
    return count


def _claim(booking: Booking, *, actor) -> None:
    """Take the booking's atomic spaces for its occupied span, or raise ConflictError naming what is in the way.

    The one place where occupancy is written for a booking that must have the space (a new confirmed booking,
    a move of an occupying one, a confirmation); a new hold instead queues behind what it meets. Inside the
    caller's transaction: expired holds in the way lapse first (their next option moves up and may now be in
    the way itself), then closures and occupying rivals refuse, then one row per atomic part is written. On
    PostgreSQL the exclusion constraint has the last word: its IntegrityError reaches the caller, which maps it
    to a 409.
    """
    release_expired_in_way(booking.space, booking.occupied_start, booking.occupied_end, exclude=booking.pk)
    closures = closures_overlapping(booking.space, booking.occupied_start, booking.occupied_end)
    rivals = [r for r in occupancy_conflicts(booking.space, booking.occupied_start, booking.occupied_end)
              if r.pk != booking.pk]
    if closures and not rivals:
        _raise_conflict(str(errors.SPACE_CLOSED), [], closures, actor)
    if rivals or closures:
        _raise_conflict(str(errors.SLOT_TAKEN), rivals, closures, actor)
    with transaction.atomic():
        _occupy(booking)


# ---------------------------------------------------------------- create / update

def booking_create(draft: BookingDraft, *, actor=None, override_rules: bool = False, reason: str = "",
                   series: BookingSeries | None = None) -> Booking:
    """Create an inquiry, hold or confirmed booking; a hold on taken dates queues as a lower option.

    Staff book for any agency; planners for their own (filled in when not given); viewers and executives not.
    """
    _check_may_create(draft, actor)
    validate_times(draft.start, draft.end, draft.setup_minutes, draft.teardown_minutes)
    _validate_space_fit(draft.space, draft.layout, draft.attendees)
    if draft.status not in (BookingStatus.INQUIRY, BookingStatus.HOLD, BookingStatus.CONFIRMED):
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
        except IntegrityError as exc:
            # A rival committed first (PostgreSQL). A hold retries once and queues behind it.
            if not _is_exclusion_violation(exc):
                raise
            if draft.status != BookingStatus.HOLD or attempt == 1:
                bookings, closures = _current_conflicts(draft)
                _raise_conflict(str(errors.SLOT_TAKEN), bookings, closures, actor)
    raise AssertionError("unreachable")


def _current_conflicts(draft: BookingDraft):
    span = (draft.start - timedelta(minutes=draft.setup_minutes), draft.end + timedelta(minutes=draft.teardown_minutes))
    return occupancy_conflicts(draft.space, *span), closures_overlapping(draft.space, *span)


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
        closures = closures_overlapping(booking.space, booking.occupied_start, booking.occupied_end)
        if closures:
            _raise_conflict(str(errors.SPACE_CLOSED), [], closures, actor)
        if draft.status == BookingStatus.HOLD:
            release_expired_in_way(booking.space, booking.occupied_start, booking.occupied_end)
            rivals = occupancy_conflicts(booking.space, booking.occupied_start, booking.occupied_end)
            if any(r.status == BookingStatus.CONFIRMED for r in rivals):
                _raise_conflict(str(errors.SLOT_TAKEN), rivals, [], actor)
            booking.option_rank = 1 + _highest_rank(booking, rivals)
        booking.save()
        if booking.status == BookingStatus.CONFIRMED:
            _claim(booking, actor=actor)
        elif booking.occupies:
            # A first option: nothing occupied these dates a moment ago. Should a rival have committed since
            # (PostgreSQL), the exclusion constraint refuses and booking_create queues this hold behind it.
            with transaction.atomic():
                _occupy(booking)
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


def _spaces_sharing(space: Space) -> list[int]:
    """Every space whose atomic parts overlap this one's (itself, its parts, combinations containing them)."""
    from .selectors import spaces_sharing_parts

    return spaces_sharing_parts(space)


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


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
            closures = closures_overlapping(locked.space, locked.occupied_start, locked.occupied_end)
            if closures:
                _raise_conflict(str(errors.SPACE_CLOSED), [], closures, actor)
        locked.sequence += 1
        locked.rules_overridden = locked.rules_overridden or overridden
        try:
            with transaction.atomic():
                if moved and locked.occupies:
                    _vacate(locked)
                    _claim(locked, actor=actor)
                locked.save()
        except IntegrityError as exc:
            if not _is_exclusion_violation(exc):
                raise
            raise ConflictError(str(errors.SLOT_TAKEN), field="start") from exc
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


# ---------------------------------------------------------------- state changes

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
    declined: list[Booking] = []
    try:
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
    except IntegrityError as exc:
        if not _is_exclusion_violation(exc):
            raise
        raise ConflictError(str(errors.SLOT_TAKEN), field="status") from exc
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
    from .selectors import expired_holds

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


def _lapse(locked: Booking, *, actor, reason: str, action: str) -> None:
    """End a locked booking (cancel, release, expiry): free its space and offer it to the next option."""
    was_occupying, was = locked.occupies, locked.status
    _vacate(locked)
    locked.status, locked.option_rank = BookingStatus.CANCELLED, None
    locked.sequence += 1
    _stamp(locked, actor, reason)
    locked.save()
    log_action(locked, action, actor=actor, from_state=was, to_state=locked.status, reason=reason)
    if was_occupying:
        promote_next_options(locked.space, locked.occupied_start, locked.occupied_end)


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


def promote_next_options(space: Space, start: datetime, end: datetime) -> list[Booking]:
    """Offer freed dates to waiting holds in option order; each promoted contact is notified."""
    waiting = list(Booking.objects.select_for_update().select_related("space").filter(
        status=BookingStatus.HOLD, option_rank__gt=1, space_id__in=_spaces_sharing(space),
        occupied_start__lt=end, occupied_end__gt=start,
    ).order_by("option_rank", "created_at", "id"))
    promoted = []
    for hold in waiting:
        if hold.is_expired_hold:
            continue
        busy = occupancy_conflicts(hold.space, hold.occupied_start, hold.occupied_end)
        if busy or closures_overlapping(hold.space, hold.occupied_start, hold.occupied_end):
            hold.option_rank = max(2, (hold.option_rank or 2) - 1)
            hold.save(update_fields=["option_rank", "updated_at"])
            continue
        try:
            with transaction.atomic():
                hold.option_rank = 1
                hold.save(update_fields=["option_rank", "updated_at"])
                _occupy(hold)
        except ConflictError:
            continue  # a claim hook refused (e.g. its equipment is taken): the hold keeps waiting
        log_action(hold, "promote", from_state="hold", to_state="hold", data={"option_rank": 1},
                   reason=_("The earlier option was released."))
        promoted.append(hold)
    for hold in promoted:
        _notify(hold, "promoted")
    return promoted


def _stamp(booking: Booking, actor, reason: str) -> None:
    booking.status_changed_by = _user(actor)
    booking.status_changed_at = timezone.now()
    booking.status_reason = reason


def _schedule_expiry(booking: Booking) -> None:
    from .tasks import expire_hold

    when = booking.hold_expires_at
    transaction.on_commit(partial(expire_hold.using(run_after=when).enqueue, booking.pk))


def _notify(booking: Booking, kind: str) -> None:
    from .tasks import notify_contact

    if booking.contact_email:
        transaction.on_commit(partial(notify_contact.enqueue, booking.pk, kind))


# ---------------------------------------------------------------- recurring bookings

def series_occurrences(
    start: datetime, end: datetime, *, every_days: int, count: int
) -> list[tuple[datetime, datetime]]:
    """The occurrences of a repeating booking: the same local times every N days, `count` times."""
    if count < 1 or count > 200:
        raise ValidationFailed(_("A series has 1 to 200 occurrences."), field="count")
    if every_days < 1:
        raise ValidationFailed(_("Repeat every 1 or more days."), field="every_days")
    tz = timezone.get_current_timezone()
    local_start, local_end = timezone.localtime(start, tz), timezone.localtime(end, tz)
    out = []
    for i in range(count):
        delta = timedelta(days=every_days * i)
        s = (local_start.replace(tzinfo=None) + delta).replace(tzinfo=tz)
        e = (local_end.replace(tzinfo=None) + delta).replace(tzinfo=tz)
        out.append((s, e))
    return out


def series_preview(draft: BookingDraft, *, every_days: int, count: int, viewer=None) -> list[dict[str, Any]]:
    """Each occurrence with what stands in its way (expired holds never do), before anything is saved."""
    _check_may_create(draft, viewer)
    validate_times(draft.start, draft.end, draft.setup_minutes, draft.teardown_minutes)
    rows = []
    for s, e in series_occurrences(draft.start, draft.end, every_days=every_days, count=count):
        span = (s - timedelta(minutes=draft.setup_minutes), e + timedelta(minutes=draft.teardown_minutes))
        bookings = (occupancy_conflicts(draft.space, *span, live_only=True)
                    if draft.status != BookingStatus.INQUIRY else [])
        closures = closures_overlapping(draft.space, *span)
        rows.append({"start": s.isoformat(), "end": e.isoformat(),
                     "conflicts": conflict_rows(bookings, closures, viewer)})
    return rows


def series_create(draft: BookingDraft, *, every_days: int, count: int, skip_conflicts: bool, actor=None,
                  reason: str = "", override_rules: bool = False) -> tuple[BookingSeries, list[Booking], list[str]]:
    """Book every occurrence in one transaction: all-or-nothing, or skipping the conflicting dates."""
    _check_may_create(draft, actor)
    occurrences = series_occurrences(draft.start, draft.end, every_days=every_days, count=count)
    created, skipped = [], []
    with transaction.atomic():
        series = BookingSeries.objects.create(title=draft.title, created_by=_user(actor))
        for s, e in occurrences:
            one = BookingDraft(**{**draft.__dict__, "start": s, "end": e})
            try:
                with transaction.atomic():
                    created.append(booking_create(one, actor=actor, override_rules=override_rules,
                                                  reason=reason, series=series))
            except ConflictError:
                if not skip_conflicts:
                    raise
                skipped.append(s.isoformat())
        if not created:
            raise ConflictError(_("Every date of the series is taken."), field="start")
        log_action(series, "series_create", actor=actor,
                   data={"created": [b.pk for b in created], "skipped": skipped})
    return series, created, skipped
