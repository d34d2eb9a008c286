"""Writes to the diary. Every state change: check state and permission, then one transaction that
mutates, writes occupancy rows and the audit entry; notifications are enqueued after commit.

No double booking: occupying bookings (confirmed, or a first-option hold) own one `Occupancy` row per
atomic space. PostgreSQL's exclusion constraint rejects overlaps outright; on SQLite the transaction is
IMMEDIATE, so the overlap check and the insert run while no other writer can interleave.

The package: `rules` (what a booking must satisfy), `claim` (who holds the space: `_claim`, occupancy rows,
conflicts, the next option moving up), `create`, `update`, `transitions` (confirm, release, cancel, expire,
complete) and `series`. Callers import from here.
"""

from .claim import _lapse, conflicts_for, promote_next_options, release_expired_in_way
from .create import booking_create
from .rules import BookingDraft, ValidationFailed, validate_times
from .series import series_create, series_occurrences, series_preview
from .transitions import (
    booking_cancel,
    booking_complete,
    booking_confirm,
    hold_expire,
    hold_release,
    holds_sweep,
)
from .update import UPDATABLE, booking_update

__all__ = [
    "UPDATABLE",
    "BookingDraft",
    "ValidationFailed",
    "_lapse",
    "booking_cancel",
    "booking_complete",
    "booking_confirm",
    "booking_create",
    "booking_update",
    "conflicts_for",
    "hold_expire",
    "hold_release",
    "holds_sweep",
    "promote_next_options",
    "release_expired_in_way",
    "series_create",
    "series_occurrences",
    "series_preview",
    "validate_times",
]
