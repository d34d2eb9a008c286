"""Who holds the space: occupancy rows, the conflicts that refuse them, and the next option moving up."""

from datetime import datetime
from typing import Any, NoReturn

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khuang.core.errors import Conflict, ConflictError
from khuang.core.i18n import current_lang
from khuang.core.models import log_action
from khuang.venues.models import Closure, Space

from .. import errors
from ..hooks import run_claim_hooks
from ..models import Booking, BookingStatus, Occupancy
from ..selectors import closures_overlapping, leaf_ids, occupancy_conflicts
from .base import EXCLUSION_VIOLATION, _notify, _spaces_sharing, _stamp


def conflicts_for(bookings, closures, viewer, *, reveal: bool = False) -> list[Conflict]:
    """What is in the way, as `viewer` may see it: other agencies' private titles are hidden from planners
    (`reveal`: shown, for refusals only center staff can meet)."""
    lang = current_lang()  # the English title where the booking has one
    out = [Conflict(id=b.pk, kind="booking", space=b.space.code, start=b.occupied_start, end=b.occupied_end,
                    title=b.display_title(lang) if reveal or b.shows_title_to(viewer) else str(errors.HIDDEN_TITLE),
                    status=b.status)
           for b in bookings]
    out += [Conflict(id=c.pk, kind="closure", space=c.space.code, start=c.start, end=c.end,
                     title=_("Closed: %(reason)s") % {"reason": c.reason}, status="closed")
            for c in closures]
    return out


class SlotConflict(ConflictError):
    """A claim refused: closures or occupying rivals are in the way (listed in `extra["conflicts"]`).

    `raced` is set when the space looked free a moment ago in this transaction (PostgreSQL's exclusion
    constraint refused, or a first option met a rival that committed since): a new hold may then retry once
    and queue behind it.
    """

    def __init__(self, message: str, *, field: str, extra: dict[str, Any], raced: bool = False):
        super().__init__(message, field=field, extra=extra)
        self.raced = raced


def _in_the_way(booking: Booking) -> tuple[list[Booking], list[Closure]]:
    """Occupying rivals (other than the booking itself) and closures meeting the booking's occupied span."""
    span = (booking.occupied_start, booking.occupied_end)
    rivals = [r for r in occupancy_conflicts(booking.space, *span) if r.pk != booking.pk]
    return rivals, closures_overlapping(booking.space, *span)


def _refuse(rivals, closures, viewer, *, field: str = "start", message: str | None = None,
            raced: bool = False) -> NoReturn:
    """Raise the 409 listing what is in the way: "closed" when only closures are, else "taken"."""
    if message is None:
        message = str(errors.SPACE_CLOSED if closures and not rivals else errors.SLOT_TAKEN)
    raise SlotConflict(message, field=field, extra={"conflicts": conflicts_for(rivals, closures, viewer)},
                       raced=raced)


def _refuse_if_closed(booking: Booking, viewer) -> None:
    """Refuse (409, "closed") when a closure meets the booking's occupied span, before anything is claimed."""
    closures = closures_overlapping(booking.space, booking.occupied_start, booking.occupied_end)
    if closures:
        _refuse([], closures, viewer)


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


def _claim(booking: Booking, *, actor, field: str = "start", lapse_expired: bool = True) -> None:
    """Take the booking's atomic spaces for its occupied span, or raise SlotConflict (409) naming what is in
    the way.

    The one place where occupancy is written for a booking: a new confirmed booking or first option, a move of
    an occupying one, a confirmation, a waiting option moving up. Inside the caller's transaction: expired
    holds in the way lapse first (`lapse_expired`; their next option moves up and may now be in the way
    itself), then closures and occupying rivals refuse, then one row per atomic part is written. On PostgreSQL
    the exclusion constraint has the last word: its violation becomes the same 409 (`raced`), listing what
    committed in between.
    """
    if lapse_expired:
        release_expired_in_way(booking.space, booking.occupied_start, booking.occupied_end, exclude=booking.pk)
    rivals, closures = _in_the_way(booking)
    if rivals or closures:
        _refuse(rivals, closures, actor, field=field)
    try:
        with transaction.atomic():
            _occupy(booking)
    except IntegrityError as exc:
        if not _is_exclusion_violation(exc):
            raise
        rivals, closures = _in_the_way(booking)
        _refuse(rivals, closures, actor, field=field, message=str(errors.SLOT_TAKEN), raced=True)


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
        rank = hold.option_rank
        try:
            with transaction.atomic():
                hold.option_rank = 1
                hold.save(update_fields=["option_rank", "updated_at"])
                _claim(hold, actor=None, lapse_expired=False)
        except SlotConflict:  # still in the way: the hold moves one rank up and keeps waiting
            hold.option_rank = max(2, (rank or 2) - 1)
            hold.save(update_fields=["option_rank", "updated_at"])
            continue
        except ConflictError:  # a claim hook refused (e.g. its equipment is taken): the hold keeps waiting
            hold.option_rank = rank
            continue
        log_action(hold, "promote", from_state="hold", to_state="hold", data={"option_rank": 1},
                   reason=_("The earlier option was released."))
        promoted.append(hold)
    for hold in promoted:
        _notify(hold, "promoted")
    return promoted
