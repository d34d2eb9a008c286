"""Writes to the diary. Every state change: check state and permission, then one transaction that
mutates, writes occupancy rows and the audit entry; notifications are enqueued after commit.

No double booking: occupying bookings (confirmed, or a first-option hold) own one `Occupancy` row per
atomic space. PostgreSQL's exclusion constraint rejects overlaps outright; on SQLite the transaction is
IMMEDIATE, so the overlap check and the insert below run while no other writer can interleave.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khuang.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from khuang.core.models import log_action
from khuang.core.thaidates import format_date
from khuang.venues.models import Layout, Space

from . import errors
from .checks import run_confirm_checks
from .models import Booking, BookingRule, BookingSeries, BookingStatus, Occupancy
from .selectors import closures_overlapping, leaf_ids, occupancy_conflicts

EXCLUSION_VIOLATION = "23P01"


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
    if override and getattr(actor, "is_center_staff", False):
        if not reason.strip():
            raise ValidationFailed(str(errors.OVERRIDE_NEEDS_REASON), field="reason")
        return True
    field_name, message = breaches[0]
    raise ValidationFailed(message, field=field_name, extra={"rules": [m for _, m in breaches]})


def _check_role(space: Space, status: str, actor) -> None:
    rule = BookingRule.objects.filter(space=space).first()
    role = getattr(actor, "role", None)
    staff = getattr(actor, "is_center_staff", False)
    if status == BookingStatus.CONFIRMED:
        allowed = staff or (rule is not None and role in (rule.confirm_roles or []))
        if not allowed:
            raise PermissionDeniedError(str(errors.ONLY_STAFF_CONFIRM) % {"code": space.code}, field="status")
    if status == BookingStatus.HOLD and not staff:
        roles = (rule.hold_roles if rule and rule.hold_roles else ["agency_planner"])
        if role not in roles:
            raise PermissionDeniedError(str(errors.ROLE_MAY_NOT_HOLD) % {"code": space.code}, field="status")


# ---------------------------------------------------------------- conflicts

def conflict_rows(bookings, closures, viewer) -> list[dict[str, Any]]:
    """What is in the way, as the API shows it; other agencies' private titles are hidden from planners."""
    rows = []
    for b in bookings:
        visible = b.is_public or (viewer is not None and b.can_view(viewer))
        rows.append({"id": b.pk, "kind": "booking", "space": b.space.code, "start": b.occupied_start.isoformat(),
                     "end": b.occupied_end.isoformat(), "title": b.title if visible else str(errors.HIDDEN_TITLE),
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


def _vacate(booking: Booking) -> None:
    Occupancy.objects.filter(booking=booking, active=True).update(active=False)


def _is_exclusion_violation(exc: IntegrityError) -> bool:
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) == EXCLUSION_VIOLATION or "booking_no_overlap" in str(exc)


def _default_hold_expiry(space: Space) -> datetime:
    rule = BookingRule.objects.filter(space=space).first()
    return timezone.now() + timedelta(days=rule.default_hold_days if rule else 7)


# ---------------------------------------------------------------- create / update

def booking_create(draft: BookingDraft, *, actor=None, override_rules: bool = False, reason: str = "",
                   series: BookingSeries | None = None) -> Booking:
    """Create an inquiry, hold or confirmed booking; a hold on taken dates queues as a lower option."""
    validate_times(draft.start, draft.end, draft.setup_minutes, draft.teardown_minutes)
    _validate_space_fit(draft.space, draft.layout, draft.attendees)
    if draft.status not in (BookingStatus.INQUIRY, BookingStatus.HOLD, BookingStatus.CONFIRMED):
        raise ValidationFailed(_("New bookings start as inquiry, hold or confirmed."), field="status")
    _check_role(draft.space, draft.status, actor)
    if getattr(actor, "is_planner", False):
        draft.agency = actor.agency  # planners book for their own agency only
    overridden = _check_rules(draft.space, draft.start, draft.end, draft.attendees, actor, override_rules, reason)
    if draft.status == BookingStatus.HOLD and draft.hold_expires_at is None:
        draft.hold_expires_at = _default_hold_expiry(draft.space)
    if draft.hold_expires_at is not None and draft.hold_expires_at <= timezone.now():
        raise ValidationFailed(_("A hold must expire in the future."), field="hold_expires_at")
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
        if draft.status in (BookingStatus.HOLD, BookingStatus.CONFIRMED):
            rivals = occupancy_conflicts(booking.space, booking.occupied_start, booking.occupied_end)
            if rivals and (draft.status == BookingStatus.CONFIRMED
                           or any(r.status == BookingStatus.CONFIRMED for r in rivals)):
                _raise_conflict(str(errors.SLOT_TAKEN), rivals, [], actor)
            if draft.status == BookingStatus.HOLD:
                booking.option_rank = 1 + _highest_rank(booking, rivals)
        booking.save()
        if booking.occupies:
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
        raise PermissionDeniedError(str(errors.NOT_ALLOWED) % {"action": _("change")})
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise ValidationFailed(_("These fields cannot be changed: %(f)s") % {"f": ", ".join(sorted(unknown))},
                               field=sorted(unknown)[0])
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
        if "hold_expires_at" in changes and locked.hold_expires_at and locked.hold_expires_at <= timezone.now():
            raise ValidationFailed(_("A hold must expire in the future."), field="hold_expires_at")
        locked.compute_occupied()
        if moved and locked.status != BookingStatus.INQUIRY:
            closures = closures_overlapping(locked.space, locked.occupied_start, locked.occupied_end)
            if closures:
                _raise_conflict(str(errors.SPACE_CLOSED), [], closures, actor)
        if moved and locked.occupies:
            _vacate(locked)
            rivals = [r for r in occupancy_conflicts(locked.space, locked.occupied_start, locked.occupied_end)
                      if r.pk != locked.pk]
            if rivals:
                _raise_conflict(str(errors.SLOT_TAKEN), rivals, [], actor)
        locked.sequence += 1
        locked.rules_overridden = locked.rules_overridden or overridden
        try:
            with transaction.atomic():
                locked.save()
                if moved and locked.occupies:
                    _occupy(locked)
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
        if booking.can_view(actor):
            raise ConflictError(str(errors.BAD_TRANSITION) % {"status": booking.get_status_display(),
                                                               "action": action}, field="status")
        raise PermissionDeniedError(str(errors.NOT_ALLOWED) % {"action": action})
    return Booking.objects.select_for_update().select_related("space").get(pk=booking.pk)


def booking_confirm(booking: Booking, *, actor=None, reason: str = "") -> Booking:
    """Confirm an inquiry or hold (center staff); rival holds on the same dates are declined."""
    if not getattr(actor, "is_center_staff", False) and booking.can_view(actor):
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
                closures = closures_overlapping(locked.space, locked.occupied_start, locked.occupied_end)
                rivals = [r for r in occupancy_conflicts(locked.space, locked.occupied_start, locked.occupied_end)
                          if r.pk != locked.pk]
                if closures or rivals:
                    _raise_conflict(str(errors.SLOT_TAKEN), rivals, closures, actor)
                with transaction.atomic():
                    _occupy(locked)
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
    if not reason.strip():
        raise ValidationFailed(_("Say why the booking is cancelled."), field="reason")
    return _end_booking(booking, actor=actor, reason=reason, action="cancel", allowed=booking.can_cancel(actor))


def hold_expire(booking_id: int) -> Booking | None:
    """Lapse a hold whose expiry has passed (run by the worker); anything else is left alone."""
    booking = Booking.objects.select_related("space").filter(pk=booking_id).first()
    if booking is None or not booking.is_expired_hold:
        return None
    return _end_booking(booking, actor=None, reason=_("The hold expired."), action="expire", allowed=True)


def _end_booking(booking: Booking, *, actor, reason: str, action: str, allowed: bool) -> Booking:
    with transaction.atomic():
        locked = _transition(booking, allowed=allowed, action=action, actor=actor)
        if action == "expire" and not locked.is_expired_hold:
            return locked
        was_occupying, was = locked.occupies, locked.status
        _vacate(locked)
        locked.status, locked.option_rank = BookingStatus.CANCELLED, None
        locked.sequence += 1
        _stamp(locked, actor, reason)
        locked.save()
        log_action(locked, action, actor=actor, from_state=was, to_state=locked.status, reason=reason)
        if was_occupying:
            promote_next_options(locked.space, locked.occupied_start, locked.occupied_end)
    return locked


def booking_complete(booking: Booking, *, actor=None, reason: str = "") -> Booking:
    """Mark a confirmed booking whose event is over as completed (center staff)."""
    allowed = getattr(actor, "is_center_staff", False) and booking.status == BookingStatus.CONFIRMED
    with transaction.atomic():
        locked = _transition(booking, allowed=allowed, action=_("completed"), actor=actor)
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
        hold.option_rank = 1
        hold.save(update_fields=["option_rank", "updated_at"])
        _occupy(hold)
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
    """Each occurrence with what stands in its way, before anything is saved."""
    validate_times(draft.start, draft.end, draft.setup_minutes, draft.teardown_minutes)
    rows = []
    for s, e in series_occurrences(draft.start, draft.end, every_days=every_days, count=count):
        span = (s - timedelta(minutes=draft.setup_minutes), e + timedelta(minutes=draft.teardown_minutes))
        bookings = occupancy_conflicts(draft.space, *span) if draft.status != BookingStatus.INQUIRY else []
        closures = closures_overlapping(draft.space, *span)
        rows.append({"start": s.isoformat(), "end": e.isoformat(),
                     "conflicts": conflict_rows(bookings, closures, viewer)})
    return rows


def series_create(draft: BookingDraft, *, every_days: int, count: int, skip_conflicts: bool, actor=None,
                  reason: str = "", override_rules: bool = False) -> tuple[BookingSeries, list[Booking], list[str]]:
    """Book every occurrence in one transaction: all-or-nothing, or skipping the conflicting dates."""
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
