"""Recurring bookings: the same local times every N days, previewed, then booked in one transaction."""

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khuang.core.errors import ConflictError
from khuang.core.models import log_action

from ..models import Booking, BookingSeries, BookingStatus
from ..selectors import closures_overlapping, occupancy_conflicts
from .base import _user
from .claim import conflicts_for
from .create import booking_create
from .rules import BookingDraft, ValidationFailed, _check_may_create, validate_times


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
                     "conflicts": conflicts_for(bookings, closures, viewer)})
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
