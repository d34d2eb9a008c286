"""Small pieces every diary service shares: who acted, the status stamp, after-commit work."""

import logging
from functools import partial

from django.db import transaction
from django.utils import timezone

from khuang.venues.models import Space

from ..models import Booking

EXCLUSION_VIOLATION = "23P01"


logger = logging.getLogger(__name__)


def _spaces_sharing(space: Space) -> list[int]:
    """Every space whose atomic parts overlap this one's (itself, its parts, combinations containing them)."""
    from ..selectors import spaces_sharing_parts

    return spaces_sharing_parts(space)


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _stamp(booking: Booking, actor, reason: str) -> None:
    booking.status_changed_by = _user(actor)
    booking.status_changed_at = timezone.now()
    booking.status_reason = reason


def _schedule_expiry(booking: Booking) -> None:
    from ..tasks import expire_hold

    when = booking.hold_expires_at
    transaction.on_commit(partial(expire_hold.using(run_after=when).enqueue, booking.pk))


def _notify(booking: Booking, kind: str) -> None:
    from ..tasks import notify_contact

    if booking.contact_email:
        transaction.on_commit(partial(notify_contact.enqueue, booking.pk, kind))
